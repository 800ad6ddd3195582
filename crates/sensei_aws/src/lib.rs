//! The live source of sensei: a deployed AWS account read into the model.
//!
//! Everything here is read-only: only `List*`, `Get*` and `Describe*` operations are called
//! (`docs/iam-policy.json` is the policy it needs, and a test checks the two agree). Each service
//! module has `fetch_*` functions, which do the I/O, and pure `map_*` functions, which turn SDK
//! types into model types, so every rule of the catalog runs unchanged on a live account.
//!
//! A call that fails is never a crash and never a default: it becomes a [`Gap`], and the resource it
//! was about gets `Setting::Unknown` values and an entry in `LiveOrigin::unread`, which turns the
//! rules' unknown verdicts into `not evaluated`.

/// Every page of a paginated call: `Read::Got` with all items, or `Read::Failed` (and a gap) when a
/// page fails.
macro_rules! pages {
    ($reader:expr, $operation:literal, $request:expr, $items:expr) => {
        $reader.get($operation, all_pages!($request, $items).await)
    };
}

/// A future of every page of a paginated call as one list, or of the first error; it leaves the
/// bookkeeping to the caller, so several can run at once.
macro_rules! all_pages {
    ($request:expr, $items:expr) => {
        async {
            let mut out = Vec::new();
            let mut stream = $request.into_paginator().send();
            while let Some(page) = stream.next().await {
                match page {
                    Ok(page) => out.extend($items(&page)),
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        }
    };
}

/// A future of `$call`'s answer when `$wanted`, of `None` (and no call) when not.
macro_rules! when {
    ($wanted:expr, $call:expr) => {
        async {
            match $wanted {
                true => Some($call.await),
                false => None,
            }
        }
    };
}

/// The output of `$read` when `$fact` is to be read, else an empty default, with no call made.
macro_rules! if_read {
    ($facts:expr, $fact:expr, $read:expr) => {
        async { when!($facts.contains($fact), $read).await.unwrap_or_default() }
    };
}

/// Every page of a call that pages by a token without an SDK paginator: `$request` is built from
/// `$token` (the previous page's token, `None` first); `$next` gives a page's next token.
macro_rules! token_pages {
    ($reader:expr, $operation:literal, |$token:ident| $request:expr, $items:expr, $next:expr) => {{
        let mut out = Vec::new();
        let mut $token: Option<String> = None;
        loop {
            match $request.send().await {
                Ok(page) => {
                    out.extend($items(&page));
                    let next: Option<String> = $next(&page);
                    match next {
                        Some(n) if !n.is_empty() && $token.as_deref() != Some(n.as_str()) => $token = Some(n),
                        _ => break $crate::read::Read::Got(out),
                    }
                }
                Err(e) => break $crate::read::Read::Failed($reader.failed($operation, &e)),
            }
        }
    }};
}

mod apigateway;
mod apigatewayv2;
mod autoscaling;
mod backup;
mod client;
mod cloudformation;
mod cloudfront;
mod cognito;
mod cognito_identity;
mod dynamodb;
mod ec2;
mod eventbridge;
mod gap;
mod iam;
mod kms;
mod lambda;
mod logs;
mod pace;
mod rds;
mod read;
mod s3;
mod s3control;
mod ses;
mod sns;
mod sqs;
mod stepfunctions;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use sensei_model::{Fact, Facts};
use sensei_model::{Inventory, LiveOrigin, ResourceRef, ResourceType, Syntax};

pub use client::Clients;
pub use gap::Gap;
pub use read::Read;
use read::Reader;

/// What `sensei audit` asks for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A profile of the shared config files; `None`: the standard chain (`AWS_PROFILE`, ...).
    pub profile: Option<String>,
    /// The regions to audit; empty: the configured region (`AWS_REGION`, the profile's `region`);
    /// `["all"]`: every region enabled for the account (`ec2:DescribeRegions`).
    pub regions: Vec<String>,
    /// An endpoint for every service (an emulator); `AWS_ENDPOINT_URL` is honoured by the SDK itself.
    pub endpoint_url: Option<String>,
    /// Only the resources of these CloudFormation stacks (and of their nested stacks).
    pub stacks: Vec<String>,
    /// Only the resources that carry every one of these tags.
    pub tags: Vec<(String, String)>,
    /// The facts to read (the ones the selected rules use, `Facts::all()` for every rule); the
    /// calls of the others are not made and their values stay unknown.
    pub facts: Facts,
}

/// Why the audit could not start (a failed read of one resource is a [`Gap`], not an error).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no region to audit: pass --region, or set AWS_REGION or a profile's region")]
    NoRegion,
    #[error("`--region all` cannot be combined with other regions (got {0})")]
    AllWithOthers(String),
    #[error("cannot list the regions enabled for the account (ec2:DescribeRegions in {region}): {code}: {message}")]
    Regions { region: String, code: String, message: String },
    #[error("cannot read the account's identity (sts:GetCallerIdentity in {region}): {code}: {message}")]
    Identity { region: String, code: String, message: String },
    #[error("stack `{0}` was not found in the audited regions{1}")]
    StackNotFound(String, String),
    #[error("cannot start the async runtime: {0}")]
    Runtime(String),
}

