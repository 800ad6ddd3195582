//! AWS Backup: plans and selections.

use crate::ResourceRef;

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct BackupPlan {
    pub resource: ResourceRef,
}

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct BackupSelection {
    pub resource: ResourceRef,
}
