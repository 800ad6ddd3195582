//! S3-011: the bucket replicates its objects to another bucket (off by default).

use sensei_model::s3::{Bucket, RuleStatus};
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-011",
        slug: "bucket-not-replicated",
        title: "S3 bucket replicates objects to another Region",
        service: Service::S3,
        categories: &[Category::Stability],
        severity: Severity::Low,
        level: 5,
        aliases: &["S3.7"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketReplication],
        enabled_by_default: false,
        docs: include_str!("bucket_not_replicated.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        let rules = match &bucket.replication_rules {
            Setting::Unknown(why) => {
                out.unknown(&bucket.resource, None, format!("replication: {why}"));
                continue;
            }
            Setting::Known(rules, _) => rules,
        };
        let mut unknown = None;
        let mut enabled = None;
        for rule in rules {
            match &rule.status {
                Setting::Known(RuleStatus::Enabled, _) => {
                    enabled = Some(rule);
                    break;
                }
                Setting::Known(_, _) => {}
                Setting::Unknown(why) => {
                    unknown.get_or_insert(format!("replication: {why}"));
                }
            }
        }
        let at = bucket.replication_rules.location();
        if let Some(rule) = enabled {
            let destination = match &rule.destination_bucket {
                Setting::Known(Some(d), _) => format!("`{d}`"),
                _ => "another bucket".to_string(),
            };
            out.pass(
                &bucket.resource,
                format!(
                    "objects are replicated to {destination} (a template does not show that bucket's Region: keep it in another one)"
                ),
            );
        } else if let Some(why) = unknown {
            out.unknown(&bucket.resource, at, why);
        } else if rules.is_empty() {
            out.fail(
                &bucket.resource,
                None,
                "no `ReplicationConfiguration`: the objects exist in one Region only",
                fix(bucket),
            );
        } else {
            out.fail(
                &bucket.resource,
                at,
                "no replication rule is `Enabled`: the objects exist in one Region only",
                fix(bucket),
            );
        }
    }
}

fn fix(bucket: &Bucket) -> Fix {
    let syntax = bucket.resource.syntax;
    let (role, destination) = match syntax {
        Syntax::Live => (
            Expr::Literal("arn:aws:iam::ACCOUNT_ID:role/s3-replication".to_string()),
            Expr::Literal("arn:aws:s3:::REPLICA_BUCKET".to_string()),
        ),
        _ => (
            Expr::GetAtt("ReplicationRole".to_string(), "Arn".to_string()),
            Expr::Sub("arn:${AWS::Partition}:s3:::REPLICA_BUCKET".to_string()),
        ),
    };
    let code = Code::map(vec![
        ("VersioningConfiguration", Code::map(vec![("Status", Code::text("Enabled"))])),
        (
            "ReplicationConfiguration",
            Code::map(vec![
                ("Role", Code::Expr(role)),
                (
                    "Rules",
                    Code::List(vec![Code::map(vec![
                        ("Status", Code::text("Enabled")),
                        ("Destination", Code::map(vec![("Bucket", Code::Expr(destination))])),
                    ])]),
                ),
            ]),
        ),
    ]);
    Fix {
        summary: "Replicate to a bucket in another Region (replace REPLICA_BUCKET); replication needs versioning on both buckets and a role S3 assumes (`ReplicationRole`).".to_string(),
        snippet: Some(code.snippet(syntax)),
    }
}
