//! Amazon DynamoDB: tables, and the Application Auto Scaling that adjusts their capacity.

use crate::{ResourceRef, Setting};

/// `AWS::DynamoDB::Table` (and `AWS::Serverless::SimpleTable`).
#[derive(Debug, Clone)]
pub struct Table {
    pub resource: ResourceRef,
    /// Declared as `AWS::Serverless::SimpleTable`, which takes only some of a table's properties
    /// (no `DeletionProtectionEnabled`, no `BillingMode`): fixes differ.
    pub simple_table: bool,
    /// `TableName`, or a symbolic `${LogicalId}` standing for a name CloudFormation generates.
    pub table_name: Setting<String>,
    /// The table's ARN as the source knows it (symbolic in a template).
    pub arn: String,
    pub billing_mode: Setting<BillingMode>,
    pub point_in_time_recovery_enabled: Setting<bool>,
    pub deletion_protection_enabled: Setting<bool>,
    pub sse_enabled: Setting<bool>,
    /// `Tags`; empty when absent. Values known only at deploy time keep their `${...}` tokens.
    pub tags: Setting<Vec<Tag>>,
    /// The `IndexName` of each global secondary index.
    pub global_secondary_indexes: Setting<Vec<String>>,
    /// The capacity that Application Auto Scaling adjusts.
    pub auto_scaling: AutoScaling,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillingMode {
    Provisioned,
    PayPerRequest,
    Other(String),
}

/// A resource tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// The scalable targets (`AWS::ApplicationAutoScaling::ScalableTarget`) of a table and its indexes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AutoScaling {
    pub dimensions: Vec<ScaledDimension>,
    /// Why a scalable target of the source cannot be resolved, so it may be one of this table's.
    pub unresolved: Option<String>,
}

/// One capacity dimension registered with Application Auto Scaling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaledDimension {
    /// The scalable target: its logical id in a template.
    pub target: String,
    /// `None` for the table, the index name for a global secondary index.
    pub index: Option<String>,
    pub capacity: Capacity,
    /// Whether a scaling policy (or a scheduled action) acts on it: a target alone never changes
    /// the capacity.
    pub has_policy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    Read,
    Write,
}

impl Capacity {
    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Read => "read",
            Capacity::Write => "write",
        }
    }
}
