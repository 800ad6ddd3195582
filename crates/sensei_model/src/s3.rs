//! Amazon S3: buckets and their bucket policies.

use std::collections::HashMap;

use sensei_policy::{Caller, CallerScope, RequestSpace, ResourceScope};

use crate::{Expr, Inventory, Location, Policy, ResourceRef, Setting};

/// `AWS::S3::Bucket`.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub resource: ResourceRef,
    /// The bucket's name as the source knows it: the declared `BucketName`, or a symbolic
    /// `${LogicalId}` standing for a name CloudFormation generates.
    pub bucket_name: Setting<String>,
    /// The ARN of the bucket and of its objects, written as a fix should write them.
    pub arn_expr: Expr,
    pub objects_arn_expr: Expr,
    /// `PublicAccessBlockConfiguration`; `None` when absent.
    pub public_access_block_configuration: Setting<Option<PublicAccessBlock>>,
    /// `BucketEncryption.ServerSideEncryptionConfiguration`; empty when absent.
    pub bucket_encryption: Setting<Vec<EncryptionRule>>,
    /// Indexes into [`crate::Inventory::bucket_policies`] of the policies attached to this bucket.
    pub policies: Vec<usize>,
    /// `LifecycleConfiguration.Rules`; empty when absent.
    pub lifecycle_configuration: Setting<Vec<LifecycleRule>>,
    /// `LoggingConfiguration`; `None` when absent (server access logging is off).
    pub logging_configuration: Setting<Option<LoggingConfiguration>>,
    /// `OwnershipControls.Rules[].ObjectOwnership`; AWS default `BucketOwnerEnforced` (ACLs
    /// disabled) for buckets created since April 2023.
    pub object_ownership: Setting<ObjectOwnership>,
    /// `AccessControl`, the canned ACL; AWS default `Private`.
    pub access_control: Setting<CannedAcl>,
    /// `VersioningConfiguration.Status`; `None` when absent (versioning was never turned on).
    pub versioning_status: Setting<Option<VersioningStatus>>,
    /// `ReplicationConfiguration.Rules`; empty when absent.
    pub replication_rules: Setting<Vec<ReplicationRule>>,
    /// Where the bucket's event notifications go: `NotificationConfiguration`, the `S3` events of
    /// SAM functions, and the `Custom::S3BucketNotifications` resource the CDK generates. Empty
    /// when there are none.
    pub notification_configuration: Setting<Vec<NotificationTarget>>,
    /// `ObjectLockEnabled`; AWS default false.
    pub object_lock_enabled: Setting<bool>,
    /// MFA delete (`MFADelete` of the versioning configuration). CloudFormation cannot set it: only
    /// the live account knows it.
    pub mfa_delete: Setting<bool>,
    /// The Block Public Access settings of the account that owns the bucket, as the source saw
    /// them (`None`: the account has none). An account setting: only the live account knows it.
    pub account_public_access_block: Setting<Option<PublicAccessBlock>>,
    /// `Tags`.
    pub tags: Setting<Vec<Tag>>,
    /// The access points (`AWS::S3::AccessPoint`) and Multi-Region Access Points
    /// (`AWS::S3::MultiRegionAccessPoint`) the source found for this bucket. A Multi-Region Access
    /// Point appears under each of its buckets. Unknown when they could not be listed.
    pub access_points: Setting<Vec<AccessPoint>>,
}

impl Bucket {
    /// The bucket's ARN for policy evaluation (see [`crate::symbolic_for_policy`]).
    pub fn arn(&self) -> Option<String> {
        self.bucket_name.known().map(|name| crate::symbolic_for_policy(&format!("arn:aws:s3:::{name}")))
    }
}

