//! Amazon API Gateway HTTP and WebSocket APIs: their stages, routes and authorizers.
//!
//! Authorizers are read one by one (`GetAuthorizer`, for the ids the routes name): it needs the
//! same permission as `GetAuthorizers`, and some emulators lack the plural call.

use std::collections::BTreeMap;

use aws_sdk_apigatewayv2::Client;
use aws_sdk_apigatewayv2::operation::get_authorizer::GetAuthorizerOutput;
use aws_sdk_apigatewayv2::types::{Api as SdkApi, ProtocolType, Route as SdkRoute, Stage as SdkStage};
use futures_util::StreamExt as _;
use sensei_model::apigateway::{Api, ApiKind, Authorizer, LoggingLevel, MethodSetting, Route, Stage, StageSource};
use sensei_model::{ResourceRef, ResourceType, Setting};

use crate::apigateway::{unknown_stage, weakest_log, weakest_tracing};
use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{CONCURRENCY_PER_SERVICE, Filter, NOT_READ_YET, Scope, live_ref};

/// What was read about one HTTP or WebSocket API.
#[derive(Debug)]
pub struct ApiReads {
    pub stages: Read<Vec<SdkStage>>,
    pub routes: Read<Vec<SdkRoute>>,
    /// Authorizer id → its `GetAuthorizer` answer.
    pub authorizers: BTreeMap<String, Read<GetAuthorizerOutput>>,
}

