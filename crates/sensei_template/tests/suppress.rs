//! Suppressions in a resource's `Metadata.sensei.ignore`: read onto its model resources (and the
//! resources SAM generates from it), and every malformed entry reported and left out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use sensei_model::{Date, Suppression};
use sensei_template::{Options, TemplateRead, read};

fn template(text: &str) -> TemplateRead {
    read("t.yaml", text, &Options::default()).unwrap()
}

/// The diagnostics as `line:column message`.
fn diagnostics(read: &TemplateRead) -> Vec<String> {
    read.diagnostics.iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.column, d.message)).collect()
}

fn day(s: &str) -> Option<Date> {
    Date::parse(s)
}

#[test]
fn a_suppression_is_read_with_its_reason_expiry_and_place() {
    let read = template(
        "Resources:
  Data:
    Type: AWS::S3::Bucket
    Metadata:
      sensei:
        ignore:
          - rule: S3-001
            reason: served only through CloudFront
            expires: 2027-06-30
          - {rule: bucket-not-encrypted-with-kms, reason: 'SSE-S3 is enough here', expires: '2026-01-31'}
          - rule: S3.8
            reason: a public website
",
    );
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let s = &read.inventory.buckets[0].resource.suppressions;
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].rule, "S3-001");
    assert_eq!(s[0].reason, "served only through CloudFront");
    assert_eq!(s[0].expires, day("2027-06-30"));
    let at = s[0].location.as_ref().unwrap();
    assert_eq!((&*at.file, at.line, at.column), ("t.yaml", 7, 13));
    assert_eq!(s[1].rule, "bucket-not-encrypted-with-kms");
    assert_eq!(s[1].expires, day("2026-01-31"));
    assert_eq!(
        s[2],
        Suppression { rule: "S3.8".into(), reason: "a public website".into(), expires: None, ..s[2].clone() }
    );
}

#[test]
fn json_templates_have_suppressions_too() {
    let read = read(
        "t.json",
        r#"{"Resources": {"Data": {"Type": "AWS::S3::Bucket", "Metadata": {"sensei": {"ignore": [
            {"rule": "S3-002", "reason": "public website", "expires": "2030-12-31"}]}}}}}"#,
        &Options::default(),
    )
    .unwrap();
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let s = &read.inventory.buckets[0].resource.suppressions;
    assert_eq!((s[0].rule.as_str(), s[0].expires), ("S3-002", day("2030-12-31")));
}

#[test]
fn resources_without_sensei_metadata_have_none() {
    let read = template(
        "Resources:
  Plain: {Type: AWS::S3::Bucket}
  Cdk:
    Type: AWS::S3::Bucket
    Metadata: {aws:cdk:path: Stack/Cdk/Resource}
  Empty:
    Type: AWS::S3::Bucket
    Metadata: {sensei: {ignore: []}}
  Nulls:
    Type: AWS::S3::Bucket
    Metadata: {sensei: {ignore: }}
",
    );
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    assert_eq!(read.inventory.buckets.len(), 4);
    assert!(read.inventory.buckets.iter().all(|b| b.resource.suppressions.is_empty()));
}

#[test]
fn sam_generated_resources_inherit_the_suppressions_of_their_sam_resource() {
    let read = template(
        "Transform: AWS::Serverless-2016-10-31
Resources:
  Handler:
    Type: AWS::Serverless::Function
    Metadata:
      sensei:
        ignore:
          - {rule: IAM-001, reason: the generated role is reviewed}
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
",
    );
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let function = read.inventory.functions.iter().find(|f| f.resource.id == "Handler").unwrap();
    assert_eq!(function.resource.suppressions[0].rule, "IAM-001");
    let role = read.inventory.roles.iter().find(|r| r.resource.generated_from.as_deref() == Some("Handler")).unwrap();
    assert_eq!(role.resource.id, "HandlerRole");
    assert_eq!(role.resource.suppressions, function.resource.suppressions);
}

