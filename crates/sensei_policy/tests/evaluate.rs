//! Table tests of every semantic corner of single-request evaluation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use sensei_policy::{Caller, Decision, Policy, Request};
use serde_json::{Value, json};

use Decision::{Allow, ExplicitDeny, ImplicitDeny};

const BUCKET: &str = "arn:aws:s3:::b";
const OBJECT: &str = "arn:aws:s3:::b/x";

fn policy(statements: Value) -> Policy {
    Policy::from_json(&json!({"Version": "2012-10-17", "Statement": statements}))
        .unwrap_or_else(|e| panic!("policy should parse: {e}"))
}

fn request(caller: Caller, action: &str, resource: &str, context: &[(&str, &[&str])]) -> Request {
    Request {
        caller,
        action: action.to_owned(),
        resource: resource.to_owned(),
        context: context.iter().map(|(k, v)| ((*k).to_owned(), v.iter().map(|s| (*s).to_owned()).collect())).collect(),
    }
}

fn anon(action: &str, resource: &str, context: &[(&str, &[&str])]) -> Request {
    request(Caller::Anonymous, action, resource, context)
}

fn aws(arn: &str, account: &str) -> Caller {
    Caller::Aws { arn: arn.to_owned(), account: account.to_owned() }
}

/// An Allow of s3:GetObject on every object to everyone, with the given condition block.
fn allow_if(condition: Value) -> Policy {
    policy(
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": condition}),
    )
}

