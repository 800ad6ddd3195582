//! Intrinsic resolution: the input bytes choose a template made of nested intrinsic functions
//! (`Ref`, `Fn::Sub`, `Fn::If`, `Fn::Join`, `Fn::Select`, `Fn::FindInMap`, conditions that refer to
//! each other, ...) over a few parameters, mappings and resources, so the fuzzer spends its time in
//! resolution rather than in the YAML grammar. Any template must resolve or give an error; never a
//! panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const NAMES: &[&str] = &["A", "B", "Cond", "Map", "Stage", "Bucket", "Queue", "AWS::Region", "AWS::NoValue", "Nope"];
const TEXTS: &[&str] = &["", "x", "${A}", "${B.Arn}", "${AWS::AccountId}-${Stage}", "${!Literal}", "${", "a,b,c", "prod"];

fn name(u: &mut Unstructured) -> Result<String> {
    Ok((*u.choose(NAMES)?).to_string())
}

/// A value: a scalar, a list, or an intrinsic function over smaller values.
fn value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    if depth == 0 || u.is_empty() {
        return Ok(match u.int_in_range(0..=3)? {
            0 => json!(*u.choose(TEXTS)?),
            1 => json!(u.int_in_range(-2..=5)?),
            2 => json!(u.arbitrary::<bool>()?),
            _ => Value::Null,
        });
    }
    let d = depth - 1;
    Ok(match u.int_in_range(0..=14)? {
        0 => json!({"Ref": name(u)?}),
        1 => json!({"Fn::Sub": *u.choose(TEXTS)?}),
        2 => json!({"Fn::Sub": [*u.choose(TEXTS)?, {name(u)?: value(u, d)?}]}),
        3 => json!({"Fn::If": [name(u)?, value(u, d)?, value(u, d)?]}),
        4 => json!({"Fn::Join": [*u.choose(TEXTS)?, [value(u, d)?, value(u, d)?]]}),
        5 => json!({"Fn::Select": [value(u, d)?, value(u, d)?]}),
        6 => json!({"Fn::Split": [*u.choose(TEXTS)?, value(u, d)?]}),
        7 => json!({"Fn::FindInMap": [name(u)?, value(u, d)?, value(u, d)?]}),
        8 => json!({"Fn::GetAtt": [name(u)?, "Arn"]}),
        9 => json!({"Fn::Equals": [value(u, d)?, value(u, d)?]}),
        10 => json!({"Fn::And": [value(u, d)?, value(u, d)?]}),
        11 => json!({"Fn::Not": [value(u, d)?]}),
        12 => json!({"Condition": name(u)?}),
        13 => json!([value(u, d)?, value(u, d)?]),
        _ => json!({"Fn::Base64": value(u, d)?}),
    })
}

fn template(u: &mut Unstructured) -> Result<Value> {
    let mut parameters = serde_json::Map::new();
    for p in ["A", "Stage"] {
        if u.arbitrary()? {
            parameters.insert(p.to_string(), json!({"Type": "String", "Default": *u.choose(TEXTS)?}));
        }
    }
    let mut conditions = serde_json::Map::new();
    for c in ["Cond", "B"] {
        if u.arbitrary()? {
            conditions.insert(c.to_string(), value(u, 3)?);
        }
    }
    let mappings = json!({"Map": {"prod": {"x": value(u, 2)?}, "dev": {"x": "small"}}});
    let mut resources = serde_json::Map::new();
    for (id, ty, key) in [("Bucket", "AWS::S3::Bucket", "BucketName"), ("Queue", "AWS::SQS::Queue", "QueueName"), ("B", "AWS::SNS::Topic", "TopicName")] {
        let mut body = json!({"Type": ty, "Properties": {key: value(u, 5)?, "Tags": [{"Key": "k", "Value": value(u, 4)?}]}});
        if u.arbitrary()? {
            body["Condition"] = json!(name(u)?);
        }
        resources.insert(id.to_string(), body);
    }
    Ok(json!({"Parameters": parameters, "Conditions": conditions, "Mappings": mappings, "Resources": resources}))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(doc) = template(&mut u) else { return };
    let text = doc.to_string();
    let Ok(root) = sensei_template::load::load(&text) else { return };
    let _ = sensei_template::resolve_properties("fuzz.json", &root, &sensei_template::Options::default());
    // The whole reader too, so that the model mappers see the resolved values.
    let _ = sensei_template::read("fuzz.json", &text, &sensei_template::Options::default());
});
