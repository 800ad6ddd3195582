//! APIGW-002: every route of an HTTP API, and the `$connect` route of a WebSocket API, requires
//! authorization.

use sensei_model::apigateway::{ApiKind, Route};
use sensei_model::{Inventory, Provenance, Setting};

use super::{api, route_fix, route_label};
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "APIGW-002",
        slug: "http-route-without-authorizer",
        title: "HTTP and WebSocket API routes require authorization",
        service: Service::ApiGateway,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 5,
        aliases: &["noUnauthorizedApiGatewaysV2Routes", "APIGateway.8"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Apis],
        enabled_by_default: true,
        docs: include_str!("http_route_without_authorizer.md"),
    },
    check,
};

fn kind(inventory: &Inventory, route: &Route) -> Option<ApiKind> {
    match api(inventory, &route.api) {
        Some(a) => Some(a.kind),
        None if route.resource.resource_type.as_str() == "AWS::ApiGatewayV2::Route" => Some(ApiKind::Http),
        None => None,
    }
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for route in &inventory.routes {
        let kind = match kind(inventory, route) {
            Some(k @ (ApiKind::Http | ApiKind::WebSocket)) => k,
            _ => continue,
        };
        let label = route_label(route);
        if kind == ApiKind::WebSocket && route.method != "$connect" {
            out.pass(
                &route.resource,
                format!("`{label}` is a WebSocket route: callers are authorized once, on `$connect`"),
            );
            continue;
        }
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
            out.skip(
                &route.resource,
                "`OPTIONS` answers CORS preflight, which browsers send without credentials (an HTTP API with `CorsConfiguration` answers it without a route)",
            );
            continue;
        }
        let what = if kind == ApiKind::WebSocket { "anyone can open a connection" } else { "anyone can call it" };
        let message = match (prov, &route.resource.generated_from) {
            (Provenance::Default, Some(owner)) => format!(
                "`{label}` has no authorizer: the event of `{owner}` sets no `Auth.Authorizer` and its API no `DefaultAuthorizer`, so {what}"
            ),
            (Provenance::Default, None) => format!("`{label}` has no `AuthorizationType` (NONE): {what}"),
            _ => format!("`{label}` has `AuthorizationType` NONE: {what}"),
        };
        let api = api(inventory, &route.api);
        out.fail(&route.resource, route.authorization_type.location(), message, route_fix(route, api));
    }
}
