#!/usr/bin/env python3
"""Seeds an emulator (moto) with a realistic serverless account in one region, for bench/compare-live.sh.

    ENDPOINT=http://127.0.0.1:5000 REGION=eu-west-1 COUNT=300 python3 bench/seed-account.py

About COUNT resources, in these shares: Lambda functions (each with its log group), IAM roles
(one per five functions, with an inline policy), S3 buckets (half with a TLS-only policy and Block
Public Access), SQS queues (half encrypted, some with a dead-letter queue), SNS topics (half with
KMS), DynamoDB tables (half with point-in-time recovery), extra log groups, API Gateway v2 HTTP
APIs (a route to a function, a stage), Step Functions state machines, EventBridge schedule rules
targeting a function, and Cognito user pools. Every resource is tagged Project=bench. Half of each
kind passes the common rules and half fails them.

Prints a JSON summary on standard output: {"resources": N, "kinds": {kind: count}}.
Needs boto3 (installed with moto).
"""
import io
import json
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

ENDPOINT = os.environ.get("ENDPOINT", "http://127.0.0.1:5000")
REGION = os.environ.get("REGION", "eu-west-1")
COUNT = int(os.environ.get("COUNT", "300"))
TAGS = {"Project": "bench"}
SHARES = {  # kind -> share of COUNT
    "function": 0.18, "function_log_group": 0.18, "role": 0.04, "bucket": 0.10, "queue": 0.10,
    "topic": 0.08, "table": 0.08, "log_group": 0.06, "http_api": 0.06, "state_machine": 0.04,
    "event_rule": 0.05, "user_pool": 0.03,
}

kw = dict(endpoint_url=ENDPOINT, region_name=REGION, aws_access_key_id="testing",
          aws_secret_access_key="testing", config=Config(retries={"max_attempts": 5, "mode": "standard"}))
client = {name: boto3.client(name, **kw) for name in (
    "s3", "sqs", "sns", "dynamodb", "logs", "iam", "lambda", "apigatewayv2", "stepfunctions", "events",
    "cognito-idp")}
counts = {kind: max(1, round(COUNT * share)) for kind, share in SHARES.items()}
counts["function_log_group"] = counts["function"]
counts["role"] = max(1, (counts["function"] + 4) // 5)

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("app.py", "def handler(event, context):\n    return {'statusCode': 200}\n")
CODE = buf.getvalue()
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": [
    "lambda.amazonaws.com", "states.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}


def role(i):
    iam = client["iam"]
    arn = iam.create_role(RoleName=f"bench-role-{i:04}", AssumeRolePolicyDocument=json.dumps(TRUST),
                          Tags=[{"Key": k, "Value": v} for k, v in TAGS.items()])["Role"]["Arn"]
    action, resource = ("*", "*") if i % 2 else ("dynamodb:GetItem", f"arn:aws:dynamodb:{REGION}:123456789012:table/bench-table-{i:04}")
    iam.put_role_policy(RoleName=f"bench-role-{i:04}", PolicyName="app", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}))
    return arn


def function(i, roles):
    name = f"bench-fn-{i:04}"
    good = i % 2 == 0
    client["lambda"].create_function(
        FunctionName=name, Runtime="python3.12" if good else "python3.8", Role=roles[i % len(roles)],
        Handler="app.handler", Code={"ZipFile": CODE}, Architectures=["arm64" if good else "x86_64"],
        MemorySize=256 if good else 1024, Timeout=10 if good else 900, Tags=TAGS,
        Environment={"Variables": {"STAGE": "bench"}}, TracingConfig={"Mode": "Active" if good else "PassThrough"})
    logs = client["logs"]
    logs.create_log_group(logGroupName=f"/aws/lambda/{name}", tags=TAGS)
    if good:
        logs.put_retention_policy(logGroupName=f"/aws/lambda/{name}", retentionInDays=14)
    return client["lambda"].get_function(FunctionName=name)["Configuration"]["FunctionArn"]


