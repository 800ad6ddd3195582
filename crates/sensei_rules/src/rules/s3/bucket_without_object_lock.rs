//! S3-015: the bucket has Object Lock enabled (off by default).

use sensei_model::s3::Bucket;
use sensei_model::{Inventory, Provenance, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-015",
        slug: "bucket-without-object-lock",
        title: "S3 bucket has Object Lock enabled",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 5,
        aliases: &["S3.15"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketObjectLock],
        enabled_by_default: false,
        docs: include_str!("bucket_without_object_lock.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        match &bucket.object_lock_enabled {
            Setting::Unknown(why) => out.unknown(&bucket.resource, None, format!("Object Lock: {why}")),
            Setting::Known(true, _) => out.pass(&bucket.resource, "Object Lock is enabled"),
            Setting::Known(false, prov) => {
                let why = if matches!(prov, Provenance::Default) {
                    "no `ObjectLockEnabled`: Object Lock is off (the default)"
                } else {
                    "`ObjectLockEnabled` is false"
                };
                out.fail(
                    &bucket.resource,
                    bucket.object_lock_enabled.location(),
                    format!("{why}, so whoever has the permission can delete any version"),
                    fix(bucket),
                );
            }
        }
    }
}

fn fix(bucket: &Bucket) -> Fix {
    let code = Code::map(vec![
        ("ObjectLockEnabled", Code::bool(true)),
        (
            "ObjectLockConfiguration",
            Code::map(vec![
                ("ObjectLockEnabled", Code::text("Enabled")),
                (
                    "Rule",
                    Code::map(vec![(
                        "DefaultRetention",
                        Code::map(vec![("Mode", Code::text("GOVERNANCE")), ("Days", Code::number(30))]),
                    )]),
                ),
            ]),
        ),
        ("VersioningConfiguration", Code::map(vec![("Status", Code::text("Enabled"))])),
    ]);
    let snippet = code.snippet(bucket.resource.syntax);
    Fix {
        summary: "Enable Object Lock with a default retention; CloudFormation can only set it when it creates the bucket, so this replaces an existing bucket (copy its objects over first).".to_string(),
        snippet: Some(snippet),
    }
}
