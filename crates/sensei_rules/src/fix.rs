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

    /// Writes the block at `indent` spaces straight into `out` (rules write thousands of these for
    /// a large template).
    fn write_yaml(&self, indent: usize, out: &mut String) {
        let pad = |out: &mut String| out.extend(std::iter::repeat_n(' ', indent));
        if let Some(scalar) = self.inline(Syntax::Yaml) {
            pad(out);
            out.push_str(&scalar);
            out.push('\n');
            return;
        }
        match self {
            Code::Expr(_) | Code::Raw(_) => {}
            Code::List(items) => {
                for item in items {
                    match item.inline(Syntax::Yaml) {
                        Some(scalar) => {
                            pad(out);
                            out.push_str("- ");
                            out.push_str(&scalar);
                            out.push('\n');
                        }
                        None => {
                            // The first line of the nested block takes the dash: its first
                            // `indent + 2` characters, spaces, become the pad and `- `.
                            let start = out.len();
                            item.write_yaml(indent + 2, out);
                            if out.len() >= start + indent + 2 {
                                out.replace_range(start + indent..start + indent + 2, "- ");
                            } else {
                                out.truncate(start);
                                pad(out);
                                out.push_str("- ");
                            }
                        }
                    }
                }
            }
            Code::Map(entries) => {
                for (key, value) in entries {
                    pad(out);
                    out.push_str(&sensei_model::Expr::Literal((*key).to_string()).render(Syntax::Yaml));
                    match value.inline(Syntax::Yaml) {
                        Some(scalar) => {
                            out.push_str(": ");
                            out.push_str(&scalar);
                            out.push('\n');
                        }
                        None => {
                            out.push_str(":\n");
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
            let mut code = format!("{id}:\n");
            let head = code.len();
            for line in resource.yaml().lines() {
                code.push_str("  ");
                code.push_str(line);
                code.push('\n');
            }
            let body = code.get(head..).map_or(0, |body| body.trim_end().len());
            code.truncate(head + body);
            Snippet { language: "yaml", code }
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
    fn nested_lists_take_the_dash_and_empty_blocks_write_nothing() {
        let nested = Code::List(vec![
            Code::List(vec![
                Code::text("a"),
                Code::map(vec![("k", Code::List(vec![Code::text("b"), Code::map(vec![("x", Code::text("y"))])]))]),
            ]),
            Code::map(vec![]),
            Code::List(vec![]),
            Code::map(vec![("e", Code::List(vec![])), ("f", Code::bool(true))]),
        ]);
        assert_eq!(nested.yaml(), "- - a\n  - k:\n      - b\n      - x: y\n- - - e:\n  f: true");
        let queue = Code::map(vec![("Type", Code::text("AWS::SQS::Queue")), ("Properties", Code::map(vec![]))]);
        assert_eq!(resource_snippet("Id", &queue, Syntax::Yaml).code, "Id:\n  Type: AWS::SQS::Queue\n  Properties:");
        assert_eq!(resource_snippet("Id", &Code::map(vec![]), Syntax::Yaml).code, "Id:\n");
    }

    #[test]
    fn json_is_valid_and_pretty() {
        let json = sample().json(0);
        assert!(json.starts_with("{\n  \"Effect\": \"Deny\","), "{json}");
        assert!(json.contains("{\"Fn::GetAtt\": [\"B\", \"Arn\"]}"));
    }
}
