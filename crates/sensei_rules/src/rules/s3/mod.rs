//! Amazon S3 rules.

pub mod access_point_public_access_not_blocked;
pub mod account_public_access_not_blocked;
pub mod bucket_allows_plain_http;
pub mod bucket_not_encrypted_with_kms;
pub mod bucket_not_replicated;
pub mod bucket_policy_grants_public_access;
pub mod bucket_policy_lets_other_accounts_change_access;
pub mod bucket_public_access_not_blocked;
pub mod bucket_uses_acls;
pub mod bucket_versioning_disabled;
pub mod bucket_without_access_logging;
pub mod bucket_without_event_notifications;
pub mod bucket_without_intelligent_tiering;
pub mod bucket_without_lifecycle_rules;
pub mod bucket_without_mfa_delete;
pub mod bucket_without_object_lock;
pub mod versioned_bucket_keeps_noncurrent_versions;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &bucket_allows_plain_http::RULE,
    &bucket_public_access_not_blocked::RULE,
    &bucket_policy_grants_public_access::RULE,
    &bucket_not_encrypted_with_kms::RULE,
    &bucket_without_intelligent_tiering::RULE,
    &account_public_access_not_blocked::RULE,
    &bucket_policy_lets_other_accounts_change_access::RULE,
    &bucket_without_access_logging::RULE,
    &bucket_uses_acls::RULE,
    &bucket_without_lifecycle_rules::RULE,
    &bucket_not_replicated::RULE,
    &versioned_bucket_keeps_noncurrent_versions::RULE,
    &bucket_without_event_notifications::RULE,
    &bucket_versioning_disabled::RULE,
    &bucket_without_object_lock::RULE,
    &bucket_without_mfa_delete::RULE,
    &access_point_public_access_not_blocked::RULE,
];

/// `PublicAccessBlockConfiguration` with all four settings on, as the fixes of S3-002 and S3-017
/// write it.
pub(crate) fn all_public_access_blocked() -> crate::fix::Code {
    use crate::fix::Code;
    let on = || Code::bool(true);
    Code::map(vec![(
        "PublicAccessBlockConfiguration",
        Code::map(vec![
            ("BlockPublicAcls", on()),
            ("BlockPublicPolicy", on()),
            ("IgnorePublicAcls", on()),
            ("RestrictPublicBuckets", on()),
        ]),
    )])
}
