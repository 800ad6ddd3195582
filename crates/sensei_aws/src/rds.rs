//! Amazon RDS: DB instances (one `DescribeDBInstances` listing gives all that the model holds).
//! Clusters are not read: an Aurora instance names its cluster, whose settings stay unknown.

use aws_sdk_rds::Client;
use aws_sdk_rds::types::DbInstance as SdkInstance;
use sensei_model::Setting;
use sensei_model::rds::DbInstance;

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{Filter, Scope, live_ref};

pub async fn fetch_db_instances(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> Vec<DbInstance> {
    let mut reader = Reader::new("rds", Some(region), None, &scope.gaps);
    let listed: Read<Vec<SdkInstance>> = pages!(
        reader,
        "DescribeDBInstances",
        client.describe_db_instances(),
        |p: &aws_sdk_rds::operation::describe_db_instances::DescribeDbInstancesOutput| p.db_instances().to_vec()
    );
    let instances = listed.or_empty();
    instances
        .iter()
        .filter(|i| {
            let id = i.db_instance_identifier().unwrap_or_default();
            filter.in_stacks(&[id, i.db_instance_arn().unwrap_or_default()])
                && filter.has_tags(Some(
                    &i.tag_list()
                        .iter()
                        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
                        .collect(),
                ))
        })
        .map(|i| {
            let id = i.db_instance_identifier().unwrap_or_default();
            let stack = stacks.stack_of(&[id, i.db_instance_arn().unwrap_or_default()]);
            map_db_instance(i, region, &scope.account, stack)
        })
        .collect()
}

/// A value `DescribeDBInstances` always gives, or why it is unknown when it did not.
fn given<T>(value: Option<T>, field: &str) -> Setting<T> {
    match value {
        Some(v) => live(v),
        None => Setting::Unknown(format!("DescribeDBInstances gave no {field}")),
    }
}

pub fn map_db_instance(i: &SdkInstance, region: &str, account: &str, stack: Option<String>) -> DbInstance {
    let id = i.db_instance_identifier().unwrap_or_default();
    let arn = i.db_instance_arn().map_or_else(|| format!("arn:aws:rds:{region}:{account}:db:{id}"), str::to_string);
    let gib = |v: Option<i32>| v.and_then(|n| u32::try_from(n).ok());
    DbInstance {
        resource: live_ref(&arn, "AWS::RDS::DBInstance", account, Some(region), stack, Vec::new()),
        db_instance_identifier: live(id.to_string()),
        engine: live(i.engine().map(str::to_string)),
        db_instance_class: live(i.db_instance_class().map(str::to_string)),
        storage_encrypted: given(i.storage_encrypted(), "StorageEncrypted"),
        kms_key_id: live(i.kms_key_id().map(str::to_string)),
        allocated_storage: live(gib(i.allocated_storage())),
        max_allocated_storage: live(gib(i.max_allocated_storage())),
        multi_az: given(i.multi_az(), "MultiAZ"),
        deletion_protection: given(i.deletion_protection(), "DeletionProtection"),
        backup_retention_period: given(
            i.backup_retention_period().and_then(|n| u32::try_from(n).ok()),
            "BackupRetentionPeriod",
        ),
        db_cluster_identifier: live(i.db_cluster_identifier().map(str::to_string)),
        db_snapshot_identifier: Setting::Unknown(
            "the snapshot an instance was restored from is not in DescribeDBInstances".to_string(),
        ),
        source_db_instance_identifier: live(i.read_replica_source_db_instance_identifier().map(str::to_string)),
        cluster: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sensei_model::Provenance;

    #[test]
    fn maps_an_instance() {
        let i = SdkInstance::builder()
            .db_instance_identifier("orders")
            .db_instance_arn("arn:aws:rds:eu-west-1:1:db:orders")
            .engine("postgres")
            .allocated_storage(20)
            .storage_encrypted(false)
            .multi_az(false)
            .deletion_protection(true)
            .backup_retention_period(7)
            .build();
        let d = map_db_instance(&i, "eu-west-1", "1", None);
        assert_eq!(d.resource.id, "arn:aws:rds:eu-west-1:1:db:orders");
        assert_eq!(d.storage_encrypted, Setting::Known(false, Provenance::Live));
        assert_eq!(d.allocated_storage, Setting::Known(Some(20), Provenance::Live));
        assert_eq!(d.max_allocated_storage, Setting::Known(None, Provenance::Live));
        assert_eq!(d.is_aurora(), Setting::Known(false, Provenance::Live));
        assert_eq!(d.backup_retention_period, Setting::Known(7, Provenance::Live));
    }

    #[test]
    fn missing_fields_are_unknown() {
        let d = map_db_instance(&SdkInstance::builder().db_instance_identifier("x").build(), "eu-west-1", "1", None);
        assert_eq!(d.resource.id, "arn:aws:rds:eu-west-1:1:db:x");
        assert!(matches!(d.storage_encrypted, Setting::Unknown(_)));
        assert!(matches!(d.db_snapshot_identifier, Setting::Unknown(_)));
    }
}
