//! CF-003: every cache behavior adds the security headers (HSTS, nosniff, frame options,
//! referrer policy) through a response headers policy.

use sensei_model::cloudfront::{CacheBehavior, ResponseHeadersPolicy};
use sensei_model::{Inventory, Setting};

use super::{behaviors_code, first_location, fix};
use crate::rules::apigateway::lit;
use crate::{Category, Fact, Findings, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "CF-003",
        slug: "distribution-without-security-headers",
        title: "CloudFront distribution adds security headers to every response",
        service: Service::CloudFront,
        categories: &[Category::Security],
        severity: Severity::High,
        level: 4,
        aliases: &["cloudFrontSecurityHeaders"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Distributions],
        enabled_by_default: true,
        docs: include_str!("distribution_without_security_headers.md"),
    },
    check,
};

/// The AWS managed policies that add all the security headers: `SecurityHeadersPolicy`,
/// `CORS-and-SecurityHeadersPolicy`, `CORS-with-preflight-and-SecurityHeadersPolicy`.
const MANAGED_COMPLETE: [(&str, &str); 3] = [
    ("67f7725c-6f97-4210-82d7-5512b31e9d03", "SecurityHeadersPolicy"),
    ("e61eb60c-9c35-4d20-a928-2b84e02af89c", "CORS-and-SecurityHeadersPolicy"),
    ("eaab4381-ed33-4a86-88ca-d9558dc6cd63", "CORS-with-preflight-and-SecurityHeadersPolicy"),
];

/// The AWS managed policies that add only CORS headers.
const MANAGED_CORS_ONLY: [(&str, &str); 2] = [
    ("60669652-455b-4ae9-85a4-c4c02393f86c", "SimpleCORS"),
    ("5cc3b908-e619-4b99-88e5-2cf7f45965bd", "CORS-With-Preflight"),
];

/// One year, the HSTS max-age browsers' preload lists ask for.
const ONE_YEAR: u32 = 31_536_000;

enum Verdict {
    Complete(String),
    Missing(String),
    Unknown(String),
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for d in &inventory.distributions {
        let behaviors = match d.behaviors() {
            Ok(b) => b,
            Err(why) => {
                out.unknown(&d.resource, None, why);
                continue;
            }
        };
        let verdicts: Vec<(&CacheBehavior, Verdict)> =
            behaviors.iter().map(|b| (*b, judge(b, &inventory.response_headers_policies))).collect();
        let missing: Vec<(&CacheBehavior, &String)> = verdicts
            .iter()
            .filter_map(|(b, v)| match v {
                Verdict::Missing(why) => Some((*b, why)),
                _ => None,
            })
            .collect();
        if !missing.is_empty() {
            let failing: Vec<&CacheBehavior> = missing.iter().map(|(b, _)| *b).collect();
            let code = behaviors_code(&failing, || {
                vec![("ResponseHeadersPolicyId", lit("67f7725c-6f97-4210-82d7-5512b31e9d03"))]
            });
            let message = missing.iter().map(|(b, why)| format!("{} {why}", b.label())).collect::<Vec<_>>().join("; ");
            out.fail(
                &d.resource,
                first_location(failing.iter().map(|b| b.response_headers_policy_id.location().or(b.location.as_ref()))),
                message,
                fix(
                    "Attach the AWS managed `SecurityHeadersPolicy` (or a policy of your own whose `SecurityHeadersConfig` sets HSTS for a year, `ContentTypeOptions`, `FrameOptions` and `ReferrerPolicy`).".to_string(),
                    &code,
                    d.resource.syntax,
                ),
            );
            continue;
        }
        if let Some((b, Verdict::Unknown(why))) = verdicts.iter().find(|(_, v)| matches!(v, Verdict::Unknown(_))) {
            out.unknown(&d.resource, None, format!("{}: {why}", b.label()));
            continue;
        }
        let names: Vec<String> = verdicts
            .iter()
            .filter_map(|(_, v)| match v {
                Verdict::Complete(name) => Some(name.clone()),
                _ => None,
            })
            .collect();
        let mut names_unique = names.clone();
        names_unique.dedup();
        out.pass(&d.resource, format!("every behavior adds the security headers ({})", names_unique.join(", ")));
    }
}

fn judge(b: &CacheBehavior, policies: &[ResponseHeadersPolicy]) -> Verdict {
    let id = match &b.response_headers_policy_id {
        Setting::Unknown(why) => {
            return Verdict::Unknown(crate::rules::apigateway::about("ResponseHeadersPolicyId", why));
        }
        Setting::Known(None, _) => {
            return Verdict::Missing("has no response headers policy, so no security header is added".to_string());
        }
        Setting::Known(Some(id), _) => id,
    };
    if let Some((_, name)) = MANAGED_COMPLETE.iter().find(|(m, _)| m == id) {
        return Verdict::Complete(format!("managed `{name}`"));
    }
    if let Some((_, name)) = MANAGED_CORS_ONLY.iter().find(|(m, _)| m == id) {
        return Verdict::Missing(format!("uses the managed `{name}` policy, which adds CORS headers only"));
    }
    let Some(policy) = b.response_headers_policy.and_then(|i| policies.get(i)) else {
        return Verdict::Unknown(format!("its response headers policy `{id}` is not in this template"));
    };
    match headers_missing(policy) {
        Err(why) => Verdict::Unknown(format!("the headers of `{}` are unknown: {why}", policy.resource.id)),
        Ok(missing) if missing.is_empty() => Verdict::Complete(format!("`{}`", policy.resource.id)),
        Ok(missing) => Verdict::Missing(format!("uses `{}`, which lacks {}", policy.resource.id, missing.join(", "))),
    }
}

fn headers_missing(policy: &ResponseHeadersPolicy) -> Result<Vec<String>, String> {
    let config = match &policy.security_headers_config {
        Setting::Unknown(why) => return Err(why.clone()),
        Setting::Known(None, _) => {
            return Ok(vec!["a `SecurityHeadersConfig`".to_string()]);
        }
        Setting::Known(Some(c), _) => c,
    };
    let mut missing = Vec::new();
    match &config.strict_transport_security_max_age {
        Setting::Unknown(why) => return Err(why.clone()),
        Setting::Known(None, _) => missing.push("Strict-Transport-Security".to_string()),
        Setting::Known(Some(age), _) if *age < ONE_YEAR => {
            missing.push(format!("a Strict-Transport-Security max-age of a year (it is {age} s)"))
        }
        Setting::Known(Some(_), _) => {}
    }
    match &config.content_type_options {
        Setting::Unknown(why) => return Err(why.clone()),
        Setting::Known(false, _) => missing.push("X-Content-Type-Options".to_string()),
        Setting::Known(true, _) => {}
    }
    for (name, setting) in [("X-Frame-Options", &config.frame_options), ("Referrer-Policy", &config.referrer_policy)] {
        match setting {
            Setting::Unknown(why) => return Err(why.clone()),
            Setting::Known(None, _) => missing.push(name.to_string()),
            Setting::Known(Some(_), _) => {}
        }
    }
    Ok(missing)
}
