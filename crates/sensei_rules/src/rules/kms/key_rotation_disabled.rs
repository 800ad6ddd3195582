//! KMS-001: a symmetric customer managed key rotates its key material automatically.

use sensei_model::kms::{Key, KeyOrigin, KeySpec};
use sensei_model::{Inventory, Provenance, Setting, Syntax};

use crate::fix::Code;
use crate::rules::sqs::common;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KMS-001",
        slug: "key-rotation-disabled",
        title: "KMS key rotates its key material automatically",
        service: Service::Kms,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 3,
        aliases: &["KMS.4"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::KmsKeys],
        enabled_by_default: true,
        docs: include_str!("key_rotation_disabled.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for key in &inventory.kms_keys {
        match &key.key_spec {
            Setting::Unknown(why) => {
                out.unknown(&key.resource, None, common::unknown_property("KeySpec", why));
                continue;
            }
            Setting::Known(KeySpec::Asymmetric(spec), _) => {
                out.skip(&key.resource, format!("an asymmetric key ({spec}) cannot rotate automatically"));
                continue;
            }
            Setting::Known(KeySpec::Hmac(spec), _) => {
                out.skip(&key.resource, format!("an HMAC key ({spec}) cannot rotate automatically"));
                continue;
            }
            Setting::Known(KeySpec::Other(spec), _) => {
                out.unknown(
                    &key.resource,
                    key.key_spec.location(),
                    format!("`KeySpec` is `{spec}`, which KMS does not know"),
                );
                continue;
            }
            Setting::Known(KeySpec::SymmetricDefault, _) => {}
        }
        match &key.origin {
            Setting::Unknown(why) => {
                out.unknown(&key.resource, None, common::unknown_property("Origin", why));
                continue;
            }
            Setting::Known(KeyOrigin::External, _) => {
                out.skip(&key.resource, "imported key material (Origin EXTERNAL) cannot rotate automatically: rotate it by importing new material");
                continue;
            }
            Setting::Known(KeyOrigin::CustomKeyStore(store), _) => {
                out.skip(&key.resource, format!("a key in a custom key store ({store}) cannot rotate automatically"));
                continue;
            }
            Setting::Known(_, _) => {}
        }
        let setting = &key.enable_key_rotation;
        match setting {
            Setting::Unknown(why) => {
                out.unknown(&key.resource, None, common::unknown_property("EnableKeyRotation", why))
            }
            Setting::Known(true, _) => out.pass(&key.resource, "automatic rotation is on"),
            Setting::Known(false, prov) => {
                let message = if *prov == Provenance::Default {
                    "no `EnableKeyRotation`: automatic rotation is off by default, so the same key material encrypts data for as long as the key lives"
                } else {
                    "automatic rotation is off, so the same key material encrypts data for as long as the key lives"
                };
                out.fail(&key.resource, setting.location(), message, fix(key));
            }
        }
    }
}

fn fix(key: &Key) -> Fix {
    let syntax = key.resource.syntax;
    let code = Code::map(vec![("EnableKeyRotation", Code::bool(true))]);
    let summary = match syntax {
        Syntax::Live => format!("Turn on automatic rotation (aws kms enable-key-rotation --key-id {}).", key.arn),
        _ => format!(
            "In the `Properties` of `{}`, turn on automatic rotation (every 365 days unless `RotationPeriodInDays` says otherwise); data encrypted before stays readable.",
            key.resource.declared_id()
        ),
    };
    Fix { summary, snippet: Some(code.snippet(syntax)) }
}
