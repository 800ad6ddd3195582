//! One fixed report, rendered in every format: snapshots of exactly what the user sees, the JSON
//! contract checked field by field, and the scores.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// `value["key"]` on a `serde_json::Value` gives `Null` for a missing key; it does not panic.
#![allow(clippy::indexing_slicing)]

mod common;

use std::sync::Arc;

use common::*;
use sensei_report::text::TextStyle;
use sensei_report::{Report, Score};
use sensei_rules::{Category, Status};
use serde_json::Value;

fn text(report: &Report, style: TextStyle) -> Result<String, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    sensei_report::text::render(report, &mut out, &style)?;
    Ok(String::from_utf8(out)?)
}

fn json(report: &Report) -> Result<String, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    sensei_report::json::render(report, &mut out)?;
    Ok(String::from_utf8(out)?)
}

fn plain() -> TextStyle {
    TextStyle { color: false, verbose: false, width: 100 }
}

// ----- text ---------------------------------------------------------------------------------------

#[test]
fn text_report() -> TestResult {
    insta::assert_snapshot!("text", text(&fixed_report(), plain())?);
    Ok(())
}

#[test]
fn text_report_verbose() -> TestResult {
    insta::assert_snapshot!("text_verbose", text(&fixed_report(), TextStyle { verbose: true, ..plain() })?);
    Ok(())
}

#[test]
fn text_has_no_escape_codes_without_color_and_some_with_it() -> TestResult {
    let report = fixed_report();
    for verbose in [false, true] {
        let without = text(&report, TextStyle { verbose, ..plain() })?;
        assert!(!without.contains('\u{1b}'), "escape code in plain output:\n{without}");
        let with = text(&report, TextStyle { color: true, verbose, ..plain() })?;
        assert!(with.contains("\u{1b}["), "no escape code in coloured output");
        assert!(with.contains("\u{1b}[31m"), "failures are not red");
    }
    Ok(())
}

#[test]
fn text_escape_codes_from_input_are_not_passed_to_the_terminal() -> TestResult {
    let mut report = fixed_report();
    for finding in &mut report.findings {
        finding.message.push_str(" \u{1b}[2J\u{1b}]0;owned\u{7}");
    }
    for error in &mut report.errors {
        error.message.push_str("\u{1b}[31m");
    }
    let out = text(&report, TextStyle { verbose: true, ..plain() })?;
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'));
    Ok(())
}

#[test]
fn text_lines_fit_in_the_width() -> TestResult {
    for width in [100, 72] {
        let out = text(&fixed_report(), TextStyle { verbose: true, width, ..plain() })?;
        for line in out.lines() {
            assert!(line.chars().count() <= width, "longer than {width}: {line:?}");
        }
    }
    Ok(())
}

#[test]
fn text_says_plainly_when_nothing_fails() -> TestResult {
    let mut report = fixed_report();
    report.findings.retain(|f| f.status == Status::Pass);
    report.errors.clear();
    let out = text(&report, plain())?;
    assert_eq!(out.lines().last(), Some("✓ Nothing fails."));
    assert!(!out.contains('✗') && !out.contains("S3-001"));
    Ok(())
}

#[test]
fn text_cuts_long_source_lines_around_the_column() -> TestResult {
    let mut report = fixed_report();
    let minified = format!("{{\"Resources\": {{{}\"Bucket\": {{\"Type\": \"AWS::S3::Bucket\"}}}}}}", " ".repeat(300));
    report.sources.insert(JSON_FILE.to_string(), Arc::from(minified.as_str()));
    let column = u32::try_from(minified.find("\"Bucket\"").unwrap_or(0) + 1)?;
    let finding = report.findings.iter_mut().find(|f| f.status == Status::Pass).ok_or("no pass")?;
    finding.status = Status::Fail;
    finding.location = Some(at(JSON_FILE, 1, column));
    let out = text(&report, plain())?;
    let line = out.lines().find(|l| l.contains("\"Bucket\"")).ok_or("line not shown")?;
    assert!(line.chars().count() <= 100 && line.contains('…'), "{line:?}");
    let caret = out.lines().skip_while(|l| !l.contains("\"Bucket\"")).nth(1).ok_or("no caret")?;
    let column_of = |text: &str, needle: &str| text.find(needle).and_then(|i| text.get(..i)).map(|p| p.chars().count());
    assert_eq!(column_of(caret, "^"), column_of(line, "\"Bucket\""));
    Ok(())
}

