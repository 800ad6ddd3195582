//! S3-006: the account turns on all four S3 Block Public Access settings (live only).

use sensei_model::{Inventory, ResourceRef, ResourceType, Setting, Syntax};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity, Snippet};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-006",
        slug: "account-public-access-not-blocked",
        title: "AWS account blocks all public access to S3",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 1,
        aliases: &["S3.1"],
        options: &[],
        needs_live_data: true,
        reads: &[Fact::Buckets],
        enabled_by_default: true,
        docs: include_str!("account_public_access_not_blocked.md"),
    },
    check,
};

/// One finding per source, about the account, when the source holds a bucket.
fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let Some(bucket) = inventory.buckets.first() else { return };
    let account = ResourceRef {
        id: "account".to_string(),
        resource_type: ResourceType::new("AWS::::Account"),
        location: None,
        generated_from: None,
        syntax: bucket.resource.syntax,
        suppressions: Vec::new(),
        live: bucket.resource.live.clone(),
    };
    if bucket.resource.syntax != Syntax::Live {
        out.skip(
            &account,
            "account-level Block Public Access is a setting of the AWS account, which no template declares: \
             scan the live account to check it",
        );
        return;
    }
    match &bucket.account_public_access_block {
        Setting::Unknown(why) => out.unknown(&account, None, format!("account-level Block Public Access: {why}")),
        Setting::Known(None, _) => out.fail(
            &account,
            None,
            "the account has no Block Public Access configuration: every setting is off",
            fix(),
        ),
        Setting::Known(Some(block), _) => match block.settings_off() {
            Err((_, why)) => out.unknown(&account, None, format!("account-level Block Public Access: {why}")),
            Ok(off) if off.is_empty() => {
                out.pass(&account, "all four account-level Block Public Access settings are on")
            }
            Ok(off) => out.fail(
                &account,
                None,
                format!(
                    "account-level Block Public Access is not complete: {} {} off",
                    off.join(", "),
                    if off.len() == 1 { "is" } else { "are" }
                ),
                fix(),
            ),
        },
    }
}

fn fix() -> Fix {
    Fix {
        summary: "Turn on the four Block Public Access settings for the whole account (buckets that must be public \
                  belong in an account of their own)."
            .to_string(),
        snippet: Some(Snippet {
            language: "shell",
            code: "aws s3control put-public-access-block --account-id ACCOUNT_ID \\\n  \
                   --public-access-block-configuration \
                   BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
                .to_string(),
        }),
    }
}
