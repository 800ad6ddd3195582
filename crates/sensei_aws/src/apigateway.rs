//! Amazon API Gateway REST APIs: their stages, authorizers and methods.

use aws_sdk_apigateway::Client;
use aws_sdk_apigateway::operation::get_method::GetMethodOutput;
use aws_sdk_apigateway::types::{Authorizer as SdkAuthorizer, RestApi, Stage as SdkStage};
use futures_util::StreamExt as _;
use sensei_model::apigateway::{
    Api, ApiKind, Authorizer, IntegrationType, LoggingLevel, MethodSetting, Route, Stage, StageSource,
};
use sensei_model::{ResourceRef, ResourceType, Setting};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

/// What was read about one REST API.
#[derive(Debug)]
pub struct RestApiReads {
    pub stages: Read<Vec<SdkStage>>,
    pub authorizers: Read<Vec<SdkAuthorizer>>,
    /// Each method: (resource id, path, HTTP method, its `GetMethod` answer, what of it was not read).
    pub methods: Read<Vec<MethodRead>>,
}

/// One method of a resource, as `GetMethod` gave it.
#[derive(Debug)]
pub struct MethodRead {
    pub resource_id: String,
    pub path: String,
    pub http_method: String,
    pub method: Read<GetMethodOutput>,
    pub unread: Vec<String>,
}

