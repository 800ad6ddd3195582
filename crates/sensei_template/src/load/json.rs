//! A fast path for JSON templates: a small iterative JSON parser that builds the same tree, with
//! the same positions, as the YAML loader does for the same text.
//!
//! JSON is YAML 1.2 flow syntax, and the YAML loader reads it correctly, but the YAML scanner
//! is general and slow, and JSON is half of a typical corpus by size. This parser only accepts
//! strict JSON (RFC 8259, plus raw tabs in strings, which YAML allows). On a syntax error the
//! caller falls back to the YAML loader, which also reads YAML flow syntax (`{a: 1}`, comments)
//! and reports YAML's view of the problem; semantic errors (duplicate keys, nesting, size) are
//! final. UTF-16 surrogate pairs (`"\uD83D\uDE00"`) are decoded here directly.

use std::collections::HashSet;
use std::hash::RandomState;

use super::text::pos;
use super::{LoadError, MAX_DEPTH, MAX_NODES, depth_error, earlier};
use crate::node::{Key, Node, NodeValue, Pos};

/// Why the text is not read as JSON.
#[derive(Debug)]
pub(super) enum JsonError {
    /// Not JSON: maybe YAML can read it.
    Syntax(LoadError),
    /// JSON, but not an acceptable template (duplicate key, too deep, too large).
    Fatal(LoadError),
}

enum Kind {
    /// Items from this index of `Parser::items`.
    Seq(usize),
    /// Entries from this index of `Parser::entries`, and the key waiting for its value.
    Map { start: usize, key: Option<Key>, hashes: HashSet<u64> },
}

struct Frame {
    pos: Pos,
    kind: Kind,
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    i: usize,
    line: usize,
    /// Byte offset where the current line starts.
    line_start: usize,
    /// A known (byte offset, 0-based column) on the current line, so that columns (counted in
    /// characters) cost time linear in the text even for minified JSON on one line.
    col_cache: (usize, usize),
    stack: Vec<Frame>,
    items: Vec<Node>,
    entries: Vec<(Key, Node)>,
    nodes: usize,
    hasher: &'t RandomState,
}

