//! Amazon CloudFront: distributions and response headers policies.

use crate::{Location, ResourceRef, Setting};

/// `AWS::CloudFront::Distribution`.
#[derive(Debug, Clone)]
pub struct Distribution {
    pub resource: ResourceRef,
    /// `Aliases`: the custom domain names it answers on.
    pub aliases: Setting<Vec<String>>,
    pub default_cache_behavior: Setting<CacheBehavior>,
    /// `CacheBehaviors`, in order.
    pub cache_behaviors: Setting<Vec<CacheBehavior>>,
    pub origins: Setting<Vec<Origin>>,
    /// `OriginGroups.Items`: pairs of origins CloudFront fails over between.
    pub origin_groups: Setting<Vec<OriginGroup>>,
    /// `ViewerCertificate`; CloudFront's default `*.cloudfront.net` certificate when absent.
    pub viewer_certificate: Setting<ViewerCertificate>,
    /// `Logging.Bucket`: where standard (legacy) access logs go.
    pub logging_bucket: Setting<Option<String>>,
    /// A log delivery source (`AWS::Logs::DeliverySource`, standard logging v2) that names the
    /// distribution: its logical id or ARN.
    pub log_delivery_source: Option<String>,
    /// `WebACLId`: the AWS WAF web ACL (ARN for WAFv2, id for WAF Classic).
    pub web_acl_id: Setting<Option<String>>,
    /// `DefaultRootObject`; `None` when absent or empty.
    pub default_root_object: Setting<Option<String>>,
}

impl Distribution {
    /// The default behavior, then every other behavior, or why they are unknown.
    pub fn behaviors(&self) -> Result<Vec<&CacheBehavior>, String> {
        let default = match &self.default_cache_behavior {
            Setting::Known(b, _) => b,
            Setting::Unknown(why) => return Err(format!("`DefaultCacheBehavior` is unknown: {why}")),
        };
        let others = match &self.cache_behaviors {
            Setting::Known(list, _) => list,
            Setting::Unknown(why) => return Err(format!("`CacheBehaviors` is unknown: {why}")),
        };
        Ok(std::iter::once(default).chain(others.iter()).collect())
    }

    /// Its origins, or why they are unknown.
    pub fn known_origins(&self) -> Result<&[Origin], String> {
        match &self.origins {
            Setting::Known(list, _) => Ok(list),
            Setting::Unknown(why) => Err(format!("`Origins` is unknown: {why}")),
        }
    }
}

/// `DefaultCacheBehavior` or one of `CacheBehaviors`.
#[derive(Debug, Clone)]
pub struct CacheBehavior {
    /// `None` for the default behavior.
    pub path_pattern: Option<String>,
    pub location: Option<Location>,
    pub target_origin_id: Setting<Option<String>>,
    pub viewer_protocol_policy: Setting<ViewerProtocolPolicy>,
    /// `Compress`; false when absent.
    pub compress: Setting<bool>,
    pub response_headers_policy_id: Setting<Option<String>>,
    /// The policy `response_headers_policy_id` names, when it is in the same source: an index into
    /// [`crate::Inventory::response_headers_policies`].
    pub response_headers_policy: Option<usize>,
}

