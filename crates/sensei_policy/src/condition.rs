//! The `Condition` block: operators, their qualifiers and suffix, typed values, and how one entry is decided
//! against the request's values for its key.

use std::fmt;

use crate::pattern::{Mode, Pattern};
use crate::values::{self, Cidr};

/// `ForAllValues:` or `ForAnyValue:` before an operator: compare a multi-valued key as a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// Every request value must match some policy value; true when the key is absent.
    ForAllValues,
    /// Some request value must match some policy value; false when the key is absent.
    ForAnyValue,
}

/// A condition operator without its qualifier or `IfExists` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorKind {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// The kind of value an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl OperatorKind {
    pub const ALL: [OperatorKind; 27] = {
        use OperatorKind::*;
        [
            StringEquals,
            StringNotEquals,
            StringEqualsIgnoreCase,
            StringNotEqualsIgnoreCase,
            StringLike,
            StringNotLike,
            NumericEquals,
            NumericNotEquals,
            NumericLessThan,
            NumericLessThanEquals,
            NumericGreaterThan,
            NumericGreaterThanEquals,
            DateEquals,
            DateNotEquals,
            DateLessThan,
            DateLessThanEquals,
            DateGreaterThan,
            DateGreaterThanEquals,
            Bool,
            BinaryEquals,
            IpAddress,
            NotIpAddress,
            ArnEquals,
            ArnLike,
            ArnNotEquals,
            ArnNotLike,
            Null,
        ]
    };

    /// The name as IAM spells it.
    pub fn name(self) -> &'static str {
        use OperatorKind::*;
        match self {
            StringEquals => "StringEquals",
            StringNotEquals => "StringNotEquals",
            StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            StringLike => "StringLike",
            StringNotLike => "StringNotLike",
            NumericEquals => "NumericEquals",
            NumericNotEquals => "NumericNotEquals",
            NumericLessThan => "NumericLessThan",
            NumericLessThanEquals => "NumericLessThanEquals",
            NumericGreaterThan => "NumericGreaterThan",
            NumericGreaterThanEquals => "NumericGreaterThanEquals",
            DateEquals => "DateEquals",
            DateNotEquals => "DateNotEquals",
            DateLessThan => "DateLessThan",
            DateLessThanEquals => "DateLessThanEquals",
            DateGreaterThan => "DateGreaterThan",
            DateGreaterThanEquals => "DateGreaterThanEquals",
            Bool => "Bool",
            BinaryEquals => "BinaryEquals",
            IpAddress => "IpAddress",
            NotIpAddress => "NotIpAddress",
            ArnEquals => "ArnEquals",
            ArnLike => "ArnLike",
            ArnNotEquals => "ArnNotEquals",
            ArnNotLike => "ArnNotLike",
            Null => "Null",
        }
    }

    /// Negated operators hold when no request value matches any policy value, and when the key is absent.
    pub fn is_negated(self) -> bool {
        use OperatorKind::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    pub(crate) fn family(self) -> Family {
        use OperatorKind::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => Family::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => Family::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Family::Date,
            Bool => Family::Bool,
            BinaryEquals => Family::Binary,
            IpAddress | NotIpAddress => Family::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Family::Arn,
            Null => Family::Null,
        }
    }

    /// How the request value `x` compares to the policy constant `c` for ordered families.
    fn compare<T: PartialOrd>(self, x: T, c: T) -> bool {
        use OperatorKind::*;
        match self {
            NumericLessThan | DateLessThan => x < c,
            NumericLessThanEquals | DateLessThanEquals => x <= c,
            NumericGreaterThan | DateGreaterThan => x > c,
            NumericGreaterThanEquals | DateGreaterThanEquals => x >= c,
            _ => x == c,
        }
    }

    /// How text values of this operator are read as patterns.
    fn text_mode(self, variables: bool) -> Mode {
        use OperatorKind::*;
        let (wildcards, ignore_case, arn) = match self {
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => (false, true, false),
            StringLike | StringNotLike => (true, false, false),
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => (true, false, true),
            _ => (false, false, false),
        };
        Mode { wildcards, ignore_case, arn, variables }
    }
}

