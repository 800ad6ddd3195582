//! `sensei.toml` read from real files: discovery upward, errors at their line, and the merge with
//! the command line's flags. Checked against the real rule catalog, whatever it holds today.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use sensei::config::{Config, ConfigError, discover, is_selector, load, merge, unknown_suppressions};
use sensei_model::{Date, Location, ResourceRef, ResourceType, Suppression, Syntax};
use sensei_rules::{ALL, ResourceIgnore, Selection};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn error_lines(e: &ConfigError) -> Vec<String> {
    e.to_string().lines().map(str::to_string).collect()
}

#[test]
fn the_documented_example_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "sensei.toml",
        r#"
select = ["s3", "security"]
ignore = ["S3-004"]
level = 3

[[ignores]]
rule = "S3-001"
resource = "Legacy*"
reason = "decommissioned in Q3"

[[ignores]]
resource = "arn:aws:s3:::scratch-*"
reason = "scratch space, emptied nightly"
"#,
    );
    let config = load(&path).unwrap();
    assert_eq!(config.path, path);
    assert_eq!(config.select, ["s3", "security"]);
    assert_eq!(config.ignore, ["S3-004"]);
    assert_eq!(config.level, Some(3));
    assert_eq!(
        config.ignores[0],
        ResourceIgnore {
            rule: Some("S3-001".into()),
            resource: "Legacy*".into(),
            reason: "decommissioned in Q3".into()
        }
    );
    assert_eq!(config.ignores[1].rule, None);
    let context = config.context(Date { year: 2026, month: 3, day: 1 });
    assert_eq!(context.ignores, config.ignores);
    assert_eq!(context.today.to_string(), "2026-03-01");
}

#[test]
fn errors_name_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "sensei.toml",
        "# team settings\nselect = [\"s3\"]\nignore = [\"S3-004\", \"no-such-rule\"]\nlevel = \"high\"\ncolour = true\n\n[[ignores]]\nresource = \"Legacy*\"\n",
    );
    let e = load(&path).unwrap_err();
    let file = path.display();
    assert_eq!(
        error_lines(&e),
        [
            format!(
                "{file}:3:21: in `ignore`: `no-such-rule` names no rule, alias, service or category (see `sensei rules`)"
            ),
            format!("{file}:4:9: `level` must be an integer from 1 to 5, found \"high\""),
            format!(
                "{file}:5:1: unknown key `colour` (the keys are `select`, `ignore`, `level`, `rules` and `ignores`)"
            ),
            format!("{file}:7:1: `ignores` entry 1 has no `reason`: say why these findings are accepted"),
        ]
    );
    match e {
        ConfigError::Invalid { problems, .. } => assert_eq!((problems[0].line, problems[0].column), (3, 21)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_rule_option_is_checked_against_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    // A rule without options: any key is unknown.
    let plain = ALL.iter().find(|r| r.meta.options.is_empty()).unwrap();
    let path =
        write(dir.path(), "plain.toml", &format!("[rules.{}]\nmax_memory_mb = 2048\n", plain.meta.slug.to_uppercase()));
    let e = load(&path).unwrap_err();
    assert_eq!(
        error_lines(&e),
        [format!("{}:2:1: rule {} has no option `max_memory_mb` (it has none)", path.display(), plain.meta.id)]
    );
    let path = write(dir.path(), "unknown.toml", "[rules.S3-999]\nx = 1\n");
    assert_eq!(
        error_lines(&load(&path).unwrap_err()),
        [format!("{}:1:8: `[rules.S3-999]`: `S3-999` names no rule (see `sensei rules`)", path.display())]
    );
    // A rule with options, when the catalog has one: by alias or slug, stored by id.
    if let Some(rule) = ALL.iter().find(|r| !r.meta.options.is_empty()) {
        let option = &rule.meta.options[0];
        let name = rule.meta.aliases.first().copied().unwrap_or(rule.meta.slug);
        let path = write(dir.path(), "options.toml", &format!("[rules.\"{name}\"]\n{} = 7\n", option.key));
        let config = load(&path).unwrap();
        assert_eq!(config.options.get(&(rule.meta.id.to_string(), option.key.to_string())), Some(&7));
        assert_eq!(config.context(Date::today()).option(rule, option.key), 7);
        let path = write(dir.path(), "typed.toml", &format!("[rules.{}]\n{} = 1.5\n", rule.meta.id, option.key));
        let lines = error_lines(&load(&path).unwrap_err());
        assert!(lines[0].contains(":2:") && lines[0].contains("must be an integer"), "{lines:?}");
    }
}

#[test]
fn a_missing_file_is_a_read_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = load(&dir.path().join("sensei.toml")).unwrap_err();
    assert!(matches!(e, ConfigError::Read { .. }));
    assert!(e.to_string().contains("cannot read the configuration"), "{e}");
}

