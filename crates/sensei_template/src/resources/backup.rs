//! AWS Backup: `AWS::Backup::BackupPlan` and `AWS::Backup::BackupSelection`.

use sensei_model::backup::{BackupPlan, BackupRule, BackupSelection, CopyAction, TagCondition, TagOperator};
use sensei_model::{Inventory, Setting};

use crate::node::Node;
use crate::props::Props;
use crate::template::Template;
use crate::value::Val;

use super::{Ctx, target_id};

pub fn backup_plan(cx: &Ctx<'_, '_>) -> BackupPlan {
    let plan = cx.props().nested("BackupPlan");
    BackupPlan {
        resource: cx.resource_ref("AWS::Backup::BackupPlan"),
        rules: each(cx.template, &plan, "BackupPlanRule", rule),
    }
}

/// The entries of a list property, each read by `read` from its own properties.
fn each<T>(
    template: &Template<'_>,
    props: &Props<'_, '_>,
    name: &str,
    read: impl Fn(&Template<'_>, usize, &Node) -> T,
) -> Setting<Vec<T>> {
    let Some((node, prov)) = props.raw(name) else { return Setting::default_value(Vec::new()) };
    match template.resolve(node) {
        Val::NoValue => return Setting::default_value(Vec::new()),
        Val::List(_) => {}
        Val::Unknown(why) => return Setting::Unknown(why),
        _ => return Setting::Unknown(format!("`{name}` should be a list")),
    }
    // Entries written out are read where they are written; a list built by an intrinsic function
    // (`Fn::If` around it) cannot be read entry by entry.
    match node.as_seq() {
        Some(items) => {
            Setting::Known(items.iter().enumerate().map(|(i, item)| read(template, i, item)).collect(), prov)
        }
        None => Setting::Unknown(format!("`{name}` is built by an intrinsic function")),
    }
}

fn rule(template: &Template<'_>, i: usize, node: &Node) -> BackupRule {
    let props = Props { template, node: Some(node), globals: None };
    let lifecycle = props.nested("Lifecycle");
    BackupRule {
        rule_name: match props.text("RuleName") {
            Setting::Known(Some(name), _) => name,
            _ => format!("rule {}", i + 1),
        },
        location: Some(template.location(node.pos)),
        delete_after_days: lifecycle.number("DeleteAfterDays"),
        move_to_cold_storage_after_days: lifecycle.number("MoveToColdStorageAfterDays"),
        copy_actions: match each(template, &props, "CopyActions", copy_action) {
            Setting::Known(list, _) => list,
            Setting::Unknown(_) => Vec::new(),
        },
    }
}

fn copy_action(template: &Template<'_>, _: usize, node: &Node) -> CopyAction {
    let props = Props { template, node: Some(node), globals: None };
    let lifecycle = props.nested("Lifecycle");
    CopyAction {
        location: Some(template.location(node.pos)),
        destination_backup_vault_arn: props.text("DestinationBackupVaultArn"),
        delete_after_days: lifecycle.number("DeleteAfterDays"),
        move_to_cold_storage_after_days: lifecycle.number("MoveToColdStorageAfterDays"),
    }
}

pub fn backup_selection(cx: &Ctx<'_, '_>) -> BackupSelection {
    let props = cx.props();
    let selection = props.nested("BackupSelection");
    let backup_plan = props.raw("BackupPlanId").and_then(|(node, _)| target_id(cx.template, node));
    BackupSelection {
        resource: cx.resource_ref("AWS::Backup::BackupSelection"),
        backup_plan,
        resources: selection.texts("Resources"),
        not_resources: selection.texts("NotResources"),
        list_of_tags: list_of_tags(cx.template, &selection),
        conditions: conditions(&selection),
    }
}

/// `ListOfTags`: `{ConditionType, ConditionKey, ConditionValue}` entries.
fn list_of_tags(template: &Template<'_>, selection: &Props<'_, '_>) -> Setting<Vec<TagCondition>> {
    let read = |template: &Template<'_>, _: usize, node: &Node| {
        let props = Props { template, node: Some(node), globals: None };
        let operator = match props.literal("ConditionType") {
            Setting::Known(Some(t), _) => operator(&t),
            Setting::Known(None, _) => Some(TagOperator::StringEquals),
            Setting::Unknown(why) => return Err(why),
        };
        let Some(operator) = operator else { return Err("a `ConditionType` is not a string operator".to_string()) };
        condition(operator, &props)
    };
    flatten(each(template, selection, "ListOfTags", read))
}

