//! LAMBDA-012: a function invoked asynchronously keeps the events it fails to process.

use sensei_model::lambda::{EventSourceKind, Function};
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity, Snippet};

use super::{cli_name, in_function, names_function, resource_snippet};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-012",
        slug: "async-function-without-failure-destination",
        title: "Asynchronously invoked Lambda function keeps its failed events",
        service: Service::Lambda,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 5,
        aliases: &["asyncSpecifyFailureDestination"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions, Fact::FunctionPolicy, Fact::FunctionEventInvokeConfigs],
        enabled_by_default: true,
        docs: include_str!("async_function_without_failure_destination.md"),
    },
    check,
};

/// Services that invoke functions asynchronously through a resource-based permission.
const ASYNC_PRINCIPALS: &[&str] = &[
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "events.amazonaws.com",
    "logs.amazonaws.com",
    "iot.amazonaws.com",
    "ses.amazonaws.com",
    "codecommit.amazonaws.com",
    "config.amazonaws.com",
];

fn kind_name(kind: &EventSourceKind) -> &str {
    match kind {
        EventSourceKind::S3 => "S3",
        EventSourceKind::Sns => "SNS",
        EventSourceKind::Schedule => "schedule",
        EventSourceKind::EventBridgeRule => "EventBridge rule",
        EventSourceKind::CloudWatchLogs => "CloudWatch Logs",
        EventSourceKind::IoTRule => "IoT rule",
        EventSourceKind::Other(name) => name,
        _ => "asynchronous",
    }
}

/// What invokes the function asynchronously, in the user's words.
fn async_callers(function: &Function, inventory: &Inventory) -> Vec<String> {
    let id = function.resource.id.as_str();
    let mut callers: Vec<String> = inventory
        .event_sources
        .iter()
        .filter(|s| s.function.as_deref() == Some(id) && s.kind.is_asynchronous())
        .map(|s| format!("{} event `{}`", kind_name(&s.kind), s.resource.id))
        .collect();
    for permission in &inventory.permissions {
        // SAM's events already gave their event source above.
        if permission.resource.generated_from.as_deref() == Some(id) {
            continue;
        }
        let (Setting::Known(target, _), Setting::Known(principal, _)) = (&permission.function, &permission.principal)
        else {
            continue;
        };
        if names_function(target, function) && ASYNC_PRINCIPALS.contains(&principal.as_str()) {
            callers.push(format!("{principal} through permission `{}`", permission.resource.id));
        }
    }
    callers
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for function in &inventory.functions {
        let r = &function.resource;
        let callers = async_callers(function, inventory);
        if callers.is_empty() {
            out.skip(r, "nothing in this template invokes the function asynchronously");
            continue;
        }
        let mut unknown = None;
        let mut kept_by = None;
        match &function.dead_letter_target_arn {
            Setting::Known(Some(dlq), _) => kept_by = Some(format!("its dead-letter queue `{dlq}`")),
            Setting::Known(None, _) => {}
            Setting::Unknown(why) => unknown = Some(format!("the dead-letter queue is unknown: {why}")),
        }
        for config in &function.event_invoke_configs {
            match &config.on_failure_destination {
                Setting::Known(Some(d), _) => {
                    kept_by = kept_by.or(Some(format!("the on-failure destination `{d}` of `{}`", config.resource.id)))
                }
                Setting::Known(None, _) => {}
                Setting::Unknown(why) => unknown = Some(format!("the on-failure destination is unknown: {why}")),
            }
        }
        if let Some(kept_by) = kept_by {
            out.pass(r, format!("failed asynchronous events go to {kept_by}"));
            continue;
        }
        if let Some(why) = unknown {
            out.unknown(r, None, why);
            continue;
        }
        let message = format!(
            "invoked asynchronously ({}), but failed events have nowhere to go: after 2 retries Lambda drops them (no on-failure destination, no dead-letter queue)",
            callers.join(", ")
        );
        out.fail(r, None, message, fix(function));
    }
}

fn fix(function: &Function) -> Fix {
    let r = &function.resource;
    let id = &r.id;
    let queue = format!("{id}FailedEvents");
    match r.syntax {
        Syntax::Live => Fix {
            summary: "Send failed asynchronous events to a queue (the function's role needs `sqs:SendMessage` on it)."
                .to_string(),
            snippet: Some(Snippet {
                language: "shell",
                code: format!(
                    "aws lambda put-function-event-invoke-config --function-name {} --destination-config '{{\"OnFailure\":{{\"Destination\":\"arn:aws:sqs:REGION:ACCOUNT_ID:{queue}\"}}}}'",
                    cli_name(function)
                ),
            }),
        },
        _ if function.serverless => Fix {
            summary: format!(
                "In {}, add an `EventInvokeConfig` with an on-failure destination: with `Type: SQS` and no `Destination`, SAM creates the queue and the permission to send to it.",
                in_function(function)
            ),
            snippet: Some(
                (Code::map(vec![(
                    "EventInvokeConfig",
                    Code::map(vec![(
                        "DestinationConfig",
                        Code::map(vec![("OnFailure", Code::map(vec![("Type", Code::text("SQS"))]))]),
                    )]),
                )]))
                .snippet(r.syntax),
            ),
        },
        syntax => {
            let resource = Code::map(vec![
                ("Type", Code::text("AWS::Lambda::EventInvokeConfig")),
                (
                    "Properties",
                    Code::map(vec![
                        ("FunctionName", Code::Expr(Expr::Ref(id.clone()))),
                        ("Qualifier", Code::text("$LATEST")),
                        (
                            "DestinationConfig",
                            Code::map(vec![(
                                "OnFailure",
                                Code::map(vec![(
                                    "Destination",
                                    Code::Expr(Expr::GetAtt(queue.clone(), "Arn".to_string())),
                                )]),
                            )]),
                        ),
                    ]),
                ),
            ]);
            Fix {
                summary: format!(
                    "Add this resource next to {}, with a queue `{queue}` (an `AWS::SQS::Queue`); the function's role needs `sqs:SendMessage` on it.",
                    in_function(function)
                ),
                snippet: Some(resource_snippet(&format!("{id}InvokeConfig"), &resource, syntax)),
            }
        }
    }
}
