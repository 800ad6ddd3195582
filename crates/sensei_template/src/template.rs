//! A template's sections, and the evaluation of its intrinsic functions.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use sensei_model::{Location, Syntax};

use crate::node::{Key, Node, NodeValue, Pos};
use crate::props::kind;
use crate::value::Val;

/// A problem that stops the audit of one template: its structure is not a template's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StructureError {
    pub pos: Option<Pos>,
    pub message: String,
}

/// A problem in one place of a template that does not stop its audit (a reference cycle, a
/// reference to a resource that does not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub pos: Pos,
    pub message: String,
}

/// The value of a condition: known, or depending on something unknown.
#[derive(Debug, Clone, PartialEq)]
enum Truth {
    Known(bool),
    Unknown(String),
}

/// The sections of one template and what is needed to evaluate its intrinsic functions.
pub struct Template<'n> {
    pub file: Arc<str>,
    pub syntax: Syntax,
    pub root: &'n Node,
    parameters: HashMap<&'n str, &'n Node>,
    overrides: &'n HashMap<String, String>,
    mappings: Option<&'n Node>,
    conditions: HashMap<&'n str, &'n Node>,
    /// Logical id → (its key in `Resources`, its body).
    resources: Vec<(&'n Key, &'n Node)>,
    index: HashMap<&'n str, usize>,
    /// Positions in `resources` by resource type, in template order.
    by_type: HashMap<&'n str, Vec<usize>>,
    /// Logical ids of resources that SAM generates, with their CloudFormation type.
    generated: HashMap<String, &'static str>,
    diagnostics: RefCell<Vec<Diagnostic>>,
    ref_cache: RefCell<HashMap<String, Val>>,
    condition_cache: RefCell<HashMap<String, Truth>>,
    /// What is being resolved right now, to detect cycles.
    visiting: RefCell<Vec<String>>,
}

/// The resource types whose `Ref` is a name declared in a property.
const NAME_PROPERTY: &[(&str, &str)] = &[
    ("AWS::S3::Bucket", "BucketName"),
    ("AWS::Lambda::Function", "FunctionName"),
    ("AWS::Serverless::Function", "FunctionName"),
    ("AWS::DynamoDB::Table", "TableName"),
    ("AWS::Serverless::SimpleTable", "TableName"),
    ("AWS::IAM::Role", "RoleName"),
    ("AWS::Logs::LogGroup", "LogGroupName"),
];