/// What the audit is doing, for a progress display. Every method has a no-op default.
pub trait Progress: Send + Sync {
    /// A step of the audit began ("listing", "reading", ...).
    fn phase(&self, _name: &str) {}
    /// `n` more resources will have their details read.
    fn discovered(&self, _n: usize) {}
    /// One resource's details were read.
    fn fetched(&self) {}
}

/// A progress display that shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// The resources of one region, or the account's global ones (`region: None`: IAM, CloudFront).
#[derive(Debug, Clone)]
pub struct RegionInventory {
    pub region: Option<String>,
    pub inventory: Inventory,
}

/// Everything a live audit read.
#[derive(Debug, Clone)]
pub struct Audit {
    pub account: String,
    pub regions: Vec<String>,
    /// One inventory per audited region, then one for the global services.
    pub inventories: Vec<RegionInventory>,
    /// Every call that failed, in a stable order.
    pub gaps: Vec<Gap>,
}

/// How many resources of one service are read at the same time (their calls in flight are bounded
/// again by `pace::CALLS_IN_FLIGHT_PER_SERVICE`).
pub const CONCURRENCY_PER_SERVICE: usize = 16;

/// Reads the account: every region of `options`, then the global services once.
pub fn audit(options: &Options, progress: Arc<dyn Progress>) -> Result<Audit, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(4)
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    runtime.block_on(audit_async(options, progress))
}

