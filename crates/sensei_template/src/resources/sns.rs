//! `AWS::SNS::Topic`.

use sensei_model::sns::Topic;

use super::Ctx;

pub fn topic(cx: &Ctx<'_, '_>) -> Topic {
    let props = cx.props();
    Topic { resource: cx.resource_ref("AWS::SNS::Topic"), kms_master_key_id: props.text("KmsMasterKeyId") }
}