/// Parses `text` (which starts with `{` or `[` after white space) as JSON.
pub(super) fn parse(text: &str, hasher: &RandomState) -> Result<Node, JsonError> {
    Parser {
        text,
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        col_cache: (0, 0),
        stack: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        nodes: 0,
        hasher,
    }
    .run()
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.i) {
            match b {
                b' ' | b'\t' | b'\r' => {}
                b'\n' => {
                    self.line += 1;
                    self.line_start = self.i + 1;
                }
                _ => return,
            }
            self.i += 1;
        }
    }

    /// The position of byte `at` on the current line.
    fn pos_at(&mut self, at: usize) -> Pos {
        let (from, col) = match self.col_cache {
            (b, c) if b >= self.line_start && b <= at => (b, c),
            _ => (self.line_start, 0),
        };
        // Characters are the bytes that do not continue a UTF-8 sequence.
        let more = self.bytes.get(from..at).map_or(0, |s| s.iter().filter(|&&b| (b as i8) >= -0x40).count());
        self.col_cache = (at, col + more);
        pos(self.line, col + more + 1)
    }

    fn here(&mut self) -> Pos {
        self.pos_at(self.i)
    }

    fn syntax(&mut self, message: &str) -> JsonError {
        let at = self.here();
        let message = if self.i >= self.bytes.len() && !message.starts_with("the file ends") {
            match self.stack.last() {
                Some(Frame { kind: Kind::Map { .. }, .. }) => {
                    "the file ends inside a `{ }` mapping (a missing `}`?)".to_owned()
                }
                Some(Frame { kind: Kind::Seq(_), .. }) => {
                    "the file ends inside a `[ ]` list (a missing `]`?)".to_owned()
                }
                None => format!("unexpected end of the file: {message}"),
            }
        } else {
            message.to_owned()
        };
        JsonError::Syntax(LoadError::at(at, message))
    }

    fn count(&mut self, at: Pos) -> Result<(), JsonError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(JsonError::Fatal(LoadError::at(at, format!("the file holds more than {MAX_NODES} values"))));
        }
        Ok(())
    }

    fn run(mut self) -> Result<Node, JsonError> {
        'value: loop {
            self.skip_ws();
            let at = self.here();
            self.count(at)?;
            let mut node = match self.peek() {
                Some(open @ (b'{' | b'[')) => {
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(JsonError::Fatal(depth_error(at)));
                    }
                    self.i += 1;
                    let kind = if open == b'{' {
                        Kind::Map { start: self.entries.len(), key: None, hashes: HashSet::new() }
                    } else {
                        Kind::Seq(self.items.len())
                    };
                    self.stack.push(Frame { pos: at, kind });
                    self.skip_ws();
                    let close = if open == b'{' { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.i += 1;
                        self.close()
                    } else {
                        if open == b'{' {
                            self.key()?;
                        }
                        continue 'value;
                    }
                }
                Some(b'"') => Node { pos: at, value: NodeValue::String(self.string()?) },
                Some(b't') => self.literal("true", NodeValue::Bool(true), at)?,
                Some(b'f') => self.literal("false", NodeValue::Bool(false), at)?,
                Some(b'n') => self.literal("null", NodeValue::Null, at)?,
                Some(b'-' | b'0'..=b'9') => Node { pos: at, value: NodeValue::Number(self.number()?) },
                _ => return Err(self.syntax("expected a value")),
            };
            // Put the finished value in its parent, then read what follows it.
            loop {
                match self.stack.last_mut() {
                    None => {
                        self.skip_ws();
                        if self.i < self.bytes.len() {
                            return Err(self.syntax("unexpected text after the end of the JSON value"));
                        }
                        return Ok(node);
                    }
                    Some(Frame { kind: Kind::Seq(_), .. }) => {
                        self.items.push(node);
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                self.i += 1;
                                continue 'value;
                            }
                            Some(b']') => {
                                self.i += 1;
                                node = self.close();
                            }
                            _ => return Err(self.syntax("expected `,` or `]` in this `[ ]` list")),
                        }
                    }
                    Some(Frame { kind: Kind::Map { key, .. }, .. }) => {
                        let taken = key.take();
                        let Some(key) = taken else {
                            return Err(self.syntax("expected a key"));
                        };
                        self.entries.push((key, node));
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => {
                                self.i += 1;
                                self.key()?;
                                continue 'value;
                            }
                            Some(b'}') => {
                                self.i += 1;
                                node = self.close();
                            }
                            _ => {
                                return Err(self.syntax("expected `,` or `}` in this `{ }` mapping"));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Closes the innermost collection (its closing bracket already read).
    fn close(&mut self) -> Node {
        let Some(frame) = self.stack.pop() else {
            return Node { pos: Pos::default(), value: NodeValue::Null };
        };
        let value = match frame.kind {
            Kind::Seq(start) => NodeValue::Seq(self.items.drain(start.min(self.items.len())..).collect()),
            Kind::Map { start, .. } => NodeValue::Map(self.entries.drain(start.min(self.entries.len())..).collect()),
        };
        Node { pos: frame.pos, value }
    }

    /// Reads `"name" :` in the innermost mapping.
    fn key(&mut self) -> Result<(), JsonError> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return Err(self.syntax("expected a key in double quotes"));
        }
        let at = self.here();
        let name = self.string()?;
        let hasher = self.hasher;
        let Some(Frame { kind: Kind::Map { start, key, hashes }, .. }) = self.stack.last_mut() else {
            return Err(self.syntax("expected a value"));
        };
        let mine = self.entries.get(*start..).unwrap_or_default();
        if let Some(first) = earlier(mine, hashes, &name, hasher) {
            return Err(JsonError::Fatal(LoadError::at(
                at,
                format!("duplicate key {name:?}: first at line {}, again at line {}", first.pos.line, at.line),
            )));
        }
        *key = Some(Key { pos: at, name });
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.syntax("expected `:` after the key"));
        }
        self.i += 1;
        Ok(())
    }

    fn literal(&mut self, word: &str, value: NodeValue, at: Pos) -> Result<Node, JsonError> {
        if self.bytes.get(self.i..self.i + word.len()) != Some(word.as_bytes()) {
            return Err(self.syntax("expected a value"));
        }
        self.i += word.len();
        Ok(Node { pos: at, value })
    }

    fn digits(&mut self) -> usize {
        let from = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - from
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, as written.
    fn number(&mut self) -> Result<String, JsonError> {
        let from = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let int_start = self.i;
        let int_digits = self.digits();
        if int_digits == 0 || (int_digits > 1 && self.bytes.get(int_start) == Some(&b'0')) {
            return Err(self.syntax("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.syntax("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.syntax("invalid number"));
            }
        }
        Ok(self.text.get(from..self.i).unwrap_or_default().to_owned())
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.bytes.get(at..at + 4)?;
        digits.iter().try_fold(0u32, |acc, &d| Some(acc * 16 + char::from(d).to_digit(16)?))
    }

    /// Reads a string (at its opening quote), decoding escapes.
    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1;
        let mut out = String::new();
        let mut from = self.i; // start of the run not yet copied to `out`
        loop {
            let Some(&b) = self.bytes.get(self.i) else {
                return Err(self.syntax("the file ends inside a quoted string (a missing closing quote?)"));
            };
            match b {
                b'"' => {
                    let run = self.text.get(from..self.i).unwrap_or_default();
                    self.i += 1;
                    if out.is_empty() {
                        return Ok(run.to_owned());
                    }
                    out.push_str(run);
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(self.text.get(from..self.i).unwrap_or_default());
                    let escaped = match self.bytes.get(self.i + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let ch = self.unicode_escape()?;
                            out.push(ch);
                            from = self.i;
                            continue;
                        }
                        _ => return Err(self.syntax("invalid escape in a quoted string")),
                    };
                    out.push(escaped);
                    self.i += 2;
                    from = self.i;
                }
                b'\n' | b'\r' => {
                    return Err(self.syntax("a line break inside a JSON string (a missing closing quote?)"));
                }
                _ => self.i += 1,
            }
        }
    }

    /// `\uXXXX`, or a UTF-16 surrogate pair `\uD83D\uDE00`, at `self.i`.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let Some(first) = self.hex4(self.i + 2) else {
            return Err(self.syntax("invalid `\\u` escape: expected 4 hexadecimal digits"));
        };
        let (code, len) = if (0xd800..=0xdbff).contains(&first) {
            let low = (self.bytes.get(self.i + 6..self.i + 8) == Some(b"\\u"))
                .then(|| self.hex4(self.i + 8))
                .flatten()
                .filter(|low| (0xdc00..=0xdfff).contains(low));
            match low {
                Some(low) => (0x10000 + ((first - 0xd800) << 10) + (low - 0xdc00), 12),
                None => (first, 6),
            }
        } else {
            (first, 6)
        };
        let Some(ch) = char::from_u32(code) else {
            return Err(self
                .syntax("a `\\u` escape in this quoted string is not a Unicode character (a lone UTF-16 surrogate?)"));
        };
        self.i += len;
        Ok(ch)
    }
}
