//! AWS KMS: customer managed keys, with their rotation, key policy and state. Keys that AWS
//! manages (`KeyManager` AWS) are left out: their rotation and policy are not the account's.

use aws_sdk_kms::Client;
use aws_sdk_kms::types::{KeyManagerType, KeyMetadata, KeyState as SdkKeyState};
use futures_util::StreamExt as _;
use sensei_model::kms::{Key, KeyOrigin, KeySpec, KeyState, KeyUsage};
use sensei_model::{Policy, Setting};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::s3::live_policy;
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

/// What was read about one key.
#[derive(Debug)]
pub struct KeyReads {
    pub metadata: Read<KeyMetadata>,
    /// `None`: not asked (the key cannot rotate automatically, or its state forbids the call).
    pub rotation: Option<Read<bool>>,
    pub policy: Read<Option<String>>,
}

pub async fn fetch_keys(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> Vec<Key> {
    let mut reader = Reader::new("kms", Some(region), None, &scope.gaps);
    let listed: Read<Vec<(String, String)>> =
        pages!(reader, "ListKeys", client.list_keys(), |p: &aws_sdk_kms::operation::list_keys::ListKeysOutput| p
            .keys()
            .iter()
            .filter_map(|k| Some((k.key_id()?.to_string(), k.key_arn()?.to_string())))
            .collect::<Vec<_>>());
    let mut keys = listed.or_empty();
    keys.retain(|(id, arn)| filter.in_stacks(&[id, arn]));
    scope.progress.discovered(keys.len());
    let out: Vec<Option<Key>> = futures_util::stream::iter(keys)
        .map(|(id, arn)| async move {
            let mut reader = Reader::new("kms", Some(region), Some(&arn), &scope.gaps);
            let metadata = match reader.get("DescribeKey", client.describe_key().key_id(&id).send().await) {
                Read::Got(out) => match out.key_metadata() {
                    Some(m) => Read::Got(m.clone()),
                    None => Read::Failed(reader.record(
                        "DescribeKey",
                        "InvalidResponse".to_string(),
                        "the answer has no KeyMetadata".to_string(),
                    )),
                },
                Read::Failed(why) => Read::Failed(why),
            };
            if metadata.got().is_some_and(|m| m.key_manager() == Some(&KeyManagerType::Aws)) {
                scope.progress.fetched();
                return None;
            }
            let rotation = match metadata.got() {
                Some(m) if rotation_readable(m) => Some(
                    match reader.get("GetKeyRotationStatus", client.get_key_rotation_status().key_id(&id).send().await)
                    {
                        Read::Got(out) => Read::Got(out.key_rotation_enabled()),
                        Read::Failed(why) => Read::Failed(why),
                    },
                ),
                _ => None,
            };
            let got = client.get_key_policy().key_id(&id).policy_name("default").send().await;
            let policy = match reader.get("GetKeyPolicy", got) {
                Read::Got(out) => Read::Got(out.policy().map(str::to_string)),
                Read::Failed(why) => Read::Failed(why),
            };
            let keep = if filter.tags.is_empty() {
                true
            } else {
                let tags: Read<Vec<(String, String)>> = token_pages!(
                    reader,
                    "ListResourceTags",
                    |marker| client.list_resource_tags().key_id(&id).set_marker(marker.clone()),
                    |p: &aws_sdk_kms::operation::list_resource_tags::ListResourceTagsOutput| p
                        .tags()
                        .iter()
                        .map(|t| (t.tag_key().to_string(), t.tag_value().to_string()))
                        .collect::<Vec<_>>(),
                    |p: &aws_sdk_kms::operation::list_resource_tags::ListResourceTagsOutput| p
                        .next_marker()
                        .filter(|_| p.truncated())
                        .map(str::to_string)
                );
                match tags {
                    Read::Got(tags) => filter.has_tags(Some(&tags.into_iter().collect())),
                    Read::Failed(_) => true,
                }
            };
            let stack = stacks.stack_of(&[&id, &arn]);
            scope.progress.fetched();
            keep.then(|| {
                map_key(&arn, &scope.account, region, stack, &KeyReads { metadata, rotation, policy }, reader.unread)
            })
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    out.into_iter().flatten().collect()
}

/// Whether `GetKeyRotationStatus` applies: a symmetric key with KMS key material, in a state
/// that allows the call.
pub fn rotation_readable(m: &KeyMetadata) -> bool {
    let spec = m.key_spec().map_or("SYMMETRIC_DEFAULT", |s| s.as_str());
    let origin = m.origin().map_or("AWS_KMS", |o| o.as_str());
    let state_ok = matches!(m.key_state(), Some(SdkKeyState::Enabled | SdkKeyState::Disabled) | None);
    spec == "SYMMETRIC_DEFAULT" && origin == "AWS_KMS" && state_ok
}

pub fn map_key(
    listed_arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    reads: &KeyReads,
    unread: Vec<String>,
) -> Key {
    let m = &reads.metadata;
    let arn = m.got().and_then(|m| m.arn()).unwrap_or(listed_arn).to_string();
    let enable_key_rotation = match (&reads.rotation, m) {
        (Some(Read::Got(on)), _) => live(*on),
        (Some(Read::Failed(why)), _) | (None, Read::Failed(why)) => Setting::Unknown(why.clone()),
        (None, Read::Got(meta)) => Setting::Unknown(format!(
            "the rotation of a key that is {} with key spec {} and origin {} is not read",
            meta.key_state().map_or("in an unknown state", |s| s.as_str()),
            meta.key_spec().map_or("?", |s| s.as_str()),
            meta.origin().map_or("?", |o| o.as_str()),
        )),
    };
    Key {
        resource: live_ref(&arn, "AWS::KMS::Key", account, Some(region), stack, unread),
        key_spec: m.setting(|m| KeySpec::parse(m.key_spec().map_or("SYMMETRIC_DEFAULT", |s| s.as_str()))),
        key_usage: m.setting(|m| KeyUsage::parse(m.key_usage().map_or("ENCRYPT_DECRYPT", |u| u.as_str()))),
        origin: m.setting(|m| KeyOrigin::parse(m.origin().map_or("AWS_KMS", |o| o.as_str()))),
        enable_key_rotation,
        key_policy: match &reads.policy {
            Read::Got(Some(text)) => match live_policy(text) {
                Setting::Known(p, prov) => Setting::Known(Some(p), prov),
                Setting::Unknown(why) => Setting::<Option<Policy>>::Unknown(why),
            },
            Read::Got(None) => Setting::Unknown("GetKeyPolicy gave no policy".to_string()),
            Read::Failed(why) => Setting::Unknown(why.clone()),
        },
        key_state: match m {
            Read::Got(meta) => match meta.key_state() {
                Some(s) => live(map_state(s)),
                None => Setting::Unknown("DescribeKey gave no KeyState".to_string()),
            },
            Read::Failed(why) => Setting::Unknown(why.clone()),
        },
        arn,
    }
}

pub fn map_state(s: &SdkKeyState) -> KeyState {
    match s {
        SdkKeyState::Enabled => KeyState::Enabled,
        SdkKeyState::Disabled => KeyState::Disabled,
        SdkKeyState::PendingDeletion => KeyState::PendingDeletion,
        SdkKeyState::PendingReplicaDeletion => KeyState::PendingReplicaDeletion,
        SdkKeyState::PendingImport => KeyState::PendingImport,
        SdkKeyState::Unavailable => KeyState::Unavailable,
        SdkKeyState::Creating => KeyState::Creating,
        SdkKeyState::Updating => KeyState::Updating,
        other => KeyState::Other(other.as_str().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_kms::types::{KeySpec as SdkSpec, OriginType};
    use sensei_model::Provenance;

    fn meta(state: SdkKeyState, spec: SdkSpec) -> KeyMetadata {
        KeyMetadata::builder()
            .key_id("k")
            .arn("arn:aws:kms:eu-west-1:1:key/k")
            .key_state(state)
            .key_spec(spec)
            .origin(OriginType::AwsKms)
            .key_manager(KeyManagerType::Customer)
            .build()
            .unwrap()
    }

    #[test]
    fn maps_a_customer_key() {
        let m = meta(SdkKeyState::Enabled, SdkSpec::SymmetricDefault);
        assert!(rotation_readable(&m));
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"kms:*","Resource":"*"}]}"#;
        let reads = KeyReads {
            metadata: Read::Got(m),
            rotation: Some(Read::Got(false)),
            policy: Read::Got(Some(policy.into())),
        };
        let k = map_key("x", "1", "eu-west-1", None, &reads, vec![]);
        assert_eq!(k.arn, "arn:aws:kms:eu-west-1:1:key/k");
        assert_eq!(k.key_spec, Setting::Known(KeySpec::SymmetricDefault, Provenance::Live));
        assert_eq!(k.origin, Setting::Known(KeyOrigin::AwsKms, Provenance::Live));
        assert_eq!(k.enable_key_rotation, Setting::Known(false, Provenance::Live));
        assert_eq!(k.key_state, Setting::Known(KeyState::Enabled, Provenance::Live));
        assert!(matches!(k.key_policy, Setting::Known(Some(_), Provenance::Live)));
    }

    #[test]
    fn pending_deletion_and_failures() {
        let m = meta(SdkKeyState::PendingDeletion, SdkSpec::SymmetricDefault);
        assert!(!rotation_readable(&m));
        assert!(!rotation_readable(&meta(SdkKeyState::Enabled, SdkSpec::Rsa2048)));
        let reads = KeyReads {
            metadata: Read::Got(m),
            rotation: None,
            policy: Read::Failed("kms:GetKeyPolicy failed: AccessDenied".into()),
        };
        let k = map_key("x", "1", "eu-west-1", None, &reads, vec![]);
        assert_eq!(k.key_state, Setting::Known(KeyState::PendingDeletion, Provenance::Live));
        assert!(matches!(k.enable_key_rotation, Setting::Unknown(_)));
        assert!(matches!(k.key_policy, Setting::Unknown(_)));
        let reads = KeyReads { metadata: Read::Failed("x".into()), rotation: None, policy: Read::Got(None) };
        let k = map_key("arn:x", "1", "eu-west-1", None, &reads, vec![]);
        assert_eq!(k.arn, "arn:x");
        assert!(matches!(k.key_spec, Setting::Unknown(_)));
        assert!(matches!(k.key_state, Setting::Unknown(_)));
    }
}
