//! CF-012: a distribution reads its S3 origins through Origin Access Control.

use sensei_model::cloudfront::Origin;
use sensei_model::{Expr, Inventory, Setting};

use super::{fix, origins_code, s3_origins};
use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-012",
        slug: "s3-origin-without-oac",
        title: "CloudFront reads S3 origins through Origin Access Control",
        service: Service::CloudFront,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 2,
        aliases: &["CloudFront.13"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("s3_origin_without_oac.md"),
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
        let mut failing: Vec<(&Origin, String)> = Vec::new();
        let mut unknown = None;
        for o in &origins {
            match (&o.origin_access_control_id, &o.origin_access_identity) {
                (Setting::Unknown(why), _) | (_, Setting::Unknown(why)) => {
                    unknown = Some(format!("the access of {} is unknown: {why}", o.label()))
                }
                (Setting::Known(Some(_), _), _) => {}
                (Setting::Known(None, _), Setting::Known(Some(oai), _)) => failing.push((
                    o,
                    format!("{} uses the legacy origin access identity `{oai}`, which cannot sign requests for SSE-KMS objects or new regions", o.label()),
                )),
                (Setting::Known(None, _), Setting::Known(None, _)) => failing.push((
                    o,
                    format!("{} reads the bucket anonymously, so the bucket must be public and can be read around CloudFront", o.label()),
                )),
            }
        }
        if !failing.is_empty() {
            let origins: Vec<&Origin> = failing.iter().map(|(o, _)| *o).collect();
            let code = origins_code(&origins, |_| {
                vec![
                    (
                        "OriginAccessControlId",
                        Code::Expr(Expr::GetAtt("SiteOriginAccessControl".to_string(), "Id".to_string())),
                    ),
                    ("S3OriginConfig", Code::map(vec![("OriginAccessIdentity", lit(""))])),
                ]
            });
            out.fail(
                &d.resource,
                origins.first().and_then(|o| o.location.as_ref()),
                failing.iter().map(|(_, w)| w.as_str()).collect::<Vec<_>>().join("; "),
                fix(
                    "Sign origin requests with an `AWS::CloudFront::OriginAccessControl` (here `SiteOriginAccessControl`, `OriginAccessControlOriginType: s3`, `SigningBehavior: always`), and let only `cloudfront.amazonaws.com` with `AWS:SourceArn` of this distribution read the bucket.".to_string(),
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
                    "reads every S3 origin through Origin Access Control ({})",
                    crate::rules::apigateway::count(origins.len(), "origin")
                ),
            );
        }
    }
}
