//! `AWS::Serverless::SimpleTable`, `StateMachine` and `LayerVersion`.

use sensei_model::dynamodb::{BillingMode, Table};
use sensei_model::iam::Role;
use sensei_model::lambda::LayerVersion;
use sensei_model::stepfunctions::StateMachine;
use sensei_model::{Inventory, Setting};

use crate::resources::dynamodb::{TableNames, auto_scaling, point_in_time_recovery, table_name, tag_map};
use crate::resources::iam::role_arn;
use crate::resources::{Ctx, bool_of, field, literal_of, required};

use super::function::{XRAY, managed_arns, trust_policy};
use super::{events, globals, policies};

/// A table billed per request, unless it declares `ProvisionedThroughput`. A simple table cannot
/// turn on deletion protection, and has no secondary indexes.
pub fn simple_table(cx: &Ctx<'_, '_>) -> Table {
    let props = cx.props().with_globals(globals(cx.template, "SimpleTable"));
    let names = TableNames::of(cx);
    Table {
        resource: cx.resource_ref("AWS::DynamoDB::Table"),
        simple_table: true,
        table_name: table_name(cx, &props),
        arn: names.arn.clone(),
        billing_mode: match field(&props, &["ProvisionedThroughput"]) {
            Some((_, prov)) => Setting::Known(BillingMode::Provisioned, prov),
            None => Setting::default_value(BillingMode::PayPerRequest),
        },
        point_in_time_recovery_enabled: point_in_time_recovery(&props),
        deletion_protection_enabled: Setting::default_value(false),
        sse_enabled: bool_of("SSEEnabled", field(&props, &["SSESpecification", "SSEEnabled"]), false),
        tags: tag_map(&props),
        global_secondary_indexes: Setting::default_value(Vec::new()),
        auto_scaling: auto_scaling(cx.template, &names.name),
    }
}

pub fn layer_version(cx: &Ctx<'_, '_>) -> LayerVersion {
    let props = cx.props().with_globals(globals(cx.template, "LayerVersion"));
    LayerVersion {
        resource: cx.resource_ref("AWS::Lambda::LayerVersion"),
        compatible_runtimes: props.texts("CompatibleRuntimes"),
    }
}

/// The state machine, its generated `<Id>Role` when it names no `Role`, and its API routes.
pub fn state_machine(cx: &Ctx<'_, '_>, inventory: &mut Inventory) {
    let own = cx.props();
    let props = own.with_globals(globals(cx.template, "StateMachine"));
    let role_id = format!("{}Role", cx.id());
    let tracing_enabled = bool_of("Enabled", field(&props, &["Tracing", "Enabled"]), false);
    let role = if own.has("Role") {
        required(own.text("Role"), "`Role` is empty")
    } else {
        let declared = policies::expand(cx.template, &role_id, own.node.and_then(|p| p.get("Policies")));
        let xray = if tracing_enabled.known() == Some(&true) { vec![XRAY.to_string()] } else { Vec::new() };
        inventory.roles.push(Role {
            resource: cx.generated_ref(role_id.clone(), "AWS::IAM::Role"),
            arn: role_arn(cx.template, cx.key.pos, &role_id),
            assume_role_policy_document: trust_policy(cx, "states.amazonaws.com"),
            policies: declared.inline,
            managed_policy_arns: managed_arns(Vec::new(), declared.managed, xray, own.raw("Policies")),
        });
        Setting::default_value(role_arn(cx.template, cx.key.pos, &role_id))
    };
    inventory.state_machines.push(StateMachine {
        resource: cx.resource_ref("AWS::StepFunctions::StateMachine"),
        serverless: true,
        state_machine_type: props.literal_or("Type", "STANDARD"),
        logging_level: literal_of("Level", field(&props, &["Logging", "Level"])),
        tracing_enabled,
        role,
    });
    events::of_state_machine(cx, inventory);
}
