use std::fmt;

use serde::Serialize;

use crate::{Context, Rule, RuleMeta, Suppressed};
use sensei_model::{Date, Location, ResourceRef};

/// The verdict of one rule on one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The resource meets the rule.
    Pass,
    /// The resource does not meet the rule: the finding says why and how to fix it.
    Fail,
    /// A value the verdict depends on cannot be resolved (a parameter without a default, an import).
    Unknown,
    /// The rule does not apply here, or needs data this source does not have.
    Skip,
    /// Data the verdict needs could not be read (a denied or failed call in a live audit).
    #[serde(rename = "not_evaluated")]
    NotEvaluated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::Skip => "skip",
            Status::NotEvaluated => "not_evaluated",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code snippet to paste, in the syntax of the resource's own file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// `yaml`, `json` or `shell`.
    pub language: &'static str,
    pub code: String,
}

/// How to fix a failing resource: what to do, and the code to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub summary: String,
    pub snippet: Option<Snippet>,
}

/// One rule's verdict on one resource.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub status: Status,
    pub resource: ResourceRef,
    /// The most precise place: the property at fault, else the resource.
    pub location: Option<Location>,
    pub message: String,
    pub fix: Option<Fix>,
    /// Set when the user accepted this finding; it then neither fails the run nor counts in scores.
    pub suppressed: Option<Suppressed>,
}

/// Where a rule writes its findings.
pub struct Findings<'c> {
    rule: &'static Rule,
    context: &'c Context,
    list: Vec<Finding>,
}

impl<'c> Findings<'c> {
    pub fn new(rule: &'static Rule, context: &'c Context) -> Self {
        Findings { rule, context, list: Vec::new() }
    }

    /// The day of the scan (deprecations, expiries).
    pub fn today(&self) -> Date {
        self.context.today
    }

    /// The value of one of this rule's options (`RuleMeta::options`).
    pub fn option(&self, key: &str) -> i64 {
        self.context.option(self.rule, key)
    }

    fn push(
        &mut self,
        status: Status,
        resource: &ResourceRef,
        at: Option<&Location>,
        message: String,
        fix: Option<Fix>,
    ) {
        self.list.push(Finding {
            rule: &self.rule.meta,
            status,
            resource: resource.clone(),
            location: at.or(resource.location.as_ref()).cloned(),
            message,
            fix,
            suppressed: None,
        });
    }

    pub fn pass(&mut self, resource: &ResourceRef, message: impl Into<String>) {
        self.push(Status::Pass, resource, None, message.into(), None);
    }

    pub fn fail(&mut self, resource: &ResourceRef, at: Option<&Location>, message: impl Into<String>, fix: Fix) {
        self.push(Status::Fail, resource, at, message.into(), Some(fix));
    }

    pub fn unknown(&mut self, resource: &ResourceRef, at: Option<&Location>, why: impl Into<String>) {
        self.push(Status::Unknown, resource, at, why.into(), None);
    }

    pub fn skip(&mut self, resource: &ResourceRef, why: impl Into<String>) {
        self.push(Status::Skip, resource, None, why.into(), None);
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.list
    }
}
