//! Application Auto Scaling: the scalable targets of DynamoDB tables and indexes, and the scaling
//! policies and scheduled actions that act on them, read once per region.

use aws_sdk_applicationautoscaling::Client;
use aws_sdk_applicationautoscaling::types::ServiceNamespace;
use sensei_model::dynamodb::{AutoScaling, Capacity, ScaledDimension, Table};

use crate::read::{Read, Reader};

/// A target, policy or scheduled action: the resource id (`table/orders`,
/// `table/orders/index/by-date`) and the scalable dimension (`dynamodb:table:ReadCapacityUnits`).
pub type Scaled = (String, String);

/// What was read about DynamoDB in one region.
#[derive(Debug)]
pub struct ScalingReads {
    pub targets: Read<Vec<Scaled>>,
    /// Scaling policies and scheduled actions: either one changes a target's capacity.
    pub actions: Read<Vec<Scaled>>,
}

pub async fn fetch_dynamodb_scaling(client: &Client, reader: &mut Reader<'_>) -> ScalingReads {
    use aws_sdk_applicationautoscaling::operation as op;
    let targets = pages!(
        reader,
        "DescribeScalableTargets",
        client.describe_scalable_targets().service_namespace(ServiceNamespace::Dynamodb),
        |p: &op::describe_scalable_targets::DescribeScalableTargetsOutput| p
            .scalable_targets()
            .iter()
            .map(|t| (t.resource_id().to_string(), t.scalable_dimension().as_str().to_string()))
            .collect::<Vec<_>>()
    );
    let policies = pages!(
        reader,
        "DescribeScalingPolicies",
        client.describe_scaling_policies().service_namespace(ServiceNamespace::Dynamodb),
        |p: &op::describe_scaling_policies::DescribeScalingPoliciesOutput| p
            .scaling_policies()
            .iter()
            .map(|t| (t.resource_id().to_string(), t.scalable_dimension().as_str().to_string()))
            .collect::<Vec<_>>()
    );
    let scheduled = pages!(
        reader,
        "DescribeScheduledActions",
        client.describe_scheduled_actions().service_namespace(ServiceNamespace::Dynamodb),
        |p: &op::describe_scheduled_actions::DescribeScheduledActionsOutput| p
            .scheduled_actions()
            .iter()
            .filter_map(|t| Some((t.resource_id().to_string(), t.scalable_dimension()?.as_str().to_string())))
            .collect::<Vec<_>>()
    );
    let actions = match (policies, scheduled) {
        (Read::Got(mut p), Read::Got(s)) => {
            p.extend(s);
            Read::Got(p)
        }
        (Read::Failed(why), _) | (_, Read::Failed(why)) => Read::Failed(why),
    };
    ScalingReads { targets, actions }
}

/// The dimensions of `table` (by name) that Application Auto Scaling knows, each with whether a
/// policy or scheduled action acts on it; unresolved when a call failed.
pub fn map_auto_scaling(table: &str, reads: &ScalingReads) -> AutoScaling {
    let (targets, actions) = match (&reads.targets, &reads.actions) {
        (Read::Got(t), Read::Got(a)) => (t, a),
        (Read::Failed(why), _) | (_, Read::Failed(why)) => {
            return AutoScaling { dimensions: Vec::new(), unresolved: Some(why.clone()) };
        }
    };
    let prefix = format!("table/{table}");
    let dimensions = targets
        .iter()
        .filter_map(|(id, dimension)| {
            let index =
                if id == &prefix { None } else { Some(id.strip_prefix(&prefix)?.strip_prefix("/index/")?.to_string()) };
            let capacity = match dimension.rsplit(':').next() {
                Some("ReadCapacityUnits") => Capacity::Read,
                Some("WriteCapacityUnits") => Capacity::Write,
                _ => return None,
            };
            Some(ScaledDimension {
                target: format!("{id} ({dimension})"),
                index,
                capacity,
                has_policy: actions.iter().any(|(a, d)| a == id && d == dimension),
            })
        })
        .collect();
    AutoScaling { dimensions, unresolved: None }
}

/// Gives each table its auto scaling; when it could not be read, each table lists the failed call
/// in `unread`.
pub fn apply_to_tables(tables: &mut [Table], reads: &ScalingReads, unread: &[String]) {
    for table in tables {
        let Some(name) = table.table_name.known().cloned() else { continue };
        table.auto_scaling = map_auto_scaling(&name, reads);
        if let (Some(_), Some(origin)) = (&table.auto_scaling.unresolved, table.resource.live.as_mut()) {
            for entry in unread {
                if !origin.unread.contains(entry) {
                    origin.unread.push(entry.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scaled(id: &str, d: &str) -> Scaled {
        (id.to_string(), d.to_string())
    }

    #[test]
    fn targets_of_the_table_and_its_indexes() {
        let reads = ScalingReads {
            targets: Read::Got(vec![
                scaled("table/orders", "dynamodb:table:ReadCapacityUnits"),
                scaled("table/orders", "dynamodb:table:WriteCapacityUnits"),
                scaled("table/orders/index/by-date", "dynamodb:index:ReadCapacityUnits"),
                scaled("table/orders-archive", "dynamodb:table:ReadCapacityUnits"),
            ]),
            actions: Read::Got(vec![scaled("table/orders", "dynamodb:table:ReadCapacityUnits")]),
        };
        let a = map_auto_scaling("orders", &reads);
        assert_eq!(a.unresolved, None);
        assert_eq!(a.dimensions.len(), 3, "{a:?}");
        assert_eq!((a.dimensions[0].capacity, a.dimensions[0].has_policy), (Capacity::Read, true));
        assert_eq!((a.dimensions[1].capacity, a.dimensions[1].has_policy), (Capacity::Write, false));
        assert_eq!(a.dimensions[2].index.as_deref(), Some("by-date"));
        assert!(map_auto_scaling("other", &reads).dimensions.is_empty());
    }

    #[test]
    fn a_failed_read_leaves_it_unresolved() {
        let reads = ScalingReads {
            targets: Read::Got(vec![]),
            actions: Read::Failed("application-autoscaling:DescribeScalingPolicies failed: AccessDenied".into()),
        };
        let a = map_auto_scaling("orders", &reads);
        assert!(a.dimensions.is_empty());
        assert!(a.unresolved.unwrap().contains("DescribeScalingPolicies"));
    }
}
