//! LAMBDA-003: a function behind an API times out before API Gateway gives up on it.

use sensei_model::apigateway::ApiKind;
use sensei_model::{Inventory, Setting};

use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::{in_function, scalar, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-003",
        slug: "timeout-exceeds-api-gateway-limit",
        title: "Lambda function behind an API times out before API Gateway does",
        service: Service::Lambda,
        categories: &[Category::Savings, Category::Stability],
        severity: Severity::Medium,
        level: 1,
        aliases: &["lambdaTimeoutInferiorToApiGatewayTimeout"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions, Fact::Apis],
        enabled_by_default: true,
        docs: include_str!("timeout_exceeds_api_gateway_limit.md"),
    },
    check,
};

/// API Gateway's integration timeout, in seconds: 29 for REST and WebSocket APIs, 30 for HTTP APIs.
fn limit(kind: ApiKind) -> u32 {
    match kind {
        ApiKind::Http => 30,
        ApiKind::Rest | ApiKind::WebSocket => 29,
    }
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for function in &inventory.functions {
        let r = &function.resource;
        let routes: Vec<_> =
            inventory.routes.iter().filter(|route| route.function.as_deref() == Some(r.id.as_str())).collect();
        if routes.is_empty() {
            out.skip(r, "no API route of this template invokes the function");
            continue;
        }
        let timeout = match &function.timeout {
            Setting::Known(t, _) => *t,
            Setting::Unknown(why) => {
                out.unknown(r, None, unknown_because("Timeout", why));
                continue;
            }
        };
        // The tightest limit among the routes; an API of unknown kind may have either limit.
        let mut strict = (u32::MAX, String::new());
        let mut loose = u32::MAX;
        for route in &routes {
            let kind = inventory.apis.iter().find(|a| a.resource.id == route.api).map(|a| a.kind);
            let (low, high) = match kind {
                Some(k) => (limit(k), limit(k)),
                None => (29, 30),
            };
            if low < strict.0 {
                strict = (low, format!("{} {} of `{}`", route.method, route.path, route.api));
            }
            loose = loose.min(high);
        }
        let (limit, route) = strict;
        if timeout < limit {
            out.pass(r, format!("times out after {timeout} s, before API Gateway's {limit} s"));
        } else if timeout < loose {
            out.unknown(
                r,
                None,
                format!(
                    "the kind of API `{}` is unknown, so its timeout (29 or 30 s) is too",
                    routes.first().map(|x| x.api.as_str()).unwrap_or("?")
                ),
            );
        } else {
            let default = if function.timeout.location().is_none() { " (the AWS default)" } else { "" };
            let message = format!(
                "times out after {timeout} s{default}, not before API Gateway gives up at {limit} s ({route}): the client gets a 504 while the function keeps running and is billed"
            );
            let target = limit - 1;
            let fix = Fix {
                summary: format!(
                    "In {}, set `Timeout` below {limit} s; if the work takes longer, answer at once and finish it asynchronously (a queue, a Step Functions workflow).",
                    in_function(function)
                ),
                snippet: Some(scalar("Timeout", target, r.syntax)),
            };
            out.fail(r, function.timeout.location(), message, fix);
        }
    }
}
