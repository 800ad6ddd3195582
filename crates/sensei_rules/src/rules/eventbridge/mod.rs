//! Amazon EventBridge rules.

pub mod event_bus_without_resource_policy;
pub mod rule_target_without_dead_letter_queue;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] =
    &[&rule_target_without_dead_letter_queue::RULE, &event_bus_without_resource_policy::RULE];