async fn audit_async(options: &Options, progress: Arc<dyn Progress>) -> Result<Audit, Error> {
    progress.phase("connecting");
    let base = client::load(options, None).await;
    let regions: Vec<String> = match requested_regions(&options.regions)? {
        Requested::Configured => match base.region() {
            Some(r) => vec![r.to_string()],
            None => return Err(Error::NoRegion),
        },
        Requested::Named(list) => list,
        Requested::All => {
            progress.phase("listing regions");
            // Asked in the configured region, or in us-east-1, which every account has.
            let region = base.region().map_or_else(|| "us-east-1".to_string(), |r| r.to_string());
            let clients = Clients::new(&client::load(options, Some(&region)).await, options.endpoint_url.is_some());
            ec2::fetch_regions(&clients.ec2, &region).await?
        }
    };
    let mut per_region = Vec::new();
    for region in &regions {
        let clients = Clients::new(&client::load(options, Some(region)).await, options.endpoint_url.is_some());
        per_region.push((region.clone(), clients));
    }
    let Some((first, first_clients)) = per_region.first().cloned() else { return Err(Error::NoRegion) };
    let account = fetch_account(&first_clients, &first).await?;

    let gaps = gap::Gaps::default();
    let filter = Filter { tags: options.tags.clone(), stacks: None };

    // Stacks first: they name the stack of every resource, and `--stack` restricts the audit.
    progress.phase("listing stacks");
    let mut stacks = cloudformation::StackIndex::default();
    let stack_reads = per_region
        .iter()
        .map(|(region, clients)| cloudformation::fetch_stacks(&clients.cloudformation, region, &options.stacks, &gaps));
    for index in futures_util::future::join_all(stack_reads).await {
        stacks.merge(index);
    }
    for name in &options.stacks {
        if !stacks.found(name) {
            let why = gaps.first_of("cloudformation").map(|g| format!(" ({} failed: {})", g.operation, g.code));
            return Err(Error::StackNotFound(name.clone(), why.unwrap_or_default()));
        }
    }
    let filter = Filter { stacks: (!options.stacks.is_empty()).then(|| stacks.selected()), ..filter };

    progress.phase("reading resources");
    let scope =
        Scope { account: account.clone(), gaps: gaps.clone(), progress: progress.clone(), facts: options.facts };
    // S3, the regions and the global services are read at the same time; the bound on calls in
    // flight is per service and region (see `pace::CALLS_IN_FLIGHT_PER_SERVICE`).
    // S3 lists every bucket of the account once; each bucket is read in its own region.
    let s3_reads = async {
        let buckets = s3::fetch_buckets(&first_clients.s3, &scope, &regions, &per_region, &stacks, &filter);
        let mut buckets = if_read!(scope.facts, Fact::Buckets, buckets).await;
        if !buckets.is_empty() {
            read_account_s3(options, &scope, &first, &first_clients, &per_region, &mut buckets).await;
        }
        buckets
    };
    let global_reads = async {
        tokio::join!(
            if_read!(scope.facts, Fact::Roles, iam::fetch_roles(&first_clients.iam, &scope, &stacks, &filter)),
            if_read!(
                scope.facts,
                Fact::Distributions,
                cloudfront::fetch_distributions(&first_clients.cloudfront, &scope, &stacks, &filter)
            ),
        )
    };
    let region_reads = per_region.iter().map(|(region, clients)| {
        let scope = scope.clone();
        let stacks = &stacks;
        let filter = &filter;
        async move {
            let mut inventory = Inventory::default();
            let has = scope.facts;
            // The read of one service's resources in this region, when a selected rule uses them.
            macro_rules! service {
                ($fact:expr, $fetch:path, $client:expr) => {
                    if_read!(has, $fact, $fetch(&$client, region, &scope, stacks, filter))
                };
            }
            // Every service at once (two groups: `join!` destructures into a tuple per group).
            let first = async {
                tokio::join!(
                    service!(Fact::Functions, lambda::fetch_functions, clients.lambda),
                    service!(Fact::Queues, sqs::fetch_queues, clients.sqs),
                    service!(Fact::Topics, sns::fetch_topics, clients.sns),
                    async {
                        // The tables' tags matter only for backup selections by tag.
                        let (mut tables, backup) = tokio::join!(
                            service!(Fact::Tables, dynamodb::fetch_tables, clients.dynamodb),
                            service!(Fact::Backups, backup::fetch_backup, clients.backup),
                        );
                        if filter.tags.is_empty()
                            && has.contains(Fact::TableTags)
                            && dynamodb::selections_use_tags(&backup.1)
                        {
                            dynamodb::read_tags(&clients.dynamodb, region, &scope, &mut tables).await;
                        }
                        (tables, backup)
                    },
                    service!(Fact::LogGroups, logs::fetch_log_groups, clients.logs),
                )
            };
            let second = async {
                tokio::join!(
                    service!(Fact::Apis, apigateway::fetch_rest_apis, clients.apigateway),
                    service!(Fact::Apis, apigatewayv2::fetch_apis, clients.apigatewayv2),
                    service!(Fact::EventRules, eventbridge::fetch_events, clients.eventbridge),
                    service!(Fact::StateMachines, stepfunctions::fetch_state_machines, clients.sfn),
                    service!(Fact::UserPools, cognito::fetch_user_pools, clients.cognito),
                    service!(Fact::IdentityPools, cognito_identity::fetch_identity_pools, clients.cognito_identity),
                    service!(Fact::KmsKeys, kms::fetch_keys, clients.kms),
                    service!(Fact::DbInstances, rds::fetch_db_instances, clients.rds),
                    service!(Fact::EmailIdentities, ses::fetch_ses, clients.ses),
                )
            };
            let ((functions, queues, topics, (tables, backup), groups), second) = tokio::join!(first, second);
            let (rest, v2, events, machines, user_pools, identity_pools, keys, db_instances, ses) = second;
            inventory.apis = rest.0;
            inventory.routes = rest.1;
            inventory.apis.extend(v2.0);
            inventory.routes.extend(v2.1);
            (inventory.event_buses, inventory.event_rules) = events;
            inventory.state_machines = machines;
            inventory.user_pools = user_pools;
            inventory.identity_pools = identity_pools;
            inventory.kms_keys = keys;
            inventory.db_instances = db_instances;
            (inventory.backup_plans, inventory.backup_selections) = backup;
            (inventory.email_identities, inventory.configuration_sets) = ses;
            let (mut functions, layers_events_permissions) = functions;
            let subnets = ec2::subnet_ids(&functions);
            if !subnets.is_empty() {
                let mut reader = Reader::new("ec2", Some(region), None, &scope.gaps);
                let zones = ec2::fetch_subnet_zones(&clients.ec2, &subnets, &mut reader).await;
                ec2::map_subnet_zones(&mut functions, &zones, &reader.unread);
            }
            inventory.functions = functions;
            inventory.event_sources = layers_events_permissions.0;
            inventory.permissions = layers_events_permissions.1;
            inventory.queues = queues;
            inventory.topics = topics;
            let mut tables = tables;
            // Auto scaling matters only for provisioned capacity: one read per region, when a table
            // may have it.
            let provisioned = |t: &sensei_model::dynamodb::Table| {
                !matches!(
                    t.billing_mode,
                    sensei_model::Setting::Known(sensei_model::dynamodb::BillingMode::PayPerRequest, _)
                )
            };
            if tables.iter().any(provisioned) {
                let mut reader = Reader::new("application-autoscaling", Some(region), None, &scope.gaps);
                let scaling = autoscaling::fetch_dynamodb_scaling(&clients.autoscaling, &mut reader).await;
                autoscaling::apply_to_tables(&mut tables, &scaling, &reader.unread);
            }
            inventory.tables = tables;
            inventory.log_groups = groups;
            backup::mark_tables(&mut inventory);
            inventory
        }
    });
    let (buckets, regional, (roles, (distributions, response_headers_policies))) =
        tokio::join!(s3_reads, futures_util::future::join_all(region_reads), global_reads);
    let mut inventories: Vec<RegionInventory> = regional
        .into_iter()
        .zip(&regions)
        .map(|(inventory, region)| RegionInventory { region: Some(region.clone()), inventory })
        .collect();
    for (region, bucket, policy) in buckets {
        if let Some(ri) = inventories.iter_mut().find(|ri| ri.region.as_deref() == Some(region.as_str())) {
            let mut bucket = bucket;
            if let Some(policy) = policy {
                bucket.policies = vec![ri.inventory.bucket_policies.len()];
                ri.inventory.bucket_policies.push(policy);
            }
            ri.inventory.buckets.push(bucket);
        }
    }

    inventories.push(RegionInventory {
        region: None,
        inventory: Inventory { roles, distributions, response_headers_policies, ..Inventory::default() },
    });

    Ok(Audit { account, regions, inventories, gaps: gaps.take() })
}