/// `Conditions`: `{StringEquals: [{ConditionKey, ConditionValue}], StringLike: ..., ...}`.
fn conditions(selection: &Props<'_, '_>) -> Setting<Vec<TagCondition>> {
    let Some((node, prov)) = selection.raw("Conditions") else { return Setting::default_value(Vec::new()) };
    let template = selection.template;
    let Some(entries) = node.as_map() else {
        return match template.resolve(node) {
            Val::NoValue => Setting::default_value(Vec::new()),
            Val::Unknown(why) => Setting::Unknown(why),
            _ => Setting::Unknown("`Conditions` should be a mapping".to_string()),
        };
    };
    let mut out = Vec::new();
    for (key, list) in entries {
        let Some(op) = operator(&key.name) else {
            return Setting::Unknown(format!("`Conditions` has an unknown operator `{}`", key.name));
        };
        let Some(items) = list.as_seq() else {
            return Setting::Unknown(format!("`Conditions.{}` should be a list", key.name));
        };
        for item in items {
            match condition(op, &Props { template, node: Some(item), globals: None }) {
                Ok(c) => out.push(c),
                Err(why) => return Setting::Unknown(why),
            }
        }
    }
    Setting::Known(out, prov)
}

fn operator(name: &str) -> Option<TagOperator> {
    Some(match name {
        "StringEquals" | "STRINGEQUALS" => TagOperator::StringEquals,
        "StringLike" => TagOperator::StringLike,
        "StringNotEquals" => TagOperator::StringNotEquals,
        "StringNotLike" => TagOperator::StringNotLike,
        _ => return None,
    })
}

fn condition(operator: TagOperator, props: &Props<'_, '_>) -> Result<TagCondition, String> {
    let text = |name: &str| match props.text(name) {
        Setting::Known(Some(s), _) => Ok(s),
        Setting::Known(None, _) => Err(format!("a tag condition has no `{name}`")),
        Setting::Unknown(why) => Err(why),
    };
    let key = text("ConditionKey")?;
    let key = key.strip_prefix("aws:ResourceTag/").map(str::to_string).unwrap_or(key);
    Ok(TagCondition { operator, key, value: text("ConditionValue")? })
}

fn flatten<T>(setting: Setting<Vec<Result<T, String>>>) -> Setting<Vec<T>> {
    match setting {
        Setting::Known(items, prov) => match items.into_iter().collect::<Result<Vec<T>, String>>() {
            Ok(list) => Setting::Known(list, prov),
            Err(why) => Setting::Unknown(why),
        },
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut Inventory) {
    match ty {
        "AWS::Backup::BackupPlan" => inventory.backup_plans.push(backup_plan(cx)),
        "AWS::Backup::BackupSelection" => inventory.backup_selections.push(backup_selection(cx)),
        _ => {}
    }
}

/// Links made once every resource is mapped: none, selections name their plan by logical id.
pub fn finish(_template: &Template<'_>, _inventory: &mut Inventory) {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use sensei_model::backup::{TagCondition, TagOperator};

    use crate::{Options, read};

    #[test]
    fn plans_and_selections() {
        let read = read(
            "t.yaml",
            "Resources:
  Plan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: daily
        BackupPlanRule:
          - RuleName: daily
            TargetBackupVault: Default
            Lifecycle: {DeleteAfterDays: 35}
            CopyActions: [{DestinationBackupVaultArn: arn:aws:backup:eu-west-1:123456789012:backup-vault:dr}]
          - {RuleName: forever, TargetBackupVault: Default}
  Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref Plan
      BackupSelection:
        SelectionName: tables
        IamRoleArn: arn:aws:iam::123456789012:role/backup
        Resources: ['arn:aws:dynamodb:*:*:table/*']
        ListOfTags: [{ConditionType: STRINGEQUALS, ConditionKey: backup, ConditionValue: daily}]
        Conditions:
          StringLike: [{ConditionKey: 'aws:ResourceTag/stage', ConditionValue: 'prod*'}]
",
            &Options::default(),
        )
        .unwrap();
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        let plan = &read.inventory.backup_plans[0];
        let rules = plan.rules.known().unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].delete_after_days.known(), Some(&Some(35)));
        assert_eq!(rules[0].copy_actions.len(), 1);
        assert_eq!(rules[1].delete_after_days.known(), Some(&None));
        let selection = &read.inventory.backup_selections[0];
        assert_eq!(selection.backup_plan.as_deref(), Some("Plan"));
        assert_eq!(
            selection.list_of_tags.known().unwrap(),
            &vec![TagCondition { operator: TagOperator::StringEquals, key: "backup".into(), value: "daily".into() }]
        );
        assert_eq!(selection.conditions.known().unwrap()[0].key, "stage");
    }
}
