//! The IAM policy language: parse every valid shape of a policy document, evaluate a single request as IAM
//! does, and answer questions about *all* requests of a kind ("does this policy deny every plain-HTTP
//! request?", "can anyone from outside read this?") with a finite, sound set of witness requests.
//!
//! ```
//! use sensei_policy::{Caller, Decision, Policy, Request};
//!
//! let policy = Policy::from_json(&serde_json::json!({
//!     "Version": "2012-10-17",
//!     "Statement": {
//!         "Effect": "Deny", "Principal": "*", "Action": "s3:*",
//!         "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
//!         "Condition": {"Bool": {"aws:SecureTransport": false}}
//!     }
//! }))?;
//! let request = Request {
//!     caller: Caller::Anonymous,
//!     action: "s3:GetObject".into(),
//!     resource: "arn:aws:s3:::b/x".into(),
//!     context: vec![("aws:SecureTransport".into(), vec!["false".into()])],
//! };
//! assert_eq!(policy.evaluate(&request), Decision::ExplicitDeny);
//! # Ok::<(), sensei_policy::PolicyError>(())
//! ```
//!
//! Modules: [`parse`](Policy::from_json) reads JSON; `pattern` holds wildcards and policy variables;
//! `condition` the operators; `principal` who a statement is about; `eval` the decision for one request;
//! `explore` and `witness` the questions about every request in a [`RequestSpace`].

mod condition;
mod eval;
mod explore;
mod parse;
mod pattern;
mod principal;
mod values;
mod witness;

use std::fmt;

use thiserror::Error;

pub use condition::{Condition, Operator, OperatorKind, SetQualifier};
pub use pattern::Pattern;
pub use principal::{PrincipalElement, PrincipalEntry, PrincipalKind, PrincipalSet};
pub use witness::{CallerScope, RequestSpace, ResourceScope};

/// A policy document that is not valid IAM, with where and why.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{path}: {message}")]
pub struct PolicyError {
    /// Where in the document, as a JSON-pointer-like path: `Statement[1].Condition.Bool`.
    pub path: String,
    /// A sentence for the user: `Effect must be "Allow" or "Deny", found 3`.
    pub message: String,
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `Version`: `2012-10-17` enables policy variables; `2008-10-17` or none treats `${...}` as text.
    pub version: Option<String>,
    /// `Id`, if given.
    pub id: Option<String>,
    /// The statements, in document order. An empty list allows nothing.
    pub statements: Vec<Statement>,
}

