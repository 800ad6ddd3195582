//! `AWS::S3::Bucket` and `AWS::S3::BucketPolicy`; the access points of a bucket
//! (`AWS::S3::AccessPoint`, `AWS::S3::MultiRegionAccessPoint`) and the notifications that SAM
//! functions and the CDK add to it.

use sensei_model::s3::{
    AccessPoint, AccessPointKind, Bucket, BucketPolicy, CannedAcl, EncryptionRule, LifecycleRule, LoggingConfiguration,
    NotificationKind, NotificationTarget, ObjectOwnership, PublicAccessBlock, ReplicationRule, RuleStatus,
    SseAlgorithm, StorageClass, Tag, Transition, VersioningStatus,
};
use sensei_model::{Expr, Location, Provenance, Setting};

use crate::node::Node;
use crate::props::{Props, kind};
use crate::template::Template;
use crate::value::Val;

use super::{Ctx, Field, bool_of, created_of, literal_of, target_id, text_of};

pub fn bucket(cx: &Ctx<'_, '_>) -> Bucket {
    let props = cx.props();
    let id = cx.id();
    let bucket_name = match props.text("BucketName") {
        Setting::Known(Some(name), prov) => Setting::Known(name, prov),
        Setting::Known(None, _) => Setting::default_value(format!("${{{id}}}")),
        Setting::Unknown(why) => Setting::Unknown(why),
    };
    let name = bucket_name.known().cloned();
    Bucket {
        resource: cx.resource_ref("AWS::S3::Bucket"),
        bucket_name,
        arn_expr: Expr::GetAtt(id.to_string(), "Arn".to_string()),
        objects_arn_expr: Expr::Sub(format!("${{{id}.Arn}}/*")),
        public_access_block_configuration: public_access_block(&props),
        bucket_encryption: encryption(&props),
        policies: Vec::new(),
        lifecycle_configuration: lifecycle(cx, &props),
        logging_configuration: logging(cx, &props),
        object_ownership: object_ownership(cx, &props),
        access_control: match props.literal("AccessControl") {
            Setting::Known(Some(acl), prov) => Setting::Known(CannedAcl::parse(&acl), prov),
            Setting::Known(None, _) => Setting::default_value(CannedAcl::Private),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
        versioning_status: literal_of("Status", item_field(cx, &props, &["VersioningConfiguration", "Status"]))
            .map(|s| s.map(|s| VersioningStatus::parse(&s))),
        replication_rules: replication(cx, &props),
        notification_configuration: notifications(cx, &props, name.as_deref()),
        object_lock_enabled: props.bool_or("ObjectLockEnabled", false),
        mfa_delete: Setting::Unknown(
            "CloudFormation cannot set MFA delete; only the live account shows it".to_string(),
        ),
        account_public_access_block: Setting::Unknown(
            "account-level Block Public Access is a setting of the account, not of a template".to_string(),
        ),
        tags: match top(cx, &props, "Tags") {
            None => Setting::default_value(Vec::new()),
            Some(item) => item.as_tags("Tags"),
        },
        // Those the template declares: the template is the whole source.
        access_points: Setting::default_value(access_points(cx, name.as_deref())),
    }
}

fn public_access_block(props: &Props<'_, '_>) -> Setting<Option<PublicAccessBlock>> {
    let Some((value, prov)) = props.value("PublicAccessBlockConfiguration") else {
        return Setting::absent();
    };
    if let Some(why) = value.unknown_reason() {
        return Setting::Unknown(why.to_string());
    }
    let block = props.nested("PublicAccessBlockConfiguration");
    Setting::Known(
        Some(PublicAccessBlock {
            block_public_acls: block.bool_or("BlockPublicAcls", false),
            block_public_policy: block.bool_or("BlockPublicPolicy", false),
            ignore_public_acls: block.bool_or("IgnorePublicAcls", false),
            restrict_public_buckets: block.bool_or("RestrictPublicBuckets", false),
        }),
        prov,
    )
}

fn encryption(props: &Props<'_, '_>) -> Setting<Vec<EncryptionRule>> {
    let Some((value, prov)) = props.value("BucketEncryption") else {
        return Setting::default_value(Vec::new());
    };
    let rules = match value.get("ServerSideEncryptionConfiguration") {
        Some(Val::List(rules)) => rules,
        Some(Val::Unknown(why)) => return Setting::Unknown(why.clone()),
        _ => return Setting::Unknown("`BucketEncryption` has no `ServerSideEncryptionConfiguration` list".into()),
    };
    let nodes = props
        .nested("BucketEncryption")
        .node
        .and_then(|n| n.get("ServerSideEncryptionConfiguration"))
        .and_then(|n| n.as_seq())
        .unwrap_or_default();
    let mut out = Vec::with_capacity(rules.len());
    for (i, rule) in rules.iter().enumerate() {
        let by_default = Props { template: props.template, node: nodes.get(i), globals: None }
            .nested("ServerSideEncryptionByDefault");
        let sse_algorithm = match rule.get("ServerSideEncryptionByDefault") {
            None => Setting::default_value(SseAlgorithm::Aes256),
            Some(_) => match by_default.literal("SSEAlgorithm") {
                Setting::Known(Some(s), prov) => Setting::Known(SseAlgorithm::parse(&s), prov),
                Setting::Known(None, _) => Setting::Unknown("`SSEAlgorithm` is missing".into()),
                Setting::Unknown(why) => Setting::Unknown(why),
            },
        };
        out.push(EncryptionRule { sse_algorithm, kms_master_key_id: by_default.text("KMSMasterKeyID") });
    }
    Setting::Known(out, prov)
}

/// A resolved value inside a property (a lifecycle rule, a transition), with the node it was
/// written at when the template wrote it literally, and the place to point at otherwise.
struct Item<'a, 'n> {
    template: &'a Template<'n>,
    val: &'a Val,
    node: Option<&'n Node>,
    at: Location,
}

impl<'a, 'n> Item<'a, 'n> {
    fn new(template: &'a Template<'n>, val: &'a Val, node: Option<&'n Node>, fallback: &Location) -> Self {
        let at = node.map_or_else(|| fallback.clone(), |n| template.location(n.pos));
        Item { template, val, node, at }
    }

    /// The value under `key` (absent and `AWS::NoValue` are `None`) and where it is written.
    fn field(&self, key: &str) -> Field {
        let value = match self.val {
            Val::Map(_) => self.val.get(key)?,
            // Looking inside an unknown value gives the same unknown.
            Val::Unknown(why) => return Some((Val::Unknown(why.clone()), Provenance::Declared(self.at.clone()))),
            other => {
                return Some((
                    Val::Unknown(format!("`{key}` is looked up in {}", kind(other))),
                    Provenance::Declared(self.at.clone()),
                ));
            }
        };
        if matches!(value, Val::NoValue) {
            return None;
        }
        let at = self.node.and_then(|n| n.get(key)).map_or_else(|| self.at.clone(), |n| self.template.location(n.pos));
        Some((value.clone(), Provenance::Declared(at)))
    }

    fn child(&self, key: &str) -> Option<Item<'a, 'n>> {
        let value = match self.val {
            Val::Map(_) => self.val.get(key)?,
            _ => return None,
        };
        if matches!(value, Val::NoValue) {
            return None;
        }
        Some(Item::new(self.template, value, self.node.and_then(|n| n.get(key)), &self.at))
    }

    fn text(&self, key: &str) -> Setting<Option<String>> {
        text_of(key, self.field(key))
    }

    fn literal(&self, key: &str) -> Setting<Option<String>> {
        literal_of(key, self.field(key))
    }

    fn number(&self, key: &str) -> Setting<Option<u64>> {
        match self.field(key) {
            None => Setting::absent(),
            Some((Val::Num(s) | Val::Str(s), prov)) => match s.trim().parse::<u64>() {
                Ok(n) => Setting::Known(Some(n), prov),
                Err(_) => Setting::Unknown(format!("`{key}` is `{s}`, not a whole number")),
            },
            Some((Val::Sym(s), _)) => Setting::Unknown(format!("`{key}` is `{s}`, known only at deploy time")),
            Some((Val::Unknown(why), _)) => Setting::Unknown(why),
            Some((other, _)) => Setting::Unknown(format!("`{key}` should be a number, found {}", kind(&other))),
        }
    }

    fn days(&self, key: &str) -> Setting<Option<u32>> {
        match self.number(key) {
            Setting::Known(Some(n), prov) => match u32::try_from(n) {
                Ok(n) => Setting::Known(Some(n), prov),
                Err(_) => Setting::Unknown(format!("`{key}` is {n}, too large")),
            },
            Setting::Known(None, prov) => Setting::Known(None, prov),
            Setting::Unknown(why) => Setting::Unknown(why),
        }
    }

    /// The items of a list value; `Err` with why when the value is not a known list.
    fn list(&self, name: &str) -> Result<Vec<Item<'a, 'n>>, String> {
        match self.val {
            Val::List(values) => {
                let nodes = self.node.and_then(Node::as_seq).filter(|nodes| nodes.len() == values.len());
                Ok(values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Item::new(self.template, v, nodes.and_then(|n| n.get(i)), &self.at))
                    .collect())
            }
            Val::Unknown(why) => Err(why.clone()),
            other => Err(format!("`{name}` should be a list, found {}", kind(other))),
        }
    }

    /// A list of `{Key, Value}` mappings.
    fn as_tags(&self, name: &str) -> Setting<Vec<Tag>> {
        let items = match self.list(name) {
            Ok(items) => items,
            Err(why) => return Setting::Unknown(why),
        };
        let mut tags = Vec::with_capacity(items.len());
        for item in items {
            match (item.text("Key"), item.text("Value")) {
                (Setting::Known(Some(key), _), Setting::Known(value, _)) => {
                    tags.push(Tag { key, value: value.unwrap_or_default() })
                }
                (Setting::Unknown(why), _) | (_, Setting::Unknown(why)) => return Setting::Unknown(why),
                (Setting::Known(None, _), _) => return Setting::Unknown(format!("a tag of `{name}` has no `Key`")),
            }
        }
        Setting::Known(tags, Provenance::Declared(self.at.clone()))
    }
}

