//! Amazon CloudWatch Logs: log groups.

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::LogGroup as SdkLogGroup;
use sensei_model::logs::LogGroup;

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{Filter, Scope, live_ref};

pub async fn fetch_log_groups(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> Vec<LogGroup> {
    let mut reader = Reader::new("logs", Some(region), None, &scope.gaps);
    let listed: Read<Vec<SdkLogGroup>> = pages!(
        reader,
        "DescribeLogGroups",
        client.describe_log_groups(),
        |p: &aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput| p.log_groups().to_vec()
    );
    let mut groups = listed.or_empty();
    groups.retain(|g| filter.in_stacks(&[g.log_group_name().unwrap_or_default()]));
    let mut out = Vec::new();
    for g in groups {
        let name = g.log_group_name().unwrap_or_default().to_string();
        let arn = map_arn(&g, region, &scope.account);
        let mut reader = Reader::new("logs", Some(region), Some(&arn), &scope.gaps);
        if !filter.tags.is_empty() {
            let tags = client.list_tags_for_resource().resource_arn(&arn).send().await;
            if let Read::Got(t) = reader.get("ListTagsForResource", tags)
                && !filter.has_tags(Some(&t.tags().cloned().unwrap_or_default().into_iter().collect()))
            {
                continue;
            }
        }
        let stack = stacks.stack_of(&[&name]);
        out.push(map_log_group(&g, &arn, &scope.account, region, stack, reader.unread));
    }
    out
}

/// The group's ARN without the `:*` that `arn` carries.
fn map_arn(g: &SdkLogGroup, region: &str, account: &str) -> String {
    g.log_group_arn()
        .map(str::to_string)
        .or_else(|| g.arn().map(|a| a.strip_suffix(":*").unwrap_or(a).to_string()))
        .unwrap_or_else(|| {
            format!("arn:aws:logs:{region}:{account}:log-group:{}", g.log_group_name().unwrap_or_default())
        })
}

pub fn map_log_group(
    g: &SdkLogGroup,
    arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    unread: Vec<String>,
) -> LogGroup {
    LogGroup {
        resource: live_ref(arn, "AWS::Logs::LogGroup", account, Some(region), stack, unread),
        log_group_name: live(g.log_group_name().map(str::to_string)),
        retention_in_days: live(g.retention_in_days().and_then(|d| u32::try_from(d).ok())),
        log_group_class: live(g.log_group_class().map(|c| c.as_str().to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sensei_model::{Provenance, Setting};

    #[test]
    fn maps_retention() {
        let g = SdkLogGroup::builder()
            .log_group_name("/aws/lambda/orders")
            .arn("arn:aws:logs:us-east-1:1:log-group:/aws/lambda/orders:*")
            .retention_in_days(14)
            .build();
        let arn = map_arn(&g, "us-east-1", "1");
        assert_eq!(arn, "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/orders");
        let m = map_log_group(&g, &arn, "1", "us-east-1", None, vec![]);
        assert_eq!(m.retention_in_days, Setting::Known(Some(14), Provenance::Live));
        let forever = SdkLogGroup::builder().log_group_name("x").build();
        let m = map_log_group(&forever, "a", "1", "us-east-1", None, vec![]);
        assert_eq!(m.retention_in_days, Setting::Known(None, Provenance::Live));
    }
}
