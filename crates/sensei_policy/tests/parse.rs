//! Every valid shape parses to the same typed form; every malformed shape gives a path and a clear sentence.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use sensei_policy::{
    ActionElement, Effect, OperatorKind, Policy, PolicyError, PrincipalElement, PrincipalKind, PrincipalSet,
    ResourceElement, SetQualifier,
};
use serde_json::{Value, json};

fn parse(v: Value) -> Policy {
    Policy::from_json(&v).unwrap_or_else(|e| panic!("should parse: {e}"))
}

fn statement(s: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [s]})
}

#[test]
fn statement_as_object_or_list() {
    let s = json!({"Sid": "One", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"});
    let single = parse(json!({"Version": "2012-10-17", "Id": "p1", "Statement": s.clone()}));
    let list = parse(json!({"Version": "2012-10-17", "Id": "p1", "Statement": [s]}));
    assert_eq!(single, list);
    assert_eq!(single.id.as_deref(), Some("p1"));
    assert_eq!(single.version.as_deref(), Some("2012-10-17"));
    let st = &single.statements[0];
    assert_eq!(st.sid.as_deref(), Some("One"));
    assert_eq!(st.effect, Effect::Deny);
    assert_eq!(st.principal, Some(PrincipalElement::Principal(PrincipalSet::Everyone)));
    assert!(matches!(&st.action, ActionElement::Action(a) if a.len() == 1 && a[0].as_str() == "s3:*"));
    assert!(matches!(&st.resource, Some(ResourceElement::Resource(r)) if r[0].as_str() == "*"));
}

#[test]
fn empty_and_versionless_policies() {
    let empty = parse(json!({"Version": "2012-10-17", "Statement": []}));
    assert!(empty.statements.is_empty());
    let old = parse(json!({"Version": "2008-10-17", "Statement": []}));
    assert_eq!(old.version.as_deref(), Some("2008-10-17"));
    let none = parse(json!({"Statement": []}));
    assert_eq!(none.version, None);
}

#[test]
fn principal_shapes() {
    let p = parse(statement(json!({
        "Effect": "Allow",
        "Principal": {"AWS": ["111122223333", "arn:aws:iam::444455556666:root"], "Service": "logs.amazonaws.com",
                      "Federated": "cognito-identity.amazonaws.com", "CanonicalUser": ["79a5"]},
        "Action": "s3:GetObject"
    })));
    let st = &p.statements[0];
    let entries = st.principal.as_ref().unwrap().entries();
    assert_eq!(entries.len(), 5);
    assert_eq!(entries.iter().filter(|e| e.kind == PrincipalKind::Aws).count(), 2);
    assert_eq!(entries[1].account(), Some("444455556666"));
    assert_eq!(st.resource, None, "Resource may be omitted (trust policies)");

    let aws_star =
        parse(statement(json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"})));
    match &aws_star.statements[0].principal {
        Some(PrincipalElement::Principal(set)) => assert!(set.is_everyone()),
        other => panic!("{other:?}"),
    }
    let not = parse(statement(
        json!({"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}),
    ));
    assert!(matches!(not.statements[0].principal, Some(PrincipalElement::NotPrincipal(_))));
    let none = parse(statement(json!({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})));
    assert_eq!(none.statements[0].principal, None);
}

#[test]
fn action_and_resource_shapes() {
    let p = parse(statement(json!({
        "Effect": "Allow", "Principal": "*", "NotAction": ["iam:*", "s3:Delete?bject"], "NotResource": ["arn:aws:s3:::b/private/*"]
    })));
    let st = &p.statements[0];
    match &st.action {
        ActionElement::NotAction(list) => {
            assert_eq!(list.iter().map(|a| a.as_str()).collect::<Vec<_>>(), ["iam:*", "s3:Delete?bject"]);
            assert!(list[1].has_wildcards());
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&st.resource, Some(ResourceElement::NotResource(r)) if r.len() == 1));
    let empty = parse(statement(json!({"Effect": "Allow", "Principal": "*", "Action": [], "Resource": []})));
    assert!(matches!(&empty.statements[0].action, ActionElement::Action(a) if a.is_empty()));
}

#[test]
fn condition_shapes_and_coercion() {
    let p = parse(statement(json!({
        "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
        "Condition": {
            "Bool": {"aws:SecureTransport": false},
            "BoolIfExists": {"aws:MultiFactorAuthPresent": ["false", true]},
            "NumericLessThan": {"s3:TlsVersion": 1.2},
            "ForAnyValue:StringLike": {"aws:TagKeys": ["a*", "b"]},
            "ForAllValues:StringEquals": {"aws:TagKeys": "c"},
            "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:01Z"},
            "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]},
            "NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"},
            "ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"},
            "Null": {"aws:SourceVpce": true},
            "BinaryEquals": {"k:bin": "QmluYXJ5"},
            "StringNotEqualsIgnoreCaseIfExists": {"aws:Referer": "X"}
        }
    })));
    let conds = &p.statements[0].condition;
    assert_eq!(conds.len(), 12);
    let find = |name: &str| conds.iter().find(|c| c.operator.to_string() == name).unwrap_or_else(|| panic!("{name}"));
    assert_eq!(find("Bool").values, ["false"]);
    assert_eq!(find("BoolIfExists").values, ["false", "true"]);
    assert!(find("BoolIfExists").operator.if_exists);
    assert_eq!(find("NumericLessThan").values, ["1.2"]);
    assert_eq!(find("ForAnyValue:StringLike").operator.qualifier, Some(SetQualifier::ForAnyValue));
    assert_eq!(find("ForAllValues:StringEquals").operator.kind, OperatorKind::StringEquals);
    assert_eq!(find("Null").values, ["true"]);
    assert!(find("NotIpAddress").operator.is_negated());
    assert_eq!(find("StringNotEqualsIgnoreCaseIfExists").operator.kind, OperatorKind::StringNotEqualsIgnoreCase);
}

#[test]
fn placeholders_are_accepted_where_values_are_typed() {
    parse(statement(json!({
        "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*",
        "Condition": {"IpAddress": {"aws:SourceIp": "${AllowedCidr}"}, "NumericLessThan": {"s3:TlsVersion": "${MinTls}"}}
    })));
}

/// (name, document, expected path, expected message)
fn errors() -> Vec<(&'static str, Value, &'static str, &'static str)> {
    let ok = json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"});
    let with = |key: &str, value: Value| {
        let mut s = ok.clone();
        s[key] = value;
        statement(s)
    };
    let without = |key: &str| {
        let mut s = ok.clone();
        s.as_object_mut().unwrap().remove(key);
        statement(s)
    };
    vec![
        ("not an object", json!([1]), "policy", "a policy must be a JSON object, found a list"),
        (
            "unknown top-level key",
            json!({"Version": "2012-10-17", "Statement": [], "Comment": "x"}),
            "Comment",
            "unknown policy element \"Comment\"; expected one of Version, Id, Statement",
        ),
        (
            "top-level key case",
            json!({"version": "2012-10-17", "Statement": []}),
            "version",
            "unknown policy element \"version\" (names are case-sensitive; did you mean \"Version\"?)",
        ),
        (
            "bad version",
            json!({"Version": "2012-10-18", "Statement": []}),
            "Version",
            "Version must be \"2012-10-17\" or \"2008-10-17\", found \"2012-10-18\"",
        ),
        (
            "version not a string",
            json!({"Version": 2012, "Statement": []}),
            "Version",
            "Version must be \"2012-10-17\" or \"2008-10-17\", found 2012",
        ),
        ("Id not a string", json!({"Id": 1, "Statement": []}), "Id", "Id must be a string, found 1"),
        (
            "no Statement",
            json!({"Version": "2012-10-17"}),
            "Statement",
            "a policy needs a Statement (an object or a list of objects)",
        ),
        (
            "Statement a string",
            json!({"Statement": "x"}),
            "Statement",
            "Statement must be an object or a list of objects, found \"x\"",
        ),
        (
            "statement not an object",
            json!({"Statement": [ok.clone(), 7]}),
            "Statement[1]",
            "a statement must be an object, found 7",
        ),
        ("missing Effect", without("Effect"), "Statement[0]", "a statement needs an Effect (\"Allow\" or \"Deny\")"),
        (
            "Effect a number",
            with("Effect", json!(3)),
            "Statement[0].Effect",
            "Effect must be \"Allow\" or \"Deny\", found 3",
        ),
        (
            "Effect lower case",
            with("Effect", json!("allow")),
            "Statement[0].Effect",
            "Effect must be \"Allow\" or \"Deny\", found \"allow\"",
        ),
        (
            "statement key case",
            statement(json!({"effect": "Allow", "Action": "s3:*"})),
            "Statement[0].effect",
            "unknown statement element \"effect\" (names are case-sensitive; did you mean \"Effect\"?)",
        ),
        ("Sid a number", with("Sid", json!(1)), "Statement[0].Sid", "Sid must be a string, found 1"),
        (
            "both Action and NotAction",
            with("NotAction", json!("s3:Get*")),
            "Statement[0]",
            "a statement cannot have both Action and NotAction",
        ),
        (
            "neither Action nor NotAction",
            without("Action"),
            "Statement[0]",
            "a statement needs an Action or a NotAction",
        ),
        (
            "both Resource and NotResource",
            with("NotResource", json!("x")),
            "Statement[0]",
            "a statement cannot have both Resource and NotResource",
        ),
        (
            "both Principal and NotPrincipal",
            with("NotPrincipal", json!("*")),
            "Statement[0]",
            "a statement cannot have both Principal and NotPrincipal",
        ),
        (
            "Action a number",
            with("Action", json!(5)),
            "Statement[0].Action",
            "Action must be a string or a list of strings, found 5",
        ),
        (
            "Action entry an object",
            with("Action", json!(["s3:*", {}])),
            "Statement[0].Action[1]",
            "Action entries must be strings, found an object",
        ),
        (
            "Resource entry null",
            with("Resource", json!([null])),
            "Statement[0].Resource[0]",
            "Resource entries must be strings, found null",
        ),
        (
            "Principal an ARN string",
            with("Principal", json!("arn:aws:iam::111122223333:root")),
            "Statement[0].Principal",
            "Principal must be \"*\" or an object such as {\"AWS\": \"123456789012\"}, found \"arn:aws:iam::111122223333:root\"",
        ),
        (
            "Principal a list",
            with("Principal", json!(["*"])),
            "Statement[0].Principal",
            "Principal must be \"*\" or an object such as {\"AWS\": \"123456789012\"}, found a list",
        ),
        (
            "non-string principal entry",
            with("Principal", json!({"AWS": ["111122223333", 444455556666u64]})),
            "Statement[0].Principal.AWS[1]",
            "Principal AWS entries must be strings, found 444455556666",
        ),
        (
            "principal type case",
            with("Principal", json!({"aws": "*"})),
            "Statement[0].Principal.aws",
            "unknown principal type \"aws\" (names are case-sensitive; did you mean \"AWS\"?)",
        ),
        (
            "NotPrincipal value",
            statement(json!({"Effect": "Deny", "NotPrincipal": {"Service": true}, "Action": "s3:*"})),
            "Statement[0].NotPrincipal.Service",
            "NotPrincipal Service must be a string or a list of strings, found true",
        ),
        (
            "Condition not a map",
            with("Condition", json!(["Bool"])),
            "Statement[0].Condition",
            "Condition must be an object of operators such as {\"Bool\": {...}}, found a list",
        ),
        (
            "unknown operator",
            with("Condition", json!({"StringEqualz": {"k:k": "v"}})),
            "Statement[0].Condition.StringEqualz",
            "unknown condition operator \"StringEqualz\"",
        ),
        (
            "unknown qualifier",
            with("Condition", json!({"ForSomeValues:StringEquals": {"k:k": "v"}})),
            "Statement[0].Condition.ForSomeValues:StringEquals",
            "unknown condition operator \"ForSomeValues:StringEquals\"",
        ),
        (
            "NullIfExists",
            with("Condition", json!({"NullIfExists": {"k:k": "true"}})),
            "Statement[0].Condition.NullIfExists",
            "Null cannot take the IfExists suffix",
        ),
        (
            "operator body not a map",
            with("Condition", json!({"Bool": "aws:SecureTransport"})),
            "Statement[0].Condition.Bool",
            "Bool must map condition keys to values, such as {\"aws:SecureTransport\": \"false\"}, found \"aws:SecureTransport\"",
        ),
        (
            "condition value null",
            with("Condition", json!({"Bool": {"aws:SecureTransport": null}})),
            "Statement[0].Condition.Bool.aws:SecureTransport",
            "condition values must be strings, booleans or numbers, found null",
        ),
        (
            "condition value nested",
            with("Condition", json!({"StringEquals": {"k:k": ["a", ["b"]]}})),
            "Statement[0].Condition.StringEquals.k:k[1]",
            "condition values must be strings, booleans or numbers, found a list",
        ),
        (
            "not a number",
            with("Condition", json!({"NumericLessThan": {"s3:TlsVersion": "abc"}})),
            "Statement[0].Condition.NumericLessThan.s3:TlsVersion",
            "NumericLessThan value \"abc\" is not a number",
        ),
        (
            "not a date",
            with("Condition", json!({"DateLessThan": {"aws:CurrentTime": "yesterday"}})),
            "Statement[0].Condition.DateLessThan.aws:CurrentTime",
            "DateLessThan value \"yesterday\" is not an ISO 8601 date or epoch time",
        ),
        (
            "not an address",
            with("Condition", json!({"IpAddress": {"aws:SourceIp": "10.0.0.300/8"}})),
            "Statement[0].Condition.IpAddress.aws:SourceIp",
            "IpAddress value \"10.0.0.300/8\" is not an IP address or CIDR range",
        ),
        (
            "Null value",
            with("Condition", json!({"Null": {"aws:SourceVpce": "maybe"}})),
            "Statement[0].Condition.Null.aws:SourceVpce",
            "Null value must be \"true\" or \"false\", found \"maybe\"",
        ),
        (
            "single statement path",
            json!({"Statement": {"Effect": "Allow"}}),
            "Statement",
            "a statement needs an Action or a NotAction",
        ),
    ]
}

#[test]
fn malformed_shapes_are_explained() {
    let mut failures = Vec::new();
    for (name, doc, path, message) in errors() {
        match Policy::from_json(&doc) {
            Err(PolicyError { path: p, message: m }) if p == path && m == message => {}
            other => failures.push(format!("{name}: expected {path}: {message}\n    got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn error_display_joins_path_and_message() {
    let e = Policy::from_json(&statement(json!({"Effect": 3, "Action": "s3:*"}))).unwrap_err();
    assert_eq!(e.to_string(), "Statement[0].Effect: Effect must be \"Allow\" or \"Deny\", found 3");
}
