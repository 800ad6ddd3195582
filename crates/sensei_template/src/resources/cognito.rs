//! `AWS::Cognito::UserPool` and `AWS::Cognito::IdentityPool`.

use sensei_model::cognito::{AdvancedSecurityMode, IdentityPool, MfaConfiguration, PasswordPolicy, UserPool};
use sensei_model::{Inventory, Provenance, Setting};

use super::Ctx;
use super::cloudfront::Entry;
use crate::template::Template;

pub fn user_pool(cx: &Ctx<'_, '_>) -> UserPool {
    let props = cx.props();
    let enumerated = |name: &str, default: &str| match props.literal(name) {
        Setting::Known(Some(s), prov) => Setting::Known(s, prov),
        Setting::Known(None, _) => Setting::default_value(default.to_string()),
        Setting::Unknown(why) => Setting::Unknown(why),
    };
    let username_case_sensitive = match Entry::of_property(&props, "UsernameConfiguration") {
        None => Setting::default_value(true),
        Some(Setting::Known(c, _)) => c.bool_or("CaseSensitive", true),
        Some(Setting::Unknown(why)) => Setting::Unknown(why),
    };
    let advanced_security_mode = match Entry::of_property(&props, "UserPoolAddOns") {
        None => Setting::default_value(AdvancedSecurityMode::Off),
        Some(Setting::Known(c, _)) => match c.literal("AdvancedSecurityMode") {
            Setting::Known(Some(m), prov) => Setting::Known(AdvancedSecurityMode::parse(&m), prov),
            Setting::Known(None, _) => Setting::default_value(AdvancedSecurityMode::Off),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
        Some(Setting::Unknown(why)) => Setting::Unknown(why),
    };
    UserPool {
        resource: cx.resource_ref("AWS::Cognito::UserPool"),
        password_policy: password_policy(&props),
        username_case_sensitive,
        advanced_security_mode,
        mfa_configuration: enumerated("MfaConfiguration", "OFF").map(|m| MfaConfiguration::parse(&m)),
    }
}

/// Without `Policies.PasswordPolicy`, Cognito's default policy; within a declared one, an absent
/// `Require*` is false and an absent `MinimumLength` is 8.
fn password_policy(props: &crate::props::Props<'_, '_>) -> Setting<PasswordPolicy> {
    let declared = match Entry::of_property(props, "Policies") {
        None => None,
        Some(Setting::Unknown(why)) => return Setting::Unknown(why),
        Some(Setting::Known(policies, _)) => match policies.nested("PasswordPolicy") {
            Setting::Known(p, _) => p,
            Setting::Unknown(why) => return Setting::Unknown(why),
        },
    };
    let Some(p) = declared else {
        return Setting::default_value(PasswordPolicy {
            location: None,
            minimum_length: Setting::default_value(8),
            require_lowercase: Setting::default_value(true),
            require_uppercase: Setting::default_value(true),
            require_numbers: Setting::default_value(true),
            require_symbols: Setting::default_value(true),
            temporary_password_validity_days: Setting::default_value(7),
        });
    };
    let number_or = |key: &str, default: u32| match p.number(key) {
        Setting::Known(Some(n), prov) => Setting::Known(n, prov),
        Setting::Known(None, _) => Setting::default_value(default),
        Setting::Unknown(why) => Setting::Unknown(why),
    };
    Setting::Known(
        PasswordPolicy {
            location: Some(p.at.clone()),
            minimum_length: number_or("MinimumLength", 8),
            require_lowercase: p.bool_or("RequireLowercase", false),
            require_uppercase: p.bool_or("RequireUppercase", false),
            require_numbers: p.bool_or("RequireNumbers", false),
            require_symbols: p.bool_or("RequireSymbols", false),
            temporary_password_validity_days: match number_or("TemporaryPasswordValidityDays", 7) {
                // Cognito treats 0 as absent.
                Setting::Known(0, _) => Setting::default_value(7),
                other => other,
            },
        },
        Provenance::Declared(p.at.clone()),
    )
}

pub fn identity_pool(cx: &Ctx<'_, '_>) -> IdentityPool {
    IdentityPool {
        resource: cx.resource_ref("AWS::Cognito::IdentityPool"),
        allow_unauthenticated_identities: cx.props().bool_or("AllowUnauthenticatedIdentities", false),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut Inventory) {
    match ty {
        "AWS::Cognito::UserPool" => inventory.user_pools.push(user_pool(cx)),
        "AWS::Cognito::IdentityPool" => inventory.identity_pools.push(identity_pool(cx)),
        _ => {}
    }
}

/// Links made once every resource is mapped.
pub fn finish(_template: &Template<'_>, _inventory: &mut Inventory) {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use sensei_model::Provenance;

    use crate::resources::apigateway::tests::inventory;

    #[test]
    fn password_policy_defaults_depend_on_whether_one_is_declared() {
        let inv = inventory(
            "Resources:
  Plain: {Type: AWS::Cognito::UserPool}
  Declared:
    Type: AWS::Cognito::UserPool
    Properties:
      Policies: {PasswordPolicy: {RequireNumbers: true, TemporaryPasswordValidityDays: 0}}
      UsernameConfiguration: {CaseSensitive: false}
  Guests: {Type: AWS::Cognito::IdentityPool, Properties: {AllowUnauthenticatedIdentities: true}}
",
        );
        let plain = inv.user_pools[0].password_policy.known().unwrap();
        assert_eq!(plain.require_symbols.known(), Some(&true));
        assert!(matches!(inv.user_pools[0].password_policy, sensei_model::Setting::Known(_, Provenance::Default)));
        assert_eq!(inv.user_pools[0].username_case_sensitive.known(), Some(&true));
        let declared = inv.user_pools[1].password_policy.known().unwrap();
        assert_eq!(declared.minimum_length.known(), Some(&8));
        assert_eq!(declared.require_symbols.known(), Some(&false));
        assert_eq!(declared.require_numbers.known(), Some(&true));
        assert_eq!(declared.temporary_password_validity_days.known(), Some(&7));
        assert_eq!(inv.user_pools[1].username_case_sensitive.known(), Some(&false));
        assert_eq!(inv.identity_pools[0].allow_unauthenticated_identities.known(), Some(&true));
    }
}
