//! S3-016: the bucket requires MFA to delete versions (live only; off by default).

use sensei_model::s3::{Bucket, VersioningStatus};
use sensei_model::{Inventory, Setting, Syntax};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity, Snippet};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-016",
        slug: "bucket-without-mfa-delete",
        title: "S3 bucket requires MFA to delete object versions",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::Low,
        level: 5,
        aliases: &["S3.20"],
        options: &[],
        needs_live_data: true,
        reads: &[Fact::Buckets],
        enabled_by_default: false,
        docs: include_str!("bucket_without_mfa_delete.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        if bucket.resource.syntax != Syntax::Live {
            out.skip(
                &bucket.resource,
                "CloudFormation cannot turn on MFA delete (only the root user can, with the AWS CLI or API): scan the live account to check it",
            );
            continue;
        }
        match (&bucket.versioning_status, &bucket.mfa_delete) {
            (Setting::Unknown(why), _) => out.unknown(&bucket.resource, None, format!("versioning: {why}")),
            (_, Setting::Unknown(why)) => out.unknown(&bucket.resource, None, format!("MFA delete: {why}")),
            (Setting::Known(Some(VersioningStatus::Enabled), _), Setting::Known(true, _)) => {
                out.pass(&bucket.resource, "deleting a version or suspending versioning needs MFA")
            }
            (Setting::Known(Some(VersioningStatus::Enabled), _), Setting::Known(false, _)) => out.fail(
                &bucket.resource,
                None,
                "MFA delete is off: anyone with the permission can delete versions or suspend versioning",
                fix(bucket),
            ),
            (Setting::Known(_, _), _) => out.fail(
                &bucket.resource,
                None,
                "versioning is off, so MFA delete is off too: deletes are final",
                fix(bucket),
            ),
        }
    }
}

fn fix(bucket: &Bucket) -> Fix {
    let name = bucket.bucket_name.known().map_or("BUCKET", String::as_str);
    Fix {
        summary:
            "As the root user, with its MFA device, turn on versioning with MFA delete (no template or IAM user can)."
                .to_string(),
        snippet: Some(Snippet {
            language: "shell",
            code: format!(
                "aws s3api put-bucket-versioning --bucket {name} \\\n  --versioning-configuration Status=Enabled,MFADelete=Enabled \\\n  --mfa 'arn:aws:iam::ACCOUNT_ID:mfa/root-account-mfa-device 123456'"
            ),
        }),
    }
}
