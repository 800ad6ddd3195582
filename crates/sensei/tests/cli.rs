//! The `sensei` binary end to end: discovery, exit codes, the JSON contract, and bad input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn sensei() -> Command {
    let mut cmd = Command::cargo_bin("sensei").unwrap_or_else(|e| panic!("{e}"));
    cmd.env_remove("NO_COLOR");
    cmd
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `sensei scan --format json` and returns (exit code, report).
fn scan_json(args: &[&str], dir: &Path) -> (i32, Value) {
    let out = sensei()
        .current_dir(dir)
        .arg("scan")
        .arg("--format")
        .arg("json")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    });
    (out.status.code().unwrap_or(-1), report)
}

fn findings<'a>(report: &'a Value, rule: &str, status: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .map(|a| a.iter().filter(|f| f["rule"] == rule && f["status"] == status).collect())
        .unwrap_or_default()
}

fn ids(list: &[&Value]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().filter_map(|f| f["resource"]["id"].as_str().map(str::to_string)).collect();
    v.sort();
    v
}

fn errors(report: &Value) -> Vec<(String, Option<u64>, String)> {
    report["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["file"].as_str().unwrap_or_default().to_string(),
                        e["line"].as_u64(),
                        e["message"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn examples_report_what_passes_and_what_fails() {
    let (code, report) = scan_json(&["examples"], &repo());
    assert_eq!(code, 1, "a failing finding exits 1");
    assert_eq!(errors(&report), vec![], "the examples all read");
    assert_eq!(ids(&findings(&report, "S3-001", "pass")), vec!["InvoicesBucket", "WebsiteBucket"]);
    assert_eq!(ids(&findings(&report, "S3-001", "fail")), vec!["ExportsBucket", "UploadsBucket"]);
    assert_eq!(ids(&findings(&report, "S3-003", "fail")), vec!["WebsiteBucket"]);
    assert_eq!(ids(&findings(&report, "S3-002", "fail")), vec!["WebsiteBucket"]);
    let exports =
        findings(&report, "S3-001", "fail").into_iter().find(|f| f["resource"]["id"] == "ExportsBucket").cloned();
    let exports = exports.unwrap_or_default();
    assert!(
        exports["message"].as_str().unwrap_or_default().contains("covers objects but not the bucket itself"),
        "{exports}"
    );
    assert_eq!(exports["location"]["file"], "examples/orders-sam/template.yaml");
    assert!(exports["location"]["line"].as_u64().is_some());
    let code = exports["fix"]["snippet"]["code"].as_str().unwrap_or_default();
    assert!(code.contains("!GetAtt ExportsBucket.Arn") && code.contains("!Sub '${ExportsBucket.Arn}/*'"), "{code}");
    let uploads = findings(&report, "S3-001", "fail")
        .into_iter()
        .find(|f| f["resource"]["id"] == "UploadsBucket")
        .cloned()
        .unwrap_or_default();
    assert!(
        uploads["message"]
            .as_str()
            .unwrap_or_default()
            .contains("an Allow with aws:SecureTransport true does not stop HTTP"),
        "{uploads}"
    );
    assert_eq!(uploads["fix"]["snippet"]["language"], "json");
    // package.json and the .mjs files are passed over quietly.
    let files: Vec<&str> =
        report["files"].as_array().map(|a| a.iter().filter_map(|f| f["file"].as_str()).collect()).unwrap_or_default();
    assert_eq!(files.len(), 2, "{files:?}");
}

#[test]
fn text_report_shows_source_fix_and_summary() {
    let out = sensei()
        .current_dir(repo())
        .args(["scan", "examples", "--color", "never"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "S3-001",
        "ExportsBucket",
        "examples/orders-sam/template.yaml:",
        "covers objects but not the bucket itself",
        "DenyPlainHttp",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "no colour codes when asked for none");
}

#[test]
fn exit_code_zero_when_nothing_fails() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let queues = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      ReceiveMessageWaitTimeSeconds: 20\n      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt Dlq.Arn\n        maxReceiveCount: 3\n  Dlq:\n    Type: AWS::SQS::Queue\n";
    std::fs::write(dir.path().join("ok.yaml"), queues).unwrap_or_else(|e| panic!("{e}"));
    let (code, report) = scan_json(&["ok.yaml"], dir.path());
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["fail"], 0);
}

#[test]
fn rules_and_explain() {
    let out = sensei().args(["rules", "--format", "json"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let first = &rules[0];
    for key in ["id", "slug", "title", "service", "categories", "severity", "level", "aliases"] {
        assert!(!first[key].is_null(), "rules lack {key}: {first}");
    }
    assert!(
        rules.as_array().is_some_and(|a| a.iter().any(|r| r["id"] == "S3-004")),
        "the catalog lists rules off by default too"
    );
    let out = sensei().args(["explain", "s3OnlyAllowHTTPS"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("S3-001") && text.contains("## How to fix"), "{text}");
    let out = sensei().args(["explain", "NOPE-1"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn wrong_command_exits_2() {
    let out = sensei().args(["scan", "--format", "xml"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let out = sensei()
        .args(["scan", "--select", "S3-999", "examples"])
        .current_dir(repo())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("S3-999"));
}

#[test]
fn select_turns_on_rules_off_by_default() {
    let (_, report) = scan_json(&["--select", "S3.17", "examples"], &repo());
    assert!(findings(&report, "S3-001", "fail").is_empty(), "only the selected rule runs");
    assert_eq!(ids(&findings(&report, "S3-004", "fail")).len(), 4);
}

/// One bad file of each kind beside a good one: each gives a clear error with its file (and line
/// where it has one), and the good file is still audited.
#[test]
fn bad_input_is_reported_and_the_rest_is_audited() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let write = |name: &str, body: &[u8]| std::fs::write(d.join(name), body).unwrap_or_else(|e| panic!("{e}"));
    write("good.yaml", b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n");
    write("malformed.yaml", b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n   Properties: [\n");
    write("truncated.json", b"{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"");
    let mut bomb = String::from("Resources:\n  B:\n    Type: AWS::S3::Bucket\na: &a [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = if i == 1 { "a".to_string() } else { format!("a{}", i - 1) };
        bomb.push_str(&format!(
            "a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    write("bomb.yaml", bomb.as_bytes());
    write("deep.yaml", format!("Resources: {}{}", "[".repeat(200_000), "]".repeat(200_000)).as_bytes());
    write("latin1.yaml", b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Description: caf\xe9\n");
    write("binary.yaml", &[0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 3]);
    write(
        "tag.yaml",
        b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Frobnicate x\n",
    );
    write("dupkey.yaml", b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::SQS::Queue\n");
    write("resources-list.yaml", b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  - B\n");
    write(
        "policy-shape.yaml",
        b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref B\n      PolicyDocument:\n        Statement:\n          - Effect: Maybe\n            Action: s3:*\n            Resource: '*'\n",
    );
    write(
        "cycle.yaml",
        b"Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${B}-a'\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${A}-b'\n",
    );
    let (code, report) = scan_json(&["."], d);
    assert_eq!(code, 2, "an unreadable input exits 2: {report}");
    let errs = errors(&report);
    let error_of = |file: &str| errs.iter().find(|(f, _, _)| f.ends_with(file)).cloned();
    for (file, line, needle) in [
        ("malformed.yaml", Some(4), ""),
        ("truncated.json", Some(1), ""),
        ("bomb.yaml", None, "alias"),
        ("deep.yaml", Some(1), "nesting"),
        ("latin1.yaml", Some(4), "UTF-8"),
        ("tag.yaml", Some(5), "Frobnicate"),
        ("dupkey.yaml", Some(4), "line 2"),
        ("resources-list.yaml", Some(3), "Resources"),
        ("policy-shape.yaml", Some(9), "Effect"),
        ("cycle.yaml", None, "cycle"),
    ] {
        let Some((_, got_line, message)) = error_of(file) else { panic!("no error for {file}: {errs:#?}") };
        if let Some(line) = line {
            assert_eq!(got_line, Some(line), "{file}: {message}");
        }
        assert!(message.contains(needle), "{file}: {message}");
    }
    // The binary file in a folder is passed over, as any non-template.
    assert!(error_of("binary.yaml").is_none());
    // The good file is audited, and so are the resources of files with non-fatal problems.
    let audited: Vec<&str> =
        report["files"].as_array().map(|a| a.iter().filter_map(|f| f["file"].as_str()).collect()).unwrap_or_default();
    assert!(audited.iter().any(|f| f.ends_with("good.yaml")), "{audited:?}");
    assert!(audited.iter().any(|f| f.ends_with("cycle.yaml")), "{audited:?}");
    // A binary file named explicitly is an error.
    let (code, report) = scan_json(&["binary.yaml", "good.yaml"], d);
    assert_eq!(code, 2);
    assert!(errors(&report).iter().any(|(f, _, m)| f.ends_with("binary.yaml") && m.contains("binary")), "{report}");
}

#[test]
fn a_named_file_that_is_not_a_template_is_an_error() {
    let (code, report) = scan_json(&["examples/orders-sam/package.json"], &repo());
    assert_eq!(code, 2);
    assert!(errors(&report).iter().any(|(_, _, m)| m.contains("not a CloudFormation template")), "{report}");
}

#[test]
fn generated_templates_are_found_even_when_gitignored() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let tpl = b"{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}";
    for sub in [".serverless", "cdk.out", "ignored"] {
        std::fs::create_dir_all(d.join(sub)).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(d.join(".gitignore"), ".serverless/\ncdk.out/\nignored/\n").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(d.join(".serverless/cloudformation-template-update-stack.json"), tpl)
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(d.join("cdk.out/App.template.json"), tpl).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(d.join("cdk.out/manifest.json"), b"{\"Resources\": 1}").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(d.join("ignored/t.json"), tpl).unwrap_or_else(|e| panic!("{e}"));
    let (_, report) = scan_json(&[], d);
    let mut files: Vec<String> = report["files"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["file"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files[0].contains(".serverless") && files[1].contains("cdk.out"), "{files:?}");
    let kinds: Vec<&str> =
        report["files"].as_array().map(|a| a.iter().filter_map(|f| f["kind"].as_str()).collect()).unwrap_or_default();
    assert!(kinds.contains(&"serverless-framework") && kinds.contains(&"cdk"), "{kinds:?}");
    assert_eq!(errors(&report), vec![]);
}
