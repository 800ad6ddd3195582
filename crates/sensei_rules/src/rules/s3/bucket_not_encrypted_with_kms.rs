//! S3-004: the bucket encrypts objects with a KMS key (off by default).

use sensei_model::s3::SseAlgorithm;
use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-004",
        slug: "bucket-not-encrypted-with-kms",
        title: "S3 bucket encrypts objects with a KMS key",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::Low,
        level: 4,
        aliases: &["S3.17"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketEncryption],
        enabled_by_default: false,
        docs: include_str!("bucket_not_encrypted_with_kms.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        let rules = match &bucket.bucket_encryption {
            Setting::Unknown(why) => {
                out.unknown(&bucket.resource, None, format!("`BucketEncryption` is unknown: {why}"));
                continue;
            }
            Setting::Known(rules, _) => rules,
        };
        let mut unknown = None;
        let mut kms = false;
        for rule in rules {
            match &rule.sse_algorithm {
                Setting::Known(SseAlgorithm::AwsKms | SseAlgorithm::AwsKmsDsse, _) => kms = true,
                Setting::Known(_, _) => {}
                Setting::Unknown(why) => unknown = Some(why.clone()),
            }
        }
        let at = bucket.bucket_encryption.location();
        if kms {
            out.pass(&bucket.resource, "objects are encrypted with a KMS key (SSE-KMS)");
        } else if let Some(why) = unknown {
            out.unknown(&bucket.resource, at, format!("the encryption algorithm is unknown: {why}"));
        } else {
            let message = if rules.is_empty() {
                "no `BucketEncryption`: objects are encrypted with S3-managed keys (SSE-S3), not a KMS key"
            } else {
                "objects are encrypted with S3-managed keys (SSE-S3, `AES256`), not a KMS key"
            };
            out.fail(&bucket.resource, at, message, fix(bucket.resource.syntax));
        }
    }
}

fn fix(syntax: sensei_model::Syntax) -> Fix {
    let code = Code::map(vec![(
        "BucketEncryption",
        Code::map(vec![(
            "ServerSideEncryptionConfiguration",
            Code::List(vec![Code::map(vec![
                (
                    "ServerSideEncryptionByDefault",
                    Code::map(vec![
                        ("SSEAlgorithm", Code::text("aws:kms")),
                        ("KMSMasterKeyID", Code::Expr(sensei_model::Expr::Ref("DataKey".to_string()))),
                    ]),
                ),
                ("BucketKeyEnabled", Code::bool(true)),
            ])]),
        )]),
    )]);
    let snippet = code.snippet(syntax);
    Fix {
        summary: "Encrypt with a customer managed KMS key (here `DataKey`, an `AWS::KMS::Key` of the template) and turn on S3 Bucket Keys to keep KMS costs low.".to_string(),
        snippet: Some(snippet),
    }
}
