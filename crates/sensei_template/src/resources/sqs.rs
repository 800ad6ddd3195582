//! `AWS::SQS::Queue`.

use sensei_model::Setting;
use sensei_model::sqs::Queue;

use crate::props::{Props, as_bool};
use crate::value::Val;

use super::{Ctx, field, text_of};

pub fn queue(cx: &Ctx<'_, '_>) -> Queue {
    let props = cx.props();
    Queue {
        resource: cx.resource_ref("AWS::SQS::Queue"),
        fifo_queue: props.bool_or("FifoQueue", false),
        kms_master_key_id: props.text("KmsMasterKeyId"),
        sqs_managed_sse_enabled: optional_bool(&props, "SqsManagedSseEnabled"),
        dead_letter_target_arn: dead_letter_target_arn(&props),
        visibility_timeout: props.number_or("VisibilityTimeout", 30),
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
fn dead_letter_target_arn(props: &Props<'_, '_>) -> Setting<Option<String>> {
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

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    match ty {
        "AWS::SQS::Queue" => inventory.queues.push(queue(cx)),
        _ => {}
    }
}
