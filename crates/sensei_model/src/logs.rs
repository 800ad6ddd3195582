//! Amazon CloudWatch Logs.

use crate::{ResourceRef, Setting};

/// `AWS::Logs::LogGroup`.
#[derive(Debug, Clone)]
pub struct LogGroup {
    pub resource: ResourceRef,
    pub log_group_name: Setting<Option<String>>,
    /// `None`: kept forever.
    pub retention_in_days: Setting<Option<u32>>,
}
