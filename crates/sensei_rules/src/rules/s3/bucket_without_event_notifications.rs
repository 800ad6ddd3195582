//! S3-013: the bucket sends event notifications (off by default).

use sensei_model::s3::Bucket;
use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-013",
        slug: "bucket-without-event-notifications",
        title: "S3 bucket sends event notifications",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::Low,
        level: 5,
        aliases: &["S3.11"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketNotifications],
        enabled_by_default: false,
        docs: include_str!("bucket_without_event_notifications.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        match &bucket.notification_configuration {
            Setting::Unknown(why) => out.unknown(&bucket.resource, None, format!("event notifications: {why}")),
            Setting::Known(targets, _) if targets.is_empty() => out.fail(
                &bucket.resource,
                bucket.notification_configuration.location(),
                "no `NotificationConfiguration`: nothing hears about objects created or deleted in the bucket",
                fix(bucket),
            ),
            Setting::Known(targets, _) => {
                let mut described: Vec<String> = Vec::new();
                for t in targets {
                    let text = match &t.target {
                        Some(target) => format!("{} `{}`", t.kind.as_str(), readable(target)),
                        None => t.kind.as_str().to_string(),
                    };
                    if !described.contains(&text) {
                        described.push(text);
                    }
                }
                out.pass(&bucket.resource, format!("events go to {}", described.join(", ")));
            }
        }
    }
}

/// `${Queue.Arn}` and `${Queue}` name the template's `Queue`; other text stays as it is.
fn readable(target: &str) -> &str {
    match target.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        Some(inner) if !inner.contains(['$', '{', '}', ':']) => inner.split_once('.').map_or(inner, |(id, _)| id),
        _ => target,
    }
}

fn fix(bucket: &Bucket) -> Fix {
    let code = Code::map(vec![(
        "NotificationConfiguration",
        Code::map(vec![("EventBridgeConfiguration", Code::map(vec![("EventBridgeEnabled", Code::bool(true))]))]),
    )]);
    let snippet = code.snippet(bucket.resource.syntax);
    Fix {
        summary: "Send the bucket's events to EventBridge, where rules can route them to alarms, functions or queues without more bucket configuration.".to_string(),
        snippet: Some(snippet),
    }
}
