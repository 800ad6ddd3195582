//! S3-007: the bucket policy does not let other AWS accounts change who can access the bucket.

use sensei_model::s3::Bucket;
use sensei_model::{Expr, Inventory, Setting, Syntax};
use sensei_policy::{
    Caller, CallerScope, Decision, Effect, Policy, PrincipalElement, PrincipalKind, Request, RequestSpace,
    ResourceScope,
};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-007",
        slug: "bucket-policy-lets-other-accounts-change-access",
        title: "S3 bucket policy keeps control of access within the account",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 2,
        aliases: &["S3.6"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketPolicy],
        enabled_by_default: true,
        docs: include_str!("bucket_policy_lets_other_accounts_change_access.md"),
    },
    check,
};

/// The actions Security Hub S3.6 forbids to other accounts, on the bucket and on objects.
const BUCKET_ACTIONS: [&str; 4] =
    ["s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutBucketPolicy", "s3:PutEncryptionConfiguration"];
const OBJECT_ACTIONS: [&str; 1] = ["s3:PutObjectAcl"];

const PRINCIPAL_ACCOUNT: &str = "aws:PrincipalAccount";

/// Keys present only on requests made through an access point. The bucket-configuration actions
/// cannot be made through one, and what an access point of the account lets through is its own
/// policy's business (S3-017): requests here come to the bucket directly.
const ACCESS_POINT_KEYS: [&str; 3] =
    ["s3:DataAccessPointAccount", "s3:DataAccessPointArn", "s3:AccessPointNetworkOrigin"];

fn direct() -> Vec<(String, Vec<String>)> {
    ACCESS_POINT_KEYS.iter().map(|k| (k.to_string(), Vec::new())).collect()
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        let Some(arn) = bucket.arn() else {
            if let Setting::Unknown(why) = &bucket.bucket_name {
                out.unknown(&bucket.resource, None, format!("the bucket's name is unknown: {why}"));
            }
            continue;
        };
        let mut unknown = None;
        let mut failed = false;
        for policy in inventory.policies_of(bucket) {
            let document = match &policy.policy_document {
                Setting::Known(document, _) => document,
                Setting::Unknown(why) => {
                    unknown.get_or_insert(format!("bucket policy `{}`: {why}", policy.resource.id));
                    continue;
                }
            };
            let found = grants(document, &arn);
            let Some(first) = found.first() else { continue };
            let mut who: Vec<&str> = Vec::new();
            for g in &found {
                if !who.contains(&g.who.as_str()) {
                    who.push(&g.who);
                }
            }
            let mut actions: Vec<&str> = Vec::new();
            for g in &found {
                if !actions.contains(&g.action) {
                    actions.push(g.action);
                }
            }
            let message = format!(
                "the bucket policy lets {} call {}, so they can change who may access the bucket: {} is allowed",
                who.join(" and "),
                actions.join(", "),
                first.example
            );
            out.fail(&bucket.resource, policy.resource.location.as_ref(), message, fix(bucket, &policy.resource.id));
            failed = true;
            break;
        }
        if failed {
            continue;
        }
        if let Some(why) = unknown {
            out.unknown(&bucket.resource, None, why);
        } else if bucket.policies.is_empty() {
            out.pass(&bucket.resource, "no bucket policy, so it grants nothing to other accounts");
        } else {
            out.pass(&bucket.resource, "the bucket policy lets no other account change its policy, ACLs or encryption");
        }
    }
}

/// One action the policy allows to another account, with a request that shows it.
struct Grant {
    who: String,
    action: &'static str,
    example: Request,
}

/// Every forbidden action the policy allows to an account other than the bucket's: any account it
/// does not name, and each account it names with a literal id. The template's own account is
/// written `${AWS::AccountId}` and its roles `${Role.Arn}`: neither is another account.
fn grants(policy: &Policy, arn: &str) -> Vec<Grant> {
    let resources = vec![ResourceScope::Exact(arn.to_string()), ResourceScope::AnyUnder(format!("{arn}/"))];
    let mut out = Vec::new();
    let outsiders = RequestSpace {
        service: "s3".to_string(),
        resources: resources.clone(),
        fixed: direct(),
        callers: CallerScope::Outsiders,
    };
    collect(policy, &outsiders, arn, "every AWS account", |caller| matches!(caller, Caller::Aws { .. }), &mut out);
    let named = named_accounts(policy);
    for account in &named {
        let space = RequestSpace {
            service: "s3".to_string(),
            resources: resources.clone(),
            fixed: [direct(), vec![(PRINCIPAL_ACCOUNT.to_string(), vec![account.clone()])]].concat(),
            callers: CallerScope::Everyone,
        };
        let in_account = |caller: &Caller| match caller {
            Caller::Aws { arn, account: a } => !arn.contains("${") && (a == account || !named.contains(a)),
            _ => false,
        };
        collect(policy, &space, arn, &format!("account {account}"), in_account, &mut out);
    }
    out
}

