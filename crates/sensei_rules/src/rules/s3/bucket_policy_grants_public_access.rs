//! S3-003: the bucket policy grants nothing to the public.

use sensei_model::{Expr, Inventory, Setting, Syntax};
use sensei_policy::{CallerScope, Policy, Request, RequestSpace, ResourceScope};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-003",
        slug: "bucket-policy-grants-public-access",
        title: "S3 bucket policy grants nothing to the public",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::Critical,
        level: 1,
        aliases: &["S3.2", "S3.3"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketPolicy],
        enabled_by_default: true,
        docs: include_str!("bucket_policy_grants_public_access.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        let Some(arn) = bucket.arn() else {
            if let Setting::Unknown(why) = &bucket.bucket_name {
                out.unknown(&bucket.resource, None, format!("the bucket's name is unknown: {why}"));
            }
            continue;
        };
        let space = RequestSpace {
            service: "s3".to_string(),
            resources: vec![ResourceScope::Exact(arn.clone()), ResourceScope::AnyUnder(format!("{arn}/"))],
            fixed: Vec::new(),
            callers: CallerScope::Outsiders,
        };
        let mut verdict = Verdict::Private;
        for policy in inventory.policies_of(bucket) {
            match &policy.policy_document {
                Setting::Unknown(why) => {
                    if matches!(verdict, Verdict::Private) {
                        verdict = Verdict::Unknown(format!("bucket policy `{}`: {why}", policy.resource.id));
                    }
                }
                Setting::Known(document, _) => {
                    let grants = document.allowed(&space);
                    if let Some(first) = grants.first() {
                        let statements = granting_statements(document, &space);
                        verdict = Verdict::Public {
                            policy: policy.resource.id.clone(),
                            at: policy.resource.location.clone(),
                            message: describe(first, &grants, &statements),
                        };
                        break;
                    }
                }
            }
        }
        match verdict {
            Verdict::Private if bucket.policies.is_empty() => {
                out.pass(&bucket.resource, "no bucket policy, so it grants nothing")
            }
            Verdict::Private => {
                out.pass(&bucket.resource, "the bucket policy grants nothing to principals outside the account")
            }
            Verdict::Unknown(why) => out.unknown(&bucket.resource, None, why),
            Verdict::Public { policy, at, message } => {
                out.fail(&bucket.resource, at.as_ref(), message, fix(&policy, bucket.resource.syntax));
            }
        }
    }
}

enum Verdict {
    Private,
    Unknown(String),
    Public { policy: String, at: Option<sensei_model::Location>, message: String },
}

/// The Sid (or position) of each statement that on its own grants something in `space`.
fn granting_statements(policy: &Policy, space: &RequestSpace) -> Vec<String> {
    policy
        .statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.effect == sensei_policy::Effect::Allow)
        .filter(|(_, s)| !policy.only(s).allowed(space).is_empty())
        .map(|(i, s)| s.sid.clone().map_or_else(|| format!("statement {}", i + 1), |sid| format!("`{sid}`")))
        .collect()
}

fn describe(first: &Request, grants: &[Request], statements: &[String]) -> String {
    let writes = grants.iter().any(|r| is_write(&r.action));
    let reads = grants.iter().any(|r| !is_write(&r.action));
    let kind = match (reads, writes) {
        (true, true) => "read and write",
        (false, true) => "write",
        _ => "read",
    };
    let by = if statements.is_empty() { String::new() } else { format!(" through {}", statements.join(", ")) };
    format!("the bucket policy grants public {kind} access{by}: {first} is allowed")
}

fn is_write(action: &str) -> bool {
    let name = action.strip_prefix("s3:").unwrap_or(action).to_ascii_lowercase();
    !(name.starts_with("get") || name.starts_with("list") || name.starts_with("head"))
}

fn fix(policy: &str, syntax: Syntax) -> Fix {
    let account_root = match syntax {
        Syntax::Live => Expr::Literal("arn:aws:iam::ACCOUNT_ID:root".to_string()),
        _ => Expr::Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root".to_string()),
    };
    let principal = Code::map(vec![("Principal", Code::map(vec![("AWS", Code::Expr(account_root))]))]);
    Fix {
        summary: format!(
            "In `{policy}`, name the principals that need access instead of everyone (or add a condition on \
             aws:PrincipalOrgID or aws:SourceArn); to serve files to the public, put CloudFront with Origin \
             Access Control in front of the bucket."
        ),
        snippet: Some(principal.snippet(syntax)),
    }
}
