//! Amazon SES: identities and configuration sets.

use crate::{ResourceRef, Setting};

/// `AWS::SES::EmailIdentity`.
#[derive(Debug, Clone)]
pub struct EmailIdentity {
    pub resource: ResourceRef,
    /// `EmailIdentity`: a domain or an email address.
    pub email_identity: Setting<String>,
    /// A domain or a single email address. A template tells them apart by the `@`.
    pub identity_type: Setting<IdentityType>,
    /// `ConfigurationSetAttributes.ConfigurationSetName`: the default configuration set.
    pub configuration_set_name: Setting<Option<String>>,
    /// `MailFromAttributes.MailFromDomain`: the custom MAIL FROM domain.
    pub mail_from_domain: Setting<Option<String>>,
    /// `DkimAttributes.SigningEnabled`; AWS default true.
    pub dkim_signing_enabled: Setting<bool>,
    /// Whether the account has SES production access (`GetAccount`). An account setting: only the
    /// live account knows it.
    pub production_access_enabled: Setting<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityType {
    Domain,
    EmailAddress,
}

impl EmailIdentity {
    /// The domain of the identity: the identity itself, or the part after `@` of an address.
    pub fn domain(&self) -> Option<&str> {
        let identity = self.email_identity.known()?;
        Some(identity.rsplit_once('@').map_or(identity.as_str(), |(_, domain)| domain))
    }
}

/// `AWS::SES::ConfigurationSet`.
#[derive(Debug, Clone)]
pub struct ConfigurationSet {
    pub resource: ResourceRef,
    /// `Name`, or a symbolic `${LogicalId}` for the name CloudFormation generates.
    pub name: Setting<String>,
    /// `ReputationOptions.ReputationMetricsEnabled`; AWS default false.
    pub reputation_metrics_enabled: Setting<bool>,
    /// `SuppressionOptions.SuppressedReasons`; `None` when `SuppressionOptions` is absent: the
    /// account-level suppression list applies.
    pub suppressed_reasons: Setting<Option<Vec<SuppressionReason>>>,
    /// `SendingOptions.SendingEnabled`; AWS default true.
    pub sending_enabled: Setting<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuppressionReason {
    Bounce,
    Complaint,
    Other(String),
}

impl SuppressionReason {
    pub fn parse(s: &str) -> Self {
        match s {
            "BOUNCE" => SuppressionReason::Bounce,
            "COMPLAINT" => SuppressionReason::Complaint,
            other => SuppressionReason::Other(other.to_string()),
        }
    }
}
