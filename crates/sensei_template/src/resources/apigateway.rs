//! `AWS::ApiGateway::RestApi` and `Method`, `AWS::ApiGatewayV2::Api` and `Route`, and the
//! stages that set tracing and access logs on them.

use sensei_model::apigateway::{Api, ApiKind, Route};
use sensei_model::{Inventory, Provenance, Setting};

use crate::node::Node;
use crate::props::Props;
use crate::template::Template;

use super::{Ctx, FunctionNames, bool_of, created, field, target_id, text_of};

pub fn rest_api(cx: &Ctx<'_, '_>) -> Api {
    let props = cx.props();
    Api {
        resource: cx.resource_ref("AWS::ApiGateway::RestApi"),
        kind: ApiKind::Rest,
        name: props.text("Name"),
        tracing_enabled: Setting::default_value(false),
        access_log_destination: Setting::absent(),
        minimum_compression_size: props.number("MinimumCompressionSize"),
    }
}

pub fn api_v2(cx: &Ctx<'_, '_>) -> Api {
    let props = cx.props();
    Api {
        resource: cx.resource_ref("AWS::ApiGatewayV2::Api"),
        kind: protocol(cx.body),
        name: props.text("Name"),
        tracing_enabled: Setting::default_value(false),
        access_log_destination: Setting::absent(),
        minimum_compression_size: Setting::absent(),
    }
}

/// `ProtocolType` of an `AWS::ApiGatewayV2::Api`; HTTP when absent (an imported OpenAPI body).
fn protocol(body: &Node) -> ApiKind {
    match body.get("Properties").and_then(|p| p.get("ProtocolType")).and_then(Node::as_str) {
        Some("WEBSOCKET") => ApiKind::WebSocket,
        _ => ApiKind::Http,
    }
}

/// The logical id of the API a property names, or its text.
fn api_of(cx: &Ctx<'_, '_>, property: &str) -> String {
    let props = cx.props();
    let Some((node, _)) = props.raw(property) else { return "?".to_string() };
    target_id(cx.template, node)
        .or_else(|| cx.template.resolve(node).text().map(str::to_string))
        .unwrap_or_else(|| "?".to_string())
}

/// `AUTHORIZATION_TYPE`, `NONE` when absent.
fn authorization_type(props: &Props<'_, '_>) -> Setting<Option<String>> {
    match props.literal("AuthorizationType") {
        Setting::Known(None, _) => Setting::default_value(Some("NONE".to_string())),
        Setting::Known(Some(t), prov) => Setting::Known(Some(t.to_ascii_uppercase()), prov),
        unknown => unknown,
    }
}

/// `AWS::ApiGateway::Method`: its path is built from the `PathPart`s of its resources.
pub fn method(cx: &Ctx<'_, '_>) -> Route {
    let props = cx.props();
    let method = match props.literal("HttpMethod") {
        Setting::Known(Some(m), _) => m.to_ascii_uppercase(),
        _ => "?".to_string(),
    };
    let uri = text_of("Uri", field(&props, &["Integration", "Uri"]));
    Route {
        resource: cx.resource_ref("AWS::ApiGateway::Method"),
        api: api_of(cx, "RestApiId"),
        method,
        path: resource_path(cx.template, props.raw("ResourceId").map(|(n, _)| n), 0),
        authorization_type: authorization_type(&props),
        authorizer: props.text("AuthorizerId"),
        function: uri
            .known()
            .cloned()
            .flatten()
            .and_then(|u| FunctionNames::of(cx.template).within(&u).map(str::to_string)),
    }
}

/// The path of the `AWS::ApiGateway::Resource` that `node` names; `/` for the root resource.
fn resource_path(template: &Template<'_>, node: Option<&Node>, depth: usize) -> String {
    let Some(node) = node.filter(|_| depth < 64) else { return "?".to_string() };
    if template.resolve(node).text().is_some_and(|t| t.ends_with(".RootResourceId}")) {
        return "/".to_string();
    }
    let Some(id) = target_id(template, node) else { return "?".to_string() };
    let Some(props) =
        template.resource(&id).filter(|_| template.resource_type(&id) == Some("AWS::ApiGateway::Resource"))
    else {
        return "?".to_string();
    };
    let props = Props::new(template, props);
    let part = match props.literal("PathPart") {
        Setting::Known(Some(p), _) => p,
        _ => "?".to_string(),
    };
    let parent = resource_path(template, props.raw("ParentId").map(|(n, _)| n), depth + 1);
    if parent == "/" { format!("/{part}") } else { format!("{parent}/{part}") }
}

