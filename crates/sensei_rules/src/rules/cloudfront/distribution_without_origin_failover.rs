//! CF-005: a distribution fails over between origins (an origin group).

use sensei_model::{Inventory, Setting};

use super::{config_code, fix};
use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-005",
        slug: "distribution-without-origin-failover",
        title: "CloudFront distribution fails over to a second origin",
        service: Service::CloudFront,
        categories: &[Category::Stability],
        severity: Severity::Low,
        level: 5,
        aliases: &["CloudFront.4"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: false,
        docs: include_str!("distribution_without_origin_failover.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        match &d.origin_groups {
            Setting::Unknown(why) => {
                out.unknown(&d.resource, None, crate::rules::apigateway::about("OriginGroups", why))
            }
            Setting::Known(groups, _) if !groups.is_empty() => {
                let ids: Vec<String> = groups.iter().filter_map(|g| g.id.known().cloned().flatten()).collect();
                out.pass(&d.resource, format!("fails over within origin group {}", ids.join(", ")))
            }
            Setting::Known(_, _) => {
                let primary = d
                    .known_origins()
                    .ok()
                    .and_then(|o| o.first())
                    .and_then(|o| o.id.known().cloned().flatten())
                    .unwrap_or_else(|| "primary".to_string());
                let replica = format!("{primary}-replica");
                let group = Code::map(vec![
                    ("Quantity", Code::number(1)),
                    (
                        "Items",
                        Code::List(vec![Code::map(vec![
                            ("Id", lit(&format!("{primary}-with-failover"))),
                            (
                                "FailoverCriteria",
                                Code::map(vec![(
                                    "StatusCodes",
                                    Code::map(vec![
                                        ("Quantity", Code::number(3)),
                                        (
                                            "Items",
                                            Code::List(vec![Code::number(500), Code::number(502), Code::number(503)]),
                                        ),
                                    ]),
                                )]),
                            ),
                            (
                                "Members",
                                Code::map(vec![
                                    ("Quantity", Code::number(2)),
                                    (
                                        "Items",
                                        Code::List(vec![
                                            Code::map(vec![("OriginId", lit(&primary))]),
                                            Code::map(vec![("OriginId", lit(&replica))]),
                                        ]),
                                    ),
                                ]),
                            ),
                        ])]),
                    ),
                ]);
                out.fail(
                    &d.resource,
                    None,
                    "no `OriginGroups`: when the origin fails, viewers get errors instead of a second origin's copy",
                    fix(
                        format!("Add an origin `{replica}` (e.g. a bucket replicated to another region), group it with `{primary}`, and point the behaviors' `TargetOriginId` at the group."),
                        &config_code(vec![("OriginGroups", group)]),
                        d.resource.syntax,
                    ),
                )
            }
        }
    }
}
