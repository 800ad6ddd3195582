//! AWS KMS: keys.

use crate::ResourceRef;

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct Key {
    pub resource: ResourceRef,
}