def bucket(i):
    name = f"bench-bucket-{i:04}"
    s3 = client["s3"]
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in TAGS.items()]})
    if i % 2 == 0:
        arn = f"arn:aws:s3:::{name}"
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [arn, arn + "/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})


def queue(i, dlq_arn):
    attributes = {"SqsManagedSseEnabled": "true" if i % 2 == 0 else "false"}
    if i % 4 == 0:
        attributes["RedrivePolicy"] = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"})
    client["sqs"].create_queue(QueueName=f"bench-queue-{i:04}", Attributes=attributes, tags=TAGS)


def topic(i):
    attributes = {"KmsMasterKeyId": "alias/aws/sns"} if i % 2 == 0 else {}
    client["sns"].create_topic(Name=f"bench-topic-{i:04}", Attributes=attributes,
                               Tags=[{"Key": k, "Value": v} for k, v in TAGS.items()])


def table(i):
    ddb = client["dynamodb"]
    name = f"bench-table-{i:04}"
    ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
                     Tags=[{"Key": k, "Value": v} for k, v in TAGS.items()])
    if i % 2 == 0:
        ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})


def log_group(i):
    client["logs"].create_log_group(logGroupName=f"bench-logs-{i:04}", tags=TAGS)
    if i % 2 == 0:
        client["logs"].put_retention_policy(logGroupName=f"bench-logs-{i:04}", retentionInDays=30)


def http_api(i, fn_arn):
    agw = client["apigatewayv2"]
    api = agw.create_api(Name=f"bench-api-{i:04}", ProtocolType="HTTP", Tags=TAGS)["ApiId"]
    integration = agw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=fn_arn,
                                         PayloadFormatVersion="2.0")["IntegrationId"]
    agw.create_route(ApiId=api, RouteKey="GET /items", Target=f"integrations/{integration}")
    agw.create_stage(ApiId=api, StageName="prod", AutoDeploy=True)


def state_machine(i, role_arn):
    definition = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}
    logging = {"level": "OFF", "includeExecutionData": False}
    client["stepfunctions"].create_state_machine(
        name=f"bench-sm-{i:04}", definition=json.dumps(definition), roleArn=role_arn,
        type="STANDARD" if i % 2 else "EXPRESS", loggingConfiguration=logging,
        tracingConfiguration={"enabled": i % 2 == 0}, tags=[{"key": k, "value": v} for k, v in TAGS.items()])


def event_rule(i, fn_arn):
    events = client["events"]
    events.put_rule(Name=f"bench-rule-{i:04}", ScheduleExpression="rate(5 minutes)",
                    Tags=[{"Key": k, "Value": v} for k, v in TAGS.items()])
    target = {"Id": "fn", "Arn": fn_arn}
    if i % 2 == 0:
        target["RetryPolicy"] = {"MaximumRetryAttempts": 2}
    events.put_targets(Rule=f"bench-rule-{i:04}", Targets=[target])


def user_pool(i):
    client["cognito-idp"].create_user_pool(PoolName=f"bench-pool-{i:04}", UserPoolTags=TAGS,
                                           MfaConfiguration="OFF" if i % 2 else "OPTIONAL")


def run(pool, job, n, *args):
    return list(pool.map(lambda i: job(i, *args), range(n)))


def main():
    with ThreadPoolExecutor(max_workers=8) as pool:
        roles = run(pool, role, counts["role"])
        fns = run(pool, function, counts["function"], roles)
        sqs = client["sqs"]
        dlq = sqs.create_queue(QueueName="bench-dlq", tags=TAGS)["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        run(pool, bucket, counts["bucket"])
        run(pool, queue, counts["queue"] - 1, dlq_arn)
        run(pool, topic, counts["topic"])
        run(pool, table, counts["table"])
        run(pool, log_group, counts["log_group"])
        run(pool, lambda i: http_api(i, fns[i % len(fns)]), counts["http_api"])
        run(pool, lambda i: state_machine(i, roles[i % len(roles)]), counts["state_machine"])
        run(pool, lambda i: event_rule(i, fns[i % len(fns)]), counts["event_rule"])
        run(pool, user_pool, counts["user_pool"])
    print(json.dumps({"resources": sum(counts.values()), "kinds": counts}))


if __name__ == "__main__":
    main()
