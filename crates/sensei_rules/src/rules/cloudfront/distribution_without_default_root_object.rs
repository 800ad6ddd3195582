//! CF-004: a distribution with S3 origins has a default root object.

use sensei_model::{Inventory, Setting};

use super::{config_code, fix, s3_origins};
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-004",
        slug: "distribution-without-default-root-object",
        title: "CloudFront distribution with S3 origins has a default root object",
        service: Service::CloudFront,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 2,
        aliases: &["CloudFront.1"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("distribution_without_default_root_object.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        match s3_origins(d) {
            Err(why) => {
                out.unknown(&d.resource, None, why);
                continue;
            }
            Ok(s3) if s3.is_empty() => {
                out.skip(&d.resource, "no S3 origin: custom origins answer `/` themselves");
                continue;
            }
            Ok(_) => {}
        }
        match &d.default_root_object {
            Setting::Unknown(why) => out.unknown(&d.resource, None, crate::rules::apigateway::about("DefaultRootObject", why)),
            Setting::Known(Some(object), _) => out.pass(&d.resource, format!("`/` serves `{object}`")),
            Setting::Known(None, _) => out.fail(
                &d.resource,
                None,
                "no `DefaultRootObject`: a request for `/` goes to the S3 origin as is, which can list the bucket or expose an object you did not mean to serve",
                fix(
                    "Serve a page for `/`.".to_string(),
                    &config_code(vec![("DefaultRootObject", lit("index.html"))]),
                    d.resource.syntax,
                ),
            ),
        }
    }
}
