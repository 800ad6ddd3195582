//! Amazon SQS.

use crate::{ResourceRef, Setting};

/// `AWS::SQS::Queue`.
#[derive(Debug, Clone)]
pub struct Queue {
    pub resource: ResourceRef,
    pub fifo_queue: Setting<bool>,
    pub kms_master_key_id: Setting<Option<String>>,
    pub sqs_managed_sse_enabled: Setting<Option<bool>>,
    /// The ARN of the dead-letter queue from `RedrivePolicy`.
    pub dead_letter_target_arn: Setting<Option<String>>,
    /// Seconds; AWS default 30.
    pub visibility_timeout: Setting<u32>,
}