impl<'n> Template<'n> {
    /// Reads the sections of a template whose tree is `root`.
    pub fn new(
        file: Arc<str>,
        syntax: Syntax,
        root: &'n Node,
        overrides: &'n HashMap<String, String>,
    ) -> Result<Self, StructureError> {
        if root.as_map().is_none() {
            return Err(StructureError {
                pos: Some(root.pos),
                message: format!("a template is a mapping at its top level, found {}", root.kind()),
            });
        }
        let section = |name: &str| -> Result<Option<&'n Node>, StructureError> {
            match root.get(name) {
                None | Some(Node { value: NodeValue::Null, .. }) => Ok(None),
                Some(n) if n.as_map().is_some() => Ok(Some(n)),
                Some(n) => Err(StructureError {
                    pos: Some(n.pos),
                    message: format!("`{name}` must be a mapping, found {}", n.kind()),
                }),
            }
        };
        let resources_node = section("Resources")?.ok_or_else(|| StructureError {
            pos: None,
            message: "the template has no `Resources` section".to_string(),
        })?;
        let mut resources = Vec::new();
        let mut index = HashMap::new();
        let mut by_type: HashMap<&'n str, Vec<usize>> = HashMap::new();
        for (key, body) in resources_node.as_map().unwrap_or_default() {
            if body.as_map().is_none() {
                return Err(StructureError {
                    pos: Some(body.pos),
                    message: format!("resource `{}` must be a mapping, found {}", key.name, body.kind()),
                });
            }
            match body.get("Type") {
                Some(t) if t.as_str().is_some() => {}
                Some(t) => {
                    return Err(StructureError {
                        pos: Some(t.pos),
                        message: format!("the `Type` of resource `{}` must be a string, found {}", key.name, t.kind()),
                    });
                }
                None => {
                    return Err(StructureError {
                        pos: Some(key.pos),
                        message: format!("resource `{}` has no `Type`", key.name),
                    });
                }
            }
            index.insert(key.name.as_str(), resources.len());
            if let Some(ty) = body.get("Type").and_then(Node::as_str) {
                by_type.entry(ty).or_default().push(resources.len());
            }
            resources.push((key, body));
        }
        let named = |section: Option<&'n Node>| -> HashMap<&'n str, &'n Node> {
            section
                .and_then(Node::as_map)
                .map(|m| m.iter().map(|(k, v)| (k.name.as_str(), v)).collect())
                .unwrap_or_default()
        };
        Ok(Template {
            file,
            syntax,
            root,
            parameters: named(section("Parameters")?),
            overrides,
            mappings: section("Mappings")?,
            conditions: named(section("Conditions")?),
            resources,
            index,
            by_type,
            generated: HashMap::new(),
            diagnostics: RefCell::new(Vec::new()),
            ref_cache: RefCell::new(HashMap::new()),
            condition_cache: RefCell::new(HashMap::new()),
            visiting: RefCell::new(Vec::new()),
        })
    }

    /// Declares a resource that SAM generates, so that references to it resolve.
    pub fn add_generated(&mut self, logical_id: String, resource_type: &'static str) {
        self.generated.insert(logical_id, resource_type);
    }

    pub fn resources(&self) -> &[(&'n Key, &'n Node)] {
        &self.resources
    }

    /// The resources of these types, in template order; looked up, not scanned.
    pub fn resources_of(&self, types: &[&str]) -> Vec<(&'n Key, &'n Node)> {
        let mut at: Vec<usize> = types.iter().filter_map(|t| self.by_type.get(t)).flatten().copied().collect();
        at.sort_unstable();
        at.into_iter().filter_map(|i| self.resources.get(i).copied()).collect()
    }

    /// The CloudFormation type of a declared or SAM-generated resource.
    pub fn resource_type(&self, logical_id: &str) -> Option<&str> {
        if let Some(&i) = self.index.get(logical_id) {
            return self.resources.get(i).and_then(|(_, body)| body.get("Type")).and_then(Node::as_str);
        }
        self.generated.get(logical_id).copied()
    }

    pub fn resource(&self, logical_id: &str) -> Option<&'n Node> {
        self.index.get(logical_id).and_then(|&i| self.resources.get(i)).map(|(_, body)| *body)
    }

    pub fn location(&self, pos: Pos) -> Location {
        Location { file: self.file.clone(), line: pos.line, column: pos.column }
    }

    pub fn take_diagnostics(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.diagnostics.borrow_mut())
    }

    /// Records a problem at `pos` that does not stop the audit.
    pub fn report(&self, pos: Pos, message: String) {
        let mut list = self.diagnostics.borrow_mut();
        if !list.iter().any(|d| d.message == message) {
            list.push(Diagnostic { pos, message });
        }
    }

    /// Whether a resource is created: its `Condition` is true, unknown, or absent.
    pub fn resource_condition(&self, body: &Node) -> Option<Val> {
        let name = body.get("Condition")?.as_str()?;
        Some(match self.condition(name, body.pos) {
            Truth::Known(b) => Val::Bool(b),
            Truth::Unknown(why) => Val::Unknown(why),
        })
    }

    /// Evaluates the intrinsic functions of `node`.
    pub fn resolve(&self, node: &Node) -> Val {
        match &node.value {
            NodeValue::Null => Val::Null,
            NodeValue::Bool(b) => Val::Bool(*b),
            NodeValue::Number(n) => Val::Num(n.clone()),
            NodeValue::String(s) => {
                if s.contains("{{resolve:") {
                    Val::Unknown(format!("`{s}` is a dynamic reference, resolved at deploy time"))
                } else {
                    Val::Str(s.clone())
                }
            }
            NodeValue::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match self.resolve(item) {
                        Val::NoValue => {}
                        v => out.push(v),
                    }
                }
                Val::List(out)
            }
            NodeValue::Map(entries) => {
                if let [(key, arg)] = entries.as_slice()
                    && (key.name == "Ref" || key.name.starts_with("Fn::"))
                {
                    return self.intrinsic(&key.name, arg, key.pos);
                }
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    match self.resolve(v) {
                        Val::NoValue => {}
                        v => out.push((k.name.clone(), v)),
                    }
                }
                Val::Map(out)
            }
        }
    }

    fn intrinsic(&self, name: &str, arg: &Node, pos: Pos) -> Val {
        match name {
            "Ref" => match arg.as_str() {
                Some(target) => self.reference(target, arg.pos),
                None => self.invalid(pos, format!("`Ref` takes a name, found {}", arg.kind())),
            },
            "Fn::GetAtt" => self.get_att(arg, pos),
            "Fn::Sub" => self.sub(arg, pos),
            "Fn::Join" => self.join(arg, pos),
            "Fn::Select" => self.select(arg, pos),
            "Fn::Split" => self.split(arg, pos),
            "Fn::FindInMap" => self.find_in_map(arg, pos),
            "Fn::If" => self.if_(arg, pos),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => match self.truth(name, arg, pos) {
                Truth::Known(b) => Val::Bool(b),
                Truth::Unknown(why) => Val::Unknown(why),
            },
            "Fn::Base64" => match self.resolve(arg) {
                Val::Str(s) => Val::Str(s),
                Val::Sym(s) => Val::Sym(s),
                Val::Unknown(why) => Val::Unknown(why),
                other => self.invalid(pos, format!("`Fn::Base64` takes a string, found {}", kind(&other))),
            },
            "Fn::ImportValue" => Val::Unknown(match self.resolve(arg).text() {
                Some(export) => format!("imported from another stack's export `{export}`"),
                None => "imported from another stack".to_string(),
            }),
            "Fn::GetAZs" => Val::Unknown("the Availability Zones of the region".to_string()),
            "Fn::Cidr" => Val::Unknown("CIDR blocks computed at deploy time".to_string()),
            "Fn::Transform" => Val::Unknown("produced by a CloudFormation macro".to_string()),
            "Fn::Length" => match self.resolve(arg) {
                Val::List(items) => Val::Num(items.len().to_string()),
                Val::Unknown(why) => Val::Unknown(why),
                other => self.invalid(pos, format!("`Fn::Length` takes a list, found {}", kind(&other))),
            },
            "Fn::ToJsonString" => match self.resolve(arg).to_policy_json() {
                Ok(json) => Val::Str(json.to_string()),
                Err(why) => Val::Unknown(why),
            },
            other => {
                self.report(pos, format!("unknown intrinsic function `{other}`"));
                Val::Unknown(format!("`{other}` is not an intrinsic function sensei knows"))
            }
        }
    }

    /// Records a malformed intrinsic and gives an unknown value.
    fn invalid(&self, pos: Pos, message: String) -> Val {
        self.report(pos, message.clone());
        Val::Unknown(message)
    }

    /// Runs `f` with `key` marked as being resolved, or reports a cycle.
    fn guarded(&self, key: String, pos: Pos, f: impl FnOnce() -> Val) -> Val {
        if let Some(start) = self.visiting.borrow().iter().position(|k| *k == key) {
            let mut chain: Vec<String> = self.visiting.borrow().get(start..).unwrap_or_default().to_vec();
            chain.push(key);
            let message = format!("reference cycle: {}", chain.join(" → "));
            self.report(pos, message.clone());
            return Val::Unknown(message);
        }
        self.visiting.borrow_mut().push(key);
        let v = f();
        self.visiting.borrow_mut().pop();
        v
    }

    fn reference(&self, target: &str, pos: Pos) -> Val {
        match target {
            "AWS::NoValue" => return Val::NoValue,
            "AWS::Partition" | "AWS::Region" | "AWS::AccountId" | "AWS::StackName" | "AWS::StackId"
            | "AWS::URLSuffix" => return Val::Sym(format!("${{{target}}}")),
            "AWS::NotificationARNs" => return Val::Unknown("the stack's notification ARNs".to_string()),
            _ => {}
        }
        if let Some(param) = self.parameters.get(target) {
            return self.parameter(target, param);
        }
        if let Some(ty) = self.resource_type(target) {
            if let Some(v) = self.ref_cache.borrow().get(target) {
                return v.clone();
            }
            let v = self.guarded(format!("Ref {target}"), pos, || self.physical_name(target, ty));
            self.ref_cache.borrow_mut().insert(target.to_string(), v.clone());
            return v;
        }
        if target.starts_with("AWS::") {
            return self.invalid(pos, format!("`{target}` is not a pseudo parameter"));
        }
        self.invalid(pos, format!("`Ref {target}`: no parameter or resource is named `{target}`"))
    }

    fn parameter(&self, name: &str, param: &Node) -> Val {
        let ty = param.get("Type").and_then(Node::as_str).unwrap_or("String");
        let list = ty.starts_with("List<") || ty == "CommaDelimitedList";
        let text = if let Some(v) = self.overrides.get(name) {
            Some(v.clone())
        } else {
            match param.get("Default").map(|d| &d.value) {
                Some(NodeValue::String(s)) | Some(NodeValue::Number(s)) => Some(s.clone()),
                Some(NodeValue::Bool(b)) => Some(b.to_string()),
                Some(NodeValue::Seq(items)) if list => {
                    Some(items.iter().filter_map(Node::as_str).collect::<Vec<_>>().join(","))
                }
                _ => None,
            }
        };
        match text {
            Some(t) if t.starts_with("{{resolve:") => {
                Val::Unknown(format!("parameter `{name}` is a dynamic reference, resolved at deploy time"))
            }
            Some(t) if ty.starts_with("AWS::SSM::Parameter::Value") => {
                Val::Unknown(format!("parameter `{name}` is read from SSM parameter `{t}` at deploy time"))
            }
            Some(t) if list => Val::List(t.split(',').map(|s| Val::Str(s.trim().to_string())).collect()),
            Some(t) => Val::Str(t),
            None => Val::Sym(format!("${{{name}}}")),
        }
    }

    /// What `Ref` gives for a resource: its declared name, or a token for a generated one.
    fn physical_name(&self, id: &str, ty: &str) -> Val {
        let declared = NAME_PROPERTY
            .iter()
            .find(|(t, _)| *t == ty)
            .and_then(|(_, prop)| self.resource(id)?.get("Properties")?.get(prop));
        match declared.map(|n| self.resolve(n)) {
            Some(v @ (Val::Str(_) | Val::Sym(_) | Val::Unknown(_))) => v,
            _ => Val::Sym(format!("${{{id}}}")),
        }
    }

    fn get_att(&self, arg: &Node, pos: Pos) -> Val {
        let (id, attr) = match arg.as_seq() {
            Some([id, attr]) => match (id.as_str(), self.resolve(attr)) {
                (Some(id), Val::Str(attr)) => (id.to_string(), attr),
                (Some(_), Val::Unknown(why)) => return Val::Unknown(why),
                _ => return self.invalid(pos, "`Fn::GetAtt` takes [resource, attribute]".to_string()),
            },
            _ => match arg.as_str().and_then(|s| s.split_once('.')) {
                Some((id, attr)) => (id.to_string(), attr.to_string()),
                None => return self.invalid(pos, "`Fn::GetAtt` takes [resource, attribute]".to_string()),
            },
        };
        let Some(ty) = self.resource_type(&id) else {
            return self.invalid(pos, format!("`Fn::GetAtt {id}.{attr}`: no resource is named `{id}`"));
        };
        let name = || self.reference(&id, pos);
        let arn = |prefix: String| match name() {
            Val::Str(n) => Val::Sym(format!("{prefix}{n}")),
            Val::Sym(n) => Val::Sym(format!("{prefix}{n}")),
            other => other,
        };
        match (ty, attr.as_str()) {
            ("AWS::S3::Bucket", "Arn") => arn("arn:${AWS::Partition}:s3:::".to_string()),
            ("AWS::Lambda::Function" | "AWS::Serverless::Function", "Arn") => {
                arn("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:".to_string())
            }
            ("AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable", "Arn") => {
                arn("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/".to_string())
            }
            _ => Val::Sym(format!("${{{id}.{attr}}}")),
        }
    }

    fn sub(&self, arg: &Node, pos: Pos) -> Val {
        let (text, vars) = match &arg.value {
            NodeValue::String(s) => (s.as_str(), None),
            NodeValue::Seq(items) => match items.as_slice() {
                [t, vars] if t.as_str().is_some() && vars.as_map().is_some() => {
                    (t.as_str().unwrap_or_default(), vars.as_map())
                }
                [t] if t.as_str().is_some() => (t.as_str().unwrap_or_default(), None),
                _ => return self.invalid(pos, "`Fn::Sub` takes a string or [string, {variables}]".to_string()),
            },
            _ => return self.invalid(pos, format!("`Fn::Sub` takes a string, found {}", arg.kind())),
        };
        let mut out = Pieces::default();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.literal(rest.get(..start).unwrap_or_default());
            let after = rest.get(start + 2..).unwrap_or_default();
            if let Some(literal) = after.strip_prefix('!') {
                // `${!Name}` is the literal text `${Name}`.
                out.literal("${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                return self.invalid(pos, format!("`Fn::Sub`: unclosed `${{` in `{text}`"));
            };
            let name = after.get(..end).unwrap_or_default().trim();
            let var = vars.and_then(|m| m.iter().find(|(k, _)| k.name == name)).map(|(_, v)| v);
            let v = match var {
                Some(node) => self.resolve(node),
                None => match name.split_once('.') {
                    Some((id, _)) if !id.starts_with("AWS::") && self.resource_type(id).is_some() => {
                        self.get_att(&Node { pos, value: NodeValue::String(name.to_string()) }, pos)
                    }
                    _ => self.reference(name, pos),
                },
            };
            if let Err(why) = out.value(v) {
                return Val::Unknown(why);
            }
            rest = after.get(end + 1..).unwrap_or_default();
        }
        out.literal(rest);
        out.finish()
    }

    fn join(&self, arg: &Node, pos: Pos) -> Val {
        let Some([delimiter, list]) = arg.as_seq() else {
            return self.invalid(pos, "`Fn::Join` takes [delimiter, [values]]".to_string());
        };
        let delimiter = match self.resolve(delimiter) {
            Val::Str(d) => d,
            _ => return self.invalid(pos, "the delimiter of `Fn::Join` must be a string".to_string()),
        };
        let items = match self.resolve(list) {
            Val::List(items) => items,
            Val::Unknown(why) => return Val::Unknown(why),
            other => return self.invalid(pos, format!("`Fn::Join` takes a list, found {}", kind(&other))),
        };
        let mut out = Pieces::default();
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.literal(&delimiter);
            }
            if let Err(why) = out.value(item) {
                return Val::Unknown(why);
            }
        }
        out.finish()
    }

    fn select(&self, arg: &Node, pos: Pos) -> Val {
        let Some([index, list]) = arg.as_seq() else {
            return self.invalid(pos, "`Fn::Select` takes [index, [values]]".to_string());
        };
        let index = match self.resolve(index) {
            Val::Num(n) | Val::Str(n) => match n.parse::<usize>() {
                Ok(i) => i,
                Err(_) => return self.invalid(pos, format!("`Fn::Select`: `{n}` is not an index")),
            },
            Val::Unknown(why) => return Val::Unknown(why),
            _ => return Val::Unknown("the index of `Fn::Select` is known only at deploy time".to_string()),
        };
        match self.resolve(list) {
            Val::List(items) => match items.into_iter().nth(index) {
                Some(v) => v,
                None => self.invalid(pos, format!("`Fn::Select`: index {index} is past the end of the list")),
            },
            Val::Unknown(why) => Val::Unknown(why),
            other => self.invalid(pos, format!("`Fn::Select` takes a list, found {}", kind(&other))),
        }
    }

    fn split(&self, arg: &Node, pos: Pos) -> Val {
        let Some([delimiter, text]) = arg.as_seq() else {
            return self.invalid(pos, "`Fn::Split` takes [delimiter, string]".to_string());
        };
        let Val::Str(delimiter) = self.resolve(delimiter) else {
            return self.invalid(pos, "the delimiter of `Fn::Split` must be a string".to_string());
        };
        if delimiter.is_empty() {
            return self.invalid(pos, "the delimiter of `Fn::Split` is empty".to_string());
        }
        match self.resolve(text) {
            Val::Str(s) => Val::List(s.split(delimiter.as_str()).map(|p| Val::Str(p.to_string())).collect()),
            // A deploy-time part may itself hold the delimiter: the pieces are not known.
            Val::Sym(s) => Val::Unknown(format!("`Fn::Split` of `{s}`, known only at deploy time")),
            Val::Unknown(why) => Val::Unknown(why),
            other => self.invalid(pos, format!("`Fn::Split` takes a string, found {}", kind(&other))),
        }
    }

    fn find_in_map(&self, arg: &Node, pos: Pos) -> Val {
        let Some(items) = arg.as_seq() else {
            return self.invalid(pos, "`Fn::FindInMap` takes [map, key, key]".to_string());
        };
        let (keys, default) = match items {
            [m, k1, k2] => ([m, k1, k2], None),
            [m, k1, k2, d] => ([m, k1, k2], d.get("DefaultValue")),
            _ => return self.invalid(pos, "`Fn::FindInMap` takes [map, key, key]".to_string()),
        };
        let mut names = Vec::with_capacity(3);
        for k in keys {
            match self.resolve(k) {
                Val::Str(s) | Val::Num(s) => names.push(s),
                Val::Sym(s) => {
                    return match default {
                        Some(d) => self.resolve(d),
                        None => Val::Unknown(format!("`Fn::FindInMap` looks up `{s}`, known only at deploy time")),
                    };
                }
                Val::Unknown(why) => return Val::Unknown(why),
                _ => return self.invalid(pos, "the keys of `Fn::FindInMap` must be strings".to_string()),
            }
        }
        let found = self
            .mappings
            .and_then(|m| m.get(names.first()?.as_str()))
            .and_then(|m| m.get(names.get(1)?.as_str()))
            .and_then(|m| m.get(names.get(2)?.as_str()));
        match (found, default) {
            (Some(v), _) => self.resolve(v),
            (None, Some(d)) => self.resolve(d),
            (None, None) => self.invalid(pos, format!("`Fn::FindInMap`: no entry {}", names.join(" / "))),
        }
    }

    fn if_(&self, arg: &Node, pos: Pos) -> Val {
        let Some([condition, then, otherwise]) = arg.as_seq() else {
            return self.invalid(pos, "`Fn::If` takes [condition, value if true, value if false]".to_string());
        };
        let Some(name) = condition.as_str() else {
            return self.invalid(pos, "`Fn::If` names a condition".to_string());
        };
        match self.condition(name, condition.pos) {
            Truth::Known(true) => self.resolve(then),
            Truth::Known(false) => self.resolve(otherwise),
            Truth::Unknown(why) => {
                let (a, b) = (self.resolve(then), self.resolve(otherwise));
                if a == b { a } else { Val::Unknown(format!("depends on condition `{name}`: {why}")) }
            }
        }
    }

    fn condition(&self, name: &str, pos: Pos) -> Truth {
        if let Some(t) = self.condition_cache.borrow().get(name) {
            return t.clone();
        }
        let Some(node) = self.conditions.get(name) else {
            let message = format!("no condition is named `{name}`");
            self.report(pos, message.clone());
            return Truth::Unknown(message);
        };
        let v = self.guarded(format!("Condition {name}"), pos, || match self.condition_value(node) {
            Truth::Known(b) => Val::Bool(b),
            Truth::Unknown(why) => Val::Unknown(why),
        });
        let t = match v {
            Val::Bool(b) => Truth::Known(b),
            Val::Unknown(why) => Truth::Unknown(why),
            _ => Truth::Unknown(format!("condition `{name}` is not a boolean")),
        };
        self.condition_cache.borrow_mut().insert(name.to_string(), t.clone());
        t
    }

    fn condition_value(&self, node: &Node) -> Truth {
        if let Some([(key, arg)]) = node.as_map() {
            if key.name == "Condition" {
                return match arg.as_str() {
                    Some(name) => self.condition(name, arg.pos),
                    None => Truth::Unknown("`Condition` names a condition".to_string()),
                };
            }
            return self.truth(&key.name, arg, key.pos);
        }
        match self.resolve(node) {
            Val::Bool(b) => Truth::Known(b),
            Val::Str(s) if s == "true" || s == "false" => Truth::Known(s == "true"),
            Val::Unknown(why) => Truth::Unknown(why),
            _ => Truth::Unknown("not a condition".to_string()),
        }
    }

    fn truth(&self, name: &str, arg: &Node, pos: Pos) -> Truth {
        let items = arg.as_seq().unwrap_or_default();
        match name {
            "Fn::Equals" => {
                let [a, b] = items else {
                    self.report(pos, "`Fn::Equals` takes two values".to_string());
                    return Truth::Unknown("`Fn::Equals` takes two values".to_string());
                };
                equals(&self.resolve(a), &self.resolve(b))
            }
            "Fn::Not" => match items {
                [c] => match self.condition_value(c) {
                    Truth::Known(b) => Truth::Known(!b),
                    u => u,
                },
                _ => Truth::Unknown("`Fn::Not` takes one condition".to_string()),
            },
            "Fn::And" | "Fn::Or" => {
                let is_and = name == "Fn::And";
                let mut unknown = None;
                for c in items {
                    match self.condition_value(c) {
                        Truth::Known(b) if b != is_and => return Truth::Known(b),
                        Truth::Known(_) => {}
                        Truth::Unknown(why) => unknown = Some(why),
                    }
                }
                match unknown {
                    Some(why) => Truth::Unknown(why),
                    None => Truth::Known(is_and),
                }
            }
            "Condition" => match arg.as_str() {
                Some(n) => self.condition(n, arg.pos),
                None => Truth::Unknown("`Condition` names a condition".to_string()),
            },
            other => match self.intrinsic(other, arg, pos) {
                Val::Bool(b) => Truth::Known(b),
                Val::Str(s) if s == "true" || s == "false" => Truth::Known(s == "true"),
                Val::Unknown(why) => Truth::Unknown(why),
                _ => Truth::Unknown(format!("`{other}` is not a condition function")),
            },
        }
    }
}

