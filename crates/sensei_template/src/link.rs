//! Links between resources that the model keeps as indexes.

use sensei_model::{Inventory, Setting};

/// Attaches each bucket policy to the buckets it names, however the template names them:
/// `!Ref`, a literal name, a repeated `!Sub` name expression, or an ARN.
pub fn link(inventory: &mut Inventory) {
    for (i, policy) in inventory.bucket_policies.iter().enumerate() {
        let Setting::Known(target, _) = &policy.bucket else { continue };
        let name = bucket_name_of(target);
        for bucket in &mut inventory.buckets {
            if bucket.bucket_name.known().is_some_and(|n| n == name) {
                bucket.policies.push(i);
            }
        }
    }
}

/// `arn:aws:s3:::name` (any partition, deploy-time or not) → `name`; a name stays as it is.
fn bucket_name_of(target: &str) -> &str {
    target.strip_prefix("arn:").and_then(|rest| rest.split_once(":s3:::")).map_or(target, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::bucket_name_of;

    #[test]
    fn strips_bucket_arns() {
        assert_eq!(bucket_name_of("arn:${AWS::Partition}:s3:::${B}"), "${B}");
        assert_eq!(bucket_name_of("arn:aws:s3:::logs"), "logs");
        assert_eq!(bucket_name_of("logs"), "logs");
    }
}
