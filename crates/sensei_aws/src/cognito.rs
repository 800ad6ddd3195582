//! Amazon Cognito user pools: password policy, sign-in, threat protection and MFA.
//!
//! `DescribeUserPool` gives everything the model holds, `MfaConfiguration` included, so
//! `GetUserPoolMfaConfig` is not called.

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::UserPoolType;
use futures_util::StreamExt as _;
use sensei_model::Setting;
use sensei_model::cognito::{AdvancedSecurityMode, MfaConfiguration, PasswordPolicy, UserPool};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

pub async fn fetch_user_pools(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> Vec<UserPool> {
    let mut reader = Reader::new("cognito-idp", Some(region), None, &scope.gaps);
    let listed: Read<Vec<String>> = pages!(
        reader,
        "ListUserPools",
        client.list_user_pools().max_results(60),
        |p: &aws_sdk_cognitoidentityprovider::operation::list_user_pools::ListUserPoolsOutput| p
            .user_pools()
            .iter()
            .filter_map(|u| u.id().map(str::to_string))
            .collect::<Vec<_>>()
    );
    let mut ids = listed.or_empty();
    ids.retain(|id| filter.in_stacks(&[id]));
    scope.progress.discovered(ids.len());
    let pools: Vec<Option<UserPool>> = futures_util::stream::iter(ids)
        .map(|id| async move {
            let arn = format!("arn:aws:cognito-idp:{region}:{}:userpool/{id}", scope.account);
            let mut reader = Reader::new("cognito-idp", Some(region), Some(&arn), &scope.gaps);
            let pool = match reader.get("DescribeUserPool", client.describe_user_pool().user_pool_id(&id).send().await)
            {
                Read::Got(out) => {
                    Read::Got(out.user_pool().cloned().unwrap_or_else(|| UserPoolType::builder().build()))
                }
                Read::Failed(why) => Read::Failed(why),
            };
            let keep = filter.has_tags(
                pool.got().map(|p| p.user_pool_tags().cloned().unwrap_or_default().into_iter().collect()).as_ref(),
            );
            let stack = stacks.stack_of(&[&id, &arn]);
            scope.progress.fetched();
            keep.then(|| map_user_pool(&arn, &scope.account, region, stack, &pool, reader.unread))
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    pools.into_iter().flatten().collect()
}

pub fn map_user_pool(
    listed_arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    pool: &Read<UserPoolType>,
    unread: Vec<String>,
) -> UserPool {
    let arn = pool.got().and_then(|p| p.arn()).unwrap_or(listed_arn);
    let password_policy = match pool {
        Read::Got(p) => match p.policies().and_then(|p| p.password_policy()) {
            Some(pp) => live(PasswordPolicy {
                location: None,
                minimum_length: match pp.minimum_length().and_then(|n| u32::try_from(n).ok()) {
                    Some(n) => live(n),
                    None => Setting::Unknown("DescribeUserPool gave no MinimumLength".to_string()),
                },
                require_lowercase: live(pp.require_lowercase()),
                require_uppercase: live(pp.require_uppercase()),
                require_numbers: live(pp.require_numbers()),
                require_symbols: live(pp.require_symbols()),
                temporary_password_validity_days: match u32::try_from(pp.temporary_password_validity_days()) {
                    Ok(n) if n > 0 => live(n),
                    _ => Setting::Unknown("DescribeUserPool gave no TemporaryPasswordValidityDays".to_string()),
                },
            }),
            None => Setting::Unknown("DescribeUserPool gave no password policy".to_string()),
        },
        Read::Failed(why) => Setting::Unknown(why.clone()),
    };
    UserPool {
        resource: live_ref(arn, "AWS::Cognito::UserPool", account, Some(region), stack, unread),
        password_policy,
        // Pools created before the setting existed have no `UsernameConfiguration`: case sensitive.
        username_case_sensitive: pool.setting(|p| p.username_configuration().is_none_or(|u| u.case_sensitive())),
        advanced_security_mode: pool.setting(|p| {
            p.user_pool_add_ons()
                .map_or(AdvancedSecurityMode::Off, |a| AdvancedSecurityMode::parse(a.advanced_security_mode().as_str()))
        }),
        mfa_configuration: pool
            .setting(|p| p.mfa_configuration().map_or(MfaConfiguration::Off, |m| MfaConfiguration::parse(m.as_str()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cognitoidentityprovider::types::{
        AdvancedSecurityModeType, PasswordPolicyType, UserPoolAddOnsType, UserPoolMfaType, UserPoolPolicyType,
        UsernameConfigurationType,
    };
    use sensei_model::Provenance;

    #[test]
    fn maps_a_pool() {
        let pool = UserPoolType::builder()
            .arn("arn:aws:cognito-idp:eu-west-1:1:userpool/p")
            .policies(
                UserPoolPolicyType::builder()
                    .password_policy(
                        PasswordPolicyType::builder()
                            .minimum_length(6)
                            .require_uppercase(true)
                            .temporary_password_validity_days(7)
                            .build(),
                    )
                    .build(),
            )
            .username_configuration(UsernameConfigurationType::builder().case_sensitive(false).build().unwrap())
            .user_pool_add_ons(
                UserPoolAddOnsType::builder()
                    .advanced_security_mode(AdvancedSecurityModeType::Enforced)
                    .build()
                    .unwrap(),
            )
            .mfa_configuration(UserPoolMfaType::On)
            .build();
        let p = map_user_pool("x", "1", "eu-west-1", None, &Read::Got(pool), vec![]);
        assert_eq!(p.resource.id, "arn:aws:cognito-idp:eu-west-1:1:userpool/p");
        let pp = p.password_policy.known().unwrap();
        assert_eq!(pp.minimum_length, Setting::Known(6, Provenance::Live));
        assert_eq!(pp.require_symbols, Setting::Known(false, Provenance::Live));
        assert_eq!(pp.temporary_password_validity_days, Setting::Known(7, Provenance::Live));
        assert_eq!(p.username_case_sensitive, Setting::Known(false, Provenance::Live));
        assert_eq!(p.advanced_security_mode, Setting::Known(AdvancedSecurityMode::Enforced, Provenance::Live));
        assert_eq!(p.mfa_configuration, Setting::Known(MfaConfiguration::On, Provenance::Live));
    }

    #[test]
    fn absent_settings_and_failures() {
        let p = map_user_pool("arn:x", "1", "eu-west-1", None, &Read::Got(UserPoolType::builder().build()), vec![]);
        assert!(matches!(p.password_policy, Setting::Unknown(_)));
        assert_eq!(p.username_case_sensitive, Setting::Known(true, Provenance::Live));
        assert_eq!(p.advanced_security_mode, Setting::Known(AdvancedSecurityMode::Off, Provenance::Live));
        let p = map_user_pool("arn:x", "1", "eu-west-1", None, &Read::Failed("x".into()), vec![]);
        assert_eq!(p.resource.id, "arn:x");
        assert!(matches!(p.username_case_sensitive, Setting::Unknown(_)));
    }
}
