//! Amazon RDS: instances and clusters.

use crate::{ResourceRef, Setting};

/// `AWS::RDS::DBInstance`.
#[derive(Debug, Clone)]
pub struct DbInstance {
    pub resource: ResourceRef,
    /// `DBInstanceIdentifier`, or a symbolic `${LogicalId}` for the name CloudFormation generates.
    pub db_instance_identifier: Setting<String>,
    /// `Engine`, e.g. `postgres`, `aurora-mysql`. Absent on read replicas and snapshot restores.
    pub engine: Setting<Option<String>>,
    pub db_instance_class: Setting<Option<String>>,
    /// `StorageEncrypted`; AWS default false. Aurora instances take it from their cluster, read
    /// replicas from their source and snapshot restores from the snapshot.
    pub storage_encrypted: Setting<bool>,
    pub kms_key_id: Setting<Option<String>>,
    /// `AllocatedStorage`, GiB.
    pub allocated_storage: Setting<Option<u32>>,
    /// `MaxAllocatedStorage`, GiB: the ceiling of storage autoscaling; `None`: autoscaling is off.
    pub max_allocated_storage: Setting<Option<u32>>,
    /// AWS default false.
    pub multi_az: Setting<bool>,
    /// AWS default false.
    pub deletion_protection: Setting<bool>,
    /// Days; AWS default 1.
    pub backup_retention_period: Setting<u32>,
    /// `DBClusterIdentifier`: set on the instances of an Aurora cluster.
    pub db_cluster_identifier: Setting<Option<String>>,
    /// `DBSnapshotIdentifier`: the instance is restored from this snapshot.
    pub db_snapshot_identifier: Setting<Option<String>>,
    /// `SourceDBInstanceIdentifier`: the instance is a read replica of this one.
    pub source_db_instance_identifier: Setting<Option<String>>,
    /// The cluster named by `DBClusterIdentifier`, when the same source has it.
    pub cluster: Option<DbCluster>,
}

impl DbInstance {
    /// Whether this is an Aurora instance: its engine is `aurora*` or it belongs to a cluster.
    pub fn is_aurora(&self) -> Setting<bool> {
        if let Setting::Known(Some(_), prov) = &self.db_cluster_identifier {
            return Setting::Known(true, prov.clone());
        }
        match (&self.engine, &self.cluster) {
            (Setting::Known(Some(engine), prov), _) => Setting::Known(is_aurora_engine(engine), prov.clone()),
            (_, Some(cluster)) => cluster.engine.as_ref().map(|e| e.as_deref().is_some_and(is_aurora_engine)),
            (Setting::Known(None, prov), None) => Setting::Known(false, prov.clone()),
            (Setting::Unknown(why), None) => Setting::Unknown(why.clone()),
        }
    }
}

/// `aurora`, `aurora-mysql`, `aurora-postgresql`.
pub fn is_aurora_engine(engine: &str) -> bool {
    engine.to_ascii_lowercase().starts_with("aurora")
}

/// `AWS::RDS::DBCluster`: an Aurora cluster, or a Multi-AZ DB cluster.
#[derive(Debug, Clone)]
pub struct DbCluster {
    pub resource: ResourceRef,
    /// `DBClusterIdentifier`, or a symbolic `${LogicalId}`.
    pub db_cluster_identifier: Setting<String>,
    pub engine: Setting<Option<String>>,
    /// `EngineMode`: `provisioned` (the default) or `serverless` (Aurora Serverless v1, always
    /// encrypted).
    pub engine_mode: Setting<Option<String>>,
    /// `StorageEncrypted`; AWS default false (true for `serverless`).
    pub storage_encrypted: Setting<bool>,
    pub kms_key_id: Setting<Option<String>>,
    /// AWS default false.
    pub deletion_protection: Setting<bool>,
    /// Days; AWS default 1.
    pub backup_retention_period: Setting<u32>,
    /// `SnapshotIdentifier`: the cluster is restored from this snapshot.
    pub snapshot_identifier: Setting<Option<String>>,
    /// `SourceDBClusterIdentifier`: the cluster is a point-in-time copy of this one.
    pub source_db_cluster_identifier: Setting<Option<String>>,
}