#[test]
fn text_groups_the_findings_of_one_resource_under_one_line() -> TestResult {
    let mut report = fixed_report();
    let mut second = report.findings.iter().find(|f| f.status == Status::Fail).ok_or("no fail")?.clone();
    second.location = Some(at(SAM_FILE, 13, 7));
    second.message = "a second problem with the same bucket".to_string();
    second.fix = None;
    report.findings.push(second);
    let out = text(&report, plain())?;
    assert_eq!(out.matches("✗ DataBucket (AWS::S3::Bucket)").count(), 1, "{out}");
    let first = out.find("10 |   DataBucket:").ok_or("first excerpt")?;
    let also = out.find(&format!("    {SAM_FILE}:13:7")).ok_or("second place")?;
    let excerpt = out.find("13 |       BucketName: orders-data").ok_or("second excerpt")?;
    assert!(first < also && also < excerpt, "{out}");
    assert!(out.contains("✗ 2 failing checks in 1 rule."));
    Ok(())
}

// ----- JSON ---------------------------------------------------------------------------------------

#[test]
fn json_report() -> TestResult {
    let out = json(&fixed_report())?;
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(out.contains(&version));
    insta::assert_snapshot!("json", out.replace(&version, "\"version\": \"[version]\""));
    Ok(())
}

/// Every field of the contract, by object; each must appear, and be documented.
const DOCUMENTED: &[(&str, &[&str])] = &[
    ("report", &["schema", "tool", "summary", "findings", "errors", "gaps", "files"]),
    ("tool", &["name", "version"]),
    (
        "summary",
        &[
            "files",
            "resources",
            "pass",
            "fail",
            "unknown",
            "not_evaluated",
            "skip",
            "suppressed",
            "baseline",
            "errors",
            "gaps",
            "scores",
        ],
    ),
    (
        "finding",
        &[
            "rule",
            "slug",
            "title",
            "severity",
            "categories",
            "status",
            "resource",
            "location",
            "message",
            "fix",
            "suppressed",
            "baseline",
        ],
    ),
    ("resource", &["id", "type", "generated_from", "live"]),
    ("location", &["file", "line", "column"]),
    ("fix", &["summary", "snippet"]),
    ("snippet", &["language", "code"]),
    ("error", &["file", "line", "column", "message"]),
    ("gap", &["service", "operation", "region", "resource", "code", "message"]),
    ("file", &["file", "kind", "resources"]),
];

fn fields(object: &Value) -> Vec<&str> {
    object.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default()
}

fn assert_fields(name: &str, object: &Value) {
    let expected = DOCUMENTED.iter().find(|(n, _)| *n == name).map(|(_, f)| *f).unwrap_or_default();
    let mut expected: Vec<&str> = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(fields(object), expected, "fields of {name}");
}

#[test]
fn json_has_every_documented_field() -> TestResult {
    let report: Value = serde_json::from_str(&json(&fixed_report())?)?;
    assert_fields("report", &report);
    assert_eq!(report["schema"], "sensei-report/1");
    assert_fields("tool", &report["tool"]);
    assert_eq!(report["tool"]["name"], "sensei");
    assert_fields("summary", &report["summary"]);
    let summary = &report["summary"];
    for (field, n) in
        [("files", 2), ("resources", 5), ("pass", 2), ("fail", 1), ("unknown", 1), ("skip", 1), ("errors", 2)]
    {
        assert_eq!(summary[field], n, "summary.{field}");
    }
    assert_eq!(summary["scores"], serde_json::json!({"overall": 67, "security": 50, "stability": 100, "savings": 100}));

    let findings = report["findings"].as_array().ok_or("findings")?;
    assert_eq!(findings.len(), 5);
    for finding in findings {
        assert_fields("finding", finding);
        assert_fields("resource", &finding["resource"]);
        assert_fields("location", &finding["location"]);
        assert!(finding["categories"].is_array());
        assert!(
            ["pass", "fail", "unknown", "not_evaluated", "skip"].contains(&finding["status"].as_str().unwrap_or(""))
        );
        assert!(finding["fix"].is_null() == (finding["status"] != "fail"));
    }
    let fail = findings.iter().find(|f| f["status"] == "fail").ok_or("no fail")?;
    assert_fields("fix", &fail["fix"]);
    assert_fields("snippet", &fail["fix"]["snippet"]);
    assert_eq!(fail["fix"]["snippet"]["language"], "yaml");
    assert_eq!(fail["fix"]["snippet"]["code"], FIX_CODE);
    let generated = findings.iter().find(|f| f["resource"]["id"] == "OrdersFunctionRole").ok_or("no role")?;
    assert_eq!(generated["resource"]["generated_from"], "OrdersFunction");
    assert!(fail["resource"]["generated_from"].is_null());

    let errors = report["errors"].as_array().ok_or("errors")?;
    assert_eq!(errors.len(), 2);
    for error in errors {
        assert_fields("error", error);
    }
    assert!(errors.iter().any(|e| e["line"] == 3 && e["column"] == 5));
    assert!(errors.iter().any(|e| e["line"].is_null() && e["column"].is_null()));

    assert_eq!(report["gaps"], serde_json::json!([]));
    assert!(findings.iter().all(|f| f["baseline"].is_null()), "no baseline, no baseline state");

    let files = report["files"].as_array().ok_or("files")?;
    for file in files {
        assert_fields("file", file);
    }
    assert_eq!(files.iter().map(|f| f["kind"].as_str().unwrap_or("")).collect::<Vec<_>>(), ["sam", "cloudformation"]);
    Ok(())
}

