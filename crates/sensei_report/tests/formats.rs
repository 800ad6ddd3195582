//! SARIF, JUnit, Markdown and HTML from the fixed reports: snapshots, the SARIF 2.1.0 schema, the
//! report's own JSON Schema, baselines, `--fail-on`, gaps, and escaping of hostile text.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// `value["key"]` on a `serde_json::Value` gives `Null` for a missing key; it does not panic.
#![allow(clippy::indexing_slicing)]

mod common;

use std::path::PathBuf;

use common::*;
use sensei_report::text::TextStyle;
use sensei_report::{BaselineState, Format, Report, State};
use sensei_rules::{Severity, Status, Suppressed};
use serde_json::Value;
use sha2::Digest as _;

fn render(report: &Report, format: Format) -> Result<String, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    format.render(report, &mut out, &TextStyle::default())?;
    Ok(String::from_utf8(out)?)
}

fn redact_version(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

fn schemas() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schemas")
}

fn load_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts that `instance` is valid against `schema`, listing every violation.
fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("the schema does not compile: {e}"));
    let problems: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(problems.is_empty(), "{what} is not valid:\n{}", problems.join("\n"));
}

// ----- states, baselines and --fail-on --------------------------------------------------------------

#[test]
fn a_baselined_failure_does_not_fail_the_run_and_a_new_one_does() {
    let report = baselined_report();
    let state = |id: &str| report.findings.iter().find(|f| f.resource.id == id).map(|f| report.state(f));
    assert_eq!(state("DataBucket"), Some(State::Baseline));
    assert_eq!(state("NewBucket"), Some(State::Failing));
    assert_eq!(state("AcceptedBucket"), Some(State::Suppressed));
    let baseline_state =
        |id: &str| report.findings.iter().find(|f| f.resource.id == id).and_then(|f| report.baseline_state(f));
    assert_eq!(baseline_state("DataBucket"), Some(BaselineState::Unchanged));
    assert_eq!(baseline_state("NewBucket"), Some(BaselineState::New));
    assert_eq!(baseline_state("LogsBucket"), None, "a pass has no baseline state");
    assert!(report.fails_run());
    assert_eq!(report.count(Status::Fail), 1, "only the new failure counts as fail");
    assert_eq!(report.baselined(), 1);
    assert_eq!(report.suppressed(), 1);

    let mut only_known = baselined_report();
    only_known.findings.retain(|f| f.resource.id != "NewBucket");
    assert!(!only_known.fails_run(), "known and suppressed failures do not fail the run");
    // They are still problems: the score counts the baselined failure, not the suppressed one.
    assert_eq!(only_known.scores().overall.fail, 1);
}

#[test]
fn fail_on_keeps_less_severe_failures_from_failing_the_run() {
    let mut report = fixed_report();
    // The failure is `high`.
    for (fail_on, fails) in
        [(None, true), (Some(Severity::Info), true), (Some(Severity::High), true), (Some(Severity::Critical), false)]
    {
        report.fail_on = fail_on;
        assert_eq!(report.fails_run(), fails, "--fail-on {fail_on:?}");
    }
    report.fail_on = Some(Severity::Critical);
    let fail = report.findings.iter().find(|f| f.status == Status::Fail).unwrap();
    assert_eq!(report.state(fail), State::BelowThreshold);
    assert_eq!(report.count(Status::Fail), 1, "a failure below --fail-on still fails");
    let out = render(&report, Format::Text).unwrap();
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("Nothing of critical severity or worse fails"), "{out}");
    assert!(words.contains("1 check of lower severity fails (below --fail-on critical)"), "{out}");
}

