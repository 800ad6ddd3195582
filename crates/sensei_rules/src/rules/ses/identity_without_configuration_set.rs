//! SES-001: the email identity has a default configuration set.

use sensei_model::ses::EmailIdentity;
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SES-001",
        slug: "identity-without-configuration-set",
        title: "SES identity has a default configuration set",
        service: Service::Ses,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 1,
        aliases: &["assignDefaultConfigurationSet"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::EmailIdentities],
        enabled_by_default: true,
        docs: include_str!("identity_without_configuration_set.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for identity in &inventory.email_identities {
        match &identity.configuration_set_name {
            Setting::Unknown(why) => out.unknown(
                &identity.resource,
                None,
                format!("the default configuration set: {why}"),
            ),
            Setting::Known(Some(name), _) => {
                // `!Ref` to a configuration set of the template reads as its logical id.
                let named = inventory
                    .configuration_sets
                    .iter()
                    .find(|set| set.name.known() == Some(name) || *name == format!("${{{}}}", set.resource.id))
                    .map_or(name.as_str(), |set| set.resource.id.as_str());
                out.pass(&identity.resource, format!("mail sent from it uses configuration set `{named}` by default"))
            }
            Setting::Known(None, _) => out.fail(
                &identity.resource,
                None,
                "no default configuration set: mail sent without naming one is neither tracked nor protected by the set's reputation and suppression options",
                fix(identity, inventory),
            ),
        }
    }
}

fn fix(identity: &EmailIdentity, inventory: &Inventory) -> Fix {
    let syntax = identity.resource.syntax;
    let existing = inventory.configuration_sets.first();
    let (name, summary) = match (existing, syntax) {
        (Some(set), Syntax::Live) => (
            Expr::Literal(set.name.known().cloned().unwrap_or_else(|| set.resource.id.clone())),
            "Make a configuration set of the account the identity's default.".to_string(),
        ),
        (Some(set), _) => (
            Expr::Ref(set.resource.id.clone()),
            format!("Make `{}`, the template's configuration set, the identity's default.", set.resource.id),
        ),
        (None, Syntax::Live) => (
            Expr::Literal("CONFIGURATION_SET".to_string()),
            "Create a configuration set and make it the identity's default.".to_string(),
        ),
        (None, _) => (
            Expr::Ref("EmailConfigurationSet".to_string()),
            "Make a configuration set the identity's default: add `EmailConfigurationSet`, an `AWS::SES::ConfigurationSet` with reputation metrics and the suppression list on.".to_string(),
        ),
    };
    let code =
        Code::map(vec![("ConfigurationSetAttributes", Code::map(vec![("ConfigurationSetName", Code::Expr(name))]))]);
    Fix { summary, snippet: Some(code.snippet(syntax)) }
}
