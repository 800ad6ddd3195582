//! APIGW-004: REST stages present a client certificate to their backend.

use sensei_model::apigateway::ApiKind;
use sensei_model::{Expr, Inventory, Setting};

use super::{stage_fix, stage_label, stages};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "APIGW-004",
        slug: "stage-without-client-certificate",
        title: "REST API stage presents a client certificate to its backend",
        service: Service::ApiGateway,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 4,
        aliases: &["APIGateway.2"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Apis],
        enabled_by_default: false,
        docs: include_str!("stage_without_client_certificate.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for (api, stage) in stages(inventory, &[ApiKind::Rest]) {
        let label = stage_label(stage);
        match &stage.client_certificate_id {
            Setting::Unknown(why) => {
                out.unknown(&stage.resource, None, format!("the client certificate of {label} is unknown: {why}"))
            }
            Setting::Known(Some(id), _) => out.pass(
                &stage.resource,
                format!("{label} presents client certificate `{}` to its backend", super::display(id)),
            ),
            Setting::Known(None, _) => {
                let code = vec![("ClientCertificateId", Code::Expr(Expr::Ref("BackendCertificate".to_string())))];
                let mut fix = stage_fix(
                    stage,
                    api.kind,
                    code,
                    "Create an `AWS::ApiGateway::ClientCertificate` (here `BackendCertificate`) and name it",
                );
                if matches!(
                    stage.source,
                    sensei_model::apigateway::StageSource::SamApi
                        | sensei_model::apigateway::StageSource::SamImplicitApi
                ) {
                    let name = stage.stage_name.known().cloned().flatten().unwrap_or_else(|| "prod".to_string());
                    fix.summary = format!(
                        "`AWS::Serverless::Api` has no property for a client certificate: declare the API with `AWS::ApiGateway::*` resources, or set it on the deployed stage `{}` by hand (outside the template, so it can drift).",
                        stage.resource.id
                    );
                    fix.snippet = Some(crate::Snippet {
                        language: "shell",
                        code: format!(
                            "aws apigateway update-stage --rest-api-id <rest-api-id> --stage-name {name} \\\n  --patch-operations op=replace,path=/clientCertificateId,value=<client-certificate-id>"
                        ),
                    });
                }
                out.fail(
                    &stage.resource,
                    None,
                    format!("{label} presents no client certificate: its backend cannot tell API Gateway's calls from anyone else's"),
                    fix,
                );
            }
        }
    }
}
