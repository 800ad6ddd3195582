//! AWS Step Functions rules.

pub mod state_machine_logging_disabled;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[&state_machine_logging_disabled::RULE];
