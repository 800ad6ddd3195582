//! Reading a policy document from JSON: every shape IAM accepts, and a clear error for every other.

use serde_json::{Map, Value};

use crate::condition::{Condition, Operator};
use crate::pattern::{Mode, Pattern};
use crate::principal::{PrincipalElement, PrincipalEntry, PrincipalKind, PrincipalSet};
use crate::{ActionElement, Effect, Policy, PolicyError, ResourceElement, Statement};

const POLICY_KEYS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_KEYS: [&str; 9] =
    ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];
const VERSIONS: [&str; 2] = ["2012-10-17", "2008-10-17"];

fn error(path: impl Into<String>, message: impl Into<String>) -> PolicyError {
    PolicyError { path: path.into(), message: message.into() }
}

/// How a JSON value reads in a message: `3`, `true`, `null`, `"allow"`, `a list`, `an object`.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.chars().count() > 60 => {
            format!("\"{}...\"", s.chars().take(60).collect::<String>())
        }
        Value::String(s) => format!("\"{s}\""),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// `unknown statement element "effect" (element names are case-sensitive; did you mean "Effect"?)`
fn unknown_key(what: &str, key: &str, known: &[&str]) -> String {
    match known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        Some(k) => {
            format!("unknown {what} \"{key}\" (names are case-sensitive; did you mean \"{k}\"?)")
        }
        None => format!("unknown {what} \"{key}\"; expected one of {}", known.join(", ")),
    }
}

pub(crate) fn parse_policy(value: &Value) -> Result<Policy, PolicyError> {
    let Value::Object(doc) = value else {
        return Err(error("policy", format!("a policy must be a JSON object, found {}", describe(value))));
    };
    if let Some(key) = doc.keys().find(|k| !POLICY_KEYS.contains(&k.as_str())) {
        return Err(error(key.as_str(), unknown_key("policy element", key, &POLICY_KEYS)));
    }
    let version = match doc.get("Version") {
        None => None,
        Some(Value::String(v)) if VERSIONS.contains(&v.as_str()) => Some(v.clone()),
        Some(other) => {
            return Err(error(
                "Version",
                format!("Version must be \"2012-10-17\" or \"2008-10-17\", found {}", describe(other)),
            ));
        }
    };
    let id = optional_string(doc, "Id", "Id")?;
    let variables = version.as_deref() == Some("2012-10-17");
    let statements = match doc.get("Statement") {
        None => {
            return Err(error("Statement", "a policy needs a Statement (an object or a list of objects)"));
        }
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, s)| parse_statement(s, &format!("Statement[{i}]"), variables))
            .collect::<Result<Vec<_>, _>>()?,
        Some(single @ Value::Object(_)) => vec![parse_statement(single, "Statement", variables)?],
        Some(other) => {
            return Err(error(
                "Statement",
                format!("Statement must be an object or a list of objects, found {}", describe(other)),
            ));
        }
    };
    Ok(Policy { version, id, statements })
}

fn optional_string(map: &Map<String, Value>, key: &str, path: &str) -> Result<Option<String>, PolicyError> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(error(path, format!("{key} must be a string, found {}", describe(other)))),
    }
}

fn parse_statement(value: &Value, path: &str, variables: bool) -> Result<Statement, PolicyError> {
    let Value::Object(map) = value else {
        return Err(error(path, format!("a statement must be an object, found {}", describe(value))));
    };
    if let Some(key) = map.keys().find(|k| !STATEMENT_KEYS.contains(&k.as_str())) {
        return Err(error(format!("{path}.{key}"), unknown_key("statement element", key, &STATEMENT_KEYS)));
    }
    let sid = optional_string(map, "Sid", &format!("{path}.Sid"))?;
    let effect = match map.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(other) => {
            return Err(error(
                format!("{path}.Effect"),
                format!("Effect must be \"Allow\" or \"Deny\", found {}", describe(other)),
            ));
        }
        None => {
            return Err(error(path, "a statement needs an Effect (\"Allow\" or \"Deny\")"));
        }
    };
    let principal = match (map.get("Principal"), map.get("NotPrincipal")) {
        (Some(_), Some(_)) => {
            return Err(error(path, "a statement cannot have both Principal and NotPrincipal"));
        }
        (Some(p), None) => Some(PrincipalElement::Principal(parse_principal(p, &format!("{path}.Principal"))?)),
        (None, Some(p)) => Some(PrincipalElement::NotPrincipal(parse_principal(p, &format!("{path}.NotPrincipal"))?)),
        (None, None) => None,
    };
    let action_patterns = |v: &Value, name: &str| -> Result<Vec<Pattern>, PolicyError> {
        let list = string_or_list(v, &format!("{path}.{name}"), name)?;
        Ok(list.iter().map(|a| Pattern::new(a, Mode::ACTION)).collect())
    };
    let action = match (map.get("Action"), map.get("NotAction")) {
        (Some(_), Some(_)) => {
            return Err(error(path, "a statement cannot have both Action and NotAction"));
        }
        (Some(a), None) => ActionElement::Action(action_patterns(a, "Action")?),
        (None, Some(a)) => ActionElement::NotAction(action_patterns(a, "NotAction")?),
        (None, None) => return Err(error(path, "a statement needs an Action or a NotAction")),
    };
    let resource_mode = Mode { wildcards: true, ignore_case: false, arn: false, variables };
    let resource_patterns = |v: &Value, name: &str| -> Result<Vec<Pattern>, PolicyError> {
        let list = string_or_list(v, &format!("{path}.{name}"), name)?;
        Ok(list.iter().map(|r| Pattern::new(r, resource_mode)).collect())
    };
    let resource = match (map.get("Resource"), map.get("NotResource")) {
        (Some(_), Some(_)) => {
            return Err(error(path, "a statement cannot have both Resource and NotResource"));
        }
        (Some(r), None) => Some(ResourceElement::Resource(resource_patterns(r, "Resource")?)),
        (None, Some(r)) => Some(ResourceElement::NotResource(resource_patterns(r, "NotResource")?)),
        (None, None) => None,
    };
    let condition = match map.get("Condition") {
        None => Vec::new(),
        Some(c) => parse_condition(c, &format!("{path}.Condition"), variables)?,
    };
    Ok(Statement { sid, effect, principal, action, resource, condition })
}

