//! SQS-004: the queue makes receives wait for messages (long polling).

use sensei_model::lambda::EventSourceKind;
use sensei_model::sqs::Queue;
use sensei_model::{Inventory, Provenance, Setting, Syntax};

use super::common;
use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SQS-004",
        slug: "queue-uses-short-polling",
        title: "SQS queue makes receives wait for messages (long polling)",
        service: Service::Sqs,
        categories: &[Category::Savings, Category::Sustainability],
        severity: Severity::Low,
        level: 3,
        aliases: &[],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions, Fact::Queues, Fact::Topics, Fact::EventRules],
        enabled_by_default: true,
        docs: include_str!("queue_uses_short_polling.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let dead_letter_targets = common::dead_letter_targets(inventory);
    for queue in &inventory.queues {
        let lambda = inventory.event_sources.iter().find(|source| {
            source.kind == EventSourceKind::Sqs
                && matches!(source.event_source_arn.known(), Some(Some(arn)) if queue.is_named_by(arn))
        });
        if let Some(source) = lambda {
            let by = source.function.as_deref().map(|f| format!(" (`{f}`)")).unwrap_or_default();
            out.skip(
                &queue.resource,
                format!("Lambda reads it{by}, and Lambda always waits for messages, whatever the queue says"),
            );
            continue;
        }
        if let Some((_, user)) = dead_letter_targets.iter().find(|(arn, _)| queue.is_named_by(arn)) {
            out.skip(&queue.resource, format!("the dead-letter queue of {user}: it is read only to look at failures"));
            continue;
        }
        let wait = &queue.receive_message_wait_time_seconds;
        match wait {
            Setting::Unknown(why) => {
                out.unknown(&queue.resource, None, common::unknown_property("ReceiveMessageWaitTimeSeconds", why))
            }
            Setting::Known(0, prov) => {
                let what = if *prov == Provenance::Default {
                    "no `ReceiveMessageWaitTimeSeconds`: it is 0 by default (short polling)"
                } else {
                    "`ReceiveMessageWaitTimeSeconds` is 0 (short polling)"
                };
                out.fail(
                    &queue.resource,
                    wait.location(),
                    format!(
                        "{what}, so a consumer that does not ask for a wait gets an immediate answer, empty most of the time: every empty receive is a billed request and a wasted round trip"
                    ),
                    fix(queue),
                );
            }
            Setting::Known(seconds, _) => {
                out.pass(&queue.resource, format!("receives wait up to {seconds} seconds for messages (long polling)"))
            }
        }
    }
}

fn fix(queue: &Queue) -> Fix {
    let syntax = queue.resource.syntax;
    let code = Code::map(vec![("ReceiveMessageWaitTimeSeconds", Code::number(20))]);
    let summary = match syntax {
        Syntax::Live => "Make receives wait up to 20 seconds (aws sqs set-queue-attributes --queue-url URL --attributes ReceiveMessageWaitTimeSeconds=20).".to_string(),
        _ => format!(
            "In the `Properties` of `{}`, make receives wait up to 20 seconds: a receive returns as soon as a message arrives, so nothing is slower, and empty receives all but disappear.",
            queue.resource.declared_id()
        ),
    };
    Fix { summary, snippet: Some(code.snippet(syntax)) }
}
