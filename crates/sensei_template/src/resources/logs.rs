//! `AWS::Logs::LogGroup`.

use sensei_model::logs::LogGroup;

use super::Ctx;

pub fn log_group(cx: &Ctx<'_, '_>) -> LogGroup {
    let props = cx.props();
    LogGroup {
        resource: cx.resource_ref("AWS::Logs::LogGroup"),
        log_group_name: props.text("LogGroupName"),
        retention_in_days: props.number("RetentionInDays"),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    match ty {
        "AWS::Logs::LogGroup" => inventory.log_groups.push(log_group(cx)),
        _ => {}
    }
}
