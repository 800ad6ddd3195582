//! S3-001: the bucket refuses plain-HTTP requests.

use sensei_model::s3::Bucket;
use sensei_model::{Expr, Inventory, Setting, Syntax};
use sensei_policy::{
    CallerScope, Decision, Effect, Policy, PrincipalElement, Request, RequestSpace, ResourceScope, Statement,
};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-001",
        slug: "bucket-allows-plain-http",
        title: "S3 bucket refuses plain-HTTP requests",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 2,
        aliases: &["s3OnlyAllowHTTPS", "S3.5"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketPolicy],
        enabled_by_default: true,
        docs: include_str!("bucket_allows_plain_http.md"),
    },
    check,
};

const SECURE_TRANSPORT: &str = "aws:SecureTransport";

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        let Some(arn) = bucket.arn() else {
            if let Setting::Unknown(why) = &bucket.bucket_name {
                out.unknown(
                    &bucket.resource,
                    bucket.bucket_name.location(),
                    format!("the bucket's name is unknown: {why}"),
                );
            }
            continue;
        };
        let policies: Vec<_> = inventory.policies_of(bucket).collect();
        if policies.is_empty() {
            out.fail(
                &bucket.resource,
                None,
                "no bucket policy is attached, so nothing denies requests made over plain HTTP",
                new_policy_fix(bucket),
            );
            continue;
        }
        let space = RequestSpace {
            service: "s3".to_string(),
            resources: vec![ResourceScope::Exact(arn.clone()), ResourceScope::AnyUnder(format!("{arn}/"))],
            fixed: vec![(SECURE_TRANSPORT.to_string(), vec!["false".to_string()])],
            callers: CallerScope::Everyone,
        };
        let mut verdicts = Vec::new();
        for policy in &policies {
            match &policy.policy_document {
                Setting::Known(document, _) => verdicts.push(Ok((policy, document.not_denied(&space), document))),
                Setting::Unknown(why) => verdicts.push(Err((policy, why))),
            }
        }
        // A bucket has one policy in AWS: with several in a template, the last deployed wins.
        let enforced = verdicts.iter().filter(|v| matches!(v, Ok((_, gaps, _)) if gaps.is_empty())).count();
        if enforced == verdicts.len() {
            out.pass(&bucket.resource, "the bucket policy denies every request made over plain HTTP");
            continue;
        }
        if let Some(Err((policy, why))) = verdicts.iter().find(|v| v.is_err()) {
            out.unknown(
                &bucket.resource,
                policy.resource.location.as_ref(),
                format!("bucket policy `{}`: {why}", policy.resource.id),
            );
            continue;
        }
        if enforced > 0 {
            out.unknown(
                &bucket.resource,
                None,
                "several bucket policies target this bucket and only one can be in effect; some deny plain HTTP and some do not",
            );
            continue;
        }
        if let Some(Ok((policy, gaps, document))) = verdicts.first() {
            let message = explain(&space, gaps, document);
            let summary = format!(
                "Add this statement to the `PolicyDocument` of `{}`{}.",
                policy.resource.id,
                policy.resource.location.as_ref().map(|l| format!(" ({l})")).unwrap_or_default()
            );
            let statement = match bucket.resource.syntax {
                Syntax::Yaml => Code::List(vec![deny_statement(bucket)]),
                _ => deny_statement(bucket),
            };
            let fix = Fix { summary, snippet: Some(statement.snippet(bucket.resource.syntax)) };
            out.fail(&bucket.resource, policy.resource.location.as_ref(), message, fix);
        }
    }
}

