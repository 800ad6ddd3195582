//! Amazon CloudFront (global, read once per run): distributions and response headers policies.
//!
//! `ListResponseHeadersPolicies` lists custom and managed policies with their whole configuration,
//! so no `GetResponseHeadersPolicy` is needed. Kept: the custom ones, and the managed ones a
//! behavior uses.

use aws_sdk_cloudfront::Client;
use aws_sdk_cloudfront::types::{
    DistributionConfig, Origin as SdkOrigin, ResponseHeadersPolicySummary, ResponseHeadersPolicyType,
};
use futures_util::StreamExt as _;
use sensei_model::Setting;
use sensei_model::cloudfront::{
    CacheBehavior, Distribution, Origin, OriginBucket, OriginGroup, OriginProtocolPolicy, OriginType,
    ResponseHeadersPolicy, SecurityHeadersConfig, SslSupportMethod, ViewerCertificate, ViewerProtocolPolicy,
};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

/// One distribution as read: (id, ARN, its configuration, what of it was not read).
type DistributionRead = (String, String, Read<DistributionConfig>, Vec<String>);

pub async fn fetch_distributions(
    client: &Client,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> (Vec<Distribution>, Vec<ResponseHeadersPolicy>) {
    let mut reader = Reader::new("cloudfront", None, None, &scope.gaps);
    let listed: Read<Vec<(String, String)>> = pages!(
        reader,
        "ListDistributions",
        client.list_distributions(),
        |p: &aws_sdk_cloudfront::operation::list_distributions::ListDistributionsOutput| p
            .distribution_list()
            .map(|l| l.items().iter().map(|d| (d.id().to_string(), d.arn().to_string())).collect::<Vec<_>>())
            .unwrap_or_default()
    );
    let mut listed = listed.or_empty();
    listed.retain(|(id, arn)| filter.in_stacks(&[id, arn]));
    scope.progress.discovered(listed.len());
    let read: Vec<Option<DistributionRead>> = futures_util::stream::iter(listed)
        .map(|(id, arn)| async move {
            let resource = arn.clone();
            let mut reader = Reader::new("cloudfront", None, Some(&resource), &scope.gaps);
            let config =
                match reader.get("GetDistributionConfig", client.get_distribution_config().id(&id).send().await) {
                    Read::Got(out) => match out.distribution_config() {
                        Some(c) => Read::Got(c.clone()),
                        None => Read::Failed(reader.record(
                            "GetDistributionConfig",
                            "InvalidResponse".to_string(),
                            "the answer has no DistributionConfig".to_string(),
                        )),
                    },
                    Read::Failed(why) => Read::Failed(why),
                };
            let keep = if filter.tags.is_empty() {
                true
            } else {
                match reader.get("ListTagsForResource", client.list_tags_for_resource().resource(&arn).send().await) {
                    Read::Got(out) => filter.has_tags(Some(
                        &out.tags()
                            .map(|t| t.items())
                            .unwrap_or_default()
                            .iter()
                            .map(|t| (t.key().to_string(), t.value().unwrap_or_default().to_string()))
                            .collect(),
                    )),
                    Read::Failed(_) => true,
                }
            };
            scope.progress.fetched();
            keep.then_some((id, arn, config, reader.unread))
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    let read: Vec<_> = read.into_iter().flatten().collect();

    let mut reader = Reader::new("cloudfront", None, None, &scope.gaps);
    let policies: Read<Vec<ResponseHeadersPolicySummary>> = token_pages!(
        reader,
        "ListResponseHeadersPolicies",
        |marker| client.list_response_headers_policies().set_marker(marker.clone()),
        |p: &aws_sdk_cloudfront::operation::list_response_headers_policies::ListResponseHeadersPoliciesOutput| p
            .response_headers_policy_list()
            .map(|l| l.items().to_vec())
            .unwrap_or_default(),
        |p: &aws_sdk_cloudfront::operation::list_response_headers_policies::ListResponseHeadersPoliciesOutput| p
            .response_headers_policy_list()
            .and_then(|l| l.next_marker())
            .map(str::to_string)
    );
    let used: Vec<String> = read
        .iter()
        .filter_map(|(_, _, c, _)| c.got())
        .flat_map(behavior_policy_ids)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // A distribution that names a policy which could not be read was not read whole either.
    let policies_unread = if matches!(policies, Read::Failed(_)) { reader.unread.clone() } else { Vec::new() };
    let policies = map_policies(&policies, &used, &scope.account, reader.unread);
    let distributions = read
        .into_iter()
        .map(|(id, arn, config, mut unread)| {
            if config.got().is_some_and(|c| !behavior_policy_ids(c).is_empty()) {
                unread.extend(policies_unread.iter().cloned());
            }
            let stack = stacks.stack_of(&[&id, &arn]);
            map_distribution(&arn, &scope.account, stack, &config, &policies, unread)
        })
        .collect();
    (distributions, policies)
}

/// The response headers policy ids the behaviors of a distribution name.
pub fn behavior_policy_ids(config: &DistributionConfig) -> Vec<String> {
    let mut out: Vec<String> = config
        .default_cache_behavior()
        .and_then(|b| b.response_headers_policy_id())
        .map(str::to_string)
        .into_iter()
        .collect();
    for b in config.cache_behaviors().map(|c| c.items()).unwrap_or_default() {
        out.extend(b.response_headers_policy_id().map(str::to_string));
    }
    out.retain(|id| !id.is_empty());
    out
}

/// The custom policies and the policies in `used`. When they could not be listed, each used policy
/// is one whose headers are unknown.
pub fn map_policies(
    listed: &Read<Vec<ResponseHeadersPolicySummary>>,
    used: &[String],
    account: &str,
    unread: Vec<String>,
) -> Vec<ResponseHeadersPolicy> {
    let resource = |id: &str| {
        live_ref(
            &format!("arn:aws:cloudfront::{account}:response-headers-policy/{id}"),
            "AWS::CloudFront::ResponseHeadersPolicy",
            account,
            None,
            None,
            unread.clone(),
        )
    };
    match listed {
        Read::Got(list) => list
            .iter()
            .filter_map(|s| {
                let policy = s.response_headers_policy()?;
                let id = policy.id();
                let keep = s.r#type() == &ResponseHeadersPolicyType::Custom || used.iter().any(|u| u == id);
                keep.then(|| ResponseHeadersPolicy {
                    resource: resource(id),
                    security_headers_config: live(
                        policy.response_headers_policy_config().and_then(|c| c.security_headers_config()).map(|h| {
                            SecurityHeadersConfig {
                                location: None,
                                strict_transport_security_max_age: live(
                                    h.strict_transport_security()
                                        .and_then(|s| u32::try_from(s.access_control_max_age_sec()).ok()),
                                ),
                                content_type_options: live(h.content_type_options().is_some()),
                                frame_options: live(h.frame_options().map(|f| f.frame_option().as_str().to_string())),
                                referrer_policy: live(
                                    h.referrer_policy().map(|r| r.referrer_policy().as_str().to_string()),
                                ),
                            }
                        }),
                    ),
                })
            })
            .collect(),
        Read::Failed(why) => used
            .iter()
            .map(|id| ResponseHeadersPolicy {
                resource: resource(id),
                security_headers_config: Setting::Unknown(why.clone()),
            })
            .collect(),
    }
}

/// A distribution from its configuration; `policies` resolve the behaviors' response headers
/// policies.
pub fn map_distribution(
    arn: &str,
    account: &str,
    stack: Option<String>,
    config: &Read<DistributionConfig>,
    policies: &[ResponseHeadersPolicy],
    unread: Vec<String>,
) -> Distribution {
    let resource = live_ref(arn, "AWS::CloudFront::Distribution", account, None, stack, unread);
    let policy_index = |id: Option<&str>| {
        let id = id?;
        policies.iter().position(|p| p.resource.id.rsplit('/').next() == Some(id))
    };
    let behavior =
        |path: Option<&str>, target: &str, viewer: &str, compress: Option<bool>, headers: Option<&str>| CacheBehavior {
            path_pattern: path.map(str::to_string),
            location: None,
            target_origin_id: live(Some(target.to_string())),
            viewer_protocol_policy: live(ViewerProtocolPolicy::parse(viewer)),
            compress: live(compress.unwrap_or(false)),
            response_headers_policy_id: live(headers.filter(|h| !h.is_empty()).map(str::to_string)),
            response_headers_policy: policy_index(headers),
        };
    let default_cache_behavior = match config {
        Read::Got(c) => match c.default_cache_behavior() {
            Some(b) => live(behavior(
                None,
                b.target_origin_id(),
                b.viewer_protocol_policy().as_str(),
                b.compress(),
                b.response_headers_policy_id(),
            )),
            None => Setting::Unknown("the configuration has no default cache behavior".to_string()),
        },
        Read::Failed(why) => Setting::Unknown(why.clone()),
    };
    Distribution {
        aliases: config.setting(|c| c.aliases().map(|a| a.items().to_vec()).unwrap_or_default()),
        default_cache_behavior,
        cache_behaviors: config.setting(|c| {
            c.cache_behaviors()
                .map(|list| list.items())
                .unwrap_or_default()
                .iter()
                .map(|b| {
                    behavior(
                        Some(b.path_pattern()),
                        b.target_origin_id(),
                        b.viewer_protocol_policy().as_str(),
                        b.compress(),
                        b.response_headers_policy_id(),
                    )
                })
                .collect()
        }),
        origins: config
            .setting(|c| c.origins().map(|o| o.items()).unwrap_or_default().iter().map(map_origin).collect()),
        origin_groups: config.setting(|c| {
            c.origin_groups()
                .map(|g| g.items())
                .unwrap_or_default()
                .iter()
                .map(|g| OriginGroup {
                    id: live(Some(g.id().to_string())),
                    members: live(
                        g.members()
                            .map(|m| m.items().iter().map(|i| i.origin_id().to_string()).collect())
                            .unwrap_or_default(),
                    ),
                })
                .collect()
        }),
        viewer_certificate: config.setting(|c| match c.viewer_certificate() {
            Some(v) => ViewerCertificate {
                location: None,
                acm_certificate_arn: live(v.acm_certificate_arn().filter(|s| !s.is_empty()).map(str::to_string)),
                iam_certificate_id: live(v.iam_certificate_id().filter(|s| !s.is_empty()).map(str::to_string)),
                cloudfront_default_certificate: live(v.cloud_front_default_certificate().unwrap_or(false)),
                minimum_protocol_version: live(v.minimum_protocol_version().map(|m| m.as_str().to_string())),
                ssl_support_method: live(v.ssl_support_method().map(|m| SslSupportMethod::parse(m.as_str()))),
            },
            None => ViewerCertificate {
                location: None,
                acm_certificate_arn: live(None),
                iam_certificate_id: live(None),
                cloudfront_default_certificate: live(true),
                minimum_protocol_version: live(None),
                ssl_support_method: live(None),
            },
        }),
        logging_bucket: config
            .setting(|c| c.logging().filter(|l| l.enabled() && !l.bucket().is_empty()).map(|l| l.bucket().to_string())),
        // Standard logging v2 (CloudWatch Logs delivery sources) is not read: a distribution that
        // logs only that way fails CF-*-logging, it never passes for want of data.
        log_delivery_source: None,
        web_acl_id: config.setting(|c| c.web_acl_id().filter(|w| !w.is_empty()).map(str::to_string)),
        default_root_object: config.setting(|c| c.default_root_object().filter(|o| !o.is_empty()).map(str::to_string)),
        resource,
    }
}

pub fn map_origin(o: &SdkOrigin) -> Origin {
    let origin_type = if o.s3_origin_config().is_some() {
        live(OriginType::S3)
    } else if o.custom_origin_config().is_some() {
        live(OriginType::Custom)
    } else if o.vpc_origin_config().is_some() {
        live(OriginType::Vpc)
    } else {
        Setting::Unknown("the origin has no S3, custom or VPC origin configuration".to_string())
    };
    let custom = o.custom_origin_config();
    Origin {
        id: live(Some(o.id().to_string())),
        location: None,
        domain_name: live(Some(o.domain_name().to_string())),
        origin_type,
        origin_access_control_id: live(o.origin_access_control_id().filter(|s| !s.is_empty()).map(str::to_string)),
        origin_access_identity: live(
            o.s3_origin_config().map(|s| s.origin_access_identity()).filter(|s| !s.is_empty()).map(str::to_string),
        ),
        origin_protocol_policy: live(custom.map(|c| OriginProtocolPolicy::parse(c.origin_protocol_policy().as_str()))),
        origin_ssl_protocols: live(
            custom
                .and_then(|c| c.origin_ssl_protocols())
                .map(|p| p.items().iter().map(|s| s.as_str().to_string()).collect())
                .unwrap_or_default(),
        ),
        bucket: match bucket_of(o.domain_name()) {
            None => live(OriginBucket::NotABucket(o.domain_name().to_string())),
            // Whether the bucket exists (and in which account) needs a call the audit does not make.
            Some(name) => Setting::Unknown(format!("whether bucket `{name}` exists is not checked by the live audit")),
        },
    }
}

/// The bucket of an S3 REST endpoint: `name.s3.amazonaws.com`, `name.s3.<region>.amazonaws.com`,
/// `name.s3-<region>.amazonaws.com`.
pub fn bucket_of(domain: &str) -> Option<String> {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let (name, rest) = domain.split_once(".s3")?;
    let rest = rest.strip_suffix(".amazonaws.com").or_else(|| rest.strip_suffix(".amazonaws.com.cn"))?;
    (rest.is_empty() || rest.starts_with('.') || rest.starts_with('-')).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudfront::types::{
        CacheBehaviors, CustomOriginConfig, DefaultCacheBehavior, Origins, ResponseHeadersPolicy as SdkPolicy,
        ResponseHeadersPolicyConfig, ResponseHeadersPolicyContentTypeOptions,
        ResponseHeadersPolicySecurityHeadersConfig, ResponseHeadersPolicyStrictTransportSecurity, S3OriginConfig,
        ViewerProtocolPolicy as SdkViewer,
    };
    use sensei_model::Provenance;

    fn config() -> DistributionConfig {
        let s3 = SdkOrigin::builder()
            .id("site")
            .domain_name("assets.s3.eu-west-1.amazonaws.com")
            .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
            .origin_access_control_id("E123")
            .build()
            .unwrap();
        let api = SdkOrigin::builder()
            .id("api")
            .domain_name("api.example.com")
            .custom_origin_config(
                CustomOriginConfig::builder()
                    .http_port(80)
                    .https_port(443)
                    .origin_protocol_policy(aws_sdk_cloudfront::types::OriginProtocolPolicy::HttpOnly)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        DistributionConfig::builder()
            .caller_reference("x")
            .comment("")
            .enabled(true)
            .origins(Origins::builder().quantity(2).items(s3).items(api).build().unwrap())
            .default_cache_behavior(
                DefaultCacheBehavior::builder()
                    .target_origin_id("site")
                    .viewer_protocol_policy(SdkViewer::AllowAll)
                    .response_headers_policy_id("p1")
                    .build()
                    .unwrap(),
            )
            .cache_behaviors(CacheBehaviors::builder().quantity(0).build().unwrap())
            .build()
            .unwrap()
    }

    fn policy(id: &str, kind: ResponseHeadersPolicyType, hsts: Option<i32>) -> ResponseHeadersPolicySummary {
        let mut headers = ResponseHeadersPolicySecurityHeadersConfig::builder()
            .content_type_options(ResponseHeadersPolicyContentTypeOptions::builder().r#override(true).build().unwrap());
        if let Some(age) = hsts {
            headers = headers.strict_transport_security(
                ResponseHeadersPolicyStrictTransportSecurity::builder()
                    .r#override(true)
                    .access_control_max_age_sec(age)
                    .build()
                    .unwrap(),
            );
        }
        ResponseHeadersPolicySummary::builder()
            .r#type(kind)
            .response_headers_policy(
                SdkPolicy::builder()
                    .id(id)
                    .last_modified_time(aws_smithy_types::DateTime::from_secs(0))
                    .response_headers_policy_config(
                        ResponseHeadersPolicyConfig::builder()
                            .name(id)
                            .security_headers_config(headers.build())
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn maps_a_distribution_without_certificate_logging_or_waf() {
        let c = config();
        let listed = Read::Got(vec![
            policy("p1", ResponseHeadersPolicyType::Custom, Some(31_536_000)),
            policy("m1", ResponseHeadersPolicyType::Managed, None),
        ]);
        let policies = map_policies(&listed, &behavior_policy_ids(&c), "1", vec![]);
        assert_eq!(policies.len(), 1, "unused managed policies are left out");
        let d = map_distribution("arn:aws:cloudfront::1:distribution/D", "1", None, &Read::Got(c), &policies, vec![]);
        assert_eq!(d.resource.live.as_ref().unwrap().region, None);
        let b = d.default_cache_behavior.known().unwrap();
        assert_eq!(b.viewer_protocol_policy, Setting::Known(ViewerProtocolPolicy::AllowAll, Provenance::Live));
        assert_eq!(b.compress, Setting::Known(false, Provenance::Live));
        assert_eq!(b.response_headers_policy, Some(0));
        let headers = policies[0].security_headers_config.known().unwrap().as_ref().unwrap();
        assert_eq!(headers.strict_transport_security_max_age, Setting::Known(Some(31_536_000), Provenance::Live));
        let cert = d.viewer_certificate.known().unwrap();
        assert_eq!(cert.cloudfront_default_certificate, Setting::Known(true, Provenance::Live));
        assert_eq!(d.logging_bucket, Setting::Known(None, Provenance::Live));
        assert_eq!(d.web_acl_id, Setting::Known(None, Provenance::Live));
        assert_eq!(d.default_root_object, Setting::Known(None, Provenance::Live));
        let origins = d.known_origins().unwrap();
        assert_eq!(origins[0].origin_type, Setting::Known(OriginType::S3, Provenance::Live));
        assert_eq!(origins[0].origin_access_control_id, Setting::Known(Some("E123".into()), Provenance::Live));
        assert_eq!(origins[0].origin_access_identity, Setting::Known(None, Provenance::Live));
        assert!(matches!(origins[0].bucket, Setting::Unknown(_)));
        assert_eq!(
            origins[1].origin_protocol_policy,
            Setting::Known(Some(OriginProtocolPolicy::HttpOnly), Provenance::Live)
        );
        assert_eq!(
            origins[1].bucket,
            Setting::Known(OriginBucket::NotABucket("api.example.com".into()), Provenance::Live)
        );
    }

    #[test]
    fn unread_configurations_and_policies_are_unknown() {
        let d = map_distribution("arn", "1", None, &Read::Failed("x".into()), &[], vec![]);
        assert!(d.behaviors().is_err());
        assert!(matches!(d.web_acl_id, Setting::Unknown(_)));
        let p = map_policies(
            &Read::Failed("cloudfront:ListResponseHeadersPolicies failed: HttpStatus404".into()),
            &["p1".into()],
            "1",
            vec![],
        );
        assert_eq!(p.len(), 1);
        assert!(matches!(p[0].security_headers_config, Setting::Unknown(_)));
        assert_eq!(bucket_of("site.s3.amazonaws.com").as_deref(), Some("site"));
        assert_eq!(bucket_of("site.s3-eu-west-1.amazonaws.com").as_deref(), Some("site"));
        assert_eq!(bucket_of("example.com"), None);
    }
}
