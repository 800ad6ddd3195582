//! The audit is read-only by construction: every SDK operation the source calls is a List, Get or
//! Describe call, and `docs/iam-policy.json` grants exactly the IAM actions those calls need.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::Path;

/// The service (IAM action prefix) of each source file's calls.
const FILES: &[(&str, &str)] = &[
    ("lib.rs", "sts"),
    ("s3.rs", "s3"),
    ("lambda.rs", "lambda"),
    ("sqs.rs", "sqs"),
    ("sns.rs", "sns"),
    ("dynamodb.rs", "dynamodb"),
    ("logs.rs", "logs"),
    ("iam.rs", "iam"),
    ("cloudformation.rs", "cloudformation"),
    ("apigateway.rs", "apigateway"),
    ("apigatewayv2.rs", "apigateway"),
    ("eventbridge.rs", "events"),
    ("stepfunctions.rs", "states"),
    ("cloudfront.rs", "cloudfront"),
    ("cognito.rs", "cognito-idp"),
    ("cognito_identity.rs", "cognito-identity"),
    ("kms.rs", "kms"),
    ("rds.rs", "rds"),
    ("backup.rs", "backup"),
    ("ses.rs", "ses"),
    ("ec2.rs", "ec2"),
    ("autoscaling.rs", "application-autoscaling"),
    ("s3control.rs", "s3control"),
];

/// SDK operations whose IAM action is not the operation's own name.
const ACTIONS: &[(&str, &str, &str)] = &[
    ("s3", "list_buckets", "s3:ListAllMyBuckets"),
    ("s3", "get_public_access_block", "s3:GetBucketPublicAccessBlock"),
    ("s3", "get_bucket_encryption", "s3:GetEncryptionConfiguration"),
    ("s3", "get_bucket_lifecycle_configuration", "s3:GetLifecycleConfiguration"),
    ("s3", "get_bucket_replication", "s3:GetReplicationConfiguration"),
    ("s3", "get_bucket_notification_configuration", "s3:GetBucketNotification"),
    ("s3", "get_object_lock_configuration", "s3:GetBucketObjectLockConfiguration"),
    // API Gateway's management API is authorized by HTTP verb: every read is `apigateway:GET`.
    ("apigateway", "get_rest_apis", "apigateway:GET"),
    ("apigateway", "get_stages", "apigateway:GET"),
    ("apigateway", "get_authorizers", "apigateway:GET"),
    ("apigateway", "get_authorizer", "apigateway:GET"),
    ("apigateway", "get_resources", "apigateway:GET"),
    ("apigateway", "get_method", "apigateway:GET"),
    ("apigateway", "get_apis", "apigateway:GET"),
    ("apigateway", "get_routes", "apigateway:GET"),
    ("rds", "describe_db_instances", "rds:DescribeDBInstances"),
    ("s3control", "get_public_access_block", "s3:GetAccountPublicAccessBlock"),
    ("s3control", "list_access_points", "s3:ListAccessPoints"),
    ("s3control", "get_access_point", "s3:GetAccessPoint"),
    ("s3control", "list_multi_region_access_points", "s3:ListMultiRegionAccessPoints"),
];

/// `get_bucket_policy` in `s3` → `s3:GetBucketPolicy`, unless the table says otherwise.
fn action(service: &str, operation: &str) -> String {
    if let Some((_, _, a)) = ACTIONS.iter().find(|(s, o, _)| *s == service && *o == operation) {
        return a.to_string();
    }
    let camel: String = operation
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect();
    format!("{service}:{camel}")
}

/// The operations called in `text`: `client.op(` and `.sts.op(`.
fn operations(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for marker in ["client.", ".sts."] {
        let mut rest = text;
        while let Some(at) = rest.find(marker) {
            // `clients.` is not `client.`.
            let before_ok = marker != "client." || at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric());
            rest = &rest[at + marker.len()..];
            let ident: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if before_ok && !ident.is_empty() && rest[ident.len()..].starts_with("()") {
                out.insert(ident);
            }
        }
    }
    out
}

fn policy_actions() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/iam-policy.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out = BTreeSet::new();
    for s in json["Statement"].as_array().unwrap() {
        assert_eq!(s["Effect"], "Allow");
        for a in s["Action"].as_array().unwrap() {
            out.insert(a.as_str().unwrap().to_string());
        }
    }
    out
}

fn called_actions() -> BTreeSet<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        // Test modules build SDK values, they call nothing.
        let text = text.split("#[cfg(test)]").next().unwrap();
        let ops = operations(text);
        let Some((_, service)) = FILES.iter().find(|(f, _)| *f == name) else {
            assert!(ops.is_empty(), "{name} calls {ops:?}: add the file to FILES");
            continue;
        };
        for op in ops {
            assert!(
                op.starts_with("list_") || op.starts_with("get_") || op.starts_with("describe_"),
                "{name} calls `{op}`, which is not a List, Get or Describe operation"
            );
            out.insert(action(service, &op));
        }
    }
    out
}

#[test]
fn every_call_is_in_the_policy_and_nothing_else_is() {
    let policy = policy_actions();
    let called = called_actions();
    assert!(called.len() > 30, "the scan found too few calls: {called:?}");
    let missing: Vec<_> = called.difference(&policy).collect();
    assert!(missing.is_empty(), "docs/iam-policy.json lacks {missing:?}");
    let unused: Vec<_> = policy.difference(&called).collect();
    assert!(unused.is_empty(), "docs/iam-policy.json grants {unused:?}, which no code calls");
}

#[test]
fn the_policy_has_no_write_action() {
    for a in policy_actions() {
        let verb = a.split(':').nth(1).unwrap();
        // API Gateway names its actions by HTTP verb: `GET` reads, and nothing else is granted.
        assert!(
            verb.starts_with("List")
                || verb.starts_with("Get")
                || verb.starts_with("Describe")
                || a == "apigateway:GET",
            "{a} is not a read action"
        );
        assert!(!verb.contains('*'), "{a}: no wildcards in a least-privilege policy");
    }
}

#[test]
fn the_scanner_finds_calls() {
    let ops = operations(
        "let x = client.get_bucket_policy().bucket(n); clients.sts.get_caller_identity().send(); clients.s3",
    );
    assert_eq!(ops.into_iter().collect::<Vec<_>>(), vec!["get_bucket_policy", "get_caller_identity"]);
    assert_eq!(action("s3", "list_buckets"), "s3:ListAllMyBuckets");
    assert_eq!(action("lambda", "list_function_url_configs"), "lambda:ListFunctionUrlConfigs");
}
