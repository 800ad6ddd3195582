//! `AWS::Serverless::Api` and `HttpApi`, the implicit `ServerlessRestApi` and
//! `ServerlessHttpApi`, and the routes that API events declare.

use sensei_model::apigateway::{Api, ApiKind, Route};
use sensei_model::{Inventory, ResourceRef, Setting};

use crate::node::Node;
use crate::props::Props;
use crate::resources::{Ctx, Field, field, literal_of, target_id, text_of};
use crate::template::Template;

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
    Api {
        resource,
        kind,
        name: props.text("Name"),
        tracing_enabled: if rest { props.bool_or("TracingEnabled", false) } else { Setting::default_value(false) },
        access_log_destination: if rest {
            text_of("DestinationArn", field(props, &["AccessLogSetting", "DestinationArn"]))
        } else {
            text_of("DestinationArn", field(props, &["AccessLogSettings", "DestinationArn"]))
        },
        minimum_compression_size: if rest { props.number("MinimumCompressionSize") } else { Setting::absent() },
    }
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
    Route {
        resource: cx.generated_ref(id.to_string(), resource_type),
        api,
        method,
        path,
        authorization_type,
        authorizer,
        function: function.map(str::to_string),
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