/// A top-level property as an [`Item`], or `None` when absent.
fn top<'a, 'n>(cx: &Ctx<'a, 'n>, props: &Props<'a, 'n>, name: &str) -> Option<OwnedItem<'a, 'n>> {
    let (val, prov) = props.value(name)?;
    let at = match prov {
        Provenance::Declared(l) | Provenance::Globals(l) => l,
        Provenance::Default | Provenance::Live => cx.template.location(cx.key.pos),
    };
    Some(OwnedItem { template: cx.template, val, node: props.node.and_then(|n| n.get(name)), at })
}

/// A resolved top-level property; [`OwnedItem::item`] reads it.
struct OwnedItem<'a, 'n> {
    template: &'a Template<'n>,
    val: Val,
    node: Option<&'n Node>,
    at: Location,
}

impl<'a, 'n> OwnedItem<'a, 'n> {
    fn item(&self) -> Item<'_, 'n> {
        Item { template: self.template, val: &self.val, node: self.node, at: self.at.clone() }
    }

    fn as_tags(&self, name: &str) -> Setting<Vec<Tag>> {
        self.item().as_tags(name)
    }

    fn provenance(&self) -> Provenance {
        Provenance::Declared(self.at.clone())
    }
}

/// The value at `path` under a top-level property, with where it is written.
fn item_field(cx: &Ctx<'_, '_>, props: &Props<'_, '_>, path: &[&str]) -> Field {
    let (first, rest) = path.split_first()?;
    let (last, middle) = rest.split_last()?;
    let owned = top(cx, props, first)?;
    let mut item = owned.item();
    for key in middle {
        item = item.child(key)?;
    }
    item.field(last)
}

