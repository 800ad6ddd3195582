//! The `Policies` of a SAM function or state machine: managed policy names and ARNs, policy
//! documents, and SAM policy templates, as SAM expands them into the generated role.

use sensei_model::iam::{InlinePolicy, PolicyAttachment};
use sensei_model::{Provenance, Setting};

use crate::node::{Node, NodeValue, Pos};
use crate::resources::iam::items;
use crate::resources::policy_of_val;
use crate::template::Template;
use crate::value::Val;

/// What `Policies` puts in a generated role.
#[derive(Default)]
pub struct RolePolicies {
    pub inline: Vec<InlinePolicy>,
    /// Managed policy ARNs.
    pub managed: Vec<String>,
}

/// Expands `Policies` for the role `role_id`. Inline documents are named `<RoleId>Policy<index>`.
pub fn expand(template: &Template<'_>, role_id: &str, node: Option<&Node>) -> RolePolicies {
    let mut out = RolePolicies::default();
    let Some(node) = node else { return out };
    for (index, (value, item)) in items(template, node).into_iter().enumerate() {
        let policy_name = format!("{role_id}Policy{index}");
        let prov = Provenance::Declared(template.location(item.pos));
        match value {
            Val::Str(name) if matches!(item.value, NodeValue::String(_)) => out.managed.push(managed_arn(&name)),
            Val::Str(arn) | Val::Sym(arn) => out.managed.push(arn),
            Val::Map(ref entries) if value.get("Statement").is_some() || entries.is_empty() => {
                let policy_document = policy_of_val(template, &value, item.pos, prov);
                out.inline.push(InlinePolicy { policy_name, policy_document, attachment: PolicyAttachment::Inline });
            }
            Val::Map(entries) if entries.len() == 1 => {
                let policy_document = match entries.first() {
                    Some((name, params)) => template_policy(template, name, params, item.pos, prov),
                    None => Setting::Unknown("an empty policy".to_string()),
                };
                out.inline.push(InlinePolicy { policy_name, policy_document, attachment: PolicyAttachment::Inline });
            }
            Val::Unknown(why) => out.inline.push(InlinePolicy {
                policy_name,
                policy_document: Setting::Unknown(why),
                attachment: PolicyAttachment::Inline,
            }),
            other => {
                let why = format!("a `Policies` entry is {}, not a policy", crate::props::kind(&other));
                template.report(item.pos, why.clone());
                out.inline.push(InlinePolicy {
                    policy_name,
                    policy_document: Setting::Unknown(why),
                    attachment: PolicyAttachment::Inline,
                });
            }
        }
    }
    out
}

/// The ARN of an AWS managed policy named in `Policies`: a bare name becomes
/// `arn:${AWS::Partition}:iam::aws:policy/<path><name>`; an ARN stays as it is.
pub fn managed_arn(name: &str) -> String {
    if name.starts_with("arn:") {
        return name.to_string();
    }
    let path = MANAGED_POLICY_PATHS.iter().find(|(n, _)| *n == name).map_or("", |(_, p)| p);
    format!("arn:${{AWS::Partition}}:iam::aws:policy/{path}{name}")
}

/// AWS managed policies that live under a path, among those functions commonly name.
const MANAGED_POLICY_PATHS: &[(&str, &str)] = &[
    ("AWSLambdaBasicExecutionRole", "service-role/"),
    ("AWSLambdaBasicDurableExecutionRolePolicy", "service-role/"),
    ("AWSLambdaDynamoDBExecutionRole", "service-role/"),
    ("AWSLambdaENIManagementAccess", "service-role/"),
    ("AWSLambdaKinesisExecutionRole", "service-role/"),
    ("AWSLambdaMSKExecutionRole", "service-role/"),
    ("AWSLambdaRole", "service-role/"),
    ("AWSLambdaSQSQueueExecutionRole", "service-role/"),
    ("AWSLambdaVPCAccessExecutionRole", "service-role/"),
    ("AmazonAPIGatewayPushToCloudWatchLogs", "service-role/"),
    ("AmazonS3ObjectLambdaExecutionRolePolicy", "service-role/"),
    ("AWSCodeDeployRoleForLambda", "service-role/"),
    ("AWSCodeDeployRoleForLambdaLimited", "service-role/"),
    ("AWSIoTRuleActions", "service-role/"),
    ("AWSGlueServiceRole", "service-role/"),
    ("AmazonSSMAutomationRole", "service-role/"),
    ("AWSConfigRole", "service-role/"),
    ("AWSConfigRulesExecutionRole", "service-role/"),
    ("Billing", "job-function/"),
    ("DataScientist", "job-function/"),
    ("DatabaseAdministrator", "job-function/"),
    ("NetworkAdministrator", "job-function/"),
    ("SupportUser", "job-function/"),
    ("SystemAdministrator", "job-function/"),
    ("ViewOnlyAccess", "job-function/"),
];

