//! What a run gives every rule: the scan date, the options the user set, and the suppressions
//! from configuration.

use std::collections::BTreeMap;

use sensei_model::Date;

use crate::{Finding, Rule, matches};

/// An option a rule takes, with its default: `sensei.toml` sets it per rule.
#[derive(Debug)]
pub struct RuleOption {
    pub key: &'static str,
    pub default: i64,
    /// One line: what it sets, and its unit.
    pub doc: &'static str,
}

/// A rule's findings are not reported for the resources this names (from `sensei.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceIgnore {
    /// A rule id, slug, alias, service or category; `None` for every rule.
    pub rule: Option<String>,
    /// The resource's logical id or ARN; `*` matches any run of characters.
    pub resource: String,
    pub reason: String,
}

/// Everything a run decides once for all rules.
#[derive(Debug, Clone)]
pub struct Context {
    pub today: Date,
    /// Option values by (rule id, option key).
    pub options: BTreeMap<(String, String), i64>,
    pub ignores: Vec<ResourceIgnore>,
}

impl Default for Context {
    fn default() -> Self {
        Context { today: Date::today(), options: BTreeMap::new(), ignores: Vec::new() }
    }
}

impl Context {
    /// The value of `key` for `rule`: the user's, or the rule's default.
    pub fn option(&self, rule: &Rule, key: &str) -> i64 {
        if let Some(v) = self.options.get(&(rule.meta.id.to_string(), key.to_string())) {
            return *v;
        }
        rule.meta.options.iter().find(|o| o.key == key).map_or(0, |o| o.default)
    }
}

/// Why a finding is not counted: the user accepted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub reason: String,
    pub expires: Option<Date>,
    /// `template` (the resource's `Metadata`) or `config` (`sensei.toml`).
    pub source: &'static str,
}

/// Marks the findings that a suppression covers; an expired suppression stops applying and the
/// finding says so.
pub fn apply_suppressions(rule: &Rule, findings: &mut [Finding], context: &Context) {
    for f in findings.iter_mut() {
        if let Some(s) = f.resource.suppressions.iter().find(|s| matches(rule, &s.rule)) {
            match s.expires {
                Some(day) if day < context.today => {
                    f.message.push_str(&format!(" (a suppression expired on {day}: {})", s.reason));
                }
                _ => {
                    f.suppressed = Some(Suppressed { reason: s.reason.clone(), expires: s.expires, source: "template" })
                }
            }
            continue;
        }
        let ignore = context
            .ignores
            .iter()
            .find(|i| i.rule.as_deref().is_none_or(|r| matches(rule, r)) && glob(&i.resource, &f.resource.id));
        if let Some(i) = ignore {
            f.suppressed = Some(Suppressed { reason: i.reason.clone(), expires: None, source: "config" });
        }
    }
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else { return false };
    let Some(mut rest) = text.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("Data*", "DataBucket"));
        assert!(glob("*Bucket", "DataBucket"));
        assert!(glob("*", "x"));
        assert!(glob("a*b*c", "a-b-c"));
        assert!(!glob("Data*", "MyDataBucket"));
        assert!(!glob("DataBucket", "DataBucket2"));
        assert!(glob("arn:aws:s3:::logs-*", "arn:aws:s3:::logs-2024"));
    }
}
