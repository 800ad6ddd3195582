//! `sensei audit` against moto for the services read since the first slice: API Gateway (REST,
//! HTTP), EventBridge, Step Functions, CloudFront, Cognito, KMS, RDS, Backup and SES. Resources are
//! seeded with boto3 so that each service has at least one resource that passes a rule and one
//! that fails it; findings are matched on the names and ids the seed prints (moto's ids are random).
//!
//! Like `live.rs`: `SENSEI_MOTO_ENDPOINT` names the moto server (`.ci/run` starts it); without it
//! these tests fail under `CI=true` and are skipped otherwise. Each test seeds its own region and
//! prefix, so they run in parallel with each other and with `live.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;
use support::endpoint;

use std::collections::BTreeMap;
use std::process::Command as Process;

use serde_json::Value;

/// Seeds resources with boto3 and prints a JSON object of their names to moto's ids. Modes:
/// `services` (every service, resources that pass and fail), `stack` (a CloudFormation stack with a
/// state machine, a key and a rule, and the same outside it), `cdn` (one CloudFront distribution).
const SEED: &str = r#"
import json, sys
import boto3
mode, endpoint, region, p = sys.argv[1:5]
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
c = lambda name: boto3.client(name, **kw)
ids = {}
def distribution(name, policy, headers=None):
    config = {"CallerReference": name, "Comment": name, "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "web", "DomainName": "www.example.com", "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "web", "ViewerProtocolPolicy": policy, "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}}
    if headers:
        config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] = headers
    ids[name] = c("cloudfront").create_distribution(DistributionConfig=config)["Distribution"]["Id"]
if mode == "services":
    # API Gateway REST: compression, X-Ray on the stage, a method without and one with authorization.
    apigw = c("apigateway")
    for name, good in ((f"{p}-rest-good", True), (f"{p}-rest-bad", False)):
        args = {"minimumCompressionSize": 1024} if good else {}
        api = apigw.create_rest_api(name=name, **args)["id"]
        ids[name] = api
        root = [r for r in apigw.get_resources(restApiId=api)["items"] if r["path"] == "/"][0]["id"]
        res = apigw.create_resource(restApiId=api, parentId=root, pathPart="items")["id"]
        apigw.put_method(restApiId=api, resourceId=res, httpMethod="GET", authorizationType="AWS_IAM" if good else "NONE")
        apigw.put_integration(restApiId=api, resourceId=res, httpMethod="GET", type="MOCK")
        dep = apigw.create_deployment(restApiId=api)["id"]
        apigw.create_stage(restApiId=api, stageName="prod", deploymentId=dep, tracingEnabled=good)
    # API Gateway HTTP: one open route, one behind a JWT authorizer.
    v2 = c("apigatewayv2")
    http = v2.create_api(Name=f"{p}-http", ProtocolType="HTTP")["ApiId"]
    ids[f"{p}-http"] = http
    auth = v2.create_authorizer(ApiId=http, AuthorizerType="JWT", Name="jwt", IdentitySource=["$request.header.Authorization"], JwtConfiguration={"Audience": ["a"], "Issuer": "https://issuer.example.com"})["AuthorizerId"]
    ids[f"{p}-http-open"] = v2.create_route(ApiId=http, RouteKey="GET /open")["RouteId"]
    ids[f"{p}-http-closed"] = v2.create_route(ApiId=http, RouteKey="GET /closed", AuthorizationType="JWT", AuthorizerId=auth)["RouteId"]
    # EventBridge: a bus with a policy and one without; a rule whose target has a DLQ and one without.
    events = c("events")
    for bus in (f"{p}-bus-open", f"{p}-bus-plain"):
        events.create_event_bus(Name=bus)
    events.put_permission(EventBusName=f"{p}-bus-open", Action="events:PutEvents", Principal="111122223333", StatementId="partner")
    for rule, dlq in ((f"{p}-with-dlq", True), (f"{p}-no-dlq", False)):
        events.put_rule(Name=rule, EventBusName=f"{p}-bus-plain", EventPattern=json.dumps({"source": ["app"]}))
        target = {"Id": "t", "Arn": f"arn:aws:sqs:{region}:123456789012:{p}-target"}
        if dlq:
            target["DeadLetterConfig"] = {"Arn": f"arn:aws:sqs:{region}:123456789012:{p}-dlq"}
        events.put_targets(Rule=rule, EventBusName=f"{p}-bus-plain", Targets=[target])
    # Step Functions: logged and silent.
    sfn = c("stepfunctions")
    definition = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
    role = f"arn:aws:iam::123456789012:role/{p}-sfn"
    sfn.create_state_machine(name=f"{p}-logged", definition=definition, roleArn=role, loggingConfiguration={"level": "ALL", "includeExecutionData": False, "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": f"arn:aws:logs:{region}:123456789012:log-group:{p}:*"}}]})
    sfn.create_state_machine(name=f"{p}-silent", definition=definition, roleArn=role)
    # CloudFront (global): HTTPS only and plain HTTP.
    for name, policy in ((f"{p}-https", "redirect-to-https"), (f"{p}-plain", "allow-all")):
        distribution(name, policy)
    distribution(f"{p}-headers", "https-only", "0a1b2c3d-0000-4000-8000-000000000001")
    # Cognito: long and short passwords; guest access on and off.
    idp = c("cognito-idp")
    for name, length in ((f"{p}-strong", 12), (f"{p}-weak", 6)):
        ids[name] = idp.create_user_pool(PoolName=name, Policies={"PasswordPolicy": {"MinimumLength": length, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True, "RequireSymbols": True, "TemporaryPasswordValidityDays": 3}})["UserPool"]["Id"]
    ci = c("cognito-identity")
    for name, guests in ((f"{p}_guests", True), (f"{p}_members", False)):
        ids[name] = ci.create_identity_pool(IdentityPoolName=name, AllowUnauthenticatedIdentities=guests)["IdentityPoolId"]
    # KMS: rotated, not rotated, scheduled for deletion.
    kms = c("kms")
    for name in ("rotated", "static", "doomed"):
        ids[f"{p}-{name}"] = kms.create_key(Description=f"{p}-{name}")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=ids[f"{p}-rotated"])
    kms.schedule_key_deletion(KeyId=ids[f"{p}-doomed"], PendingWindowInDays=7)
    # RDS: encrypted and not.
    rds = c("rds")
    for name, enc in ((f"{p}-enc", True), (f"{p}-plain", False)):
        rds.create_db_instance(DBInstanceIdentifier=name, Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="password123", StorageEncrypted=enc)
    # Backup: a plan that expires its recovery points, one that keeps them forever; a selection that
    # covers one DynamoDB table.
    ddb = c("dynamodb")
    for name in (f"{p}-covered", f"{p}-uncovered"):
        ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    backup = c("backup")
    for name, lifecycle in ((f"{p}-kept", {"DeleteAfterDays": 35}), (f"{p}-forever", None)):
        rule = {"RuleName": "daily", "TargetBackupVaultName": "Default", "ScheduleExpression": "cron(0 5 * * ? *)"}
        if lifecycle:
            rule["Lifecycle"] = lifecycle
        plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": name, "Rules": [rule]})["BackupPlanId"]
        ids[name] = plan
    # SES: a domain and an address; a configuration set with reputation metrics and one without.
    ses = c("sesv2")
    ses.create_email_identity(EmailIdentity=f"{p}.example.com")
    ses.create_email_identity(EmailIdentity=f"someone@{p}.example.com")
    ses.create_configuration_set(ConfigurationSetName=f"{p}-watched", ReputationOptions={"ReputationMetricsEnabled": True})
    ses.create_configuration_set(ConfigurationSetName=f"{p}-blind")
