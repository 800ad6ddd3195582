//! Patterns as written in a policy: literal text, the wildcards `*` and `?`, and policy variables
//! (`${aws:username}`), resolved against a request into a [`Glob`] that can be matched or explored.

use std::borrow::Cow;
use std::fmt;

/// How a pattern is read and matched; fixed by where it appears in the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Mode {
    /// `*` and `?` are wildcards (Action, Resource, `StringLike`, `Arn*`); otherwise literal characters.
    pub wildcards: bool,
    /// Compare ignoring case (actions, `StringEqualsIgnoreCase`).
    pub ignore_case: bool,
    /// ARN matching: each of the six colon-separated parts is matched on its own (`Arn*` operators).
    pub arn: bool,
    /// `${prefix:name}` is a policy variable (Version `2012-10-17`, in Resource and string/ARN conditions).
    pub variables: bool,
}

impl Mode {
    pub(crate) const ACTION: Mode = Mode { wildcards: true, ignore_case: true, arn: false, variables: false };
}

/// One piece of a pattern as written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Char(char),
    /// `?`
    One,
    /// `*`
    Many,
    /// `${key}` or `${key, 'default'}`; boxed, as it is rare and a pattern holds a piece per character.
    Var(Box<Variable>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Variable {
    key: String,
    default: Option<String>,
}

/// A pattern from the policy: an action, a resource, or a condition value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    pieces: Vec<Piece>,
    /// The matcher when the pattern has no variables (most patterns): built once.
    fixed: Option<Glob>,
    mode: Mode,
}

impl Pattern {
    pub(crate) fn new(text: &str, mode: Mode) -> Pattern {
        let pieces = split_pieces(text, mode);
        let has_vars = pieces.iter().any(|p| matches!(p, Piece::Var(_)));
        let mut pattern = Pattern { text: text.to_owned(), pieces, fixed: None, mode };
        if !has_vars {
            pattern.fixed = pattern.build(&|_| None);
        }
        pattern
    }

    /// The text as written in the policy.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern uses `*` or `?` as wildcards.
    pub fn has_wildcards(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::One | Piece::Many))
    }

    /// The context keys this pattern reads as policy variables, as written.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var(var) => Some(var.key.as_str()),
            _ => None,
        })
    }

    /// Whether `text` matches, with policy variables taken from `vars` (a single value per key, or `None`
    /// when the key is absent or multi-valued; a variable without a value and without a default makes the
    /// pattern match nothing).
    pub(crate) fn matches_with(&self, text: &str, vars: &dyn Fn(&str) -> Option<String>) -> bool {
        self.resolve(vars).is_some_and(|glob| glob.matches(text))
    }

    /// The matcher for this pattern with its variables replaced; `None` when a variable cannot be resolved.
    pub(crate) fn resolve(&self, vars: &dyn Fn(&str) -> Option<String>) -> Option<Cow<'_, Glob>> {
        match &self.fixed {
            Some(glob) => Some(Cow::Borrowed(glob)),
            None => self.build(vars).map(Cow::Owned),
        }
    }

    fn build(&self, vars: &dyn Fn(&str) -> Option<String>) -> Option<Glob> {
        let mut toks = Vec::with_capacity(self.pieces.len());
        for piece in &self.pieces {
            match piece {
                Piece::Char(c) => toks.push(Tok::Lit(*c)),
                Piece::One => toks.push(Tok::One { colon: true }),
                Piece::Many => toks.push(Tok::Many { colon: true }),
                Piece::Var(var) => {
                    let value = vars(&var.key).or_else(|| var.default.clone())?;
                    toks.extend(value.chars().map(Tok::Lit));
                }
            }
        }
        if self.mode.arn {
            restrict_arn_parts(&mut toks);
        }
        Some(Glob { toks, ignore_case: self.mode.ignore_case })
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Splits the text into pieces. `${*}`, `${?}` and `${$}` are the literal characters; `${prefix:name}` is a
/// variable only when `mode.variables`; any other `${...}` (such as a template's `${MyBucket}` or
/// `${AWS::Region}`) is plain text.
fn split_pieces(text: &str, mode: Mode) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if mode.variables && c == '$' && chars.get(i + 1) == Some(&'{') {
            let close = chars.iter().skip(i + 2).position(|&d| d == '}').map(|p| p + i + 2);
            if let Some(close) = close {
                let inner: String = chars.get(i + 2..close).unwrap_or_default().iter().collect();
                if let Some(piece) = variable(&inner) {
                    pieces.push(piece);
                    i = close + 1;
                    continue;
                }
            }
        }
        pieces.push(match c {
            '*' if mode.wildcards => Piece::Many,
            '?' if mode.wildcards => Piece::One,
            _ => Piece::Char(c),
        });
        i += 1;
    }
    pieces
}

/// Reads the inside of `${...}`: a special character, or `prefix:name` with an optional `, 'default'`.
fn variable(inner: &str) -> Option<Piece> {
    match inner {
        "*" => return Some(Piece::Char('*')),
        "?" => return Some(Piece::Char('?')),
        "$" => return Some(Piece::Char('$')),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, rest)) => {
            let rest = rest.trim();
            let quoted = rest.strip_prefix('\'').and_then(|r| r.strip_suffix('\''))?;
            (key.trim(), Some(quoted.to_owned()))
        }
        None => (inner, None),
    };
    is_variable_key(key).then(|| Piece::Var(Box::new(Variable { key: key.to_owned(), default })))
}