#[test]
fn top_fixes_rank_by_severity_then_ease() {
    let mut report = fixed_report();
    let base = report.findings.iter().find(|f| f.status == Status::Fail).cloned().unwrap();
    let mut critical = base.clone();
    critical.rule = &ALL_ACTIONS;
    critical.resource.id = "AdminRole".to_string();
    critical.fix.as_mut().unwrap().snippet = None;
    let mut no_code = base.clone();
    no_code.resource.id = "AlsoBucket".to_string();
    no_code.fix.as_mut().unwrap().snippet = None;
    let mut suppressed = base.clone();
    suppressed.resource.id = "Accepted".to_string();
    suppressed.suppressed = Some(Suppressed { reason: "ok".to_string(), expires: None, source: "config" });
    report.findings.extend([no_code, critical, suppressed]);
    let order: Vec<&str> = report.top_fixes(10).iter().map(|f| f.resource.id.as_str()).collect();
    assert_eq!(order, ["AdminRole", "DataBucket", "AlsoBucket"]);
    assert_eq!(report.top_fixes(1).len(), 1);
}

// ----- SARIF ----------------------------------------------------------------------------------------

#[test]
fn sarif_report() {
    insta::assert_snapshot!("sarif", redact_version(&render(&fixed_report(), Format::Sarif).unwrap()));
}

#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    let schema = load_json(&schemas().join("sarif-schema-2.1.0.json"));
    let mut fail_on = fixed_report();
    fail_on.fail_on = Some(Severity::Critical);
    for (name, report) in [
        ("fixed", fixed_report()),
        ("live", live_report()),
        ("baselined", baselined_report()),
        ("fail-on", fail_on),
        ("empty", Report::default()),
    ] {
        let sarif: Value = serde_json::from_str(&render(&report, Format::Sarif).unwrap()).unwrap();
        assert_valid(&schema, &sarif, &format!("the SARIF of the {name} report"));
    }
}

