//! IAM-003: a role's Allow statements name their resources rather than `*`.

use sensei_model::{Expr, Inventory, Syntax};
use sensei_policy::{ActionElement, Effect, ResourceElement, Statement};

use crate::data::iam_actions::accepts_only_star;
use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::{inspect_role, service_of};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "IAM-003",
        slug: "role-policy-allows-any-resource",
        title: "IAM role policy names the resources it allows",
        service: Service::Iam,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 2,
        aliases: &["noIAMRolePolicyWithWildcardResource"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Roles],
        enabled_by_default: true,
        docs: include_str!("role_policy_allows_any_resource.md"),
    },
    check,
};

/// The actions of an Allow statement on every resource that could be scoped, if any.
fn scoped_actions_on_everything(statement: &Statement) -> Option<Vec<String>> {
    if statement.effect != Effect::Allow {
        return None;
    }
    let everything = match &statement.resource {
        Some(ResourceElement::Resource(patterns)) => patterns.iter().any(|p| p.as_str() == "*"),
        Some(ResourceElement::NotResource(_)) => true,
        None => false,
    };
    if !everything {
        return None;
    }
    let actions: Vec<String> = match &statement.action {
        ActionElement::NotAction(_) => vec!["every action but those in `NotAction`".to_string()],
        ActionElement::Action(patterns) => {
            patterns.iter().map(|p| p.as_str()).filter(|p| !accepts_only_star(p)).map(|p| format!("`{p}`")).collect()
        }
    };
    (!actions.is_empty()).then_some(actions)
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for role in &inventory.roles {
        let r = &role.resource;
        let verdict = inspect_role(role, |_, statement, _| {
            let actions = scoped_actions_on_everything(statement)?;
            let resource = match &statement.resource {
                Some(ResourceElement::NotResource(_)) => "every resource but those in `NotResource`",
                _ => "`Resource: \"*\"`",
            };
            Some(format!("allows {} on {resource}", actions.join(", ")))
        });
        if let Some(problem) = verdict.problems.first() {
            let message = format!(
                "{}: the role can use these actions on every resource of the account, not only the ones it needs",
                verdict.problems.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("; ")
            );
            let service = first_service(role).unwrap_or_else(|| "s3".to_string());
            let resource = match r.syntax {
                Syntax::Live => Code::text(&format!("arn:aws:{service}:REGION:ACCOUNT_ID:RESOURCE")),
                _ => Code::Expr(Expr::Sub(format!(
                    "arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:RESOURCE"
                ))),
            };
            let code = Code::map(vec![("Resource", Code::List(vec![resource]))]);
            let fix = Fix {
                summary: format!(
                    "In {}, replace `*` with the ARNs of the resources the role uses (`!GetAtt Table.Arn`, `!Ref Topic`, ...), in the form below.",
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
            out.pass(
                r,
                "every Allow statement names its resources (or allows only actions that accept nothing but `*`)",
            );
        }
    }
}

/// The service of the first action allowed on `*`.
fn first_service(role: &sensei_model::iam::Role) -> Option<String> {
    role.policies
        .iter()
        .filter_map(|p| p.policy_document.known())
        .flat_map(|d| d.statements.iter())
        .filter(|s| scoped_actions_on_everything(s).is_some())
        .find_map(|s| match &s.action {
            ActionElement::Action(patterns) => {
                patterns.iter().map(|p| p.as_str()).find(|p| !accepts_only_star(p)).map(|p| service_of(p).to_string())
            }
            ActionElement::NotAction(_) => None,
        })
        .filter(|s| s != "*")
}
