//! One module per service: a template resource → model resources.

use sensei_model::{Inventory, Policy, Provenance, ResourceRef, ResourceType, Setting};

use crate::node::{Key, Node, NodeValue, Pos};
use crate::props::{Props, kind};
use crate::template::Template;
use crate::value::Val;

pub mod apigateway;
pub mod backup;
pub mod cloudfront;
pub mod cognito;
pub mod dynamodb;
pub mod eventbridge;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod rds;
mod s3;
pub mod ses;
pub mod sns;
pub mod sqs;
pub mod stepfunctions;

/// One resource of a template being mapped.
pub struct Ctx<'t, 'n> {
    pub template: &'t Template<'n>,
    pub key: &'n Key,
    pub body: &'n Node,
}

impl<'t, 'n> Ctx<'t, 'n> {
    pub fn id(&self) -> &'n str {
        &self.key.name
    }

    pub fn props(&self) -> Props<'t, 'n> {
        Props::new(self.template, self.body)
    }

    /// The model reference of this resource, as type `resource_type`.
    pub fn resource_ref(&self, resource_type: &str) -> ResourceRef {
        ResourceRef {
            id: self.key.name.clone(),
            resource_type: ResourceType::new(resource_type),
            location: Some(self.template.location(self.key.pos)),
            generated_from: None,
            syntax: self.template.syntax,
            // SAM-generated resources come through here too, so they inherit their SAM resource's.
            suppressions: crate::suppress::suppressions(self.template, &self.key.name, self.body),
            live: None,
        }
    }

    /// A resource that SAM generates from this one.
    pub fn generated_ref(&self, id: String, resource_type: &str) -> ResourceRef {
        ResourceRef { id, generated_from: Some(self.key.name.clone()), ..self.resource_ref(resource_type) }
    }
}

/// Adds the model resources of one template resource to `inventory`.
pub fn map_resource<'n>(template: &Template<'n>, key: &'n Key, body: &'n Node, inventory: &mut Inventory) {
    let cx = Ctx { template, key, body };
    let Some(ty) = body.get("Type").and_then(Node::as_str) else { return };
    // `AWS::<Service>::<Type>`: each service's module maps its own types.
    let service = ty.strip_prefix("AWS::").and_then(|rest| rest.split_once("::")).map_or("", |(service, _)| service);
    match service {
        "S3" => s3::map(&cx, ty, inventory),
        "Lambda" => lambda::map(&cx, ty, inventory),
        "IAM" => iam::map(&cx, ty, inventory),
        "SQS" => sqs::map(&cx, ty, inventory),
        "SNS" => sns::map(&cx, ty, inventory),
        "DynamoDB" => dynamodb::map(&cx, ty, inventory),
        "ApiGateway" | "ApiGatewayV2" => apigateway::map(&cx, ty, inventory),
        "StepFunctions" => stepfunctions::map(&cx, ty, inventory),
        "Logs" => logs::map(&cx, ty, inventory),
        "CloudFront" => cloudfront::map(&cx, ty, inventory),
        "Cognito" => cognito::map(&cx, ty, inventory),
        "RDS" => rds::map(&cx, ty, inventory),
        "Backup" => backup::map(&cx, ty, inventory),
        "SES" => ses::map(&cx, ty, inventory),
        "KMS" => kms::map(&cx, ty, inventory),
        "Events" | "Scheduler" | "Pipes" => eventbridge::map(&cx, ty, inventory),
        "Serverless" => crate::sam::map_resource(&cx, ty, inventory),
        _ => {}
    }
}

/// What can only be done once every resource is mapped: policies attached to roles by
/// `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy`, and API stages.
pub fn finish(template: &Template<'_>, inventory: &mut Inventory) {
    iam::attach_policies(template, inventory);
    apigateway::apply_stages(template, inventory);
    lambda::finish(template, inventory);
    cloudfront::finish(template, inventory);
    backup::finish(template, inventory);
    eventbridge::finish(template, inventory);
    cognito::finish(template, inventory);
    kms::finish(template, inventory);
    rds::finish(template, inventory);
    ses::finish(template, inventory);
}

/// The created resources of these types (see [`created`]), found through the template's index.
pub fn created_of<'n>(template: &Template<'n>, types: &[&str]) -> Vec<(&'n Key, &'n Node)> {
    let mut found = template.resources_of(types);
    found.retain(|(_, body)| template.resource_condition(body) != Some(Val::Bool(false)));
    found
}

/// The resources of the template that are created: their `Condition` is not known to be false.
pub fn created<'t, 'n>(template: &'t Template<'n>) -> impl Iterator<Item = (&'n Key, &'n Node)> + 't {
    template.resources().iter().copied().filter(|(_, body)| template.resource_condition(body) != Some(Val::Bool(false)))
}

pub use crate::props::{Field, bool_of, literal_of, text_of, texts_of};

