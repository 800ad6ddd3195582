//! KMS-003: the key policy grants nothing to the public.

use sensei_model::{Inventory, Setting};
use sensei_policy::{CallerScope, RequestSpace, ResourceScope};

use crate::rules::sqs::common;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KMS-003",
        slug: "key-policy-grants-public-access",
        title: "KMS key policy grants nothing to the public",
        service: Service::Kms,
        categories: &[Category::Security],
        severity: Severity::Critical,
        level: 1,
        aliases: &["KMS.5"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::KmsKeys],
        enabled_by_default: true,
        docs: include_str!("key_policy_grants_public_access.md"),
    },
    check,
};

/// The account an outsider calls from, as KMS reports it in `kms:CallerAccount`: never this one.
const OUTSIDE_ACCOUNT: &str = "sensei-outside-account";

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for key in &inventory.kms_keys {
        let document = match &key.key_policy {
            Setting::Unknown(why) => {
                out.unknown(&key.resource, None, format!("the key policy is unknown: {why}"));
                continue;
            }
            Setting::Known(None, _) => {
                out.pass(&key.resource, "no `KeyPolicy`: the default key policy trusts only this account");
                continue;
            }
            Setting::Known(Some(document), _) => document,
        };
        let space = RequestSpace {
            service: "kms".to_string(),
            // In a key policy, `Resource: "*"` means this key.
            resources: vec![ResourceScope::Exact(sensei_model::symbolic_for_policy(&key.arn))],
            fixed: vec![("kms:CallerAccount".to_string(), vec![OUTSIDE_ACCOUNT.to_string()])],
            callers: CallerScope::Outsiders,
        };
        match common::public_grant(document, &space) {
            None => out.pass(&key.resource, "the key policy grants nothing to principals outside the account"),
            Some(grant) => {
                let syntax = key.resource.syntax;
                out.fail(
                    &key.resource,
                    key.key_policy.location(),
                    format!("the key policy {grant}"),
                    Fix {
                        summary: format!(
                            "In the `KeyPolicy` of `{}`, name the principals that use the key instead of everyone, or keep `*` and pin callers with a condition on kms:CallerAccount (with kms:ViaService for an AWS service).",
                            key.resource.declared_id()
                        ),
                        snippet: Some(common::account_principal(syntax).snippet(syntax)),
                    },
                );
            }
        }
    }
}
