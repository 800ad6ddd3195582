//! AWS Step Functions: state machines, with their logging and tracing.

use aws_sdk_sfn::Client;
use aws_sdk_sfn::operation::describe_state_machine::DescribeStateMachineOutput;
use futures_util::StreamExt as _;
use sensei_model::stepfunctions::StateMachine;

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader};
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

pub async fn fetch_state_machines(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> Vec<StateMachine> {
    let mut reader = Reader::new("states", Some(region), None, &scope.gaps);
    let listed: Read<Vec<String>> = pages!(
        reader,
        "ListStateMachines",
        client.list_state_machines(),
        |p: &aws_sdk_sfn::operation::list_state_machines::ListStateMachinesOutput| p
            .state_machines()
            .iter()
            .map(|m| m.state_machine_arn().to_string())
            .collect::<Vec<_>>()
    );
    let mut arns = listed.or_empty();
    arns.retain(|a| filter.in_stacks(&[a]));
    scope.progress.discovered(arns.len());
    let machines: Vec<Option<StateMachine>> = futures_util::stream::iter(arns)
        .map(|arn| async move {
            let mut reader = Reader::new("states", Some(region), Some(&arn), &scope.gaps);
            let described = reader
                .get("DescribeStateMachine", client.describe_state_machine().state_machine_arn(&arn).send().await);
            let keep = if filter.tags.is_empty() {
                true
            } else {
                match reader.get("ListTagsForResource", client.list_tags_for_resource().resource_arn(&arn).send().await)
                {
                    Read::Got(out) => filter.has_tags(Some(
                        &out.tags()
                            .iter()
                            .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                            .collect(),
                    )),
                    Read::Failed(_) => true,
                }
            };
            let stack = stacks.stack_of(&[&arn]);
            scope.progress.fetched();
            keep.then(|| map_state_machine(&arn, &scope.account, region, stack, &described, reader.unread))
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    machines.into_iter().flatten().collect()
}

pub fn map_state_machine(
    arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    described: &Read<DescribeStateMachineOutput>,
    unread: Vec<String>,
) -> StateMachine {
    StateMachine {
        resource: live_ref(arn, "AWS::StepFunctions::StateMachine", account, Some(region), stack, unread),
        serverless: false,
        state_machine_type: described.setting(|d| d.r#type().as_str().to_string()),
        // No logging configuration, or one without a level, is `OFF`.
        logging_level: described
            .setting(|d| d.logging_configuration().and_then(|l| l.level()).map(|l| l.as_str().to_string())),
        tracing_enabled: described.setting(|d| d.tracing_configuration().is_some_and(|t| t.enabled())),
        role: described.setting(|d| d.role_arn().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sfn::types::{LogLevel, LoggingConfiguration, StateMachineType, TracingConfiguration};
    use sensei_model::stepfunctions::LogLevel as ModelLevel;
    use sensei_model::{Provenance, Setting};

    fn described(logging: Option<LogLevel>) -> DescribeStateMachineOutput {
        let mut b = DescribeStateMachineOutput::builder()
            .state_machine_arn("arn:sm")
            .name("orders")
            .definition("{}")
            .role_arn("arn:aws:iam::1:role/sfn")
            .r#type(StateMachineType::Express)
            .creation_date(aws_smithy_types::DateTime::from_secs(0))
            .tracing_configuration(TracingConfiguration::builder().enabled(true).build());
        if let Some(level) = logging {
            b = b.logging_configuration(LoggingConfiguration::builder().level(level).build());
        }
        b.build().unwrap()
    }

    #[test]
    fn maps_logging_and_tracing() {
        let m =
            map_state_machine("arn:sm", "1", "eu-west-1", None, &Read::Got(described(Some(LogLevel::Error))), vec![]);
        assert_eq!(m.log_level(), Setting::Known(ModelLevel::Error, Provenance::Live));
        assert_eq!(m.tracing_enabled, Setting::Known(true, Provenance::Live));
        assert_eq!(m.state_machine_type, Setting::Known("EXPRESS".into(), Provenance::Live));
        let m = map_state_machine("arn:sm", "1", "eu-west-1", None, &Read::Got(described(None)), vec![]);
        assert_eq!(m.log_level(), Setting::Known(ModelLevel::Off, Provenance::Live));
        let m = map_state_machine("arn:sm", "1", "eu-west-1", None, &Read::Failed("x".into()), vec![]);
        assert!(matches!(m.log_level(), Setting::Unknown(_)));
    }
}
