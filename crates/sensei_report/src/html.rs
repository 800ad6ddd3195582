//! The HTML report: one self-contained page that a person opens from disk.
//!
//! It draws the overall and per-category scores as charts (inline SVG), ranks the top fixes by
//! impact and ease, and lists every finding in a table that filters by service, rule, severity and
//! status, each failing finding with its fix and a button that copies the code. Inputs that could
//! not be read and the gaps of a live audit have sections of their own.
//!
//! No external asset and no network use: the CSS and the script are inline, and the page's
//! Content-Security-Policy allows nothing else (`default-src 'none'`), the script only by its
//! hash. Every text from templates, rules and files goes through the template engine's HTML
//! escaping, so a resource id or a message holding `<script>` shows as text.
//!
//! The script reads filters from the URL fragment (`#status=fail&service=s3`) and writes them
//! back, so a filtered view can be shared as a link.

use std::io::{self, Write};

use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::{Report, State};
use sensei_rules::{Finding, Severity, Status};

const TEMPLATE: &str = include_str!("html/report.html");
const STYLE: &str = include_str!("html/report.css");
/// The page's script, also the exact text whose hash the Content-Security-Policy allows.
pub const SCRIPT: &str = include_str!("html/report.js");
/// `base64(sha256(SCRIPT))`. A test recomputes it: when the script changes, the test prints the
/// new value to paste here.
pub const SCRIPT_SHA256: &str = "9aaprBaBj6fulVHfGGdmTT2cqKXtyJuBlIqdE15Di/g=";

/// Top fixes shown.
pub const TOP_FIXES: usize = 10;

/// Writes the HTML page of `report`.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_filter("code_spans", code_spans);
    env.add_template("report.html", TEMPLATE).map_err(io::Error::other)?;
    let template = env.get_template("report.html").map_err(io::Error::other)?;
    let page = Page::new(report);
    let html = template.render(Value::from(Serde(&page))).map_err(io::Error::other)?;
    out.write_all(html.as_bytes())
}

#[derive(Serialize)]
struct Page {
    version: &'static str,
    /// Our own text (no quote in it), marked safe so that its quotes stay quotes.
    csp: Value,
    style: Value,
    script: Value,
    verdict: Verdict,
    notes: Vec<String>,
    summary: String,
    overall: Option<Donut>,
    categories: Vec<Bar>,
    statuses: Vec<Segment>,
    top_fixes: Vec<Row>,
    findings: Vec<Row>,
    filters: Filters,
    errors: Vec<ErrorRow>,
    gaps: Vec<GapRow>,
    files: Vec<FileRow>,
}

#[derive(Serialize)]
struct Verdict {
    text: String,
    /// `fail`, `pass` or `none`: the banner's colour.
    tone: &'static str,
}

/// The overall score as a ring: `dash` of `circumference` is drawn.
#[derive(Serialize)]
struct Donut {
    percent: u8,
    tone: &'static str,
    dash: String,
    gap: String,
    pass: usize,
    fail: usize,
}

#[derive(Serialize)]
struct Bar {
    name: &'static str,
    percent: u8,
    /// Of the 240 units of the bar's track.
    width: String,
    tone: &'static str,
    pass: usize,
    fail: usize,
}

/// A part of the stacked bar of findings by state.
#[derive(Serialize)]
struct Segment {
    state: &'static str,
    label: &'static str,
    count: usize,
    /// Where it starts and how wide it is, in percent of the bar.
    x: String,
    width: String,
}

