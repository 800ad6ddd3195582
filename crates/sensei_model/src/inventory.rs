use crate::apigateway::{Api, Route};
use crate::backup::{BackupPlan, BackupSelection};
use crate::cloudfront::{Distribution, ResponseHeadersPolicy};
use crate::cognito::{IdentityPool, UserPool};
use crate::dynamodb::Table;
use crate::eventbridge::{EventBus, EventRule};
use crate::iam::Role;
use crate::kms::Key;
use crate::lambda::{EventSource, Function, LayerVersion, Permission};
use crate::logs::LogGroup;
use crate::rds::DbInstance;
use crate::s3::{Bucket, BucketPolicy};
use crate::ses::{ConfigurationSet, EmailIdentity};
use crate::sns::Topic;
use crate::sqs::Queue;
use crate::stepfunctions::StateMachine;

/// Everything one source read: one template, or one account and region.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub buckets: Vec<Bucket>,
    pub bucket_policies: Vec<BucketPolicy>,
    pub functions: Vec<Function>,
    pub layers: Vec<LayerVersion>,
    pub event_sources: Vec<EventSource>,
    pub permissions: Vec<Permission>,
    pub roles: Vec<Role>,
    pub queues: Vec<Queue>,
    pub topics: Vec<Topic>,
    pub tables: Vec<Table>,
    pub apis: Vec<Api>,
    pub routes: Vec<Route>,
    pub state_machines: Vec<StateMachine>,
    pub log_groups: Vec<LogGroup>,
    pub distributions: Vec<Distribution>,
    pub response_headers_policies: Vec<ResponseHeadersPolicy>,
    pub user_pools: Vec<UserPool>,
    pub identity_pools: Vec<IdentityPool>,
    pub db_instances: Vec<DbInstance>,
    pub backup_plans: Vec<BackupPlan>,
    pub backup_selections: Vec<BackupSelection>,
    pub email_identities: Vec<EmailIdentity>,
    pub configuration_sets: Vec<ConfigurationSet>,
    pub kms_keys: Vec<Key>,
    pub event_buses: Vec<EventBus>,
    pub event_rules: Vec<EventRule>,
    /// Facts about the whole inventory, worked out on first use and shared by every rule.
    pub derived: Derived,
}

/// What rules need from the whole inventory, worked out once (on first use) instead of once per
/// rule or per resource. The inventory must not change once a rule has used it.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    log_buckets: std::sync::OnceLock<Vec<Option<String>>>,
}

impl Inventory {
    /// Why each bucket (in the order of `buckets`) holds logs, when it does: its ACL lets the S3 log
    /// delivery group write, another bucket sends its server access logs there, or its bucket
    /// policy lets a log delivery service write.
    pub fn log_buckets(&self) -> &[Option<String>] {
        self.derived.log_buckets.get_or_init(|| crate::s3::log_buckets(self))
    }

    /// The bucket policies attached to `bucket`.
    pub fn policies_of<'a>(&'a self, bucket: &'a Bucket) -> impl Iterator<Item = &'a BucketPolicy> + 'a {
        bucket.policies.iter().filter_map(|&i| self.bucket_policies.get(i))
    }

    /// How many model resources it holds.
    pub fn len(&self) -> usize {
        self.buckets.len()
            + self.bucket_policies.len()
            + self.functions.len()
            + self.layers.len()
            + self.event_sources.len()
            + self.permissions.len()
            + self.roles.len()
            + self.queues.len()
            + self.topics.len()
            + self.tables.len()
            + self.apis.len()
            + self.routes.len()
            + self.state_machines.len()
            + self.log_groups.len()
            + self.distributions.len()
            + self.response_headers_policies.len()
            + self.user_pools.len()
            + self.identity_pools.len()
            + self.db_instances.len()
            + self.backup_plans.len()
            + self.backup_selections.len()
            + self.email_identities.len()
            + self.configuration_sets.len()
            + self.kms_keys.len()
            + self.event_buses.len()
            + self.event_rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
