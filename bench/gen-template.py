"""Writes a CloudFormation template with N resources (default 5000) for benchmarks: buckets with
and without bucket policies, functions with roles, queues and log groups, in realistic shapes."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
out = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:"]
count = 0
i = 0
while count < n:
    out += [
        f"  Bucket{i}:", "    Type: AWS::S3::Bucket", "    Properties:",
        "      BucketEncryption:", "        ServerSideEncryptionConfiguration:",
        "          - ServerSideEncryptionByDefault:", "              SSEAlgorithm: AES256",
        f"  Bucket{i}Policy:", "    Type: AWS::S3::BucketPolicy", "    Properties:",
        f"      Bucket: !Ref Bucket{i}", "      PolicyDocument:", "        Version: '2012-10-17'",
        "        Statement:", "          - Effect: Deny", "            Principal: '*'",
        "            Action: 's3:*'", "            Resource:",
        f"              - !GetAtt Bucket{i}.Arn",
        f"              - !Sub '${{Bucket{i}.Arn}}/*'" if i % 3 else f"              - !Sub 'arn:${{AWS::Partition}}:s3:::${{Bucket{i}}}'",
        "            Condition:", "              Bool:", "                aws:SecureTransport: 'false'",
        f"  Role{i}:", "    Type: AWS::IAM::Role", "    Properties:", "      AssumeRolePolicyDocument:",
        "        Statement:", "          - Effect: Allow", "            Principal:",
        "              Service: lambda.amazonaws.com", "            Action: sts:AssumeRole",
        "      Policies:", "        - PolicyName: data", "          PolicyDocument:", "            Statement:",
        "              - Effect: Allow", "                Action: ['s3:GetObject', 's3:PutObject']",
        f"                Resource: !Sub '${{Bucket{i}.Arn}}/*'",
        f"  Function{i}:", "    Type: AWS::Lambda::Function", "    Properties:",
        "      Runtime: python3.12", "      Handler: app.handler", "      MemorySize: 512", "      Timeout: 30",
        f"      Role: !GetAtt Role{i}.Arn", "      Code:", "        ZipFile: 'def handler(e, c): return e'",
        f"  Queue{i}:", "    Type: AWS::SQS::Queue", "    Properties:", "      VisibilityTimeout: 180",
        f"  Logs{i}:", "    Type: AWS::Logs::LogGroup", "    Properties:",
        f"      LogGroupName: !Sub '/aws/lambda/${{Function{i}}}'", "      RetentionInDays: 30",
    ]
    count += 6
    i += 1
print("\n".join(out))
