//! `AWS::DynamoDB::Table`, with the `AWS::ApplicationAutoScaling::ScalableTarget` and
//! `ScalingPolicy` resources that scale its capacity.

use sensei_model::Setting;
use sensei_model::dynamodb::{AutoScaling, BillingMode, Capacity, ScaledDimension, Table, Tag};

use crate::node::Node;
use crate::props::Props;
use crate::template::Template;
use crate::value::Val;

use super::{Ctx, bool_of, created_of, field, reference_text};

pub fn table(cx: &Ctx<'_, '_>) -> Table {
    let props = cx.props();
    let names = TableNames::of(cx);
    Table {
        resource: cx.resource_ref("AWS::DynamoDB::Table"),
        simple_table: false,
        table_name: table_name(cx, &props),
        arn: names.arn.clone(),
        billing_mode: match props.literal("BillingMode") {
            Setting::Known(Some(mode), prov) => Setting::Known(billing_mode(&mode), prov),
            Setting::Known(None, _) => Setting::default_value(BillingMode::Provisioned),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
        point_in_time_recovery_enabled: point_in_time_recovery(&props),
        deletion_protection_enabled: bool_of(
            "DeletionProtectionEnabled",
            field(&props, &["DeletionProtectionEnabled"]),
            false,
        ),
        sse_enabled: bool_of("SSEEnabled", field(&props, &["SSESpecification", "SSEEnabled"]), false),
        tags: tag_list(&props),
        global_secondary_indexes: index_names(&props),
        auto_scaling: auto_scaling(cx.template, &names.name),
    }
}

pub fn point_in_time_recovery(props: &Props<'_, '_>) -> Setting<bool> {
    bool_of(
        "PointInTimeRecoveryEnabled",
        field(props, &["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"]),
        false,
    )
}

/// `TableName`, or `${LogicalId}` for the name CloudFormation generates.
pub fn table_name(cx: &Ctx<'_, '_>, props: &Props<'_, '_>) -> Setting<String> {
    match props.text("TableName") {
        Setting::Known(Some(name), prov) => Setting::Known(name, prov),
        Setting::Known(None, _) => Setting::default_value(format!("${{{}}}", cx.id())),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

/// What `Ref` and `GetAtt .Arn` give for a table.
pub struct TableNames {
    pub name: String,
    pub arn: String,
}

impl TableNames {
    pub fn of(cx: &Ctx<'_, '_>) -> Self {
        let at = cx.key.pos;
        TableNames {
            name: reference_text(cx.template, at, cx.id(), None).unwrap_or_else(|| format!("${{{}}}", cx.id())),
            arn: reference_text(cx.template, at, cx.id(), Some("Arn")).unwrap_or_else(|| {
                format!("arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/${{{}}}", cx.id())
            }),
        }
    }
}

pub fn billing_mode(mode: &str) -> BillingMode {
    match mode {
        "PROVISIONED" => BillingMode::Provisioned,
        "PAY_PER_REQUEST" => BillingMode::PayPerRequest,
        other => BillingMode::Other(other.to_string()),
    }
}

/// `Tags` as a list of `{Key, Value}`.
fn tag_list(props: &Props<'_, '_>) -> Setting<Vec<Tag>> {
    let Some((value, prov)) = props.value("Tags") else { return Setting::default_value(Vec::new()) };
    let items = match value {
        Val::List(items) => items,
        Val::Unknown(why) => return Setting::Unknown(why),
        _ => return Setting::Unknown("`Tags` should be a list of `Key` and `Value`".to_string()),
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match (item.get("Key").and_then(Val::text), item.get("Value").and_then(Val::text)) {
            (Some(key), Some(value)) => out.push(Tag { key: key.to_string(), value: value.to_string() }),
            _ => match item.unknown_reason() {
                Some(why) => return Setting::Unknown(why.to_string()),
                None => return Setting::Unknown("a tag of `Tags` has no text `Key` and `Value`".to_string()),
            },
        }
    }
    Setting::Known(out, prov)
}

/// SAM's `Tags`, a mapping of keys to values.
pub fn tag_map(props: &Props<'_, '_>) -> Setting<Vec<Tag>> {
    let Some((value, prov)) = props.value("Tags") else { return Setting::default_value(Vec::new()) };
    match value {
        Val::Map(entries) => {
            let mut out = Vec::with_capacity(entries.len());
            for (key, value) in entries {
                match value.text() {
                    Some(v) => out.push(Tag { key, value: v.to_string() }),
                    None => {
                        let why =
                            value.unknown_reason().map_or_else(|| format!("tag `{key}` is not text"), str::to_string);
                        return Setting::Unknown(why);
                    }
                }
            }
            Setting::Known(out, prov)
        }
        Val::Unknown(why) => Setting::Unknown(why),
        _ => Setting::Unknown("`Tags` should be a mapping".to_string()),
    }
}

fn index_names(props: &Props<'_, '_>) -> Setting<Vec<String>> {
    let Some((value, prov)) = props.value("GlobalSecondaryIndexes") else {
        return Setting::default_value(Vec::new());
    };
    match value {
        Val::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item.get("IndexName").and_then(Val::text) {
                    Some(name) => out.push(name.to_string()),
                    None => return Setting::Unknown("an index of `GlobalSecondaryIndexes` has no `IndexName`".into()),
                }
            }
            Setting::Known(out, prov)
        }
        Val::Unknown(why) => Setting::Unknown(why),
        _ => Setting::Unknown("`GlobalSecondaryIndexes` should be a list".to_string()),
    }
}

/// The scalable targets of the template whose `ResourceId` is `table/<name>` (or one of its
/// indexes, `table/<name>/index/<index>`), and whether a scaling policy acts on each.
pub fn auto_scaling(template: &Template<'_>, table_name: &str) -> AutoScaling {
    let mut out = AutoScaling::default();
    let prefix = format!("table/{table_name}");
    for (key, body) in created_of(template, &["AWS::ApplicationAutoScaling::ScalableTarget"]) {
        if body.get("Type").and_then(Node::as_str) != Some("AWS::ApplicationAutoScaling::ScalableTarget") {
            continue;
        }
        let cx = Ctx { template, key, body };
        let props = cx.props();
        let (resource_id, dimension) = match (props.text("ResourceId"), props.literal("ScalableDimension")) {
            (Setting::Known(Some(r), _), Setting::Known(Some(d), _)) => (r, d),
            (Setting::Unknown(why), _) | (_, Setting::Unknown(why)) => {
                if matches!(props.literal("ServiceNamespace"), Setting::Known(Some(ref n), _) if n == "dynamodb") {
                    out.unresolved = Some(format!("scalable target `{}`: {why}", key.name));
                }
                continue;
            }
            _ => continue,
        };
        let Some(rest) = resource_id.strip_prefix(&prefix) else { continue };
        let index = match rest {
            "" => None,
            rest => match rest.strip_prefix("/index/") {
                Some(index) => Some(index.to_string()),
                None => continue,
            },
        };
        let capacity = match dimension.rsplit(':').next() {
            Some("ReadCapacityUnits") => Capacity::Read,
            Some("WriteCapacityUnits") => Capacity::Write,
            _ => continue,
        };
        let has_policy =
            props.has("ScheduledActions") || has_scaling_policy(template, &key.name, &resource_id, &dimension);
        out.dimensions.push(ScaledDimension { target: key.name.clone(), index, capacity, has_policy });
    }
    out
}

/// Whether an `AWS::ApplicationAutoScaling::ScalingPolicy` names the target: by `ScalingTargetId`, or
/// by its resource id and dimension.
fn has_scaling_policy(template: &Template<'_>, target: &str, resource_id: &str, dimension: &str) -> bool {
    let target_ref = reference_text(template, Default::default(), target, None);
    created_of(template, &["AWS::ApplicationAutoScaling::ScalingPolicy"]).into_iter().any(|(key, body)| {
        if body.get("Type").and_then(Node::as_str) != Some("AWS::ApplicationAutoScaling::ScalingPolicy") {
            return false;
        }
        let props = Ctx { template, key, body }.props();
        let by_id =
            matches!((props.text("ScalingTargetId"), &target_ref), (Setting::Known(Some(id), _), Some(t)) if id == *t);
        let by_resource = matches!(props.text("ResourceId"), Setting::Known(Some(r), _) if r == resource_id)
            && matches!(props.literal("ScalableDimension"), Setting::Known(Some(d), _) if d == dimension);
        by_id || by_resource
    })
}

/// Adds the model resources of one template resource of this service. Scalable targets are read
/// with the tables they scale.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    if ty == "AWS::DynamoDB::Table" {
        inventory.tables.push(table(cx));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use sensei_model::dynamodb::{Capacity, Tag};

    use crate::{Options, read};

    #[test]
    fn scalable_targets_and_tags_attach_to_their_table() {
        let read = read(
            "t.yaml",
            "Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
      GlobalSecondaryIndexes: [{IndexName: byDate, KeySchema: [{AttributeName: id, KeyType: HASH}], Projection: {ProjectionType: ALL}}]
      Tags: [{Key: backup, Value: daily}]
  ReadTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: dynamodb
      ResourceId: !Sub table/${Orders}
      ScalableDimension: dynamodb:table:ReadCapacityUnits
      MinCapacity: 5
      MaxCapacity: 100
  ReadPolicy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: read
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref ReadTarget
  IndexWrite:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: dynamodb
      ResourceId: !Join ['/', [table, !Ref Orders, index, byDate]]
      ScalableDimension: dynamodb:index:WriteCapacityUnits
      MinCapacity: 5
      MaxCapacity: 100
",
            &Options::default(),
        )
        .unwrap();
        let table = &read.inventory.tables[0];
        let dims: Vec<(Option<&str>, Capacity, bool)> =
            table.auto_scaling.dimensions.iter().map(|d| (d.index.as_deref(), d.capacity, d.has_policy)).collect();
        assert_eq!(dims, vec![(None, Capacity::Read, true), (Some("byDate"), Capacity::Write, false)]);
        assert_eq!(table.tags.known().unwrap(), &vec![Tag { key: "backup".into(), value: "daily".into() }]);
        assert_eq!(table.global_secondary_indexes.known().unwrap(), &vec!["byDate".to_string()]);
        assert_eq!(table.arn, "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}");
    }
}