elif mode == "stack":
    cfn = c("cloudformation")
    definition = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
    role = f"arn:aws:iam::123456789012:role/{p}-sfn"
    template = {"Resources": {
        "Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"StateMachineName": f"{p}-in-stack", "DefinitionString": definition, "RoleArn": role}},
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": f"{p}-in-stack", "KeyPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}}},
        "Rule": {"Type": "AWS::Events::Rule", "Properties": {"Name": f"{p}-in-stack", "EventPattern": {"source": ["app"]}, "Targets": [{"Id": "t", "Arn": f"arn:aws:sqs:{region}:123456789012:{p}-q"}]}},
    }}
    cfn.create_stack(StackName=f"{p}-app", TemplateBody=json.dumps(template))
    for r in cfn.list_stack_resources(StackName=f"{p}-app")["StackResourceSummaries"]:
        if r["ResourceType"] == "AWS::KMS::Key":
            ids[f"{p}-in-stack"] = r["PhysicalResourceId"]
    c("stepfunctions").create_state_machine(name=f"{p}-outside", definition=definition, roleArn=role)
    ids[f"{p}-outside"] = c("kms").create_key(Description=f"{p}-outside")["KeyMetadata"]["KeyId"]
    c("events").put_rule(Name=f"{p}-outside", EventPattern=json.dumps({"source": ["app"]}))
elif mode == "cdn":
    distribution(f"{p}-edge", "allow-all")
print(json.dumps(ids))
"#;