#[test]
fn discovery_looks_upward_and_stops_at_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let deep = root.join("repo/services/orders/src");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::create_dir_all(root.join("repo/.git")).unwrap();

    // Above the repository: not found, the search stops at the folder holding `.git`.
    write(root, "sensei.toml", "");
    assert_eq!(discover(&deep), None);

    // At the top of the repository: found (that folder is checked before stopping).
    let top = write(root, "repo/sensei.toml", "");
    assert_eq!(discover(&deep), Some(top.clone()));
    assert_eq!(discover(&root.join("repo")), Some(top));

    // The nearest wins.
    let near = write(root, "repo/services/sensei.toml", "");
    assert_eq!(discover(&deep), Some(near));

    // Outside any repository the search goes on to the root; a folder named sensei.toml is no file.
    let plain = root.join("plain/a/b");
    std::fs::create_dir_all(plain.join("sensei.toml")).unwrap();
    assert_eq!(discover(&plain), Some(root.join("sensei.toml")));
}

#[test]
fn a_relative_start_is_taken_from_the_current_folder() {
    // `.` is never the end of the search: its ancestors are looked at too.
    let found = discover(Path::new("."));
    if let Some(path) = found {
        assert!(path.is_absolute(), "{}", path.display());
    }
}

#[test]
fn merged_selections_run_the_rules_the_file_and_flags_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "sensei.toml", "select = [\"s3\"]\nignore = [\"S3-004\"]\n");
    let config = load(&path).unwrap();
    let ids = |s: &Selection| s.rules().unwrap().iter().map(|r| r.meta.id).collect::<Vec<_>>();

    let s3 = |ids: &[&str]| ids.iter().all(|id| id.starts_with("S3-"));
    let from_file = ids(&merge(Some(&config), &Selection::default()));
    assert!(s3(&from_file) && from_file.contains(&"S3-001") && !from_file.contains(&"S3-004"), "{from_file:?}");

    // --ignore adds to the file's ignore.
    let cli = Selection { ignore: vec!["S3-001".into()], ..Selection::default() };
    let both = ids(&merge(Some(&config), &cli));
    assert!(!both.contains(&"S3-001") && !both.contains(&"S3-004") && both.contains(&"S3-002"), "{both:?}");

    // --select replaces the file's select; naming a rule the file ignores runs it.
    let cli = Selection { select: vec!["S3-004".into()], ..Selection::default() };
    assert_eq!(ids(&merge(Some(&config), &cli)), ["S3-004"]);

    // --level replaces the file's level.
    let config = Config { level: Some(5), ..config };
    let cli = Selection { level: Some(1), ..Selection::default() };
    assert_eq!(merge(Some(&config), &cli).level, Some(1));
    assert_eq!(merge(Some(&config), &Selection::default()).level, Some(5));
}

