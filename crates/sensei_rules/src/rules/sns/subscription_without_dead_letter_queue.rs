//! SNS-002: every subscription sends the messages SNS cannot deliver to a dead-letter queue.

use sensei_model::sns::{Subscription, SubscriptionOrigin, Topic};
use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::rules::sqs::common;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "SNS-002",
        slug: "subscription-without-dead-letter-queue",
        title: "SNS subscription sends undeliverable messages to a dead-letter queue",
        service: Service::Sns,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 4,
        aliases: &["snsRedrivePolicy"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Topics],
        enabled_by_default: true,
        docs: include_str!("subscription_without_dead_letter_queue.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for topic in &inventory.topics {
        if topic.subscriptions.is_empty() {
            out.skip(&topic.resource, "no subscription to this topic is declared here");
            continue;
        }
        for subscription in &topic.subscriptions {
            let what = describe(subscription);
            let at = subscription.location.as_ref();
            if subscription.origin == SubscriptionOrigin::TopicProperty {
                out.fail(
                    &subscription.resource,
                    at,
                    format!(
                        "{what} is declared in the topic's `Subscription` list, which cannot take a redrive policy: a message SNS cannot deliver after its retries is dropped"
                    ),
                    fix(topic, subscription),
                );
                continue;
            }
            match &subscription.dead_letter_target_arn {
                Setting::Unknown(why) => {
                    out.unknown(&subscription.resource, at, format!("the `RedrivePolicy` of {what} is unknown: {why}"))
                }
                Setting::Known(Some(dlq), _) => {
                    out.pass(&subscription.resource, format!("{what} sends undeliverable messages to `{dlq}`"))
                }
                Setting::Known(None, _) => out.fail(
                    &subscription.resource,
                    at,
                    format!("{what} has no `RedrivePolicy`: a message SNS cannot deliver after its retries is dropped"),
                    fix(topic, subscription),
                ),
            }
        }
    }
}

/// `the subscription of sqs endpoint `X``, in the user's words.
fn describe(subscription: &Subscription) -> String {
    let protocol = subscription.protocol.known().map_or("an", String::as_str);
    match subscription.endpoint.known() {
        Some(Some(endpoint)) if !endpoint.is_empty() => format!("the {protocol} subscription to `{endpoint}`"),
        _ => format!("the {protocol} subscription"),
    }
}

/// Text with deploy-time tokens as `!Sub`, other text as it is.
fn expr_of(text: &str) -> Expr {
    if text.contains("${") { Expr::Sub(text.to_string()) } else { Expr::Literal(text.to_string()) }
}

fn fix(topic: &Topic, subscription: &Subscription) -> Fix {
    let syntax = subscription.resource.syntax;
    let note =
        "The dead-letter queue needs a queue policy that lets sns.amazonaws.com send to it (aws:SourceArn: the topic).";
    if syntax == Syntax::Live {
        let code = Code::map(vec![(
            "RedrivePolicy",
            Code::text(r#"{"deadLetterTargetArn":"arn:aws:sqs:REGION:ACCOUNT_ID:DLQ_NAME"}"#),
        )]);
        return Fix {
            summary: format!(
                "Create a queue for undeliverable messages and set it on the subscription (aws sns set-subscription-attributes --subscription-arn ARN --attribute-name RedrivePolicy --attribute-value '{{\"deadLetterTargetArn\":\"...\"}}'). {note}"
            ),
            snippet: Some(code.snippet(Syntax::Live)),
        };
    }
    let owner = match subscription.origin {
        SubscriptionOrigin::TopicProperty => format!("{}Subscription", topic.resource.id),
        _ => subscription.resource.id.clone(),
    };
    let dlq = format!("{owner}Dlq");
    let redrive = Code::map(vec![("deadLetterTargetArn", Code::Expr(Expr::GetAtt(dlq.clone(), "Arn".to_string())))]);
    let (summary, snippet) = match subscription.origin {
        SubscriptionOrigin::TopicProperty => {
            let mut properties = vec![("TopicArn", Code::Expr(Expr::Ref(topic.resource.id.clone())))];
            if let Some(protocol) = subscription.protocol.known() {
                properties.push(("Protocol", Code::text(protocol)));
            }
            if let Some(Some(endpoint)) = subscription.endpoint.known() {
                properties.push(("Endpoint", Code::Expr(expr_of(endpoint))));
            }
            properties.push(("RedrivePolicy", redrive));
            let resource =
                Code::map(vec![("Type", Code::text("AWS::SNS::Subscription")), ("Properties", Code::map(properties))]);
            (
                format!(
                    "Move the subscription out of the `Subscription` list of `{}` into an `AWS::SNS::Subscription` resource with a `RedrivePolicy`, and add the SQS queue `{dlq}`. {note}",
                    topic.resource.id
                ),
                common::resource_snippet(&owner, &resource, syntax),
            )
        }
        SubscriptionOrigin::SamEvent => {
            let function = subscription.resource.generated_from.as_deref().unwrap_or_default();
            let event = subscription.resource.id.strip_prefix(function).unwrap_or(&subscription.resource.id);
            (
                format!(
                    "Add a `RedrivePolicy` to the `Properties` of the `{event}` event of `{function}`, and the SQS queue `{dlq}` to `Resources`. {note}"
                ),
                Code::map(vec![("RedrivePolicy", redrive)]).snippet(syntax),
            )
        }
        SubscriptionOrigin::Resource => (
            format!(
                "Add a `RedrivePolicy` to the `Properties` of `{}`, and the SQS queue `{dlq}` to `Resources`. {note}",
                subscription.resource.id
            ),
            Code::map(vec![("RedrivePolicy", redrive)]).snippet(syntax),
        ),
    };
    Fix { summary, snippet: Some(snippet) }
}
