//! `AWS::Serverless::Function`: the function, its generated execution role, and its events.

use sensei_model::iam::{InlinePolicy, Role};
use sensei_model::lambda::Function;
use sensei_model::{Inventory, Provenance, Setting};

use crate::props::Props;
use crate::resources::iam::role_arn;
use crate::resources::lambda::{architectures, function_name, in_vpc, package_type};
use crate::resources::{Ctx, Field, field, literal_of, policy_of_val, required, text_of, texts_of};
use crate::value::Val;

use super::{events, globals, policies};

pub fn map(cx: &Ctx<'_, '_>, inventory: &mut Inventory) {
    let own = cx.props();
    let props = own.with_globals(globals(cx.template, "Function"));
    let function = function(cx, &own, &props);
    let event_policies = events::of_function(cx, inventory);
    if !own.has("Role") {
        inventory.roles.push(execution_role(cx, &props, event_policies));
    }
    inventory.functions.push(function);
}

/// The function, from SAM's property names. `own` holds the properties SAM takes only from the
/// resource (`FunctionName`, `Role`, `PackageType`); `props` adds the `Globals`.
fn function(cx: &Ctx<'_, '_>, own: &Props<'_, '_>, props: &Props<'_, '_>) -> Function {
    let role = if own.has("Role") {
        required(own.text("Role"), "`Role` is empty")
    } else {
        Setting::default_value(role_arn(cx.template, cx.key.pos, &role_id(cx)))
    };
    Function {
        resource: cx.resource_ref("AWS::Lambda::Function"),
        function_name: function_name(cx, own),
        runtime: props.literal("Runtime"),
        handler: props.text("Handler"),
        package_type: package_type(own),
        memory_size: props.number_or("MemorySize", 128),
        timeout: props.number_or("Timeout", 3),
        architectures: architectures(merged(props, &["Architectures"])),
        role,
        tracing_mode: match props.literal("Tracing") {
            Setting::Known(Some(mode), prov) if mode == "Disabled" => Setting::Known(None, prov),
            other => other,
        },
        dead_letter_target_arn: text_of("TargetArn", field(props, &["DeadLetterQueue", "TargetArn"])),
        reserved_concurrent_executions: props.number("ReservedConcurrentExecutions"),
        layers: texts_of("Layers", merged(props, &["Layers"])),
        in_vpc: in_vpc(field(props, &["VpcConfig"]), merged(props, &["VpcConfig", "SubnetIds"])),
    }
}

fn role_id(cx: &Ctx<'_, '_>) -> String {
    format!("{}Role", cx.id())
}

/// A list that SAM merges: the `Globals` list followed by the resource's own.
fn merged(props: &Props<'_, '_>, path: &[&str]) -> Field {
    let own = field(&Props { globals: None, ..*props }, path);
    let global = field(&Props { node: None, ..*props }, path);
    match (own, global) {
        (Some((Val::List(mine), prov)), Some((Val::List(theirs), _))) => {
            Some((Val::List(theirs.into_iter().chain(mine).collect()), prov))
        }
        (Some(own), _) => Some(own),
        (None, global) => global,
    }
}

const BASIC_EXECUTION: &str = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const VPC_ACCESS: &str = "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";
/// The X-Ray policy SAM attaches in the commercial partition.
pub const XRAY: &str = "arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess";

/// `<Function>Role`, which SAM generates when the function names no `Role`.
fn execution_role(cx: &Ctx<'_, '_>, props: &Props<'_, '_>, event_policies: Vec<String>) -> Role {
    let id = role_id(cx);
    let mut managed = vec![BASIC_EXECUTION.to_string()];
    // SAM adds X-Ray for any `Tracing` but `Disabled`.
    let tracing = props.literal("Tracing");
    if !matches!(tracing.known(), Some(None)) && tracing.known() != Some(&Some("Disabled".to_string())) {
        managed.push(XRAY.to_string());
    }
    if field(props, &["VpcConfig"]).is_some() {
        managed.push(VPC_ACCESS.to_string());
    }
    let mut inline: Vec<InlinePolicy> = dead_letter_policy(cx, props).into_iter().collect();
    let own = cx.props();
    let declared = policies::expand(cx.template, &id, own.node.and_then(|p| p.get("Policies")));
    inline.extend(declared.inline);
    let managed_policy_arns = managed_arns(managed, declared.managed, event_policies, own.raw("Policies"));
    Role {
        resource: cx.generated_ref(id.clone(), "AWS::IAM::Role"),
        arn: role_arn(cx.template, cx.key.pos, &id),
        assume_role_policy_document: match props.raw("AssumeRolePolicyDocument") {
            Some(_) => props.policy("AssumeRolePolicyDocument"),
            None => trust_policy(cx, "lambda.amazonaws.com"),
        },
        policies: inline,
        managed_policy_arns,
    }
}

/// The managed policy ARNs of a generated role, in SAM's order, without repeats; declared where
/// `Policies` is.
pub fn managed_arns(
    mut list: Vec<String>,
    declared: Vec<String>,
    more: Vec<String>,
    policies: Option<(&crate::node::Node, Provenance)>,
) -> Setting<Vec<String>> {
    for arn in declared.into_iter().chain(more) {
        if !list.contains(&arn) {
            list.push(arn);
        }
    }
    match policies {
        Some((_, prov)) => Setting::Known(list, prov),
        None => Setting::default_value(list),
    }
}

/// The trust policy SAM writes for a service.
pub fn trust_policy(cx: &Ctx<'_, '_>, service: &str) -> Setting<sensei_model::Policy> {
    policy_of_val(cx.template, &policies::trust(service), cx.key.pos, Provenance::Default)
}

/// `DeadLetterQueuePolicy`: SAM lets the role send to the function's dead-letter queue or topic.
fn dead_letter_policy(cx: &Ctx<'_, '_>, props: &Props<'_, '_>) -> Option<InlinePolicy> {
    let (target, prov) = field(props, &["DeadLetterQueue", "TargetArn"])?;
    let action = match literal_of("Type", field(props, &["DeadLetterQueue", "Type"])) {
        Setting::Known(Some(t), _) if t == "SQS" => "sqs:SendMessage",
        Setting::Known(Some(t), _) if t == "SNS" => "sns:Publish",
        _ => {
            let why = "`DeadLetterQueue.Type` should be SQS or SNS".to_string();
            return Some(InlinePolicy {
                policy_name: "DeadLetterQueuePolicy".to_string(),
                policy_document: Setting::Unknown(why),
            });
        }
    };
    Some(InlinePolicy {
        policy_name: "DeadLetterQueuePolicy".to_string(),
        policy_document: policy_of_val(cx.template, &policies::allow(action, target), cx.key.pos, prov),
    })
}