pub async fn fetch_apis(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> (Vec<Api>, Vec<Route>) {
    let mut reader = Reader::new("apigateway", Some(region), None, &scope.gaps);
    let listed: Read<Vec<SdkApi>> = token_pages!(
        reader,
        "GetApis",
        |token| client.get_apis().set_next_token(token.clone()),
        |p: &aws_sdk_apigatewayv2::operation::get_apis::GetApisOutput| p.items().to_vec(),
        |p: &aws_sdk_apigatewayv2::operation::get_apis::GetApisOutput| p.next_token().map(str::to_string)
    );
    let mut apis = listed.or_empty();
    apis.retain(|a| {
        let id = a.api_id().unwrap_or_default();
        filter.in_stacks(&[id]) && filter.has_tags(Some(&a.tags().cloned().unwrap_or_default().into_iter().collect()))
    });
    scope.progress.discovered(apis.len());
    let read: Vec<(Api, Vec<Route>)> = futures_util::stream::iter(apis)
        .map(|api| async move {
            let id = api.api_id().unwrap_or_default().to_string();
            let arn = api_arn(region, &id);
            let mut reader = Reader::new("apigateway", Some(region), Some(&arn), &scope.gaps);
            let stages = token_pages!(
                reader,
                "GetStages",
                |token| client.get_stages().api_id(&id).set_next_token(token.clone()),
                |p: &aws_sdk_apigatewayv2::operation::get_stages::GetStagesOutput| p.items().to_vec(),
                |p: &aws_sdk_apigatewayv2::operation::get_stages::GetStagesOutput| p.next_token().map(str::to_string)
            );
            let routes = token_pages!(
                reader,
                "GetRoutes",
                |token| client.get_routes().api_id(&id).set_next_token(token.clone()),
                |p: &aws_sdk_apigatewayv2::operation::get_routes::GetRoutesOutput| p.items().to_vec(),
                |p: &aws_sdk_apigatewayv2::operation::get_routes::GetRoutesOutput| p.next_token().map(str::to_string)
            );
            let mut ids: Vec<String> =
                routes.got().into_iter().flatten().filter_map(|r| r.authorizer_id().map(str::to_string)).collect();
            ids.sort();
            ids.dedup();
            let mut authorizers = BTreeMap::new();
            for aid in ids {
                let got = client.get_authorizer().api_id(&id).authorizer_id(&aid).send().await;
                let read = reader.get("GetAuthorizer", got);
                authorizers.insert(aid, read);
            }
            let stack = stacks.stack_of(&[&id]);
            scope.progress.fetched();
            map_api(&api, region, &scope.account, stack, &ApiReads { stages, routes, authorizers }, reader.unread)
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    let mut apis = Vec::new();
    let mut routes = Vec::new();
    for (api, r) in read {
        apis.push(api);
        routes.extend(r);
    }
    (apis, routes)
}

/// `arn:aws:apigateway:<region>::/apis/<id>`.
pub fn api_arn(region: &str, id: &str) -> String {
    format!("arn:aws:apigateway:{region}::/apis/{id}")
}

/// An HTTP or WebSocket API, its stages and authorizers, and its routes.
pub fn map_api(
    api: &SdkApi,
    region: &str,
    account: &str,
    stack: Option<String>,
    reads: &ApiReads,
    unread: Vec<String>,
) -> (Api, Vec<Route>) {
    let id = api.api_id().unwrap_or_default();
    let arn = api_arn(region, id);
    let kind = match api.protocol_type() {
        Some(ProtocolType::Websocket) => ApiKind::WebSocket,
        _ => ApiKind::Http,
    };
    let resource = live_ref(&arn, "AWS::ApiGatewayV2::Api", account, Some(region), stack, unread);
    let child = |id: String, ty: &str| ResourceRef { id, resource_type: ResourceType::new(ty), ..resource.clone() };
    let stages: Vec<Stage> = match &reads.stages {
        Read::Got(list) => list
            .iter()
            .map(|s| {
                let name = s.stage_name().unwrap_or_default();
                map_stage(s, &arn, child(format!("{arn}/stages/{name}"), "AWS::ApiGatewayV2::Stage"))
            })
            .collect(),
        Read::Failed(why) => {
            vec![unknown_stage(child(format!("{arn}/stages"), "AWS::ApiGatewayV2::Stage"), &arn, why)]
        }
    };
    let authorizers = reads
        .authorizers
        .iter()
        .map(|(aid, read)| Authorizer {
            resource: child(format!("{arn}/authorizers/{aid}"), "AWS::ApiGatewayV2::Authorizer"),
            name: read.got().and_then(|a| a.name()).unwrap_or(aid).to_string(),
            authorizer_type: read.setting(|a| a.authorizer_type().map(|t| t.as_str().to_string())),
        })
        .collect();
    let routes = match &reads.routes {
        Read::Got(list) => list
            .iter()
            .map(|r| {
                let rid = r.route_id().unwrap_or_default();
                let mut route =
                    map_route(r, kind, &arn, child(format!("{arn}/routes/{rid}"), "AWS::ApiGatewayV2::Route"));
                // The authorizer by its name, when it was read.
                if let Some(name) = r
                    .authorizer_id()
                    .and_then(|aid| reads.authorizers.get(aid))
                    .and_then(|a| a.got())
                    .and_then(|a| a.name())
                {
                    route.authorizer = live(Some(name.to_string()));
                }
                route
            })
            .collect(),
        Read::Failed(why) => vec![Route {
            resource: child(format!("{arn}/routes"), "AWS::ApiGatewayV2::Route"),
            api: arn.clone(),
            method: "?".to_string(),
            path: "?".to_string(),
            authorization_type: Setting::Unknown(why.clone()),
            authorizer: Setting::Unknown(why.clone()),
            function: None,
            api_key_required: Setting::Unknown(why.clone()),
            integration_type: Setting::Unknown(why.clone()),
        }],
    };
    let api = Api {
        kind,
        name: live(api.name().map(str::to_string)),
        tracing_enabled: weakest_tracing(&stages),
        access_log_destination: weakest_log(&stages),
        // REST only.
        minimum_compression_size: live(None),
        // HTTP and WebSocket APIs take no resource policy.
        policy: live(false),
        openapi_definition: false,
        stages,
        authorizers,
        resource,
    };
    (api, routes)
}

/// A deployed HTTP or WebSocket stage. X-Ray, client certificates to the backend and caches are
/// REST features: they are off here.
pub fn map_stage(s: &SdkStage, api: &str, resource: ResourceRef) -> Stage {
    let level =
        |r: &aws_sdk_apigatewayv2::types::RouteSettings| r.logging_level().map(|l| LoggingLevel::parse(l.as_str()));
    let mut overrides: Vec<MethodSetting> = s
        .route_settings()
        .map(|m| {
            m.iter()
                .map(|(key, r)| MethodSetting {
                    target: key.clone(),
                    location: None,
                    logging_level: live(level(r)),
                    caching_enabled: live(None),
                    cache_data_encrypted: live(None),
                })
                .collect()
        })
        .unwrap_or_default();
    overrides.sort_by(|a, b| a.target.cmp(&b.target));
    Stage {
        resource,
        api: api.to_string(),
        source: StageSource::Live,
        stage_name: live(s.stage_name().map(str::to_string)),
        tracing_enabled: live(false),
        client_certificate_id: live(s.client_certificate_id().filter(|c| !c.is_empty()).map(str::to_string)),
        cache_cluster_enabled: live(false),
        access_log_destination: live(
            s.access_log_settings().and_then(|a| a.destination_arn()).filter(|d| !d.is_empty()).map(str::to_string),
        ),
        logging_level: live(s.default_route_settings().and_then(level).unwrap_or(LoggingLevel::Off)),
        caching_enabled: live(false),
        cache_data_encrypted: live(false),
        method_settings: live(overrides),
        // WAF associates with REST stages only.
        web_acl_arn: live(None),
    }
}

/// A route: `GET /items` is split into method and path; `$default` and WebSocket keys are kept whole.
pub fn map_route(r: &SdkRoute, kind: ApiKind, api: &str, resource: ResourceRef) -> Route {
    let key = r.route_key().unwrap_or("?");
    let (method, path) = match key.split_once(' ') {
        Some((m, p)) if kind == ApiKind::Http => (m.to_ascii_uppercase(), p.to_string()),
        _ if kind == ApiKind::Http => ("ANY".to_string(), key.to_string()),
        _ => (key.to_string(), String::new()),
    };
    Route {
        resource,
        api: api.to_string(),
        method,
        path,
        authorization_type: live(Some(r.authorization_type().map_or("NONE", |t| t.as_str()).to_ascii_uppercase())),
        authorizer: live(r.authorizer_id().map(str::to_string)),
        function: None,
        api_key_required: live(r.api_key_required().unwrap_or(false)),
        integration_type: Setting::Unknown(format!("the integrations of HTTP and WebSocket APIs are {NOT_READ_YET}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_apigatewayv2::types::{AccessLogSettings, AuthorizationType, AuthorizerType, RouteSettings};
    use sensei_model::Provenance;

    #[test]
    fn maps_an_http_api_its_routes_and_authorizers() {
        let api = SdkApi::builder().api_id("h1").name("web").protocol_type(ProtocolType::Http).build();
        let reads = ApiReads {
            stages: Read::Got(vec![
                SdkStage::builder()
                    .stage_name("$default")
                    .access_log_settings(AccessLogSettings::builder().destination_arn("arn:aws:logs:x").build())
                    .build(),
            ]),
            routes: Read::Got(vec![
                SdkRoute::builder().route_id("r1").route_key("GET /open").build(),
                SdkRoute::builder()
                    .route_id("r2")
                    .route_key("POST /closed")
                    .authorization_type(AuthorizationType::Jwt)
                    .authorizer_id("a1")
                    .build(),
            ]),
            authorizers: BTreeMap::from([(
                "a1".to_string(),
                Read::Got(GetAuthorizerOutput::builder().name("cognito").authorizer_type(AuthorizerType::Jwt).build()),
            )]),
        };
        let (a, routes) = map_api(&api, "eu-west-1", "1", None, &reads, vec![]);
        assert_eq!(a.kind, ApiKind::Http);
        assert_eq!(a.resource.id, "arn:aws:apigateway:eu-west-1::/apis/h1");
        assert_eq!(a.stages[0].access_log_destination, Setting::Known(Some("arn:aws:logs:x".into()), Provenance::Live));
        assert_eq!(a.authorizers[0].name, "cognito");
        assert_eq!(routes[0].resource.id, "arn:aws:apigateway:eu-west-1::/apis/h1/routes/r1");
        assert_eq!((routes[0].method.as_str(), routes[0].path.as_str()), ("GET", "/open"));
        assert_eq!(routes[0].authorization_type, Setting::Known(Some("NONE".into()), Provenance::Live));
        assert_eq!(routes[1].authorization_type, Setting::Known(Some("JWT".into()), Provenance::Live));
        assert_eq!(routes[1].authorizer, Setting::Known(Some("cognito".into()), Provenance::Live));
    }

    #[test]
    fn websocket_keys_stay_whole_and_failures_are_unknown() {
        let api = SdkApi::builder().api_id("w1").name("ws").protocol_type(ProtocolType::Websocket).build();
        let why = "apigateway:GetRoutes failed: AccessDenied";
        let reads = ApiReads {
            stages: Read::Got(vec![
                SdkStage::builder()
                    .stage_name("prod")
                    .default_route_settings(
                        RouteSettings::builder()
                            .logging_level(aws_sdk_apigatewayv2::types::LoggingLevel::Error)
                            .build(),
                    )
                    .build(),
            ]),
            routes: Read::Failed(why.into()),
            authorizers: BTreeMap::new(),
        };
        let (a, routes) = map_api(&api, "eu-west-1", "1", None, &reads, vec![]);
        assert_eq!(a.kind, ApiKind::WebSocket);
        assert_eq!(a.stages[0].logging_level, Setting::Known(LoggingLevel::Error, Provenance::Live));
        assert!(matches!(routes[0].authorization_type, Setting::Unknown(_)));
        let r = map_route(
            &SdkRoute::builder().route_key("$connect").build(),
            ApiKind::WebSocket,
            "api",
            live_ref("r", "AWS::ApiGatewayV2::Route", "1", None, None, vec![]),
        );
        assert_eq!((r.method.as_str(), r.path.as_str()), ("$connect", ""));
    }
}
