//! `AWS::RDS::DBInstance`, with the `AWS::RDS::DBCluster` an Aurora instance belongs to.

use sensei_model::rds::{DbCluster, DbInstance};
use sensei_model::{Inventory, Setting};

use crate::node::Node;
use crate::props::Props;

use super::{Ctx, created, target_id};

pub fn db_instance(cx: &Ctx<'_, '_>) -> DbInstance {
    let props = cx.props();
    let cluster_node = props.node.and_then(|p| p.get("DBClusterIdentifier"));
    DbInstance {
        resource: cx.resource_ref("AWS::RDS::DBInstance"),
        db_instance_identifier: identifier(cx, &props, "DBInstanceIdentifier"),
        engine: props.literal("Engine"),
        db_instance_class: props.text("DBInstanceClass"),
        storage_encrypted: props.bool_or("StorageEncrypted", false),
        kms_key_id: props.text("KmsKeyId"),
        allocated_storage: props.number("AllocatedStorage"),
        max_allocated_storage: props.number("MaxAllocatedStorage"),
        multi_az: props.bool_or("MultiAZ", false),
        deletion_protection: props.bool_or("DeletionProtection", false),
        backup_retention_period: props.number_or("BackupRetentionPeriod", 1),
        db_cluster_identifier: props.text("DBClusterIdentifier"),
        db_snapshot_identifier: props.text("DBSnapshotIdentifier"),
        source_db_instance_identifier: props.text("SourceDBInstanceIdentifier"),
        cluster: cluster_node.and_then(|n| cluster_of(cx, n)),
    }
}

/// The declared identifier, or `${LogicalId}` for the one CloudFormation generates.
fn identifier(cx: &Ctx<'_, '_>, props: &Props<'_, '_>, property: &str) -> Setting<String> {
    match props.text(property) {
        Setting::Known(Some(name), prov) => Setting::Known(name, prov),
        Setting::Known(None, _) => Setting::default_value(format!("${{{}}}", cx.id())),
        Setting::Unknown(why) => Setting::Unknown(why),
    }
}

/// The cluster of this template that `node` (an instance's `DBClusterIdentifier`) names: by
/// `!Ref`, or by its declared identifier (RDS identifiers ignore case).
fn cluster_of(cx: &Ctx<'_, '_>, node: &Node) -> Option<DbCluster> {
    let target = target_id(cx.template, node);
    let text = cx.template.resolve(node).text().map(str::to_ascii_lowercase);
    for (key, body) in created(cx.template) {
        if body.get("Type").and_then(Node::as_str) != Some("AWS::RDS::DBCluster") {
            continue;
        }
        let cluster = Ctx { template: cx.template, key, body };
        let declared = cluster.props().text("DBClusterIdentifier");
        let by_name =
            matches!((&declared, &text), (Setting::Known(Some(d), _), Some(t)) if d.to_ascii_lowercase() == *t);
        if target.as_deref() == Some(key.name.as_str()) || by_name {
            return Some(db_cluster(&cluster));
        }
    }
    None
}

pub fn db_cluster(cx: &Ctx<'_, '_>) -> DbCluster {
    let props = cx.props();
    let engine_mode = props.literal("EngineMode");
    // Aurora Serverless v1 clusters are always encrypted.
    let serverless = matches!(&engine_mode, Setting::Known(Some(mode), _) if mode == "serverless");
    DbCluster {
        resource: cx.resource_ref("AWS::RDS::DBCluster"),
        db_cluster_identifier: identifier(cx, &props, "DBClusterIdentifier"),
        engine: props.literal("Engine"),
        engine_mode,
        storage_encrypted: props.bool_or("StorageEncrypted", serverless),
        kms_key_id: props.text("KmsKeyId"),
        deletion_protection: props.bool_or("DeletionProtection", false),
        backup_retention_period: props.number_or("BackupRetentionPeriod", 1),
        snapshot_identifier: props.text("SnapshotIdentifier"),
        source_db_cluster_identifier: props.text("SourceDBClusterIdentifier"),
    }
}

/// Adds the model resources of one template resource of this service. Clusters are kept with the
/// instances that belong to them.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut Inventory) {
    if ty == "AWS::RDS::DBInstance" {
        inventory.db_instances.push(db_instance(cx));
    }
}

/// Links made once every resource is mapped.
pub fn finish(_template: &crate::template::Template<'_>, _inventory: &mut Inventory) {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use sensei_model::{Inventory, Setting};

    fn inventory(text: &str) -> Inventory {
        let read = crate::read("t.yaml", text, &crate::Options::default()).unwrap();
        assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
        read.inventory
    }

    #[test]
    fn instances_find_their_cluster_by_ref_or_by_name() {
        let inv = inventory(
            "Resources:
  Named: {Type: AWS::RDS::DBCluster, Properties: {DBClusterIdentifier: Orders, Engine: aurora-mysql, StorageEncrypted: true}}
  Serverless: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-mysql, EngineMode: serverless}}
  ByName: {Type: AWS::RDS::DBInstance, Properties: {DBClusterIdentifier: orders, DBInstanceClass: db.r7g.large}}
  ByRef: {Type: AWS::RDS::DBInstance, Properties: {DBClusterIdentifier: !Ref Serverless, DBInstanceClass: db.r7g.large}}
  Alone: {Type: AWS::RDS::DBInstance, Properties: {Engine: postgres, AllocatedStorage: '20', DBInstanceClass: db.t4g.micro}}
",
        );
        let by_name = &inv.db_instances[0];
        assert_eq!(by_name.cluster.as_ref().unwrap().resource.id, "Named");
        assert_eq!(by_name.is_aurora().known(), Some(&true));
        let by_ref = inv.db_instances[1].cluster.as_ref().unwrap();
        assert_eq!(by_ref.resource.id, "Serverless");
        assert_eq!(by_ref.storage_encrypted, Setting::default_value(true), "Aurora Serverless v1 is always encrypted");
        let alone = &inv.db_instances[2];
        assert!(alone.cluster.is_none());
        assert_eq!(alone.is_aurora().known(), Some(&false));
        assert_eq!(alone.allocated_storage.known(), Some(&Some(20)));
        assert_eq!(alone.storage_encrypted, Setting::default_value(false));
        assert_eq!(alone.backup_retention_period, Setting::default_value(1));
        assert_eq!(alone.db_instance_identifier.known().map(String::as_str), Some("${Alone}"));
    }
}
