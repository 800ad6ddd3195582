//! S3-010: the bucket has lifecycle rules.

use sensei_model::s3::{Bucket, RuleStatus, VersioningStatus};
use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-010",
        slug: "bucket-without-lifecycle-rules",
        title: "S3 bucket has lifecycle rules",
        service: Service::S3,
        categories: &[Category::Sustainability, Category::Savings],
        severity: Severity::Low,
        level: 2,
        aliases: &["S3.13"],
        options: &[],
        needs_live_data: false,
        reads: &[
            Fact::Buckets,
            Fact::BucketPolicy,
            Fact::BucketVersioning,
            Fact::BucketLifecycle,
            Fact::BucketLogging,
            Fact::BucketAcl,
        ],
        enabled_by_default: true,
        docs: include_str!("bucket_without_lifecycle_rules.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for (bucket, log) in inventory.buckets.iter().zip(inventory.log_buckets()) {
        let rules = match &bucket.lifecycle_configuration {
            Setting::Unknown(why) => {
                out.unknown(&bucket.resource, None, format!("lifecycle configuration: {why}"));
                continue;
            }
            Setting::Known(rules, _) => rules,
        };
        let mut enabled = Vec::new();
        let mut unknown = None;
        for (i, rule) in rules.iter().enumerate() {
            match &rule.status {
                Setting::Known(RuleStatus::Enabled, _) => enabled.push(rule.name(i)),
                Setting::Known(_, _) => {}
                Setting::Unknown(why) => {
                    unknown.get_or_insert((format!("lifecycle rule {}: {why}", rule.name(i)), rule));
                }
            }
        }
        if !enabled.is_empty() {
            let (s, are) = if enabled.len() == 1 { ("", "is") } else { ("s", "are") };
            out.pass(&bucket.resource, format!("lifecycle rule{s} {} {are} enabled", enabled.join(", ")));
        } else if let Some((why, rule)) = unknown {
            out.unknown(&bucket.resource, rule.location.as_ref(), why);
        } else if rules.is_empty() {
            out.fail(
                &bucket.resource,
                None,
                "no `LifecycleConfiguration`: every object and every upload left unfinished is kept in S3 Standard until someone deletes it",
                fix(bucket, log.is_some()),
            );
        } else {
            out.fail(
                &bucket.resource,
                bucket.lifecycle_configuration.location(),
                "no lifecycle rule is `Enabled`: the bucket keeps every object in S3 Standard until someone deletes it",
                fix(bucket, log.is_some()),
            );
        }
    }
}

fn fix(bucket: &Bucket, log_bucket: bool) -> Fix {
    let mut rule = vec![("Status", Code::text("Enabled"))];
    if log_bucket {
        rule.insert(0, ("Id", Code::text("ExpireLogs")));
        rule.push(("ExpirationInDays", Code::number(365)));
    } else {
        rule.insert(0, ("Id", Code::text("TierAndClean")));
        rule.push((
            "Transitions",
            Code::List(vec![Code::map(vec![
                ("StorageClass", Code::text("INTELLIGENT_TIERING")),
                ("TransitionInDays", Code::number(0)),
            ])]),
        ));
    }
    rule.push(("AbortIncompleteMultipartUpload", Code::map(vec![("DaysAfterInitiation", Code::number(7))])));
    if matches!(bucket.versioning_status, Setting::Known(Some(VersioningStatus::Enabled), _)) {
        rule.push(("NoncurrentVersionExpiration", Code::map(vec![("NoncurrentDays", Code::number(30))])));
    }
    let code =
        Code::map(vec![("LifecycleConfiguration", Code::map(vec![("Rules", Code::List(vec![Code::map(rule)]))]))]);
    let snippet = code.snippet(bucket.resource.syntax);
    let summary = if log_bucket {
        "Set a lifecycle configuration in the bucket's `Properties` (or replace its disabled rules): this one deletes logs after a year and the parts of abandoned uploads after a week."
    } else {
        "Set a lifecycle configuration in the bucket's `Properties` (or replace its disabled rules): this one lets S3 move objects to cheaper tiers as they cool and deletes the parts of abandoned uploads after a week."
    };
    Fix { summary: summary.to_string(), snippet: Some(snippet) }
}
