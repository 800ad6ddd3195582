//! Amazon SNS: topics, their subscriptions and their topic policies.

use crate::{Location, Policy, ResourceRef, Setting, symbolic_for_policy};

/// `AWS::SNS::Topic`.
#[derive(Debug, Clone)]
pub struct Topic {
    pub resource: ResourceRef,
    /// `TopicName`; `None` when CloudFormation generates the name.
    pub topic_name: Setting<Option<String>>,
    /// The topic's ARN as the source knows it: `${LogicalId}` in a template (what `Ref` gives), the
    /// real ARN live.
    pub arn: String,
    pub kms_master_key_id: Setting<Option<String>>,
    /// The subscriptions of this topic that the source declares: `AWS::SNS::Subscription` resources,
    /// the topic's own `Subscription` list, and SAM `SNS` events.
    pub subscriptions: Vec<Subscription>,
    /// The topic policies that apply to this topic. Unknown when a policy of the source names topics
    /// that cannot be resolved, so it may apply here.
    pub policies: Setting<Vec<TopicPolicy>>,
}

/// One subscription of a topic.
#[derive(Debug, Clone)]
pub struct Subscription {
    /// The subscription resource; for an entry of a topic's `Subscription` list, the topic.
    pub resource: ResourceRef,
    /// Where the subscription is written (the list entry, the SAM event), when not the resource.
    pub location: Option<Location>,
    pub origin: SubscriptionOrigin,
    pub protocol: Setting<String>,
    pub endpoint: Setting<Option<String>>,
    /// `RedrivePolicy.deadLetterTargetArn`.
    pub dead_letter_target_arn: Setting<Option<String>>,
}

/// How a subscription is declared, which decides how to fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionOrigin {
    /// `AWS::SNS::Subscription` (or a live subscription).
    Resource,
    /// An entry of the `Subscription` list of `AWS::SNS::Topic`: it cannot take a redrive policy.
    TopicProperty,
    /// An `SNS` event of a SAM function.
    SamEvent,
}

/// `AWS::SNS::TopicPolicy` or `AWS::SNS::TopicInlinePolicy`, as it applies to one topic.
#[derive(Debug, Clone)]
pub struct TopicPolicy {
    pub resource: ResourceRef,
    pub policy_document: Setting<Policy>,
}

impl Topic {
    /// The texts that stand for this topic's ARN in policies, for evaluation (see
    /// [`crate::symbolic_for_policy`]): its ARN, and the ARN built from its declared name.
    pub fn arns_for_policy(&self) -> Vec<String> {
        let mut out = vec![symbolic_for_policy(&self.arn)];
        if let Some(Some(name)) = self.topic_name.known() {
            let by_name = symbolic_for_policy(&format!(
                "arn:${{AWS::Partition}}:sns:${{AWS::Region}}:${{AWS::AccountId}}:{name}"
            ));
            if !out.contains(&by_name) {
                out.push(by_name);
            }
        }
        out
    }
}
