//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sensei_report::Format;
use sensei_rules::{RuleMeta, Selection, Severity};

#[derive(Debug, Parser)]
#[command(
    name = "sensei",
    version,
    about = "Audit AWS serverless stacks against good-practice rules, and say exactly what to fix."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit CloudFormation, SAM, Serverless Framework and CDK templates.
    Scan(ScanArgs),
    /// Audit a deployed AWS account, read-only (docs/live-audit.md).
    Audit(Box<AuditArgs>),
    /// Record today's failing findings in a file, so that `scan --baseline FILE` fails only on new ones.
    Baseline(BaselineArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain {
        /// A rule id (S3-001), slug (bucket-allows-plain-http) or alias (s3OnlyAllowHTTPS, S3.5).
        rule: String,
    },
}

/// The formats of `sensei rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// The formats of a scan's report (docs/formats.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For a terminal: what fails, where, and the fix.
    Text,
    /// The machine contract (docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, for a CI's test results.
    Junit,
    /// A summary for GitHub step summaries and pull request comments.
    #[value(alias = "md")]
    Markdown,
    /// One self-contained page to open from disk.
    Html,
}

impl From<ReportFormat> for Format {
    fn from(format: ReportFormat) -> Format {
        match format {
            ReportFormat::Text => Format::Text,
            ReportFormat::Json => Format::Json,
            ReportFormat::Sarif => Format::Sarif,
            ReportFormat::Junit => Format::Junit,
            ReportFormat::Markdown => Format::Markdown,
            ReportFormat::Html => Format::Html,
        }
    }
}

/// `--fail-on`: the least severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl From<FailOn> for Severity {
    fn from(fail_on: FailOn) -> Severity {
        match fail_on {
            FailOn::Critical => Severity::Critical,
            FailOn::High => Severity::High,
            FailOn::Medium => Severity::Medium,
            FailOn::Low => Severity::Low,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct SelectArgs {
    /// Run only these rules: ids, slugs, aliases, services or categories (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,
    /// Do not run these rules (same names as --select).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Run only the rules of this level (1-5) and below.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
    pub level: Option<u8>,
    /// Read this configuration file instead of the nearest sensei.toml (docs/configuration.md).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

impl SelectArgs {
    pub fn selection(&self) -> Selection {
        Selection { select: self.select.clone(), ignore: self.ignore.clone(), level: self.level }
    }

    /// The configuration: `--config PATH`, or the nearest `sensei.toml` from the current folder up.
    pub fn config(&self) -> anyhow::Result<Option<crate::config::Config>> {
        let path = match &self.config {
            Some(path) => Some(path.clone()),
            None => {
                let here = std::env::current_dir()?;
                // Shown relative to the current folder when it is in it.
                crate::config::discover(&here)
                    .map(|found| found.strip_prefix(&here).map(PathBuf::from).unwrap_or(found))
            }
        };
        Ok(path.map(|path| crate::config::load(&path)).transpose()?)
    }
}

/// What to audit, and with which rules: shared by `scan` and `baseline`.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Template files and folders to audit (folders recursively, .gitignore respected). Default: the current folder.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub select: SelectArgs,
    /// A template parameter value, used in place of its default (repeatable).
    #[arg(long = "parameter", value_name = "NAME=VALUE", value_parser = parse_parameter)]
    pub parameters: Vec<(String, String)>,
    /// Search folders without honouring .gitignore files.
    #[arg(long)]
    pub no_ignore: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The format of the report on standard output.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Also write the report in FORMAT to FILE (repeatable): `--output sarif=sensei.sarif --output html=report.html`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_output)]
    pub output: Vec<(ReportFormat, PathBuf)>,
    /// Only failing findings of this severity or worse fail the run (exit code 1). Default: any.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Exit 0 even when findings fail (an unreadable input still exits 2).
    #[arg(long)]
    pub no_fail: bool,
    /// Failing findings recorded in FILE (by `sensei baseline`) are reported as `baseline` and do not fail the run.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Also list passing, skipped, suppressed and baseline findings.
    #[arg(long, short)]
    pub verbose: bool,
    /// Colours in the text report: `auto` uses them on a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `sensei audit`: what to read, and the same report options as `scan`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Use this profile of the AWS config and credentials files (default: the standard chain).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Audit this region (repeatable or comma-separated); `all`: every region enabled for the account
    /// (ec2:DescribeRegions), alone. Default: the configured region.
    #[arg(long = "region", value_delimiter = ',', value_name = "REGION")]
    pub regions: Vec<String>,
    /// Only the resources of this CloudFormation stack and its nested stacks (repeatable).
    #[arg(long = "stack", value_name = "NAME")]
    pub stacks: Vec<String>,
    /// Only the resources that carry this tag (repeatable: a resource must carry every one).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_parameter)]
    pub tags: Vec<(String, String)>,
    /// Send every call to this endpoint (an emulator such as moto); `AWS_ENDPOINT_URL` works too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Fail the run (exit code 2) when some data could not be read (a gap).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub select: SelectArgs,
    /// The format of the report on standard output.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Also write the report in FORMAT to FILE (repeatable): `--output sarif=sensei.sarif --output html=report.html`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_output)]
    pub output: Vec<(ReportFormat, PathBuf)>,
    /// Only failing findings of this severity or worse fail the run (exit code 1). Default: any.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Exit 0 even when findings fail (a failed start, or a gap with --strict, still exits 2).
    #[arg(long)]
    pub no_fail: bool,
    /// Failing findings recorded in FILE (by `sensei baseline`) are reported as `baseline` and do not fail the run.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Also list passing, skipped, suppressed and baseline findings.
    #[arg(long, short)]
    pub verbose: bool,
    /// Colours in the text report: `auto` uses them on a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Where to write the baseline (JSON, `sensei-baseline/1`).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub select: SelectArgs,
}

impl RulesArgs {
    /// `sensei rules` lists the whole catalog unless told otherwise.
    pub fn selection(&self) -> Selection {
        let mut s = self.select.selection();
        if s.select.is_empty() {
            s.select.push("all".to_string());
        }
        s
    }
}

fn parse_output(s: &str) -> Result<(ReportFormat, PathBuf), String> {
    let Some((format, file)) = s.split_once('=') else {
        return Err(format!("`{s}` is not FORMAT=FILE"));
    };
    let format = ReportFormat::from_str(format, true).map_err(|_| {
        let names: Vec<String> = ReportFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        format!("`{format}` is not a format (the formats are {})", names.join(", "))
    })?;
    if file.is_empty() {
        return Err(format!("`{s}` names no file"));
    }
    Ok((format, PathBuf::from(file)))
}

fn parse_parameter(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("`{s}` is not NAME=VALUE")),
    }
}

/// A rule as `sensei rules --format json` lists it.
pub fn rule_json(m: &RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "id": m.id,
        "slug": m.slug,
        "title": m.title,
        "service": m.service.as_str(),
        "categories": m.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "severity": m.severity.as_str(),
        "level": m.level,
        "aliases": m.aliases,
        "enabled_by_default": m.enabled_by_default,
    })
}