fn lifecycle(cx: &Ctx<'_, '_>, props: &Props<'_, '_>) -> Setting<Vec<LifecycleRule>> {
    let Some(owned) = top(cx, props, "LifecycleConfiguration") else {
        return Setting::default_value(Vec::new());
    };
    let config = owned.item();
    let Some(rules) = config.child("Rules") else {
        return Setting::Unknown("`LifecycleConfiguration` has no `Rules`".to_string());
    };
    let rules = match rules.list("Rules") {
        Ok(rules) => rules,
        Err(why) => return Setting::Unknown(why),
    };
    Setting::Known(rules.iter().map(lifecycle_rule).collect(), owned.provenance())
}

fn lifecycle_rule(rule: &Item<'_, '_>) -> LifecycleRule {
    let noncurrent_expiration = match rule.child("NoncurrentVersionExpiration") {
        Some(expiration) => expiration.days("NoncurrentDays"),
        None => rule.days("NoncurrentVersionExpirationInDays"),
    };
    LifecycleRule {
        id: rule.text("Id").known().cloned().flatten(),
        location: Some(rule.at.clone()),
        status: status(rule.literal("Status")),
        prefix: rule.text("Prefix"),
        tag_filters: match rule.child("TagFilters") {
            None => Setting::default_value(Vec::new()),
            Some(tags) => tags.as_tags("TagFilters"),
        },
        object_size_greater_than: rule.number("ObjectSizeGreaterThan"),
        object_size_less_than: rule.number("ObjectSizeLessThan"),
        transitions: transitions(rule, "Transition", "Transitions"),
        expiration_in_days: rule.days("ExpirationInDays"),
        expiration_date: rule.text("ExpirationDate"),
        noncurrent_version_expiration_in_days: noncurrent_expiration,
        noncurrent_version_transitions: transitions(
            rule,
            "NoncurrentVersionTransition",
            "NoncurrentVersionTransitions",
        ),
        abort_incomplete_multipart_upload_days: match rule.child("AbortIncompleteMultipartUpload") {
            Some(abort) => abort.days("DaysAfterInitiation"),
            None => Setting::absent(),
        },
    }
}

