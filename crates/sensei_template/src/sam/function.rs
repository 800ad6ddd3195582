//! `AWS::Serverless::Function`: the function, its generated execution role, and its events.

use sensei_model::iam::{InlinePolicy, PolicyAttachment, Role};
use sensei_model::lambda::{
    Alias, CodePackage, EventInvokeConfig, Function, FunctionUrl, Permission, UrlAuthType, Version,
};
use sensei_model::{Inventory, Provenance, Setting};

use crate::node::Node;
use crate::props::Props;
use crate::resources::iam::role_arn;
use crate::resources::lambda::{
    architectures, auth_type, build_method, function_name, in_vpc, layer_architectures, logging_config,
    not_in_templates, number_of, package_type, s3_object, subnets,
};
use crate::resources::{Ctx, Field, field, literal_of, policy_of_val, reference_text, required, text_of, texts_of};
use crate::value::Val;

use super::{events, globals, policies};

pub fn map(cx: &Ctx<'_, '_>, inventory: &mut Inventory) {
    let own = cx.props();
    let props = own.with_globals(globals(cx.template, "Function"));
    let mut function = function(cx, &own, &props);
    let event_policies = events::of_function(cx, inventory);
    if !own.has("Role") {
        inventory.roles.push(execution_role(cx, &props, event_policies));
    }
    let alias = publish_alias(cx, &props, &mut function);
    if let Some(config) = event_invoke_config(cx, &props, alias.as_deref()) {
        function.event_invoke_configs.push(config);
    }
    if let Some(url) = function_url(cx, &props, alias.as_deref(), inventory) {
        function.urls.push(url);
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
    let layers = texts_of("Layers", merged(props, &["Layers"]));
    let vpc_subnets = merged(props, &["VpcConfig", "SubnetIds"]);
    Function {
        resource: cx.resource_ref("AWS::Lambda::Function"),
        serverless: true,
        function_name: function_name(cx, own),
        runtime: props.literal("Runtime"),
        handler: props.text("Handler"),
        package_type: package_type(own),
        code: code(props, cx.body),
        image_command: texts_of("Command", field(props, &["ImageConfig", "Command"])),
        build_method: build_method(cx.body),
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
        layer_architectures: layer_architectures(cx.template, &layers),
        layers,
        in_vpc: in_vpc(field(props, &["VpcConfig"]), vpc_subnets.clone()),
        subnets: subnets(cx.template, vpc_subnets),
        logging_config: logging_config(props),
        code_size: not_in_templates(),
        versions: Setting::default_value(Vec::new()),
        aliases: Setting::default_value(Vec::new()),
        event_invoke_configs: Vec::new(),
        urls: Vec::new(),
    }
}

/// `InlineCode`, `ImageUri`, or `CodeUri` as a path, an `s3://` URI or `{Bucket, Key, Version}`.
fn code(props: &Props<'_, '_>, body: &Node) -> Setting<CodePackage> {
    if let Some((_, prov)) = field(props, &["InlineCode"]) {
        return Setting::Known(CodePackage::Inline, prov);
    }
    if let Some(f) = field(props, &["ImageUri"]) {
        return required(text_of("ImageUri", Some(f)), "`ImageUri` is empty").map(CodePackage::Image);
    }
    if let Some(image) = docker_build(body) {
        return Setting::default_value(CodePackage::Image(image));
    }
    match field(props, &["CodeUri"]) {
        None => Setting::Unknown("the function has no `CodeUri`".to_string()),
        Some((value @ Val::Map(_), prov)) => s3_object(
            field(props, &["CodeUri", "Bucket"]),
            field(props, &["CodeUri", "Key"]),
            field(props, &["CodeUri", "Version"]),
            prov,
            &value,
        ),
        Some(f) => required(text_of("CodeUri", Some(f)), "`CodeUri` is empty").map(CodePackage::Uri),
    }
}

/// The image `sam build` builds from `Metadata` (`DockerContext`, `Dockerfile`, `DockerTag`) for
/// an image function that names no `ImageUri`.
fn docker_build(body: &Node) -> Option<String> {
    let metadata = body.get("Metadata")?;
    let context = metadata.get("DockerContext")?.as_str()?;
    let dockerfile = metadata.get("Dockerfile").and_then(Node::as_str).unwrap_or("Dockerfile");
    let tag = metadata.get("DockerTag").and_then(Node::as_str).map(|t| format!(":{t}")).unwrap_or_default();
    Some(format!("{}/{dockerfile}{tag}", context.trim_end_matches('/')))
}

/// `AutoPublishAlias`: SAM publishes a version and points the alias at it, with the function's
/// `ProvisionedConcurrencyConfig`. Gives the alias name when it is known.
fn publish_alias(cx: &Ctx<'_, '_>, props: &Props<'_, '_>, function: &mut Function) -> Option<String> {
    let (value, prov) = field(props, &["AutoPublishAlias"])?;
    let name = match text_of("AutoPublishAlias", Some((value, prov))) {
        Setting::Known(Some(name), prov) => Setting::Known(name, prov),
        Setting::Known(None, _) => return None,
        Setting::Unknown(why) => Setting::Unknown(why),
    };
    let provisioned = match field(props, &["ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions"]) {
        None => Setting::absent(),
        Some((v, prov)) => number_of("ProvisionedConcurrentExecutions", v, prov),
    };
    let suffix: String =
        name.known().map(|n| n.chars().filter(char::is_ascii_alphanumeric).collect()).unwrap_or_default();
    if let Some(versions) = function.versions.known_mut() {
        versions.push(Version {
            resource: cx.generated_ref(format!("{}Version", cx.id()), "AWS::Lambda::Version"),
            provisioned_concurrent_executions: Setting::absent(),
        });
    }
    if let Some(aliases) = function.aliases.known_mut() {
        aliases.push(Alias {
            resource: cx.generated_ref(format!("{}Alias{suffix}", cx.id()), "AWS::Lambda::Alias"),
            name: name.clone(),
            provisioned_concurrent_executions: provisioned,
        });
    }
    name.known().cloned()
}

/// `EventInvokeConfig`: SAM writes an `AWS::Lambda::EventInvokeConfig` for the alias (or
/// `$LATEST`), and creates the queue or topic of a destination whose `Destination` is left out.
fn event_invoke_config(cx: &Ctx<'_, '_>, props: &Props<'_, '_>, alias: Option<&str>) -> Option<EventInvokeConfig> {
    let (_, prov) = field(props, &["EventInvokeConfig"])?;
    let id = format!("{}EventInvokeConfig", cx.id());
    let destination = |on: &str| -> Setting<Option<String>> {
        let path = ["EventInvokeConfig", "DestinationConfig", on];
        if field(props, &path).is_none() {
            return Setting::absent();
        }
        match text_of("Destination", field(props, &[path[0], path[1], on, "Destination"])) {
            Setting::Known(None, _) => match literal_of("Type", field(props, &[path[0], path[1], on, "Type"])) {
                Setting::Known(Some(t), prov) if t == "SQS" => {
                    Setting::Known(Some(format!("${{{id}{on}Queue.Arn}}")), prov)
                }
                Setting::Known(Some(t), prov) if t == "SNS" => {
                    Setting::Known(Some(format!("${{{id}{on}Topic}}")), prov)
                }
                Setting::Unknown(why) => Setting::Unknown(why),
                _ => Setting::Unknown(format!("`{on}` names no `Destination`")),
            },
            other => other,
        }
    };
    let number = |name: &str, default: u32| match field(props, &["EventInvokeConfig", name]) {
        None => Setting::default_value(default),
        Some((v, prov)) => match number_of(name, v, prov) {
            Setting::Known(Some(n), prov) => Setting::Known(n, prov),
            Setting::Known(None, _) => Setting::default_value(default),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
    };
    Some(EventInvokeConfig {
        resource: cx.generated_ref(id.clone(), "AWS::Lambda::EventInvokeConfig"),
        qualifier: Setting::Known(alias.unwrap_or("$LATEST").to_string(), prov),
        on_failure_destination: destination("OnFailure"),
        on_success_destination: destination("OnSuccess"),
        maximum_retry_attempts: number("MaximumRetryAttempts", 2),
        maximum_event_age_in_seconds: number("MaximumEventAgeInSeconds", 21_600),
    })
}

/// `FunctionUrlConfig`: SAM writes an `AWS::Lambda::Url` and, for `AuthType: NONE`, the
/// permission that lets anyone call it.
fn function_url(
    cx: &Ctx<'_, '_>,
    props: &Props<'_, '_>,
    alias: Option<&str>,
    inventory: &mut Inventory,
) -> Option<FunctionUrl> {
    let (_, prov) = field(props, &["FunctionUrlConfig"])?;
    let auth = auth_type(&props.nested("FunctionUrlConfig"));
    if matches!(auth, Setting::Known(UrlAuthType::None, _)) {
        let name = reference_text(cx.template, cx.key.pos, cx.id(), None).unwrap_or_else(|| cx.id().to_string());
        inventory.permissions.push(Permission {
            resource: cx.generated_ref(format!("{}UrlPublicPermissions", cx.id()), "AWS::Lambda::Permission"),
            function: Setting::default_value(name),
            action: Setting::default_value("lambda:InvokeFunctionUrl".to_string()),
            principal: Setting::default_value("*".to_string()),
            source_arn: Setting::absent(),
            source_account: Setting::absent(),
            principal_org_id: Setting::absent(),
            event_source_token: Setting::absent(),
            function_url_auth_type: Setting::default_value(Some("NONE".to_string())),
        });
    }
    Some(FunctionUrl {
        resource: cx.generated_ref(format!("{}Url", cx.id()), "AWS::Lambda::Url"),
        auth_type: auth,
        qualifier: Setting::Known(alias.map(str::to_string), prov),
    })
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
                attachment: PolicyAttachment::Inline,
            });
        }
    };
    Some(InlinePolicy {
        policy_name: "DeadLetterQueuePolicy".to_string(),
        policy_document: policy_of_val(cx.template, &policies::allow(action, target), cx.key.pos, prov),
        attachment: PolicyAttachment::Inline,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use sensei_model::lambda::{CodePackage, Function, UrlAuthType};
    use sensei_model::{Inventory, Setting};

    fn inventory(text: &str) -> Inventory {
        let read = crate::read("t.yaml", text, &crate::Options::default()).unwrap();
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        read.inventory
    }

    fn function<'a>(inv: &'a Inventory, id: &str) -> &'a Function {
        inv.functions.iter().find(|f| f.resource.id == id).unwrap()
    }

    #[test]
    fn sam_properties_become_the_resources_sam_generates() {
        let inv = inventory(
            "Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    AutoPublishAlias: live
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {Bucket: artifacts, Key: fn.zip}
      Handler: app.handler
      Runtime: python3.13
      ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 3}
      EventInvokeConfig:
        MaximumRetryAttempts: 0
        DestinationConfig:
          OnFailure: {Type: SQS, Destination: !GetAtt Queue.Arn}
          OnSuccess: {Type: SNS}
      FunctionUrlConfig: {AuthType: NONE}
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Queue.Arn}
",
        );
        let f = function(&inv, "Fn");
        assert!(f.serverless);
        let aliases = f.aliases.known().unwrap();
        assert_eq!(aliases[0].resource.id, "FnAliaslive");
        assert_eq!(aliases[0].name.known().map(String::as_str), Some("live"));
        assert_eq!(aliases[0].provisioned_concurrent_executions.known(), Some(&Some(3)));
        assert_eq!(f.versions.known().map(Vec::len), Some(1));
        let config = &f.event_invoke_configs[0];
        assert_eq!(config.qualifier.known().map(String::as_str), Some("live"));
        assert_eq!(config.maximum_retry_attempts.known(), Some(&0));
        assert_eq!(config.on_failure_destination.known(), Some(&Some("${Queue.Arn}".to_string())));
        assert_eq!(
            config.on_success_destination.known(),
            Some(&Some("${FnEventInvokeConfigOnSuccessTopic}".to_string()))
        );
        assert_eq!(f.urls[0].auth_type.known(), Some(&UrlAuthType::None));
        assert_eq!(f.urls[0].qualifier.known(), Some(&Some("live".to_string())));
        assert_eq!(f.dead_letter_target_arn.known(), Some(&Some("${Queue.Arn}".to_string())));
        assert_eq!(
            f.code.known(),
            Some(&CodePackage::S3 { bucket: "artifacts".into(), key: "fn.zip".into(), version: None })
        );
        // The permission SAM adds for a public URL.
        let public = inv.permissions.iter().find(|p| p.resource.id == "FnUrlPublicPermissions").unwrap();
        assert_eq!(public.principal.known().map(String::as_str), Some("*"));
        assert_eq!(public.function_url_auth_type.known(), Some(&Some("NONE".to_string())));
    }

    #[test]
    fn code_packages_are_typed() {
        let inv = inventory(
            "Transform: AWS::Serverless-2016-10-31
Resources:
  Path: {Type: AWS::Serverless::Function, Properties: {CodeUri: src/, Handler: a.h, Runtime: python3.13}}
  Inline: {Type: AWS::Serverless::Function, Properties: {InlineCode: 'def h(e, c): pass', Handler: index.h, Runtime: python3.13}}
  Built:
    Type: AWS::Serverless::Function
    Metadata: {DockerContext: ./app, Dockerfile: Dockerfile, DockerTag: v1}
    Properties: {PackageType: Image, ImageConfig: {Command: [app.handler]}}
  Bundled:
    Type: AWS::Serverless::Function
    Metadata: {BuildMethod: esbuild}
    Properties: {CodeUri: src/, Handler: b.handler, Runtime: nodejs22.x, LoggingConfig: {LogGroup: shared}}
",
        );
        assert_eq!(function(&inv, "Path").code.known(), Some(&CodePackage::Uri("src/".into())));
        assert_eq!(function(&inv, "Inline").code.known(), Some(&CodePackage::Inline));
        let built = function(&inv, "Built");
        assert_eq!(built.code.known(), Some(&CodePackage::Image("./app/Dockerfile:v1".into())));
        assert_eq!(built.image_command.known(), Some(&vec!["app.handler".to_string()]));
        let bundled = function(&inv, "Bundled");
        assert_eq!(bundled.build_method.known(), Some(&Some("esbuild".to_string())));
        let Setting::Known(Some(logging), _) = &bundled.logging_config else { panic!() };
        assert_eq!(logging.log_group.known(), Some(&Some("shared".to_string())));
        assert!(bundled.aliases.known().is_some_and(Vec::is_empty) && bundled.urls.is_empty());
    }
}
