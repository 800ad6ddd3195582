//! Reports: what a scan found, rendered for people ([`text`]) and for machines ([`json`]).
//!
//! A [`Report`] holds everything one run produced: the rules that ran, the files read, every
//! finding (passes included, so scores and "what was checked" are true) and the inputs that could
//! not be read. The renderers only read it; the order and the scores they show are computed here,
//! once, so every format agrees.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use sensei_rules::{Category, Finding, RuleMeta, Status};

pub mod json;
pub mod text;

/// An input that could not be read, and why. It stops nothing: the other inputs are still audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    /// 1-based; `None` when the error has no position (unreadable file, not a template).
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

pub use sensei_model::TemplateKind;

/// A template that was audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedFile {
    pub file: String,
    pub kind: TemplateKind,
    /// Model resources read from it (SAM resources count with what they generate).
    pub resources: usize,
}

/// Everything one run produced.
#[derive(Debug, Default)]
pub struct Report {
    /// The rules that ran, in registry order.
    pub rules: Vec<&'static RuleMeta>,
    pub scanned: Vec<ScannedFile>,
    pub findings: Vec<Finding>,
    pub errors: Vec<InputError>,
    /// The text of each scanned file, to show the source lines of findings.
    pub sources: BTreeMap<String, Arc<str>>,
}

/// Passing and failing checks, of one category or of the whole report.
///
/// A check is a finding that passes or fails. Unknown and skipped findings are not checks: they
/// neither raise nor lower a score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub pass: usize,
    pub fail: usize,
}

impl Score {
    /// Passing plus failing checks.
    pub fn checks(self) -> usize {
        self.pass + self.fail
    }

    /// The share of passing checks, 0-100, or `None` when nothing passed or failed.
    ///
    /// Rounded to the nearest integer (halves up), except that a score is never 100 while a check
    /// fails, nor 0 while one passes: 999 passes and 1 failure give 99, not a perfect score.
    pub fn percent(self) -> Option<u8> {
        let checks = self.checks();
        if checks == 0 {
            return None;
        }
        let rounded = (self.pass * 200 + checks) / (checks * 2);
        let bounded = match (self.pass, self.fail) {
            (_, 0) => 100,
            (0, _) => 0,
            _ => rounded.clamp(1, 99),
        };
        u8::try_from(bounded).ok()
    }

    fn add(&mut self, status: Status) {
        match status {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Unknown | Status::Skip => {}
        }
    }
}

/// The scores of a report: overall, and for each category that had at least one check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scores {
    /// Every check once, whatever its rule's categories.
    pub overall: Score,
    /// A check counts in every category of its rule. Categories without checks are absent.
    pub categories: BTreeMap<Category, Score>,
}

impl Report {
    /// Findings with this status, suppressed ones left out.
    pub fn count(&self, status: Status) -> usize {
        self.findings.iter().filter(|f| f.status == status && f.suppressed.is_none()).count()
    }

    /// Findings the user suppressed (in a template's `Metadata` or in `sensei.toml`).
    pub fn suppressed(&self) -> usize {
        self.findings.iter().filter(|f| f.suppressed.is_some()).count()
    }

    /// The share of passing checks, overall and per category (sls-mentor's score): passing checks
    /// / (passing + failing) x 100. Every renderer shows these numbers.
    pub fn scores(&self) -> Scores {
        let mut scores = Scores::default();
        for finding in &self.findings {
            if !matches!(finding.status, Status::Pass | Status::Fail) || finding.suppressed.is_some() {
                continue;
            }
            scores.overall.add(finding.status);
            for category in finding.rule.categories {
                scores.categories.entry(*category).or_default().add(finding.status);
            }
        }
        scores
    }

    /// Model resources read from every scanned file.
    pub fn resources(&self) -> usize {
        self.scanned.iter().map(|f| f.resources).sum()
    }

    /// The findings in a stable order: by file, line and column (findings without a location
    /// last), then rule id, resource id, status and message.
    pub fn sorted_findings(&self) -> Vec<&Finding> {
        let mut findings: Vec<&Finding> = self.findings.iter().collect();
        findings.sort_by(|a, b| compare_findings(a, b));
        findings
    }

    /// The errors by file, then position (errors without one first), then message.
    pub fn sorted_errors(&self) -> Vec<&InputError> {
        let mut errors: Vec<&InputError> = self.errors.iter().collect();
        errors.sort_by(|a, b| (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message)));
        errors
    }

    /// The scanned files by name.
    pub fn sorted_files(&self) -> Vec<&ScannedFile> {
        let mut files: Vec<&ScannedFile> = self.scanned.iter().collect();
        files.sort_by(|a, b| (&a.file, a.kind).cmp(&(&b.file, b.kind)));
        files
    }

    /// The source text of `file`, when the report holds it.
    pub fn source(&self, file: &str) -> Option<&str> {
        self.sources.get(file).map(|s| &**s)
    }
}

/// The order of [`Report::sorted_findings`].
pub(crate) fn compare_findings(a: &Finding, b: &Finding) -> Ordering {
    let place = |f: &Finding| f.location.as_ref().map(|l| (l.file.clone(), l.line, l.column));
    match (place(a), place(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.rule.id.cmp(b.rule.id))
    .then_with(|| a.resource.id.cmp(&b.resource.id))
    .then_with(|| a.status.cmp(&b.status))
    .then_with(|| a.message.cmp(&b.message))
}
