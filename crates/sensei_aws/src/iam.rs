//! AWS IAM (global, read once per run): roles and their inline and attached policies.

use std::collections::BTreeMap;

use aws_sdk_iam::Client;
use aws_sdk_iam::types::Role as SdkRole;
use futures_util::StreamExt as _;
use sensei_model::iam::{InlinePolicy, ManagedPolicy, PolicyAttachment, Role};
use sensei_model::{Policy, Setting};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::s3::live_policy;
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

/// What was read about one role.
#[derive(Debug)]
pub struct RoleReads {
    /// Inline policies: (name, URL-encoded document or why it could not be read).
    pub inline: Read<Vec<(String, Read<String>)>>,
    /// Attached managed policies: (name, ARN).
    pub attached: Read<Vec<(String, String)>>,
}

pub async fn fetch_roles(client: &Client, scope: &Scope, stacks: &StackIndex, filter: &Filter) -> Vec<Role> {
    let mut reader = Reader::new("iam", None, None, &scope.gaps);
    let listed: Read<Vec<SdkRole>> =
        pages!(reader, "ListRoles", client.list_roles(), |p: &aws_sdk_iam::operation::list_roles::ListRolesOutput| p
            .roles()
            .to_vec());
    let mut roles = match listed {
        Read::Got(list) => list,
        Read::Failed(_) => Vec::new(),
    };
    // Service-linked roles belong to AWS services: their policies are not the account's to change.
    roles.retain(|r| !r.path().starts_with("/aws-service-role/") && filter.in_stacks(&[r.role_name()]));
    scope.progress.discovered(roles.len());
    let read: Vec<(SdkRole, RoleReads, Vec<String>, bool)> = futures_util::stream::iter(roles)
        .map(|role| async move {
            let name = role.role_name().to_string();
            let role_arn = role.arn().to_string();
            let mut reader = Reader::new("iam", None, Some(&role_arn), &scope.gaps);
            let names: Read<Vec<String>> = pages!(
                reader,
                "ListRolePolicies",
                client.list_role_policies().role_name(&name),
                |p: &aws_sdk_iam::operation::list_role_policies::ListRolePoliciesOutput| p.policy_names().to_vec()
            );
            let inline = match names {
                Read::Got(names) => {
                    let mut out = Vec::new();
                    for policy in names {
                        let got = client.get_role_policy().role_name(&name).policy_name(&policy).send().await;
                        let doc = match reader.get("GetRolePolicy", got) {
                            Read::Got(o) => Read::Got(o.policy_document().to_string()),
                            Read::Failed(why) => Read::Failed(why),
                        };
                        out.push((policy, doc));
                    }
                    Read::Got(out)
                }
                Read::Failed(why) => Read::Failed(why),
            };
            let attached = pages!(
                reader,
                "ListAttachedRolePolicies",
                client.list_attached_role_policies().role_name(&name),
                |p: &aws_sdk_iam::operation::list_attached_role_policies::ListAttachedRolePoliciesOutput| p
                    .attached_policies()
                    .iter()
                    .filter_map(|a| Some((a.policy_name()?.to_string(), a.policy_arn()?.to_string())))
                    .collect::<Vec<_>>()
            );
            let keep = if filter.tags.is_empty() {
                true
            } else {
                let got = pages!(
                    reader,
                    "ListRoleTags",
                    client.list_role_tags().role_name(&name),
                    |p: &aws_sdk_iam::operation::list_role_tags::ListRoleTagsOutput| p
                        .tags()
                        .iter()
                        .map(|t| (t.key().to_string(), t.value().to_string()))
                        .collect::<Vec<_>>()
                );
                match got {
                    Read::Got(tags) => filter.has_tags(Some(&tags.into_iter().collect())),
                    Read::Failed(_) => true,
                }
            };
            scope.progress.fetched();
            let unread = reader.unread;
            (role, RoleReads { inline, attached }, unread, keep)
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    let read: Vec<_> = read.into_iter().filter(|(_, _, _, keep)| *keep).collect();

    // Customer managed policies: each document is read once, whatever number of roles use it.
    let mut arns: Vec<String> = read
        .iter()
        .filter_map(|(_, r, _, _)| r.attached.got())
        .flatten()
        .map(|(_, arn)| arn.clone())
        .filter(|arn| is_customer_managed(arn))
        .collect();
    arns.sort();
    arns.dedup();
    let documents: BTreeMap<String, (Read<String>, Vec<String>)> = futures_util::stream::iter(arns)
        .map(|arn| async move {
            let mut reader = Reader::new("iam", None, Some(&arn), &scope.gaps);
            let doc = match reader.get("GetPolicy", client.get_policy().policy_arn(&arn).send().await) {
                Read::Got(out) => {
                    let version = out.policy().and_then(|p| p.default_version_id()).unwrap_or("v1").to_string();
                    let got = client.get_policy_version().policy_arn(&arn).version_id(version).send().await;
                    match reader.get("GetPolicyVersion", got) {
                        Read::Got(v) => {
                            Read::Got(v.policy_version().and_then(|v| v.document()).unwrap_or_default().to_string())
                        }
                        Read::Failed(why) => Read::Failed(why),
                    }
                }
                Read::Failed(why) => Read::Failed(why),
            };
            let unread = reader.unread;
            (arn, (doc, unread))
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;

    read.into_iter()
        .map(|(role, reads, mut unread, _)| {
            for (_, arn) in reads.attached.got().into_iter().flatten() {
                if let Some((_, more)) = documents.get(arn) {
                    unread.extend(more.iter().cloned());
                }
            }
            unread.dedup();
            let stack = stacks.stack_of(&[role.role_name()]);
            map_role(&role, &scope.account, stack, &reads, &documents, unread)
        })
        .collect()
}

/// Whether a policy ARN names a customer managed policy (not one of AWS's own).
pub fn is_customer_managed(arn: &str) -> bool {
    !arn.contains(":iam::aws:policy/")
}

/// A policy document as IAM returns it: URL-encoded JSON.
pub fn decode_policy(encoded: &str) -> Setting<Policy> {
    match percent_encoding::percent_decode_str(encoded).decode_utf8() {
        Ok(text) => live_policy(&text),
        Err(e) => Setting::Unknown(format!("the policy document is not URL-encoded UTF-8: {e}")),
    }
}

pub fn map_role(
    role: &SdkRole,
    account: &str,
    stack: Option<String>,
    reads: &RoleReads,
    documents: &BTreeMap<String, (Read<String>, Vec<String>)>,
    unread: Vec<String>,
) -> Role {
    let resource = live_ref(role.arn(), "AWS::IAM::Role", account, None, stack, unread);
    let mut policies = Vec::new();
    match &reads.inline {
        Read::Got(list) => {
            for (name, doc) in list {
                policies.push(InlinePolicy {
                    policy_name: name.clone(),
                    policy_document: match doc {
                        Read::Got(text) => decode_policy(text),
                        Read::Failed(why) => Setting::Unknown(why.clone()),
                    },
                    attachment: PolicyAttachment::Inline,
                });
            }
        }
        // The inline policies could not be listed: one unknown document stands for them, so that
        // no rule passes the role for want of policies.
        Read::Failed(why) => policies.push(InlinePolicy {
            policy_name: "(inline policies)".to_string(),
            policy_document: Setting::Unknown(why.clone()),
            attachment: PolicyAttachment::Inline,
        }),
    }
    if let Read::Got(list) = &reads.attached {
        for (name, arn) in list.iter().filter(|(_, arn)| is_customer_managed(arn)) {
            let document = match documents.get(arn) {
                Some((Read::Got(text), _)) => decode_policy(text),
                Some((Read::Failed(why), _)) => Setting::Unknown(why.clone()),
                None => Setting::Unknown("the managed policy was not read".to_string()),
            };
            policies.push(InlinePolicy {
                policy_name: name.clone(),
                policy_document: document,
                attachment: PolicyAttachment::Managed(ManagedPolicy {
                    resource: live_ref(arn, "AWS::IAM::ManagedPolicy", account, None, None, Vec::new()),
                    managed_policy_name: live(Some(name.clone())),
                    arn: arn.clone(),
                }),
            });
        }
    }
    Role {
        arn: role.arn().to_string(),
        assume_role_policy_document: match role.assume_role_policy_document() {
            Some(doc) => decode_policy(doc),
            None => Setting::Unknown("the trust policy was not returned".to_string()),
        },
        policies,
        managed_policy_arns: reads.attached.setting(|list| list.iter().map(|(_, arn)| arn.clone()).collect()),
        resource,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sensei_model::Provenance;

    fn role() -> SdkRole {
        SdkRole::builder()
            .path("/")
            .role_name("orders")
            .role_id("AROA")
            .arn("arn:aws:iam::1:role/orders")
            .create_date(aws_smithy_types::DateTime::from_secs(0))
            .assume_role_policy_document("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D")
            .build()
            .unwrap()
    }

    #[test]
    fn decodes_documents_and_maps_attachments() {
        let admin = "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D";
        let reads = RoleReads {
            inline: Read::Got(vec![("all".to_string(), Read::Got(admin.to_string()))]),
            attached: Read::Got(vec![
                ("AdministratorAccess".to_string(), "arn:aws:iam::aws:policy/AdministratorAccess".to_string()),
                ("mine".to_string(), "arn:aws:iam::1:policy/mine".to_string()),
            ]),
        };
        let docs =
            BTreeMap::from([("arn:aws:iam::1:policy/mine".to_string(), (Read::Got(admin.to_string()), Vec::new()))]);
        let r = map_role(&role(), "1", None, &reads, &docs, vec![]);
        assert!(matches!(r.assume_role_policy_document, Setting::Known(_, Provenance::Live)));
        assert_eq!(r.policies.len(), 2);
        assert!(matches!(r.policies[0].policy_document, Setting::Known(_, Provenance::Live)));
        assert_eq!(r.managed_policies().count(), 1);
        assert_eq!(r.managed_policy_arns.known().map(Vec::len), Some(2));
        assert_eq!(r.resource.live.unwrap().region, None);
    }

    #[test]
    fn unreadable_policies_are_unknown() {
        let reads = RoleReads {
            inline: Read::Failed("iam:ListRolePolicies failed: AccessDenied".into()),
            attached: Read::Failed("iam:ListAttachedRolePolicies failed: AccessDenied".into()),
        };
        let r = map_role(&role(), "1", None, &reads, &BTreeMap::new(), vec![]);
        assert!(matches!(r.policies[0].policy_document, Setting::Unknown(_)));
        assert!(matches!(r.managed_policy_arns, Setting::Unknown(_)));
        assert!(is_customer_managed("arn:aws:iam::1:policy/x"));
        assert!(!is_customer_managed("arn:aws:iam::aws:policy/ReadOnlyAccess"));
    }
}
