//! S3-002: the bucket turns on all four Block Public Access settings.

use sensei_model::{Inventory, Provenance, Setting};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-002",
        slug: "bucket-public-access-not-blocked",
        title: "S3 bucket blocks all public access",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 1,
        aliases: &["enableBlockPublicAccess", "S3.8"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketPublicAccessBlock],
        enabled_by_default: true,
        docs: include_str!("bucket_public_access_not_blocked.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        let config = &bucket.public_access_block_configuration;
        let block = match config {
            Setting::Unknown(why) => {
                out.unknown(&bucket.resource, None, format!("`PublicAccessBlockConfiguration` is unknown: {why}"));
                continue;
            }
            // Absent from a template: the AWS default for new buckets applies.
            Setting::Known(None, Provenance::Default) => {
                out.pass(
                    &bucket.resource,
                    "no `PublicAccessBlockConfiguration`: S3 turns on all four settings for new buckets (since April 2023)",
                );
                continue;
            }
            Setting::Known(None, _) => {
                out.fail(
                    &bucket.resource,
                    None,
                    "Block Public Access is off: no setting is turned on",
                    fix(&bucket.resource.syntax),
                );
                continue;
            }
            Setting::Known(Some(block), _) => block,
        };
        match block.settings_off() {
            Err((name, why)) => out.unknown(&bucket.resource, config.location(), format!("`{name}` is unknown: {why}")),
            Ok(off) if off.is_empty() => out.pass(&bucket.resource, "all four Block Public Access settings are on"),
            Ok(off) => {
                let message = format!(
                    "Block Public Access is not complete: {} {} off",
                    off.join(", "),
                    if off.len() == 1 { "is" } else { "are" }
                );
                out.fail(&bucket.resource, config.location(), message, fix(&bucket.resource.syntax));
            }
        }
    }
}

fn fix(syntax: &sensei_model::Syntax) -> Fix {
    let code = super::all_public_access_blocked();
    let snippet = code.snippet(*syntax);
    Fix {
        summary: "Set all four Block Public Access settings in the bucket's `Properties`.".to_string(),
        snippet: Some(snippet),
    }
}
