//! Amazon SES rules.

pub mod configuration_set_without_reputation_metrics;
pub mod configuration_set_without_suppression_list;
pub mod identity_is_email_address;
pub mod identity_without_configuration_set;
pub mod identity_without_custom_mail_from;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &identity_without_configuration_set::RULE,
    &identity_is_email_address::RULE,
    &identity_without_custom_mail_from::RULE,
    &configuration_set_without_reputation_metrics::RULE,
    &configuration_set_without_suppression_list::RULE,
];
