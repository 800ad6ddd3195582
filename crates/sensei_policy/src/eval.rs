//! Deciding one request: IAM's evaluation logic for a single policy.

use crate::{ActionElement, Decision, Effect, Policy, Request, ResourceElement, Statement};

pub(crate) fn evaluate(policy: &Policy, request: &Request) -> Decision {
    let mut allowed = false;
    for statement in &policy.statements {
        if statement_applies(statement, request) {
            match statement.effect {
                Effect::Deny => return Decision::ExplicitDeny,
                Effect::Allow => allowed = true,
            }
        }
    }
    if allowed { Decision::Allow } else { Decision::ImplicitDeny }
}

pub(crate) fn statement_applies(statement: &Statement, request: &Request) -> bool {
    let vars = |key: &str| single_value(&request.context, key);
    statement.principal.as_ref().is_none_or(|p| p.matches(&request.caller))
        && action_matches(&statement.action, &request.action)
        && resource_matches(statement.resource.as_ref(), &request.resource, &vars)
        && statement.condition.iter().all(|c| c.holds(&lookup(&request.context, &c.key), &vars))
}

pub(crate) fn action_matches(element: &ActionElement, action: &str) -> bool {
    let no_vars = |_: &str| None;
    match element {
        ActionElement::Action(list) => list.iter().any(|p| p.matches_with(action, &no_vars)),
        ActionElement::NotAction(list) => !list.iter().any(|p| p.matches_with(action, &no_vars)),
    }
}

/// A missing Resource element (role trust policies) covers every resource. A pattern whose policy variable
/// cannot be resolved matches nothing, so under `NotResource` it excludes nothing.
pub(crate) fn resource_matches(
    element: Option<&ResourceElement>,
    resource: &str,
    vars: &dyn Fn(&str) -> Option<String>,
) -> bool {
    match element {
        None => true,
        Some(ResourceElement::Resource(list)) => list.iter().any(|p| p.matches_with(resource, vars)),
        Some(ResourceElement::NotResource(list)) => !list.iter().any(|p| p.matches_with(resource, vars)),
    }
}

/// Every value of `key` in the context, matching key names case-insensitively.
pub(crate) fn lookup<'a>(context: &'a [(String, Vec<String>)], key: &str) -> Vec<&'a str> {
    context.iter().filter(|(k, _)| same_key(k, key)).flat_map(|(_, values)| values.iter().map(String::as_str)).collect()
}

/// The value a policy variable takes: the key's only value. Absent and multi-valued keys give `None`
/// (IAM does not substitute multi-valued keys).
pub(crate) fn single_value(context: &[(String, Vec<String>)], key: &str) -> Option<String> {
    match lookup(context, key).as_slice() {
        [one] => Some((*one).to_owned()),
        _ => None,
    }
}

/// Condition keys compare ignoring case.
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || (!a.is_ascii() && a.to_lowercase() == b.to_lowercase())
}
