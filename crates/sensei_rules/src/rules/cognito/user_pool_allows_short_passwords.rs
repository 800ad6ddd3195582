//! COGNITO-001: the user pool requires long passwords.

use sensei_model::{Inventory, Setting};

use super::{password_fix, password_policy, policy_location};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Rule, RuleMeta, RuleOption, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "COGNITO-001",
        slug: "user-pool-allows-short-passwords",
        title: "Cognito user pool requires long passwords",
        service: Service::Cognito,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 3,
        aliases: &["cognitoEnforceLongPasswords"],
        options: &[RuleOption {
            key: "min_length",
            default: 10,
            doc: "the shortest password length that passes, in characters",
        }],
        needs_live_data: false,
        reads: &[Fact::UserPools],
        enabled_by_default: true,
        docs: include_str!("user_pool_allows_short_passwords.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let min = out.option("min_length").clamp(6, 99);
    for pool in &inventory.user_pools {
        let (policy, default) = match password_policy(pool) {
            Ok(p) => p,
            Err(why) => {
                out.unknown(&pool.resource, None, why);
                continue;
            }
        };
        match &policy.minimum_length {
            Setting::Unknown(why) => out.unknown(
                &pool.resource,
                policy_location(policy),
                crate::rules::apigateway::about("MinimumLength", why),
            ),
            Setting::Known(n, _) if i64::from(*n) >= min => {
                out.pass(&pool.resource, format!("passwords have at least {n} characters"))
            }
            Setting::Known(n, prov) => {
                let why = if default {
                    format!("no password policy: Cognito's default accepts passwords of {n} characters")
                } else if *prov == sensei_model::Provenance::Default {
                    format!("the password policy sets no `MinimumLength`, so {n} characters are enough")
                } else {
                    format!("`MinimumLength` is {n}")
                };
                out.fail(
                    &pool.resource,
                    policy.minimum_length.location().or(policy_location(policy)),
                    format!("{why}; at least {min} are required"),
                    password_fix(
                        pool,
                        vec![("MinimumLength", Code::number(min))],
                        format!("Require passwords of at least {min} characters (existing users keep theirs until they change it)."),
                    ),
                );
            }
        }
    }
}
