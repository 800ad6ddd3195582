//! LAMBDA-010: the function uses a runtime AWS still supports.

use sensei_model::lambda::PackageType;
use sensei_model::{Inventory, Setting};

use crate::data::lambda_runtimes::{self, Family};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, RuleOption, Service, Severity};

use super::{in_function, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-010",
        slug: "function-runtime-deprecated",
        title: "Lambda function uses a supported runtime",
        service: Service::Lambda,
        categories: &[Category::Security, Category::Stability],
        severity: Severity::High,
        level: 4,
        aliases: &["noDeprecatedRuntime", "Lambda.2"],
        options: &[RuleOption {
            key: "warn_days",
            default: 180,
            doc: "days before a runtime's deprecation when a passing finding starts to warn",
        }],
        needs_live_data: false,
        reads: &[Fact::Functions],
        enabled_by_default: true,
        docs: include_str!("function_runtime_deprecated.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let today = out.today();
    let warn_days = out.option("warn_days");
    for function in &inventory.functions {
        let r = &function.resource;
        let runtime = match &function.runtime {
            Setting::Unknown(why) => {
                out.unknown(r, None, unknown_because("Runtime", why));
                continue;
            }
            Setting::Known(Some(runtime), _) => runtime,
            Setting::Known(None, _) => {
                match function.package_type.known() {
                    Some(PackageType::Image) => {
                        out.skip(r, "a container image brings its own runtime; keep its base image up to date")
                    }
                    _ => out.unknown(r, None, "the function names no `Runtime`"),
                }
                continue;
            }
        };
        let Some(rt) = lambda_runtimes::find(runtime) else {
            out.unknown(
                r,
                function.runtime.location(),
                format!("runtime `{runtime}` is not in sensei's table of Lambda runtimes"),
            );
            continue;
        };
        let upgrade = lambda_runtimes::newest_in_family(rt.family, today);
        let days = rt.days_left(today);
        if !rt.is_deprecated(today) {
            let message = match upgrade {
                Some(up) if days <= warn_days && up.id != rt.id => format!(
                    "{runtime} is supported until {} (in {days} days): plan the upgrade to {}",
                    rt.deprecation, up.id
                ),
                _ if days <= warn_days => format!("{runtime} is supported until {} (in {days} days)", rt.deprecation),
                _ => format!("{runtime} is supported until {}", rt.deprecation),
            };
            out.pass(r, message);
            continue;
        }
        let message = format!(
            "{runtime} was deprecated on {}: it gets no security patches, and Lambda then blocks creating and updating functions that use it",
            rt.deprecation
        );
        let Some(up) = upgrade else {
            out.unknown(r, None, format!("{message}; sensei knows no supported runtime of the same family"));
            continue;
        };
        let mut entries = vec![("Runtime", Code::text(up.id))];
        let note = if runtime == "go1.x" {
            entries.push(("Handler", Code::text("bootstrap")));
            " Go functions build a `bootstrap` binary for the OS-only runtime."
        } else if rt.family == Family::OsOnly {
            " Rebuild the binary for Amazon Linux 2023."
        } else {
            " Test the code on the new version first."
        };
        let fix = Fix {
            summary: format!("In {}, move to {}.{note}", in_function(function), up.id),
            snippet: Some((Code::map(entries)).snippet(r.syntax)),
        };
        out.fail(r, function.runtime.location(), message, fix);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use sensei_model::Date;

    use crate::{Context, Status};

    #[test]
    fn old_runtimes_fail_on_the_scan_date() {
        let text = "Resources:
  Node: {Type: AWS::Lambda::Function, Properties: {Role: r, Code: {ZipFile: x}, Handler: i.h, Runtime: nodejs16.x}}
  Py: {Type: AWS::Lambda::Function, Properties: {Role: r, Code: {ZipFile: x}, Handler: i.h, Runtime: python3.8}}
  Go: {Type: AWS::Lambda::Function, Properties: {Role: r, Code: {ZipFile: x}, Handler: main, Runtime: go1.x}}
  New: {Type: AWS::Lambda::Function, Properties: {Role: r, Code: {ZipFile: x}, Handler: i.h, Runtime: nodejs24.x}}
";
        let inventory = sensei_template::read("t.yaml", text, &sensei_template::Options::default()).unwrap().inventory;
        let context = Context { today: Date::parse("2026-11-27").unwrap(), ..Context::default() };
        let findings = crate::check(&inventory, &[&super::RULE], &context);
        let status = |id: &str| findings.iter().find(|f| f.resource.id == id).map(|f| f.status);
        assert_eq!(status("Node"), Some(Status::Fail));
        assert_eq!(status("Py"), Some(Status::Fail));
        assert_eq!(status("Go"), Some(Status::Fail));
        assert_eq!(status("New"), Some(Status::Pass));
        let go = findings.iter().find(|f| f.resource.id == "Go").unwrap();
        assert!(go.message.contains("2024-01-08"), "{}", go.message);
        assert!(go.fix.as_ref().unwrap().snippet.as_ref().unwrap().code.contains("provided.al2023"));
    }

    #[test]
    fn a_runtime_close_to_its_deprecation_passes_with_a_warning() {
        let text = "Resources:
  Node: {Type: AWS::Lambda::Function, Properties: {Role: r, Code: {ZipFile: x}, Handler: i.h, Runtime: nodejs22.x}}
";
        let inventory = sensei_template::read("t.yaml", text, &sensei_template::Options::default()).unwrap().inventory;
        let context = Context { today: Date::parse("2027-01-01").unwrap(), ..Context::default() };
        let findings = crate::check(&inventory, &[&super::RULE], &context);
        let node = findings.first().unwrap();
        assert_eq!(node.status, Status::Pass);
        assert!(node.message.contains("plan the upgrade to nodejs24.x"), "{}", node.message);
    }
}
