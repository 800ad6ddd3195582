//! `AWS::DynamoDB::Table`.

use sensei_model::Setting;
use sensei_model::dynamodb::{BillingMode, Table};

use super::{Ctx, bool_of, field};

pub fn table(cx: &Ctx<'_, '_>) -> Table {
    let props = cx.props();
    Table {
        resource: cx.resource_ref("AWS::DynamoDB::Table"),
        billing_mode: match props.literal("BillingMode") {
            Setting::Known(Some(mode), prov) => Setting::Known(billing_mode(&mode), prov),
            Setting::Known(None, _) => Setting::default_value(BillingMode::Provisioned),
            Setting::Unknown(why) => Setting::Unknown(why),
        },
        point_in_time_recovery_enabled: bool_of(
            "PointInTimeRecoveryEnabled",
            field(&props, &["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"]),
            false,
        ),
        deletion_protection_enabled: bool_of(
            "DeletionProtectionEnabled",
            field(&props, &["DeletionProtectionEnabled"]),
            false,
        ),
        sse_enabled: bool_of("SSEEnabled", field(&props, &["SSESpecification", "SSEEnabled"]), false),
    }
}

pub fn billing_mode(mode: &str) -> BillingMode {
    match mode {
        "PROVISIONED" => BillingMode::Provisioned,
        "PAY_PER_REQUEST" => BillingMode::PayPerRequest,
        other => BillingMode::Other(other.to_string()),
    }
}

/// Adds the model resources of one template resource of this service.
pub fn map(cx: &Ctx<'_, '_>, ty: &str, inventory: &mut sensei_model::Inventory) {
    match ty {
        "AWS::DynamoDB::Table" => inventory.tables.push(table(cx)),
        _ => {}
    }
}
