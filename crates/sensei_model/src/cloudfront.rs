//! Amazon CloudFront: distributions and response headers policies.

use crate::ResourceRef;

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct Distribution {
    pub resource: ResourceRef,
}

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct ResponseHeadersPolicy {
    pub resource: ResourceRef,
}
