//! APIGW-003: REST and WebSocket stages write execution logs (level ERROR or INFO).

use sensei_model::apigateway::{ApiKind, LoggingLevel, StageSource};
use sensei_model::{Inventory, Setting};

use super::{lit, stage_fix, stage_label, stages};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "APIGW-003",
        slug: "stage-without-execution-logs",
        title: "API stage writes execution logs",
        service: Service::ApiGateway,
        categories: &[Category::Stability, Category::Security],
        severity: Severity::Medium,
        level: 2,
        aliases: &["APIGateway.1"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Apis],
        enabled_by_default: true,
        docs: include_str!("stage_without_execution_logs.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for (api, stage) in stages(inventory, &[ApiKind::Rest, ApiKind::WebSocket, ApiKind::Http]) {
        let label = stage_label(stage);
        if api.kind == ApiKind::Http {
            out.skip(&stage.resource, "HTTP APIs have no execution logs; their access logs are checked by APIGW-008");
            continue;
        }
        let level = match &stage.logging_level {
            Setting::Unknown(why) => {
                out.unknown(&stage.resource, None, format!("the logging level of {label} is unknown: {why}"));
                continue;
            }
            Setting::Known(level, _) => level,
        };
        let overrides = match &stage.method_settings {
            Setting::Unknown(why) => {
                out.unknown(&stage.resource, None, format!("the method settings of {label} are unknown: {why}"));
                continue;
            }
            Setting::Known(list, _) => list,
        };
        let unknown = overrides.iter().find_map(|m| match &m.logging_level {
            Setting::Unknown(why) => Some(why.clone()),
            _ => None,
        });
        if let Some(why) = unknown {
            out.unknown(&stage.resource, None, format!("a method's logging level on {label} is unknown: {why}"));
            continue;
        }
        let off: Vec<String> = overrides
            .iter()
            .filter(|m| matches!(m.logging_level.known(), Some(Some(l)) if !l.logs()))
            .map(|m| format!("`{}`", m.target))
            .collect();
        if level.logs() && off.is_empty() {
            out.pass(&stage.resource, format!("{label} logs every method at level {}", level.as_str()));
            continue;
        }
        let message = if !level.logs() {
            let why = if stage.logging_level.location().is_none() {
                "no stage-wide `LoggingLevel` is set, so it is OFF".to_string()
            } else {
                format!("the stage-wide `LoggingLevel` is {}", level.as_str())
            };
            format!("{label} writes no execution logs: {why}")
        } else {
            format!("{label} turns execution logs off for {}", off.join(", "))
        };
        let at = stage.logging_level.location().or(stage.resource.location.as_ref());
        out.fail(&stage.resource, at, message, fix(stage, api.kind));
    }
}

fn fix(stage: &sensei_model::apigateway::Stage, kind: ApiKind) -> crate::Fix {
    let error = || lit(LoggingLevel::Error.as_str());
    let settings = match (kind, stage.source) {
        (ApiKind::WebSocket, _) => vec![("DefaultRouteSettings", Code::map(vec![("LoggingLevel", error())]))],
        (_, StageSource::Deployment) => vec![("LoggingLevel", error())],
        _ => vec![(
            "MethodSettings",
            Code::List(vec![Code::map(vec![
                ("ResourcePath", lit("/*")),
                ("HttpMethod", lit("*")),
                ("LoggingLevel", error()),
            ])]),
        )],
    };
    stage_fix(
        stage,
        kind,
        settings,
        "Log every method at level `ERROR` (or `INFO`; the account needs a CloudWatch Logs role, `AWS::ApiGateway::Account`)",
    )
}
