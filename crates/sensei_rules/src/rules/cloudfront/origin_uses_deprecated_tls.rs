//! CF-010: a distribution offers only TLS 1.2 to its custom origins.

use sensei_model::cloudfront::{Origin, OriginProtocolPolicy};
use sensei_model::{Inventory, Provenance, Setting};

use super::{custom_origins, first_location, fix, origins_code};
use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-010",
        slug: "origin-uses-deprecated-tls",
        title: "CloudFront offers only TLS 1.2 to custom origins",
        service: Service::CloudFront,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 2,
        aliases: &["CloudFront.10"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("origin_uses_deprecated_tls.md"),
    },
    check,
};

/// Protocols deprecated by RFC 7568 (SSLv3) and RFC 8996 (TLS 1.0 and 1.1).
const DEPRECATED: [&str; 3] = ["SSLv3", "TLSv1", "TLSv1.1"];

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        let origins = match custom_origins(d) {
            Err(why) => {
                out.unknown(&d.resource, None, why);
                continue;
            }
            Ok(o) => o,
        };
        // An origin reached over plain HTTP only has no TLS to judge (CF-009 fails it).
        let https: Vec<&Origin> = origins
            .into_iter()
            .filter(|o| o.origin_protocol_policy.known() != Some(&Some(OriginProtocolPolicy::HttpOnly)))
            .collect();
        if https.is_empty() {
            out.skip(&d.resource, "no custom origin reached over HTTPS");
            continue;
        }
        let mut weak: Vec<(&Origin, String)> = Vec::new();
        let mut unknown = None;
        for o in &https {
            match &o.origin_ssl_protocols {
                Setting::Unknown(why) => {
                    unknown = Some(format!("the SSL protocols of {} are unknown: {why}", o.label()))
                }
                Setting::Known(list, prov) => {
                    let old: Vec<&str> = list.iter().map(String::as_str).filter(|p| DEPRECATED.contains(p)).collect();
                    if !old.is_empty() {
                        let why = if *prov == Provenance::Default {
                            format!("{} (no `OriginSSLProtocols`: CloudFormation sets {})", o.label(), old.join(", "))
                        } else {
                            format!("{} ({})", o.label(), old.join(", "))
                        };
                        weak.push((o, why));
                    }
                }
            }
        }
        if !weak.is_empty() {
            let failing: Vec<&Origin> = weak.iter().map(|(o, _)| *o).collect();
            let code = origins_code(&failing, |o| {
                let policy = o
                    .origin_protocol_policy
                    .known()
                    .cloned()
                    .flatten()
                    .map_or("https-only".to_string(), |p| p.as_str().to_string());
                vec![(
                    "CustomOriginConfig",
                    Code::map(vec![
                        ("OriginProtocolPolicy", lit(&policy)),
                        ("OriginSSLProtocols", Code::List(vec![lit("TLSv1.2")])),
                    ]),
                )]
            });
            out.fail(
                &d.resource,
                first_location(failing.iter().map(|o| o.origin_ssl_protocols.location().or(o.location.as_ref()))),
                format!(
                    "CloudFront offers deprecated protocols to {}: a downgrade exposes the traffic to known attacks",
                    weak.iter().map(|(_, w)| w.as_str()).collect::<Vec<_>>().join(", ")
                ),
                fix("Offer only TLS 1.2 to the origin.".to_string(), &code, d.resource.syntax),
            );
        } else if let Some(why) = unknown {
            out.unknown(&d.resource, None, why);
        } else {
            out.pass(
                &d.resource,
                format!(
                    "offers only TLS 1.2 to every custom origin it reaches over HTTPS ({})",
                    crate::rules::apigateway::count(https.len(), "origin")
                ),
            );
        }
    }
}
