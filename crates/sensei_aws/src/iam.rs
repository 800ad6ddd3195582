//! AWS IAM (global, read once per run): roles and their inline and attached policies, all from one
//! paged GetAccountAuthorizationDetails call.

use std::collections::BTreeMap;

use aws_sdk_iam::Client;
use aws_sdk_iam::types::{EntityType, ManagedPolicyDetail, RoleDetail};
use sensei_model::iam::{InlinePolicy, ManagedPolicy, PolicyAttachment, Role};
use sensei_model::{Policy, Setting};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::s3::live_policy;
use crate::{Filter, Scope, live_ref};

/// What was read about one role.
#[derive(Debug)]
pub struct RoleReads {
    /// Inline policies: (name, URL-encoded document or why it could not be read).
    pub inline: Read<Vec<(String, Read<String>)>>,
    /// Attached managed policies: (name, ARN).
    pub attached: Read<Vec<(String, String)>>,
}

pub async fn fetch_roles(client: &Client, scope: &Scope, stacks: &StackIndex, filter: &Filter) -> Vec<Role> {
    // One paged call gives every role with its inline policies, attached policy ARNs and tags, and
    // every customer managed policy with its versions: nothing is read per role or per policy.
    let mut reader = Reader::new("iam", None, None, &scope.gaps);
    let request = client.get_account_authorization_details().filter(EntityType::Role);
    let listed: Read<Vec<Entity>> = pages!(
        reader,
        "GetAccountAuthorizationDetails",
        request.filter(EntityType::LocalManagedPolicy),
        |p: &aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput| p
            .role_detail_list()
            .iter()
            .cloned()
            .map(Entity::Role)
            .chain(p.policies().iter().cloned().map(Entity::Policy))
            .collect::<Vec<_>>()
    );
    let (mut roles, policies): (Vec<RoleDetail>, Vec<ManagedPolicyDetail>) = match listed {
        Read::Got(list) => split_entities(list),
        Read::Failed(_) => (Vec::new(), Vec::new()),
    };
    // Service-linked roles belong to AWS services: their policies are not the account's to change.
    roles.retain(|r| {
        r.arn().is_some()
            && !r.path().unwrap_or_default().starts_with("/aws-service-role/")
            && filter.in_stacks(&[r.role_name().unwrap_or_default()])
    });
    if !filter.tags.is_empty() {
        roles.retain(|r| {
            let tags = r.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect();
            filter.has_tags(Some(&tags))
        });
    }
    scope.progress.discovered(roles.len());
    let documents = map_policy_documents(&policies);
    roles
        .iter()
        .map(|role| {
            scope.progress.fetched();
            let stack = stacks.stack_of(&[role.role_name().unwrap_or_default()]);
            map_role(role, &scope.account, stack, &map_role_reads(role), &documents, Vec::new())
        })
        .collect()
}

/// One entry of a GetAccountAuthorizationDetails page.
#[derive(Debug)]
enum Entity {
    Role(RoleDetail),
    Policy(ManagedPolicyDetail),
}

fn split_entities(list: Vec<Entity>) -> (Vec<RoleDetail>, Vec<ManagedPolicyDetail>) {
    let mut roles = Vec::new();
    let mut policies = Vec::new();
    for entity in list {
        match entity {
            Entity::Role(r) => roles.push(r),
            Entity::Policy(p) => policies.push(p),
        }
    }
    (roles, policies)
}

/// The inline policies and attached policies of a role, as GetAccountAuthorizationDetails gives them.
pub fn map_role_reads(role: &RoleDetail) -> RoleReads {
    RoleReads {
        inline: Read::Got(
            role.role_policy_list()
                .iter()
                .map(|p| {
                    let name = p.policy_name().unwrap_or_default().to_string();
                    let doc = match p.policy_document() {
                        Some(doc) => Read::Got(doc.to_string()),
                        None => Read::Failed("the inline policy document was not returned".to_string()),
                    };
                    (name, doc)
                })
                .collect(),
        ),
        attached: Read::Got(
            role.attached_managed_policies()
                .iter()
                .filter_map(|a| Some((a.policy_name()?.to_string(), a.policy_arn()?.to_string())))
                .collect(),
        ),
    }
}