/// A string, or a list of strings (possibly empty).
fn string_or_list(value: &Value, path: &str, what: &str) -> Result<Vec<String>, PolicyError> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(error(
                    format!("{path}[{i}]"),
                    format!("{what} entries must be strings, found {}", describe(other)),
                )),
            })
            .collect(),
        other => Err(error(path, format!("{what} must be a string or a list of strings, found {}", describe(other)))),
    }
}

fn parse_principal(value: &Value, path: &str) -> Result<PrincipalSet, PolicyError> {
    let name = path.rsplit('.').next().unwrap_or(path);
    match value {
        Value::String(s) if s == "*" => Ok(PrincipalSet::Everyone),
        Value::Object(map) => {
            let mut entries = Vec::new();
            for (key, v) in map {
                let kind = match key.as_str() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    "CanonicalUser" => PrincipalKind::CanonicalUser,
                    _ => {
                        let known = ["AWS", "Service", "Federated", "CanonicalUser"];
                        return Err(error(format!("{path}.{key}"), unknown_key("principal type", key, &known)));
                    }
                };
                let values = string_or_list(v, &format!("{path}.{key}"), &format!("{name} {key}"))?;
                entries.extend(values.into_iter().map(|value| PrincipalEntry { kind, value }));
            }
            Ok(PrincipalSet::Entries(entries))
        }
        other => Err(error(
            path,
            format!(
                "{name} must be \"*\" or an object such as {{\"AWS\": \"123456789012\"}}, found {}",
                describe(other)
            ),
        )),
    }
}

fn parse_condition(value: &Value, path: &str, variables: bool) -> Result<Vec<Condition>, PolicyError> {
    let Value::Object(block) = value else {
        return Err(error(
            path,
            format!(
                "Condition must be an object of operators such as {{\"Bool\": {{...}}}}, found {}",
                describe(value)
            ),
        ));
    };
    let mut entries = Vec::new();
    for (name, body) in block {
        let op_path = format!("{path}.{name}");
        let Some(operator) = Operator::parse(name) else {
            let message = if name.ends_with("IfExists") && name.contains("Null") {
                "Null cannot take the IfExists suffix".to_owned()
            } else {
                format!("unknown condition operator \"{name}\"")
            };
            return Err(error(op_path, message));
        };
        let Value::Object(keys) = body else {
            return Err(error(
                &op_path,
                format!(
                    "{name} must map condition keys to values, such as {{\"aws:SecureTransport\": \"false\"}}, found {}",
                    describe(body)
                ),
            ));
        };
        for (key, raw) in keys {
            let key_path = format!("{op_path}.{key}");
            let values = condition_values(raw, &key_path)?;
            let entry = Condition::new(operator, key, values, variables).map_err(|m| error(&key_path, m))?;
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// A condition value or list of them, as text: strings as they are, booleans as `true`/`false`, numbers
/// as written (IAM compares them as text, so JSON `false` and `"false"` are the same).
fn condition_values(value: &Value, path: &str) -> Result<Vec<String>, PolicyError> {
    let scalar = |v: &Value, at: &str| match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        other => {
            Err(error(at, format!("condition values must be strings, booleans or numbers, found {}", describe(other))))
        }
    };
    match value {
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| scalar(v, &format!("{path}[{i}]"))).collect(),
        other => Ok(vec![scalar(other, path)?]),
    }
}