fn status(s: Setting<Option<String>>) -> Setting<RuleStatus> {
    match s {
        Setting::Known(Some(s), prov) => Setting::Known(RuleStatus::parse(&s), prov),
        Setting::Known(None, _) => Setting::Unknown("the rule has no `Status`".to_string()),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

/// A single transition (`single`) and a list of them (`list`), together.
fn transitions(rule: &Item<'_, '_>, single: &str, list: &str) -> Setting<Vec<Transition>> {
    let mut items = Vec::new();
    let mut prov = None;
    if let Some(one) = rule.child(single) {
        prov = Some(Provenance::Declared(one.at.clone()));
        items.push(one);
    }
    if let Some(many) = rule.child(list) {
        prov = Some(Provenance::Declared(many.at.clone()));
        match many.list(list) {
            Ok(list) => items.extend(list),
            Err(why) => return Setting::Unknown(why),
        }
    }
    let Some(prov) = prov else { return Setting::default_value(Vec::new()) };
    let out = items
        .iter()
        .map(|t| Transition {
            storage_class: match t.literal("StorageClass") {
                Setting::Known(Some(s), prov) => Setting::Known(StorageClass::parse(&s), prov),
                Setting::Known(None, _) => Setting::Unknown("the transition has no `StorageClass`".to_string()),
                Setting::Unknown(why) => Setting::Unknown(why),
            },
            transition_in_days: t.days("TransitionInDays"),
            transition_date: t.text("TransitionDate"),
        })
        .collect();
    Setting::Known(out, prov)
}

fn logging(cx: &Ctx<'_, '_>, props: &Props<'_, '_>) -> Setting<Option<LoggingConfiguration>> {
    let Some(owned) = top(cx, props, "LoggingConfiguration") else { return Setting::absent() };
    let config = owned.item();
    if let Val::Unknown(why) = config.val {
        return Setting::Unknown(why.clone());
    }
    Setting::Known(
        Some(LoggingConfiguration {
            destination_bucket_name: config.text("DestinationBucketName"),
            log_file_prefix: config.text("LogFilePrefix"),
        }),
        owned.provenance(),
    )
}

fn object_ownership(cx: &Ctx<'_, '_>, props: &Props<'_, '_>) -> Setting<ObjectOwnership> {
    let Some(owned) = top(cx, props, "OwnershipControls") else {
        return Setting::default_value(ObjectOwnership::BucketOwnerEnforced);
    };
    let rules = match owned.item().child("Rules").map(|r| r.list("Rules")) {
        Some(Ok(rules)) => rules,
        Some(Err(why)) => return Setting::Unknown(why),
        None => return Setting::Unknown("`OwnershipControls` has no `Rules`".to_string()),
    };
    // One rule is allowed; read the last, as S3 would keep it.
    match rules.last().map(|r| r.literal("ObjectOwnership")) {
        None => Setting::default_value(ObjectOwnership::BucketOwnerEnforced),
        Some(Setting::Known(Some(s), prov)) => Setting::Known(ObjectOwnership::parse(&s), prov),
        Some(Setting::Known(None, _)) => Setting::Unknown("the ownership rule has no `ObjectOwnership`".to_string()),
        Some(Setting::Unknown(why)) => Setting::Unknown(why),
    }
}

fn replication(cx: &Ctx<'_, '_>, props: &Props<'_, '_>) -> Setting<Vec<ReplicationRule>> {
    let Some(owned) = top(cx, props, "ReplicationConfiguration") else {
        return Setting::default_value(Vec::new());
    };
    let rules = match owned.item().child("Rules").map(|r| r.list("Rules")) {
        Some(Ok(rules)) => rules,
        Some(Err(why)) => return Setting::Unknown(why),
        None => return Setting::Unknown("`ReplicationConfiguration` has no `Rules`".to_string()),
    };
    let out = rules
        .iter()
        .map(|rule| ReplicationRule {
            status: status(rule.literal("Status")),
            destination_bucket: match rule.child("Destination") {
                Some(destination) => destination.text("Bucket"),
                None => Setting::absent(),
            },
        })
        .collect();
    Setting::Known(out, owned.provenance())
}

/// The bucket's own `NotificationConfiguration`, then the `S3` events of SAM functions and the
/// CDK's `Custom::S3BucketNotifications` resources that name it.
fn notifications(cx: &Ctx<'_, '_>, props: &Props<'_, '_>, name: Option<&str>) -> Setting<Vec<NotificationTarget>> {
    let mut out = Vec::new();
    let mut prov = None;
    if let Some(owned) = top(cx, props, "NotificationConfiguration") {
        prov = Some(owned.provenance());
        let config = owned.item();
        if let Err(why) = configured_targets(&config, &CFN_KEYS, &mut out) {
            return Setting::Unknown(why);
        }
    }
    for (key, body) in created_of(cx.template, &["AWS::Serverless::Function", "Custom::S3BucketNotifications"]) {
        let ty = body.get("Type").and_then(Node::as_str);
        let properties = body.get("Properties");
        match ty {
            Some("AWS::Serverless::Function") => {
                let events = properties.and_then(|p| p.get("Events")).and_then(Node::as_map).unwrap_or_default();
                for (event_key, event) in events {
                    let is_s3 = event.get("Type").and_then(Node::as_str) == Some("S3");
                    let bucket = event.get("Properties").and_then(|p| p.get("Bucket"));
                    if is_s3 && bucket.is_some_and(|b| names_bucket(cx, b, name)) {
                        prov.get_or_insert_with(|| Provenance::Declared(cx.template.location(event_key.pos)));
                        out.push(NotificationTarget { kind: NotificationKind::Lambda, target: Some(key.name.clone()) });
                    }
                }
            }
            Some("Custom::S3BucketNotifications") => {
                let Some(bucket) = properties.and_then(|p| p.get("BucketName")) else { continue };
                if !names_bucket(cx, bucket, name) {
                    continue;
                }
                let Some(node) = properties.and_then(|p| p.get("NotificationConfiguration")) else { continue };
                let val = cx.template.resolve(node);
                let at = cx.template.location(node.pos);
                let config = Item::new(cx.template, &val, Some(node), &at);
                prov.get_or_insert_with(|| Provenance::Declared(at.clone()));
                if let Err(why) = configured_targets(&config, &API_KEYS, &mut out) {
                    return Setting::Unknown(why);
                }
            }
            _ => {}
        }
    }
    match prov {
        Some(prov) => Setting::Known(out, prov),
        None => Setting::default_value(out),
    }
}

/// The keys of a notification configuration: (list key, target key) per kind, and the EventBridge key.
struct NotificationKeys {
    lists: [(&'static str, &'static str, NotificationKind); 3],
    eventbridge: &'static str,
}

/// `AWS::S3::Bucket` `NotificationConfiguration`.
const CFN_KEYS: NotificationKeys = NotificationKeys {
    lists: [
        ("LambdaConfigurations", "Function", NotificationKind::Lambda),
        ("QueueConfigurations", "Queue", NotificationKind::Queue),
        ("TopicConfigurations", "Topic", NotificationKind::Topic),
    ],
    eventbridge: "EventBridgeConfiguration",
};

/// The S3 API shape, which the CDK's `Custom::S3BucketNotifications` takes.
const API_KEYS: NotificationKeys = NotificationKeys {
    lists: [
        ("LambdaFunctionConfigurations", "LambdaFunctionArn", NotificationKind::Lambda),
        ("QueueConfigurations", "QueueArn", NotificationKind::Queue),
        ("TopicConfigurations", "TopicArn", NotificationKind::Topic),
    ],
    eventbridge: "EventBridgeConfiguration",
};

fn configured_targets(
    config: &Item<'_, '_>,
    keys: &NotificationKeys,
    out: &mut Vec<NotificationTarget>,
) -> Result<(), String> {
    if let Val::Unknown(why) = config.val {
        return Err(why.clone());
    }
    for (list, target, kind) in &keys.lists {
        let Some(items) = config.child(list) else { continue };
        for item in items.list(list)? {
            let target = match item.text(target) {
                Setting::Known(t, _) => t,
                Setting::Unknown(why) => return Err(why),
            };
            out.push(NotificationTarget { kind: *kind, target });
        }
    }
    if let Some(eventbridge) = config.child(keys.eventbridge) {
        // The CloudFormation shape has `EventBridgeEnabled`; the API shape is an empty mapping.
        let enabled = match eventbridge.field("EventBridgeEnabled") {
            None => true,
            f => match bool_of("EventBridgeEnabled", f, false) {
                Setting::Known(b, _) => b,
                Setting::Unknown(why) => return Err(why),
            },
        };
        if enabled {
            out.push(NotificationTarget { kind: NotificationKind::EventBridge, target: None });
        }
    }
    Ok(())
}

/// Whether `node` names this bucket: `!Ref` to it, or its name as text.
fn names_bucket(cx: &Ctx<'_, '_>, node: &Node, name: Option<&str>) -> bool {
    if target_id(cx.template, node).as_deref() == Some(cx.id()) {
        return true;
    }
    let resolved = cx.template.resolve(node);
    resolved.text().is_some_and(|text| Some(text) == name)
}

/// The access points and Multi-Region Access Points of the template that name this bucket.
fn access_points(cx: &Ctx<'_, '_>, name: Option<&str>) -> Vec<AccessPoint> {
    let mut out = Vec::new();
    for (key, body) in created_of(cx.template, &["AWS::S3::AccessPoint", "AWS::S3::MultiRegionAccessPoint"]) {
        let ty = body.get("Type").and_then(Node::as_str);
        let properties = body.get("Properties");
        let kind = match ty {
            Some("AWS::S3::AccessPoint") => {
                let bucket = properties.and_then(|p| p.get("Bucket"));
                if !bucket.is_some_and(|b| names_bucket(cx, b, name)) {
                    continue;
                }
                AccessPointKind::Regional
            }
            Some("AWS::S3::MultiRegionAccessPoint") => {
                let regions = properties.and_then(|p| p.get("Regions")).and_then(Node::as_seq).unwrap_or_default();
                if !regions.iter().filter_map(|r| r.get("Bucket")).any(|b| names_bucket(cx, b, name)) {
                    continue;
                }
                AccessPointKind::MultiRegion
            }
            _ => continue,
        };
        let point = Ctx { template: cx.template, key, body };
        let props = point.props();
        out.push(AccessPoint {
            resource: point.resource_ref(ty.unwrap_or_default()),
            kind,
            name: props.text("Name"),
            public_access_block_configuration: public_access_block(&props),
        });
    }
    out
}

pub fn bucket_policy(cx: &Ctx<'_, '_>) -> BucketPolicy {
    let props = cx.props();
    let bucket = match props.text("Bucket") {
        Setting::Known(Some(b), prov) => Setting::Known(b, prov),
        Setting::Known(None, _) => Setting::Unknown("the bucket policy names no `Bucket`".into()),
        Setting::Unknown(why) => Setting::Unknown(why),
    };
    BucketPolicy {
        resource: cx.resource_ref("AWS::S3::BucketPolicy"),
        bucket,
        policy_document: props.policy("PolicyDocument"),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    match ty {
        "AWS::S3::Bucket" => inventory.buckets.push(bucket(cx)),
        "AWS::S3::BucketPolicy" => inventory.bucket_policies.push(bucket_policy(cx)),
        _ => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use sensei_model::s3::{
        AccessPointKind, Bucket, CannedAcl, NotificationKind, ObjectOwnership, RuleStatus, StorageClass,
        VersioningStatus,
    };
    use sensei_model::{Inventory, Provenance, Setting};

    fn inventory(text: &str) -> Inventory {
        let read = crate::read("t.yaml", text, &crate::Options::default()).unwrap();
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        read.inventory
    }

    fn bucket<'a>(inv: &'a Inventory, id: &str) -> &'a Bucket {
        inv.buckets.iter().find(|b| b.resource.id == id).unwrap()
    }

    #[test]
    fn lifecycle_rules_keep_filters_transitions_and_noncurrent_actions() {
        let inv = inventory(
            "Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules:
          - Id: Reports
            Status: Enabled
            Prefix: reports/
            TagFilters: [{Key: team, Value: data}]
            ObjectSizeGreaterThan: '1048576'
            Transition: {StorageClass: GLACIER, TransitionDate: '2030-01-01'}
            Transitions:
              - {StorageClass: INTELLIGENT_TIERING, TransitionInDays: 30}
            NoncurrentVersionExpirationInDays: 10
            NoncurrentVersionTransition: {StorageClass: STANDARD_IA, TransitionInDays: 31}
          - Status: Disabled
            NoncurrentVersionExpiration: {NoncurrentDays: 5}
            AbortIncompleteMultipartUpload: {DaysAfterInitiation: 2}
",
        );
        let Setting::Known(rules, Provenance::Declared(_)) = &bucket(&inv, "B").lifecycle_configuration else {
            panic!("rules are declared")
        };
        let (first, second) = (&rules[0], &rules[1]);
        assert_eq!(first.id.as_deref(), Some("Reports"));
        assert_eq!(first.status.known(), Some(&RuleStatus::Enabled));
        assert_eq!(first.tag_filters.known().unwrap()[0].value, "data");
        assert_eq!(first.object_size_greater_than.known(), Some(&Some(1_048_576)));
        let transitions = first.transitions.known().unwrap();
        assert_eq!(transitions.len(), 2);
        assert_eq!(transitions[0].storage_class.known(), Some(&StorageClass::Glacier));
        assert_eq!(transitions[0].when(), "on 2030-01-01");
        assert_eq!(transitions[1].when(), "after 30 days");
        assert_eq!(first.noncurrent_version_expiration_in_days.known(), Some(&Some(10)));
        assert_eq!(first.noncurrent_version_transitions.known().unwrap().len(), 1);
        assert_eq!(
            first.scope().unwrap().as_deref(),
            Some("under `reports/`, tagged team=data, larger than 1048576 bytes")
        );
        assert_eq!(second.name(1), "2");
        assert_eq!(second.status.known(), Some(&RuleStatus::Disabled));
        assert_eq!(second.noncurrent_version_expiration_in_days.known(), Some(&Some(5)));
        assert_eq!(second.abort_incomplete_multipart_upload_days.known(), Some(&Some(2)));
        assert_eq!(second.scope(), Ok(None));
    }

    #[test]
    fn lifecycle_rules_written_through_intrinsics_resolve() {
        let inv = inventory(
            "Parameters:
  Stage: {Type: String, Default: prod}
  Days: {Type: Number}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules: !If
          - IsProd
          - [{Status: Enabled, ExpirationInDays: 30}, {Status: Enabled, ExpirationInDays: !Ref Days}]
          - []
",
        );
        let rules = bucket(&inv, "B").lifecycle_configuration.known().unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].expiration_in_days.known(), Some(&Some(30)));
        assert!(rules[0].location.is_some());
        assert!(matches!(rules[1].expiration_in_days, Setting::Unknown(_)));
    }

    #[test]
    fn defaults_of_an_empty_bucket() {
        let inv = inventory("Resources:\n  B: {Type: AWS::S3::Bucket}\n");
        let b = bucket(&inv, "B");
        assert_eq!(b.lifecycle_configuration, Setting::default_value(Vec::new()));
        assert_eq!(b.logging_configuration, Setting::absent());
        assert_eq!(b.object_ownership, Setting::default_value(ObjectOwnership::BucketOwnerEnforced));
        assert_eq!(b.access_control, Setting::default_value(CannedAcl::Private));
        assert_eq!(b.versioning_status, Setting::absent());
        assert_eq!(b.object_lock_enabled, Setting::default_value(false));
        assert_eq!(b.notification_configuration, Setting::default_value(Vec::new()));
        assert!(matches!(b.mfa_delete, Setting::Unknown(_)));
        assert!(matches!(b.account_public_access_block, Setting::Unknown(_)));
        assert!(b.access_points.known().is_some_and(Vec::is_empty));
    }

    #[test]
    fn ownership_acl_versioning_logging_replication_and_tags() {
        let inv = inventory(
            "Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: LogDeliveryWrite
      OwnershipControls: {Rules: [{ObjectOwnership: ObjectWriter}]}
      VersioningConfiguration: {Status: Suspended}
      LoggingConfiguration: {LogFilePrefix: self/}
      ReplicationConfiguration:
        Role: arn:aws:iam::123456789012:role/r
        Rules: [{Status: Enabled, Destination: {Bucket: arn:aws:s3:::replica}}]
      ObjectLockEnabled: 'true'
      Tags: [{Key: team, Value: data}]
",
        );
        let b = bucket(&inv, "B");
        assert_eq!(b.access_control.known(), Some(&CannedAcl::LogDeliveryWrite));
        assert_eq!(b.object_ownership.known(), Some(&ObjectOwnership::ObjectWriter));
        assert_eq!(b.versioning_status.known(), Some(&Some(VersioningStatus::Suspended)));
        let logging = b.logging_configuration.known().unwrap().as_ref().unwrap();
        assert_eq!(logging.destination_bucket_name, Setting::absent());
        let replication = b.replication_rules.known().unwrap();
        assert_eq!(replication[0].destination_bucket.known(), Some(&Some("arn:aws:s3:::replica".to_string())));
        assert_eq!(b.object_lock_enabled.known(), Some(&true));
        assert_eq!(b.tags.known().unwrap()[0].key, "team");
        assert!(inv.log_buckets()[0].is_some(), "LogDeliveryWrite makes a log bucket");
    }

    #[test]
    fn notifications_come_from_the_bucket_sam_events_and_the_cdk() {
        let inv = inventory(
            "Transform: AWS::Serverless-2016-10-31
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations: [{Event: 's3:ObjectRemoved:*', Function: !GetAtt F.Arn}]
        TopicConfigurations: [{Event: 's3:ObjectCreated:*', Topic: !Ref T}]
  T: {Type: AWS::SNS::Topic}
  F:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Put: {Type: S3, Properties: {Bucket: !Ref B, Events: 's3:ObjectCreated:*'}}
  Other: {Type: AWS::S3::Bucket}
  OtherNotifications:
    Type: Custom::S3BucketNotifications
    Properties:
      ServiceToken: arn:aws:lambda:us-east-1:123456789012:function:handler
      BucketName: !Ref Other
      NotificationConfiguration: {EventBridgeConfiguration: {}}
",
        );
        let kinds = |id: &str| -> Vec<NotificationKind> {
            bucket(&inv, id).notification_configuration.known().unwrap().iter().map(|t| t.kind).collect()
        };
        assert_eq!(kinds("B"), vec![NotificationKind::Lambda, NotificationKind::Topic, NotificationKind::Lambda]);
        assert_eq!(kinds("Other"), vec![NotificationKind::EventBridge]);
    }

    #[test]
    fn access_points_attach_to_their_buckets_by_ref_and_by_name() {
        let inv = inventory(
            "Resources:
  A: {Type: AWS::S3::Bucket, Properties: {BucketName: data-a}}
  B: {Type: AWS::S3::Bucket}
  ByRef: {Type: AWS::S3::AccessPoint, Properties: {Bucket: !Ref B}}
  ByName: {Type: AWS::S3::AccessPoint, Properties: {Bucket: data-a, Name: by-name}}
  Elsewhere: {Type: AWS::S3::AccessPoint, Properties: {Bucket: another-stacks-bucket}}
  Global:
    Type: AWS::S3::MultiRegionAccessPoint
    Properties:
      PublicAccessBlockConfiguration: {BlockPublicAcls: true}
      Regions: [{Bucket: !Ref A}, {Bucket: !Ref B}]
",
        );
        let ids = |id: &str| -> Vec<String> {
            bucket(&inv, id).access_points.known().unwrap().iter().map(|p| p.resource.id.clone()).collect()
        };
        assert_eq!(ids("A"), vec!["ByName", "Global"]);
        assert_eq!(ids("B"), vec!["ByRef", "Global"]);
        let global = &bucket(&inv, "A").access_points.known().unwrap()[1];
        assert_eq!(global.kind, AccessPointKind::MultiRegion);
        assert_eq!(global.resource.resource_type.as_str(), "AWS::S3::MultiRegionAccessPoint");
        let block = global.public_access_block_configuration.known().unwrap().as_ref().unwrap();
        assert_eq!(block.block_public_policy.known(), Some(&false));
        assert_eq!(
            bucket(&inv, "B").access_points.known().unwrap()[0].public_access_block_configuration,
            Setting::absent()
        );
    }
}
