//! Amazon CloudFront rules.

pub mod behavior_without_compression;
pub mod distribution_allows_plain_http;
pub mod distribution_certificate_without_sni;
pub mod distribution_uses_default_certificate;
pub mod distribution_uses_outdated_tls_policy;
pub mod distribution_without_default_root_object;
pub mod distribution_without_logging;
pub mod distribution_without_origin_failover;
pub mod distribution_without_security_headers;
pub mod distribution_without_waf;
pub mod origin_allows_plain_http;
pub mod origin_uses_deprecated_tls;
pub mod s3_origin_bucket_missing;
pub mod s3_origin_without_oac;

use sensei_model::cloudfront::{CacheBehavior, Distribution, Origin, OriginType};
use sensei_model::{Location, Syntax};

use crate::fix::Code;
use crate::rules::apigateway::lit;
use crate::{Fix, Snippet};

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &distribution_allows_plain_http::RULE,
    &distribution_uses_default_certificate::RULE,
    &distribution_without_security_headers::RULE,
    &distribution_without_default_root_object::RULE,
    &distribution_without_origin_failover::RULE,
    &distribution_without_logging::RULE,
    &distribution_without_waf::RULE,
    &distribution_certificate_without_sni::RULE,
    &origin_allows_plain_http::RULE,
    &origin_uses_deprecated_tls::RULE,
    &s3_origin_bucket_missing::RULE,
    &s3_origin_without_oac::RULE,
    &distribution_uses_outdated_tls_policy::RULE,
    &behavior_without_compression::RULE,
];

/// `DistributionConfig` with `settings` on each of `behaviors`: the default one, and the others
/// by their `PathPattern`.
pub(crate) fn behaviors_code(behaviors: &[&CacheBehavior], settings: impl Fn() -> Vec<(&'static str, Code)>) -> Code {
    let mut config = Vec::new();
    if behaviors.iter().any(|b| b.path_pattern.is_none()) {
        config.push(("DefaultCacheBehavior", Code::map(settings())));
    }
    let others: Vec<Code> = behaviors
        .iter()
        .filter_map(|b| b.path_pattern.as_deref())
        .map(|p| {
            let mut entries = vec![("PathPattern", lit(p))];
            entries.extend(settings());
            Code::map(entries)
        })
        .collect();
    if !others.is_empty() {
        config.push(("CacheBehaviors", Code::List(others)));
    }
    Code::map(vec![("DistributionConfig", Code::map(config))])
}

/// `DistributionConfig` with `settings` on each of `origins`, named by `Id`.
pub(crate) fn origins_code(origins: &[&Origin], settings: impl Fn(&Origin) -> Vec<(&'static str, Code)>) -> Code {
    let items = origins
        .iter()
        .map(|o| {
            let id = o.id.known().cloned().flatten().unwrap_or_else(|| "origin".to_string());
            let mut entries = vec![("Id", lit(&id))];
            entries.extend(settings(o));
            Code::map(entries)
        })
        .collect();
    Code::map(vec![("DistributionConfig", Code::map(vec![("Origins", Code::List(items))]))])
}

/// `DistributionConfig` with `settings` at its top level.
pub(crate) fn config_code(settings: Vec<(&'static str, Code)>) -> Code {
    Code::map(vec![("DistributionConfig", Code::map(settings))])
}

pub(crate) fn fix(summary: String, code: &Code, syntax: Syntax) -> Fix {
    let snippet: Snippet = code.snippet(syntax);
    Fix { summary, snippet: Some(snippet) }
}

/// The labels of behaviors or origins, joined.
pub(crate) fn labels<T>(items: &[&T], label: impl Fn(&T) -> String) -> String {
    items.iter().map(|i| label(i)).collect::<Vec<_>>().join(", ")
}

/// The first place among `locations`.
pub(crate) fn first_location<'a>(locations: impl IntoIterator<Item = Option<&'a Location>>) -> Option<&'a Location> {
    locations.into_iter().flatten().next()
}

/// The S3 origins (REST endpoints) of a distribution, or why its origins are unknown.
pub(crate) fn s3_origins(d: &Distribution) -> Result<Vec<&Origin>, String> {
    let origins = d.known_origins()?;
    let mut out = Vec::new();
    for o in origins {
        match &o.origin_type {
            sensei_model::Setting::Known(OriginType::S3, _) => out.push(o),
            sensei_model::Setting::Known(_, _) => {}
            sensei_model::Setting::Unknown(why) => return Err(format!("the type of {} is unknown: {why}", o.label())),
        }
    }
    Ok(out)
}

/// The custom origins of a distribution, or why its origins are unknown.
pub(crate) fn custom_origins(d: &Distribution) -> Result<Vec<&Origin>, String> {
    let origins = d.known_origins()?;
    let mut out = Vec::new();
    for o in origins {
        match &o.origin_type {
            sensei_model::Setting::Known(OriginType::Custom, _) => out.push(o),
            sensei_model::Setting::Known(_, _) => {}
            sensei_model::Setting::Unknown(why) => return Err(format!("the type of {} is unknown: {why}", o.label())),
        }
    }
    Ok(out)
}
