//! COGNITO-003: the user pool blocks risky sign-ins (threat protection in enforced mode).

use sensei_model::cognito::AdvancedSecurityMode;
use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "COGNITO-003",
        slug: "user-pool-threat-protection-not-enforced",
        title: "Cognito user pool enforces threat protection",
        service: Service::Cognito,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 4,
        aliases: &["Cognito.1"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::UserPools],
        enabled_by_default: false,
        docs: include_str!("user_pool_threat_protection_not_enforced.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for pool in &inventory.user_pools {
        match &pool.advanced_security_mode {
            Setting::Unknown(why) => out.unknown(
                &pool.resource,
                None,
                crate::rules::apigateway::about("UserPoolAddOns.AdvancedSecurityMode", why),
            ),
            Setting::Known(AdvancedSecurityMode::Enforced, _) => {
                out.pass(&pool.resource, "threat protection blocks risky sign-ins (ENFORCED)")
            }
            Setting::Known(mode, prov) => {
                let why = match (mode, prov) {
                    (_, sensei_model::Provenance::Default) => {
                        "no `UserPoolAddOns.AdvancedSecurityMode`: threat protection is off".to_string()
                    }
                    (AdvancedSecurityMode::Audit, _) => {
                        "threat protection is in AUDIT mode: risky sign-ins are logged, not blocked".to_string()
                    }
                    (m, _) => format!("`AdvancedSecurityMode` is {}: threat protection is off", m.as_str()),
                };
                let code = Code::map(vec![
                    ("UserPoolTier", lit("PLUS")),
                    ("UserPoolAddOns", Code::map(vec![("AdvancedSecurityMode", lit("ENFORCED"))])),
                ]);
                out.fail(
                    &pool.resource,
                    pool.advanced_security_mode.location(),
                    why,
                    Fix {
                        summary: "Turn on threat protection in enforced mode (it needs the Plus feature plan, billed per monthly active user).".to_string(),
                        snippet: Some(code.snippet(pool.resource.syntax)),
                    },
                );
            }
        }
    }
}
