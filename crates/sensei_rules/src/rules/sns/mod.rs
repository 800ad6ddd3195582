//! Amazon SNS rules.

pub mod subscription_without_dead_letter_queue;
pub mod topic_not_encrypted;
pub mod topic_policy_grants_public_access;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &topic_not_encrypted::RULE,
    &subscription_without_dead_letter_queue::RULE,
    &topic_policy_grants_public_access::RULE,
];
