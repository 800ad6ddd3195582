//! `AWS::CloudFront::Distribution` and `ResponseHeadersPolicy`; the buckets and log delivery
//! sources distributions name are linked once everything is mapped.
//!
//! Also [`Entry`]: a resolved mapping nested in a property (an origin, a cache behavior, a method
//! setting), read key by key with the place each value is written.

use sensei_model::cloudfront::{
    CacheBehavior, Distribution, Origin, OriginBucket, OriginGroup, OriginProtocolPolicy, OriginType,
    ResponseHeadersPolicy, SecurityHeadersConfig, SslSupportMethod, ViewerCertificate, ViewerProtocolPolicy,
};
use sensei_model::{Inventory, Location, Provenance, Setting};

use super::{Ctx, created};
use crate::node::Node;
use crate::props::{Props, as_bool, kind};
use crate::template::Template;
use crate::value::Val;

/// A resolved mapping inside a property, with the node it was written as (when it is written out
/// as a mapping, not made by an intrinsic function) for precise locations.
pub struct Entry<'t, 'n> {
    template: &'t Template<'n>,
    pub val: Val,
    node: Option<&'n Node>,
    pub at: Location,
}

/// A mapping written out, not an intrinsic function that makes one.
fn plain_map(node: &Node) -> Option<&Node> {
    let map = node.as_map()?;
    let intrinsic = matches!(map, [(k, _)] if k.name == "Ref" || k.name == "Condition" || k.name.starts_with("Fn::"));
    (!intrinsic).then_some(node)
}

impl<'t, 'n> Entry<'t, 'n> {
    /// The value of property `name` of `props` as an entry; `None` when absent.
    pub fn of_property(props: &Props<'t, 'n>, name: &str) -> Option<Setting<Entry<'t, 'n>>> {
        let (node, prov) = props.raw(name)?;
        let at = match &prov {
            Provenance::Declared(l) | Provenance::Globals(l) => l.clone(),
            _ => props.template.location(node.pos),
        };
        let val = props.template.resolve(node);
        Some(match val {
            Val::NoValue | Val::Null => return None,
            Val::Map(_) => Setting::Known(Entry { template: props.template, val, node: plain_map(node), at }, prov),
            Val::Unknown(why) => Setting::Unknown(why),
            other => Setting::Unknown(format!("`{name}` should be a mapping, found {}", kind(&other))),
        })
    }

    fn location_of(&self, key: &str) -> Location {
        match self.node.and_then(|n| n.get(key)) {
            Some(n) => self.template.location(n.pos),
            None => self.at.clone(),
        }
    }