/// `prefix:name`, where the prefix is letters, digits, `.`, `-` or `_` (as in `aws`, `s3`, `saml`,
/// `cognito-identity.amazonaws.com`) and the name is non-empty and does not start with a second colon
/// (so CloudFormation's `${AWS::Region}` is not a variable).
fn is_variable_key(key: &str) -> bool {
    let Some((prefix, name)) = key.split_once(':') else {
        return false;
    };
    let prefix_ok = prefix.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && prefix.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    let name_ok = !name.is_empty()
        && !name.starts_with(':')
        && name.chars().all(|c| !c.is_whitespace() && !matches!(c, '$' | '{' | '}' | '\'' | ','));
    prefix_ok && name_ok
}

/// In ARN mode, wildcards before the fifth literal colon stay inside their part (they cannot match `:`).
/// A value with fewer than six parts is matched as a whole string.
fn restrict_arn_parts(toks: &mut [Tok]) {
    let colons = toks.iter().filter(|t| **t == Tok::Lit(':')).count();
    if colons < 5 {
        return;
    }
    let mut seen = 0;
    for tok in toks.iter_mut() {
        match tok {
            Tok::Lit(':') => seen += 1,
            Tok::One { colon } | Tok::Many { colon } if seen < 5 => *colon = false,
            _ => {}
        }
    }
}

/// A resolved pattern: literal characters and wildcards, matched by a small NFA.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Glob {
    toks: Vec<Tok>,
    ignore_case: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Tok {
    Lit(char),
    /// Any one character (`colon: false` excludes `:`).
    One {
        colon: bool,
    },
    /// Any run of characters, possibly empty (`colon: false` excludes `:`).
    Many {
        colon: bool,
    },
}

/// The set of positions of a glob's automaton that a prefix reaches: a bit per position. The first
/// 128 positions (every position of most globs) live inline, so stepping allocates nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct States {
    low: u128,
    /// Positions from 128 on, 64 per word; empty (no allocation) for shorter globs.
    high: Vec<u64>,
}

impl States {
    fn empty(positions: usize) -> States {
        let words = positions.saturating_sub(128).div_ceil(64);
        States { low: 0, high: if words == 0 { Vec::new() } else { vec![0; words] } }
    }

    fn insert(&mut self, i: usize) {
        if i < 128 {
            self.low |= 1 << i;
        } else if let Some(word) = self.high.get_mut((i - 128) / 64) {
            *word |= 1 << ((i - 128) % 64);
        }
    }

    fn contains(&self, i: usize) -> bool {
        if i < 128 {
            self.low & (1 << i) != 0
        } else {
            self.high.get((i - 128) / 64).is_some_and(|word| word & (1 << ((i - 128) % 64)) != 0)
        }
    }

    /// No position is reached: no continuation can match.
    pub(crate) fn is_empty(&self) -> bool {
        self.low == 0 && self.high.iter().all(|&w| w == 0)
    }

    /// The positions in the set, in increasing order.
    fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        let high = self.high.iter().enumerate().flat_map(|(k, &w)| bits(u128::from(w)).map(move |b| 128 + 64 * k + b));
        bits(self.low).chain(high)
    }
}

/// The indices of the bits set in `word`, lowest first.
fn bits(mut word: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if word == 0 {
            return None;
        }
        let bit = word.trailing_zeros() as usize;
        word &= word - 1;
        Some(bit)
    })
}

impl Glob {
    /// A glob that matches exactly `prefix` followed by at least one more character.
    pub(crate) fn prefix_and_more(prefix: &str, ignore_case: bool) -> Glob {
        let mut toks: Vec<Tok> = prefix.chars().map(Tok::Lit).collect();
        toks.push(Tok::One { colon: true });
        toks.push(Tok::Many { colon: true });
        Glob { toks, ignore_case }
    }

    /// A glob that matches every string.
    pub(crate) fn everything() -> Glob {
        Glob { toks: vec![Tok::Many { colon: true }], ignore_case: false }
    }

    pub(crate) fn matches(&self, text: &str) -> bool {
        let mut states = self.start();
        for c in text.chars() {
            states = self.step(&states, c);
            if states.is_empty() {
                return false;
            }
        }
        self.accepts(&states)
    }

    /// The literal characters of the pattern (for building an alphabet).
    pub(crate) fn literals(&self) -> impl Iterator<Item = char> + '_ {
        self.toks.iter().filter_map(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
    }

    pub(crate) fn ignores_case(&self) -> bool {
        self.ignore_case
    }

    /// One string the glob matches: each `*` becomes `many`, each `?` becomes `one`.
    pub(crate) fn instance(&self, one: char, many: &str) -> String {
        let mut out = String::new();
        for tok in &self.toks {
            match tok {
                Tok::Lit(c) => out.push(*c),
                Tok::One { .. } => out.push(one),
                Tok::Many { .. } => out.push_str(many),
            }
        }
        out
    }

