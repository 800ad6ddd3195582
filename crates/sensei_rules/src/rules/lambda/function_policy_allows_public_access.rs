//! LAMBDA-014: nobody outside the account can invoke the function through its resource policy
//! or a function URL.

use sensei_model::lambda::{Function, Permission, UrlAuthType};
use sensei_model::{Expr, Inventory, Location, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity, Snippet};

use super::{cli_name, names_function};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-014",
        slug: "function-policy-allows-public-access",
        title: "Lambda function cannot be invoked by the public",
        service: Service::Lambda,
        categories: &[Category::Security],
        severity: Severity::Critical,
        level: 1,
        aliases: &["Lambda.1"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions, Fact::FunctionPolicy, Fact::FunctionUrls],
        enabled_by_default: true,
        docs: include_str!("function_policy_allows_public_access.md"),
    },
    check,
};

/// What one grant allows.
enum Grant {
    Restricted,
    Public { why: String, fix: Fix, at: Option<Location> },
    Unknown(String),
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for permission in &inventory.permissions {
        if let Setting::Unknown(why) = &permission.function
            && let Grant::Public { .. } = judge(permission)
        {
            out.unknown(
                &permission.resource,
                None,
                format!("this public permission names a function that is unknown: {why}"),
            );
        }
    }
    for function in &inventory.functions {
        let r = &function.resource;
        let mut grants = Vec::new();
        let open_url = function.urls.iter().any(|u| matches!(u.auth_type, Setting::Known(UrlAuthType::None, _)));
        for permission in &inventory.permissions {
            let Setting::Known(target, _) = &permission.function else { continue };
            // The URL's own finding says it: the permission is what makes a `NONE` URL work.
            let for_open_url = permission.function_url_auth_type.known().is_some_and(|t| t.as_deref() == Some("NONE"));
            if names_function(target, function) && !(open_url && for_open_url) {
                grants.push(judge(permission));
            }
        }
        for url in &function.urls {
            grants.push(match &url.auth_type {
                Setting::Known(UrlAuthType::None, prov) => Grant::Public {
                    why: format!(
                        "function URL `{}` has `AuthType: NONE`: anyone on the internet can call it",
                        url.resource.id
                    ),
                    fix: url_fix(function),
                    at: Setting::Known((), prov.clone()).location().cloned(),
                },
                Setting::Known(_, _) => Grant::Restricted,
                Setting::Unknown(why) => {
                    Grant::Unknown(format!("the auth type of `{}` is unknown: {why}", url.resource.id))
                }
            });
        }
        let count = grants.len();
        let mut public = Vec::new();
        let mut first_fix = None;
        let mut unknown = None;
        for grant in grants {
            match grant {
                Grant::Restricted => {}
                Grant::Public { why, fix, at } => {
                    public.push(why);
                    if first_fix.is_none() {
                        first_fix = Some((fix, at));
                    }
                }
                Grant::Unknown(why) => unknown = Some(why),
            }
        }
        if let Some((fix, at)) = first_fix {
            out.fail(r, at.as_ref(), public.join("; "), fix);
        } else if let Some(why) = unknown {
            out.unknown(r, None, why);
        } else if count == 0 {
            out.pass(r, "no permission or function URL lets others invoke it");
        } else {
            out.pass(
                r,
                format!(
                    "each of its {count} permissions and URLs is limited to a known account, organization or source"
                ),
            );
        }
    }
}