/// Why each bucket of the inventory holds logs, when it does (see [`why_log_bucket`]).
pub(crate) fn log_buckets(inventory: &Inventory) -> Vec<Option<String>> {
    // Which bucket sends its server access logs to which name: one pass, not one per bucket.
    let mut senders: HashMap<&str, Vec<&str>> = HashMap::new();
    for bucket in &inventory.buckets {
        if let Setting::Known(Some(logging), _) = &bucket.logging_configuration
            && let Some(Some(destination)) = logging.destination_bucket_name.known()
        {
            senders.entry(destination.as_str()).or_default().push(bucket.resource.id.as_str());
        }
    }
    inventory.buckets.iter().map(|bucket| why_log_bucket(bucket, inventory, &senders)).collect()
}

/// Why `bucket` holds logs, when it does: its ACL lets the S3 log delivery group write, another
/// bucket of the inventory sends its server access logs here (`senders`: destination name to the
/// sending buckets), or its bucket policy lets a log delivery service write. Log buckets are written
/// once and rarely read.
fn why_log_bucket(bucket: &Bucket, inventory: &Inventory, senders: &HashMap<&str, Vec<&str>>) -> Option<String> {
    if let Setting::Known(CannedAcl::LogDeliveryWrite, _) = bucket.access_control {
        return Some("its ACL is `LogDeliveryWrite`".to_string());
    }
    let name = bucket.bucket_name.known()?;
    let mut others = senders.get(name.as_str()).into_iter().flatten().filter(|id| **id != bucket.resource.id);
    if let Some(sender) = others.next() {
        return Some(format!("`{sender}` sends its server access logs here"));
    }
    let arn = bucket.arn()?;
    let space = RequestSpace {
        service: "s3".to_string(),
        resources: vec![ResourceScope::Exact(arn.clone()), ResourceScope::AnyUnder(format!("{arn}/"))],
        fixed: Vec::new(),
        callers: CallerScope::Everyone,
    };
    for policy in inventory.policies_of(bucket) {
        let Setting::Known(document, _) = &policy.policy_document else { continue };
        // A grant limited to logs about the bucket itself (`aws:SourceArn` is its own ARN) does
        // not make it the log bucket of others.
        let writer = document.allowed(&space).into_iter().find_map(|request| {
            let about_itself = request.context_values("aws:SourceArn") == [arn.as_str()];
            match request.caller {
                Caller::Service(service) if LOG_DELIVERY_SERVICES.contains(&service.as_str()) && !about_itself => {
                    Some(service)
                }
                _ => None,
            }
        });
        if let Some(service) = writer {
            return Some(format!("its bucket policy lets `{service}` write to it"));
        }
    }
    None
}

/// The service principals that deliver logs into buckets.
pub const LOG_DELIVERY_SERVICES: &[&str] = &[
    "logging.s3.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "logdelivery.elasticloadbalancing.amazonaws.com",
    "config.amazonaws.com",
];

/// A key and a value, as in `Tags` and `TagFilters`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// One rule of `LifecycleConfiguration.Rules`.
#[derive(Debug, Clone, PartialEq)]
pub struct LifecycleRule {
    /// `Id`, if given.
    pub id: Option<String>,
    pub location: Option<Location>,
    pub status: Setting<RuleStatus>,
    /// `Prefix`; `None` or empty: every key.
    pub prefix: Setting<Option<String>>,
    /// `TagFilters`; empty: every object.
    pub tag_filters: Setting<Vec<Tag>>,
    /// `ObjectSizeGreaterThan` and `ObjectSizeLessThan`, in bytes.
    pub object_size_greater_than: Setting<Option<u64>>,
    pub object_size_less_than: Setting<Option<u64>>,
    /// `Transition` and `Transitions` together.
    pub transitions: Setting<Vec<Transition>>,
    pub expiration_in_days: Setting<Option<u32>>,
    pub expiration_date: Setting<Option<String>>,
    /// `NoncurrentVersionExpiration.NoncurrentDays` (or the older `NoncurrentVersionExpirationInDays`).
    pub noncurrent_version_expiration_in_days: Setting<Option<u32>>,
    /// `NoncurrentVersionTransition` and `NoncurrentVersionTransitions` together.
    pub noncurrent_version_transitions: Setting<Vec<Transition>>,
    /// `AbortIncompleteMultipartUpload.DaysAfterInitiation`.
    pub abort_incomplete_multipart_upload_days: Setting<Option<u32>>,
}