impl CacheBehavior {
    /// `default behavior` or `behavior /api/*`, as messages name it.
    pub fn label(&self) -> String {
        match &self.path_pattern {
            None => "the default behavior".to_string(),
            Some(p) => format!("behavior `{p}`"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewerProtocolPolicy {
    AllowAll,
    HttpsOnly,
    RedirectToHttps,
    Other(String),
}

impl ViewerProtocolPolicy {
    pub fn parse(s: &str) -> Self {
        match s {
            "allow-all" => ViewerProtocolPolicy::AllowAll,
            "https-only" => ViewerProtocolPolicy::HttpsOnly,
            "redirect-to-https" => ViewerProtocolPolicy::RedirectToHttps,
            other => ViewerProtocolPolicy::Other(other.to_string()),
        }
    }
}

/// What kind of origin: which of `S3OriginConfig`, `CustomOriginConfig`, `VpcOriginConfig` it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginType {
    /// An S3 bucket's REST endpoint (`S3OriginConfig`).
    S3,
    /// Any HTTP server, including an S3 website endpoint (`CustomOriginConfig`).
    Custom,
    /// A VPC origin (`VpcOriginConfig`).
    Vpc,
}

/// One of `Origins`.
#[derive(Debug, Clone)]
pub struct Origin {
    pub id: Setting<Option<String>>,
    pub location: Option<Location>,
    pub domain_name: Setting<Option<String>>,
    pub origin_type: Setting<OriginType>,
    /// `OriginAccessControlId` (S3 and, for signed requests, Lambda URLs and MediaStore).
    pub origin_access_control_id: Setting<Option<String>>,
    /// `S3OriginConfig.OriginAccessIdentity`, the legacy OAI; `None` when absent or empty.
    pub origin_access_identity: Setting<Option<String>>,
    /// `CustomOriginConfig.OriginProtocolPolicy` (required there).
    pub origin_protocol_policy: Setting<Option<OriginProtocolPolicy>>,
    /// `CustomOriginConfig.OriginSSLProtocols`; `TLSv1` and `SSLv3` when absent, as CloudFormation
    /// sets them.
    pub origin_ssl_protocols: Setting<Vec<String>>,
    /// For an S3 origin: the bucket its domain names.
    pub bucket: Setting<OriginBucket>,
}

impl Origin {
    /// `origin `web``, as messages name it.
    pub fn label(&self) -> String {
        match self.id.known().and_then(|id| id.as_deref()) {
            Some(id) => format!("origin `{id}`"),
            None => "an origin".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginProtocolPolicy {
    HttpOnly,
    HttpsOnly,
    MatchViewer,
    Other(String),
}

impl OriginProtocolPolicy {
    pub fn parse(s: &str) -> Self {
        match s {
            "http-only" => OriginProtocolPolicy::HttpOnly,
            "https-only" => OriginProtocolPolicy::HttpsOnly,
            "match-viewer" => OriginProtocolPolicy::MatchViewer,
            other => OriginProtocolPolicy::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            OriginProtocolPolicy::HttpOnly => "http-only",
            OriginProtocolPolicy::HttpsOnly => "https-only",
            OriginProtocolPolicy::MatchViewer => "match-viewer",
            OriginProtocolPolicy::Other(s) => s,
        }
    }
}

/// The bucket an S3 origin reads, as far as the source can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginBucket {
    /// A bucket of the same source: an index into [`crate::Inventory::buckets`].
    Declared(usize),
    /// A bucket the template declares but does not create: its `Condition` is false.
    NotCreated { logical_id: String, condition: String },
    /// A bucket named only by its name; whether it exists is known in the account only.
    Elsewhere(String),
    /// A bucket that does not exist (read from the account).
    Missing(String),
    /// The domain is not an S3 bucket endpoint.
    NotABucket(String),
}

/// One of `OriginGroups.Items`.
#[derive(Debug, Clone)]
pub struct OriginGroup {
    pub id: Setting<Option<String>>,
    /// The ids of its member origins.
    pub members: Setting<Vec<String>>,
}

/// `ViewerCertificate`.
#[derive(Debug, Clone)]
pub struct ViewerCertificate {
    pub location: Option<Location>,
    pub acm_certificate_arn: Setting<Option<String>>,
    pub iam_certificate_id: Setting<Option<String>>,
    pub cloudfront_default_certificate: Setting<bool>,
    /// `MinimumProtocolVersion`, e.g. `TLSv1.2_2021`; `None` when absent.
    pub minimum_protocol_version: Setting<Option<String>>,
    pub ssl_support_method: Setting<Option<SslSupportMethod>>,
}

/// Which certificate a distribution shows viewers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Certificate {
    /// CloudFront's `*.cloudfront.net` certificate.
    Default,
    Acm(String),
    Iam(String),
}

impl ViewerCertificate {
    /// The certificate in use: ACM or IAM when one is named, else the default one.
    pub fn certificate(&self) -> Setting<Certificate> {
        match (&self.acm_certificate_arn, &self.iam_certificate_id) {
            (Setting::Known(Some(arn), p), _) => Setting::Known(Certificate::Acm(arn.clone()), p.clone()),
            (_, Setting::Known(Some(id), p)) => Setting::Known(Certificate::Iam(id.clone()), p.clone()),
            (Setting::Unknown(why), _) | (_, Setting::Unknown(why)) => Setting::Unknown(why.clone()),
            _ => match &self.cloudfront_default_certificate {
                Setting::Known(_, p) => Setting::Known(Certificate::Default, p.clone()),
                Setting::Unknown(why) => Setting::Unknown(why.clone()),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SslSupportMethod {
    SniOnly,
    /// A dedicated IP address for legacy clients.
    Vip,
    StaticIp,
    Other(String),
}

impl SslSupportMethod {
    pub fn parse(s: &str) -> Self {
        match s {
            "sni-only" => SslSupportMethod::SniOnly,
            "vip" => SslSupportMethod::Vip,
            "static-ip" => SslSupportMethod::StaticIp,
            other => SslSupportMethod::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            SslSupportMethod::SniOnly => "sni-only",
            SslSupportMethod::Vip => "vip",
            SslSupportMethod::StaticIp => "static-ip",
            SslSupportMethod::Other(s) => s,
        }
    }
}

/// `AWS::CloudFront::ResponseHeadersPolicy`.
#[derive(Debug, Clone)]
pub struct ResponseHeadersPolicy {
    pub resource: ResourceRef,
    /// `ResponseHeadersPolicyConfig.SecurityHeadersConfig`; `None` when absent.
    pub security_headers_config: Setting<Option<SecurityHeadersConfig>>,
}

/// `SecurityHeadersConfig`: which security headers the policy adds.
#[derive(Debug, Clone)]
pub struct SecurityHeadersConfig {
    pub location: Option<Location>,
    /// `StrictTransportSecurity.AccessControlMaxAgeSec`; `None` when the header is not added.
    pub strict_transport_security_max_age: Setting<Option<u32>>,
    /// `ContentTypeOptions` is present (`X-Content-Type-Options: nosniff`).
    pub content_type_options: Setting<bool>,
    /// `FrameOptions.FrameOption`: `DENY` or `SAMEORIGIN`.
    pub frame_options: Setting<Option<String>>,
    /// `ReferrerPolicy.ReferrerPolicy`.
    pub referrer_policy: Setting<Option<String>>,
}
