//! Links between resources that the model keeps as indexes.

use std::collections::HashMap;

use sensei_model::{Inventory, Setting};

/// Attaches each bucket policy to the buckets it names, however the template names them:
/// `!Ref`, a literal name, a repeated `!Sub` name expression, or an ARN.
pub fn link(inventory: &mut Inventory) {
    // Buckets by name, so that each policy finds its buckets without scanning them all.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (b, bucket) in inventory.buckets.iter().enumerate() {
        if let Some(name) = bucket.bucket_name.known() {
            by_name.entry(name.as_str()).or_default().push(b);
        }
    }
    // (bucket, policy), policies in order: each bucket lists its policies in template order.
    let mut links: Vec<(usize, usize)> = Vec::new();
    for (i, policy) in inventory.bucket_policies.iter().enumerate() {
        let Setting::Known(target, _) = &policy.bucket else { continue };
        for &b in by_name.get(bucket_name_of(target)).into_iter().flatten() {
            links.push((b, i));
        }
    }
    for (b, i) in links {
        if let Some(bucket) = inventory.buckets.get_mut(b) {
            bucket.policies.push(i);
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
