//! Amazon S3: buckets and their bucket policies.

use crate::{Expr, Policy, ResourceRef, Setting};

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
}

impl Bucket {
    /// The bucket's ARN for policy evaluation (see [`crate::symbolic_for_policy`]).
    pub fn arn(&self) -> Option<String> {
        self.bucket_name.known().map(|name| crate::symbolic_for_policy(&format!("arn:aws:s3:::{name}")))
    }
}

/// The four Block Public Access settings; an absent one is false, as in AWS.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicAccessBlock {
    pub block_public_acls: Setting<bool>,
    pub block_public_policy: Setting<bool>,
    pub ignore_public_acls: Setting<bool>,
    pub restrict_public_buckets: Setting<bool>,
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
