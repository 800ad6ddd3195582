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
    ($reader:expr, $operation:literal, $request:expr, $items:expr) => {{
        let mut out = Vec::new();
        let mut failed = None;
        let mut stream = $request.into_paginator().send();
        while let Some(page) = stream.next().await {
            match page {
                Ok(page) => out.extend($items(&page)),
                Err(e) => {
                    failed = Some($reader.failed($operation, &e));
                    break;
                }
            }
        }
        match failed {
            Some(why) => $crate::read::Read::Failed(why),
            None => $crate::read::Read::Got(out),
        }
    }};
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
mod backup;
mod client;
mod cloudformation;
mod cloudfront;
mod cognito;
mod cognito_identity;
mod dynamodb;
mod eventbridge;
mod gap;
mod iam;
mod kms;
mod lambda;
mod logs;
mod rds;
mod read;
mod s3;
mod ses;
mod sns;
mod sqs;
mod stepfunctions;

use std::collections::BTreeMap;
use std::sync::Arc;

use sensei_model::{Inventory, LiveOrigin, ResourceRef, ResourceType, Syntax};

pub use client::Clients;
pub use gap::Gap;
pub use read::Read;

/// What `sensei audit` asks for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A profile of the shared config files; `None`: the standard chain (`AWS_PROFILE`, ...).
    pub profile: Option<String>,
    /// The regions to audit; empty: the configured region (`AWS_REGION`, the profile's `region`).
    pub regions: Vec<String>,
    /// An endpoint for every service (an emulator); `AWS_ENDPOINT_URL` is honoured by the SDK itself.
    pub endpoint_url: Option<String>,
    /// Only the resources of these CloudFormation stacks (and of their nested stacks).
    pub stacks: Vec<String>,
    /// Only the resources that carry every one of these tags.
    pub tags: Vec<(String, String)>,
}

/// Why the audit could not start (a failed read of one resource is a [`Gap`], not an error).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no region to audit: pass --region, or set AWS_REGION or a profile's region")]
    NoRegion,
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

/// How many calls of one service run at the same time.
pub const CONCURRENCY_PER_SERVICE: usize = 8;

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
    let regions: Vec<String> = if options.regions.is_empty() {
        match base.region() {
            Some(r) => vec![r.to_string()],
            None => return Err(Error::NoRegion),
        }
    } else {
        let mut r: Vec<String> = Vec::new();
        for region in &options.regions {
            if !r.contains(region) {
                r.push(region.clone());
            }
        }
        r
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
    let scope = Scope { account: account.clone(), gaps: gaps.clone(), progress: progress.clone() };
    // S3 lists every bucket of the account once; each bucket is read in its own region.
    let buckets = s3::fetch_buckets(&first_clients.s3, &scope, &regions, &per_region, &stacks, &filter).await;
    let region_reads = per_region.iter().map(|(region, clients)| {
        let scope = scope.clone();
        let stacks = &stacks;
        let filter = &filter;
        async move {
            let mut inventory = Inventory::default();
            // Every service at once (two groups: `join!` destructures into a tuple per group).
            let first = async {
                tokio::join!(
                    lambda::fetch_functions(&clients.lambda, region, &scope, stacks, filter),
                    sqs::fetch_queues(&clients.sqs, region, &scope, stacks, filter),
                    sns::fetch_topics(&clients.sns, region, &scope, stacks, filter),
                    dynamodb::fetch_tables(&clients.dynamodb, region, &scope, stacks, filter),
                    logs::fetch_log_groups(&clients.logs, region, &scope, stacks, filter),
                )
            };
            let second = async {
                tokio::join!(
                    apigateway::fetch_rest_apis(&clients.apigateway, region, &scope, stacks, filter),
                    apigatewayv2::fetch_apis(&clients.apigatewayv2, region, &scope, stacks, filter),
                    eventbridge::fetch_events(&clients.eventbridge, region, &scope, stacks, filter),
                    stepfunctions::fetch_state_machines(&clients.sfn, region, &scope, stacks, filter),
                    cognito::fetch_user_pools(&clients.cognito, region, &scope, stacks, filter),
                    cognito_identity::fetch_identity_pools(&clients.cognito_identity, region, &scope, stacks, filter),
                    kms::fetch_keys(&clients.kms, region, &scope, stacks, filter),
                    rds::fetch_db_instances(&clients.rds, region, &scope, stacks, filter),
                    backup::fetch_backup(&clients.backup, region, &scope, stacks, filter),
                    ses::fetch_ses(&clients.ses, region, &scope, stacks, filter),
                )
            };
            let ((functions, queues, topics, tables, groups), second) = tokio::join!(first, second);
            let (rest, v2, events, machines, user_pools, identity_pools, keys, db_instances, backup, ses) = second;
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
            let (functions, layers_events_permissions) = functions;
            inventory.functions = functions;
            inventory.event_sources = layers_events_permissions.0;
            inventory.permissions = layers_events_permissions.1;
            inventory.queues = queues;
            inventory.topics = topics;
            inventory.tables = tables;
            inventory.log_groups = groups;
            backup::mark_tables(&mut inventory);
            inventory
        }
    });
    let mut inventories: Vec<RegionInventory> = futures_util::future::join_all(region_reads)
        .await
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

    progress.phase("reading IAM and CloudFront");
    let (roles, (distributions, response_headers_policies)) = tokio::join!(
        iam::fetch_roles(&first_clients.iam, &scope, &stacks, &filter),
        cloudfront::fetch_distributions(&first_clients.cloudfront, &scope, &stacks, &filter),
    );
    inventories.push(RegionInventory {
        region: None,
        inventory: Inventory { roles, distributions, response_headers_policies, ..Inventory::default() },
    });

    Ok(Audit { account, regions, inventories, gaps: gaps.take() })
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

/// What every fetch shares: the account, where gaps go, and the progress display.
#[derive(Clone)]
pub(crate) struct Scope {
    pub account: String,
    pub gaps: gap::Gaps,
    pub progress: Arc<dyn Progress>,
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
    fn stacks_keep_their_resources_only() {
        let filter = Filter { tags: vec![], stacks: Some(["bucket-a".to_string()].into_iter().collect()) };
        assert!(filter.in_stacks(&["bucket-a"]));
        assert!(filter.in_stacks(&["url", "bucket-a"]));
        assert!(!filter.in_stacks(&["bucket-b"]));
        assert!(Filter::default().in_stacks(&["anything"]));
    }
}
