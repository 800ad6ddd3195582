//! `AWS::SQS::Queue`, with the `AWS::SQS::QueuePolicy` and `AWS::SQS::QueueInlinePolicy` resources
//! that apply to it.

use sensei_model::sqs::{Queue, QueuePolicy};
use sensei_model::{Provenance, Setting};

use crate::node::{Key, Node};
use crate::props::{Props, as_bool};
use crate::value::Val;

use super::{Ctx, created_of, field, reference_text, text_of};

pub fn queue(cx: &Ctx<'_, '_>) -> Queue {
    let props = cx.props();
    let queue_name = props.text("QueueName");
    Queue {
        resource: cx.resource_ref("AWS::SQS::Queue"),
        arn: reference_text(cx.template, cx.key.pos, cx.id(), Some("Arn"))
            .unwrap_or_else(|| format!("${{{}.Arn}}", cx.id())),
        fifo_queue: props.bool_or("FifoQueue", false),
        kms_master_key_id: props.text("KmsMasterKeyId"),
        sqs_managed_sse_enabled: optional_bool(&props, "SqsManagedSseEnabled"),
        dead_letter_target_arn: dead_letter_target_arn(&props),
        visibility_timeout: props.number_or("VisibilityTimeout", 30),
        receive_message_wait_time_seconds: props.number_or("ReceiveMessageWaitTimeSeconds", 0),
        policies: policies_of(cx, &queue_name),
        queue_name,
    }
}

fn optional_bool(props: &Props<'_, '_>, name: &str) -> Setting<Option<bool>> {
    match field(props, &[name]) {
        None => Setting::absent(),
        Some((v, prov)) => match as_bool(&v) {
            Ok(b) => Setting::Known(Some(b), prov),
            Err(why) => Setting::Unknown(format!("`{name}`: {why}")),
        },
    }
}

/// `RedrivePolicy.deadLetterTargetArn`; the policy is a mapping or a JSON string.
pub fn dead_letter_target_arn(props: &Props<'_, '_>) -> Setting<Option<String>> {
    let Some((policy, prov)) = field(props, &["RedrivePolicy"]) else { return Setting::absent() };
    let target = match &policy {
        Val::Map(_) => policy.get("deadLetterTargetArn").cloned(),
        Val::Str(json) | Val::Sym(json) => match serde_json::from_str::<serde_json::Value>(json) {
            Ok(j) => j.get("deadLetterTargetArn").and_then(|t| t.as_str()).map(|t| Val::Str(t.to_string())),
            Err(e) => return Setting::Unknown(format!("`RedrivePolicy` is a string that is not JSON: {e}")),
        },
        Val::Unknown(why) => return Setting::Unknown(why.clone()),
        _ => return Setting::Unknown("`RedrivePolicy` should be a mapping".to_string()),
    };
    match target {
        None => Setting::Unknown("`RedrivePolicy` has no `deadLetterTargetArn`".to_string()),
        Some(t) => text_of("deadLetterTargetArn", Some((t, prov))),
    }
}

/// Whether a queue URL (or ARN) written in a policy's `Queues` names the queue `id`.
fn names_queue(text: &str, id: &str, url: Option<&str>, name: Option<&str>) -> bool {
    if url == Some(text) || text == format!("${{{id}.QueueUrl}}") || text == format!("${{{id}.Arn}}") {
        return true;
    }
    // A URL or ARN written out, ending in the declared name.
    name.is_some_and(|n| {
        text.strip_suffix(n).is_some_and(|rest| rest.ends_with('/') || rest.ends_with(':'))
            && (text.contains("sqs") || text.contains("queue"))
    })
}

/// The queue policies of the template that name this queue.
fn policies_of(cx: &Ctx<'_, '_>, queue_name: &Setting<Option<String>>) -> Setting<Vec<QueuePolicy>> {
    let url = reference_text(cx.template, cx.key.pos, cx.id(), None);
    let name = match queue_name {
        Setting::Known(Some(n), _) if !n.contains("${") => Some(n.as_str()),
        _ => None,
    };
    let mut out = Vec::new();
    let mut unresolved = None;
    for (key, body) in created_of(cx.template, &["AWS::SQS::QueuePolicy", "AWS::SQS::QueueInlinePolicy"]) {
        let (ty, list) = match body.get("Type").and_then(Node::as_str) {
            Some("AWS::SQS::QueuePolicy") => ("AWS::SQS::QueuePolicy", "Queues"),
            Some("AWS::SQS::QueueInlinePolicy") => ("AWS::SQS::QueueInlinePolicy", "Queue"),
            _ => continue,
        };
        let policy_cx = Ctx { template: cx.template, key, body };
        let props = policy_cx.props();
        match props.texts(list) {
            Setting::Known(queues, _) => {
                if queues.iter().any(|q| names_queue(q, cx.id(), url.as_deref(), name)) {
                    out.push(queue_policy(&policy_cx, ty, &props));
                }
            }
            Setting::Unknown(why) => unresolved = Some(unresolved_why(key, list, &why)),
        }
    }
    match unresolved {
        Some(why) if out.is_empty() => Setting::Unknown(why),
        _ => Setting::Known(out, Provenance::Default),
    }
}

fn unresolved_why(key: &Key, list: &str, why: &str) -> String {
    format!("the `{list}` of queue policy `{}` cannot be resolved, so it may apply here: {why}", key.name)
}

fn queue_policy(cx: &Ctx<'_, '_>, ty: &str, props: &Props<'_, '_>) -> QueuePolicy {
    QueuePolicy { resource: cx.resource_ref(ty), policy_document: props.policy("PolicyDocument") }
}

/// Adds the model resources of one template resource of this service. Queue policies are read
/// with the queues they apply to.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    if ty == "AWS::SQS::Queue" {
        inventory.queues.push(queue(cx));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use sensei_model::Setting;

    use crate::{Options, read};

    #[test]
    fn queue_policies_attach_to_the_queues_they_name() {
        let read = read(
            "t.yaml",
            "Resources:
  Jobs: {Type: AWS::SQS::Queue}
  Named: {Type: AWS::SQS::Queue, Properties: {QueueName: named}}
  Other: {Type: AWS::SQS::Queue}
  Policy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Jobs, 'https://sqs.eu-west-1.amazonaws.com/123456789012/named']
      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 'sqs:SendMessage', Resource: '*'}]}
  Inline:
    Type: AWS::SQS::QueueInlinePolicy
    Properties:
      Queue: !GetAtt Other.QueueUrl
      PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: 'sqs:SendMessage', Resource: '*'}]}
",
            &Options::default(),
        )
        .unwrap();
        let queue = |id: &str| read.inventory.queues.iter().find(|q| q.resource.id == id).unwrap();
        let ids = |id: &str| -> Vec<String> {
            queue(id).policies.known().unwrap().iter().map(|p| p.resource.id.clone()).collect()
        };
        assert_eq!(ids("Jobs"), vec!["Policy"]);
        assert_eq!(ids("Named"), vec!["Policy"]);
        assert_eq!(ids("Other"), vec!["Inline"]);
        assert_eq!(queue("Jobs").arn, "${Jobs.Arn}");
        assert!(queue("Named").is_named_by("arn:aws:sqs:us-east-1:123456789012:named"));
        assert!(queue("Jobs").is_named_by("${Jobs.Arn}"));
        assert!(!queue("Jobs").is_named_by("${Other.Arn}"));
        assert_eq!(queue("Jobs").receive_message_wait_time_seconds, Setting::default_value(0));
    }
}
