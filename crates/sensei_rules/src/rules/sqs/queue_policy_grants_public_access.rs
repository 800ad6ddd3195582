//! SQS-003: the queue policy grants nothing to the public.

use sensei_model::{Inventory, Setting};
use sensei_policy::{CallerScope, RequestSpace};

use super::common;
use crate::{Category, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SQS-003",
        slug: "queue-policy-grants-public-access",
        title: "SQS queue policy grants nothing to the public",
        service: Service::Sqs,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 1,
        aliases: &["SQS.3"],
        options: &[],
        needs_live_data: false,
        enabled_by_default: true,
        docs: include_str!("queue_policy_grants_public_access.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for queue in &inventory.queues {
        let policies = match &queue.policies {
            Setting::Unknown(why) => {
                out.unknown(&queue.resource, None, why.clone());
                continue;
            }
            Setting::Known(policies, _) => policies,
        };
        if policies.is_empty() {
            out.pass(&queue.resource, "no queue policy, so it grants nothing");
            continue;
        }
        let name = queue.queue_name.known().and_then(|n| n.as_deref());
        let mut unknown = None;
        let mut public = None;
        for policy in policies {
            match &policy.policy_document {
                Setting::Unknown(why) => unknown = Some(format!("queue policy `{}`: {why}", policy.resource.id)),
                Setting::Known(document, _) => {
                    let space = RequestSpace {
                        service: "sqs".to_string(),
                        resources: common::resources_for(document, &queue.arns_for_policy(), "sqs", name),
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
                        "In `{}`, name the principals that need the queue instead of everyone, or keep the service principal and add a condition on aws:SourceArn or aws:SourceAccount.",
                        policy.resource.id
                    ),
                    snippet: Some(common::account_principal(queue.resource.syntax).snippet(queue.resource.syntax)),
                };
                let at = policy.resource.location.as_ref();
                out.fail(&queue.resource, at, format!("queue policy `{}` {grant}", policy.resource.id), fix);
            }
            (None, Some(why)) => out.unknown(&queue.resource, None, why),
            (None, None) => {
                out.pass(&queue.resource, "the queue policy grants nothing to principals outside the account")
            }
        }
    }
}
