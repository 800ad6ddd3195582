//! Facts: the parts of a deployed account that the live audit reads with calls of their own and
//! that only some rules use. Each rule names the facts it uses; the live audit makes the calls of
//! the facts that the selected rules use and leaves the others unknown, so that `--select` reads
//! no more than its rules need.

use crate::s3::BucketPolicy;
use crate::{Inventory, ResourceType, Setting};

/// One fact, read per resource by one call (or one paged listing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    /// `s3:GetBucketPolicy`: the bucket's policy.
    BucketPolicy,
    /// `s3:GetPublicAccessBlock`: the bucket's Block Public Access settings.
    BucketPublicAccessBlock,
    /// `s3:GetBucketEncryption`: default encryption.
    BucketEncryption,
    /// `s3:GetBucketVersioning`: versioning and MFA delete.
    BucketVersioning,
    /// `s3:GetBucketLifecycleConfiguration`: lifecycle rules.
    BucketLifecycle,
    /// `s3:GetBucketLogging`: server access logging.
    BucketLogging,
    /// `s3:GetBucketOwnershipControls`: object ownership.
    BucketOwnership,
    /// `s3:GetBucketAcl`: the bucket's ACL.
    BucketAcl,
    /// `s3:GetBucketReplication`: replication rules.
    BucketReplication,
    /// `s3:GetBucketNotificationConfiguration`: event notifications.
    BucketNotifications,
    /// `s3:GetObjectLockConfiguration`: object lock.
    BucketObjectLock,
    /// `lambda:GetPolicy`: who may invoke the function (the inventory's permissions).
    FunctionPolicy,
    /// `lambda:ListVersionsByFunction`: published versions (and their provisioned concurrency).
    FunctionVersions,
    /// `lambda:ListAliases`: aliases (and their provisioned concurrency).
    FunctionAliases,
    /// `lambda:ListFunctionEventInvokeConfigs`: asynchronous invocation settings.
    FunctionEventInvokeConfigs,
    /// `lambda:ListFunctionUrlConfigs`: function URLs.
    FunctionUrls,
    /// `lambda:GetFunctionConcurrency`: reserved concurrency.
    FunctionConcurrency,
    /// `dynamodb:DescribeContinuousBackups`: point-in-time recovery.
    TableBackups,
    /// `dynamodb:ListTagsOfResource`: the table's tags.
    TableTags,
}

impl Fact {
    pub const ALL: [Fact; 19] = [
        Fact::BucketPolicy,
        Fact::BucketPublicAccessBlock,
        Fact::BucketEncryption,
        Fact::BucketVersioning,
        Fact::BucketLifecycle,
        Fact::BucketLogging,
        Fact::BucketOwnership,
        Fact::BucketAcl,
        Fact::BucketReplication,
        Fact::BucketNotifications,
        Fact::BucketObjectLock,
        Fact::FunctionPolicy,
        Fact::FunctionVersions,
        Fact::FunctionAliases,
        Fact::FunctionEventInvokeConfigs,
        Fact::FunctionUrls,
        Fact::FunctionConcurrency,
        Fact::TableBackups,
        Fact::TableTags,
    ];

    /// The call that reads it: `s3:GetBucketPolicy`.
    pub fn call(self) -> &'static str {
        match self {
            Fact::BucketPolicy => "s3:GetBucketPolicy",
            Fact::BucketPublicAccessBlock => "s3:GetPublicAccessBlock",
            Fact::BucketEncryption => "s3:GetBucketEncryption",
            Fact::BucketVersioning => "s3:GetBucketVersioning",
            Fact::BucketLifecycle => "s3:GetBucketLifecycleConfiguration",
            Fact::BucketLogging => "s3:GetBucketLogging",
            Fact::BucketOwnership => "s3:GetBucketOwnershipControls",
            Fact::BucketAcl => "s3:GetBucketAcl",
            Fact::BucketReplication => "s3:GetBucketReplication",
            Fact::BucketNotifications => "s3:GetBucketNotificationConfiguration",
            Fact::BucketObjectLock => "s3:GetObjectLockConfiguration",
            Fact::FunctionPolicy => "lambda:GetPolicy",
            Fact::FunctionVersions => "lambda:ListVersionsByFunction",
            Fact::FunctionAliases => "lambda:ListAliases",
            Fact::FunctionEventInvokeConfigs => "lambda:ListFunctionEventInvokeConfigs",
            Fact::FunctionUrls => "lambda:ListFunctionUrlConfigs",
            Fact::FunctionConcurrency => "lambda:GetFunctionConcurrency",
            Fact::TableBackups => "dynamodb:DescribeContinuousBackups",
            Fact::TableTags => "dynamodb:ListTagsOfResource",
        }
    }

    const fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// Why a value the live audit did not read is unknown.
pub const NOT_SELECTED: &str = "not read: no selected rule uses it";

/// A set of facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts(u32);

