//! Baselines: the failing findings of today, recorded so that a team can adopt sensei on an old
//! stack and fail only on new problems (`docs/ci.md`).
//!
//! A finding's identity is its rule, its resource and its file, never its line, so it survives
//! edits that move it. Files are stored relative to the baseline's own folder, with `/`, so the
//! baseline matches whichever folder sensei runs from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};
use serde::{Deserialize, Serialize};

use sensei_report::{Baseline, FindingKey, Report, State};
use sensei_rules::Status;

use crate::cli::BaselineArgs;
use crate::{EXIT_ERROR, EXIT_OK};

/// The version of the baseline file's shape.
pub const SCHEMA: &str = "sensei-baseline/1";

/// A baseline file.
#[derive(Debug, Serialize, Deserialize)]
pub struct BaselineFile {
    pub schema: String,
    pub findings: Vec<Entry>,
}

/// One failing finding: its identity (rule, resource, file), and for people the severity and
/// the message it had.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub rule: String,
    pub resource: String,
    /// Relative to the baseline's folder, with `/`; `null` for a live resource.
    pub file: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

/// `sensei baseline`: audit, then record every failing finding that is not suppressed.
pub fn run(args: &BaselineArgs) -> anyhow::Result<u8> {
    let report = crate::scan::audit(&args.source)?;
    let file = BaselineFile::of(&report, &args.output)?;
    let mut text = serde_json::to_string_pretty(&file)?;
    text.push('\n');
    std::fs::write(&args.output, text).with_context(|| format!("cannot write {}", args.output.display()))?;
    let mut err = anstream::stderr();
    use std::io::Write as _;
    writeln!(
        err,
        "sensei: wrote {} failing finding{} to {}",
        file.findings.len(),
        if file.findings.len() == 1 { "" } else { "s" },
        args.output.display()
    )?;
    for e in report.sorted_errors() {
        let place = match (e.line, e.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", e.file),
            (Some(line), None) => format!("{}:{line}", e.file),
            _ => e.file.clone(),
        };
        writeln!(err, "error: {place}: {}", e.message)?;
    }
    if !report.errors.is_empty() {
        writeln!(err, "sensei: the inputs above could not be read, so the baseline does not cover them")?;
        return Ok(EXIT_ERROR);
    }
    Ok(EXIT_OK)
}

impl BaselineFile {
    /// The failing, unsuppressed findings of `report`, with files relative to `path`'s folder.
    pub fn of(report: &Report, path: &Path) -> anyhow::Result<BaselineFile> {
        let folder = folder_of(path)?;
        let mut entries: BTreeMap<(Option<String>, String, String), Entry> = BTreeMap::new();
        for finding in &report.findings {
            if finding.status != Status::Fail || finding.suppressed.is_some() {
                continue;
            }
            let key = FindingKey::of(finding);
            let file = key.file.as_deref().map(|f| relative(&folder, &absolute(Path::new(f))));
            entries.entry((file.clone(), key.rule.clone(), key.resource.clone())).or_insert_with(|| Entry {
                rule: key.rule,
                resource: key.resource,
                file,
                severity: Some(finding.rule.severity.as_str().to_string()),
                message: Some(finding.message.clone()),
            });
        }
        Ok(BaselineFile { schema: SCHEMA.to_string(), findings: entries.into_values().collect() })
    }

    /// Reads and checks a baseline file.
    pub fn read(path: &Path) -> anyhow::Result<BaselineFile> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read the baseline {}", path.display()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("the baseline {} is not JSON", path.display()))?;
        match value.get("schema").and_then(|s| s.as_str()) {
            Some(SCHEMA) => {}
            Some(other) => bail!(
                "the baseline {} has schema `{other}`; this sensei reads `{SCHEMA}` (write it again with `sensei baseline`)",
                path.display()
            ),
            None => bail!("{} is not a sensei baseline: it has no `schema` field", path.display()),
        }
        serde_json::from_value(value).with_context(|| format!("the baseline {} is malformed", path.display()))
    }

    /// The baseline in `report`'s terms: its keys with files named as the report names them, and
    /// how many of its entries, among the files audited, no longer fail.
    pub fn matched(&self, report: &Report, path: &Path) -> anyhow::Result<Baseline> {
        let folder = folder_of(path)?;
        // The report's files, by their name relative to the baseline's folder.
        let files: BTreeMap<String, &str> = report
            .scanned
            .iter()
            .map(|f| (relative(&folder, &absolute(Path::new(&f.file))), f.file.as_str()))
            .collect();
        let failing: BTreeSet<FindingKey> = report
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail && report.state(f) != State::Suppressed)
            .map(FindingKey::of)
            .collect();
        let mut baseline = Baseline::default();
        for entry in &self.findings {
            let file = match &entry.file {
                None => None,
                Some(file) => match files.get(file.as_str()) {
                    Some(name) => Some((*name).to_string()),
                    // A file not audited in this run: out of scope, neither known nor fixed.
                    None => continue,
                },
            };
            let key = FindingKey { rule: entry.rule.clone(), resource: entry.resource.clone(), file };
            if !failing.contains(&key) {
                baseline.fixed += 1;
            }
            baseline.known.insert(key);
        }
        Ok(baseline)
    }
}

/// The folder a baseline file is in, as an absolute path.
fn folder_of(path: &Path) -> anyhow::Result<PathBuf> {
    let absolute = absolute(path);
    Ok(absolute.parent().map(Path::to_path_buf).unwrap_or(absolute))
}

/// `path` made absolute against the current folder, with `.` and `..` resolved by name (not by
/// following links, so both sides of a comparison are treated alike).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|cwd| cwd.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `to` relative to the folder `from`, both absolute, with `/` between parts.
pub fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = from.iter().skip(common).map(|_| "..".to_string()).collect();
    parts.extend(to.iter().skip(common).map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("/repo"), Path::new("/repo/stacks/a.yaml")), "stacks/a.yaml");
        assert_eq!(relative(Path::new("/repo/ci"), Path::new("/repo/stacks/a.yaml")), "../stacks/a.yaml");
        assert_eq!(relative(Path::new("/repo"), Path::new("/other/a.yaml")), "../other/a.yaml");
    }

    #[test]
    fn absolute_resolves_dots_by_name() {
        assert_eq!(absolute(Path::new("/repo/./a/../b.yaml")), PathBuf::from("/repo/b.yaml"));
    }
}
