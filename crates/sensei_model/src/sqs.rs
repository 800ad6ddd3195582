//! Amazon SQS: queues and the queue policies that apply to them.

use crate::{Policy, ResourceRef, Setting, symbolic_for_policy};

/// `AWS::SQS::Queue`.
#[derive(Debug, Clone)]
pub struct Queue {
    pub resource: ResourceRef,
    /// `QueueName`; `None` when CloudFormation generates the name.
    pub queue_name: Setting<Option<String>>,
    /// The queue's ARN as the source knows it: `${LogicalId.Arn}` in a template, the real ARN live.
    pub arn: String,
    pub fifo_queue: Setting<bool>,
    pub kms_master_key_id: Setting<Option<String>>,
    /// `SqsManagedSseEnabled`; absent in a template means SQS's default for new queues (SSE-SQS on).
    pub sqs_managed_sse_enabled: Setting<Option<bool>>,
    /// The ARN of the dead-letter queue from `RedrivePolicy`.
    pub dead_letter_target_arn: Setting<Option<String>>,
    /// Seconds; AWS default 30.
    pub visibility_timeout: Setting<u32>,
    /// Seconds; AWS default 0 (short polling).
    pub receive_message_wait_time_seconds: Setting<u32>,
    /// The queue policies that apply to this queue. Unknown when a policy of the source names queues
    /// that cannot be resolved, so it may apply here.
    pub policies: Setting<Vec<QueuePolicy>>,
}

/// `AWS::SQS::QueuePolicy` or `AWS::SQS::QueueInlinePolicy`, as it applies to one queue.
#[derive(Debug, Clone)]
pub struct QueuePolicy {
    pub resource: ResourceRef,
    pub policy_document: Setting<Policy>,
}

impl Queue {
    /// The texts that stand for this queue's ARN in policies, for evaluation (see
    /// [`crate::symbolic_for_policy`]): its ARN, and the ARN built from its declared name.
    pub fn arns_for_policy(&self) -> Vec<String> {
        let mut out = vec![symbolic_for_policy(&self.arn)];
        if let Some(Some(name)) = self.queue_name.known() {
            let by_name = symbolic_for_policy(&format!(
                "arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{name}"
            ));
            if !out.contains(&by_name) {
                out.push(by_name);
            }
        }
        out
    }

    /// Whether `arn` (a dead-letter target, a destination) names this queue: its ARN, or an SQS ARN
    /// that ends with its declared name.
    pub fn is_named_by(&self, arn: &str) -> bool {
        if symbolic_for_policy(arn) == symbolic_for_policy(&self.arn) {
            return true;
        }
        let Some(Some(name)) = self.queue_name.known() else { return false };
        let arn = symbolic_for_policy(arn);
        let parts: Vec<&str> = arn.split(':').collect();
        matches!(parts.as_slice(), ["arn", _, "sqs", _, _, last] if last == name)
    }
}
