//! LAMBDA-005: the function's memory stays below the maximum the team allows.

use sensei_model::{Inventory, Setting};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, RuleOption, Service, Severity};

use super::{in_function, scalar, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-005",
        slug: "function-memory-too-high",
        title: "Lambda function memory stays below the maximum",
        service: Service::Lambda,
        categories: &[Category::Savings, Category::Sustainability],
        severity: Severity::Medium,
        level: 2,
        aliases: &["underMaxMemory"],
        options: &[RuleOption {
            key: "max_memory_mb",
            default: 3008,
            doc: "memory (MB) at or above which a function fails",
        }],
        needs_live_data: false,
        reads: &[Fact::Functions],
        enabled_by_default: true,
        docs: include_str!("function_memory_too_high.md"),
    },
    check,
};

/// One full vCPU: the size to start tuning from.
const ONE_VCPU_MB: i64 = 1769;

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let max = out.option("max_memory_mb");
    for function in &inventory.functions {
        let r = &function.resource;
        let memory = match &function.memory_size {
            Setting::Known(m, _) => i64::from(*m),
            Setting::Unknown(why) => {
                out.unknown(r, None, unknown_because("MemorySize", why));
                continue;
            }
        };
        if memory < max {
            out.pass(r, format!("{memory} MB, below the {max} MB maximum"));
            continue;
        }
        let target = if max > ONE_VCPU_MB { ONE_VCPU_MB } else { (max / 2 / 64 * 64).max(128) };
        let message = format!(
            "has {memory} MB of memory, at or above the {max} MB maximum: memory is billed per GB-second whether it is used or not"
        );
        let fix = Fix {
            summary: format!(
                "In {}, lower `MemorySize` to what the function needs: measure with AWS Lambda Power Tuning or the `Max Memory Used` of its REPORT log lines ({target} MB is one vCPU's worth to start from).",
                in_function(function)
            ),
            snippet: Some(scalar("MemorySize", target, r.syntax)),
        };
        out.fail(r, function.memory_size.location(), message, fix);
    }
}
