//! Property tests: nothing panics on any input, and the witness questions are sound: when they say "every
//! request in the space is denied" (or "nothing is granted to outsiders"), random requests agree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use proptest::sample::select;
use sensei_policy::{Caller, CallerScope, Decision, Policy, Request, RequestSpace, ResourceScope};
use serde_json::{Map, Value, json};

const ACCOUNT: &str = "111122223333";
const ROLE: &str = "arn:aws:iam::111122223333:role/R";
const OUTSIDE: &str = "444455556666";

// ---- A small alphabet of statements -------------------------------------------------------------------

fn principals() -> Vec<Option<(&'static str, Value)>> {
    vec![
        None,
        Some(("Principal", json!("*"))),
        Some(("Principal", json!({"AWS": "*"}))),
        Some(("Principal", json!({"AWS": ACCOUNT}))),
        Some(("Principal", json!({"AWS": [ROLE]}))),
        Some(("Principal", json!({"Service": "logs.amazonaws.com"}))),
        Some(("NotPrincipal", json!({"AWS": ROLE}))),
        Some(("NotPrincipal", json!({"AWS": ["arn:aws:iam::111122223333:root"]}))),
    ]
}

fn actions() -> Vec<(&'static str, Value)> {
    vec![
        ("Action", json!("s3:*")),
        ("Action", json!("*")),
        ("Action", json!("s3:Get*")),
        ("Action", json!("s3:GetObject")),
        ("Action", json!("s3:*Object")),
        ("Action", json!(["s3:PutObject", "s3:Get*"])),
        ("Action", json!("s3:List?ucket")),
        ("NotAction", json!("iam:*")),
        ("NotAction", json!(["s3:Get*"])),
        ("NotAction", json!("s3:*Object")),
    ]
}

fn resources() -> Vec<Option<(&'static str, Value)>> {
    vec![
        None,
        Some(("Resource", json!("arn:aws:s3:::b"))),
        Some(("Resource", json!("arn:aws:s3:::b/*"))),
        Some(("Resource", json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]))),
        Some(("Resource", json!("arn:aws:s3:::b/public/*"))),
        Some(("Resource", json!("*"))),
        Some(("Resource", json!("arn:aws:s3:::b/${aws:username}/*"))),
        Some(("NotResource", json!("arn:aws:s3:::b/private/*"))),
        Some(("Resource", json!("arn:aws:s3:::b/?"))),
    ]
}

fn conditions() -> Vec<Value> {
    vec![
        json!({"Bool": {"aws:SecureTransport": "false"}}),
        json!({"Bool": {"aws:SecureTransport": false}}),
        json!({"Bool": {"aws:SecureTransport": "true"}}),
        json!({"BoolIfExists": {"aws:SecureTransport": ["false"]}}),
        json!({"NumericLessThan": {"s3:TlsVersion": 1.2}}),
        json!({"NumericGreaterThanEquals": {"s3:TlsVersion": "1.2"}}),
        json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
        json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
        json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
        json!({"StringEquals": {"aws:SourceVpce": "vpce-1"}}),
        json!({"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}),
        json!({"StringLike": {"aws:Referer": "https://x/*"}}),
        json!({"StringNotLike": {"aws:Referer": "https://x/*"}}),
        json!({"StringEqualsIgnoreCase": {"aws:Referer": "HTTPS://X/A"}}),
        json!({"Null": {"aws:SourceVpce": "true"}}),
        json!({"ForAnyValue:StringLike": {"aws:TagKeys": "a*"}}),
        json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}),
        json!({"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a"]}}),
        json!({"StringEquals": {"aws:username": "alice"}}),
        json!({"StringLike": {"s3:prefix": "${aws:username}/*"}}),
        json!({"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}),
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:t"}}),
        json!({"StringNotEqualsIfExists": {"aws:PrincipalAccount": ACCOUNT}}),
    ]
}

