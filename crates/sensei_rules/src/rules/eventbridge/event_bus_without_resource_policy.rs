//! EB-002: a custom event bus has a resource-based policy (off by default).

use sensei_model::eventbridge::EventBus;
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::rules::sqs::common;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "EB-002",
        slug: "event-bus-without-resource-policy",
        title: "Custom EventBridge bus has a resource-based policy",
        service: Service::EventBridge,
        categories: &[Category::Security],
        severity: Severity::Low,
        level: 4,
        aliases: &["EventBridge.3"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::EventRules],
        enabled_by_default: false,
        docs: include_str!("event_bus_without_resource_policy.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bus in &inventory.event_buses {
        if bus.name.known().is_some_and(|n| n == "default") {
            out.skip(&bus.resource, "the default event bus is not a custom bus");
            continue;
        }
        if let Some(policy) = bus.bus_policies.first() {
            out.pass(&bus.resource, format!("the bus policy `{policy}` sets who may use the bus"));
            continue;
        }
        match &bus.policy {
            Setting::Known(Some(_), _) => out.pass(&bus.resource, "the bus's `Policy` sets who may use the bus"),
            Setting::Unknown(why) => out.unknown(&bus.resource, None, format!("the bus's `Policy` is unknown: {why}")),
            Setting::Known(None, _) => match &bus.unresolved_bus_policy {
                Some(why) => out.unknown(&bus.resource, None, why.clone()),
                None => out.fail(
                    &bus.resource,
                    None,
                    "no resource-based policy: the bus relies on IAM policies alone, and nothing on the bus itself says which accounts and services may put events on it",
                    fix(bus),
                ),
            },
        }
    }
}

fn fix(bus: &EventBus) -> Fix {
    let syntax = bus.resource.syntax;
    let id = &bus.resource.id;
    // The bus's own `GetAtt` would be a circular reference: its ARN is written out.
    let name = bus.name.known().map_or("BUS_NAME", String::as_str);
    let arn = match syntax {
        Syntax::Live => Expr::Literal(id.clone()),
        _ => Expr::Sub(format!("arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/{name}")),
    };
    let statement = Code::map(vec![
        ("Sid", Code::text("ThisAccountOnly")),
        ("Effect", Code::text("Allow")),
        ("Principal", Code::map(vec![("AWS", Code::Expr(common::account_root(syntax)))])),
        ("Action", Code::text("events:PutEvents")),
        ("Resource", Code::Expr(arn)),
    ]);
    let policy = Code::map(vec![("Version", Code::text("2012-10-17")), ("Statement", Code::List(vec![statement]))]);
    match syntax {
        Syntax::Live => Fix {
            summary: "Attach a resource-based policy to the bus (aws events put-permission --event-bus-name NAME --policy file://policy.json), naming the accounts and services that may put events.".to_string(),
            snippet: Some(policy.snippet(syntax)),
        },
        _ => Fix {
            summary: format!(
                "Give `{}` a `Policy` that names who may put events on it (here only this account; add the other accounts or your organization that send to it).",
                bus.resource.declared_id()
            ),
            snippet: Some(Code::map(vec![("Policy", policy)]).snippet(syntax)),
        },
    }
}
