//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sensei_rules::{RuleMeta, Selection};

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
    /// List the rules.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain {
        /// A rule id (S3-001), slug (bucket-allows-plain-http) or alias (s3OnlyAllowHTTPS, S3.5).
        rule: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
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
}

impl SelectArgs {
    pub fn selection(&self) -> Selection {
        Selection { select: self.select.clone(), ignore: self.ignore.clone(), level: self.level }
    }
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Template files and folders to audit (folders recursively, .gitignore respected). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// The report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub select: SelectArgs,
    /// A template parameter value, used in place of its default (repeatable).
    #[arg(long = "parameter", value_name = "NAME=VALUE", value_parser = parse_parameter)]
    pub parameters: Vec<(String, String)>,
    /// Also list passing and skipped findings.
    #[arg(long, short)]
    pub verbose: bool,
    /// Colours in the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Search folders without honouring .gitignore files.
    #[arg(long)]
    pub no_ignore: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
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
