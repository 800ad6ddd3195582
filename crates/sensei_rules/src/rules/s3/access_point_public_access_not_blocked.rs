//! S3-017: every access point and Multi-Region Access Point blocks all public access.

use std::collections::HashSet;

use sensei_model::s3::{AccessPoint, AccessPointKind};
use sensei_model::{Inventory, Provenance, Setting};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-017",
        slug: "access-point-public-access-not-blocked",
        title: "S3 access point blocks all public access",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::Critical,
        level: 1,
        aliases: &["S3.19", "S3.24"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets],
        enabled_by_default: true,
        docs: include_str!("access_point_public_access_not_blocked.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    // A Multi-Region Access Point appears under each of its buckets: report it once.
    let mut seen = HashSet::new();
    let mut points = Vec::new();
    for bucket in &inventory.buckets {
        match &bucket.access_points {
            Setting::Known(list, _) => points.extend(list),
            Setting::Unknown(why) => out.unknown(&bucket.resource, None, format!("the access points: {why}")),
        }
    }
    for point in points {
        if !seen.insert(point.resource.id.clone()) {
            continue;
        }
        let config = &point.public_access_block_configuration;
        let block = match config {
            Setting::Unknown(why) => {
                out.unknown(&point.resource, None, format!("Block Public Access: {why}"));
                continue;
            }
            Setting::Known(None, Provenance::Default) => {
                out.pass(
                    &point.resource,
                    "no `PublicAccessBlockConfiguration`: S3 turns on all four settings for new access points",
                );
                continue;
            }
            Setting::Known(None, _) => {
                out.fail(&point.resource, None, "Block Public Access is off: no setting is turned on", fix(point));
                continue;
            }
            Setting::Known(Some(block), _) => block,
        };
        match block.settings_off() {
            Err((_, why)) => out.unknown(&point.resource, config.location(), format!("Block Public Access: {why}")),
            Ok(off) if off.is_empty() => out.pass(&point.resource, "all four Block Public Access settings are on"),
            Ok(off) => {
                let message = format!(
                    "Block Public Access is not complete: {} {} off",
                    off.join(", "),
                    if off.len() == 1 { "is" } else { "are" }
                );
                out.fail(&point.resource, config.location(), message, fix(point));
            }
        }
    }
}

fn fix(point: &AccessPoint) -> Fix {
    let code = super::all_public_access_blocked();
    let snippet = code.snippet(point.resource.syntax);
    let what = match point.kind {
        AccessPointKind::Regional => "access point",
        AccessPointKind::MultiRegion => "Multi-Region Access Point",
    };
    Fix {
        summary: format!(
            "Set all four settings in the {what}'s `Properties` (or remove the configuration: all four are on by default). S3 cannot change them on an existing {what}, so CloudFormation replaces it."
        ),
        snippet: Some(snippet),
    }
}
