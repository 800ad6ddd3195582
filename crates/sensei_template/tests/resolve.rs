//! Intrinsic resolution on its own (`resolve_properties`): what the benchmarks and the fuzzer drive.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use sensei_template::load::load;
use sensei_template::{Options, Val, resolve_properties};

const TEMPLATE: &str = r#"
Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "orders-${Stage}"
      Tags: [{Key: size, Value: !If [IsProd, big, small]}]
  Queue:
    Type: AWS::SQS::Queue
"#;

fn resolved(options: &Options) -> Vec<(String, Val)> {
    let root = load(TEMPLATE).unwrap();
    resolve_properties("t.yaml", &root, options).unwrap()
}

#[test]
fn properties_are_resolved_by_logical_id() {
    let out = resolved(&Options::default());
    assert_eq!(out.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["Data", "Queue"]);
    let Val::Map(data) = &out[0].1 else { panic!("{:?}", out[0].1) };
    assert_eq!(data[0], ("BucketName".to_string(), Val::Str("orders-dev".into())));
    assert_eq!(
        format!("{:?}", data[1].1),
        format!(
            "{:?}",
            Val::List(vec![Val::Map(vec![
                ("Key".into(), Val::Str("size".into())),
                ("Value".into(), Val::Str("small".into())),
            ])])
        )
    );
    assert_eq!(out[1].1, Val::Null, "no Properties");
}

#[test]
fn parameters_given_take_the_place_of_defaults() {
    let options = Options { parameters: [("Stage".to_string(), "prod".to_string())].into() };
    let Val::Map(data) = &resolved(&options)[0].1 else { panic!() };
    assert_eq!(data[0].1, Val::Str("orders-prod".into()));
    assert!(format!("{:?}", data[1].1).contains("big"));
}

#[test]
fn a_file_that_is_no_template_is_an_error() {
    let root = load("- a list").unwrap();
    assert!(resolve_properties("t.yaml", &root, &Options::default()).is_err());
}
