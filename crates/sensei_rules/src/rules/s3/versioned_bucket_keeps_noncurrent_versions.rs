//! S3-012: a versioned bucket expires (or archives) its noncurrent versions.

use sensei_model::s3::{Bucket, LifecycleRule, RuleStatus, VersioningStatus};
use sensei_model::{Inventory, Location, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-012",
        slug: "versioned-bucket-keeps-noncurrent-versions",
        title: "Versioned S3 bucket expires or archives noncurrent versions",
        service: Service::S3,
        categories: &[Category::Sustainability, Category::Savings],
        severity: Severity::Low,
        level: 3,
        aliases: &["S3.10"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketVersioning, Fact::BucketLifecycle],
        enabled_by_default: true,
        docs: include_str!("versioned_bucket_keeps_noncurrent_versions.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        match &bucket.versioning_status {
            Setting::Unknown(why) => {
                out.unknown(&bucket.resource, None, format!("versioning: {why}"));
                continue;
            }
            Setting::Known(Some(VersioningStatus::Enabled), _) => {}
            Setting::Known(Some(VersioningStatus::Suspended), _) => {
                out.skip(&bucket.resource, "versioning is suspended: no new noncurrent versions are made");
                continue;
            }
            Setting::Known(_, _) => {
                out.skip(&bucket.resource, "versioning is off: the bucket keeps no noncurrent versions");
                continue;
            }
        }
        let rules = match &bucket.lifecycle_configuration {
            Setting::Unknown(why) => {
                out.unknown(&bucket.resource, None, format!("lifecycle configuration: {why}"));
                continue;
            }
            Setting::Known(rules, _) => rules,
        };
        match judge(rules) {
            Verdict::Pass(message) => out.pass(&bucket.resource, message),
            Verdict::Unknown(why, at) => out.unknown(&bucket.resource, at.as_ref(), why),
            Verdict::Fail(message, at) => {
                let at = at.or_else(|| bucket.lifecycle_configuration.location().cloned());
                out.fail(&bucket.resource, at.as_ref(), message, fix(bucket, rules.is_empty()));
            }
        }
    }
}

enum Verdict {
    Pass(String),
    Unknown(String, Option<Location>),
    Fail(String, Option<Location>),
}

/// What the rule does with noncurrent versions, in words, or why that is unknown.
fn handling(rule: &LifecycleRule) -> Result<Option<String>, String> {
    match &rule.noncurrent_version_expiration_in_days {
        Setting::Known(Some(days), _) => return Ok(Some(format!("deletes noncurrent versions after {days} days"))),
        Setting::Known(None, _) => {}
        Setting::Unknown(why) => return Err(format!("noncurrent version expiration: {why}")),
    }
    match &rule.noncurrent_version_transitions {
        Setting::Known(transitions, _) => Ok(transitions.first().map(|t| {
            let class = t.storage_class.known().map_or("another storage class", |c| c.as_str());
            format!("moves noncurrent versions to {class} {} (and keeps them)", t.when())
        })),
        Setting::Unknown(why) => Err(format!("noncurrent version transitions: {why}")),
    }
}

fn judge(rules: &[LifecycleRule]) -> Verdict {
    let mut unknown = None;
    let mut partial: Vec<(String, Option<Location>)> = Vec::new();
    let mut disabled: Vec<(String, Option<Location>)> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let name = rule.name(i);
        let at = rule.location.clone();
        let what = match handling(rule) {
            Ok(Some(what)) => what,
            Ok(None) => continue,
            Err(why) => {
                unknown.get_or_insert((format!("lifecycle rule {name}: {why}"), at));
                continue;
            }
        };
        match &rule.status {
            Setting::Known(RuleStatus::Enabled, _) => {}
            Setting::Known(_, _) => {
                disabled.push((name, at));
                continue;
            }
            Setting::Unknown(why) => {
                unknown.get_or_insert((format!("lifecycle rule {name}: {why}"), at));
                continue;
            }
        }
        match rule.scope() {
            Ok(None) => return Verdict::Pass(format!("lifecycle rule {name} {what}")),
            Ok(Some(scope)) => partial.push((format!("lifecycle rule {name} {what} only for the objects {scope}"), at)),
            Err(why) => {
                unknown.get_or_insert((format!("lifecycle rule {name}: {why}"), at));
            }
        }
    }
    if let Some((why, at)) = unknown {
        return Verdict::Unknown(why, at);
    }
    if let Some((_, at)) = partial.first() {
        let what: Vec<&str> = partial.iter().map(|(m, _)| m.as_str()).collect();
        return Verdict::Fail(
            format!(
                "{}; every other overwritten or deleted object is kept forever as a noncurrent version",
                what.join("; ")
            ),
            at.clone(),
        );
    }
    if let Some((_, at)) = disabled.first() {
        let names: Vec<&str> = disabled.iter().map(|(n, _)| n.as_str()).collect();
        return Verdict::Fail(
            format!(
                "lifecycle rule {} would clean up noncurrent versions, but its `Status` is not `Enabled`",
                names.join(", ")
            ),
            at.clone(),
        );
    }
    Verdict::Fail(
        "versioning is on but no lifecycle rule expires noncurrent versions: every overwritten or deleted object is kept, and billed, forever".to_string(),
        None,
    )
}

fn fix(bucket: &Bucket, no_rules: bool) -> Fix {
    let rule = Code::map(vec![
        ("Id", Code::text("ExpireNoncurrentVersions")),
        ("Status", Code::text("Enabled")),
        ("NoncurrentVersionExpiration", Code::map(vec![("NoncurrentDays", Code::number(30))])),
    ]);
    let syntax = bucket.resource.syntax;
    let (summary, code) = if no_rules {
        (
            "Add this lifecycle configuration to the bucket's `Properties`: noncurrent versions are deleted 30 days after they are replaced.",
            Code::map(vec![("LifecycleConfiguration", Code::map(vec![("Rules", Code::List(vec![rule]))]))]),
        )
    } else {
        (
            "Add this rule, which covers the whole bucket, to the `Rules` of the bucket's `LifecycleConfiguration`.",
            match syntax {
                Syntax::Yaml => Code::List(vec![rule]),
                _ => rule,
            },
        )
    };
    let snippet = code.snippet(syntax);
    Fix { summary: summary.to_string(), snippet: Some(snippet) }
}
