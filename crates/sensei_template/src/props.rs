//! Reading a resource's properties into typed, honest settings.

use sensei_model::{Policy, Provenance, Setting};

use crate::node::Node;
use crate::template::Template;
use crate::value::Val;

/// The properties of one resource (and, for SAM resources, the `Globals` they inherit).
#[derive(Clone, Copy)]
pub struct Props<'t, 'n> {
    pub template: &'t Template<'n>,
    pub node: Option<&'n Node>,
    pub globals: Option<&'n Node>,
}

impl<'t, 'n> Props<'t, 'n> {
    pub fn new(template: &'t Template<'n>, body: &'n Node) -> Self {
        Props { template, node: body.get("Properties"), globals: None }
    }

    pub fn with_globals(mut self, globals: Option<&'n Node>) -> Self {
        self.globals = globals;
        self
    }

    /// The node of a property and where its value comes from.
    pub fn raw(&self, name: &str) -> Option<(&'n Node, Provenance)> {
        if let Some(n) = self.node.and_then(|p| p.get(name)) {
            return Some((n, Provenance::Declared(self.template.location(n.pos))));
        }
        self.globals.and_then(|g| g.get(name)).map(|n| (n, Provenance::Globals(self.template.location(n.pos))))
    }

    /// A property's resolved value, or `None` when it is absent (or `AWS::NoValue`).
    pub fn value(&self, name: &str) -> Option<(Val, Provenance)> {
        let (node, prov) = self.raw(name)?;
        match self.template.resolve(node) {
            Val::NoValue => None,
            v => Some((v, prov)),
        }
    }

    /// The properties of a nested mapping property.
    pub fn nested(&self, name: &str) -> Props<'t, 'n> {
        Props {
            template: self.template,
            node: self.node.and_then(|p| p.get(name)),
            globals: self.globals.and_then(|g| g.get(name)),
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    /// A string property; deploy-time text (`${Param}`) is kept as text.
    pub fn text(&self, name: &str) -> Setting<Option<String>> {
        text_of(name, self.value(name))
    }

    /// A string property whose exact value matters: deploy-time text is unknown.
    pub fn literal(&self, name: &str) -> Setting<Option<String>> {
        literal_of(name, self.value(name))
    }

    pub fn literal_or(&self, name: &str, default: &str) -> Setting<String> {
        match self.literal(name) {
            Setting::Known(Some(s), prov) => Setting::Known(s, prov),
            Setting::Known(None, _) => Setting::default_value(default.to_string()),
            Setting::Unknown(why) => Setting::Unknown(why),
        }
    }

    pub fn bool_or(&self, name: &str, default: bool) -> Setting<bool> {
        bool_of(name, self.value(name), default)
    }

    pub fn number(&self, name: &str) -> Setting<Option<u32>> {
        match self.value(name) {
            None => Setting::absent(),
            Some((v, prov)) => match v {
                Val::Num(s) | Val::Str(s) => match s.trim().parse::<u32>() {
                    Ok(n) => Setting::Known(Some(n), prov),
                    Err(_) => Setting::Unknown(format!("`{name}` is `{s}`, not a whole number")),
                },
                Val::Sym(s) => Setting::Unknown(format!("`{name}` is `{s}`, known only at deploy time")),
                Val::Unknown(why) => Setting::Unknown(why),
                other => Setting::Unknown(format!("`{name}` should be a number, found {}", kind(&other))),
            },
        }
    }

    pub fn number_or(&self, name: &str, default: u32) -> Setting<u32> {
        match self.number(name) {
            Setting::Known(Some(n), prov) => Setting::Known(n, prov),
            Setting::Known(None, _) => Setting::default_value(default),
            Setting::Unknown(why) => Setting::Unknown(why),
        }
    }

    /// A list of strings; absent is empty.
    pub fn texts(&self, name: &str) -> Setting<Vec<String>> {
        texts_of(name, self.value(name))
    }

    /// An IAM policy document. A malformed one is reported where it is written.
    pub fn policy(&self, name: &str) -> Setting<Policy> {
        match self.raw(name) {
            None => Setting::Unknown(format!("`{name}` is missing")),
            Some((node, prov)) => policy_of(self.template, node, prov),
        }
    }
}

/// A property value once resolved, and where it came from; `None` when absent.
pub type Field = Option<(Val, Provenance)>;

/// A string; deploy-time text (`${Param}`) is kept as text.
pub fn text_of(name: &str, f: Field) -> Setting<Option<String>> {
    match f {
        None => Setting::absent(),
        Some((Val::Str(s) | Val::Sym(s) | Val::Num(s), prov)) => Setting::Known(Some(s), prov),
        Some((Val::Unknown(why), _)) => Setting::Unknown(why),
        Some((other, _)) => Setting::Unknown(format!("`{name}` should be a string, found {}", kind(&other))),
    }
}

/// A string whose exact value matters: deploy-time text is unknown.
pub fn literal_of(name: &str, f: Field) -> Setting<Option<String>> {
    match f {
        Some((Val::Sym(s), _)) => Setting::Unknown(format!("`{name}` is `{s}`, known only at deploy time")),
        f => text_of(name, f),
    }
}

pub fn bool_of(name: &str, f: Field, default: bool) -> Setting<bool> {
    match f {
        None => Setting::default_value(default),
        Some((v, prov)) => match as_bool(&v) {
            Ok(b) => Setting::Known(b, prov),
            Err(why) => Setting::Unknown(format!("`{name}`: {why}")),
        },
    }
}

/// A list of strings (a single string is a list of one); absent is empty.
pub fn texts_of(name: &str, f: Field) -> Setting<Vec<String>> {
    match f {
        None => Setting::default_value(Vec::new()),
        Some((Val::List(items), prov)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Val::Str(s) | Val::Sym(s) | Val::Num(s) => out.push(s),
                    Val::Unknown(why) => return Setting::Unknown(why),
                    other => return Setting::Unknown(format!("`{name}` holds {}", kind(&other))),
                }
            }
            Setting::Known(out, prov)
        }
        Some((Val::Str(s) | Val::Sym(s), prov)) => Setting::Known(vec![s], prov),
        Some((Val::Unknown(why), _)) => Setting::Unknown(why),
        Some((other, _)) => Setting::Unknown(format!("`{name}` should be a list, found {}", kind(&other))),
    }
}