/// The default version's document of each customer managed policy, by ARN.
pub fn map_policy_documents(policies: &[ManagedPolicyDetail]) -> BTreeMap<String, (Read<String>, Vec<String>)> {
    policies
        .iter()
        .filter_map(|p| {
            let arn = p.arn()?.to_string();
            let default = p
                .policy_version_list()
                .iter()
                .find(|v| {
                    v.is_default_version() || (v.version_id().is_some() && v.version_id() == p.default_version_id())
                })
                .and_then(|v| v.document());
            let doc = match default {
                Some(doc) => Read::Got(doc.to_string()),
                None => Read::Failed("the default version of the managed policy was not returned".to_string()),
            };
            Some((arn, (doc, Vec::new())))
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
    role: &RoleDetail,
    account: &str,
    stack: Option<String>,
    reads: &RoleReads,
    documents: &BTreeMap<String, (Read<String>, Vec<String>)>,
    unread: Vec<String>,
) -> Role {
    let resource = live_ref(role.arn().unwrap_or_default(), "AWS::IAM::Role", account, None, stack, unread);
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
        arn: role.arn().unwrap_or_default().to_string(),
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

    fn role() -> RoleDetail {
        RoleDetail::builder()
            .path("/")
            .role_name("orders")
            .role_id("AROA")
            .arn("arn:aws:iam::1:role/orders")
            .create_date(aws_smithy_types::DateTime::from_secs(0))
            .assume_role_policy_document("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D")
            .build()
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

    #[test]
    fn authorization_details_give_inline_attached_and_default_versions() {
        use aws_sdk_iam::types::{AttachedPolicy, PolicyDetail, PolicyVersion};
        let detail = RoleDetail::builder()
            .arn("arn:aws:iam::1:role/orders")
            .role_policy_list(PolicyDetail::builder().policy_name("all").policy_document("%7B%7D").build())
            .role_policy_list(PolicyDetail::builder().policy_name("missing").build())
            .attached_managed_policies(
                AttachedPolicy::builder().policy_name("mine").policy_arn("arn:aws:iam::1:policy/mine").build(),
            )
            .build();
        let reads = map_role_reads(&detail);
        let inline = reads.inline.got().unwrap();
        assert_eq!(inline[0], ("all".to_string(), Read::Got("%7B%7D".to_string())));
        assert!(matches!(inline[1].1, Read::Failed(_)));
        assert_eq!(reads.attached, Read::Got(vec![("mine".to_string(), "arn:aws:iam::1:policy/mine".to_string())]));

        let policy = ManagedPolicyDetail::builder()
            .arn("arn:aws:iam::1:policy/mine")
            .default_version_id("v2")
            .policy_version_list(PolicyVersion::builder().version_id("v1").document("old").build())
            .policy_version_list(PolicyVersion::builder().version_id("v2").document("new").build())
            .build();
        let bare = ManagedPolicyDetail::builder().arn("arn:aws:iam::1:policy/bare").default_version_id("v1").build();
        let docs = map_policy_documents(&[policy, bare]);
        assert_eq!(docs["arn:aws:iam::1:policy/mine"].0, Read::Got("new".to_string()));
        assert!(matches!(docs["arn:aws:iam::1:policy/bare"].0, Read::Failed(_)));
    }

    #[test]
    fn entities_split_into_roles_and_policies() {
        let (roles, policies) = split_entities(vec![
            Entity::Role(RoleDetail::builder().arn("r").build()),
            Entity::Policy(ManagedPolicyDetail::builder().arn("p").build()),
        ]);
        assert_eq!((roles.len(), policies.len()), (1, 1));
    }
}