/// A trust policy that lets `service` assume the role.
pub fn trust(service: &str) -> Val {
    let s = |t: &str| Val::Str(t.to_string());
    Val::Map(vec![
        ("Version".to_string(), s("2012-10-17")),
        (
            "Statement".to_string(),
            Val::List(vec![Val::Map(vec![
                ("Action".to_string(), Val::List(vec![s("sts:AssumeRole")])),
                ("Effect".to_string(), s("Allow")),
                ("Principal".to_string(), Val::Map(vec![("Service".to_string(), Val::List(vec![s(service)]))])),
            ])]),
        ),
    ])
}

/// A document of one statement that allows `action` on `resource`.
pub fn allow(action: &str, resource: Val) -> Val {
    Val::Map(vec![
        ("Version".to_string(), Val::Str("2012-10-17".to_string())),
        ("Statement".to_string(), Val::List(vec![statement(&[action], resource)])),
    ])
}

fn statement(actions: &[&str], resource: Val) -> Val {
    Val::Map(vec![
        ("Action".to_string(), Val::List(actions.iter().map(|a| Val::Str((*a).to_string())).collect())),
        ("Effect".to_string(), Val::Str("Allow".to_string())),
        ("Resource".to_string(), resource),
    ])
}

/// The document of a SAM policy template, with its parameters substituted.
fn template_policy(
    template: &Template<'_>,
    name: &str,
    params: &Val,
    pos: Pos,
    prov: Provenance,
) -> Setting<sensei_model::Policy> {
    let Some(known) = POLICY_TEMPLATES.iter().find(|t| t.name == name) else {
        return Setting::Unknown(format!("SAM policy template {name} is not known to sensei"));
    };
    match known.document(params) {
        Ok(document) => policy_of_val(template, &document, pos, prov),
        Err(Unresolved::DeployTime(why)) => Setting::Unknown(why),
        Err(Unresolved::Invalid(why)) => {
            template.report(pos, why.clone());
            Setting::Unknown(why)
        }
    }
}

/// Why a policy template's document is not known.
#[derive(Debug)]
enum Unresolved {
    /// A parameter's value is known only at deploy time.
    DeployTime(String),
    /// A parameter is missing or is not a string: SAM rejects the template.
    Invalid(String),
}

