//! RDS-002: the instance encrypts its storage.

use sensei_model::rds::{DbCluster, DbInstance};
use sensei_model::{Inventory, Location, Provenance, ResourceRef, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "RDS-002",
        slug: "instance-storage-not-encrypted",
        title: "RDS instance encrypts its storage",
        service: Service::Rds,
        categories: &[Category::Security],
        severity: Severity::Medium,
        level: 5,
        aliases: &["encryptedRdsInstances", "RDS.3"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::DbInstances],
        enabled_by_default: true,
        docs: include_str!("instance_storage_not_encrypted.md"),
    },
    check,
};

enum Verdict {
    Pass(String),
    Unknown(String, Option<Location>),
    Fail { message: String, at: Option<Location>, target: Box<ResourceRef> },
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for instance in &inventory.db_instances {
        let verdict = match instance.is_aurora() {
            Setting::Unknown(why) => Verdict::Unknown(format!("the engine: {why}"), None),
            Setting::Known(true, _) => aurora(instance),
            Setting::Known(false, _) => standalone(instance, inventory, 0),
        };
        match verdict {
            Verdict::Pass(message) => out.pass(&instance.resource, message),
            Verdict::Unknown(why, at) => out.unknown(&instance.resource, at.as_ref(), why),
            Verdict::Fail { message, at, target } => {
                out.fail(&instance.resource, at.as_ref(), message, fix(&target));
            }
        }
    }
}

/// An Aurora instance is encrypted as its cluster is.
fn aurora(instance: &DbInstance) -> Verdict {
    let Some(cluster) = &instance.cluster else {
        let name = match &instance.db_cluster_identifier {
            Setting::Known(Some(id), _) => format!("cluster `{id}`"),
            _ => "a cluster".to_string(),
        };
        return Verdict::Unknown(
            format!("an Aurora instance is encrypted as its cluster is, and {name} is not declared in this template"),
            instance.db_cluster_identifier.location().cloned(),
        );
    };
    cluster_verdict(cluster)
}

fn cluster_verdict(cluster: &DbCluster) -> Verdict {
    let id = &cluster.resource.id;
    match &cluster.storage_encrypted {
        Setting::Unknown(why) => Verdict::Unknown(format!("encryption of cluster `{id}`: {why}"), None),
        Setting::Known(true, _) => Verdict::Pass(format!("its cluster `{id}` encrypts storage")),
        Setting::Known(false, prov) => {
            let absent = matches!(prov, Provenance::Default);
            if absent && let Setting::Known(Some(snapshot), _) = &cluster.snapshot_identifier {
                return Verdict::Unknown(
                    format!(
                        "cluster `{id}` is restored from snapshot `{snapshot}` and is encrypted as the snapshot is"
                    ),
                    cluster.resource.location.clone(),
                );
            }
            if absent && let Setting::Known(Some(source), _) = &cluster.source_db_cluster_identifier {
                return Verdict::Unknown(
                    format!("cluster `{id}` is copied from cluster `{source}` and is encrypted as it is"),
                    cluster.resource.location.clone(),
                );
            }
            let why = if absent {
                "no `StorageEncrypted`, and RDS does not encrypt by default"
            } else {
                "`StorageEncrypted` is false"
            };
            Verdict::Fail {
                message: format!("its cluster `{id}` stores data unencrypted: {why}"),
                at: cluster.storage_encrypted.location().or(cluster.resource.location.as_ref()).cloned(),
                target: Box::new(cluster.resource.clone()),
            }
        }
    }
}

/// A non-Aurora instance: its own setting, its snapshot's, or its source's (for read replicas).
fn standalone(instance: &DbInstance, inventory: &Inventory, depth: usize) -> Verdict {
    match &instance.storage_encrypted {
        Setting::Unknown(why) => Verdict::Unknown(format!("encryption: {why}"), None),
        Setting::Known(true, _) => Verdict::Pass("storage is encrypted".to_string()),
        Setting::Known(false, prov) => {
            let absent = matches!(prov, Provenance::Default);
            if absent {
                if let Setting::Known(Some(snapshot), _) = &instance.db_snapshot_identifier {
                    return Verdict::Unknown(
                        format!("restored from snapshot `{snapshot}`: the instance is encrypted as the snapshot is"),
                        instance.db_snapshot_identifier.location().cloned(),
                    );
                }
                if let Setting::Known(Some(source), _) = &instance.source_db_instance_identifier {
                    let of_template = inventory
                        .db_instances
                        .iter()
                        .find(|i| i.db_instance_identifier.known().is_some_and(|id| id.eq_ignore_ascii_case(source)));
                    return match of_template {
                        Some(primary) if depth < 4 => match standalone(primary, inventory, depth + 1) {
                            Verdict::Pass(_) => Verdict::Pass(format!(
                                "a read replica of `{}`, whose storage is encrypted",
                                primary.resource.id
                            )),
                            Verdict::Fail { at, target, .. } => Verdict::Fail {
                                message: format!(
                                    "a read replica of `{}`, whose storage is not encrypted: a replica is encrypted as its source is",
                                    primary.resource.id
                                ),
                                at,
                                target,
                            },
                            unknown => unknown,
                        },
                        _ => Verdict::Unknown(
                            format!(
                                "a read replica of `{source}`: it is encrypted as its source is, which this template does not declare"
                            ),
                            instance.source_db_instance_identifier.location().cloned(),
                        ),
                    };
                }
            }
            let why = if absent {
                "no `StorageEncrypted`, and RDS does not encrypt by default"
            } else {
                "`StorageEncrypted` is false"
            };
            Verdict::Fail {
                message: format!("storage is not encrypted: {why}"),
                at: instance.storage_encrypted.location().cloned(),
                target: Box::new(instance.resource.clone()),
            }
        }
    }
}

fn fix(target: &ResourceRef) -> Fix {
    let code = Code::map(vec![("StorageEncrypted", Code::bool(true))]);
    let snippet = code.snippet(target.syntax);
    Fix {
        summary: format!(
            "Set `StorageEncrypted` on `{}` (with `KmsKeyId` for a key of your own). Encryption cannot be added to existing storage: CloudFormation replaces the database with an empty one, so migrate the data through an encrypted snapshot copy first.",
            target.id
        ),
        snippet: Some(snippet),
    }
}
