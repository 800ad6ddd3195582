//! S3-008: the bucket logs the requests made to it (server access logging).

use sensei_model::s3::Bucket;
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-008",
        slug: "bucket-without-access-logging",
        title: "S3 bucket logs server access",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 3,
        aliases: &["S3.9"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketPolicy, Fact::BucketLogging, Fact::BucketAcl],
        enabled_by_default: true,
        docs: include_str!("bucket_without_access_logging.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    // Why each bucket holds logs, if it does: worked out once per inventory, for the skips and the fixes.
    let log_buckets = inventory.log_buckets();
    for (bucket, receives_logs) in inventory.buckets.iter().zip(log_buckets) {
        let logging = match &bucket.logging_configuration {
            Setting::Unknown(why) => {
                out.unknown(&bucket.resource, None, format!("server access logging: {why}"));
                continue;
            }
            Setting::Known(logging, _) => logging,
        };
        match logging {
            Some(logging) => match &logging.destination_bucket_name {
                Setting::Known(Some(destination), _) => {
                    // A bucket of the same source is named by its logical id.
                    let named = inventory
                        .buckets
                        .iter()
                        .find(|b| b.bucket_name.known() == Some(destination))
                        .map_or(destination.as_str(), |b| b.resource.id.as_str());
                    out.pass(&bucket.resource, format!("server access logs go to `{named}`"))
                }
                Setting::Known(None, _) => out.pass(
                    &bucket.resource,
                    "server access logs go to the bucket itself (no `DestinationBucketName`); a separate log bucket keeps log writes out of the logs",
                ),
                Setting::Unknown(why) => out.pass(
                    &bucket.resource,
                    format!("server access logging is on (the destination is not known from the template: {why})"),
                ),
            },
            None => match receives_logs {
                Some(why) => out.skip(
                    &bucket.resource,
                    format!("a log bucket ({why}): its own access logs would mostly record the log deliveries"),
                ),
                None => out.fail(
                    &bucket.resource,
                    None,
                    "no `LoggingConfiguration`: requests to the bucket are not logged",
                    fix(bucket, inventory, log_buckets),
                ),
            },
        }
    }
}

/// Logging into a log bucket of the source (`log_buckets` says which buckets are), or a new one.
fn fix(bucket: &Bucket, inventory: &Inventory, log_buckets: &[Option<String>]) -> Fix {
    let syntax = bucket.resource.syntax;
    let log_bucket = inventory
        .buckets
        .iter()
        .zip(log_buckets)
        .find(|(b, why)| why.is_some() && b.resource.id != bucket.resource.id)
        .map(|(b, _)| b);
    let (destination, summary) = match (log_bucket, syntax) {
        (Some(log), Syntax::Live) => (
            Expr::Literal(log.bucket_name.known().cloned().unwrap_or_else(|| log.resource.id.clone())),
            "Send the server access logs to the log bucket of the account.".to_string(),
        ),
        (Some(log), _) => (
            Expr::Ref(log.resource.id.clone()),
            format!("Send the server access logs to `{}`, the template's log bucket.", log.resource.id),
        ),
        (None, Syntax::Live) => (
            Expr::Literal("LOG_BUCKET".to_string()),
            "Send the server access logs to a log bucket whose bucket policy lets `logging.s3.amazonaws.com` call s3:PutObject.".to_string(),
        ),
        (None, _) => (
            Expr::Ref("AccessLogsBucket".to_string()),
            "Send the server access logs to a log bucket: add `AccessLogsBucket`, an `AWS::S3::Bucket` with a bucket policy that lets `logging.s3.amazonaws.com` call s3:PutObject.".to_string(),
        ),
    };
    let code = Code::map(vec![(
        "LoggingConfiguration",
        Code::map(vec![
            ("DestinationBucketName", Code::Expr(destination)),
            ("LogFilePrefix", Code::text(&format!("{}/", bucket.resource.declared_id()))),
        ]),
    )]);
    Fix { summary, snippet: Some(code.snippet(syntax)) }
}
