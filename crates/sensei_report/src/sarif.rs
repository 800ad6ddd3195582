//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//!
//! One run: the tool with every rule (its help text and `security-severity`), and one result per
//! failing finding, with its file, line and column in a template, or its ARN as a logical
//! location for a live resource. Suppressed findings carry a `suppressions` entry; with a baseline
//! every result has a `baselineState`. Passes, unknowns and skips are not results (the JSON report
//! has them). Inputs that could not be read and the gaps of a live audit are tool execution
//! notifications. `docs/formats.md` explains each choice; a test checks the output against the
//! SARIF 2.1.0 schema.
//!
//! The shape is a small set of serde structs, the subset of SARIF sensei writes.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::{FindingKey, Gap, InputError, Report, State};
use sensei_rules::{Finding, RuleMeta, Severity, Suppressed};

/// The schema SARIF files name: the OASIS standard, errata 01.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of sensei's own fingerprint in `partialFingerprints`: rule, file and resource, no
/// line, so that viewers track a result across commits that move it.
pub const FINGERPRINT: &str = "senseiFindingKey/v1";

/// Writes `report` as a SARIF 2.1.0 log, pretty-printed, followed by a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let log = Log::new(report);
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// GitHub's scale: 9.0 and above is critical, 7.0 high, 4.0 medium, 0.1 low.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// SARIF's level of a failing result: by severity, the same in every run.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    /// Scores as in the JSON report: `overall` (or null) and each category with checks.
    scores: BTreeMap<&'static str, Option<u8>>,
    files: Vec<&'a str>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
    enabled: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleProperties {
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    tags: Vec<&'static str>,
    severity: &'static str,
    maturity_level: u8,
    aliases: &'static [&'static str],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    descriptor: Descriptor,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<BTreeMap<&'static str, String>>,
}

#[derive(Serialize)]
struct Descriptor {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    kind: &'static str,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    severity: &'static str,
    resource_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    generated_from: Option<String>,
    /// `true` when this result fails the run (not suppressed, not in the baseline, at least as
    /// severe as `--fail-on`).
    fails_run: bool,
    /// A deployed resource's account, region and stack (SARIF has no place for them elsewhere).
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stack: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixProperties>,
}

#[derive(Serialize)]
struct FixProperties {
    summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

impl<'a> Log<'a> {
    fn new(report: &'a Report) -> Self {
        let rules = report.all_rules();
        let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        let results = report
            .sorted_findings()
            .into_iter()
            .filter(|f| f.status == sensei_rules::Status::Fail)
            .map(|f| result(report, f, index.get(f.rule.id).copied().unwrap_or_default()))
            .collect();
        let mut notifications: Vec<Notification> = report.sorted_errors().into_iter().map(error_notification).collect();
        notifications.extend(report.sorted_gaps().into_iter().map(gap_notification));
        let scores = report.scores();
        let mut score_map = BTreeMap::from([("overall", scores.overall.percent())]);
        for (category, score) in &scores.categories {
            if let Some(percent) = score.percent() {
                score_map.insert(category.as_str(), Some(percent));
            }
        }
        Log {
            schema: SCHEMA_URI,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "sensei",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        rules: rules.into_iter().map(rule).collect(),
                    },
                },
                invocations: vec![Invocation {
                    execution_successful: report.errors.is_empty(),
                    tool_execution_notifications: notifications,
                }],
                results,
                column_kind: "unicodeCodePoints",
                properties: RunProperties {
                    scores: score_map,
                    files: report.sorted_files().into_iter().map(|f| f.file.as_str()).collect(),
                },
            }],
        }
    }
}

fn rule(meta: &'static RuleMeta) -> Rule {
    let docs = meta.docs.trim();
    let help = if docs.is_empty() { meta.title.to_string() } else { docs.to_string() };
    let full = section(docs, "What it checks").unwrap_or_else(|| meta.title.to_string());
    let mut tags: Vec<&'static str> = meta.categories.iter().map(|c| c.as_str()).collect();
    tags.push(meta.service.as_str());
    Rule {
        id: meta.id,
        name: meta.slug,
        short_description: Text { text: meta.title.to_string() },
        full_description: Text { text: full },
        help: Help { text: help.clone(), markdown: help },
        default_configuration: Configuration { level: level(meta.severity), enabled: meta.enabled_by_default },
        properties: RuleProperties {
            security_severity: security_severity(meta.severity),
            tags,
            severity: meta.severity.as_str(),
            maturity_level: meta.level,
            aliases: meta.aliases,
        },
    }
}

/// The first paragraph under `## {heading}` in a rule's page, as one line.
fn section(docs: &str, heading: &str) -> Option<String> {
    let start = docs.find(&format!("## {heading}"))?;
    let body = docs.get(start..)?.split_once('\n')?.1;
    let paragraph: Vec<&str> = body
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect();
    (!paragraph.is_empty()).then(|| paragraph.join(" "))
}