fn equals(a: &Val, b: &Val) -> Truth {
    match (a, b) {
        (Val::Unknown(why), _) | (_, Val::Unknown(why)) => Truth::Unknown(why.clone()),
        (Val::Sym(x), Val::Sym(y)) if x == y => Truth::Known(true),
        (Val::Sym(s), _) | (_, Val::Sym(s)) => Truth::Unknown(format!("`{s}` is known only at deploy time")),
        (x, y) => match (x.text(), y.text()) {
            (Some(x), Some(y)) => Truth::Known(x == y),
            _ => Truth::Known(x == y),
        },
    }
}

/// Text made of literal and deploy-time parts.
#[derive(Default)]
struct Pieces {
    text: String,
    symbolic: bool,
}

impl Pieces {
    fn literal(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn value(&mut self, v: Val) -> Result<(), String> {
        match v {
            Val::Str(s) | Val::Num(s) => self.text.push_str(&s),
            Val::Bool(b) => self.text.push_str(if b { "true" } else { "false" }),
            Val::Sym(s) => {
                self.symbolic = true;
                self.text.push_str(&s);
            }
            Val::Unknown(why) => return Err(why),
            Val::NoValue => {}
            other => return Err(format!("cannot put {} into a string", kind(&other))),
        }
        Ok(())
    }

    fn finish(self) -> Val {
        if self.symbolic { Val::Sym(self.text) } else { Val::Str(self.text) }
    }
}
