//! Amazon SNS: topics, their subscriptions and their topic policy.

use std::collections::HashMap;

use aws_sdk_sns::Client;
use futures_util::StreamExt as _;
use sensei_model::sns::{Subscription, SubscriptionOrigin, Topic, TopicPolicy};
use sensei_model::{ResourceType, Setting};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::s3::live_policy;
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

/// One subscription as listed, with its attributes (`None`: pending, it has none yet).
pub type SubscriptionReads = Vec<(aws_sdk_sns::types::Subscription, Option<Read<HashMap<String, String>>>)>;

pub async fn fetch_topics(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> Vec<Topic> {
    let mut reader = Reader::new("sns", Some(region), None, &scope.gaps);
    let listed: Read<Vec<String>> = pages!(
        reader,
        "ListTopics",
        client.list_topics(),
        |p: &aws_sdk_sns::operation::list_topics::ListTopicsOutput| p
            .topics()
            .iter()
            .filter_map(|t| t.topic_arn().map(str::to_string))
            .collect::<Vec<_>>()
    );
    let mut arns = listed.or_empty();
    arns.retain(|a| filter.in_stacks(&[a]));
    scope.progress.discovered(arns.len());
    // The subscriptions of every topic in one paged listing for the region. When it fails, each
    // topic's subscriptions are unknown, and each topic counts the failed call.
    let mut reader = Reader::new("sns", Some(region), None, &scope.gaps);
    let by_topic = if arns.is_empty() {
        Read::Got(HashMap::new())
    } else {
        let got = pages!(
            reader,
            "ListSubscriptions",
            client.list_subscriptions(),
            |p: &aws_sdk_sns::operation::list_subscriptions::ListSubscriptionsOutput| p.subscriptions().to_vec()
        );
        match got {
            Read::Got(list) => Read::Got(map_subscriptions_by_topic(list)),
            Read::Failed(why) => Read::Failed(why),
        }
    };
    let by_topic_unread = reader.unread;
    let (by_topic, by_topic_unread) = (&by_topic, &by_topic_unread);
    let topics: Vec<Option<Topic>> = futures_util::stream::iter(arns)
        .map(|arn| async move {
            let mut reader = Reader::new("sns", Some(region), Some(&arn), &scope.gaps);
            let attributes =
                match reader.get("GetTopicAttributes", client.get_topic_attributes().topic_arn(&arn).send().await) {
                    Read::Got(out) => Read::Got(out.attributes().cloned().unwrap_or_default()),
                    Read::Failed(why) => Read::Failed(why),
                };
            let listed = match by_topic {
                Read::Got(map) => Read::Got(map.get(&arn).cloned().unwrap_or_default()),
                Read::Failed(why) => {
                    reader.unread.extend(by_topic_unread.iter().cloned());
                    Read::Failed(why.clone())
                }
            };
            let subscriptions = match listed {
                Read::Got(list) => {
                    let mut out = Vec::new();
                    for s in list {
                        let confirmed = s.subscription_arn().filter(|a| a.starts_with("arn:")).map(str::to_string);
                        let attrs = match confirmed {
                            Some(sarn) => {
                                let got = client.get_subscription_attributes().subscription_arn(&sarn).send().await;
                                Some(match reader.get("GetSubscriptionAttributes", got) {
                                    Read::Got(o) => Read::Got(o.attributes().cloned().unwrap_or_default()),
                                    Read::Failed(why) => Read::Failed(why),
                                })
                            }
                            None => None,
                        };
                        out.push((s, attrs));
                    }
                    Read::Got(out)
                }
                Read::Failed(why) => Read::Failed(why),
            };
            let keep = if filter.tags.is_empty() {
                true
            } else {
                match reader.get("ListTagsForResource", client.list_tags_for_resource().resource_arn(&arn).send().await)
                {
                    Read::Got(out) => filter.has_tags(Some(
                        &out.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect(),
                    )),
                    Read::Failed(_) => true,
                }
            };
            let stack = stacks.stack_of(&[&arn]);
            let topic = map_topic(&arn, &scope.account, region, stack, &attributes, &subscriptions, reader.unread);
            scope.progress.fetched();
            keep.then_some(topic)
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    topics.into_iter().flatten().collect()
}

/// The subscriptions of a region by topic ARN.
pub fn map_subscriptions_by_topic(
    list: Vec<aws_sdk_sns::types::Subscription>,
) -> HashMap<String, Vec<aws_sdk_sns::types::Subscription>> {
    let mut out: HashMap<String, Vec<aws_sdk_sns::types::Subscription>> = HashMap::new();
    for s in list {
        let Some(topic) = s.topic_arn() else { continue };
        out.entry(topic.to_string()).or_default().push(s);
    }
    out
}

/// A topic from its attributes and its subscriptions.
pub fn map_topic(
    arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    attributes: &Read<HashMap<String, String>>,
    subscriptions: &Read<SubscriptionReads>,
    unread: Vec<String>,
) -> Topic {
    let resource = live_ref(arn, "AWS::SNS::Topic", account, Some(region), stack, unread);
    let policies = match attributes {
        Read::Got(a) => match a.get("Policy") {
            Some(text) => live(vec![TopicPolicy {
                resource: sensei_model::ResourceRef {
                    resource_type: ResourceType::new("AWS::SNS::TopicPolicy"),
                    ..resource.clone()
                },
                policy_document: live_policy(text),
            }]),
            None => live(Vec::new()),
        },
        Read::Failed(why) => Setting::Unknown(why.clone()),
    };
    let subscriptions = match subscriptions {
        Read::Got(list) => list
            .iter()
            .map(|(s, attrs)| {
                let id = s
                    .subscription_arn()
                    .filter(|a| a.starts_with("arn:"))
                    .map_or_else(|| format!("{arn}#pending/{}", s.endpoint().unwrap_or_default()), str::to_string);
                Subscription {
                    resource: sensei_model::ResourceRef {
                        id,
                        resource_type: ResourceType::new("AWS::SNS::Subscription"),
                        ..resource.clone()
                    },
                    location: None,
                    origin: SubscriptionOrigin::Resource,
                    protocol: live(s.protocol().unwrap_or_default().to_string()),
                    endpoint: live(s.endpoint().map(str::to_string)),
                    dead_letter_target_arn: match attrs {
                        Some(a) => a.setting(|a| {
                            a.get("RedrivePolicy")
                                .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
                                .and_then(|p| p.get("deadLetterTargetArn").and_then(|v| v.as_str()).map(str::to_string))
                        }),
                        None => Setting::Unknown("the subscription is pending confirmation".to_string()),
                    },
                }
            })
            .collect(),
        // The subscriptions could not be listed: one subscription whose every part is unknown
        // stands for them, so that no rule decides without them.
        Read::Failed(why) => vec![Subscription {
            resource: sensei_model::ResourceRef {
                id: format!("{arn}#subscriptions"),
                resource_type: ResourceType::new("AWS::SNS::Subscription"),
                ..resource.clone()
            },
            location: None,
            origin: SubscriptionOrigin::Resource,
            protocol: Setting::Unknown(why.clone()),
            endpoint: Setting::Unknown(why.clone()),
            dead_letter_target_arn: Setting::Unknown(why.clone()),
        }],
    };
    Topic {
        topic_name: live(arn.rsplit(':').next().map(str::to_string)),
        arn: arn.to_string(),
        kms_master_key_id: attributes.setting(|a| a.get("KmsMasterKeyId").cloned().filter(|k| !k.is_empty())),
        subscriptions,
        policies,
        resource,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sensei_model::Provenance;

    const ARN: &str = "arn:aws:sns:us-east-1:1:events";

    #[test]
    fn maps_a_topic_and_its_subscriptions() {
        let attrs = Read::Got(HashMap::from([("KmsMasterKeyId".to_string(), "alias/aws/sns".to_string())]));
        let sub = aws_sdk_sns::types::Subscription::builder()
            .subscription_arn(format!("{ARN}:abc"))
            .protocol("sqs")
            .endpoint("arn:aws:sqs:us-east-1:1:q")
            .build();
        let sub_attrs = Read::Got(HashMap::from([(
            "RedrivePolicy".to_string(),
            r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq"}"#.to_string(),
        )]));
        let t = map_topic(ARN, "1", "us-east-1", None, &attrs, &Read::Got(vec![(sub, Some(sub_attrs))]), vec![]);
        assert_eq!(t.kms_master_key_id, Setting::Known(Some("alias/aws/sns".into()), Provenance::Live));
        assert_eq!(t.topic_name, Setting::Known(Some("events".into()), Provenance::Live));
        assert_eq!(t.subscriptions.len(), 1);
        assert_eq!(
            t.subscriptions[0].dead_letter_target_arn,
            Setting::Known(Some("arn:aws:sqs:us-east-1:1:dlq".into()), Provenance::Live)
        );
        assert_eq!(t.policies.known().map(Vec::len), Some(0));
    }

    #[test]
    fn unencrypted_and_unreadable() {
        let t = map_topic(ARN, "1", "us-east-1", None, &Read::Got(HashMap::new()), &Read::Got(vec![]), vec![]);
        assert_eq!(t.kms_master_key_id, Setting::Known(None, Provenance::Live));
        let t = map_topic(
            ARN,
            "1",
            "us-east-1",
            None,
            &Read::Failed("sns:GetTopicAttributes failed: AuthorizationError".into()),
            &Read::Got(vec![]),
            vec![],
        );
        assert!(matches!(t.kms_master_key_id, Setting::Unknown(_)));
        assert!(matches!(t.policies, Setting::Unknown(_)));
        let why = "sns:ListSubscriptions failed: AuthorizationError";
        let t = map_topic(ARN, "1", "us-east-1", None, &Read::Got(HashMap::new()), &Read::Failed(why.into()), vec![]);
        assert_eq!(t.subscriptions.len(), 1, "unlisted subscriptions are unknown, not absent");
        assert!(matches!(t.subscriptions[0].dead_letter_target_arn, Setting::Unknown(_)));
    }

    #[test]
    fn subscriptions_are_grouped_by_topic() {
        let sub = |topic: Option<&str>, endpoint: &str| {
            let mut b = aws_sdk_sns::types::Subscription::builder().protocol("sqs").endpoint(endpoint);
            if let Some(t) = topic {
                b = b.topic_arn(t);
            }
            b.build()
        };
        let other = "arn:aws:sns:us-east-1:1:other";
        let by_topic = map_subscriptions_by_topic(vec![
            sub(Some(ARN), "a"),
            sub(Some(other), "b"),
            sub(Some(ARN), "c"),
            sub(None, "d"),
        ]);
        let endpoints = |t: &str| by_topic[t].iter().filter_map(|s| s.endpoint()).collect::<Vec<_>>();
        assert_eq!(endpoints(ARN), ["a", "c"]);
        assert_eq!(endpoints(other), ["b"]);
        assert_eq!(by_topic.len(), 2);
    }
}
