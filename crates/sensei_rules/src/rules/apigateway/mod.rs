//! Amazon API Gateway rules.

pub mod api_without_compression;
pub mod http_route_without_authorizer;
pub mod rest_method_without_authorizer;
pub mod stage_cache_not_encrypted;
pub mod stage_without_access_logs;
pub mod stage_without_client_certificate;
pub mod stage_without_execution_logs;
pub mod stage_without_waf;
pub mod stage_without_xray_tracing;

use sensei_model::apigateway::{Api, ApiKind, Route, Stage, StageSource};
use sensei_model::{Expr, Inventory, Syntax};

use crate::Fix;
use crate::fix::Code;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &rest_method_without_authorizer::RULE,
    &http_route_without_authorizer::RULE,
    &stage_without_execution_logs::RULE,
    &stage_without_client_certificate::RULE,
    &stage_without_xray_tracing::RULE,
    &stage_without_waf::RULE,
    &stage_cache_not_encrypted::RULE,
    &stage_without_access_logs::RULE,
    &api_without_compression::RULE,
];

/// The API of a route or stage, when the source has it.
pub(crate) fn api<'a>(inventory: &'a Inventory, id: &str) -> Option<&'a Api> {
    inventory.apis.iter().find(|a| a.resource.id == id)
}

/// The stages of every API of `kinds`, with their API.
pub(crate) fn stages<'a>(inventory: &'a Inventory, kinds: &'a [ApiKind]) -> impl Iterator<Item = (&'a Api, &'a Stage)> {
    inventory.apis.iter().filter(|a| kinds.contains(&a.kind)).flat_map(|a| a.stages.iter().map(move |s| (a, s)))
}

/// `stage `prod``, as messages name it.
pub(crate) fn stage_label(stage: &Stage) -> String {
    match stage.stage_name.known().and_then(|n| n.as_deref()) {
        Some(name) => format!("stage `{name}`"),
        None => "the stage".to_string(),
    }
}

/// A reference as the template resolves it, as a user reads it: `${ApiLogs.Arn}` → `ApiLogs`.
pub fn display(text: &str) -> String {
    match text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        Some(inner) if !inner.contains("${") && !inner.contains("::") => {
            inner.strip_suffix(".Arn").or_else(|| inner.strip_suffix(".Id")).unwrap_or(inner).to_string()
        }
        _ => text.to_string(),
    }
}

/// Why `key` is unknown, naming it once: the reasons of property reads already start with it.
pub fn about(key: &str, why: &str) -> String {
    if why.starts_with(&format!("`{key}`")) { why.to_string() } else { format!("`{key}` is unknown: {why}") }
}

/// `1 origin`, `2 origins`.
pub fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

/// `GET /items`, or a WebSocket route key.
pub(crate) fn route_label(route: &Route) -> String {
    if route.path.is_empty() { route.method.clone() } else { format!("{} {}", route.method, route.path) }
}

/// A literal value.
pub(crate) fn lit(s: &str) -> Code {
    Code::Expr(Expr::Literal(s.to_string()))
}

