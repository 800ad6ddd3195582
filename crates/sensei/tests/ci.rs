//! sensei in CI: every format from the command line (`--format`, `--output FORMAT=FILE`), real
//! reports against the JSON and SARIF schemas, exit codes with `--fail-on` and `--no-fail`,
//! baselines that survive moved lines, colours, and the GitHub Action's and pre-commit hook's
//! commands run as those tools run them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

fn sensei() -> Command {
    let mut cmd = Command::cargo_bin("sensei").unwrap();
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env("SENSEI_TODAY", "2026-06-01");
    cmd
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The rules of the examples' expectations: other rules come and go, these three stay.
const S3_RULES: &str = "S3-001,S3-002,S3-003";

fn run(dir: &Path, args: &[&str]) -> Output {
    sensei().current_dir(dir).args(args).output().unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn load(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::options().should_validate_formats(true).build(schema).unwrap();
    let problems: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(problems.is_empty(), "{what} is not valid:\n{}", problems.join("\n"));
}

const FAILING: &str = "\
Resources:
  DataBucket:
    Type: AWS::S3::Bucket
";

/// A template with one bucket that fails S3-001 (no policy); more buckets with `extra`.
fn write_template(dir: &Path, name: &str, prefix: &str, extra: &[&str]) {
    let mut text = format!("{prefix}{FAILING}");
    for bucket in extra {
        text.push_str(&format!("  {bucket}:\n    Type: AWS::S3::Bucket\n"));
    }
    std::fs::write(dir.join(name), text).unwrap();
}

fn statuses(report: &Value, rule: &str) -> Vec<(String, String, Value)> {
    let mut v: Vec<(String, String, Value)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule && f["status"] == "fail")
        .map(|f| (f["resource"]["id"].as_str().unwrap().to_string(), f["status"].to_string(), f["baseline"].clone()))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

// ----- formats ---------------------------------------------------------------------------------------

#[test]
fn every_format_at_once_and_real_reports_match_their_schemas() {
    let out = tempfile::tempdir().unwrap();
    let file = |name: &str| out.path().join(name);
    let output = run(
        &repo(),
        &[
            "scan",
            "examples",
            "--select",
            S3_RULES,
            "--format",
            "json",
            "--output",
            &format!("sarif={}", file("r.sarif").display()),
            "--output",
            &format!("junit={}", file("r.xml").display()),
            "--output",
            &format!("markdown={}", file("r.md").display()),
            "--output",
            &format!("html={}", file("r.html").display()),
            "--output",
            &format!("text={}", file("r.txt").display()),
            "--output",
            &format!("json={}", file("r.json").display()),
        ],
    );
    assert_eq!(code(&output), 1, "{}", String::from_utf8_lossy(&output.stderr));
    let report = json(&output);
    assert_eq!(load(&file("r.json")), report, "the file and standard output hold the same report");

    let report_schema = load(&repo().join("docs/json-schema/sensei-report-1.json"));
    assert_valid(&report_schema, &report, "the JSON report of the examples");
    let sarif_schema = load(&repo().join("crates/sensei_report/tests/schemas/sarif-schema-2.1.0.json"));
    let sarif = load(&file("r.sarif"));
    assert_valid(&sarif_schema, &sarif, "the SARIF of the examples");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len() as u64, report["summary"]["fail"].as_u64().unwrap());
    assert!(results.iter().all(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() > Some(0)));

    let xml = std::fs::read_to_string(file("r.xml")).unwrap();
    assert!(xml.contains("<testsuite name=\"S3-001 bucket-allows-plain-http\""), "{xml}");
    assert_eq!(xml.matches("<failure ").count() as u64, report["summary"]["fail"].as_u64().unwrap());
    let md = std::fs::read_to_string(file("r.md")).unwrap();
    assert!(md.starts_with("## sensei: ❌"), "{md}");
    assert!(md.contains("### Top fixes"));
    let html = std::fs::read_to_string(file("r.html")).unwrap();
    assert!(html.starts_with("<!doctype html>") && html.contains("ExportsBucket"));
    assert!(!html.contains("https://") && !html.contains("http://"));
    let text = std::fs::read_to_string(file("r.txt")).unwrap();
    assert!(text.contains("S3-001") && !text.contains('\u{1b}'), "text files are never coloured");
}

#[test]
fn each_format_on_standard_output() {
    for (format, start) in [
        ("sarif", "{"),
        ("junit", "<?xml"),
        ("markdown", "## sensei"),
        ("md", "## sensei"),
        ("html", "<!doctype html>"),
        ("json", "{"),
        ("text", "\u{1b}[1mS3-"),
    ] {
        let output = run(&repo(), &["scan", "examples", "--select", S3_RULES, "--format", format, "--color", "always"]);
        assert_eq!(code(&output), 1, "--format {format}");
        let out = String::from_utf8(output.stdout).unwrap();
        assert!(out.starts_with(start), "--format {format} starts with {:?}", out.get(..40));
        if format != "text" {
            assert!(!out.contains('\u{1b}'), "--format {format} holds escape codes");
        }
    }
}

#[test]
fn a_wrong_output_is_a_wrong_command() {
    let output = run(&repo(), &["scan", "examples", "--output", "xml=r.xml"]);
    assert_eq!(code(&output), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("`xml` is not a format"));
    let output = run(&repo(), &["scan", "examples", "--output", "sarif"]);
    assert_eq!(code(&output), 2);
    let output = run(&repo(), &["scan", "examples", "--output", "sarif=/nonexistent-folder/r.sarif"]);
    assert_eq!(code(&output), 2, "an output that cannot be written");
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write"));
}

// ----- exit codes ------------------------------------------------------------------------------------

#[test]
fn fail_on_decides_which_failures_fail_the_run() {
    // The examples fail a critical rule (S3-003) and high ones (S3-001, S3-002).
    for (args, expected) in [
        (&["--fail-on", "critical"][..], 1),
        (&["--fail-on", "info"][..], 1),
        (&["--select", "S3-001", "--fail-on", "high"][..], 1),
        (&["--select", "S3-001", "--fail-on", "critical"][..], 0),
        (&["--no-fail"][..], 0),
        (&["--select", "S3-001", "--level", "1"][..], 0),
    ] {
        let mut all = vec!["scan", "examples", "--format", "json"];
        if !args.contains(&"--select") {
            all.extend(["--select", S3_RULES]);
        }
        all.extend_from_slice(args);
        let output = run(&repo(), &all);
        assert_eq!(code(&output), expected, "{args:?}");
        let report = json(&output);
        if args.contains(&"critical") && args.contains(&"S3-001") {
            assert!(report["summary"]["fail"].as_u64() > Some(0), "failures below --fail-on are still reported");
        }
    }
    let output = run(&repo(), &["scan", "examples", "--fail-on", "severe"]);
    assert_eq!(code(&output), 2);
}

#[test]
fn no_fail_keeps_errors() {
    let dir = tempfile::tempdir().unwrap();
    write_template(dir.path(), "t.yaml", "", &[]);
    std::fs::write(dir.path().join("broken.yaml"), "Resources:\n  B:\n    Type: AWS::S3::Bucket\n   Properties: [\n")
        .unwrap();
    let output = run(dir.path(), &["scan", "--no-fail", "--format", "json"]);
    assert_eq!(code(&output), 2, "an unreadable input exits 2 even with --no-fail");
    assert_eq!(json(&output)["summary"]["errors"], 1);
}

// ----- baselines -------------------------------------------------------------------------------------

#[test]
fn a_baseline_fails_only_on_new_findings_even_when_lines_move() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("stacks")).unwrap();
    write_template(&d.join("stacks"), "app.yaml", "", &[]);
    let output = run(d, &["baseline", "--select", "S3-001", "--output", "sensei-baseline.json"]);
    assert_eq!(code(&output), 0, "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("wrote 1 failing finding to sensei-baseline.json"));
    let baseline = load(&d.join("sensei-baseline.json"));
    assert_eq!(baseline["schema"], "sensei-baseline/1");
    assert_eq!(baseline["findings"][0]["rule"], "S3-001");
    assert_eq!(baseline["findings"][0]["resource"], "DataBucket");
    assert_eq!(baseline["findings"][0]["file"], "stacks/app.yaml");
    assert!(baseline["findings"][0].get("line").is_none(), "no line: it would break when lines move");

    // Nothing new: the known failure is reported, and does not fail the run.
    let output = run(d, &["scan", "--select", "S3-001", "--baseline", "sensei-baseline.json", "--format", "json"]);
    assert_eq!(code(&output), 0);
    let report = json(&output);
    assert_eq!(statuses(&report, "S3-001"), [("DataBucket".into(), "\"fail\"".into(), Value::from("unchanged"))]);
    assert_eq!(report["summary"]["baseline"], 1);
    assert_eq!(report["summary"]["fail"], 0);

    // Lines move and a new failing bucket appears: only the new one fails the run.
    write_template(&d.join("stacks"), "app.yaml", "# a comment\n\nDescription: moved down\n", &["NewBucket"]);
    let output = run(d, &["scan", "--select", "S3-001", "--baseline", "sensei-baseline.json", "--format", "json"]);
    assert_eq!(code(&output), 1);
    let report = json(&output);
    assert_eq!(
        statuses(&report, "S3-001"),
        [
            ("DataBucket".into(), "\"fail\"".into(), Value::from("unchanged")),
            ("NewBucket".into(), "\"fail\"".into(), Value::from("new")),
        ]
    );

    // From another folder, naming the files another way, the baseline still matches.
    let output = sensei()
        .current_dir(d.join("stacks"))
        .args(["scan", "app.yaml", "--select", "S3-001", "--baseline", "../sensei-baseline.json", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    let sarif = json(&output);
    let states: Vec<&str> =
        sarif["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["baselineState"].as_str().unwrap()).collect();
    assert_eq!(states.iter().filter(|s| **s == "unchanged").count(), 1, "{states:?}");
    assert_eq!(states.iter().filter(|s| **s == "new").count(), 1, "{states:?}");

    // The text report says what the baseline holds; a fixed finding is noticed.
    write_template(&d.join("stacks"), "app.yaml", "", &[]);
    std::fs::write(d.join("stacks/app.yaml"), "Resources:\n  DataBucket:\n    Type: AWS::SQS::Queue\n").unwrap();
    let output = run(d, &["scan", "--select", "S3-001", "--baseline", "sensei-baseline.json", "--color", "never"]);
    assert_eq!(code(&output), 0);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("1 finding of the baseline no longer fails"), "{text}");
}

#[test]
fn a_bad_baseline_is_a_wrong_command_and_no_report_is_written() {
    let dir = tempfile::tempdir().unwrap();
    write_template(dir.path(), "t.yaml", "", &[]);
    for (content, needle) in [
        (None, "cannot read the baseline"),
        (Some("not json"), "is not JSON"),
        (Some("{\"findings\": []}"), "has no `schema`"),
        (Some("{\"schema\": \"sensei-baseline/9\", \"findings\": []}"), "sensei-baseline/9"),
        (Some("{\"schema\": \"sensei-baseline/1\", \"findings\": 3}"), "malformed"),
    ] {
        if let Some(content) = content {
            std::fs::write(dir.path().join("b.json"), content).unwrap();
        } else {
            std::fs::remove_file(dir.path().join("b.json")).ok();
        }
        let output = run(dir.path(), &["scan", "--baseline", "b.json", "--format", "json"]);
        assert_eq!(code(&output), 2, "{needle}");
        assert!(output.stdout.is_empty(), "a report was written for a wrong command");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(needle),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn a_baseline_of_an_audit_with_unreadable_inputs_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    write_template(dir.path(), "t.yaml", "", &[]);
    std::fs::write(dir.path().join("broken.json"), "{\"Resources\": {").unwrap();
    let output = run(dir.path(), &["baseline", "--select", "S3-001", "-o", "b.json"]);
    assert_eq!(code(&output), 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.json") && stderr.contains("does not cover them"), "{stderr}");
    assert_eq!(load(&dir.path().join("b.json"))["findings"].as_array().map(Vec::len), Some(1));
}

// ----- colours ---------------------------------------------------------------------------------------

#[test]
fn colours_follow_the_terminal_no_color_and_the_flag() {
    let text = |args: &[&str], no_color: Option<&str>| {
        let mut cmd = sensei();
        cmd.current_dir(repo()).args(["scan", "examples"]).args(args);
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    assert!(!text(&[], None).contains('\u{1b}'), "not a terminal: no colour");
    assert!(text(&["--color", "always"], None).contains("\u{1b}["), "--color always colours");
    assert!(text(&["--color", "always"], Some("1")).contains("\u{1b}["), "the flag wins over NO_COLOR");
    assert!(!text(&["--color", "never"], None).contains('\u{1b}'));
    assert!(!text(&[], Some("1")).contains('\u{1b}'));
}

// ----- the GitHub Action and the pre-commit hook -------------------------------------------------------

/// The `run: |` block of the step with `id: {id}` in action.yml.
fn action_script(id: &str) -> String {
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let lines: Vec<&str> = action.lines().collect();
    let step = lines.iter().position(|l| l.trim() == format!("id: {id}")).unwrap();
    let run = step + lines[step..].iter().position(|l| l.trim() == "run: |").unwrap();
    let indent = lines[run].len() - lines[run].trim_start().len() + 2;
    lines[run + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= indent)
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_github_action_scan_step_runs_as_the_runner_runs_it() {
    let script = action_script("scan");
    let temp = tempfile::tempdir().unwrap();
    let t = temp.path();
    let sensei = assert_cmd::cargo::cargo_bin("sensei");
    let run_step = |args: &str, sarif: &str| {
        std::fs::write(t.join("step-summary.md"), "").unwrap();
        std::fs::write(t.join("output.txt"), "").unwrap();
        let output = std::process::Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .current_dir(repo())
            .env("SENSEI", &sensei)
            .env("SENSEI_PATHS", "examples/orders-sam examples/media-cloudformation")
            .env("SENSEI_ARGS", args)
            .env("SENSEI_SARIF", sarif)
            .env("SENSEI_HTML", t.join("report.html"))
            .env("SENSEI_JUNIT", "")
            .env("SENSEI_SUMMARY", "true")
            .env("RUNNER_TEMP", t)
            .env("GITHUB_STEP_SUMMARY", t.join("step-summary.md"))
            .env("GITHUB_OUTPUT", t.join("output.txt"))
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        assert!(output.status.success(), "the step failed: {}", String::from_utf8_lossy(&output.stderr));
        std::fs::read_to_string(t.join("output.txt")).unwrap()
    };
    let sarif = t.join("sensei.sarif");
    assert_eq!(run_step(&format!("--select {S3_RULES}"), sarif.to_str().unwrap()).trim(), "exit-code=1");
    assert!(load(&sarif)["runs"][0]["results"].as_array().is_some_and(|r| !r.is_empty()));
    assert!(std::fs::read_to_string(t.join("step-summary.md")).unwrap().starts_with("## sensei"));
    assert!(t.join("report.html").is_file());
    assert_eq!(run_step("--select S3-001 --fail-on critical", "").trim(), "exit-code=0");
    assert_eq!(run_step("--no-such-option", "").trim(), "exit-code=2");
    // An input with shell syntax stays a word.
    assert_eq!(run_step("--select $(touch${IFS}owned)", "").trim(), "exit-code=2");
    assert!(!repo().join("owned").exists());
}

#[test]
fn the_pre_commit_hook_entry_audits_the_repository() {
    let hooks = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    let entry = hooks.lines().find_map(|l| l.trim().strip_prefix("entry: ")).unwrap();
    assert!(hooks.contains("pass_filenames: false"), "the hook audits the whole repository");
    let mut words: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(words[0], "sensei");
    // As `args:` in a pre-commit config would add them.
    words.extend(["--select", "S3-001"]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("docker-compose.yml"), "services:\n  web:\n    image: nginx\n").unwrap();
    std::fs::write(dir.path().join("ok.yaml"), "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n").unwrap();
    let output = sensei().current_dir(dir.path()).args(&words[1..]).output().unwrap();
    assert_eq!(code(&output), 0, "{}", String::from_utf8_lossy(&output.stdout));
    write_template(dir.path(), "bad.yaml", "", &[]);
    let output = sensei().current_dir(dir.path()).args(&words[1..]).output().unwrap();
    assert_eq!(code(&output), 1);
    let output = sensei().current_dir(dir.path()).args(&words[1..]).args(["--fail-on", "critical"]).output().unwrap();
    assert_eq!(code(&output), 0, "hook args reach sensei");
}
