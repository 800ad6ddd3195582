//! KMS-002: the key is not scheduled for deletion (a deployed account only).

use sensei_model::kms::KeyState;
use sensei_model::{Inventory, Setting, Syntax};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity, Snippet};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "KMS-002",
        slug: "key-pending-deletion",
        title: "KMS key is not scheduled for deletion",
        service: Service::Kms,
        categories: &[Category::Security, Category::Stability],
        severity: Severity::Critical,
        level: 1,
        aliases: &["KMS.3"],
        options: &[],
        needs_live_data: true,
        reads: &[Fact::KmsKeys],
        enabled_by_default: true,
        docs: include_str!("key_pending_deletion.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for key in &inventory.kms_keys {
        if key.resource.syntax != Syntax::Live {
            out.skip(&key.resource, "whether a key is scheduled for deletion is known only in a deployed account");
            continue;
        }
        match &key.key_state {
            Setting::Unknown(why) => out.unknown(&key.resource, None, format!("the key's state is unknown: {why}")),
            Setting::Known(KeyState::PendingDeletion | KeyState::PendingReplicaDeletion, _) => out.fail(
                &key.resource,
                None,
                "the key is scheduled for deletion: once the waiting period ends, every piece of data encrypted with it can never be decrypted again",
                Fix {
                    summary: "If the deletion is not intended, cancel it and enable the key again; before deleting a key on purpose, check in CloudTrail that nothing used it recently.".to_string(),
                    snippet: Some(Snippet {
                        language: "shell",
                        code: format!("aws kms cancel-key-deletion --key-id {0}\naws kms enable-key --key-id {0}", key.arn),
                    }),
                },
            ),
            Setting::Known(_, _) => out.pass(&key.resource, "the key is not scheduled for deletion"),
        }
    }
}
