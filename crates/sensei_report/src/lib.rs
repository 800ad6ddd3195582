//! Reports: what a scan found, rendered for people ([`text`], [`markdown`], [`html`]) and for
//! machines ([`json`], [`sarif`], [`junit`]).
//!
//! A [`Report`] holds everything one run produced: the rules that ran, the files read, every
//! finding (passes included, so scores and "what was checked" are true), the inputs that could not
//! be read, and the gaps of a live audit (data that could not be fetched). The renderers only read
//! it; the order, the scores, the state of each finding and the top fixes are computed here, once,
//! so every format agrees.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::sync::Arc;

use rayon::slice::ParallelSliceMut as _;
use sensei_rules::{Category, Finding, RuleMeta, Severity, Status};

pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
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

pub use sensei_model::Gap;

/// Everything one run produced.
#[derive(Debug, Default)]
pub struct Report {
    /// The rules that ran, in registry order.
    pub rules: Vec<&'static RuleMeta>,
    pub scanned: Vec<ScannedFile>,
    pub findings: Vec<Finding>,
    pub errors: Vec<InputError>,
    /// What a live audit could not read (empty for templates).
    pub gaps: Vec<Gap>,
    /// The text of each scanned file, to show the source lines of findings.
    pub sources: BTreeMap<String, Arc<str>>,
    /// The failing findings already known (`--baseline`); `None` when no baseline is in use.
    pub baseline: Option<Baseline>,
    /// Only failing findings of at least this severity fail the run (`--fail-on`); `None`: all.
    pub fail_on: Option<Severity>,
}

/// Which failing finding is which across runs: its rule, its resource and its file, but not its
/// line, so a finding keeps its identity when lines move.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FindingKey {
    pub rule: String,
    /// The logical id in a template, the ARN in a live account.
    pub resource: String,
    /// The file the resource is declared in, as the report names it; `None` for a live resource.
    pub file: Option<String>,
}

impl FindingKey {
    pub fn of(finding: &Finding) -> FindingKey {
        let file = finding.resource.location.as_ref().or(finding.location.as_ref()).map(|l| l.file.to_string());
        FindingKey { rule: finding.rule.id.to_string(), resource: finding.resource.id.clone(), file }
    }
}

/// The failing findings a team has accepted for now (`sensei baseline`): they are reported, as
/// `baseline`, but do not fail the run. Only new failures do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// The keys of the baseline, with files named as in this report.
    pub known: BTreeSet<FindingKey>,
    /// Entries of the baseline that no longer fail: fixed, or their resource is gone.
    pub fixed: usize,
}

/// Whether a failing finding was already in the baseline (SARIF's `baselineState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaselineState {
    New,
    Unchanged,
}

impl BaselineState {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
        }
    }
}

/// What a finding means for this run: its status, and for a failure whether it fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// Fails, and fails the run.
    Failing,
    /// Fails, but its severity is below `--fail-on`: reported, and the run does not fail for it.
    BelowThreshold,
    /// Fails, and the baseline already has it.
    Baseline,
    /// Fails, and the user accepted it (a template's `Metadata`, or `sensei.toml`).
    Suppressed,
    Unknown,
    /// Data the verdict needs could not be read: never a pass.
    NotEvaluated,
    Pass,
    Skip,
}

