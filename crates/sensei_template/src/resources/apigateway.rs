//! `AWS::ApiGateway::RestApi` and `Method`, `AWS::ApiGatewayV2::Api` and `Route`, and, once
//! everything is mapped, the stages, authorizers and WAF associations that attach to them.

use sensei_model::apigateway::{
    Api, ApiKind, Authorizer, IntegrationType, LoggingLevel, MethodSetting, Route, Stage, StageSource,
};
use sensei_model::{Inventory, Provenance, ResourceRef, Setting};

use crate::node::Node;
use crate::props::Props;
use crate::template::Template;
use crate::value::Val;

use super::cloudfront::Entry;
use super::{Ctx, FunctionNames, created, field, reference_text, target_id, text_of};

pub fn rest_api(cx: &Ctx<'_, '_>) -> Api {
    let props = cx.props();
    Api {
        resource: cx.resource_ref("AWS::ApiGateway::RestApi"),
        kind: ApiKind::Rest,
        name: props.text("Name"),
        tracing_enabled: Setting::default_value(false),
        access_log_destination: Setting::absent(),
        minimum_compression_size: props.number("MinimumCompressionSize"),
        policy: presence(&props, "Policy"),
        openapi_definition: props.has("Body") || props.has("BodyS3Location"),
        stages: Vec::new(),
        authorizers: Vec::new(),
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
        policy: Setting::default_value(false),
        openapi_definition: props.has("Body") || props.has("BodyS3Location"),
        stages: Vec::new(),
        authorizers: Vec::new(),
    }
}