/// What S3 Control says about the buckets: the account's Block Public Access (one setting,
/// shared by every bucket), and the access points of each bucket's region and the Multi-Region
/// Access Points (listed in us-west-2).
async fn read_account_s3(
    options: &Options,
    scope: &Scope,
    first: &str,
    first_clients: &Clients,
    per_region: &[(String, Clients)],
    buckets: &mut [(String, sensei_model::s3::Bucket, Option<sensei_model::s3::BucketPolicy>)],
) {
    let gaps = &scope.gaps;
    let mut reader = Reader::new("s3control", Some(first), None, gaps);
    let unusable = first_clients.s3control_unusable.as_deref();
    let block =
        s3control::fetch_account_public_access_block(&first_clients.s3control, unusable, &scope.account, &mut reader)
            .await;
    s3control::apply_to_buckets(buckets.iter_mut().map(|(_, bucket, _)| bucket), &block, &reader.unread);

    let control = s3control::MULTI_REGION_CONTROL;
    let multi_clients = match per_region.iter().find(|(r, _)| r == control) {
        Some((_, clients)) => clients.clone(),
        None => Clients::new(&client::load(options, Some(control)).await, options.endpoint_url.is_some()),
    };
    let mut multi_reader = Reader::new("s3control", Some(control), None, gaps);
    let unusable = multi_clients.s3control_unusable.as_deref();
    let multi =
        s3control::fetch_multi_region_access_points(&multi_clients.s3control, unusable, scope, &mut multi_reader).await;
    let mut regional = BTreeMap::new();
    for (region, clients) in per_region {
        if !buckets.iter().any(|(r, _, _)| r == region) {
            continue;
        }
        let mut reader = Reader::new("s3control", Some(region), None, gaps);
        let unusable = clients.s3control_unusable.as_deref();
        let read = s3control::fetch_access_points(&clients.s3control, unusable, region, scope, &mut reader).await;
        let mut unread = reader.unread;
        unread.extend(multi_reader.unread.iter().cloned());
        regional.insert(region.clone(), (read, unread));
    }
    for (region, bucket, _) in buckets.iter_mut() {
        let Some((read, unread)) = regional.get(region.as_str()) else { continue };
        let name = bucket.bucket_name.known().cloned().unwrap_or_default();
        s3control::apply_access_points(bucket, &name, read, &multi, unread);
    }
}

/// The account id, from `sts:GetCallerIdentity`: also the check that credentials work at all.
async fn fetch_account(clients: &Clients, region: &str) -> Result<String, Error> {
    match clients.sts.get_caller_identity().send().await {
        Ok(out) => Ok(out.account().unwrap_or_default().to_string()),
        Err(e) => {
            let (code, message) = gap::describe(&e);
            Err(Error::Identity { region: region.to_string(), code, message })
        }
    }
}

