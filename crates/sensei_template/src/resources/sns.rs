//! `AWS::SNS::Topic`.

use sensei_model::sns::Topic;

use super::Ctx;

pub fn topic(cx: &Ctx<'_, '_>) -> Topic {
    let props = cx.props();
    Topic { resource: cx.resource_ref("AWS::SNS::Topic"), kms_master_key_id: props.text("KmsMasterKeyId") }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    match ty {
        "AWS::SNS::Topic" => inventory.topics.push(topic(cx)),
        _ => {}
    }
}