#[derive(Serialize)]
struct Filters {
    statuses: Vec<Choice>,
    services: Vec<Choice>,
    rules: Vec<Choice>,
    severities: Vec<Choice>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct Row {
    index: usize,
    state: &'static str,
    state_label: String,
    severity: &'static str,
    rule: &'static str,
    slug: &'static str,
    title: &'static str,
    service: &'static str,
    resource: String,
    resource_type: String,
    generated_from: Option<String>,
    location: Option<String>,
    message: String,
    note: Option<String>,
    fix: Option<FixView>,
}

#[derive(Serialize)]
struct FixView {
    summary: String,
    language: Option<&'static str>,
    code: Option<String>,
}

#[derive(Serialize)]
struct ErrorRow {
    place: String,
    message: String,
}

#[derive(Serialize)]
struct GapRow {
    service: String,
    operation: String,
    region: String,
    resource: String,
    code: String,
    message: String,
}

#[derive(Serialize)]
struct FileRow {
    file: String,
    kind: &'static str,
    resources: usize,
}

/// sls-mentor's thresholds: 50 and below is poor, 75 and below fair, above good.
fn tone(percent: u8) -> &'static str {
    match percent {
        0..=50 => "poor",
        51..=75 => "fair",
        _ => "good",
    }
}

/// The radius of the overall ring, in SVG units; the template draws the same circle.
const RING_RADIUS: f64 = 52.0;

impl Page {
    fn new(report: &Report) -> Page {
        let scores = report.scores();
        let overall = scores.overall.percent().map(|percent| {
            let circumference = 2.0 * std::f64::consts::PI * RING_RADIUS;
            let dash = circumference * f64::from(percent) / 100.0;
            Donut {
                percent,
                tone: tone(percent),
                dash: format!("{dash:.2}"),
                gap: format!("{:.2}", circumference - dash),
                pass: scores.overall.pass,
                fail: scores.overall.fail,
            }
        });
        let categories = scores
            .categories
            .iter()
            .filter_map(|(category, score)| {
                score.percent().map(|percent| Bar {
                    name: category.as_str(),
                    percent,
                    width: format!("{:.1}", 2.4 * f64::from(percent)),
                    tone: tone(percent),
                    pass: score.pass,
                    fail: score.fail,
                })
            })
            .collect();

        let findings: Vec<Row> =
            report.sorted_findings_by_state().into_iter().enumerate().map(|(i, f)| row(report, i, f)).collect();
        let top_fixes = report.top_fixes(TOP_FIXES).into_iter().enumerate().map(|(i, f)| row(report, i, f)).collect();

        Page {
            version: env!("CARGO_PKG_VERSION"),
            csp: Value::from_safe_string(format!(
                "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{SCRIPT_SHA256}'; img-src data:; base-uri 'none'; form-action 'none'"
            )),
            style: Value::from_safe_string(STYLE.to_string()),
            script: Value::from_safe_string(SCRIPT.to_string()),
            verdict: verdict(report),
            notes: notes(report),
            summary: format!(
                "{} · {} · {} run",
                crate::count_of(report.scanned.len(), "file", "files"),
                crate::count_of(report.resources(), "resource", "resources"),
                crate::count_of(report.rules.len(), "rule", "rules"),
            ),
            overall,
            categories,
            statuses: segments(report),
            filters: filters(report),
            top_fixes,
            findings,
            errors: report
                .sorted_errors()
                .into_iter()
                .map(|e| {
                    let mut place = e.file.clone();
                    if let Some(line) = e.line {
                        place.push_str(&format!(":{line}"));
                        if let Some(column) = e.column {
                            place.push_str(&format!(":{column}"));
                        }
                    }
                    ErrorRow { place, message: e.message.clone() }
                })
                .collect(),
            gaps: report
                .sorted_gaps()
                .into_iter()
                .map(|g| GapRow {
                    service: g.service.clone(),
                    operation: g.operation.clone(),
                    region: g.region.clone().unwrap_or_else(|| "global".to_string()),
                    resource: g.resource.clone().unwrap_or_else(|| "(all)".to_string()),
                    code: g.code.clone(),
                    message: g.message.clone(),
                })
                .collect(),
            files: report
                .sorted_files()
                .into_iter()
                .map(|f| FileRow { file: f.file.clone(), kind: f.kind.as_str(), resources: f.resources })
                .collect(),
        }
    }
}

