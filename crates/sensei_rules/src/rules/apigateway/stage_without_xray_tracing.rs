//! APIGW-005: REST stages trace requests with AWS X-Ray.

use sensei_model::apigateway::ApiKind;
use sensei_model::{Inventory, Setting};

use super::{stage_fix, stage_label, stages};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "APIGW-005",
        slug: "stage-without-xray-tracing",
        title: "REST API stage traces requests with X-Ray",
        service: Service::ApiGateway,
        categories: &[Category::Stability, Category::Speed],
        severity: Severity::Low,
        level: 3,
        aliases: &["APIGateway.3"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Apis],
        enabled_by_default: true,
        docs: include_str!("stage_without_xray_tracing.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for (api, stage) in stages(inventory, &[ApiKind::Rest]) {
        let label = stage_label(stage);
        match &stage.tracing_enabled {
            Setting::Unknown(why) => {
                out.unknown(&stage.resource, None, format!("X-Ray tracing of {label} is unknown: {why}"))
            }
            Setting::Known(true, _) => out.pass(&stage.resource, format!("{label} traces requests with X-Ray")),
            Setting::Known(false, prov) => {
                let message = match prov {
                    sensei_model::Provenance::Default => {
                        format!("{label} does not trace requests: `TracingEnabled` is absent (false)")
                    }
                    _ => format!("{label} does not trace requests: `TracingEnabled` is false"),
                };
                let fix =
                    stage_fix(stage, api.kind, vec![("TracingEnabled", Code::bool(true))], "Turn on X-Ray tracing");
                out.fail(&stage.resource, stage.tracing_enabled.location(), message, fix);
            }
        }
    }
}
