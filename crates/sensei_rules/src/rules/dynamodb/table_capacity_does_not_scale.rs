//! DDB-004: the table's capacity scales with demand: on-demand, or provisioned with auto scaling.

use sensei_model::dynamodb::{BillingMode, Capacity, Table};
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::rules::sqs::common;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DDB-004",
        slug: "table-capacity-does-not-scale",
        title: "DynamoDB table capacity scales with demand",
        service: Service::DynamoDb,
        categories: &[Category::Stability, Category::Savings, Category::Sustainability],
        severity: Severity::Medium,
        level: 2,
        aliases: &["DynamoDB.1"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Tables],
        enabled_by_default: true,
        docs: include_str!("table_capacity_does_not_scale.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for table in &inventory.tables {
        match &table.billing_mode {
            Setting::Unknown(why) => {
                out.unknown(&table.resource, None, format!("the billing mode is unknown: {why}"));
                continue;
            }
            Setting::Known(BillingMode::PayPerRequest, _) => {
                out.pass(&table.resource, "on-demand capacity (PAY_PER_REQUEST) follows the traffic");
                continue;
            }
            Setting::Known(BillingMode::Other(mode), _) => {
                out.unknown(
                    &table.resource,
                    table.billing_mode.location(),
                    format!("`BillingMode` is `{mode}`, which DynamoDB does not know"),
                );
                continue;
            }
            Setting::Known(BillingMode::Provisioned, _) => {}
        }
        let indexes = match &table.global_secondary_indexes {
            Setting::Known(list, _) => list,
            Setting::Unknown(why) => {
                out.unknown(&table.resource, None, format!("the global secondary indexes are unknown: {why}"));
                continue;
            }
        };
        let mut gaps = Vec::new();
        let owners = std::iter::once(None).chain(indexes.iter().map(|i| Some(i.as_str())));
        for index in owners {
            for capacity in [Capacity::Read, Capacity::Write] {
                let what = match index {
                    None => format!("{} capacity", capacity.as_str()),
                    Some(i) => format!("{} capacity of index `{i}`", capacity.as_str()),
                };
                let found = table
                    .auto_scaling
                    .dimensions
                    .iter()
                    .filter(|d| d.index.as_deref() == index && d.capacity == capacity)
                    .max_by_key(|d| d.has_policy);
                match found {
                    Some(d) if d.has_policy => {}
                    Some(d) => gaps.push(format!("{what} (scalable target `{}` has no scaling policy)", d.target)),
                    None => gaps.push(what),
                }
            }
        }
        if gaps.is_empty() {
            out.pass(
                &table.resource,
                "provisioned capacity is adjusted by Application Auto Scaling, for reads and writes",
            );
        } else if let Some(why) = &table.auto_scaling.unresolved {
            out.unknown(&table.resource, None, format!("a scalable target may belong to this table: {why}"));
        } else {
            let message = format!(
                "provisioned capacity that does not follow demand: nothing scales the {}; traffic above it is throttled, and capacity below it is paid for and idle",
                gaps.join(", ")
            );
            out.fail(&table.resource, table.billing_mode.location(), message, fix(table));
        }
    }
}

fn fix(table: &Table) -> Fix {
    let syntax = table.resource.syntax;
    let id = table.resource.declared_id();
    if syntax == Syntax::Live {
        return Fix {
            summary: format!(
                "Switch to on-demand capacity (aws dynamodb update-table --table-name {} --billing-mode PAY_PER_REQUEST), or register read and write capacity with Application Auto Scaling.",
                table.table_name.known().map_or("TABLE", String::as_str)
            ),
            snippet: Some(Code::map(vec![("BillingMode", Code::text("PAY_PER_REQUEST"))]).snippet(syntax)),
        };
    }
    if !table.simple_table {
        return Fix {
            summary: format!(
                "In the `Properties` of `{id}`, switch to on-demand capacity and remove `ProvisionedThroughput` (also from its indexes); or keep provisioned capacity and add an `AWS::ApplicationAutoScaling::ScalableTarget` and a target-tracking `ScalingPolicy` for each read and write capacity."
            ),
            snippet: Some(Code::map(vec![("BillingMode", Code::text("PAY_PER_REQUEST"))]).snippet(syntax)),
        };
    }
    let target_id = format!("{id}WriteScaling");
    let target = Code::map(vec![
        ("Type", Code::text("AWS::ApplicationAutoScaling::ScalableTarget")),
        (
            "Properties",
            Code::map(vec![
                ("ServiceNamespace", Code::text("dynamodb")),
                ("ResourceId", Code::Expr(Expr::Sub(format!("table/${{{id}}}")))),
                ("ScalableDimension", Code::text("dynamodb:table:WriteCapacityUnits")),
                ("MinCapacity", Code::number(5)),
                ("MaxCapacity", Code::number(100)),
            ]),
        ),
    ]);
    let policy = Code::map(vec![
        ("Type", Code::text("AWS::ApplicationAutoScaling::ScalingPolicy")),
        (
            "Properties",
            Code::map(vec![
                ("PolicyName", Code::text("write-utilization")),
                ("PolicyType", Code::text("TargetTrackingScaling")),
                ("ScalingTargetId", Code::Expr(Expr::Ref(target_id.clone()))),
                (
                    "TargetTrackingScalingPolicyConfiguration",
                    Code::map(vec![
                        ("TargetValue", Code::number(70)),
                        (
                            "PredefinedMetricSpecification",
                            Code::map(vec![("PredefinedMetricType", Code::text("DynamoDBWriteCapacityUtilization"))]),
                        ),
                    ]),
                ),
            ]),
        ),
    ]);
    Fix {
        summary: format!(
            "Remove `ProvisionedThroughput` from `{id}`: a simple table without it is billed on demand. Or keep it and scale it: add these resources, and the same pair for `ReadCapacityUnits`."
        ),
        snippet: Some(common::join(vec![
            common::resource_snippet(&target_id, &target, syntax),
            common::resource_snippet(&format!("{target_id}Policy"), &policy, syntax),
        ])),
    }
}
