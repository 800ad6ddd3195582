//! AWS CloudFormation: which stack each resource belongs to, and `--stack`.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{StackResourceSummary, StackStatus, StackSummary};
use futures_util::StreamExt as _;

use crate::CONCURRENCY_PER_SERVICE;
use crate::gap::Gaps;
use crate::read::Reader;

/// The stacks of the audited regions: the stack of each physical resource id, and the resources
/// of the stacks `--stack` names (their nested stacks included).
#[derive(Debug, Clone, Default)]
pub struct StackIndex {
    /// Physical id (a bucket name, a function name, a queue URL, a topic ARN) → stack name.
    by_physical_id: BTreeMap<String, String>,
    /// The names `--stack` asked for that exist.
    found: BTreeSet<String>,
    /// The physical ids of the selected stacks' resources.
    selected: BTreeSet<String>,
}

impl StackIndex {
    pub fn merge(&mut self, other: StackIndex) {
        self.by_physical_id.extend(other.by_physical_id);
        self.found.extend(other.found);
        self.selected.extend(other.selected);
    }

    pub fn found(&self, name: &str) -> bool {
        self.found.contains(name)
    }

    pub fn selected(&self) -> BTreeSet<String> {
        self.selected.clone()
    }

    /// The stack a resource known by these physical ids belongs to.
    pub fn stack_of(&self, ids: &[&str]) -> Option<String> {
        ids.iter().find_map(|id| self.by_physical_id.get(*id).cloned())
    }
}

/// A stack and the physical ids of its resources.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    pub name: String,
    pub id: String,
    pub parent_id: Option<String>,
    pub physical_ids: Vec<String>,
}

/// Lists the live stacks of the region and their resources.
pub async fn fetch_stacks(client: &Client, region: &str, requested: &[String], gaps: &Gaps) -> StackIndex {
    let mut reader = Reader::new("cloudformation", Some(region), None, gaps);
    let mut summaries = Vec::new();
    let mut pages = client.list_stacks().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => summaries.extend(page.stack_summaries().iter().filter_map(map_summary)),
            Err(e) => {
                reader.failed("ListStacks", &e);
                break;
            }
        }
    }
    let stacks: Vec<Stack> = futures_util::stream::iter(summaries)
        .map(|mut stack| async move {
            let mut reader = Reader::new("cloudformation", Some(region), Some(&stack.id), gaps);
            let mut pages = client.list_stack_resources().stack_name(&stack.id).into_paginator().send();
            while let Some(page) = pages.next().await {
                match page {
                    Ok(page) => stack.physical_ids.extend(map_resources(page.stack_resource_summaries(), region)),
                    Err(e) => {
                        reader.failed("ListStackResources", &e);
                        break;
                    }
                }
            }
            stack
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect()
        .await;
    map_index(&stacks, requested)
}

/// A stack that exists (deleted stacks are left out).
pub fn map_summary(summary: &StackSummary) -> Option<Stack> {
    if summary.stack_status() == Some(&StackStatus::DeleteComplete) {
        return None;
    }
    Some(Stack {
        name: summary.stack_name()?.to_string(),
        id: summary.stack_id()?.to_string(),
        parent_id: summary.parent_id().map(str::to_string),
        physical_ids: Vec::new(),
    })
}

/// The physical ids of a stack's resources. A queue's id is its URL, whose host differs between
/// endpoints: its ARN is added, which the queue is also looked up by.
pub fn map_resources(resources: &[StackResourceSummary], region: &str) -> Vec<String> {
    let mut out = Vec::new();
    for r in resources {
        let Some(id) = r.physical_resource_id() else { continue };
        out.push(id.to_string());
        if r.resource_type() == Some("AWS::SQS::Queue")
            && let Some(arn) = queue_arn(id, region)
        {
            out.push(arn);
        }
    }
    out
}

/// `https://sqs.<region>.<host>/<account>/<name>` → `arn:aws:sqs:<region>:<account>:<name>`.
pub fn queue_arn(url: &str, region: &str) -> Option<String> {
    let mut parts = url.trim_end_matches('/').rsplit('/');
    let name = parts.next()?;
    let account = parts.next()?;
    (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) && !name.is_empty())
        .then(|| format!("arn:aws:sqs:{region}:{account}:{name}"))
}

