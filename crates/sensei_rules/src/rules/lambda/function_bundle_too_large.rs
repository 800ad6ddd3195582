//! LAMBDA-009: a deployed function's package stays small (live data only).

use sensei_model::{Inventory, Setting, Syntax};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, RuleOption, Service, Severity, Snippet};

use super::cli_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-009",
        slug: "function-bundle-too-large",
        title: "Lambda function package stays small",
        service: Service::Lambda,
        categories: &[Category::Speed, Category::Sustainability],
        severity: Severity::Medium,
        level: 4,
        aliases: &["lightBundle"],
        options: &[RuleOption {
            key: "max_bundle_bytes",
            default: 5_000_000,
            doc: "largest deployment package (bytes, zipped) that passes",
        }],
        needs_live_data: true,
        reads: &[Fact::Functions],
        enabled_by_default: true,
        docs: include_str!("function_bundle_too_large.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let max = u64::try_from(out.option("max_bundle_bytes")).unwrap_or(0);
    for function in &inventory.functions {
        let r = &function.resource;
        if r.syntax != Syntax::Live {
            out.skip(r, "needs a deployed function: the package size is known once the code is built and uploaded");
            continue;
        }
        let size = match &function.code_size {
            Setting::Known(size, _) => *size,
            Setting::Unknown(why) => {
                out.unknown(r, None, format!("the package size is unknown: {why}"));
                continue;
            }
        };
        if size <= max {
            out.pass(r, format!("the package is {size} bytes (at most {max})"));
            continue;
        }
        let message = format!(
            "the package is {size} bytes (more than {max}): a large package slows every cold start and every deployment"
        );
        let fix = Fix {
            summary: "Bundle and minify the code (esbuild, webpack), leave out dev dependencies and the AWS SDK the runtime provides, and package each function on its own.".to_string(),
            snippet: Some(Snippet {
                language: "shell",
                code: format!(
                    "npx esbuild src/handler.ts --bundle --minify --platform=node --outfile=dist/index.js\n(cd dist && zip -r ../function.zip .)\naws lambda update-function-code --function-name {} --zip-file fileb://function.zip",
                    cli_name(function)
                ),
            }),
        };
        out.fail(r, None, message, fix);
    }
}