/// The value at `path` in the properties, e.g. `["TracingConfig", "Mode"]`, with intrinsics on
/// the way resolved. A SAM resource's own value wins over its `Globals`, key by key, as SAM merges.
pub fn field(props: &Props<'_, '_>, path: &[&str]) -> Field {
    let (first, rest) = path.split_first()?;
    for (section, from_globals) in [(props.node, false), (props.globals, true)] {
        let Some(top) = section.and_then(|n| n.get(first)) else { continue };
        let value = match walk(props.template.resolve(top), rest) {
            None | Some(Val::NoValue) => continue,
            Some(v) => v,
        };
        let location = props.template.location(deepest(top, rest).pos);
        let prov = if from_globals { Provenance::Globals(location) } else { Provenance::Declared(location) };
        return Some((value, prov));
    }
    None
}

fn walk(value: Val, path: &[&str]) -> Option<Val> {
    let mut current = value;
    for key in path {
        current = match current {
            Val::Map(entries) => entries.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)?,
            Val::Unknown(why) => return Some(Val::Unknown(why)),
            Val::NoValue | Val::Null => return None,
            other => return Some(Val::Unknown(format!("`{key}` is looked up in {}", kind(&other)))),
        };
    }
    Some(current)
}

/// The node written deepest along `path`, for locations.
fn deepest<'n>(node: &'n Node, path: &[&str]) -> &'n Node {
    let mut at = node;
    for key in path {
        match at.get(key) {
            Some(n) => at = n,
            None => break,
        }
    }
    at
}

