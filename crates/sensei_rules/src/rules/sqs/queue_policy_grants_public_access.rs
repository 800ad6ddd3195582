//! SQS-003: the queue policy grants nothing to the public.

use sensei_model::Inventory;

use super::common;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

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
        reads: &[Fact::Queues],
        enabled_by_default: true,
        docs: include_str!("queue_policy_grants_public_access.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for queue in &inventory.queues {
        let target = common::PolicyTarget {
            resource: &queue.resource,
            noun: "queue",
            service: "sqs",
            name: queue.queue_name.known().and_then(|n| n.as_deref()),
            arns: queue.arns_for_policy(),
            without_policy: "no queue policy, so it grants nothing",
        };
        let policies = queue.policies.as_ref().map(|list| {
            list.iter().map(|p| common::Attached { resource: &p.resource, document: &p.policy_document }).collect()
        });
        common::check_public_policies(out, &target, &policies);
    }
}