fn statement() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        select(principals()),
        select(actions()),
        select(resources()),
        proptest::collection::vec(select(conditions()), 0..3),
    )
        .prop_map(|(deny, principal, action, resource, conds)| {
            let mut s = Map::new();
            s.insert("Effect".into(), json!(if deny { "Deny" } else { "Allow" }));
            if let Some((k, v)) = principal {
                s.insert(k.into(), v);
            }
            s.insert(action.0.into(), action.1);
            if let Some((k, v)) = resource {
                s.insert(k.into(), v);
            }
            if !conds.is_empty() {
                // Merge the blocks; a repeated operator keeps the union of its keys.
                let mut block = Map::new();
                for c in conds {
                    for (op, body) in c.as_object().unwrap() {
                        let entry = block.entry(op.clone()).or_insert_with(|| json!({}));
                        for (k, v) in body.as_object().unwrap() {
                            entry[k] = v.clone();
                        }
                    }
                }
                s.insert("Condition".into(), Value::Object(block));
            }
            Value::Object(s)
        })
}

/// Denies that cover all plain-HTTP requests, alone or in pairs that split the space, sometimes with an
/// extra condition that may open a gap.
fn covering_denies() -> impl Strategy<Value = Vec<Value>> {
    let broad_principal = select(vec![None, Some(json!("*")), Some(json!({"AWS": "*"}))]);
    let broad_action = select(vec![("Action", json!("s3:*")), ("Action", json!("*")), ("NotAction", json!("iam:*"))]);
    let broad_resource = select(vec![
        None,
        Some(json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"])),
        Some(json!("*")),
        Some(json!("arn:aws:s3:::b*")),
    ]);
    let http = select(vec![
        json!({"Bool": {"aws:SecureTransport": "false"}}),
        json!({"BoolIfExists": {"aws:SecureTransport": false}}),
        json!({"Bool": {"AWS:securetransport": ["false"]}}),
    ]);
    let extra = proptest::option::weighted(0.4, select(conditions()));
    let split = select(vec![0usize, 1, 2, 3]);
    (broad_principal, broad_action, broad_resource, http, extra, split).prop_map(
        |(principal, action, resource, http, extra, split)| {
            let mut s = Map::new();
            s.insert("Effect".into(), json!("Deny"));
            if let Some(p) = principal {
                s.insert("Principal".into(), p);
            }
            s.insert(action.0.into(), action.1);
            if let Some(r) = resource {
                s.insert("Resource".into(), r);
            }
            let mut block = http.as_object().unwrap().clone();
            if let Some(extra) = extra {
                for (op, body) in extra.as_object().unwrap() {
                    block.insert(op.clone(), body.clone());
                }
            }
            s.insert("Condition".into(), Value::Object(block));
            let base = Value::Object(s);
            let with = |changes: &[(&str, Option<Value>)]| {
                let mut v = base.clone();
                for (k, change) in changes {
                    match change {
                        Some(x) => v[*k] = x.clone(),
                        None => {
                            v.as_object_mut().unwrap().remove(*k);
                        }
                    }
                }
                v
            };
            match split {
                // Bucket and objects in two statements.
                1 => vec![
                    with(&[("Resource", Some(json!("arn:aws:s3:::b")))]),
                    with(&[("Resource", Some(json!("arn:aws:s3:::b/*")))]),
                ],
                // Actions in two statements.
                2 => vec![
                    with(&[("Action", Some(json!("s3:Get*"))), ("NotAction", None)]),
                    with(&[("Action", None), ("NotAction", Some(json!("s3:Get*")))]),
                ],
                // Principals in two statements: one account, and everyone else.
                3 => vec![
                    with(&[("Principal", Some(json!({"AWS": ACCOUNT})))]),
                    with(&[
                        ("Principal", None),
                        ("NotPrincipal", Some(json!({"AWS": "arn:aws:iam::111122223333:root"}))),
                    ]),
                ],
                _ => vec![base],
            }
        },
    )
}

fn policy() -> impl Strategy<Value = Policy> {
    let denies = proptest::option::weighted(0.6, covering_denies());
    (denies, proptest::collection::vec(statement(), 0..3)).prop_map(|(denies, mut statements)| {
        statements.extend(denies.unwrap_or_default());
        Policy::from_json(&json!({"Version": "2012-10-17", "Statement": statements})).unwrap()
    })
}

// ---- Random requests in the spaces --------------------------------------------------------------------

fn aws(arn: &str, account: &str) -> Caller {
    Caller::Aws { arn: arn.into(), account: account.into() }
}

fn everyone() -> impl Strategy<Value = Caller> {
    select(vec![
        Caller::Anonymous,
        aws("arn:aws:iam::444455556666:user/eve", OUTSIDE),
        aws("arn:aws:iam::111122223333:user/u", ACCOUNT),
        aws(ROLE, ACCOUNT),
        aws("arn:aws:sts::111122223333:assumed-role/R/s", ACCOUNT),
        Caller::Service("logs.amazonaws.com".into()),
        Caller::Service("other.amazonaws.com".into()),
    ])
}

fn outsider() -> impl Strategy<Value = Caller> {
    select(vec![
        Caller::Anonymous,
        aws("arn:aws:iam::444455556666:user/eve", OUTSIDE),
        aws("arn:aws:iam::444455556666:root", OUTSIDE),
    ])
}

fn action() -> impl Strategy<Value = String> {
    select(vec![
        "GetObject",
        "getobject",
        "PutObject",
        "ListBucket",
        "ListXucket",
        "Get",
        "GetX",
        "Object",
        "XObject",
        "DeleteObject",
        "x",
    ])
    .prop_map(|a| format!("s3:{a}"))
}

fn resource() -> impl Strategy<Value = String> {
    select(vec!["", "/x", "/public/x", "/private/y", "/alice/z", "/bob/", "/a", "/ab", "/sensei-witness/q", "/public/"])
        .prop_map(|k| format!("arn:aws:s3:::b{k}"))
}

/// One context key: absent, or one of its values.
fn key(name: &'static str, values: Vec<Vec<&'static str>>) -> impl Strategy<Value = Option<(String, Vec<String>)>> {
    let mut options: Vec<Option<Vec<&'static str>>> = vec![None];
    options.extend(values.into_iter().map(Some));
    select(options).prop_map(move |v| v.map(|v| (name.to_owned(), v.into_iter().map(str::to_owned).collect())))
}

/// Keys whose values anyone may choose.
fn free_keys() -> impl Strategy<Value = Vec<Option<(String, Vec<String>)>>> {
    (
        key("s3:TlsVersion", vec![vec!["1.0"], vec!["1.2"], vec!["1.3"]]),
        key("aws:Referer", vec![vec!["https://x/a"], vec!["https://y/"], vec!["HTTPS://X/A"]]),
        key("aws:TagKeys", vec![vec!["a"], vec!["b"], vec!["c"], vec!["a", "b"], vec!["a", "c"], vec!["ab"], vec![]]),
        key("s3:prefix", vec![vec!["alice/x"], vec!["bob/"]]),
        key(
            "aws:CurrentTime",
            vec![vec!["2019-06-01T00:00:00Z"], vec!["2021-01-01T00:00:00Z"], vec!["2020-01-01T00:00:00Z"]],
        ),
    )
        .prop_map(|(a, b, c, d, e)| vec![a, b, c, d, e])
}

fn everyone_request() -> impl Strategy<Value = Request> {
    let identity = (
        key("aws:SourceIp", vec![vec!["10.1.2.3"], vec!["203.0.113.9"], vec!["2001:db8::1"]]),
        key("aws:SourceVpce", vec![vec!["vpce-1"], vec!["vpce-2"], vec!["vpce-3"]]),
        key("aws:username", vec![vec!["alice"], vec!["bob"]]),
        key(
            "aws:SourceArn",
            vec![vec!["arn:aws:sns:us-east-1:111122223333:t"], vec!["arn:aws:sns:us-east-1:444455556666:t"]],
        ),
        key("aws:PrincipalAccount", vec![vec![ACCOUNT], vec![OUTSIDE]]),
    );
    (everyone(), action(), resource(), free_keys(), identity).prop_map(
        |(caller, action, resource, free, (a, b, c, d, e))| {
            let mut context = vec![("aws:SecureTransport".to_owned(), vec!["false".to_owned()])];
            context.extend(free.into_iter().chain([a, b, c, d, e]).flatten());
            Request { caller, action, resource, context }
        },
    )
}

/// An outsider's identity keys are absent or fresh: an address in no range it can avoid, no endpoint,
/// user name or account the policy names.
fn outsider_request() -> impl Strategy<Value = Request> {
    let identity = (
        key("aws:SourceIp", vec![vec!["198.51.100.1"], vec!["2001:db8::1"]]),
        key("aws:SourceVpce", vec![vec!["vpce-outsider"]]),
        key("aws:username", vec![vec!["mallory"]]),
        key("aws:SourceArn", vec![vec!["arn:aws:sns:us-east-1:444455556666:t"]]),
        key("aws:PrincipalAccount", vec![vec![OUTSIDE]]),
    );
    let transport = key("aws:SecureTransport", vec![vec!["true"], vec!["false"]]);
    (outsider(), action(), resource(), free_keys(), identity, transport).prop_map(
        |(caller, action, resource, free, (a, b, c, d, e), t)| {
            let context = free.into_iter().chain([a, b, c, d, e, t]).flatten().collect();
            Request { caller, action, resource, context }
        },
    )
}

fn space(callers: CallerScope) -> RequestSpace {
    let fixed = match callers {
        CallerScope::Everyone => vec![("aws:SecureTransport".to_owned(), vec!["false".to_owned()])],
        CallerScope::Outsiders => Vec::new(),
    };
    RequestSpace {
        service: "s3".into(),
        resources: vec![
            ResourceScope::Exact("arn:aws:s3:::b".into()),
            ResourceScope::AnyUnder("arn:aws:s3:::b/".into()),
        ],
        fixed,
        callers,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// If no witness escapes the denies, no random request in the space escapes either; and every
    /// witness really escapes.
    #[test]
    fn not_denied_is_sound(p in policy(), requests in proptest::collection::vec(everyone_request(), 24)) {
        let witnesses = p.not_denied(&space(CallerScope::Everyone));
        for w in &witnesses {
            prop_assert_ne!(p.evaluate(w), Decision::ExplicitDeny, "witness {} is denied", w);
        }
        if witnesses.is_empty() {
            for r in &requests {
                prop_assert_eq!(p.evaluate(r), Decision::ExplicitDeny, "{} escapes, but no witness did", r);
            }
        }
    }

    /// If no witness is granted to an outsider, no random outsider request is; and every witness is.
    #[test]
    fn allowed_is_sound(p in policy(), requests in proptest::collection::vec(outsider_request(), 24)) {
        let witnesses = p.allowed(&space(CallerScope::Outsiders));
        for w in &witnesses {
            prop_assert_eq!(p.evaluate(w), Decision::Allow, "witness {} is not allowed", w);
        }
        if witnesses.is_empty() {
            for r in &requests {
                prop_assert_ne!(p.evaluate(r), Decision::Allow, "{} is allowed, but no witness was", r);
            }
        }
    }

    /// Same for everyone: a random request of anyone is allowed only if some witness is.
    #[test]
    fn allowed_for_everyone_is_sound(p in policy(), requests in proptest::collection::vec(everyone_request(), 24)) {
        if p.allowed(&space(CallerScope::Everyone)).is_empty() {
            for r in &requests {
                prop_assert_ne!(p.evaluate(r), Decision::Allow, "{} is allowed, but no witness was", r);
            }
        }
    }
}

// ---- Nothing panics ----------------------------------------------------------------------------------

/// Short strings over the characters that matter to patterns, variables, ARNs, numbers and addresses.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9:/*?.${}', -]{0,14}",
        select(vec![
            "*",
            "s3:*",
            "${aws:username}",
            "${",
            "}",
            "${*}",
            "${a:}",
            "${:b}",
            "10.0.0.0/8",
            "::/0",
            "1.2",
            "true",
            "2020-01-01T00:00:00Z",
            "arn:aws:s3:::b/*",
            "arn:*:*",
            "é"
        ])
        .prop_map(str::to_owned),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let keys = select(vec![
        "Version",
        "Id",
        "Statement",
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "AWS",
        "Service",
        "Federated",
        "CanonicalUser",
        "Bool",
        "StringLike",
        "NullIfExists",
        "ForAnyValue:StringLike",
        "ForAllValues:NumericLessThanIfExists",
        "IpAddress",
        "DateEquals",
        "Null",
        "ArnLike",
        "aws:SourceIp",
        "aws:SecureTransport",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        select(vec!["2012-10-17", "2008-10-17", "Allow", "Deny", "*"]).prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(keys.clone().prop_map(str::to_owned), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn any_caller() -> impl Strategy<Value = Caller> {
    prop_oneof![
        Just(Caller::Anonymous),
        (text(), text()).prop_map(|(arn, account)| Caller::Aws { arn, account }),
        text().prop_map(Caller::Service),
        text().prop_map(Caller::Federated),
        text().prop_map(Caller::CanonicalUser),
    ]
}

fn any_request() -> impl Strategy<Value = Request> {
    let context = proptest::collection::vec((text(), proptest::collection::vec(text(), 0..3)), 0..4);
    (any_caller(), text(), text(), context).prop_map(|(caller, action, resource, context)| Request {
        caller,
        action,
        resource,
        context,
    })
}

/// A statement built from odd pieces: patterns, principals and condition values from `text()`.
fn odd_policy() -> impl Strategy<Value = Value> {
    let op = select(vec![
        "StringLike",
        "StringEquals",
        "StringNotEqualsIgnoreCase",
        "ArnLike",
        "ArnNotEquals",
        "NumericLessThan",
        "DateGreaterThan",
        "IpAddress",
        "NotIpAddress",
        "Bool",
        "BinaryEquals",
        "Null",
        "ForAllValues:StringLike",
        "ForAnyValue:ArnLikeIfExists",
    ]);
    let statement = (
        any::<bool>(),
        proptest::collection::vec(text(), 0..3),
        proptest::collection::vec(text(), 0..3),
        proptest::collection::vec(text(), 0..3),
        proptest::collection::vec((op, text(), proptest::collection::vec(text(), 0..3)), 0..3),
    )
        .prop_map(|(deny, principals, actions, resources, conds)| {
            let mut block = Map::new();
            for (op, key, values) in conds {
                block.entry(op.to_owned()).or_insert_with(|| json!({}))[key] = json!(values);
            }
            json!({
                "Effect": if deny { "Deny" } else { "Allow" },
                "Principal": {"AWS": principals},
                "Action": actions,
                "Resource": resources,
                "Condition": block,
            })
        });
    (any::<bool>(), proptest::collection::vec(statement, 0..3)).prop_map(
        |(new, statements)| json!({"Version": if new { "2012-10-17" } else { "2008-10-17" }, "Statement": statements}),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn from_json_never_panics(doc in json_value()) {
        let _ = Policy::from_json(&doc);
        let _ = Policy::from_json(&json!({"Version": "2012-10-17", "Statement": doc}));
    }

    #[test]
    fn evaluation_never_panics(doc in odd_policy(), requests in proptest::collection::vec(any_request(), 8)) {
        if let Ok(p) = Policy::from_json(&doc) {
            for r in &requests {
                let _ = p.evaluate(r);
                let _ = r.to_string();
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    #[test]
    fn questions_never_panic(doc in odd_policy(), service in text(), prefix in text(), fixed in text()) {
        if let Ok(p) = Policy::from_json(&doc) {
            let space = RequestSpace {
                service,
                resources: vec![ResourceScope::Exact(prefix.clone()), ResourceScope::AnyUnder(prefix)],
                fixed: vec![(fixed, vec!["false".into()])],
                callers: CallerScope::Everyone,
            };
            for w in p.not_denied(&space) {
                prop_assert_ne!(p.evaluate(&w), Decision::ExplicitDeny, "witness {} is denied", w);
            }
            for w in p.allowed(&RequestSpace { callers: CallerScope::Outsiders, ..space }) {
                prop_assert_eq!(p.evaluate(&w), Decision::Allow, "witness {} is not allowed", w);
            }
        }
    }
}
