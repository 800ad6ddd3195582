//! CF-013: a distribution with its own certificate uses a recommended TLS security policy.

use sensei_model::cloudfront::Certificate;
use sensei_model::{Inventory, Provenance, Setting};

use super::{config_code, fix};
use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-013",
        slug: "distribution-uses-outdated-tls-policy",
        title: "CloudFront distribution uses a recommended TLS security policy",
        service: Service::CloudFront,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 3,
        aliases: &["CloudFront.15"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("distribution_uses_outdated_tls_policy.md"),
    },
    check,
};

/// The policies AWS recommends: TLS 1.2 and later with modern ciphers only.
const RECOMMENDED: [&str; 3] = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        let certificate = match &d.viewer_certificate {
            Setting::Known(c, _) => c,
            Setting::Unknown(why) => {
                out.unknown(&d.resource, None, crate::rules::apigateway::about("ViewerCertificate", why));
                continue;
            }
        };
        match certificate.certificate() {
            Setting::Unknown(why) => {
                out.unknown(&d.resource, None, format!("the certificate is unknown: {why}"));
                continue;
            }
            Setting::Known(Certificate::Default, _) => {
                out.skip(
                    &d.resource,
                    "uses CloudFront's default certificate, whose TLS policy cannot be chosen (see CF-002)",
                );
                continue;
            }
            Setting::Known(_, _) => {}
        }
        let (version, prov) = match &certificate.minimum_protocol_version {
            Setting::Unknown(why) => {
                out.unknown(&d.resource, None, crate::rules::apigateway::about("MinimumProtocolVersion", why));
                continue;
            }
            Setting::Known(v, prov) => (v.as_deref().unwrap_or("TLSv1"), prov),
        };
        if RECOMMENDED.contains(&version) {
            out.pass(&d.resource, format!("uses the recommended TLS policy `{version}`"));
            continue;
        }
        let message = if *prov == Provenance::Default {
            "no `MinimumProtocolVersion`: CloudFront accepts TLSv1 and its weak ciphers".to_string()
        } else {
            format!(
                "`MinimumProtocolVersion` is `{version}`, not a recommended policy (`TLSv1.2_2021` or later): it accepts older protocol versions or weak ciphers"
            )
        };
        out.fail(
            &d.resource,
            certificate.minimum_protocol_version.location().or(certificate.location.as_ref()),
            message,
            fix(
                "Use the `TLSv1.2_2021` policy (or `TLSv1.2_2025`, `TLSv1.3_2025`).".to_string(),
                &config_code(vec![(
                    "ViewerCertificate",
                    Code::map(vec![("MinimumProtocolVersion", lit("TLSv1.2_2021"))]),
                )]),
                d.resource.syntax,
            ),
        );
    }
}
