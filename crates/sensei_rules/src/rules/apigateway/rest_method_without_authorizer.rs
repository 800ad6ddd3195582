//! APIGW-001: every method of a REST API requires authorization.

use sensei_model::apigateway::{ApiKind, IntegrationType, Route};
use sensei_model::{Inventory, Provenance, Setting};

use super::{api, route_fix, route_label};
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "APIGW-001",
        slug: "rest-method-without-authorizer",
        title: "REST API methods require authorization",
        service: Service::ApiGateway,
        categories: &[Category::Security],
        severity: Severity::Critical,
        level: 1,
        aliases: &["noUnauthorizedRestApiGatewaysRoutes"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Apis],
        enabled_by_default: true,
        docs: include_str!("rest_method_without_authorizer.md"),
    },
    check,
};

fn is_rest(inventory: &Inventory, route: &Route) -> bool {
    match api(inventory, &route.api) {
        Some(a) => a.kind == ApiKind::Rest,
        None => route.resource.resource_type.as_str() == "AWS::ApiGateway::Method",
    }
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for route in inventory.routes.iter().filter(|r| is_rest(inventory, r)) {
        let label = route_label(route);
        let (ty, prov) = match &route.authorization_type {
            Setting::Unknown(why) => {
                out.unknown(&route.resource, None, format!("the authorization of `{label}` is unknown: {why}"));
                continue;
            }
            Setting::Known(t, prov) => (t.as_deref().unwrap_or("NONE"), prov),
        };
        if ty != "NONE" {
            let by = match route.authorizer.known().and_then(|a| a.as_deref()) {
                Some(name) if ty != "AWS_IAM" => format!("`{ty}` (authorizer `{}`)", super::display(name)),
                _ => format!("`{ty}`"),
            };
            out.pass(&route.resource, format!("`{label}` requires {by} authorization"));
            continue;
        }
        if route.method == "OPTIONS" {
            let why = match route.integration_type.known() {
                Some(Some(IntegrationType::Mock)) => {
                    "`OPTIONS` answers CORS preflight with a mock integration; browsers send preflight requests without credentials"
                        .to_string()
                }
                _ => format!(
                    "`OPTIONS` answers CORS preflight, which browsers send without credentials; it reaches {}, so make sure it only answers preflight",
                    route.function.as_deref().map_or("a backend".to_string(), |f| format!("`{f}`"))
                ),
            };
            out.skip(&route.resource, why);
            continue;
        }
        let mut message = match (prov, &route.resource.generated_from) {
            (Provenance::Default, Some(owner)) => format!(
                "`{label}` has no authorizer: the event of `{owner}` sets no `Auth.Authorizer` and its API no `DefaultAuthorizer`, so anyone who reaches the API can call it"
            ),
            (Provenance::Default, None) => {
                format!("`{label}` has no `AuthorizationType` (NONE): anyone who reaches the API can call it")
            }
            _ => format!("`{label}` has `AuthorizationType` NONE: anyone who reaches the API can call it"),
        };
        if route.api_key_required.known() == Some(&true) {
            message.push_str("; it requires an API key, but API keys identify clients for usage plans, they do not authenticate them");
        }
        let api = api(inventory, &route.api);
        if api.is_some_and(|a| a.policy.known() == Some(&true)) {
            message.push_str(
                "; the API's resource policy may limit where calls come from (IP ranges, VPC endpoints, accounts), but it does not authenticate callers",
            );
        }
        out.fail(&route.resource, route.authorization_type.location(), message, route_fix(route, api));
    }
    // A REST API whose methods the source cannot see.
    for a in inventory.apis.iter().filter(|a| a.kind == ApiKind::Rest) {
        if inventory.routes.iter().any(|r| r.api == a.resource.id) {
            continue;
        }
        if a.openapi_definition {
            out.unknown(
                &a.resource,
                None,
                "the methods of this API are defined in its OpenAPI document (`Body`, `DefinitionBody`), which sensei does not read yet",
            );
        } else {
            out.skip(&a.resource, "the API declares no methods");
        }
    }
}
