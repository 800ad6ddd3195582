//! Amazon SES: identities and configuration sets.

use crate::ResourceRef;

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct EmailIdentity {
    pub resource: ResourceRef,
}

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct ConfigurationSet {
    pub resource: ResourceRef,
}
