//! EB-001: every target of a rule (or schedule) has a dead-letter queue.

use sensei_model::eventbridge::{EventRule, RuleKind, SamEventKind, Target};
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "EB-001",
        slug: "rule-target-without-dead-letter-queue",
        title: "EventBridge rule target has a dead-letter queue",
        service: Service::EventBridge,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 5,
        aliases: &["specifyDlqOnEventBridgeRule"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::EventRules],
        enabled_by_default: true,
        docs: include_str!("rule_target_without_dead_letter_queue.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for rule in &inventory.event_rules {
        let targets = match &rule.targets {
            Setting::Unknown(why) => {
                out.unknown(&rule.resource, None, format!("the targets are unknown: {why}"));
                continue;
            }
            Setting::Known(targets, _) => targets,
        };
        if targets.is_empty() {
            out.skip(&rule.resource, "no targets: the rule delivers nothing");
            continue;
        }
        let mut missing = Vec::new();
        let mut unknown = None;
        for target in targets {
            match &target.dead_letter_arn {
                Setting::Known(Some(_), _) => {}
                Setting::Known(None, _) => missing.push(target),
                Setting::Unknown(why) => {
                    unknown.get_or_insert(format!("the dead-letter queue of target `{}` is unknown: {why}", target.id));
                }
            }
        }
        let thing = match rule.kind {
            RuleKind::Rule => "an event",
            RuleKind::Schedule => "an invocation",
        };
        if let Some(first) = missing.first() {
            let names: Vec<String> = missing.iter().map(|t| describe(t)).collect();
            let message = format!(
                "{} {} no `DeadLetterConfig`: {thing} that EventBridge cannot deliver after {} is dropped without a trace",
                names.join(", "),
                if missing.len() == 1 { "has" } else { "have" },
                retries(first),
            );
            out.fail(&rule.resource, first.location.as_ref(), message, fix(rule, first));
        } else if let Some(why) = unknown {
            out.unknown(&rule.resource, None, why);
        } else if targets.len() == 1 {
            out.pass(&rule.resource, "its target has a dead-letter queue");
        } else {
            out.pass(&rule.resource, format!("each of its {} targets has a dead-letter queue", targets.len()));
        }
    }
}

/// How long EventBridge keeps trying, in the user's words.
fn retries(target: &Target) -> String {
    match (target.maximum_retry_attempts.known(), target.maximum_event_age_in_seconds.known()) {
        (Some(0), _) => "its first attempt (the retry policy allows no retries)".to_string(),
        (Some(attempts), Some(age)) => {
            let age = if age % 3600 == 0 { format!("{} hours", age / 3600) } else { format!("{age} seconds") };
            let age = if age == "1 hours" { "1 hour".to_string() } else { age };
            format!("up to {attempts} retries over {age}")
        }
        _ => "its retries".to_string(),
    }
}

fn describe(target: &Target) -> String {
    match target.arn.known() {
        Some(arn) => format!("target `{}` (`{arn}`)", target.id),
        None => format!("target `{}`", target.id),
    }
}

fn fix(rule: &EventRule, target: &Target) -> Fix {
    let syntax = rule.resource.syntax;
    let dlq_id = format!("{}Dlq", rule.resource.id);
    let queue_policy = "The queue needs a queue policy that lets events.amazonaws.com (scheduler.amazonaws.com for a schedule) call sqs:SendMessage, with aws:SourceArn set to the rule.";
    if syntax == Syntax::Live {
        let code = Code::map(vec![(
            "DeadLetterConfig",
            Code::map(vec![("Arn", Code::text("arn:aws:sqs:REGION:ACCOUNT_ID:DLQ_NAME"))]),
        )]);
        return Fix {
            summary: format!(
                "Create a queue for undeliverable events and set it on each target (aws events put-targets --rule RULE --targets file://targets.json, with this in each target). {queue_policy}"
            ),
            snippet: Some(code.snippet(syntax)),
        };
    }
    let config = Code::map(vec![("Arn", Code::Expr(Expr::GetAtt(dlq_id.clone(), "Arn".to_string())))]);
    match (target.from_sam_event, &rule.resource.generated_from) {
        (Some(kind), Some(owner)) => {
            let event = rule.resource.id.strip_prefix(owner.as_str()).unwrap_or(&rule.resource.id);
            let sqs = Code::map(vec![("DeadLetterConfig", Code::map(vec![("Type", Code::text("SQS"))]))]);
            let summary = match kind {
                SamEventKind::CloudWatchEvent => format!(
                    "The `CloudWatchEvent` event type takes no dead-letter queue: change the `{event}` event of `{owner}` to `Type: EventBridgeRule` (same `Pattern`) and add this to its `Properties`; SAM then creates the queue and its policy."
                ),
                SamEventKind::WithDeadLetterConfig => format!(
                    "Add this to the `Properties` of the `{event}` event of `{owner}`: SAM creates the queue and the policy that lets EventBridge send to it (or give `Arn` of a queue of yours)."
                ),
            };
            Fix { summary, snippet: Some(sqs.snippet(syntax)) }
        }
        _ => {
            let place = match rule.kind {
                RuleKind::Rule => {
                    format!("each entry of the `Targets` of `{}` (here target `{}`)", rule.resource.id, target.id)
                }
                RuleKind::Schedule => format!("the `Target` of `{}`", rule.resource.id),
            };
            let code = Code::map(vec![("DeadLetterConfig", config)]);
            Fix {
                summary: format!(
                    "Add a `DeadLetterConfig` to {place}, and the SQS queue `{dlq_id}` to `Resources`. {queue_policy}"
                ),
                snippet: Some(code.snippet(syntax)),
            }
        }
    }
}
