//! APIGW-006: REST stages are protected by an AWS WAF web ACL.

use sensei_model::apigateway::{ApiKind, Stage, StageSource};
use sensei_model::{Expr, Inventory, Setting};

use super::{lit, stage_label, stages};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "APIGW-006",
        slug: "stage-without-waf",
        title: "REST API stage is protected by an AWS WAF web ACL",
        service: Service::ApiGateway,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 4,
        aliases: &["APIGateway.4"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Apis],
        enabled_by_default: false,
        docs: include_str!("stage_without_waf.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for (_, stage) in stages(inventory, &[ApiKind::Rest]) {
        let label = stage_label(stage);
        match &stage.web_acl_arn {
            Setting::Unknown(why) => {
                out.unknown(&stage.resource, None, format!("the web ACL of {label} is unknown: {why}"))
            }
            Setting::Known(Some(acl), _) => {
                out.pass(&stage.resource, format!("{label} is associated with web ACL `{}`", super::display(acl)))
            }
            Setting::Known(None, _) => out.fail(
                &stage.resource,
                None,
                format!("{label} has no AWS WAF web ACL: no `AWS::WAFv2::WebACLAssociation` names it"),
                fix(stage),
            ),
        }
    }
}

/// The stage as an ARN names it: a reference to the stage resource SAM or the template declares.
fn stage_reference(stage: &Stage) -> String {
    match stage.source {
        StageSource::Deployment => stage.stage_name.known().cloned().flatten().unwrap_or_else(|| "prod".to_string()),
        _ => format!("${{{}}}", stage.resource.id),
    }
}

fn fix(stage: &Stage) -> Fix {
    let arn = format!(
        "arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::/restapis/${{{}}}/stages/{}",
        stage.api,
        stage_reference(stage)
    );
    let association = Code::map(vec![
        ("Type", lit("AWS::WAFv2::WebACLAssociation")),
        (
            "Properties",
            Code::map(vec![
                ("ResourceArn", Code::Expr(Expr::Sub(arn))),
                ("WebACLArn", Code::Expr(Expr::GetAtt("ApiWebAcl".to_string(), "Arn".to_string()))),
            ]),
        ),
    ]);
    let mut code = association.snippet(stage.resource.syntax);
    code.code = super::keyed(&[&format!("{}WebAclAssociation", stage.api)], &code.code, stage.resource.syntax);
    Fix {
        summary: format!(
            "Associate a regional `AWS::WAFv2::WebACL` (here `ApiWebAcl`, e.g. with the AWS managed common rule set) with `{}`.",
            stage.resource.id
        ),
        snippet: Some(code),
    }
}
