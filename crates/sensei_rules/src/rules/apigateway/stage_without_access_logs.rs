//! APIGW-008: every API stage writes access logs.

use sensei_model::apigateway::{ApiKind, Stage};
use sensei_model::{Expr, Inventory, Setting};

use super::{lit, stage_fix, stage_label, stages};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "APIGW-008",
        slug: "stage-without-access-logs",
        title: "API stage writes access logs",
        service: Service::ApiGateway,
        categories: &[Category::Security, Category::Stability],
        severity: Severity::Medium,
        level: 2,
        aliases: &["APIGateway.9"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Apis],
        enabled_by_default: true,
        docs: include_str!("stage_without_access_logs.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for (api, stage) in stages(inventory, &[ApiKind::Rest, ApiKind::Http, ApiKind::WebSocket]) {
        let label = stage_label(stage);
        match &stage.access_log_destination {
            Setting::Unknown(why) => {
                out.unknown(&stage.resource, None, format!("the access log destination of {label} is unknown: {why}"))
            }
            Setting::Known(Some(destination), _) => {
                out.pass(&stage.resource, format!("{label} writes access logs to `{}`", super::display(destination)))
            }
            Setting::Known(None, _) => {
                let property = if api.kind == ApiKind::Rest { "AccessLogSetting" } else { "AccessLogSettings" };
                out.fail(
                    &stage.resource,
                    None,
                    format!("{label} writes no access logs: `{property}` has no `DestinationArn`"),
                    fix(stage, api.kind, property),
                )
            }
        }
    }
}

fn fix(stage: &Stage, kind: ApiKind, property: &'static str) -> Fix {
    let format = "$context.requestId $context.identity.sourceIp $context.httpMethod $context.routeKey $context.status $context.responseLatency";
    let settings = vec![(
        property,
        Code::map(vec![
            ("DestinationArn", Code::Expr(Expr::GetAtt("ApiAccessLogs".to_string(), "Arn".to_string()))),
            ("Format", lit(format)),
        ]),
    )];
    stage_fix(
        stage,
        kind,
        settings,
        "Send access logs to a log group (here `ApiAccessLogs`, an `AWS::Logs::LogGroup` with a retention)",
    )
}
