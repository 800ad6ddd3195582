//! Suppressions: a template's `Metadata.sensei.ignore` and `sensei.toml` ignores mark findings as
//! suppressed, with their reason; an expired suppression stops applying and the finding says so.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use sensei_model::Date;
use sensei_rules::{Context, Finding, ResourceIgnore, Status};

const TEMPLATE: &str = "Resources:
  Accepted:
    Type: AWS::S3::Bucket
    Metadata:
      sensei:
        ignore:
          - rule: s3OnlyAllowHTTPS
            reason: served only through the VPC endpoint
            expires: 2027-06-30
  Expired:
    Type: AWS::S3::Bucket
    Metadata:
      sensei:
        ignore:
          - rule: S3-001
            reason: migration in progress
            expires: 2026-01-31
  LegacyLogs:
    Type: AWS::S3::Bucket
  Plain:
    Type: AWS::S3::Bucket
";

fn findings(context: &Context) -> Vec<Finding> {
    let read = sensei_template::read("t.yaml", TEMPLATE, &sensei_template::Options::default()).unwrap();
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let rule = sensei_rules::find("S3-001").unwrap();
    sensei_rules::check(&read.inventory, &[rule], context)
}

fn on<'a>(findings: &'a [Finding], id: &str) -> &'a Finding {
    findings.iter().find(|f| f.resource.id == id).unwrap()
}

fn context(today: &str, ignores: Vec<ResourceIgnore>) -> Context {
    Context { today: Date::parse(today).unwrap(), ignores, ..Context::default() }
}

#[test]
fn a_template_suppression_applies_until_it_expires() {
    let found = findings(&context("2026-11-27", vec![]));
    let accepted = on(&found, "Accepted");
    assert_eq!(accepted.status, Status::Fail, "a suppressed finding keeps its verdict");
    let why = accepted.suppressed.as_ref().expect("suppressed");
    assert_eq!((why.reason.as_str(), why.source), ("served only through the VPC endpoint", "template"));
    assert_eq!(why.expires, Date::parse("2027-06-30"));

    let expired = on(&found, "Expired");
    assert!(expired.suppressed.is_none(), "an expired suppression no longer applies");
    assert!(
        expired.message.contains("a suppression expired on 2026-01-31: migration in progress"),
        "{}",
        expired.message
    );

    assert!(on(&found, "Plain").suppressed.is_none());

    // The day after its expiry date, the first one stops applying too.
    let later = findings(&context("2027-07-01", vec![]));
    assert!(on(&later, "Accepted").suppressed.is_none());
    // On its last day it still applies.
    let last = findings(&context("2027-06-30", vec![]));
    assert!(on(&last, "Accepted").suppressed.is_some());
}

#[test]
fn a_config_ignore_suppresses_by_resource_pattern_and_rule() {
    let ignore = |rule: Option<&str>, resource: &str| ResourceIgnore {
        rule: rule.map(str::to_string),
        resource: resource.to_string(),
        reason: "kept for audits".to_string(),
    };
    let found = findings(&context("2026-11-27", vec![ignore(Some("S3.5"), "Legacy*")]));
    let legacy = on(&found, "LegacyLogs").suppressed.as_ref().expect("suppressed by the config");
    assert_eq!((legacy.reason.as_str(), legacy.source), ("kept for audits", "config"));
    assert!(on(&found, "Plain").suppressed.is_none(), "the pattern does not match `Plain`");

    // An ignore for another rule does not touch S3-001.
    let found = findings(&context("2026-11-27", vec![ignore(Some("S3-002"), "*")]));
    assert!(found.iter().filter(|f| f.resource.id != "Accepted").all(|f| f.suppressed.is_none()));
}
