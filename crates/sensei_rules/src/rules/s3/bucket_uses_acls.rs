//! S3-009: the bucket does not use ACLs to grant access.

use sensei_model::s3::{Bucket, CannedAcl, ObjectOwnership};
use sensei_model::{Inventory, Provenance, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-009",
        slug: "bucket-uses-acls",
        title: "S3 bucket does not use ACLs to grant access",
        service: Service::S3,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 2,
        aliases: &["S3.12"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketOwnership, Fact::BucketAcl],
        enabled_by_default: true,
        docs: include_str!("bucket_uses_acls.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for bucket in &inventory.buckets {
        let (ownership, ownership_prov) = match &bucket.object_ownership {
            Setting::Unknown(why) => {
                out.unknown(&bucket.resource, None, format!("object ownership: {why}"));
                continue;
            }
            Setting::Known(o, prov) => (o, prov),
        };
        let acl = match &bucket.access_control {
            Setting::Unknown(why) => {
                out.unknown(&bucket.resource, None, format!("the bucket ACL: {why}"));
                continue;
            }
            Setting::Known(acl, _) => acl,
        };
        let default_ownership = matches!(ownership_prov, Provenance::Default);
        let at = bucket.access_control.location();
        match (ownership, acl.grantees()) {
            (ObjectOwnership::BucketOwnerEnforced, None) => {
                let why = if default_ownership {
                    "ACLs are disabled: no `OwnershipControls`, and S3 disables ACLs on new buckets (BucketOwnerEnforced, since April 2023)"
                } else {
                    "ACLs are disabled (ObjectOwnership BucketOwnerEnforced)"
                };
                out.pass(&bucket.resource, why);
            }
            (ObjectOwnership::BucketOwnerEnforced, Some(grantees)) => {
                let ownership = if default_ownership {
                    "S3 disables ACLs on new buckets (BucketOwnerEnforced by default since April 2023), so the stack fails to deploy until ACLs are turned back on"
                } else {
                    "ObjectOwnership BucketOwnerEnforced disables ACLs, so the stack fails to deploy"
                };
                out.fail(
                    &bucket.resource,
                    at,
                    format!("`AccessControl: {}` grants access to {grantees} through an ACL; {ownership}", acl.as_str()),
                    fix(bucket, acl),
                );
            }
            (_, Some(grantees)) => out.fail(
                &bucket.resource,
                at,
                format!(
                    "ACLs are enabled (ObjectOwnership {}) and `AccessControl: {}` grants access to {grantees}",
                    ownership.as_str(),
                    acl.as_str()
                ),
                fix(bucket, acl),
            ),
            (_, None) => out.pass(
                &bucket.resource,
                format!(
                    "the bucket ACL grants access to the owner only (ACLs are enabled by ObjectOwnership {}, so object ACLs can still grant access)",
                    ownership.as_str()
                ),
            ),
        }
    }
}

fn fix(bucket: &Bucket, acl: &CannedAcl) -> Fix {
    let code = Code::map(vec![(
        "OwnershipControls",
        Code::map(vec![(
            "Rules",
            Code::List(vec![Code::map(vec![("ObjectOwnership", Code::text("BucketOwnerEnforced"))])]),
        )]),
    )]);
    let mut summary = format!(
        "Remove `AccessControl: {}` and disable ACLs with this `OwnershipControls`; grant access with the bucket policy instead",
        acl.as_str()
    );
    if *acl == CannedAcl::LogDeliveryWrite {
        summary.push_str(" (for server access logs: allow `logging.s3.amazonaws.com` to call s3:PutObject)");
    }
    summary.push('.');
    Fix { summary, snippet: Some(code.snippet(bucket.resource.syntax)) }
}
