//! CF-006: a distribution writes access logs.

use sensei_model::{Expr, Inventory, Setting};

use super::{config_code, fix};
use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-006",
        slug: "distribution-without-logging",
        title: "CloudFront distribution writes access logs",
        service: Service::CloudFront,
        categories: &[Category::Security, Category::Stability],
        severity: Severity::Medium,
        level: 3,
        aliases: &["CloudFront.5"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("distribution_without_logging.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        if let Some(source) = &d.log_delivery_source {
            out.pass(&d.resource, format!("delivers access logs through `{source}` (standard logging v2)"));
            continue;
        }
        match &d.logging_bucket {
            Setting::Unknown(why) => out.unknown(&d.resource, None, crate::rules::apigateway::about("Logging", why)),
            Setting::Known(Some(bucket), _) => out.pass(&d.resource, format!("writes access logs to `{bucket}`")),
            Setting::Known(None, _) => {
                let code = config_code(vec![(
                    "Logging",
                    Code::map(vec![
                        ("Bucket", Code::Expr(Expr::GetAtt("LogBucket".to_string(), "DomainName".to_string()))),
                        ("Prefix", lit(&format!("{}/", d.resource.id.to_ascii_lowercase()))),
                    ]),
                )]);
                out.fail(
                    &d.resource,
                    None,
                    "no `Logging` and no log delivery source: requests to the distribution leave no record",
                    fix(
                        "Write standard logs to a bucket (here `LogBucket`, with ACLs enabled for the log delivery), or deliver them with an `AWS::Logs::DeliverySource`.".to_string(),
                        &code,
                        d.resource.syntax,
                    ),
                );
            }
        }
    }
}
