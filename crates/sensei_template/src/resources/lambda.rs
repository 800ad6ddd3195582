//! `AWS::Lambda::Function`, `LayerVersion`, `EventSourceMapping` and `Permission`; `Version`,
//! `Alias`, `EventInvokeConfig` and `Url`, which are attached to their function once every
//! resource is mapped.

use sensei_model::lambda::{
    Alias, Architecture, AvailabilityZone, CodePackage, EventInvokeConfig, EventSource, EventSourceKind, Function,
    FunctionUrl, LayerArchitectures, LayerVersion, LoggingConfig, PackageType, Permission, Subnet, UrlAuthType,
    Version,
};
use sensei_model::{Inventory, Provenance, Setting};

use crate::node::{Node, NodeValue};
use crate::props::Props;
use crate::template::Template;
use crate::value::Val;

use super::{Ctx, Field, FunctionNames, created, field, literal_of, required, text_of, texts_of};

pub fn function(cx: &Ctx<'_, '_>) -> Function {
    let props = cx.props();
    let layers = props.texts("Layers");
    let vpc_subnets = field(&props, &["VpcConfig", "SubnetIds"]);
    Function {
        resource: cx.resource_ref("AWS::Lambda::Function"),
        serverless: false,
        function_name: function_name(cx, &props),
        runtime: props.literal("Runtime"),
        handler: props.text("Handler"),
        package_type: package_type(&props),
        code: code(&props),
        image_command: texts_of("Command", field(&props, &["ImageConfig", "Command"])),
        build_method: build_method(cx.body),
        memory_size: props.number_or("MemorySize", 128),
        timeout: props.number_or("Timeout", 3),
        architectures: architectures(field(&props, &["Architectures"])),
        role: required(props.text("Role"), "the function names no `Role`"),
        tracing_mode: literal_of("Mode", field(&props, &["TracingConfig", "Mode"])),
        dead_letter_target_arn: text_of("TargetArn", field(&props, &["DeadLetterConfig", "TargetArn"])),
        reserved_concurrent_executions: props.number("ReservedConcurrentExecutions"),
        layer_architectures: layer_architectures(cx.template, &layers),
        layers,
        in_vpc: in_vpc(field(&props, &["VpcConfig"]), vpc_subnets.clone()),
        subnets: subnets(cx.template, vpc_subnets),
        logging_config: logging_config(&props),
        code_size: not_in_templates(),
        versions: Setting::default_value(Vec::new()),
        aliases: Setting::default_value(Vec::new()),
        event_invoke_configs: Vec::new(),
        urls: Vec::new(),
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

/// `Code`: an S3 object, a container image, or inline code.
fn code(props: &Props<'_, '_>) -> Setting<CodePackage> {
    let Some((value, prov)) = field(props, &["Code"]) else {
        return Setting::Unknown("the function has no `Code`".to_string());
    };
    if value.get("ZipFile").is_some() {
        return Setting::Known(CodePackage::Inline, prov);
    }
    if value.get("ImageUri").is_some() {
        return text_known("ImageUri", field(props, &["Code", "ImageUri"])).map(CodePackage::Image);
    }
    s3_object(
        field(props, &["Code", "S3Bucket"]),
        field(props, &["Code", "S3Key"]),
        field(props, &["Code", "S3ObjectVersion"]),
        prov,
        &value,
    )
}

/// A package in S3 from its bucket, key and version fields.
pub fn s3_object(bucket: Field, key: Field, version: Field, prov: Provenance, whole: &Val) -> Setting<CodePackage> {
    if let Val::Unknown(why) = whole {
        return Setting::Unknown(why.clone());
    }
    let bucket = text_known("S3Bucket", bucket);
    let key = text_known("S3Key", key);
    let version = text_of("S3ObjectVersion", version);
    match (bucket, key, version) {
        (Setting::Known(bucket, _), Setting::Known(key, _), Setting::Known(version, _)) => {
            Setting::Known(CodePackage::S3 { bucket, key, version }, prov)
        }
        (Setting::Unknown(why), _, _) | (_, Setting::Unknown(why), _) | (_, _, Setting::Unknown(why)) => {
            Setting::Unknown(why)
        }
    }
}

/// A string that must be present.
fn text_known(name: &str, f: Field) -> Setting<String> {
    required(text_of(name, f), &format!("`{name}` is missing"))
}

/// SAM `Metadata.BuildMethod`, which `sam build` reads from any function resource.
pub fn build_method(body: &Node) -> Setting<Option<String>> {
    match body.get("Metadata").and_then(|m| m.get("BuildMethod")) {
        None => Setting::absent(),
        Some(n) => match n.as_str() {
            Some(s) => Setting::Known(Some(s.to_string()), Provenance::Default),
            None => Setting::Unknown("`Metadata.BuildMethod` should be a string".to_string()),
        },
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

/// The subnets of `VpcConfig.SubnetIds`, each with the Availability Zone of the
/// `AWS::EC2::Subnet` of the template it names.
pub fn subnets(template: &Template<'_>, ids: Field) -> Setting<Vec<Subnet>> {
    let prov = match &ids {
        Some((_, prov)) => prov.clone(),
        None => Provenance::Default,
    };
    let list = match texts_of("SubnetIds", ids) {
        Setting::Known(list, _) => list,
        Setting::Unknown(why) => return Setting::Unknown(why),
    };
    let subnets = list
        .into_iter()
        .map(|subnet_id| {
            let availability_zone = availability_zone(template, &subnet_id);
            Subnet { subnet_id, availability_zone }
        })
        .collect();
    Setting::Known(subnets, prov)
}

/// The zone of the subnet that `text` names: `${Id}` of an `AWS::EC2::Subnet` of the template.
fn availability_zone(template: &Template<'_>, text: &str) -> Setting<AvailabilityZone> {
    let id = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')).filter(|t| !t.contains(['.', ':', '$']));
    let Some(body) =
        id.filter(|id| template.resource_type(id) == Some("AWS::EC2::Subnet")).and_then(|id| template.resource(id))
    else {
        return Setting::Unknown(format!("subnet `{text}` is not an `AWS::EC2::Subnet` of the template"));
    };
    let props = body.get("Properties");
    let location = |n: &Node| Provenance::Declared(template.location(n.pos));
    if let Some(node) = props.and_then(|p| p.get("AvailabilityZone")) {
        if let Some(index) = nth_zone_of_region(template, node) {
            return Setting::Known(AvailabilityZone::NthOfRegion(index), location(node));
        }
        return match template.resolve(node) {
            Val::Str(zone) => Setting::Known(AvailabilityZone::Name(zone), location(node)),
            Val::Sym(s) => Setting::Unknown(format!("the zone of subnet `{text}` is `{s}`, known only at deploy time")),
            Val::Unknown(why) => Setting::Unknown(format!("the zone of subnet `{text}`: {why}")),
            _ => Setting::Unknown(format!("the `AvailabilityZone` of subnet `{text}` is not a string")),
        };
    }
    if let Some(node) = props.and_then(|p| p.get("AvailabilityZoneId")) {
        return match template.resolve(node) {
            Val::Str(zone) => Setting::Known(AvailabilityZone::Id(zone), location(node)),
            _ => Setting::Unknown(format!("the zone of subnet `{text}` is known only at deploy time")),
        };
    }
    Setting::Unknown(format!("subnet `{text}` names no zone: EC2 picks one at deploy time"))
}

/// `n` in `!Select [n, !GetAZs '']` (or `!GetAZs !Ref AWS::Region`): a zone of the stack's region.
fn nth_zone_of_region(template: &Template<'_>, node: &Node) -> Option<u32> {
    let [(key, arg)] = node.as_map()? else { return None };
    if key.name != "Fn::Select" {
        return None;
    }
    let [index, list] = arg.as_seq()? else { return None };
    let [(get_azs, region)] = list.as_map()? else { return None };
    if get_azs.name != "Fn::GetAZs" {
        return None;
    }
    let own_region = match &region.value {
        NodeValue::String(s) => s.is_empty(),
        _ => template.resolve(region).text() == Some("${AWS::Region}"),
    };
    if !own_region {
        return None;
    }
    template.resolve(index).text()?.trim().parse().ok()
}

/// The compatible architectures of each layer in `layers` that is a layer version of the template.
pub fn layer_architectures(template: &Template<'_>, layers: &Setting<Vec<String>>) -> Vec<LayerArchitectures> {
    let Some(layers) = layers.known() else { return Vec::new() };
    layers
        .iter()
        .filter_map(|layer| {
            let id = layer.strip_prefix("${").and_then(|t| t.strip_suffix('}'))?;
            let ty = template.resource_type(id)?;
            if !matches!(ty, "AWS::Lambda::LayerVersion" | "AWS::Serverless::LayerVersion") {
                return None;
            }
            let body = template.resource(id)?;
            let props = Props::new(template, body);
            let compatible_architectures = match props.texts("CompatibleArchitectures") {
                Setting::Known(list, prov) => {
                    Setting::Known(list.iter().map(|a| Architecture::parse(a)).collect(), prov)
                }
                Setting::Unknown(why) => Setting::Unknown(why),
            };
            Some(LayerArchitectures { layer: layer.clone(), compatible_architectures })
        })
        .collect()
}

/// `LoggingConfig`.
pub fn logging_config(props: &Props<'_, '_>) -> Setting<Option<LoggingConfig>> {
    match field(props, &["LoggingConfig"]) {
        None => Setting::absent(),
        Some((Val::Unknown(why), _)) => Setting::Unknown(why),
        Some((_, prov)) => Setting::Known(
            Some(LoggingConfig {
                log_group: text_of("LogGroup", field(props, &["LoggingConfig", "LogGroup"])),
                log_format: literal_of("LogFormat", field(props, &["LoggingConfig", "LogFormat"])),
            }),
            prov,
        ),
    }
}

/// A value only a deployed function has.
pub fn not_in_templates<T>() -> Setting<T> {
    Setting::Unknown("known only for a deployed function".to_string())
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
        principal_org_id: text("PrincipalOrgID"),
        event_source_token: text("EventSourceToken"),
        function_url_auth_type: props.literal("FunctionUrlAuthType"),
    }
}

/// `ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions`.
pub fn provisioned_concurrency(props: &Props<'_, '_>) -> Setting<Option<u32>> {
    match field(props, &["ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions"]) {
        None => Setting::absent(),
        Some((v, prov)) => number_of("ProvisionedConcurrentExecutions", v, prov),
    }
}

/// A whole number from a resolved value.
pub fn number_of(name: &str, value: Val, prov: Provenance) -> Setting<Option<u32>> {
    match value {
        Val::Num(s) | Val::Str(s) => match s.trim().parse::<u32>() {
            Ok(n) => Setting::Known(Some(n), prov),
            Err(_) => Setting::Unknown(format!("`{name}` is `{s}`, not a whole number")),
        },
        Val::Sym(s) => Setting::Unknown(format!("`{name}` is `{s}`, known only at deploy time")),
        Val::Unknown(why) => Setting::Unknown(why),
        _ => Setting::Unknown(format!("`{name}` should be a number")),
    }
}

/// `DestinationConfig.<OnFailure|OnSuccess>.Destination`.
fn destination(props: &Props<'_, '_>, on: &str) -> Setting<Option<String>> {
    text_of("Destination", field(props, &["DestinationConfig", on, "Destination"]))
}

/// Whole-number settings with an AWS default.
fn number_or(name: &str, f: Field, default: u32) -> Setting<u32> {
    match f {
        None => Setting::default_value(default),
        Some((v, prov)) => match number_of(name, v, prov) {
            Setting::Known(Some(n), prov) => Setting::Known(n, prov),
            Setting::Known(None, _) => Setting::default_value(default),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
    }
}

pub fn version(cx: &Ctx<'_, '_>) -> Version {
    Version {
        resource: cx.resource_ref("AWS::Lambda::Version"),
        provisioned_concurrent_executions: provisioned_concurrency(&cx.props()),
    }
}

pub fn alias(cx: &Ctx<'_, '_>) -> Alias {
    let props = cx.props();
    Alias {
        resource: cx.resource_ref("AWS::Lambda::Alias"),
        name: required(props.text("Name"), "the alias has no `Name`"),
        provisioned_concurrent_executions: provisioned_concurrency(&props),
    }
}

pub fn event_invoke_config(cx: &Ctx<'_, '_>) -> EventInvokeConfig {
    let props = cx.props();
    EventInvokeConfig {
        resource: cx.resource_ref("AWS::Lambda::EventInvokeConfig"),
        qualifier: required(props.text("Qualifier"), "the configuration has no `Qualifier`"),
        on_failure_destination: destination(&props, "OnFailure"),
        on_success_destination: destination(&props, "OnSuccess"),
        maximum_retry_attempts: number_or("MaximumRetryAttempts", field(&props, &["MaximumRetryAttempts"]), 2),
        maximum_event_age_in_seconds: number_or(
            "MaximumEventAgeInSeconds",
            field(&props, &["MaximumEventAgeInSeconds"]),
            21_600,
        ),
    }
}

pub fn url(cx: &Ctx<'_, '_>) -> FunctionUrl {
    let props = cx.props();
    FunctionUrl {
        resource: cx.resource_ref("AWS::Lambda::Url"),
        auth_type: auth_type(&props),
        qualifier: props.text("Qualifier"),
    }
}

/// `AuthType` of a function URL (required).
pub fn auth_type(props: &Props<'_, '_>) -> Setting<UrlAuthType> {
    match props.literal("AuthType") {
        Setting::Known(Some(t), prov) => Setting::Known(UrlAuthType::parse(&t), prov),
        Setting::Known(None, _) => Setting::Unknown("the function URL has no `AuthType`".to_string()),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    match ty {
        "AWS::Lambda::Function" => inventory.functions.push(function(cx)),
        "AWS::Lambda::LayerVersion" => inventory.layers.push(layer_version(cx)),
        "AWS::Lambda::EventSourceMapping" => inventory.event_sources.push(event_source_mapping(cx)),
        "AWS::Lambda::Permission" => inventory.permissions.push(permission(cx)),
        // Versions, aliases, invoke configurations and URLs belong to their function: `finish`.
        _ => {}
    }
}

/// Attaches each `AWS::Lambda::Version`, `Alias`, `EventInvokeConfig` and `Url` of the template
/// to the function it names; one that names a function outside the template is passed over.
/// Also reads CDK's log retention settings as log groups.
pub fn finish(template: &Template<'_>, inventory: &mut Inventory) {
    let names = FunctionNames::of(template);
    for (key, body) in created(template) {
        let cx = Ctx { template, key, body };
        let props = cx.props();
        let ty = body.get("Type").and_then(Node::as_str).unwrap_or_default();
        let target = match ty {
            "AWS::Lambda::Version" | "AWS::Lambda::Alias" | "AWS::Lambda::EventInvokeConfig" => "FunctionName",
            "AWS::Lambda::Url" => "TargetFunctionArn",
            _ => continue,
        };
        let Some(function) = function_named(template, &names, &props, target) else { continue };
        let Some(function) = inventory.functions.iter_mut().find(|f| f.resource.id == function) else { continue };
        match ty {
            "AWS::Lambda::Version" => function.versions.known_mut().into_iter().for_each(|v| v.push(version(&cx))),
            "AWS::Lambda::Alias" => function.aliases.known_mut().into_iter().for_each(|a| a.push(alias(&cx))),
            "AWS::Lambda::EventInvokeConfig" => function.event_invoke_configs.push(event_invoke_config(&cx)),
            _ => function.urls.push(url(&cx)),
        }
    }
    super::logs::cdk_log_retentions(template, inventory);
}

/// The logical id of the function that `property` names: `!Ref F`, `!GetAtt F.Arn`, its name or
/// ARN, or an alias of it (`!Ref FAlias`).
fn function_named(
    template: &Template<'_>,
    names: &FunctionNames,
    props: &Props<'_, '_>,
    property: &str,
) -> Option<String> {
    let text = props.text(property).known().cloned().flatten()?;
    if let Some(id) = names.named(&text) {
        return Some(id.to_string());
    }
    // An alias of the template: follow its `FunctionName`.
    let alias = text.strip_prefix("${").and_then(|t| t.strip_suffix('}'))?;
    let alias = alias.split('.').next()?;
    if template.resource_type(alias) != Some("AWS::Lambda::Alias") {
        return None;
    }
    let body = template.resource(alias)?;
    let text = Props::new(template, body).text("FunctionName").known().cloned().flatten()?;
    names.named(&text).map(str::to_string)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use sensei_model::Inventory;
    use sensei_model::lambda::{AvailabilityZone, CodePackage, Function, UrlAuthType};

    fn inventory(text: &str) -> Inventory {
        let read = crate::read("t.yaml", text, &crate::Options::default()).unwrap();
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        read.inventory
    }

    fn function<'a>(inv: &'a Inventory, id: &str) -> &'a Function {
        inv.functions.iter().find(|f| f.resource.id == id).unwrap()
    }

    #[test]
    fn versions_aliases_invoke_configs_and_urls_attach_to_their_function() {
        let inv = inventory(
            "Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Role: arn:aws:iam::1:role/r, Code: {S3Bucket: b, S3Key: k.zip}, Handler: a.h, Runtime: python3.12}
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Fn
      FunctionVersion: !GetAtt V.Version
      Name: live
      ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 5}
  V: {Type: AWS::Lambda::Version, Properties: {FunctionName: !GetAtt Fn.Arn}}
  Async:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Fn
      Qualifier: $LATEST
      MaximumRetryAttempts: 0
      DestinationConfig: {OnFailure: {Destination: arn:aws:sqs:us-east-1:1:dlq}}
  Url: {Type: AWS::Lambda::Url, Properties: {TargetFunctionArn: !Ref Live, AuthType: NONE, Qualifier: live}}
",
        );
        let f = function(&inv, "Fn");
        assert_eq!(f.versions.known().map(Vec::len), Some(1));
        assert_eq!(f.aliases.known().unwrap()[0].provisioned_concurrent_executions.known(), Some(&Some(5)));
        assert_eq!(f.event_invoke_configs[0].maximum_retry_attempts.known(), Some(&0));
        assert_eq!(
            f.event_invoke_configs[0].on_failure_destination.known(),
            Some(&Some("arn:aws:sqs:us-east-1:1:dlq".to_string()))
        );
        assert_eq!(f.urls[0].auth_type.known(), Some(&UrlAuthType::None));
        assert_eq!(f.code.known(), Some(&CodePackage::S3 { bucket: "b".into(), key: "k.zip".into(), version: None }));
    }

    #[test]
    fn subnets_know_their_zone_when_the_template_declares_it() {
        let inv = inventory(
            "Resources:
  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: v, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Select [0, !GetAZs '']}}
  B: {Type: AWS::EC2::Subnet, Properties: {VpcId: v, CidrBlock: 10.0.1.0/24, AvailabilityZone: eu-west-1b}}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: r
      Code: {ZipFile: x}
      VpcConfig: {SubnetIds: [!Ref A, !Ref B, subnet-123], SecurityGroupIds: [sg-1]}
",
        );
        let f = function(&inv, "Fn");
        let subnets = f.subnets.known().unwrap();
        assert_eq!(subnets[0].availability_zone.known(), Some(&AvailabilityZone::NthOfRegion(0)));
        assert_eq!(subnets[1].availability_zone.known(), Some(&AvailabilityZone::Name("eu-west-1b".into())));
        assert!(subnets[2].availability_zone.known().is_none());
        assert_eq!(f.code.known(), Some(&CodePackage::Inline));
    }
}
