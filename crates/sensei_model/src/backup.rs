//! AWS Backup: plans, their rules, and the selections that assign resources to them.

use crate::{Location, ResourceRef, Setting};

/// `AWS::Backup::BackupPlan`.
#[derive(Debug, Clone)]
pub struct BackupPlan {
    pub resource: ResourceRef,
    /// `BackupPlan.BackupPlanRule`.
    pub rules: Setting<Vec<BackupRule>>,
}

/// One rule of a backup plan.
#[derive(Debug, Clone)]
pub struct BackupRule {
    pub rule_name: String,
    pub location: Option<Location>,
    /// `Lifecycle.DeleteAfterDays`; `None` when absent (kept forever).
    pub delete_after_days: Setting<Option<u32>>,
    /// `Lifecycle.MoveToColdStorageAfterDays`.
    pub move_to_cold_storage_after_days: Setting<Option<u32>>,
    /// The copies to other vaults (`CopyActions`), each with its own lifecycle.
    pub copy_actions: Vec<CopyAction>,
}

/// A `CopyActions` entry: the copy has its own lifecycle, and is kept forever without one.
#[derive(Debug, Clone)]
pub struct CopyAction {
    pub location: Option<Location>,
    pub destination_backup_vault_arn: Setting<Option<String>>,
    pub delete_after_days: Setting<Option<u32>>,
    pub move_to_cold_storage_after_days: Setting<Option<u32>>,
}

/// `AWS::Backup::BackupSelection`: the resources a plan backs up.
#[derive(Debug, Clone)]
pub struct BackupSelection {
    pub resource: ResourceRef,
    /// The logical id of the plan it belongs to, when the source links it.
    pub backup_plan: Option<String>,
    /// `Resources`: ARN patterns (`*` matches any run of characters), combined with OR.
    pub resources: Setting<Vec<String>>,
    /// `NotResources`: ARN patterns excluded.
    pub not_resources: Setting<Vec<String>>,
    /// `ListOfTags`: each assigns the resources whose tag matches (OR).
    pub list_of_tags: Setting<Vec<TagCondition>>,
    /// `Conditions`: every one must hold (AND).
    pub conditions: Setting<Vec<TagCondition>>,
}

/// A condition on a resource tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCondition {
    pub operator: TagOperator,
    /// The tag key, without an `aws:ResourceTag/` prefix.
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagOperator {
    StringEquals,
    StringLike,
    StringNotEquals,
    StringNotLike,
}
