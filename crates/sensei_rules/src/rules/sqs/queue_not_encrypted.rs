//! SQS-001: the queue encrypts messages at rest.

use sensei_model::sqs::Queue;
use sensei_model::{Inventory, Provenance, Setting, Syntax};

use super::common;
use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SQS-001",
        slug: "queue-not-encrypted",
        title: "SQS queue encrypts messages at rest",
        service: Service::Sqs,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 4,
        aliases: &["encryptedSqsQueues", "SQS.1"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Queues],
        enabled_by_default: true,
        docs: include_str!("queue_not_encrypted.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for queue in &inventory.queues {
        match &queue.kms_master_key_id {
            Setting::Unknown(why) => {
                out.unknown(&queue.resource, None, common::unknown_property("KmsMasterKeyId", why));
                continue;
            }
            Setting::Known(Some(key), _) => {
                out.pass(&queue.resource, format!("messages are encrypted with the KMS key `{key}` (SSE-KMS)"));
                continue;
            }
            Setting::Known(None, _) => {}
        }
        let sse = &queue.sqs_managed_sse_enabled;
        match sse {
            Setting::Unknown(why) => {
                out.unknown(&queue.resource, None, common::unknown_property("SqsManagedSseEnabled", why))
            }
            Setting::Known(Some(true), _) => {
                out.pass(&queue.resource, "messages are encrypted with SQS-managed keys (SSE-SQS)")
            }
            Setting::Known(None, Provenance::Default) => out.pass(
                &queue.resource,
                "no encryption property: SQS encrypts queues created since late 2022 with SQS-managed keys (SSE-SQS) by default",
            ),
            Setting::Known(_, _) => out.fail(
                &queue.resource,
                sse.location(),
                "server-side encryption is off: `SqsManagedSseEnabled` is false and no `KmsMasterKeyId` is set, so messages are stored unencrypted",
                fix(queue),
            ),
        }
    }
}

fn fix(queue: &Queue) -> Fix {
    let syntax = queue.resource.syntax;
    let on = Code::bool(true);
    let code = Code::map(vec![("SqsManagedSseEnabled", on)]);
    let summary = match syntax {
        Syntax::Live => "Turn on SSE-SQS (aws sqs set-queue-attributes --queue-url URL --attributes SqsManagedSseEnabled=true), or set a KMS key with KmsMasterKeyId.".to_string(),
        _ => format!(
            "In the `Properties` of `{}`, turn on SQS-managed encryption (or set `KmsMasterKeyId` to a KMS key to control who can decrypt).",
            queue.resource.declared_id()
        ),
    };
    Fix { summary, snippet: Some(code.snippet(syntax)) }
}
