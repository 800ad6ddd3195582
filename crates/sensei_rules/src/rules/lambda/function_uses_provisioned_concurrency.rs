//! LAMBDA-007: the function runs without provisioned concurrency.

use sensei_model::{Inventory, Setting, Syntax};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity, Snippet};

use super::cli_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-007",
        slug: "function-uses-provisioned-concurrency",
        title: "Lambda function runs without provisioned concurrency",
        service: Service::Lambda,
        categories: &[Category::Savings, Category::Sustainability],
        severity: Severity::Medium,
        level: 3,
        aliases: &["noProvisionedConcurrency"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions, Fact::FunctionVersions, Fact::FunctionAliases],
        enabled_by_default: true,
        docs: include_str!("function_uses_provisioned_concurrency.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for function in &inventory.functions {
        let r = &function.resource;
        let mut provisioned = Vec::new();
        let mut unknown = function.unlisted().map(|why| format!("the versions or aliases: {why}"));
        let mut at = None;
        for (target, setting) in function.provisioned_concurrency() {
            match setting {
                Setting::Known(Some(n), _) if *n > 0 => {
                    provisioned.push(format!("{n} on `{}`", target.id));
                    at = at.or(setting.location().cloned());
                }
                Setting::Known(_, _) => {}
                Setting::Unknown(why) => unknown = Some(format!("`{}`: {why}", target.id)),
            }
        }
        if !provisioned.is_empty() {
            let message = format!(
                "provisioned concurrency is configured ({}): those environments are billed around the clock, used or not",
                provisioned.join(", ")
            );
            let qualifier = function
                .aliases
                .known()
                .and_then(|list| list.first())
                .and_then(|a| a.name.known().cloned())
                .unwrap_or_else(|| "live".to_string());
            let summary = if function.serverless {
                format!(
                    "Remove `ProvisionedConcurrencyConfig` from `{}`; if cold starts matter, shrink the package, use SnapStart, or schedule provisioned concurrency only for peak hours with Application Auto Scaling.",
                    r.id
                )
            } else {
                format!(
                    "Remove `ProvisionedConcurrencyConfig` from the alias or version of `{}`; if cold starts matter, shrink the package, use SnapStart, or schedule provisioned concurrency only for peak hours with Application Auto Scaling.",
                    r.id
                )
            };
            let code = match r.syntax {
                Syntax::Live => format!(
                    "aws lambda delete-provisioned-concurrency-config --function-name {} --qualifier {qualifier}",
                    cli_name(function)
                ),
                _ => format!(
                    "aws lambda delete-provisioned-concurrency-config --function-name {} --qualifier {qualifier}  # then remove ProvisionedConcurrencyConfig from the template",
                    cli_name(function)
                ),
            };
            out.fail(r, at.as_ref(), message, Fix { summary, snippet: Some(Snippet { language: "shell", code }) });
        } else if let Some(why) = unknown {
            out.unknown(r, None, format!("the provisioned concurrency is unknown: {why}"));
        } else {
            out.pass(r, "no provisioned concurrency");
        }
    }
}
