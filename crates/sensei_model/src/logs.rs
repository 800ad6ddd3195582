//! Amazon CloudWatch Logs.

use crate::{ResourceRef, Setting};

/// `AWS::Logs::LogGroup`.
#[derive(Debug, Clone)]
pub struct LogGroup {
    pub resource: ResourceRef,
    /// `None`: CloudFormation generates a name.
    pub log_group_name: Setting<Option<String>>,
    /// `None`: kept forever.
    pub retention_in_days: Setting<Option<u32>>,
    /// `LogGroupClass`: `STANDARD` (AWS default), `INFREQUENT_ACCESS` or `DELIVERY`.
    pub log_group_class: Setting<Option<String>>,
}

impl LogGroup {
    /// The retention periods CloudWatch Logs accepts, in days.
    pub const RETENTION_DAYS: [u32; 22] =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
}