#[test]
fn malformed_entries_are_reported_and_not_applied() {
    let read = template(
        "Resources:
  Data:
    Type: AWS::S3::Bucket
    Metadata:
      sensei:
        ignore:
          - rule: S3-001
          - {rule: S3-002, reason: ''}
          - {rule: S3-003, reason: ok, expires: 2027-02-30}
          - {rule: S3-004, reason: ok, expires: 20270630}
          - S3-001
          - {reason: no rule}
          - {rule: S3-001, reason: ok, until: 2027-01-01}
          - {rule: [S3-001], reason: ok}
          - {rule: S3-002, reason: the one good entry}
",
    );
    let got = diagnostics(&read);
    let expected = [
        "7:13 suppression 1 in `Metadata.sensei.ignore` of `Data`: it has no `reason`: say why the finding is accepted; the suppression is not applied",
        "8:36 suppression 2 in `Metadata.sensei.ignore` of `Data`: `reason` is empty: say why the finding is accepted; the suppression is not applied",
        "9:49 suppression 3 in `Metadata.sensei.ignore` of `Data`: `expires` is `2027-02-30`, not a date (YYYY-MM-DD); the suppression is not applied",
        "10:49 suppression 4 in `Metadata.sensei.ignore` of `Data`: `expires` must be a date (YYYY-MM-DD), found a number; the suppression is not applied",
        "11:13 suppression 5 in `Metadata.sensei.ignore` of `Data`: must be a mapping with `rule` and `reason`, found a string; the suppression is not applied",
        "12:13 suppression 6 in `Metadata.sensei.ignore` of `Data`: it has no `rule`: name a rule id, slug or alias; the suppression is not applied",
        "13:40 suppression 7 in `Metadata.sensei.ignore` of `Data`: unknown key `until` (the keys are `rule`, `reason` and `expires`); the suppression is not applied",
        "14:20 suppression 8 in `Metadata.sensei.ignore` of `Data`: `rule` must be a rule id, slug or alias, found a list; the suppression is not applied",
    ];
    assert_eq!(got, expected);
    let s = &read.inventory.buckets[0].resource.suppressions;
    assert_eq!(s.len(), 1);
    assert_eq!((s[0].rule.as_str(), s[0].reason.as_str()), ("S3-002", "the one good entry"));
}

#[test]
fn a_misshapen_sensei_section_is_reported() {
    let read = template(
        "Resources:
  NotAList:
    Type: AWS::S3::Bucket
    Metadata: {sensei: {ignore: {rule: S3-001, reason: x}}}
  NotAMap:
    Type: AWS::S3::Bucket
    Metadata: {sensei: [S3-001]}
  Typo:
    Type: AWS::S3::Bucket
    Metadata: {sensei: {ignores: [{rule: S3-001, reason: x}]}}
",
    );
    assert_eq!(
        diagnostics(&read),
        [
            "4:33 `Metadata.sensei.ignore` of `NotAList` must be a list of suppressions ({rule, reason, expires}), found a mapping",
            "7:24 `Metadata.sensei` of `NotAMap` must be a mapping with an `ignore` list, found a list",
            "10:25 `Metadata.sensei` of `Typo` has an unknown key `ignores`: the only key is `ignore`",
        ]
    );
    assert!(read.inventory.buckets.iter().all(|b| b.resource.suppressions.is_empty()));
}

#[test]
fn the_same_mistake_in_two_resources_is_reported_twice() {
    let read = template(
        "Resources:
  A: {Type: AWS::S3::Bucket, Metadata: {sensei: {ignore: [{rule: S3-001}]}}}
  B: {Type: AWS::S3::Bucket, Metadata: {sensei: {ignore: [{rule: S3-001}]}}}
",
    );
    assert_eq!(read.diagnostics.len(), 2, "{:?}", read.diagnostics);
}
