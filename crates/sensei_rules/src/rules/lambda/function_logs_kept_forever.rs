//! LAMBDA-017: the function's log group has a retention period.

use std::collections::HashMap;

use sensei_model::lambda::Function;
use sensei_model::logs::LogGroup;
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity, Snippet};

use super::{in_function, resource_snippet, scalar, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-017",
        slug: "function-logs-kept-forever",
        title: "Lambda function's log group has a retention period",
        service: Service::Lambda,
        categories: &[Category::Sustainability, Category::Savings],
        severity: Severity::Low,
        level: 2,
        aliases: &[],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions, Fact::LogGroups],
        enabled_by_default: true,
        docs: include_str!("function_logs_kept_forever.md"),
    },
    check,
};

/// Days of retention a fix proposes.
const PROPOSED_DAYS: i64 = 30;

/// The group the function writes to, as text: `LoggingConfig.LogGroup`, or `/aws/lambda/<name>`.
fn target(function: &Function) -> Result<(String, bool), String> {
    match &function.logging_config {
        Setting::Unknown(why) => return Err(unknown_because("LoggingConfig", why)),
        Setting::Known(Some(config), _) => match &config.log_group {
            Setting::Known(Some(group), _) => return Ok((group.clone(), true)),
            Setting::Known(None, _) => {}
            Setting::Unknown(why) => return Err(format!("`LoggingConfig.LogGroup` is unknown: {why}")),
        },
        Setting::Known(None, _) => {}
    }
    match &function.function_name {
        Setting::Known(name, _) => Ok((format!("/aws/lambda/{name}"), false)),
        Setting::Unknown(why) => Err(format!("the function's name is unknown: {why}")),
    }
}

/// The log groups by name and by `${Id}` token, built once for all functions.
struct Groups<'a> {
    /// Name or token to the first group (in template order) it names.
    by_name: HashMap<String, usize>,
    groups: &'a [LogGroup],
    /// Why some group's name is unknown, when one is: a name not found might be that one's.
    unknown: Option<String>,
}

impl<'a> Groups<'a> {
    fn new(groups: &'a [LogGroup]) -> Self {
        let mut by_name = HashMap::new();
        let mut unknown = None;
        for (i, group) in groups.iter().enumerate() {
            by_name.entry(format!("${{{}}}", group.resource.id)).or_insert(i);
            match &group.log_group_name {
                Setting::Known(Some(name), _) => _ = by_name.entry(name.clone()).or_insert(i),
                Setting::Known(None, _) => {}
                Setting::Unknown(why) => {
                    unknown = Some(format!("the name of log group `{}` is unknown: {why}", group.resource.id))
                }
            }
        }
        Groups { by_name, groups, unknown }
    }

    /// The log group whose name (or `${Id}` token) is `text`.
    fn named(&self, text: &str) -> Result<Option<&'a LogGroup>, String> {
        match self.by_name.get(text).and_then(|&i| self.groups.get(i)) {
            Some(group) => Ok(Some(group)),
            None => self.unknown.clone().map_or(Ok(None), Err),
        }
    }
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let groups = Groups::new(&inventory.log_groups);
    for function in &inventory.functions {
        let r = &function.resource;
        let (name, configured) = match target(function) {
            Ok(t) => t,
            Err(why) => {
                out.unknown(r, None, why);
                continue;
            }
        };
        let group = match groups.named(&name) {
            Ok(g) => g,
            Err(why) => {
                out.unknown(r, None, why);
                continue;
            }
        };
        match group {
            Some(group) => match &group.retention_in_days {
                Setting::Known(Some(days), _) => {
                    out.pass(r, format!("its log group `{}` keeps logs {days} days", group.resource.id))
                }
                Setting::Known(None, _) => {
                    let message = format!(
                        "its log group `{}` has no `RetentionInDays`: the logs are kept forever",
                        group.resource.id
                    );
                    let fix = Fix {
                        summary: format!(
                            "In `{}`, set `RetentionInDays` to how long the logs are useful (30 days covers most debugging).",
                            group.resource.id
                        ),
                        snippet: Some(scalar("RetentionInDays", PROPOSED_DAYS, group.resource.syntax)),
                    };
                    out.fail(r, group.resource.location.as_ref(), message, fix);
                }
                Setting::Unknown(why) => {
                    out.unknown(r, None, format!("the retention of `{}` is unknown: {why}", group.resource.id))
                }
            },
            None if configured => out.unknown(
                r,
                None,
                format!("log group `{name}` of `LoggingConfig` is not in the template, so its retention is unknown"),
            ),
            None => {
                let message = format!(
                    "no log group `{name}` in the template: Lambda creates it on the first run with no retention, so the logs are kept forever"
                );
                out.fail(r, None, message, fix(function));
            }
        }
    }
}

fn fix(function: &Function) -> Fix {
    let r = &function.resource;
    let id = &r.id;
    match r.syntax {
        Syntax::Live => Fix {
            summary: "Set a retention on the function's log group.".to_string(),
            snippet: Some(Snippet {
                language: "shell",
                code: format!(
                    "aws logs put-retention-policy --log-group-name /aws/lambda/{} --retention-in-days {PROPOSED_DAYS}",
                    super::cli_name(function)
                ),
            }),
        },
        syntax => {
            let resource = Code::map(vec![
                ("Type", Code::text("AWS::Logs::LogGroup")),
                (
                    "Properties",
                    Code::map(vec![
                        ("LogGroupName", Code::Expr(Expr::Sub(format!("/aws/lambda/${{{id}}}")))),
                        ("RetentionInDays", Code::number(PROPOSED_DAYS)),
                    ]),
                ),
            ]);
            let snippet = resource_snippet(&format!("{id}LogGroup"), &resource, syntax);
            Fix {
                summary: format!(
                    "Declare the log group of {} with a retention (add this resource; with the CDK, set `logRetention` or `logGroup` on the function).",
                    in_function(function)
                ),
                snippet: Some(snippet),
            }
        }
    }
}
