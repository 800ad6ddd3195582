//! Resolved values: what a template node means once its intrinsic functions are evaluated.

/// A value after intrinsic resolution.
///
/// Strings whose value is only known at deploy time are [`Val::Sym`]: their text holds tokens
/// such as `${AWS::Region}`, `${MyBucket}` (a generated name) or `${MyQueue.Arn}`, so two
/// references to the same thing give the same text, and links between resources can be followed.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    /// Text with deploy-time tokens in it.
    Sym(String),
    List(Vec<Val>),
    Map(Vec<(String, Val)>),
    /// `Ref: AWS::NoValue`: the property is removed.
    NoValue,
    /// Cannot be resolved from the template alone, and why.
    Unknown(String),
}

impl Val {
    /// The text of a string, a number or a symbolic string.
    pub fn text(&self) -> Option<&str> {
        match self {
            Val::Str(s) | Val::Sym(s) | Val::Num(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The first reason this value, or anything inside it, is unknown.
    pub fn unknown_reason(&self) -> Option<&str> {
        match self {
            Val::Unknown(why) => Some(why),
            Val::List(items) => items.iter().find_map(Val::unknown_reason),
            Val::Map(entries) => entries.iter().find_map(|(_, v)| v.unknown_reason()),
            _ => None,
        }
    }

    /// A fully known value as JSON, for parsing policy documents. Deploy-time tokens stay as text,
    /// rewritten by [`sensei_model::symbolic_for_policy`] so that they cannot be mistaken for
    /// policy variables and the partition is the commercial one.
    pub fn to_policy_json(&self) -> Result<serde_json::Value, String> {
        Ok(match self {
            Val::Null | Val::NoValue => serde_json::Value::Null,
            Val::Bool(b) => serde_json::Value::Bool(*b),
            Val::Num(n) => match n.parse::<serde_json::Number>() {
                Ok(n) => serde_json::Value::Number(n),
                Err(_) => serde_json::Value::String(n.clone()),
            },
            Val::Str(s) => serde_json::Value::String(s.clone()),
            Val::Sym(s) => serde_json::Value::String(sensei_model::symbolic_for_policy(s)),
            Val::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if *item != Val::NoValue {
                        out.push(item.to_policy_json()?);
                    }
                }
                serde_json::Value::Array(out)
            }
            Val::Map(entries) => {
                let mut out = serde_json::Map::with_capacity(entries.len());
                for (k, v) in entries {
                    if *v != Val::NoValue {
                        out.insert(k.clone(), v.to_policy_json()?);
                    }
                }
                serde_json::Value::Object(out)
            }
            Val::Unknown(why) => return Err(why.clone()),
        })
    }
}
