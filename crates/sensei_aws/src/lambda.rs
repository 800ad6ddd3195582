//! AWS Lambda: functions with their versions, aliases, URLs, asynchronous invocation settings,
//! event source mappings and resource-based policy.

use std::collections::BTreeMap;

use aws_sdk_lambda::Client;
use aws_sdk_lambda::types::{
    AliasConfiguration, EventSourceMappingConfiguration, FunctionConfiguration, FunctionEventInvokeConfig,
    FunctionUrlConfig, ProvisionedConcurrencyConfigListItem,
};
use futures_util::StreamExt as _;
use sensei_model::Setting;
use sensei_model::lambda::{
    Alias, Architecture, CodePackage, EventInvokeConfig, EventSource, EventSourceKind, Function, FunctionUrl,
    LoggingConfig, PackageType, Permission, Subnet, UrlAuthType, Version,
};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{CONCURRENCY_PER_SERVICE, Fact, Facts, Filter, NOT_READ_YET, Scope, live_ref};

/// Everything read about one function besides its configuration.
#[derive(Debug)]
pub struct FunctionReads {
    /// The resource-based policy (JSON); `None`: the function has none.
    pub policy: Read<Option<String>>,
    pub event_source_mappings: Read<Vec<EventSourceMappingConfiguration>>,
    pub versions: Read<Vec<FunctionConfiguration>>,
    pub aliases: Read<Vec<AliasConfiguration>>,
    pub provisioned_concurrency: Read<Vec<ProvisionedConcurrencyConfigListItem>>,
    pub event_invoke_configs: Read<Vec<FunctionEventInvokeConfig>>,
    pub urls: Read<Vec<FunctionUrlConfig>>,
    /// `GetFunctionConcurrency`: reserved concurrency, `None` when not set.
    pub reserved_concurrency: Read<Option<i32>>,
}

/// A function and what hangs off it.
pub struct FunctionModel {
    pub function: Function,
    pub event_sources: Vec<EventSource>,
    pub permissions: Vec<Permission>,
}

