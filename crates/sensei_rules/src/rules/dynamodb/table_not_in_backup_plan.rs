//! DDB-003: the table is in an AWS Backup plan.

use sensei_model::backup::{BackupSelection, TagCondition, TagOperator};
use sensei_model::dynamodb::{Table, Tag};
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::rules::sqs::common::{self, Tri, glob_match};
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DDB-003",
        slug: "table-not-in-backup-plan",
        title: "DynamoDB table is in an AWS Backup plan",
        service: Service::DynamoDb,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 3,
        aliases: &["dynamodbBackupConfig", "DynamoDB.4"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Tables, Fact::Backups, Fact::TableBackups, Fact::TableTags],
        enabled_by_default: true,
        docs: include_str!("table_not_in_backup_plan.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for table in &inventory.tables {
        let mut depends = None;
        let mut covered = None;
        for selection in &inventory.backup_selections {
            match covers(selection, table) {
                Ok((Tri::Yes, how)) => {
                    covered = Some(format!("{} assigns it to a backup plan {how}", name(selection)));
                    break;
                }
                Ok((Tri::Depends(on), how)) => {
                    depends.get_or_insert(format!("{} may select it {how}, depending on `{on}`", name(selection)));
                }
                Ok((Tri::No, _)) => {}
                Err(why) => {
                    depends.get_or_insert(format!("{}: {why}", name(selection)));
                }
            }
        }
        if let Some(how) = covered {
            out.pass(&table.resource, how);
        } else if let Some(why) = depends {
            out.unknown(&table.resource, None, why);
        } else {
            let pitr = match table.point_in_time_recovery_enabled.known() {
                Some(true) => {
                    "; point-in-time recovery is on, but it is not a backup plan: it keeps 35 days at most, in the table's own account and region, and goes with the table if the table is deleted"
                }
                _ => "; point-in-time recovery is off too",
            };
            let message = format!(
                "no AWS Backup selection in this template assigns the table to a plan (by ARN, wildcard, or tag){pitr}. A plan of another stack or an organization backup policy may select it: if so, suppress this finding with that reason"
            );
            out.fail(&table.resource, None, message, fix(table, inventory));
        }
    }
}

fn name(selection: &BackupSelection) -> String {
    match &selection.backup_plan {
        Some(plan) => format!("selection `{}` of plan `{plan}`", selection.resource.id),
        None => format!("selection `{}`", selection.resource.id),
    }
}

/// Whether a selection assigns the table, and how. As AWS Backup combines them: the `Resources`
/// patterns (OR) narrowed by every `Conditions` entry (AND), or any `ListOfTags` entry (OR), minus
/// the `NotResources` patterns. With no `Resources` and no `ListOfTags`, every resource that meets
/// the conditions.
fn covers(selection: &BackupSelection, table: &Table) -> Result<(Tri, String), String> {
    let known = |s: &Setting<Vec<String>>| s.known().cloned().ok_or_else(|| unknown_reason(s));
    let resources = known(&selection.resources)?;
    let not_resources = known(&selection.not_resources)?;
    let list_of_tags = selection.list_of_tags.known().ok_or_else(|| unknown_reason(&selection.list_of_tags))?;
    let conditions = selection.conditions.known().ok_or_else(|| unknown_reason(&selection.conditions))?;
    // Only a selection by tag looks at the table's tags (the live audit reads them only then).
    let tags: &[sensei_model::dynamodb::Tag] = if list_of_tags.is_empty() && conditions.is_empty() {
        &[]
    } else {
        table.tags.known().ok_or_else(|| format!("the table's tags are unknown: {}", unknown_reason(&table.tags)))?
    };

    let excluded = any(not_resources.iter().map(|p| glob_match(p, &table.arn)));
    let conditions_hold = all(conditions.iter().map(|c| tag_matches(c, tags)));
    let (by_resources, resource_how) =
        match resources.iter().map(|p| (glob_match(p, &table.arn), p)).max_by_key(|(t, _)| rank(t)) {
            Some((tri, pattern)) => {
                let how = describe_pattern(pattern, &table.arn);
                let how = if conditions.is_empty() { how } else { format!("{how} and its tags") };
                (and(tri, conditions_hold.clone()), how)
            }
            None => (Tri::No, String::new()),
        };
    let (by_tags, tag_how) = match list_of_tags.iter().map(|c| (tag_matches(c, tags), c)).max_by_key(|(t, _)| rank(t)) {
        Some((tri, c)) => (tri, format!("by its tag `{}`", c.key)),
        None => (Tri::No, String::new()),
    };
    let (by_conditions, condition_how) = if resources.is_empty() && list_of_tags.is_empty() {
        (conditions_hold, "by its tag conditions".to_string())
    } else {
        (Tri::No, String::new())
    };
    let options = [(by_resources, resource_how), (by_tags, tag_how), (by_conditions, condition_how)];
    let Some((tri, how)) = options.into_iter().max_by_key(|(t, _)| rank(t)) else {
        return Ok((Tri::No, String::new()));
    };
    Ok((and(tri, not(excluded)), how))
}

