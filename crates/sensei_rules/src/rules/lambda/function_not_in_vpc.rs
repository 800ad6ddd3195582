//! LAMBDA-015: the function runs in a VPC (compliance-only, off by default).

use sensei_model::{Expr, Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

use super::{in_function, unknown_because};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-015",
        slug: "function-not-in-vpc",
        title: "Lambda function runs in a VPC",
        service: Service::Lambda,
        categories: &[Category::Security],
        severity: Severity::Low,
        level: 5,
        aliases: &["Lambda.3"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions],
        enabled_by_default: false,
        docs: include_str!("function_not_in_vpc.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for function in &inventory.functions {
        let r = &function.resource;
        match &function.in_vpc {
            Setting::Unknown(why) => out.unknown(r, None, unknown_because("VpcConfig", why)),
            Setting::Known(true, _) => out.pass(r, "runs in a VPC"),
            Setting::Known(false, _) => {
                let reference = |id: &str| match r.syntax {
                    Syntax::Live => Code::text(&id.to_ascii_lowercase()),
                    _ => Code::Expr(Expr::Ref(id.to_string())),
                };
                let code = Code::map(vec![(
                    "VpcConfig",
                    Code::map(vec![
                        ("SubnetIds", Code::List(vec![reference("PrivateSubnetA"), reference("PrivateSubnetB")])),
                        ("SecurityGroupIds", Code::List(vec![reference("FunctionSecurityGroup")])),
                    ]),
                )]);
                let fix = Fix {
                    summary: format!(
                        "In {}, attach the function to private subnets of your VPC (in two zones) with a security group; it then needs VPC endpoints or a NAT gateway to reach AWS services.",
                        in_function(function)
                    ),
                    snippet: Some(code.snippet(r.syntax)),
                };
                out.fail(
                    r,
                    function.in_vpc.location(),
                    "the function is not attached to a VPC (no `VpcConfig` subnets)",
                    fix,
                );
            }
        }
    }
}
