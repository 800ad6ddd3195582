//! DDB-002: the table has point-in-time recovery.

use sensei_model::dynamodb::Table;
use sensei_model::{Inventory, Provenance, Setting, Syntax};

use crate::fix::Code;
use crate::rules::sqs::common;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DDB-002",
        slug: "table-point-in-time-recovery-disabled",
        title: "DynamoDB table has point-in-time recovery",
        service: Service::DynamoDb,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 2,
        aliases: &["DynamoDB.2"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Tables, Fact::TableBackups],
        enabled_by_default: true,
        docs: include_str!("table_point_in_time_recovery_disabled.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for table in &inventory.tables {
        let setting = &table.point_in_time_recovery_enabled;
        match setting {
            Setting::Unknown(why) => {
                out.unknown(&table.resource, None, common::unknown_property("PointInTimeRecoveryEnabled", why))
            }
            Setting::Known(true, _) => out.pass(
                &table.resource,
                "point-in-time recovery is on: the table can be restored to any second of the last 35 days",
            ),
            Setting::Known(false, prov) => {
                let message = if *prov == Provenance::Default {
                    "no `PointInTimeRecoverySpecification`: point-in-time recovery is off by default, so a bad write or delete cannot be undone"
                } else {
                    "point-in-time recovery is off, so a bad write or delete cannot be undone"
                };
                out.fail(&table.resource, setting.location(), message, fix(table));
            }
        }
    }
}

fn fix(table: &Table) -> Fix {
    let syntax = table.resource.syntax;
    let code = Code::map(vec![(
        "PointInTimeRecoverySpecification",
        Code::map(vec![("PointInTimeRecoveryEnabled", Code::bool(true))]),
    )]);
    let summary = match syntax {
        Syntax::Live => format!(
            "Turn on point-in-time recovery (aws dynamodb update-continuous-backups --table-name {} --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true).",
            table.table_name.known().map_or("TABLE", String::as_str)
        ),
        _ => format!("In the `Properties` of `{}`, turn on point-in-time recovery.", table.resource.declared_id()),
    };
    Fix { summary, snippet: Some(code.snippet(syntax)) }
}