/// Why plain HTTP gets through, in the user's words, with a request that shows it.
fn explain(space: &RequestSpace, gaps: &[Request], policy: &Policy) -> String {
    let http_denies: Vec<&Statement> = policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Deny && s.mentions_condition_key(SECURE_TRANSPORT))
        .collect();
    let allows_https =
        policy.statements.iter().any(|s| s.effect == Effect::Allow && s.mentions_condition_key(SECURE_TRANSPORT));
    let Some(example) = gaps.first().map(|r| plainer_example(r, policy)) else { return String::new() };
    if http_denies.is_empty() {
        return if allows_https {
            format!(
                "an Allow with aws:SecureTransport true does not stop HTTP: only an explicit Deny does (e.g. {example} is not denied)"
            )
        } else {
            format!("no statement denies requests with aws:SecureTransport false (e.g. {example} is not denied)")
        };
    }
    let within = |scope: &ResourceScope| {
        let narrowed = RequestSpace { resources: vec![scope.clone()], ..space.clone() };
        policy.not_denied(&narrowed).into_iter().next().map(|r| plainer_example(&r, policy))
    };
    let (bucket, objects) = match space.resources.as_slice() {
        [b, o] => (within(b), within(o)),
        _ => (None, None),
    };
    let extra_keys: Vec<String> = http_denies
        .iter()
        .flat_map(|s| s.condition.iter())
        .filter(|c| !c.key.eq_ignore_ascii_case(SECURE_TRANSPORT))
        .map(|c| c.key.clone())
        .collect();
    let (what, example) = match (bucket, objects) {
        (Some(b), None) => ("the deny covers objects but not the bucket itself".to_string(), b),
        (None, Some(o)) => ("the deny covers the bucket but not all of its objects".to_string(), o),
        _ if !extra_keys.is_empty() => (
            format!(
                "the deny also requires {}, so plain-HTTP requests that do not match it get through",
                extra_keys.join(", ")
            ),
            example,
        ),
        _ if http_denies.iter().all(|s| !covers_everyone(s)) => {
            ("the deny does not apply to every principal".to_string(), example)
        }
        _ => (format!("the deny does not cover every S3 action ({} is left out)", example.action), example),
    };
    format!("{what}: {example} is not denied")
}

/// Whether a statement's principal part is every caller.
fn covers_everyone(statement: &Statement) -> bool {
    match &statement.principal {
        None => true,
        Some(PrincipalElement::Principal(set)) => set.is_everyone(),
        Some(PrincipalElement::NotPrincipal(_)) => false,
    }
}

/// The same request with a familiar action (`s3:ListBucket` on the bucket, `s3:GetObject` on an
/// object) when that one is not denied either, so the example reads naturally.
fn plainer_example(request: &Request, policy: &Policy) -> Request {
    let familiar = if request.resource.contains('/') { "s3:GetObject" } else { "s3:ListBucket" };
    let candidate = Request { action: familiar.to_string(), ..request.clone() };
    if policy.evaluate(&candidate) != Decision::ExplicitDeny { candidate } else { request.clone() }
}

/// The statement that refuses plain HTTP, with this bucket's ARNs.
fn deny_statement(bucket: &Bucket) -> Code {
    Code::map(vec![
        ("Sid", Code::text("DenyPlainHttp")),
        ("Effect", Code::text("Deny")),
        ("Principal", Code::text("*")),
        ("Action", Code::text("s3:*")),
        (
            "Resource",
            Code::List(vec![Code::Expr(bucket.arn_expr.clone()), Code::Expr(bucket.objects_arn_expr.clone())]),
        ),
        ("Condition", Code::map(vec![("Bool", Code::map(vec![(SECURE_TRANSPORT, Code::text("false"))]))])),
    ])
}

/// A whole bucket policy resource holding the deny, for a bucket that has none.
fn new_policy_fix(bucket: &Bucket) -> Fix {
    let statement = deny_statement(bucket);
    match bucket.resource.syntax {
        Syntax::Live => {
            let policy =
                Code::map(vec![("Version", Code::text("2012-10-17")), ("Statement", Code::List(vec![statement]))]);
            Fix {
                summary: format!(
                    "Attach this bucket policy (aws s3api put-bucket-policy --bucket {} --policy file://policy.json).",
                    bucket.bucket_name.known().map(String::as_str).unwrap_or("BUCKET")
                ),
                snippet: Some(policy.snippet(Syntax::Live)),
            }
        }
        syntax => {
            let id = bucket.resource.declared_id();
            let resource = Code::map(vec![
                ("Type", Code::text("AWS::S3::BucketPolicy")),
                (
                    "Properties",
                    Code::map(vec![
                        ("Bucket", Code::Expr(Expr::Ref(bucket.resource.id.clone()))),
                        (
                            "PolicyDocument",
                            Code::map(vec![
                                ("Version", Code::text("2012-10-17")),
                                ("Statement", Code::List(vec![statement])),
                            ]),
                        ),
                    ]),
                ),
            ]);
            let snippet = match syntax {
                Syntax::Yaml => {
                    let body: String = resource.yaml().lines().map(|l| format!("  {l}\n")).collect();
                    crate::Snippet { language: "yaml", code: format!("{id}Policy:\n{}", body.trim_end()) }
                }
                _ => crate::Snippet {
                    language: "json",
                    code: format!(
                        "{}: {}",
                        sensei_model::Expr::Literal(format!("{id}Policy")).render(Syntax::Json),
                        resource.json(0)
                    ),
                },
            };
            Fix {
                summary: format!("Add this resource to the template's `Resources`, next to `{id}`."),
                snippet: Some(snippet),
            }
        }
    }
}