    /// A key's value and where it is written; `None` when absent, null or `AWS::NoValue`.
    pub fn value(&self, key: &str) -> Option<(&Val, Provenance)> {
        match self.val.get(key) {
            None | Some(Val::NoValue | Val::Null) => None,
            Some(v) => Some((v, Provenance::Declared(self.location_of(key)))),
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.value(key).is_some()
    }

    /// A string; deploy-time text is kept as text.
    pub fn text(&self, key: &str) -> Setting<Option<String>> {
        match self.value(key) {
            None => Setting::absent(),
            Some((Val::Str(s) | Val::Sym(s) | Val::Num(s), prov)) => Setting::Known(Some(s.clone()), prov),
            Some((Val::Unknown(why), _)) => Setting::Unknown(why.clone()),
            Some((other, _)) => Setting::Unknown(format!("`{key}` should be a string, found {}", kind(other))),
        }
    }

    /// A string whose exact value matters: deploy-time text is unknown.
    pub fn literal(&self, key: &str) -> Setting<Option<String>> {
        match self.value(key) {
            Some((Val::Sym(s), _)) => Setting::Unknown(format!("`{key}` is `{s}`, known only at deploy time")),
            _ => self.text(key),
        }
    }

    pub fn bool_or(&self, key: &str, default: bool) -> Setting<bool> {
        match self.value(key) {
            None => Setting::default_value(default),
            Some((v, prov)) => match as_bool(v) {
                Ok(b) => Setting::Known(b, prov),
                Err(why) => Setting::Unknown(format!("`{key}`: {why}")),
            },
        }
    }

    pub fn number(&self, key: &str) -> Setting<Option<u32>> {
        match self.value(key) {
            None => Setting::absent(),
            Some((Val::Num(s) | Val::Str(s), prov)) => match s.trim().parse::<u32>() {
                Ok(n) => Setting::Known(Some(n), prov),
                Err(_) => Setting::Unknown(format!("`{key}` is `{s}`, not a whole number")),
            },
            Some((Val::Sym(s), _)) => Setting::Unknown(format!("`{key}` is `{s}`, known only at deploy time")),
            Some((Val::Unknown(why), _)) => Setting::Unknown(why.clone()),
            Some((other, _)) => Setting::Unknown(format!("`{key}` should be a number, found {}", kind(other))),
        }
    }

    /// A list of strings (a single string is a list of one); absent is empty.
    pub fn texts(&self, key: &str) -> Setting<Vec<String>> {
        match self.value(key) {
            None => Setting::default_value(Vec::new()),
            Some((Val::List(items), prov)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Val::Str(s) | Val::Sym(s) | Val::Num(s) => out.push(s.clone()),
                        Val::NoValue => {}
                        Val::Unknown(why) => return Setting::Unknown(why.clone()),
                        other => return Setting::Unknown(format!("`{key}` holds {}", kind(other))),
                    }
                }
                Setting::Known(out, prov)
            }
            Some((Val::Str(s) | Val::Sym(s), prov)) => Setting::Known(vec![s.clone()], prov),
            Some((Val::Unknown(why), _)) => Setting::Unknown(why.clone()),
            Some((other, _)) => Setting::Unknown(format!("`{key}` should be a list, found {}", kind(other))),
        }
    }

    /// A nested mapping; `None` when absent.
    pub fn nested(&self, key: &str) -> Setting<Option<Entry<'t, 'n>>> {
        match self.value(key) {
            None => Setting::absent(),
            Some((v @ Val::Map(_), prov)) => {
                let node = self.node.and_then(|n| n.get(key));
                let at = node.map_or_else(|| self.at.clone(), |n| self.template.location(n.pos));
                let entry = Entry { template: self.template, val: v.clone(), node: node.and_then(plain_map), at };
                Setting::Known(Some(entry), prov)
            }
            Some((Val::Unknown(why), _)) => Setting::Unknown(why.clone()),
            Some((other, _)) => Setting::Unknown(format!("`{key}` should be a mapping, found {}", kind(other))),
        }
    }

    /// A list of mappings; absent is empty. An element under `Fn::If` that is `AWS::NoValue` is
    /// left out.
    pub fn list(&self, key: &str) -> Setting<Vec<Entry<'t, 'n>>> {
        let (val, prov) = match self.value(key) {
            None => return Setting::default_value(Vec::new()),
            Some((Val::Unknown(why), _)) => return Setting::Unknown(why.clone()),
            Some((v @ Val::List(_), prov)) => (v.clone(), prov),
            Some((other, _)) => return Setting::Unknown(format!("`{key}` should be a list, found {}", kind(other))),
        };
        let node = self.node.and_then(|n| n.get(key));
        let at = node.map_or_else(|| self.at.clone(), |n| self.template.location(n.pos));
        entries(self.template, node, val, at).map_prov(prov)
    }
}

