//! CF-001: every cache behavior of a distribution refuses or redirects plain HTTP.

use sensei_model::cloudfront::ViewerProtocolPolicy;
use sensei_model::{Inventory, Setting};

use super::{behaviors_code, first_location, fix, labels};
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-001",
        slug: "distribution-allows-plain-http",
        title: "CloudFront distribution serves viewers over HTTPS only",
        service: Service::CloudFront,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 2,
        aliases: &["cloudFrontNoHttp", "CloudFront.3"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("distribution_allows_plain_http.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        let behaviors = match d.behaviors() {
            Ok(b) => b,
            Err(why) => {
                out.unknown(&d.resource, None, why);
                continue;
            }
        };
        let mut open = Vec::new();
        let mut unknown = None;
        for b in &behaviors {
            match &b.viewer_protocol_policy {
                Setting::Known(ViewerProtocolPolicy::AllowAll, _) => open.push(*b),
                Setting::Known(_, _) => {}
                Setting::Unknown(why) => {
                    unknown = Some(format!("the viewer protocol policy of {} is unknown: {why}", b.label()))
                }
            }
        }
        if !open.is_empty() {
            let code = behaviors_code(&open, || vec![("ViewerProtocolPolicy", lit("redirect-to-https"))]);
            out.fail(
                &d.resource,
                first_location(open.iter().map(|b| b.viewer_protocol_policy.location())),
                format!(
                    "{} {} plain HTTP (`ViewerProtocolPolicy: allow-all`): requests and responses cross the network unencrypted",
                    labels(&open, |b| b.label()),
                    if open.len() == 1 { "allows" } else { "allow" }
                ),
                fix(
                    "Redirect plain HTTP to HTTPS (or refuse it with `https-only`) in every behavior.".to_string(),
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
                    "every behavior requires HTTPS or redirects to it ({})",
                    crate::rules::apigateway::count(behaviors.len(), "behavior")
                ),
            );
        }
    }
}
