//! The `Events` of a SAM function or state machine: event sources, the permissions SAM grants
//! for push sources, and API routes, with SAM's generated logical ids.

use sensei_model::apigateway::ApiKind;
use sensei_model::lambda::{EventSource, EventSourceKind, Permission};
use sensei_model::{Inventory, Setting};

use crate::node::{Key, Node};
use crate::props::Props;
use crate::resources::{Ctx, reference_text, target_id};
use crate::template::Template;

use super::api;

/// What SAM generates for one event type.
struct EventType {
    kind: EventSourceKind,
    /// The CloudFormation type of the resource SAM generates as `<Function><Event>`, or `None`
    /// when the event is only a permission.
    resource_type: Option<&'static str>,
    /// The property that names the source's ARN.
    arn_property: Option<&'static str>,
    /// The managed policy SAM adds to the generated role.
    managed_policy: Option<&'static str>,
    /// The service that SAM lets invoke the function.
    principal: Option<&'static str>,
}

const MAPPING: &str = "AWS::Lambda::EventSourceMapping";

fn event_type(name: &str) -> EventType {
    let polled = |kind, arn_property, managed_policy| EventType {
        kind,
        resource_type: Some(MAPPING),
        arn_property,
        managed_policy,
        principal: None,
    };
    let pushed = |kind, resource_type, principal| EventType {
        kind,
        resource_type,
        arn_property: None,
        managed_policy: None,
        principal: Some(principal),
    };
    match name {
        "SQS" => polled(EventSourceKind::Sqs, Some("Queue"), Some("AWSLambdaSQSQueueExecutionRole")),
        "Kinesis" => polled(EventSourceKind::Kinesis, Some("Stream"), Some("AWSLambdaKinesisExecutionRole")),
        "DynamoDB" => polled(EventSourceKind::DynamoDb, Some("Stream"), Some("AWSLambdaDynamoDBExecutionRole")),
        "MSK" => polled(EventSourceKind::Msk, Some("Stream"), Some("AWSLambdaMSKExecutionRole")),
        "MQ" => polled(EventSourceKind::MQ, Some("Broker"), None),
        "DocumentDB" => polled(EventSourceKind::DocumentDb, Some("Cluster"), None),
        "SelfManagedKafka" => polled(EventSourceKind::SelfManagedKafka, None, None),
        "S3" => pushed(EventSourceKind::S3, None, "s3.amazonaws.com"),
        "SNS" => EventType {
            arn_property: Some("Topic"),
            ..pushed(EventSourceKind::Sns, Some("AWS::SNS::Subscription"), "sns.amazonaws.com")
        },
        "Api" => pushed(EventSourceKind::Api, None, "apigateway.amazonaws.com"),
        "HttpApi" => pushed(EventSourceKind::HttpApi, None, "apigateway.amazonaws.com"),
        "Schedule" => pushed(EventSourceKind::Schedule, Some("AWS::Events::Rule"), "events.amazonaws.com"),
        "ScheduleV2" => EventType {
            principal: None,
            ..pushed(EventSourceKind::Schedule, Some("AWS::Scheduler::Schedule"), "scheduler.amazonaws.com")
        },
        "CloudWatchEvent" | "EventBridgeRule" => {
            pushed(EventSourceKind::EventBridgeRule, Some("AWS::Events::Rule"), "events.amazonaws.com")
        }
        "CloudWatchLogs" => {
            pushed(EventSourceKind::CloudWatchLogs, Some("AWS::Logs::SubscriptionFilter"), "logs.amazonaws.com")
        }
        "Cognito" => pushed(EventSourceKind::Cognito, None, "cognito-idp.amazonaws.com"),
        "IoTRule" => pushed(EventSourceKind::IoTRule, Some("AWS::IoT::TopicRule"), "iot.amazonaws.com"),
        "AlexaSkill" => pushed(EventSourceKind::AlexaSkill, None, "alexa-appkit.amazon.com"),
        other => EventType {
            kind: EventSourceKind::Other(other.to_string()),
            resource_type: None,
            arn_property: None,
            managed_policy: None,
            principal: None,
        },
    }
}