/// The mappings of a resolved list, each with its node when the list is written out.
pub fn entries<'t, 'n>(
    template: &'t Template<'n>,
    node: Option<&'n Node>,
    val: Val,
    at: Location,
) -> Setting<Vec<Entry<'t, 'n>>> {
    let mut out = Vec::new();
    if let Some(items) = node.and_then(Node::as_seq) {
        for item in items {
            match template.resolve(item) {
                Val::NoValue => {}
                v @ Val::Map(_) => {
                    out.push(Entry { template, val: v, node: plain_map(item), at: template.location(item.pos) })
                }
                Val::Unknown(why) => return Setting::Unknown(why),
                other => return Setting::Unknown(format!("a list item should be a mapping, found {}", kind(&other))),
            }
        }
        return Setting::Known(out, Provenance::Declared(at));
    }
    match val {
        Val::List(items) => {
            for v in items {
                match v {
                    Val::NoValue => {}
                    v @ Val::Map(_) => out.push(Entry { template, val: v, node: None, at: at.clone() }),
                    Val::Unknown(why) => return Setting::Unknown(why),
                    other => {
                        return Setting::Unknown(format!("a list item should be a mapping, found {}", kind(&other)));
                    }
                }
            }
            Setting::Known(out, Provenance::Declared(at))
        }
        Val::Unknown(why) => Setting::Unknown(why),
        other => Setting::Unknown(format!("expected a list, found {}", kind(&other))),
    }
}

trait MapProv {
    fn map_prov(self, prov: Provenance) -> Self;
}

impl<T> MapProv for Setting<T> {
    fn map_prov(self, prov: Provenance) -> Self {
        match self {
            Setting::Known(v, _) => Setting::Known(v, prov),
            unknown => unknown,
        }
    }
}

