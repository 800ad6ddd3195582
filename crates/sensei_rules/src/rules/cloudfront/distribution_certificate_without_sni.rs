//! CF-008: a distribution with its own certificate serves it with SNI, not dedicated IPs.

use sensei_model::cloudfront::{Certificate, SslSupportMethod};
use sensei_model::{Inventory, Setting};

use super::{config_code, fix};
use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-008",
        slug: "distribution-certificate-without-sni",
        title: "CloudFront distribution serves its certificate with SNI",
        service: Service::CloudFront,
        categories: &[Category::Security, Category::Savings],
        severity: Severity::Low,
        level: 3,
        aliases: &["CloudFront.8"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("distribution_certificate_without_sni.md"),
    },
    check,
};

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
                out.skip(&d.resource, "uses CloudFront's default certificate, which is always served with SNI");
                continue;
            }
            Setting::Known(_, _) => {}
        }
        match &certificate.ssl_support_method {
            Setting::Unknown(why) => out.unknown(&d.resource, None, crate::rules::apigateway::about("SslSupportMethod", why)),
            Setting::Known(Some(SslSupportMethod::SniOnly), _) => out.pass(&d.resource, "serves its certificate with SNI"),
            Setting::Known(None, _) => out.unknown(
                &d.resource,
                certificate.location.as_ref(),
                "`SslSupportMethod` is absent; CloudFormation requires it with a custom certificate",
            ),
            Setting::Known(Some(method), _) => out.fail(
                &d.resource,
                certificate.ssl_support_method.location(),
                format!(
                    "`SslSupportMethod` is `{}`: dedicated IP addresses at every edge location, billed monthly, only for clients too old to send SNI",
                    method.as_str()
                ),
                fix(
                    "Serve the certificate with SNI, which every browser since 2010 supports.".to_string(),
                    &config_code(vec![("ViewerCertificate", Code::map(vec![("SslSupportMethod", lit("sni-only"))]))]),
                    d.resource.syntax,
                ),
            ),
        }
    }
}