/// The events of a resource: (name, type, properties).
pub fn events(body: &Node) -> Vec<(&Key, &str, Option<&Node>)> {
    let entries = body.get("Properties").and_then(|p| p.get("Events")).and_then(Node::as_map).unwrap_or_default();
    entries
        .iter()
        .filter_map(|(key, event)| Some((key, event.get("Type")?.as_str()?, event.get("Properties"))))
        .collect()
}

/// Adds the event sources, permissions and routes of a SAM function; gives the managed policy
/// ARNs that its events add to a generated role.
pub fn of_function(cx: &Ctx<'_, '_>, inventory: &mut Inventory) -> Vec<String> {
    let mut managed = Vec::new();
    let function_name = reference_text(cx.template, cx.key.pos, cx.id(), None).unwrap_or_else(|| cx.id().to_string());
    for (key, ty, node) in events(cx.body) {
        let props = Props { template: cx.template, node, globals: None };
        let t = event_type(ty);
        let event_id = format!("{}{}", cx.id(), key.name);
        let mut source_id = event_id.clone();
        let mut source_type = t.resource_type.unwrap_or("AWS::Lambda::Permission");
        match ty {
            "Api" | "HttpApi" => {
                let (permission_id, source_arn) = api_event(cx, &event_id, &props, ty == "Api", inventory);
                inventory.permissions.push(permission(
                    cx,
                    &permission_id,
                    &function_name,
                    &t,
                    source_arn,
                    None,
                    Setting::absent(),
                ));
                source_id = permission_id;
            }
            _ => {
                if let Some((permission_id, source_arn, account)) = pushed_permission(cx, ty, &event_id, &props) {
                    if t.resource_type.is_none() {
                        source_id = permission_id.clone();
                        source_type = "AWS::Lambda::Permission";
                    }
                    // SAM scopes an Alexa skill's permission to its `SkillId`.
                    let token = if ty == "AlexaSkill" { props.text("SkillId") } else { Setting::absent() };
                    inventory.permissions.push(permission(
                        cx,
                        &permission_id,
                        &function_name,
                        &t,
                        source_arn,
                        account,
                        token,
                    ));
                }
            }
        }
        if let Some(policy) = t.managed_policy {
            managed.push(super::policies::managed_arn(policy));
        }
        inventory.event_sources.push(EventSource {
            resource: cx.generated_ref(source_id, source_type),
            function: Some(cx.id().to_string()),
            event_source_arn: source_arn(&t, ty, &props),
            batch_size: props.number("BatchSize"),
            kind: t.kind,
        });
    }
    managed
}

/// Adds the route of an API event; gives the id and source ARN of the permission SAM grants the API.
fn api_event(
    cx: &Ctx<'_, '_>,
    event_id: &str,
    props: &Props<'_, '_>,
    rest: bool,
    inventory: &mut Inventory,
) -> (String, Setting<Option<String>>) {
    let kind = if rest { ApiKind::Rest } else { ApiKind::Http };
    let route = api::event_route(cx, event_id, props, Some(cx.id()), kind, inventory);
    let id = match kind {
        ApiKind::Rest => format!("{event_id}Permission{}", api::stage_suffix(cx.template, &route.api)),
        _ => format!("{event_id}Permission"),
    };
    let source_arn = execute_api_arn(&route.api, &route.method, &route.path, cx.template);
    inventory.routes.push(route);
    (id, source_arn)
}

/// Adds the routes of a SAM state machine's API events.
pub fn of_state_machine(cx: &Ctx<'_, '_>, inventory: &mut Inventory) {
    for (key, ty, node) in events(cx.body) {
        let props = Props { template: cx.template, node, globals: None };
        let kind = match ty {
            "Api" => ApiKind::Rest,
            "HttpApi" => ApiKind::Http,
            _ => continue,
        };
        let route = api::event_route(cx, &format!("{}{}", cx.id(), key.name), &props, None, kind, inventory);
        inventory.routes.push(route);
    }
}

