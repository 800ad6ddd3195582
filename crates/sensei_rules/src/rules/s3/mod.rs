//! Amazon S3 rules.

pub mod bucket_allows_plain_http;
pub mod bucket_not_encrypted_with_kms;
pub mod bucket_policy_grants_public_access;
pub mod bucket_public_access_not_blocked;
