//! LAMBDA-004: a deployed function keeps few published versions (live data only).

use sensei_model::{Inventory, Setting, Syntax};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, RuleOption, Service, Severity, Snippet};

use super::cli_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-004",
        slug: "function-keeps-many-versions",
        title: "Lambda function keeps few published versions",
        service: Service::Lambda,
        categories: &[Category::Sustainability, Category::Stability],
        severity: Severity::Medium,
        level: 2,
        aliases: &["limitedAmountOfVersions"],
        options: &[RuleOption {
            key: "max_versions",
            default: 3,
            doc: "published versions a function may keep ($LATEST not counted)",
        }],
        needs_live_data: true,
        reads: &[Fact::Functions, Fact::FunctionVersions],
        enabled_by_default: true,
        docs: include_str!("function_keeps_many_versions.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let max = out.option("max_versions").max(0);
    for function in &inventory.functions {
        let r = &function.resource;
        if r.syntax != Syntax::Live {
            out.skip(r, "needs a deployed function: versions pile up over deployments, which a template does not show");
            continue;
        }
        let count = match &function.versions {
            Setting::Known(list, _) => list.len(),
            Setting::Unknown(why) => {
                out.unknown(r, None, format!("the published versions are unknown: {why}"));
                continue;
            }
        };
        if i64::try_from(count).unwrap_or(i64::MAX) <= max {
            out.pass(r, format!("{count} published versions (at most {max})"));
            continue;
        }
        let message = format!(
            "{count} published versions are kept (more than {max}): each one stores a full copy of the code, counted against the 75 GB code storage quota"
        );
        let fix = Fix {
            summary: "Delete the versions no alias points to (keep the ones you may roll back to); with the Serverless Framework, `serverless-prune-plugin` does it on each deploy.".to_string(),
            snippet: Some(Snippet {
                language: "shell",
                code: format!(
                    "aws lambda list-versions-by-function --function-name {0} --query 'Versions[].Version'\naws lambda delete-function --function-name {0} --qualifier VERSION",
                    cli_name(function)
                ),
            }),
        };
        out.fail(r, None, message, fix);
    }
}
