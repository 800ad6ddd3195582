//! Amazon S3 rules.

pub mod bucket_allows_plain_http;
pub mod bucket_not_encrypted_with_kms;
pub mod bucket_policy_grants_public_access;
pub mod bucket_public_access_not_blocked;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &bucket_allows_plain_http::RULE,
    &bucket_public_access_not_blocked::RULE,
    &bucket_policy_grants_public_access::RULE,
    &bucket_not_encrypted_with_kms::RULE,
];
