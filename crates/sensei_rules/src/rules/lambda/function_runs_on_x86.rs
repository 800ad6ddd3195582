//! LAMBDA-001: the function runs on arm64 (Graviton).

use sensei_model::lambda::{Architecture, PackageType};
use sensei_model::{Inventory, Provenance, Setting};

use crate::data::lambda_runtimes;
use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::{in_function, shown, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-001",
        slug: "function-runs-on-x86",
        title: "Lambda function runs on arm64",
        service: Service::Lambda,
        categories: &[Category::Sustainability, Category::Savings, Category::Speed],
        severity: Severity::Medium,
        level: 1,
        aliases: &["useArm"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions],
        enabled_by_default: true,
        docs: include_str!("function_runs_on_x86.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for function in &inventory.functions {
        let r = &function.resource;
        let architectures = match &function.architectures {
            Setting::Unknown(why) => {
                out.unknown(r, None, unknown_because("Architectures", why));
                continue;
            }
            Setting::Known(list, _) => list,
        };
        if architectures.contains(&Architecture::Arm64) {
            out.pass(r, "runs on arm64 (Graviton)");
            continue;
        }
        match &function.package_type {
            Setting::Unknown(why) => {
                out.unknown(r, None, unknown_because("PackageType", why));
                continue;
            }
            Setting::Known(PackageType::Image, _) => {
                out.skip(
                    r,
                    "a container image carries its own architecture: build the image for arm64 (or multi-arch) before setting `Architectures: [arm64]`",
                );
                continue;
            }
            Setting::Known(PackageType::Zip, _) => {}
        }
        match &function.runtime {
            Setting::Unknown(why) => {
                out.unknown(r, None, unknown_because("Runtime", why));
                continue;
            }
            Setting::Known(Some(runtime), _) => match lambda_runtimes::find(runtime) {
                Some(rt) if !rt.arm64 => {
                    out.skip(
                        r,
                        format!("runtime {runtime} does not run on arm64; upgrade the runtime first (LAMBDA-010)"),
                    );
                    continue;
                }
                Some(_) => {}
                None => {
                    out.unknown(r, None, format!("runtime `{runtime}` is not in sensei's table of Lambda runtimes"));
                    continue;
                }
            },
            Setting::Known(None, _) => {}
        }
        let mut blocked = None;
        let mut unknown = None;
        for layer in &function.layer_architectures {
            match &layer.compatible_architectures {
                Setting::Known(list, _) if !list.is_empty() && !list.contains(&Architecture::Arm64) => {
                    blocked = Some(shown(&layer.layer).to_string());
                }
                Setting::Known(_, _) => {}
                Setting::Unknown(why) => unknown = Some(format!("layer `{}`: {why}", shown(&layer.layer))),
            }
        }
        if let Some(layer) = blocked {
            out.skip(
                r,
                format!("layer `{layer}` declares only x86_64 in `CompatibleArchitectures`; build it for arm64 first"),
            );
            continue;
        }
        if let Some(why) = unknown {
            out.unknown(r, None, why);
            continue;
        }
        let outside: Vec<&str> = function
            .layers
            .known()
            .map(|l| {
                l.iter()
                    .filter(|name| !function.layer_architectures.iter().any(|t| &t.layer == *name))
                    .map(String::as_str)
                    .collect()
            })
            .unwrap_or_default();
        let why = match &function.architectures {
            Setting::Known(_, Provenance::Default) => "no `Architectures`: it runs on x86_64, the AWS default",
            _ => "it runs on x86_64",
        };
        let layers = if outside.is_empty() {
            String::new()
        } else {
            format!(
                " (check that layer {} has an arm64 build)",
                outside.iter().map(|l| shown(l)).collect::<Vec<_>>().join(", ")
            )
        };
        let message = format!("{why}; arm64 costs about 20% less per GB-second and uses less energy{layers}");
        let code = Code::map(vec![("Architectures", Code::List(vec![Code::text("arm64")]))]);
        let fix = Fix {
            summary: format!(
                "In {}, set `Architectures` to `[arm64]`; rebuild native dependencies for arm64 and run your tests.",
                in_function(function)
            ),
            snippet: Some(code.snippet(r.syntax)),
        };
        out.fail(r, function.architectures.location(), message, fix);
    }
}
