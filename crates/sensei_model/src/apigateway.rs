//! Amazon API Gateway: REST, HTTP and WebSocket APIs, their stages, routes and authorizers.

use crate::{Location, ResourceRef, Setting};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKind {
    Rest,
    Http,
    WebSocket,
}

/// `AWS::ApiGateway::RestApi`, `AWS::ApiGatewayV2::Api`, and the APIs SAM declares or implies.
#[derive(Debug, Clone)]
pub struct Api {
    pub resource: ResourceRef,
    pub kind: ApiKind,
    pub name: Setting<Option<String>>,
    /// X-Ray tracing, as the weakest of its [`Stage`]s has it (false when no stage turns it on).
    pub tracing_enabled: Setting<bool>,
    /// The access log destination, as the weakest of its [`Stage`]s has it (`None` if a stage has none).
    pub access_log_destination: Setting<Option<String>>,
    /// REST `MinimumCompressionSize`: responses at least this large are compressed; `None` turns
    /// compression off.
    pub minimum_compression_size: Setting<Option<u32>>,
    /// Whether the API has a resource policy (REST `Policy`, SAM `Auth.ResourcePolicy`).
    pub policy: Setting<bool>,
    /// The methods are (also) defined in an OpenAPI document (`Body`, `BodyS3Location`, SAM
    /// `DefinitionBody`, `DefinitionUri`) that the model does not read.
    pub openapi_definition: bool,
    /// The stages it is deployed to.
    pub stages: Vec<Stage>,
    /// Its authorizers (`AWS::ApiGateway::Authorizer`, `AWS::ApiGatewayV2::Authorizer`, SAM `Auth.Authorizers`).
    pub authorizers: Vec<Authorizer>,
}

/// Where a stage's settings are written, so that a fix says where to put them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageSource {
    /// `AWS::ApiGateway::Stage` or `AWS::ApiGatewayV2::Stage`: on the stage itself.
    Stage,
    /// `AWS::ApiGateway::Deployment` with a `StageName`: under its `StageDescription`.
    Deployment,
    /// `AWS::Serverless::Api` or `HttpApi`: on the SAM API.
    SamApi,
    /// The API SAM implies from function events: under `Globals` `Api` or `HttpApi`.
    SamImplicitApi,
    /// A deployed stage.
    Live,
}

/// A stage of an API: a deployment with its settings.
#[derive(Debug, Clone)]
pub struct Stage {
    /// The stage resource (for SAM, the stage SAM generates, e.g. `MyApiProdStage`).
    pub resource: ResourceRef,
    /// The logical id (or ARN) of its API.
    pub api: String,
    pub source: StageSource,
    pub stage_name: Setting<Option<String>>,
    /// REST `TracingEnabled` (X-Ray).
    pub tracing_enabled: Setting<bool>,
    /// REST `ClientCertificateId`: the certificate API Gateway presents to the backend.
    pub client_certificate_id: Setting<Option<String>>,
    /// REST `CacheClusterEnabled`.
    pub cache_cluster_enabled: Setting<bool>,
    /// `AccessLogSetting.DestinationArn` (REST) or `AccessLogSettings.DestinationArn` (v2).
    pub access_log_destination: Setting<Option<String>>,
    /// Execution logging for every method: the `/*` `*` method setting (REST) or
    /// `DefaultRouteSettings` (v2); `Off` when absent.
    pub logging_level: Setting<LoggingLevel>,
    /// Caching for every method (`/*` `*` `CachingEnabled`), when no method setting says otherwise.
    pub caching_enabled: Setting<bool>,
    /// Cache encryption for every method (`/*` `*` `CacheDataEncrypted`).
    pub cache_data_encrypted: Setting<bool>,
    /// Settings for single methods or routes, which override the stage-wide ones they set.
    pub method_settings: Setting<Vec<MethodSetting>>,
    /// The AWS WAF web ACL associated with the stage (`AWS::WAFv2::WebACLAssociation`).
    pub web_acl_arn: Setting<Option<String>>,
}

/// One entry of a REST stage's `MethodSettings`, or one route of a v2 stage's `RouteSettings`.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodSetting {
    /// `GET /items` (`*` for every method or path), or a WebSocket route key.
    pub target: String,
    pub location: Option<Location>,
    /// `None` when this entry leaves the stage-wide value.
    pub logging_level: Setting<Option<LoggingLevel>>,
    pub caching_enabled: Setting<Option<bool>>,
    pub cache_data_encrypted: Setting<Option<bool>>,
}

/// Execution logging level of a stage or a method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoggingLevel {
    Off,
    Error,
    Info,
    /// A value API Gateway does not accept.
    Other(String),
}

impl LoggingLevel {
    pub fn parse(s: &str) -> Self {
        match s.to_ascii_uppercase().as_str() {
            "OFF" => LoggingLevel::Off,
            "ERROR" => LoggingLevel::Error,
            "INFO" => LoggingLevel::Info,
            _ => LoggingLevel::Other(s.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            LoggingLevel::Off => "OFF",
            LoggingLevel::Error => "ERROR",
            LoggingLevel::Info => "INFO",
            LoggingLevel::Other(s) => s,
        }
    }

    /// `ERROR` or `INFO`: errors reach CloudWatch Logs.
    pub fn logs(&self) -> bool {
        matches!(self, LoggingLevel::Error | LoggingLevel::Info)
    }
}

/// An authorizer of an API.
#[derive(Debug, Clone)]
pub struct Authorizer {
    pub resource: ResourceRef,
    /// The SAM name, or the logical id.
    pub name: String,
    /// `TOKEN`, `REQUEST`, `COGNITO_USER_POOLS` (REST); `REQUEST`, `JWT` (v2).
    pub authorizer_type: Setting<Option<String>>,
}

/// How API Gateway reaches the backend of a method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrationType {
    Aws,
    AwsProxy,
    Http,
    HttpProxy,
    /// Answered by API Gateway itself, as CORS preflight methods usually are.
    Mock,
    Other(String),
}

impl IntegrationType {
    pub fn parse(s: &str) -> Self {
        match s.to_ascii_uppercase().as_str() {
            "AWS" => IntegrationType::Aws,
            "AWS_PROXY" => IntegrationType::AwsProxy,
            "HTTP" => IntegrationType::Http,
            "HTTP_PROXY" => IntegrationType::HttpProxy,
            "MOCK" => IntegrationType::Mock,
            _ => IntegrationType::Other(s.to_string()),
        }
    }
}

/// A route or method: `GET /items`, with the function it invokes.
#[derive(Debug, Clone)]
pub struct Route {
    pub resource: ResourceRef,
    /// The logical id of its API.
    pub api: String,
    /// Upper case: `GET`, `ANY`; for a WebSocket API, the route key (`$connect`).
    pub method: String,
    /// `/items/{id}`; `$default` for an HTTP API's default route; `?` stands for a part that
    /// could not be resolved.
    pub path: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS` or `JWT`.
    pub authorization_type: Setting<Option<String>>,
    /// The authorizer it uses: a SAM authorizer name, or the `AuthorizerId` text.
    pub authorizer: Setting<Option<String>>,
    /// The logical id of the function it invokes, when it names one.
    pub function: Option<String>,
    /// REST `ApiKeyRequired` (SAM `Auth.ApiKeyRequired`); WebSocket `ApiKeyRequired`.
    pub api_key_required: Setting<bool>,
    /// The integration type (`Integration.Type`, SAM events are `AWS_PROXY`); `None` when unknown
    /// to the source.
    pub integration_type: Setting<Option<IntegrationType>>,
}
