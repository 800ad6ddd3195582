//! BACKUP-001: every rule of a backup plan (and every copy it makes) expires or moves to cold
//! storage.

use sensei_model::backup::BackupPlan;
use sensei_model::{Inventory, Location, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "BACKUP-001",
        slug: "backup-rule-without-lifecycle",
        title: "Backup plan rule sets a retention period or a move to cold storage",
        service: Service::Backup,
        categories: &[Category::Savings, Category::Sustainability],
        severity: Severity::Medium,
        level: 3,
        aliases: &["definedBackupRetentionPeriodOrTransitionToColdStorage"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Backups],
        enabled_by_default: true,
        docs: include_str!("backup_rule_without_lifecycle.md"),
    },
    check,
};

/// What a lifecycle says: days, none, or unknown.
fn lifecycle(delete: &Setting<Option<u32>>, cold: &Setting<Option<u32>>) -> Result<bool, String> {
    match (delete, cold) {
        (Setting::Unknown(why), _) | (_, Setting::Unknown(why)) => Err(why.clone()),
        (Setting::Known(d, _), Setting::Known(c, _)) => Ok(d.is_some() || c.is_some()),
    }
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for plan in &inventory.backup_plans {
        let rules = match &plan.rules {
            Setting::Unknown(why) => {
                out.unknown(&plan.resource, None, format!("the plan's rules are unknown: {why}"));
                continue;
            }
            Setting::Known(rules, _) => rules,
        };
        if rules.is_empty() {
            out.skip(&plan.resource, "the plan has no rules, so it keeps nothing");
            continue;
        }
        let mut forever: Vec<(String, Option<&Location>)> = Vec::new();
        let mut unknown = None;
        for rule in rules {
            match lifecycle(&rule.delete_after_days, &rule.move_to_cold_storage_after_days) {
                Ok(true) => {}
                Ok(false) => forever.push((format!("rule `{}`", rule.rule_name), rule.location.as_ref())),
                Err(why) => {
                    unknown.get_or_insert(format!("the lifecycle of rule `{}` is unknown: {why}", rule.rule_name));
                }
            }
            for copy in &rule.copy_actions {
                let vault = match copy.destination_backup_vault_arn.known() {
                    Some(Some(arn)) => format!("`{arn}`"),
                    _ => "another vault".to_string(),
                };
                match lifecycle(&copy.delete_after_days, &copy.move_to_cold_storage_after_days) {
                    Ok(true) => {}
                    Ok(false) => forever
                        .push((format!("the copy of rule `{}` to {vault}", rule.rule_name), copy.location.as_ref())),
                    Err(why) => {
                        unknown.get_or_insert(format!(
                            "the lifecycle of a copy of rule `{}` is unknown: {why}",
                            rule.rule_name
                        ));
                    }
                }
            }
        }
        if let Some((_, at)) = forever.first() {
            let names: Vec<&str> = forever.iter().map(|(n, _)| n.as_str()).collect();
            let message = format!(
                "{} {} no `Lifecycle`: its recovery points are kept forever, and their storage is paid for every month",
                names.join(", "),
                if forever.len() == 1 { "has" } else { "have" }
            );
            out.fail(&plan.resource, *at, message, fix(plan));
        } else if let Some(why) = unknown {
            out.unknown(&plan.resource, None, why);
        } else {
            out.pass(&plan.resource, "every rule (and every copy) expires or moves to cold storage");
        }
    }
}

fn fix(plan: &BackupPlan) -> Fix {
    let syntax = plan.resource.syntax;
    let code = Code::map(vec![("Lifecycle", Code::map(vec![("DeleteAfterDays", Code::number(35))]))]);
    let summary = match syntax {
        Syntax::Live => "Give each rule (and each of its copy actions) a lifecycle (aws backup update-backup-plan --backup-plan-id ID --backup-plan file://plan.json).".to_string(),
        _ => format!(
            "In `{}`, give each rule of `BackupPlanRule` (and each of its `CopyActions`) a `Lifecycle`: delete recovery points after the period your recovery needs require, or move them to cold storage (at least 90 days before deletion).",
            plan.resource.declared_id()
        ),
    };
    Fix { summary, snippet: Some(code.snippet(syntax)) }
}
