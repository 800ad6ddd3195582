//! IAM-002: no Allow statement grants a whole service with a wildcard action (`s3:*`, `*`).

use sensei_model::iam::Role;
use sensei_model::{Inventory, Syntax};
use sensei_policy::{ActionElement, Effect, Statement};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::{inspect_role, service_of};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "IAM-002",
        slug: "policy-allows-service-wildcard",
        title: "IAM policy names actions rather than whole services",
        service: Service::Iam,
        categories: &[Category::Security],
        severity: Severity::Low,
        level: 3,
        aliases: &["IAM.21"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Roles],
        enabled_by_default: true,
        docs: include_str!("policy_allows_service_wildcard.md"),
    },
    check,
};

/// `*`, `s3:*`, `*:*`: a pattern that matches every action of a service (or of all).
fn whole_service(pattern: &str) -> bool {
    let name = pattern.split_once(':').map_or(pattern, |(_, name)| name);
    !name.is_empty() && name.chars().all(|c| c == '*')
}

/// What the statement allows too broadly, if anything.
fn wildcards(statement: &Statement) -> Option<String> {
    if statement.effect != Effect::Allow {
        return None;
    }
    match &statement.action {
        ActionElement::NotAction(_) => Some("allows every action but those in `NotAction`".to_string()),
        ActionElement::Action(patterns) => {
            let wide: Vec<String> =
                patterns.iter().map(|p| p.as_str()).filter(|p| whole_service(p)).map(|p| format!("`{p}`")).collect();
            (!wide.is_empty()).then(|| format!("allows {}", wide.join(", ")))
        }
    }
}

/// A few actions to start from, for services functions commonly use.
fn example_actions(service: &str) -> Vec<String> {
    let names: &[&str] = match service {
        "s3" => &["GetObject", "PutObject"],
        "dynamodb" => &["GetItem", "PutItem", "Query"],
        "sqs" => &["SendMessage"],
        "sns" => &["Publish"],
        "lambda" => &["InvokeFunction"],
        "logs" => &["CreateLogStream", "PutLogEvents"],
        "kms" => &["Decrypt"],
        "events" => &["PutEvents"],
        "states" => &["StartExecution"],
        "secretsmanager" => &["GetSecretValue"],
        "ssm" => &["GetParameter"],
        _ => &["ActionName"],
    };
    let service = if service == "*" { "s3" } else { service };
    names.iter().map(|n| format!("{service}:{n}")).collect()
}

/// The service of the first service-wide action of the role's policies.
fn first_wide_service(role: &Role) -> Option<String> {
    role.policies.iter().filter_map(|p| p.policy_document.known()).flat_map(|d| d.statements.iter()).find_map(
        |s| match (&s.effect, &s.action) {
            (Effect::Allow, ActionElement::Action(patterns)) => {
                patterns.iter().map(|p| p.as_str()).find(|p| whole_service(p)).map(|p| service_of(p).to_string())
            }
            _ => None,
        },
    )
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for role in &inventory.roles {
        let r = &role.resource;
        let verdict = inspect_role(role, |_, statement, _| wildcards(statement));
        if let Some(problem) = verdict.problems.first() {
            let message = format!(
                "{}: a wildcard grant includes every action AWS adds later, deletes and permission changes included",
                verdict.problems.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("; ")
            );
            let service = first_wide_service(role).unwrap_or_else(|| "s3".to_string());
            let actions = Code::List(example_actions(&service).iter().map(|a| Code::text(a)).collect());
            let code = Code::map(vec![("Action", actions)]);
            let fix = Fix {
                summary: format!(
                    "In {}, list the actions the role uses instead of the wildcard (for example, below); IAM Access Analyzer can generate the list from CloudTrail activity.",
                    problem.place
                ),
                snippet: Some(code.snippet(if r.syntax == Syntax::Live { Syntax::Json } else { r.syntax })),
            };
            out.fail(r, problem.at.as_ref(), message, fix);
        } else if let Some(why) = verdict.unknown {
            out.unknown(r, None, why);
        } else if verdict.documents == 0 {
            out.pass(r, "the role has no policy document of its own to check");
        } else {
            out.pass(r, "every Allow statement names its actions");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::whole_service;

    #[test]
    fn tells_service_wildcards() {
        assert!(whole_service("*"));
        assert!(whole_service("s3:*"));
        assert!(whole_service("*:*"));
        assert!(!whole_service("s3:Get*"));
        assert!(!whole_service("sqs:SendMessage*"));
    }
}