/// Runs a table: (name, policy, request, expected decision).
fn check(cases: Vec<(&str, Policy, Request, Decision)>) {
    let mut failures = Vec::new();
    for (name, policy, request, expected) in cases {
        let got = policy.evaluate(&request);
        if got != expected {
            failures.push(format!("{name}: expected {expected:?}, got {got:?} for {request}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn deny_wins_allow_grants_else_implicit() {
    let allow = json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"});
    let deny = json!({"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "*"});
    check(vec![
        ("allow", policy(json!([allow])), anon("s3:PutObject", OBJECT, &[]), Allow),
        ("deny wins", policy(json!([allow, deny])), anon("s3:PutObject", OBJECT, &[]), ExplicitDeny),
        ("deny first still wins", policy(json!([deny, allow])), anon("s3:PutObject", OBJECT, &[]), ExplicitDeny),
        ("other action allowed", policy(json!([allow, deny])), anon("s3:GetObject", OBJECT, &[]), Allow),
        ("deny alone is not allow", policy(json!([deny])), anon("s3:GetObject", OBJECT, &[]), ImplicitDeny),
        ("empty statement list", policy(json!([])), anon("s3:GetObject", OBJECT, &[]), ImplicitDeny),
        ("other service", policy(json!([allow])), anon("sqs:SendMessage", OBJECT, &[]), ImplicitDeny),
    ]);
}

#[test]
fn case_rules() {
    let p = policy(
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/Key"}),
    );
    let c = allow_if(json!({"StringEquals": {"AWS:securetransport": "true"}}));
    check(vec![
        ("actions ignore case", p.clone(), anon("S3:getobject", "arn:aws:s3:::b/Key", &[]), Allow),
        ("resources are case-sensitive", p.clone(), anon("s3:GetObject", "arn:aws:s3:::b/key", &[]), ImplicitDeny),
        ("resources exact", p, anon("s3:GetObject", "arn:aws:s3:::b/Key", &[]), Allow),
        ("policy key case", c.clone(), anon("s3:GetObject", OBJECT, &[("aws:SecureTransport", &["true"])]), Allow),
        ("request key case", c.clone(), anon("s3:GetObject", OBJECT, &[("AWS:SECURETRANSPORT", &["true"])]), Allow),
        (
            "string values are case-sensitive",
            c,
            anon("s3:GetObject", OBJECT, &[("aws:SecureTransport", &["TRUE"])]),
            ImplicitDeny,
        ),
    ]);
}

#[test]
fn coercions_of_condition_values() {
    let http = |v: &str| anon("s3:GetObject", OBJECT, &[("aws:SecureTransport", &[v][..])]);
    let tls = |v: &str| anon("s3:GetObject", OBJECT, &[("s3:TlsVersion", &[v][..])]);
    check(vec![
        ("JSON false", allow_if(json!({"Bool": {"aws:SecureTransport": false}})), http("false"), Allow),
        ("string false", allow_if(json!({"Bool": {"aws:SecureTransport": "false"}})), http("false"), Allow),
        ("list of false", allow_if(json!({"Bool": {"aws:SecureTransport": ["false"]}})), http("false"), Allow),
        ("list of JSON false", allow_if(json!({"Bool": {"aws:SecureTransport": [false]}})), http("false"), Allow),
        ("Bool ignores case", allow_if(json!({"Bool": {"aws:SecureTransport": "False"}})), http("false"), Allow),
        ("Bool mismatch", allow_if(json!({"Bool": {"aws:SecureTransport": false}})), http("true"), ImplicitDeny),
        ("number 1 is text 1", allow_if(json!({"StringEquals": {"s3:TlsVersion": 1}})), tls("1"), Allow),
        ("number 1.0 is text 1.0", allow_if(json!({"StringEquals": {"s3:TlsVersion": 1.0}})), tls("1"), ImplicitDeny),
        ("numeric compares numbers", allow_if(json!({"NumericEquals": {"s3:TlsVersion": "1.0"}})), tls("1"), Allow),
        ("numeric from JSON number", allow_if(json!({"NumericEquals": {"s3:TlsVersion": 1}})), tls("1.0"), Allow),
        (
            "boolean as string value",
            allow_if(json!({"StringEquals": {"aws:SecureTransport": true}})),
            http("true"),
            Allow,
        ),
    ]);
}

#[test]
fn missing_keys_if_exists_and_null() {
    let none = anon("s3:GetObject", OBJECT, &[]);
    let vpce = |v: &str| anon("s3:GetObject", OBJECT, &[("aws:SourceVpce", &[v][..])]);
    let cond = |op: &str| allow_if(json!({op: {"aws:SourceVpce": "vpce-1"}}));
    check(vec![
        ("positive, missing", cond("StringEquals"), none.clone(), ImplicitDeny),
        ("StringNotEquals, missing", cond("StringNotEquals"), none.clone(), Allow),
        ("StringNotLike, missing", cond("StringNotLike"), none.clone(), Allow),
        ("StringNotEqualsIgnoreCase, missing", cond("StringNotEqualsIgnoreCase"), none.clone(), Allow),
        ("ArnNotLike, missing", cond("ArnNotLike"), none.clone(), Allow),
        ("ArnNotEquals, missing", cond("ArnNotEquals"), none.clone(), Allow),
        ("NumericNotEquals, missing", allow_if(json!({"NumericNotEquals": {"k:n": "1"}})), none.clone(), Allow),
        ("DateNotEquals, missing", allow_if(json!({"DateNotEquals": {"k:d": "2020-01-01"}})), none.clone(), Allow),
        (
            "NotIpAddress, missing",
            allow_if(json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
            none.clone(),
            Allow,
        ),
        (
            "IpAddress, missing",
            allow_if(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
            none.clone(),
            ImplicitDeny,
        ),
        ("StringNotEquals, present and equal", cond("StringNotEquals"), vpce("vpce-1"), ImplicitDeny),
        ("StringNotEquals, present and different", cond("StringNotEquals"), vpce("vpce-2"), Allow),
        ("IfExists, missing", cond("StringEqualsIfExists"), none.clone(), Allow),
        ("IfExists, present and equal", cond("StringEqualsIfExists"), vpce("vpce-1"), Allow),
        ("IfExists, present and different", cond("StringEqualsIfExists"), vpce("vpce-2"), ImplicitDeny),
        ("negated IfExists, missing", cond("StringNotEqualsIfExists"), none.clone(), Allow),
        (
            "BoolIfExists, missing",
            allow_if(json!({"BoolIfExists": {"aws:SecureTransport": "false"}})),
            none.clone(),
            Allow,
        ),
        ("Null true, missing", allow_if(json!({"Null": {"aws:SourceVpce": "true"}})), none.clone(), Allow),
        ("Null true, present", allow_if(json!({"Null": {"aws:SourceVpce": true}})), vpce("vpce-1"), ImplicitDeny),
        ("Null false, present", allow_if(json!({"Null": {"aws:SourceVpce": "false"}})), vpce("vpce-1"), Allow),
        ("Null false, missing", allow_if(json!({"Null": {"aws:SourceVpce": false}})), none.clone(), ImplicitDeny),
        (
            "empty value list is absent",
            cond("StringEquals"),
            anon("s3:GetObject", OBJECT, &[("aws:SourceVpce", &[])]),
            ImplicitDeny,
        ),
        (
            "empty list under Null",
            allow_if(json!({"Null": {"aws:SourceVpce": "true"}})),
            anon("s3:GetObject", OBJECT, &[("aws:SourceVpce", &[])]),
            Allow,
        ),
    ]);
}

#[test]
fn operators_and_keys_and_values() {
    let both = allow_if(json!({
        "StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"], "aws:SourceVpc": "vpc-1"},
        "Bool": {"aws:SecureTransport": "true"}
    }));
    let ctx = |vpce: &str, vpc: &str, tls: &str| {
        anon(
            "s3:GetObject",
            OBJECT,
            &[("aws:SourceVpce", &[vpce][..]), ("aws:SourceVpc", &[vpc][..]), ("aws:SecureTransport", &[tls][..])],
        )
    };
    let not_in = allow_if(json!({"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}));
    let vpce = |v: &str| anon("s3:GetObject", OBJECT, &[("aws:SourceVpce", &[v][..])]);
    check(vec![
        ("all hold", both.clone(), ctx("vpce-2", "vpc-1", "true"), Allow),
        ("values are ORed", both.clone(), ctx("vpce-1", "vpc-1", "true"), Allow),
        ("keys are ANDed", both.clone(), ctx("vpce-1", "vpc-2", "true"), ImplicitDeny),
        ("operators are ANDed", both, ctx("vpce-1", "vpc-1", "false"), ImplicitDeny),
        ("negated values are ANDed (1)", not_in.clone(), vpce("vpce-1"), ImplicitDeny),
        ("negated values are ANDed (2)", not_in.clone(), vpce("vpce-2"), ImplicitDeny),
        ("negated values, other", not_in, vpce("vpce-3"), Allow),
    ]);
}

#[test]
fn set_qualifiers() {
    let all = allow_if(json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}));
    let any = allow_if(json!({"ForAnyValue:StringLike": {"aws:TagKeys": ["a*"]}}));
    let any_not = allow_if(json!({"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a"]}}));
    let all_not = allow_if(json!({"ForAllValues:StringNotEquals": {"aws:TagKeys": ["a"]}}));
    let tags = |t: &[&str]| anon("s3:GetObject", OBJECT, &[("aws:TagKeys", t)]);
    let none = anon("s3:GetObject", OBJECT, &[]);
    check(vec![
        ("ForAllValues, missing", all.clone(), none.clone(), Allow),
        ("ForAllValues, empty", all.clone(), tags(&[]), Allow),
        ("ForAllValues, subset", all.clone(), tags(&["a", "b"]), Allow),
        ("ForAllValues, not subset", all, tags(&["a", "c"]), ImplicitDeny),
        ("ForAnyValue, missing", any.clone(), none.clone(), ImplicitDeny),
        ("ForAnyValue, one matches", any.clone(), tags(&["c", "ab"]), Allow),
        ("ForAnyValue, none matches", any, tags(&["c", "b"]), ImplicitDeny),
        ("ForAnyValue negated, one differs", any_not.clone(), tags(&["a", "c"]), Allow),
        ("ForAnyValue negated, all equal", any_not.clone(), tags(&["a"]), ImplicitDeny),
        ("ForAnyValue negated, missing", any_not, none.clone(), ImplicitDeny),
        ("ForAllValues negated, none equal", all_not.clone(), tags(&["b", "c"]), Allow),
        ("ForAllValues negated, one equal", all_not.clone(), tags(&["b", "a"]), ImplicitDeny),
        ("ForAllValues negated, missing", all_not, none, Allow),
        (
            "no qualifier on a multi-valued key acts like ForAnyValue",
            allow_if(json!({"StringEquals": {"aws:TagKeys": "a"}})),
            tags(&["c", "a"]),
            Allow,
        ),
    ]);
}

#[test]
fn typed_operators() {
    let key = |k: &str, v: &str| anon("s3:GetObject", OBJECT, &[(k, &[v][..])]);
    let arn_like = allow_if(json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:topic-?"}}));
    check(vec![
        (
            "NumericLessThan below",
            allow_if(json!({"NumericLessThan": {"s3:TlsVersion": 1.2}})),
            key("s3:TlsVersion", "1.1"),
            Allow,
        ),
        (
            "NumericLessThan equal",
            allow_if(json!({"NumericLessThan": {"s3:TlsVersion": 1.2}})),
            key("s3:TlsVersion", "1.2"),
            ImplicitDeny,
        ),
        (
            "NumericLessThanEquals",
            allow_if(json!({"NumericLessThanEquals": {"s3:max-keys": "10"}})),
            key("s3:max-keys", "10"),
            Allow,
        ),
        (
            "NumericGreaterThan",
            allow_if(json!({"NumericGreaterThan": {"s3:max-keys": "10"}})),
            key("s3:max-keys", "10.5"),
            Allow,
        ),
        (
            "NumericGreaterThanEquals",
            allow_if(json!({"NumericGreaterThanEquals": {"s3:TlsVersion": "1.2"}})),
            key("s3:TlsVersion", "1.3"),
            Allow,
        ),
        (
            "Numeric non-number request",
            allow_if(json!({"NumericEquals": {"s3:max-keys": "10"}})),
            key("s3:max-keys", "ten"),
            ImplicitDeny,
        ),
        (
            "DateGreaterThan",
            allow_if(json!({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:01Z"}})),
            key("aws:CurrentTime", "2021-05-01T10:00:00Z"),
            Allow,
        ),
        (
            "DateLessThan epoch",
            allow_if(json!({"DateLessThan": {"aws:EpochTime": "2020-01-01T00:00:00Z"}})),
            key("aws:EpochTime", "1500000000"),
            Allow,
        ),
        (
            "DateEquals zones",
            allow_if(json!({"DateEquals": {"aws:CurrentTime": "2020-01-01T02:00:00+02:00"}})),
            key("aws:CurrentTime", "2020-01-01T00:00:00Z"),
            Allow,
        ),
        (
            "IpAddress v4",
            allow_if(json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
            key("aws:SourceIp", "203.0.113.9"),
            Allow,
        ),
        (
            "IpAddress v4 outside",
            allow_if(json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
            key("aws:SourceIp", "203.0.114.9"),
            ImplicitDeny,
        ),
        (
            "IpAddress bare address is /32",
            allow_if(json!({"IpAddress": {"aws:SourceIp": "203.0.113.9"}})),
            key("aws:SourceIp", "203.0.113.9"),
            Allow,
        ),
        (
            "IpAddress v6",
            allow_if(json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}})),
            key("aws:SourceIp", "2001:db8:1234:5678::1"),
            Allow,
        ),
        (
            "IpAddress v4 range does not hold v6",
            allow_if(json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}})),
            key("aws:SourceIp", "2001:db8::1"),
            ImplicitDeny,
        ),
        (
            "NotIpAddress inside",
            allow_if(json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
            key("aws:SourceIp", "10.0.0.1"),
            ImplicitDeny,
        ),
        (
            "NotIpAddress outside",
            allow_if(json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
            key("aws:SourceIp", "203.0.113.7"),
            Allow,
        ),
        (
            "ArnLike per part",
            arn_like.clone(),
            key("aws:SourceArn", "arn:aws:sns:eu-west-1:111122223333:topic-1"),
            Allow,
        ),
        (
            "ArnLike star stays in its part",
            arn_like,
            key("aws:SourceArn", "arn:aws:sns:eu-west-1:999999999999:x:111122223333:topic-1"),
            ImplicitDeny,
        ),
        (
            "StringLike crosses parts",
            allow_if(json!({"StringLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:topic-?"}})),
            key("aws:SourceArn", "arn:aws:sns:eu-west-1:999999999999:x:111122223333:topic-1"),
            Allow,
        ),
        (
            "ArnEquals has wildcards too",
            allow_if(json!({"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}})),
            key("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:t"),
            Allow,
        ),
        (
            "ArnNotLike",
            allow_if(json!({"ArnNotLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}})),
            key("aws:SourceArn", "arn:aws:sns:us-east-1:444455556666:t"),
            Allow,
        ),
        (
            "ArnLike with a short value",
            allow_if(json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*"}})),
            key("aws:SourceArn", "arn:aws:sns:us-east-1:1:t"),
            Allow,
        ),
        (
            "StringEquals has no wildcards",
            allow_if(json!({"StringEquals": {"aws:Referer": "https://x/*"}})),
            key("aws:Referer", "https://x/a"),
            ImplicitDeny,
        ),
        (
            "StringEquals star literal",
            allow_if(json!({"StringEquals": {"aws:Referer": "https://x/*"}})),
            key("aws:Referer", "https://x/*"),
            Allow,
        ),
        (
            "StringLike star",
            allow_if(json!({"StringLike": {"aws:Referer": "https://x/*"}})),
            key("aws:Referer", "https://x/a/b"),
            Allow,
        ),
        (
            "StringLike question",
            allow_if(json!({"StringLike": {"aws:Referer": "https://x/?"}})),
            key("aws:Referer", "https://x/ab"),
            ImplicitDeny,
        ),
        (
            "StringEqualsIgnoreCase",
            allow_if(json!({"StringEqualsIgnoreCase": {"aws:Referer": "HTTPS://X/A"}})),
            key("aws:Referer", "https://x/a"),
            Allow,
        ),
        (
            "StringNotEqualsIgnoreCase",
            allow_if(json!({"StringNotEqualsIgnoreCase": {"aws:Referer": "HTTPS://X/A"}})),
            key("aws:Referer", "https://x/a"),
            ImplicitDeny,
        ),
        ("BinaryEquals", allow_if(json!({"BinaryEquals": {"k:bin": "QmluYXJ5"}})), key("k:bin", "QmluYXJ5"), Allow),
        (
            "BinaryEquals differs",
            allow_if(json!({"BinaryEquals": {"k:bin": "QmluYXJ5"}})),
            key("k:bin", "qmluyxj5"),
            ImplicitDeny,
        ),
        (
            "placeholder never matches",
            allow_if(json!({"IpAddress": {"aws:SourceIp": "${AllowedCidr}"}})),
            key("aws:SourceIp", "10.0.0.1"),
            ImplicitDeny,
        ),
    ]);
}

#[test]
fn not_elements() {
    let not_action =
        policy(json!({"Effect": "Allow", "Principal": "*", "NotAction": ["s3:Delete*", "iam:*"], "Resource": "*"}));
    let not_resource = policy(
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "NotResource": "arn:aws:s3:::b/private/*"}),
    );
    let role = "arn:aws:iam::111122223333:role/Admin";
    let not_principal =
        policy(json!({"Effect": "Deny", "NotPrincipal": {"AWS": role}, "Action": "s3:*", "Resource": "*"}));
    check(vec![
        ("NotAction, other", not_action.clone(), anon("s3:GetObject", OBJECT, &[]), Allow),
        ("NotAction, listed", not_action.clone(), anon("s3:DeleteObject", OBJECT, &[]), ImplicitDeny),
        ("NotAction, listed other service", not_action, anon("iam:PassRole", "*", &[]), ImplicitDeny),
        ("NotResource, other", not_resource.clone(), anon("s3:GetObject", "arn:aws:s3:::b/public/x", &[]), Allow),
        ("NotResource, listed", not_resource, anon("s3:GetObject", "arn:aws:s3:::b/private/x", &[]), ImplicitDeny),
        ("NotPrincipal, other", not_principal.clone(), anon("s3:GetObject", OBJECT, &[]), ExplicitDeny),
        (
            "NotPrincipal, listed",
            not_principal.clone(),
            request(aws(role, "111122223333"), "s3:GetObject", OBJECT, &[]),
            ImplicitDeny,
        ),
        (
            "NotPrincipal, a session of the listed role",
            not_principal,
            request(aws("arn:aws:sts::111122223333:assumed-role/Admin/s", "111122223333"), "s3:GetObject", OBJECT, &[]),
            ImplicitDeny,
        ),
    ]);
}

#[test]
fn principal_forms() {
    let with = |principal: Value| {
        policy(json!({"Effect": "Allow", "Principal": principal, "Action": "s3:*", "Resource": "*"}))
    };
    let user = aws("arn:aws:iam::111122223333:user/alice", "111122223333");
    let outsider = aws("arn:aws:iam::444455556666:user/eve", "444455556666");
    let service = Caller::Service("cloudtrail.amazonaws.com".into());
    let on = |c: &Caller| request(c.clone(), "s3:GetObject", OBJECT, &[]);
    check(vec![
        ("* and anonymous", with(json!("*")), on(&Caller::Anonymous), Allow),
        ("AWS * and anonymous", with(json!({"AWS": "*"})), on(&Caller::Anonymous), Allow),
        ("AWS * and a service", with(json!({"AWS": "*"})), on(&service), Allow),
        ("AWS * list", with(json!({"AWS": ["*"]})), on(&outsider), Allow),
        ("account id", with(json!({"AWS": "111122223333"})), on(&user), Allow),
        ("account id, other account", with(json!({"AWS": "111122223333"})), on(&outsider), ImplicitDeny),
        ("account id, anonymous", with(json!({"AWS": "111122223333"})), on(&Caller::Anonymous), ImplicitDeny),
        ("root ARN is the account", with(json!({"AWS": "arn:aws:iam::111122223333:root"})), on(&user), Allow),
        ("exact ARN", with(json!({"AWS": "arn:aws:iam::111122223333:user/alice"})), on(&user), Allow),
        ("other ARN", with(json!({"AWS": "arn:aws:iam::111122223333:user/bob"})), on(&user), ImplicitDeny),
        (
            "no wildcards in principal ARNs",
            with(json!({"AWS": "arn:aws:iam::111122223333:user/*"})),
            on(&user),
            ImplicitDeny,
        ),
        (
            "list of entries",
            with(json!({"AWS": ["444455556666", "arn:aws:iam::111122223333:user/alice"]})),
            on(&user),
            Allow,
        ),
        ("service", with(json!({"Service": "cloudtrail.amazonaws.com"})), on(&service), Allow),
        (
            "service list",
            with(json!({"Service": ["logs.amazonaws.com", "cloudtrail.amazonaws.com"]})),
            on(&service),
            Allow,
        ),
        (
            "service does not name accounts",
            with(json!({"Service": "cloudtrail.amazonaws.com"})),
            on(&user),
            ImplicitDeny,
        ),
        ("AWS entry does not name a service", with(json!({"AWS": "111122223333"})), on(&service), ImplicitDeny),
        (
            "federated",
            with(json!({"Federated": "cognito-identity.amazonaws.com"})),
            on(&Caller::Federated("cognito-identity.amazonaws.com".into())),
            Allow,
        ),
        (
            "canonical user",
            with(json!({"CanonicalUser": "79a59df9"})),
            on(&Caller::CanonicalUser("79a59df9".into())),
            Allow,
        ),
        (
            "canonical user, other",
            with(json!({"CanonicalUser": "79a59df9"})),
            on(&Caller::CanonicalUser("00".into())),
            ImplicitDeny,
        ),
        ("mixed map", with(json!({"AWS": "444455556666", "Service": "cloudtrail.amazonaws.com"})), on(&service), Allow),
        (
            "no Principal (identity policy) covers the holder",
            policy(json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})),
            on(&user),
            Allow,
        ),
    ]);
}

#[test]
fn wildcards_in_actions_and_resources() {
    let p = policy(
        json!({"Effect": "Allow", "Principal": "*", "Action": ["s3:Get?bject", "s3:List*"], "Resource": ["arn:aws:s3:::b/??", "arn:aws:s3:::c*"]}),
    );
    check(vec![
        ("? in action", p.clone(), anon("s3:GetObject", "arn:aws:s3:::b/ab", &[]), Allow),
        ("? is exactly one", p.clone(), anon("s3:GetOObject", "arn:aws:s3:::b/ab", &[]), ImplicitDeny),
        ("* in action", p.clone(), anon("s3:ListBucketVersions", "arn:aws:s3:::b/ab", &[]), Allow),
        ("* may be empty", p.clone(), anon("s3:List", "arn:aws:s3:::b/ab", &[]), Allow),
        ("?? in resource", p.clone(), anon("s3:GetObject", "arn:aws:s3:::b/abc", &[]), ImplicitDeny),
        ("* in resource", p.clone(), anon("s3:GetObject", "arn:aws:s3:::c/x/y", &[]), Allow),
        (
            "* alone",
            policy(json!({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})),
            anon("sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q", &[]),
            Allow,
        ),
    ]);
}

#[test]
fn policy_variables() {
    let home = policy(
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}),
    );
    let prefix = policy(json!({
        "Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": BUCKET,
        "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}
    }));
    let user = |name: &str, resource: &str| anon("s3:GetObject", resource, &[("AWS:UserName", &[name][..])]);
    let literal = policy(
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::${MyBucket}/*"}),
    );
    let cfn = policy(
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::${AWS::AccountId}-${AWS.Region}/*"}),
    );
    let special = policy(
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${*}${?}${$}"}),
    );
    let old = Policy::from_json(&json!({"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}"}})).unwrap();
    let default = policy(
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:userid, 'anonymous'}/*"}),
    );
    let bool_var = allow_if(json!({"StringEquals": {"aws:SourceVpce": "${aws:username}"}}));
    check(vec![
        ("resource variable", home.clone(), user("alice", "arn:aws:s3:::b/home/alice/x"), Allow),
        ("resource variable, other user", home.clone(), user("bob", "arn:aws:s3:::b/home/alice/x"), ImplicitDeny),
        (
            "resource variable, key missing",
            home.clone(),
            anon("s3:GetObject", "arn:aws:s3:::b/home/${aws:username}/x", &[]),
            ImplicitDeny,
        ),
        (
            "resource variable, multi-valued key",
            home,
            anon("s3:GetObject", "arn:aws:s3:::b/home/a/x", &[("aws:username", &["a", "b"])]),
            ImplicitDeny,
        ),
        (
            "condition variable",
            prefix.clone(),
            anon("s3:ListBucket", BUCKET, &[("aws:username", &["alice"]), ("s3:prefix", &["home/alice/docs"])]),
            Allow,
        ),
        (
            "condition variable, other",
            prefix.clone(),
            anon("s3:ListBucket", BUCKET, &[("aws:username", &["bob"]), ("s3:prefix", &["home/alice/docs"])]),
            ImplicitDeny,
        ),
        (
            "condition variable, key missing",
            prefix,
            anon("s3:ListBucket", BUCKET, &[("s3:prefix", &["home/${aws:username}/docs"])]),
            ImplicitDeny,
        ),
        (
            "variable in StringEquals",
            bool_var,
            anon("s3:GetObject", OBJECT, &[("aws:username", &["vpce-9"]), ("aws:SourceVpce", &["vpce-9"])]),
            Allow,
        ),
        ("template token is literal", literal.clone(), anon("s3:GetObject", "arn:aws:s3:::${MyBucket}/k", &[]), Allow),
        (
            "template token is not a wildcard",
            literal,
            anon("s3:GetObject", "arn:aws:s3:::real-bucket/k", &[]),
            ImplicitDeny,
        ),
        (
            "CloudFormation pseudo parameters are literal",
            cfn,
            anon("s3:GetObject", "arn:aws:s3:::${AWS::AccountId}-${AWS.Region}/k", &[]),
            Allow,
        ),
        ("special characters", special.clone(), anon("s3:GetObject", "arn:aws:s3:::b/*?$", &[]), Allow),
        ("${*} is not a wildcard", special, anon("s3:GetObject", "arn:aws:s3:::b/xy$", &[]), ImplicitDeny),
        (
            "2008 version: variables are text",
            old.clone(),
            anon("s3:GetObject", "arn:aws:s3:::b/${aws:username}", &[("aws:username", &["alice"])]),
            Allow,
        ),
        (
            "2008 version: no substitution",
            old,
            anon("s3:GetObject", "arn:aws:s3:::b/alice", &[("aws:username", &["alice"])]),
            ImplicitDeny,
        ),
        ("default value", default.clone(), anon("s3:GetObject", "arn:aws:s3:::b/anonymous/x", &[]), Allow),
        (
            "default value unused",
            default,
            anon("s3:GetObject", "arn:aws:s3:::b/AIDA1/x", &[("aws:userid", &["AIDA1"])]),
            Allow,
        ),
    ]);
}

#[test]
fn request_display() {
    let r = anon(
        "s3:GetObject",
        OBJECT,
        &[("aws:SecureTransport", &["false"]), ("aws:TagKeys", &["a", "b"]), ("x:empty", &[])],
    );
    assert_eq!(
        r.to_string(),
        "anonymous s3:GetObject on arn:aws:s3:::b/x with aws:SecureTransport=false, aws:TagKeys=[a, b]"
    );
    let s = request(Caller::Service("logs.amazonaws.com".into()), "s3:PutObject", BUCKET, &[]);
    assert_eq!(s.to_string(), "service logs.amazonaws.com s3:PutObject on arn:aws:s3:::b");
    let u = request(aws("arn:aws:iam::111122223333:user/alice", "111122223333"), "s3:PutObject", BUCKET, &[]);
    assert_eq!(u.to_string(), "arn:aws:iam::111122223333:user/alice s3:PutObject on arn:aws:s3:::b");
    assert_eq!(r.context_values("AWS:TAGKEYS"), ["a", "b"]);
}

#[test]
fn statement_applies_to() {
    let p = allow_if(json!({"Bool": {"aws:SecureTransport": "true"}}));
    let st = &p.statements[0];
    assert!(st.applies_to(&anon("s3:GetObject", OBJECT, &[("aws:SecureTransport", &["true"])])));
    assert!(!st.applies_to(&anon("s3:GetObject", OBJECT, &[])));
    assert!(st.mentions_condition_key("AWS:SECURETRANSPORT"));
    assert!(!st.mentions_condition_key("aws:SourceIp"));
    let two = policy(json!([{"Effect": "Deny", "Action": "s3:*"}, {"Sid": "B", "Effect": "Allow", "Action": "s3:*"}]));
    let only = two.only(&two.statements[1]);
    assert_eq!(only.statements.len(), 1);
    assert_eq!(only.version.as_deref(), Some("2012-10-17"));
    assert_eq!(only.evaluate(&anon("s3:GetObject", OBJECT, &[])), Allow);
}
