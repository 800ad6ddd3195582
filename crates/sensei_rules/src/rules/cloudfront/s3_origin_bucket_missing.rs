//! CF-011: the S3 origins of a distribution read buckets that exist.

use sensei_model::cloudfront::{Origin, OriginBucket};
use sensei_model::{Inventory, Setting};

use super::{fix, s3_origins};
use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-011",
        slug: "s3-origin-bucket-missing",
        title: "CloudFront S3 origins read buckets that exist",
        service: Service::CloudFront,
        categories: &[Category::Security, Category::Stability],
        severity: Severity::High,
        level: 2,
        aliases: &["CloudFront.12"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("s3_origin_bucket_missing.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        let origins = match s3_origins(d) {
            Err(why) => {
                out.unknown(&d.resource, None, why);
                continue;
            }
            Ok(o) if o.is_empty() => {
                out.skip(&d.resource, "no S3 origin");
                continue;
            }
            Ok(o) => o,
        };
        let mut found = Vec::new();
        let mut missing: Vec<(&Origin, String, Option<String>)> = Vec::new();
        let mut unknown = Vec::new();
        for o in &origins {
            match &o.bucket {
                Setting::Unknown(why) => unknown.push(format!("the bucket of {} is unknown: {why}", o.label())),
                Setting::Known(OriginBucket::Declared(i), _) => {
                    let name = inventory.buckets.get(*i).map_or("?".to_string(), |b| b.resource.id.clone());
                    found.push(format!("{} reads `{name}`", o.label()));
                }
                Setting::Known(OriginBucket::NotCreated { logical_id, condition }, _) => missing.push((
                    o,
                    format!("{} reads bucket `{logical_id}`, which this template does not create (its condition `{condition}` is false)", o.label()),
                    Some(condition.clone()),
                )),
                Setting::Known(OriginBucket::Missing(name), _) => {
                    missing.push((o, format!("{} reads bucket `{name}`, which does not exist", o.label()), None))
                }
                Setting::Known(OriginBucket::Elsewhere(name), _) => unknown.push(format!(
                    "{} reads bucket `{name}`, which this template does not declare; whether it exists is known in the account only",
                    o.label()
                )),
                Setting::Known(OriginBucket::NotABucket(domain), _) => unknown.push(format!(
                    "{} has `S3OriginConfig` but its domain `{domain}` is not an S3 bucket endpoint",
                    o.label()
                )),
            }
        }
        if let Some((o, _, condition)) = missing.first() {
            let message = missing.iter().map(|(_, m, _)| m.as_str()).collect::<Vec<_>>().join("; ");
            let summary = match condition {
                Some(c) => format!(
                    "Create the distribution under the same condition as its bucket (`Condition: {c}`), or create the bucket whenever the distribution is."
                ),
                None => "Create the bucket, or remove the origin and the behaviors that target it.".to_string(),
            };
            let code = Code::map(vec![("Condition", lit(condition.as_deref().unwrap_or("BucketExists")))]);
            // Anyone can create a bucket of that name and serve content through this distribution.
            out.fail(
                &d.resource,
                o.location.as_ref(),
                format!("{message}: whoever creates a bucket of that name serves content through this distribution"),
                fix(summary, &code, d.resource.syntax),
            );
        } else if !unknown.is_empty() {
            out.unknown(&d.resource, None, unknown.join("; "));
        } else {
            out.pass(&d.resource, found.join(", "));
        }
    }
}