impl State {
    /// The name reports show and filter on. `BelowThreshold` is a `fail`: it fails, just not the run.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Failing | State::BelowThreshold => "fail",
            State::Baseline => "baseline",
            State::Suppressed => "suppressed",
            State::Unknown => "unknown",
            State::NotEvaluated => "not_evaluated",
            State::Pass => "pass",
            State::Skip => "skip",
        }
    }
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
            Status::Unknown | Status::Skip | Status::NotEvaluated => {}
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
    /// Findings with this status, suppressed ones and (for `fail`) those in the baseline left out.
    pub fn count(&self, status: Status) -> usize {
        self.findings
            .iter()
            .filter(|f| f.status == status && !matches!(self.state(f), State::Suppressed | State::Baseline))
            .count()
    }

    /// Findings the user suppressed (in a template's `Metadata` or in `sensei.toml`).
    pub fn suppressed(&self) -> usize {
        self.findings.iter().filter(|f| f.suppressed.is_some()).count()
    }

    /// Failing findings the baseline already has (suppressed ones left out).
    pub fn baselined(&self) -> usize {
        self.findings.iter().filter(|f| self.state(f) == State::Baseline).count()
    }

    /// Findings in this state.
    pub fn count_state(&self, state: State) -> usize {
        self.findings.iter().filter(|f| self.state(f) == state).count()
    }

    /// What `finding` means for this run. A suppression wins over the baseline, and the baseline
    /// over `--fail-on`.
    pub fn state(&self, finding: &Finding) -> State {
        match finding.status {
            Status::Pass => State::Pass,
            Status::Unknown => State::Unknown,
            Status::NotEvaluated => State::NotEvaluated,
            Status::Skip => State::Skip,
            Status::Fail if finding.suppressed.is_some() => State::Suppressed,
            Status::Fail if self.baseline_state(finding) == Some(BaselineState::Unchanged) => State::Baseline,
            // Severities are ordered from the worst down: "at least high" is `<= High`.
            Status::Fail if self.fail_on.is_some_and(|min| finding.rule.severity > min) => State::BelowThreshold,
            Status::Fail => State::Failing,
        }
    }

    /// For a failing finding when a baseline is in use: whether the baseline has it.
    pub fn baseline_state(&self, finding: &Finding) -> Option<BaselineState> {
        let baseline = self.baseline.as_ref()?;
        if finding.status != Status::Fail {
            return None;
        }
        Some(if baseline.known.contains(&FindingKey::of(finding)) {
            BaselineState::Unchanged
        } else {
            BaselineState::New
        })
    }

    /// True when a finding fails the run: it fails, is not suppressed, not in the baseline, and
    /// is at least as severe as `--fail-on`.
    pub fn fails_run(&self) -> bool {
        self.findings.iter().any(|f| self.state(f) == State::Failing)
    }

    /// The failures worth fixing first, at most `limit`: by impact (severity, worst first), then
    /// by ease (a fix with code to paste before one without; a lower maturity level first, as
    /// level 1 rules are the basics), then new failures before those in the baseline, then by
    /// place. Suppressed findings are left out; findings in the baseline are still problems and
    /// stay in.
    pub fn top_fixes(&self, limit: usize) -> Vec<&Finding> {
        let mut fixes: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| matches!(self.state(f), State::Failing | State::BelowThreshold | State::Baseline))
            .collect();
        fixes.sort_by(|a, b| {
            let ease = |f: &Finding| (f.fix.as_ref().is_none_or(|fix| fix.snippet.is_none()), f.rule.level);
            a.rule
                .severity
                .cmp(&b.rule.severity)
                .then_with(|| ease(a).cmp(&ease(b)))
                .then_with(|| self.state(a).cmp(&self.state(b)))
                .then_with(|| compare_findings(a, b))
        });
        fixes.truncate(limit);
        fixes
    }

    /// The rules of the report: those that ran (registry order), then any other rule a finding
    /// names, by id.
    pub fn all_rules(&self) -> Vec<&'static RuleMeta> {
        let mut order: Vec<&'static RuleMeta> = Vec::new();
        for rule in &self.rules {
            if !order.iter().any(|r| r.id == rule.id) {
                order.push(rule);
            }
        }
        let mut others: Vec<&'static RuleMeta> = Vec::new();
        for finding in &self.findings {
            let id = finding.rule.id;
            if !order.iter().chain(others.iter()).any(|r| r.id == id) {
                others.push(finding.rule);
            }
        }
        others.sort_by_key(|r| r.id);
        order.extend(others);
        order
    }

    /// The gaps by service, region, operation and resource.
    pub fn sorted_gaps(&self) -> Vec<&Gap> {
        let mut gaps: Vec<&Gap> = self.gaps.iter().collect();
        gaps.sort_by(|a, b| {
            (&a.service, &a.region, &a.operation, &a.resource, &a.code, &a.message).cmp(&(
                &b.service,
                &b.region,
                &b.operation,
                &b.resource,
                &b.code,
                &b.message,
            ))
        });
        gaps
    }

    /// The share of passing checks, overall and per category (sls-mentor's score): passing checks
    /// / (passing + failing) x 100. Every renderer shows these numbers.
    pub fn scores(&self) -> Scores {
        let mut scores = Scores::default();
        for finding in &self.findings {
            // A finding in the baseline still fails: the stack has the problem, and the score says so.
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
        // Stable, as `sort_by` is: equal findings keep the order they were found in.
        findings.par_sort_by(|a, b| compare_findings(a, b));
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
    fn place(f: &Finding) -> Option<(&str, u32, u32)> {
        f.location.as_ref().map(|l| (&*l.file, l.line, l.column))
    }
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

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// For a terminal: what fails, where, and the code that fixes it.
    Text,
    /// The machine contract, `docs/json-output.md`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML: one test case per rule and resource, for any CI's test view.
    Junit,
    /// A compact summary for GitHub step summaries and pull request comments.
    Markdown,
    /// One self-contained page to open from disk.
    Html,
}

impl Format {
    pub const ALL: [Format; 6] =
        [Format::Text, Format::Json, Format::Sarif, Format::Junit, Format::Markdown, Format::Html];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    /// Writes `report` in this format. `style` applies to text only.
    pub fn render(self, report: &Report, out: &mut dyn Write, style: &text::TextStyle) -> io::Result<()> {
        match self {
            Format::Text => text::render(report, out, style),
            Format::Json => json::render(report, out),
            Format::Sarif => sarif::render(report, out),
            Format::Junit => junit::render(report, out),
            Format::Markdown => markdown::render(report, out),
            Format::Html => html::render(report, out),
        }
    }
}

/// `1 check`, `2 checks`.
/// Something a reader should know besides the verdict. The report decides which apply, once;
/// each format words them its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Note {
    /// Failing checks below `--fail-on`, which do not fail the run.
    BelowThreshold {
        count: usize,
        severity: &'static str,
    },
    /// Failing checks the baseline already has.
    Baselined(usize),
    /// Baseline entries that no longer fail.
    Fixed(usize),
    Unknown(usize),
    /// Inputs that could not be read.
    Unreadable(usize),
    Gaps(usize),
}

