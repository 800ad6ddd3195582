//! LOGS-001: the log group has a retention period.

use sensei_model::logs::LogGroup;
use sensei_model::{Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, RuleOption, Service, Severity, Snippet};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LOGS-001",
        slug: "log-group-kept-forever",
        title: "CloudWatch log group has a retention period",
        service: Service::Logs,
        categories: &[Category::Sustainability, Category::Savings],
        severity: Severity::Low,
        level: 3,
        aliases: &["definedLogsRetentionDuration", "CloudWatch.16"],
        options: &[RuleOption {
            key: "min_days",
            default: 1,
            doc: "shortest retention (days) that passes; 365 gives Security Hub CloudWatch.16's default",
        }],
        needs_live_data: false,
        reads: &[Fact::LogGroups],
        enabled_by_default: true,
        docs: include_str!("log_group_kept_forever.md"),
    },
    check,
};

/// The retention to propose: 30 days, or the shortest valid period of at least `min_days`.
fn proposed(min_days: i64) -> u32 {
    LogGroup::RETENTION_DAYS.into_iter().find(|d| i64::from(*d) >= min_days.max(30)).unwrap_or(3653)
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let min_days = out.option("min_days");
    for group in &inventory.log_groups {
        let r = &group.resource;
        let days = match &group.retention_in_days {
            Setting::Unknown(why) => {
                let why = if why.starts_with("`RetentionInDays`") {
                    why.clone()
                } else {
                    format!("`RetentionInDays` is unknown: {why}")
                };
                out.unknown(r, None, why);
                continue;
            }
            Setting::Known(days, _) => *days,
        };
        let message = match days {
            Some(d) if i64::from(d) >= min_days => {
                out.pass(r, format!("keeps logs {d} days"));
                continue;
            }
            Some(d) => format!("keeps logs {d} days, less than the {min_days} days required"),
            None => "no `RetentionInDays`: the logs are kept forever".to_string(),
        };
        let target = proposed(min_days);
        let snippet = match r.syntax {
            Syntax::Live => Snippet {
                language: "shell",
                code: format!(
                    "aws logs put-retention-policy --log-group-name {} --retention-in-days {target}",
                    group.log_group_name.known().cloned().flatten().unwrap_or_else(|| r.id.clone())
                ),
            },
            syntax => Code::map(vec![("RetentionInDays", Code::number(target))]).snippet(syntax),
        };
        let fix = Fix {
            summary: format!(
                "In `{}`, set `RetentionInDays` to how long the logs are useful ({target} days here; valid values are 1, 3, 5, 7, 14, 30, 60, 90 ... 3653).",
                r.declared_id()
            ),
            snippet: Some(snippet),
        };
        out.fail(r, group.retention_in_days.location(), message, fix);
    }
}
