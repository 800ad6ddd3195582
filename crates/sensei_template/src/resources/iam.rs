//! `AWS::IAM::Role`, and the `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` attached to roles.

use sensei_model::iam::{InlinePolicy, ManagedPolicy, PolicyAttachment, Role};
use sensei_model::{Inventory, Provenance, Setting};

use crate::node::{Node, Pos};
use crate::props::Props;
use crate::template::Template;
use crate::value::Val;

use super::{Ctx, created, policy_of_val, reference_text};

pub fn role(cx: &Ctx<'_, '_>) -> Role {
    let props = cx.props();
    Role {
        resource: cx.resource_ref("AWS::IAM::Role"),
        arn: role_arn(cx.template, cx.key.pos, cx.id()),
        assume_role_policy_document: props.policy("AssumeRolePolicyDocument"),
        policies: props
            .node
            .and_then(|p| p.get("Policies"))
            .map(|n| inline_policies(cx.template, n))
            .unwrap_or_default(),
        managed_policy_arns: props.texts("ManagedPolicyArns"),
    }
}

/// What `!GetAtt id.Arn` gives for a role.
pub fn role_arn(template: &Template<'_>, pos: Pos, id: &str) -> String {
    reference_text(template, pos, id, Some("Arn")).unwrap_or_else(|| format!("${{{id}.Arn}}"))
}

/// The items of a list property, resolved, each with the node to report at.
pub fn items<'n>(template: &Template<'_>, node: &'n Node) -> Vec<(Val, &'n Node)> {
    match node.as_seq() {
        Some(seq) => seq.iter().map(|n| (template.resolve(n), n)).filter(|(v, _)| *v != Val::NoValue).collect(),
        None => match template.resolve(node) {
            Val::List(list) => list.into_iter().map(|v| (v, node)).collect(),
            Val::NoValue => Vec::new(),
            other => vec![(other, node)],
        },
    }
}

/// A role's `Policies`: `[{PolicyName, PolicyDocument}]`.
fn inline_policies(template: &Template<'_>, node: &Node) -> Vec<InlinePolicy> {
    items(template, node)
        .into_iter()
        .map(|(value, item)| {
            let policy_name = value.get("PolicyName").and_then(Val::text).unwrap_or("?").to_string();
            let at = item.get("PolicyDocument").unwrap_or(item);
            let policy_document = match (&value, value.get("PolicyDocument")) {
                (Val::Unknown(why), _) => Setting::Unknown(why.clone()),
                (_, Some(doc)) => policy_of_val(template, doc, at.pos, Provenance::Declared(template.location(at.pos))),
                (_, None) => Setting::Unknown("the inline policy has no `PolicyDocument`".to_string()),
            };
            InlinePolicy { policy_name, policy_document, attachment: PolicyAttachment::Inline }
        })
        .collect()
}

/// Appends each `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` to the roles that it names in
/// `Roles`, and each managed policy of the template to the roles that list it in their
/// managed policy ARNs.
pub fn attach_policies(template: &Template<'_>, inventory: &mut Inventory) {
    let role_names: Vec<Option<String>> =
        inventory.roles.iter().map(|r| reference_text(template, Pos::default(), &r.resource.id, None)).collect();
    for (key, body) in created(template) {
        let ty = body.get("Type").and_then(Node::as_str);
        let managed = match ty {
            Some("AWS::IAM::Policy") => false,
            Some("AWS::IAM::ManagedPolicy") => true,
            _ => continue,
        };
        let props = Props::new(template, body);
        let name_property = if managed { "ManagedPolicyName" } else { "PolicyName" };
        let cx = Ctx { template, key, body };
        let arn = if managed { reference_text(template, key.pos, &key.name, None) } else { None };
        let attachment = if managed {
            PolicyAttachment::Managed(ManagedPolicy {
                resource: cx.resource_ref("AWS::IAM::ManagedPolicy"),
                managed_policy_name: props.text(name_property),
                arn: arn.clone().unwrap_or_else(|| format!("${{{}}}", key.name)),
            })
        } else {
            PolicyAttachment::Policy(cx.resource_ref("AWS::IAM::Policy"))
        };
        let policy = InlinePolicy {
            policy_name: props.text(name_property).known().cloned().flatten().unwrap_or_else(|| key.name.clone()),
            policy_document: props.policy("PolicyDocument"),
            attachment,
        };
        let named: Vec<String> = props.texts("Roles").known().cloned().unwrap_or_default();
        for (role, name) in inventory.roles.iter_mut().zip(&role_names) {
            let by_name = name.as_ref().is_some_and(|n| named.contains(n));
            let by_arn = arn.as_ref().is_some_and(|a| role.managed_policy_arns.known().is_some_and(|l| l.contains(a)));
            if by_name || by_arn {
                role.policies.push(policy.clone());
            }
        }
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    // Policies attach to their roles once every resource is mapped: `attach_policies`.
    if ty == "AWS::IAM::Role" {
        inventory.roles.push(role(cx));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use sensei_model::iam::PolicyAttachment;

    #[test]
    fn policies_say_how_they_are_attached() {
        let doc = "{Version: '2012-10-17', Statement: {Effect: Allow, Action: s3:GetObject, Resource: '*'}}";
        let text = format!(
            "Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {doc}
      Policies: [{{PolicyName: own, PolicyDocument: {doc}}}]
      ManagedPolicyArns: [!Ref Shared]
  Shared: {{Type: AWS::IAM::ManagedPolicy, Properties: {{ManagedPolicyName: shared, PolicyDocument: {doc}}}}}
  Extra: {{Type: AWS::IAM::Policy, Properties: {{PolicyName: extra, Roles: [!Ref R], PolicyDocument: {doc}}}}}
"
        );
        let read = crate::read("t.yaml", &text, &crate::Options::default()).unwrap();
        let role = &read.inventory.roles[0];
        let kinds: Vec<(&str, Option<&str>)> = role
            .policies
            .iter()
            .map(|p| (p.policy_name.as_str(), p.attachment.declared_by().map(|r| r.id.as_str())))
            .collect();
        assert_eq!(kinds, vec![("own", None), ("shared", Some("Shared")), ("extra", Some("Extra"))]);
        let (managed, _) = role.managed_policies().next().unwrap();
        assert_eq!(managed.arn, "${Shared}");
        assert!(matches!(role.policies[2].attachment, PolicyAttachment::Policy(_)));
    }
}