/// A full operator as written: `ForAnyValue:StringLikeIfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    pub qualifier: Option<SetQualifier>,
    pub kind: OperatorKind,
    /// `...IfExists`: the entry holds when the key is absent.
    pub if_exists: bool,
}

impl Operator {
    /// Reads an operator name. Names are matched ignoring case (a policy written `stringLike` is read as
    /// `StringLike`); `None` for an unknown name or for `NullIfExists`, which IAM does not have.
    pub fn parse(name: &str) -> Option<Operator> {
        let (qualifier, rest) = match name.split_once(':') {
            Some((q, rest)) if q.eq_ignore_ascii_case("ForAllValues") => (Some(SetQualifier::ForAllValues), rest),
            Some((q, rest)) if q.eq_ignore_ascii_case("ForAnyValue") => (Some(SetQualifier::ForAnyValue), rest),
            Some(_) => return None,
            None => (None, name),
        };
        let find = |n: &str| OperatorKind::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(n));
        if let Some(kind) = find(rest) {
            return Some(Operator { qualifier, kind, if_exists: false });
        }
        let base = rest.len().checked_sub("IfExists".len()).and_then(|at| {
            let (base, suffix) = (rest.get(..at)?, rest.get(at..)?);
            suffix.eq_ignore_ascii_case("IfExists").then_some(base)
        })?;
        let kind = find(base).filter(|k| *k != OperatorKind::Null)?;
        Some(Operator { qualifier, kind, if_exists: true })
    }

    pub fn is_negated(&self) -> bool {
        self.kind.is_negated()
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            None => {}
        }
        f.write_str(self.kind.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// One entry of a Condition block: an operator, a key and the values (ORed) it compares against.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: Operator,
    /// The context key as written; compared case-insensitively.
    pub key: String,
    /// The values as text, coerced as IAM does: JSON `false` is `"false"`, `1` is `"1"`.
    pub values: Vec<String>,
    constants: Vec<Constant>,
}

/// A policy value read for its operator's family. `None` inside means the text is not a valid value of the
/// family (for example a deploy-time `${Param}` placeholder); such a value matches nothing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Constant {
    Text(Pattern),
    Number(Option<f64>),
    Date(Option<i64>),
    Bool(String),
    Binary(String),
    Ip(Option<Cidr>),
    Null(Option<bool>),
}

impl Condition {
    /// Builds an entry, reading each value for the operator's family. Values that are plainly invalid
    /// (not a number for `Numeric*`, not a date, not an address, not true/false for `Null`) are an error,
    /// unless they hold a `${...}` placeholder whose value is only known at deploy time.
    pub(crate) fn new(
        operator: Operator,
        key: &str,
        values: Vec<String>,
        variables: bool,
    ) -> Result<Condition, String> {
        let kind = operator.kind;
        let mut constants = Vec::with_capacity(values.len());
        for text in &values {
            let placeholder = text.contains("${");
            let invalid = |what: &str| Err(format!("{} value \"{text}\" is not {what}", kind.name()));
            let constant = match kind.family() {
                Family::String | Family::Arn => Constant::Text(Pattern::new(text, kind.text_mode(variables))),
                Family::Binary => Constant::Binary(text.clone()),
                Family::Bool => Constant::Bool(text.trim().to_ascii_lowercase()),
                Family::Numeric => match values::parse_number(text) {
                    None if !placeholder => return invalid("a number"),
                    n => Constant::Number(n),
                },
                Family::Date => match values::parse_date(text) {
                    None if !placeholder => return invalid("an ISO 8601 date or epoch time"),
                    d => Constant::Date(d),
                },
                Family::Ip => match values::parse_cidr(text) {
                    None if !placeholder => return invalid("an IP address or CIDR range"),
                    c => Constant::Ip(c),
                },
                Family::Null => match text.trim().to_ascii_lowercase().as_str() {
                    "true" => Constant::Null(Some(true)),
                    "false" => Constant::Null(Some(false)),
                    _ if placeholder => Constant::Null(None),
                    _ => {
                        return Err(format!("Null value must be \"true\" or \"false\", found \"{text}\""));
                    }
                },
            };
            constants.push(constant);
        }
        Ok(Condition { operator, key: key.to_owned(), values, constants })
    }

