//! The logical ids SAM generates, declared before mapping so that references to them resolve.

use crate::node::Node;
use crate::template::Template;

use super::api::{IMPLICIT_HTTP_API, IMPLICIT_REST_API};
use super::events::events;

/// Declares the logical ids SAM generates (`MyFunctionRole`, `ServerlessRestApi`,
/// `MyFunctionAliaslive`, `MyApiProdStage`, ...) and the references SAM allows to its resources
/// (`MyFunction.Alias`, `MyApi.Stage`), so that `!GetAtt MyFunctionRole.Arn` and
/// `!Ref ServerlessRestApi` resolve. Ids the template declares itself are left alone.
pub fn declare_generated(template: &mut Template<'_>) {
    let mut out = Generated::default();
    let function_globals = template.root.get("Globals").and_then(|g| g.get("Function"));
    for (key, body) in template.resources() {
        let id = key.name.as_str();
        let property = |name: &str| body.get("Properties").and_then(|p| p.get(name));
        // A stage or alias name may be a `!Ref` to a parameter: its resolved text names the resource.
        let resolved = |node: &Node| match template.resolve(node) {
            crate::value::Val::Str(s) => Some(s),
            _ => None,
        };
        match body.get("Type").and_then(Node::as_str) {
            Some("AWS::Serverless::Function") => {
                // A `Role` under `Fn::If` may leave SAM to generate the role on one branch.
                if property("Role").is_none_or(|r| r.get("Fn::If").is_some()) {
                    out.add(format!("{id}Role"), "AWS::IAM::Role");
                }
                let alias = property("AutoPublishAlias").or_else(|| function_globals?.get("AutoPublishAlias"));
                if let Some(alias) = alias {
                    if let Some(name) = resolved(alias) {
                        let name: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
                        out.add(format!("{id}Alias{name}"), "AWS::Lambda::Alias");
                    }
                    out.add(format!("{id}.Alias"), "AWS::Lambda::Alias");
                    out.add(format!("{id}.Version"), "AWS::Lambda::Version");
                }
                if property("FunctionUrlConfig").or_else(|| function_globals?.get("FunctionUrlConfig")).is_some() {
                    out.add(format!("{id}Url"), "AWS::Lambda::Url");
                }
                out.events(id, body, false);
            }
            Some("AWS::Serverless::StateMachine") => {
                if property("Role").is_none() {
                    out.add(format!("{id}Role"), "AWS::IAM::Role");
                }
                out.events(id, body, true);
            }
            Some("AWS::Serverless::Api") => {
                if let Some(stage) = property("StageName").and_then(resolved) {
                    let stage: String = stage.chars().filter(char::is_ascii_alphanumeric).collect();
                    out.add(format!("{id}{stage}Stage"), "AWS::ApiGateway::Stage");
                }
                out.add(format!("{id}.Stage"), "AWS::ApiGateway::Stage");
                out.add(format!("{id}.Deployment"), "AWS::ApiGateway::Deployment");
            }
            Some("AWS::Serverless::HttpApi") => {
                match property("StageName").and_then(resolved) {
                    Some(stage) if stage != "$default" => {
                        let stage: String = stage.chars().filter(char::is_ascii_alphanumeric).collect();
                        out.add(format!("{id}{stage}Stage"), "AWS::ApiGatewayV2::Stage")
                    }
                    _ => out.add(format!("{id}ApiGatewayDefaultStage"), "AWS::ApiGatewayV2::Stage"),
                }
                out.add(format!("{id}.Stage"), "AWS::ApiGatewayV2::Stage");
            }
            _ => {}
        }
    }
    for (id, resource_type) in out.0 {
        if template.resource_type(&id).is_none() {
            template.add_generated(id, resource_type);
        }
    }
}

#[derive(Default)]
struct Generated(Vec<(String, &'static str)>);

impl Generated {
    fn add(&mut self, id: String, resource_type: &'static str) {
        self.0.push((id, resource_type));
    }

    /// The resources SAM generates for the events of `owner`.
    fn events(&mut self, owner: &str, body: &Node, state_machine: bool) {
        for (key, ty, props) in events(body) {
            let id = format!("{owner}{}", key.name);
            let permission = format!("{id}Permission");
            let lambda_permission = "AWS::Lambda::Permission";
            match ty {
                "SQS" | "Kinesis" | "DynamoDB" | "MSK" | "MQ" | "DocumentDB" | "SelfManagedKafka" => {
                    self.add(id, "AWS::Lambda::EventSourceMapping");
                }
                "SNS" => {
                    self.add(id, "AWS::SNS::Subscription");
                    self.add(permission, lambda_permission);
                }
                "S3" | "AlexaSkill" => self.add(permission, lambda_permission),
                "Cognito" => self.add(format!("{owner}CognitoPermission"), lambda_permission),
                "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => {
                    if state_machine {
                        self.add(format!("{id}Role"), "AWS::IAM::Role");
                    } else {
                        self.add(permission, lambda_permission);
                    }
                    self.add(id, "AWS::Events::Rule");
                }
                "ScheduleV2" => {
                    self.add(format!("{id}Role"), "AWS::IAM::Role");
                    self.add(id, "AWS::Scheduler::Schedule");
                }
                "CloudWatchLogs" => {
                    self.add(permission, lambda_permission);
                    self.add(id, "AWS::Logs::SubscriptionFilter");
                }
                "IoTRule" => {
                    self.add(permission, lambda_permission);
                    self.add(id, "AWS::IoT::TopicRule");
                }
                "Api" => {
                    if state_machine {
                        self.add(format!("{id}Role"), "AWS::IAM::Role");
                    }
                    if props.and_then(|p| p.get("RestApiId")).is_none() {
                        self.add(format!("{permission}Prod"), lambda_permission);
                        self.add(IMPLICIT_REST_API.to_string(), "AWS::ApiGateway::RestApi");
                        self.add(format!("{IMPLICIT_REST_API}ProdStage"), "AWS::ApiGateway::Stage");
                        self.add(format!("{IMPLICIT_REST_API}.Stage"), "AWS::ApiGateway::Stage");
                        self.add(format!("{IMPLICIT_REST_API}.Deployment"), "AWS::ApiGateway::Deployment");
                    }
                }
                "HttpApi" => {
                    self.add(permission, lambda_permission);
                    if props.and_then(|p| p.get("ApiId")).is_none() {
                        self.add(IMPLICIT_HTTP_API.to_string(), "AWS::ApiGatewayV2::Api");
                        self.add(format!("{IMPLICIT_HTTP_API}ApiGatewayDefaultStage"), "AWS::ApiGatewayV2::Stage");
                        self.add(format!("{IMPLICIT_HTTP_API}.Stage"), "AWS::ApiGatewayV2::Stage");
                    }
                }
                _ => {}
            }
        }
    }
}
