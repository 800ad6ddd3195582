//! AWS KMS rules.

pub mod key_pending_deletion;
pub mod key_policy_grants_public_access;
pub mod key_rotation_disabled;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] =
    &[&key_rotation_disabled::RULE, &key_pending_deletion::RULE, &key_policy_grants_public_access::RULE];
