//! The fixed reports every format is rendered from: one of templates, one of a live account.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use sensei_model::{Location, ResourceRef, ResourceType, Syntax};
use sensei_report::{Baseline, FindingKey, Gap, InputError, Report, ScannedFile, TemplateKind};
use sensei_rules::{Category, Finding, Fix, RuleMeta, Service, Severity, Snippet, Status, Suppressed};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub static PLAIN_HTTP: RuleMeta = RuleMeta {
    id: "S3-001",
    slug: "bucket-allows-plain-http",
    title: "S3 bucket refuses plain-HTTP requests",
    service: Service::S3,
    categories: &[Category::Security],
    severity: Severity::High,
    level: 2,
    aliases: &["s3OnlyAllowHTTPS", "S3.5"],
    options: &[],
    needs_live_data: false,
    reads: &[],
    enabled_by_default: true,
    docs: PLAIN_HTTP_DOCS,
};

pub static TIMEOUT: RuleMeta = RuleMeta {
    id: "LAMBDA-002",
    slug: "function-uses-default-timeout",
    title: "Lambda function sets a timeout of its own",
    service: Service::Lambda,
    categories: &[Category::Stability, Category::Savings],
    severity: Severity::Medium,
    level: 1,
    aliases: &["noDefaultTimeout"],
    options: &[],
    needs_live_data: false,
    reads: &[],
    enabled_by_default: true,
    docs: "",
};

pub static ALL_ACTIONS: RuleMeta = RuleMeta {
    id: "IAM-001",
    slug: "role-allows-all-actions",
    title: "IAM role grants only named actions",
    service: Service::Iam,
    categories: &[Category::Security],
    severity: Severity::Critical,
    level: 1,
    aliases: &[],
    options: &[],
    needs_live_data: false,
    reads: &[],
    enabled_by_default: true,
    docs: "",
};

pub const SAM_FILE: &str = "examples/sam-app/template.yaml";
pub const SAM_SOURCE: &str = "\
AWSTemplateFormatVersion: \"2010-09-09\"
Transform: AWS::Serverless-2016-10-31
Description: Orders service

Parameters:
  TimeoutSeconds:
    Type: Number

Resources:
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: orders-data

  LogsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: orders-logs

  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Timeout: !Ref TimeoutSeconds
";

pub const JSON_FILE: &str = "stacks/legacy.json";
pub const JSON_SOURCE: &str = r#"{
  "Resources": {
    "LegacyFunction": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Handler": "index.handler",
        "Runtime": "nodejs20.x",
        "Timeout": 10
      }
    }
  }
}
"#;

pub const FIX_CODE: &str = "\
DataBucketPolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref DataBucket
    PolicyDocument:
      Version: \"2012-10-17\"
      Statement:
        - Sid: DenyPlainHttp
          Effect: Deny
          Principal: \"*\"
          Action: s3:*
          Resource:
            - !GetAtt DataBucket.Arn
            - !Sub \"${DataBucket.Arn}/*\"
          Condition:
            Bool:
              aws:SecureTransport: \"false\"";

pub fn at(file: &str, line: u32, column: u32) -> Location {
    Location { file: Arc::from(file), line, column }
}

pub fn resource(id: &str, kind: &str, declared: Location, generated_from: Option<&str>, syntax: Syntax) -> ResourceRef {
    ResourceRef {
        id: id.to_string(),
        resource_type: ResourceType::new(kind),
        location: Some(declared),
        generated_from: generated_from.map(str::to_string),
        syntax,
        suppressions: Vec::new(),
        live: None,
    }
}

pub fn finding(
    rule: &'static RuleMeta,
    status: Status,
    resource: ResourceRef,
    at: Option<Location>,
    message: &str,
) -> Finding {
    let location = at.or_else(|| resource.location.clone());
    Finding { rule, status, resource, location, message: message.to_string(), fix: None, suppressed: None }
}

/// Two files with their sources; a fail with a YAML fix, a pass, an unknown, a skip, and two
/// unreadable inputs (one with a position, one without). Findings are deliberately out of order.
pub fn fixed_report() -> Report {
    let data_bucket = resource("DataBucket", "AWS::S3::Bucket", at(SAM_FILE, 10, 3), None, Syntax::Yaml);
    let logs_bucket = resource("LogsBucket", "AWS::S3::Bucket", at(SAM_FILE, 15, 3), None, Syntax::Yaml);
    let orders = resource("OrdersFunction", "AWS::Lambda::Function", at(SAM_FILE, 20, 3), None, Syntax::Yaml);
    let role =
        resource("OrdersFunctionRole", "AWS::IAM::Role", at(SAM_FILE, 20, 3), Some("OrdersFunction"), Syntax::Yaml);
    let legacy = resource("LegacyFunction", "AWS::Lambda::Function", at(JSON_FILE, 3, 5), None, Syntax::Json);

    let mut fail = finding(
        &PLAIN_HTTP,
        Status::Fail,
        data_bucket,
        None,
        "no bucket policy is attached, so nothing denies requests made over plain HTTP",
    );
    fail.fix = Some(Fix {
        summary: "Add this resource to the template's `Resources`, next to `DataBucket`.".to_string(),
        snippet: Some(Snippet { language: "yaml", code: FIX_CODE.to_string() }),
    });

    let findings = vec![
        finding(&TIMEOUT, Status::Pass, legacy, Some(at(JSON_FILE, 8, 20)), "the timeout is 10 seconds"),
        finding(
            &TIMEOUT,
            Status::Unknown,
            orders,
            Some(at(SAM_FILE, 25, 16)),
            "the timeout is the parameter `TimeoutSeconds`, which has no default",
        ),
        finding(
            &ALL_ACTIONS,
            Status::Skip,
            role,
            None,
            "SAM generates this role from policy templates that this source does not expand",
        ),
        finding(
            &PLAIN_HTTP,
            Status::Pass,
            logs_bucket,
            None,
            "a bucket policy denies every request made over plain HTTP",
        ),
        fail,
    ];

    Report {
        rules: vec![&ALL_ACTIONS, &TIMEOUT, &PLAIN_HTTP],
        scanned: vec![
            ScannedFile { file: SAM_FILE.to_string(), kind: TemplateKind::Sam, resources: 4 },
            ScannedFile { file: JSON_FILE.to_string(), kind: TemplateKind::CloudFormation, resources: 1 },
        ],
        findings,
        errors: vec![
            InputError {
                file: "templates/missing.yaml".to_string(),
                line: None,
                column: None,
                message: "cannot read the file: No such file or directory (os error 2)".to_string(),
            },
            InputError {
                file: "templates/broken.yaml".to_string(),
                line: Some(3),
                column: Some(5),
                message: "mapping values are not allowed in this context".to_string(),
            },
        ],
        sources: BTreeMap::from([
            (SAM_FILE.to_string(), Arc::from(SAM_SOURCE)),
            (JSON_FILE.to_string(), Arc::from(JSON_SOURCE)),
        ]),
        ..Report::default()
    }
}

