//! `AWS::SNS::Topic`, with its subscriptions (`AWS::SNS::Subscription`, the topic's own
//! `Subscription` list, SAM `SNS` events) and its topic policies (`AWS::SNS::TopicPolicy`,
//! `AWS::SNS::TopicInlinePolicy`).

use sensei_model::sns::{Subscription, SubscriptionOrigin, Topic, TopicPolicy};
use sensei_model::{Provenance, Setting};

use crate::node::Node;
use crate::props::{Props, as_bool};
use crate::template::Template;

use super::sqs::dead_letter_target_arn;
use super::{Ctx, created_of, reference_text};

pub fn topic(cx: &Ctx<'_, '_>) -> Topic {
    let props = cx.props();
    let topic_name = props.text("TopicName");
    let arn = reference_text(cx.template, cx.key.pos, cx.id(), None).unwrap_or_else(|| format!("${{{}}}", cx.id()));
    let name = match &topic_name {
        Setting::Known(Some(n), _) if !n.contains("${") => Some(n.clone()),
        _ => None,
    };
    let names = TopicNames { id: cx.id().to_string(), arn: arn.clone(), name };
    let mut subscriptions = own_subscriptions(cx, &props);
    subscriptions.extend(subscription_resources(cx.template, &names));
    subscriptions.extend(sam_subscriptions(cx.template, &names));
    Topic {
        resource: cx.resource_ref("AWS::SNS::Topic"),
        kms_master_key_id: props.text("KmsMasterKeyId"),
        policies: policies_of(cx.template, &names),
        subscriptions,
        topic_name,
        arn,
    }
}

/// The texts that name one topic of the template.
struct TopicNames {
    id: String,
    /// What `Ref` gives: the topic's ARN.
    arn: String,
    /// The declared `TopicName`, when it is a literal.
    name: Option<String>,
}

impl TopicNames {
    /// Whether `text` (a `TopicArn`, an entry of `Topics`) names this topic.
    fn named_by(&self, text: &str) -> bool {
        if text == self.arn || text == format!("${{{}.TopicArn}}", self.id) {
            return true;
        }
        let text = sensei_model::symbolic_for_policy(text);
        let parts: Vec<&str> = text.split(':').collect();
        matches!((parts.as_slice(), &self.name), (["arn", _, "sns", _, _, last], Some(name)) if last == name)
    }
}

/// The entries of the topic's `Subscription` list: they cannot take a redrive policy.
fn own_subscriptions(cx: &Ctx<'_, '_>, props: &Props<'_, '_>) -> Vec<Subscription> {
    let Some((node, _)) = props.raw("Subscription") else { return Vec::new() };
    let entries: Vec<&Node> = match node.as_seq() {
        Some(items) => items.iter().collect(),
        None => vec![node],
    };
    entries
        .into_iter()
        .map(|entry| {
            let each = Props { template: cx.template, node: Some(entry), globals: None };
            Subscription {
                resource: cx.resource_ref("AWS::SNS::Topic"),
                location: Some(cx.template.location(entry.pos)),
                origin: SubscriptionOrigin::TopicProperty,
                protocol: required_text(&each, "Protocol"),
                endpoint: each.text("Endpoint"),
                dead_letter_target_arn: Setting::absent(),
            }
        })
        .collect()
}

