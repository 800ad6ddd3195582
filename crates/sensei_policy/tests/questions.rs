//! Questions about every request in a space: "is every plain-HTTP request denied?" and "is anything
//! granted to outsiders?", on the policy shapes the peers get wrong (research/peers.md §5.2).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use sensei_policy::{Caller, CallerScope, Decision, Policy, Request, RequestSpace, ResourceScope};
use serde_json::{Value, json};

const BUCKET: &str = "arn:aws:s3:::b";
const OBJECTS: &str = "arn:aws:s3:::b/*";

fn policy(statements: Value) -> Policy {
    Policy::from_json(&json!({"Version": "2012-10-17", "Statement": statements}))
        .unwrap_or_else(|e| panic!("policy should parse: {e}"))
}

/// Every request over plain HTTP, from anyone, for any S3 action, on the bucket or any object.
fn http_space() -> RequestSpace {
    RequestSpace {
        service: "s3".into(),
        resources: vec![ResourceScope::Exact(BUCKET.into()), ResourceScope::AnyUnder("arn:aws:s3:::b/".into())],
        fixed: vec![("aws:SecureTransport".into(), vec!["false".into()])],
        callers: CallerScope::Everyone,
    }
}

/// Every request from outside, for any S3 action, on the bucket or any object.
fn outsider_space() -> RequestSpace {
    RequestSpace { fixed: Vec::new(), callers: CallerScope::Outsiders, ..http_space() }
}

/// The canonical deny, with one field replaced (or removed with `null`).
fn deny_http(changes: Value) -> Value {
    let mut s = json!({
        "Sid": "DenyHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [BUCKET, OBJECTS],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    });
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            s.as_object_mut().unwrap().remove(k);
        } else {
            s[k] = v.clone();
        }
    }
    s
}

/// Each witness must really be in the space and really escape: not denied, or allowed.
fn assert_witnesses_hold(policy: &Policy, space: &RequestSpace, witnesses: &[Request], want: &[Decision]) {
    for w in witnesses {
        assert!(want.contains(&policy.evaluate(w)), "witness {w} evaluates to {:?}", policy.evaluate(w));
        for (key, values) in &space.fixed {
            assert_eq!(w.context_values(key), values.iter().map(String::as_str).collect::<Vec<_>>(), "{w}");
        }
        assert!(w.action.to_ascii_lowercase().starts_with("s3:"), "{w}");
        assert!(w.resource == BUCKET || w.resource.starts_with("arn:aws:s3:::b/"), "{w}");
    }
}

fn not_denied(statements: Value) -> Vec<Request> {
    let p = policy(statements);
    let space = http_space();
    let found = p.not_denied(&space);
    assert_witnesses_hold(&p, &space, &found, &[Decision::Allow, Decision::ImplicitDeny]);
    found
}

fn allowed(statements: Value) -> Vec<Request> {
    let p = policy(statements);
    let space = outsider_space();
    let found = p.allowed(&space);
    assert_witnesses_hold(&p, &space, &found, &[Decision::Allow]);
    for w in &found {
        match &w.caller {
            Caller::Anonymous => {}
            Caller::Aws { account, .. } => assert!(!account.starts_with("1111"), "{w}"),
            other => panic!("not an outsider: {other:?}"),
        }
    }
    found
}

#[test]
fn canonical_deny_is_enforced() {
    assert_eq!(not_denied(json!([deny_http(json!({}))])), Vec::<Request>::new());
}

