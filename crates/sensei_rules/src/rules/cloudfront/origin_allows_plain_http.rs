//! CF-009: a distribution reaches its custom origins over HTTPS only.

use sensei_model::cloudfront::{Origin, OriginProtocolPolicy};
use sensei_model::{Inventory, Setting};

use super::{custom_origins, first_location, fix, labels, origins_code};
use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-009",
        slug: "origin-allows-plain-http",
        title: "CloudFront reaches custom origins over HTTPS only",
        service: Service::CloudFront,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 2,
        aliases: &["CloudFront.9"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("origin_allows_plain_http.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        let origins = match custom_origins(d) {
            Err(why) => {
                out.unknown(&d.resource, None, why);
                continue;
            }
            Ok(o) if o.is_empty() => {
                out.skip(&d.resource, "no custom origin");
                continue;
            }
            Ok(o) => o,
        };
        let mut plain: Vec<&Origin> = Vec::new();
        let mut unknown = None;
        for o in &origins {
            match &o.origin_protocol_policy {
                Setting::Known(Some(OriginProtocolPolicy::HttpsOnly), _) => {}
                Setting::Known(_, _) => plain.push(o),
                Setting::Unknown(why) => {
                    unknown = Some(format!("the protocol policy of {} is unknown: {why}", o.label()))
                }
            }
        }
        if !plain.is_empty() {
            let described = labels(&plain, |o| {
                let policy = o.origin_protocol_policy.known().cloned().flatten();
                format!("{} (`{}`)", o.label(), policy.as_ref().map_or("none", |p| p.as_str()))
            });
            let code = origins_code(&plain, |_| {
                vec![("CustomOriginConfig", Code::map(vec![("OriginProtocolPolicy", lit("https-only"))]))]
            });
            out.fail(
                &d.resource,
                first_location(plain.iter().map(|o| o.origin_protocol_policy.location().or(o.location.as_ref()))),
                format!("CloudFront may reach {described} over plain HTTP: requests and responses cross the internet unencrypted"),
                fix(
                    "Reach custom origins with `https-only` (the origin needs a certificate valid for its domain).".to_string(),
                    &code,
                    d.resource.syntax,
                ),
            );
        } else if let Some(why) = unknown {
            out.unknown(&d.resource, None, why);
        } else {
            out.pass(
                &d.resource,
                format!(
                    "reaches every custom origin over HTTPS only ({})",
                    crate::rules::apigateway::count(origins.len(), "origin")
                ),
            );
        }
    }
}
