//! Amazon DynamoDB.

use crate::{ResourceRef, Setting};

/// `AWS::DynamoDB::Table` (and `AWS::Serverless::SimpleTable`).
#[derive(Debug, Clone)]
pub struct Table {
    pub resource: ResourceRef,
    pub billing_mode: Setting<BillingMode>,
    pub point_in_time_recovery_enabled: Setting<bool>,
    pub deletion_protection_enabled: Setting<bool>,
    pub sse_enabled: Setting<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillingMode {
    Provisioned,
    PayPerRequest,
    Other(String),
}
