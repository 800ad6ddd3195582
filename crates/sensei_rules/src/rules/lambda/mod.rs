//! AWS Lambda rules.

pub mod async_function_without_failure_destination;
pub mod function_bundle_too_large;
pub mod function_keeps_many_versions;
pub mod function_logs_kept_forever;
pub mod function_memory_left_at_default;
pub mod function_memory_too_high;
pub mod function_not_in_vpc;
pub mod function_policy_allows_public_access;
pub mod function_runs_on_x86;
pub mod function_runtime_deprecated;
pub mod function_timeout_at_maximum;
pub mod function_uses_provisioned_concurrency;
pub mod functions_share_a_role;
pub mod functions_share_one_package;
pub mod queue_visibility_shorter_than_function_timeout;
pub mod timeout_exceeds_api_gateway_limit;
pub mod vpc_function_in_one_zone;

use sensei_model::lambda::Function;
use sensei_model::{Expr, Syntax};

use crate::Snippet;
use crate::fix::Code;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &function_runs_on_x86::RULE,
    &functions_share_one_package::RULE,
    &timeout_exceeds_api_gateway_limit::RULE,
    &function_keeps_many_versions::RULE,
    &function_memory_too_high::RULE,
    &function_timeout_at_maximum::RULE,
    &function_uses_provisioned_concurrency::RULE,
    &queue_visibility_shorter_than_function_timeout::RULE,
    &function_bundle_too_large::RULE,
    &function_runtime_deprecated::RULE,
    &functions_share_a_role::RULE,
    &async_function_without_failure_destination::RULE,
    &function_memory_left_at_default::RULE,
    &function_policy_allows_public_access::RULE,
    &function_not_in_vpc::RULE,
    &vpc_function_in_one_zone::RULE,
    &function_logs_kept_forever::RULE,
];

/// Whether `text` names `function`: its name, its ARN (with or without a qualifier), a token of
/// its own (`${Fn}`, `${Fn.Arn}`), or one of its aliases (`${FnAliaslive}`).
pub(crate) fn names_function(text: &str, function: &Function) -> bool {
    let id = function.resource.id.as_str();
    if let Some(token) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        let token_id = token.split('.').next().unwrap_or(token);
        let alias = function.aliases.known().is_some_and(|list| list.iter().any(|a| a.resource.id == token_id));
        if token_id == id || alias {
            return true;
        }
    }
    let Some(name) = function.function_name.known() else { return false };
    if text == name {
        return true;
    }
    let marker = format!(":function:{name}");
    text.match_indices(&marker).any(|(at, _)| {
        let rest = text.get(at + marker.len()..).unwrap_or_default();
        rest.is_empty() || rest.starts_with(':')
    })
}

/// `key: value` for one numeric property.
pub(crate) fn scalar(key: &'static str, value: impl Into<i128>, syntax: Syntax) -> Snippet {
    Code::map(vec![(key, Code::number(value))]).snippet(syntax)
}

pub(crate) use crate::fix::resource_snippet;

/// Why a property is unknown, without saying its name twice.
pub(crate) fn unknown_because(property: &str, why: &str) -> String {
    if why.starts_with(&format!("`{property}`")) { why.to_string() } else { format!("`{property}` is unknown: {why}") }
}

/// A value as the template would write it: `${Id}` is `!Ref Id`, `${Id.Attr}` is `!GetAtt Id.Attr`,
/// other text with deploy-time tokens is `!Sub`.
pub(crate) fn code_of_text(text: &str, syntax: Syntax) -> Code {
    if syntax == Syntax::Live || !text.contains("${") {
        return Code::text(text);
    }
    let whole = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')).filter(|t| !t.contains(['$', '{', '}']));
    match whole.map(|t| t.split_once('.')) {
        Some(Some((id, attr))) => Code::Expr(Expr::GetAtt(id.to_string(), attr.to_string())),
        Some(None) if !text.starts_with("${AWS::") => Code::Expr(Expr::Ref(whole.unwrap_or_default().to_string())),
        _ => Code::Expr(Expr::Sub(text.to_string())),
    }
}

/// A reference as the user wrote it: `ImagingLayer` for `${ImagingLayer}`.
pub(crate) fn shown(text: &str) -> &str {
    text.strip_prefix("${").and_then(|t| t.strip_suffix('}')).filter(|t| !t.contains(['$', '{', '}'])).unwrap_or(text)
}

/// "both" or "all 3".
pub(crate) fn all(count: usize) -> String {
    if count == 2 { "both".to_string() } else { format!("all {count}") }
}

/// Where the fix of a function goes, in the user's words.
pub(crate) fn in_function(function: &Function) -> String {
    let location = function.resource.location.as_ref().map(|l| format!(" ({l})")).unwrap_or_default();
    format!("`{}`{location}", function.resource.id)
}

/// The `aws` command target of a function: its name, or a placeholder.
pub(crate) fn cli_name(function: &Function) -> String {
    match function.function_name.known() {
        Some(name) if !name.contains("${") => name.clone(),
        _ => "FUNCTION_NAME".to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use sensei_model::Inventory;

    use super::*;

    fn functions(text: &str) -> Inventory {
        sensei_template::read("t.yaml", text, &sensei_template::Options::default()).unwrap().inventory
    }

    #[test]
    fn names_a_function_by_name_arn_token_and_alias() {
        let inv = functions(
            "Resources:
  Named: {Type: AWS::Lambda::Function, Properties: {FunctionName: orders, Role: r, Code: {ZipFile: x}}}
  Bare: {Type: AWS::Lambda::Function, Properties: {Role: r, Code: {ZipFile: x}}}
",
        );
        let named = &inv.functions[0];
        let bare = &inv.functions[1];
        assert!(names_function("orders", named));
        assert!(names_function("arn:aws:lambda:us-east-1:1:function:orders", named));
        assert!(names_function("arn:aws:lambda:us-east-1:1:function:orders:live", named));
        assert!(!names_function("arn:aws:lambda:us-east-1:1:function:orders-v2", named));
        assert!(names_function("${Named.Arn}", named));
        assert!(names_function("${Bare}", bare));
        assert!(!names_function("${Bare}", named));
    }
}
