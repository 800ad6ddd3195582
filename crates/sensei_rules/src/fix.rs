//! Writing fixes as code in the syntax of the user's own file.

use sensei_model::{Expr, Syntax};

use crate::Snippet;

/// A small tree of values to print as YAML or JSON: enough for the snippets fixes show.
#[derive(Debug, Clone)]
pub enum Code {
    Expr(Expr),
    /// A scalar written as it is: a number or a boolean.
    Raw(String),
    List(Vec<Code>),
    Map(Vec<(&'static str, Code)>),
}

impl Code {
    pub fn text(s: &str) -> Code {
        Code::Expr(Expr::Literal(s.to_string()))
    }

    pub fn map(entries: Vec<(&'static str, Code)>) -> Code {
        Code::Map(entries)
    }

    /// `true` or `false`, unquoted.
    pub fn bool(value: bool) -> Code {
        Code::Raw(value.to_string())
    }

    /// A number, unquoted.
    pub fn number(value: impl Into<i128>) -> Code {
        Code::Raw(value.into().to_string())
    }

    /// How a scalar is written inline.
    fn inline(&self, syntax: Syntax) -> Option<String> {
        match self {
            Code::Expr(e) => Some(e.render(syntax)),
            Code::Raw(raw) => Some(raw.clone()),
            Code::List(_) | Code::Map(_) => None,
        }
    }

    /// A snippet of this code in `syntax`; live resources get JSON, as the AWS CLI takes it.
    pub fn snippet(&self, syntax: Syntax) -> Snippet {
        match syntax {
            Syntax::Yaml => Snippet { language: "yaml", code: self.yaml() },
            Syntax::Json | Syntax::Live => Snippet { language: "json", code: self.json(0) },
        }
    }

    /// As YAML, in block style.
    pub fn yaml(&self) -> String {
        let mut out = String::new();
        self.write_yaml(0, &mut out);
        out.trim_end().to_string()
    }

    fn write_yaml(&self, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        if let Some(scalar) = self.inline(Syntax::Yaml) {
            out.push_str(&format!("{pad}{scalar}\n"));
            return;
        }
        match self {
            Code::Expr(_) | Code::Raw(_) => {}
            Code::List(items) => {
                for item in items {
                    match item.inline(Syntax::Yaml) {
                        Some(scalar) => out.push_str(&format!("{pad}- {scalar}\n")),
                        None => {
                            let mut inner = String::new();
                            item.write_yaml(indent + 2, &mut inner);
                            // The first line of the nested block takes the dash.
                            let trimmed = inner.get(indent + 2..).unwrap_or_default();
                            out.push_str(&format!("{pad}- {trimmed}"));
                        }
                    }
                }
            }
            Code::Map(entries) => {
                for (key, value) in entries {
                    let key = sensei_model::Expr::Literal((*key).to_string()).render(Syntax::Yaml);
                    match value.inline(Syntax::Yaml) {
                        Some(scalar) => out.push_str(&format!("{pad}{key}: {scalar}\n")),
                        None => {
                            out.push_str(&format!("{pad}{key}:\n"));
                            value.write_yaml(indent + 2, out);
                        }
                    }
                }
            }
        }
    }

    /// As pretty JSON.
    pub fn json(&self, indent: usize) -> String {
        let pad = " ".repeat(indent + 2);
        let end = " ".repeat(indent);
        if let Some(scalar) = self.inline(Syntax::Json) {
            return scalar;
        }
        match self {
            Code::Expr(_) | Code::Raw(_) => String::new(),
            Code::List(items) => {
                let inner: Vec<String> = items.iter().map(|i| format!("{pad}{}", i.json(indent + 2))).collect();
                format!("[\n{}\n{end}]", inner.join(",\n"))
            }
            Code::Map(entries) => {
                let inner: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{pad}{}: {}",
                            sensei_model::Expr::Literal((*k).to_string()).render(Syntax::Json),
                            v.json(indent + 2)
                        )
                    })
                    .collect();
                format!("{{\n{}\n{end}}}", inner.join(",\n"))
            }
        }
    }
}

/// A whole resource to add under the template's `Resources`: `Id:` followed by its body.
pub fn resource_snippet(id: &str, resource: &Code, syntax: Syntax) -> Snippet {
    match syntax {
        Syntax::Yaml => {
            let body: String = resource.yaml().lines().map(|l| format!("  {l}\n")).collect();
            Snippet { language: "yaml", code: format!("{id}:\n{}", body.trim_end()) }
        }
        Syntax::Json | Syntax::Live => Snippet {
            language: "json",
            code: format!("{}: {}", Expr::Literal(id.to_string()).render(Syntax::Json), resource.json(0)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Code {
        Code::map(vec![
            ("Effect", Code::text("Deny")),
            ("Resource", Code::List(vec![Code::Expr(Expr::GetAtt("B".into(), "Arn".into())), Code::text("x")])),
            ("Condition", Code::map(vec![("Bool", Code::map(vec![("aws:SecureTransport", Code::text("false"))]))])),
        ])
    }

    #[test]
    fn yaml_block_style() {
        let statement = Code::List(vec![sample()]);
        assert_eq!(
            statement.yaml(),
            "- Effect: Deny\n  Resource:\n    - !GetAtt B.Arn\n    - x\n  Condition:\n    Bool:\n      aws:SecureTransport: 'false'"
        );
    }

    #[test]
    fn json_is_valid_and_pretty() {
        let json = sample().json(0);
        assert!(json.starts_with("{\n  \"Effect\": \"Deny\","), "{json}");
        assert!(json.contains("{\"Fn::GetAtt\": [\"B\", \"Arn\"]}"));
    }
}
