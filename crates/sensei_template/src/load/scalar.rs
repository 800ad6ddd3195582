//! Scalars by the YAML 1.2 core schema, and the tags a template may use.

use std::borrow::Cow;

/// What a plain (unquoted, untagged) scalar means under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Plain {
    Null,
    Bool(bool),
    Number,
    String,
}

pub(super) fn resolve_plain(s: &str) -> Plain {
    // Most scalars in a template are names and text: decide those on the first byte.
    match s.as_bytes().first() {
        None => return Plain::Null,
        Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F') => {}
        Some(_) => return Plain::String,
    }
    if is_null(s) {
        Plain::Null
    } else if let Some(b) = as_bool(s) {
        Plain::Bool(b)
    } else if is_int(s) || is_float(s) {
        Plain::Number
    } else {
        Plain::String
    }
}

pub(super) fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

pub(super) fn as_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn all_digits(s: &str, radix: u32) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_digit(radix))
}

/// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
pub(super) fn is_int(s: &str) -> bool {
    if let Some(oct) = s.strip_prefix("0o") {
        return all_digits(oct, 8);
    }
    if let Some(hex) = s.strip_prefix("0x") {
        return all_digits(hex, 16);
    }
    all_digits(s.strip_prefix(['-', '+']).unwrap_or(s), 10)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.(inf|Inf|INF)` or
/// `\.(nan|NaN|NAN)`.
pub(super) fn is_float(s: &str) -> bool {
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (unsigned.get(..at).unwrap_or(""), unsigned.get(at + 1..)),
        None => (unsigned, None),
    };
    if let Some(exp) = exponent
        && !all_digits(exp.strip_prefix(['-', '+']).unwrap_or(exp), 10)
    {
        return false;
    }
    match mantissa.split_once('.') {
        Some(("", frac)) => all_digits(frac, 10),
        Some((int, frac)) => all_digits(int, 10) && (frac.is_empty() || all_digits(frac, 10)),
        None => all_digits(mantissa, 10),
    }
}

/// A tag as the parser reports it, sorted out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TagKind {
    /// `!!str`, `!!int`…: a tag of the YAML core schema (`tag:yaml.org,2002:`), by its suffix.
    Core(&'static str),
    /// `!Ref`, `!Sub`…: the long-form key it stands for.
    Intrinsic(Cow<'static, str>),
    /// The non-specific tag `!`: the value is a string (or the collection as written).
    NonSpecific,
    /// Anything else, written as the user would (`!Foo`, `!!binary`).
    Unknown(String),
}

const CORE: &str = "tag:yaml.org,2002:";

pub(super) fn classify(handle: &str, suffix: &str) -> TagKind {
    let local = if handle == "!" {
        Some(suffix)
    } else if handle.is_empty() {
        if suffix == "!" {
            return TagKind::NonSpecific;
        }
        suffix.strip_prefix('!')
    } else {
        None
    };
    if let Some(name) = local {
        return match intrinsic(name) {
            Some(key) => TagKind::Intrinsic(key),
            None => TagKind::Unknown(format!("!{name}")),
        };
    }
    let core = if handle == CORE {
        Some(suffix)
    } else if handle.is_empty() {
        suffix.strip_prefix(CORE)
    } else {
        None
    };
    match core {
        Some(name @ ("str" | "int" | "bool" | "float" | "null" | "map" | "seq")) => TagKind::Core(core_name(name)),
        Some(name) => TagKind::Unknown(format!("!!{name}")),
        None if handle.is_empty() => TagKind::Unknown(format!("!<{suffix}>")),
        None => TagKind::Unknown(format!("!<{handle}{suffix}>")),
    }
}

fn core_name(name: &str) -> &'static str {
    match name {
        "str" => "str",
        "int" => "int",
        "bool" => "bool",
        "float" => "float",
        "null" => "null",
        "map" => "map",
        _ => "seq",
    }
}

/// The long-form key of a CloudFormation short-form tag (without its `!`).
fn intrinsic(name: &str) -> Option<Cow<'static, str>> {
    let key = match name {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "GetAtt" => "Fn::GetAtt",
        "Sub" => "Fn::Sub",
        "Join" => "Fn::Join",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "If" => "Fn::If",
        "Equals" => "Fn::Equals",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "FindInMap" => "Fn::FindInMap",
        "ImportValue" => "Fn::ImportValue",
        "GetAZs" => "Fn::GetAZs",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "Transform" => "Fn::Transform",
        "Length" => "Fn::Length",
        "ToJsonString" => "Fn::ToJsonString",
        // Rule functions, valid in a template's `Rules` section.
        "Contains" => "Fn::Contains",
        "EachMemberEquals" => "Fn::EachMemberEquals",
        "EachMemberIn" => "Fn::EachMemberIn",
        "RefAll" => "Fn::RefAll",
        "ValueOf" => "Fn::ValueOf",
        "ValueOfAll" => "Fn::ValueOfAll",
        // Rain directives (`!Rain::Embed file`) are the short form of `Rain::Embed: file`.
        rain if rain.len() > "Rain::".len() && rain.starts_with("Rain::") => {
            return Some(Cow::Owned(rain.to_owned()));
        }
        _ => return None,
    };
    Some(Cow::Borrowed(key))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn core_schema() {
        for s in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve_plain(s), Plain::Null, "{s:?}");
        }
        for s in ["true", "True", "TRUE"] {
            assert_eq!(resolve_plain(s), Plain::Bool(true), "{s:?}");
        }
        for s in ["false", "False", "FALSE"] {
            assert_eq!(resolve_plain(s), Plain::Bool(false), "{s:?}");
        }
        for s in [
            "0", "10", "-5", "+5", "010", "0o17", "0x1F", "0xff", "1.5", "-1.5", ".5", "1.", "1e3", "1E-3", "+1.5e+10",
            ".inf", "-.Inf", "+.INF", ".nan", ".NaN", ".NAN",
        ] {
            assert_eq!(resolve_plain(s), Plain::Number, "{s:?}");
        }
        for s in [
            "2010-09-09",
            "yes",
            "no",
            "on",
            "off",
            "nULL",
            "tRue",
            "1_000",
            "0x",
            "0o8",
            "0b1",
            "1.2.3",
            "e3",
            "1e",
            "-",
            "+",
            ".",
            "..",
            "-.nan",
            "1:30",
            "12e3.5",
            "Ref",
            "0xG",
            "--1",
            "1.5f",
            ".e3",
        ] {
            assert_eq!(resolve_plain(s), Plain::String, "{s:?}");
        }
    }

    #[test]
    fn tags() {
        assert_eq!(classify("!", "Ref"), TagKind::Intrinsic(Cow::Borrowed("Ref")));
        assert_eq!(classify("!", "GetAtt"), TagKind::Intrinsic(Cow::Borrowed("Fn::GetAtt")));
        assert_eq!(classify("", "!If"), TagKind::Intrinsic(Cow::Borrowed("Fn::If")));
        assert_eq!(classify("!", "Rain::Embed"), TagKind::Intrinsic(Cow::Owned("Rain::Embed".into())));
        assert_eq!(classify(CORE, "str"), TagKind::Core("str"));
        assert_eq!(classify("", "tag:yaml.org,2002:int"), TagKind::Core("int"));
        assert_eq!(classify("", "!"), TagKind::NonSpecific);
        assert_eq!(classify("!", "Foo"), TagKind::Unknown("!Foo".into()));
        assert_eq!(classify("!", "Rain::"), TagKind::Unknown("!Rain::".into()));
        assert_eq!(classify(CORE, "binary"), TagKind::Unknown("!!binary".into()));
        assert_eq!(classify("", "tag:example.com:x"), TagKind::Unknown("!<tag:example.com:x>".into()));
    }
}
