//! COGNITO-005: the user pool's password policy is strong (Security Hub Cognito.3).

use sensei_model::{Inventory, Setting};

use super::{password_fix, password_policy, policy_location};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "COGNITO-005",
        slug: "user-pool-weak-password-policy",
        title: "Cognito user pool has a strong password policy",
        service: Service::Cognito,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 2,
        aliases: &["Cognito.3"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::UserPools],
        enabled_by_default: true,
        docs: include_str!("user_pool_weak_password_policy.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for pool in &inventory.user_pools {
        let (policy, default) = match password_policy(pool) {
            Ok(p) => p,
            Err(why) => {
                out.unknown(&pool.resource, None, why);
                continue;
            }
        };
        let mut weak = Vec::new();
        let mut unknown = None;
        match &policy.minimum_length {
            Setting::Known(n, _) if *n < 8 => weak.push(format!("`MinimumLength` is {n}, under 8")),
            Setting::Known(_, _) => {}
            Setting::Unknown(why) => unknown = Some(crate::rules::apigateway::about("MinimumLength", why)),
        }
        for (name, setting) in [
            ("RequireUppercase", &policy.require_uppercase),
            ("RequireLowercase", &policy.require_lowercase),
            ("RequireNumbers", &policy.require_numbers),
            ("RequireSymbols", &policy.require_symbols),
        ] {
            match setting {
                Setting::Known(false, prov) if *prov == sensei_model::Provenance::Default => {
                    weak.push(format!("`{name}` is absent (false)"))
                }
                Setting::Known(false, _) => weak.push(format!("`{name}` is false")),
                Setting::Known(true, _) => {}
                Setting::Unknown(why) => unknown = Some(crate::rules::apigateway::about(name, why)),
            }
        }
        match &policy.temporary_password_validity_days {
            Setting::Known(days, _) if *days > 7 => weak.push(format!("temporary passwords last {days} days, over 7")),
            Setting::Known(_, _) => {}
            Setting::Unknown(why) => {
                unknown = Some(crate::rules::apigateway::about("TemporaryPasswordValidityDays", why))
            }
        }
        if !weak.is_empty() {
            let length = policy.minimum_length.known().copied().unwrap_or(8).max(8);
            out.fail(
                &pool.resource,
                policy_location(policy),
                format!("the password policy is weak: {}", weak.join(", ")),
                password_fix(
                    pool,
                    vec![
                        ("MinimumLength", Code::number(length)),
                        ("RequireUppercase", Code::bool(true)),
                        ("RequireLowercase", Code::bool(true)),
                        ("RequireNumbers", Code::bool(true)),
                        ("RequireSymbols", Code::bool(true)),
                        ("TemporaryPasswordValidityDays", Code::number(7)),
                    ],
                    "Require at least 8 characters from all four classes, and temporary passwords valid 7 days at most.".to_string(),
                ),
            );
        } else if let Some(why) = unknown {
            out.unknown(&pool.resource, policy_location(policy), why);
        } else if default {
            out.pass(
                &pool.resource,
                "no password policy: Cognito's default requires 8 characters from all four classes",
            );
        } else {
            out.pass(
                &pool.resource,
                "passwords need 8 characters or more from all four classes; temporary ones last 7 days at most",
            );
        }
    }
}