pub async fn fetch_functions(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> (Vec<Function>, (Vec<EventSource>, Vec<Permission>)) {
    let mut reader = Reader::new("lambda", Some(region), None, &scope.gaps);
    let listed: Read<Vec<FunctionConfiguration>> = pages!(
        reader,
        "ListFunctions",
        client.list_functions(),
        |p: &aws_sdk_lambda::operation::list_functions::ListFunctionsOutput| p.functions().to_vec()
    );
    let mut listed = listed.or_empty();
    listed.retain(|f| filter.in_stacks(&[f.function_name().unwrap_or_default()]));
    scope.progress.discovered(listed.len());
    // The event source mappings of every function in one paged listing for the region. When it
    // fails, each function's mappings are unknown, and each function counts the failed call.
    let mut reader = Reader::new("lambda", Some(region), None, &scope.gaps);
    let mappings = if listed.is_empty() {
        Read::Got(BTreeMap::new())
    } else {
        let got = pages!(
            reader,
            "ListEventSourceMappings",
            client.list_event_source_mappings(),
            |p: &aws_sdk_lambda::operation::list_event_source_mappings::ListEventSourceMappingsOutput| p
                .event_source_mappings()
                .to_vec()
        );
        match got {
            Read::Got(list) => Read::Got(map_mappings_by_function(list)),
            Read::Failed(why) => Read::Failed(why),
        }
    };
    let mappings_unread = reader.unread;
    let (mappings, mappings_unread) = (&mappings, &mappings_unread);
    let models: Vec<Option<FunctionModel>> = futures_util::stream::iter(listed)
        .map(|config| async move {
            let arn = config.function_arn().unwrap_or_default().to_string();
            let name = config.function_name().unwrap_or_default().to_string();
            let mut reader = Reader::new("lambda", Some(region), Some(&arn), &scope.gaps);
            let event_source_mappings = match mappings {
                Read::Got(by_function) => Read::Got(by_function.get(&arn).cloned().unwrap_or_default()),
                Read::Failed(why) => {
                    reader.unread.extend(mappings_unread.iter().cloned());
                    Read::Failed(why.clone())
                }
            };
            let reads = fetch_function(client, &name, event_source_mappings, scope.facts, &mut reader).await;
            let keep = if filter.tags.is_empty() {
                true
            } else {
                match reader.get("ListTags", client.list_tags().resource(&arn).send().await) {
                    Read::Got(out) => {
                        filter.has_tags(Some(&out.tags().cloned().unwrap_or_default().into_iter().collect()))
                    }
                    Read::Failed(_) => true,
                }
            };
            let stack = stacks.stack_of(&[&name]);
            let model = map_function(&config, &scope.account, region, stack, &reads, reader.unread);
            scope.progress.fetched();
            keep.then_some(model)
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    let mut functions = Vec::new();
    let mut sources = Vec::new();
    let mut permissions = Vec::new();
    for m in models.into_iter().flatten() {
        functions.push(m.function);
        sources.extend(m.event_sources);
        permissions.extend(m.permissions);
    }
    (functions, (sources, permissions))
}

async fn fetch_function(
    client: &Client,
    name: &str,
    event_source_mappings: Read<Vec<EventSourceMappingConfiguration>>,
    facts: Facts,
    reader: &mut Reader<'_>,
) -> FunctionReads {
    use aws_sdk_lambda::operation as op;
    // Every call of a fact some selected rule uses, at once (the client bounds how many are in
    // flight), then the one that depends on their answers.
    let has = |fact| facts.contains(fact);
    let (policy, versions, aliases, event_invoke_configs, urls, concurrency) = tokio::join!(
        when!(has(Fact::FunctionPolicy), client.get_policy().function_name(name).send()),
        when!(
            has(Fact::FunctionVersions),
            all_pages!(
                client.list_versions_by_function().function_name(name),
                |p: &op::list_versions_by_function::ListVersionsByFunctionOutput| p.versions().to_vec()
            )
        ),
        when!(
            has(Fact::FunctionAliases),
            all_pages!(client.list_aliases().function_name(name), |p: &op::list_aliases::ListAliasesOutput| p
                .aliases()
                .to_vec())
        ),
        when!(
            has(Fact::FunctionEventInvokeConfigs),
            all_pages!(
                client.list_function_event_invoke_configs().function_name(name),
                |p: &op::list_function_event_invoke_configs::ListFunctionEventInvokeConfigsOutput| p
                    .function_event_invoke_configs()
                    .to_vec()
            )
        ),
        when!(
            has(Fact::FunctionUrls),
            all_pages!(
                client.list_function_url_configs().function_name(name),
                |p: &op::list_function_url_configs::ListFunctionUrlConfigsOutput| p.function_url_configs().to_vec()
            )
        ),
        when!(has(Fact::FunctionConcurrency), client.get_function_concurrency().function_name(name).send()),
    );
    let policy = reader
        .get_optional_if("GetPolicy", policy, &["ResourceNotFoundException"])
        .map(|out| out.and_then(|o| o.policy().map(str::to_string)));
    let versions = reader.get_if("ListVersionsByFunction", versions);
    let aliases = reader.get_if("ListAliases", aliases);
    let event_invoke_configs = reader.get_if("ListFunctionEventInvokeConfigs", event_invoke_configs);
    let urls = reader.get_if("ListFunctionUrlConfigs", urls);
    let reserved_concurrency =
        reader.get_if("GetFunctionConcurrency", concurrency).map(|out| out.reserved_concurrent_executions());
    // Provisioned concurrency is set on a published version or an alias: a function with neither
    // (as far as the listings tell) has none, and the call is not made.
    let provisioned_concurrency = if may_have_provisioned_concurrency(&versions, &aliases) {
        pages!(
            reader,
            "ListProvisionedConcurrencyConfigs",
            client.list_provisioned_concurrency_configs().function_name(name),
            |p: &op::list_provisioned_concurrency_configs::ListProvisionedConcurrencyConfigsOutput| p
                .provisioned_concurrency_configs()
                .to_vec()
        )
    } else {
        Read::Got(Vec::new())
    };
    FunctionReads {
        policy,
        event_source_mappings,
        versions,
        aliases,
        provisioned_concurrency,
        event_invoke_configs,
        urls,
        reserved_concurrency,
    }
}

/// Whether a function may have provisioned concurrency: it has a published version or an alias.
/// A failed listing has no entries to give a setting to, so it asks for no call.
pub fn may_have_provisioned_concurrency(
    versions: &Read<Vec<FunctionConfiguration>>,
    aliases: &Read<Vec<AliasConfiguration>>,
) -> bool {
    versions.got().is_some_and(|list| list.iter().any(|v| v.version() != Some("$LATEST")))
        || aliases.got().is_some_and(|list| !list.is_empty())
}

/// The event source mappings of a region by function ARN (unqualified: a mapping of a version or
/// an alias belongs to its function).
pub fn map_mappings_by_function(
    list: Vec<EventSourceMappingConfiguration>,
) -> BTreeMap<String, Vec<EventSourceMappingConfiguration>> {
    let mut out: BTreeMap<String, Vec<EventSourceMappingConfiguration>> = BTreeMap::new();
    for m in list {
        let Some(arn) = m.function_arn() else { continue };
        out.entry(unqualified(arn).to_string()).or_default().push(m);
    }
    out
}

/// A function ARN without its version or alias: `arn:aws:lambda:<region>:<account>:function:<name>`.
fn unqualified(arn: &str) -> &str {
    match arn.match_indices(':').nth(6) {
        Some((at, _)) => arn.get(..at).unwrap_or(arn),
        None => arn,
    }
}

fn to_u32(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// The model of a function from its configuration (`ListFunctions`) and the other reads.
pub fn map_function(
    config: &FunctionConfiguration,
    account: &str,
    region: &str,
    stack: Option<String>,
    reads: &FunctionReads,
    unread: Vec<String>,
) -> FunctionModel {
    let arn = config.function_arn().unwrap_or_default().to_string();
    let name = config.function_name().unwrap_or_default().to_string();
    let child = |id: &str, t: &str| live_ref(id, t, account, Some(region), stack.clone(), unread.clone());
    let package_type = match config.package_type().map(|p| p.as_str()) {
        Some("Image") => PackageType::Image,
        _ => PackageType::Zip,
    };
    let provisioned = |qualified: &str| -> Setting<Option<u32>> {
        reads.provisioned_concurrency.setting(|items| {
            items
                .iter()
                .find(|i| i.function_arn() == Some(qualified))
                .and_then(|i| i.requested_provisioned_concurrent_executions())
                .map(to_u32)
        })
    };
    // A listing that failed is unknown, never an empty list: "no versions" would pass rules.
    let versions = reads.versions.setting(|list| {
        list.iter()
            .filter(|v| v.version() != Some("$LATEST"))
            .filter_map(|v| v.function_arn())
            .map(|varn| Version {
                resource: child(varn, "AWS::Lambda::Version"),
                provisioned_concurrent_executions: provisioned(varn),
            })
            .collect()
    });
    let aliases = reads.aliases.setting(|list| {
        list.iter()
            .filter_map(|a| Some((a.alias_arn()?, a.name()?)))
            .map(|(aarn, aname)| Alias {
                resource: child(aarn, "AWS::Lambda::Alias"),
                name: live(aname.to_string()),
                provisioned_concurrent_executions: provisioned(aarn),
            })
            .collect()
    });
    let event_invoke_configs = match &reads.event_invoke_configs {
        Read::Failed(why) => vec![EventInvokeConfig {
            resource: child(&format!("{arn}#event-invoke-config"), "AWS::Lambda::EventInvokeConfig"),
            qualifier: Setting::Unknown(why.clone()),
            on_failure_destination: Setting::Unknown(why.clone()),
            on_success_destination: Setting::Unknown(why.clone()),
            maximum_retry_attempts: Setting::Unknown(why.clone()),
            maximum_event_age_in_seconds: Setting::Unknown(why.clone()),
        }],
        Read::Got(list) => list
            .iter()
            .map(|c| {
                let qarn = c.function_arn().unwrap_or(&arn);
                let destination = c.destination_config();
                EventInvokeConfig {
                    resource: child(&format!("{qarn}#event-invoke-config"), "AWS::Lambda::EventInvokeConfig"),
                    qualifier: live(qualifier(qarn, &name).unwrap_or_else(|| "$LATEST".to_string())),
                    on_failure_destination: live(
                        destination.and_then(|d| d.on_failure()).and_then(|d| d.destination()).map(str::to_string),
                    ),
                    on_success_destination: live(
                        destination.and_then(|d| d.on_success()).and_then(|d| d.destination()).map(str::to_string),
                    ),
                    maximum_retry_attempts: live(c.maximum_retry_attempts().map_or(2, to_u32)),
                    maximum_event_age_in_seconds: live(c.maximum_event_age_in_seconds().map_or(21600, to_u32)),
                }
            })
            .collect(),
    };
    let urls = match &reads.urls {
        Read::Got(list) => list
            .iter()
            .map(|u| FunctionUrl {
                resource: child(u.function_url(), "AWS::Lambda::Url"),
                auth_type: live(UrlAuthType::parse(u.auth_type().as_str())),
                qualifier: live(qualifier(u.function_arn(), &name)),
            })
            .collect(),
        // Whether the function has a URL is unknown: one URL of unknown kind stands for it, so
        // that "nobody else may invoke it" is not decided without it.
        Read::Failed(why) => vec![FunctionUrl {
            resource: child(&format!("{arn}#url"), "AWS::Lambda::Url"),
            auth_type: Setting::Unknown(why.clone()),
            qualifier: Setting::Unknown(why.clone()),
        }],
    };
    let vpc = config.vpc_config().filter(|v| v.vpc_id().is_some_and(|id| !id.is_empty()));
    let function = Function {
        resource: child(&arn, "AWS::Lambda::Function"),
        serverless: false,
        function_name: live(name.clone()),
        runtime: live(config.runtime().map(|r| r.as_str().to_string())),
        handler: live(config.handler().map(str::to_string)),
        package_type: live(package_type),
        code: match config.code_sha256() {
            Some(sha) => live(CodePackage::Sha256(sha.to_string())),
            None => Setting::Unknown("the function's code hash was not returned".to_string()),
        },
        image_command: match package_type {
            PackageType::Zip => live(Vec::new()),
            PackageType::Image => match config.image_config_response().and_then(|r| r.image_config()) {
                Some(c) => live(c.command().to_vec()),
                None => Setting::Unknown(format!(
                    "the image configuration (lambda:GetFunctionConfiguration) is {NOT_READ_YET}"
                )),
            },
        },
        build_method: live(None),
        memory_size: live(config.memory_size().map_or(128, to_u32)),
        timeout: live(config.timeout().map_or(3, to_u32)),
        architectures: live(if config.architectures().is_empty() {
            vec![Architecture::X86_64]
        } else {
            config.architectures().iter().map(|a| Architecture::parse(a.as_str())).collect()
        }),
        role: match config.role() {
            Some(role) => live(role.to_string()),
            None => Setting::Unknown("the function's role was not returned".to_string()),
        },
        tracing_mode: live(config.tracing_config().and_then(|t| t.mode()).map(|m| m.as_str().to_string())),
        dead_letter_target_arn: live(config.dead_letter_config().and_then(|d| d.target_arn()).map(str::to_string)),
        reserved_concurrent_executions: reads.reserved_concurrency.setting(|n| n.map(to_u32)),
        layers: live(config.layers().iter().filter_map(|l| l.arn()).map(str::to_string).collect()),
        layer_architectures: Vec::new(),
        in_vpc: live(vpc.is_some()),
        subnets: live(
            vpc.map(|v| v.subnet_ids())
                .unwrap_or_default()
                .iter()
                .map(|id| Subnet {
                    subnet_id: id.clone(),
                    // Read once per region for every function (`ec2::map_subnet_zones`).
                    availability_zone: Setting::Unknown(
                        "the subnet zone (ec2:DescribeSubnets) was not read".to_string(),
                    ),
                })
                .collect(),
        ),
        logging_config: live(config.logging_config().map(|l| LoggingConfig {
            log_group: live(l.log_group().map(str::to_string)),
            log_format: live(l.log_format().map(|f| f.as_str().to_string())),
        })),
        code_size: live(u64::try_from(config.code_size()).unwrap_or(0)),
        versions,
        aliases,
        event_invoke_configs,
        urls,
    };
    let event_sources = reads
        .event_source_mappings
        .got()
        .map(|list| {
            list.iter()
                .map(|m| {
                    let id = m.event_source_mapping_arn().map(str::to_string).unwrap_or_else(|| {
                        format!(
                            "arn:aws:lambda:{region}:{account}:event-source-mapping:{}",
                            m.uuid().unwrap_or_default()
                        )
                    });
                    EventSource {
                        resource: child(&id, "AWS::Lambda::EventSourceMapping"),
                        function: Some(arn.clone()),
                        kind: if m.self_managed_event_source().is_some() {
                            EventSourceKind::SelfManagedKafka
                        } else {
                            map_source_kind(m.event_source_arn())
                        },
                        event_source_arn: live(m.event_source_arn().map(str::to_string)),
                        batch_size: live(m.batch_size().map(to_u32)),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let permissions = match &reads.policy {
        Read::Got(None) => Vec::new(),
        Read::Got(Some(text)) => map_permissions(text, &arn, |id| child(id, "AWS::Lambda::Permission")),
        // The policy could not be read: one permission whose every part is unknown, so that rules
        // about who may invoke the function say so instead of passing.
        Read::Failed(why) => vec![Permission {
            resource: child(&format!("{arn}#policy"), "AWS::Lambda::Permission"),
            function: live(arn.clone()),
            action: Setting::Unknown(why.clone()),
            principal: Setting::Unknown(why.clone()),
            source_arn: Setting::Unknown(why.clone()),
            source_account: Setting::Unknown(why.clone()),
            principal_org_id: Setting::Unknown(why.clone()),
            event_source_token: Setting::Unknown(why.clone()),
            function_url_auth_type: Setting::Unknown(why.clone()),
        }],
    };
    FunctionModel { function, event_sources, permissions }
}

/// The qualifier (version or alias) of a qualified function ARN.
fn qualifier(arn: &str, name: &str) -> Option<String> {
    let marker = format!(":function:{name}:");
    arn.find(&marker).and_then(|at| arn.get(at + marker.len()..)).map(str::to_string)
}

/// What kind of source an event source mapping polls, from its ARN.
pub fn map_source_kind(arn: Option<&str>) -> EventSourceKind {
    let service = arn.and_then(|a| a.split(':').nth(2)).unwrap_or_default();
    match service {
        "sqs" => EventSourceKind::Sqs,
        "kinesis" => EventSourceKind::Kinesis,
        "dynamodb" => EventSourceKind::DynamoDb,
        "kafka" => EventSourceKind::Msk,
        "mq" => EventSourceKind::MQ,
        "rds" | "docdb" => EventSourceKind::DocumentDb,
        _ => EventSourceKind::Mapping,
    }
}

/// The statements of a function's resource-based policy, as permissions.
pub fn map_permissions(
    text: &str,
    function_arn: &str,
    resource: impl Fn(&str) -> sensei_model::ResourceRef,
) -> Vec<Permission> {
    let json: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let why = format!("the function's policy is not JSON: {e}");
            return vec![Permission {
                resource: resource(&format!("{function_arn}#policy")),
                function: live(function_arn.to_string()),
                action: Setting::Unknown(why.clone()),
                principal: Setting::Unknown(why.clone()),
                source_arn: Setting::Unknown(why.clone()),
                source_account: Setting::Unknown(why.clone()),
                principal_org_id: Setting::Unknown(why.clone()),
                event_source_token: Setting::Unknown(why.clone()),
                function_url_auth_type: Setting::Unknown(why),
            }];
        }
    };
    let statements = match json.get("Statement") {
        Some(serde_json::Value::Array(list)) => list.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        if s.get("Effect").and_then(|e| e.as_str()) != Some("Allow") {
            continue;
        }
        let sid = s.get("Sid").and_then(|v| v.as_str()).map_or_else(|| i.to_string(), str::to_string);
        let principal = match s.get("Principal") {
            Some(serde_json::Value::String(p)) => p.clone(),
            Some(serde_json::Value::Object(map)) => map
                .get("Service")
                .or_else(|| map.get("AWS"))
                .map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Array(list) => {
                        list.first().and_then(|x| x.as_str()).unwrap_or_default().to_string()
                    }
                    _ => String::new(),
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        let action = match s.get("Action") {
            Some(serde_json::Value::String(a)) => a.clone(),
            Some(serde_json::Value::Array(list)) => {
                list.first().and_then(|x| x.as_str()).unwrap_or_default().to_string()
            }
            _ => String::new(),
        };
        let conditions = condition_values(s.get("Condition"));
        let get = |key: &str| conditions.get(&key.to_ascii_lowercase()).cloned();
        out.push(Permission {
            resource: resource(&format!("{function_arn}#policy/{sid}")),
            function: live(function_arn.to_string()),
            action: live(action),
            principal: live(principal),
            source_arn: live(get("aws:SourceArn")),
            source_account: live(get("aws:SourceAccount")),
            principal_org_id: live(get("aws:PrincipalOrgID")),
            event_source_token: live(get("lambda:EventSourceToken")),
            function_url_auth_type: live(get("lambda:FunctionUrlAuthType")),
        });
    }
    out
}

/// Condition keys (lower case) and their first value, whatever the operator.
fn condition_values(condition: Option<&serde_json::Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(serde_json::Value::Object(ops)) = condition else { return out };
    for keys in ops.values() {
        let serde_json::Value::Object(keys) = keys else { continue };
        for (k, v) in keys {
            let value = match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Array(list) => list.first().and_then(|x| x.as_str()).map(str::to_string),
                _ => None,
            };
            if let Some(value) = value {
                out.insert(k.to_ascii_lowercase(), value);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_lambda::types::{
        Architecture as SdkArch, LoggingConfig as SdkLogging, PackageType as SdkPackage, Runtime,
    };

    fn no_reads() -> FunctionReads {
        FunctionReads {
            policy: Read::Got(None),
            event_source_mappings: Read::Got(vec![]),
            versions: Read::Got(vec![]),
            aliases: Read::Got(vec![]),
            provisioned_concurrency: Read::Got(vec![]),
            event_invoke_configs: Read::Got(vec![]),
            urls: Read::Got(vec![]),
            reserved_concurrency: Read::Got(None),
        }
    }

    fn known<T>(value: T) -> Setting<T> {
        live(value)
    }

    const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:orders";

    fn config() -> FunctionConfiguration {
        FunctionConfiguration::builder()
            .function_name("orders")
            .function_arn(ARN)
            .runtime(Runtime::Python38)
            .handler("app.handler")
            .package_type(SdkPackage::Zip)
            .code_sha256("abc")
            .code_size(1234)
            .memory_size(256)
            .timeout(30)
            .architectures(SdkArch::Arm64)
            .role("arn:aws:iam::123456789012:role/orders")
            .logging_config(SdkLogging::builder().log_group("/aws/lambda/orders").build())
            .build()
    }

    #[test]
    fn maps_the_configuration() {
        let m = map_function(&config(), "123456789012", "us-east-1", Some("app".into()), &no_reads(), vec![]);
        let f = m.function;
        assert_eq!(f.resource.id, ARN);
        assert_eq!(f.runtime, known(Some("python3.8".to_string())));
        assert_eq!(f.architectures, known(vec![Architecture::Arm64]));
        assert_eq!(f.memory_size, known(256));
        assert_eq!(f.timeout, known(30));
        assert_eq!(f.code_size, known(1234));
        assert_eq!(f.code, known(CodePackage::Sha256("abc".into())));
        assert_eq!(f.reserved_concurrent_executions, known(None));
        assert_eq!(f.in_vpc, known(false));
        let logging = f.logging_config.known().cloned().flatten().unwrap();
        assert_eq!(logging.log_group, known(Some("/aws/lambda/orders".into())));
        assert!(m.permissions.is_empty());
        assert_eq!(f.resource.live.unwrap().stack.as_deref(), Some("app"));
    }

    #[test]
    fn defaults_of_the_api_are_aws_values() {
        let c = FunctionConfiguration::builder().function_name("f").function_arn(ARN).build();
        let f = map_function(&c, "1", "us-east-1", None, &no_reads(), vec![]).function;
        assert_eq!(f.architectures, known(vec![Architecture::X86_64]));
        assert_eq!(f.package_type, known(PackageType::Zip));
    }

    #[test]
    fn versions_aliases_and_provisioned_concurrency() {
        let mut reads = no_reads();
        reads.versions = Read::Got(vec![
            FunctionConfiguration::builder().version("$LATEST").function_arn(format!("{ARN}:$LATEST")).build(),
            FunctionConfiguration::builder().version("1").function_arn(format!("{ARN}:1")).build(),
        ]);
        reads.aliases =
            Read::Got(vec![AliasConfiguration::builder().name("live").alias_arn(format!("{ARN}:live")).build()]);
        reads.provisioned_concurrency = Read::Got(vec![
            ProvisionedConcurrencyConfigListItem::builder()
                .function_arn(format!("{ARN}:live"))
                .requested_provisioned_concurrent_executions(5)
                .build(),
        ]);
        let f = map_function(&config(), "1", "us-east-1", None, &reads, vec![]).function;
        let versions = f.versions.known().unwrap();
        assert_eq!(versions.len(), 1);
        assert_eq!(versions[0].provisioned_concurrent_executions, known(None));
        assert_eq!(f.aliases.known().unwrap()[0].provisioned_concurrent_executions, known(Some(5)));
        reads.provisioned_concurrency =
            Read::Failed("lambda:ListProvisionedConcurrencyConfigs failed: HttpStatus404".into());
        let f = map_function(&config(), "1", "us-east-1", None, &reads, vec![]).function;
        assert!(matches!(f.aliases.known().unwrap()[0].provisioned_concurrent_executions, Setting::Unknown(_)));
        // A listing that failed is unknown, not empty.
        reads.versions = Read::Failed("lambda:ListVersionsByFunction failed: AccessDeniedException".into());
        reads.aliases = Read::Failed("lambda:ListAliases failed: AccessDeniedException".into());
        let f = map_function(&config(), "1", "us-east-1", None, &reads, vec![]).function;
        assert!(matches!(f.versions, Setting::Unknown(_)));
        assert!(matches!(f.aliases, Setting::Unknown(_)));
        assert!(f.unlisted().is_some());
    }

    #[test]
    fn subnet_zones_are_filled_once_read() {
        use aws_sdk_lambda::types::VpcConfigResponse;
        use sensei_model::lambda::AvailabilityZone;
        let vpc = |subnets: &[&str]| {
            let mut c = VpcConfigResponse::builder().vpc_id("vpc-1");
            for s in subnets {
                c = c.subnet_ids(*s);
            }
            let config =
                FunctionConfiguration::builder().function_name("f").function_arn(ARN).vpc_config(c.build()).build();
            map_function(&config, "1", "us-east-1", None, &no_reads(), vec![]).function
        };
        let mut functions = vec![
            vpc(&["subnet-a", "subnet-b"]),
            map_function(&config(), "1", "us-east-1", None, &no_reads(), vec![]).function,
        ];
        let ids = crate::ec2::subnet_ids(&functions);
        assert_eq!(ids.iter().map(String::as_str).collect::<Vec<_>>(), ["subnet-a", "subnet-b"]);
        let zones = Read::Got([("subnet-a".to_string(), "us-east-1a".to_string())].into_iter().collect());
        crate::ec2::map_subnet_zones(&mut functions, &zones, &[]);
        let subnets = functions[0].subnets.known().unwrap();
        assert_eq!(subnets[0].availability_zone, known(AvailabilityZone::Name("us-east-1a".into())));
        assert!(matches!(subnets[1].availability_zone, Setting::Unknown(_)));
        assert!(functions[0].resource.live.as_ref().unwrap().unread.is_empty());

        let failed = Read::Failed("ec2:DescribeSubnets failed: UnauthorizedOperation".into());
        crate::ec2::map_subnet_zones(&mut functions, &failed, &["ec2:DescribeSubnets (UnauthorizedOperation)".into()]);
        assert!(matches!(functions[0].subnets.known().unwrap()[0].availability_zone, Setting::Unknown(_)));
        assert_eq!(
            functions[0].resource.live.as_ref().unwrap().unread,
            ["ec2:DescribeSubnets (UnauthorizedOperation)"]
        );
        // A function outside any VPC is not about the failed read.
        assert!(functions[1].resource.live.as_ref().unwrap().unread.is_empty());
    }

    #[test]
    fn the_resource_policy_becomes_permissions() {
        let mut reads = no_reads();
        reads.policy = Read::Got(Some(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"s3","Effect":"Allow","Principal":{{"Service":"s3.amazonaws.com"}},"Action":"lambda:InvokeFunction","Resource":"{ARN}","Condition":{{"StringEquals":{{"AWS:SourceAccount":"123456789012"}},"ArnLike":{{"AWS:SourceArn":"arn:aws:s3:::b"}}}}}},{{"Sid":"url","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"{ARN}","Condition":{{"StringEquals":{{"lambda:FunctionUrlAuthType":"NONE"}}}}}}]}}"#
        )));
        let m = map_function(&config(), "1", "us-east-1", None, &reads, vec![]);
        assert_eq!(m.permissions.len(), 2);
        let p = &m.permissions[0];
        assert_eq!(p.principal, known("s3.amazonaws.com".into()));
        assert_eq!(p.source_arn, known(Some("arn:aws:s3:::b".into())));
        assert_eq!(p.source_account, known(Some("123456789012".into())));
        assert_eq!(m.permissions[1].function_url_auth_type, known(Some("NONE".into())));
        reads.policy = Read::Failed("lambda:GetPolicy failed: AccessDeniedException".into());
        let m = map_function(&config(), "1", "us-east-1", None, &reads, vec![]);
        assert!(matches!(m.permissions[0].principal, Setting::Unknown(_)));
    }

    #[test]
    fn source_kinds_and_qualifiers() {
        assert_eq!(map_source_kind(Some("arn:aws:sqs:us-east-1:1:q")), EventSourceKind::Sqs);
        assert_eq!(map_source_kind(Some("arn:aws:dynamodb:us-east-1:1:table/t/stream/x")), EventSourceKind::DynamoDb);
        assert_eq!(map_source_kind(None), EventSourceKind::Mapping);
        assert_eq!(qualifier(&format!("{ARN}:live"), "orders").as_deref(), Some("live"));
        assert_eq!(qualifier(ARN, "orders"), None);
    }

    #[test]
    fn mappings_are_grouped_by_unqualified_function_arn() {
        let mapping = |uuid: &str, function: Option<String>| {
            let mut m = EventSourceMappingConfiguration::builder().uuid(uuid);
            if let Some(f) = function {
                m = m.function_arn(f);
            }
            m.build()
        };
        let other = "arn:aws:lambda:us-east-1:123456789012:function:other";
        let by_function = map_mappings_by_function(vec![
            mapping("a", Some(ARN.to_string())),
            mapping("b", Some(format!("{ARN}:live"))),
            mapping("c", Some(other.to_string())),
            mapping("d", None),
        ]);
        let uuids = |arn: &str| by_function[arn].iter().filter_map(|m| m.uuid()).collect::<Vec<_>>();
        assert_eq!(uuids(ARN), ["a", "b"]);
        assert_eq!(uuids(other), ["c"]);
        assert_eq!(by_function.len(), 2);
        assert_eq!(unqualified(&format!("{ARN}:7")), ARN);
        assert_eq!(unqualified(ARN), ARN);
    }

    #[test]
    fn provisioned_concurrency_is_asked_only_with_a_version_or_an_alias() {
        let latest = FunctionConfiguration::builder().version("$LATEST").build();
        let one = FunctionConfiguration::builder().version("1").build();
        let alias = AliasConfiguration::builder().name("live").build();
        let failed = || Read::Failed("lambda:ListAliases failed: AccessDeniedException".to_string());
        assert!(!may_have_provisioned_concurrency(&Read::Got(vec![latest.clone()]), &Read::Got(vec![])));
        assert!(may_have_provisioned_concurrency(&Read::Got(vec![latest.clone(), one]), &Read::Got(vec![])));
        assert!(may_have_provisioned_concurrency(&Read::Got(vec![latest.clone()]), &Read::Got(vec![alias])));
        assert!(!may_have_provisioned_concurrency(&Read::Got(vec![latest]), &failed()));
    }
}