    pub(crate) fn start(&self) -> States {
        let mut set = States::empty(self.toks.len() + 1);
        self.enter(&mut set, 0);
        set
    }

    /// Adds position `i`, and the positions after the `*` tokens that follow it (which may match nothing).
    fn enter(&self, set: &mut States, mut i: usize) {
        set.insert(i);
        while matches!(self.toks.get(i), Some(Tok::Many { .. })) {
            i += 1;
            set.insert(i);
        }
    }

    pub(crate) fn step(&self, set: &States, c: char) -> States {
        let mut next = States::empty(self.toks.len() + 1);
        // Only the positions reached are visited: usually one or two of a long ARN's.
        if set.high.is_empty() {
            for i in bits(set.low) {
                self.advance(&mut next, i, c);
            }
        } else {
            for i in set.positions() {
                self.advance(&mut next, i, c);
            }
        }
        next
    }

    /// Adds to `next` where position `i` goes on `c`.
    fn advance(&self, next: &mut States, i: usize, c: char) {
        match self.toks.get(i) {
            Some(&Tok::Lit(l)) if self.same(l, c) => self.enter(next, i + 1),
            Some(&Tok::One { colon }) if colon || c != ':' => self.enter(next, i + 1),
            Some(&Tok::Many { colon }) if colon || c != ':' => self.enter(next, i),
            _ => {}
        }
    }

    /// The characters a step from `set` can take when every position in it is a literal (the
    /// positions along a fixed prefix); `None` when one is a wildcard, which takes nearly any.
    pub(crate) fn literals_at(&self, set: &States) -> Option<Vec<char>> {
        let mut out = Vec::new();
        for i in set.positions() {
            match self.toks.get(i) {
                Some(&Tok::Lit(l)) => out.push(l),
                Some(Tok::One { .. } | Tok::Many { .. }) => return None,
                // The end: no step goes on from it.
                None => {}
            }
        }
        Some(out)
    }

    pub(crate) fn accepts(&self, set: &States) -> bool {
        set.contains(self.toks.len())
    }

    pub(crate) fn same(&self, a: char, b: char) -> bool {
        a == b || (self.ignore_case && fold(a) == fold(b))
    }
}

/// Simple case folding, one character to one.
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() { c.to_ascii_lowercase() } else { c.to_lowercase().next().unwrap_or(c) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    const RESOURCE: Mode = Mode { wildcards: true, ignore_case: false, arn: false, variables: true };
    const ARN: Mode = Mode { wildcards: true, ignore_case: false, arn: true, variables: true };

    fn no_vars(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn wildcards_and_case() {
        let p = Pattern::new("s3:Get*", Mode::ACTION);
        assert!(p.matches_with("s3:getobject", &no_vars));
        assert!(p.matches_with("S3:GET", &no_vars));
        assert!(!p.matches_with("s3:PutObject", &no_vars));
        let q = Pattern::new("arn:aws:s3:::b/?", RESOURCE);
        assert!(q.matches_with("arn:aws:s3:::b/x", &no_vars));
        assert!(!q.matches_with("arn:aws:s3:::b/xy", &no_vars));
        assert!(!q.matches_with("arn:aws:s3:::B/x", &no_vars));
    }

    #[test]
    fn variables_and_literals() {
        let vars = |k: &str| (k.eq_ignore_ascii_case("aws:username")).then(|| "alice".to_owned());
        let p = Pattern::new("arn:aws:s3:::b/${aws:username}/*", RESOURCE);
        assert!(p.matches_with("arn:aws:s3:::b/alice/x", &vars));
        assert!(!p.matches_with("arn:aws:s3:::b/alice/x", &no_vars));
        let lit = Pattern::new("arn:aws:s3:::${MyBucket}/*", RESOURCE);
        assert!(lit.matches_with("arn:aws:s3:::${MyBucket}/k", &no_vars));
        let cfn = Pattern::new("${AWS::AccountId}-${AWS.Region}", RESOURCE);
        assert_eq!(cfn.variables().count(), 0);
        assert!(cfn.matches_with("${AWS::AccountId}-${AWS.Region}", &no_vars));
        let special = Pattern::new("a${*}b${?}${$}", RESOURCE);
        assert!(special.matches_with("a*b?$", &no_vars));
        assert!(!special.matches_with("axb?$", &no_vars));
        let default = Pattern::new("home/${aws:userid, 'anonymous'}", RESOURCE);
        assert!(default.matches_with("home/anonymous", &no_vars));
        let web = Pattern::new("${cognito-identity.amazonaws.com:sub}", RESOURCE);
        assert_eq!(web.variables().collect::<Vec<_>>(), ["cognito-identity.amazonaws.com:sub"]);
    }

    #[test]
    fn arn_parts() {
        let p = Pattern::new("arn:aws:someservice:*:111122223333:finance/*", ARN);
        let v = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!p.matches_with(v, &no_vars));
        assert!(p.matches_with("arn:aws:someservice:us-east-2:111122223333:finance/a:b", &no_vars));
    }
}
