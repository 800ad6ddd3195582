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
