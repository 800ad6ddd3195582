//! LAMBDA-011: each function has an execution role of its own.

use std::collections::HashMap;

use sensei_model::lambda::Function;
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::{in_function, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-011",
        slug: "functions-share-a-role",
        title: "Each Lambda function has its own IAM role",
        service: Service::Lambda,
        categories: &[Category::Security, Category::Stability],
        severity: Severity::High,
        level: 4,
        aliases: &["noSharedIamRoles"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions],
        enabled_by_default: true,
        docs: include_str!("functions_share_a_role.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    // The functions of each known role, in inventory order: looked up, not scanned per function.
    let mut by_role: HashMap<&str, Vec<&Function>> = HashMap::new();
    for function in &inventory.functions {
        if let Some(role) = function.role.known() {
            by_role.entry(role.as_str()).or_default().push(function);
        }
    }
    for function in &inventory.functions {
        let r = &function.resource;
        let role = match &function.role {
            Setting::Known(role, _) => role,
            Setting::Unknown(why) => {
                out.unknown(r, None, unknown_because("Role", why));
                continue;
            }
        };
        let others: Vec<String> = by_role
            .get(role.as_str())
            .into_iter()
            .flatten()
            .filter(|o| o.resource.id != r.id)
            .map(|o| format!("`{}`", o.resource.id))
            .collect();
        if others.is_empty() {
            out.pass(r, "has a role of its own");
            continue;
        }
        let message = format!(
            "shares its execution role `{role}` with {}: each of them can do everything any of them needs, and a change for one changes them all",
            others.join(", ")
        );
        let role_id = format!("{}Role", r.id);
        let fix = if function.serverless {
            Fix {
                summary: format!(
                    "In {}, remove `Role` and list what this function needs in `Policies`: SAM then creates `{role_id}` for it alone.",
                    in_function(function)
                ),
                snippet: Some(
                    (Code::map(vec![("Policies", Code::List(vec![Code::text("AWSLambdaBasicExecutionRole")]))]))
                        .snippet(r.syntax),
                ),
            }
        } else {
            let role_arn = match r.syntax {
                Syntax::Live => Code::text(&format!("arn:aws:iam::ACCOUNT_ID:role/{role_id}")),
                _ => Code::Expr(Expr::GetAtt(role_id.clone(), "Arn".to_string())),
            };
            Fix {
                summary: format!(
                    "Give {} a role of its own, `{role_id}` (an `AWS::IAM::Role` trusted by lambda.amazonaws.com with only the permissions this function uses), and point `Role` at it.",
                    in_function(function)
                ),
                snippet: Some((Code::map(vec![("Role", role_arn)])).snippet(r.syntax)),
            }
        };
        out.fail(r, function.role.location(), message, fix);
    }
}
