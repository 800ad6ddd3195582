//! LAMBDA-013: the function's memory is chosen, not left at the AWS default (off by default).

use sensei_model::{Inventory, Provenance, Setting};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::{in_function, scalar, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-013",
        slug: "function-memory-left-at-default",
        title: "Lambda function memory is chosen, not left at the default",
        service: Service::Lambda,
        categories: &[Category::Speed, Category::Savings],
        severity: Severity::Low,
        level: 3,
        aliases: &["noDefaultMemory"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions],
        enabled_by_default: false,
        docs: include_str!("function_memory_left_at_default.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for function in &inventory.functions {
        let r = &function.resource;
        match &function.memory_size {
            Setting::Unknown(why) => out.unknown(r, None, unknown_because("MemorySize", why)),
            Setting::Known(m, Provenance::Default) => {
                let message = format!(
                    "no `MemorySize`: the function runs with AWS's default of {m} MB, which also gives it the least CPU; the size was never chosen"
                );
                let fix = Fix {
                    summary: format!(
                        "In {}, set `MemorySize` to the size measured with AWS Lambda Power Tuning; more memory often runs faster for the same cost.",
                        in_function(function)
                    ),
                    snippet: Some(scalar("MemorySize", 512, r.syntax)),
                };
                out.fail(r, None, message, fix);
            }
            Setting::Known(m, Provenance::Globals(_)) => out.pass(r, format!("{m} MB, set in the SAM `Globals`")),
            Setting::Known(m, _) => out.pass(r, format!("{m} MB, set for the function")),
        }
    }
}
