//! SQS-002: the queue sends messages that keep failing to a dead-letter queue.

use std::collections::HashSet;

use sensei_model::sqs::Queue;
use sensei_model::{Expr, Inventory, Setting, Syntax};

use super::common;
use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity, Snippet};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SQS-002",
        slug: "queue-without-dead-letter-queue",
        title: "SQS queue sends failing messages to a dead-letter queue",
        service: Service::Sqs,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 4,
        aliases: &["specifyDlqOnSqs"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions, Fact::Queues, Fact::Topics, Fact::EventRules],
        enabled_by_default: true,
        docs: include_str!("queue_without_dead_letter_queue.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let dead_letter_targets = common::dead_letter_targets(inventory);
    // The logical ids in use, once: a fix names a new queue that is not one of them.
    let ids: HashSet<&str> = inventory.queues.iter().map(|q| q.resource.id.as_str()).collect();
    for queue in &inventory.queues {
        if let Some((_, user)) = dead_letter_targets.iter().find(|(arn, _)| queue.is_named_by(arn)) {
            out.skip(
                &queue.resource,
                format!("this queue is the dead-letter queue of {user}: it needs none of its own"),
            );
            continue;
        }
        let redrive = &queue.dead_letter_target_arn;
        match redrive {
            Setting::Unknown(why) => {
                out.unknown(&queue.resource, None, format!("the `RedrivePolicy` is unknown: {why}"))
            }
            Setting::Known(Some(target), _) => {
                out.pass(&queue.resource, format!("messages that keep failing go to the dead-letter queue `{target}`"))
            }
            Setting::Known(None, _) => out.fail(
                &queue.resource,
                redrive.location(),
                "no `RedrivePolicy`: a message that keeps failing is received again and again until its retention period ends (4 days by default), then lost without a trace",
                fix(queue, &ids),
            ),
        }
    }
}

fn fix(queue: &Queue, ids: &HashSet<&str>) -> Fix {
    let syntax = queue.resource.syntax;
    let id = queue.resource.declared_id();
    let fifo = queue.fifo_queue.known() == Some(&true);
    if syntax == Syntax::Live {
        let policy = r#"{"deadLetterTargetArn":"arn:aws:sqs:REGION:ACCOUNT_ID:DLQ_NAME","maxReceiveCount":"5"}"#;
        let code = Code::map(vec![("RedrivePolicy", Code::text(policy))]);
        return Fix {
            summary: format!(
                "Create a{} queue to hold failed messages, then point this queue at it (aws sqs set-queue-attributes --queue-url URL --attributes file://attributes.json).",
                if fifo { " FIFO" } else { "" }
            ),
            snippet: Some(code.snippet(Syntax::Live)),
        };
    }
    let dlq = [format!("{id}Dlq"), format!("{id}DeadLetterQueue"), format!("{id}DeadLetters")]
        .into_iter()
        .find(|name| !ids.contains(name.as_str()))
        .unwrap_or_else(|| format!("{id}Dlq2"));
    let redrive = Code::map(vec![
        ("Type", Code::text("AWS::SQS::Queue")),
        (
            "Properties",
            Code::map(vec![(
                "RedrivePolicy",
                Code::map(vec![
                    ("deadLetterTargetArn", Code::Expr(Expr::GetAtt(dlq.clone(), "Arn".to_string()))),
                    ("maxReceiveCount", Code::number(5)),
                ]),
            )]),
        ),
    ]);
    let mut properties = Vec::new();
    if fifo {
        properties.push(("FifoQueue", Code::bool(true)));
    }
    // Keep failed messages as long as SQS allows, to have time to look at them.
    properties.push(("MessageRetentionPeriod", Code::number(1209600)));
    let queue_resource =
        Code::map(vec![("Type", Code::text("AWS::SQS::Queue")), ("Properties", Code::map(properties))]);
    let parts =
        vec![common::resource_snippet(id, &redrive, syntax), common::resource_snippet(&dlq, &queue_resource, syntax)];
    let Snippet { language, code } = common::join(parts);
    Fix {
        summary: format!(
            "Add a `RedrivePolicy` to the `Properties` of `{id}`, and the queue `{dlq}` to `Resources`: after 5 failed receives a message moves there, where you can inspect it and send it back (a dead-letter queue of a {} queue must be {}).",
            if fifo { "FIFO" } else { "standard" },
            if fifo { "FIFO too" } else { "standard too" },
        ),
        snippet: Some(Snippet { language, code }),
    }
}
