//! AWS Lambda: functions, layers, event sources and permissions.

use crate::{ResourceRef, Setting};

/// `AWS::Lambda::Function` (and the function of `AWS::Serverless::Function`).
#[derive(Debug, Clone)]
pub struct Function {
    pub resource: ResourceRef,
    pub function_name: Setting<String>,
    /// `None` for container images.
    pub runtime: Setting<Option<String>>,
    pub handler: Setting<Option<String>>,
    pub package_type: Setting<PackageType>,
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
    pub in_vpc: Setting<bool>,
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

/// `AWS::Lambda::Permission`.
#[derive(Debug, Clone)]
pub struct Permission {
    pub resource: ResourceRef,
    pub function: Setting<String>,
    pub action: Setting<String>,
    pub principal: Setting<String>,
    pub source_arn: Setting<Option<String>>,
    pub source_account: Setting<Option<String>>,
}
