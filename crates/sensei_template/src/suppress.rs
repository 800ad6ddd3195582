//! Findings the user has accepted on a resource, written in its `Metadata`:
//!
//! ```yaml
//! Metadata:
//!   sensei:
//!     ignore:
//!       - rule: S3-001
//!         reason: served only through CloudFront; deleted in Q3
//!         expires: 2027-06-30
//! ```
//!
//! `rule` and `reason` are required, `expires` (`YYYY-MM-DD`, quoted or not) is optional. The rule
//! name is kept as written: this crate does not know the rules, the command line checks the names.
//! An entry that is malformed is reported as a diagnostic and not applied, so a typo never hides a
//! finding.

use sensei_model::{Date, Suppression};

use crate::node::{Node, NodeValue};
use crate::template::Template;

/// The keys of `Metadata.sensei`.
const SENSEI_KEYS: &[&str] = &["ignore"];
/// The keys of one suppression.
const ENTRY_KEYS: &[&str] = &["rule", "reason", "expires"];

/// The suppressions in `Metadata.sensei.ignore` of resource `id`, whose body is `body`. Every
/// malformed entry is reported with `template.report` (messages name the resource, so that the
/// same mistake in two resources gives two diagnostics) and left out.
pub fn suppressions(template: &Template<'_>, id: &str, body: &Node) -> Vec<Suppression> {
    let Some(sensei) = body.get("Metadata").and_then(|m| m.get("sensei")) else {
        return Vec::new();
    };
    let Some(entries) = sensei.as_map() else {
        if !matches!(sensei.value, NodeValue::Null) {
            template.report(
                sensei.pos,
                format!("`Metadata.sensei` of `{id}` must be a mapping with an `ignore` list, found {}", sensei.kind()),
            );
        }
        return Vec::new();
    };
    for (key, _) in entries {
        if !SENSEI_KEYS.contains(&key.name.as_str()) {
            template.report(
                key.pos,
                format!("`Metadata.sensei` of `{id}` has an unknown key `{}`: the only key is `ignore`", key.name),
            );
        }
    }
    let Some(ignore) = sensei.get("ignore") else { return Vec::new() };
    let items = match &ignore.value {
        NodeValue::Seq(items) => items.as_slice(),
        NodeValue::Null => return Vec::new(),
        _ => {
            template.report(
                ignore.pos,
                format!(
                    "`Metadata.sensei.ignore` of `{id}` must be a list of suppressions ({{rule, reason, expires}}), found {}",
                    ignore.kind()
                ),
            );
            return Vec::new();
        }
    };
    items.iter().enumerate().filter_map(|(i, item)| entry(template, id, i + 1, item)).collect()
}

/// The `n`th (1-based) suppression of the list, or `None` (reported) when it is malformed.
fn entry(template: &Template<'_>, id: &str, n: usize, item: &Node) -> Option<Suppression> {
    let at = |message: String| {
        format!("suppression {n} in `Metadata.sensei.ignore` of `{id}`: {message}; the suppression is not applied")
    };
    let Some(entries) = item.as_map() else {
        template.report(item.pos, at(format!("must be a mapping with `rule` and `reason`, found {}", item.kind())));
        return None;
    };
    let mut ok = true;
    for (key, _) in entries {
        if !ENTRY_KEYS.contains(&key.name.as_str()) {
            template.report(
                key.pos,
                at(format!("unknown key `{}` (the keys are `rule`, `reason` and `expires`)", key.name)),
            );
            ok = false;
        }
    }
    let rule = match item.get("rule") {
        Some(Node { value: NodeValue::String(s), .. }) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(node @ Node { value: NodeValue::String(_), .. }) => {
            template.report(node.pos, at("`rule` is empty: name a rule id, slug or alias".to_string()));
            None
        }
        Some(node) => {
            template.report(node.pos, at(format!("`rule` must be a rule id, slug or alias, found {}", node.kind())));
            None
        }
        None => {
            template.report(item.pos, at("it has no `rule`: name a rule id, slug or alias".to_string()));
            None
        }
    };
    let reason = match item.get("reason") {
        Some(Node { value: NodeValue::String(s), .. }) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(node @ Node { value: NodeValue::String(_) | NodeValue::Null, .. }) => {
            template.report(node.pos, at("`reason` is empty: say why the finding is accepted".to_string()));
            None
        }
        Some(node) => {
            template.report(node.pos, at(format!("`reason` must be text, found {}", node.kind())));
            None
        }
        None => {
            template.report(item.pos, at("it has no `reason`: say why the finding is accepted".to_string()));
            None
        }
    };
    let expires = match item.get("expires") {
        None | Some(Node { value: NodeValue::Null, .. }) => Ok(None),
        Some(node) => match &node.value {
            NodeValue::String(s) => match Date::parse(s) {
                Some(day) => Ok(Some(day)),
                None => {
                    template.report(node.pos, at(format!("`expires` is `{s}`, not a date (YYYY-MM-DD)")));
                    Err(())
                }
            },
            _ => {
                template.report(node.pos, at(format!("`expires` must be a date (YYYY-MM-DD), found {}", node.kind())));
                Err(())
            }
        },
    };
    match (rule, reason, expires) {
        (Some(rule), Some(reason), Ok(expires)) if ok => {
            Some(Suppression { rule, reason, expires, location: Some(template.location(item.pos)) })
        }
        _ => None,
    }
}
