//! AWS Backup rules.

pub mod backup_rule_without_lifecycle;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[&backup_rule_without_lifecycle::RULE];