/// `AWS::ApiGatewayV2::Route`: `RouteKey` is `GET /items`, `$default`, or a WebSocket key.
pub fn route_v2(cx: &Ctx<'_, '_>) -> Route {
    let props = cx.props();
    let api = api_of(cx, "ApiId");
    let websocket = cx.template.resource(&api).is_some_and(|body| protocol(body) == ApiKind::WebSocket);
    let (method, path) = match props.literal("RouteKey") {
        Setting::Known(Some(key), _) => split_route_key(&key, websocket),
        _ => ("?".to_string(), "?".to_string()),
    };
    Route {
        resource: cx.resource_ref("AWS::ApiGatewayV2::Route"),
        api,
        method,
        path,
        authorization_type: authorization_type(&props),
        authorizer: props.text("AuthorizerId"),
        function: route_target(cx, &props),
    }
}

/// `GET /items` → (`GET`, `/items`); `$default` → (`ANY`, `$default`); a WebSocket key → (key, ``).
pub fn split_route_key(key: &str, websocket: bool) -> (String, String) {
    match key.trim().split_once(' ') {
        Some((method, path)) => (method.to_ascii_uppercase(), path.trim().to_string()),
        None if websocket => (key.to_string(), String::new()),
        None => ("ANY".to_string(), key.to_string()),
    }
}

/// The function behind a route's `Target: integrations/${Integration}`.
fn route_target(cx: &Ctx<'_, '_>, props: &Props<'_, '_>) -> Option<String> {
    let target = props.text("Target").known().cloned().flatten()?;
    let integration = target.strip_prefix("integrations/")?.strip_prefix("${")?.strip_suffix('}')?;
    let body = cx.template.resource(integration)?;
    let uri = text_of("IntegrationUri", field(&Props::new(cx.template, body), &["IntegrationUri"]));
    FunctionNames::of(cx.template).within(uri.known()?.as_deref()?).map(str::to_string)
}

/// Sets tracing and access logs on each API from its stages (`AWS::ApiGateway::Stage`, a
/// `Deployment` with a `StageDescription`, `AWS::ApiGatewayV2::Stage`). With several stages,
/// the weakest setting wins.
pub fn apply_stages(template: &Template<'_>, inventory: &mut Inventory) {
    for (_, body) in created(template) {
        let props = Props::new(template, body);
        let (api_property, tracing, log) = match body.get("Type").and_then(Node::as_str) {
            Some("AWS::ApiGateway::Stage") => (
                "RestApiId",
                Some(props.bool_or("TracingEnabled", false)),
                text_of("DestinationArn", field(&props, &["AccessLogSetting", "DestinationArn"])),
            ),
            Some("AWS::ApiGateway::Deployment") if props.has("StageName") => (
                "RestApiId",
                Some(bool_of("TracingEnabled", field(&props, &["StageDescription", "TracingEnabled"]), false)),
                text_of("DestinationArn", field(&props, &["StageDescription", "AccessLogSetting", "DestinationArn"])),
            ),
            Some("AWS::ApiGatewayV2::Stage") => {
                ("ApiId", None, text_of("DestinationArn", field(&props, &["AccessLogSettings", "DestinationArn"])))
            }
            _ => continue,
        };
        let Some(api_id) = props.raw(api_property).and_then(|(n, _)| target_id(template, n)) else { continue };
        for api in inventory.apis.iter_mut().filter(|a| a.resource.id == api_id) {
            if let Some(tracing) = tracing.clone() {
                api.tracing_enabled = weakest(api.tracing_enabled.clone(), tracing, |on| !on);
            }
            api.access_log_destination = weakest(api.access_log_destination.clone(), log.clone(), Option::is_none);
        }
    }
}

/// Of two stages' settings, the one a rule should judge: a default is replaced, a `weak` value
/// (tracing off, no log destination) wins, then an unknown one.
fn weakest<T>(current: Setting<T>, next: Setting<T>, weak: impl Fn(&T) -> bool) -> Setting<T> {
    match (&current, &next) {
        (Setting::Known(_, Provenance::Default), _) => next,
        (Setting::Known(v, _), _) if weak(v) => current,
        (_, Setting::Known(v, _)) if weak(v) => next,
        (Setting::Unknown(_), _) => current,
        (_, Setting::Unknown(_)) => next,
        _ => current,
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    match ty {
        "AWS::ApiGateway::RestApi" => inventory.apis.push(rest_api(cx)),
        "AWS::ApiGateway::Method" => inventory.routes.push(method(cx)),
        "AWS::ApiGatewayV2::Api" => inventory.apis.push(api_v2(cx)),
        "AWS::ApiGatewayV2::Route" => inventory.routes.push(route_v2(cx)),
        _ => {}
    }
}