/// Below this size S3 Lifecycle does not transition objects (since September 2024), so a filter
/// that leaves out only smaller objects still covers every object a transition can move.
pub const MIN_TRANSITION_SIZE: u64 = 128 * 1024;

impl LifecycleRule {
    /// The objects the rule leaves out, in words (`None`: it covers the whole bucket), or why that
    /// is unknown.
    pub fn scope(&self) -> Result<Option<String>, String> {
        let mut parts = Vec::new();
        match &self.prefix {
            Setting::Known(Some(prefix), _) if !prefix.is_empty() => parts.push(format!("under `{prefix}`")),
            Setting::Known(_, _) => {}
            Setting::Unknown(why) => return Err(format!("its prefix: {why}")),
        }
        match &self.tag_filters {
            Setting::Known(tags, _) if !tags.is_empty() => {
                let tags: Vec<String> = tags.iter().map(|t| format!("{}={}", t.key, t.value)).collect();
                parts.push(format!("tagged {}", tags.join(" and ")));
            }
            Setting::Known(_, _) => {}
            Setting::Unknown(why) => return Err(format!("its tag filters: {why}")),
        }
        match &self.object_size_greater_than {
            Setting::Known(Some(size), _) if *size > MIN_TRANSITION_SIZE => {
                parts.push(format!("larger than {size} bytes"));
            }
            Setting::Known(_, _) => {}
            Setting::Unknown(why) => return Err(format!("its size filter: {why}")),
        }
        match &self.object_size_less_than {
            Setting::Known(Some(size), _) => parts.push(format!("smaller than {size} bytes")),
            Setting::Known(None, _) => {}
            Setting::Unknown(why) => return Err(format!("its size filter: {why}")),
        }
        Ok(if parts.is_empty() { None } else { Some(parts.join(", ")) })
    }

    /// `` `Id` ``, or the rule's 1-based position, for messages ("lifecycle rule 2").
    pub fn name(&self, index: usize) -> String {
        self.id.as_ref().map_or_else(|| (index + 1).to_string(), |id| format!("`{id}`"))
    }
}

/// `Status` of a lifecycle or replication rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleStatus {
    Enabled,
    Disabled,
    /// A value AWS does not accept.
    Other(String),
}

impl RuleStatus {
    pub fn parse(s: &str) -> Self {
        match s {
            "Enabled" => RuleStatus::Enabled,
            "Disabled" => RuleStatus::Disabled,
            other => RuleStatus::Other(other.to_string()),
        }
    }
}

/// A move to another storage class, after some days or on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub storage_class: Setting<StorageClass>,
    /// `TransitionInDays`; `None` when the transition is by date.
    pub transition_in_days: Setting<Option<u32>>,
    /// `TransitionDate`.
    pub transition_date: Setting<Option<String>>,
}

impl Transition {
    /// "after 30 days", "on 2025-01-01", "at once".
    pub fn when(&self) -> String {
        match (self.transition_in_days.known(), self.transition_date.known()) {
            (Some(Some(0)), _) => "at once".to_string(),
            (Some(Some(1)), _) => "after 1 day".to_string(),
            (Some(Some(days)), _) => format!("after {days} days"),
            (_, Some(Some(date))) => format!("on {date}"),
            _ => "at a time not known from the template".to_string(),
        }
    }
}

/// A storage class a lifecycle rule can move objects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageClass {
    IntelligentTiering,
    StandardIa,
    OnezoneIa,
    GlacierIr,
    Glacier,
    DeepArchive,
    Other(String),
}

impl StorageClass {
    pub fn parse(s: &str) -> Self {
        match s {
            "INTELLIGENT_TIERING" => StorageClass::IntelligentTiering,
            "STANDARD_IA" => StorageClass::StandardIa,
            "ONEZONE_IA" => StorageClass::OnezoneIa,
            "GLACIER_IR" => StorageClass::GlacierIr,
            "GLACIER" => StorageClass::Glacier,
            "DEEP_ARCHIVE" => StorageClass::DeepArchive,
            other => StorageClass::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            StorageClass::IntelligentTiering => "INTELLIGENT_TIERING",
            StorageClass::StandardIa => "STANDARD_IA",
            StorageClass::OnezoneIa => "ONEZONE_IA",
            StorageClass::GlacierIr => "GLACIER_IR",
            StorageClass::Glacier => "GLACIER",
            StorageClass::DeepArchive => "DEEP_ARCHIVE",
            StorageClass::Other(s) => s,
        }
    }
}

