//! Every rule over its fixtures, and the registry checked against the rule files.
//!
//! `tests/fixtures/<service>/<slug>/{pass,fail,unknown}*.{yaml,json}`: a pass file must give at
//! least one pass and no fail or unknown; a fail file at least one fail; an unknown file at least
//! one unknown and no pass. The findings of all fixtures are snapshotted one line each.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sensei_rules::{ALL, Rule, Status};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures_of(rule: &Rule) -> Vec<PathBuf> {
    let dir = crate_dir().join("tests/fixtures").join(rule.meta.service.as_str()).join(rule.meta.slug);
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.sort();
    files
}

/// The findings of `rule` on one fixture, one line each: `S3-001 fail Target (file:4:5) message`.
fn run(rule: &'static Rule, path: &Path) -> Vec<(Status, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let read = sensei_template::read(name, &text, &sensei_template::Options::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(read.diagnostics.is_empty(), "{}: {:?}", path.display(), read.diagnostics);
    sensei_rules::check(&read.inventory, &[rule], &sensei_rules::Context::default())
        .into_iter()
        .map(|f| {
            let at = f.location.map(|l| format!(" ({}:{}:{})", l.file, l.line, l.column)).unwrap_or_default();
            (f.status, format!("{} {} {}{} {}", f.rule.id, f.status, f.resource.id, at, f.message))
        })
        .collect()
}

#[test]
fn every_rule_meets_its_fixtures() {
    // One snapshot per service, so that work on different services touches different files.
    let mut snapshots: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    for rule in ALL.iter() {
        let snapshot = snapshots.entry(rule.meta.service.as_str()).or_default();
        let fixtures = fixtures_of(rule);
        let stems: Vec<String> = fixtures.iter().filter_map(|p| p.file_name()?.to_str().map(str::to_string)).collect();
        if rule.meta.needs_live_data {
            // Templates lack the data: the rule says so on every resource it would look at.
            assert!(stems.iter().any(|s| s.starts_with("skip")), "{}: no skip fixture", rule.meta.id);
        } else {
            assert!(stems.iter().any(|s| s.starts_with("pass")), "{}: no pass fixture", rule.meta.id);
            assert!(stems.iter().any(|s| s.starts_with("fail")), "{}: no fail fixture", rule.meta.id);
        }
        for (path, stem) in fixtures.iter().zip(&stems) {
            let findings = run(rule, path);
            let count = |s: Status| findings.iter().filter(|(st, _)| *st == s).count();
            let (pass, fail, unknown) = (count(Status::Pass), count(Status::Fail), count(Status::Unknown));
            let lines: Vec<&str> = findings.iter().map(|(_, l)| l.as_str()).collect();
            if stem.starts_with("pass") {
                assert!(pass > 0 && fail == 0 && unknown == 0, "{stem}: {lines:#?}");
            } else if stem.starts_with("fail") {
                assert!(fail > 0, "{stem}: {lines:#?}");
            } else if stem.starts_with("unknown") {
                assert!(unknown > 0 && pass == 0, "{stem}: {lines:#?}");
            } else if stem.starts_with("skip") {
                let skip = count(Status::Skip);
                assert!(skip > 0 && pass == 0 && fail == 0, "{stem}: {lines:#?}");
            } else {
                panic!("{}: fixture names start with pass, fail, unknown or skip", path.display());
            }
            for line in lines {
                let _ = writeln!(snapshot, "{line}");
            }
        }
    }
    for (service, snapshot) in snapshots {
        insta::assert_snapshot!(format!("fixtures_{service}"), snapshot);
    }
}

/// The public corpus (`../shared/corpus/public`, or `SENSEI_CORPUS`); empty when it is absent.
fn corpus_templates() -> Vec<PathBuf> {
    let dir = std::env::var_os("SENSEI_CORPUS")
        .map_or_else(|| crate_dir().join("../../../shared/corpus/public"), PathBuf::from);
    let mut files = Vec::new();
    let mut dirs = vec![dir];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| ["yaml", "yml", "json", "template"].iter().any(|x| e == *x)) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A rule gives the same findings when every fact of a live account it does not declare