impl Facts {
    /// Every fact: what a run of every rule reads.
    pub fn all() -> Facts {
        Fact::ALL.into_iter().collect()
    }

    pub fn none() -> Facts {
        Facts(0)
    }

    pub fn contains(self, fact: Fact) -> bool {
        self.0 & fact.bit() != 0
    }

    pub fn insert(&mut self, fact: Fact) {
        self.0 |= fact.bit();
    }

    /// The facts of the set, in the order of [`Fact::ALL`].
    pub fn iter(self) -> impl Iterator<Item = Fact> {
        Fact::ALL.into_iter().filter(move |f| self.contains(*f))
    }
}

impl FromIterator<Fact> for Facts {
    fn from_iter<I: IntoIterator<Item = Fact>>(iter: I) -> Self {
        let mut facts = Facts::none();
        for f in iter {
            facts.insert(f);
        }
        facts
    }
}

impl Inventory {
    /// Makes unknown every value of a fact outside `keep`, as the live audit leaves them when it
    /// does not read them; lists (permissions, URLs, invoke configs) become empty, which is harsher
    /// than the live audit's unknown placeholders: a rule that used one without declaring it would
    /// see nothing there. Rules that use only the facts of `keep` give the same findings before and
    /// after: the rules' tests check their declared facts this way.
    pub fn forget_facts_except(&mut self, keep: Facts) {
        for fact in Fact::ALL.into_iter().filter(|f| !keep.contains(*f)) {
            match fact {
                Fact::BucketPolicy => {
                    for policy in &mut self.bucket_policies {
                        policy.policy_document = unknown();
                    }
                    for bucket in self.buckets.iter_mut().filter(|b| b.policies.is_empty()) {
                        bucket.policies.push(self.bucket_policies.len());
                        self.bucket_policies.push(BucketPolicy {
                            resource: crate::ResourceRef {
                                resource_type: ResourceType::new("AWS::S3::BucketPolicy"),
                                ..bucket.resource.clone()
                            },
                            bucket: bucket.bucket_name.clone(),
                            policy_document: unknown(),
                        });
                    }
                }
                Fact::BucketPublicAccessBlock => {
                    self.buckets.iter_mut().for_each(|b| b.public_access_block_configuration = unknown());
                }
                Fact::BucketEncryption => self.buckets.iter_mut().for_each(|b| b.bucket_encryption = unknown()),
                Fact::BucketVersioning => self.buckets.iter_mut().for_each(|b| {
                    b.versioning_status = unknown();
                    b.mfa_delete = unknown();
                }),
                Fact::BucketLifecycle => self.buckets.iter_mut().for_each(|b| b.lifecycle_configuration = unknown()),
                Fact::BucketLogging => self.buckets.iter_mut().for_each(|b| b.logging_configuration = unknown()),
                Fact::BucketOwnership => self.buckets.iter_mut().for_each(|b| b.object_ownership = unknown()),
                Fact::BucketAcl => self.buckets.iter_mut().for_each(|b| b.access_control = unknown()),
                Fact::BucketReplication => self.buckets.iter_mut().for_each(|b| b.replication_rules = unknown()),
                Fact::BucketNotifications => {
                    self.buckets.iter_mut().for_each(|b| b.notification_configuration = unknown());
                }
                Fact::BucketObjectLock => self.buckets.iter_mut().for_each(|b| b.object_lock_enabled = unknown()),
                Fact::FunctionPolicy => self.permissions.clear(),
                Fact::FunctionVersions => self.functions.iter_mut().for_each(|f| f.versions = unknown()),
                Fact::FunctionAliases => self.functions.iter_mut().for_each(|f| f.aliases = unknown()),
                Fact::FunctionEventInvokeConfigs => {
                    self.functions.iter_mut().for_each(|f| f.event_invoke_configs.clear())
                }
                Fact::FunctionUrls => self.functions.iter_mut().for_each(|f| f.urls.clear()),
                Fact::FunctionConcurrency => {
                    self.functions.iter_mut().for_each(|f| f.reserved_concurrent_executions = unknown());
                }
                Fact::TableBackups => self.tables.iter_mut().for_each(|t| t.point_in_time_recovery_enabled = unknown()),
                Fact::TableTags => self.tables.iter_mut().for_each(|t| t.tags = unknown()),
            }
        }
    }
}

fn unknown<T>() -> Setting<T> {
    Setting::Unknown(NOT_SELECTED.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_holds_what_was_put_in() {
        let set: Facts = [Fact::BucketPolicy, Fact::TableTags].into_iter().collect();
        assert!(set.contains(Fact::BucketPolicy) && set.contains(Fact::TableTags));
        assert!(!set.contains(Fact::BucketAcl));
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![Fact::BucketPolicy, Fact::TableTags]);
        assert!(Fact::ALL.into_iter().all(|f| Facts::all().contains(f)));
        assert!(Fact::ALL.into_iter().all(|f| !Facts::none().contains(f)));
    }
}