pub async fn fetch_rest_apis(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> (Vec<Api>, Vec<Route>) {
    let mut reader = Reader::new("apigateway", Some(region), None, &scope.gaps);
    let listed: Read<Vec<RestApi>> = pages!(
        reader,
        "GetRestApis",
        client.get_rest_apis(),
        |p: &aws_sdk_apigateway::operation::get_rest_apis::GetRestApisOutput| p.items().to_vec()
    );
    let mut apis = listed.or_empty();
    apis.retain(|a| {
        let id = a.id().unwrap_or_default();
        filter.in_stacks(&[id]) && filter.has_tags(Some(&a.tags().cloned().unwrap_or_default().into_iter().collect()))
    });
    scope.progress.discovered(apis.len());
    let read: Vec<(Api, Vec<Route>)> = futures_util::stream::iter(apis)
        .map(|api| async move {
            let id = api.id().unwrap_or_default().to_string();
            let arn = rest_api_arn(region, &id);
            let mut reader = Reader::new("apigateway", Some(region), Some(&arn), &scope.gaps);
            let stages = match reader.get("GetStages", client.get_stages().rest_api_id(&id).send().await) {
                Read::Got(out) => Read::Got(out.item().to_vec()),
                Read::Failed(why) => Read::Failed(why),
            };
            let authorizers = fetch_authorizers(client, &id, &mut reader).await;
            let resources = pages!(
                reader,
                "GetResources",
                // `embed=methods`: each resource names its methods (AWS documents them as embedded
                // only on request).
                client.get_resources().rest_api_id(&id).embed("methods"),
                |p: &aws_sdk_apigateway::operation::get_resources::GetResourcesOutput| p.items().to_vec()
            );
            let methods = match resources {
                Read::Got(resources) => {
                    let mut out = Vec::new();
                    for resource in resources {
                        let rid = resource.id().unwrap_or_default().to_string();
                        let path = resource.path().unwrap_or("/").to_string();
                        let mut verbs: Vec<String> =
                            resource.resource_methods().map(|m| m.keys().cloned().collect()).unwrap_or_default();
                        verbs.sort();
                        for verb in verbs {
                            let method_arn = format!("{arn}/resources/{rid}/methods/{verb}");
                            let mut one = Reader::new("apigateway", Some(region), Some(&method_arn), &scope.gaps);
                            let got = client.get_method().rest_api_id(&id).resource_id(&rid).http_method(&verb).send();
                            let method = one.get("GetMethod", got.await);
                            out.push(MethodRead {
                                resource_id: rid.clone(),
                                path: path.clone(),
                                http_method: verb,
                                method,
                                unread: one.unread,
                            });
                        }
                    }
                    Read::Got(out)
                }
                Read::Failed(why) => Read::Failed(why),
            };
            let stack = stacks.stack_of(&[&id]);
            let reads = RestApiReads { stages, authorizers, methods };
            scope.progress.fetched();
            map_rest_api(&api, region, &scope.account, stack, &reads, reader.unread)
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

/// `GetAuthorizers`, every page (it pages by `position`, without a paginator).
async fn fetch_authorizers(client: &Client, id: &str, reader: &mut Reader<'_>) -> Read<Vec<SdkAuthorizer>> {
    let mut out = Vec::new();
    let mut position: Option<String> = None;
    loop {
        let got = client.get_authorizers().rest_api_id(id).set_position(position.clone()).send().await;
        match reader.get("GetAuthorizers", got) {
            Read::Got(page) => {
                out.extend(page.items().iter().cloned());
                match page.position() {
                    Some(next) if !next.is_empty() && position.as_deref() != Some(next) => {
                        position = Some(next.to_string())
                    }
                    _ => return Read::Got(out),
                }
            }
            Read::Failed(why) => return Read::Failed(why),
        }
    }
}

/// `arn:aws:apigateway:<region>::/restapis/<id>`.
pub fn rest_api_arn(region: &str, id: &str) -> String {
    format!("arn:aws:apigateway:{region}::/restapis/{id}")
}

/// A REST API, its stages and authorizers, and its methods as routes.
pub fn map_rest_api(
    api: &RestApi,
    region: &str,
    account: &str,
    stack: Option<String>,
    reads: &RestApiReads,
    unread: Vec<String>,
) -> (Api, Vec<Route>) {
    let id = api.id().unwrap_or_default();
    let arn = rest_api_arn(region, id);
    let resource = live_ref(&arn, "AWS::ApiGateway::RestApi", account, Some(region), stack, unread);
    let child = |id: String, ty: &str| ResourceRef { id, resource_type: ResourceType::new(ty), ..resource.clone() };
    let stages: Vec<Stage> = match &reads.stages {
        Read::Got(list) => list
            .iter()
            .map(|s| {
                let name = s.stage_name().unwrap_or_default();
                map_rest_stage(s, &arn, child(format!("{arn}/stages/{name}"), "AWS::ApiGateway::Stage"))
            })
            .collect(),
        // The stages could not be listed: one stage whose every setting is unknown stands for them.
        Read::Failed(why) => {
            vec![unknown_stage(child(format!("{arn}/stages"), "AWS::ApiGateway::Stage"), &arn, why)]
        }
    };
    let authorizers = match &reads.authorizers {
        Read::Got(list) => list
            .iter()
            .map(|a| Authorizer {
                resource: child(
                    format!("{arn}/authorizers/{}", a.id().unwrap_or_default()),
                    "AWS::ApiGateway::Authorizer",
                ),
                name: a.name().unwrap_or_default().to_string(),
                authorizer_type: live(a.r#type().map(|t| t.as_str().to_string())),
            })
            .collect(),
        // Authorizers only shape the fixes proposed: none known is not a verdict.
        Read::Failed(_) => Vec::new(),
    };
    let routes = match &reads.methods {
        Read::Got(list) => list
            .iter()
            .map(|m| {
                let r = ResourceRef {
                    live: resource.live.clone().map(|mut l| {
                        l.unread = m.unread.clone();
                        l
                    }),
                    ..child(
                        format!("{arn}/resources/{}/methods/{}", m.resource_id, m.http_method),
                        "AWS::ApiGateway::Method",
                    )
                };
                let mut route = map_method(r, &arn, &m.path, &m.http_method, &m.method);
                // The authorizer by its name, when it was listed.
                if let Some(name) = m.method.got().and_then(|got| got.authorizer_id()).and_then(|aid| {
                    reads.authorizers.got()?.iter().find(|a| a.id() == Some(aid)).and_then(|a| a.name())
                }) {
                    route.authorizer = live(Some(name.to_string()));
                }
                route
            })
            .collect(),
        // The methods could not be listed: one method whose every setting is unknown stands for them.
        Read::Failed(why) => vec![Route {
            resource: child(format!("{arn}/resources"), "AWS::ApiGateway::Method"),
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
        kind: ApiKind::Rest,
        name: live(api.name().map(str::to_string)),
        tracing_enabled: weakest_tracing(&stages),
        access_log_destination: weakest_log(&stages),
        minimum_compression_size: live(api.minimum_compression_size().and_then(|n| u32::try_from(n).ok())),
        policy: live(api.policy().is_some_and(|p| !p.trim().is_empty())),
        openapi_definition: false,
        stages,
        authorizers,
        resource,
    };
    (api, routes)
}

/// X-Ray tracing as the weakest stage has it.
pub fn weakest_tracing(stages: &[Stage]) -> Setting<bool> {
    let mut out = live(!stages.is_empty());
    for s in stages {
        match &s.tracing_enabled {
            Setting::Known(false, _) => return live(false),
            Setting::Unknown(why) => out = Setting::Unknown(why.clone()),
            Setting::Known(true, _) => {}
        }
    }
    out
}

/// The access log destination as the weakest stage has it.
pub fn weakest_log(stages: &[Stage]) -> Setting<Option<String>> {
    let mut out = live(None);
    for s in stages {
        match &s.access_log_destination {
            Setting::Known(None, _) => return live(None),
            Setting::Unknown(why) => out = Setting::Unknown(why.clone()),
            Setting::Known(Some(d), _) => {
                if matches!(out, Setting::Known(None, _)) {
                    out = live(Some(d.clone()));
                }
            }
        }
    }
    out
}

/// A stage that could not be read.
pub fn unknown_stage(resource: ResourceRef, api: &str, why: &str) -> Stage {
    Stage {
        resource,
        api: api.to_string(),
        source: StageSource::Live,
        stage_name: Setting::Unknown(why.to_string()),
        tracing_enabled: Setting::Unknown(why.to_string()),
        client_certificate_id: Setting::Unknown(why.to_string()),
        cache_cluster_enabled: Setting::Unknown(why.to_string()),
        access_log_destination: Setting::Unknown(why.to_string()),
        logging_level: Setting::Unknown(why.to_string()),
        caching_enabled: Setting::Unknown(why.to_string()),
        cache_data_encrypted: Setting::Unknown(why.to_string()),
        method_settings: Setting::Unknown(why.to_string()),
        web_acl_arn: Setting::Unknown(why.to_string()),
    }
}

/// A deployed REST stage. The `*/*` method setting holds the stage-wide values; without it, logging
/// is off and nothing is cached, as API Gateway does.
pub fn map_rest_stage(s: &SdkStage, api: &str, resource: ResourceRef) -> Stage {
    let settings = s.method_settings().cloned().unwrap_or_default();
    let all = settings.get("*/*");
    let mut overrides: Vec<MethodSetting> = settings
        .iter()
        .filter(|(k, _)| k.as_str() != "*/*")
        .map(|(key, m)| MethodSetting {
            target: method_target(key),
            location: None,
            logging_level: live(m.logging_level().map(LoggingLevel::parse)),
            caching_enabled: live(Some(m.caching_enabled())),
            cache_data_encrypted: live(Some(m.cache_data_encrypted())),
        })
        .collect();
    overrides.sort_by(|a, b| a.target.cmp(&b.target));
    Stage {
        resource,
        api: api.to_string(),
        source: StageSource::Live,
        stage_name: live(s.stage_name().map(str::to_string)),
        tracing_enabled: live(s.tracing_enabled()),
        client_certificate_id: live(s.client_certificate_id().filter(|c| !c.is_empty()).map(str::to_string)),
        cache_cluster_enabled: live(s.cache_cluster_enabled()),
        access_log_destination: live(
            s.access_log_settings().and_then(|a| a.destination_arn()).filter(|d| !d.is_empty()).map(str::to_string),
        ),
        logging_level: live(all.and_then(|m| m.logging_level()).map_or(LoggingLevel::Off, LoggingLevel::parse)),
        caching_enabled: live(all.is_some_and(|m| m.caching_enabled())),
        cache_data_encrypted: live(all.is_some_and(|m| m.cache_data_encrypted())),
        method_settings: live(overrides),
        web_acl_arn: live(s.web_acl_arn().filter(|a| !a.is_empty()).map(str::to_string)),
    }
}

/// A `MethodSettings` key (`~1items/GET`, `*/*`) as a target (`GET /items`, `* *`).
pub fn method_target(key: &str) -> String {
    match key.rsplit_once('/') {
        Some((path, method)) => format!("{method} {}", path.replace("~1", "/")),
        None => key.to_string(),
    }
}

/// A method of a REST API as a route.
pub fn map_method(
    resource: ResourceRef,
    api: &str,
    path: &str,
    http_method: &str,
    method: &Read<GetMethodOutput>,
) -> Route {
    Route {
        resource,
        api: api.to_string(),
        method: http_method.to_ascii_uppercase(),
        path: path.to_string(),
        authorization_type: method.setting(|m| Some(m.authorization_type().unwrap_or("NONE").to_ascii_uppercase())),
        authorizer: method.setting(|m| m.authorizer_id().map(str::to_string)),
        function: None,
        api_key_required: method.setting(|m| m.api_key_required().unwrap_or(false)),
        integration_type: method
            .setting(|m| m.method_integration().and_then(|i| i.r#type()).map(|t| IntegrationType::parse(t.as_str()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_apigateway::types::{
        AccessLogSettings, AuthorizerType, Integration, IntegrationType as SdkIntegrationType,
        MethodSetting as SdkMethodSetting,
    };
    use sensei_model::Provenance;

    fn api() -> RestApi {
        RestApi::builder().id("abc").name("orders").minimum_compression_size(1024).build()
    }

    #[test]
    fn maps_an_api_its_stages_and_methods() {
        let stage = SdkStage::builder()
            .stage_name("prod")
            .tracing_enabled(true)
            .access_log_settings(AccessLogSettings::builder().destination_arn("arn:aws:logs:x").build())
            .method_settings(
                "*/*",
                SdkMethodSetting::builder()
                    .logging_level("INFO")
                    .caching_enabled(true)
                    .cache_data_encrypted(false)
                    .build(),
            )
            .method_settings("~1items/GET", SdkMethodSetting::builder().logging_level("OFF").build())
            .build();
        let method = GetMethodOutput::builder()
            .http_method("GET")
            .authorization_type("COGNITO_USER_POOLS")
            .authorizer_id("z")
            .method_integration(Integration::builder().r#type(SdkIntegrationType::AwsProxy).build())
            .build();
        let reads = RestApiReads {
            stages: Read::Got(vec![stage]),
            authorizers: Read::Got(vec![
                SdkAuthorizer::builder().id("z").name("jwt").r#type(AuthorizerType::CognitoUserPools).build(),
            ]),
            methods: Read::Got(vec![MethodRead {
                resource_id: "r1".into(),
                path: "/items".into(),
                http_method: "GET".into(),
                method: Read::Got(method),
                unread: vec![],
            }]),
        };
        let (a, routes) = map_rest_api(&api(), "eu-west-1", "1", None, &reads, vec![]);
        assert_eq!(a.resource.id, "arn:aws:apigateway:eu-west-1::/restapis/abc");
        assert_eq!(a.minimum_compression_size, Setting::Known(Some(1024), Provenance::Live));
        assert_eq!(a.policy, Setting::Known(false, Provenance::Live));
        let s = &a.stages[0];
        assert_eq!(s.resource.id, "arn:aws:apigateway:eu-west-1::/restapis/abc/stages/prod");
        assert_eq!(s.logging_level, Setting::Known(LoggingLevel::Info, Provenance::Live));
        assert_eq!(s.caching_enabled, Setting::Known(true, Provenance::Live));
        assert_eq!(s.cache_data_encrypted, Setting::Known(false, Provenance::Live));
        let overrides = s.method_settings.known().unwrap();
        assert_eq!(overrides[0].target, "GET /items");
        assert_eq!(overrides[0].logging_level, Setting::Known(Some(LoggingLevel::Off), Provenance::Live));
        assert_eq!(a.tracing_enabled, Setting::Known(true, Provenance::Live));
        assert_eq!(a.access_log_destination, Setting::Known(Some("arn:aws:logs:x".into()), Provenance::Live));
        assert_eq!(
            a.authorizers[0].authorizer_type,
            Setting::Known(Some("COGNITO_USER_POOLS".into()), Provenance::Live)
        );
        assert_eq!(routes.len(), 1);
        assert_eq!((routes[0].method.as_str(), routes[0].path.as_str()), ("GET", "/items"));
        assert_eq!(routes[0].api, a.resource.id);
        assert_eq!(routes[0].authorization_type, Setting::Known(Some("COGNITO_USER_POOLS".into()), Provenance::Live));
        assert_eq!(routes[0].authorizer, Setting::Known(Some("jwt".into()), Provenance::Live));
        assert_eq!(routes[0].integration_type, Setting::Known(Some(IntegrationType::AwsProxy), Provenance::Live));
    }

    #[test]
    fn a_stage_without_method_settings_logs_nothing() {
        let s = map_rest_stage(
            &SdkStage::builder().stage_name("dev").build(),
            "api",
            live_ref("x", "AWS::ApiGateway::Stage", "1", None, None, vec![]),
        );
        assert_eq!(s.logging_level, Setting::Known(LoggingLevel::Off, Provenance::Live));
        assert_eq!(s.access_log_destination, Setting::Known(None, Provenance::Live));
        assert_eq!(s.client_certificate_id, Setting::Known(None, Provenance::Live));
    }

    #[test]
    fn unread_stages_and_methods_are_unknown() {
        let why = "apigateway:GetStages failed: AccessDenied";
        let reads = RestApiReads {
            stages: Read::Failed(why.into()),
            authorizers: Read::Failed(why.into()),
            methods: Read::Failed(why.into()),
        };
        let (a, routes) = map_rest_api(&api(), "eu-west-1", "1", None, &reads, vec![]);
        assert_eq!(a.stages.len(), 1, "unlisted stages are unknown, not absent");
        assert!(matches!(a.stages[0].access_log_destination, Setting::Unknown(_)));
        assert!(matches!(a.tracing_enabled, Setting::Unknown(_)));
        assert_eq!(routes.len(), 1, "unlisted methods are unknown, not absent");
        assert!(matches!(routes[0].authorization_type, Setting::Unknown(_)));
        let m = map_method(
            live_ref("m", "AWS::ApiGateway::Method", "1", None, None, vec![]),
            "api",
            "/",
            "get",
            &Read::Failed(why.into()),
        );
        assert!(matches!(m.authorization_type, Setting::Unknown(_)));
        assert_eq!(method_target("*/*"), "* *");
    }
}