#[test]
fn enforced_variants() {
    let cases = [
        ("BoolIfExists", json!([deny_http(json!({"Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}))])),
        ("JSON boolean false", json!([deny_http(json!({"Condition": {"Bool": {"aws:SecureTransport": false}}}))])),
        ("one-element list", json!([deny_http(json!({"Condition": {"Bool": {"aws:SecureTransport": ["false"]}}}))])),
        ("AWS *", json!([deny_http(json!({"Principal": {"AWS": "*"}}))])),
        ("Action *", json!([deny_http(json!({"Action": "*"}))])),
        ("NotAction iam:*", json!([deny_http(json!({"Action": null, "NotAction": ["iam:*"]}))])),
        ("Resource *", json!([deny_http(json!({"Resource": "*"}))])),
        ("Resource string", json!([deny_http(json!({"Resource": "arn:aws:s3:::b*"}))])),
        ("NotResource elsewhere", json!([deny_http(json!({"Resource": null, "NotResource": "arn:aws:s3:::other/*"}))])),
        (
            "split over two statements",
            json!([deny_http(json!({"Resource": BUCKET})), deny_http(json!({"Resource": OBJECTS}))]),
        ),
        ("key case", json!([deny_http(json!({"Condition": {"Bool": {"AWS:securetransport": "false"}}}))])),
        ("no Principal element", json!([deny_http(json!({"Principal": null}))])),
        (
            "actions split into two patterns that cover everything",
            json!([
                deny_http(json!({"Action": "s3:Get*"})),
                deny_http(json!({"Action": null, "NotAction": "s3:Get*"}))
            ]),
        ),
        (
            "IfExists on an extra key is no escape",
            json!([
                deny_http(
                    json!({"Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}})
                ),
                deny_http(
                    json!({"Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringEquals": {"aws:SourceVpce": "vpce-1"}}})
                )
            ]),
        ),
        (
            "allow next to the deny",
            json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": OBJECTS}, deny_http(json!({}))]),
        ),
    ];
    for (name, statements) in cases {
        let found = not_denied(statements);
        assert!(found.is_empty(), "{name}: {}", found.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "));
    }
}

#[test]
fn not_enforced_variants() {
    let role = "arn:aws:iam::111122223333:role/Admin";
    let cases = [
        ("objects only", json!([deny_http(json!({"Resource": OBJECTS}))])),
        ("bucket only", json!([deny_http(json!({"Resource": BUCKET}))])),
        (
            "action list without s3:*",
            json!([deny_http(json!({"Action": ["s3:GetObject", "s3:PutObject", "s3:Get*"]}))]),
        ),
        ("a specific role", json!([deny_http(json!({"Principal": {"AWS": role}}))])),
        ("an account", json!([deny_http(json!({"Principal": {"AWS": "111122223333"}}))])),
        (
            "Allow with SecureTransport true",
            json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": [BUCKET, OBJECTS],
                    "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]),
        ),
        ("TlsVersion only", json!([deny_http(json!({"Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}}}))])),
        ("NotPrincipal", json!([deny_http(json!({"Principal": null, "NotPrincipal": {"AWS": role}}))])),
        (
            "extra SourceIp condition",
            json!([deny_http(
                json!({"Condition": {"Bool": {"aws:SecureTransport": "false"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}})
            )]),
        ),
        (
            "extra negated SourceIp condition",
            json!([deny_http(
                json!({"Condition": {"Bool": {"aws:SecureTransport": "false"}, "NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}})
            )]),
        ),
        ("wrong value", json!([deny_http(json!({"Condition": {"Bool": {"aws:SecureTransport": "true"}}}))])),
        (
            "public objects excluded",
            json!([deny_http(json!({"Resource": null, "NotResource": "arn:aws:s3:::b/public/*"}))]),
        ),
        (
            "NotAction patterns that overlap in s3:GetObject",
            json!([
                deny_http(json!({"Action": null, "NotAction": "s3:Get*"})),
                deny_http(json!({"Action": null, "NotAction": "s3:*Object"}))
            ]),
        ),
        (
            "deny for everyone except one account",
            json!([deny_http(
                json!({"Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}})
            )]),
        ),
        ("empty policy", json!([])),
    ];
    for (name, statements) in cases {
        assert!(!not_denied(statements).is_empty(), "{name}: expected a request that escapes");
    }
}

#[test]
fn witnesses_say_what_escapes() {
    let first = |found: Vec<Request>| found.first().map(ToString::to_string).unwrap_or_default();
    assert_eq!(
        first(not_denied(json!([deny_http(json!({"Resource": OBJECTS}))]))),
        "anonymous s3:GetObject on arn:aws:s3:::b with aws:SecureTransport=false"
    );
    assert_eq!(
        first(not_denied(json!([deny_http(json!({"Resource": BUCKET}))]))),
        "anonymous s3:GetObject on arn:aws:s3:::b/x with aws:SecureTransport=false"
    );
    let tls = not_denied(json!([deny_http(json!({"Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}}}))]));
    assert_eq!(first(tls.clone()), "anonymous s3:GetObject on arn:aws:s3:::b with aws:SecureTransport=false");
    // TLS 1.2 and above escape too; each (caller, action, resource) appears once.
    assert_eq!(
        tls.len(),
        tls.iter()
            .map(|r| (r.caller.clone(), r.action.clone(), r.resource.clone()))
            .collect::<std::collections::HashSet<_>>()
            .len()
    );

    let role = "arn:aws:iam::111122223333:role/Admin";
    let not_principal = not_denied(json!([deny_http(json!({"Principal": null, "NotPrincipal": {"AWS": role}}))]));
    assert!(not_principal.iter().all(|r| r.caller == Caller::Aws { arn: role.into(), account: "111122223333".into() }));

    let listed = not_denied(json!([deny_http(json!({"Action": ["s3:GetObject", "s3:PutObject"]}))]));
    assert_eq!(first(listed), "anonymous s3:ListBucket on arn:aws:s3:::b with aws:SecureTransport=false");

    let overlap = not_denied(json!([
        deny_http(json!({"Action": null, "NotAction": "s3:Get*"})),
        deny_http(json!({"Action": null, "NotAction": "s3:*Object"}))
    ]));
    assert!(overlap.iter().all(|r| r.action.eq_ignore_ascii_case("s3:GetObject")), "{overlap:?}");

    let public = not_denied(json!([deny_http(json!({"Resource": null, "NotResource": "arn:aws:s3:::b/public/*"}))]));
    assert!(!public.is_empty());
    assert!(public.iter().all(|r| r.resource == "arn:aws:s3:::b/public/x"), "{public:?}");

    let account = not_denied(json!([deny_http(json!({"Condition": {
        "Bool": {"aws:SecureTransport": "false"}, "StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}))]));
    assert_eq!(account[0].context_values("aws:PrincipalAccount"), ["111122223333"]);
}

#[test]
fn order_is_callers_then_actions_then_resources() {
    let found = not_denied(json!([]));
    assert_eq!(found.first().map(|r| &r.caller), Some(&Caller::Anonymous));
    let key = |r: &Request| (r.caller.to_string(), r.action.clone(), r.resource.clone());
    assert_eq!(found.len(), found.iter().map(key).collect::<std::collections::HashSet<_>>().len());
    let again = policy(json!([])).not_denied(&http_space());
    assert_eq!(found, again, "deterministic");
}

#[test]
fn public_access() {
    let allow = |extra: Value| {
        let mut s = json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": OBJECTS});
        for (k, v) in extra.as_object().unwrap() {
            s[k] = v.clone();
        }
        json!([s])
    };
    let public = [
        ("Principal *", allow(json!({}))),
        ("AWS *", allow(json!({"Principal": {"AWS": "*"}}))),
        ("Referer condition", allow(json!({"Condition": {"StringLike": {"aws:Referer": "https://example.com/*"}}}))),
        ("everywhere on IPv4", allow(json!({"Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}}))),
        ("HTTPS only", allow(json!({"Condition": {"Bool": {"aws:SecureTransport": "true"}}}))),
        ("outside a range", allow(json!({"Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}))),
        (
            "deny elsewhere only",
            json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": OBJECTS},
                   {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/private/*"}]),
        ),
    ];
    for (name, statements) in public {
        assert!(!allowed(statements).is_empty(), "{name}: expected public");
    }
    let private = [
        ("an account", allow(json!({"Principal": {"AWS": "111122223333"}}))),
        ("a role", allow(json!({"Principal": {"AWS": "arn:aws:iam::111122223333:role/R"}}))),
        ("a service", allow(json!({"Principal": {"Service": "cloudfront.amazonaws.com"}}))),
        ("a VPC endpoint", allow(json!({"Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}))),
        ("an organization", allow(json!({"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-123"}}}))),
        ("a source account", allow(json!({"Condition": {"StringEquals": {"AWS:SourceAccount": "111122223333"}}}))),
        ("a private range", allow(json!({"Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}))),
        (
            "a public range of the owner",
            allow(json!({"Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}})),
        ),
        ("a service calling", allow(json!({"Condition": {"Bool": {"aws:PrincipalIsAWSService": "true"}}}))),
        (
            "denied outside the endpoint",
            json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": OBJECTS},
                   {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": OBJECTS,
                    "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}]),
        ),
        ("nothing", json!([])),
    ];
    for (name, statements) in private {
        let found = allowed(statements);
        assert!(
            found.is_empty(),
            "{name}: expected private, got {}",
            found.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
        );
    }
}

#[test]
fn public_witness_reads_well() {
    let found = allowed(
        json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/public/*"}]),
    );
    assert_eq!(
        found.first().map(ToString::to_string).as_deref(),
        Some("anonymous s3:GetObject on arn:aws:s3:::b/public/x")
    );
    let referer = allowed(json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": OBJECTS,
        "Condition": {"StringLike": {"aws:Referer": "https://example.com/*"}}}]));
    assert_eq!(referer[0].context_values("aws:Referer"), ["https://example.com/"]);
}

#[test]
fn policy_variables_in_questions() {
    // Each user may read their own home; nobody else's, and not the bucket: not public to anonymous.
    let home = json!([{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject",
                       "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}]);
    assert!(allowed(home.clone()).is_empty());
    let p = policy(home);
    let space = RequestSpace { callers: CallerScope::Everyone, ..outsider_space() };
    let found = p.allowed(&space);
    assert!(!found.is_empty());
    for w in &found {
        assert_eq!(p.evaluate(w), Decision::Allow, "{w}");
    }
    // A deny on `${aws:username}` paths leaves the rest, and requests with no user name, not denied.
    let deny = policy(json!([deny_http(json!({"Resource": "arn:aws:s3:::b/${aws:username}/*"}))]));
    assert!(!deny.not_denied(&http_space()).is_empty());
}

#[test]
fn template_tokens_are_literal_in_questions() {
    let p = policy(json!([deny_http(json!({"Resource": ["arn:aws:s3:::${MyBucket}", "arn:aws:s3:::${MyBucket}/*"]}))]));
    let space = RequestSpace {
        resources: vec![
            ResourceScope::Exact("arn:aws:s3:::${MyBucket}".into()),
            ResourceScope::AnyUnder("arn:aws:s3:::${MyBucket}/".into()),
        ],
        ..http_space()
    };
    assert!(p.not_denied(&space).is_empty());
    assert!(!p.not_denied(&http_space()).is_empty(), "another bucket is not covered");
}

#[test]
fn multi_valued_keys_in_questions() {
    // Deny tagging with any key outside {a, b}: escapes with keys inside the set (or none).
    let p = policy(json!([deny_http(json!({"Condition": {"Bool": {"aws:SecureTransport": "false"},
        "ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a", "b"]}}}))]));
    let found = p.not_denied(&http_space());
    assert!(!found.is_empty());
    for w in &found {
        assert!(w.context_values("aws:TagKeys").iter().all(|t| *t == "a" || *t == "b"), "{w}");
    }
    // Together with a deny when no tags are given, and one when tags are all in the set, nothing escapes.
    let closed = policy(json!([
        deny_http(
            json!({"Condition": {"Bool": {"aws:SecureTransport": "false"}, "ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a", "b"]}}})
        ),
        deny_http(
            json!({"Condition": {"Bool": {"aws:SecureTransport": "false"}, "ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}})
        )
    ]));
    assert!(closed.not_denied(&http_space()).is_empty());
}
