//! LAMBDA-006: the function's timeout is below Lambda's 900-second maximum.

use sensei_model::{Inventory, Setting};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::{in_function, scalar, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-006",
        slug: "function-timeout-at-maximum",
        title: "Lambda function timeout is below the 900-second maximum",
        service: Service::Lambda,
        categories: &[Category::Savings, Category::Sustainability, Category::Stability],
        severity: Severity::Medium,
        level: 3,
        aliases: &["noMaxTimeout"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions],
        enabled_by_default: true,
        docs: include_str!("function_timeout_at_maximum.md"),
    },
    check,
};

/// Lambda's largest timeout, in seconds.
const MAX_TIMEOUT: u32 = 900;

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for function in &inventory.functions {
        let r = &function.resource;
        match &function.timeout {
            Setting::Unknown(why) => out.unknown(r, None, unknown_because("Timeout", why)),
            Setting::Known(t, _) if *t < MAX_TIMEOUT => out.pass(r, format!("times out after {t} s")),
            Setting::Known(t, _) => {
                let message = format!(
                    "`Timeout` is {t} s, Lambda's maximum: a call stuck on a slow dependency runs, and is billed, for 15 minutes before it stops"
                );
                let fix = Fix {
                    summary: format!(
                        "In {}, set `Timeout` a little above the longest duration the function really needs (see the `Duration` of its REPORT log lines); move longer work to Step Functions or a container task.",
                        in_function(function)
                    ),
                    snippet: Some(scalar("Timeout", 60, r.syntax)),
                };
                out.fail(r, function.timeout.location(), message, fix);
            }
        }
    }
}