/// Seeds `mode` and returns the names → ids the seed printed.
fn seed(mode: &str, endpoint: &str, region: &str, prefix: &str) -> BTreeMap<String, String> {
    let out = Process::new("python3")
        .args(["-c", SEED, mode, endpoint, region, prefix])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("python3 runs (installed with moto by .ci/run)");
    assert!(out.status.success(), "seeding failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("the seed printed no ids ({e})"))
}

/// `sensei audit ... --format json --select all` with static test credentials; returns (exit
/// code, report).
fn audit(args: &[&str]) -> (i32, Value) {
    let (mut cmd, _profile) = support::sensei_audit();
    cmd.env("AWS_MAX_ATTEMPTS", "2");
    let out = cmd.args(["--format", "json", "--select", "all"]).args(args).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// The findings of `rule` on resources whose id `matches`.
fn findings<'a>(report: &'a Value, rule: &str, matches: impl Fn(&str) -> bool) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule && matches(f["resource"]["id"].as_str().unwrap()))
        .collect()
}

/// The status of `rule` on the one resource whose id ends with `suffix`.
fn status(report: &Value, rule: &str, suffix: &str) -> String {
    let found = findings(report, rule, |id| id.ends_with(suffix));
    assert_eq!(found.len(), 1, "{rule} on *{suffix}: {found:#?}");
    found[0]["status"].as_str().unwrap().to_string()
}

/// The gaps of `service`'s `operation`.
fn gaps<'a>(report: &'a Value, service: &str, operation: &str) -> Vec<&'a Value> {
    report["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["service"] == service && g["operation"] == operation)
        .collect()
}

