//! SNS-003: the topic policy grants nothing to the public.

use sensei_model::{Inventory, Setting};
use sensei_policy::{CallerScope, RequestSpace};

use crate::rules::sqs::common;
use crate::{Category, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SNS-003",
        slug: "topic-policy-grants-public-access",
        title: "SNS topic policy grants nothing to the public",
        service: Service::Sns,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 1,
        aliases: &["SNS.4"],
        options: &[],
        needs_live_data: false,
        enabled_by_default: true,
        docs: include_str!("topic_policy_grants_public_access.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for topic in &inventory.topics {
        let policies = match &topic.policies {
            Setting::Unknown(why) => {
                out.unknown(&topic.resource, None, why.clone());
                continue;
            }
            Setting::Known(policies, _) => policies,
        };
        if policies.is_empty() {
            out.pass(&topic.resource, "no topic policy: the default one lets only this account use the topic");
            continue;
        }
        let name = topic.topic_name.known().and_then(|n| n.as_deref());
        let mut unknown = None;
        let mut public = None;
        for policy in policies {
            match &policy.policy_document {
                Setting::Unknown(why) => unknown = Some(format!("topic policy `{}`: {why}", policy.resource.id)),
                Setting::Known(document, _) => {
                    let space = RequestSpace {
                        service: "sns".to_string(),
                        resources: common::resources_for(document, &topic.arns_for_policy(), "sns", name),
                        fixed: Vec::new(),
                        callers: CallerScope::Outsiders,
                    };
                    if let Some(grant) = common::public_grant(document, &space) {
                        public = Some((policy, grant));
                        break;
                    }
                }
            }
        }
        match (public, unknown) {
            (Some((policy, grant)), _) => {
                let fix = Fix {
                    summary: format!(
                        "In `{}`, name the principals that need the topic instead of everyone, or keep the service principal and add a condition on aws:SourceArn or aws:SourceAccount.",
                        policy.resource.id
                    ),
                    snippet: Some(common::account_principal(topic.resource.syntax).snippet(topic.resource.syntax)),
                };
                let at = policy.resource.location.as_ref();
                out.fail(&topic.resource, at, format!("topic policy `{}` {grant}", policy.resource.id), fix);
            }
            (None, Some(why)) => out.unknown(&topic.resource, None, why),
            (None, None) => {
                out.pass(&topic.resource, "the topic policy grants nothing to principals outside the account")
            }
        }
    }
}