/// The ARN of what the event reads from: a queue, stream, topic or bucket.
fn source_arn(t: &EventType, ty: &str, props: &Props<'_, '_>) -> Setting<Option<String>> {
    match (ty, t.arn_property) {
        ("S3", _) => props.text("Bucket").map(|b| b.map(|name| format!("arn:${{AWS::Partition}}:s3:::{name}"))),
        (_, Some(property)) => props.text(property),
        (_, None) => Setting::absent(),
    }
}

/// The permission SAM generates for a push event other than an API: (id, source ARN, account).
fn pushed_permission(
    cx: &Ctx<'_, '_>,
    ty: &str,
    event_id: &str,
    props: &Props<'_, '_>,
) -> Option<(String, Setting<Option<String>>, Option<String>)> {
    let id = format!("{event_id}Permission");
    let rule_arn = || Setting::default_value(reference_text(cx.template, cx.key.pos, event_id, Some("Arn")));
    Some(match ty {
        "S3" => (id, Setting::absent(), Some("${AWS::AccountId}".to_string())),
        "SNS" => (id, props.text("Topic"), None),
        "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => (id, rule_arn(), None),
        "CloudWatchLogs" => {
            let arn = match props.text("LogGroupName") {
                Setting::Known(Some(group), prov) => Setting::Known(
                    Some(format!(
                        "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{group}:*"
                    )),
                    prov,
                ),
                other => other,
            };
            (id, arn, None)
        }
        "IoTRule" => {
            let arn = format!("arn:${{AWS::Partition}}:iot:${{AWS::Region}}:${{AWS::AccountId}}:rule/${{{event_id}}}");
            (id, Setting::default_value(Some(arn)), Some("${AWS::AccountId}".to_string()))
        }
        "Cognito" => {
            let pool = props.raw("UserPool").and_then(|(n, _)| target_id(cx.template, n));
            let arn = match pool {
                Some(pool) => Setting::default_value(reference_text(cx.template, cx.key.pos, &pool, Some("Arn"))),
                None => Setting::Unknown("the user pool of the Cognito event is not in the template".to_string()),
            };
            (format!("{}CognitoPermission", cx.id()), arn, None)
        }
        "AlexaSkill" => (id, Setting::absent(), None),
        _ => return None,
    })
}

fn permission(
    cx: &Ctx<'_, '_>,
    id: &str,
    function_name: &str,
    t: &EventType,
    source_arn: Setting<Option<String>>,
    account: Option<String>,
    token: Setting<Option<String>>,
) -> Permission {
    Permission {
        resource: cx.generated_ref(id.to_string(), "AWS::Lambda::Permission"),
        function: Setting::default_value(function_name.to_string()),
        action: Setting::default_value("lambda:InvokeFunction".to_string()),
        principal: Setting::default_value(t.principal.unwrap_or("?").to_string()),
        source_arn,
        source_account: Setting::default_value(account),
        principal_org_id: Setting::absent(),
        event_source_token: token,
        function_url_auth_type: Setting::absent(),
    }
}

/// `arn:…:execute-api:…:${Api}/*/METHOD/path`, as SAM scopes an API's permission.
fn execute_api_arn(api: &str, method: &str, path: &str, template: &Template<'_>) -> Setting<Option<String>> {
    let api_id = reference_text(template, Default::default(), api, None).unwrap_or_else(|| format!("${{{api}}}"));
    let method = if method == "ANY" { "*" } else { method };
    let path = if path == "$default" { String::new() } else { path.trim_end_matches('/').to_string() };
    Setting::default_value(Some(format!(
        "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:{api_id}/*/{method}{path}"
    )))
}
