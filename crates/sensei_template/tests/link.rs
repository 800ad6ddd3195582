//! Bucket policies are attached to their buckets however the template names the bucket.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use sensei_template::{Options, read};

/// The logical ids of the policies attached to each bucket, by bucket id.
fn links(text: &str) -> Vec<(String, Vec<String>)> {
    let read = read("t.yaml", text, &Options::default()).unwrap();
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let inv = read.inventory;
    inv.buckets
        .iter()
        .map(|b| {
            let ids = inv.policies_of(b).map(|p| p.resource.id.clone()).collect();
            (b.resource.id.clone(), ids)
        })
        .collect()
}

fn policy(id: &str, bucket: &str) -> String {
    format!(
        "  {id}:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: {bucket}\n      PolicyDocument:\n        Statement: []\n"
    )
}

#[test]
fn every_way_of_naming_the_bucket_links() {
    let text = format!(
        "Parameters:\n  App:\n    Type: String\n    Default: shop\n  External:\n    Type: String\nResources:\n  ByRef:\n    Type: AWS::S3::Bucket\n  ByArn:\n    Type: AWS::S3::Bucket\n  ByJoin:\n    Type: AWS::S3::Bucket\n  Named:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: shop-assets\n  SubNamed:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${{App}}-logs-${{AWS::AccountId}}'\n  Lonely:\n    Type: AWS::S3::Bucket\n{}{}{}{}{}{}",
        policy("P1", "!Ref ByRef"),
        policy("P2", "!GetAtt ByArn.Arn"),
        policy("P3", "!Join ['', [!Ref ByJoin]]"),
        policy("P4", "shop-assets"),
        policy("P5", "!Sub '${App}-logs-${AWS::AccountId}'"),
        policy("P6", "!Ref External"),
    );
    let mut got = links(&text);
    got.sort();
    let want: Vec<(String, Vec<String>)> = [
        ("ByArn", vec!["P2"]),
        ("ByJoin", vec!["P3"]),
        ("ByRef", vec!["P1"]),
        ("Lonely", vec![]),
        ("Named", vec!["P4"]),
        ("SubNamed", vec!["P5"]),
    ]
    .into_iter()
    .map(|(b, ps)| (b.to_string(), ps.into_iter().map(str::to_string).collect()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn a_name_that_only_looks_alike_does_not_link() {
    let text = format!(
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: a-bucket\n{}",
        policy("P", "a-bucket-2")
    );
    assert_eq!(links(&text), vec![("A".to_string(), vec![])]);
}
