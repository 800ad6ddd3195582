//! AWS IAM rules: the policies attached to roles.

pub mod policy_allows_decrypt_on_all_keys;
pub mod policy_allows_service_wildcard;
pub mod policy_grants_admin_access;
pub mod role_policy_allows_any_resource;

use sensei_model::iam::{InlinePolicy, Role};
use sensei_model::{Location, Setting};
use sensei_policy::{Policy, Statement};

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &policy_grants_admin_access::RULE,
    &policy_allows_service_wildcard::RULE,
    &role_policy_allows_any_resource::RULE,
    &policy_allows_decrypt_on_all_keys::RULE,
];

/// A problem found in one statement of one policy of a role.
pub(crate) struct Problem {
    pub text: String,
    pub at: Option<Location>,
    /// Where to change it, in the user's words: "the `Policies` of `OrdersFunction`".
    pub place: String,
}

/// What a rule found in all the policies of a role.
pub(crate) struct Verdict {
    pub problems: Vec<Problem>,
    pub unknown: Option<String>,
    pub documents: usize,
}

/// Runs `inspect` on every known policy document of `role`: it gives a problem text per statement
/// at fault.
pub(crate) fn inspect_role(role: &Role, inspect: impl Fn(&Policy, &Statement, usize) -> Option<String>) -> Verdict {
    let mut verdict = Verdict { problems: Vec::new(), unknown: None, documents: 0 };
    for policy in &role.policies {
        let document = match &policy.policy_document {
            Setting::Known(d, _) => d,
            Setting::Unknown(why) => {
                verdict.unknown = Some(format!("policy `{}`: {why}", policy.policy_name));
                continue;
            }
        };
        verdict.documents += 1;
        for (index, statement) in document.statements.iter().enumerate() {
            if let Some(text) = inspect(document, statement, index) {
                verdict.problems.push(Problem {
                    text: format!("{} of policy `{}` {text}", statement_name(statement, index), policy.policy_name),
                    at: location(role, policy),
                    place: place(role, policy),
                });
            }
        }
    }
    verdict
}

/// `statement `Sid`` or `statement 2`.
pub(crate) fn statement_name(statement: &Statement, index: usize) -> String {
    match &statement.sid {
        Some(sid) => format!("statement `{sid}`"),
        None => format!("statement {}", index + 1),
    }
}

/// Where the policy is written.
fn location(role: &Role, policy: &InlinePolicy) -> Option<Location> {
    policy
        .policy_document
        .location()
        .or_else(|| policy.attachment.declared_by().and_then(|r| r.location.as_ref()))
        .or(role.resource.location.as_ref())
        .cloned()
}

/// Which resource to edit, in the user's words.
fn place(role: &Role, policy: &InlinePolicy) -> String {
    if let Some(r) = policy.attachment.declared_by() {
        return format!("the `PolicyDocument` of `{}`", r.id);
    }
    match &role.resource.generated_from {
        Some(function) => format!("the `Policies` of `{function}` (policy `{}`)", policy.policy_name),
        None => format!("policy `{}` of `{}`", policy.policy_name, role.resource.id),
    }
}

/// The service prefix of an action pattern: `s3` for `s3:GetObject`.
pub(crate) fn service_of(action: &str) -> &str {
    action.split_once(':').map_or(action, |(s, _)| s)
}
