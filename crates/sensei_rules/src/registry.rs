//! Every rule of sensei, sorted by id. A test checks this list against the rule files.

use crate::Rule;
use crate::rules::s3;

pub static ALL: &[&Rule] = &[
    &s3::bucket_allows_plain_http::RULE,
    &s3::bucket_public_access_not_blocked::RULE,
    &s3::bucket_policy_grants_public_access::RULE,
    &s3::bucket_not_encrypted_with_kms::RULE,
];

/// The rule with this id, slug or alias (case-insensitive).
pub fn find(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| {
        r.meta.id.eq_ignore_ascii_case(name)
            || r.meta.slug.eq_ignore_ascii_case(name)
            || r.meta.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}
