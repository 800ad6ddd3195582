//! AWS SAM: `AWS::Serverless::*` resources become the model types of their CloudFormation
//! expansion, with the resources SAM generates for them (execution roles, implicit APIs, event
//! sources and permissions), as the SAM specification describes.

use sensei_model::Inventory;

use crate::node::Node;
use crate::resources::Ctx;
use crate::template::Template;

mod api;
mod events;
mod function;
mod generated;
mod policies;
mod resources;

pub use generated::declare_generated;

/// Adds the model resources of one `AWS::Serverless::*` resource; types the model does not
/// cover (`Application`, `Connector`, `GraphQLApi`, ...) are passed over.
pub fn map_resource(cx: &Ctx<'_, '_>, resource_type: &str, inventory: &mut Inventory) {
    match resource_type {
        "AWS::Serverless::Function" => function::map(cx, inventory),
        "AWS::Serverless::Api" => inventory.apis.push(api::rest_api(cx)),
        "AWS::Serverless::HttpApi" => inventory.apis.push(api::http_api(cx)),
        "AWS::Serverless::SimpleTable" => inventory.tables.push(resources::simple_table(cx)),
        "AWS::Serverless::StateMachine" => resources::state_machine(cx, inventory),
        "AWS::Serverless::LayerVersion" => inventory.layers.push(resources::layer_version(cx)),
        _ => {}
    }
}

/// The `Globals` of a SAM resource type: `Function`, `Api`, `HttpApi`, `SimpleTable`, ...
fn globals<'n>(template: &Template<'n>, section: &str) -> Option<&'n Node> {
    template.root.get("Globals")?.get(section)
}
