//! `AWS::SES::EmailIdentity` and `AWS::SES::ConfigurationSet`.

use sensei_model::ses::{ConfigurationSet, EmailIdentity, IdentityType, SuppressionReason};
use sensei_model::{Inventory, Setting};

use super::{Ctx, bool_of, field, required, text_of, texts_of};
use crate::template::Template;

pub fn email_identity(cx: &Ctx<'_, '_>) -> EmailIdentity {
    let props = cx.props();
    let email_identity = required(props.text("EmailIdentity"), "the identity has no `EmailIdentity`");
    EmailIdentity {
        resource: cx.resource_ref("AWS::SES::EmailIdentity"),
        identity_type: identity_type(&email_identity),
        email_identity,
        configuration_set_name: text_of(
            "ConfigurationSetName",
            field(&props, &["ConfigurationSetAttributes", "ConfigurationSetName"]),
        ),
        mail_from_domain: text_of("MailFromDomain", field(&props, &["MailFromAttributes", "MailFromDomain"])),
        dkim_signing_enabled: bool_of("SigningEnabled", field(&props, &["DkimAttributes", "SigningEnabled"]), true),
        production_access_enabled: Setting::Unknown(
            "SES production access is a setting of the account, not of a template".to_string(),
        ),
    }
}

/// An address has an `@`; a domain does not. Text that is only a deploy-time token could be
/// either.
fn identity_type(identity: &Setting<String>) -> Setting<IdentityType> {
    match identity {
        Setting::Known(text, prov) if text.contains('@') => Setting::Known(IdentityType::EmailAddress, prov.clone()),
        Setting::Known(text, _) if is_one_token(text) => {
            Setting::Unknown(format!("`EmailIdentity` is `{text}`, known only at deploy time"))
        }
        Setting::Known(_, prov) => Setting::Known(IdentityType::Domain, prov.clone()),
        Setting::Unknown(why) => Setting::Unknown(why.clone()),
    }
}

/// `${X}` and nothing else.
fn is_one_token(text: &str) -> bool {
    text.strip_prefix("${").and_then(|t| t.strip_suffix('}')).is_some_and(|inner| !inner.contains(['$', '}']))
}

pub fn configuration_set(cx: &Ctx<'_, '_>) -> ConfigurationSet {
    let props = cx.props();
    let name = match props.text("Name") {
        Setting::Known(Some(name), prov) => Setting::Known(name, prov),
        Setting::Known(None, _) => Setting::default_value(format!("${{{}}}", cx.id())),
        Setting::Unknown(why) => Setting::Unknown(why),
    };
    let suppressed_reasons = match field(&props, &["SuppressionOptions"]) {
        None => Setting::absent(),
        Some((_, prov)) => {
            match texts_of("SuppressedReasons", field(&props, &["SuppressionOptions", "SuppressedReasons"])) {
                // `SuppressionOptions` without reasons: the configuration set suppresses nothing.
                Setting::Known(reasons, p) => {
                    let p = if reasons.is_empty() { prov } else { p };
                    Setting::Known(Some(reasons.iter().map(|r| SuppressionReason::parse(r)).collect()), p)
                }
                Setting::Unknown(why) => Setting::Unknown(why),
            }
        }
    };
    ConfigurationSet {
        resource: cx.resource_ref("AWS::SES::ConfigurationSet"),
        name,
        reputation_metrics_enabled: bool_of(
            "ReputationMetricsEnabled",
            field(&props, &["ReputationOptions", "ReputationMetricsEnabled"]),
            false,
        ),
        suppressed_reasons,
        sending_enabled: bool_of("SendingEnabled", field(&props, &["SendingOptions", "SendingEnabled"]), true),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut Inventory) {
    match ty {
        "AWS::SES::EmailIdentity" => inventory.email_identities.push(email_identity(cx)),
        "AWS::SES::ConfigurationSet" => inventory.configuration_sets.push(configuration_set(cx)),
        _ => {}
    }
}

/// Links made once every resource is mapped.
pub fn finish(_template: &Template<'_>, _inventory: &mut Inventory) {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use sensei_model::Setting;
    use sensei_model::ses::{IdentityType, SuppressionReason};

    fn identity_type(identity: &str) -> Setting<IdentityType> {
        let text = format!(
            "Parameters:\n  Domain: {{Type: String}}\nResources:\n  I: {{Type: AWS::SES::EmailIdentity, Properties: {{EmailIdentity: {identity}}}}}\n"
        );
        let read = crate::read("t.yaml", &text, &crate::Options::default()).unwrap();
        read.inventory.email_identities[0].identity_type.clone()
    }

    #[test]
    fn an_at_sign_makes_an_address() {
        assert_eq!(identity_type("example.com").known(), Some(&IdentityType::Domain));
        assert_eq!(identity_type("noreply@example.com").known(), Some(&IdentityType::EmailAddress));
        assert_eq!(identity_type("!Sub 'noreply@${Domain}'").known(), Some(&IdentityType::EmailAddress));
        assert_eq!(identity_type("!Sub 'mail.${Domain}'").known(), Some(&IdentityType::Domain));
        assert!(matches!(identity_type("!Ref Domain"), Setting::Unknown(_)));
    }

    #[test]
    fn suppression_options_absent_empty_and_listed() {
        let read = crate::read(
            "t.yaml",
            "Resources:
  Absent: {Type: AWS::SES::ConfigurationSet}
  Empty: {Type: AWS::SES::ConfigurationSet, Properties: {SuppressionOptions: {}}}
  Listed: {Type: AWS::SES::ConfigurationSet, Properties: {SuppressionOptions: {SuppressedReasons: [BOUNCE]}}}
",
            &crate::Options::default(),
        )
        .unwrap();
        let sets = &read.inventory.configuration_sets;
        assert_eq!(sets[0].suppressed_reasons, Setting::absent());
        assert_eq!(sets[1].suppressed_reasons.known(), Some(&Some(Vec::new())));
        assert_eq!(sets[2].suppressed_reasons.known(), Some(&Some(vec![SuppressionReason::Bounce])));
        assert_eq!(sets[0].reputation_metrics_enabled, Setting::default_value(false));
        assert_eq!(sets[0].name.known().map(String::as_str), Some("${Absent}"));
    }
}
