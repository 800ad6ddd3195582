//! AWS KMS rules.

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[];
