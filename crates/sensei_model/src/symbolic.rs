//! Deploy-time tokens in template strings.
//!
//! A template source writes values known only at deploy time as `${...}` tokens: `${AWS::Region}`,
//! `${MyBucket}` for a generated name, `${MyQueue.Arn}`. Rules compare and match such strings
//! as text; this module makes them safe to hand to the policy engine.

/// Rewrites deploy-time tokens for policy evaluation: `${AWS::Partition}` becomes `aws` (verdicts
/// are given for the commercial partition), and other `${AWS::X}` become `${AWS.X}`, which has no
/// colon, so the policy engine neither takes it for a policy variable nor splits an ARN inside it.
pub fn symbolic_for_policy(text: &str) -> String {
    if !text.contains("${AWS::") {
        return text.to_string();
    }
    text.replace("${AWS::Partition}", "aws").replace("${AWS::", "${AWS.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_pseudo_parameters() {
        assert_eq!(
            symbolic_for_policy("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"),
            "arn:aws:iam::${AWS.AccountId}:root"
        );
        assert_eq!(symbolic_for_policy("arn:aws:s3:::${Bucket}/*"), "arn:aws:s3:::${Bucket}/*");
    }
}
