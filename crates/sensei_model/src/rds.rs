//! Amazon RDS: instances and clusters.

use crate::ResourceRef;

/// STUB: fields are added by the rule-catalog work.
#[derive(Debug, Clone)]
pub struct DbInstance {
    pub resource: ResourceRef,
}
