//! IAM actions that accept only `"Resource": "*"`: the Service Authorization Reference lists no
//! resource type for them, so a policy cannot scope them to anything narrower.
//!
//! The list is deliberately short: actions serverless functions commonly call. An action that is
//! missing here only makes a statement fail that could have passed (never the reverse), and
//! `logs:CreateLogGroup`, `logs:PutLogEvents`, `kms:Decrypt`, `s3:GetObject` and the like are
//! scoped by resource, so they are not listed.

/// Exact action names, lower case.
pub static STAR_ONLY_ACTIONS: &[&str] = &[
    "cloudwatch:getmetricdata",
    "cloudwatch:getmetricstatistics",
    "cloudwatch:listmetrics",
    "cloudwatch:putmetricdata",
    "cognito-idp:listuserpools",
    "dynamodb:listtables",
    "ecr:getauthorizationtoken",
    "kms:createkey",
    "kms:listaliases",
    "kms:listkeys",
    "lambda:listfunctions",
    "s3:listallmybuckets",
    "secretsmanager:getrandompassword",
    "secretsmanager:listsecrets",
    "sns:listtopics",
    "sqs:listqueues",
    "ssm:describeparameters",
    "states:liststatemachines",
    "sts:getcalleridentity",
    "xray:getsamplingrules",
    "xray:getsamplingstatisticsummaries",
    "xray:getsamplingtargets",
    "xray:puttelemetryrecords",
    "xray:puttracesegments",
];

/// Prefixes whose every action accepts only `*` (every EC2 `Describe*` action), lower case.
pub static STAR_ONLY_PREFIXES: &[&str] = &["ec2:describe"];

/// Whether every action that `pattern` (as written in an `Action` element) matches accepts only
/// `"Resource": "*"`.
pub fn accepts_only_star(pattern: &str) -> bool {
    let lower = pattern.to_ascii_lowercase();
    match lower.strip_suffix('*') {
        Some(prefix) if !prefix.contains(['*', '?']) => STAR_ONLY_PREFIXES.iter().any(|p| prefix.starts_with(p)),
        Some(_) => false,
        None if lower.contains('?') => false,
        None => STAR_ONLY_ACTIONS.contains(&lower.as_str()) || STAR_ONLY_PREFIXES.iter().any(|p| lower.starts_with(p)),
    }
}

#[cfg(test)]
mod tests {
    use super::accepts_only_star;

    #[test]
    fn tells_star_only_actions() {
        assert!(accepts_only_star("xray:PutTraceSegments"));
        assert!(accepts_only_star("ec2:DescribeNetworkInterfaces"));
        assert!(accepts_only_star("ec2:Describe*"));
        assert!(!accepts_only_star("logs:CreateLogGroup"));
        assert!(!accepts_only_star("ec2:*"));
        assert!(!accepts_only_star("xray:*"));
        assert!(!accepts_only_star("*"));
    }
}
