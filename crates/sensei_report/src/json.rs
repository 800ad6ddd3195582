//! The JSON report: the machine contract, documented in `docs/json-output.md`.
//!
//! The shape is declared here by private structs, so a change in another crate's types cannot
//! change the contract by accident. Fields are written in declaration order.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::ser::Formatter;

use crate::{Gap, Report, Scores};
use sensei_rules::{Finding, Status};

/// Names this contract; it changes only when the contract changes incompatibly.
pub const SCHEMA: &str = "sensei-report/1";

/// Findings rendered per parallel task, and per batch written out (which bounds the memory the
/// rendered text takes: a few MB, where the whole document of a large template is tens of MB).
const CHUNK: usize = 256;
const BATCH: usize = 16 * CHUNK;

/// Writes `report` as pretty-printed JSON (serde_json's layout, two-space indent), followed by a
/// newline.
///
/// The findings are nearly all of the document: they are rendered in parallel chunks, each with
/// the indentation it has inside the whole, and written in order. The other fields are written one
/// by one, in the order of [`Document`]'s fields.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let document = Document::new(report);
    // serde_json writes token by token: a buffer of a known type keeps those writes off `dyn Write`.
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    out.write_all(b"{")?;
    field(&mut out, true, "schema", &document.schema)?;
    field(&mut out, false, "tool", &document.tool)?;
    field(&mut out, false, "summary", &document.summary)?;
    out.write_all(b",\n  \"findings\": [")?;
    let mut first = true;
    for batch in document.findings.chunks(BATCH) {
        let rendered: Vec<Vec<u8>> =
            batch.par_chunks(CHUNK).map(|chunk| render_findings(report, chunk)).collect::<io::Result<_>>()?;
        for text in rendered {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(&text)?;
        }
    }
    out.write_all(if document.findings.is_empty() { b"]" } else { b"\n  ]" })?;
    field(&mut out, false, "errors", &document.errors)?;
    field(&mut out, false, "gaps", &document.gaps)?;
    field(&mut out, false, "files", &document.files)?;
    out.write_all(b"\n}\n")?;
    out.flush()
}

/// The document's fields, in the order they are written.
struct Document<'a> {
    schema: &'static str,
    tool: Tool,
    summary: Summary,
    /// Sorted; each is written as a [`FindingOut`].
    findings: Vec<&'a Finding>,
    errors: Vec<ErrorOut<'a>>,
    gaps: Vec<GapOut<'a>>,
    files: Vec<FileOut<'a>>,
}

/// `"name": value` after the fields before it, one level into the document.
fn field(out: &mut impl Write, first: bool, name: &str, value: &impl Serialize) -> io::Result<()> {
    write!(out, "{}  \"{name}\": ", if first { "\n" } else { ",\n" })?;
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut *out, Nested::at(1))).map_err(io::Error::from)
}

/// Findings as they are written in the `findings` array: each after a newline and its indent,
/// separated by commas.
fn render_findings(report: &Report, findings: &[&Finding]) -> io::Result<Vec<u8>> {
    let mut text = Vec::with_capacity(findings.len() * 1024);
    for (i, finding) in findings.iter().enumerate() {
        text.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        let mut serializer = serde_json::Serializer::with_formatter(&mut text, Nested::at(2));
        FindingOut::new(report, finding).serialize(&mut serializer).map_err(io::Error::from)?;
    }
    Ok(text)
}

/// serde_json's pretty layout (that of `to_writer_pretty`: two-space indent), for a value `depth`
/// levels into the document, so that a part written on its own reads as it would in the whole.
/// The logic is `serde_json::ser::PrettyFormatter`'s, which cannot start at a depth.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn at(depth: usize) -> Nested {
        Nested { depth, has_value: false }
    }

    fn indent<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    /// An array or an object begins one level deeper.
    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// It ends on a line of its own at its level, unless it is empty.
    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    /// Each value or key on a new line.
    fn next_line<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.next_line(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.next_line(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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
            findings: report.sorted_findings(),
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use std::sync::Arc;

    use sensei_model::{Location, ResourceRef, ResourceType, Syntax};
    use sensei_rules::{Fix, Snippet};

    use super::*;
    use crate::{InputError, ScannedFile, TemplateKind};

    /// The document as serde_json lays it out written in one piece.
    #[derive(Serialize)]
    struct Whole<'a> {
        schema: &'static str,
        tool: &'a Tool,
        summary: &'a Summary,
        findings: Vec<FindingOut<'a>>,
        errors: &'a [ErrorOut<'a>],
        gaps: &'a [GapOut<'a>],
        files: &'a [FileOut<'a>],
    }

    fn in_one_piece(report: &Report) -> String {
        let d = Document::new(report);
        let whole = Whole {
            schema: d.schema,
            tool: &d.tool,
            summary: &d.summary,
            findings: d.findings.iter().map(|f| FindingOut::new(report, f)).collect(),
            errors: &d.errors,
            gaps: &d.gaps,
            files: &d.files,
        };
        serde_json::to_string_pretty(&whole).unwrap() + "\n"
    }

    fn report_with(findings: usize) -> Report {
        let rule = &sensei_rules::find("S3-001").unwrap().meta;
        let file: Arc<str> = Arc::from("t.yaml");
        let findings = (0..findings)
            .map(|i| Finding {
                rule,
                status: if i % 2 == 0 { Status::Pass } else { Status::Fail },
                resource: ResourceRef {
                    id: format!("Bucket{i}"),
                    resource_type: ResourceType::new("AWS::S3::Bucket"),
                    location: None,
                    generated_from: None,
                    syntax: Syntax::Yaml,
                    suppressions: Vec::new(),
                    live: None,
                },
                location: Some(Location { file: file.clone(), line: u32::try_from(i).unwrap() + 1, column: 3 }),
                message: format!("finding {i}: \"quoted\"\nand on a second line"),
                fix: (i % 2 == 1).then(|| Fix {
                    summary: "Add this.".to_string(),
                    snippet: Some(Snippet { language: "yaml", code: "Key:\n  - value".to_string() }),
                }),
                suppressed: None,
            })
            .collect();
        Report {
            scanned: vec![ScannedFile { file: "t.yaml".to_string(), kind: TemplateKind::CloudFormation, resources: 1 }],
            findings,
            errors: vec![InputError { file: "u.yaml".to_string(), line: Some(1), column: None, message: "bad".into() }],
            ..Report::default()
        }
    }

    #[test]
    fn written_in_parallel_parts_as_in_one_piece() {
        for n in [0, 1, CHUNK, CHUNK + 1, BATCH + CHUNK + 3] {
            let report = report_with(n);
            let mut out = Vec::new();
            render(&report, &mut out).unwrap();
            assert!(String::from_utf8(out).unwrap() == in_one_piece(&report), "{n} findings");
        }
    }
}
