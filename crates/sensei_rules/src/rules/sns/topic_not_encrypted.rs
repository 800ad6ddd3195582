//! SNS-001: the topic encrypts messages at rest with a KMS key.

use sensei_model::sns::Topic;
use sensei_model::{Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SNS-001",
        slug: "topic-not-encrypted",
        title: "SNS topic encrypts messages at rest",
        service: Service::Sns,
        categories: &[Category::Security],
        severity: Severity::Low,
        level: 4,
        aliases: &["encryptedSnsTopics", "SNS.1"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Topics],
        enabled_by_default: true,
        docs: include_str!("topic_not_encrypted.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for topic in &inventory.topics {
        match &topic.kms_master_key_id {
            Setting::Unknown(why) => {
                out.unknown(&topic.resource, None, crate::rules::sqs::common::unknown_property("KmsMasterKeyId", why))
            }
            Setting::Known(Some(key), _) => {
                out.pass(&topic.resource, format!("messages are encrypted at rest with the KMS key `{key}`"))
            }
            Setting::Known(None, _) => out.fail(
                &topic.resource,
                None,
                "no `KmsMasterKeyId`: server-side encryption is off, as SNS turns it on only when a KMS key is set",
                fix(topic),
            ),
        }
    }
}

fn fix(topic: &Topic) -> Fix {
    let syntax = topic.resource.syntax;
    let code = Code::map(vec![("KmsMasterKeyId", Code::text("alias/aws/sns"))]);
    let summary = match syntax {
        Syntax::Live => "Set a KMS key on the topic (aws sns set-topic-attributes --topic-arn ARN --attribute-name KmsMasterKeyId --attribute-value alias/aws/sns); use a customer managed key instead if AWS services publish to it.".to_string(),
        _ => format!(
            "In the `Properties` of `{}`, set a KMS key. The AWS managed key `alias/aws/sns` is the simplest; if AWS services publish to the topic (CloudWatch alarms, S3 events, EventBridge), use a customer managed key whose key policy lets that service call kms:GenerateDataKey and kms:Decrypt.",
            topic.resource.declared_id()
        ),
    };
    Fix { summary, snippet: Some(code.snippet(syntax)) }
}
