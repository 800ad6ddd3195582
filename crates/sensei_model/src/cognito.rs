//! Amazon Cognito: user pools.

use crate::ResourceRef;

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct UserPool {
    pub resource: ResourceRef,
}