impl Report {
    /// Findings in the order the page lists them: what needs work first (failing, unknown, then
    /// accepted, passing and skipped), then by severity, then by place.
    fn sorted_findings_by_state(&self) -> Vec<&Finding> {
        let mut findings = self.sorted_findings();
        findings.sort_by(|a, b| {
            let rank = |f: &Finding| match self.state(f) {
                State::Failing | State::BelowThreshold => 0,
                State::Unknown | State::NotEvaluated => 1,
                State::Baseline => 2,
                State::Suppressed => 3,
                State::Pass => 4,
                State::Skip => 5,
            };
            rank(a).cmp(&rank(b)).then_with(|| a.rule.severity.cmp(&b.rule.severity))
        });
        findings
    }
}

fn verdict(report: &Report) -> Verdict {
    let failing: Vec<&Finding> = report.findings.iter().filter(|f| report.state(f) == State::Failing).collect();
    if !failing.is_empty() {
        let mut rules: Vec<&str> = failing.iter().map(|f| f.rule.id).collect();
        rules.sort_unstable();
        rules.dedup();
        Verdict {
            text: format!(
                "{} in {}",
                crate::count_of(failing.len(), "failing check", "failing checks"),
                crate::count_of(rules.len(), "rule", "rules")
            ),
            tone: "fail",
        }
    } else if report.count(Status::Pass) > 0 || report.count(Status::Fail) > 0 {
        Verdict { text: "Nothing fails".to_string(), tone: "pass" }
    } else {
        Verdict { text: "Nothing was checked".to_string(), tone: "none" }
    }
}

fn notes(report: &Report) -> Vec<String> {
    use crate::{Note, count_of};
    let does = |n: usize| if n == 1 { "does" } else { "do" };
    report
        .notes()
        .into_iter()
        .map(|note| match note {
            Note::BelowThreshold { count, severity } => format!(
                "{} below --fail-on {severity} {} not fail the run.",
                count_of(count, "failing check", "failing checks"),
                does(count)
            ),
            Note::Baselined(n) => {
                format!(
                    "{} in the baseline {} not fail the run.",
                    count_of(n, "known failure", "known failures"),
                    does(n)
                )
            }
            Note::Fixed(n) => format!(
                "{} no longer {}.",
                count_of(n, "finding of the baseline", "findings of the baseline"),
                if n == 1 { "fails" } else { "fail" }
            ),
            Note::Unknown(n) => format!(
                "{} unknown: a value the verdict depends on could not be resolved.",
                count_of(n, "finding is", "findings are")
            ),
            Note::Unreadable(n) => {
                format!("{} could not be read: the audit is incomplete.", count_of(n, "input", "inputs"))
            }
            Note::Gaps(n) => format!("{} of data the audit could not read.", count_of(n, "gap", "gaps")),
        })
        .collect()
}

const STATES: [(State, &str); 7] = [
    (State::Failing, "fail"),
    (State::Unknown, "unknown"),
    (State::NotEvaluated, "not evaluated"),
    (State::Baseline, "in the baseline"),
    (State::Suppressed, "suppressed"),
    (State::Pass, "pass"),
    (State::Skip, "skip"),
];

/// The stacked bar: every finding by state (a failure below `--fail-on` counts as `fail`).
fn segments(report: &Report) -> Vec<Segment> {
    let total = report.findings.len();
    if total == 0 {
        return Vec::new();
    }
    let mut x = 0.0;
    let mut out = Vec::new();
    for (state, label) in STATES {
        let count = report.findings.iter().filter(|f| report.state(f).as_str() == state.as_str()).count();
        if count == 0 {
            continue;
        }
        let width = 100.0 * count as f64 / total as f64;
        out.push(Segment { state: state.as_str(), label, count, x: format!("{x:.3}"), width: format!("{width:.3}") });
        x += width;
    }
    out
}