/// An absent value is unknown, for `why`.
pub fn required<T>(setting: Setting<Option<T>>, why: &str) -> Setting<T> {
    match setting {
        Setting::Known(Some(v), prov) => Setting::Known(v, prov),
        Setting::Known(None, _) => Setting::Unknown(why.to_string()),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

/// Parses a policy document from a resolved value; a malformed one is reported at `pos`.
pub fn policy_of_val(template: &Template<'_>, value: &Val, pos: Pos, prov: Provenance) -> Setting<Policy> {
    let json = match value {
        // A policy written as a JSON string, e.g. `!Sub '{"Version": ...}'`.
        Val::Str(s) | Val::Sym(s) => serde_json::from_str::<serde_json::Value>(&sensei_model::symbolic_for_policy(s))
            .map_err(|e| format!("the policy is a string that is not JSON: {e}")),
        v => v.to_policy_json(),
    };
    match json {
        Err(why) => Setting::Unknown(format!("the policy document cannot be resolved: {why}")),
        Ok(json) => match Policy::from_json(&json) {
            Ok(policy) => Setting::Known(policy, prov),
            Err(e) => {
                let message = format!("malformed policy document: {e}");
                template.report(pos, message.clone());
                Setting::Unknown(message)
            }
        },
    }
}

/// `{Ref: id}` or `{Fn::GetAtt: [id, attribute]}` written at `pos`, to resolve as the user would.
pub fn intrinsic_node(pos: Pos, id: &str, attribute: Option<&str>) -> Node {
    let string = |s: &str| Node { pos, value: NodeValue::String(s.to_string()) };
    let (name, arg) = match attribute {
        None => ("Ref", string(id)),
        Some(attr) => ("Fn::GetAtt", Node { pos, value: NodeValue::Seq(vec![string(id), string(attr)]) }),
    };
    Node { pos, value: NodeValue::Map(vec![(Key { pos, name: name.to_string() }, arg)]) }
}

/// What `!Ref id` (or `!GetAtt id.attribute`) gives in this template, as text.
pub fn reference_text(template: &Template<'_>, pos: Pos, id: &str, attribute: Option<&str>) -> Option<String> {
    template.resolve(&intrinsic_node(pos, id, attribute)).text().map(str::to_string)
}

/// The logical id a value names: `!Ref X`, `!GetAtt X.Attr`, or text that is exactly `${X}` or
/// `${X.Attr}`, when `X` is a resource of the template.
pub fn target_id(template: &Template<'_>, node: &Node) -> Option<String> {
    if let Some([(key, arg)]) = node.as_map() {
        let id = match (key.name.as_str(), &arg.value) {
            ("Ref", NodeValue::String(id)) => Some(id.as_str()),
            ("Fn::GetAtt", NodeValue::Seq(items)) => items.first().and_then(Node::as_str),
            ("Fn::GetAtt", NodeValue::String(s)) => s.split_once('.').map(|(id, _)| id),
            _ => None,
        };
        if let Some(id) = id.filter(|id| template.resource_type(id).is_some()) {
            return Some(id.to_string());
        }
    }
    let resolved = template.resolve(node);
    let inner = resolved.text()?.strip_prefix("${")?.strip_suffix('}')?;
    let id = inner.split_once('.').map_or(inner, |(id, _)| id);
    template.resource_type(id).map(|_| id.to_string())
}

/// The functions of a template with the texts that name them, to link sources and routes.
pub struct FunctionNames {
    /// (logical id, name as `Ref` gives it, ARN as `GetAtt .Arn` gives it)
    entries: Vec<(String, String, String)>,
}

impl FunctionNames {
    pub fn of(template: &Template<'_>) -> Self {
        let mut entries = Vec::new();
        for (key, body) in template.resources() {
            let ty = body.get("Type").and_then(Node::as_str);
            if !matches!(ty, Some("AWS::Lambda::Function" | "AWS::Serverless::Function")) {
                continue;
            }
            let name = reference_text(template, key.pos, &key.name, None);
            let arn = reference_text(template, key.pos, &key.name, Some("Arn"));
            if let (Some(name), Some(arn)) = (name, arn) {
                entries.push((key.name.clone(), name, arn));
            }
        }
        FunctionNames { entries }
    }

    /// The function that `text` names: its name, its ARN (with or without a qualifier), or a
    /// token of its own (`${Fn.Alias}`).
    pub fn named(&self, text: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(id, name, arn)| {
                text == name
                    || text == arn
                    || text.strip_prefix(arn.as_str()).is_some_and(|rest| rest.starts_with(':'))
                    || text
                        .strip_prefix("${")
                        .and_then(|t| t.strip_prefix(id.as_str()))
                        .is_some_and(|t| t.starts_with('.'))
            })
            .map(|(id, _, _)| id.as_str())
    }

    /// The function whose ARN appears inside `text`, such as an integration URI.
    pub fn within(&self, text: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(_, _, arn)| {
                text.match_indices(arn.as_str()).any(|(at, _)| {
                    let next = text.get(at + arn.len()..).and_then(|rest| rest.chars().next());
                    !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                })
            })
            .map(|(id, _, _)| id.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use sensei_model::{Inventory, Setting, Syntax};

    use super::{created, finish, map_resource};
    use crate::template::Template;

    /// What `read` does, with the post-pass.
    fn inventory(text: &str) -> Inventory {
        let root = crate::load::load(text).unwrap();
        let overrides = HashMap::new();
        let mut template = Template::new(Arc::from("t.yaml"), Syntax::Yaml, &root, &overrides).unwrap();
        crate::sam::declare_generated(&mut template);
        let mut inventory = Inventory::default();
        for (key, body) in created(&template) {
            map_resource(&template, key, body, &mut inventory);
        }
        finish(&template, &mut inventory);
        inventory
    }

    const DOC: &str = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}";

    #[test]
    fn policies_attach_to_the_roles_they_name_in_template_order() {
        let inv = inventory(&format!(
            "Resources:
  Named: {{Type: AWS::IAM::Policy, Properties: {{PolicyName: named, Roles: [!Ref R], PolicyDocument: {DOC}}}}}
  R:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app-role
      AssumeRolePolicyDocument: {DOC}
      ManagedPolicyArns: [!Ref Shared]
  Shared: {{Type: AWS::IAM::ManagedPolicy, Properties: {{PolicyDocument: {DOC}}}}}
  ByName: {{Type: AWS::IAM::ManagedPolicy, Properties: {{ManagedPolicyName: by-name, Roles: [app-role], PolicyDocument: {DOC}}}}}
  Other: {{Type: AWS::IAM::Role, Properties: {{AssumeRolePolicyDocument: {DOC}}}}}
  Off: {{Type: AWS::IAM::Policy, Condition: Never, Properties: {{PolicyName: off, Roles: [!Ref R], PolicyDocument: {DOC}}}}}
Conditions:
  Never: !Equals [a, b]
"
        ));
        let names: Vec<&str> = inv.roles[0].policies.iter().map(|p| p.policy_name.as_str()).collect();
        assert_eq!(names, vec!["named", "Shared", "by-name"]);
        assert!(inv.roles[1].policies.is_empty());
    }

    #[test]
    fn the_weakest_stage_sets_tracing_and_access_logs() {
        let inv = inventory(
            "Resources:
  Api: {Type: AWS::ApiGateway::RestApi}
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Api, TracingEnabled: true, AccessLogSetting: {DestinationArn: arn:logs}}
  Dev:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Api}
  Only: {Type: AWS::ApiGateway::RestApi}
  OnlyStage:
    Type: AWS::ApiGateway::Deployment
    Properties: {RestApiId: !Ref Only, StageName: v1, StageDescription: {TracingEnabled: true}}
",
        );
        let api = |id: &str| inv.apis.iter().find(|a| a.resource.id == id).unwrap();
        assert_eq!(api("Api").tracing_enabled.known(), Some(&false));
        assert_eq!(api("Api").access_log_destination.known(), Some(&None));
        assert!(matches!(api("Only").tracing_enabled, Setting::Known(true, _)));
    }
}