/// (`RuleMeta::reads`) is forgotten, as the live audit leaves the facts no selected rule uses: on
/// its fixtures and on every template of the public corpus.
#[test]
fn rules_declare_the_facts_they_use() {
    let context = sensei_rules::Context::default();
    let mut failures = Vec::new();
    let corpus: Vec<(PathBuf, sensei_rules::Inventory)> = corpus_templates()
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let read = sensei_template::read("t", &text, &sensei_template::Options::default()).ok()?;
            Some((path, read.inventory))
        })
        .collect();
    assert!(corpus.len() > 200, "{} corpus templates read: set SENSEI_CORPUS", corpus.len());
    for rule in ALL.iter() {
        let keep: sensei_rules::Facts = rule.meta.reads.iter().copied().collect();
        let fixtures = fixtures_of(rule).into_iter().filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let read = sensei_template::read("f", &text, &sensei_template::Options::default()).ok()?;
            Some((path, read.inventory))
        });
        for (path, inventory) in fixtures.chain(corpus.iter().cloned()) {
            let mut forgotten = inventory.clone();
            forgotten.forget_facts_except(keep);
            let lines = |inventory: &sensei_rules::Inventory| -> Vec<String> {
                sensei_rules::check(inventory, &[rule], &context)
                    .into_iter()
                    .map(|f| format!("{} {} {} {:?}", f.status, f.resource.id, f.message, f.fix))
                    .collect()
            };
            let (all, declared) = (lines(&inventory), lines(&forgotten));
            if all != declared {
                failures.push(format!(
                    "{} on {}:\n  all facts: {all:?}\n  declared:  {declared:?}",
                    rule.meta.id,
                    path.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "rules use facts they do not declare:\n{}", failures.join("\n"));
}

#[test]
fn failing_findings_carry_a_fix_with_code() {
    for rule in ALL.iter() {
        for path in fixtures_of(rule) {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let Ok(read) = sensei_template::read("f", &text, &sensei_template::Options::default()) else { continue };
            for f in sensei_rules::check(&read.inventory, &[rule], &sensei_rules::Context::default()) {
                if f.status == Status::Fail {
                    let fix = f.fix.unwrap_or_else(|| panic!("{}: fail without a fix", path.display()));
                    assert!(!fix.summary.is_empty());
                    assert!(fix.snippet.is_some_and(|s| !s.code.is_empty()), "{}", path.display());
                }
            }
        }
    }
}

#[test]
fn registry_is_consistent() {
    let ids: Vec<&str> = ALL.iter().map(|r| r.meta.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "the registry is sorted by id");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "ids are unique");
    let mut names = HashSet::new();
    for rule in ALL.iter() {
        let m = &rule.meta;
        assert!(m.id.starts_with(&format!("{}-", m.service.prefix())), "{}: prefix of {}", m.id, m.service);
        assert!((1..=5).contains(&m.level), "{}: level", m.id);
        assert!(!m.categories.is_empty(), "{}: categories", m.id);
        for name in std::iter::once(m.slug).chain(m.aliases.iter().copied()) {
            assert!(names.insert(name.to_ascii_lowercase()), "{name} names two rules");
        }
        let file =
            crate_dir().join("src/rules").join(m.service.as_str()).join(format!("{}.rs", m.slug.replace('-', "_")));
        assert!(file.is_file(), "{}: no file {}", m.id, file.display());
        assert!(file.with_extension("md").is_file(), "{}: no doc", m.id);
        for heading in
            ["## What it checks", "## Why it matters", "## How to fix", "## When it does not apply", "## References"]
        {
            assert!(m.docs.contains(heading), "{}: doc lacks `{heading}`", m.id);
        }
    }
    // Every rule file is registered.
    let registered: HashSet<String> =
        ALL.iter().map(|r| format!("{}/{}", r.meta.service.as_str(), r.meta.slug.replace('-', "_"))).collect();
    for service in std::fs::read_dir(crate_dir().join("src/rules")).into_iter().flatten().flatten() {
        if !service.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(service.path()).into_iter().flatten().flatten() {
            let path = file.path();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            if path.extension().is_some_and(|e| e == "rs") && stem != "mod" {
                let key = format!("{}/{stem}", service.file_name().to_string_lossy());
                assert!(registered.contains(&key), "{} is not in the registry", path.display());
            }
        }
    }
}
