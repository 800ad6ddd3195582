//! AWS Lambda: functions (with their versions, aliases, URLs and asynchronous invocation
//! settings), layers, event sources and permissions.

use crate::{ResourceRef, Setting};

/// `AWS::Lambda::Function` (and the function of `AWS::Serverless::Function`).
#[derive(Debug, Clone)]
pub struct Function {
    pub resource: ResourceRef,
    /// Declared as an `AWS::Serverless::Function`: fixes use SAM's property names.
    pub serverless: bool,
    pub function_name: Setting<String>,
    /// `None` for container images.
    pub runtime: Setting<Option<String>>,
    pub handler: Setting<Option<String>>,
    pub package_type: Setting<PackageType>,
    /// What the function's code is: the package it is deployed from.
    pub code: Setting<CodePackage>,
    /// `ImageConfig.Command` of a container image: its entry point, as `Handler` is for a .zip.
    pub image_command: Setting<Vec<String>>,
    /// SAM `Metadata.BuildMethod` (`esbuild`, `makefile`, ...): how `sam build` builds the code.
    pub build_method: Setting<Option<String>>,
    /// MB; AWS default 128.
    pub memory_size: Setting<u32>,
    /// Seconds; AWS default 3.
    pub timeout: Setting<u32>,
    /// AWS default `[x86_64]`.
    pub architectures: Setting<Vec<Architecture>>,
    /// The execution role's ARN, often symbolic (`${MyFunctionRole.Arn}`).
    pub role: Setting<String>,
    pub tracing_mode: Setting<Option<String>>,
    pub dead_letter_target_arn: Setting<Option<String>>,
    pub reserved_concurrent_executions: Setting<Option<u32>>,
    pub layers: Setting<Vec<String>>,
    /// For each entry of `layers` that names a layer version of the same source: the
    /// architectures it declares compatible. A plain list, not a `Setting`: it follows `layers`
    /// (itself a `Setting`) entry by entry, each entry's architectures carry their own unknown, and
    /// a layer without an entry is treated as one from outside the source (a note, never a pass).
    pub layer_architectures: Vec<LayerArchitectures>,
    pub in_vpc: Setting<bool>,
    /// `VpcConfig.SubnetIds`, each with its Availability Zone when the source knows it.
    pub subnets: Setting<Vec<Subnet>>,
    /// `LoggingConfig`; `None` when absent: logs go to `/aws/lambda/<function name>`.
    pub logging_config: Setting<Option<LoggingConfig>>,
    /// Bytes of the deployment package; known only for a deployed function.
    pub code_size: Setting<u64>,
    /// Published versions (`AWS::Lambda::Version`, SAM `AutoPublishAlias`); unknown when they
    /// could not be listed, so that an empty list always means "none".
    pub versions: Setting<Vec<Version>>,
    /// `AWS::Lambda::Alias` (SAM `AutoPublishAlias`); unknown when they could not be listed.
    pub aliases: Setting<Vec<Alias>>,
    /// `AWS::Lambda::EventInvokeConfig` (SAM `EventInvokeConfig`): asynchronous invocation settings.
    pub event_invoke_configs: Vec<EventInvokeConfig>,
    /// `AWS::Lambda::Url` (SAM `FunctionUrlConfig`).
    pub urls: Vec<FunctionUrl>,
}

impl Function {
    /// The provisioned concurrency configured on its known versions and aliases: (where,
    /// executions). [`Function::unlisted`] says whether some may be missing.
    pub fn provisioned_concurrency(&self) -> impl Iterator<Item = (&ResourceRef, &Setting<Option<u32>>)> {
        let versions = self.versions.known().into_iter().flatten();
        let aliases = self.aliases.known().into_iter().flatten();
        versions
            .map(|v| (&v.resource, &v.provisioned_concurrent_executions))
            .chain(aliases.map(|a| (&a.resource, &a.provisioned_concurrent_executions)))
    }

