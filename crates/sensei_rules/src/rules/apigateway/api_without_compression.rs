//! APIGW-009: a REST API compresses its responses.

use sensei_model::apigateway::ApiKind;
use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "APIGW-009",
        slug: "api-without-compression",
        title: "REST API compresses its responses",
        service: Service::ApiGateway,
        categories: &[Category::Speed, Category::Sustainability, Category::Savings],
        severity: Severity::Low,
        level: 2,
        aliases: &[],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Apis],
        enabled_by_default: true,
        docs: include_str!("api_without_compression.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for api in inventory.apis.iter().filter(|a| a.kind == ApiKind::Rest) {
        match &api.minimum_compression_size {
            Setting::Unknown(why) => out.unknown(&api.resource, None, super::about("MinimumCompressionSize", why)),
            Setting::Known(Some(size), _) => {
                out.pass(&api.resource, format!("responses of {size} bytes or more are compressed"))
            }
            Setting::Known(None, _) => out.fail(
                &api.resource,
                None,
                "no `MinimumCompressionSize`: responses are never compressed, whatever the client accepts",
                fix(api),
            ),
        }
    }
}

fn fix(api: &sensei_model::apigateway::Api) -> Fix {
    let setting = vec![("MinimumCompressionSize", Code::number(1024))];
    let implicit = api.resource.generated_from.is_some();
    let (code, place) = if implicit {
        (
            Code::map(vec![("Globals", Code::map(vec![("Api", Code::map(setting))]))]),
            "the template's `Globals`".to_string(),
        )
    } else {
        (Code::map(setting), format!("the `Properties` of `{}`", api.resource.id))
    };
    Fix {
        summary: format!("Compress responses of 1 KB or more (gzip or deflate, as the client accepts) in {place}."),
        snippet: Some(code.snippet(api.resource.syntax)),
    }
}
