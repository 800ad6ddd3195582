//! Facts: the parts of a deployed account that the live audit reads with calls of their own and
//! that only some rules use: the resources of a service (`Fact::Queues`), and the settings of a
//! resource that take one more call each (`Fact::BucketPolicy`). Each rule names the facts it uses;
//! the live audit makes the calls of the facts that the selected rules use and leaves the others
//! unread, so that `--select` reads no more than its rules need.

use crate::s3::BucketPolicy;
use crate::{Inventory, ResourceType, Setting};

/// One fact: a service's resources (listed and described), or one setting read per resource by one
/// call (or one paged listing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    /// S3 buckets and their bucket policies' holders (`s3:ListBuckets`, each bucket's location,
    /// and the account's S3 Control settings).
    Buckets,
    /// Lambda functions, their event source mappings and resource permissions' holders.
    Functions,
    /// IAM roles with their policies.
    Roles,
    /// SQS queues with their attributes.
    Queues,
    /// SNS topics with their attributes and subscriptions.
    Topics,
    /// DynamoDB tables as DescribeTable gives them (and their auto scaling).
    Tables,
    /// API Gateway REST, HTTP and WebSocket APIs with their stages and routes.
    Apis,
    /// Step Functions state machines.
    StateMachines,
    /// CloudWatch Logs log groups.
    LogGroups,
    /// CloudFront distributions and response headers policies (global).
    Distributions,
    /// Cognito user pools.
    UserPools,
    /// Cognito identity pools.
    IdentityPools,
    /// RDS DB instances.
    DbInstances,
    /// AWS Backup plans and selections.
    Backups,
    /// SES identities and configuration sets.
    EmailIdentities,
    /// KMS keys.
    KmsKeys,
    /// EventBridge buses and rules with their targets.
    EventRules,
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
    pub const ALL: [Fact; 36] = [
        Fact::Buckets,
        Fact::Functions,
        Fact::Roles,
        Fact::Queues,
        Fact::Topics,
        Fact::Tables,
        Fact::Apis,
        Fact::StateMachines,
        Fact::LogGroups,
        Fact::Distributions,
        Fact::UserPools,
        Fact::IdentityPools,
        Fact::DbInstances,
        Fact::Backups,
        Fact::EmailIdentities,
        Fact::KmsKeys,
        Fact::EventRules,
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

    /// The call that reads it (`s3:GetBucketPolicy`), or the listing of a service's resources.
    pub fn call(self) -> &'static str {
        match self {
            Fact::Buckets => "s3:ListBuckets",
            Fact::Functions => "lambda:ListFunctions",
            Fact::Roles => "iam:GetAccountAuthorizationDetails",
            Fact::Queues => "sqs:ListQueues",
            Fact::Topics => "sns:ListTopics",
            Fact::Tables => "dynamodb:ListTables",
            Fact::Apis => "apigateway:GET",
            Fact::StateMachines => "states:ListStateMachines",
            Fact::LogGroups => "logs:DescribeLogGroups",
            Fact::Distributions => "cloudfront:ListDistributions",
            Fact::UserPools => "cognito-idp:ListUserPools",
            Fact::IdentityPools => "cognito-identity:ListIdentityPools",
            Fact::DbInstances => "rds:DescribeDBInstances",
            Fact::Backups => "backup:ListBackupPlans",
            Fact::EmailIdentities => "ses:ListEmailIdentities",
            Fact::KmsKeys => "kms:ListKeys",
            Fact::EventRules => "events:ListEventBuses",
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

    /// Whether it is a service's resources rather than one setting of each resource.
    pub fn is_listing(self) -> bool {
        (self as usize) <= (Fact::EventRules as usize)
    }

    const fn bit(self) -> u64 {
        1 << (self as u64)
    }
}

/// Why a value the live audit did not read is unknown.
pub const NOT_SELECTED: &str = "not read: no selected rule uses it";

/// A set of facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts(u64);

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
                Fact::Buckets => {
                    self.buckets.clear();
                    self.bucket_policies.clear();
                }
                Fact::Functions => {
                    self.functions.clear();
                    self.layers.clear();
                    self.event_sources.clear();
                    self.permissions.clear();
                }
                Fact::Roles => self.roles.clear(),
                Fact::Queues => self.queues.clear(),
                Fact::Topics => self.topics.clear(),
                Fact::Tables => self.tables.clear(),
                Fact::Apis => {
                    self.apis.clear();
                    self.routes.clear();
                }
                Fact::StateMachines => self.state_machines.clear(),
                Fact::LogGroups => self.log_groups.clear(),
                Fact::Distributions => {
                    self.distributions.clear();
                    self.response_headers_policies.clear();
                }
                Fact::UserPools => self.user_pools.clear(),
                Fact::IdentityPools => self.identity_pools.clear(),
                Fact::DbInstances => self.db_instances.clear(),
                Fact::Backups => {
                    self.backup_plans.clear();
                    self.backup_selections.clear();
                }
                Fact::EmailIdentities => {
                    self.email_identities.clear();
                    self.configuration_sets.clear();
                }
                Fact::KmsKeys => self.kms_keys.clear(),
                Fact::EventRules => {
                    self.event_buses.clear();
                    self.event_rules.clear();
                }
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