    /// Why the versions or the aliases are unknown, when they are.
    pub fn unlisted(&self) -> Option<&str> {
        match (&self.versions, &self.aliases) {
            (Setting::Unknown(why), _) | (_, Setting::Unknown(why)) => Some(why),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageType {
    Zip,
    Image,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Architecture {
    X86_64,
    Arm64,
    Other(String),
}

impl Architecture {
    pub fn parse(s: &str) -> Self {
        match s {
            "x86_64" => Architecture::X86_64,
            "arm64" => Architecture::Arm64,
            other => Architecture::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
            Architecture::Other(s) => s,
        }
    }
}

/// Where a function's code comes from. Two functions with equal packages deploy the same code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CodePackage {
    /// SAM `CodeUri` as a path or an `s3://` URI (`src/`, `s3://bucket/key.zip`).
    Uri(String),
    /// `Code.S3Bucket` + `Code.S3Key` (+ `S3ObjectVersion`), or SAM `CodeUri` as a mapping.
    S3 { bucket: String, key: String, version: Option<String> },
    /// `Code.ImageUri` / SAM `ImageUri`.
    Image(String),
    /// `Code.ZipFile` / SAM `InlineCode`: the code is written in the template itself.
    Inline,
    /// The SHA-256 of a deployed package (`CodeSha256`).
    Sha256(String),
}

impl CodePackage {
    /// How the package is written, for messages.
    pub fn describe(&self) -> String {
        match self {
            CodePackage::Uri(uri) => format!("`{uri}`"),
            CodePackage::S3 { bucket, key, .. } => format!("s3://{bucket}/{key}"),
            CodePackage::Image(uri) => format!("image `{uri}`"),
            CodePackage::Inline => "inline code".to_string(),
            CodePackage::Sha256(hash) => format!("the package with SHA-256 {hash}"),
        }
    }
}

/// The compatible architectures of a layer that a function uses.
#[derive(Debug, Clone)]
pub struct LayerArchitectures {
    /// The layer as the function names it (its ARN text).
    pub layer: String,
    /// `CompatibleArchitectures` of the layer version; empty when it declares none.
    pub compatible_architectures: Setting<Vec<Architecture>>,
}

/// A subnet of a function's `VpcConfig`.
#[derive(Debug, Clone)]
pub struct Subnet {
    /// The subnet id as written (`${PrivateSubnetA}` for a subnet of the template).
    pub subnet_id: String,
    pub availability_zone: Setting<AvailabilityZone>,
}

/// An Availability Zone as a template can name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AvailabilityZone {
    /// `us-east-1a`.
    Name(String),
    /// `use1-az1` (`AvailabilityZoneId`).
    Id(String),
    /// `!Select [n, !GetAZs '']`: the n-th zone of the stack's region (zones differ by index).
    NthOfRegion(u32),
}

impl std::fmt::Display for AvailabilityZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AvailabilityZone::Name(n) | AvailabilityZone::Id(n) => f.write_str(n),
            AvailabilityZone::NthOfRegion(i) => write!(f, "zone #{i} of the region"),
        }
    }
}

/// `LoggingConfig` of a function.
#[derive(Debug, Clone)]
pub struct LoggingConfig {
    /// `LogGroup`: the group logs are sent to instead of `/aws/lambda/<function name>`.
    pub log_group: Setting<Option<String>>,
    /// `LogFormat`: `Text` (AWS default) or `JSON`.
    pub log_format: Setting<Option<String>>,
}

/// `AWS::Lambda::Version`.
#[derive(Debug, Clone)]
pub struct Version {
    pub resource: ResourceRef,
    /// `ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions`.
    pub provisioned_concurrent_executions: Setting<Option<u32>>,
}

/// `AWS::Lambda::Alias`.
#[derive(Debug, Clone)]
pub struct Alias {
    pub resource: ResourceRef,
    pub name: Setting<String>,
    /// `ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions`.
    pub provisioned_concurrent_executions: Setting<Option<u32>>,
}

