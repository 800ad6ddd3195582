//! Amazon EventBridge: `AWS::Events::EventBus` (with the `AWS::Events::EventBusPolicy` resources
//! that apply to it), `AWS::Events::Rule` and `AWS::Scheduler::Schedule`, and the rules and
//! schedules that the events of SAM functions and state machines generate.

use sensei_model::eventbridge::{EventBus, EventRule, RuleKind, SamEventKind, Target};
use sensei_model::{Inventory, Setting};

use crate::node::{Key, Node};
use crate::props::Props;
use crate::template::Template;
use crate::value::Val;

use super::{Ctx, created, field, reference_text, text_of};

pub fn event_bus(cx: &Ctx<'_, '_>) -> EventBus {
    let props = cx.props();
    let policy = match props.raw("Policy") {
        None => Setting::absent(),
        Some((node, prov)) => match cx.template.resolve(node) {
            Val::NoValue => Setting::absent(),
            _ => crate::props::policy_of(cx.template, node, prov).map(Some),
        },
    };
    EventBus {
        resource: cx.resource_ref("AWS::Events::EventBus"),
        name: match props.text("Name") {
            Setting::Known(Some(name), prov) => Setting::Known(name, prov),
            Setting::Known(None, _) => Setting::Unknown("the event bus has no `Name`".to_string()),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
        policy,
        bus_policies: Vec::new(),
        unresolved_bus_policy: None,
    }
}

pub fn rule(cx: &Ctx<'_, '_>) -> EventRule {
    let props = cx.props();
    EventRule {
        resource: cx.resource_ref("AWS::Events::Rule"),
        kind: RuleKind::Rule,
        event_bus_name: props.text("EventBusName"),
        targets: rule_targets(cx.template, &props),
    }
}

fn rule_targets(template: &Template<'_>, props: &Props<'_, '_>) -> Setting<Vec<Target>> {
    let Some((node, prov)) = props.raw("Targets") else { return Setting::default_value(Vec::new()) };
    let resolved = template.resolve(node);
    let items = match &resolved {
        Val::List(items) => items,
        Val::NoValue => return Setting::default_value(Vec::new()),
        Val::Unknown(why) => return Setting::Unknown(why.clone()),
        _ => return Setting::Unknown("`Targets` should be a list".to_string()),
    };
    let nodes = node.as_seq().unwrap_or_default();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if *item == Val::NoValue {
            continue;
        }
        let written = nodes.get(i);
        let each = Props { template, node: written, globals: None };
        let id = item.get("Id").and_then(Val::text).map_or_else(|| format!("target {}", i + 1), str::to_string);
        out.push(Target {
            id,
            arn: required(text_of("Arn", field(&each, &["Arn"])), "the target has no `Arn`"),
            location: written.map(|n| template.location(n.pos)),
            dead_letter_arn: text_of("Arn", field(&each, &["DeadLetterConfig", "Arn"])),
            maximum_retry_attempts: retry(&each, "MaximumRetryAttempts", 185),
            maximum_event_age_in_seconds: retry(&each, "MaximumEventAgeInSeconds", 86_400),
            from_sam_event: None,
        });
    }
    Setting::Known(out, prov)
}

/// A number of the target's `RetryPolicy`, with its AWS default.
fn retry(target: &Props<'_, '_>, name: &str, default: u32) -> Setting<u32> {
    target.nested("RetryPolicy").number_or(name, default)
}

fn required(setting: Setting<Option<String>>, why: &str) -> Setting<String> {
    super::required(setting, why)
}

