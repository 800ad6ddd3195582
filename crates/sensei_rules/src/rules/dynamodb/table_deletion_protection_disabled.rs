//! DDB-001: the table has deletion protection.

use sensei_model::dynamodb::Table;
use sensei_model::{Inventory, Provenance, Setting, Syntax};

use crate::fix::Code;
use crate::rules::sqs::common;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity, Snippet};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DDB-001",
        slug: "table-deletion-protection-disabled",
        title: "DynamoDB table has deletion protection",
        service: Service::DynamoDb,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 3,
        aliases: &["enableDeletionProtectionOnDynamoDBTables", "DynamoDB.6"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Tables],
        enabled_by_default: true,
        docs: include_str!("table_deletion_protection_disabled.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for table in &inventory.tables {
        let setting = &table.deletion_protection_enabled;
        match setting {
            Setting::Unknown(why) => {
                out.unknown(&table.resource, None, common::unknown_property("DeletionProtectionEnabled", why))
            }
            Setting::Known(true, _) => out.pass(&table.resource, "deletion protection is on"),
            Setting::Known(false, prov) => {
                let message = match (table.simple_table, prov) {
                    (true, _) => {
                        "an `AWS::Serverless::SimpleTable` cannot turn on deletion protection, so anyone allowed to call DeleteTable (or a stack update that replaces or removes it) deletes the table and its data"
                    }
                    (false, Provenance::Default) => {
                        "no `DeletionProtectionEnabled`: deletion protection is off by default, so anyone allowed to call DeleteTable (or a stack update that replaces or removes it) deletes the table and its data"
                    }
                    (false, _) => {
                        "deletion protection is off: anyone allowed to call DeleteTable (or a stack update that replaces or removes it) deletes the table and its data"
                    }
                };
                out.fail(&table.resource, setting.location(), message, fix(table));
            }
        }
    }
}

fn fix(table: &Table) -> Fix {
    let syntax = table.resource.syntax;
    let id = table.resource.declared_id();
    let on = ("DeletionProtectionEnabled", Code::bool(true));
    if syntax == Syntax::Live {
        return Fix {
            summary: format!(
                "Turn on deletion protection (aws dynamodb update-table --table-name {} --deletion-protection-enabled).",
                table.table_name.known().map_or("TABLE", String::as_str)
            ),
            snippet: Some((Code::map(vec![on])).snippet(syntax)),
        };
    }
    if !table.simple_table {
        return Fix {
            summary: format!("In the `Properties` of `{id}`, turn on deletion protection."),
            snippet: Some((Code::map(vec![on])).snippet(syntax)),
        };
    }
    // SAM turns a simple table into an `AWS::DynamoDB::Table` of the same logical id: declaring that
    // table directly, with the same key, keeps the data.
    let key = |name: &'static str, value: &'static str| {
        Code::map(vec![("AttributeName", Code::text("id")), (name, Code::text(value))])
    };
    let mut properties = Vec::new();
    if table.billing_mode.known() == Some(&sensei_model::dynamodb::BillingMode::PayPerRequest) {
        properties.push(("BillingMode", Code::text("PAY_PER_REQUEST")));
    }
    properties.push(("AttributeDefinitions", Code::List(vec![key("AttributeType", "S")])));
    properties.push(("KeySchema", Code::List(vec![key("KeyType", "HASH")])));
    properties.push(on);
    let resource = Code::map(vec![("Type", Code::text("AWS::DynamoDB::Table")), ("Properties", Code::map(properties))]);
    let Snippet { language, code } = common::resource_snippet(id, &resource, syntax);
    Fix {
        summary: format!(
            "`AWS::Serverless::SimpleTable` has no `DeletionProtectionEnabled`: declare `{id}` as an `AWS::DynamoDB::Table` with the same logical id and the same key (SAM's default key is `id` of type String; keep your `PrimaryKey`, `ProvisionedThroughput`, `SSESpecification` and `Tags`), which keeps the table and its data."
        ),
        snippet: Some(Snippet { language, code }),
    }
}