/// Whether a property is set: known true when present, false when absent.
pub fn presence(props: &Props<'_, '_>, name: &str) -> Setting<bool> {
    match props.value(name) {
        None => Setting::default_value(false),
        Some((Val::Unknown(why), _)) => Setting::Unknown(why),
        // The Serverless Framework writes `Policy: ""` for an API without one.
        Some((Val::Str(s), prov)) if s.trim().is_empty() => Setting::Known(false, prov),
        Some((Val::Map(m), prov)) if m.is_empty() => Setting::Known(false, prov),
        Some((_, prov)) => Setting::Known(true, prov),
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
fn api_of(template: &Template<'_>, props: &Props<'_, '_>, property: &str) -> String {
    let Some((node, _)) = props.raw(property) else { return "?".to_string() };
    target_id(template, node)
        .or_else(|| template.resolve(node).text().map(str::to_string))
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

fn integration_type(s: Setting<Option<String>>) -> Setting<Option<IntegrationType>> {
    s.map(|t| t.map(|t| IntegrationType::parse(&t)))
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
        api: api_of(cx.template, &props, "RestApiId"),
        method,
        path: resource_path(cx.template, props.raw("ResourceId").map(|(n, _)| n), 0),
        authorization_type: authorization_type(&props),
        authorizer: props.text("AuthorizerId"),
        function: uri
            .known()
            .cloned()
            .flatten()
            .and_then(|u| FunctionNames::of(cx.template).within(&u).map(str::to_string)),
        api_key_required: props.bool_or("ApiKeyRequired", false),
        integration_type: integration_type(super::literal_of("Type", field(&props, &["Integration", "Type"]))),
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
    let api = api_of(cx.template, &props, "ApiId");
    let websocket = cx.template.resource(&api).is_some_and(|body| protocol(body) == ApiKind::WebSocket);
    let (method, path) = match props.literal("RouteKey") {
        Setting::Known(Some(key), _) => split_route_key(&key, websocket),
        _ => ("?".to_string(), "?".to_string()),
    };
    let integration = route_integration(cx.template, &props);
    Route {
        resource: cx.resource_ref("AWS::ApiGatewayV2::Route"),
        api,
        method,
        path,
        authorization_type: authorization_type(&props),
        authorizer: props.text("AuthorizerId"),
        function: integration.as_ref().and_then(|i| {
            let uri = text_of("IntegrationUri", field(i, &["IntegrationUri"]));
            FunctionNames::of(cx.template).within(uri.known()?.as_deref()?).map(str::to_string)
        }),
        api_key_required: props.bool_or("ApiKeyRequired", false),
        integration_type: match &integration {
            Some(i) => integration_type(i.literal("IntegrationType")),
            None => Setting::absent(),
        },
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

/// The integration behind a route's `Target: integrations/${Integration}`.
fn route_integration<'t, 'n>(template: &'t Template<'n>, props: &Props<'t, 'n>) -> Option<Props<'t, 'n>> {
    let target = props.text("Target").known().cloned().flatten()?;
    let integration = target.strip_prefix("integrations/")?.strip_prefix("${")?.strip_suffix('}')?;
    let body = template.resource(integration)?;
    Some(Props::new(template, body))
}

/// The settings of a REST stage: on an `AWS::ApiGateway::Stage`, in a `Deployment`'s
/// `StageDescription`, or on a SAM `Api` (and its `Globals`).
pub fn rest_stage(
    resource: ResourceRef,
    api: String,
    source: StageSource,
    stage_name: Setting<Option<String>>,
    props: &Props<'_, '_>,
) -> Stage {
    let entries = match props.raw("MethodSettings") {
        None => Setting::default_value(Vec::new()),
        Some((node, prov)) => {
            let at = match &prov {
                Provenance::Declared(l) | Provenance::Globals(l) => l.clone(),
                _ => props.template.location(node.pos),
            };
            match props.template.resolve(node) {
                Val::NoValue => Setting::default_value(Vec::new()),
                val => match super::cloudfront::entries(props.template, Some(node), val, at) {
                    Setting::Known(list, _) => Setting::Known(list, prov),
                    Setting::Unknown(why) => Setting::Unknown(why),
                },
            }
        }
    };
    // The stage-wide entry (`/*` `*`) and the overrides.
    let mut wide: Option<&Entry<'_, '_>> = None;
    let mut overrides = Vec::new();
    if let Setting::Known(list, _) = &entries {
        for e in list {
            let path = e.literal("ResourcePath").known().cloned().flatten().unwrap_or_else(|| "/*".to_string());
            let method = e.literal("HttpMethod").known().cloned().flatten().unwrap_or_else(|| "*".to_string());
            if path == "/*" && method == "*" {
                wide = Some(e);
            } else {
                // `ResourcePath` escapes `/` as `~1`: `/~1items` is the resource `/items`.
                let resource = path.strip_prefix('/').unwrap_or(&path).replace("~1", "/");
                overrides.push(MethodSetting {
                    target: format!("{method} {resource}"),
                    location: Some(e.at.clone()),
                    logging_level: level(e.literal("LoggingLevel")),
                    caching_enabled: optional_bool(e, "CachingEnabled"),
                    cache_data_encrypted: optional_bool(e, "CacheDataEncrypted"),
                });
            }
        }
    }
    // A `Deployment`'s `StageDescription` also takes them at its top level.
    let top = |key: &str| source == StageSource::Deployment && props.has(key);
    let stage_wide_level = match (&entries, wide) {
        (Setting::Unknown(why), _) => Setting::Unknown(why.clone()),
        (_, Some(e)) if e.has("LoggingLevel") => required_level(e.literal("LoggingLevel")),
        _ if top("LoggingLevel") => required_level(props.literal("LoggingLevel")),
        _ => Setting::default_value(LoggingLevel::Off),
    };
    let stage_wide_bool = |key: &str| match (&entries, wide) {
        (Setting::Unknown(why), _) => Setting::Unknown(why.clone()),
        (_, Some(e)) if e.has(key) => e.bool_or(key, false),
        _ if top(key) => props.bool_or(key, false),
        _ => Setting::default_value(false),
    };
    Stage {
        resource,
        api,
        source,
        stage_name,
        tracing_enabled: props.bool_or("TracingEnabled", false),
        client_certificate_id: props.text("ClientCertificateId"),
        cache_cluster_enabled: props.bool_or("CacheClusterEnabled", false),
        access_log_destination: text_of("DestinationArn", field(props, &["AccessLogSetting", "DestinationArn"])),
        logging_level: stage_wide_level,
        caching_enabled: stage_wide_bool("CachingEnabled"),
        cache_data_encrypted: stage_wide_bool("CacheDataEncrypted"),
        method_settings: match entries {
            Setting::Known(_, prov) => Setting::Known(overrides, prov),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
        web_acl_arn: Setting::absent(),
    }
}

fn level(s: Setting<Option<String>>) -> Setting<Option<LoggingLevel>> {
    s.map(|l| l.map(|l| LoggingLevel::parse(&l)))
}

fn required_level(s: Setting<Option<String>>) -> Setting<LoggingLevel> {
    match s {
        Setting::Known(Some(l), prov) => Setting::Known(LoggingLevel::parse(&l), prov),
        Setting::Known(None, _) => Setting::default_value(LoggingLevel::Off),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

fn optional_bool(e: &Entry<'_, '_>, key: &str) -> Setting<Option<bool>> {
    if e.has(key) { e.bool_or(key, false).map(Some) } else { Setting::absent() }
}

/// The settings of an HTTP or WebSocket stage: on an `AWS::ApiGatewayV2::Stage` or a SAM `HttpApi`.
pub fn v2_stage(
    resource: ResourceRef,
    api: String,
    source: StageSource,
    stage_name: Setting<Option<String>>,
    props: &Props<'_, '_>,
) -> Stage {
    let logging_level = match Entry::of_property(props, "DefaultRouteSettings") {
        None => Setting::default_value(LoggingLevel::Off),
        Some(Setting::Known(d, _)) => required_level(d.literal("LoggingLevel")),
        Some(Setting::Unknown(why)) => Setting::Unknown(why),
    };
    // `RouteSettings` maps a route key to its settings.
    let method_settings = match Entry::of_property(props, "RouteSettings") {
        None => Setting::default_value(Vec::new()),
        Some(Setting::Unknown(why)) => Setting::Unknown(why),
        Some(Setting::Known(routes, prov)) => {
            let keys: Vec<String> = match &routes.val {
                Val::Map(entries) => entries.iter().map(|(k, _)| k.clone()).collect(),
                _ => Vec::new(),
            };
            let mut out = Vec::new();
            let mut unknown = None;
            for key in keys {
                match routes.nested(&key) {
                    Setting::Known(Some(r), _) => out.push(MethodSetting {
                        target: key.clone(),
                        location: Some(r.at.clone()),
                        logging_level: level(r.literal("LoggingLevel")),
                        caching_enabled: Setting::absent(),
                        cache_data_encrypted: Setting::absent(),
                    }),
                    Setting::Known(None, _) => {}
                    Setting::Unknown(why) => unknown = Some(why),
                }
            }
            match unknown {
                Some(why) => Setting::Unknown(why),
                None => Setting::Known(out, prov),
            }
        }
    };
    Stage {
        resource,
        api,
        source,
        stage_name,
        tracing_enabled: Setting::default_value(false),
        client_certificate_id: Setting::absent(),
        cache_cluster_enabled: Setting::default_value(false),
        access_log_destination: text_of("DestinationArn", field(props, &["AccessLogSettings", "DestinationArn"])),
        logging_level,
        caching_enabled: Setting::default_value(false),
        cache_data_encrypted: Setting::default_value(false),
        method_settings,
        web_acl_arn: Setting::absent(),
    }
}

/// Attaches to each API its stages (`AWS::ApiGateway::Stage`, a `Deployment` with a
/// `StageName`, `AWS::ApiGatewayV2::Stage`), its authorizers and the WAF web ACLs associated
/// with its stages, then sets the API's tracing and access log summary from the weakest stage.
pub fn apply_stages(template: &Template<'_>, inventory: &mut Inventory) {
    for (key, body) in created(template) {
        let cx = Ctx { template, key, body };
        let props = cx.props();
        let ty = body.get("Type").and_then(Node::as_str);
        let stage = match ty {
            Some("AWS::ApiGateway::Stage") => {
                let api = api_of(template, &props, "RestApiId");
                let name = props.literal("StageName");
                rest_stage(cx.resource_ref("AWS::ApiGateway::Stage"), api, StageSource::Stage, name, &props)
            }
            Some("AWS::ApiGateway::Deployment") if props.has("StageName") => {
                let api = api_of(template, &props, "RestApiId");
                let name = props.literal("StageName");
                let description = props.nested("StageDescription");
                let resource = cx.resource_ref("AWS::ApiGateway::Deployment");
                rest_stage(resource, api, StageSource::Deployment, name, &description)
            }
            Some("AWS::ApiGatewayV2::Stage") => {
                let api = api_of(template, &props, "ApiId");
                let name = props.literal("StageName");
                v2_stage(cx.resource_ref("AWS::ApiGatewayV2::Stage"), api, StageSource::Stage, name, &props)
            }
            Some(t @ ("AWS::ApiGateway::Authorizer" | "AWS::ApiGatewayV2::Authorizer")) => {
                let v2 = t == "AWS::ApiGatewayV2::Authorizer";
                let api = api_of(template, &props, if v2 { "ApiId" } else { "RestApiId" });
                let authorizer = Authorizer {
                    resource: cx.resource_ref(t),
                    name: key.name.clone(),
                    authorizer_type: props.literal(if v2 { "AuthorizerType" } else { "Type" }),
                };
                if let Some(a) = inventory.apis.iter_mut().find(|a| a.resource.id == api) {
                    a.authorizers.push(authorizer);
                }
                continue;
            }
            _ => continue,
        };
        if let Some(api) = inventory.apis.iter_mut().find(|a| a.resource.id == stage.api) {
            api.stages.push(stage);
        }
    }
    associate_web_acls(template, inventory);
    for api in &mut inventory.apis {
        let mut tracing = Setting::default_value(false);
        let mut log = Setting::absent();
        for stage in &api.stages {
            tracing = weakest(tracing, stage.tracing_enabled.clone(), |on| !on);
            log = weakest(log, stage.access_log_destination.clone(), Option::is_none);
        }
        if !api.stages.is_empty() {
            api.tracing_enabled = tracing;
            api.access_log_destination = log;
        }
    }
}

type Text = Setting<Option<String>>;

/// Sets `web_acl_arn` on the REST stages that an `AWS::WAFv2::WebACLAssociation` (or a WAF
/// Classic regional one) names by `arn:…:apigateway:…::/restapis/{api}/stages/{stage}`.
fn associate_web_acls(template: &Template<'_>, inventory: &mut Inventory) {
    // (`ResourceArn`, web ACL) of each association.
    let mut associations: Vec<(Text, Text)> = Vec::new();
    for (_, body) in created(template) {
        let props = Props::new(template, body);
        match body.get("Type").and_then(Node::as_str) {
            Some("AWS::WAFv2::WebACLAssociation") => {
                associations.push((props.text("ResourceArn"), props.text("WebACLArn")));
            }
            Some("AWS::WAFRegional::WebACLAssociation") => {
                associations.push((props.text("ResourceArn"), props.text("WebACLId")));
            }
            _ => {}
        }
    }
    let unknown: Option<String> = associations.iter().find_map(|(arn, _)| match arn {
        Setting::Unknown(why) => Some(why.clone()),
        _ => None,
    });
    for api in inventory.apis.iter_mut().filter(|a| a.kind == ApiKind::Rest) {
        let api_texts = [
            reference_text(template, Default::default(), &api.resource.id, None),
            Some(format!("${{{}}}", api.resource.id)),
        ];
        for stage in &mut api.stages {
            let mut stage_texts = vec![
                reference_text(template, Default::default(), &stage.resource.id, None),
                Some(format!("${{{}}}", stage.resource.id)),
                Some(format!("${{{}.Stage}}", api.resource.id)),
            ];
            if let Some(Some(name)) = stage.stage_name.known() {
                stage_texts.push(Some(name.clone()));
            }
            let names = |arn: &str| {
                api_texts
                    .iter()
                    .flatten()
                    .any(|a| stage_texts.iter().flatten().any(|s| arn.ends_with(&format!("/restapis/{a}/stages/{s}"))))
            };
            let found =
                associations.iter().find(|(arn, _)| matches!(arn, Setting::Known(Some(text), _) if names(text)));
            stage.web_acl_arn = match (found, &unknown) {
                (Some((Setting::Known(_, prov), acl)), _) => match acl {
                    Setting::Known(Some(a), _) => Setting::Known(Some(a.clone()), prov.clone()),
                    Setting::Known(None, _) => Setting::Known(Some("?".to_string()), prov.clone()),
                    Setting::Unknown(why) => Setting::Unknown(why.clone()),
                },
                (_, Some(why)) => {
                    Setting::Unknown(format!("a web ACL association names a resource that is unknown: {why}"))
                }
                _ => Setting::absent(),
            };
        }
    }
}

/// Of two stages' settings, the one a summary should show: a default is replaced, a `weak` value
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
pub(crate) mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use sensei_model::apigateway::{IntegrationType, LoggingLevel, StageSource};
    use sensei_model::{Inventory, Setting, Syntax};

    use crate::resources::{created, finish, map_resource};
    use crate::template::Template;

    /// What `read` does: generated SAM ids, every resource mapped, then the post-pass.
    pub(crate) fn inventory(text: &str) -> Inventory {
        let root = crate::load::load(text).unwrap();
        let overrides = HashMap::new();
        let mut template = Template::new(Arc::from("t.yaml"), Syntax::Yaml, &root, &overrides).unwrap();
        crate::sam::declare_generated(&mut template);
        let mut inventory = Inventory::default();
        for (key, body) in created(&template) {
            map_resource(&template, key, body, &mut inventory);
        }
        finish(&template, &mut inventory);
        assert!(template.take_diagnostics().is_empty());
        inventory
    }

    #[test]
    fn rest_stages_read_method_settings_and_waf_associations() {
        let inv = inventory(
            "Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Policy: {Version: '2012-10-17', Statement: []}}}
  Auth: {Type: AWS::ApiGateway::Authorizer, Properties: {RestApiId: !Ref Api, Type: TOKEN}}
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: prod
      CacheClusterEnabled: true
      MethodSettings:
        - {ResourcePath: /*, HttpMethod: '*', LoggingLevel: error, CacheDataEncrypted: true}
        - {ResourcePath: /~1items, HttpMethod: GET, LoggingLevel: 'OFF', CachingEnabled: false}
  Old:
    Type: AWS::ApiGateway::Deployment
    Properties: {RestApiId: !Ref Api, StageName: v1, StageDescription: {LoggingLevel: INFO, CachingEnabled: true}}
  Acl:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Prod}
      WebACLArn: arn:aws:wafv2:eu-west-1:1:regional/webacl/a/b
",
        );
        let api = &inv.apis[0];
        assert_eq!(api.policy.known(), Some(&true));
        assert_eq!(api.authorizers[0].authorizer_type.known().cloned().flatten().as_deref(), Some("TOKEN"));
        let prod = api.stages.iter().find(|s| s.resource.id == "Prod").unwrap();
        assert_eq!(prod.source, StageSource::Stage);
        assert_eq!(prod.logging_level.known(), Some(&LoggingLevel::Error));
        assert_eq!(prod.cache_data_encrypted.known(), Some(&true));
        assert!(matches!(prod.caching_enabled, Setting::Known(false, sensei_model::Provenance::Default)));
        let items = &prod.method_settings.known().unwrap()[0];
        assert_eq!(items.target, "GET /items");
        assert_eq!(items.logging_level.known(), Some(&Some(LoggingLevel::Off)));
        assert_eq!(items.caching_enabled.known(), Some(&Some(false)));
        assert_eq!(items.cache_data_encrypted.known(), Some(&None));
        assert!(prod.web_acl_arn.known().unwrap().is_some());
        let old = api.stages.iter().find(|s| s.resource.id == "Old").unwrap();
        assert_eq!(old.source, StageSource::Deployment);
        assert_eq!(old.logging_level.known(), Some(&LoggingLevel::Info));
        assert_eq!(old.caching_enabled.known(), Some(&true));
        assert_eq!(old.web_acl_arn.known(), Some(&None));
    }

    #[test]
    fn sam_apis_carry_their_stage_auth_and_api_keys() {
        let inv = inventory(
            "Transform: AWS::Serverless-2016-10-31
Globals:
  Api: {TracingEnabled: true, Auth: {ApiKeyRequired: true}}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      Events:
        Get: {Type: Api, Properties: {Path: /a, Method: get}}
        Open: {Type: Api, Properties: {Path: /b, Method: get, Auth: {ApiKeyRequired: false}}}
        Ws: {Type: HttpApi, Properties: {ApiId: !Ref Http, Path: /c, Method: get}}
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefaultRouteSettings: {LoggingLevel: INFO}
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers: {Jwt: {JwtConfiguration: {issuer: i, audience: [a]}, IdentitySource: $request.header.Authorization}}
",
        );
        let rest = inv.apis.iter().find(|a| a.resource.id == "ServerlessRestApi").unwrap();
        let stage = &rest.stages[0];
        assert_eq!(stage.resource.id, "ServerlessRestApiProdStage");
        assert_eq!(stage.source, StageSource::SamImplicitApi);
        assert_eq!(stage.tracing_enabled.known(), Some(&true));
        let http = inv.apis.iter().find(|a| a.resource.id == "Http").unwrap();
        assert_eq!(http.stages[0].resource.id, "HttpApiGatewayDefaultStage");
        assert_eq!(http.stages[0].logging_level.known(), Some(&LoggingLevel::Info));
        assert_eq!(http.authorizers[0].authorizer_type.known().cloned().flatten().as_deref(), Some("JWT"));
        let route = |id: &str| inv.routes.iter().find(|r| r.resource.id == id).unwrap();
        assert_eq!(route("FnGet").api_key_required.known(), Some(&true));
        assert_eq!(route("FnOpen").api_key_required.known(), Some(&false));
        assert_eq!(route("FnGet").integration_type.known(), Some(&Some(IntegrationType::AwsProxy)));
        assert_eq!(route("FnWs").authorization_type.known().cloned().flatten().as_deref(), Some("JWT"));
    }
}
