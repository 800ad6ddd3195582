use std::fmt;

use serde::Serialize;

use crate::{Findings, RuleOption};
use sensei_model::{Fact, Inventory};

/// What a rule protects. A rule may serve several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Security,
    Stability,
    Speed,
    Savings,
    Sustainability,
}

impl Category {
    pub const ALL: [Category; 5] =
        [Category::Security, Category::Stability, Category::Speed, Category::Savings, Category::Sustainability];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Stability => "stability",
            Category::Speed => "speed",
            Category::Savings => "savings",
            Category::Sustainability => "sustainability",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The impact of a failure, from the worst down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The AWS service a rule is about; the rule id starts with its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Service {
    ApiGateway,
    Backup,
    CloudFront,
    Cognito,
    DynamoDb,
    EventBridge,
    Iam,
    Kms,
    Lambda,
    Logs,
    Rds,
    S3,
    Ses,
    StepFunctions,
    Sns,
    Sqs,
}

impl Service {
    /// In the order of their rule id prefixes, which is the registry's order.
    pub const ALL: [Service; 16] = [
        Service::ApiGateway,
        Service::Backup,
        Service::CloudFront,
        Service::Cognito,
        Service::DynamoDb,
        Service::EventBridge,
        Service::Iam,
        Service::Kms,
        Service::Lambda,
        Service::Logs,
        Service::Rds,
        Service::S3,
        Service::Ses,
        Service::StepFunctions,
        Service::Sns,
        Service::Sqs,
    ];

    /// The rule id prefix, e.g. `S3` in `S3-001`.
    pub fn prefix(self) -> &'static str {
        match self {
            Service::ApiGateway => "APIGW",
            Service::Backup => "BACKUP",
            Service::CloudFront => "CF",
            Service::Cognito => "COGNITO",
            Service::DynamoDb => "DDB",
            Service::EventBridge => "EB",
            Service::Iam => "IAM",
            Service::Kms => "KMS",
            Service::Lambda => "LAMBDA",
            Service::Logs => "LOGS",
            Service::Rds => "RDS",
            Service::S3 => "S3",
            Service::Ses => "SES",
            Service::StepFunctions => "SFN",
            Service::Sns => "SNS",
            Service::Sqs => "SQS",
        }
    }

    /// The name used on the command line and in reports, e.g. `s3`, `lambda`.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::ApiGateway => "apigateway",
            Service::Backup => "backup",
            Service::CloudFront => "cloudfront",
            Service::Cognito => "cognito",
            Service::DynamoDb => "dynamodb",
            Service::EventBridge => "eventbridge",
            Service::Iam => "iam",
            Service::Kms => "kms",
            Service::Lambda => "lambda",
            Service::Logs => "logs",
            Service::Rds => "rds",
            Service::S3 => "s3",
            Service::Ses => "ses",
            Service::StepFunctions => "stepfunctions",
            Service::Sns => "sns",
            Service::Sqs => "sqs",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule is: its identity, what it protects, and its documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable and never reused: `S3-001`.
    pub id: &'static str,
    /// Kebab-case, names the problem: `bucket-allows-plain-http`. Matches the rule's file name.
    pub slug: &'static str,
    /// States the requirement: "S3 bucket refuses plain-HTTP requests".
    pub title: &'static str,
    pub service: Service,
    pub categories: &'static [Category],
    pub severity: Severity,
    /// Maturity level 1-5, as in sls-mentor: level 1 rules matter for every stack.
    pub level: u8,
    /// Other names of this check: the sls-mentor rule id, Security Hub control ids.
    pub aliases: &'static [&'static str],
    /// Options `sensei.toml` can set for this rule, with their defaults.
    pub options: &'static [RuleOption],
    /// True when only a deployed account has the data the rule needs (code size, versions,
    /// metrics): in templates it reports `skip` with the reason.
    pub needs_live_data: bool,
    /// The facts of a live account the rule uses beyond what listing and describing its resources
    /// gives (`Fact::BucketPolicy`): the live audit reads only the facts of the selected rules.
    /// The rules' tests check that a rule gives the same verdicts with every other fact unknown.
    pub reads: &'static [Fact],
    /// Whether the rule runs when nothing selects it explicitly.
    pub enabled_by_default: bool,
    /// The rule's page (Markdown): What it checks, Why it matters, How to fix, When it does not apply, References.
    pub docs: &'static str,
}

/// A rule: its metadata and the function that checks an inventory.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Inventory, &mut Findings<'_>),
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule").field("id", &self.meta.id).finish()
    }
}