#[test]
fn json_findings_are_ordered_by_place_then_rule_then_resource() -> TestResult {
    let mut report = fixed_report();
    let expected = json(&report)?;
    report.findings.reverse();
    report.errors.reverse();
    report.scanned.reverse();
    assert_eq!(json(&report)?, expected, "order of the input changed the output");

    let value: Value = serde_json::from_str(&expected)?;
    let places: Vec<(String, u64, u64)> = value["findings"]
        .as_array()
        .ok_or("findings")?
        .iter()
        .map(|f| {
            let l = &f["location"];
            (
                l["file"].as_str().unwrap_or("").to_string(),
                l["line"].as_u64().unwrap_or(0),
                l["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);
    Ok(())
}

#[test]
fn json_output_is_documented() -> TestResult {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/json-output.md");
    let docs = std::fs::read_to_string(path)?;
    for (object, names) in DOCUMENTED {
        for name in *names {
            assert!(docs.contains(&format!("`{name}`")), "docs/json-output.md does not document `{name}` of {object}");
        }
    }
    for needle in ["sensei-report/1", "`pass`", "`fail`", "`unknown`", "`skip`", "Exit codes"] {
        assert!(docs.contains(needle), "docs/json-output.md does not mention {needle}");
    }
    Ok(())
}

// ----- scores -------------------------------------------------------------------------------------

#[test]
fn scores_count_passing_and_failing_checks_only() {
    let scores = fixed_report().scores();
    assert_eq!(scores.overall, Score { pass: 2, fail: 1 });
    assert_eq!(scores.overall.percent(), Some(67));
    assert_eq!(scores.categories.get(&Category::Security), Some(&Score { pass: 1, fail: 1 }));
    assert_eq!(scores.categories.get(&Category::Security).and_then(|s| s.percent()), Some(50));
    assert_eq!(scores.categories.get(&Category::Stability).and_then(|s| s.percent()), Some(100));
    assert_eq!(scores.categories.get(&Category::Savings).and_then(|s| s.percent()), Some(100));
    // Only a skip and nothing else: no score, rather than 0 or 100.
    assert_eq!(scores.categories.get(&Category::Sustainability), None);
    assert_eq!(scores.categories.get(&Category::Speed), None);
}

#[test]
fn score_rounds_to_the_nearest_and_never_hides_a_failure() {
    let percent = |pass, fail| Score { pass, fail }.percent();
    assert_eq!(percent(1, 1), Some(50));
    assert_eq!(percent(2, 1), Some(67));
    assert_eq!(percent(1, 2), Some(33));
    assert_eq!(percent(1, 7), Some(13), "12.5 rounds up");
    assert_eq!(percent(3, 0), Some(100));
    assert_eq!(percent(0, 3), Some(0));
    assert_eq!(percent(999, 1), Some(99), "a failure keeps the score under 100");
    assert_eq!(percent(1, 999), Some(1), "a pass keeps the score over 0");
    assert_eq!(percent(0, 0), None);
}

#[test]
fn empty_report_renders() -> TestResult {
    let report = Report::default();
    let out = text(&report, plain())?;
    assert!(out.contains("nothing passes"), "{out}");
    let value: Value = serde_json::from_str(&json(&report)?)?;
    assert!(value["summary"]["scores"]["overall"].is_null());
    assert_eq!(value["findings"], serde_json::json!([]));
    Ok(())
}