fn unknown_reason<T>(s: &Setting<T>) -> String {
    match s {
        Setting::Unknown(why) => why.clone(),
        Setting::Known(..) => String::new(),
    }
}

fn describe_pattern(pattern: &str, arn: &str) -> String {
    if pattern == arn { "by its ARN".to_string() } else { format!("by the pattern `{pattern}`") }
}

/// Yes above "it depends" above no.
fn rank(t: &Tri) -> u8 {
    match t {
        Tri::Yes => 2,
        Tri::Depends(_) => 1,
        Tri::No => 0,
    }
}

fn any(items: impl Iterator<Item = Tri>) -> Tri {
    items.max_by_key(rank).unwrap_or(Tri::No)
}

fn all(items: impl Iterator<Item = Tri>) -> Tri {
    items.fold(Tri::Yes, and)
}

fn and(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Tri::No, _) | (_, Tri::No) => Tri::No,
        (Tri::Depends(on), _) | (_, Tri::Depends(on)) => Tri::Depends(on),
        (Tri::Yes, Tri::Yes) => Tri::Yes,
    }
}

fn not(t: Tri) -> Tri {
    match t {
        Tri::Yes => Tri::No,
        Tri::No => Tri::Yes,
        depends => depends,
    }
}

/// Whether the table's tags meet a condition. As in IAM, a negated operator holds when the tag is
/// absent.
fn tag_matches(condition: &TagCondition, tags: &[Tag]) -> Tri {
    if condition.value.contains("${") {
        return Tri::Depends(condition.value.clone());
    }
    let tag = tags.iter().find(|t| t.key == condition.key);
    let equals = |value: &str| {
        if value.contains("${") {
            Tri::Depends(value.to_string())
        } else if value == condition.value {
            Tri::Yes
        } else {
            Tri::No
        }
    };
    match (condition.operator, tag) {
        (TagOperator::StringEquals | TagOperator::StringLike, None) => Tri::No,
        (TagOperator::StringNotEquals | TagOperator::StringNotLike, None) => Tri::Yes,
        (TagOperator::StringEquals, Some(t)) => equals(&t.value),
        (TagOperator::StringNotEquals, Some(t)) => not(equals(&t.value)),
        (TagOperator::StringLike, Some(t)) => glob_match(&condition.value, &t.value),
        (TagOperator::StringNotLike, Some(t)) => not(glob_match(&condition.value, &t.value)),
    }
}

fn fix(table: &Table, inventory: &Inventory) -> Fix {
    let syntax = table.resource.syntax;
    let id = table.resource.declared_id();
    let plan = inventory.backup_plans.first().map(|p| p.resource.id.clone());
    if syntax == Syntax::Live {
        let selection = Code::map(vec![
            ("SelectionName", Code::text("tables")),
            ("IamRoleArn", Code::text("arn:aws:iam::ACCOUNT_ID:role/service-role/AWSBackupDefaultServiceRole")),
            ("Resources", Code::List(vec![Code::text(&table.arn)])),
        ]);
        return Fix {
            summary: "Assign the table to a backup plan (aws backup create-backup-selection --backup-plan-id PLAN_ID --backup-selection file://selection.json).".to_string(),
            snippet: Some(selection.snippet(Syntax::Live)),
        };
    }
    let plan_id = plan.clone().unwrap_or_else(|| "BackupPlan".to_string());
    let resource = Code::map(vec![
        ("Type", Code::text("AWS::Backup::BackupSelection")),
        (
            "Properties",
            Code::map(vec![
                ("BackupPlanId", Code::Expr(Expr::Ref(plan_id.clone()))),
                (
                    "BackupSelection",
                    Code::map(vec![
                        ("SelectionName", Code::text(&id.to_ascii_lowercase())),
                        (
                            "IamRoleArn",
                            Code::Expr(Expr::Sub(
                                "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/service-role/AWSBackupDefaultServiceRole"
                                    .to_string(),
                            )),
                        ),
                        ("Resources", Code::List(vec![Code::Expr(Expr::GetAtt(id.to_string(), "Arn".to_string()))])),
                    ]),
                ),
            ]),
        ),
    ]);
    let summary = match plan {
        Some(plan) => format!("Assign `{id}` to the backup plan `{plan}` with this selection."),
        None => format!(
            "Add a backup plan (`AWS::Backup::BackupPlan` named `{plan_id}`, with a rule and a lifecycle) and this selection; or, if an organization backup policy selects resources by tag, give `{id}` that tag."
        ),
    };
    Fix { summary, snippet: Some(common::resource_snippet(&format!("{id}BackupSelection"), &resource, syntax)) }
}