fn collect(
    policy: &Policy,
    space: &RequestSpace,
    bucket_arn: &str,
    who: &str,
    caller_counts: impl Fn(&Caller) -> bool,
    out: &mut Vec<Grant>,
) {
    for witness in policy.allowed(space) {
        if !caller_counts(&witness.caller) {
            continue;
        }
        let actions: &[&'static str] = if witness.resource == bucket_arn { &BUCKET_ACTIONS } else { &OBJECT_ACTIONS };
        for &action in actions {
            if out.iter().any(|g| g.who == who && g.action == action) {
                continue;
            }
            let request = Request { action: action.to_string(), ..witness.clone() };
            if policy.evaluate(&request) != Decision::Allow {
                continue;
            }
            let readable = consistent_caller(&request, space);
            let example = if policy.evaluate(&readable) == Decision::Allow { readable } else { request };
            out.push(Grant { who: who.to_string(), action, example });
        }
    }
}

/// The witness with a caller of the account that `space` fixes `aws:PrincipalAccount` to, when
/// the policy allows that one too, so that the example reads consistently.
fn consistent_caller(witness: &Request, space: &RequestSpace) -> Request {
    let fixed = space.fixed.iter().find(|(k, _)| k.eq_ignore_ascii_case(PRINCIPAL_ACCOUNT));
    if let (Some((_, values)), Caller::Aws { account, .. }) = (fixed, &witness.caller)
        && let [wanted] = values.as_slice()
        && account != wanted
    {
        return Request {
            caller: Caller::Aws { arn: format!("arn:aws:iam::{wanted}:user/sensei-witness"), account: wanted.clone() },
            ..witness.clone()
        };
    }
    witness.clone()
}

/// The literal 12-digit accounts the policy's Allow statements name, in principals or in
/// `aws:PrincipalAccount` conditions.
fn named_accounts(policy: &Policy) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |account: &str| {
        if account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) && !out.iter().any(|a| a == account) {
            out.push(account.to_string());
        }
    };
    for statement in policy.statements.iter().filter(|s| s.effect == Effect::Allow) {
        if let Some(PrincipalElement::Principal(set)) = &statement.principal {
            for entry in set.entries().iter().filter(|e| e.kind == PrincipalKind::Aws) {
                match entry.account() {
                    Some(account) => add(account),
                    None => {
                        if let Some(account) = entry.value.split(':').nth(4) {
                            add(account);
                        }
                    }
                }
            }
        }
        for condition in statement.condition.iter().filter(|c| c.key.eq_ignore_ascii_case(PRINCIPAL_ACCOUNT)) {
            for value in &condition.values {
                add(value);
            }
        }
    }
    out
}

/// A statement that denies the forbidden actions to every principal outside the account.
fn fix(bucket: &Bucket, policy: &str) -> Fix {
    let syntax = bucket.resource.syntax;
    let own_account = match syntax {
        Syntax::Live => Expr::Literal("ACCOUNT_ID".to_string()),
        _ => Expr::Ref("AWS::AccountId".to_string()),
    };
    let actions = BUCKET_ACTIONS.iter().chain(OBJECT_ACTIONS.iter()).map(|a| Code::text(a)).collect();
    let statement = Code::map(vec![
        ("Sid", Code::text("DenyAccessChangesFromOtherAccounts")),
        ("Effect", Code::text("Deny")),
        ("Principal", Code::text("*")),
        ("Action", Code::List(actions)),
        (
            "Resource",
            Code::List(vec![Code::Expr(bucket.arn_expr.clone()), Code::Expr(bucket.objects_arn_expr.clone())]),
        ),
        (
            "Condition",
            Code::map(vec![("StringNotEquals", Code::map(vec![(PRINCIPAL_ACCOUNT, Code::Expr(own_account))]))]),
        ),
    ]);
    let code = match syntax {
        Syntax::Yaml => Code::List(vec![statement]),
        _ => statement,
    };
    Fix {
        summary: format!(
            "Remove these actions from the statements of `{policy}` that grant them to other accounts (grant those \
             accounts only the data actions they need), or add this statement to its `PolicyDocument`."
        ),
        snippet: Some(code.snippet(syntax)),
    }
}
