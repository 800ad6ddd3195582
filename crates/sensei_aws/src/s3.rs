//! Amazon S3: buckets (listed once for the account, each read in its own region) and their policies.

use std::collections::BTreeMap;

use aws_sdk_s3::Client;
use aws_sdk_s3::operation::get_bucket_acl::GetBucketAclOutput;
use aws_sdk_s3::operation::get_bucket_encryption::GetBucketEncryptionOutput;
use aws_sdk_s3::operation::get_bucket_lifecycle_configuration::GetBucketLifecycleConfigurationOutput;
use aws_sdk_s3::operation::get_bucket_logging::GetBucketLoggingOutput;
use aws_sdk_s3::operation::get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput;
use aws_sdk_s3::operation::get_bucket_ownership_controls::GetBucketOwnershipControlsOutput;
use aws_sdk_s3::operation::get_bucket_policy::GetBucketPolicyOutput;
use aws_sdk_s3::operation::get_bucket_replication::GetBucketReplicationOutput;
use aws_sdk_s3::operation::get_bucket_tagging::GetBucketTaggingOutput;
use aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningOutput;
use aws_sdk_s3::operation::get_object_lock_configuration::GetObjectLockConfigurationOutput;
use aws_sdk_s3::operation::get_public_access_block::GetPublicAccessBlockOutput;
use aws_sdk_s3::types::{BucketLocationConstraint, BucketVersioningStatus, MfaDeleteStatus, ObjectLockEnabled};
use futures_util::StreamExt as _;
use sensei_model::s3::{
    Bucket, BucketPolicy, CannedAcl, EncryptionRule, LifecycleRule, LoggingConfiguration, NotificationKind,
    NotificationTarget, ObjectOwnership, PublicAccessBlock, ReplicationRule, RuleStatus, SseAlgorithm, StorageClass,
    Tag, Transition, VersioningStatus,
};
use sensei_model::{Expr, Policy, Setting};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{CONCURRENCY_PER_SERVICE, Clients, Fact, Facts, Filter, Scope, live_ref};

/// Everything read about one bucket: one entry per call.
#[derive(Debug)]
pub struct BucketReads {
    pub policy: Read<Option<GetBucketPolicyOutput>>,
    pub public_access_block: Read<Option<GetPublicAccessBlockOutput>>,
    pub encryption: Read<Option<GetBucketEncryptionOutput>>,
    pub versioning: Read<GetBucketVersioningOutput>,
    pub lifecycle: Read<Option<GetBucketLifecycleConfigurationOutput>>,
    pub logging: Read<GetBucketLoggingOutput>,
    pub ownership: Read<Option<GetBucketOwnershipControlsOutput>>,
    /// `None`: not read, as tags are read only to filter by `--tag` (no rule uses them).
    pub tagging: Option<Read<Option<GetBucketTaggingOutput>>>,
    pub replication: Read<Option<GetBucketReplicationOutput>>,
    pub notifications: Read<GetBucketNotificationConfigurationOutput>,
    pub object_lock: Read<Option<GetObjectLockConfigurationOutput>>,
    pub acl: Read<GetBucketAclOutput>,
}

impl BucketReads {
    /// Every read failed for this reason (the bucket's region is unknown).
    pub fn failed(why: &str) -> BucketReads {
        fn f<T>(why: &str) -> Read<T> {
            Read::Failed(why.to_string())
        }
        BucketReads {
            policy: f(why),
            public_access_block: f(why),
            encryption: f(why),
            versioning: f(why),
            lifecycle: f(why),
            logging: f(why),
            ownership: f(why),
            tagging: Some(f(why)),
            replication: f(why),
            notifications: f(why),
            object_lock: f(why),
            acl: f(why),
        }
    }
}

/// The region `GetBucketLocation` names: empty is us-east-1, and the legacy `EU` is eu-west-1.
pub fn map_location(constraint: Option<&BucketLocationConstraint>) -> String {
    match constraint {
        None => "us-east-1".to_string(),
        Some(BucketLocationConstraint::Eu) => "eu-west-1".to_string(),
        Some(c) if c.as_str().is_empty() => "us-east-1".to_string(),
        Some(c) => c.as_str().to_string(),
    }
}