/// `LoggingConfiguration`: server access logging.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggingConfiguration {
    /// `DestinationBucketName`; `None`: the logs go to the bucket itself.
    pub destination_bucket_name: Setting<Option<String>>,
    pub log_file_prefix: Setting<Option<String>>,
}

/// `OwnershipControls` `ObjectOwnership`: who owns uploaded objects, and whether ACLs work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectOwnership {
    /// ACLs are disabled; the bucket owner owns every object.
    BucketOwnerEnforced,
    BucketOwnerPreferred,
    ObjectWriter,
    Other(String),
}

impl ObjectOwnership {
    pub fn parse(s: &str) -> Self {
        match s {
            "BucketOwnerEnforced" => ObjectOwnership::BucketOwnerEnforced,
            "BucketOwnerPreferred" => ObjectOwnership::BucketOwnerPreferred,
            "ObjectWriter" => ObjectOwnership::ObjectWriter,
            other => ObjectOwnership::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ObjectOwnership::BucketOwnerEnforced => "BucketOwnerEnforced",
            ObjectOwnership::BucketOwnerPreferred => "BucketOwnerPreferred",
            ObjectOwnership::ObjectWriter => "ObjectWriter",
            ObjectOwnership::Other(s) => s,
        }
    }
}

/// `AccessControl`: a canned ACL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CannedAcl {
    Private,
    PublicRead,
    PublicReadWrite,
    AuthenticatedRead,
    LogDeliveryWrite,
    BucketOwnerRead,
    BucketOwnerFullControl,
    AwsExecRead,
    Other(String),
}

impl CannedAcl {
    pub fn parse(s: &str) -> Self {
        match s {
            "Private" => CannedAcl::Private,
            "PublicRead" => CannedAcl::PublicRead,
            "PublicReadWrite" => CannedAcl::PublicReadWrite,
            "AuthenticatedRead" => CannedAcl::AuthenticatedRead,
            "LogDeliveryWrite" => CannedAcl::LogDeliveryWrite,
            "BucketOwnerRead" => CannedAcl::BucketOwnerRead,
            "BucketOwnerFullControl" => CannedAcl::BucketOwnerFullControl,
            "AwsExecRead" => CannedAcl::AwsExecRead,
            other => CannedAcl::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            CannedAcl::Private => "Private",
            CannedAcl::PublicRead => "PublicRead",
            CannedAcl::PublicReadWrite => "PublicReadWrite",
            CannedAcl::AuthenticatedRead => "AuthenticatedRead",
            CannedAcl::LogDeliveryWrite => "LogDeliveryWrite",
            CannedAcl::BucketOwnerRead => "BucketOwnerRead",
            CannedAcl::BucketOwnerFullControl => "BucketOwnerFullControl",
            CannedAcl::AwsExecRead => "AwsExecRead",
            CannedAcl::Other(s) => s,
        }
    }

    /// Who besides the bucket owner the ACL grants access to, if anyone.
    pub fn grantees(&self) -> Option<&'static str> {
        match self {
            CannedAcl::Private | CannedAcl::BucketOwnerRead | CannedAcl::BucketOwnerFullControl => None,
            CannedAcl::PublicRead => Some("everyone (read)"),
            CannedAcl::PublicReadWrite => Some("everyone (read and write)"),
            CannedAcl::AuthenticatedRead => Some("every AWS account (read)"),
            CannedAcl::LogDeliveryWrite => Some("the S3 log delivery group (write)"),
            CannedAcl::AwsExecRead => Some("Amazon EC2 (read)"),
            CannedAcl::Other(_) => Some("grantees of an unrecognized ACL"),
        }
    }
}

