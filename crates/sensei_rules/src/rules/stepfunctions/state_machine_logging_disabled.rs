//! SFN-001: the state machine logs its executions.

use sensei_model::stepfunctions::{LogLevel, StateMachine};
use sensei_model::{Expr, Inventory, Provenance, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SFN-001",
        slug: "state-machine-logging-disabled",
        title: "Step Functions state machine logs its executions",
        service: Service::StepFunctions,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 2,
        aliases: &["StepFunctions.1"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::StateMachines],
        enabled_by_default: true,
        docs: include_str!("state_machine_logging_disabled.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for machine in &inventory.state_machines {
        let at = machine.logging_level.location();
        match machine.log_level() {
            Setting::Unknown(why) => {
                out.unknown(&machine.resource, None, format!("the logging level is unknown: {why}"))
            }
            Setting::Known(LogLevel::All, _) => out.pass(&machine.resource, "executions are logged at level ALL"),
            Setting::Known(LogLevel::Error, _) => out.pass(&machine.resource, "executions are logged at level ERROR"),
            Setting::Known(LogLevel::Fatal, _) => out.pass(&machine.resource, "executions are logged at level FATAL"),
            Setting::Known(LogLevel::Other(level), _) => out.unknown(
                &machine.resource,
                at,
                format!("the logging level `{level}` is not one Step Functions knows"),
            ),
            Setting::Known(LogLevel::Off, prov) => {
                let property = if machine.serverless { "Logging" } else { "LoggingConfiguration" };
                let message = if prov == Provenance::Default {
                    format!(
                        "no `{property}`: logging is off by default, so failed executions leave no trace in CloudWatch Logs"
                    )
                } else {
                    "the logging level is OFF, so failed executions leave no trace in CloudWatch Logs".to_string()
                };
                let express = machine.state_machine_type.known().is_some_and(|t| t == "EXPRESS");
                let message = if express {
                    format!("{message}; an EXPRESS workflow keeps no execution history, so logs are the only record")
                } else {
                    message
                };
                out.fail(&machine.resource, at, message, fix(machine));
            }
        }
    }
}

fn fix(machine: &StateMachine) -> Fix {
    let syntax = machine.resource.syntax;
    let id = &machine.resource.id;
    let group = format!("{id}Logs");
    let group_arn = match syntax {
        Syntax::Live => {
            Expr::Literal("arn:aws:logs:REGION:ACCOUNT_ID:log-group:/aws/vendedlogs/states/NAME:*".to_string())
        }
        _ => Expr::GetAtt(group.clone(), "Arn".to_string()),
    };
    let config = Code::map(vec![
        ("Level", Code::text("ERROR")),
        ("IncludeExecutionData", Code::bool(false)),
        (
            "Destinations",
            Code::List(vec![Code::map(vec![(
                "CloudWatchLogsLogGroup",
                Code::map(vec![("LogGroupArn", Code::Expr(group_arn))]),
            )])]),
        ),
    ]);
    let (property, summary) = match syntax {
        Syntax::Live => (
            "loggingConfiguration",
            "Turn on logging (aws stepfunctions update-state-machine --state-machine-arn ARN --logging-configuration file://logging.json); the state machine's role needs the CloudWatch Logs delivery permissions.".to_string(),
        ),
        _ if machine.serverless => (
            "Logging",
            format!(
                "In the `Properties` of `{id}`, log at least errors to a log group (`{group}`, an `AWS::Logs::LogGroup` with a retention, named under /aws/vendedlogs/states/); the state machine's role needs the CloudWatch Logs delivery permissions (logs:CreateLogDelivery, logs:PutResourcePolicy, ...)."
            ),
        ),
        _ => (
            "LoggingConfiguration",
            format!(
                "In the `Properties` of `{id}`, log at least errors to a log group (`{group}`, an `AWS::Logs::LogGroup` with a retention, named under /aws/vendedlogs/states/); the state machine's role needs the CloudWatch Logs delivery permissions (logs:CreateLogDelivery, logs:PutResourcePolicy, ...)."
            ),
        ),
    };
    let code = Code::map(vec![(property, config)]);
    Fix { summary, snippet: Some(code.snippet(syntax)) }
}
