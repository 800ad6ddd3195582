//! S3-014: the bucket has versioning enabled.

use sensei_model::s3::{Bucket, VersioningStatus};
use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-014",
        slug: "bucket-versioning-disabled",
        title: "S3 bucket has versioning enabled",
        service: Service::S3,
        categories: &[Category::Stability],
        severity: Severity::Low,
        level: 3,
        aliases: &["S3.14"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketVersioning],
        enabled_by_default: false,
        docs: include_str!("bucket_versioning_disabled.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        let at = bucket.versioning_status.location();
        match &bucket.versioning_status {
            Setting::Unknown(why) => out.unknown(&bucket.resource, None, format!("versioning: {why}")),
            Setting::Known(Some(VersioningStatus::Enabled), _) => out.pass(&bucket.resource, "versioning is enabled"),
            Setting::Known(Some(VersioningStatus::Suspended), _) => out.fail(
                &bucket.resource,
                at,
                "versioning is `Suspended`: an overwrite or a delete now destroys the object for good",
                fix(bucket),
            ),
            Setting::Known(Some(VersioningStatus::Other(status)), _) => out.fail(
                &bucket.resource,
                at,
                format!("versioning `Status` is `{status}`, which is not `Enabled`"),
                fix(bucket),
            ),
            Setting::Known(None, _) => out.fail(
                &bucket.resource,
                None,
                "no `VersioningConfiguration`: versioning is off, so an overwrite or a delete destroys the object for good",
                fix(bucket),
            ),
        }
    }
}

fn fix(bucket: &Bucket) -> Fix {
    let code = Code::map(vec![("VersioningConfiguration", Code::map(vec![("Status", Code::text("Enabled"))]))]);
    Fix {
        summary: "Turn versioning on, and add a lifecycle rule that expires noncurrent versions (S3-012) so old versions do not pile up.".to_string(),
        snippet: Some(code.snippet(bucket.resource.syntax)),
    }
}
