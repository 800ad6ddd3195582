//! Amazon Cognito: user pools and identity pools.

use crate::{Location, ResourceRef, Setting};

/// `AWS::Cognito::UserPool`.
#[derive(Debug, Clone)]
pub struct UserPool {
    pub resource: ResourceRef,
    /// `Policies.PasswordPolicy`, with Cognito's defaults for what is absent.
    pub password_policy: Setting<PasswordPolicy>,
    /// `UsernameConfiguration.CaseSensitive`; true (case sensitive) when absent, as in Cognito.
    pub username_case_sensitive: Setting<bool>,
    /// `UserPoolAddOns.AdvancedSecurityMode` (threat protection); `OFF` when absent.
    pub advanced_security_mode: Setting<AdvancedSecurityMode>,
    /// `MfaConfiguration`; `OFF` when absent.
    pub mfa_configuration: Setting<MfaConfiguration>,
}

/// `Policies.PasswordPolicy`. Without it Cognito applies 8 characters with all four character
/// classes and 7-day temporary passwords; once it is given, an absent `Require*` is false.
#[derive(Debug, Clone)]
pub struct PasswordPolicy {
    pub location: Option<Location>,
    pub minimum_length: Setting<u32>,
    pub require_lowercase: Setting<bool>,
    pub require_uppercase: Setting<bool>,
    pub require_numbers: Setting<bool>,
    pub require_symbols: Setting<bool>,
    pub temporary_password_validity_days: Setting<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvancedSecurityMode {
    Off,
    Audit,
    Enforced,
    Other(String),
}

impl AdvancedSecurityMode {
    pub fn parse(s: &str) -> Self {
        match s {
            "OFF" => AdvancedSecurityMode::Off,
            "AUDIT" => AdvancedSecurityMode::Audit,
            "ENFORCED" => AdvancedSecurityMode::Enforced,
            other => AdvancedSecurityMode::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            AdvancedSecurityMode::Off => "OFF",
            AdvancedSecurityMode::Audit => "AUDIT",
            AdvancedSecurityMode::Enforced => "ENFORCED",
            AdvancedSecurityMode::Other(s) => s,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaConfiguration {
    Off,
    On,
    Optional,
    Other(String),
}

impl MfaConfiguration {
    pub fn parse(s: &str) -> Self {
        match s {
            "OFF" => MfaConfiguration::Off,
            "ON" => MfaConfiguration::On,
            "OPTIONAL" => MfaConfiguration::Optional,
            other => MfaConfiguration::Other(other.to_string()),
        }
    }
}

/// `AWS::Cognito::IdentityPool`.
#[derive(Debug, Clone)]
pub struct IdentityPool {
    pub resource: ResourceRef,
    /// `AllowUnauthenticatedIdentities` (guest access).
    pub allow_unauthenticated_identities: Setting<bool>,
}
