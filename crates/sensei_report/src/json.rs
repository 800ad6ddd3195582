//! The JSON report: the machine contract, documented in `docs/json-output.md`.
//!
//! The shape is declared here by private structs, so a change in another crate's types cannot
//! change the contract by accident. Fields are written in declaration order.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::{Gap, Report, Scores};
use sensei_rules::{Finding, Status};

/// Names this contract; it changes only when the contract changes incompatibly.
pub const SCHEMA: &str = "sensei-report/1";

/// Writes `report` as pretty-printed JSON, followed by a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let document = Document::new(report);
    // serde_json writes token by token: a buffer of a known type keeps those writes off `dyn Write`.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, &document).map_err(io::Error::from)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    tool: Tool,
    summary: Summary,
    findings: Vec<FindingOut<'a>>,
    errors: Vec<ErrorOut<'a>>,
    gaps: Vec<GapOut<'a>>,
    files: Vec<FileOut<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    resources: usize,
    pass: usize,
    fail: usize,
    unknown: usize,
    not_evaluated: usize,
    skip: usize,
    suppressed: usize,
    baseline: usize,
    errors: usize,
    gaps: usize,
    scores: ScoresOut,
}

/// `{"overall": 87 | null, "<category>": 80, ...}`: only the categories that had checks.
struct ScoresOut(Scores);

impl Serialize for ScoresOut {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + self.0.categories.len()))?;
        map.serialize_entry("overall", &self.0.overall.percent())?;
        for (category, score) in &self.0.categories {
            if let Some(percent) = score.percent() {
                map.serialize_entry(category.as_str(), &percent)?;
            }
        }
        map.end()
    }
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'static str,
    slug: &'static str,
    title: &'static str,
    severity: &'static str,
    categories: Vec<&'static str>,
    status: &'static str,
    resource: ResourceOut<'a>,
    location: Option<LocationOut<'a>>,
    message: &'a str,
    fix: Option<FixOut<'a>>,
    suppressed: Option<SuppressedOut<'a>>,
    baseline: Option<&'static str>,
}

#[derive(Serialize)]
struct SuppressedOut<'a> {
    reason: &'a str,
    expires: Option<String>,
    source: &'static str,
}

#[derive(Serialize)]
struct ResourceOut<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    resource_type: &'a str,
    generated_from: Option<&'a str>,
    live: Option<LiveOut<'a>>,
}

/// Where a deployed resource lives.
#[derive(Serialize)]
struct LiveOut<'a> {
    account: Option<&'a str>,
    region: Option<&'a str>,
    stack: Option<&'a str>,
}

#[derive(Serialize)]
struct LocationOut<'a> {
    file: &'a str,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct FixOut<'a> {
    summary: &'a str,
    snippet: Option<SnippetOut<'a>>,
}

#[derive(Serialize)]
struct SnippetOut<'a> {
    language: &'static str,
    code: &'a str,
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
}

#[derive(Serialize)]
struct GapOut<'a> {
    service: &'a str,
    operation: &'a str,
    region: Option<&'a str>,
    resource: Option<&'a str>,
    code: &'a str,
    message: &'a str,
}

impl<'a> GapOut<'a> {
    fn new(gap: &'a Gap) -> Self {
        GapOut {
            service: &gap.service,
            operation: &gap.operation,
            region: gap.region.as_deref(),
            resource: gap.resource.as_deref(),
            code: &gap.code,
            message: &gap.message,
        }
    }
}

#[derive(Serialize)]
struct FileOut<'a> {
    file: &'a str,
    kind: &'static str,
    resources: usize,
}

impl<'a> Document<'a> {
    fn new(report: &'a Report) -> Self {
        Document {
            schema: SCHEMA,
            tool: Tool { name: "sensei", version: env!("CARGO_PKG_VERSION") },
            summary: Summary {
                files: report.scanned.len(),
                resources: report.resources(),
                pass: report.count(Status::Pass),
                fail: report.count(Status::Fail),
                unknown: report.count(Status::Unknown),
                not_evaluated: report.count(Status::NotEvaluated),
                skip: report.count(Status::Skip),
                suppressed: report.suppressed(),
                baseline: report.baselined(),
                errors: report.errors.len(),
                gaps: report.gaps.len(),
                scores: ScoresOut(report.scores()),
            },
            findings: report.sorted_findings().into_iter().map(|f| FindingOut::new(report, f)).collect(),
            errors: report
                .sorted_errors()
                .into_iter()
                .map(|e| ErrorOut { file: &e.file, line: e.line, column: e.column, message: &e.message })
                .collect(),
            gaps: report.sorted_gaps().into_iter().map(GapOut::new).collect(),
            files: report
                .sorted_files()
                .into_iter()
                .map(|f| FileOut { file: &f.file, kind: f.kind.as_str(), resources: f.resources })
                .collect(),
        }
    }
}

impl<'a> FindingOut<'a> {
    fn new(report: &Report, finding: &'a Finding) -> Self {
        let rule = finding.rule;
        FindingOut {
            rule: rule.id,
            slug: rule.slug,
            title: rule.title,
            severity: rule.severity.as_str(),
            categories: rule.categories.iter().map(|c| c.as_str()).collect(),
            status: finding.status.as_str(),
            resource: ResourceOut {
                id: &finding.resource.id,
                resource_type: finding.resource.resource_type.as_str(),
                generated_from: finding.resource.generated_from.as_deref(),
                live: finding.resource.live.as_ref().map(|l| LiveOut {
                    account: l.account.as_deref(),
                    region: l.region.as_deref(),
                    stack: l.stack.as_deref(),
                }),
            },
            location: finding.location.as_ref().map(|l| LocationOut { file: &l.file, line: l.line, column: l.column }),
            message: &finding.message,
            fix: finding.fix.as_ref().map(|fix| FixOut {
                summary: &fix.summary,
                snippet: fix.snippet.as_ref().map(|s| SnippetOut { language: s.language, code: &s.code }),
            }),
            suppressed: finding.suppressed.as_ref().map(|s| SuppressedOut {
                reason: &s.reason,
                expires: s.expires.map(|d| d.to_string()),
                source: s.source,
            }),
            baseline: report.baseline_state(finding).map(|s| s.as_str()),
        }
    }
}
