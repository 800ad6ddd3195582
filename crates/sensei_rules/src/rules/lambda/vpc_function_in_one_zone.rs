//! LAMBDA-016: a function in a VPC has subnets in at least two Availability Zones.

use std::collections::BTreeSet;

use sensei_model::lambda::AvailabilityZone;
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::{in_function, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-016",
        slug: "vpc-function-in-one-zone",
        title: "Lambda function in a VPC spans at least two Availability Zones",
        service: Service::Lambda,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 3,
        aliases: &["Lambda.5"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions],
        enabled_by_default: true,
        docs: include_str!("vpc_function_in_one_zone.md"),
    },
    check,
};

/// The kind of name a zone has: zones are compared only with zones named the same way.
fn kind(zone: &AvailabilityZone) -> u8 {
    match zone {
        AvailabilityZone::Name(_) => 0,
        AvailabilityZone::Id(_) => 1,
        AvailabilityZone::NthOfRegion(_) => 2,
    }
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for function in &inventory.functions {
        let r = &function.resource;
        match &function.in_vpc {
            Setting::Unknown(why) => {
                out.unknown(r, None, unknown_because("VpcConfig", why));
                continue;
            }
            Setting::Known(false, _) => {
                out.skip(r, "not attached to a VPC");
                continue;
            }
            Setting::Known(true, _) => {}
        }
        let subnets = match &function.subnets {
            Setting::Known(list, _) => list,
            Setting::Unknown(why) => {
                out.unknown(r, None, format!("the subnets are unknown: {why}"));
                continue;
            }
        };
        let mut zones: BTreeSet<(u8, String)> = BTreeSet::new();
        let mut unknown = None;
        for subnet in subnets {
            match &subnet.availability_zone {
                Setting::Known(zone, _) => {
                    zones.insert((kind(zone), zone.to_string()));
                }
                Setting::Unknown(why) => {
                    unknown.get_or_insert_with(|| why.clone());
                }
            }
        }
        let most = (0..3).map(|k| zones.iter().filter(|(z, _)| *z == k).count()).max().unwrap_or(0);
        let names: Vec<&str> = zones.iter().map(|(_, n)| n.as_str()).collect();
        if most >= 2 {
            out.pass(r, format!("its subnets span {most} Availability Zones ({})", names.join(", ")));
            continue;
        }
        if let Some(why) = unknown {
            out.unknown(r, function.subnets.location(), format!("the Availability Zone of a subnet is unknown: {why}"));
            continue;
        }
        if zones.len() > 1 {
            out.unknown(
                r,
                function.subnets.location(),
                format!(
                    "the zones are named in different ways ({}), so whether they differ is unknown",
                    names.join(", ")
                ),
            );
            continue;
        }
        let zone = names.first().copied().unwrap_or("one zone");
        let which = match subnets.len() {
            1 => "its only subnet is".to_string(),
            n => format!("{} of its subnets are", super::all(n)),
        };
        let message = format!("{which} in {zone}: if that Availability Zone fails, the function cannot run");
        let existing: Vec<Code> = subnets
            .iter()
            .map(|s| match s.subnet_id.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
                Some(id) if r.syntax != Syntax::Live => Code::Expr(Expr::Ref(id.to_string())),
                _ => Code::text(&s.subnet_id),
            })
            .chain(std::iter::once(match r.syntax {
                Syntax::Live => Code::text("subnet-in-another-zone"),
                _ => Code::Expr(Expr::Ref("SubnetInAnotherZone".to_string())),
            }))
            .collect();
        let code = Code::map(vec![("VpcConfig", Code::map(vec![("SubnetIds", Code::List(existing))]))]);
        let fix = Fix {
            summary: format!(
                "In {}, add a subnet of another Availability Zone to `VpcConfig.SubnetIds` (keep `SecurityGroupIds` as they are).",
                in_function(function)
            ),
            snippet: Some(code.snippet(r.syntax)),
        };
        out.fail(r, function.subnets.location(), message, fix);
    }
}
