//! AWS KMS: keys.

use crate::{Policy, ResourceRef, Setting};

/// `AWS::KMS::Key`.
#[derive(Debug, Clone)]
pub struct Key {
    pub resource: ResourceRef,
    /// The key's ARN as the source knows it (`${LogicalId.Arn}` in a template).
    pub arn: String,
    /// `KeySpec`; AWS default `SYMMETRIC_DEFAULT`.
    pub key_spec: Setting<KeySpec>,
    /// `KeyUsage`; AWS default `ENCRYPT_DECRYPT`.
    pub key_usage: Setting<KeyUsage>,
    /// `Origin`; AWS default `AWS_KMS`.
    pub origin: Setting<KeyOrigin>,
    /// `EnableKeyRotation`; AWS default false.
    pub enable_key_rotation: Setting<bool>,
    /// `KeyPolicy`; `None` when absent: KMS then gives the default key policy, which trusts the
    /// account and no one else.
    pub key_policy: Setting<Option<Policy>>,
    /// The key's state: known only for a deployed key.
    pub key_state: Setting<KeyState>,
}

/// `KeySpec`: what kind of key material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySpec {
    SymmetricDefault,
    /// `RSA_*`, `ECC_*`, `ML_DSA_*`, `SM2`: asymmetric.
    Asymmetric(String),
    /// `HMAC_*`.
    Hmac(String),
    Other(String),
}

impl KeySpec {
    pub fn parse(s: &str) -> Self {
        match s {
            "SYMMETRIC_DEFAULT" => KeySpec::SymmetricDefault,
            s if s.starts_with("HMAC_") => KeySpec::Hmac(s.to_string()),
            s if s.starts_with("RSA_") || s.starts_with("ECC_") || s.starts_with("ML_DSA_") || s == "SM2" => {
                KeySpec::Asymmetric(s.to_string())
            }
            other => KeySpec::Other(other.to_string()),
        }
    }
}

/// `KeyUsage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyUsage {
    EncryptDecrypt,
    SignVerify,
    GenerateVerifyMac,
    KeyAgreement,
    Other(String),
}

impl KeyUsage {
    pub fn parse(s: &str) -> Self {
        match s {
            "ENCRYPT_DECRYPT" => KeyUsage::EncryptDecrypt,
            "SIGN_VERIFY" => KeyUsage::SignVerify,
            "GENERATE_VERIFY_MAC" => KeyUsage::GenerateVerifyMac,
            "KEY_AGREEMENT" => KeyUsage::KeyAgreement,
            other => KeyUsage::Other(other.to_string()),
        }
    }
}

/// `Origin`: where the key material comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    AwsKms,
    /// Imported key material: KMS cannot rotate it automatically.
    External,
    /// `AWS_CLOUDHSM` or `EXTERNAL_KEY_STORE`: a custom key store, no automatic rotation.
    CustomKeyStore(String),
    Other(String),
}

impl KeyOrigin {
    pub fn parse(s: &str) -> Self {
        match s {
            "AWS_KMS" => KeyOrigin::AwsKms,
            "EXTERNAL" => KeyOrigin::External,
            "AWS_CLOUDHSM" | "EXTERNAL_KEY_STORE" => KeyOrigin::CustomKeyStore(s.to_string()),
            other => KeyOrigin::Other(other.to_string()),
        }
    }
}

/// `KeyState` of a deployed key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    Enabled,
    Disabled,
    PendingDeletion,
    PendingReplicaDeletion,
    PendingImport,
    Unavailable,
    Creating,
    Updating,
    Other(String),
}
