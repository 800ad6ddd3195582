//! Amazon CloudWatch Logs rules.

pub mod log_group_kept_forever;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[&log_group_kept_forever::RULE];
