//! AWS Step Functions.

use crate::{ResourceRef, Setting};

/// `AWS::StepFunctions::StateMachine` (and `AWS::Serverless::StateMachine`).
#[derive(Debug, Clone)]
pub struct StateMachine {
    pub resource: ResourceRef,
    /// Declared as `AWS::Serverless::StateMachine`, whose properties have SAM's names (`Logging`,
    /// `Tracing`, `Type`): fixes differ.
    pub serverless: bool,
    /// `StateMachineType`: `STANDARD` (the default) or `EXPRESS`.
    pub state_machine_type: Setting<String>,
    /// `LoggingConfiguration.Level` (SAM: `Logging.Level`); `None` when absent, which is `OFF`.
    pub logging_level: Setting<Option<String>>,
    pub tracing_enabled: Setting<bool>,
    pub role: Setting<String>,
}

/// `LoggingConfiguration.Level`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogLevel {
    All,
    Error,
    Fatal,
    Off,
    Other(String),
}

impl LogLevel {
    pub fn parse(s: &str) -> Self {
        match s {
            "ALL" => LogLevel::All,
            "ERROR" => LogLevel::Error,
            "FATAL" => LogLevel::Fatal,
            "OFF" => LogLevel::Off,
            other => LogLevel::Other(other.to_string()),
        }
    }
}

impl StateMachine {
    /// The logging level as a closed set; absent is `OFF`, as in AWS.
    pub fn log_level(&self) -> Setting<LogLevel> {
        self.logging_level.as_ref().map(|level| level.as_ref().map_or(LogLevel::Off, |l| LogLevel::parse(l)))
    }
}
