//! The typed model of AWS serverless resources that every source fills and every rule reads.
//!
//! Sources (templates, the live account) turn what they read into an [`Inventory`]; rules see only
//! this model, never YAML nodes, JSON values or SDK types.

mod date;
mod expr;
mod facts;
mod inventory;
mod resource;
mod setting;
mod symbolic;

pub mod apigateway;
pub mod backup;
pub mod cloudfront;
pub mod cognito;
pub mod dynamodb;
pub mod eventbridge;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod s3;
pub mod ses;
pub mod sns;
pub mod sqs;
pub mod stepfunctions;

pub use date::Date;
pub use expr::{Expr, Syntax};
pub use facts::{Fact, Facts, NOT_SELECTED};
pub use inventory::Inventory;
pub use resource::{Gap, LiveOrigin, Location, ResourceRef, ResourceType, Suppression, TemplateKind};
pub use sensei_policy::Policy;
pub use setting::{Provenance, Setting};
pub use symbolic::symbolic_for_policy;
