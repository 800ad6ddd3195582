//! S3-005: a lifecycle rule moves the bucket's objects to S3 Intelligent-Tiering.

use sensei_model::s3::{Bucket, LifecycleRule, RuleStatus, StorageClass};
use sensei_model::{Inventory, Location, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, RuleOption, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "S3-005",
        slug: "bucket-without-intelligent-tiering",
        title: "S3 bucket moves objects to Intelligent-Tiering",
        service: Service::S3,
        categories: &[Category::Sustainability, Category::Savings],
        severity: Severity::Medium,
        level: 2,
        aliases: &["useIntelligentTiering"],
        options: &[RuleOption {
            key: "short_lived_days",
            default: 30,
            doc: "objects that a lifecycle rule deletes within this many days are too short-lived to tier (days)",
        }],
        needs_live_data: false,
        reads: &[Fact::Buckets, Fact::BucketPolicy, Fact::BucketLifecycle, Fact::BucketLogging, Fact::BucketAcl],
        enabled_by_default: true,
        docs: include_str!("bucket_without_intelligent_tiering.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let short_lived = u32::try_from(out.option("short_lived_days")).unwrap_or(0);
    for (bucket, log) in inventory.buckets.iter().zip(inventory.log_buckets()) {
        if let Some(why) = log {
            out.skip(
                &bucket.resource,
                format!("a log bucket ({why}): logs are written once and seldom read, so expire them instead (S3-010)"),
            );
            continue;
        }
        let rules = match &bucket.lifecycle_configuration {
            Setting::Unknown(why) => {
                out.unknown(&bucket.resource, None, format!("lifecycle configuration: {why}"));
                continue;
            }
            Setting::Known(rules, _) => rules,
        };
        match judge(rules, short_lived) {
            Verdict::Pass(message) => out.pass(&bucket.resource, message),
            Verdict::Unknown(why, at) => out.unknown(&bucket.resource, at.as_ref(), why),
            Verdict::Fail(message, at) => {
                let at = at.or_else(|| bucket.lifecycle_configuration.location().cloned());
                out.fail(&bucket.resource, at.as_ref(), message, fix(bucket, rules.is_empty()));
            }
        }
    }
}

enum Verdict {
    Pass(String),
    Unknown(String, Option<Location>),
    Fail(String, Option<Location>),
}

/// What a lifecycle rule does that keeps objects out of S3 Standard.
struct Effect {
    /// A transition to Intelligent-Tiering, "after 30 days".
    tiering: Option<String>,
    /// A transition to another, colder class: ("GLACIER", "after 90 days").
    colder: Option<(String, String)>,
    /// The objects expire within the short-lived limit: the number of days.
    expires: Option<u32>,
}

fn effect(rule: &LifecycleRule, short_lived: u32) -> Result<Effect, String> {
    let transitions = match &rule.transitions {
        Setting::Known(t, _) => t,
        Setting::Unknown(why) => return Err(format!("transitions: {why}")),
    };
    let mut effect = Effect { tiering: None, colder: None, expires: None };
    for t in transitions {
        match &t.storage_class {
            Setting::Known(StorageClass::IntelligentTiering, _) => effect.tiering = Some(t.when()),
            Setting::Known(class, _) => {
                effect.colder.get_or_insert_with(|| (class.as_str().to_string(), t.when()));
            }
            Setting::Unknown(why) => return Err(format!("a transition: {why}")),
        }
    }
    match &rule.expiration_in_days {
        Setting::Known(Some(days), _) if *days <= short_lived => effect.expires = Some(*days),
        Setting::Known(_, _) => {}
        Setting::Unknown(why) => return Err(format!("expiration: {why}")),
    }
    Ok(effect)
}

fn judge(rules: &[LifecycleRule], short_lived: u32) -> Verdict {
    let mut unknown: Option<(String, Option<Location>)> = None;
    let mut partial: Vec<(String, Option<Location>)> = Vec::new();
    let mut disabled: Vec<(String, Option<Location>)> = Vec::new();
    let mut other_pass: Option<String> = None;
    for (i, rule) in rules.iter().enumerate() {
        let name = rule.name(i);
        let at = rule.location.clone();
        let effect = match effect(rule, short_lived) {
            Ok(e) => e,
            Err(why) => {
                unknown.get_or_insert((format!("lifecycle rule {name}: {why}"), at));
                continue;
            }
        };
        if effect.tiering.is_none() && effect.colder.is_none() && effect.expires.is_none() {
            continue;
        }
        match &rule.status {
            Setting::Known(RuleStatus::Enabled, _) => {}
            Setting::Known(_, _) => {
                if effect.tiering.is_some() {
                    disabled.push((name, at));
                }
                continue;
            }
            Setting::Unknown(why) => {
                unknown.get_or_insert((format!("lifecycle rule {name}: {why}"), at));
                continue;
            }
        }
        let scope = match rule.scope() {
            Ok(scope) => scope,
            Err(why) => {
                unknown.get_or_insert((format!("lifecycle rule {name}: {why}"), at));
                continue;
            }
        };
        match (scope, effect) {
            (None, Effect { tiering: Some(when), .. }) => {
                return Verdict::Pass(format!(
                    "lifecycle rule {name} moves every object to INTELLIGENT_TIERING {when}"
                ));
            }
            (Some(scope), Effect { tiering: Some(_), .. }) => {
                partial
                    .push((format!("lifecycle rule {name} moves only the objects {scope} to INTELLIGENT_TIERING"), at));
            }
            (None, Effect { expires: Some(days), .. }) => {
                other_pass.get_or_insert(format!(
                    "lifecycle rule {name} deletes every object after {days} days, before tiering would save anything"
                ));
            }
            (None, Effect { colder: Some((class, when)), .. }) => {
                other_pass.get_or_insert(format!("lifecycle rule {name} moves every object to {class} {when}"));
            }
            _ => {}
        }
    }
    if let Some(message) = other_pass {
        return Verdict::Pass(message);
    }
    if let Some((why, at)) = unknown {
        return Verdict::Unknown(why, at);
    }
    if let Some((_, at)) = partial.first() {
        let what: Vec<&str> = partial.iter().map(|(m, _)| m.as_str()).collect();
        return Verdict::Fail(
            format!("{}; the rest of the bucket stays in S3 Standard however seldom it is read", what.join("; ")),
            at.clone(),
        );
    }
    if let Some((_, at)) = disabled.first() {
        let names: Vec<&str> = disabled.iter().map(|(n, _)| n.as_str()).collect();
        return Verdict::Fail(
            format!(
                "lifecycle rule {} would move objects to INTELLIGENT_TIERING, but its `Status` is not `Enabled`",
                names.join(", ")
            ),
            at.clone(),
        );
    }
    if rules.is_empty() {
        return Verdict::Fail(
            "no `LifecycleConfiguration`: every object stays in S3 Standard however seldom it is read".to_string(),
            None,
        );
    }
    Verdict::Fail(
        "no lifecycle rule moves objects to INTELLIGENT_TIERING: every object stays in S3 Standard however seldom it is read"
            .to_string(),
        None,
    )
}

fn fix(bucket: &Bucket, no_rules: bool) -> Fix {
    let rule = Code::map(vec![
        ("Id", Code::text("IntelligentTiering")),
        ("Status", Code::text("Enabled")),
        (
            "Transitions",
            Code::List(vec![Code::map(vec![
                ("StorageClass", Code::text("INTELLIGENT_TIERING")),
                ("TransitionInDays", Code::number(0)),
            ])]),
        ),
    ]);
    let syntax = bucket.resource.syntax;
    let (summary, code) = if no_rules {
        (
            "Add this lifecycle configuration to the bucket's `Properties`: S3 then moves each object between access tiers by how often it is read.",
            Code::map(vec![("LifecycleConfiguration", Code::map(vec![("Rules", Code::List(vec![rule]))]))]),
        )
    } else {
        (
            "Add this rule, which covers the whole bucket, to the `Rules` of the bucket's `LifecycleConfiguration`.",
            match syntax {
                Syntax::Yaml => Code::List(vec![rule]),
                _ => rule,
            },
        )
    };
    let snippet = code.snippet(syntax);
    Fix { summary: summary.to_string(), snippet: Some(snippet) }
}
