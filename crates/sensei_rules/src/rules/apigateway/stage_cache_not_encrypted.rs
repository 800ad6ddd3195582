//! APIGW-007: a REST stage that caches responses encrypts its cache.

use sensei_model::apigateway::{ApiKind, MethodSetting, Stage, StageSource};
use sensei_model::{Inventory, Setting};

use super::{lit, stage_fix, stage_label, stages};
use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "APIGW-007",
        slug: "stage-cache-not-encrypted",
        title: "REST API stage encrypts its response cache",
        service: Service::ApiGateway,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 3,
        aliases: &["APIGateway.5"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Apis],
        enabled_by_default: true,
        docs: include_str!("stage_cache_not_encrypted.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for (api, stage) in stages(inventory, &[ApiKind::Rest]) {
        let label = stage_label(stage);
        match &stage.cache_cluster_enabled {
            Setting::Unknown(why) => {
                out.unknown(&stage.resource, None, format!("whether {label} has a cache is unknown: {why}"));
                continue;
            }
            Setting::Known(false, _) => {
                out.skip(&stage.resource, format!("{label} has no cache (`CacheClusterEnabled` is false)"));
                continue;
            }
            Setting::Known(true, _) => {}
        }
        match unencrypted(stage) {
            Err(why) => out.unknown(&stage.resource, None, format!("the cache settings of {label} are unknown: {why}")),
            Ok(None) => out.pass(&stage.resource, format!("{label} encrypts every cached response")),
            Ok(Some(which)) => out.fail(
                &stage.resource,
                stage.cache_data_encrypted.location(),
                format!("{label} caches responses unencrypted ({which}): `CacheDataEncrypted` is not true"),
                fix(stage, api.kind),
            ),
        }
    }
}

/// Which cached methods are not encrypted, if any: the stage-wide setting (API Gateway caches
/// GET methods once the cache cluster is on) and every method setting that caches.
fn unencrypted(stage: &Stage) -> Result<Option<String>, String> {
    let known = |s: &Setting<bool>| match s {
        Setting::Known(v, _) => Ok(*v),
        Setting::Unknown(why) => Err(why.clone()),
    };
    let wide_caching = match &stage.caching_enabled {
        // With the cache cluster on and no stage-wide `CachingEnabled`, GET methods are cached.
        Setting::Known(_, sensei_model::Provenance::Default) => true,
        s => known(s)?,
    };
    let wide_encrypted = known(&stage.cache_data_encrypted)?;
    let overrides: &[MethodSetting] = match &stage.method_settings {
        Setting::Known(list, _) => list,
        Setting::Unknown(why) => return Err(why.clone()),
    };
    let mut plain = Vec::new();
    let wide_plain = wide_caching && !wide_encrypted;
    if wide_plain {
        plain.push("every method".to_string());
    }
    for m in overrides {
        let caching = match &m.caching_enabled {
            Setting::Known(Some(v), _) => *v,
            Setting::Known(None, _) => wide_caching,
            Setting::Unknown(why) => return Err(why.clone()),
        };
        let encrypted = match &m.cache_data_encrypted {
            Setting::Known(Some(v), _) => *v,
            Setting::Known(None, _) => wide_encrypted,
            Setting::Unknown(why) => return Err(why.clone()),
        };
        if caching && !encrypted && !wide_plain {
            plain.push(format!("`{}`", m.target));
        }
    }
    Ok((!plain.is_empty()).then(|| plain.join(", ")))
}

fn fix(stage: &Stage, kind: ApiKind) -> Fix {
    let settings = match stage.source {
        StageSource::Deployment => vec![("CacheDataEncrypted", Code::bool(true))],
        _ => vec![(
            "MethodSettings",
            Code::List(vec![Code::map(vec![
                ("ResourcePath", lit("/*")),
                ("HttpMethod", lit("*")),
                ("CachingEnabled", Code::bool(true)),
                ("CacheDataEncrypted", Code::bool(true)),
            ])]),
        )],
    };
    stage_fix(stage, kind, settings, "Encrypt the cache of every method")
}
