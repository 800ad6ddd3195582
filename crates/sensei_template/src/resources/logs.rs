//! `AWS::Logs::LogGroup`, and the `Custom::LogRetention` resources the CDK writes for a
//! function's `logRetention`, which set the retention of the group they name.

use sensei_model::Inventory;
use sensei_model::logs::LogGroup;

use crate::node::Node;
use crate::template::Template;

use super::{Ctx, created};

pub fn log_group(cx: &Ctx<'_, '_>, resource_type: &str) -> LogGroup {
    let props = cx.props();
    LogGroup {
        resource: cx.resource_ref(resource_type),
        log_group_name: props.text("LogGroupName"),
        retention_in_days: props.number("RetentionInDays"),
        log_group_class: props.literal("LogGroupClass"),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    if ty == "AWS::Logs::LogGroup" {
        inventory.log_groups.push(log_group(cx, ty));
    }
}

/// `Custom::LogRetention` (CDK `logRetention`): the log group it names gets its retention.
pub fn cdk_log_retentions(template: &Template<'_>, inventory: &mut Inventory) {
    for (key, body) in created(template) {
        if body.get("Type").and_then(Node::as_str) == Some("Custom::LogRetention") {
            inventory.log_groups.push(log_group(&Ctx { template, key, body }, "Custom::LogRetention"));
        }
    }
}
