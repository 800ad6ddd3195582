//! IAM-004: no role policy allows decrypting with every KMS key.

use sensei_model::{Expr, Inventory, Syntax, symbolic_for_policy};
use sensei_policy::{Caller, Decision, Effect, Request};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::inspect_role;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "IAM-004",
        slug: "policy-allows-decrypt-on-all-keys",
        title: "IAM policy does not allow decryption with every KMS key",
        service: Service::Iam,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 2,
        aliases: &["KMS.1"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Roles],
        enabled_by_default: true,
        docs: include_str!("policy_allows_decrypt_on_all_keys.md"),
    },
    check,
};

/// The actions KMS.1 blocks on all keys.
const BLOCKED: [&str; 2] = ["kms:Decrypt", "kms:ReEncryptFrom"];

/// Keys no policy names: one in the stack's own account and region, one elsewhere.
fn fresh_keys() -> [String; 2] {
    [
        symbolic_for_policy("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/sensei-witness"),
        "arn:aws:kms:us-east-1:444455556666:key/sensei-witness".to_string(),
    ]
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let caller = Caller::Aws {
        arn: "arn:aws:iam::111122223333:role/sensei-witness".to_string(),
        account: "111122223333".to_string(),
    };
    for role in &inventory.roles {
        let r = &role.resource;
        let verdict = inspect_role(role, |document, statement, _| {
            if statement.effect != Effect::Allow {
                return None;
            }
            let single = document.only(statement);
            let allowed: Vec<&str> = BLOCKED
                .into_iter()
                .filter(|action| {
                    fresh_keys().into_iter().any(|key| {
                        let request = Request {
                            caller: caller.clone(),
                            action: (*action).to_string(),
                            resource: key,
                            context: Vec::new(),
                        };
                        single.evaluate(&request) == Decision::Allow
                    })
                })
                .collect();
            (!allowed.is_empty()).then(|| format!("allows {} on keys it does not name", allowed.join(" and ")))
        });
        if let Some(problem) = verdict.problems.first() {
            let message = format!(
                "{}: the role can decrypt data protected by any KMS key it can reach, not only its own",
                verdict.problems.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("; ")
            );
            let key = match r.syntax {
                Syntax::Live => Code::text("arn:aws:kms:REGION:ACCOUNT_ID:key/KEY_ID"),
                _ => Code::Expr(Expr::GetAtt("DataKey".to_string(), "Arn".to_string())),
            };
            let statement = Code::map(vec![
                ("Effect", Code::text("Allow")),
                ("Action", Code::List(vec![Code::text("kms:Decrypt")])),
                ("Resource", Code::List(vec![key])),
            ]);
            let code = match r.syntax {
                Syntax::Yaml => Code::List(vec![statement]),
                _ => statement,
            };
            let fix = Fix {
                summary: format!(
                    "In {}, allow `kms:Decrypt` only on the keys the role uses (here `DataKey`, an `AWS::KMS::Key` of the template), or add a `kms:ViaService` condition.",
                    problem.place
                ),
                snippet: Some(code.snippet(if r.syntax == Syntax::Live { Syntax::Json } else { r.syntax })),
            };
            out.fail(r, problem.at.as_ref(), message, fix);
        } else if let Some(why) = verdict.unknown {
            out.unknown(r, None, why);
        } else {
            out.pass(r, "no policy of the role allows kms:Decrypt or kms:ReEncryptFrom on every key");
        }
    }
}