/// Where the settings of a stage go: on the stage, under a deployment's `StageDescription`, on
/// the SAM API, or under the SAM `Globals` of the implicit API.
pub(crate) fn stage_fix(stage: &Stage, kind: ApiKind, settings: Vec<(&'static str, Code)>, what: &str) -> Fix {
    let (code, place) = match stage.source {
        StageSource::Stage | StageSource::Live => {
            (Code::map(settings), format!("the `Properties` of `{}`", stage.resource.id))
        }
        StageSource::Deployment => (
            Code::map(vec![("StageDescription", Code::map(settings))]),
            format!("the `Properties` of `{}`", stage.resource.id),
        ),
        StageSource::SamApi => (Code::map(settings), format!("the `Properties` of `{}`", stage.resource.declared_id())),
        StageSource::SamImplicitApi => {
            let section = if kind == ApiKind::Rest { "Api" } else { "HttpApi" };
            (
                Code::map(vec![("Globals", Code::map(vec![(section, Code::map(settings))]))]),
                format!("the template's `Globals` (`{}` is the API SAM creates for function events)", stage.api),
            )
        }
    };
    Fix { summary: format!("{what} in {place}."), snippet: Some(code.snippet(stage.resource.syntax)) }
}

/// The authorization a fix proposes for a route of `api`: its first authorizer, else IAM.
pub(crate) fn route_fix(route: &Route, api: Option<&Api>) -> Fix {
    let syntax = route.resource.syntax;
    let authorizer = api.and_then(|a| a.authorizers.first());
    if let Some(owner) = route.resource.generated_from.as_deref() {
        // A SAM event: `Auth.Authorizer` on the event.
        let event = route.resource.id.strip_prefix(owner).unwrap_or(&route.resource.id).to_string();
        let name = authorizer.map_or("AWS_IAM".to_string(), |a| a.name.clone());
        let inner =
            Code::map(vec![("Properties", Code::map(vec![("Auth", Code::map(vec![("Authorizer", lit(&name))]))]))]);
        let mut code = inner.snippet(syntax);
        code.code = keyed(&["Events", &event], &code.code, syntax);
        return Fix {
            summary: format!(
                "Set `Auth.Authorizer` on the `{event}` event of `{owner}` (or a `DefaultAuthorizer` in the `Auth` of its API)."
            ),
            snippet: Some(code),
        };
    }
    let v2 = route.resource.resource_type.as_str() == "AWS::ApiGatewayV2::Route";
    let mut settings = Vec::new();
    match authorizer {
        Some(a) => {
            let ty = a.authorizer_type.known().cloned().flatten().unwrap_or_default();
            let auth = match ty.as_str() {
                "COGNITO_USER_POOLS" => "COGNITO_USER_POOLS",
                "JWT" => "JWT",
                _ => "CUSTOM",
            };
            settings.push(("AuthorizationType", lit(auth)));
            settings.push(("AuthorizerId", Code::Expr(Expr::Ref(a.resource.id.clone()))));
        }
        None => settings.push(("AuthorizationType", lit("AWS_IAM"))),
    }
    let what = if v2 { "route" } else { "method" };
    Fix {
        summary: format!(
            "Require authorization on the {what} `{}`: IAM (callers sign requests), or an authorizer of the API.",
            route.resource.id
        ),
        snippet: Some((Code::map(settings)).snippet(syntax)),
    }
}

/// `inner` (a snippet in `syntax`) nested under `keys`, outermost first: for keys that are the
/// user's own names (an event's name), which `Code` cannot hold.
pub(crate) fn keyed(keys: &[&str], inner: &str, syntax: Syntax) -> String {
    let mut out = inner.to_string();
    for key in keys.iter().rev() {
        let name =
            Expr::Literal((*key).to_string()).render(if syntax == Syntax::Yaml { Syntax::Yaml } else { Syntax::Json });
        out = if syntax == Syntax::Yaml {
            format!("{name}:\n  {}", out.replace('\n', "\n  "))
        } else {
            format!("{{\n  {name}: {}\n}}", out.replace('\n', "\n  "))
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{display, keyed};

    #[test]
    fn displays_references_by_logical_id() {
        assert_eq!(display("${ApiLogs.Arn}"), "ApiLogs");
        assert_eq!(display("${Authorizer}"), "Authorizer");
        assert_eq!(display("arn:aws:logs:${AWS::Region}:1:log-group:x"), "arn:aws:logs:${AWS::Region}:1:log-group:x");
    }
    use sensei_model::Syntax;

    #[test]
    fn nests_under_user_keys() {
        assert_eq!(
            keyed(&["Events", "Get"], "Properties:\n  A: 1", Syntax::Yaml),
            "Events:\n  Get:\n    Properties:\n      A: 1"
        );
        assert_eq!(keyed(&["E"], "{\n  \"A\": 1\n}", Syntax::Json), "{\n  \"E\": {\n    \"A\": 1\n  }\n}");
    }
}
