//! `sensei audit` against moto: the reads that span the account or a region (`--region all`,
//! subnet zones, bucket ACLs, account-level Block Public Access, DynamoDB auto scaling), and a
//! listing that fails, which must never pass a rule.
//!
//! As in `live.rs`: `.ci/run` starts moto on 127.0.0.1 inside a loopback-only network namespace and
//! sets `SENSEI_MOTO_ENDPOINT`; without it these tests fail under `CI=true` and are skipped
//! otherwise. Each test seeds its own region, so they run in parallel.
//!
//! S3 Control puts the account id in front of the host name (`123456789012.localhost`). `.ci/run`
//! maps that name to 127.0.0.1 in a hosts file of its namespace only, and sets
//! `SENSEI_MOTO_S3_CONTROL_ENDPOINT=http://localhost:<port>`. Without that entry the account-level
//! test checks the other half of the contract: the call is a gap and the finding is not evaluated.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod support;
use support::{closed_port, endpoint, read_request, with_connection_close};

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::Command as Process;

use serde_json::Value;

/// The account moto answers as.
const ACCOUNT: &str = "123456789012";

/// Seeds resources with boto3. Modes: `queue` (one queue), `vpc` (functions in one zone and in
/// two), `acl` (a public-read bucket and a private one), `bpa-on` / `bpa-off` (the account's Block
/// Public Access, through S3 Control at the fifth argument), `scaling` (provisioned tables with
/// and without auto scaling), `versions` (a function with published versions).
const SEED: &str = r#"
import io, json, sys, zipfile
import boto3
from botocore.exceptions import ClientError
mode, endpoint, region, p = sys.argv[1:5]
def once(call, **args):
    try:
        return call(**args)
    except ClientError as e:
        if e.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "EntityAlreadyExists", "ResourceConflictException", "ResourceInUseException", "QueueAlreadyExists"):
            raise
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
def bucket(name):
    s3 = boto3.client("s3", **kw)
    if region == "us-east-1":
        once(s3.create_bucket, Bucket=name)
    else:
        once(s3.create_bucket, Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
def role():
    iam = boto3.client("iam", **kw)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    once(iam.create_role, RoleName=f"{p}-fn", AssumeRolePolicyDocument=json.dumps(trust))
    return iam.get_role(RoleName=f"{p}-fn")["Role"]["Arn"]
def code():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return 1\n")
    return buf.getvalue()
if mode == "queue":
    boto3.client("sqs", **kw).create_queue(QueueName=f"{p}-queue")
elif mode == "vpc":
    ec2 = boto3.client("ec2", **kw)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    a1 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24", AvailabilityZone=region + "a")["Subnet"]["SubnetId"]
    a2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.2.0/24", AvailabilityZone=region + "a")["Subnet"]["SubnetId"]
    b1 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.3.0/24", AvailabilityZone=region + "b")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName=f"{p}-sg", Description="functions", VpcId=vpc)["GroupId"]
    lam = boto3.client("lambda", **kw)
    r = role()
    for name, subnets in ((f"{p}-one-zone", [a1, a2]), (f"{p}-two-zones", [a1, b1])):
        once(lam.create_function, FunctionName=name, Runtime="python3.12", Role=r, Handler="app.handler", Code={"ZipFile": code()}, VpcConfig={"SubnetIds": subnets, "SecurityGroupIds": [sg]})
elif mode == "acl":
    s3 = boto3.client("s3", **kw)
    bucket(f"{p}-public")
    s3.put_bucket_acl(Bucket=f"{p}-public", ACL="public-read")
    bucket(f"{p}-private")
elif mode in ("bpa-on", "bpa-off"):
    bucket(f"{p}-bucket")
    control = boto3.client("s3control", **dict(kw, endpoint_url=sys.argv[5]))
    if mode == "bpa-on":
        control.put_public_access_block(AccountId="123456789012", PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        for name, on in ((f"{p}-closed", True), (f"{p}-open", False)):
            try:
                control.create_access_point(AccountId="123456789012", Name=name, Bucket=f"{p}-bucket", PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": on, "RestrictPublicBuckets": on})
            except ClientError as e:
                if e.response["Error"]["Code"] != "AccessPointAlreadyOwnedByYou":
                    raise
    else:
        control.delete_public_access_block(AccountId="123456789012")
elif mode == "scaling":
    ddb = boto3.client("dynamodb", **kw)
    scaling = boto3.client("application-autoscaling", **kw)
    for name in (f"{p}-scaled", f"{p}-fixed"):
        once(ddb.create_table, TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    for capacity in ("Read", "Write"):
        dimension = f"dynamodb:table:{capacity}CapacityUnits"
        scaling.register_scalable_target(ServiceNamespace="dynamodb", ResourceId=f"table/{p}-scaled", ScalableDimension=dimension, MinCapacity=5, MaxCapacity=100)
        scaling.put_scaling_policy(PolicyName=f"{p}-{capacity}", ServiceNamespace="dynamodb", ResourceId=f"table/{p}-scaled", ScalableDimension=dimension, PolicyType="TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration={"TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": f"DynamoDB{capacity}CapacityUtilization"}})
elif mode == "versions":
    lam = boto3.client("lambda", **kw)
    once(lam.create_function, FunctionName=f"{p}-fn", Runtime="python3.12", Role=role(), Handler="app.handler", Code={"ZipFile": code()}, Publish=True)
"#;

fn seed(mode: &str, endpoint: &str, region: &str, prefix: &str, extra: &[&str]) {
    let out = Process::new("python3")
        .args(["-c", SEED, mode, endpoint, region, prefix])
        .args(extra)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("python3 runs (installed with moto by .ci/run)");
    assert!(out.status.success(), "seeding failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// `sensei audit ... --format json` with static test credentials and no profile of the machine;
/// returns (exit code, report, standard error).
fn audit(args: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
    let (mut cmd, _profile) = support::sensei_audit();
    cmd.env("AWS_MAX_ATTEMPTS", "2");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.args(["--format", "json"]).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let report: Value = if out.stdout.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {stderr}", String::from_utf8_lossy(&out.stdout)))
    };
    (out.status.code().unwrap_or(-1), report, stderr)
}

/// The status of `rule` on the resource whose id ends with `suffix`.
fn status(report: &Value, rule: &str, suffix: &str) -> String {
    let found: Vec<&Value> = findings(report)
        .iter()
        .filter(|f| f["rule"] == rule && f["resource"]["id"].as_str().unwrap().ends_with(suffix))
        .collect();
    assert_eq!(found.len(), 1, "{rule} on *{suffix}: {found:#?}");
    found[0]["status"].as_str().unwrap().to_string()
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap_or_else(|| panic!("no findings: {report:#}"))
}

fn gaps(report: &Value) -> &Vec<Value> {
    report["gaps"].as_array().unwrap()
}

fn has_gap(report: &Value, service: &str, operation: &str) -> bool {
    gaps(report).iter().any(|g| g["service"] == service && g["operation"] == operation)
}

#[test]
fn region_all_audits_every_enabled_region() {
    let Some(url) = endpoint() else { return };
    seed("queue", &url, "sa-east-1", "every", &[]);
    seed("queue", &url, "ap-northeast-3", "every", &[]);
    let (_, report, stderr) = audit(&["--endpoint-url", &url, "--region", "all", "--select", "SQS-001"], &[]);
    for (region, suffix) in [("sa-east-1", ":every-queue"), ("ap-northeast-3", ":every-queue")] {
        let found = findings(&report).iter().any(|f| {
            f["rule"] == "SQS-001"
                && f["resource"]["live"]["region"] == region
                && f["resource"]["id"].as_str().unwrap().ends_with(suffix)
        });
        assert!(found, "no SQS-001 finding for the queue of {region}: {stderr}\n{report:#}");
    }
    assert!(!has_gap(&report, "ec2", "DescribeRegions"), "{:#?}", gaps(&report));
}

#[test]
fn region_all_stands_alone_and_needs_describe_regions() {
    let Some(url) = endpoint() else { return };
    let (code, _, stderr) = audit(&["--endpoint-url", &url, "--region", "all,eu-west-1"], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`--region all` cannot be combined"), "{stderr}");

    // DescribeRegions fails (nothing listens for EC2): the run stops and says which call failed.
    let closed = format!("http://127.0.0.1:{}", closed_port());
    let (code, report, stderr) =
        audit(&["--region", "all"], &[("AWS_ENDPOINT_URL", &url), ("AWS_ENDPOINT_URL_EC2", &closed)]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("ec2:DescribeRegions"), "{stderr}");
    assert!(report.is_null(), "no report when the run cannot start: {report:#}");
}

#[test]
fn subnet_zones_decide_whether_a_function_spans_zones() {
    let Some(url) = endpoint() else { return };
    let region = "eu-west-3";
    seed("vpc", &url, region, "zones", &[]);
    let (_, report, _) = audit(&["--region", region, "--select", "LAMBDA-016"], &[("AWS_ENDPOINT_URL", &url)]);
    assert_eq!(status(&report, "LAMBDA-016", ":function:zones-one-zone"), "fail");
    assert_eq!(status(&report, "LAMBDA-016", ":function:zones-two-zones"), "pass");
    assert!(!has_gap(&report, "ec2", "DescribeSubnets"), "{:#?}", gaps(&report));

    // DescribeSubnets fails: the zones are unknown, so no verdict, and the gap says why.
    let closed = format!("http://127.0.0.1:{}", closed_port());
    let (_, report, _) = audit(
        &["--region", region, "--select", "LAMBDA-016"],
        &[("AWS_ENDPOINT_URL", &url), ("AWS_ENDPOINT_URL_EC2", &closed)],
    );
    assert!(has_gap(&report, "ec2", "DescribeSubnets"), "{:#?}", gaps(&report));
    assert_eq!(status(&report, "LAMBDA-016", ":function:zones-one-zone"), "not_evaluated");
    assert_eq!(status(&report, "LAMBDA-016", ":function:zones-two-zones"), "not_evaluated");
}

#[test]
fn the_bucket_acl_is_read() {
    let Some(url) = endpoint() else { return };
    let region = "eu-central-1";
    seed("acl", &url, region, "acl", &[]);
    let (_, report, _) = audit(&["--endpoint-url", &url, "--region", region, "--select", "S3-009"], &[]);
    assert!(!has_gap(&report, "s3", "GetBucketAcl"), "{:#?}", gaps(&report));
    assert_eq!(status(&report, "S3-009", ":::acl-public"), "fail");
    assert_eq!(status(&report, "S3-009", ":::acl-private"), "pass");
}

/// Whether this machine's hosts file maps the account's S3 Control host name.
fn s3_control_host_mapped() -> bool {
    let wanted = format!("{ACCOUNT}.localhost");
    std::fs::read_to_string("/etc/hosts").is_ok_and(|hosts| {
        hosts.lines().any(|l| {
            let mut words = l.split('#').next().unwrap_or_default().split_whitespace();
            words.next() == Some("127.0.0.1") && words.any(|w| w == wanted)
        })
    })
}

/// Whether the only network interface is loopback (a namespace of `unshare -n`): no name lookup
/// can leave the machine.
fn loopback_only() -> bool {
    std::fs::read_dir("/sys/class/net").map(|dir| dir.flatten().all(|e| e.file_name() == "lo")).unwrap_or(false)
}

#[test]
fn s3_control_gives_account_block_public_access_and_access_points() {
    let Some(url) = endpoint() else { return };
    let region = "eu-south-1";
    let port = url.rsplit(':').next().unwrap().trim_end_matches('/').to_string();
    let control = std::env::var("SENSEI_MOTO_S3_CONTROL_ENDPOINT")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| format!("http://localhost:{port}"));
    let args = ["--endpoint-url", url.as_str(), "--region", region, "--select", "S3-006,S3-017"];
    if s3_control_host_mapped() {
        seed("bpa-on", &url, region, "bpa", &[&control]);
        let (_, on, _) = audit(&args, &[("AWS_ENDPOINT_URL_S3_CONTROL", &control)]);
        assert!(!has_gap(&on, "s3control", "GetPublicAccessBlock"), "{:#?}", gaps(&on));
        assert_eq!(status(&on, "S3-006", "account"), "pass", "{on:#}");
        // The bucket's access points, each with its own settings. moto 5.2 answers the listings
        // with an XML root the SDK does not accept (as for GetBucketVersioning): then they are
        // gaps, and the bucket has no verdict instead of "no access point".
        if has_gap(&on, "s3control", "ListAccessPoints") || has_gap(&on, "s3control", "ListMultiRegionAccessPoints") {
            assert_eq!(status(&on, "S3-017", ":::bpa-bucket"), "not_evaluated", "{on:#}");
        } else {
            assert_eq!(status(&on, "S3-017", ":accesspoint/bpa-closed"), "pass", "{on:#}");
            assert_eq!(status(&on, "S3-017", ":accesspoint/bpa-open"), "fail", "{on:#}");
        }
        // NoSuchPublicAccessBlockConfiguration: none configured, which is a verdict, not a gap.
        seed("bpa-off", &url, region, "bpa", &[&control]);
        let (_, off, _) = audit(&args, &[("AWS_ENDPOINT_URL_S3_CONTROL", &control)]);
        assert!(!has_gap(&off, "s3control", "GetPublicAccessBlock"), "{:#?}", gaps(&off));
        assert_eq!(status(&off, "S3-006", "account"), "fail", "{off:#}");
    } else {
        // Without the hosts entry `<account>.localhost` does not resolve to moto. Outside a
        // loopback-only namespace a lookup could leave the machine, so S3 Control is then left on
        // moto's IP endpoint, which sensei does not call (`<account>.127.0.0.1` is no host).
        eprintln!("note: /etc/hosts does not map {ACCOUNT}.localhost; checking that S3 Control is a gap");
        seed("acl", &url, region, "bpa", &[]);
        let env: Vec<(&str, &str)> =
            if loopback_only() { vec![("AWS_ENDPOINT_URL_S3_CONTROL", control.as_str())] } else { Vec::new() };
        let (_, report, _) = audit(&args, &env);
        assert!(has_gap(&report, "s3control", "GetPublicAccessBlock"), "{:#?}", gaps(&report));
        assert!(has_gap(&report, "s3control", "ListAccessPoints"), "{:#?}", gaps(&report));
        assert_eq!(status(&report, "S3-006", "account"), "not_evaluated", "{report:#}");
        // Whether an access point serves the buckets is unknown, so no verdict on them.
        assert_eq!(status(&report, "S3-017", ":::bpa-public"), "not_evaluated", "{report:#}");
    }
}

#[test]
fn dynamodb_auto_scaling_is_read() {
    let Some(url) = endpoint() else { return };
    let region = "us-east-2";
    seed("scaling", &url, region, "scale", &[]);
    let (_, report, _) = audit(&["--region", region, "--select", "DDB-004"], &[("AWS_ENDPOINT_URL", &url)]);
    assert!(!has_gap(&report, "application-autoscaling", "DescribeScalableTargets"), "{:#?}", gaps(&report));
    assert_eq!(status(&report, "DDB-004", "table/scale-scaled"), "pass", "{report:#}");
    assert_eq!(status(&report, "DDB-004", "table/scale-fixed"), "fail", "{report:#}");

    // Application Auto Scaling cannot be reached: whether anything scales the tables is unknown.
    let closed = format!("http://127.0.0.1:{}", closed_port());
    let (_, report, _) = audit(
        &["--region", region, "--select", "DDB-004"],
        &[("AWS_ENDPOINT_URL", &url), ("AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING", &closed)],
    );
    assert!(has_gap(&report, "application-autoscaling", "DescribeScalableTargets"), "{:#?}", gaps(&report));
    assert_eq!(status(&report, "DDB-004", "table/scale-scaled"), "not_evaluated");
    assert_eq!(status(&report, "DDB-004", "table/scale-fixed"), "not_evaluated");
}

#[test]
fn a_failed_version_listing_never_passes() {
    let Some(url) = endpoint() else { return };
    let region = "eu-west-2";
    seed("versions", &url, region, "versions", &[]);
    let (_, report, _) = audit(&["--endpoint-url", &url, "--region", region, "--select", "LAMBDA-004"], &[]);
    assert_eq!(status(&report, "LAMBDA-004", ":function:versions-fn"), "pass");

    // ListVersionsByFunction is denied; every other call reaches moto.
    let proxy = Denier::start(&url, "/versions");
    let (_, report, _) = audit(&["--endpoint-url", &proxy, "--region", region, "--select", "LAMBDA-004"], &[]);
    let denied = gaps(&report)
        .iter()
        .find(|g| g["operation"] == "ListVersionsByFunction")
        .unwrap_or_else(|| panic!("no gap for the denied call: {:#?}", gaps(&report)));
    assert_eq!(denied["code"], "AccessDeniedException");
    assert_eq!(status(&report, "LAMBDA-004", ":function:versions-fn"), "not_evaluated");
}

/// A proxy in front of moto that denies every request whose path (before the query) ends with a
/// suffix, as IAM would, and passes the others on.
struct Denier;

impl Denier {
    fn start(upstream: &str, suffix: &'static str) -> String {
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let upstream = upstream.clone();
                std::thread::spawn(move || deny_or_pass(client, &upstream, suffix));
            }
        });
        url
    }
}

fn deny_or_pass(mut client: TcpStream, upstream: &str, suffix: &str) {
    let Some(request) = read_request(&mut client) else { return };
    let line = String::from_utf8_lossy(&request).lines().next().unwrap_or_default().to_string();
    let path = line.split_whitespace().nth(1).unwrap_or_default();
    if path.split('?').next().unwrap_or_default().ends_with(suffix) {
        let body = r#"{"Message":"not authorized (test proxy)"}"#;
        let response = format!(
            "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nx-amzn-ErrorType: AccessDeniedException\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
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

#[test]
fn a_failed_mapping_listing_is_one_gap_counted_by_every_function() {
    let Some(url) = endpoint() else { return };
    let region = "ap-northeast-2";
    seed("versions", &url, region, "mappings", &[]);
    // ListEventSourceMappings (once per region, for every function) is denied.
    let proxy = Denier::start(&url, "/event-source-mappings");
    let (_, report, _) = audit(&["--endpoint-url", &proxy, "--region", region], &[]);
    let denied: Vec<&Value> = gaps(&report).iter().filter(|g| g["operation"] == "ListEventSourceMappings").collect();
    assert_eq!(denied.len(), 1, "one listing, one gap: {denied:#?}");
    assert_eq!(denied[0]["code"], "AccessDeniedException");
    assert!(denied[0]["resource"].is_null(), "{denied:#?}");
    let counted = findings(&report).iter().any(|f| {
        f["resource"]["id"].as_str().unwrap().ends_with(":function:mappings-fn")
            && f["status"] == "not_evaluated"
            && f["message"].as_str().unwrap().contains("lambda:ListEventSourceMappings (AccessDeniedException)")
    });
    assert!(counted, "the function does not count the failed listing: {:#?}", findings(&report));
}