#[test]
fn seeded_services_pass_and_fail_their_rules() {
    let Some(url) = endpoint() else { return };
    let region = "eu-central-1";
    // Unique per run: names stay unique when the tests run again against the same server.
    let p = &format!("svc{}", std::process::id());
    let ids = seed("services", &url, region, p);
    let id =
        |name: &str| ids.get(&format!("{p}{name}")).unwrap_or_else(|| panic!("no id for {p}{name}: {ids:?}")).clone();
    let (code, report) = audit(&["--endpoint-url", &url, "--region", region]);
    assert_eq!(code, 1, "failing findings exit 1");

    let (good, bad) = (id("-rest-good"), id("-rest-bad"));
    let (http, open, closed) = (id("-http"), id("-http-open"), id("-http-closed"));
    let cases: Vec<(&str, String, &str)> = vec![
        // API Gateway REST: compression on the API, X-Ray on the stage.
        ("APIGW-009", format!("::/restapis/{good}"), "pass"),
        ("APIGW-009", format!("::/restapis/{bad}"), "fail"),
        ("APIGW-005", format!("::/restapis/{good}/stages/prod"), "pass"),
        ("APIGW-005", format!("::/restapis/{bad}/stages/prod"), "fail"),
        // API Gateway HTTP: a route with a JWT authorizer, and an open one.
        ("APIGW-002", format!("::/apis/{http}/routes/{closed}"), "pass"),
        ("APIGW-002", format!("::/apis/{http}/routes/{open}"), "fail"),
        // EventBridge.
        ("EB-002", format!("event-bus/{p}-bus-open"), "pass"),
        ("EB-002", format!("event-bus/{p}-bus-plain"), "fail"),
        ("EB-002", "event-bus/default".to_string(), "skip"),
        ("EB-001", format!("/{p}-with-dlq"), "pass"),
        ("EB-001", format!("/{p}-no-dlq"), "fail"),
        // Step Functions.
        ("SFN-001", format!(":stateMachine:{p}-logged"), "pass"),
        ("SFN-001", format!(":stateMachine:{p}-silent"), "fail"),
        // CloudFront (global).
        ("CF-001", format!(":distribution/{}", id("-https")), "pass"),
        ("CF-001", format!(":distribution/{}", id("-plain")), "fail"),
        // Cognito.
        ("COGNITO-001", format!(":userpool/{}", id("-strong")), "pass"),
        ("COGNITO-001", format!(":userpool/{}", id("-weak")), "fail"),
        ("COGNITO-004", format!(":identitypool/{}", id("_members")), "pass"),
        ("COGNITO-004", format!(":identitypool/{}", id("_guests")), "fail"),
        // KMS.
        ("KMS-001", format!(":key/{}", id("-rotated")), "pass"),
        ("KMS-001", format!(":key/{}", id("-static")), "fail"),
        ("KMS-002", format!(":key/{}", id("-static")), "pass"),
        ("KMS-002", format!(":key/{}", id("-doomed")), "fail"),
        ("KMS-003", format!(":key/{}", id("-static")), "pass"),
        // RDS.
        ("RDS-002", format!(":db:{p}-enc"), "pass"),
        ("RDS-002", format!(":db:{p}-plain"), "fail"),
        // Backup.
        ("BACKUP-001", id("-kept"), "pass"),
        ("BACKUP-001", id("-forever"), "fail"),
    ];
    let mut wrong = Vec::new();
    for (rule, suffix, expected) in &cases {
        let got = status(&report, rule, suffix);
        if got != *expected {
            wrong.push(format!("{rule} on *{suffix}: {got}, expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // A REST method is a route: the open one fails, the signed one passes.
    let method = |api: &str| {
        let found = findings(&report, "APIGW-001", |i| {
            i.contains(&format!("/restapis/{api}/resources/")) && i.ends_with("/methods/GET")
        });
        assert_eq!(found.len(), 1, "APIGW-001 on {api}: {found:#?}");
        found[0]["status"].as_str().unwrap().to_string()
    };
    assert_eq!(method(&good), "pass");
    assert_eq!(method(&bad), "fail");

    // moto lacks ListBackupSelections: a gap, and no table is called covered or uncovered.
    let selections = gaps(&report, "backup", "ListBackupSelections");
    if !selections.is_empty() {
        assert_eq!(status(&report, "DDB-003", &format!("table/{p}-covered")), "not_evaluated");
    }
    // moto lacks response headers policies: a gap of the global read, and the distribution whose
    // behavior names a custom policy is not evaluated on its headers (never a pass or a fail).
    let headers = format!(":distribution/{}", id("-headers"));
    let policies = gaps(&report, "cloudfront", "ListResponseHeadersPolicies");
    for g in &policies {
        assert!(g["region"].is_null(), "{g:#}");
    }
    if !policies.is_empty() {
        assert_eq!(status(&report, "CF-003", &headers), "not_evaluated");
    }
    assert_eq!(status(&report, "CF-003", &format!(":distribution/{}", id("-https"))), "fail");
    // SES: the SDK lists identities with `POST /v2/email/list-identities`, which moto routes only
    // with a recent botocore model; with an older one the listing is a gap.
    let listed = gaps(&report, "ses", "ListEmailIdentities");
    if listed.is_empty() {
        assert_eq!(status(&report, "SES-002", &format!("identity/{p}.example.com")), "pass");
        assert_eq!(status(&report, "SES-002", &format!("identity/someone@{p}.example.com")), "fail");
        assert_eq!(status(&report, "SES-004", &format!("configuration-set/{p}-watched")), "pass");
        assert_eq!(status(&report, "SES-004", &format!("configuration-set/{p}-blind")), "fail");
    } else {
        assert!(findings(&report, "SES-002", |i| i.contains(&format!("{p}.example.com"))).is_empty());
    }
}

#[test]
fn cloudfront_is_read_once_whatever_the_number_of_regions() {
    let Some(url) = endpoint() else { return };
    let p = format!("edge{}", std::process::id());
    let ids = seed("cdn", &url, "us-east-1", &p);
    let distribution = ids.get(&format!("{p}-edge")).unwrap().clone();
    let (_, report) = audit(&["--endpoint-url", &url, "--region", "sa-east-1,ap-northeast-1"]);
    let found = findings(&report, "CF-001", |i| i.ends_with(&format!(":distribution/{distribution}")));
    assert_eq!(found.len(), 1, "read once, reported once: {found:#?}");
    assert_eq!(found[0]["status"], "fail");
    assert!(found[0]["resource"]["live"]["region"].is_null(), "{:#}", found[0]);
    let listings = report["gaps"].as_array().unwrap().iter().filter(|g| g["service"] == "cloudfront").count();
    assert!(listings <= 1, "the global read is made once: {:#?}", report["gaps"]);
}

#[test]
fn stack_keeps_the_new_services_resources_of_the_stack_only() {
    let Some(url) = endpoint() else { return };
    let region = "ap-south-1";
    let p = format!("stk{}", std::process::id());
    let ids = seed("stack", &url, region, &p);
    let stack = format!("{p}-app");
    let (_, report) = audit(&["--endpoint-url", &url, "--region", region, "--stack", &stack]);
    let inside = [
        ("SFN-001", format!(":stateMachine:{p}-in-stack")),
        ("KMS-001", format!(":key/{}", ids[&format!("{p}-in-stack")])),
        ("EB-001", format!("/{p}-in-stack")),
    ];
    for (rule, suffix) in &inside {
        let found = findings(&report, rule, |i| i.ends_with(suffix.as_str()));
        assert_eq!(found.len(), 1, "{rule} on *{suffix}: {found:#?}");
        assert_eq!(found[0]["resource"]["live"]["stack"], stack.as_str(), "{:#}", found[0]);
    }
    let outside = ids[&format!("{p}-outside")].clone();
    let ids: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["resource"]["id"].as_str().unwrap()).collect();
    assert!(!ids.iter().any(|i| i.ends_with(&format!("{p}-outside")) || i.ends_with(&outside)), "{ids:?}");
    assert!(!ids.iter().any(|i| i.contains(":cloudfront:") || i.ends_with("event-bus/default")), "{ids:?}");
}