pub fn distribution(cx: &Ctx<'_, '_>) -> Distribution {
    let resource = cx.resource_ref("AWS::CloudFront::Distribution");
    let props = cx.props();
    let config = match Entry::of_property(&props, "DistributionConfig") {
        Some(Setting::Known(c, _)) => c,
        Some(Setting::Unknown(why)) => return unknown_distribution(resource, &why),
        None => return unknown_distribution(resource, "the distribution has no `DistributionConfig`"),
    };
    let default_cache_behavior = match config.nested("DefaultCacheBehavior") {
        Setting::Known(Some(b), _) => Setting::Known(behavior(&b, None), Provenance::Declared(b.at.clone())),
        Setting::Known(None, _) => Setting::Unknown("`DefaultCacheBehavior` is missing".to_string()),
        Setting::Unknown(why) => Setting::Unknown(why),
    };
    let cache_behaviors = config.list("CacheBehaviors").map(|list| {
        list.iter()
            .map(|b| {
                let pattern = b.text("PathPattern").known().cloned().flatten().unwrap_or_else(|| "?".to_string());
                behavior(b, Some(pattern))
            })
            .collect()
    });
    Distribution {
        resource,
        aliases: config.texts("Aliases"),
        default_cache_behavior,
        cache_behaviors,
        origins: origins(&config),
        origin_groups: origin_groups(&config),
        viewer_certificate: viewer_certificate(&config),
        logging_bucket: match config.nested("Logging") {
            Setting::Known(Some(l), _) => l.text("Bucket"),
            Setting::Known(None, _) => Setting::absent(),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
        log_delivery_source: None,
        web_acl_id: non_empty(config.text("WebACLId")),
        default_root_object: non_empty(config.text("DefaultRootObject")),
    }
}

fn unknown_distribution(resource: sensei_model::ResourceRef, why: &str) -> Distribution {
    Distribution {
        resource,
        aliases: Setting::Unknown(why.to_string()),
        default_cache_behavior: Setting::Unknown(why.to_string()),
        cache_behaviors: Setting::Unknown(why.to_string()),
        origins: Setting::Unknown(why.to_string()),
        origin_groups: Setting::Unknown(why.to_string()),
        viewer_certificate: Setting::Unknown(why.to_string()),
        logging_bucket: Setting::Unknown(why.to_string()),
        log_delivery_source: None,
        web_acl_id: Setting::Unknown(why.to_string()),
        default_root_object: Setting::Unknown(why.to_string()),
    }
}

/// An empty string is the same as absent.
fn non_empty(s: Setting<Option<String>>) -> Setting<Option<String>> {
    match s {
        Setting::Known(Some(v), _) if v.is_empty() => Setting::absent(),
        other => other,
    }
}

fn behavior(b: &Entry<'_, '_>, path_pattern: Option<String>) -> CacheBehavior {
    CacheBehavior {
        path_pattern,
        location: Some(b.at.clone()),
        target_origin_id: b.text("TargetOriginId"),
        viewer_protocol_policy: match b.literal("ViewerProtocolPolicy") {
            Setting::Known(Some(p), prov) => Setting::Known(ViewerProtocolPolicy::parse(&p), prov),
            Setting::Known(None, _) => Setting::Unknown("`ViewerProtocolPolicy` is missing".to_string()),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
        compress: b.bool_or("Compress", false),
        response_headers_policy_id: non_empty(b.text("ResponseHeadersPolicyId")),
        response_headers_policy: None,
    }
}

fn origins(config: &Entry<'_, '_>) -> Setting<Vec<Origin>> {
    let mut list = match config.list("Origins") {
        Setting::Known(list, prov) => (list.iter().map(origin).collect::<Vec<_>>(), prov),
        Setting::Unknown(why) => return Setting::Unknown(why),
    };
    // The deprecated `S3Origin` and `CustomOrigin` forms of a single origin.
    if let Setting::Known(Some(s3), _) = config.nested("S3Origin") {
        list.0.push(Origin {
            id: Setting::absent(),
            location: Some(s3.at.clone()),
            domain_name: s3.text("DNSName"),
            origin_type: Setting::Known(OriginType::S3, Provenance::Declared(s3.at.clone())),
            origin_access_control_id: Setting::absent(),
            origin_access_identity: non_empty(s3.text("OriginAccessIdentity")),
            origin_protocol_policy: Setting::absent(),
            origin_ssl_protocols: Setting::default_value(Vec::new()),
            bucket: Setting::Unknown("not linked yet".to_string()),
        });
    }
    if let Setting::Known(Some(custom), _) = config.nested("CustomOrigin") {
        list.0.push(Origin {
            id: Setting::absent(),
            location: Some(custom.at.clone()),
            domain_name: custom.text("DNSName"),
            origin_type: Setting::Known(OriginType::Custom, Provenance::Declared(custom.at.clone())),
            origin_access_control_id: Setting::absent(),
            origin_access_identity: Setting::absent(),
            origin_protocol_policy: protocol_policy(&custom),
            origin_ssl_protocols: custom.texts("OriginSSLProtocols"),
            bucket: Setting::Known(OriginBucket::NotABucket(String::new()), Provenance::Default),
        });
    }
    Setting::Known(list.0, list.1)
}

fn protocol_policy(custom: &Entry<'_, '_>) -> Setting<Option<OriginProtocolPolicy>> {
    match custom.literal("OriginProtocolPolicy") {
        Setting::Known(Some(p), prov) => Setting::Known(Some(OriginProtocolPolicy::parse(&p)), prov),
        Setting::Known(None, _) => Setting::Unknown("`OriginProtocolPolicy` is missing".to_string()),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

fn origin(o: &Entry<'_, '_>) -> Origin {
    let s3 = o.nested("S3OriginConfig");
    let custom = o.nested("CustomOriginConfig");
    let prov = Provenance::Declared(o.at.clone());
    let origin_type = match (&s3, &custom, o.has("VpcOriginConfig")) {
        (Setting::Unknown(why), _, _) | (_, Setting::Unknown(why), _) => Setting::Unknown(why.clone()),
        (Setting::Known(Some(_), _), _, _) => Setting::Known(OriginType::S3, prov),
        (_, Setting::Known(Some(_), _), _) => Setting::Known(OriginType::Custom, prov),
        (_, _, true) => Setting::Known(OriginType::Vpc, prov),
        _ => {
            Setting::Unknown("the origin has none of `S3OriginConfig`, `CustomOriginConfig`, `VpcOriginConfig`".into())
        }
    };
    let (origin_protocol_policy, origin_ssl_protocols) = match &custom {
        Setting::Known(Some(c), _) => {
            let protocols = match c.texts("OriginSSLProtocols") {
                // CloudFormation's default for an absent list.
                Setting::Known(list, Provenance::Default) if list.is_empty() => {
                    Setting::default_value(vec!["TLSv1".to_string(), "SSLv3".to_string()])
                }
                other => other,
            };
            (protocol_policy(c), protocols)
        }
        _ => (Setting::absent(), Setting::default_value(Vec::new())),
    };
    let origin_access_identity = match &s3 {
        Setting::Known(Some(c), _) => non_empty(c.text("OriginAccessIdentity")),
        _ => Setting::absent(),
    };
    Origin {
        id: o.text("Id"),
        location: Some(o.at.clone()),
        domain_name: o.text("DomainName"),
        origin_type,
        origin_access_control_id: non_empty(o.text("OriginAccessControlId")),
        origin_access_identity,
        origin_protocol_policy,
        origin_ssl_protocols,
        bucket: Setting::Unknown("not linked yet".to_string()),
    }
}

fn origin_groups(config: &Entry<'_, '_>) -> Setting<Vec<OriginGroup>> {
    let groups = match config.nested("OriginGroups") {
        Setting::Known(Some(g), _) => g,
        Setting::Known(None, _) => return Setting::default_value(Vec::new()),
        Setting::Unknown(why) => return Setting::Unknown(why),
    };
    groups.list("Items").map(|items| {
        items
            .iter()
            .map(|g| OriginGroup {
                id: g.text("Id"),
                members: match g.nested("Members") {
                    Setting::Known(Some(m), _) => match m.list("Items") {
                        Setting::Known(list, prov) => Setting::Known(
                            list.iter().filter_map(|i| i.text("OriginId").known().cloned().flatten()).collect(),
                            prov,
                        ),
                        Setting::Unknown(why) => Setting::Unknown(why),
                    },
                    Setting::Known(None, _) => Setting::default_value(Vec::new()),
                    Setting::Unknown(why) => Setting::Unknown(why),
                },
            })
            .collect()
    })
}

fn viewer_certificate(config: &Entry<'_, '_>) -> Setting<ViewerCertificate> {
    match config.nested("ViewerCertificate") {
        Setting::Known(Some(c), prov) => Setting::Known(
            ViewerCertificate {
                location: Some(c.at.clone()),
                acm_certificate_arn: non_empty(c.text("AcmCertificateArn")),
                iam_certificate_id: non_empty(c.text("IamCertificateId")),
                cloudfront_default_certificate: c.bool_or("CloudFrontDefaultCertificate", false),
                minimum_protocol_version: c.literal("MinimumProtocolVersion"),
                ssl_support_method: match c.literal("SslSupportMethod") {
                    Setting::Known(s, prov) => Setting::Known(s.map(|s| SslSupportMethod::parse(&s)), prov),
                    Setting::Unknown(why) => Setting::Unknown(why),
                },
            },
            prov,
        ),
        // CloudFormation's default: the `*.cloudfront.net` certificate.
        Setting::Known(None, _) => Setting::default_value(ViewerCertificate {
            location: None,
            acm_certificate_arn: Setting::absent(),
            iam_certificate_id: Setting::absent(),
            cloudfront_default_certificate: Setting::default_value(true),
            minimum_protocol_version: Setting::absent(),
            ssl_support_method: Setting::absent(),
        }),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

pub fn response_headers_policy(cx: &Ctx<'_, '_>) -> ResponseHeadersPolicy {
    let props = cx.props();
    let security_headers_config = match Entry::of_property(&props, "ResponseHeadersPolicyConfig") {
        None => Setting::Unknown("the policy has no `ResponseHeadersPolicyConfig`".to_string()),
        Some(Setting::Unknown(why)) => Setting::Unknown(why),
        Some(Setting::Known(config, _)) => match config.nested("SecurityHeadersConfig") {
            Setting::Known(Some(s), prov) => Setting::Known(Some(security_headers(&s)), prov),
            Setting::Known(None, prov) => Setting::Known(None, prov),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
    };
    ResponseHeadersPolicy {
        resource: cx.resource_ref("AWS::CloudFront::ResponseHeadersPolicy"),
        security_headers_config,
    }
}

fn security_headers(s: &Entry<'_, '_>) -> SecurityHeadersConfig {
    let inner = |key: &str, field: &str| match s.nested(key) {
        Setting::Known(Some(e), _) => e.literal(field),
        Setting::Known(None, _) => Setting::absent(),
        Setting::Unknown(why) => Setting::Unknown(why),
    };
    SecurityHeadersConfig {
        location: Some(s.at.clone()),
        strict_transport_security_max_age: match s.nested("StrictTransportSecurity") {
            Setting::Known(Some(e), _) => match e.number("AccessControlMaxAgeSec") {
                Setting::Known(None, _) => Setting::Unknown("`AccessControlMaxAgeSec` is missing".to_string()),
                other => other,
            },
            Setting::Known(None, _) => Setting::absent(),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
        content_type_options: match s.value("ContentTypeOptions") {
            Some((Val::Unknown(why), _)) => Setting::Unknown(why.clone()),
            Some((_, prov)) => Setting::Known(true, prov),
            None => Setting::default_value(false),
        },
        frame_options: inner("FrameOptions", "FrameOption"),
        referrer_policy: inner("ReferrerPolicy", "ReferrerPolicy"),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut Inventory) {
    match ty {
        "AWS::CloudFront::Distribution" => inventory.distributions.push(distribution(cx)),
        "AWS::CloudFront::ResponseHeadersPolicy" => {
            inventory.response_headers_policies.push(response_headers_policy(cx))
        }
        _ => {}
    }
}

/// Links made once every resource is mapped: each behavior to the response headers policy it
/// names, each S3 origin to its bucket, each distribution to a log delivery source naming it.
pub fn finish(template: &Template<'_>, inventory: &mut Inventory) {
    let policies: Vec<(usize, String)> =
        inventory.response_headers_policies.iter().enumerate().map(|(i, p)| (i, p.resource.id.clone())).collect();
    let buckets: Vec<(usize, String, Option<String>)> = inventory
        .buckets
        .iter()
        .enumerate()
        .map(|(i, b)| (i, b.resource.id.clone(), b.bucket_name.known().cloned()))
        .collect();
    let delivery_sources = delivery_sources(template);
    for d in &mut inventory.distributions {
        let id = d.resource.id.clone();
        if let Setting::Known(b, _) = &mut d.default_cache_behavior {
            link_policy(b, &policies);
        }
        if let Setting::Known(list, _) = &mut d.cache_behaviors {
            for b in list {
                link_policy(b, &policies);
            }
        }
        if let Setting::Known(origins, _) = &mut d.origins {
            for o in origins.iter_mut() {
                if o.origin_type.known() == Some(&OriginType::S3) {
                    o.bucket = origin_bucket(template, &o.domain_name, &buckets);
                }
            }
        }
        d.log_delivery_source =
            delivery_sources.iter().find(|(_, arn)| names_distribution(arn, &id)).map(|(s, _)| s.clone());
    }
}

/// A behavior's policy id as the template writes a reference: `${Policy}` or `${Policy.Id}`.
fn link_policy(b: &mut CacheBehavior, policies: &[(usize, String)]) {
    let Some(Some(text)) = b.response_headers_policy_id.known() else { return };
    let Some(inner) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) else { return };
    let id = inner.strip_suffix(".Id").unwrap_or(inner);
    b.response_headers_policy = policies.iter().find(|(_, p)| p == id).map(|(i, _)| *i);
}

/// `AWS::Logs::DeliverySource` resources: (logical id, resolved `ResourceArn`).
fn delivery_sources(template: &Template<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, body) in created(template) {
        if body.get("Type").and_then(Node::as_str) != Some("AWS::Logs::DeliverySource") {
            continue;
        }
        let props = Props::new(template, body);
        if let Setting::Known(Some(arn), _) = props.text("ResourceArn") {
            out.push((key.name.clone(), arn));
        }
    }
    out
}

/// `arn:…:cloudfront::…:distribution/${Dist}` names `Dist`.
fn names_distribution(arn: &str, id: &str) -> bool {
    arn.ends_with(&format!(":distribution/${{{id}}}")) || arn.ends_with(&format!(":distribution/${{{id}.Id}}"))
}

/// The bucket an S3 origin's domain names.
fn origin_bucket(
    template: &Template<'_>,
    domain: &Setting<Option<String>>,
    buckets: &[(usize, String, Option<String>)],
) -> Setting<OriginBucket> {
    let domain = match domain {
        Setting::Known(Some(d), _) => d,
        Setting::Known(None, _) => return Setting::Unknown("the origin has no `DomainName`".to_string()),
        Setting::Unknown(why) => return Setting::Unknown(why.clone()),
    };
    let prov = Provenance::Default;
    // `!GetAtt Bucket.RegionalDomainName` and friends.
    if let Some(inner) = domain.strip_prefix("${").and_then(|t| t.strip_suffix('}'))
        && let Some((id, attr)) = inner.split_once('.')
        && matches!(attr, "DomainName" | "RegionalDomainName" | "DualStackDomainName")
    {
        return Setting::Known(bucket_by_id(template, id, buckets), prov);
    }
    let Some(name) = bucket_of_domain(domain) else {
        return Setting::Known(OriginBucket::NotABucket(domain.clone()), prov);
    };
    // `!Sub '${Bucket}.s3.amazonaws.com'` names a bucket by its generated name.
    if let Some(id) = name.strip_prefix("${").and_then(|t| t.strip_suffix('}'))
        && template.resource_type(id) == Some("AWS::S3::Bucket")
    {
        return Setting::Known(bucket_by_id(template, id, buckets), prov);
    }
    if let Some((i, _, _)) = buckets.iter().find(|(_, _, n)| n.as_deref() == Some(name.as_str())) {
        return Setting::Known(OriginBucket::Declared(*i), prov);
    }
    // A bucket of the template that is not created.
    for (key, body) in template.resources() {
        if body.get("Type").and_then(Node::as_str) != Some("AWS::S3::Bucket") {
            continue;
        }
        let props = Props::new(template, body);
        if props.text("BucketName").known().cloned().flatten().as_deref() == Some(name.as_str()) {
            return Setting::Known(bucket_by_id(template, &key.name, buckets), prov);
        }
    }
    if name.contains("${") {
        return Setting::Unknown(format!("the bucket name `{name}` is known only at deploy time"));
    }
    Setting::Known(OriginBucket::Elsewhere(name), prov)
}

fn bucket_by_id(template: &Template<'_>, id: &str, buckets: &[(usize, String, Option<String>)]) -> OriginBucket {
    if let Some((i, _, _)) = buckets.iter().find(|(_, b, _)| b == id) {
        return OriginBucket::Declared(*i);
    }
    let condition = template
        .resource(id)
        .and_then(|body| body.get("Condition"))
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_string();
    OriginBucket::NotCreated { logical_id: id.to_string(), condition }
}

/// The bucket of an S3 REST endpoint: `b.s3.amazonaws.com`, `b.s3.us-east-1.amazonaws.com`,
/// `b.s3-us-east-1.amazonaws.com`, `b.s3.dualstack.….amazonaws.com` (and `.com.cn`). Website
/// endpoints (`s3-website`) are not buckets' REST endpoints.
pub fn bucket_of_domain(domain: &str) -> Option<String> {
    let host = domain.trim_end_matches('.');
    let rest = host.strip_suffix(".amazonaws.com").or_else(|| host.strip_suffix(".amazonaws.com.cn"))?;
    let at = rest.find(".s3.").or_else(|| rest.find(".s3-")).or_else(|| rest.strip_suffix(".s3").map(str::len))?;
    let (bucket, endpoint) = rest.split_at(at);
    if endpoint.starts_with(".s3-website") || bucket.is_empty() {
        return None;
    }
    Some(bucket.to_string())
}

#[cfg(test)]
mod tests {
    use super::bucket_of_domain;

    #[test]
    fn bucket_domains() {
        assert_eq!(bucket_of_domain("assets.s3.amazonaws.com").as_deref(), Some("assets"));
        assert_eq!(bucket_of_domain("my.assets.s3.eu-west-1.amazonaws.com").as_deref(), Some("my.assets"));
        assert_eq!(bucket_of_domain("a.s3-eu-west-1.amazonaws.com").as_deref(), Some("a"));
        assert_eq!(bucket_of_domain("${Assets}.s3.${AWS::Region}.amazonaws.com").as_deref(), Some("${Assets}"));
        assert_eq!(bucket_of_domain("a.s3.dualstack.us-east-1.amazonaws.com").as_deref(), Some("a"));
        assert_eq!(bucket_of_domain("a.s3-website-us-east-1.amazonaws.com"), None);
        assert_eq!(bucket_of_domain("example.com"), None);
        assert_eq!(bucket_of_domain("api.execute-api.us-east-1.amazonaws.com"), None);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod mapping_tests {
    use sensei_model::Setting;
    use sensei_model::cloudfront::{OriginBucket, OriginType};

    use crate::resources::apigateway::tests::inventory;

    #[test]
    fn origins_link_to_buckets_and_behaviors_to_policies() {
        let inv = inventory(
            "Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  Prod: !Equals [!Ref Stage, prod]
Resources:
  Site: {Type: AWS::S3::Bucket}
  Named: {Type: AWS::S3::Bucket, Properties: {BucketName: acme-named}}
  Gone: {Type: AWS::S3::Bucket, Condition: Prod, Properties: {BucketName: acme-gone}}
  Headers: {Type: AWS::CloudFront::ResponseHeadersPolicy, Properties: {ResponseHeadersPolicyConfig: {Name: h}}}
  Logs:
    Type: AWS::Logs::DeliverySource
    Properties: {Name: cdn, LogType: ACCESS_LOGS, ResourceArn: !Sub 'arn:aws:cloudfront::${AWS::AccountId}:distribution/${Dist}'}
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - {Id: a, DomainName: !GetAtt Site.RegionalDomainName, S3OriginConfig: {}}
          - {Id: b, DomainName: !Sub '${Site}.s3.amazonaws.com', S3OriginConfig: {OriginAccessIdentity: ''}}
          - {Id: c, DomainName: acme-named.s3.eu-west-1.amazonaws.com, S3OriginConfig: {}}
          - {Id: d, DomainName: acme-gone.s3.amazonaws.com, S3OriginConfig: {}}
          - {Id: e, DomainName: other.s3.amazonaws.com, S3OriginConfig: {}}
          - {Id: f, DomainName: example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}
          - !If [Prod, {Id: g, DomainName: x.com, CustomOriginConfig: {OriginProtocolPolicy: http-only}}, !Ref AWS::NoValue]
        DefaultCacheBehavior: {TargetOriginId: a, ViewerProtocolPolicy: https-only, ResponseHeadersPolicyId: !GetAtt Headers.Id}
",
        );
        let d = &inv.distributions[0];
        let origins = d.origins.known().unwrap();
        assert_eq!(origins.len(), 6);
        let bucket = |i: usize| origins[i].bucket.known().cloned().unwrap();
        assert_eq!(bucket(0), OriginBucket::Declared(0));
        assert_eq!(bucket(1), OriginBucket::Declared(0));
        assert_eq!(bucket(2), OriginBucket::Declared(1));
        assert_eq!(bucket(3), OriginBucket::NotCreated { logical_id: "Gone".into(), condition: "Prod".into() });
        assert_eq!(bucket(4), OriginBucket::Elsewhere("other".into()));
        assert_eq!(origins[1].origin_access_identity.known(), Some(&None));
        assert_eq!(origins[5].origin_type.known(), Some(&OriginType::Custom));
        assert_eq!(origins[5].origin_ssl_protocols.known().unwrap(), &vec!["TLSv1".to_string(), "SSLv3".to_string()]);
        assert!(matches!(origins[5].origin_ssl_protocols, Setting::Known(_, sensei_model::Provenance::Default)));
        assert_eq!(d.default_cache_behavior.known().unwrap().response_headers_policy, Some(0));
        assert_eq!(d.log_delivery_source.as_deref(), Some("Logs"));
        let cert = d.viewer_certificate.known().unwrap();
        assert_eq!(cert.certificate().known(), Some(&sensei_model::cloudfront::Certificate::Default));
    }
}