fn required_text(props: &Props<'_, '_>, name: &str) -> Setting<String> {
    match props.literal(name) {
        Setting::Known(Some(s), prov) => Setting::Known(s, prov),
        Setting::Known(None, _) => Setting::Unknown(format!("the subscription has no `{name}`")),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

/// The `AWS::SNS::Subscription` resources whose `TopicArn` names this topic.
fn subscription_resources(template: &Template<'_>, names: &TopicNames) -> Vec<Subscription> {
    let mut out = Vec::new();
    for (key, body) in created_of(template, &["AWS::SNS::Subscription"]) {
        if body.get("Type").and_then(Node::as_str) != Some("AWS::SNS::Subscription") {
            continue;
        }
        let cx = Ctx { template, key, body };
        let props = cx.props();
        if !matches!(props.text("TopicArn"), Setting::Known(Some(arn), _) if names.named_by(&arn)) {
            continue;
        }
        out.push(Subscription {
            resource: cx.resource_ref("AWS::SNS::Subscription"),
            location: None,
            origin: SubscriptionOrigin::Resource,
            protocol: required_text(&props, "Protocol"),
            endpoint: props.text("Endpoint"),
            dead_letter_target_arn: dead_letter_target_arn(&props),
        });
    }
    out
}

/// The subscriptions that the `SNS` events of SAM functions generate for this topic.
fn sam_subscriptions(template: &Template<'_>, names: &TopicNames) -> Vec<Subscription> {
    let mut out = Vec::new();
    for (key, body) in created_of(template, &["AWS::Serverless::Function"]) {
        if body.get("Type").and_then(Node::as_str) != Some("AWS::Serverless::Function") {
            continue;
        }
        let cx = Ctx { template, key, body };
        let events = body.get("Properties").and_then(|p| p.get("Events")).and_then(Node::as_map).unwrap_or_default();
        for (event_key, event) in events {
            if event.get("Type").and_then(Node::as_str) != Some("SNS") {
                continue;
            }
            let props = Props { template, node: event.get("Properties"), globals: None };
            if !matches!(props.text("Topic"), Setting::Known(Some(arn), _) if names.named_by(&arn)) {
                continue;
            }
            // With `SqsSubscription`, SAM subscribes a queue that it creates, and the function reads it.
            let via_queue = props.value("SqsSubscription").is_some_and(|(v, _)| as_bool(&v).unwrap_or(true));
            let (protocol, endpoint) = if via_queue {
                // SAM's queue is not declared, so its ARN is written as a token of its own.
                ("sqs", Some(format!("${{{}{}Queue.Arn}}", key.name, event_key.name)))
            } else {
                ("lambda", reference_text(template, key.pos, &key.name, Some("Arn")))
            };
            out.push(Subscription {
                resource: cx.generated_ref(format!("{}{}", key.name, event_key.name), "AWS::SNS::Subscription"),
                location: Some(template.location(event_key.pos)),
                origin: SubscriptionOrigin::SamEvent,
                protocol: Setting::default_value(protocol.to_string()),
                endpoint: Setting::default_value(endpoint),
                dead_letter_target_arn: dead_letter_target_arn(&props),
            });
        }
    }
    out
}

/// The topic policies of the template that name this topic.
fn policies_of(template: &Template<'_>, names: &TopicNames) -> Setting<Vec<TopicPolicy>> {
    let mut out = Vec::new();
    let mut unresolved = None;
    for (key, body) in created_of(template, &["AWS::SNS::TopicPolicy", "AWS::SNS::TopicInlinePolicy"]) {
        let (ty, list) = match body.get("Type").and_then(Node::as_str) {
            Some("AWS::SNS::TopicPolicy") => ("AWS::SNS::TopicPolicy", "Topics"),
            Some("AWS::SNS::TopicInlinePolicy") => ("AWS::SNS::TopicInlinePolicy", "TopicArn"),
            _ => continue,
        };
        let cx = Ctx { template, key, body };
        let props = cx.props();
        match props.texts(list) {
            Setting::Known(topics, _) => {
                if topics.iter().any(|t| names.named_by(t)) {
                    out.push(TopicPolicy {
                        resource: cx.resource_ref(ty),
                        policy_document: props.policy("PolicyDocument"),
                    });
                }
            }
            Setting::Unknown(why) => {
                unresolved = Some(format!(
                    "the `{list}` of topic policy `{}` cannot be resolved, so it may apply here: {why}",
                    key.name
                ));
            }
        }
    }
    match unresolved {
        Some(why) if out.is_empty() => Setting::Unknown(why),
        _ => Setting::Known(out, Provenance::Default),
    }
}

/// Adds the model resources of one template resource of this service. Subscriptions and topic
/// policies are read with the topics they belong to.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    if ty == "AWS::SNS::Topic" {
        inventory.topics.push(topic(cx));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use sensei_model::sns::SubscriptionOrigin;

    use crate::{Options, read};

    #[test]
    fn subscriptions_and_policies_attach_to_their_topic() {
        let read = read(
            "t.yaml",
            "Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: orders
      Subscription: [{Protocol: email, Endpoint: ops@example.com}]
  Audit:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Orders
      Protocol: sqs
      Endpoint: !GetAtt AuditQueue.Arn
      RedrivePolicy: {deadLetterTargetArn: !GetAtt AuditDlq.Arn}
  ByName:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Sub 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:orders', Protocol: https, Endpoint: 'https://example.com'}
  Elsewhere:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !ImportValue other-topic, Protocol: lambda, Endpoint: x}
  AuditQueue: {Type: AWS::SQS::Queue}
  AuditDlq: {Type: AWS::SQS::Queue}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src
      Events:
        OnOrder:
          Type: SNS
          Properties:
            Topic: !Ref Orders
            RedrivePolicy: {deadLetterTargetArn: !GetAtt AuditDlq.Arn}
  Policy:
    Type: AWS::SNS::TopicPolicy
    Properties:
      Topics: [!Ref Orders]
      PolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: 'sns:Publish', Resource: '*'}]}
",
            &Options::default(),
        )
        .unwrap();
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        let topic = &read.inventory.topics[0];
        let subs: Vec<(&str, SubscriptionOrigin, Option<&str>)> = topic
            .subscriptions
            .iter()
            .map(|s| (s.resource.id.as_str(), s.origin, s.dead_letter_target_arn.known().unwrap().as_deref()))
            .collect();
        assert_eq!(
            subs,
            vec![
                ("Orders", SubscriptionOrigin::TopicProperty, None),
                ("Audit", SubscriptionOrigin::Resource, Some("${AuditDlq.Arn}")),
                ("ByName", SubscriptionOrigin::Resource, None),
                ("WorkerOnOrder", SubscriptionOrigin::SamEvent, Some("${AuditDlq.Arn}")),
            ]
        );
        assert_eq!(topic.subscriptions[3].resource.generated_from.as_deref(), Some("Worker"));
        assert_eq!(topic.policies.known().unwrap().len(), 1);
        assert_eq!(topic.arn, "${Orders}");
    }
}