/// One statement: who, what, on which resources, under which conditions, and whether it allows or denies.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    /// `Principal` or `NotPrincipal`. `None` in identity-based policies: the statement is about whoever holds
    /// the policy, so it matches every caller.
    pub principal: Option<PrincipalElement>,
    /// `Action` or `NotAction` (exactly one is required).
    pub action: ActionElement,
    /// `Resource` or `NotResource`. `None` (as in role trust policies) matches every resource.
    pub resource: Option<ResourceElement>,
    /// The `Condition` block, flattened: one entry per operator and key. All must hold.
    pub condition: Vec<Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action` (the statement covers these actions) or `NotAction` (every action except these).
/// Patterns may use `*` and `?`; actions match case-insensitively.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionElement {
    Action(Vec<Pattern>),
    NotAction(Vec<Pattern>),
}

/// `Resource` or `NotResource`. Patterns may use `*`, `?` and (with Version `2012-10-17`) policy variables;
/// resources match case-sensitively.
#[derive(Debug, Clone, PartialEq)]
pub enum ResourceElement {
    Resource(Vec<Pattern>),
    NotResource(Vec<Pattern>),
}

/// The outcome of evaluating one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A Deny statement applies; no Allow can override it.
    ExplicitDeny,
    /// An Allow statement applies and no Deny does.
    Allow,
    /// No statement applies (or only Deny statements whose conditions fail): denied by default.
    ImplicitDeny,
}

/// Who makes a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    /// An unsigned request.
    Anonymous,
    /// An IAM user, role, role session or account root: its ARN and its 12-digit account.
    Aws { arn: String, account: String },
    /// An AWS service principal such as `cloudtrail.amazonaws.com`.
    Service(String),
    /// A web identity or SAML provider, such as `cognito-identity.amazonaws.com`.
    Federated(String),
    /// An S3 canonical user id.
    CanonicalUser(String),
}

/// One request: caller, action, resource and request context.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub caller: Caller,
    pub action: String,
    pub resource: String,
    /// Context keys (case-insensitive names) and their values; an absent key is not in the list.
    /// An empty value list counts as absent.
    pub context: Vec<(String, Vec<String>)>,
}

impl Policy {
    /// Parses a policy document, accepting every shape IAM accepts and rejecting malformed ones with the
    /// path and a sentence saying what is wrong.
    pub fn from_json(value: &serde_json::Value) -> Result<Policy, PolicyError> {
        parse::parse_policy(value)
    }

    /// Decides one request as IAM does for this single policy: an applying Deny wins, else an applying
    /// Allow allows, else the request is implicitly denied.
    pub fn evaluate(&self, request: &Request) -> Decision {
        eval::evaluate(self, request)
    }

    /// The witnesses in `space` that are NOT explicitly denied. Empty means: every request in the space
    /// meets an explicit Deny. See [`RequestSpace`] for what the space holds and how witnesses are chosen.
    pub fn not_denied(&self, space: &RequestSpace) -> Vec<Request> {
        witness::search(self, space, witness::Goal::NotDenied)
    }

    /// The witnesses in `space` that are allowed (an Allow applies and no Deny does). Empty means nothing
    /// in the space is granted by this policy.
    pub fn allowed(&self, space: &RequestSpace) -> Vec<Request> {
        // Without an Allow statement nothing is allowed (the implicit deny): no search needed.
        if !self.statements.iter().any(|s| s.effect == Effect::Allow) {
            return Vec::new();
        }
        witness::search(self, space, witness::Goal::Allowed)
    }

    /// The same policy (version and id) with only `statement`: to ask what one statement does on its own.
    pub fn only(&self, statement: &Statement) -> Policy {
        Policy { version: self.version.clone(), id: self.id.clone(), statements: vec![statement.clone()] }
    }
}

impl Statement {
    /// Whether this statement applies to the request: principal, action, resource and condition all match.
    pub fn applies_to(&self, request: &Request) -> bool {
        eval::statement_applies(self, request)
    }

    /// Whether some entry of the Condition block tests `key` (compared ignoring case).
    pub fn mentions_condition_key(&self, key: &str) -> bool {
        self.condition.iter().any(|c| eval::same_key(&c.key, key))
    }
}

impl Request {
    /// The values of a context key, looked up case-insensitively (several entries with the same key are
    /// merged). Empty when the key is absent.
    pub fn context_values(&self, key: &str) -> Vec<&str> {
        eval::lookup(&self.context, key)
    }
}

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Caller::Anonymous => f.write_str("anonymous"),
            Caller::Aws { arn, .. } => f.write_str(arn),
            Caller::Service(name) => write!(f, "service {name}"),
            Caller::Federated(provider) => write!(f, "federated user of {provider}"),
            Caller::CanonicalUser(id) => write!(f, "canonical user {id}"),
        }
    }
}

/// A compact English description: `anonymous s3:GetObject on arn:aws:s3:::b/x with aws:SecureTransport=false`.
impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} on {}", self.caller, self.action, self.resource)?;
        let mut first = true;
        for (key, values) in &self.context {
            if values.is_empty() {
                continue;
            }
            f.write_str(if first { " with " } else { ", " })?;
            first = false;
            match values.as_slice() {
                [one] => write!(f, "{key}={one}")?,
                many => write!(f, "{key}=[{}]", many.join(", "))?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decision::ExplicitDeny => "explicitly denied",
            Decision::Allow => "allowed",
            Decision::ImplicitDeny => "implicitly denied",
        })
    }
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        })
    }
}