/// Resolves and parses the policy document at `node`.
pub fn policy_of(template: &Template<'_>, node: &Node, prov: Provenance) -> Setting<Policy> {
    let value = template.resolve(node);
    let json = match &value {
        // A policy given as a JSON string (common in older templates and in live data).
        Val::Str(s) => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(j) => Ok(j),
            Err(e) => Err(format!("the policy is a string that is not JSON: {e}")),
        },
        Val::Sym(s) => serde_json::from_str::<serde_json::Value>(&sensei_model::symbolic_for_policy(s))
            .map_err(|e| format!("the policy is a string that is not JSON: {e}")),
        v => v.to_policy_json(),
    };
    match json {
        Err(why) => Setting::Unknown(format!("the policy document cannot be resolved: {why}")),
        Ok(json) => match Policy::from_json(&json) {
            Ok(policy) => Setting::Known(policy, prov),
            Err(e) => {
                let message = format!("malformed policy document: {e}");
                template.report(node.pos, message.clone());
                Setting::Unknown(message)
            }
        },
    }
}

/// CloudFormation accepts `true`, `"true"` and `"True"` alike.
pub fn as_bool(v: &Val) -> Result<bool, String> {
    match v {
        Val::Bool(b) => Ok(*b),
        Val::Str(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Val::Str(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        Val::Sym(s) => Err(format!("`{s}` is known only at deploy time")),
        Val::Unknown(why) => Err(why.clone()),
        other => Err(format!("expected true or false, found {}", kind(other))),
    }
}

pub fn kind(v: &Val) -> &'static str {
    match v {
        Val::Null | Val::NoValue => "null",
        Val::Bool(_) => "a boolean",
        Val::Num(_) => "a number",
        Val::Str(_) | Val::Sym(_) => "a string",
        Val::List(_) => "a list",
        Val::Map(_) => "a mapping",
        Val::Unknown(_) => "an unknown value",
    }
}