/// The index of `stacks`; `requested` stacks are selected with every stack nested in them.
pub fn map_index(stacks: &[Stack], requested: &[String]) -> StackIndex {
    let mut index = StackIndex::default();
    for stack in stacks {
        for id in &stack.physical_ids {
            index.by_physical_id.entry(id.clone()).or_insert_with(|| stack.name.clone());
        }
    }
    let mut chosen: BTreeSet<&str> = BTreeSet::new();
    for stack in stacks {
        if requested.iter().any(|r| r == &stack.name || r == &stack.id) {
            index
                .found
                .insert(requested.iter().find(|r| *r == &stack.name || *r == &stack.id).cloned().unwrap_or_default());
            chosen.insert(&stack.id);
        }
    }
    // Nested stacks: follow parents until nothing changes.
    loop {
        let before = chosen.len();
        for stack in stacks {
            if stack.parent_id.as_deref().is_some_and(|p| chosen.contains(p)) {
                chosen.insert(&stack.id);
            }
        }
        if chosen.len() == before {
            break;
        }
    }
    for stack in stacks.iter().filter(|s| chosen.contains(s.id.as_str())) {
        index.selected.extend(stack.physical_ids.iter().cloned());
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(name: &str, parent: Option<&str>, ids: &[&str]) -> Stack {
        Stack {
            name: name.to_string(),
            id: format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/1"),
            parent_id: parent.map(|p| format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{p}/1")),
            physical_ids: ids.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn deleted_stacks_are_left_out() {
        let s = StackSummary::builder()
            .stack_name("gone")
            .stack_id("id")
            .stack_status(StackStatus::DeleteComplete)
            .creation_time(aws_smithy_types::DateTime::from_secs(0))
            .build();
        assert_eq!(map_summary(&s), None);
        let s = StackSummary::builder()
            .stack_name("app")
            .stack_id("id")
            .parent_id("parent")
            .stack_status(StackStatus::UpdateComplete)
            .creation_time(aws_smithy_types::DateTime::from_secs(0))
            .build();
        let stack = map_summary(&s).unwrap();
        assert_eq!((stack.name.as_str(), stack.parent_id.as_deref()), ("app", Some("parent")));
    }

    #[test]
    fn queues_are_found_by_arn() {
        let r = StackResourceSummary::builder()
            .logical_resource_id("Jobs")
            .physical_resource_id("https://sqs.us-west-2.example.com/123456789012/jobs")
            .resource_type("AWS::SQS::Queue")
            .last_updated_timestamp(aws_smithy_types::DateTime::from_secs(0))
            .resource_status(aws_sdk_cloudformation::types::ResourceStatus::CreateComplete)
            .build();
        assert_eq!(
            map_resources(&[r], "us-west-2"),
            vec![
                "https://sqs.us-west-2.example.com/123456789012/jobs".to_string(),
                "arn:aws:sqs:us-west-2:123456789012:jobs".to_string()
            ]
        );
        assert_eq!(queue_arn("not a url", "us-east-1"), None);
    }

    #[test]
    fn nested_stacks_are_followed() {
        let stacks = vec![
            stack("app", None, &["bucket-a", "arn:nested"]),
            stack("app-Nested", Some("app"), &["queue-url"]),
            stack("app-Nested-Deeper", Some("app-Nested"), &["fn-deep"]),
            stack("other", None, &["bucket-b"]),
        ];
        let index = map_index(&stacks, &["app".to_string()]);
        assert!(index.found("app"));
        assert!(!index.found("other"));
        assert_eq!(
            index.selected(),
            ["bucket-a", "arn:nested", "queue-url", "fn-deep"].iter().map(|s| s.to_string()).collect()
        );
        assert_eq!(index.stack_of(&["nope", "fn-deep"]).as_deref(), Some("app-Nested-Deeper"));
        assert_eq!(index.stack_of(&["bucket-b"]).as_deref(), Some("other"));
    }
}
