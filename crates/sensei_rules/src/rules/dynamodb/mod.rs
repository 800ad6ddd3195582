//! Amazon DynamoDB rules.

pub mod table_capacity_does_not_scale;
pub mod table_deletion_protection_disabled;
pub mod table_not_in_backup_plan;
pub mod table_point_in_time_recovery_disabled;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &table_deletion_protection_disabled::RULE,
    &table_point_in_time_recovery_disabled::RULE,
    &table_not_in_backup_plan::RULE,
    &table_capacity_does_not_scale::RULE,
];
