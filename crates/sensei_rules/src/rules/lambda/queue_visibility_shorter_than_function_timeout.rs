//! LAMBDA-008: an SQS queue hides a message long enough for its function to finish.

use sensei_model::lambda::EventSourceKind;
use sensei_model::sqs::Queue;
use sensei_model::{Inventory, Setting};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, RuleOption, Service, Severity};

use super::{in_function, scalar, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-008",
        slug: "queue-visibility-shorter-than-function-timeout",
        title: "SQS queue visibility timeout is at least six times the function timeout",
        service: Service::Lambda,
        categories: &[Category::Stability],
        severity: Severity::High,
        level: 3,
        aliases: &["timeoutSmallEnoughForSqsVisibility"],
        options: &[RuleOption {
            key: "factor",
            default: 6,
            doc: "how many function timeouts the queue's visibility timeout must cover",
        }],
        needs_live_data: false,
        reads: &[Fact::Functions, Fact::Queues],
        enabled_by_default: true,
        docs: include_str!("queue_visibility_shorter_than_function_timeout.md"),
    },
    check,
};

/// SQS's largest visibility timeout: 12 hours.
const MAX_VISIBILITY: u64 = 43_200;

/// The queue of the inventory that an event source ARN names: `${Queue.Arn}`, or an ARN whose
/// last part is `${Queue}` (the queue's generated name).
pub(crate) fn queue_named<'a>(arn: &str, queues: &'a [Queue]) -> Option<&'a Queue> {
    let by_token = arn.strip_prefix("${").and_then(|t| t.strip_suffix(".Arn}"));
    let by_name = arn.rsplit(':').next().and_then(|t| t.strip_prefix("${")).and_then(|t| t.strip_suffix('}'));
    let id = by_token.or(by_name)?;
    queues.iter().find(|q| q.resource.id == id)
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let factor = u64::try_from(out.option("factor")).unwrap_or(6).max(1);
    for function in &inventory.functions {
        let r = &function.resource;
        let sources: Vec<_> = inventory
            .event_sources
            .iter()
            .filter(|s| s.kind == EventSourceKind::Sqs && s.function.as_deref() == Some(r.id.as_str()))
            .collect();
        if sources.is_empty() {
            out.skip(r, "no SQS queue of this template triggers the function");
            continue;
        }
        let timeout = match &function.timeout {
            Setting::Known(t, _) => u64::from(*t),
            Setting::Unknown(why) => {
                out.unknown(r, None, unknown_because("Timeout", why));
                continue;
            }
        };
        let needed = timeout * factor;
        let mut short = None;
        let mut unknown = None;
        let mut fine = Vec::new();
        for source in sources {
            let arn = match &source.event_source_arn {
                Setting::Known(Some(arn), _) => arn,
                Setting::Known(None, _) => {
                    unknown = Some(format!("event source `{}` names no queue", source.resource.id));
                    continue;
                }
                Setting::Unknown(why) => {
                    unknown = Some(format!("the queue of `{}` is unknown: {why}", source.resource.id));
                    continue;
                }
            };
            let Some(queue) = queue_named(arn, &inventory.queues) else {
                unknown = Some(format!("queue `{arn}` is not in the template, so its visibility timeout is unknown"));
                continue;
            };
            match &queue.visibility_timeout {
                Setting::Known(v, _) if u64::from(*v) >= needed => {
                    fine.push(format!("`{}` ({v} s)", queue.resource.id))
                }
                Setting::Known(v, _) => short = short.or(Some((queue, u64::from(*v)))),
                Setting::Unknown(why) => {
                    unknown = Some(format!("the visibility timeout of `{}` is unknown: {why}", queue.resource.id))
                }
            }
        }
        if let Some((queue, visibility)) = short {
            let default = if queue.visibility_timeout.location().is_none() { " (the SQS default)" } else { "" };
            let message = format!(
                "queue `{}` hides a received message for {visibility} s{default}, less than {factor} × the function's {timeout} s timeout ({needed} s): a message can reappear while its batch is still running or being retried, and be processed twice",
                queue.resource.id
            );
            let fix = if needed <= MAX_VISIBILITY {
                Fix {
                    summary: format!(
                        "In `{}`, set `VisibilityTimeout` to at least {needed} s ({factor} × the timeout of {}), as AWS recommends.",
                        queue.resource.id,
                        in_function(function)
                    ),
                    snippet: Some(scalar("VisibilityTimeout", needed, queue.resource.syntax)),
                }
            } else {
                let most = MAX_VISIBILITY / factor;
                Fix {
                    summary: format!(
                        "SQS hides a message for 12 hours at most: in {}, lower `Timeout` to {most} s or less, and set the queue's `VisibilityTimeout` to {MAX_VISIBILITY}.",
                        in_function(function)
                    ),
                    snippet: Some(scalar("Timeout", most, r.syntax)),
                }
            };
            let at = queue.visibility_timeout.location().or(queue.resource.location.as_ref());
            out.fail(r, at, message, fix);
        } else if let Some(why) = unknown {
            out.unknown(r, None, why);
        } else {
            out.pass(
                r,
                format!("the visibility timeout of {} covers {factor} × the {timeout} s timeout", fine.join(", ")),
            );
        }
    }
}