pub fn schedule(cx: &Ctx<'_, '_>) -> EventRule {
    let props = cx.props();
    let targets = match props.raw("Target") {
        None => Setting::default_value(Vec::new()),
        Some((node, prov)) => {
            let target = props.nested("Target");
            Setting::Known(
                vec![Target {
                    id: "Target".to_string(),
                    arn: required(target.text("Arn"), "the schedule's target has no `Arn`"),
                    location: Some(cx.template.location(node.pos)),
                    dead_letter_arn: text_of("Arn", field(&target, &["DeadLetterConfig", "Arn"])),
                    maximum_retry_attempts: retry(&target, "MaximumRetryAttempts", 185),
                    maximum_event_age_in_seconds: retry(&target, "MaximumEventAgeInSeconds", 86_400),
                    from_sam_event: None,
                }],
                prov,
            )
        }
    };
    EventRule {
        resource: cx.resource_ref("AWS::Scheduler::Schedule"),
        kind: RuleKind::Schedule,
        event_bus_name: Setting::absent(),
        targets,
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut Inventory) {
    match ty {
        "AWS::Events::EventBus" => inventory.event_buses.push(event_bus(cx)),
        "AWS::Events::Rule" => inventory.event_rules.push(rule(cx)),
        "AWS::Scheduler::Schedule" => inventory.event_rules.push(schedule(cx)),
        _ => {}
    }
}

/// Links made once every resource is mapped: bus policies to their buses, and the rules and
/// schedules that SAM events generate.
pub fn finish(template: &Template<'_>, inventory: &mut Inventory) {
    attach_bus_policies(template, inventory);
    for (key, body) in created(template) {
        let owner = match body.get("Type").and_then(Node::as_str) {
            Some("AWS::Serverless::Function") => Owner::Function,
            Some("AWS::Serverless::StateMachine") => Owner::StateMachine,
            _ => continue,
        };
        let cx = Ctx { template, key, body };
        let events = body.get("Properties").and_then(|p| p.get("Events")).and_then(Node::as_map).unwrap_or_default();
        for (event_key, event) in events {
            let Some(ty) = event.get("Type").and_then(Node::as_str) else { continue };
            if let Some(rule) = sam_event_rule(&cx, owner, event_key, ty, event.get("Properties")) {
                inventory.event_rules.push(rule);
            }
        }
    }
}

/// Each `AWS::Events::EventBusPolicy` joins the bus it names (no name: the default bus, which
/// templates do not declare).
fn attach_bus_policies(template: &Template<'_>, inventory: &mut Inventory) {
    for (key, body) in created(template) {
        if body.get("Type").and_then(Node::as_str) != Some("AWS::Events::EventBusPolicy") {
            continue;
        }
        let props = Ctx { template, key, body }.props();
        match props.text("EventBusName") {
            Setting::Known(Some(named), _) => {
                for bus in &mut inventory.event_buses {
                    if names_bus(template, bus, &named) {
                        bus.bus_policies.push(key.name.clone());
                    }
                }
            }
            Setting::Known(None, _) => {}
            Setting::Unknown(why) => {
                for bus in &mut inventory.event_buses {
                    bus.unresolved_bus_policy =
                        Some(format!("the `EventBusName` of bus policy `{}` cannot be resolved: {why}", key.name));
                }
            }
        }
    }
}

/// Whether `text` (a name or an ARN) names the bus: its `Name`, what `Ref` and `GetAtt` give.
fn names_bus(template: &Template<'_>, bus: &EventBus, text: &str) -> bool {
    let id = bus.resource.id.as_str();
    let by_ref = reference_text(template, Default::default(), id, None);
    if by_ref.as_deref() == Some(text) || text == format!("${{{id}.Name}}") || text == format!("${{{id}.Arn}}") {
        return true;
    }
    let Some(name) = bus.name.known() else { return false };
    text == name || text.strip_suffix(name.as_str()).is_some_and(|rest| rest.ends_with(":event-bus/"))
}

#[derive(Clone, Copy)]
enum Owner {
    Function,
    StateMachine,
}

/// The rule (or schedule) a SAM event generates, with SAM's logical ids: `<Owner><Event>` for the
/// rule, `<Owner><Event>LambdaTarget` (or `StepFunctionsTarget`) for its target, and
/// `<Owner><Event>Queue` for a dead-letter queue that SAM creates.
fn sam_event_rule(cx: &Ctx<'_, '_>, owner: Owner, event: &Key, ty: &str, node: Option<&Node>) -> Option<EventRule> {
    let (kind, resource_type, sam_kind) = match ty {
        "Schedule" | "EventBridgeRule" => (RuleKind::Rule, "AWS::Events::Rule", SamEventKind::WithDeadLetterConfig),
        "CloudWatchEvent" => (RuleKind::Rule, "AWS::Events::Rule", SamEventKind::CloudWatchEvent),
        "ScheduleV2" => (RuleKind::Schedule, "AWS::Scheduler::Schedule", SamEventKind::WithDeadLetterConfig),
        _ => return None,
    };
    let template = cx.template;
    let props = Props { template, node, globals: None };
    let rule_id = format!("{}{}", cx.id(), event.name);
    let target_id = match (&kind, props.nested("Target").text("Id")) {
        (RuleKind::Rule, Setting::Known(Some(id), _)) => id,
        (RuleKind::Schedule, _) => "Target".to_string(),
        (_, _) => match owner {
            Owner::Function => format!("{rule_id}LambdaTarget"),
            Owner::StateMachine => format!("{rule_id}StepFunctionsTarget"),
        },
    };
    let owner_arn = match owner {
        Owner::Function => reference_text(template, cx.key.pos, cx.id(), Some("Arn")),
        Owner::StateMachine => reference_text(template, cx.key.pos, cx.id(), None),
    };
    let dead_letter_arn = match sam_kind {
        SamEventKind::CloudWatchEvent => Setting::absent(),
        SamEventKind::WithDeadLetterConfig => sam_dead_letter_arn(template, cx, &rule_id, &props),
    };
    let event_bus_name = match ty {
        "EventBridgeRule" | "CloudWatchEvent" => props.text("EventBusName"),
        _ => Setting::absent(),
    };
    let target = Target {
        id: target_id,
        arn: match owner_arn {
            Some(arn) => Setting::default_value(arn),
            None => Setting::Unknown(format!("the ARN of `{}` cannot be resolved", cx.id())),
        },
        location: Some(template.location(event.pos)),
        dead_letter_arn,
        maximum_retry_attempts: retry(&props, "MaximumRetryAttempts", 185),
        maximum_event_age_in_seconds: retry(&props, "MaximumEventAgeInSeconds", 86_400),
        from_sam_event: Some(sam_kind),
    };
    Some(EventRule {
        resource: cx.generated_ref(rule_id, resource_type),
        kind,
        event_bus_name,
        targets: Setting::default_value(vec![target]),
    })
}

/// SAM's `DeadLetterConfig`: an `Arn`, or `Type: SQS` for a queue that SAM creates.
fn sam_dead_letter_arn(
    template: &Template<'_>,
    cx: &Ctx<'_, '_>,
    rule_id: &str,
    props: &Props<'_, '_>,
) -> Setting<Option<String>> {
    let config = props.nested("DeadLetterConfig");
    if props.raw("DeadLetterConfig").is_none() {
        return Setting::absent();
    }
    match config.text("Arn") {
        Setting::Known(None, _) => {}
        other => return other,
    }
    match config.literal("Type") {
        Setting::Known(Some(_), prov) => {
            let queue = match config.text("QueueLogicalId") {
                Setting::Known(Some(id), _) => id,
                _ => format!("{rule_id}Queue"),
            };
            let arn = match template.resource_type(&queue) {
                Some(_) => reference_text(template, cx.key.pos, &queue, Some("Arn")),
                None => None,
            };
            let arn = arn.unwrap_or(format!("${{{queue}.Arn}}"));
            Setting::Known(Some(arn), prov)
        }
        Setting::Known(None, _) => Setting::Unknown("`DeadLetterConfig` has neither `Arn` nor `Type`".to_string()),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use sensei_model::eventbridge::RuleKind;

    use crate::{Options, read};

    #[test]
    fn rules_buses_and_sam_events() {
        let read = read(
            "t.yaml",
            "Transform: AWS::Serverless-2016-10-31
Resources:
  Bus: {Type: AWS::Events::EventBus, Properties: {Name: orders}}
  Open: {Type: AWS::Events::EventBus, Properties: {Name: open}}
  BusPolicy:
    Type: AWS::Events::EventBusPolicy
    Properties: {EventBusName: !Ref Bus, StatementId: s, Statement: {Effect: Allow, Principal: {AWS: '111122223333'}, Action: 'events:PutEvents', Resource: '*'}}
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Bus
      EventPattern: {source: [orders]}
      Targets:
        - {Id: one, Arn: !GetAtt Fn.Arn, DeadLetterConfig: {Arn: !GetAtt Dlq.Arn}}
        - {Id: two, Arn: !GetAtt Fn.Arn}
  Dlq: {Type: AWS::SQS::Queue}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src
      Events:
        Nightly: {Type: Schedule, Properties: {Schedule: rate(1 day), DeadLetterConfig: {Type: SQS}}}
        Later: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 day)}}
",
            &Options::default(),
        )
        .unwrap();
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        let inv = &read.inventory;
        let bus = |id: &str| inv.event_buses.iter().find(|b| b.resource.id == id).unwrap();
        assert_eq!(bus("Bus").bus_policies, vec!["BusPolicy"]);
        assert!(bus("Open").bus_policies.is_empty());
        let rule = |id: &str| inv.event_rules.iter().find(|r| r.resource.id == id).unwrap();
        let dlqs = |id: &str| -> Vec<Option<String>> {
            rule(id).targets.known().unwrap().iter().map(|t| t.dead_letter_arn.known().unwrap().clone()).collect()
        };
        assert_eq!(dlqs("Rule"), vec![Some("${Dlq.Arn}".to_string()), None]);
        assert_eq!(dlqs("FnNightly"), vec![Some("${FnNightlyQueue.Arn}".to_string())]);
        assert_eq!(rule("FnNightly").targets.known().unwrap()[0].id, "FnNightlyLambdaTarget");
        assert_eq!(rule("FnLater").kind, RuleKind::Schedule);
        assert_eq!(dlqs("FnLater"), vec![None]);
        let first = &rule("Rule").targets.known().unwrap()[0];
        assert_eq!(first.maximum_retry_attempts, sensei_model::Setting::default_value(185));
    }
}
