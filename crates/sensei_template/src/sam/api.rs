//! `AWS::Serverless::Api` and `HttpApi`, the implicit `ServerlessRestApi` and
//! `ServerlessHttpApi`, and the routes that API events declare.

use sensei_model::apigateway::{Api, ApiKind, Authorizer, IntegrationType, Route, StageSource};
use sensei_model::{Inventory, ResourceRef, ResourceType, Setting};

use crate::node::Node;
use crate::props::Props;
use crate::resources::apigateway::{rest_stage, v2_stage};
use crate::resources::{Ctx, Field, bool_of, field, literal_of, target_id};
use crate::template::Template;
use crate::value::Val;

use super::globals;

pub const IMPLICIT_REST_API: &str = "ServerlessRestApi";
pub const IMPLICIT_HTTP_API: &str = "ServerlessHttpApi";

pub fn rest_api(cx: &Ctx<'_, '_>) -> Api {
    let props = cx.props().with_globals(globals(cx.template, "Api"));
    api(cx.resource_ref("AWS::ApiGateway::RestApi"), &props, ApiKind::Rest)
}

pub fn http_api(cx: &Ctx<'_, '_>) -> Api {
    let props = cx.props().with_globals(globals(cx.template, "HttpApi"));
    api(cx.resource_ref("AWS::ApiGatewayV2::Api"), &props, ApiKind::Http)
}

fn api(resource: ResourceRef, props: &Props<'_, '_>, kind: ApiKind) -> Api {
    let rest = kind == ApiKind::Rest;
    let id = resource.id.clone();
    let implicit = id == IMPLICIT_REST_API || id == IMPLICIT_HTTP_API;
    let source = if implicit { StageSource::SamImplicitApi } else { StageSource::SamApi };
    let stage_name = match props.literal("StageName") {
        Setting::Known(None, _) if implicit && rest => Setting::default_value(Some("Prod".to_string())),
        Setting::Known(None, _) if !rest => Setting::default_value(Some("$default".to_string())),
        other => other,
    };
    let stage_id = match stage_name.known().cloned().flatten() {
        Some(name) if name == "$default" => format!("{id}ApiGatewayDefaultStage"),
        Some(name) => format!("{id}{}Stage", name.chars().filter(char::is_ascii_alphanumeric).collect::<String>()),
        None => format!("{id}Stage"),
    };
    let stage_resource = ResourceRef {
        id: stage_id,
        resource_type: ResourceType::new(if rest { "AWS::ApiGateway::Stage" } else { "AWS::ApiGatewayV2::Stage" }),
        generated_from: Some(resource.declared_id().to_string()),
        ..resource.clone()
    };
    let stage = if rest {
        rest_stage(stage_resource, id.clone(), source, stage_name, props)
    } else {
        v2_stage(stage_resource, id.clone(), source, stage_name, props)
    };
    let policy = match field(props, &["Auth", "ResourcePolicy"]) {
        None => Setting::default_value(false),
        Some((Val::Unknown(why), _)) => Setting::Unknown(why),
        Some((_, prov)) => Setting::Known(true, prov),
    };
    Api {
        kind,
        name: props.text("Name"),
        tracing_enabled: stage.tracing_enabled.clone(),
        access_log_destination: stage.access_log_destination.clone(),
        minimum_compression_size: if rest { props.number("MinimumCompressionSize") } else { Setting::absent() },
        policy,
        openapi_definition: props.has("DefinitionBody") || props.has("DefinitionUri"),
        stages: vec![stage],
        authorizers: authorizers(&resource, props, kind),
        resource,
    }
}

/// The authorizers of `Auth.Authorizers`, typed as CloudFormation types them.
fn authorizers(api: &ResourceRef, props: &Props<'_, '_>, kind: ApiKind) -> Vec<Authorizer> {
    let Some((Val::Map(entries), prov)) = field(props, &["Auth", "Authorizers"]) else { return Vec::new() };
    entries
        .iter()
        .map(|(name, definition)| {
            let has = |key: &str| definition.get(key).is_some();
            let ty = match kind {
                ApiKind::Rest if has("UserPoolArn") => "COGNITO_USER_POOLS",
                ApiKind::Rest if definition.get("FunctionPayloadType").and_then(Val::text) == Some("REQUEST") => {
                    "REQUEST"
                }
                ApiKind::Rest => "TOKEN",
                _ if has("JwtConfiguration") => "JWT",
                _ => "REQUEST",
            };
            Authorizer {
                resource: ResourceRef {
                    id: format!("{}{name}Authorizer", api.id),
                    resource_type: ResourceType::new(if kind == ApiKind::Rest {
                        "AWS::ApiGateway::Authorizer"
                    } else {
                        "AWS::ApiGatewayV2::Authorizer"
                    }),
                    generated_from: Some(api.declared_id().to_string()),
                    ..api.clone()
                },
                name: name.clone(),
                authorizer_type: Setting::Known(Some(ty.to_string()), prov.clone()),
            }
        })
        .collect()
}

/// The properties of the API `id` as SAM sees them: its own and its `Globals`. The implicit API
/// has only the `Globals`.
fn api_props<'t, 'n>(template: &'t Template<'n>, id: &str, kind: ApiKind) -> Props<'t, 'n> {
    let section = if kind == ApiKind::Rest { "Api" } else { "HttpApi" };
    let node = template.resource(id).and_then(|body| body.get("Properties"));
    let is_sam = template.resource_type(id).is_some_and(|t| t.starts_with("AWS::Serverless::"));
    let implicit = id == IMPLICIT_REST_API || id == IMPLICIT_HTTP_API;
    let globals = if is_sam || (implicit && node.is_none()) { globals(template, section) } else { None };
    Props { template, node, globals }
}

