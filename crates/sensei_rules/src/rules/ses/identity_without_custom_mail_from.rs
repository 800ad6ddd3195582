//! SES-003: the identity sends with a custom MAIL FROM domain.

use sensei_model::ses::EmailIdentity;
use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SES-003",
        slug: "identity-without-custom-mail-from",
        title: "SES identity uses a custom MAIL FROM domain",
        service: Service::Ses,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 2,
        aliases: &["customMailFromDomain"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::EmailIdentities],
        enabled_by_default: true,
        docs: include_str!("identity_without_custom_mail_from.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for identity in &inventory.email_identities {
        match &identity.mail_from_domain {
            Setting::Unknown(why) => out.unknown(
                &identity.resource,
                None,
                format!("the MAIL FROM domain: {why}"),
            ),
            Setting::Known(Some(domain), _) => out.pass(
                &identity.resource,
                format!("bounces go to the custom MAIL FROM domain `{domain}` (it needs its MX and SPF records)"),
            ),
            Setting::Known(None, _) => out.fail(
                &identity.resource,
                None,
                "no custom MAIL FROM domain: the envelope sender is an amazonses.com address, so SPF does not align with your domain and DMARC relies on DKIM alone",
                fix(identity),
            ),
        }
    }
}

fn fix(identity: &EmailIdentity) -> Fix {
    let domain = identity.domain().filter(|d| !d.contains("${")).unwrap_or("example.com");
    let mail_from = format!("mail.{domain}");
    let code = Code::map(vec![(
        "MailFromAttributes",
        Code::map(vec![
            ("MailFromDomain", Code::text(&mail_from)),
            ("BehaviorOnMxFailure", Code::text("USE_DEFAULT_VALUE")),
        ]),
    )]);
    Fix {
        summary: format!(
            "Set a MAIL FROM subdomain, and publish for `{mail_from}` an MX record to `feedback-smtp.<region>.amazonses.com` and the SPF record `v=spf1 include:amazonses.com ~all`."
        ),
        snippet: Some(code.snippet(identity.resource.syntax)),
    }
}
