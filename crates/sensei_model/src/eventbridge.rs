//! Amazon EventBridge: buses, rules and schedules, and their targets.

use crate::{Location, Policy, ResourceRef, Setting};

/// `AWS::Events::EventBus`: a custom (or partner) event bus.
#[derive(Debug, Clone)]
pub struct EventBus {
    pub resource: ResourceRef,
    /// `Name`; `default` for the account's default bus (live only).
    pub name: Setting<String>,
    /// The bus's `Policy` property; `None` when absent.
    pub policy: Setting<Option<Policy>>,
    /// The `AWS::Events::EventBusPolicy` resources that add statements to this bus: their logical ids.
    pub bus_policies: Vec<String>,
    /// Why an `AWS::Events::EventBusPolicy` of the source names a bus that cannot be resolved.
    pub unresolved_bus_policy: Option<String>,
}

/// `AWS::Events::Rule` or `AWS::Scheduler::Schedule` (also those that SAM events generate).
#[derive(Debug, Clone)]
pub struct EventRule {
    pub resource: ResourceRef,
    pub kind: RuleKind,
    /// `EventBusName` (a name or an ARN); `None` for the default bus. Schedules have no bus.
    pub event_bus_name: Setting<Option<String>>,
    pub targets: Setting<Vec<Target>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// An EventBridge rule.
    Rule,
    /// An EventBridge Scheduler schedule (one target).
    Schedule,
}

/// One target of a rule or schedule.
#[derive(Debug, Clone)]
pub struct Target {
    /// `Id` (rules), or `Target` (a schedule's only one).
    pub id: String,
    pub arn: Setting<String>,
    /// Where the target is written.
    pub location: Option<Location>,
    /// `DeadLetterConfig.Arn`.
    pub dead_letter_arn: Setting<Option<String>>,
    /// `RetryPolicy.MaximumRetryAttempts`; AWS default 185.
    pub maximum_retry_attempts: Setting<u32>,
    /// `RetryPolicy.MaximumEventAgeInSeconds`; AWS default 86400 (24 hours).
    pub maximum_event_age_in_seconds: Setting<u32>,
    /// How the SAM event declares its dead-letter queue, when it comes from one: the fix differs.
    pub from_sam_event: Option<SamEventKind>,
}

/// The SAM event type a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamEventKind {
    /// `Schedule`, `EventBridgeRule` or `ScheduleV2`: they take a `DeadLetterConfig`.
    WithDeadLetterConfig,
    /// `CloudWatchEvent`: it takes none; `EventBridgeRule` does.
    CloudWatchEvent,
}
