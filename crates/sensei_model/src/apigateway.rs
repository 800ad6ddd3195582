//! Amazon API Gateway: REST, HTTP and WebSocket APIs and their routes.

use crate::{ResourceRef, Setting};

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
    /// X-Ray tracing on its stage (false if any stage of the template leaves it off).
    pub tracing_enabled: Setting<bool>,
    /// The access log destination of its stage (`None` if any stage of the template has none).
    pub access_log_destination: Setting<Option<String>>,
    /// REST `MinimumCompressionSize`.
    pub minimum_compression_size: Setting<Option<u32>>,
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
}
