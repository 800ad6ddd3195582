//! The rule engine, the registry and the rules of sensei.
//!
//! A rule is plain data ([`RuleMeta`]) plus one function that reads an [`Inventory`] and reports a
//! [`Finding`] for every resource it looks at: pass, fail, unknown or skip.

mod context;
pub mod data;
mod finding;
mod fix;
mod meta;
mod registry;
pub mod rules;
mod selection;

pub use context::{Context, ResourceIgnore, RuleOption, Suppressed};
pub use finding::{Finding, Findings, Fix, Snippet, Status};
pub use meta::{Category, Rule, RuleMeta, Service, Severity};
pub use registry::{ALL, find};
pub use selection::{Selection, UnknownSelector, matches};
pub use sensei_model::{Fact, Facts, Inventory};

/// Runs `rules` over `inventory` and returns their findings in rule order, with suppressions
/// applied.
pub fn check(inventory: &Inventory, rules: &[&'static Rule], context: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules {
        let mut findings = Findings::new(rule, context);
        (rule.check)(inventory, &mut findings);
        let mut list = findings.into_vec();
        mark_not_evaluated(&mut list);
        context::apply_suppressions(rule, &mut list, context);
        // The first rule's list is taken as it is, not copied.
        if out.is_empty() {
            out = list;
        } else {
            out.extend(list);
        }
    }
    out
}

/// A verdict left unknown on a resource some of whose data could not be read is `not evaluated`:
/// the missing data, not the resource, is why there is no verdict.
fn mark_not_evaluated(findings: &mut [Finding]) {
    for f in findings.iter_mut().filter(|f| f.status == Status::Unknown) {
        if let Some(live) = f.resource.live.as_ref().filter(|l| !l.unread.is_empty()) {
            f.status = Status::NotEvaluated;
            f.message = format!("not evaluated: {} could not be read ({})", live.unread.join(", "), f.message);
        }
    }
}
