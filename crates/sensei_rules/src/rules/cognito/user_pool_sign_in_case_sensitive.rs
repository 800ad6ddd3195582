//! COGNITO-002: users sign in whatever the case of their user name.

use sensei_model::{Inventory, Provenance, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "COGNITO-002",
        slug: "user-pool-sign-in-case-sensitive",
        title: "Cognito user pool signs users in whatever the case of their user name",
        service: Service::Cognito,
        categories: &[Category::Stability],
        severity: Severity::Low,
        level: 5,
        aliases: &["cognitoSignInCaseInsensitivity"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::UserPools],
        enabled_by_default: true,
        docs: include_str!("user_pool_sign_in_case_sensitive.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for pool in &inventory.user_pools {
        match &pool.username_case_sensitive {
            Setting::Unknown(why) => out.unknown(
                &pool.resource,
                None,
                crate::rules::apigateway::about("UsernameConfiguration.CaseSensitive", why),
            ),
            Setting::Known(false, _) => out.pass(&pool.resource, "user names and emails are case insensitive"),
            Setting::Known(true, prov) => {
                let why = if *prov == Provenance::Default {
                    "no `UsernameConfiguration.CaseSensitive`: Cognito's default is case sensitive"
                } else {
                    "`UsernameConfiguration.CaseSensitive` is true"
                };
                let code =
                    Code::map(vec![("UsernameConfiguration", Code::map(vec![("CaseSensitive", Code::bool(false))]))]);
                out.fail(
                    &pool.resource,
                    pool.username_case_sensitive.location(),
                    format!("{why}, so `Jane@example.com` and `jane@example.com` are two users, and users who type their name in another case cannot sign in"),
                    Fix {
                        summary: "Make sign-in case insensitive. The setting cannot change on an existing pool: CloudFormation replaces the pool, so its users must be migrated (e.g. with a user migration trigger).".to_string(),
                        snippet: Some(code.snippet(pool.resource.syntax)),
                    },
                );
            }
        }
    }
}
