//! `AWS::StepFunctions::StateMachine`.

use sensei_model::stepfunctions::StateMachine;

use super::{Ctx, bool_of, field, literal_of, required};

pub fn state_machine(cx: &Ctx<'_, '_>) -> StateMachine {
    let props = cx.props();
    StateMachine {
        resource: cx.resource_ref("AWS::StepFunctions::StateMachine"),
        state_machine_type: props.literal_or("StateMachineType", "STANDARD"),
        logging_level: literal_of("Level", field(&props, &["LoggingConfiguration", "Level"])),
        tracing_enabled: bool_of("Enabled", field(&props, &["TracingConfiguration", "Enabled"]), false),
        role: required(props.text("RoleArn"), "the state machine names no `RoleArn`"),
    }
}
