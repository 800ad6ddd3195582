//! COGNITO-004: the identity pool gives credentials to signed-in users only.

use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "COGNITO-004",
        slug: "identity-pool-allows-unauthenticated",
        title: "Cognito identity pool gives AWS credentials to signed-in users only",
        service: Service::Cognito,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 2,
        aliases: &["Cognito.2"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::IdentityPools],
        enabled_by_default: true,
        docs: include_str!("identity_pool_allows_unauthenticated.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for pool in &inventory.identity_pools {
        match &pool.allow_unauthenticated_identities {
            Setting::Unknown(why) => {
                out.unknown(&pool.resource, None, crate::rules::apigateway::about("AllowUnauthenticatedIdentities", why))
            }
            Setting::Known(false, _) => out.pass(&pool.resource, "only signed-in users get AWS credentials"),
            Setting::Known(true, _) => out.fail(
                &pool.resource,
                pool.allow_unauthenticated_identities.location(),
                "`AllowUnauthenticatedIdentities` is true: anyone who knows the pool id gets AWS credentials for its unauthenticated role",
                Fix {
                    summary: "Give credentials to signed-in users only (or keep guest access and scope the unauthenticated role to the least it needs).".to_string(),
                    snippet: Some((Code::map(vec![("AllowUnauthenticatedIdentities", Code::bool(false))])).snippet(pool.resource.syntax)),
                },
            ),
        }
    }
}
