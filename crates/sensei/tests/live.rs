//! `sensei audit` against moto in server mode: resources are seeded with boto3 (installed with
//! moto), the binary audits them, and the findings and gaps are checked.
//!
//! `.ci/run` starts moto on 127.0.0.1 inside a loopback-only network namespace and sets
//! `SENSEI_MOTO_ENDPOINT`. Without it these tests fail under `CI=true` and are skipped otherwise.
//! Each test seeds its own region (moto keeps each region apart), so they run in parallel.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;
use support::{closed_port, endpoint, read_request, with_connection_close};

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Seeds resources with boto3. Modes: `account` (resources that pass and fail rules), `auth`
/// (buckets and a user who may not read one bucket's policy; prints the user's keys), `stack` (a
/// CloudFormation stack with a queue, and a queue outside it).
const SEED: &str = r#"
import io, json, sys, zipfile
import boto3
from botocore.exceptions import ClientError
mode, endpoint, region, p = sys.argv[1:5]
def once(call, **args):
    # Seeding twice into one server (a test run again by hand) finds its resources there.
    try:
        return call(**args)
    except ClientError as e:
        if e.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "EntityAlreadyExists", "ResourceConflictException", "ResourceAlreadyExistsException", "ResourceInUseException", "AlreadyExistsException", "QueueAlreadyExists"):
            raise
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
s3 = boto3.client("s3", **kw)
def bucket(name):
    if region == "us-east-1":
        once(s3.create_bucket, Bucket=name)
    else:
        once(s3.create_bucket, Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
if mode == "account":
    bucket(f"{p}-secure")
    arn = f"arn:aws:s3:::{p}-secure"
    s3.put_bucket_policy(Bucket=f"{p}-secure", Policy=json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [arn, arn + "/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    s3.put_public_access_block(Bucket=f"{p}-secure", PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_tagging(Bucket=f"{p}-secure", Tagging={"TagSet": [{"Key": "team", "Value": p}]})
    bucket(f"{p}-plain")
    sqs = boto3.client("sqs", **kw)
    sqs.create_queue(QueueName=f"{p}-encrypted", Attributes={"SqsManagedSseEnabled": "true"})
    sqs.create_queue(QueueName=f"{p}-plain", Attributes={"SqsManagedSseEnabled": "false"})
    iam = boto3.client("iam", **kw)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    once(iam.create_role, RoleName=f"{p}-fn", AssumeRolePolicyDocument=json.dumps(trust))
    role = iam.get_role(RoleName=f"{p}-fn")["Role"]["Arn"]
    iam.put_role_policy(RoleName=f"{p}-fn", PolicyName="everything", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return 1\n")
    lam = boto3.client("lambda", **kw)
    once(lam.create_function, FunctionName=f"{p}-arm", Runtime="python3.12", Role=role, Handler="app.handler", Code={"ZipFile": buf.getvalue()}, Architectures=["arm64"], MemorySize=256, Timeout=10)
    once(lam.create_function, FunctionName=f"{p}-x86", Runtime="python3.8", Role=role, Handler="app.handler", Code={"ZipFile": buf.getvalue()}, Architectures=["x86_64"])
    logs = boto3.client("logs", **kw)
    once(logs.create_log_group, logGroupName=f"/aws/lambda/{p}-arm")
    logs.put_retention_policy(logGroupName=f"/aws/lambda/{p}-arm", retentionInDays=14)
    once(logs.create_log_group, logGroupName=f"{p}-forever")
    sns = boto3.client("sns", **kw)
    sns.create_topic(Name=f"{p}-encrypted", Attributes={"KmsMasterKeyId": "alias/aws/sns"})
    sns.create_topic(Name=f"{p}-plain")
    ddb = boto3.client("dynamodb", **kw)
    for name in (f"{p}-backed-up", f"{p}-no-backups"):
        once(ddb.create_table, TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    ddb.update_continuous_backups(TableName=f"{p}-backed-up", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
elif mode == "auth":
    bucket(f"{p}-open")
    bucket(f"{p}-guarded")
    iam = boto3.client("iam", **kw)
    iam.create_user(UserName="auditor")
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    iam.put_user_policy(UserName="auditor", PolicyName="audit", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:List*", "s3:Get*", "sts:GetCallerIdentity"], "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetBucketPolicy", "Resource": f"arn:aws:s3:::{p}-guarded"}]}))
    print(key["AccessKeyId"], key["SecretAccessKey"])
elif mode == "stack":
    cfn = boto3.client("cloudformation", **kw)
    template = {"Resources": {"Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": f"{p}-in-stack"}}}}
    once(cfn.create_stack, StackName=f"{p}-app", TemplateBody=json.dumps(template))
    boto3.client("sqs", **kw).create_queue(QueueName=f"{p}-outside")
"#;

/// The number of unauthenticated calls `auth` seeding makes before moto enforces IAM.
const AUTH_SEED_CALLS: u32 = 6;

fn seed(mode: &str, endpoint: &str, region: &str, prefix: &str) -> String {
    let out = Process::new("python3")
        .args(["-c", SEED, mode, endpoint, region, prefix])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("python3 runs (installed with moto by .ci/run)");
    assert!(out.status.success(), "seeding failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `sensei audit ... --format json` with static test credentials; returns (exit code, report).
fn audit(args: &[&str], env: &[(&str, &str)]) -> (i32, Value) {
    let (mut cmd, _profile) = support::sensei_audit();
    cmd.env("AWS_MAX_ATTEMPTS", "2");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.args(["--format", "json"]).args(args).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// The status of `rule` on the resource whose id ends with `suffix`.
fn status(report: &Value, rule: &str, suffix: &str) -> String {
    let found: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule && f["resource"]["id"].as_str().unwrap().ends_with(suffix))
        .collect();
    assert_eq!(found.len(), 1, "{rule} on *{suffix}: {found:#?}");
    found[0]["status"].as_str().unwrap().to_string()
}

fn resource_ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"]["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn seeded_resources_pass_and_fail_their_rules() {
    let Some(url) = endpoint() else { return };
    let region = "eu-west-1";
    seed("account", &url, region, "acct");
    let (code, report) = audit(&["--endpoint-url", &url, "--region", region], &[]);
    assert_eq!(code, 1, "failing findings exit 1: {report:#}");
    let cases = [
        ("S3-001", ":::acct-secure", "pass"),
        ("S3-001", ":::acct-plain", "fail"),
        ("S3-002", ":::acct-secure", "pass"),
        ("S3-002", ":::acct-plain", "fail"),
        ("SQS-001", ":acct-encrypted", "pass"),
        ("SQS-001", ":acct-plain", "fail"),
        ("LAMBDA-001", ":function:acct-arm", "pass"),
        ("LAMBDA-001", ":function:acct-x86", "fail"),
        ("LAMBDA-010", ":function:acct-arm", "pass"),
        ("LAMBDA-010", ":function:acct-x86", "fail"),
        ("LAMBDA-017", ":function:acct-arm", "pass"),
        ("LAMBDA-017", ":function:acct-x86", "fail"),
        ("LOGS-001", "log-group:/aws/lambda/acct-arm", "pass"),
        ("LOGS-001", "log-group:acct-forever", "fail"),
        ("SNS-001", ":acct-encrypted", "pass"),
        ("SNS-001", ":acct-plain", "fail"),
        ("DDB-002", "table/acct-backed-up", "pass"),
        ("DDB-002", "table/acct-no-backups", "fail"),
        ("IAM-001", ":role/acct-fn", "fail"),
    ];
    for (rule, suffix, expected) in cases {
        assert_eq!(status(&report, rule, suffix), expected, "{rule} on *{suffix}");
    }
    // Findings name live resources by ARN, with their account and region.
    assert!(resource_ids(&report).iter().all(|id| id.starts_with("arn:aws:") || id == "account"));
    let regional = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "SQS-001")
        .unwrap_or_else(|| panic!("no SQS-001 finding: {report:#}"));
    assert_eq!(regional["resource"]["live"]["region"], region, "{regional:#}");
    assert_eq!(regional["resource"]["live"]["account"], "123456789012", "{regional:#}");
    // IAM is global: read once, reported once.
    let iam: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "IAM-001" && f["resource"]["id"].as_str().unwrap().ends_with(":role/acct-fn"))
        .collect();
    assert_eq!(iam.len(), 1);
}

#[test]
fn a_denied_call_is_a_gap_and_its_resource_is_not_evaluated() {
    let Some(_) = endpoint() else { return };
    // IAM enforcement is server-wide in moto, so this test runs its own server.
    let moto = Moto::start(&[("INITIAL_NO_AUTH_ACTION_COUNT", &AUTH_SEED_CALLS.to_string())]);
    let region = "eu-west-2";
    let keys = seed("auth", &moto.url, region, "auth");
    let (key, secret) = keys.split_once(' ').expect("the seed prints the auditor's keys");
    let (code, report) = audit(
        &["--endpoint-url", &moto.url, "--region", region],
        &[("AWS_ACCESS_KEY_ID", key), ("AWS_SECRET_ACCESS_KEY", secret)],
    );
    let gaps = report["gaps"].as_array().unwrap();
    let denied = gaps
        .iter()
        .find(|g| g["operation"] == "GetBucketPolicy" && g["resource"] == "arn:aws:s3:::auth-guarded")
        .unwrap_or_else(|| panic!("no gap for the denied call: {gaps:#?}"));
    assert_eq!(denied["code"], "AccessDenied");
    assert_eq!(denied["service"], "s3");
    assert_eq!(denied["region"], region);
    // Never a pass: the policy that was not read decides S3-001.
    assert_eq!(status(&report, "S3-001", ":::auth-guarded"), "not_evaluated");
    assert_eq!(status(&report, "S3-001", ":::auth-open"), "fail");
    // Listings the user may not make are gaps too, and the run goes on.
    assert!(gaps.iter().any(|g| g["operation"] == "ListFunctions" && g["code"] == "AccessDenied"), "{gaps:#?}");
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["gaps"].as_u64().unwrap() as usize, gaps.len());

    // --strict: a gap fails the run.
    let (code, _) = audit(
        &["--endpoint-url", &moto.url, "--region", region, "--strict"],
        &[("AWS_ACCESS_KEY_ID", key), ("AWS_SECRET_ACCESS_KEY", secret)],
    );
    assert_eq!(code, 2);
}

#[test]
fn an_unreachable_service_is_a_gap_and_the_run_goes_on() {
    let Some(url) = endpoint() else { return };
    let region = "ap-southeast-2";
    seed("stack", &url, region, "reach");
    // AWS_ENDPOINT_URL (honoured by the SDK) for every service, and a closed port for SQS.
    let closed = closed_port();
    let (code, report) = audit(
        &["--region", region],
        &[("AWS_ENDPOINT_URL", &url), ("AWS_ENDPOINT_URL_SQS", &format!("http://127.0.0.1:{closed}"))],
    );
    let gaps = report["gaps"].as_array().unwrap();
    assert!(
        gaps.iter().any(|g| g["service"] == "sqs" && g["operation"] == "ListQueues" && g["code"] == "ConnectionFailed"),
        "{gaps:#?}"
    );
    assert!(code == 0 || code == 1, "a gap does not stop the run: {code}");
}

#[test]
fn stack_restricts_the_audit_to_the_stacks_resources() {
    let Some(url) = endpoint() else { return };
    let region = "us-west-2";
    seed("stack", &url, region, "stk");
    let (_, all) = audit(&["--endpoint-url", &url, "--region", region, "--select", "SQS"], &[]);
    let ids = resource_ids(&all);
    assert!(ids.iter().any(|id| id.ends_with(":stk-in-stack")), "{ids:?}");
    assert!(ids.iter().any(|id| id.ends_with(":stk-outside")), "{ids:?}");

    let (_, only) = audit(&["--endpoint-url", &url, "--region", region, "--select", "SQS", "--stack", "stk-app"], &[]);
    let ids = resource_ids(&only);
    assert!(ids.iter().all(|id| id.ends_with(":stk-in-stack")), "{ids:?}");
    assert!(!ids.is_empty());

    // A stack that does not exist stops the run.
    let (mut cmd, _profile) = support::sensei_audit();
    let out = cmd.args(["--endpoint-url", &url, "--region", region, "--stack", "no-such-stack"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-stack"));
}

#[test]
fn tag_keeps_only_resources_with_every_tag() {
    let Some(url) = endpoint() else { return };
    let region = "ca-central-1";
    seed("account", &url, region, "tagged");
    let (_, report) = audit(&["--endpoint-url", &url, "--region", region, "--tag", "team=tagged"], &[]);
    let ids = resource_ids(&report);
    assert!(ids.contains(&"arn:aws:s3:::tagged-secure".to_string()), "{ids:?}");
    assert!(!ids.iter().any(|id| id.contains("tagged-plain")), "{ids:?}");
    assert!(!ids.iter().any(|id| id.contains(":function:")), "{ids:?}");
}

#[test]
fn throttling_is_retried_to_the_same_findings() {
    let Some(url) = endpoint() else { return };
    let region = "eu-north-1";
    seed("account", &url, region, "slow");
    let args = |endpoint: &str| {
        vec!["--endpoint-url".to_string(), endpoint.to_string(), "--region".to_string(), region.to_string()]
    };
    let plain = args(&url);
    let (_, direct) = audit(&plain.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    // Every other one of the first requests is refused with 503 SlowDown, as S3 does when throttling.
    let proxy = Throttler::start(&url);
    let slow = args(&proxy.url);
    let (_, throttled) = audit(&slow.iter().map(String::as_str).collect::<Vec<_>>(), &[("AWS_MAX_ATTEMPTS", "6")]);
    assert!(proxy.refused() >= 3, "the proxy throttled only {} requests", proxy.refused());
    let verdicts = |r: &Value| {
        let mut v: Vec<String> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["resource"]["id"].as_str().unwrap().contains("slow-"))
            .map(|f| format!("{} {} {}", f["rule"], f["resource"]["id"], f["status"]))
            .collect();
        v.sort();
        v
    };
    assert!(!verdicts(&direct).is_empty());
    assert_eq!(verdicts(&throttled), verdicts(&direct));
    let throttle_gaps: Vec<_> = throttled["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["code"] == "SlowDown" || g["code"] == "Throttling")
        .collect();
    assert!(throttle_gaps.is_empty(), "throttled calls were not retried: {throttle_gaps:#?}");
}

/// How many of the first requests the proxy sees are throttled (every other one of them).
const THROTTLED_REQUESTS: usize = 6;

/// A proxy in front of moto that answers every other one of the first requests with `503 SlowDown`.
struct Throttler {
    url: String,
    refused: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Throttler {
    fn start(upstream: &str) -> Throttler {
        let upstream = upstream.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let refused = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let shared = refused.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let upstream = upstream.clone();
                let refused = shared.clone();
                let count = count.clone();
                std::thread::spawn(move || serve(client, &upstream, &count, &refused));
            }
        });
        Throttler { url, refused }
    }

    fn refused(&self) -> usize {
        self.refused.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// One request of `client`: refused, or passed to `upstream` and answered with its response. The
/// connection is closed after each response.
fn serve(
    mut client: TcpStream,
    upstream: &str,
    count: &std::sync::atomic::AtomicUsize,
    refused: &std::sync::atomic::AtomicUsize,
) {
    let Some(request) = read_request(&mut client) else { return };
    let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    if n < THROTTLED_REQUESTS && n.is_multiple_of(2) {
        refused.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
        let response = format!(
            "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = client.write_all(response.as_bytes());
        return;
    }
    let Ok(mut up) = TcpStream::connect(upstream) else { return };
    if up.write_all(&request).is_err() {
        return;
    }
    let mut response = Vec::new();
    let _ = up.read_to_end(&mut response);
    let _ = client.write_all(&with_connection_close(&response));
}

/// A moto server of this test, stopped when dropped.
struct Moto {
    child: Child,
    url: String,
}

impl Moto {
    fn start(env: &[(&str, &str)]) -> Moto {
        let port = closed_port();
        let mut cmd = Process::new("moto_server");
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]).stdout(Stdio::null()).stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("moto_server runs (installed by .ci/run)");
        let moto = Moto { child, url: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if answers(port) {
                return moto;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("moto_server did not answer on port {port}");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether moto answers its data endpoint on 127.0.0.1:`port`.
fn answers(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /moto-api/data.json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.") && head.ends_with(b"200")
}