/// Whether one permission lets the public (or any account's resources) invoke the function.
fn judge(permission: &Permission) -> Grant {
    let id = &permission.resource.id;
    let principal = match &permission.principal {
        Setting::Known(p, _) => p.as_str(),
        Setting::Unknown(why) => return Grant::Unknown(format!("the principal of `{id}` is unknown: {why}")),
    };
    let fields = [
        ("SourceAccount", &permission.source_account),
        ("SourceArn", &permission.source_arn),
        ("PrincipalOrgID", &permission.principal_org_id),
        ("EventSourceToken", &permission.event_source_token),
    ];
    for (name, setting) in fields {
        if let Setting::Unknown(why) = setting {
            return Grant::Unknown(format!("`{name}` of `{id}` is unknown: {why}"));
        }
    }
    // A principal known only at deploy time (a parameter) may be anything, `*` included.
    let pseudo = ["${AWS::AccountId}", "${AWS::Partition}", "${AWS::URLSuffix}", "${AWS::Region}"];
    if pseudo.iter().fold(principal.to_string(), |p, t| p.replace(t, "")).contains("${") {
        return Grant::Unknown(format!("the principal of `{id}` is `{principal}`, known only at deploy time"));
    }
    let has = |s: &Setting<Option<String>>| matches!(s, Setting::Known(Some(_), _));
    let account_bound_arn = matches!(&permission.source_arn, Setting::Known(Some(arn), _) if arn_names_account(arn));
    let at = permission.resource.location.clone();
    if principal == "*" {
        if has(&permission.source_account) || has(&permission.principal_org_id) || account_bound_arn {
            return Grant::Restricted;
        }
        let url = permission.function_url_auth_type.known().cloned().flatten();
        let why = match url.as_deref() {
            Some("NONE") => format!(
                "permission `{id}` lets anyone call the function URL (`Principal: \"*\"`, `FunctionUrlAuthType: NONE`)"
            ),
            _ => format!(
                "permission `{id}` lets anyone invoke the function (`Principal: \"*\"` with no `SourceAccount`, `SourceArn` or `PrincipalOrgID`)"
            ),
        };
        return Grant::Public { why, fix: permission_fix(permission, "*"), at };
    }
    if principal == "alexa-appkit.amazon.com" || principal == "alexa-connectedhome.amazon.com" {
        if has(&permission.event_source_token) {
            return Grant::Restricted;
        }
        let why = format!("permission `{id}` lets any Alexa skill invoke the function (no `EventSourceToken`)");
        return Grant::Public { why, fix: permission_fix(permission, principal), at };
    }
    if is_service(principal) {
        if principal == "s3.amazonaws.com" && !has(&permission.source_account) {
            let why = format!(
                "permission `{id}` lets S3 invoke the function for a bucket of any account (no `SourceAccount`; a bucket name can be taken over once deleted)"
            );
            return Grant::Public { why, fix: permission_fix(permission, principal), at };
        }
        if !has(&permission.source_account) && !has(&permission.source_arn) && !has(&permission.principal_org_id) {
            let why = format!(
                "permission `{id}` lets {principal} invoke the function on behalf of any account (no `SourceArn` or `SourceAccount`)"
            );
            return Grant::Public { why, fix: permission_fix(permission, principal), at };
        }
    }
    Grant::Restricted
}

/// `x.amazonaws.com` and other service principals (no colon, a dot, not an account id).
fn is_service(principal: &str) -> bool {
    principal.contains('.') && !principal.contains(':')
}

/// An ARN that names an account (`arn:aws:sns:eu-west-1:123456789012:t`), or a reference to a
/// resource of the same template (`${Topic}`, `${Rule.Arn}`), which is in the stack's account.
fn arn_names_account(arn: &str) -> bool {
    if arn.starts_with("${") && arn.ends_with('}') {
        return true;
    }
    let account = arn.split(':').nth(4).unwrap_or_default();
    !account.is_empty() && !account.contains('*')
}

fn permission_fix(permission: &Permission, principal: &str) -> Fix {
    let syntax = permission.resource.syntax;
    let own_account = match syntax {
        Syntax::Live => Code::text("ACCOUNT_ID"),
        _ => Code::Expr(Expr::Ref("AWS::AccountId".to_string())),
    };
    let id = permission.resource.declared_id();
    if principal == "*" {
        return Fix {
            summary: format!(
                "In `{id}`, name the account or service that may invoke instead of `*`, or limit the permission with `SourceAccount` (or `PrincipalOrgID`); to serve the public, put API Gateway with authorization in front."
            ),
            snippet: Some((Code::map(vec![("Principal", own_account)])).snippet(syntax)),
        };
    }
    if principal.starts_with("alexa") {
        return Fix {
            summary: format!("In `{id}`, set `EventSourceToken` to your skill's id."),
            snippet: Some(
                (Code::map(vec![("EventSourceToken", Code::text("amzn1.ask.skill.SKILL_ID"))])).snippet(syntax),
            ),
        };
    }
    Fix {
        summary: format!(
            "In `{id}`, add `SourceAccount` (and `SourceArn` for the one resource that invokes) so that only your account's {principal} resources can invoke."
        ),
        snippet: Some((Code::map(vec![("SourceAccount", own_account)])).snippet(syntax)),
    }
}

fn url_fix(function: &Function) -> Fix {
    let r = &function.resource;
    match r.syntax {
        Syntax::Live => Fix {
            summary: "Require IAM authorization on the function URL (callers then sign requests with SigV4), or put API Gateway with an authorizer in front.".to_string(),
            snippet: Some(Snippet {
                language: "shell",
                code: format!("aws lambda update-function-url-config --function-name {} --auth-type AWS_IAM", cli_name(function)),
            }),
        },
        syntax => {
            let auth = Code::map(vec![("AuthType", Code::text("AWS_IAM"))]);
            let code = if function.serverless { Code::map(vec![("FunctionUrlConfig", auth)]) } else { auth };
            let target = function.urls.first().map_or(r.id.as_str(), |u| u.resource.declared_id());
            Fix {
                summary: format!(
                    "In `{target}`, require IAM authorization (callers then sign requests with SigV4), or put API Gateway with an authorizer in front; keep `NONE` only for a deliberately public endpoint that checks its callers itself."
                ),
                snippet: Some(code.snippet(syntax)),
            }
        }
    }
}