/// `VersioningConfiguration.Status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersioningStatus {
    Enabled,
    Suspended,
    Other(String),
}

impl VersioningStatus {
    pub fn parse(s: &str) -> Self {
        match s {
            "Enabled" => VersioningStatus::Enabled,
            "Suspended" => VersioningStatus::Suspended,
            other => VersioningStatus::Other(other.to_string()),
        }
    }
}

/// One rule of `ReplicationConfiguration.Rules`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationRule {
    pub status: Setting<RuleStatus>,
    /// `Destination.Bucket`: the destination bucket's ARN.
    pub destination_bucket: Setting<Option<String>>,
}

/// Where one kind of event notification goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationTarget {
    pub kind: NotificationKind,
    /// The function, queue or topic, as the source names it; `None` for EventBridge.
    pub target: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    Lambda,
    Queue,
    Topic,
    EventBridge,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Lambda => "Lambda function",
            NotificationKind::Queue => "SQS queue",
            NotificationKind::Topic => "SNS topic",
            NotificationKind::EventBridge => "EventBridge",
        }
    }
}

/// `AWS::S3::AccessPoint` or `AWS::S3::MultiRegionAccessPoint`.
#[derive(Debug, Clone)]
pub struct AccessPoint {
    pub resource: ResourceRef,
    pub kind: AccessPointKind,
    /// `Name`; CloudFormation generates one when absent.
    pub name: Setting<Option<String>>,
    /// `PublicAccessBlockConfiguration`; `None` when absent: S3 turns on all four settings for new
    /// access points.
    pub public_access_block_configuration: Setting<Option<PublicAccessBlock>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessPointKind {
    /// `AWS::S3::AccessPoint`.
    Regional,
    /// `AWS::S3::MultiRegionAccessPoint`.
    MultiRegion,
}

/// The four Block Public Access settings; an absent one is false, as in AWS.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicAccessBlock {
    pub block_public_acls: Setting<bool>,
    pub block_public_policy: Setting<bool>,
    pub ignore_public_acls: Setting<bool>,
    pub restrict_public_buckets: Setting<bool>,
}

impl PublicAccessBlock {
    /// The names of the settings that are off, or the first one that is unknown and why.
    pub fn settings_off(&self) -> Result<Vec<&'static str>, (&'static str, String)> {
        let mut off = Vec::new();
        for (name, setting) in [
            ("BlockPublicAcls", &self.block_public_acls),
            ("BlockPublicPolicy", &self.block_public_policy),
            ("IgnorePublicAcls", &self.ignore_public_acls),
            ("RestrictPublicBuckets", &self.restrict_public_buckets),
        ] {
            match setting {
                Setting::Known(true, _) => {}
                Setting::Known(false, _) => off.push(name),
                Setting::Unknown(why) => return Err((name, why.clone())),
            }
        }
        Ok(off)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EncryptionRule {
    pub sse_algorithm: Setting<SseAlgorithm>,
    pub kms_master_key_id: Setting<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseAlgorithm {
    /// `AES256`: S3-managed keys (SSE-S3).
    Aes256,
    /// `aws:kms` (SSE-KMS).
    AwsKms,
    /// `aws:kms:dsse` (dual-layer SSE-KMS).
    AwsKmsDsse,
    /// A value AWS does not accept.
    Other(String),
}

impl SseAlgorithm {
    pub fn parse(s: &str) -> Self {
        match s {
            "AES256" => SseAlgorithm::Aes256,
            "aws:kms" => SseAlgorithm::AwsKms,
            "aws:kms:dsse" => SseAlgorithm::AwsKmsDsse,
            other => SseAlgorithm::Other(other.to_string()),
        }
    }
}

/// `AWS::S3::BucketPolicy`.
#[derive(Debug, Clone)]
pub struct BucketPolicy {
    pub resource: ResourceRef,
    /// The name of the bucket it applies to, as resolved by the source.
    pub bucket: Setting<String>,
    pub policy_document: Setting<Policy>,
}
