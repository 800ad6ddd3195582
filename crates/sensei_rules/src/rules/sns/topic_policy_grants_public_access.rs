//! SNS-003: the topic policy grants nothing to the public.

use sensei_model::Inventory;

use crate::rules::sqs::common;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

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
        reads: &[Fact::Topics],
        enabled_by_default: true,
        docs: include_str!("topic_policy_grants_public_access.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for topic in &inventory.topics {
        let target = common::PolicyTarget {
            resource: &topic.resource,
            noun: "topic",
            service: "sns",
            name: topic.topic_name.known().and_then(|n| n.as_deref()),
            arns: topic.arns_for_policy(),
            without_policy: "no topic policy: the default one lets only this account use the topic",
        };
        let policies = topic.policies.as_ref().map(|list| {
            list.iter().map(|p| common::Attached { resource: &p.resource, document: &p.policy_document }).collect()
        });
        common::check_public_policies(out, &target, &policies);
    }
}
