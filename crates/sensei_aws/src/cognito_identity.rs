//! Amazon Cognito identity pools: guest access.

use aws_sdk_cognitoidentity::Client;
use aws_sdk_cognitoidentity::operation::describe_identity_pool::DescribeIdentityPoolOutput;
use futures_util::StreamExt as _;
use sensei_model::cognito::IdentityPool;

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader};
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

pub async fn fetch_identity_pools(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> Vec<IdentityPool> {
    let mut reader = Reader::new("cognito-identity", Some(region), None, &scope.gaps);
    let listed: Read<Vec<String>> = pages!(
        reader,
        "ListIdentityPools",
        client.list_identity_pools().max_results(60),
        |p: &aws_sdk_cognitoidentity::operation::list_identity_pools::ListIdentityPoolsOutput| p
            .identity_pools()
            .iter()
            .filter_map(|i| i.identity_pool_id().map(str::to_string))
            .collect::<Vec<_>>()
    );
    let mut ids = listed.or_empty();
    ids.retain(|id| filter.in_stacks(&[id]));
    scope.progress.discovered(ids.len());
    let pools: Vec<Option<IdentityPool>> = futures_util::stream::iter(ids)
        .map(|id| async move {
            let arn = identity_pool_arn(region, &scope.account, &id);
            let mut reader = Reader::new("cognito-identity", Some(region), Some(&arn), &scope.gaps);
            let got = client.describe_identity_pool().identity_pool_id(&id).send().await;
            let pool = reader.get("DescribeIdentityPool", got);
            let keep = filter.has_tags(
                pool.got().map(|p| p.identity_pool_tags().cloned().unwrap_or_default().into_iter().collect()).as_ref(),
            );
            let stack = stacks.stack_of(&[&id, &arn]);
            scope.progress.fetched();
            keep.then(|| map_identity_pool(&arn, &scope.account, region, stack, &pool, reader.unread))
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    pools.into_iter().flatten().collect()
}

/// `arn:aws:cognito-identity:<region>:<account>:identitypool/<id>`.
pub fn identity_pool_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:cognito-identity:{region}:{account}:identitypool/{id}")
}

pub fn map_identity_pool(
    arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    pool: &Read<DescribeIdentityPoolOutput>,
    unread: Vec<String>,
) -> IdentityPool {
    IdentityPool {
        resource: live_ref(arn, "AWS::Cognito::IdentityPool", account, Some(region), stack, unread),
        allow_unauthenticated_identities: pool.setting(|p| p.allow_unauthenticated_identities()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sensei_model::{Provenance, Setting};

    #[test]
    fn maps_guest_access() {
        let out = DescribeIdentityPoolOutput::builder()
            .identity_pool_id("eu-west-1:x")
            .identity_pool_name("guests")
            .allow_unauthenticated_identities(true)
            .build()
            .unwrap();
        let arn = identity_pool_arn("eu-west-1", "1", "eu-west-1:x");
        let p = map_identity_pool(&arn, "1", "eu-west-1", None, &Read::Got(out), vec![]);
        assert_eq!(p.allow_unauthenticated_identities, Setting::Known(true, Provenance::Live));
        assert_eq!(p.resource.id, "arn:aws:cognito-identity:eu-west-1:1:identitypool/eu-west-1:x");
        let p = map_identity_pool(&arn, "1", "eu-west-1", None, &Read::Failed("x".into()), vec![]);
        assert!(matches!(p.allow_unauthenticated_identities, Setting::Unknown(_)));
    }
}