pub const PLAIN_HTTP_DOCS: &str = "\
## What it checks

That the bucket policy denies every request
made over plain HTTP.

## Why it matters

Requests over HTTP can be read and changed on the way.

## How to fix

Add a `Deny` statement with the condition `aws:SecureTransport: false`.
";

pub const LIVE_FIX: &str = "\
{
  \"Sid\": \"DenyPlainHttp\",
  \"Effect\": \"Deny\"
}";

fn live(arn: &str, kind: &str) -> ResourceRef {
    ResourceRef {
        id: arn.to_string(),
        resource_type: ResourceType::new(kind),
        location: None,
        generated_from: None,
        syntax: Syntax::Live,
        suppressions: Vec::new(),
        live: Some(sensei_model::LiveOrigin {
            account: Some("123456789012".to_string()),
            region: Some("eu-west-1".to_string()),
            stack: Some("orders-prod".to_string()),
            unread: Vec::new(),
        }),
    }
}

/// A live audit: resources named by ARN with no file, a suppressed failure, and two gaps.
pub fn live_report() -> Report {
    let mut fail = finding(
        &PLAIN_HTTP,
        Status::Fail,
        live("arn:aws:s3:::orders-data", "AWS::S3::Bucket"),
        None,
        "no bucket policy is attached, so nothing denies requests made over plain HTTP",
    );
    fail.fix = Some(Fix {
        summary: "Attach a bucket policy with this statement.".to_string(),
        snippet: Some(Snippet { language: "json", code: LIVE_FIX.to_string() }),
    });
    let mut suppressed = finding(
        &TIMEOUT,
        Status::Fail,
        live("arn:aws:lambda:eu-west-1:123456789012:function:nightly-export", "AWS::Lambda::Function"),
        None,
        "the timeout is the default of 3 seconds",
    );
    suppressed.fix = Some(Fix { summary: "Set `Timeout` on the function.".to_string(), snippet: None });
    suppressed.suppressed = Some(Suppressed {
        reason: "a batch job; its timeout was reviewed".to_string(),
        expires: None,
        source: "config",
    });
    Report {
        rules: vec![&TIMEOUT, &PLAIN_HTTP],
        findings: vec![
            fail,
            finding(
                &PLAIN_HTTP,
                Status::Pass,
                live("arn:aws:s3:::orders-logs", "AWS::S3::Bucket"),
                None,
                "a bucket policy denies every request made over plain HTTP",
            ),
            suppressed,
        ],
        gaps: vec![
            Gap {
                service: "s3".to_string(),
                operation: "GetBucketPolicy".to_string(),
                region: Some("eu-west-1".to_string()),
                resource: Some("arn:aws:s3:::orders-archive".to_string()),
                code: "AccessDenied".to_string(),
                message: "User: arn:aws:sts::123456789012:assumed-role/audit/sensei is not authorized to perform: s3:GetBucketPolicy".to_string(),
            },
            Gap {
                service: "iam".to_string(),
                operation: "ListRoles".to_string(),
                region: None,
                resource: None,
                code: "Throttling".to_string(),
                message: "Rate exceeded".to_string(),
            },
        ],
        ..Report::default()
    }
}

/// Text that would run as code if a format did not escape it.
pub const HOSTILE: &str = "<script>alert('owned')</script><img src=x onerror=alert(1)>";

/// The fixed report with a baseline that knows the failing bucket, and one more failure that is
/// suppressed.
pub fn baselined_report() -> Report {
    let mut report = fixed_report();
    let failing = report.findings.iter().find(|f| f.status == Status::Fail).cloned().unwrap();
    let known = FindingKey::of(&failing);
    let mut new_failure = failing.clone();
    new_failure.resource.id = "NewBucket".to_string();
    new_failure.message = "a new bucket without a policy".to_string();
    let mut suppressed = failing.clone();
    suppressed.resource.id = "AcceptedBucket".to_string();
    suppressed.suppressed = Some(Suppressed {
        reason: "served by CloudFront only".to_string(),
        expires: sensei_model::Date::parse("2099-01-31"),
        source: "template",
    });
    report.findings.push(new_failure);
    report.findings.push(suppressed);
    report.baseline = Some(Baseline { known: BTreeSet::from([known]), fixed: 1 });
    report
}

/// Everything a page can show at once: every state, errors and gaps.
pub fn everything_report() -> Report {
    let mut report = baselined_report();
    report.gaps = live_report().gaps;
    report
}
