//! Amazon SES (API v2): email identities and configuration sets.
//!
//! Whether the account has production access (`GetAccount`) is not read: every identity says so.

use aws_sdk_sesv2::Client;
use aws_sdk_sesv2::operation::get_configuration_set::GetConfigurationSetOutput;
use aws_sdk_sesv2::operation::get_email_identity::GetEmailIdentityOutput;
use aws_sdk_sesv2::types::IdentityType as SdkIdentityType;
use futures_util::StreamExt as _;
use sensei_model::Setting;
use sensei_model::ses::{ConfigurationSet, EmailIdentity, IdentityType, SuppressionReason};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{CONCURRENCY_PER_SERVICE, Filter, NOT_READ_YET, Scope, live_ref};

pub async fn fetch_ses(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> (Vec<EmailIdentity>, Vec<ConfigurationSet>) {
    let mut reader = Reader::new("ses", Some(region), None, &scope.gaps);
    let identities: Read<Vec<String>> = pages!(
        reader,
        "ListEmailIdentities",
        client.list_email_identities(),
        |p: &aws_sdk_sesv2::operation::list_email_identities::ListEmailIdentitiesOutput| p
            .email_identities()
            .iter()
            .filter_map(|i| i.identity_name().map(str::to_string))
            .collect::<Vec<_>>()
    );
    let sets: Read<Vec<String>> = pages!(
        reader,
        "ListConfigurationSets",
        client.list_configuration_sets(),
        |p: &aws_sdk_sesv2::operation::list_configuration_sets::ListConfigurationSetsOutput| p
            .configuration_sets()
            .to_vec()
    );
    let mut identities = identities.got().cloned().unwrap_or_default();
    let mut sets = sets.got().cloned().unwrap_or_default();
    identities.retain(|n| filter.in_stacks(&[n]));
    sets.retain(|n| filter.in_stacks(&[n]));
    scope.progress.discovered(identities.len() + sets.len());
    let identities: Vec<Option<EmailIdentity>> = futures_util::stream::iter(identities)
        .map(|name| async move {
            let arn = format!("arn:aws:ses:{region}:{}:identity/{name}", scope.account);
            let mut reader = Reader::new("ses", Some(region), Some(&arn), &scope.gaps);
            let got = reader.get("GetEmailIdentity", client.get_email_identity().email_identity(&name).send().await);
            let keep = filter.has_tags(
                got.got()
                    .map(|o| o.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect())
                    .as_ref(),
            );
            let stack = stacks.stack_of(&[&name, &arn]);
            scope.progress.fetched();
            keep.then(|| map_identity(&name, &arn, &scope.account, region, stack, &got, reader.unread))
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    let sets: Vec<Option<ConfigurationSet>> = futures_util::stream::iter(sets)
        .map(|name| async move {
            let arn = format!("arn:aws:ses:{region}:{}:configuration-set/{name}", scope.account);
            let mut reader = Reader::new("ses", Some(region), Some(&arn), &scope.gaps);
            let got = client.get_configuration_set().configuration_set_name(&name).send().await;
            let got = reader.get("GetConfigurationSet", got);
            let keep = filter.has_tags(
                got.got()
                    .map(|o| o.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect())
                    .as_ref(),
            );
            let stack = stacks.stack_of(&[&name, &arn]);
            scope.progress.fetched();
            keep.then(|| map_configuration_set(&name, &arn, &scope.account, region, stack, &got, reader.unread))
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    (identities.into_iter().flatten().collect(), sets.into_iter().flatten().collect())
}

pub fn map_identity(
    name: &str,
    arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    got: &Read<GetEmailIdentityOutput>,
    unread: Vec<String>,
) -> EmailIdentity {
    let identity_type = match got {
        Read::Got(o) => match o.identity_type() {
            Some(SdkIdentityType::EmailAddress) => live(IdentityType::EmailAddress),
            Some(SdkIdentityType::Domain | SdkIdentityType::ManagedDomain) => live(IdentityType::Domain),
            Some(other) => Setting::Unknown(format!("the identity type `{}` is not one sensei knows", other.as_str())),
            None => Setting::Unknown("GetEmailIdentity gave no IdentityType".to_string()),
        },
        Read::Failed(why) => Setting::Unknown(why.clone()),
    };
    EmailIdentity {
        resource: live_ref(arn, "AWS::SES::EmailIdentity", account, Some(region), stack, unread),
        email_identity: live(name.to_string()),
        identity_type,
        configuration_set_name: got
            .setting(|o| o.configuration_set_name().filter(|c| !c.is_empty()).map(str::to_string)),
        mail_from_domain: got.setting(|o| {
            o.mail_from_attributes().map(|m| m.mail_from_domain()).filter(|d| !d.is_empty()).map(str::to_string)
        }),
        dkim_signing_enabled: match got {
            Read::Got(o) => match o.dkim_attributes() {
                Some(d) => live(d.signing_enabled()),
                None => Setting::Unknown("GetEmailIdentity gave no DkimAttributes".to_string()),
            },
            Read::Failed(why) => Setting::Unknown(why.clone()),
        },
        production_access_enabled: Setting::Unknown(format!("SES production access (GetAccount) is {NOT_READ_YET}")),
    }
}

pub fn map_configuration_set(
    name: &str,
    arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    got: &Read<GetConfigurationSetOutput>,
    unread: Vec<String>,
) -> ConfigurationSet {
    ConfigurationSet {
        resource: live_ref(arn, "AWS::SES::ConfigurationSet", account, Some(region), stack, unread),
        name: live(name.to_string()),
        reputation_metrics_enabled: got
            .setting(|o| o.reputation_options().is_some_and(|r| r.reputation_metrics_enabled())),
        suppressed_reasons: got.setting(|o| {
            o.suppression_options()
                .map(|s| s.suppressed_reasons().iter().map(|r| SuppressionReason::parse(r.as_str())).collect())
        }),
        sending_enabled: got.setting(|o| o.sending_options().is_none_or(|s| s.sending_enabled())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sesv2::types::{
        DkimAttributes, MailFromAttributes, ReputationOptions, SuppressionListReason, SuppressionOptions,
    };
    use sensei_model::Provenance;

    #[test]
    fn maps_identities() {
        let o = GetEmailIdentityOutput::builder()
            .identity_type(SdkIdentityType::EmailAddress)
            .configuration_set_name("main")
            .dkim_attributes(DkimAttributes::builder().signing_enabled(true).build())
            .build();
        let i = map_identity("a@example.com", "arn:i", "1", "eu-west-1", None, &Read::Got(o), vec![]);
        assert_eq!(i.identity_type, Setting::Known(IdentityType::EmailAddress, Provenance::Live));
        assert_eq!(i.configuration_set_name, Setting::Known(Some("main".into()), Provenance::Live));
        assert_eq!(i.mail_from_domain, Setting::Known(None, Provenance::Live));
        assert_eq!(i.domain(), Some("example.com"));
        assert!(matches!(i.production_access_enabled, Setting::Unknown(_)));
        let o = GetEmailIdentityOutput::builder()
            .identity_type(SdkIdentityType::Domain)
            .mail_from_attributes(
                MailFromAttributes::builder()
                    .mail_from_domain("mail.example.com")
                    .mail_from_domain_status(aws_sdk_sesv2::types::MailFromDomainStatus::Success)
                    .behavior_on_mx_failure(aws_sdk_sesv2::types::BehaviorOnMxFailure::UseDefaultValue)
                    .build()
                    .unwrap(),
            )
            .build();
        let i = map_identity("example.com", "arn:i", "1", "eu-west-1", None, &Read::Got(o), vec![]);
        assert_eq!(i.identity_type, Setting::Known(IdentityType::Domain, Provenance::Live));
        assert_eq!(i.mail_from_domain, Setting::Known(Some("mail.example.com".into()), Provenance::Live));
        let i = map_identity("example.com", "arn:i", "1", "eu-west-1", None, &Read::Failed("x".into()), vec![]);
        assert!(matches!(i.identity_type, Setting::Unknown(_)));
    }

    #[test]
    fn maps_configuration_sets() {
        let o = GetConfigurationSetOutput::builder()
            .configuration_set_name("main")
            .reputation_options(ReputationOptions::builder().reputation_metrics_enabled(true).build())
            .suppression_options(
                SuppressionOptions::builder().suppressed_reasons(SuppressionListReason::Bounce).build(),
            )
            .build();
        let c = map_configuration_set("main", "arn:c", "1", "eu-west-1", None, &Read::Got(o), vec![]);
        assert_eq!(c.reputation_metrics_enabled, Setting::Known(true, Provenance::Live));
        assert_eq!(c.suppressed_reasons, Setting::Known(Some(vec![SuppressionReason::Bounce]), Provenance::Live));
        assert_eq!(c.sending_enabled, Setting::Known(true, Provenance::Live));
        let c = map_configuration_set(
            "main",
            "arn:c",
            "1",
            "eu-west-1",
            None,
            &Read::Got(GetConfigurationSetOutput::builder().build()),
            vec![],
        );
        assert_eq!(c.reputation_metrics_enabled, Setting::Known(false, Provenance::Live));
        assert_eq!(c.suppressed_reasons, Setting::Known(None, Provenance::Live));
    }
}
