//! Writing fixes as code in the syntax of the user's own file.

use sensei_model::{Expr, Syntax};

use crate::Snippet;

/// A small tree of values to print as YAML or JSON: enough for the snippets fixes show.
#[derive(Debug, Clone)]
pub enum Code {
    Expr(Expr),
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
        match self {
            Code::Expr(e) => {
                out.push_str(&pad);
                out.push_str(&e.render(Syntax::Yaml));
                out.push('\n');
            }
            Code::List(items) => {
                for item in items {
                    match item {
                        Code::Expr(e) => {
                            out.push_str(&format!("{pad}- {}\n", e.render(Syntax::Yaml)));
                        }
                        nested => {
                            let mut inner = String::new();
                            nested.write_yaml(indent + 2, &mut inner);
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
                    match value {
                        Code::Expr(e) => out.push_str(&format!("{pad}{key}: {}\n", e.render(Syntax::Yaml))),
                        nested => {
                            out.push_str(&format!("{pad}{key}:\n"));
                            nested.write_yaml(indent + 2, out);
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
        match self {
            Code::Expr(e) => e.render(Syntax::Json),
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