/// `AWS::Lambda::EventInvokeConfig`: what happens to asynchronous invocations.
#[derive(Debug, Clone)]
pub struct EventInvokeConfig {
    pub resource: ResourceRef,
    /// `$LATEST`, a version number or an alias name.
    pub qualifier: Setting<String>,
    /// `DestinationConfig.OnFailure.Destination`.
    pub on_failure_destination: Setting<Option<String>>,
    /// `DestinationConfig.OnSuccess.Destination`.
    pub on_success_destination: Setting<Option<String>>,
    /// AWS default 2.
    pub maximum_retry_attempts: Setting<u32>,
    /// Seconds; AWS default 21600 (6 hours).
    pub maximum_event_age_in_seconds: Setting<u32>,
}

/// `AWS::Lambda::Url`: an HTTPS endpoint of the function.
#[derive(Debug, Clone)]
pub struct FunctionUrl {
    pub resource: ResourceRef,
    pub auth_type: Setting<UrlAuthType>,
    /// `Qualifier`: the alias it serves; `None` for the unqualified function.
    pub qualifier: Setting<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlAuthType {
    /// Anyone on the internet may call it (with a permission that allows `*`).
    None,
    /// Callers sign requests with IAM credentials.
    AwsIam,
    Other(String),
}

impl UrlAuthType {
    pub fn parse(s: &str) -> Self {
        match s {
            "NONE" => UrlAuthType::None,
            "AWS_IAM" => UrlAuthType::AwsIam,
            other => UrlAuthType::Other(other.to_string()),
        }
    }
}

/// `AWS::Lambda::LayerVersion`.
#[derive(Debug, Clone)]
pub struct LayerVersion {
    pub resource: ResourceRef,
    pub compatible_runtimes: Setting<Vec<String>>,
}

/// What triggers a function: `AWS::Lambda::EventSourceMapping` (polled sources) or a push source
/// (S3, SNS, API, schedule, EventBridge rule) that a SAM event declares.
#[derive(Debug, Clone)]
pub struct EventSource {
    pub resource: ResourceRef,
    /// The logical id of the function it invokes, when the source names one.
    pub function: Option<String>,
    pub kind: EventSourceKind,
    /// The ARN of the queue, stream, table, topic or bucket it reads from, when there is one.
    pub event_source_arn: Setting<Option<String>>,
    pub batch_size: Setting<Option<u32>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventSourceKind {
    Sqs,
    Kinesis,
    DynamoDb,
    Msk,
    MQ,
    SelfManagedKafka,
    DocumentDb,
    S3,
    Sns,
    Api,
    HttpApi,
    Schedule,
    EventBridgeRule,
    CloudWatchLogs,
    Cognito,
    IoTRule,
    AlexaSkill,
    /// A polled source whose kind could not be told from its ARN.
    Mapping,
    Other(String),
}

impl EventSourceKind {
    /// Whether the source invokes the function asynchronously (the event is queued by Lambda,
    /// retried, and then dropped unless an on-failure destination or a dead-letter queue takes it).
    pub fn is_asynchronous(&self) -> bool {
        matches!(
            self,
            EventSourceKind::S3
                | EventSourceKind::Sns
                | EventSourceKind::Schedule
                | EventSourceKind::EventBridgeRule
                | EventSourceKind::CloudWatchLogs
                | EventSourceKind::IoTRule
        )
    }
}

/// `AWS::Lambda::Permission`.
#[derive(Debug, Clone)]
pub struct Permission {
    pub resource: ResourceRef,
    pub function: Setting<String>,
    pub action: Setting<String>,
    pub principal: Setting<String>,
    pub source_arn: Setting<Option<String>>,
    pub source_account: Setting<Option<String>>,
    /// `PrincipalOrgID`: only principals of this AWS Organization.
    pub principal_org_id: Setting<Option<String>>,
    /// `EventSourceToken`: the Alexa skill id that may invoke.
    pub event_source_token: Setting<Option<String>>,
    /// `FunctionUrlAuthType` of a `lambda:InvokeFunctionUrl` permission.
    pub function_url_auth_type: Setting<Option<String>>,
}