    pub(crate) fn constants(&self) -> &[Constant] {
        &self.constants
    }

    pub(crate) fn family(&self) -> Family {
        self.operator.kind.family()
    }

    /// Whether the entry holds, given the request's values for its key (empty when the key is absent) and
    /// policy variables from `vars`.
    pub(crate) fn holds(&self, values: &[&str], vars: &dyn Fn(&str) -> Option<String>) -> bool {
        let op = self.operator;
        if op.kind == OperatorKind::Null {
            let present = !values.is_empty();
            return self.constants.iter().any(|c| match c {
                Constant::Null(Some(wants_absent)) => *wants_absent != present,
                _ => false,
            });
        }
        if values.is_empty() {
            return op.if_exists
                || match op.qualifier {
                    Some(SetQualifier::ForAllValues) => true,
                    Some(SetQualifier::ForAnyValue) => false,
                    None => op.is_negated(),
                };
        }
        let matches_any = |v: &&str| self.constants.iter().any(|c| self.base(v, c, vars));
        match (op.qualifier, op.is_negated()) {
            (None | Some(SetQualifier::ForAnyValue), false) => values.iter().any(matches_any),
            (None, true) => !values.iter().any(matches_any),
            (Some(SetQualifier::ForAnyValue), true) => !values.iter().all(matches_any),
            (Some(SetQualifier::ForAllValues), false) => values.iter().all(matches_any),
            (Some(SetQualifier::ForAllValues), true) => !values.iter().any(matches_any),
        }
    }

    /// For each policy value, whether the request value `value` matches it (before any negation).
    pub(crate) fn base_matches(&self, value: &str, vars: &dyn Fn(&str) -> Option<String>) -> Vec<bool> {
        self.constants.iter().map(|c| self.base(value, c, vars)).collect()
    }

    /// The positive comparison of one request value with one policy value.
    fn base(&self, value: &str, constant: &Constant, vars: &dyn Fn(&str) -> Option<String>) -> bool {
        let kind = self.operator.kind;
        match constant {
            Constant::Text(pattern) => pattern.matches_with(value, vars),
            Constant::Binary(b) => value == b,
            Constant::Bool(b) => value.trim().eq_ignore_ascii_case(b),
            Constant::Number(Some(c)) => values::parse_number(value).is_some_and(|x| kind.compare(x, *c)),
            Constant::Date(Some(c)) => values::parse_date(value).is_some_and(|x| kind.compare(x, *c)),
            Constant::Ip(Some(cidr)) => values::parse_ip(value).is_some_and(|ip| cidr.contains(ip)),
            Constant::Number(None) | Constant::Date(None) | Constant::Ip(None) | Constant::Null(_) => false,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn operator_names() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.kind, OperatorKind::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.to_string(), "ForAnyValue:StringLikeIfExists");
        assert_eq!(Operator::parse("stringlike").map(|o| o.kind), Some(OperatorKind::StringLike));
        assert!(Operator::parse("NullIfExists").is_none());
        assert!(Operator::parse("StringEqualz").is_none());
        assert!(Operator::parse("ForSomeValues:StringEquals").is_none());
        assert!(Operator::parse("IfExists").is_none());
        for kind in OperatorKind::ALL {
            assert_eq!(Operator::parse(kind.name()).map(|o| o.kind), Some(kind));
        }
    }
}
