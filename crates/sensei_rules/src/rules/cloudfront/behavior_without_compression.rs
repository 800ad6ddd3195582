//! CF-014: every cache behavior of a distribution compresses what it serves.

use sensei_model::{Inventory, Setting};

use super::{behaviors_code, first_location, fix, labels};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-014",
        slug: "behavior-without-compression",
        title: "CloudFront cache behaviors compress responses",
        service: Service::CloudFront,
        categories: &[Category::Speed, Category::Sustainability, Category::Savings],
        severity: Severity::Low,
        level: 2,
        aliases: &[],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("behavior_without_compression.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        let behaviors = match d.behaviors() {
            Ok(b) => b,
            Err(why) => {
                out.unknown(&d.resource, None, why);
                continue;
            }
        };
        let mut plain = Vec::new();
        let mut unknown = None;
        for b in &behaviors {
            match &b.compress {
                Setting::Known(false, _) => plain.push(*b),
                Setting::Known(true, _) => {}
                Setting::Unknown(why) => unknown = Some(format!("`Compress` of {} is unknown: {why}", b.label())),
            }
        }
        if !plain.is_empty() {
            let code = behaviors_code(&plain, || vec![("Compress", Code::bool(true))]);
            out.fail(
                &d.resource,
                first_location(plain.iter().map(|b| b.compress.location().or(b.location.as_ref()))),
                format!(
                    "{} {} not compress responses (`Compress` is absent or false)",
                    labels(&plain, |b| b.label()),
                    if plain.len() == 1 { "does" } else { "do" }
                ),
                fix(
                    "Set `Compress: true` so CloudFront serves gzip or Brotli to clients that accept it (the cache policy must allow them, as the managed `CachingOptimized` does).".to_string(),
                    &code,
                    d.resource.syntax,
                ),
            );
        } else if let Some(why) = unknown {
            out.unknown(&d.resource, None, why);
        } else {
            out.pass(
                &d.resource,
                format!(
                    "every behavior compresses responses ({})",
                    crate::rules::apigateway::count(behaviors.len(), "behavior")
                ),
            );
        }
    }
}