fn result(report: &Report, finding: &Finding, rule_index: usize) -> SarifResult {
    let meta = finding.rule;
    let live = finding.resource.live.as_ref();
    let mut text = match live.and_then(|l| l.place()) {
        Some(place) => format!("{} ({place}): {}", finding.resource.id, finding.message),
        None => format!("{}: {}", finding.resource.id, finding.message),
    };
    if let Some(fix) = &finding.fix {
        text.push_str(&format!("\nFix: {}", fix.summary));
        if let Some(snippet) = &fix.snippet {
            text.push_str(&format!("\n\n{}", snippet.code));
        }
    }
    let key = FindingKey::of(finding);
    let fingerprint = format!("{}|{}|{}", key.rule, key.file.as_deref().unwrap_or_default(), key.resource);
    let state = report.state(finding);
    SarifResult {
        rule_id: meta.id,
        rule_index,
        kind: "fail",
        level: level(meta.severity),
        message: Text { text },
        locations: vec![finding_location(finding)],
        partial_fingerprints: BTreeMap::from([(FINGERPRINT, fingerprint)]),
        suppressions: finding.suppressed.as_ref().map(suppression).into_iter().collect(),
        baseline_state: report.baseline_state(finding).map(|s| s.as_str()),
        properties: ResultProperties {
            severity: meta.severity.as_str(),
            resource_type: finding.resource.resource_type.to_string(),
            generated_from: finding.resource.generated_from.clone(),
            fails_run: state == State::Failing,
            account: live.and_then(|l| l.account.clone()),
            region: live.and_then(|l| l.region.clone()),
            stack: live.and_then(|l| l.stack.clone()),
            fix: finding.fix.as_ref().map(|fix| FixProperties {
                summary: fix.summary.clone(),
                language: fix.snippet.as_ref().map(|s| s.language),
                code: fix.snippet.as_ref().map(|s| s.code.clone()),
            }),
        },
    }
}

/// The place in a template, with the resource as a logical location; for a live resource (no
/// file), the ARN alone.
fn finding_location(finding: &Finding) -> SarifLocation {
    let resource = &finding.resource;
    let physical = finding.location.as_ref().map(|l| PhysicalLocation {
        artifact_location: artifact(&l.file),
        region: (l.line > 0).then(|| Region { start_line: l.line, start_column: (l.column > 0).then_some(l.column) }),
    });
    let name = match &physical {
        // An ARN's last part names the resource: `arn:aws:s3:::orders-data` -> `orders-data`.
        None => resource.id.rsplit([':', '/']).find(|s| !s.is_empty()).unwrap_or(&resource.id).to_string(),
        Some(_) => resource.id.clone(),
    };
    SarifLocation {
        physical_location: physical,
        logical_locations: vec![LogicalLocation { name, fully_qualified_name: resource.id.clone(), kind: "resource" }],
    }
}

fn suppression(s: &Suppressed) -> Suppression {
    let mut justification = s.reason.clone();
    if let Some(expires) = s.expires {
        justification.push_str(&format!(" (until {expires})"));
    }
    Suppression {
        // In the template's own Metadata, or in sensei.toml beside it.
        kind: if s.source == "template" { "inSource" } else { "external" },
        status: "accepted",
        justification,
    }
}

fn error_notification(error: &InputError) -> Notification {
    let region = error.line.filter(|l| *l > 0).map(|line| Region { start_line: line, start_column: error.column });
    Notification {
        level: "error",
        message: Text { text: format!("{}: {}", error.file, error.message) },
        descriptor: Descriptor { id: "input-error".to_string() },
        locations: vec![SarifLocation {
            physical_location: Some(PhysicalLocation { artifact_location: artifact(&error.file), region }),
            logical_locations: Vec::new(),
        }],
        properties: None,
    }
}

fn gap_notification(gap: &Gap) -> Notification {
    let mut properties = BTreeMap::from([
        ("service", gap.service.clone()),
        ("operation", gap.operation.clone()),
        ("code", gap.code.clone()),
    ]);
    if let Some(region) = &gap.region {
        properties.insert("region", region.clone());
    }
    let locations = gap
        .resource
        .iter()
        .map(|arn| SarifLocation {
            physical_location: None,
            logical_locations: vec![LogicalLocation {
                name: arn.rsplit([':', '/']).find(|s| !s.is_empty()).unwrap_or(arn).to_string(),
                fully_qualified_name: arn.clone(),
                kind: "resource",
            }],
        })
        .collect();
    Notification {
        level: "warning",
        message: Text { text: format!("not read: {}", crate::gap_line(gap)) },
        descriptor: Descriptor { id: format!("gap/{}", gap.code) },
        locations,
        properties: Some(properties),
    }
}

fn artifact(file: &str) -> ArtifactLocation {
    let path = file.replace('\\', "/");
    if path.starts_with('/') {
        ArtifactLocation { uri: format!("file://{}", encode_path(&path)), uri_base_id: None }
    } else {
        // Relative to where sensei ran, which in CI is the checkout: GitHub resolves it there.
        ArtifactLocation { uri: encode_path(&path), uri_base_id: Some("%SRCROOT%") }
    }
}

/// A path as a URI reference: unreserved characters and `/` as they are, the rest percent-encoded.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(encode_path("examples/a b/t.yaml"), "examples/a%20b/t.yaml");
        assert_eq!(encode_path("x/é#?.json"), "x/%C3%A9%23%3F.json");
        assert_eq!(artifact("/tmp/t.yaml").uri, "file:///tmp/t.yaml");
        assert_eq!(artifact("t.yaml").uri_base_id, Some("%SRCROOT%"));
    }

    #[test]
    fn the_first_paragraph_of_a_section() {
        let docs = "# T\n\n## What it checks\n\nThat the bucket\nrefuses HTTP.\n\nMore.\n\n## Why it matters\n";
        assert_eq!(section(docs, "What it checks").as_deref(), Some("That the bucket refuses HTTP."));
        assert_eq!(section(docs, "How to fix"), None);
    }
}
