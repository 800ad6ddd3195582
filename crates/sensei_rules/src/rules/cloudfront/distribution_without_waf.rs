//! CF-007: a distribution is protected by an AWS WAF web ACL.

use sensei_model::{Expr, Inventory, Setting};

use super::{config_code, fix};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-007",
        slug: "distribution-without-waf",
        title: "CloudFront distribution is protected by an AWS WAF web ACL",
        service: Service::CloudFront,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 4,
        aliases: &["CloudFront.6"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: false,
        docs: include_str!("distribution_without_waf.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        match &d.web_acl_id {
            Setting::Unknown(why) => out.unknown(&d.resource, None, crate::rules::apigateway::about("WebACLId", why)),
            Setting::Known(Some(acl), _) => out.pass(&d.resource, format!("is protected by web ACL `{acl}`")),
            Setting::Known(None, _) => out.fail(
                &d.resource,
                None,
                "no `WebACLId`: every request reaches the origins unfiltered",
                fix(
                    "Attach a web ACL of scope `CLOUDFRONT` (here `CdnWebAcl`, created in us-east-1).".to_string(),
                    &config_code(vec![(
                        "WebACLId",
                        Code::Expr(Expr::GetAtt("CdnWebAcl".to_string(), "Arn".to_string())),
                    )]),
                    d.resource.syntax,
                ),
            ),
        }
    }
}
