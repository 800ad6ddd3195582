//! `AWS::StepFunctions::StateMachine`.

use sensei_model::stepfunctions::StateMachine;

use super::{Ctx, bool_of, field, literal_of, required};

pub fn state_machine(cx: &Ctx<'_, '_>) -> StateMachine {
    let props = cx.props();
    StateMachine {
        resource: cx.resource_ref("AWS::StepFunctions::StateMachine"),
        serverless: false,
        state_machine_type: props.literal_or("StateMachineType", "STANDARD"),
        logging_level: literal_of("Level", field(&props, &["LoggingConfiguration", "Level"])),
        tracing_enabled: bool_of("Enabled", field(&props, &["TracingConfiguration", "Enabled"]), false),
        role: required(props.text("RoleArn"), "the state machine names no `RoleArn`"),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    if ty == "AWS::StepFunctions::StateMachine" {
        inventory.state_machines.push(state_machine(cx));
    }
}
