//! Amazon SQS: queues, their attributes and their queue policy.

use std::collections::HashMap;

use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::QueueAttributeName;
use futures_util::StreamExt as _;
use sensei_model::sqs::{Queue, QueuePolicy};
use sensei_model::{ResourceType, Setting};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::s3::live_policy;
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

pub async fn fetch_queues(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> Vec<Queue> {
    let mut reader = Reader::new("sqs", Some(region), None, &scope.gaps);
    let listed: Read<Vec<String>> = pages!(
        reader,
        "ListQueues",
        client.list_queues(),
        |p: &aws_sdk_sqs::operation::list_queues::ListQueuesOutput| p.queue_urls().to_vec()
    );
    let mut urls = listed.or_empty();
    let arn_of =
        |url: &str| format!("arn:aws:sqs:{region}:{}:{}", scope.account, url.rsplit('/').next().unwrap_or_default());
    urls.retain(|u| filter.in_stacks(&[u, &arn_of(u)]));
    scope.progress.discovered(urls.len());
    let queues: Vec<Option<Queue>> = futures_util::stream::iter(urls)
        .map(|url| async move {
            let name = url.rsplit('/').next().unwrap_or_default().to_string();
            let arn = format!("arn:aws:sqs:{region}:{}:{name}", scope.account);
            let mut reader = Reader::new("sqs", Some(region), Some(&arn), &scope.gaps);
            let attrs =
                client.get_queue_attributes().queue_url(&url).attribute_names(QueueAttributeName::All).send().await;
            let attributes = match reader.get("GetQueueAttributes", attrs) {
                Read::Got(out) => Read::Got(
                    out.attributes()
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k.as_str().to_string(), v))
                        .collect::<HashMap<_, _>>(),
                ),
                Read::Failed(why) => Read::Failed(why),
            };
            let keep = if filter.tags.is_empty() {
                true
            } else {
                match reader.get("ListQueueTags", client.list_queue_tags().queue_url(&url).send().await) {
                    Read::Got(out) => {
                        filter.has_tags(Some(&out.tags().cloned().unwrap_or_default().into_iter().collect()))
                    }
                    Read::Failed(_) => true,
                }
            };
            let stack = stacks.stack_of(&[&url, &arn]);
            let queue = map_queue(&name, &arn, &scope.account, region, stack, &attributes, reader.unread);
            scope.progress.fetched();
            keep.then_some(queue)
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    queues.into_iter().flatten().collect()
}

/// A queue from its `GetQueueAttributes(All)` answer.
pub fn map_queue(
    name: &str,
    listed_arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    attributes: &Read<HashMap<String, String>>,
    unread: Vec<String>,
) -> Queue {
    let arn = attributes.got().and_then(|a| a.get("QueueArn").cloned()).unwrap_or_else(|| listed_arn.to_string());
    let resource = live_ref(&arn, "AWS::SQS::Queue", account, Some(region), stack, unread);
    let attr = |key: &str| attributes.setting(|a| a.get(key).cloned());
    let number =
        |key: &str, default: u32| attributes.setting(|a| a.get(key).and_then(|v| v.parse().ok()).unwrap_or(default));
    let policies = match attributes {
        Read::Got(a) => match a.get("Policy") {
            Some(text) => live(vec![QueuePolicy {
                resource: sensei_model::ResourceRef {
                    resource_type: ResourceType::new("AWS::SQS::QueuePolicy"),
                    ..resource.clone()
                },
                policy_document: live_policy(text),
            }]),
            None => live(Vec::new()),
        },
        Read::Failed(why) => Setting::Unknown(why.clone()),
    };
    Queue {
        queue_name: live(Some(name.to_string())),
        arn,
        fifo_queue: attributes.setting(|a| a.get("FifoQueue").is_some_and(|v| v == "true")),
        kms_master_key_id: attr("KmsMasterKeyId").map(|v| v.filter(|k| !k.is_empty())),
        sqs_managed_sse_enabled: attr("SqsManagedSseEnabled").map(|v| v.map(|s| s == "true")),
        dead_letter_target_arn: attributes.setting(|a| {
            a.get("RedrivePolicy")
                .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
                .and_then(|p| p.get("deadLetterTargetArn").and_then(|v| v.as_str()).map(str::to_string))
        }),
        visibility_timeout: number("VisibilityTimeout", 30),
        receive_message_wait_time_seconds: number("ReceiveMessageWaitTimeSeconds", 0),
        policies,
        resource,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sensei_model::Provenance;

    fn attrs(pairs: &[(&str, &str)]) -> Read<HashMap<String, String>> {
        Read::Got(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn maps_attributes() {
        let a = attrs(&[
            ("QueueArn", "arn:aws:sqs:us-east-1:1:jobs"),
            ("SqsManagedSseEnabled", "false"),
            ("VisibilityTimeout", "60"),
            ("RedrivePolicy", r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq","maxReceiveCount":3}"#),
            (
                "Policy",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}"#,
            ),
        ]);
        let q = map_queue("jobs", "x", "1", "us-east-1", None, &a, vec![]);
        assert_eq!(q.arn, "arn:aws:sqs:us-east-1:1:jobs");
        assert_eq!(q.sqs_managed_sse_enabled, Setting::Known(Some(false), Provenance::Live));
        assert_eq!(q.kms_master_key_id, Setting::Known(None, Provenance::Live));
        assert_eq!(q.visibility_timeout, Setting::Known(60, Provenance::Live));
        assert_eq!(q.receive_message_wait_time_seconds, Setting::Known(0, Provenance::Live));
        assert_eq!(
            q.dead_letter_target_arn,
            Setting::Known(Some("arn:aws:sqs:us-east-1:1:dlq".into()), Provenance::Live)
        );
        assert_eq!(q.policies.known().map(Vec::len), Some(1));
        assert!(q.is_named_by("arn:aws:sqs:us-east-1:1:jobs"));
    }

    #[test]
    fn failed_attributes_are_unknown() {
        let q = map_queue(
            "jobs",
            "arn:aws:sqs:us-east-1:1:jobs",
            "1",
            "us-east-1",
            None,
            &Read::Failed("sqs:GetQueueAttributes failed: AccessDenied".into()),
            vec!["sqs:GetQueueAttributes (AccessDenied)".into()],
        );
        assert_eq!(q.arn, "arn:aws:sqs:us-east-1:1:jobs");
        assert!(matches!(q.kms_master_key_id, Setting::Unknown(_)));
        assert!(matches!(q.policies, Setting::Unknown(_)));
        assert!(matches!(q.visibility_timeout, Setting::Unknown(_)));
    }
}
