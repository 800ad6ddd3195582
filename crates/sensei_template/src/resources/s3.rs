//! `AWS::S3::Bucket` and `AWS::S3::BucketPolicy`.

use sensei_model::s3::{Bucket, BucketPolicy, EncryptionRule, PublicAccessBlock, SseAlgorithm};
use sensei_model::{Expr, Setting};

use crate::props::Props;
use crate::value::Val;

use super::Ctx;

pub fn bucket(cx: &Ctx<'_, '_>) -> Bucket {
    let props = cx.props();
    let id = cx.id();
    let bucket_name = match props.text("BucketName") {
        Setting::Known(Some(name), prov) => Setting::Known(name, prov),
        Setting::Known(None, _) => Setting::default_value(format!("${{{id}}}")),
        Setting::Unknown(why) => Setting::Unknown(why),
    };
    Bucket {
        resource: cx.resource_ref("AWS::S3::Bucket"),
        bucket_name,
        arn_expr: Expr::GetAtt(id.to_string(), "Arn".to_string()),
        objects_arn_expr: Expr::Sub(format!("${{{id}.Arn}}/*")),
        public_access_block_configuration: public_access_block(&props),
        bucket_encryption: encryption(&props),
        policies: Vec::new(),
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
