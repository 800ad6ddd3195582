//! AWS KMS: `AWS::KMS::Key`.

use sensei_model::kms::{Key, KeyOrigin, KeySpec, KeyUsage};
use sensei_model::{Inventory, Setting};

use crate::props::{Props, policy_of};
use crate::template::Template;
use crate::value::Val;

use super::{Ctx, reference_text};

pub fn key(cx: &Ctx<'_, '_>) -> Key {
    let props = cx.props();
    Key {
        resource: cx.resource_ref("AWS::KMS::Key"),
        arn: reference_text(cx.template, cx.key.pos, cx.id(), Some("Arn"))
            .unwrap_or_else(|| format!("${{{}.Arn}}", cx.id())),
        key_spec: closed(&props, "KeySpec", KeySpec::SymmetricDefault, KeySpec::parse),
        key_usage: closed(&props, "KeyUsage", KeyUsage::EncryptDecrypt, KeyUsage::parse),
        origin: closed(&props, "Origin", KeyOrigin::AwsKms, KeyOrigin::parse),
        enable_key_rotation: props.bool_or("EnableKeyRotation", false),
        key_policy: match props.raw("KeyPolicy") {
            None => Setting::absent(),
            Some((node, prov)) => match cx.template.resolve(node) {
                Val::NoValue => Setting::absent(),
                _ => policy_of(cx.template, node, prov).map(Some),
            },
        },
        key_state: Setting::Unknown("the key's state is known only for a deployed key".to_string()),
    }
}

/// A property with a closed set of values and an AWS default.
fn closed<T>(props: &Props<'_, '_>, name: &str, default: T, parse: fn(&str) -> T) -> Setting<T> {
    match props.literal(name) {
        Setting::Known(Some(s), prov) => Setting::Known(parse(&s), prov),
        Setting::Known(None, _) => Setting::default_value(default),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut Inventory) {
    if ty == "AWS::KMS::Key" {
        inventory.kms_keys.push(key(cx));
    }
}

/// Links made once every resource is mapped: none.
pub fn finish(_template: &Template<'_>, _inventory: &mut Inventory) {}
