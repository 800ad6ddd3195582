//! `AWS::Lambda::Function`, `LayerVersion`, `EventSourceMapping` and `Permission`.

use sensei_model::Setting;
use sensei_model::lambda::{
    Architecture, EventSource, EventSourceKind, Function, LayerVersion, PackageType, Permission,
};

use crate::props::Props;

use super::{Ctx, Field, FunctionNames, field, literal_of, required, text_of, texts_of};

pub fn function(cx: &Ctx<'_, '_>) -> Function {
    let props = cx.props();
    Function {
        resource: cx.resource_ref("AWS::Lambda::Function"),
        function_name: function_name(cx, &props),
        runtime: props.literal("Runtime"),
        handler: props.text("Handler"),
        package_type: package_type(&props),
        memory_size: props.number_or("MemorySize", 128),
        timeout: props.number_or("Timeout", 3),
        architectures: architectures(field(&props, &["Architectures"])),
        role: required(props.text("Role"), "the function names no `Role`"),
        tracing_mode: literal_of("Mode", field(&props, &["TracingConfig", "Mode"])),
        dead_letter_target_arn: text_of("TargetArn", field(&props, &["DeadLetterConfig", "TargetArn"])),
        reserved_concurrent_executions: props.number("ReservedConcurrentExecutions"),
        layers: props.texts("Layers"),
        in_vpc: in_vpc(field(&props, &["VpcConfig"]), field(&props, &["VpcConfig", "SubnetIds"])),
    }
}

/// `FunctionName`, or `${LogicalId}` for the name CloudFormation generates.
pub fn function_name(cx: &Ctx<'_, '_>, props: &Props<'_, '_>) -> Setting<String> {
    match props.text("FunctionName") {
        Setting::Known(Some(name), prov) => Setting::Known(name, prov),
        Setting::Known(None, _) => Setting::default_value(format!("${{{}}}", cx.id())),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

pub fn package_type(props: &Props<'_, '_>) -> Setting<PackageType> {
    match props.literal("PackageType") {
        Setting::Known(None, _) => Setting::default_value(PackageType::Zip),
        Setting::Known(Some(t), prov) => match t.as_str() {
            "Zip" => Setting::Known(PackageType::Zip, prov),
            "Image" => Setting::Known(PackageType::Image, prov),
            other => Setting::Unknown(format!("`PackageType` is `{other}`, neither `Zip` nor `Image`")),
        },
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

/// `Architectures`; AWS default `[x86_64]`.
pub fn architectures(f: Field) -> Setting<Vec<Architecture>> {
    match texts_of("Architectures", f) {
        Setting::Known(list, _) if list.is_empty() => Setting::default_value(vec![Architecture::X86_64]),
        Setting::Known(list, _) if list.iter().any(|a| a.contains("${")) => {
            Setting::Unknown("`Architectures` is known only at deploy time".to_string())
        }
        Setting::Known(list, prov) => Setting::Known(list.iter().map(|a| Architecture::parse(a)).collect(), prov),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

/// Whether `VpcConfig` puts the function in subnets.
pub fn in_vpc(config: Field, subnets: Field) -> Setting<bool> {
    let Some((_, config_prov)) = config else { return Setting::default_value(false) };
    match texts_of("SubnetIds", subnets) {
        Setting::Known(ids, _) if ids.is_empty() => Setting::Known(false, config_prov),
        Setting::Known(_, prov) => Setting::Known(true, prov),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

pub fn layer_version(cx: &Ctx<'_, '_>) -> LayerVersion {
    let props = cx.props();
    LayerVersion {
        resource: cx.resource_ref("AWS::Lambda::LayerVersion"),
        compatible_runtimes: props.texts("CompatibleRuntimes"),
    }
}

pub fn event_source_mapping(cx: &Ctx<'_, '_>) -> EventSource {
    let props = cx.props();
    let event_source_arn = props.text("EventSourceArn");
    let kind = match &event_source_arn {
        _ if props.has("SelfManagedEventSource") => EventSourceKind::SelfManagedKafka,
        Setting::Known(Some(arn), _) => kind_of_source(cx, arn),
        _ => EventSourceKind::Mapping,
    };
    let function = match props.text("FunctionName") {
        Setting::Known(Some(name), _) => FunctionNames::of(cx.template).named(&name).map(str::to_string),
        _ => None,
    };
    EventSource {
        resource: cx.resource_ref("AWS::Lambda::EventSourceMapping"),
        function,
        kind,
        event_source_arn,
        batch_size: props.number("BatchSize"),
    }
}

/// The kind of a polled source, from its ARN's service or the type of the resource it names.
fn kind_of_source(cx: &Ctx<'_, '_>, arn: &str) -> EventSourceKind {
    if let Some(kind) = arn.split(':').nth(2).and_then(kind_of_service) {
        return kind;
    }
    let named = arn.strip_prefix("${").and_then(|t| t.split(['.', '}']).next());
    match named.and_then(|id| cx.template.resource_type(id)) {
        Some("AWS::SQS::Queue") => EventSourceKind::Sqs,
        Some("AWS::Kinesis::Stream" | "AWS::Kinesis::StreamConsumer") => EventSourceKind::Kinesis,
        Some("AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable") => EventSourceKind::DynamoDb,
        Some("AWS::MSK::Cluster" | "AWS::MSK::ServerlessCluster") => EventSourceKind::Msk,
        Some("AWS::AmazonMQ::Broker") => EventSourceKind::MQ,
        Some("AWS::DocDB::DBCluster") => EventSourceKind::DocumentDb,
        _ => EventSourceKind::Mapping,
    }
}

fn kind_of_service(service: &str) -> Option<EventSourceKind> {
    Some(match service {
        "sqs" => EventSourceKind::Sqs,
        "kinesis" => EventSourceKind::Kinesis,
        "dynamodb" => EventSourceKind::DynamoDb,
        "kafka" => EventSourceKind::Msk,
        "mq" => EventSourceKind::MQ,
        "rds" | "docdb" | "docdb-elastic" => EventSourceKind::DocumentDb,
        _ => return None,
    })
}

pub fn permission(cx: &Ctx<'_, '_>) -> Permission {
    let props = cx.props();
    let text = |name: &str| text_of(name, field(&props, &[name]));
    Permission {
        resource: cx.resource_ref("AWS::Lambda::Permission"),
        function: required(text("FunctionName"), "the permission names no `FunctionName`"),
        action: required(text("Action"), "the permission names no `Action`"),
        principal: required(text("Principal"), "the permission names no `Principal`"),
        source_arn: text("SourceArn"),
        source_account: text("SourceAccount"),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    match ty {
        "AWS::Lambda::Function" => inventory.functions.push(function(cx)),
        "AWS::Lambda::LayerVersion" => inventory.layers.push(layer_version(cx)),
        "AWS::Lambda::EventSourceMapping" => inventory.event_sources.push(event_source_mapping(cx)),
        "AWS::Lambda::Permission" => inventory.permissions.push(permission(cx)),
        _ => {}
    }
}

/// Links made once every resource is mapped.
pub fn finish(_template: &crate::template::Template<'_>, _inventory: &mut sensei_model::Inventory) {}
