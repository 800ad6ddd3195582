//! Amazon RDS rules.

pub mod instance_storage_autoscaling_disabled;
pub mod instance_storage_not_encrypted;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] =
    &[&instance_storage_autoscaling_disabled::RULE, &instance_storage_not_encrypted::RULE];
