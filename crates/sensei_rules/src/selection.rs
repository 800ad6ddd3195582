//! Choosing the rules to run: `--select`, `--ignore` and `--level`.

use crate::{ALL, Rule};

/// What a selector names, once matched against the catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` names no rule, alias, service or category (see `sensei rules`)")]
pub struct UnknownSelector(pub String);

/// Which rules run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Rules, aliases, services or categories to run; empty means the rules on by default.
    pub select: Vec<String>,
    /// Rules, aliases, services or categories not to run, even if selected.
    pub ignore: Vec<String>,
    /// Run only the rules of this level and below.
    pub level: Option<u8>,
}

impl Selection {
    /// The selected rules, in registry order.
    pub fn rules(&self) -> Result<Vec<&'static Rule>, UnknownSelector> {
        for name in self.select.iter().chain(&self.ignore) {
            if !ALL.iter().any(|r| matches(r, name)) && !is_group(name) {
                return Err(UnknownSelector(name.clone()));
            }
        }
        Ok(ALL
            .iter()
            .copied()
            .filter(|r| {
                if self.select.is_empty() {
                    r.meta.enabled_by_default
                } else {
                    self.select.iter().any(|s| matches(r, s))
                }
            })
            .filter(|r| !self.ignore.iter().any(|s| matches(r, s)))
            .filter(|r| self.level.is_none_or(|l| r.meta.level <= l))
            .collect())
    }
}

/// `all` and every service and category name select groups even when no rule is in them yet.
fn is_group(name: &str) -> bool {
    name.eq_ignore_ascii_case("all")
        || crate::Category::ALL.iter().any(|c| c.as_str().eq_ignore_ascii_case(name))
        || crate::Service::ALL.iter().any(|s| s.as_str().eq_ignore_ascii_case(name))
}

/// Whether `name` (an id, slug, alias, service, category, or `all`) names `rule`. Case-insensitive.
pub fn matches(rule: &Rule, name: &str) -> bool {
    let m = &rule.meta;
    name.eq_ignore_ascii_case("all")
        || m.id.eq_ignore_ascii_case(name)
        || m.slug.eq_ignore_ascii_case(name)
        || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        || m.service.as_str().eq_ignore_ascii_case(name)
        || m.categories.iter().any(|c| c.as_str().eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(s: &Selection) -> Vec<&'static str> {
        s.rules().unwrap_or_default().iter().map(|r| r.meta.id).collect()
    }

    #[test]
    fn default_is_rules_on_by_default() {
        let ids = ids(&Selection::default());
        assert!(ids.contains(&"S3-001"));
        assert!(!ids.contains(&"S3-004"), "S3-004 is off by default");
    }

    #[test]
    fn select_by_alias_service_and_ignore() {
        let s = Selection { select: vec!["S3.17".into()], ..Selection::default() };
        assert_eq!(ids(&s), vec!["S3-004"]);
        let s = Selection { select: vec!["s3".into()], ignore: vec!["s3OnlyAllowHTTPS".into()], level: None };
        let got = ids(&s);
        assert!(!got.contains(&"S3-001") && got.contains(&"S3-002") && got.contains(&"S3-004"), "{got:?}");
        assert!(got.iter().all(|id| id.starts_with("S3-")), "{got:?}");
        let s = Selection { select: vec!["s3".into()], ignore: vec![], level: Some(1) };
        let got = ids(&s);
        assert!(got.contains(&"S3-002") && got.contains(&"S3-003") && !got.contains(&"S3-001"), "{got:?}");
        let s = Selection { select: vec!["security".into()], ignore: vec!["lambda".into()], level: None };
        let got = ids(&s);
        assert!(got.contains(&"S3-001") && !got.iter().any(|id| id.starts_with("LAMBDA-")), "{got:?}");
    }

    #[test]
    fn unknown_selector_is_an_error() {
        let s = Selection { select: vec!["S3-999".into()], ..Selection::default() };
        assert_eq!(s.rules().err(), Some(UnknownSelector("S3-999".into())));
    }
}
