//! RDS-001: the instance grows its storage automatically.

use sensei_model::rds::DbInstance;
use sensei_model::{Inventory, Setting};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "RDS-001",
        slug: "instance-storage-autoscaling-disabled",
        title: "RDS instance scales its storage automatically",
        service: Service::Rds,
        categories: &[Category::Stability],
        severity: Severity::Medium,
        level: 3,
        aliases: &["autoscaleRdsInstanceEnabled"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::DbInstances],
        enabled_by_default: true,
        docs: include_str!("instance_storage_autoscaling_disabled.md"),
    },
    check,
};

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    for instance in &inventory.db_instances {
        match instance.is_aurora() {
            Setting::Unknown(why) => {
                out.unknown(&instance.resource, None, format!("the engine: {why}"));
                continue;
            }
            Setting::Known(true, _) => {
                out.skip(&instance.resource, "an Aurora instance: the cluster volume grows by itself");
                continue;
            }
            Setting::Known(false, _) => {}
        }
        let max = match &instance.max_allocated_storage {
            Setting::Unknown(why) => {
                out.unknown(&instance.resource, None, format!("storage autoscaling: {why}"));
                continue;
            }
            Setting::Known(max, _) => *max,
        };
        let allocated = match &instance.allocated_storage {
            Setting::Unknown(why) => {
                out.unknown(&instance.resource, None, format!("allocated storage: {why}"));
                continue;
            }
            Setting::Known(allocated, _) => *allocated,
        };
        match (allocated, max) {
            (_, None) => {
                let size = allocated.map(|a| format!(" {a} GiB")).unwrap_or_default();
                out.fail(
                    &instance.resource,
                    instance.allocated_storage.location(),
                    format!("no `MaxAllocatedStorage`: storage autoscaling is off, so the database stops taking writes once its{size} storage is full"),
                    fix(instance, allocated),
                );
            }
            (Some(allocated), Some(max)) if max > allocated => out.pass(
                &instance.resource,
                format!("storage autoscaling is on: {allocated} GiB may grow to {max} GiB"),
            ),
            (Some(allocated), Some(max)) => out.fail(
                &instance.resource,
                instance.max_allocated_storage.location(),
                format!("`MaxAllocatedStorage` ({max} GiB) is not above `AllocatedStorage` ({allocated} GiB): storage cannot grow"),
                fix(instance, Some(allocated)),
            ),
            (None, Some(max)) => {
                let source = if matches!(instance.db_snapshot_identifier, Setting::Known(Some(_), _)) {
                    "the snapshot it is restored from"
                } else if matches!(instance.source_db_instance_identifier, Setting::Known(Some(_), _)) {
                    "the instance it replicates"
                } else {
                    "a value the template does not give"
                };
                out.unknown(
                    &instance.resource,
                    instance.max_allocated_storage.location(),
                    format!("`MaxAllocatedStorage` is {max} GiB, but the allocated storage comes from {source}: whether it can grow is not known"),
                );
            }
        }
    }
}

fn fix(instance: &DbInstance, allocated: Option<u32>) -> Fix {
    let max = allocated.map_or(100, |a| a.saturating_mul(2).max(a.saturating_add(10)));
    let code = Code::map(vec![("MaxAllocatedStorage", Code::number(max))]);
    let snippet = code.snippet(instance.resource.syntax);
    Fix {
        summary: format!(
            "Set `MaxAllocatedStorage` above `AllocatedStorage` to turn on storage autoscaling; {max} GiB is a ceiling you pay for only once it is used."
        ),
        snippet: Some(snippet),
    }
}
