//! IAM-001: no policy of a role allows every action on every resource.

use sensei_model::{Expr, Inventory, Setting, Syntax, symbolic_for_policy};
use sensei_policy::{CallerScope, Effect, Policy, RequestSpace, ResourceScope, Statement};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::inspect_role;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "IAM-001",
        slug: "policy-grants-admin-access",
        title: "IAM policy does not grant full administrative access",
        service: Service::Iam,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 1,
        aliases: &["IAM.1"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Roles],
        enabled_by_default: true,
        docs: include_str!("policy_grants_admin_access.md"),
    },
    check,
};

/// A service no policy names: only a wildcard action can allow its actions.
const FRESH_SERVICE: &str = "senseiwitness";

/// Resources of unrelated services and accounts: a statement that allows a fresh action on all
/// of them allows it on every resource.
fn probes() -> Vec<ResourceScope> {
    [
        "arn:aws:iam::111122223333:role/sensei-witness",
        "arn:aws:senseiwitness:us-east-1:444455556666:thing/sensei-witness",
        "arn:aws:s3:::sensei-witness-bucket/key",
        &symbolic_for_policy("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/sensei-witness"),
    ]
    .into_iter()
    .map(|arn| ResourceScope::Exact(arn.to_string()))
    .collect()
}

/// Whether `statement`, on its own, allows every action of a service it never names on every
/// probe resource.
fn grants_everything(document: &Policy, statement: &Statement) -> bool {
    if statement.effect != Effect::Allow {
        return false;
    }
    let probes = probes();
    let space = RequestSpace {
        service: FRESH_SERVICE.to_string(),
        resources: probes.clone(),
        fixed: Vec::new(),
        callers: CallerScope::Everyone,
    };
    let allowed = document.only(statement).allowed(&space);
    probes.iter().all(|p| match p {
        ResourceScope::Exact(arn) => allowed.iter().any(|r| &r.resource == arn),
        ResourceScope::AnyUnder(_) => false,
    })
}

/// AWS managed policies that allow everything.
const ADMIN_POLICIES: &[&str] = &[":policy/AdministratorAccess"];

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for role in &inventory.roles {
        let r = &role.resource;
        let verdict = inspect_role(role, |document, statement, _| {
            grants_everything(document, statement).then(|| "allows every action on every resource".to_string())
        });
        let managed: Vec<&String> = match &role.managed_policy_arns {
            Setting::Known(arns, _) => arns.iter().filter(|a| ADMIN_POLICIES.iter().any(|p| a.ends_with(p))).collect(),
            Setting::Unknown(_) => Vec::new(),
        };
        if let Some(problem) = verdict.problems.first() {
            let message = format!(
                "{}: whoever holds the role (the function, or code injected into it) can do anything in the account",
                verdict.problems.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("; ")
            );
            out.fail(r, problem.at.as_ref(), message, fix(&problem.place, r.syntax));
        } else if let Some(arn) = managed.first() {
            let message = format!(
                "the role attaches the AWS managed policy `{arn}`, which allows every action on every resource"
            );
            let at = role.managed_policy_arns.location();
            out.fail(r, at, message, managed_fix(role));
        } else if let Some(why) = verdict.unknown {
            out.unknown(r, None, why);
        } else if let Setting::Unknown(why) = &role.managed_policy_arns {
            out.unknown(r, None, format!("the managed policies are unknown: {why}"));
        } else {
            out.pass(r, "no policy of the role allows every action on every resource");
        }
    }
}

/// Replacing `AdministratorAccess` with what the role uses.
fn managed_fix(role: &sensei_model::iam::Role) -> Fix {
    let r = &role.resource;
    match &r.generated_from {
        Some(function) if r.syntax != Syntax::Live => {
            let template = Code::map(vec![(
                "DynamoDBCrudPolicy",
                Code::map(vec![("TableName", Code::Expr(Expr::Ref("OrdersTable".to_string())))]),
            )]);
            Fix {
                summary: format!(
                    "In the `Policies` of `{function}`, replace `AdministratorAccess` with SAM policy templates or statements for what the function uses (an example below)."
                ),
                snippet: Some(Code::map(vec![("Policies", Code::List(vec![template]))]).snippet(r.syntax)),
            }
        }
        _ => {
            let mut fix = fix(&format!("`{}`", r.id), r.syntax);
            fix.summary = format!(
                "Remove `AdministratorAccess` from the managed policies of `{}` and grant what the role uses instead (an example below); IAM Access Analyzer can generate the statements from CloudTrail activity.",
                r.id
            );
            fix
        }
    }
}

fn fix(place: &str, syntax: Syntax) -> Fix {
    let resource = match syntax {
        Syntax::Live => Code::text("arn:aws:dynamodb:REGION:ACCOUNT_ID:table/orders"),
        _ => Code::Expr(Expr::GetAtt("OrdersTable".to_string(), "Arn".to_string())),
    };
    let statement = Code::map(vec![
        ("Effect", Code::text("Allow")),
        ("Action", Code::List(vec![Code::text("dynamodb:GetItem"), Code::text("dynamodb:PutItem")])),
        ("Resource", resource),
    ]);
    let code = match syntax {
        Syntax::Yaml => Code::List(vec![statement]),
        _ => statement,
    };
    Fix {
        summary: format!(
            "In {place}, replace the statement with ones that name the actions and resources the role really uses (an example below); IAM Access Analyzer can generate them from CloudTrail activity."
        ),
        snippet: Some(code.snippet(syntax)),
    }
}
