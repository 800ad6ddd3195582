//! Amazon EventBridge: event buses (with their resource policy), their rules and the rules' targets.
//! Rules that an AWS service manages (`ManagedBy`) are left out, as service-linked roles are in IAM.

use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::types::{EventBus as SdkBus, Rule as SdkRule, Target as SdkTarget};
use futures_util::StreamExt as _;
use sensei_model::eventbridge::{EventBus, EventRule, RuleKind, Target};
use sensei_model::{Policy, Setting};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::s3::live_policy;
use crate::{CONCURRENCY_PER_SERVICE, Filter, Scope, live_ref};

/// EventBridge's retry defaults, when a target has no `RetryPolicy`.
pub const DEFAULT_RETRY_ATTEMPTS: u32 = 185;
pub const DEFAULT_EVENT_AGE_SECONDS: u32 = 86_400;

pub async fn fetch_events(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> (Vec<EventBus>, Vec<EventRule>) {
    let mut reader = Reader::new("events", Some(region), None, &scope.gaps);
    let listed: Read<Vec<SdkBus>> = token_pages!(
        reader,
        "ListEventBuses",
        |token| client.list_event_buses().set_next_token(token.clone()),
        |p: &aws_sdk_eventbridge::operation::list_event_buses::ListEventBusesOutput| p.event_buses().to_vec(),
        |p: &aws_sdk_eventbridge::operation::list_event_buses::ListEventBusesOutput| p.next_token().map(str::to_string)
    );
    let buses = listed.or_empty();
    scope.progress.discovered(buses.len());
    let read: Vec<(Option<EventBus>, Vec<EventRule>)> = futures_util::stream::iter(buses)
        .map(|bus| async move {
            let name = bus.name().unwrap_or_default().to_string();
            let arn = bus
                .arn()
                .map_or_else(|| format!("arn:aws:events:{region}:{}:event-bus/{name}", scope.account), str::to_string);
            // The bus's policy and its rules at once, then each rule's targets.
            let mut reader = Reader::new("events", Some(region), Some(&arn), &scope.gaps);
            let mut rules_reader = Reader::new("events", Some(region), Some(&arn), &scope.gaps);
            let (policy, rules) = tokio::join!(
                async {
                    match reader.get("DescribeEventBus", client.describe_event_bus().name(&name).send().await) {
                        Read::Got(out) => Read::Got(out.policy().map(str::to_string)),
                        Read::Failed(why) => Read::Failed(why),
                    }
                },
                async {
                    let rules: Read<Vec<SdkRule>> = token_pages!(
                        rules_reader,
                        "ListRules",
                        |token| client.list_rules().event_bus_name(&name).set_next_token(token.clone()),
                        |p: &aws_sdk_eventbridge::operation::list_rules::ListRulesOutput| p.rules().to_vec(),
                        |p: &aws_sdk_eventbridge::operation::list_rules::ListRulesOutput| p
                            .next_token()
                            .map(str::to_string)
                    );
                    rules
                },
            );
            let keep_bus = filter.in_stacks(&[&name, &arn]) && keep(client, &arn, filter, &mut reader).await;
            let stack = stacks.stack_of(&[&name, &arn]);
            let bus_model =
                keep_bus.then(|| map_bus(&name, &arn, &scope.account, region, stack, &policy, reader.unread));

            // Rules that an AWS service manages (`ManagedBy`) are not the account's to change.
            let wanted: Vec<(String, String, [String; 3])> = rules
                .got()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|r| r.managed_by().is_none())
                .filter_map(|rule| {
                    let rule_name = rule.name().unwrap_or_default().to_string();
                    let rule_arn = rule.arn().map_or_else(
                        || format!("arn:aws:events:{region}:{}:rule/{rule_name}", scope.account),
                        str::to_string,
                    );
                    let ids = [rule_name.clone(), rule_arn.clone(), format!("{name}|{rule_name}")];
                    let in_stacks = filter.in_stacks(&ids.iter().map(String::as_str).collect::<Vec<_>>());
                    in_stacks.then_some((rule_name, rule_arn, ids))
                })
                .collect();
            let name = &name;
            let out: Vec<EventRule> = futures_util::stream::iter(wanted)
                .map(|(rule_name, rule_arn, ids)| async move {
                    let mut reader = Reader::new("events", Some(region), Some(&rule_arn), &scope.gaps);
                    let request = || client.list_targets_by_rule().rule(&rule_name).event_bus_name(name);
                    let targets: Read<Vec<SdkTarget>> = token_pages!(
                        reader,
                        "ListTargetsByRule",
                        |token| request().set_next_token(token.clone()),
                        |p: &aws_sdk_eventbridge::operation::list_targets_by_rule::ListTargetsByRuleOutput| p
                            .targets()
                            .to_vec(),
                        |p: &aws_sdk_eventbridge::operation::list_targets_by_rule::ListTargetsByRuleOutput| p
                            .next_token()
                            .map(str::to_string)
                    );
                    if !keep(client, &rule_arn, filter, &mut reader).await {
                        return None;
                    }
                    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                    let stack = stacks.stack_of(&ids);
                    Some(map_rule(&rule_arn, name, &scope.account, region, stack, &targets, reader.unread))
                })
                .buffered(CONCURRENCY_PER_SERVICE)
                .filter_map(std::future::ready)
                .collect()
                .await;
            scope.progress.fetched();
            (bus_model, out)
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    let mut buses = Vec::new();
    let mut rules = Vec::new();
    for (bus, r) in read {
        buses.extend(bus);
        rules.extend(r);
    }
    (buses, rules)
}

/// Whether the resource has the tags `--tag` asks for (read only then); unreadable tags keep it.
async fn keep(client: &Client, arn: &str, filter: &Filter, reader: &mut Reader<'_>) -> bool {
    if filter.tags.is_empty() {
        return true;
    }
    match reader.get("ListTagsForResource", client.list_tags_for_resource().resource_arn(arn).send().await) {
        Read::Got(out) => {
            filter.has_tags(Some(&out.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect()))
        }
        Read::Failed(_) => true,
    }
}

/// A bus, with the policy `DescribeEventBus` gave (`None`: it has none).
pub fn map_bus(
    name: &str,
    arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    policy: &Read<Option<String>>,
    unread: Vec<String>,
) -> EventBus {
    EventBus {
        resource: live_ref(arn, "AWS::Events::EventBus", account, Some(region), stack, unread),
        name: live(name.to_string()),
        policy: match policy {
            Read::Got(None) => live(None),
            Read::Got(Some(text)) if text.trim().is_empty() => live(None),
            Read::Got(Some(text)) => match live_policy(text) {
                Setting::Known(p, prov) => Setting::Known(Some(p), prov),
                Setting::Unknown(why) => Setting::<Option<Policy>>::Unknown(why),
            },
            Read::Failed(why) => Setting::Unknown(why.clone()),
        },
        bus_policies: Vec::new(),
        unresolved_bus_policy: None,
    }
}

/// A rule of the bus `bus`, with its targets.
pub fn map_rule(
    arn: &str,
    bus: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    targets: &Read<Vec<SdkTarget>>,
    unread: Vec<String>,
) -> EventRule {
    EventRule {
        resource: live_ref(arn, "AWS::Events::Rule", account, Some(region), stack, unread),
        kind: RuleKind::Rule,
        event_bus_name: live((bus != "default").then(|| bus.to_string())),
        targets: targets.setting(|list| list.iter().map(map_target).collect()),
    }
}

pub fn map_target(t: &SdkTarget) -> Target {
    let retry = t.retry_policy();
    let number = |v: Option<i32>, default: u32| match v.and_then(|n| u32::try_from(n).ok()) {
        Some(n) => live(n),
        None => Setting::default_value(default),
    };
    Target {
        id: t.id().to_string(),
        arn: live(t.arn().to_string()),
        location: None,
        dead_letter_arn: live(t.dead_letter_config().and_then(|d| d.arn()).map(str::to_string)),
        maximum_retry_attempts: number(retry.and_then(|r| r.maximum_retry_attempts()), DEFAULT_RETRY_ATTEMPTS),
        maximum_event_age_in_seconds: number(
            retry.and_then(|r| r.maximum_event_age_in_seconds()),
            DEFAULT_EVENT_AGE_SECONDS,
        ),
        from_sam_event: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_eventbridge::types::{DeadLetterConfig, RetryPolicy};
    use sensei_model::Provenance;

    #[test]
    fn maps_a_bus_and_its_policy() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"events:PutEvents","Resource":"*"}]}"#;
        let b = map_bus("orders", "arn:b", "1", "eu-west-1", None, &Read::Got(Some(policy.into())), vec![]);
        assert!(matches!(b.policy, Setting::Known(Some(_), Provenance::Live)));
        assert_eq!(b.name, Setting::Known("orders".into(), Provenance::Live));
        let b = map_bus("orders", "arn:b", "1", "eu-west-1", None, &Read::Got(None), vec![]);
        assert!(matches!(b.policy, Setting::Known(None, Provenance::Live)));
        let b = map_bus("orders", "arn:b", "1", "eu-west-1", None, &Read::Failed("x".into()), vec![]);
        assert!(matches!(b.policy, Setting::Unknown(_)));
    }

    #[test]
    fn maps_rules_and_targets() {
        let with_dlq = SdkTarget::builder()
            .id("a")
            .arn("arn:aws:lambda:eu-west-1:1:function:f")
            .dead_letter_config(DeadLetterConfig::builder().arn("arn:aws:sqs:eu-west-1:1:dlq").build())
            .retry_policy(RetryPolicy::builder().maximum_retry_attempts(3).build())
            .build()
            .unwrap();
        let plain = SdkTarget::builder().id("b").arn("arn:aws:sqs:eu-west-1:1:q").build().unwrap();
        let r = map_rule("arn:r", "default", "1", "eu-west-1", None, &Read::Got(vec![with_dlq, plain]), vec![]);
        assert_eq!(r.event_bus_name, Setting::Known(None, Provenance::Live));
        let targets = r.targets.known().unwrap();
        assert_eq!(
            targets[0].dead_letter_arn,
            Setting::Known(Some("arn:aws:sqs:eu-west-1:1:dlq".into()), Provenance::Live)
        );
        assert_eq!(targets[0].maximum_retry_attempts, Setting::Known(3, Provenance::Live));
        assert_eq!(targets[0].maximum_event_age_in_seconds, Setting::Known(86_400, Provenance::Default));
        assert_eq!(targets[1].dead_letter_arn, Setting::Known(None, Provenance::Live));
        let r = map_rule("arn:r", "orders", "1", "eu-west-1", None, &Read::Failed("x".into()), vec![]);
        assert!(matches!(r.targets, Setting::Unknown(_)));
        assert_eq!(r.event_bus_name, Setting::Known(Some("orders".into()), Provenance::Live));
    }
}