fn filters(report: &Report) -> Filters {
    let states: Vec<&str> = report.findings.iter().map(|f| report.state(f).as_str()).collect();
    let statuses = STATES
        .iter()
        .filter(|(s, _)| states.contains(&s.as_str()))
        .map(|(s, label)| Choice { value: s.as_str().to_string(), label: (*label).to_string() })
        .collect();
    let mut services: Vec<&str> = report.findings.iter().map(|f| f.rule.service.as_str()).collect();
    services.sort_unstable();
    services.dedup();
    let rules = report
        .all_rules()
        .into_iter()
        .filter(|r| report.findings.iter().any(|f| f.rule.id == r.id))
        .map(|r| Choice { value: r.id.to_string(), label: format!("{} {}", r.id, r.slug) })
        .collect();
    let severities = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info]
        .into_iter()
        .filter(|s| report.findings.iter().any(|f| f.rule.severity == *s))
        .map(|s| Choice { value: s.as_str().to_string(), label: s.as_str().to_string() })
        .collect();
    Filters {
        statuses,
        services: services.into_iter().map(|s| Choice { value: s.to_string(), label: s.to_string() }).collect(),
        rules,
        severities,
    }
}

fn row(report: &Report, index: usize, finding: &Finding) -> Row {
    let state = report.state(finding);
    let note = match (state, &finding.suppressed) {
        (State::Suppressed, Some(s)) => Some(match s.expires {
            Some(day) => format!("Suppressed ({}) until {day}: {}", s.source, s.reason),
            None => format!("Suppressed ({}): {}", s.source, s.reason),
        }),
        (State::Baseline, _) => Some("In the baseline: known, and does not fail the run.".to_string()),
        (State::BelowThreshold, _) => Some(format!(
            "Below --fail-on {}: does not fail the run.",
            report.fail_on.map(|s| s.as_str()).unwrap_or_default()
        )),
        _ => None,
    };
    let state_label = match state {
        State::Baseline => "baseline".to_string(),
        s => s.as_str().to_string(),
    };
    Row {
        index,
        state: state.as_str(),
        state_label,
        severity: finding.rule.severity.as_str(),
        rule: finding.rule.id,
        slug: finding.rule.slug,
        title: finding.rule.title,
        service: finding.rule.service.as_str(),
        resource: finding.resource.id.clone(),
        resource_type: finding.resource.resource_type.to_string(),
        generated_from: finding.resource.generated_from.clone(),
        location: finding
            .location
            .as_ref()
            .map(|l| l.to_string())
            .or_else(|| finding.resource.live.as_ref().and_then(|l| l.place())),
        message: finding.message.clone(),
        note,
        fix: finding.fix.as_ref().map(|fix| FixView {
            summary: fix.summary.clone(),
            language: fix.snippet.as_ref().map(|s| s.language),
            code: fix.snippet.as_ref().map(|s| s.code.clone()),
        }),
    }
}

/// Prose from rules, escaped for HTML, with its `code spans` shown as code.
fn code_spans(text: &str) -> Value {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let (before, from) = rest.split_at(start);
        let after = from.get(1..).unwrap_or_default();
        match after.find('`') {
            Some(end) if end > 0 => {
                escape_into(before, &mut out);
                out.push_str("<code>");
                escape_into(after.get(..end).unwrap_or_default(), &mut out);
                out.push_str("</code>");
                rest = after.get(end + 1..).unwrap_or_default();
            }
            _ => {
                escape_into(before, &mut out);
                out.push('`');
                rest = after;
            }
        }
    }
    escape_into(rest, &mut out);
    Value::from_safe_string(out)
}

/// The characters minijinja's own HTML escaping replaces, replaced the same way.
fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2f;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_are_code_and_the_rest_is_escaped() {
        assert_eq!(code_spans("add `Resources` <b>").to_string(), "add <code>Resources</code> &lt;b&gt;");
        assert_eq!(code_spans("`<script>`").to_string(), "<code>&lt;script&gt;</code>");
        assert_eq!(code_spans("one ` tick").to_string(), "one ` tick");
        assert_eq!(code_spans("``").to_string(), "``");
    }
}
