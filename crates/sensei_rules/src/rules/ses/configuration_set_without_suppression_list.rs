//! SES-005: the configuration set uses the suppression list.

use sensei_model::ses::{ConfigurationSet, SuppressionReason};
use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SES-005",
        slug: "configuration-set-without-suppression-list",
        title: "SES configuration set suppresses bounced and complaining addresses",
        service: Service::Ses,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 4,
        aliases: &["configurationSetEnableSuppresionList"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::EmailIdentities],
        enabled_by_default: true,
        docs: include_str!("configuration_set_without_suppression_list.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for set in &inventory.configuration_sets {
        let at = set.suppressed_reasons.location();
        match &set.suppressed_reasons {
            Setting::Unknown(why) => {
                out.unknown(&set.resource, None, format!("suppression options: {why}"))
            }
            Setting::Known(None, _) => out.pass(
                &set.resource,
                "no `SuppressionOptions`: the account-level suppression list applies (on for bounces and complaints unless the account turned it off)",
            ),
            Setting::Known(Some(reasons), _) if reasons.is_empty() => out.fail(
                &set.resource,
                at,
                "`SuppressionOptions` lists no reasons: this set turns the suppression list off, so SES keeps sending to addresses that bounced or complained",
                fix(set),
            ),
            Setting::Known(Some(reasons), _) => {
                let bounce = reasons.contains(&SuppressionReason::Bounce);
                let complaint = reasons.contains(&SuppressionReason::Complaint);
                match (bounce, complaint) {
                    (true, true) => out.pass(&set.resource, "addresses that bounce or complain are suppressed"),
                    (true, false) => out.pass(
                        &set.resource,
                        "addresses that bounce are suppressed (complaints are not: add COMPLAINT to stop mailing people who marked you as spam)",
                    ),
                    (false, true) => out.pass(
                        &set.resource,
                        "addresses that complain are suppressed (bounces are not: add BOUNCE to stop mailing addresses that do not exist)",
                    ),
                    (false, false) => out.fail(
                        &set.resource,
                        at,
                        "`SuppressedReasons` names neither BOUNCE nor COMPLAINT, so nothing is suppressed",
                        fix(set),
                    ),
                }
            }
        }
    }
}

fn fix(set: &ConfigurationSet) -> Fix {
    let code = Code::map(vec![(
        "SuppressionOptions",
        Code::map(vec![("SuppressedReasons", Code::List(vec![Code::text("BOUNCE"), Code::text("COMPLAINT")]))]),
    )]);
    Fix {
        summary:
            "Suppress addresses that bounce or complain (or remove `SuppressionOptions` to use the account-level list)."
                .to_string(),
        snippet: Some(code.snippet(set.resource.syntax)),
    }
}
