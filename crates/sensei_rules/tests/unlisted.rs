//! A list the source could not read is unknown, and the rules that count or search it give no
//! verdict from it: never a pass on "none found". Templates always know their lists, so these
//! cases are built from a template whose lists are then made unknown, as a failed live listing
//! makes them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use sensei_model::{Inventory, Setting, Syntax};
use sensei_rules::{Context, Status};

const TEMPLATE: &str = r"
Transform: AWS::Serverless-2016-10-31
Resources:
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: plain/
      Handler: app.handler
      Runtime: nodejs22.x
  Provisioned:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: checkout/
      Handler: app.handler
      Runtime: nodejs22.x
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 10
  Data:
    Type: AWS::S3::Bucket
";

const WHY: &str = "lambda:ListVersionsByFunction failed: AccessDeniedException";

/// The template's inventory, as a live source would give it with its lists unread.
fn unlisted(versions: bool, aliases: bool) -> Inventory {
    let mut inventory =
        sensei_template::read("t.yaml", TEMPLATE, &sensei_template::Options::default()).unwrap().inventory;
    for f in &mut inventory.functions {
        f.resource.syntax = Syntax::Live;
        if versions {
            f.versions = Setting::Unknown(WHY.to_string());
        }
        if aliases {
            f.aliases = Setting::Unknown("lambda:ListAliases failed: AccessDeniedException".to_string());
        }
    }
    for b in &mut inventory.buckets {
        b.resource.syntax = Syntax::Live;
        b.access_points = Setting::Unknown("s3control:ListAccessPoints failed: AccessDenied".to_string());
    }
    inventory
}

fn statuses(inventory: &Inventory, rule: &str, resource: &str) -> Vec<Status> {
    let rule = sensei_rules::find(rule).unwrap();
    sensei_rules::check(inventory, &[rule], &Context::default())
        .into_iter()
        .filter(|f| f.resource.id == resource)
        .map(|f| f.status)
        .collect()
}

#[test]
fn unknown_versions_are_not_counted_as_none() {
    let inventory = unlisted(true, false);
    assert_eq!(statuses(&inventory, "LAMBDA-004", "Plain"), [Status::Unknown]);
    let known = unlisted(false, false);
    assert_eq!(statuses(&known, "LAMBDA-004", "Plain"), [Status::Pass]);
}

#[test]
fn provisioned_concurrency_needs_every_list_unless_one_shows_it() {
    // Nothing found, but the versions or aliases are unknown: no verdict.
    assert_eq!(statuses(&unlisted(true, false), "LAMBDA-007", "Plain"), [Status::Unknown]);
    assert_eq!(statuses(&unlisted(false, true), "LAMBDA-007", "Plain"), [Status::Unknown]);
    // The alias that is known shows provisioned concurrency: a failure whatever else is unknown.
    assert_eq!(statuses(&unlisted(true, false), "LAMBDA-007", "Provisioned"), [Status::Fail]);
    assert_eq!(statuses(&unlisted(false, false), "LAMBDA-007", "Plain"), [Status::Pass]);
}

#[test]
fn unknown_access_points_leave_the_bucket_without_a_verdict() {
    assert_eq!(statuses(&unlisted(false, false), "S3-017", "Data"), [Status::Unknown]);
}
