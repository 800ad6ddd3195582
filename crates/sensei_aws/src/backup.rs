//! AWS Backup: backup plans with their rules, and the selections that assign resources to them.
//!
//! Selections are kept whatever `--stack` and `--tag` say: they are not reported themselves, they
//! tell whether a reported table is backed up, and a plan of another stack may well cover it.

use aws_sdk_backup::Client;
use aws_sdk_backup::types::{BackupPlan as SdkPlan, BackupSelection as SdkSelection, Lifecycle};
use futures_util::StreamExt as _;
use sensei_model::backup::{BackupPlan, BackupRule, BackupSelection, CopyAction, TagCondition, TagOperator};
use sensei_model::{Inventory, ResourceRef, Setting};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

/// A plan as listed: (id, ARN, name).
type Listed = (String, String, String);

pub async fn fetch_backup(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> (Vec<BackupPlan>, Vec<BackupSelection>) {
    let mut reader = Reader::new("backup", Some(region), None, &scope.gaps);
    let listed: Read<Vec<Listed>> = pages!(
        reader,
        "ListBackupPlans",
        client.list_backup_plans(),
        |p: &aws_sdk_backup::operation::list_backup_plans::ListBackupPlansOutput| p
            .backup_plans_list()
            .iter()
            .filter_map(|b| Some((
                b.backup_plan_id()?.to_string(),
                b.backup_plan_arn()?.to_string(),
                b.backup_plan_name().unwrap_or_default().to_string()
            )))
            .collect::<Vec<_>>()
    );
    let plans = match listed {
        Read::Got(list) => list,
        Read::Failed(why) => {
            // No plan is known: one selection whose every part is unknown stands for them all, so
            // that no table is judged as outside every plan.
            let id = format!("arn:aws:backup:{region}:{}:backup-plan:(unlisted)", scope.account);
            let resource =
                live_ref(&id, "AWS::Backup::BackupSelection", &scope.account, Some(region), None, reader.unread);
            return (Vec::new(), vec![unknown_selection(resource, None, &why)]);
        }
    };
    scope.progress.discovered(plans.len());
    let read: Vec<(Option<BackupPlan>, Vec<BackupSelection>)> = futures_util::stream::iter(plans)
        .map(|(id, arn, name)| async move {
            let mut reader = Reader::new("backup", Some(region), Some(&arn), &scope.gaps);
            let plan = match reader.get("GetBackupPlan", client.get_backup_plan().backup_plan_id(&id).send().await) {
                Read::Got(out) => match out.backup_plan() {
                    Some(p) => Read::Got(p.clone()),
                    None => Read::Failed(reader.record(
                        "GetBackupPlan",
                        "InvalidResponse".to_string(),
                        "the answer has no BackupPlan".to_string(),
                    )),
                },
                Read::Failed(why) => Read::Failed(why),
            };
            let keep = filter.in_stacks(&[&id, &arn])
                && (filter.tags.is_empty() || {
                    let tags = pages!(
                        reader,
                        "ListTags",
                        client.list_tags().resource_arn(&arn),
                        |p: &aws_sdk_backup::operation::list_tags::ListTagsOutput| p
                            .tags()
                            .cloned()
                            .unwrap_or_default()
                            .into_iter()
                            .collect::<Vec<_>>()
                    );
                    match tags {
                        Read::Got(tags) => filter.has_tags(Some(&tags.into_iter().collect())),
                        Read::Failed(_) => true,
                    }
                });
            let stack = stacks.stack_of(&[&id, &arn]);
            let plan_model = map_plan(&arn, &scope.account, region, stack.clone(), &plan, reader.unread);

            let mut reader = Reader::new("backup", Some(region), Some(&arn), &scope.gaps);
            let selections: Read<Vec<String>> = pages!(
                reader,
                "ListBackupSelections",
                client.list_backup_selections().backup_plan_id(&id),
                |p: &aws_sdk_backup::operation::list_backup_selections::ListBackupSelectionsOutput| p
                    .backup_selections_list()
                    .iter()
                    .filter_map(|s| s.selection_id().map(str::to_string))
                    .collect::<Vec<_>>()
            );
            let mut out = Vec::new();
            match selections {
                Read::Got(ids) => {
                    for sid in ids {
                        let sarn = format!("{arn}/selection/{sid}");
                        let mut reader = Reader::new("backup", Some(region), Some(&sarn), &scope.gaps);
                        let got = client.get_backup_selection().backup_plan_id(&id).selection_id(&sid).send().await;
                        let selection = match reader.get("GetBackupSelection", got) {
                            Read::Got(o) => match o.backup_selection() {
                                Some(s) => Read::Got(s.clone()),
                                None => Read::Failed(reader.record(
                                    "GetBackupSelection",
                                    "InvalidResponse".to_string(),
                                    "the answer has no BackupSelection".to_string(),
                                )),
                            },
                            Read::Failed(why) => Read::Failed(why),
                        };
                        let resource = live_ref(
                            &sarn,
                            "AWS::Backup::BackupSelection",
                            &scope.account,
                            Some(region),
                            stack.clone(),
                            reader.unread,
                        );
                        out.push(map_selection(resource, &name, &selection));
                    }
                }
                Read::Failed(why) => {
                    let resource = live_ref(
                        &format!("{arn}/selection/(unlisted)"),
                        "AWS::Backup::BackupSelection",
                        &scope.account,
                        Some(region),
                        stack.clone(),
                        reader.unread,
                    );
                    out.push(unknown_selection(resource, Some(&name), &why));
                }
            }
            scope.progress.fetched();
            (keep.then_some(plan_model), out)
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    let mut plans = Vec::new();
    let mut selections = Vec::new();
    for (plan, s) in read {
        plans.extend(plan);
        selections.extend(s);
    }
    (plans, selections)
}

/// Whether a table is backed up (DDB-003) depends on every selection of its region: a selection
/// that could not be read puts its failed call in each table's `unread`, so that the verdict is
/// not evaluated.
pub fn mark_tables(inventory: &mut Inventory) {
    let unread: Vec<String> = inventory
        .backup_selections
        .iter()
        .filter(|s| s.resources.known().is_none())
        .filter_map(|s| s.resource.live.as_ref())
        .flat_map(|l| l.unread.iter().cloned())
        .collect();
    for table in &mut inventory.tables {
        if let Some(live) = table.resource.live.as_mut() {
            for entry in &unread {
                if !live.unread.contains(entry) {
                    live.unread.push(entry.clone());
                }
            }
        }
    }
}

pub fn map_plan(
    arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    plan: &Read<SdkPlan>,
    unread: Vec<String>,
) -> BackupPlan {
    let days = |l: Option<&Lifecycle>, f: fn(&Lifecycle) -> Option<i64>| {
        live(l.and_then(f).and_then(|n| u32::try_from(n).ok()))
    };
    BackupPlan {
        resource: live_ref(arn, "AWS::Backup::BackupPlan", account, Some(region), stack, unread),
        rules: plan.setting(|p| {
            p.rules()
                .iter()
                .map(|r| BackupRule {
                    rule_name: r.rule_name().to_string(),
                    location: None,
                    delete_after_days: days(r.lifecycle(), Lifecycle::delete_after_days),
                    move_to_cold_storage_after_days: days(r.lifecycle(), Lifecycle::move_to_cold_storage_after_days),
                    copy_actions: r
                        .copy_actions()
                        .iter()
                        .map(|c| CopyAction {
                            location: None,
                            destination_backup_vault_arn: live(Some(c.destination_backup_vault_arn().to_string())),
                            delete_after_days: days(c.lifecycle(), Lifecycle::delete_after_days),
                            move_to_cold_storage_after_days: days(
                                c.lifecycle(),
                                Lifecycle::move_to_cold_storage_after_days,
                            ),
                        })
                        .collect(),
                })
                .collect()
        }),
    }
}

/// A selection whose every part is unknown.
pub fn unknown_selection(resource: ResourceRef, plan: Option<&str>, why: &str) -> BackupSelection {
    BackupSelection {
        resource,
        backup_plan: plan.map(str::to_string),
        resources: Setting::Unknown(why.to_string()),
        not_resources: Setting::Unknown(why.to_string()),
        list_of_tags: Setting::Unknown(why.to_string()),
        conditions: Setting::Unknown(why.to_string()),
    }
}

/// A condition key as the model holds it: the tag key, without `aws:ResourceTag/`.
fn tag_key(key: &str) -> String {
    key.strip_prefix("aws:ResourceTag/").unwrap_or(key).to_string()
}

pub fn map_selection(resource: ResourceRef, plan: &str, selection: &Read<SdkSelection>) -> BackupSelection {
    BackupSelection {
        resource,
        backup_plan: Some(plan.to_string()),
        resources: selection.setting(|s| s.resources().to_vec()),
        not_resources: selection.setting(|s| s.not_resources().to_vec()),
        // `ListOfTags` takes only `STRINGEQUALS`.
        list_of_tags: selection.setting(|s| {
            s.list_of_tags()
                .iter()
                .map(|c| TagCondition {
                    operator: TagOperator::StringEquals,
                    key: tag_key(c.condition_key()),
                    value: c.condition_value().to_string(),
                })
                .collect()
        }),
        conditions: selection.setting(|s| {
            let Some(c) = s.conditions() else { return Vec::new() };
            let groups = [
                (TagOperator::StringEquals, c.string_equals()),
                (TagOperator::StringNotEquals, c.string_not_equals()),
                (TagOperator::StringLike, c.string_like()),
                (TagOperator::StringNotLike, c.string_not_like()),
            ];
            groups
                .into_iter()
                .flat_map(|(operator, list)| {
                    list.iter().map(move |p| TagCondition {
                        operator,
                        key: tag_key(p.condition_key().unwrap_or_default()),
                        value: p.condition_value().unwrap_or_default().to_string(),
                    })
                })
                .collect()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_backup::types::{BackupRule as SdkRule, Condition, ConditionParameter, ConditionType, Conditions};
    use sensei_model::Provenance;

    #[test]
    fn maps_a_plan_and_its_lifecycles() {
        let plan = SdkPlan::builder()
            .backup_plan_name("daily")
            .rules(
                SdkRule::builder()
                    .rule_name("keep")
                    .target_backup_vault_name("v")
                    .lifecycle(Lifecycle::builder().delete_after_days(35).build())
                    .build()
                    .unwrap(),
            )
            .rules(SdkRule::builder().rule_name("forever").target_backup_vault_name("v").build().unwrap())
            .build()
            .unwrap();
        let p = map_plan("arn:plan", "1", "eu-west-1", None, &Read::Got(plan), vec![]);
        let rules = p.rules.known().unwrap();
        assert_eq!(rules[0].delete_after_days, Setting::Known(Some(35), Provenance::Live));
        assert_eq!(rules[1].delete_after_days, Setting::Known(None, Provenance::Live));
        assert_eq!(rules[1].move_to_cold_storage_after_days, Setting::Known(None, Provenance::Live));
        let p = map_plan("arn:plan", "1", "eu-west-1", None, &Read::Failed("x".into()), vec![]);
        assert!(matches!(p.rules, Setting::Unknown(_)));
    }

    #[test]
    fn an_unread_selection_marks_the_tables() {
        let table = crate::dynamodb::map_table(
            "orders",
            "arn:aws:dynamodb:eu-west-1:1:table/orders",
            "1",
            "eu-west-1",
            None,
            &Read::Got(aws_sdk_dynamodb::types::TableDescription::builder().build()),
            &Read::Failed("x".into()),
            &Read::Got(vec![]),
            vec![],
        );
        let why = "backup:ListBackupSelections failed: HttpStatus500";
        let unread = vec!["backup:ListBackupSelections (HttpStatus500)".to_string()];
        let r = live_ref("arn:sel", "AWS::Backup::BackupSelection", "1", Some("eu-west-1"), None, unread.clone());
        let mut inventory = Inventory {
            tables: vec![table],
            backup_selections: vec![unknown_selection(r, None, why)],
            ..Inventory::default()
        };
        mark_tables(&mut inventory);
        assert_eq!(inventory.tables[0].resource.live.as_ref().unwrap().unread, unread);
        mark_tables(&mut inventory);
        assert_eq!(inventory.tables[0].resource.live.as_ref().unwrap().unread.len(), 1, "marked once");
    }

    #[test]
    fn maps_a_selection() {
        let s = SdkSelection::builder()
            .selection_name("tables")
            .iam_role_arn("arn:role")
            .resources("arn:aws:dynamodb:*:*:table/*")
            .list_of_tags(
                Condition::builder()
                    .condition_type(ConditionType::Stringequals)
                    .condition_key("backup")
                    .condition_value("daily")
                    .build()
                    .unwrap(),
            )
            .conditions(
                Conditions::builder()
                    .string_not_equals(
                        ConditionParameter::builder()
                            .condition_key("aws:ResourceTag/env")
                            .condition_value("dev")
                            .build(),
                    )
                    .build(),
            )
            .build()
            .unwrap();
        let r = live_ref("arn:sel", "AWS::Backup::BackupSelection", "1", Some("eu-west-1"), None, vec![]);
        let m = map_selection(r.clone(), "daily", &Read::Got(s));
        assert_eq!(m.resources.known().unwrap(), &vec!["arn:aws:dynamodb:*:*:table/*".to_string()]);
        assert_eq!(m.list_of_tags.known().unwrap()[0].key, "backup");
        let c = &m.conditions.known().unwrap()[0];
        assert_eq!((c.operator, c.key.as_str(), c.value.as_str()), (TagOperator::StringNotEquals, "env", "dev"));
        let m = map_selection(r, "daily", &Read::Failed("x".into()));
        assert!(matches!(m.resources, Setting::Unknown(_)));
    }
}
