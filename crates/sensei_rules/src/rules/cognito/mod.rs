//! Amazon Cognito rules.

pub mod identity_pool_allows_unauthenticated;
pub mod user_pool_allows_short_passwords;
pub mod user_pool_sign_in_case_sensitive;
pub mod user_pool_threat_protection_not_enforced;
pub mod user_pool_weak_password_policy;

use sensei_model::cognito::{PasswordPolicy, UserPool};
use sensei_model::{Location, Provenance, Setting};

use crate::Fix;
use crate::fix::Code;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &user_pool_allows_short_passwords::RULE,
    &user_pool_sign_in_case_sensitive::RULE,
    &user_pool_threat_protection_not_enforced::RULE,
    &identity_pool_allows_unauthenticated::RULE,
    &user_pool_weak_password_policy::RULE,
];

/// The pool's password policy, or why it is unknown.
pub(crate) fn password_policy(pool: &UserPool) -> Result<(&PasswordPolicy, bool), String> {
    match &pool.password_policy {
        Setting::Known(p, prov) => Ok((p, *prov == Provenance::Default)),
        Setting::Unknown(why) => Err(crate::rules::apigateway::about("Policies.PasswordPolicy", why)),
    }
}

/// Where a password policy finding points: the policy, else the pool.
pub(crate) fn policy_location(policy: &PasswordPolicy) -> Option<&Location> {
    policy.location.as_ref()
}

/// `Policies.PasswordPolicy` with `settings`.
pub(crate) fn password_fix(pool: &UserPool, settings: Vec<(&'static str, Code)>, summary: String) -> Fix {
    let code = Code::map(vec![("Policies", Code::map(vec![("PasswordPolicy", Code::map(settings))]))]);
    Fix { summary, snippet: Some(code.snippet(pool.resource.syntax)) }
}