/// Which regions `--region` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Requested {
    /// None named: the configured region.
    Configured,
    /// These, without repeats, in the order given.
    Named(Vec<String>),
    /// `all`: every region enabled for the account.
    All,
}

fn requested_regions(regions: &[String]) -> Result<Requested, Error> {
    if regions.is_empty() {
        return Ok(Requested::Configured);
    }
    if regions.iter().any(|r| r == "all") {
        if regions.iter().all(|r| r == "all") {
            return Ok(Requested::All);
        }
        return Err(Error::AllWithOthers(regions.join(",")));
    }
    let mut out: Vec<String> = Vec::new();
    for region in regions {
        if !out.contains(region) {
            out.push(region.clone());
        }
    }
    Ok(Requested::Named(out))
}

/// What every fetch shares: the account, where gaps go, and the progress display.
#[derive(Clone)]
pub(crate) struct Scope {
    pub account: String,
    pub gaps: gap::Gaps,
    pub progress: Arc<dyn Progress>,
    /// The facts to read; the calls of the others are not made.
    pub facts: Facts,
}

/// Which resources the user asked for (`--stack`, `--tag`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub tags: Vec<(String, String)>,
    /// The physical ids of the selected stacks' resources; `None`: every resource.
    pub stacks: Option<std::collections::BTreeSet<String>>,
}

impl Filter {
    /// Whether a resource known by these physical ids belongs to the selected stacks.
    pub fn in_stacks(&self, ids: &[&str]) -> bool {
        self.stacks.as_ref().is_none_or(|set| ids.iter().any(|id| set.contains(*id)))
    }

    /// Whether the resource has every tag asked for; unknown tags keep it (it is reported, with
    /// the gap), so a failed read never hides a resource.
    pub fn has_tags(&self, tags: Option<&BTreeMap<String, String>>) -> bool {
        match tags {
            None => true,
            Some(tags) => self.tags.iter().all(|(k, v)| tags.get(k) == Some(v)),
        }
    }
}

/// The reference of a live resource: its ARN, region and stack, and what of it could not be read.
pub(crate) fn live_ref(
    arn: &str,
    resource_type: &str,
    account: &str,
    region: Option<&str>,
    stack: Option<String>,
    unread: Vec<String>,
) -> ResourceRef {
    ResourceRef {
        id: arn.to_string(),
        resource_type: ResourceType::new(resource_type),
        location: None,
        generated_from: None,
        syntax: Syntax::Live,
        suppressions: Vec::new(),
        live: Some(LiveOrigin {
            account: Some(account.to_string()),
            region: region.map(str::to_string),
            stack,
            unread,
        }),
    }
}

/// The reason given for a model field this slice of the live audit does not read yet.
pub const NOT_READ_YET: &str = "not read by the live audit yet";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_must_all_match_and_unknown_tags_keep_the_resource() {
        let filter = Filter { tags: vec![("team".into(), "a".into()), ("env".into(), "prod".into())], stacks: None };
        let tags = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        assert!(filter.has_tags(Some(&tags(&[("team", "a"), ("env", "prod"), ("x", "y")]))));
        assert!(!filter.has_tags(Some(&tags(&[("team", "a")]))));
        assert!(!filter.has_tags(Some(&tags(&[("team", "A"), ("env", "prod")]))));
        assert!(filter.has_tags(None));
        assert!(Filter::default().has_tags(Some(&tags(&[]))));
    }

    #[test]
    fn all_regions_stand_alone() {
        let list = |r: &[&str]| r.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(requested_regions(&[]).unwrap(), Requested::Configured);
        assert_eq!(requested_regions(&list(&["all"])).unwrap(), Requested::All);
        assert_eq!(requested_regions(&list(&["all", "all"])).unwrap(), Requested::All);
        assert_eq!(
            requested_regions(&list(&["eu-west-1", "us-east-1", "eu-west-1"])).unwrap(),
            Requested::Named(list(&["eu-west-1", "us-east-1"]))
        );
        let e = requested_regions(&list(&["all", "eu-west-1"])).unwrap_err();
        assert!(matches!(e, Error::AllWithOthers(_)));
        assert!(e.to_string().contains("`--region all` cannot be combined"), "{e}");
    }

    #[test]
    fn stacks_keep_their_resources_only() {
        let filter = Filter { tags: vec![], stacks: Some(["bucket-a".to_string()].into_iter().collect()) };
        assert!(filter.in_stacks(&["bucket-a"]));
        assert!(filter.in_stacks(&["url", "bucket-a"]));
        assert!(!filter.in_stacks(&["bucket-b"]));
        assert!(Filter::default().in_stacks(&["anything"]));
    }
}
