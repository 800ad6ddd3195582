//! SES-004: the configuration set publishes reputation metrics.

use sensei_model::ses::ConfigurationSet;
use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SES-004",
        slug: "configuration-set-without-reputation-metrics",
        title: "SES configuration set publishes reputation metrics",
        service: Service::Ses,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 3,
        aliases: &["enableReputationMetrics"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::EmailIdentities],
        enabled_by_default: true,
        docs: include_str!("configuration_set_without_reputation_metrics.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for set in &inventory.configuration_sets {
        match &set.reputation_metrics_enabled {
            Setting::Unknown(why) => out.unknown(&set.resource, None, format!("reputation metrics: {why}")),
            Setting::Known(true, _) => {
                out.pass(&set.resource, "bounce and complaint rates of its mail are published to CloudWatch")
            }
            Setting::Known(false, _) => {
                let why = if set.reputation_metrics_enabled.location().is_some() {
                    "`ReputationMetricsEnabled` is false"
                } else {
                    "no `ReputationOptions` (reputation metrics are off by default)"
                };
                out.fail(
                    &set.resource,
                    set.reputation_metrics_enabled.location(),
                    format!("{why}: the bounce and complaint rates of mail sent with this set are not in CloudWatch, so nothing can alarm before SES pauses sending"),
                    fix(set),
                );
            }
        }
    }
}

fn fix(set: &ConfigurationSet) -> Fix {
    let code = Code::map(vec![("ReputationOptions", Code::map(vec![("ReputationMetricsEnabled", Code::bool(true))]))]);
    let snippet = code.snippet(set.resource.syntax);
    Fix {
        summary: "Turn on reputation metrics, then alarm on `Reputation.BounceRate` and `Reputation.ComplaintRate`."
            .to_string(),
        snippet: Some(snippet),
    }
}