/// The route of an `Api` or `HttpApi` event, on the API it names or the implicit one, which is
/// added to the inventory the first time an event needs it.
pub fn event_route(
    cx: &Ctx<'_, '_>,
    id: &str,
    event: &Props<'_, '_>,
    function: Option<&str>,
    kind: ApiKind,
    inventory: &mut Inventory,
) -> Route {
    let rest = kind == ApiKind::Rest;
    let api_property = if rest { "RestApiId" } else { "ApiId" };
    let api = match event.raw(api_property) {
        Some((node, _)) => target_id(cx.template, node)
            .or_else(|| cx.template.resolve(node).text().map(str::to_string))
            .unwrap_or_else(|| "?".to_string()),
        None => implicit_api(cx, kind, inventory),
    };
    let method = event.literal("Method").known().cloned().flatten();
    let path = event.literal("Path").known().cloned().flatten();
    let (method, path) = match (method, path) {
        (None, None) if !rest => ("ANY".to_string(), "$default".to_string()),
        (method, path) => {
            (method.map_or_else(|| "?".to_string(), |m| normal_method(&m)), path.unwrap_or_else(|| "?".to_string()))
        }
    };
    let (authorization_type, authorizer) = authorization(cx.template, &api, event, kind);
    let resource_type = if rest { "AWS::ApiGateway::Method" } else { "AWS::ApiGatewayV2::Route" };
    // An API key is required by the event's `Auth`, else by its API's (REST only).
    let api_key_required = match field(event, &["Auth", "ApiKeyRequired"]) {
        Some(f) => bool_of("ApiKeyRequired", Some(f), false),
        None if rest => {
            bool_of("ApiKeyRequired", field(&api_props(cx.template, &api, kind), &["Auth", "ApiKeyRequired"]), false)
        }
        None => Setting::default_value(false),
    };
    let integration = if function.is_some() { IntegrationType::AwsProxy } else { IntegrationType::Aws };
    Route {
        resource: cx.generated_ref(id.to_string(), resource_type),
        api,
        method,
        path,
        authorization_type,
        authorizer,
        function: function.map(str::to_string),
        api_key_required,
        integration_type: Setting::default_value(Some(integration)),
    }
}

/// `get` → `GET`; SAM's `any` and `x-amazon-apigateway-any-method` → `ANY`.
fn normal_method(method: &str) -> String {
    if method.eq_ignore_ascii_case("x-amazon-apigateway-any-method") {
        return "ANY".to_string();
    }
    method.to_ascii_uppercase()
}

/// The id of the implicit API, added to `inventory` once.
fn implicit_api(cx: &Ctx<'_, '_>, kind: ApiKind, inventory: &mut Inventory) -> String {
    let (id, resource_type) = match kind {
        ApiKind::Rest => (IMPLICIT_REST_API, "AWS::ApiGateway::RestApi"),
        _ => (IMPLICIT_HTTP_API, "AWS::ApiGatewayV2::Api"),
    };
    if !inventory.apis.iter().any(|a| a.resource.id == id) && cx.template.resource(id).is_none() {
        let props = api_props(cx.template, id, kind);
        inventory.apis.push(api(cx.generated_ref(id.to_string(), resource_type), &props, kind));
    }
    id.to_string()
}

/// The authorization of a route: the event's `Auth.Authorizer`, else its API's
/// `Auth.DefaultAuthorizer`, else none. An authorizer name becomes the type of that authorizer.
fn authorization(
    template: &Template<'_>,
    api: &str,
    event: &Props<'_, '_>,
    kind: ApiKind,
) -> (Setting<Option<String>>, Setting<Option<String>>) {
    let api_props = api_props(template, api, kind);
    let chosen: Field =
        field(event, &["Auth", "Authorizer"]).or_else(|| field(&api_props, &["Auth", "DefaultAuthorizer"]));
    match literal_of("Authorizer", chosen) {
        Setting::Known(None, _) => (Setting::default_value(Some("NONE".to_string())), Setting::absent()),
        Setting::Known(Some(name), prov) => match name.as_str() {
            "NONE" | "AWS_IAM" => (Setting::Known(Some(name), prov), Setting::absent()),
            _ => {
                let ty = authorizer_type(&api_props, &name, kind);
                (Setting::Known(Some(ty.to_string()), prov.clone()), Setting::Known(Some(name), prov))
            }
        },
        Setting::Unknown(why) => (Setting::Unknown(why.clone()), Setting::Unknown(why)),
    }
}

/// The CloudFormation authorization type of a SAM authorizer, from its definition in `Auth.Authorizers`.
fn authorizer_type(api: &Props<'_, '_>, name: &str, kind: ApiKind) -> &'static str {
    let has = |property: &str| field(api, &["Auth", "Authorizers", name, property]).is_some();
    match kind {
        ApiKind::Rest if has("UserPoolArn") => "COGNITO_USER_POOLS",
        ApiKind::Http if has("JwtConfiguration") => "JWT",
        _ => "CUSTOM",
    }
}

/// The suffix of an API permission's id: the API's stage name (`Prod` for the implicit API).
pub fn stage_suffix(template: &Template<'_>, api: &str) -> String {
    let Some(body) = template.resource(api) else { return "Prod".to_string() };
    let stage = body.get("Properties").and_then(|p| p.get("StageName")).and_then(Node::as_str);
    match stage {
        Some(s) if s.chars().all(|c| c.is_ascii_alphanumeric()) => s.to_string(),
        _ => String::new(),
    }
}