/// Lists the account's buckets and reads those in the audited regions, each with its region's
/// client. A bucket whose region cannot be read is kept, in the first region, with every setting
/// unknown.
pub async fn fetch_buckets(
    client: &Client,
    scope: &Scope,
    regions: &[String],
    per_region: &[(String, Clients)],
    stacks: &StackIndex,
    filter: &Filter,
) -> Vec<(String, Bucket, Option<BucketPolicy>)> {
    let first = regions.first().map(String::as_str).unwrap_or("us-east-1");
    let mut reader = Reader::new("s3", Some(first), None, &scope.gaps);
    let mut listed: Vec<(String, Option<String>)> = Vec::new();
    let mut pages = client.list_buckets().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => listed.extend(
                page.buckets()
                    .iter()
                    .filter_map(|b| Some((b.name()?.to_string(), b.bucket_region().map(str::to_string)))),
            ),
            Err(e) => {
                reader.failed("ListBuckets", &e);
                break;
            }
        }
    }
    listed.retain(|(name, _)| filter.in_stacks(&[name]));
    scope.progress.discovered(listed.len());
    let read = futures_util::stream::iter(listed)
        .map(|(name, listed_region)| async move {
            let arn = format!("arn:aws:s3:::{name}");
            let mut reader = Reader::new("s3", Some(first), Some(&arn), &scope.gaps);
            let region = match listed_region {
                Some(r) if !r.is_empty() => Ok(r),
                _ => match reader.get("GetBucketLocation", client.get_bucket_location().bucket(&name).send().await) {
                    Read::Got(out) => Ok(map_location(out.location_constraint())),
                    Read::Failed(why) => Err(why),
                },
            };
            let out = match region {
                Ok(region) => {
                    let Some((_, clients)) = per_region.iter().find(|(r, _)| *r == region) else {
                        scope.progress.fetched();
                        return None;
                    };
                    let mut reader = Reader::new("s3", Some(&region), Some(&arn), &scope.gaps);
                    let reads =
                        fetch_bucket(&clients.s3, &name, !filter.tags.is_empty(), scope.facts, &mut reader).await;
                    let stack = stacks.stack_of(&[&name]);
                    let (bucket, policy) = map_bucket(&name, &scope.account, &region, stack, &reads, reader.unread);
                    Some((region, bucket, policy))
                }
                Err(why) => {
                    let stack = stacks.stack_of(&[&name]);
                    let (bucket, policy) =
                        map_bucket(&name, &scope.account, first, stack, &BucketReads::failed(&why), reader.unread);
                    Some((first.to_string(), bucket, policy))
                }
            };
            scope.progress.fetched();
            out
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect::<Vec<_>>()
        .await;
    read.into_iter().flatten().filter(|(_, bucket, _)| filter.has_tags(tag_map(&bucket.tags).as_ref())).collect()
}

fn tag_map(tags: &Setting<Vec<Tag>>) -> Option<BTreeMap<String, String>> {
    tags.known().map(|t| t.iter().map(|t| (t.key.clone(), t.value.clone())).collect())
}

/// The bucket's configuration, one call per part. "Not configured" answers are not gaps.
async fn fetch_bucket(
    client: &Client,
    name: &str,
    read_tags: bool,
    facts: Facts,
    reader: &mut Reader<'_>,
) -> BucketReads {
    // Every call of a fact some selected rule uses, at once; the client bounds how many are in flight.
    let has = |fact| facts.contains(fact);
    let (policy, pab, enc, versioning, lc, logging, own, tags, rep, notif, lock, acl) = tokio::join!(
        when!(has(Fact::BucketPolicy), client.get_bucket_policy().bucket(name).send()),
        when!(has(Fact::BucketPublicAccessBlock), client.get_public_access_block().bucket(name).send()),
        when!(has(Fact::BucketEncryption), client.get_bucket_encryption().bucket(name).send()),
        when!(has(Fact::BucketVersioning), client.get_bucket_versioning().bucket(name).send()),
        when!(has(Fact::BucketLifecycle), client.get_bucket_lifecycle_configuration().bucket(name).send()),
        when!(has(Fact::BucketLogging), client.get_bucket_logging().bucket(name).send()),
        when!(has(Fact::BucketOwnership), client.get_bucket_ownership_controls().bucket(name).send()),
        when!(read_tags, client.get_bucket_tagging().bucket(name).send()),
        when!(has(Fact::BucketReplication), client.get_bucket_replication().bucket(name).send()),
        when!(has(Fact::BucketNotifications), client.get_bucket_notification_configuration().bucket(name).send()),
        when!(has(Fact::BucketObjectLock), client.get_object_lock_configuration().bucket(name).send()),
        when!(has(Fact::BucketAcl), client.get_bucket_acl().bucket(name).send()),
    );
    let policy = reader.get_optional_if("GetBucketPolicy", policy, &["NoSuchBucketPolicy"]);
    let public_access_block =
        reader.get_optional_if("GetPublicAccessBlock", pab, &["NoSuchPublicAccessBlockConfiguration"]);
    let encryption =
        reader.get_optional_if("GetBucketEncryption", enc, &["ServerSideEncryptionConfigurationNotFoundError"]);
    let versioning = reader.get_if("GetBucketVersioning", versioning);
    let lifecycle = reader.get_optional_if("GetBucketLifecycleConfiguration", lc, &["NoSuchLifecycleConfiguration"]);
    let logging = reader.get_if("GetBucketLogging", logging);
    let ownership = reader.get_optional_if("GetBucketOwnershipControls", own, &["OwnershipControlsNotFoundError"]);
    let tagging = tags.map(|tags| reader.get_optional("GetBucketTagging", tags, &["NoSuchTagSet"]));
    let replication = reader.get_optional_if("GetBucketReplication", rep, &["ReplicationConfigurationNotFoundError"]);
    let notifications = reader.get_if("GetBucketNotificationConfiguration", notif);
    let object_lock =
        reader.get_optional_if("GetObjectLockConfiguration", lock, &["ObjectLockConfigurationNotFoundError"]);
    let acl = reader.get_if("GetBucketAcl", acl);
    BucketReads {
        policy,
        public_access_block,
        encryption,
        versioning,
        lifecycle,
        logging,
        ownership,
        tagging,
        replication,
        notifications,
        object_lock,
        acl,
    }
}

/// The model of a bucket and of its policy, from what was read.
pub fn map_bucket(
    name: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    reads: &BucketReads,
    unread: Vec<String>,
) -> (Bucket, Option<BucketPolicy>) {
    let arn = format!("arn:aws:s3:::{name}");
    let resource = live_ref(&arn, "AWS::S3::Bucket", account, Some(region), stack, unread);
    let policy = match &reads.policy {
        Read::Got(None) => None,
        Read::Got(Some(out)) => Some(live_policy(out.policy().unwrap_or_default())),
        Read::Failed(why) => Some(Setting::Unknown(why.clone())),
    }
    .map(|document| BucketPolicy {
        resource: ResourceRefExt::with_type(&resource, "AWS::S3::BucketPolicy"),
        bucket: live(name.to_string()),
        policy_document: document,
    });
    let bucket = Bucket {
        bucket_name: live(name.to_string()),
        arn_expr: Expr::Literal(arn.clone()),
        objects_arn_expr: Expr::Literal(format!("{arn}/*")),
        public_access_block_configuration: reads.public_access_block.setting(|out| {
            out.as_ref().and_then(|o| o.public_access_block_configuration()).map(|c| PublicAccessBlock {
                block_public_acls: live(c.block_public_acls().unwrap_or(false)),
                block_public_policy: live(c.block_public_policy().unwrap_or(false)),
                ignore_public_acls: live(c.ignore_public_acls().unwrap_or(false)),
                restrict_public_buckets: live(c.restrict_public_buckets().unwrap_or(false)),
            })
        }),
        bucket_encryption: reads.encryption.setting(|out| {
            let rules = out.as_ref().and_then(|o| o.server_side_encryption_configuration()).map(|c| c.rules());
            rules
                .unwrap_or_default()
                .iter()
                .filter_map(|r| r.apply_server_side_encryption_by_default())
                .map(|d| EncryptionRule {
                    sse_algorithm: live(SseAlgorithm::parse(d.sse_algorithm().as_str())),
                    kms_master_key_id: live(d.kms_master_key_id().map(str::to_string)),
                })
                .collect()
        }),
        policies: Vec::new(),
        lifecycle_configuration: reads.lifecycle.setting(|out| {
            out.as_ref().map(|o| o.rules().iter().map(map_lifecycle_rule).collect()).unwrap_or_default()
        }),
        logging_configuration: reads.logging.setting(|out| {
            out.logging_enabled().map(|l| LoggingConfiguration {
                destination_bucket_name: live(Some(l.target_bucket().to_string())),
                log_file_prefix: live(Some(l.target_prefix().to_string()).filter(|p| !p.is_empty())),
            })
        }),
        // No ownership controls: ACLs are on, and the writer owns each object.
        object_ownership: reads.ownership.setting(|out| {
            out.as_ref()
                .and_then(|o| o.ownership_controls())
                .and_then(|c| c.rules().first())
                .map_or(ObjectOwnership::ObjectWriter, |r| ObjectOwnership::parse(r.object_ownership().as_str()))
        }),
        access_control: reads.acl.setting(map_acl),
        versioning_status: reads.versioning.setting(|out| {
            out.status().map(|s| match s {
                BucketVersioningStatus::Enabled => VersioningStatus::Enabled,
                BucketVersioningStatus::Suspended => VersioningStatus::Suspended,
                other => VersioningStatus::Other(other.as_str().to_string()),
            })
        }),
        replication_rules: reads.replication.setting(|out| {
            let rules = out.as_ref().and_then(|o| o.replication_configuration()).map(|c| c.rules());
            rules
                .unwrap_or_default()
                .iter()
                .map(|r| ReplicationRule {
                    status: live(RuleStatus::parse(r.status().as_str())),
                    destination_bucket: live(r.destination().map(|d| d.bucket().to_string())),
                })
                .collect()
        }),
        notification_configuration: reads.notifications.setting(map_notifications),
        object_lock_enabled: reads.object_lock.setting(|out| {
            out.as_ref()
                .and_then(|o| o.object_lock_configuration())
                .and_then(|c| c.object_lock_enabled())
                .is_some_and(|e| *e == ObjectLockEnabled::Enabled)
        }),
        mfa_delete: reads.versioning.setting(|out| out.mfa_delete() == Some(&MfaDeleteStatus::Enabled)),
        // An account setting, read once for all buckets (`s3control::apply_to_buckets`).
        account_public_access_block: Setting::Unknown(
            "the account's Block Public Access settings (s3control:GetPublicAccessBlock) were not read".to_string(),
        ),
        tags: match &reads.tagging {
            Some(read) => read.setting(|out| {
                out.as_ref()
                    .map(|o| {
                        o.tag_set()
                            .iter()
                            .map(|t| Tag { key: t.key().to_string(), value: t.value().to_string() })
                            .collect()
                    })
                    .unwrap_or_default()
            }),
            None => Setting::Unknown("the tags (s3:GetBucketTagging) are read only with `--tag`".to_string()),
        },
        // Read for all buckets at once (`s3control::apply_access_points`).
        access_points: Setting::Unknown("the access points (s3control:ListAccessPoints) were not read".to_string()),
        resource,
    };
    (bucket, policy)
}

/// The canned ACL that the bucket's ACL grants amount to: the grants besides the owner's own,
/// matched against those of each canned ACL; anything else is `Other`, with its grants.
pub fn map_acl(out: &GetBucketAclOutput) -> CannedAcl {
    const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
    const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";
    let owner = out.owner().and_then(|o| o.id());
    let mut others: Vec<(String, String)> = out
        .grants()
        .iter()
        .filter_map(|g| {
            let grantee = g.grantee()?;
            let permission = g.permission().map_or_else(String::new, |p| p.as_str().to_string());
            let who = match (grantee.uri(), grantee.id(), grantee.email_address()) {
                (Some(ALL_USERS), _, _) => "AllUsers".to_string(),
                (Some(AUTHENTICATED_USERS), _, _) => "AuthenticatedUsers".to_string(),
                (Some(LOG_DELIVERY), _, _) => "LogDelivery".to_string(),
                (Some(uri), _, _) => uri.to_string(),
                (None, Some(id), _) if Some(id) == owner => return None,
                (None, Some(id), _) => format!("canonical user {id}"),
                (None, None, Some(email)) => email.to_string(),
                (None, None, None) => "an unnamed grantee".to_string(),
            };
            Some((who, permission))
        })
        .collect();
    others.sort();
    others.dedup();
    let pairs: Vec<(&str, &str)> = others.iter().map(|(w, p)| (w.as_str(), p.as_str())).collect();
    match pairs.as_slice() {
        [] => CannedAcl::Private,
        [("AllUsers", "READ")] => CannedAcl::PublicRead,
        [("AllUsers", "READ"), ("AllUsers", "WRITE")] => CannedAcl::PublicReadWrite,
        [("AuthenticatedUsers", "READ")] => CannedAcl::AuthenticatedRead,
        [("LogDelivery", "READ_ACP"), ("LogDelivery", "WRITE")] => CannedAcl::LogDeliveryWrite,
        _ => CannedAcl::Other(format!(
            "grants {}",
            pairs.iter().map(|(w, p)| format!("{p} to {w}")).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// A policy document as AWS returns it, parsed.
pub fn live_policy(text: &str) -> Setting<Policy> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(json) => match Policy::from_json(&json) {
            Ok(policy) => live(policy),
            Err(e) => Setting::Unknown(format!("the policy cannot be read: {e}")),
        },
        Err(e) => Setting::Unknown(format!("the policy is not JSON: {e}")),
    }
}

trait ResourceRefExt {
    fn with_type(&self, resource_type: &str) -> Self;
}

impl ResourceRefExt for sensei_model::ResourceRef {
    fn with_type(&self, resource_type: &str) -> Self {
        sensei_model::ResourceRef { resource_type: sensei_model::ResourceType::new(resource_type), ..self.clone() }
    }
}

fn days(n: Option<i32>) -> Option<u32> {
    n.and_then(|d| u32::try_from(d).ok())
}

fn date(d: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    d.and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
        .map(|s| s.get(..10).map(str::to_string).unwrap_or(s))
}

pub fn map_lifecycle_rule(rule: &aws_sdk_s3::types::LifecycleRule) -> LifecycleRule {
    let filter = rule.filter();
    let and = filter.and_then(|f| f.and());
    #[allow(deprecated)]
    let prefix = filter.and_then(|f| f.prefix()).or(and.and_then(|a| a.prefix())).or(rule.prefix());
    let mut tags: Vec<Tag> = filter
        .and_then(|f| f.tag())
        .into_iter()
        .chain(and.map(|a| a.tags()).unwrap_or_default())
        .map(|t| Tag { key: t.key().to_string(), value: t.value().to_string() })
        .collect();
    tags.dedup();
    let size = |g: Option<i64>| g.and_then(|n| u64::try_from(n).ok());
    LifecycleRule {
        id: rule.id().map(str::to_string),
        location: None,
        status: live(RuleStatus::parse(rule.status().as_str())),
        prefix: live(prefix.map(str::to_string)),
        tag_filters: live(tags),
        object_size_greater_than: live(size(
            filter.and_then(|f| f.object_size_greater_than()).or(and.and_then(|a| a.object_size_greater_than())),
        )),
        object_size_less_than: live(size(
            filter.and_then(|f| f.object_size_less_than()).or(and.and_then(|a| a.object_size_less_than())),
        )),
        transitions: live(
            rule.transitions()
                .iter()
                .map(|t| Transition {
                    storage_class: match t.storage_class() {
                        Some(c) => live(StorageClass::parse(c.as_str())),
                        None => Setting::Unknown("the transition names no storage class".to_string()),
                    },
                    transition_in_days: live(days(t.days())),
                    transition_date: live(date(t.date())),
                })
                .collect(),
        ),
        expiration_in_days: live(days(rule.expiration().and_then(|e| e.days()))),
        expiration_date: live(date(rule.expiration().and_then(|e| e.date()))),
        noncurrent_version_expiration_in_days: live(days(
            rule.noncurrent_version_expiration().and_then(|e| e.noncurrent_days()),
        )),
        noncurrent_version_transitions: live(
            rule.noncurrent_version_transitions()
                .iter()
                .map(|t| Transition {
                    storage_class: match t.storage_class() {
                        Some(c) => live(StorageClass::parse(c.as_str())),
                        None => Setting::Unknown("the transition names no storage class".to_string()),
                    },
                    transition_in_days: live(days(t.noncurrent_days())),
                    transition_date: live(None),
                })
                .collect(),
        ),
        abort_incomplete_multipart_upload_days: live(days(
            rule.abort_incomplete_multipart_upload().and_then(|a| a.days_after_initiation()),
        )),
    }
}

pub fn map_notifications(out: &GetBucketNotificationConfigurationOutput) -> Vec<NotificationTarget> {
    let mut targets = Vec::new();
    for c in out.lambda_function_configurations() {
        targets.push(NotificationTarget {
            kind: NotificationKind::Lambda,
            target: Some(c.lambda_function_arn().to_string()),
        });
    }
    for c in out.queue_configurations() {
        targets.push(NotificationTarget { kind: NotificationKind::Queue, target: Some(c.queue_arn().to_string()) });
    }
    for c in out.topic_configurations() {
        targets.push(NotificationTarget { kind: NotificationKind::Topic, target: Some(c.topic_arn().to_string()) });
    }
    if out.event_bridge_configuration().is_some() {
        targets.push(NotificationTarget { kind: NotificationKind::EventBridge, target: None });
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::{
        ExpirationStatus, Grant, Grantee, LifecycleRuleFilter, LoggingEnabled, Owner, OwnershipControls,
        OwnershipControlsRule, Permission, PublicAccessBlockConfiguration, ServerSideEncryption,
        ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule, Type,
    };
    use sensei_model::Provenance;

    fn nothing_configured() -> BucketReads {
        BucketReads {
            policy: Read::Got(None),
            public_access_block: Read::Got(None),
            encryption: Read::Got(None),
            versioning: Read::Got(GetBucketVersioningOutput::builder().build()),
            lifecycle: Read::Got(None),
            logging: Read::Got(GetBucketLoggingOutput::builder().build()),
            ownership: Read::Got(None),
            tagging: Some(Read::Got(None)),
            replication: Read::Got(None),
            notifications: Read::Got(GetBucketNotificationConfigurationOutput::builder().build()),
            object_lock: Read::Got(None),
            acl: Read::Got(acl(&[])),
        }
    }

    const OWNER: &str = "owner-id";

    /// An ACL with the owner's full control and these grants.
    fn acl(grants: &[(Option<&str>, Option<&str>, Permission)]) -> GetBucketAclOutput {
        let grant = |uri: Option<&str>, id: Option<&str>, permission: Permission| {
            let grantee = Grantee::builder()
                .r#type(if uri.is_some() { Type::Group } else { Type::CanonicalUser })
                .set_uri(uri.map(str::to_string))
                .set_id(id.map(str::to_string))
                .build()
                .unwrap();
            Grant::builder().grantee(grantee).permission(permission).build()
        };
        let mut out = GetBucketAclOutput::builder().owner(Owner::builder().id(OWNER).build()).grants(grant(
            None,
            Some(OWNER),
            Permission::FullControl,
        ));
        for (uri, id, permission) in grants {
            out = out.grants(grant(*uri, *id, permission.clone()));
        }
        out.build()
    }

    #[test]
    fn acls_are_matched_to_canned_acls() {
        const ALL: Option<&str> = Some("http://acs.amazonaws.com/groups/global/AllUsers");
        const LOGS: Option<&str> = Some("http://acs.amazonaws.com/groups/s3/LogDelivery");
        assert_eq!(map_acl(&acl(&[])), CannedAcl::Private);
        assert_eq!(map_acl(&acl(&[(ALL, None, Permission::Read)])), CannedAcl::PublicRead);
        assert_eq!(
            map_acl(&acl(&[(ALL, None, Permission::Write), (ALL, None, Permission::Read)])),
            CannedAcl::PublicReadWrite
        );
        assert_eq!(
            map_acl(&acl(&[(LOGS, None, Permission::Write), (LOGS, None, Permission::ReadAcp)])),
            CannedAcl::LogDeliveryWrite
        );
        let other = map_acl(&acl(&[(None, Some("someone-else"), Permission::Read)]));
        assert_eq!(other, CannedAcl::Other("grants READ to canonical user someone-else".into()));
        assert!(other.grantees().is_some());
    }

    #[test]
    fn locations() {
        assert_eq!(map_location(None), "us-east-1");
        assert_eq!(map_location(Some(&BucketLocationConstraint::from(""))), "us-east-1");
        assert_eq!(map_location(Some(&BucketLocationConstraint::Eu)), "eu-west-1");
        assert_eq!(map_location(Some(&BucketLocationConstraint::from("EU"))), "eu-west-1");
        assert_eq!(map_location(Some(&BucketLocationConstraint::ApSoutheast2)), "ap-southeast-2");
    }

    #[test]
    fn a_bucket_with_nothing_configured() {
        let (b, policy) = map_bucket("data", "123456789012", "us-east-1", None, &nothing_configured(), vec![]);
        assert!(policy.is_none());
        assert_eq!(b.resource.id, "arn:aws:s3:::data");
        assert_eq!(b.arn().as_deref(), Some("arn:aws:s3:::data"));
        assert_eq!(b.public_access_block_configuration, Setting::Known(None, Provenance::Live));
        assert_eq!(b.bucket_encryption, Setting::Known(vec![], Provenance::Live));
        assert_eq!(b.versioning_status, Setting::Known(None, Provenance::Live));
        assert_eq!(b.object_ownership, Setting::Known(ObjectOwnership::ObjectWriter, Provenance::Live));
        assert_eq!(b.mfa_delete, Setting::Known(false, Provenance::Live));
        assert_eq!(b.object_lock_enabled, Setting::Known(false, Provenance::Live));
        assert_eq!(b.access_control, Setting::Known(CannedAcl::Private, Provenance::Live));
        let live = b.resource.live.unwrap();
        assert_eq!(live.region.as_deref(), Some("us-east-1"));
        assert_eq!(live.account.as_deref(), Some("123456789012"));
    }

    #[test]
    fn a_configured_bucket() {
        let mut reads = nothing_configured();
        reads.policy = Read::Got(Some(
            GetBucketPolicyOutput::builder()
                .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::data","arn:aws:s3:::data/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#)
                .build(),
        ));
        reads.public_access_block = Read::Got(Some(
            GetPublicAccessBlockOutput::builder()
                .public_access_block_configuration(
                    PublicAccessBlockConfiguration::builder().block_public_acls(true).block_public_policy(true).build(),
                )
                .build(),
        ));
        reads.encryption = Read::Got(Some(
            GetBucketEncryptionOutput::builder()
                .server_side_encryption_configuration(
                    ServerSideEncryptionConfiguration::builder()
                        .rules(
                            ServerSideEncryptionRule::builder()
                                .apply_server_side_encryption_by_default(
                                    ServerSideEncryptionByDefault::builder()
                                        .sse_algorithm(ServerSideEncryption::AwsKms)
                                        .kms_master_key_id("alias/data")
                                        .build()
                                        .unwrap(),
                                )
                                .build(),
                        )
                        .build()
                        .unwrap(),
                )
                .build(),
        ));
        reads.versioning = Read::Got(
            GetBucketVersioningOutput::builder()
                .status(BucketVersioningStatus::Enabled)
                .mfa_delete(MfaDeleteStatus::Enabled)
                .build(),
        );
        reads.lifecycle = Read::Got(Some(
            GetBucketLifecycleConfigurationOutput::builder()
                .rules(
                    aws_sdk_s3::types::LifecycleRule::builder()
                        .id("tidy")
                        .status(ExpirationStatus::Enabled)
                        .filter(LifecycleRuleFilter::builder().prefix("logs/").build())
                        .transitions(
                            aws_sdk_s3::types::Transition::builder()
                                .days(30)
                                .storage_class(aws_sdk_s3::types::TransitionStorageClass::StandardIa)
                                .build(),
                        )
                        .build()
                        .unwrap(),
                )
                .build(),
        ));
        reads.logging = Read::Got(
            GetBucketLoggingOutput::builder()
                .logging_enabled(LoggingEnabled::builder().target_bucket("logs").target_prefix("").build().unwrap())
                .build(),
        );
        reads.ownership = Read::Got(Some(
            GetBucketOwnershipControlsOutput::builder()
                .ownership_controls(
                    OwnershipControls::builder()
                        .rules(
                            OwnershipControlsRule::builder()
                                .object_ownership(aws_sdk_s3::types::ObjectOwnership::BucketOwnerEnforced)
                                .build()
                                .unwrap(),
                        )
                        .build()
                        .unwrap(),
                )
                .build(),
        ));
        reads.tagging = Some(Read::Got(Some(
            GetBucketTaggingOutput::builder()
                .tag_set(aws_sdk_s3::types::Tag::builder().key("team").value("a").build().unwrap())
                .build()
                .unwrap(),
        )));
        let (b, policy) = map_bucket("data", "1", "eu-west-1", Some("app".into()), &reads, vec![]);
        let policy = policy.unwrap();
        assert!(matches!(policy.policy_document, Setting::Known(_, Provenance::Live)));
        assert_eq!(policy.resource.resource_type.as_str(), "AWS::S3::BucketPolicy");
        let pab = b.public_access_block_configuration.known().cloned().flatten().unwrap();
        assert_eq!(pab.block_public_acls, Setting::Known(true, Provenance::Live));
        assert_eq!(pab.restrict_public_buckets, Setting::Known(false, Provenance::Live));
        let enc = b.bucket_encryption.known().unwrap();
        assert_eq!(enc[0].sse_algorithm, Setting::Known(SseAlgorithm::AwsKms, Provenance::Live));
        assert_eq!(b.versioning_status, Setting::Known(Some(VersioningStatus::Enabled), Provenance::Live));
        assert_eq!(b.mfa_delete, Setting::Known(true, Provenance::Live));
        let rules = b.lifecycle_configuration.known().unwrap();
        assert_eq!(rules[0].scope(), Ok(Some("under `logs/`".to_string())));
        assert_eq!(rules[0].transitions.known().unwrap()[0].when(), "after 30 days");
        let logging = b.logging_configuration.known().cloned().flatten().unwrap();
        assert_eq!(logging.destination_bucket_name, Setting::Known(Some("logs".into()), Provenance::Live));
        assert_eq!(logging.log_file_prefix, Setting::Known(None, Provenance::Live));
        assert_eq!(b.object_ownership, Setting::Known(ObjectOwnership::BucketOwnerEnforced, Provenance::Live));
        assert_eq!(b.tags.known().unwrap()[0], Tag { key: "team".into(), value: "a".into() });
        assert_eq!(b.resource.live.unwrap().stack.as_deref(), Some("app"));
    }

    #[test]
    fn failed_reads_are_unknown_never_a_default() {
        let mut reads = nothing_configured();
        reads.policy = Read::Failed("s3:GetBucketPolicy failed: AccessDenied".into());
        reads.encryption = Read::Failed("s3:GetBucketEncryption failed: AccessDenied".into());
        let unread = vec!["s3:GetBucketPolicy (AccessDenied)".to_string()];
        let (b, policy) = map_bucket("data", "1", "us-east-1", None, &reads, unread.clone());
        assert_eq!(
            policy.unwrap().policy_document.known().map(|_| ()),
            None,
            "a policy that could not be read is unknown, not absent"
        );
        assert!(matches!(b.bucket_encryption, Setting::Unknown(ref why) if why.contains("AccessDenied")));
        assert_eq!(b.resource.live.unwrap().unread, unread);
        let all = BucketReads::failed("s3:GetBucketLocation failed: AccessDenied");
        let (b, _) = map_bucket("data", "1", "us-east-1", None, &all, vec![]);
        assert!(matches!(b.versioning_status, Setting::Unknown(_)));
        assert!(matches!(b.tags, Setting::Unknown(_)));
    }

    #[test]
    fn tags_not_read_are_unknown_and_no_gap() {
        let mut reads = nothing_configured();
        reads.tagging = None;
        let (b, _) = map_bucket("data", "1", "us-east-1", None, &reads, vec![]);
        assert!(matches!(b.tags, Setting::Unknown(ref why) if why.contains("--tag")));
        assert!(b.resource.live.unwrap().unread.is_empty());
    }
}