#[test]
fn template_suppressions_naming_no_rule_are_found_once() {
    let location = |line| Some(Location { file: "t.yaml".into(), line, column: 9 });
    let suppression = |rule: &str, line| Suppression {
        rule: rule.into(),
        reason: "r".into(),
        expires: None,
        location: location(line),
    };
    let resource = |id: &str, generated_from: Option<&str>| ResourceRef {
        id: id.into(),
        resource_type: ResourceType::new("AWS::S3::Bucket"),
        location: None,
        generated_from: generated_from.map(str::to_string),
        syntax: Syntax::Yaml,
        suppressions: vec![suppression("S3-001", 4), suppression("S3-0001", 6), suppression("security", 8)],
        live: None,
    };
    let resources = [resource("Fn", None), resource("FnRole", Some("Fn"))];
    let unknown = unknown_suppressions(&resources);
    assert_eq!(
        unknown,
        [(
            location(6),
            "the suppression on `Fn` names `S3-0001`, which is no rule, alias, service or category (see `sensei rules`)"
                .to_string()
        )]
    );
    assert!(is_selector("s3onlyallowhttps") && is_selector("ALL") && is_selector("S3") && !is_selector("S3-0001"));
}

#[test]
fn findings_are_suppressed_by_the_template_and_by_the_file() {
    let template = "Resources:
  Kept:
    Type: AWS::S3::Bucket
    Metadata:
      sensei:
        ignore:
          - {rule: s3OnlyAllowHTTPS, reason: behind CloudFront, expires: 2027-06-30}
  Expired:
    Type: AWS::S3::Bucket
    Metadata: {sensei: {ignore: [{rule: S3-001, reason: was temporary, expires: 2025-01-01}]}}
  LegacyLogs: {Type: AWS::S3::Bucket}
  Other: {Type: AWS::S3::Bucket}
";
    let read = sensei_template::read("t.yaml", template, &sensei_template::Options::default()).unwrap();
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "sensei.toml",
        "[[ignores]]\nrule = \"S3-001\"\nresource = \"Legacy*\"\nreason = \"decommissioned in Q3\"\n",
    );
    let config = load(&path).unwrap();
    let rule = sensei_rules::find("S3-001").unwrap();
    let context = config.context(Date { year: 2026, month: 6, day: 1 });
    let findings = sensei_rules::check(&read.inventory, &[rule], &context);
    let verdict = |id: &str| {
        let f = findings.iter().find(|f| f.resource.id == id).unwrap();
        (f.status, f.suppressed.as_ref().map(|s| (s.source, s.reason.as_str())))
    };
    use sensei_rules::Status::Fail;
    assert_eq!(verdict("Kept"), (Fail, Some(("template", "behind CloudFront"))));
    assert_eq!(verdict("Expired"), (Fail, None));
    assert_eq!(verdict("LegacyLogs"), (Fail, Some(("config", "decommissioned in Q3"))));
    assert_eq!(verdict("Other"), (Fail, None));
    assert!(unknown_suppressions(findings.iter().map(|f| &f.resource)).is_empty());
}

/// The first code block opened with `fence` after the text `after` in `docs/configuration.md`.
fn doc_block(after: &str, fence: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/configuration.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let rest = &doc[doc.find(after).unwrap()..];
    let open = rest.find(fence).unwrap() + fence.len() + 1;
    let close = rest[open..].find("```").unwrap();
    rest[open..open + close].to_string()
}

/// The full example of `docs/configuration.md` is valid, but for rules the catalog may not have yet.
#[test]
fn the_documented_example_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "sensei.toml", &doc_block("### A full example", "```toml"));
    if let Err(e) = load(&path) {
        for line in error_lines(&e) {
            assert!(line.contains("names no rule"), "{line}");
        }
    }
}

/// The erroneous file and the errors that `docs/configuration.md` shows.
#[test]
fn the_documented_errors_are_the_real_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "sensei.toml", &doc_block("For this file:", "```toml"));
    let shown = load(&path).unwrap_err().to_string().replace(&path.display().to_string(), "sensei.toml");
    assert_eq!(format!("error: {shown}\n"), doc_block("sensei says:", "```text"));
}
