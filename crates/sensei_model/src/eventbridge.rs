//! Amazon EventBridge: buses, rules and targets.

use crate::ResourceRef;

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct EventBus {
    pub resource: ResourceRef,
}

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct EventRule {
    pub resource: ResourceRef,
}
