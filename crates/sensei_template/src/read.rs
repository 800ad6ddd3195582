//! Reading one template file into an inventory.

use std::collections::HashMap;
use std::sync::Arc;

use sensei_model::{Inventory, Syntax, TemplateKind};

use crate::load::{LoadError, load};
use crate::node::{Node, Pos};
use crate::template::{Diagnostic, StructureError, Template};
use crate::value::Val;
use crate::{link, resources, sam};

/// How to read templates.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Parameter values that take the place of their defaults.
    pub parameters: HashMap<String, String>,
}

/// A template read into the model.
#[derive(Debug)]
pub struct TemplateRead {
    pub kind: TemplateKind,
    pub inventory: Inventory,
    /// Problems in single places that did not stop the audit (cycles, malformed policies).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a file could not be audited.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    /// The position is in [`ReadError::position`], not in the message.
    #[error("{}", .0.message)]
    Syntax(#[from] LoadError),
    #[error("{0}")]
    Structure(#[from] StructureError),
    #[error("not a CloudFormation template: {0}")]
    NotATemplate(String),
}

impl ReadError {
    /// The 1-based line and column of the error, when it has one.
    pub fn position(&self) -> Option<(u32, u32)> {
        match self {
            ReadError::Syntax(e) if e.line > 0 => Some((e.line, e.column)),
            ReadError::Structure(StructureError { pos: Some(Pos { line, column }), .. }) => Some((*line, *column)),
            _ => None,
        }
    }
}

/// A cheap look at a file's text: could it be a template? Used to pass over other files in a folder.
pub fn looks_like_template(text: &str) -> bool {
    let head = text.get(..text.len().min(64 * 1024)).unwrap_or(text);
    head.contains("AWSTemplateFormatVersion")
        || head.contains("\"Resources\"")
        || head.lines().any(|l| l.starts_with("Resources:") || l.starts_with("\"Resources\":"))
        || head.contains("AWS::Serverless-2016-10-31")
}

/// Reads one template. `file` names it in locations; `text` is its content.
pub fn read(file: &str, text: &str, options: &Options) -> Result<TemplateRead, ReadError> {
    let root = load(text)?;
    if root.as_map().is_none() || root.get("Resources").is_none() {
        return Err(ReadError::NotATemplate(if root.as_map().is_none() {
            format!("the top level is {}, not a mapping", root.kind())
        } else {
            "it has no `Resources` section".to_string()
        }));
    }
    let syntax =
        if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') { Syntax::Json } else { Syntax::Yaml };
    let mut template = Template::new(Arc::from(file), syntax, &root, &options.parameters)?;
    let kind = kind_of(file, &root, &template);
    sam::declare_generated(&mut template);
    let mut inventory = Inventory::default();
    for (key, body) in template.resources() {
        // A resource whose condition is false is not created.
        if template.resource_condition(body) == Some(crate::value::Val::Bool(false)) {
            continue;
        }
        resources::map_resource(&template, key, body, &mut inventory);
    }
    resources::finish(&template, &mut inventory);
    link::link(&mut inventory);
    Ok(TemplateRead { kind, inventory, diagnostics: template.take_diagnostics() })
}

fn kind_of(file: &str, root: &Node, template: &Template<'_>) -> TemplateKind {
    let transforms: Vec<&str> = match root.get("Transform") {
        Some(t) => match t.as_seq() {
            Some(items) => items.iter().filter_map(Node::as_str).collect(),
            None => t.as_str().into_iter().collect(),
        },
        None => Vec::new(),
    };
    let path = file.replace('\\', "/");
    if transforms.iter().any(|t| t.starts_with("AWS::Serverless")) {
        TemplateKind::Sam
    } else if path.contains(".serverless/") || template.resource_type("ServerlessDeploymentBucket").is_some() {
        TemplateKind::ServerlessFramework
    } else if path.contains("cdk.out/")
        || template.resource_type("CDKMetadata").is_some()
        || root.get("Parameters").and_then(|p| p.get("BootstrapVersion")).is_some()
    {
        TemplateKind::Cdk
    } else {
        TemplateKind::CloudFormation
    }
}

/// Intrinsic resolution alone, for benchmarks and fuzzing: every resource's `Properties` with its
/// intrinsic functions evaluated as far as the template allows (`Ref`, `Fn::Sub`, `Fn::If`, ...),
/// by logical id, in template order. `read` does the same work on the way to the model.
pub fn resolve_properties(file: &str, root: &Node, options: &Options) -> Result<Vec<(String, Val)>, ReadError> {
    let template = Template::new(Arc::from(file), Syntax::Yaml, root, &options.parameters)?;
    Ok(template
        .resources()
        .iter()
        .map(|(key, body)| {
            let properties = body.get("Properties").map_or(Val::Null, |p| template.resolve(p));
            (key.name.to_string(), properties)
        })
        .collect())
}