/// A policy template of SAM's `policy_templates.json`: its statements allow `actions` on
/// `resources`, where `${Name}` stands for a parameter's value.
struct PolicyTemplate {
    name: &'static str,
    statements: &'static [(&'static [&'static str], &'static [&'static str])],
}

impl PolicyTemplate {
    fn document(&self, params: &Val) -> Result<Val, Unresolved> {
        let mut statements = Vec::with_capacity(self.statements.len());
        for (actions, resources) in self.statements {
            let mut arns = Vec::with_capacity(resources.len());
            for pattern in *resources {
                arns.push(self.substitute(pattern, params)?);
            }
            let resource = if arns.len() == 1 { arns.pop().unwrap_or(Val::Null) } else { Val::List(arns) };
            statements.push(statement(actions, resource));
        }
        Ok(Val::Map(vec![("Statement".to_string(), Val::List(statements))]))
    }

    /// `pattern` with each `${Parameter}` replaced by its value; `${AWS::...}` stays a token.
    fn substitute(&self, pattern: &str, params: &Val) -> Result<Val, Unresolved> {
        let mut out = String::new();
        let mut symbolic = false;
        let mut rest = pattern;
        while let Some(start) = rest.find("${") {
            out.push_str(rest.get(..start).unwrap_or_default());
            let after = rest.get(start + 2..).unwrap_or_default();
            let end = after.find('}').unwrap_or(after.len());
            let name = after.get(..end).unwrap_or_default();
            rest = after.get(end + 1..).unwrap_or_default();
            if name.starts_with("AWS::") {
                out.push_str(&format!("${{{name}}}"));
                symbolic = true;
                continue;
            }
            match params.get(name) {
                Some(Val::Str(s) | Val::Num(s)) => out.push_str(s),
                Some(Val::Sym(s)) => {
                    out.push_str(s);
                    symbolic = true;
                }
                Some(Val::Unknown(why)) => return Err(Unresolved::DeployTime(why.clone())),
                Some(other) => {
                    let found = crate::props::kind(other);
                    let why = format!("SAM policy template {}: `{name}` should be a string, found {found}", self.name);
                    return Err(Unresolved::Invalid(why));
                }
                None => {
                    let why = format!("SAM policy template {} needs a value for `{name}`", self.name);
                    return Err(Unresolved::Invalid(why));
                }
            }
        }
        out.push_str(rest);
        Ok(if symbolic { Val::Sym(out) } else { Val::Str(out) })
    }
}

const BUCKET: &[&str] = &["arn:${AWS::Partition}:s3:::${BucketName}", "arn:${AWS::Partition}:s3:::${BucketName}/*"];
const TABLE: &[&str] = &[
    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}",
    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*",
];
const QUEUE: &[&str] = &["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}"];
const ANY: &[&str] = &["*"];

/// The common templates, as SAM defines them.
const POLICY_TEMPLATES: &[PolicyTemplate] = &[
    PolicyTemplate {
        name: "S3ReadPolicy",
        statements: &[(
            &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:GetLifecycleConfiguration",
            ],
            BUCKET,
        )],
    },
    PolicyTemplate {
        name: "S3WritePolicy",
        statements: &[(&["s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"], BUCKET)],
    },
    PolicyTemplate {
        name: "S3CrudPolicy",
        statements: &[(
            &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:GetLifecycleConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:DeleteObject",
            ],
            BUCKET,
        )],
    },
    PolicyTemplate {
        name: "DynamoDBReadPolicy",
        statements: &[(
            &["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"],
            TABLE,
        )],
    },
    PolicyTemplate {
        name: "DynamoDBCrudPolicy",
        statements: &[(
            &[
                "dynamodb:GetItem",
                "dynamodb:DeleteItem",
                "dynamodb:PutItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
                "dynamodb:ConditionCheckItem",
            ],
            TABLE,
        )],
    },
    PolicyTemplate {
        name: "DynamoDBWritePolicy",
        statements: &[(&["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"], TABLE)],
    },
    PolicyTemplate { name: "SQSSendMessagePolicy", statements: &[(&["sqs:SendMessage*"], QUEUE)] },
    PolicyTemplate {
        name: "SQSPollerPolicy",
        statements: &[(
            &[
                "sqs:ChangeMessageVisibility",
                "sqs:ChangeMessageVisibilityBatch",
                "sqs:DeleteMessage",
                "sqs:DeleteMessageBatch",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            QUEUE,
        )],
    },
    PolicyTemplate {
        name: "SNSPublishMessagePolicy",
        statements: &[(&["sns:Publish"], &["arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}"])],
    },
    PolicyTemplate {
        name: "LambdaInvokePolicy",
        statements: &[(
            &["lambda:InvokeFunction"],
            &["arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*"],
        )],
    },
    PolicyTemplate {
        name: "StepFunctionsExecutionPolicy",
        statements: &[(
            &["states:StartExecution"],
            &["arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}"],
        )],
    },
    PolicyTemplate {
        name: "EventBridgePutEventsPolicy",
        statements: &[(
            &["events:PutEvents"],
            &["arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${EventBusName}"],
        )],
    },
    PolicyTemplate {
        name: "SSMParameterReadPolicy",
        statements: &[
            (&["ssm:DescribeParameters"], ANY),
            (
                &["ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"],
                &["arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${ParameterName}"],
            ),
        ],
    },
    PolicyTemplate {
        name: "AWSSecretsManagerGetSecretValuePolicy",
        statements: &[(&["secretsmanager:GetSecretValue"], &["${SecretArn}"])],
    },
    PolicyTemplate {
        name: "KMSDecryptPolicy",
        statements: &[(&["kms:Decrypt"], &["arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}"])],
    },
    PolicyTemplate { name: "CloudWatchPutMetricPolicy", statements: &[(&["cloudwatch:PutMetricData"], ANY)] },
    PolicyTemplate {
        name: "VPCAccessPolicy",
        statements: &[(
            &[
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DetachNetworkInterface",
            ],
            ANY,
        )],
    },
];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn params(entries: &[(&str, Val)]) -> Val {
        Val::Map(entries.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect())
    }

    fn find(name: &str) -> &'static PolicyTemplate {
        POLICY_TEMPLATES.iter().find(|t| t.name == name).unwrap()
    }

    #[test]
    fn substitutes_parameters_and_keeps_pseudo_parameters() {
        let doc = find("S3ReadPolicy").document(&params(&[("BucketName", Val::Sym("${B}".into()))])).unwrap();
        let statement = doc.get("Statement").and_then(|s| match s {
            Val::List(l) => l.first(),
            _ => None,
        });
        let resources = statement.and_then(|s| s.get("Resource")).unwrap();
        assert_eq!(
            resources,
            &Val::List(vec![
                Val::Sym("arn:${AWS::Partition}:s3:::${B}".into()),
                Val::Sym("arn:${AWS::Partition}:s3:::${B}/*".into()),
            ])
        );
    }

    #[test]
    fn a_missing_parameter_is_an_error() {
        let Err(Unresolved::Invalid(why)) = find("DynamoDBCrudPolicy").document(&params(&[])) else { panic!() };
        assert!(why.contains("TableName"), "{why}");
        assert!(find("CloudWatchPutMetricPolicy").document(&params(&[])).is_ok());
    }

    #[test]
    fn names_become_managed_policy_arns() {
        assert_eq!(
            managed_arn("AmazonS3ReadOnlyAccess"),
            "arn:${AWS::Partition}:iam::aws:policy/AmazonS3ReadOnlyAccess"
        );
        assert_eq!(
            managed_arn("AWSLambdaVPCAccessExecutionRole"),
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
        );
        assert_eq!(managed_arn("arn:aws:iam::123:policy/x"), "arn:aws:iam::123:policy/x");
    }
}
