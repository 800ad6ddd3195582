use std::fmt;
use std::sync::Arc;

use crate::{Date, Syntax};

/// A place in a template file. Lines and columns are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The CloudFormation type of a resource, e.g. `AWS::S3::Bucket`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceType(pub Arc<str>);

impl ResourceType {
    pub fn new(name: &str) -> Self {
        ResourceType(Arc::from(name))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which resource a fact or a finding is about, and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRef {
    /// The logical id in a template, the ARN in a live account.
    pub id: String,
    /// The CloudFormation type of this model resource (`AWS::Lambda::Function` also for a SAM function).
    pub resource_type: ResourceType,
    /// Where the resource is declared (for SAM-generated resources: where their SAM resource is).
    pub location: Option<Location>,
    /// The SAM resource this one was generated from, e.g. `MyFunction` for `MyFunctionRole`.
    pub generated_from: Option<String>,
    /// The syntax fixes are written in.
    pub syntax: Syntax,
    /// Findings the user has accepted on this resource (template `Metadata.sensei.ignore`).
    pub suppressions: Vec<Suppression>,
    /// Where a deployed resource lives; `None` for a template resource.
    pub live: Option<LiveOrigin>,
}

/// The account, region and stack of a deployed resource, and what of it could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveOrigin {
    pub account: Option<String>,
    pub region: Option<String>,
    /// The CloudFormation stack the resource belongs to, when it belongs to one.
    pub stack: Option<String>,
    /// Reads of this resource that failed (`s3:GetBucketPolicy: AccessDenied`): a rule that cannot
    /// decide without them reports `not evaluated`, never a pass.
    pub unread: Vec<String>,
}

impl LiveOrigin {
    /// Where a deployed resource lives, for people: `eu-west-1, stack orders-prod`, or `global` for
    /// an account-wide resource (IAM); `None` when neither region nor stack is known.
    pub fn place(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        match &self.region {
            Some(region) => parts.push(region.clone()),
            None if self.account.is_some() => parts.push("global".to_string()),
            None => {}
        }
        parts.extend(self.stack.iter().map(|s| format!("stack {s}")));
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// "Do not report this rule on this resource", with the reason, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// A rule id, slug or alias.
    pub rule: String,
    pub reason: String,
    /// The last day it applies; after it, the finding is reported again.
    pub expires: Option<Date>,
    pub location: Option<Location>,
}

impl ResourceRef {
    /// The logical id of the resource that the user wrote: the SAM resource for generated ones.
    pub fn declared_id(&self) -> &str {
        self.generated_from.as_deref().unwrap_or(&self.id)
    }
}

/// What kind of template a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TemplateKind {
    CloudFormation,
    Sam,
    ServerlessFramework,
    Cdk,
}

impl TemplateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::CloudFormation => "cloudformation",
            TemplateKind::Sam => "sam",
            TemplateKind::ServerlessFramework => "serverless-framework",
            TemplateKind::Cdk => "cdk",
        }
    }
}

/// Data a live audit could not read, and why: an API call that was refused or failed. A gap is
/// not a finding (nothing was decided) and not an error (the run went on): every report shows it,
/// so a reader knows what the audit did not see. Templates have no gaps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gap {
    /// The service, as IAM actions name it: `s3`, `lambda`.
    pub service: String,
    /// The API operation that failed: `GetBucketPolicy`.
    pub operation: String,
    /// The region of the call; `None` for global services (IAM, CloudFront).
    pub region: Option<String>,
    /// The resource (ARN) the call was about; `None` when a whole listing failed.
    pub resource: Option<String>,
    /// The AWS error code (`AccessDenied`), or sensei's own: `Timeout`, `ConnectionFailed`,
    /// `InvalidResponse` (not an AWS answer, e.g. an emulator's HTML page), `HttpStatus<code>`.
    pub code: String,
    pub message: String,
}

impl Gap {
    /// `s3:GetBucketPolicy (AccessDenied)`, as `LiveOrigin::unread` lists it.
    pub fn unread(&self) -> String {
        format!("{}:{} ({})", self.service, self.operation, self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::LiveOrigin;

    #[test]
    fn a_live_place_names_region_and_stack() {
        let origin = |region: Option<&str>, stack: Option<&str>| LiveOrigin {
            account: Some("123456789012".into()),
            region: region.map(Into::into),
            stack: stack.map(Into::into),
            unread: Vec::new(),
        };
        assert_eq!(origin(Some("eu-west-1"), Some("orders")).place().as_deref(), Some("eu-west-1, stack orders"));
        assert_eq!(origin(Some("eu-west-1"), None).place().as_deref(), Some("eu-west-1"));
        assert_eq!(origin(None, None).place().as_deref(), Some("global"));
        assert_eq!(LiveOrigin::default().place(), None);
    }
}
