//! CF-002: a distribution serves its own domain with its own certificate.

use sensei_model::cloudfront::Certificate;
use sensei_model::{Expr, Inventory, Setting};

use super::{config_code, fix};
use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-002",
        slug: "distribution-uses-default-certificate",
        title: "CloudFront distribution uses a custom TLS certificate",
        service: Service::CloudFront,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 2,
        aliases: &["cloudFrontSSLCertificate", "CloudFront.7"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("distribution_uses_default_certificate.md"),
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
            Setting::Unknown(why) => out.unknown(&d.resource, None, format!("the certificate is unknown: {why}")),
            Setting::Known(Certificate::Acm(arn), _) => {
                out.pass(&d.resource, format!("serves its own domain with ACM certificate `{arn}`"))
            }
            Setting::Known(Certificate::Iam(id), _) => {
                out.pass(&d.resource, format!("serves its own domain with IAM certificate `{id}`"))
            }
            Setting::Known(Certificate::Default, prov) => {
                let why = if prov == sensei_model::Provenance::Default {
                    "no `ViewerCertificate`"
                } else {
                    "`CloudFrontDefaultCertificate: true`"
                };
                let mut settings = Vec::new();
                if d.aliases.known().is_none_or(Vec::is_empty) {
                    settings.push(("Aliases", Code::List(vec![lit("www.example.com")])));
                }
                settings.push((
                    "ViewerCertificate",
                    Code::map(vec![
                        ("AcmCertificateArn", Code::Expr(Expr::Ref("SiteCertificate".to_string()))),
                        ("SslSupportMethod", lit("sni-only")),
                        ("MinimumProtocolVersion", lit("TLSv1.2_2021")),
                    ]),
                ));
                let code = config_code(settings);
                out.fail(
                    &d.resource,
                    certificate.location.as_ref(),
                    format!("{why}: the distribution answers only on its `*.cloudfront.net` name with CloudFront's shared certificate, which cannot be given a modern TLS policy"),
                    fix(
                        "Serve your own domain with an ACM certificate (here `SiteCertificate`, an `AWS::CertificateManager::Certificate` in us-east-1) covering the aliases.".to_string(),
                        &code,
                        d.resource.syntax,
                    ),
                );
            }
        }
    }
}
