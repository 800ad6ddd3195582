//! SES-002: the identity is a domain, not a single email address.

use sensei_model::ses::{EmailIdentity, IdentityType};
use sensei_model::{Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SES-002",
        slug: "identity-is-email-address",
        title: "SES identity is a domain, not an email address",
        service: Service::Ses,
        categories: &[Category::Stability],
        severity: Severity::Low,
        level: 1,
        aliases: &["noSESEmailIdentity"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::EmailIdentities],
        enabled_by_default: true,
        docs: include_str!("identity_is_email_address.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for identity in &inventory.email_identities {
        if identity.resource.syntax == Syntax::Live
            && let Setting::Known(false, _) = identity.production_access_enabled
        {
            out.skip(
                &identity.resource,
                "the account is in the SES sandbox, where every recipient must be a verified email address",
            );
            continue;
        }
        match &identity.identity_type {
            Setting::Unknown(why) => out.unknown(&identity.resource, None, format!("the identity: {why}")),
            Setting::Known(IdentityType::Domain, _) => {
                let name = identity.email_identity.known().map_or(String::new(), |d| format!(" `{d}`"));
                out.pass(&identity.resource, format!("the identity is the domain{name}"))
            }
            Setting::Known(IdentityType::EmailAddress, _) => {
                let address = identity.email_identity.known().map_or(String::new(), |a| format!(" `{a}`"));
                out.fail(
                    &identity.resource,
                    identity.identity_type.location(),
                    format!(
                        "the identity is the single address{address}: each sender needs its own verification, and its mail carries your domain's DKIM signature only if the domain is verified too"
                    ),
                    fix(identity),
                );
            }
        }
    }
}

fn fix(identity: &EmailIdentity) -> Fix {
    let domain = identity.domain().unwrap_or("example.com").to_string();
    let code = Code::map(vec![("EmailIdentity", Code::text(&domain))]);
    Fix {
        summary: format!(
            "Verify the domain `{domain}` instead of the address: publish the DKIM records SES gives for it, then any address of the domain can send."
        ),
        snippet: Some(code.snippet(identity.resource.syntax)),
    }
}
