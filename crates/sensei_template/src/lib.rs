//! CloudFormation, SAM, Serverless Framework and CDK templates to the sensei model.
//!
//! [`read`] parses a template once (YAML with short-form tags, or JSON, with a line and column
//! on every value), evaluates its intrinsic functions where the template alone allows it, expands
//! SAM resources, and fills an [`sensei_model::Inventory`].

mod link;
pub mod load;
pub mod node;
mod props;
mod read;
mod resources;
mod sam;
mod suppress;
mod template;
mod value;

pub use read::{Options, ReadError, TemplateRead, looks_like_template, read, resolve_properties};
pub use sensei_model::TemplateKind;
pub use template::{Diagnostic, StructureError};
pub use value::Val;
