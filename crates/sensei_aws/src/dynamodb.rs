//! Amazon DynamoDB: tables, with their backups and tags.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::describe_continuous_backups::DescribeContinuousBackupsOutput;
use aws_sdk_dynamodb::types::{BillingMode as SdkBillingMode, PointInTimeRecoveryStatus, SseStatus, TableDescription};
use futures_util::StreamExt as _;
use sensei_model::Setting;
use sensei_model::dynamodb::{AutoScaling, BillingMode, Table, Tag};

use crate::cloudformation::StackIndex;
use crate::read::{Read, Reader, live};
use crate::{CONCURRENCY_PER_SERVICE, Fact, Filter, Scope, live_ref};
use sensei_model::backup::BackupSelection;

pub async fn fetch_tables(
    client: &Client,
    region: &str,
    scope: &Scope,
    stacks: &StackIndex,
    filter: &Filter,
) -> Vec<Table> {
    let mut reader = Reader::new("dynamodb", Some(region), None, &scope.gaps);
    let listed: Read<Vec<String>> = pages!(
        reader,
        "ListTables",
        client.list_tables(),
        |p: &aws_sdk_dynamodb::operation::list_tables::ListTablesOutput| p.table_names().to_vec()
    );
    let mut names = listed.or_empty();
    names.retain(|n| filter.in_stacks(&[n]));
    scope.progress.discovered(names.len());
    let tables: Vec<Option<Table>> = futures_util::stream::iter(names)
        .map(|name| async move {
            let listed_arn = format!("arn:aws:dynamodb:{region}:{}:table/{name}", scope.account);
            let mut reader = Reader::new("dynamodb", Some(region), Some(&listed_arn), &scope.gaps);
            let (description, backups) = tokio::join!(
                client.describe_table().table_name(&name).send(),
                when!(
                    scope.facts.contains(Fact::TableBackups),
                    client.describe_continuous_backups().table_name(&name).send()
                ),
            );
            let description = match reader.get("DescribeTable", description) {
                Read::Got(out) => {
                    Read::Got(out.table().cloned().unwrap_or_else(|| TableDescription::builder().build()))
                }
                Read::Failed(why) => Read::Failed(why),
            };
            let arn = description.got().and_then(|d| d.table_arn()).unwrap_or(&listed_arn).to_string();
            let backups = reader.get_if("DescribeContinuousBackups", backups);
            // `--tag` needs the tags now; the rules need them only for backup selections by tag
            // (`read_tags`, once the selections are known). They need the table's ARN, which
            // DescribeTable gives.
            let tags = match filter.tags.is_empty() {
                false => fetch_tags(client, &arn, &mut reader).await,
                true => Read::not_selected(),
            };
            let stack = stacks.stack_of(&[&name]);
            let table =
                map_table(&name, &arn, &scope.account, region, stack, &description, &backups, &tags, reader.unread);
            scope.progress.fetched();
            let keep = filter.has_tags(
                table.tags.known().map(|t| t.iter().map(|t| (t.key.clone(), t.value.clone())).collect()).as_ref(),
            );
            keep.then_some(table)
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    tables.into_iter().flatten().collect()
}

/// Whether the tables' tags are needed to judge them against these backup selections: only a
/// selection by tag (`ListOfTags`, `Conditions`) looks at them.
pub fn selections_use_tags(selections: &[BackupSelection]) -> bool {
    let used = |s: &Setting<Vec<_>>| s.known().is_some_and(|list| !list.is_empty());
    selections.iter().any(|s| used(&s.list_of_tags) || used(&s.conditions))
}

/// Reads the tags of tables that were read without them.
pub async fn read_tags(client: &Client, region: &str, scope: &Scope, tables: &mut [Table]) {
    let read: Vec<(Read<Vec<Tag>>, Vec<String>)> = futures_util::stream::iter(tables.iter().map(|t| t.arn.clone()))
        .map(|arn| async move {
            let mut reader = Reader::new("dynamodb", Some(region), Some(&arn), &scope.gaps);
            let tags = fetch_tags(client, &arn, &mut reader).await;
            (tags, reader.unread)
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    for (table, (tags, unread)) in tables.iter_mut().zip(read) {
        table.tags = match tags {
            Read::Got(t) => live(t),
            Read::Failed(why) => Setting::Unknown(why),
        };
        if let Some(origin) = table.resource.live.as_mut() {
            origin.unread.extend(unread);
        }
    }
}

/// `ListTagsOfResource`, every page.
async fn fetch_tags(client: &Client, arn: &str, reader: &mut Reader<'_>) -> Read<Vec<Tag>> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let got = client.list_tags_of_resource().resource_arn(arn).set_next_token(token.clone()).send().await;
        match reader.get("ListTagsOfResource", got) {
            Read::Got(page) => {
                out.extend(page.tags().iter().map(|t| Tag { key: t.key().to_string(), value: t.value().to_string() }));
                match page.next_token() {
                    Some(next) if token.as_deref() != Some(next) => token = Some(next.to_string()),
                    _ => return Read::Got(out),
                }
            }
            Read::Failed(why) => return Read::Failed(why),
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub fn map_table(
    name: &str,
    arn: &str,
    account: &str,
    region: &str,
    stack: Option<String>,
    description: &Read<TableDescription>,
    backups: &Read<DescribeContinuousBackupsOutput>,
    tags: &Read<Vec<Tag>>,
    unread: Vec<String>,
) -> Table {
    Table {
        resource: live_ref(arn, "AWS::DynamoDB::Table", account, Some(region), stack, unread),
        simple_table: false,
        table_name: live(name.to_string()),
        arn: arn.to_string(),
        // No billing summary: the table was created with provisioned capacity and never changed.
        billing_mode: description.setting(|d| match d.billing_mode_summary().and_then(|b| b.billing_mode()) {
            Some(SdkBillingMode::PayPerRequest) => BillingMode::PayPerRequest,
            Some(SdkBillingMode::Provisioned) | None => BillingMode::Provisioned,
            Some(other) => BillingMode::Other(other.as_str().to_string()),
        }),
        point_in_time_recovery_enabled: backups.setting(|b| {
            b.continuous_backups_description()
                .and_then(|c| c.point_in_time_recovery_description())
                .and_then(|p| p.point_in_time_recovery_status())
                == Some(&PointInTimeRecoveryStatus::Enabled)
        }),
        deletion_protection_enabled: description.setting(|d| d.deletion_protection_enabled().unwrap_or(false)),
        // `SSESpecification.SSEEnabled`: encryption with a KMS key; without it DynamoDB uses a key it owns.
        sse_enabled: description.setting(|d| d.sse_description().and_then(|s| s.status()) == Some(&SseStatus::Enabled)),
        tags: match tags {
            Read::Got(t) => live(t.clone()),
            Read::Failed(why) => Setting::Unknown(why.clone()),
        },
        global_secondary_indexes: description.setting(|d| {
            d.global_secondary_indexes().iter().filter_map(|g| g.index_name().map(str::to_string)).collect()
        }),
        // Read once per region for the tables with provisioned capacity (`autoscaling::apply_to_tables`).
        auto_scaling: AutoScaling {
            dimensions: Vec::new(),
            unresolved: Some("Application Auto Scaling was not read".to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::{
        BillingModeSummary, ContinuousBackupsDescription, ContinuousBackupsStatus, PointInTimeRecoveryDescription,
    };
    use sensei_model::Provenance;

    #[test]
    fn maps_a_table() {
        let d = TableDescription::builder()
            .table_name("orders")
            .billing_mode_summary(BillingModeSummary::builder().billing_mode(SdkBillingMode::PayPerRequest).build())
            .deletion_protection_enabled(true)
            .build();
        let b = DescribeContinuousBackupsOutput::builder()
            .continuous_backups_description(
                ContinuousBackupsDescription::builder()
                    .continuous_backups_status(ContinuousBackupsStatus::Enabled)
                    .point_in_time_recovery_description(
                        PointInTimeRecoveryDescription::builder()
                            .point_in_time_recovery_status(PointInTimeRecoveryStatus::Enabled)
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .build();
        let t = map_table(
            "orders",
            "arn",
            "1",
            "us-east-1",
            None,
            &Read::Got(d),
            &Read::Got(b),
            &Read::Got(vec![]),
            vec![],
        );
        assert_eq!(t.billing_mode, Setting::Known(BillingMode::PayPerRequest, Provenance::Live));
        assert_eq!(t.point_in_time_recovery_enabled, Setting::Known(true, Provenance::Live));
        assert_eq!(t.deletion_protection_enabled, Setting::Known(true, Provenance::Live));
        assert_eq!(t.sse_enabled, Setting::Known(false, Provenance::Live));
    }

    #[test]
    fn failed_backups_read_is_unknown() {
        let d = TableDescription::builder().table_name("orders").build();
        let t = map_table(
            "orders",
            "arn",
            "1",
            "us-east-1",
            None,
            &Read::Got(d),
            &Read::Failed("dynamodb:DescribeContinuousBackups failed: AccessDeniedException".into()),
            &Read::Got(vec![]),
            vec![],
        );
        assert!(matches!(t.point_in_time_recovery_enabled, Setting::Unknown(_)));
        assert_eq!(t.billing_mode, Setting::Known(BillingMode::Provisioned, Provenance::Live));
    }
}
