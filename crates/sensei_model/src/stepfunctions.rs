//! AWS Step Functions.

use crate::{ResourceRef, Setting};

/// `AWS::StepFunctions::StateMachine` (and `AWS::Serverless::StateMachine`).
#[derive(Debug, Clone)]
pub struct StateMachine {
    pub resource: ResourceRef,
    pub state_machine_type: Setting<String>,
    pub logging_level: Setting<Option<String>>,
    pub tracing_enabled: Setting<bool>,
    pub role: Setting<String>,
}