#[test]
fn sarif_has_every_rule_and_every_failure_with_its_place() {
    let sarif: Value = serde_json::from_str(&render(&fixed_report(), Format::Sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["IAM-001", "LAMBDA-002", "S3-001"]);
    for rule in rules {
        let severity = rule["properties"]["security-severity"].as_str().unwrap();
        assert!(severity.parse::<f64>().is_ok_and(|s| (0.0..=10.0).contains(&s)), "{rule}");
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        assert!(!rule["shortDescription"]["text"].as_str().unwrap().is_empty());
    }
    let s3 = &rules[2];
    assert_eq!(s3["properties"]["security-severity"], "8.0");
    assert_eq!(s3["fullDescription"]["text"], "That the bucket policy denies every request made over plain HTTP.");
    assert!(s3["help"]["markdown"].as_str().unwrap().contains("## How to fix"));

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "only failures are results");
    let result = &results[0];
    assert_eq!(result["ruleId"], "S3-001");
    assert_eq!(result["ruleIndex"], 2);
    assert_eq!(result["level"], "error");
    let physical = &result["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], SAM_FILE);
    assert_eq!(physical["region"]["startLine"], 10);
    assert_eq!(physical["region"]["startColumn"], 3);
    assert_eq!(result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "DataBucket");
    assert!(result["message"]["text"].as_str().unwrap().contains("Fix: Add this resource"));
    assert_eq!(result["partialFingerprints"]["senseiFindingKey/v1"], format!("S3-001|{SAM_FILE}|DataBucket"));
    assert!(result["suppressions"].is_null() && result["baselineState"].is_null());

    let notifications = run["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 2, "the two unreadable inputs");
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn sarif_of_a_live_audit_names_resources_by_arn_and_lists_gaps() {
    let sarif: Value = serde_json::from_str(&render(&live_report(), Format::Sarif).unwrap()).unwrap();
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "the failure and the suppressed failure");
    let bucket = results.iter().find(|r| r["ruleId"] == "S3-001").unwrap();
    let location = &bucket["locations"][0];
    assert!(location["physicalLocation"].is_null(), "no file for a live resource");
    assert_eq!(location["logicalLocations"][0]["fullyQualifiedName"], "arn:aws:s3:::orders-data");
    assert_eq!(location["logicalLocations"][0]["name"], "orders-data");
    assert_eq!(location["logicalLocations"][0]["kind"], "resource");
    assert_eq!(bucket["properties"]["region"], "eu-west-1");
    assert_eq!(bucket["properties"]["stack"], "orders-prod");
    assert_eq!(bucket["properties"]["account"], "123456789012");
    assert!(
        bucket["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:s3:::orders-data (eu-west-1, stack orders-prod): ")
    );
    let suppressed = results.iter().find(|r| r["ruleId"] == "LAMBDA-002").unwrap();
    assert_eq!(suppressed["suppressions"][0]["kind"], "external");
    assert_eq!(suppressed["suppressions"][0]["status"], "accepted");
    assert_eq!(suppressed["suppressions"][0]["justification"], "a batch job; its timeout was reviewed");
    assert_eq!(suppressed["properties"]["failsRun"], false);

    let notifications = run["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 2);
    let denied = notifications.iter().find(|n| n["descriptor"]["id"] == "gap/AccessDenied").unwrap();
    assert_eq!(denied["level"], "warning");
    assert_eq!(denied["properties"]["operation"], "GetBucketPolicy");
    assert_eq!(denied["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "arn:aws:s3:::orders-archive");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true, "gaps are not tool errors");
}

#[test]
fn sarif_marks_baseline_states_and_in_source_suppressions() {
    let sarif: Value = serde_json::from_str(&render(&baselined_report(), Format::Sarif).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let by_resource = |id: &str| {
        results.iter().find(|r| r["locations"][0]["logicalLocations"][0]["name"] == id).cloned().unwrap_or_default()
    };
    assert_eq!(by_resource("DataBucket")["baselineState"], "unchanged");
    assert_eq!(by_resource("NewBucket")["baselineState"], "new");
    assert_eq!(by_resource("NewBucket")["properties"]["failsRun"], true);
    assert_eq!(by_resource("DataBucket")["properties"]["failsRun"], false);
    let accepted = by_resource("AcceptedBucket");
    assert_eq!(accepted["suppressions"][0]["kind"], "inSource");
    assert_eq!(accepted["suppressions"][0]["justification"], "served by CloudFront only (until 2099-01-31)");
}

// ----- JUnit ----------------------------------------------------------------------------------------

#[test]
fn junit_report() {
    insta::assert_snapshot!("junit", render(&fixed_report(), Format::Junit).unwrap());
}

#[test]
fn junit_has_a_case_per_rule_and_resource_and_failures_carry_the_fix() {
    let xml = render(&baselined_report(), Format::Junit).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert_eq!(xml.matches("<testsuite ").count(), 4, "3 rules and the inputs:\n{xml}");
    // One failure: the new one. The known one and the suppressed one are skipped.
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    assert!(xml.contains("<testcase name=\"NewBucket (examples/sam-app/template.yaml)\""), "{xml}");
    assert!(xml.contains("message=\"a new bucket without a policy\""), "{xml}");
    assert!(xml.contains("fix: Add this resource"), "{xml}");
    assert!(xml.contains("DenyPlainHttp"), "the fix's code is in the failure:\n{xml}");
    assert!(xml.contains("message=\"in the baseline: no bucket policy"), "{xml}");
    assert!(xml.contains("message=\"suppressed: served by CloudFront only\""), "{xml}");
    assert!(xml.contains("message=\"unknown: the timeout is the parameter"), "{xml}");
    assert!(xml.contains("<error message=\"mapping values are not allowed in this context\""), "{xml}");
}

#[test]
fn junit_of_a_live_audit_lists_gaps_as_skipped() {
    let xml = render(&live_report(), Format::Junit).unwrap();
    assert!(xml.contains("<testcase name=\"arn:aws:s3:::orders-data (eu-west-1, stack orders-prod)\""), "{xml}");
    assert!(xml.contains("name=\"gaps: data the audit could not read\""), "{xml}");
    assert!(xml.contains("<testcase name=\"s3 GetBucketPolicy eu-west-1 arn:aws:s3:::orders-archive\""), "{xml}");
    assert!(xml.contains("message=\"not read: Throttling: Rate exceeded\""), "{xml}");
}

// ----- Markdown -------------------------------------------------------------------------------------

#[test]
fn markdown_report() {
    insta::assert_snapshot!("markdown", render(&fixed_report(), Format::Markdown).unwrap());
}

#[test]
fn markdown_of_a_live_audit_with_gaps() {
    insta::assert_snapshot!("markdown_live", render(&live_report(), Format::Markdown).unwrap());
}

#[test]
fn markdown_says_what_the_baseline_holds() {
    let md = render(&baselined_report(), Format::Markdown).unwrap();
    assert!(md.starts_with("## sensei: ❌ 1 failing check in 1 rule"), "{md}");
    assert!(md.contains("1 known failure in the baseline does not fail the run."), "{md}");
    assert!(md.contains("1 finding of the baseline no longer fails."), "{md}");
    assert!(md.contains("1 suppressed"), "{md}");
}

// ----- HTML -----------------------------------------------------------------------------------------

/// The page without its style and script, which have tests of their own.
fn html_body(html: &str) -> String {
    let cut = |text: &str, open: &str, close: &str| -> String {
        match (text.find(open), text.find(close)) {
            (Some(a), Some(b)) if a < b => format!("{}{open}…{}", &text[..a], &text[b..]),
            _ => text.to_string(),
        }
    };
    cut(&cut(html, "<style>", "</style>"), "<script>", "</script>")
}

#[test]
fn html_report() {
    insta::assert_snapshot!("html", redact_version(&html_body(&render(&fixed_report(), Format::Html).unwrap())));
}

#[test]
fn html_uses_no_external_asset_and_allows_only_its_own_script() {
    for report in [fixed_report(), live_report(), baselined_report()] {
        let html = render(&report, Format::Html).unwrap();
        let lower = html.to_lowercase();
        for needle in ["http://", "https://", "<link", "@import", "url(", "src=", "<iframe", "<object", "<embed"] {
            assert!(!lower.contains(needle), "the page holds `{needle}`");
        }
        assert!(html.contains("default-src 'none'"), "no Content-Security-Policy");
        assert_eq!(html.matches("<script>").count(), 1);
    }
}

#[test]
fn html_script_hash_matches_the_content_security_policy() {
    let digest = sha2::Sha256::digest(sensei_report::html::SCRIPT.as_bytes());
    let hash = base64(&digest);
    assert_eq!(
        hash,
        sensei_report::html::SCRIPT_SHA256,
        "the script changed: set SCRIPT_SHA256 in crates/sensei_report/src/html.rs to \"{hash}\""
    );
    let html = render(&fixed_report(), Format::Html).unwrap();
    assert!(html.contains(&format!("script-src 'sha256-{hash}'")));
    assert!(html.contains(&format!("<script>{}</script>", sensei_report::html::SCRIPT)));
}

/// Each line of `md`, and whether it is inside a fenced code block (the fence lines included). A
/// block closes only at a fence of backticks at least as long as the one that opened it.
fn code_blocks(md: &str) -> Vec<(&str, bool)> {
    let mut open: Option<usize> = None;
    let mut out = Vec::new();
    for line in md.lines() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|c| *c == '`').count();
        match open {
            None if ticks >= 3 => {
                open = Some(ticks);
                out.push((line, true));
            }
            Some(n) if ticks >= n && trimmed.trim_end().len() == ticks => {
                open = None;
                out.push((line, true));
            }
            _ => out.push((line, open.is_some())),
        }
    }
    out
}

/// A Markdown line with its code spans (a run of backticks to the next run of the same length) cut out.
fn without_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
        let after = &rest[start + ticks..];
        let fence = "`".repeat(ticks);
        match after.find(&fence) {
            Some(end) => rest = &after[end + ticks..],
            None => {
                out.push_str(&rest[start..]);
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn html_shows_the_gaps_of_a_live_audit() {
    let html = render(&live_report(), Format::Html).unwrap();
    assert!(html.contains("Gaps: what the audit could not read"));
    assert!(html.contains("<td>GetBucketPolicy</td>"));
    assert!(html.contains("<td>global</td>"), "IAM has no region");
    assert!(html.contains("arn:aws:s3:::orders-data"));
    assert!(html.contains("eu-west-1, stack orders-prod"), "a live finding says where it lives");
    assert!(html.contains("Suppressed (config): a batch job; its timeout was reviewed"));
    assert!(!render(&fixed_report(), Format::Html).unwrap().contains("Gaps: what"), "no gaps, no section");
}

/// A message, a resource id, a fix and a file name holding markup: every format shows it as text.
#[test]
fn hostile_text_is_escaped_in_every_format() {
    let mut report = live_report();
    for finding in &mut report.findings {
        finding.message = format!("{HOSTILE} `code {HOSTILE}` | [link](javascript:alert(1))");
        finding.resource.id = format!("Res{HOSTILE}");
        if let Some(fix) = &mut finding.fix {
            fix.summary = HOSTILE.to_string();
            if let Some(snippet) = &mut fix.snippet {
                snippet.code = format!("</code></pre>{HOSTILE}\n```\n~~~");
            }
        }
    }
    report.gaps[0].message = HOSTILE.to_string();
    report.errors.push(sensei_report::InputError {
        file: format!("x{HOSTILE}.yaml"),
        line: Some(1),
        column: Some(1),
        message: HOSTILE.to_string(),
    });

    let html = render(&report, Format::Html).unwrap();
    assert!(!html.contains("<script>alert"), "a script from the input runs in the page");
    assert!(!html.contains("<img"), "markup from the input is in the page");
    assert!(html.contains("&lt;script&gt;alert("), "the hostile text is not shown escaped");
    assert!(!html.contains("</code></pre><"), "a snippet closes its block");

    let md = render(&report, Format::Markdown).unwrap();
    // Markup is allowed only where Markdown shows it as text: in code spans and code blocks.
    let lines = code_blocks(&md);
    for (line, in_block) in &lines {
        if *in_block {
            assert!(!line.contains("</details>"), "a snippet closed its code block:\n{md}");
            continue;
        }
        let outside = without_code_spans(line);
        assert!(
            !outside.contains('<')
                || outside.contains("<br>")
                || outside.contains("<details>")
                || outside.contains("</details>")
                || outside.contains("<summary>"),
            "raw markup in Markdown: {line}"
        );
        assert!(!outside.contains("<script") && !outside.contains("<img"), "raw markup in Markdown: {line}");
    }
    assert!(!md.contains("[link](javascript"), "a link from the input is live: {md}");
    assert!(lines.last().is_some_and(|(_, in_block)| !in_block), "a code block is left open:\n{md}");

    let xml = render(&report, Format::Junit).unwrap();
    assert!(!xml.contains("<script>") && !xml.contains("<img"), "raw markup in XML");

    for format in [Format::Json, Format::Sarif] {
        let value: Value = serde_json::from_str(&render(&report, format).unwrap()).unwrap();
        assert!(value.to_string().contains("alert('owned')"), "the text is kept, as JSON data");
    }
}

// ----- the JSON report's own schema -------------------------------------------------------------------

/// The published schema lets readers meet fields added later; to check that it describes every
/// field of today, each object that lists its fields is closed here.
fn closed(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> = map.iter().map(|(k, v)| (k.clone(), closed(v))).collect();
            if out.contains_key("properties")
                && out.contains_key("required")
                && !out.contains_key("additionalProperties")
            {
                out.insert("additionalProperties".to_string(), Value::Bool(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(closed).collect()),
        other => other.clone(),
    }
}

fn report_schema() -> Value {
    load_json(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/json-schema/sensei-report-1.json"))
}

#[test]
fn json_reports_are_valid_against_the_published_schema() {
    let strict = closed(&report_schema());
    let mut fail_on = fixed_report();
    fail_on.fail_on = Some(Severity::Critical);
    for (name, report) in [
        ("fixed", fixed_report()),
        ("live", live_report()),
        ("baselined", baselined_report()),
        ("fail-on", fail_on),
        ("empty", Report::default()),
    ] {
        let json: Value = serde_json::from_str(&render(&report, Format::Json).unwrap()).unwrap();
        assert_valid(&report_schema(), &json, &format!("the JSON of the {name} report"));
        assert_valid(&strict, &json, &format!("the JSON of the {name} report (every field described)"));
    }
}

#[test]
fn the_schema_rejects_what_the_contract_forbids() {
    let json: Value = serde_json::from_str(&render(&fixed_report(), Format::Json).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&report_schema()).unwrap();
    let mut bad = json.clone();
    bad["findings"][0]["status"] = Value::from("maybe");
    assert!(!validator.is_valid(&bad), "an unknown status");
    let mut bad = json.clone();
    bad["schema"] = Value::from("sensei-report/2");
    assert!(!validator.is_valid(&bad), "another schema version");
    let mut bad = json;
    bad["summary"].as_object_mut().unwrap().remove("fail");
    assert!(!validator.is_valid(&bad), "a missing field");
}

#[test]
fn json_of_a_live_audit_has_gaps_and_no_locations() {
    let json: Value = serde_json::from_str(&render(&live_report(), Format::Json).unwrap()).unwrap();
    assert_eq!(json["summary"]["gaps"], 2);
    assert_eq!(json["gaps"][0]["service"], "iam", "gaps are sorted by service");
    assert!(json["gaps"][0]["region"].is_null() && json["gaps"][0]["resource"].is_null());
    assert_eq!(json["gaps"][1]["code"], "AccessDenied");
    let findings = json["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["location"].is_null()));
    let json: Value = serde_json::from_str(&render(&baselined_report(), Format::Json).unwrap()).unwrap();
    assert_eq!(json["summary"]["baseline"], 1);
    assert_eq!(json["summary"]["fail"], 1);
    let states: Vec<&str> =
        json["findings"].as_array().unwrap().iter().filter_map(|f| f["baseline"].as_str()).collect();
    assert_eq!(states.iter().filter(|s| **s == "unchanged").count(), 1);
    assert_eq!(states.iter().filter(|s| **s == "new").count(), 2, "the new failure and the suppressed one");
}

// ----- text -----------------------------------------------------------------------------------------

#[test]
fn text_of_a_live_audit_lists_gaps_and_counts_accepted_findings() {
    let out = render(&live_report(), Format::Text).unwrap();
    assert!(out.contains("Gaps: what the audit could not read"), "{out}");
    assert!(out.contains("? iam ListRoles: Throttling: Rate exceeded"), "{out}");
    assert!(out.contains("s3 GetBucketPolicy in eu-west-1 on arn:aws:s3:::orders-archive: AccessDenied"), "{out}");
    assert!(!out.contains("nightly-export"), "a suppressed failure is listed only with --verbose:\n{out}");
    assert!(out.contains("1 fail, 0 unknown, 0 skip, 1 suppressed"), "{out}");
    assert!(out.contains("2 gaps (data the audit could not read)."), "{out}");
    let style = TextStyle { verbose: true, ..TextStyle::default() };
    let mut verbose = Vec::new();
    sensei_report::text::render(&live_report(), &mut verbose, &style).unwrap();
    let verbose = String::from_utf8(verbose).unwrap();
    assert!(verbose.contains("suppressed (config): a batch job; its timeout was reviewed"), "{verbose}");
}

#[test]
fn text_shows_the_baseline() {
    let out = render(&baselined_report(), Format::Text).unwrap();
    assert!(out.contains("✗ 1 failing check in 1 rule. 1 failure is in the baseline."), "{out}");
    assert!(out.contains("1 in the baseline"), "{out}");
    assert!(out.contains("1 finding of the baseline no longer fails"), "{out}");
    assert!(!out.contains("✗ DataBucket"), "a known failure is not listed as failing:\n{out}");
    assert!(out.contains("✗ NewBucket"), "{out}");
}

#[test]
fn text_places_a_deployed_resource_by_region_and_stack() {
    let mut out = Vec::new();
    Format::Text.render(&live_report(), &mut out, &TextStyle { verbose: true, ..TextStyle::default() }).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("eu-west-1, stack orders-prod"), "{text}");
    assert!(text.contains("arn:aws:"), "{text}");
}