impl Report {
    /// The notes that apply to this run, in the order formats show them.
    pub(crate) fn notes(&self) -> Vec<Note> {
        let fixed = self.baseline.as_ref().map_or(0, |b| b.fixed);
        let severity = self.fail_on.map(Severity::as_str).unwrap_or_default();
        [
            Note::BelowThreshold { count: self.count_state(State::BelowThreshold), severity },
            Note::Baselined(self.baselined()),
            Note::Fixed(fixed),
            Note::Unknown(self.count(Status::Unknown)),
            Note::Unreadable(self.errors.len()),
            Note::Gaps(self.gaps.len()),
        ]
        .into_iter()
        .filter(|note| match *note {
            Note::BelowThreshold { count, .. } => count > 0,
            Note::Baselined(n) | Note::Fixed(n) | Note::Unknown(n) | Note::Unreadable(n) | Note::Gaps(n) => n > 0,
        })
        .collect()
    }
}

pub(crate) fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A gap in one line: `s3 GetBucketPolicy in eu-west-1 on arn:...: AccessDenied: message`.
pub(crate) fn gap_line(gap: &Gap) -> String {
    let mut line = format!("{} {}", gap.service, gap.operation);
    if let Some(region) = &gap.region {
        line.push_str(&format!(" in {region}"));
    }
    if let Some(resource) = &gap.resource {
        line.push_str(&format!(" on {resource}"));
    }
    line.push_str(&format!(": {}: {}", gap.code, gap.message));
    line
}
