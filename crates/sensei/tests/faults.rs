//! `sensei audit` through `tools/aws-proxy.py`, a proxy in front of moto that throttles, fails,
//! drops, slows down or refuses calls: the run always ends, retried faults change nothing, and a
//! call that fails for good is a gap whose resources are `not_evaluated` (or, when a listing fails,
//! not reported), never a different verdict.
//!
//! Like `live.rs`, these tests need `SENSEI_MOTO_ENDPOINT` (set by `.ci/run`); without it they fail
//! under `CI=true` and are skipped otherwise. They seed one region of their own once, audit it
//! once directly (the clean run), and compare every faulty run with that.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;
use support::endpoint;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command as Process, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The region and the name prefix of this file's resources (live.rs uses other regions).
const REGION: &str = "sa-east-1";
const PREFIX: &str = "flt";

/// Resources of every service sensei reads, some passing and some failing their rules.
const SEED: &str = r#"
import io, json, sys, zipfile
import boto3
from botocore.exceptions import ClientError
endpoint, region, p = sys.argv[1:4]
def once(call, **args):
    try:
        return call(**args)
    except ClientError as e:
        if e.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "EntityAlreadyExists", "ResourceConflictException", "ResourceAlreadyExistsException", "ResourceInUseException", "AlreadyExistsException", "QueueAlreadyExists"):
            raise
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
s3 = boto3.client("s3", **kw)
for name in (f"{p}-secure", f"{p}-plain"):
    once(s3.create_bucket, Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
arn = f"arn:aws:s3:::{p}-secure"
s3.put_bucket_policy(Bucket=f"{p}-secure", Policy=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [arn, arn + "/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
s3.put_public_access_block(Bucket=f"{p}-secure", PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
s3.put_bucket_versioning(Bucket=f"{p}-secure", VersioningConfiguration={"Status": "Enabled"})
sqs = boto3.client("sqs", **kw)
dlq = sqs.create_queue(QueueName=f"{p}-dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
sqs.create_queue(QueueName=f"{p}-encrypted", Attributes={"SqsManagedSseEnabled": "true", "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})})
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
"#;

/// The clean run: the region seeded once, and audited once directly against moto.
fn clean(url: &str) -> &'static Value {
    static CLEAN: OnceLock<Value> = OnceLock::new();
    CLEAN.get_or_init(|| {
        let out = Process::new("python3")
            .args(["-c", SEED, url, REGION, PREFIX])
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("python3 runs (installed with moto by .ci/run)");
        assert!(out.status.success(), "seeding failed: {}", String::from_utf8_lossy(&out.stderr));
        // The clean run may have gaps of its own (moto 5.2.1 answers GetBucketVersioning with
        // another XML root): the faulty runs are compared with it, gaps included.
        let (report, _) = audit(url, &[]);
        assert!(verdicts(&report).len() >= 20, "too few findings: {:#?}", verdicts(&report));
        report
    })
}

/// `sensei audit --endpoint-url <endpoint> --region REGION --format json`, with static test
/// credentials and `env`; returns the report and how long the run took.
fn audit(endpoint: &str, env: &[(&str, &str)]) -> (Value, Duration) {
    audit_with(endpoint, env, &[])
}

/// [`audit`] with more arguments.
fn audit_with(endpoint: &str, env: &[(&str, &str)], args: &[&str]) -> (Value, Duration) {
    let (mut cmd, _profile) = support::sensei_audit();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let out = cmd
        .args(["--format", "json", "--endpoint-url", endpoint, "--region", REGION])
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let took = started.elapsed();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}), exit {:?}: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(matches!(out.status.code(), Some(0 | 1)), "exit {:?}: {}", out.status.code(), report["errors"]);
    (report, took)
}

/// The verdict of every (rule, resource) of this file's resources.
fn verdicts(report: &Value) -> BTreeMap<(String, String), String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"]["id"].as_str().unwrap().contains(&format!("{PREFIX}-")))
        .map(|f| {
            let key = (f["rule"].as_str().unwrap().to_string(), f["resource"]["id"].as_str().unwrap().to_string());
            (key, f["status"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The gaps of `faulty` that the clean run does not have.
fn new_gaps(clean: &Value, faulty: &Value) -> Vec<Value> {
    let key = |g: &Value| format!("{} {} {} {}", g["service"], g["operation"], g["resource"], g["code"]);
    let before: Vec<String> = clean["gaps"].as_array().unwrap().iter().map(key).collect();
    faulty["gaps"].as_array().unwrap().iter().filter(|g| !before.contains(&key(g))).cloned().collect()
}

/// The message of a finding.
fn message<'a>(report: &'a Value, rule: &str, resource: &str) -> &'a str {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["resource"]["id"] == resource)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default()
}

/// Checks that each finding of the faulty run is the clean run's, or `not_evaluated` because of
/// one of its gaps, or absent because a listing of its service failed; returns the findings that
/// differ. A finding the clean run lacks must be `not_evaluated` too: a list that could not be
/// read (a topic's subscriptions) is reported as one finding on it.
fn only_gaps_differ(clean: &Value, faulty: &Value) -> Vec<(String, String)> {
    let (before, after) = (verdicts(clean), verdicts(faulty));
    let gaps = new_gaps(clean, faulty);
    let not_evaluated = |rule: &str, resource: &str, now: &str| {
        assert_eq!(now, "not_evaluated", "{rule} on {resource} was {:?}", before.get(&(rule.into(), resource.into())));
        let why = message(faulty, rule, resource);
        assert!(
            gaps.iter().any(|g| why.contains(&format!(
                "{}:{} (",
                g["service"].as_str().unwrap(),
                g["operation"].as_str().unwrap()
            ))),
            "{rule} on {resource} is not evaluated for no gap: {why}"
        );
    };
    let mut changed = Vec::new();
    for ((rule, resource), now) in after.iter().filter(|(k, _)| !before.contains_key(*k)) {
        not_evaluated(rule, resource, now);
        changed.push((rule.clone(), resource.clone()));
    }
    for (key, was) in &before {
        let (rule, resource) = key;
        match after.get(key) {
            Some(now) if now == was => continue,
            Some(now) => not_evaluated(rule, resource, now),
            None => {
                let service = resource.split(':').nth(2).unwrap_or_default();
                assert!(
                    gaps.iter().any(|g| g["service"] == service && g["resource"].is_null()),
                    "{rule} on {resource} is gone with no failed listing of {service}: {:#}",
                    faulty["gaps"]
                );
            }
        }
        changed.push(key.clone());
    }
    changed
}

/// One line in the test's output: what the proxy injected and what changed.
fn note(test: &str, proxy: &Proxy, clean: &Value, report: &Value, took: Duration) {
    let stats = proxy.stats();
    eprintln!(
        "{test}: {} calls, injected {}, {} new gaps, {} findings differ, {:.1} s",
        stats["total"],
        stats["injected"],
        new_gaps(clean, report).len(),
        verdicts(clean).iter().filter(|(k, v)| verdicts(report).get(*k) != Some(*v)).count(),
        took.as_secs_f64()
    );
}

/// `tools/aws-proxy.py` in front of `upstream`, stopped when dropped.
struct Proxy {
    child: Child,
    url: String,
}

impl Proxy {
    fn start(upstream: &str, args: &[&str]) -> Proxy {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/aws-proxy.py");
        let mut child = Process::new("python3")
            .arg(script)
            .args(["--upstream", upstream, "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs tools/aws-proxy.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("the proxy printed {line:?}, not its port"));
        Proxy { child, url: format!("http://127.0.0.1:{port}") }
    }

    /// The proxy's counts: `{"total", "services": {service: {"total", "operations"}}, "injected"}`.
    fn stats(&self) -> Value {
        let address = self.url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).unwrap();
        write!(stream, "GET /_proxy/stats HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (_, body) = response.split_once("\r\n\r\n").unwrap();
        serde_json::from_str(body).unwrap()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn throttling_and_server_errors_are_retried_to_the_clean_findings() {
    let Some(url) = endpoint() else { return };
    let clean = clean(&url);
    let proxy = Proxy::start(&url, &["--throttle", "0.2", "--server-error", "0.05", "--seed", "11"]);
    // Calls run concurrently, so which call gets which draw varies from run to run. With the
    // default 5 attempts a call fails for good once in 1,000 (0.25^5), which would make this test
    // fail about once in ten runs (about 90 calls); with 8 attempts, once in 65,000 calls.
    let (report, took) = audit(&proxy.url, &[("AWS_MAX_ATTEMPTS", "8")]);
    note("throttle", &proxy, clean, &report, took);
    let stats = proxy.stats();
    assert!(stats["injected"]["throttle"].as_u64().unwrap() >= 5, "{stats:#}");
    assert!(stats["injected"]["server_error"].as_u64().unwrap() >= 1, "{stats:#}");
    let gaps = new_gaps(clean, &report);
    assert!(gaps.is_empty(), "retried faults left gaps: {gaps:#?}");
    assert_eq!(verdicts(&report), verdicts(clean));
}

#[test]
fn a_denied_service_is_a_gap_and_only_its_resources_go() {
    let Some(url) = endpoint() else { return };
    let clean = clean(&url);
    let proxy = Proxy::start(&url, &["--deny-service", "sqs"]);
    let (report, took) = audit(&proxy.url, &[]);
    note("deny-service", &proxy, clean, &report, took);
    let gaps = new_gaps(clean, &report);
    assert!(!gaps.is_empty());
    assert!(gaps.iter().all(|g| g["service"] == "sqs" && g["code"] == "AccessDeniedException"), "{gaps:#?}");
    assert!(gaps.iter().any(|g| g["operation"] == "ListQueues"), "{gaps:#?}");
    // Queues that cannot be listed are not reported; nothing else changes.
    let changed = only_gaps_differ(clean, &report);
    assert!(!changed.is_empty());
    assert!(changed.iter().all(|(_, id)| id.starts_with("arn:aws:sqs:")), "{changed:#?}");
    assert!(verdicts(&report).keys().all(|(_, id)| !id.starts_with("arn:aws:sqs:")));
}

#[test]
fn a_denied_read_leaves_exactly_its_resources_not_evaluated() {
    let Some(url) = endpoint() else { return };
    let clean = clean(&url);
    // Queues are listed, but not one can be read.
    let proxy = Proxy::start(&url, &["--deny-operation", "sqs:GetQueueAttributes"]);
    let (report, took) = audit(&proxy.url, &[]);
    note("deny-operation", &proxy, clean, &report, took);
    let gaps = new_gaps(clean, &report);
    assert!(gaps.iter().all(|g| g["service"] == "sqs" && g["operation"] == "GetQueueAttributes"), "{gaps:#?}");
    let queues: Vec<_> = verdicts(clean).into_keys().filter(|(_, id)| id.starts_with("arn:aws:sqs:")).collect();
    assert!(!queues.is_empty());
    for (_, queue) in &queues {
        assert!(gaps.iter().any(|g| g["resource"] == queue.as_str()), "no gap for {queue}: {gaps:#?}");
    }
    let changed = only_gaps_differ(clean, &report);
    assert!(changed.iter().all(|(_, id)| id.starts_with("arn:aws:sqs:")), "{changed:#?}");
    let after = verdicts(&report);
    for key in &queues {
        let now = &after[key];
        assert!(now == "not_evaluated" || now == &verdicts(clean)[key], "{key:?}: {now}");
    }
    assert!(changed.len() >= queues.len() / 2, "most queue findings need the attributes: {changed:#?}");
}

#[test]
fn dropped_connections_and_slow_answers_end_in_time_with_clean_or_not_evaluated_findings() {
    let Some(url) = endpoint() else { return };
    let clean = clean(&url);
    let proxy = Proxy::start(&url, &["--drop", "0.15", "--slow", "0.1", "--slow-ms", "3000", "--seed", "5"]);
    // Two attempts, so that some calls fail for good and their gaps are exercised.
    let (report, took) = audit(&proxy.url, &[("AWS_MAX_ATTEMPTS", "2")]);
    note("drop-slow", &proxy, clean, &report, took);
    let stats = proxy.stats();
    assert!(stats["injected"]["drop"].as_u64().unwrap() >= 3, "{stats:#}");
    assert!(stats["injected"]["slow"].as_u64().unwrap() >= 3, "{stats:#}");
    assert!(took < Duration::from_secs(60), "the run took {took:?}");
    only_gaps_differ(clean, &report);
}

#[test]
fn a_service_that_never_answers_ends_the_run_with_its_gaps() {
    let Some(url) = endpoint() else { return };
    let clean = clean(&url);
    // Every SQS answer would come after two minutes: past the SDK's 20-second attempt timeout.
    let proxy = Proxy::start(&url, &["--slow", "1", "--slow-ms", "120000", "--only-service", "sqs"]);
    let (report, took) = audit(&proxy.url, &[("AWS_MAX_ATTEMPTS", "1")]);
    note("no-answer", &proxy, clean, &report, took);
    assert!(took < Duration::from_secs(50), "the run took {took:?}");
    let gaps = new_gaps(clean, &report);
    assert!(gaps.iter().any(|g| g["service"] == "sqs" && g["code"] == "Timeout"), "{gaps:#?}");
    assert!(gaps.iter().all(|g| g["service"] == "sqs"), "{gaps:#?}");
    let changed = only_gaps_differ(clean, &report);
    assert!(changed.iter().all(|(_, id)| id.starts_with("arn:aws:sqs:")), "{changed:#?}");
}

/// `--select` reads only what its rules use: S3-001 lists the buckets and reads their policies, no
/// other service is called, and its verdicts are those of the run of every rule.
#[test]
fn a_selection_reads_only_what_its_rules_use() {
    let Some(url) = endpoint() else { return };
    let clean = clean(&url);
    let proxy = Proxy::start(&url, &[]);
    let (report, _) = audit_with(&proxy.url, &[], &["--select", "S3-001"]);
    let stats = proxy.stats();
    let services: BTreeSet<&str> = stats["services"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(services, BTreeSet::from(["cloudformation", "s3", "sts"]), "{stats:#}");
    let s3 = stats["services"]["s3"]["operations"].as_object().unwrap();
    let read: BTreeSet<&str> = s3.keys().map(String::as_str).collect();
    // ListBuckets, then each bucket's location (moto does not give it in the listing) and policy.
    assert_eq!(read, BTreeSet::from(["GET /?x-id", "GET /{bucket}?location", "GET /{bucket}?policy"]), "{stats:#}");
    let s3_001 = |r: &Value| -> BTreeMap<(String, String), String> {
        verdicts(r).into_iter().filter(|((rule, _), _)| rule == "S3-001").collect()
    };
    assert!(s3_001(clean).len() >= 2, "{:#?}", verdicts(clean));
    assert_eq!(s3_001(&report), s3_001(clean));
    assert_eq!(verdicts(&report).len(), s3_001(&report).len(), "only S3-001 runs");
}

/// Lambda's control plane takes about 15 requests a second. With a quota like it in front of
/// moto, the run paces its Lambda calls down to the quota instead of bursting into throttling
/// errors until the SDK's retry budget is spent: no gap, every function judged.
#[test]
fn a_service_quota_is_met_without_gaps() {
    let Some(url) = endpoint() else { return };
    const QUOTA_REGION: &str = "ca-central-1";
    const FUNCTIONS: usize = 40;
    let seed = r#"
import io, sys, zipfile, json
import boto3
endpoint, region, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
iam = boto3.client("iam", **kw)
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
try:
    role = iam.create_role(RoleName="quota-fn", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
except iam.exceptions.EntityAlreadyExistsException:
    role = iam.get_role(RoleName="quota-fn")["Role"]["Arn"]
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("app.py", "def handler(event, context):\n    return 1\n")
lam = boto3.client("lambda", **kw)
for i in range(count):
    try:
        lam.create_function(FunctionName=f"quota-{i:02}", Runtime="python3.12", Role=role, Handler="app.handler", Code={"ZipFile": buf.getvalue()})
    except lam.exceptions.ResourceConflictException:
        pass
"#;
    let out = Process::new("python3")
        .args(["-c", seed, &url, QUOTA_REGION, &FUNCTIONS.to_string()])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "seeding failed: {}", String::from_utf8_lossy(&out.stderr));
    let proxy = Proxy::start(&url, &["--rate-limit", "lambda:15"]);
    let (mut cmd, _profile) = support::sensei_audit();
    let started = Instant::now();
    let out = cmd
        .args(["--format", "json", "--endpoint-url", &proxy.url, "--region", QUOTA_REGION])
        .args(["--select", "LAMBDA-004,LAMBDA-007,LAMBDA-012"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stats = proxy.stats();
    println!(
        "quota: {} calls, {} throttled, {:.1} s",
        stats["total"],
        stats["injected"]["throttle"],
        started.elapsed().as_secs_f64()
    );
    assert!(stats["injected"]["throttle"].as_u64().unwrap() >= 1, "the quota was never reached: {stats:#}");
    assert_eq!(report["gaps"], serde_json::json!([]), "{:#}", report["gaps"]);
    for rule in ["LAMBDA-004", "LAMBDA-007", "LAMBDA-012"] {
        let judged = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule && f["resource"]["id"].as_str().unwrap().contains(":function:quota-"))
            .filter(|f| f["status"] != "not_evaluated" && f["status"] != "unknown")
            .count();
        assert_eq!(judged, FUNCTIONS, "{rule}");
    }
}
