//! Amazon SNS.

use crate::{ResourceRef, Setting};

/// `AWS::SNS::Topic`.
#[derive(Debug, Clone)]
pub struct Topic {
    pub resource: ResourceRef,
    pub kms_master_key_id: Setting<Option<String>>,
}
