use std::fmt::Write as _;

/// The syntax a source was written in, so that a fix reads like the user's own file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// YAML with short-form tags (`!GetAtt B.Arn`).
    Yaml,
    /// JSON with long-form intrinsics (`{"Fn::GetAtt": ["B", "Arn"]}`).
    Json,
    /// A deployed resource: values are real strings (ARNs).
    Live,
}

/// A value as a fix writes it: a literal, or an intrinsic function of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Literal(String),
    Ref(String),
    GetAtt(String, String),
    Sub(String),
}

impl Expr {
    /// The expression as it is written inline in `syntax` (a YAML flow value or a JSON value).
    pub fn render(&self, syntax: Syntax) -> String {
        match (self, syntax) {
            (Expr::Literal(s), Syntax::Json) => json_string(s),
            (Expr::Literal(s), _) => yaml_string(s),
            (Expr::Ref(id), Syntax::Json) => format!("{{\"Ref\": {}}}", json_string(id)),
            (Expr::Ref(id), _) => format!("!Ref {id}"),
            (Expr::GetAtt(id, attr), Syntax::Json) => {
                format!("{{\"Fn::GetAtt\": [{}, {}]}}", json_string(id), json_string(attr))
            }
            (Expr::GetAtt(id, attr), _) => format!("!GetAtt {id}.{attr}"),
            (Expr::Sub(s), Syntax::Json) => format!("{{\"Fn::Sub\": {}}}", json_string(s)),
            (Expr::Sub(s), _) => format!("!Sub {}", yaml_string(s)),
        }
    }
}

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML scalar: plain when that is safe, single-quoted otherwise.
pub fn yaml_string(s: &str) -> String {
    let plain_safe = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c))
        && !s.starts_with(['-', ':', '.'])
        && !matches!(s, "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~")
        && s.parse::<f64>().is_err()
        && !looks_like_date(s);
    if plain_safe { s.to_string() } else { format!("'{}'", s.replace('\'', "''")) }
}

/// `2012-10-17`: YAML 1.1 readers (PyYAML, so the AWS CLI and cfn-lint) take it for a date.
fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b.iter().take(4).all(u8::is_ascii_digit)
        && b.get(4) == Some(&b'-')
        && b.get(5..7).is_some_and(|m| m.iter().all(u8::is_ascii_digit))
        && b.get(7) == Some(&b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_each_syntax() {
        let e = Expr::GetAtt("Bucket".into(), "Arn".into());
        assert_eq!(e.render(Syntax::Yaml), "!GetAtt Bucket.Arn");
        assert_eq!(e.render(Syntax::Json), r#"{"Fn::GetAtt": ["Bucket", "Arn"]}"#);
        let s = Expr::Sub("${Bucket.Arn}/*".into());
        assert_eq!(s.render(Syntax::Yaml), "!Sub '${Bucket.Arn}/*'");
        assert_eq!(s.render(Syntax::Json), r#"{"Fn::Sub": "${Bucket.Arn}/*"}"#);
        assert_eq!(Expr::Literal("true".into()).render(Syntax::Yaml), "'true'");
        assert_eq!(Expr::Literal("2012-10-17".into()).render(Syntax::Yaml), "'2012-10-17'");
        assert_eq!(Expr::Literal("arn:aws:s3:::b".into()).render(Syntax::Live), "arn:aws:s3:::b");
    }
}
