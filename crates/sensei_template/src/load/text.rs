//! The source text around the parser: checks made before parsing, the JSON surrogate-pair repair,
//! and turning the parser's character positions into [`Pos`] values.

use std::collections::BTreeMap;

use crate::node::Pos;

/// A column shift left behind by [`decode_surrogates`]: on `line`, every column after `col`
/// (0-based, in the repaired text) sits `delta` characters further right in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fixup {
    pub line: usize,
    pub col: usize,
    pub delta: usize,
}

/// The first character YAML does not allow anywhere in a stream (the C0 controls other than tab,
/// line feed and carriage return, DEL, the C1 controls other than NEL, U+FFFE and U+FFFF: the same
/// set PyYAML refuses), with its 1-based line and 1-based column.
pub(super) fn find_forbidden_char(text: &str) -> Option<(char, Pos)> {
    let bytes = text.as_bytes();
    // Fast pass, branch-free over blocks so that it vectorises: is there any byte that may start
    // a forbidden character (a C0 control other than tab/LF/CR, DEL, or the lead byte of a C1
    // control or of U+FFFE/U+FFFF)?
    let suspect = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) | (b == 0x7f) | (b == 0xc2) | (b == 0xef);
    let first_block = bytes.chunks(64).position(|block| block.iter().fold(false, |acc, &b| acc | suspect(b)))?;
    let from = first_block * 64;
    let at = from
        + bytes.get(from..)?.iter().enumerate().position(|(i, &b)| match b {
            b'\t' | b'\n' | b'\r' => false,
            0..=0x1f | 0x7f => true,
            // C1 controls are U+0080..U+009F, encoded as C2 80..C2 9F; U+0085 (NEL) is allowed.
            0xc2 => matches!(bytes.get(from + i + 1), Some(&n) if (0x80..=0x9f).contains(&n) && n != 0x85),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
            0xef => bytes.get(from + i + 1) == Some(&0xbf) && matches!(bytes.get(from + i + 2), Some(0xbe | 0xbf)),
            _ => false,
        })?;
    let before = text.get(..at)?;
    let ch = text.get(at..)?.chars().next()?;
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    Some((ch, pos(line, col)))
}

/// Builds a [`Pos`] from 1-based numbers, saturating (a template never has 4 billion lines).
pub(super) fn pos(line: usize, column: usize) -> Pos {
    Pos { line: u32::try_from(line).unwrap_or(u32::MAX), column: u32::try_from(column).unwrap_or(u32::MAX) }
}

/// Whether the text looks like JSON: its first character after white space opens an object or
/// an array.
pub(super) fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at.checked_add(4)?)?;
    digits.iter().try_fold(0u32, |acc, &d| Some(acc * 16 + char::from(d).to_digit(16)?))
}

/// `\uXXXX` at `at` with XXXX in `range`.
fn escape_in(bytes: &[u8], at: usize, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
    if bytes.get(at) != Some(&b'\\') || bytes.get(at + 1) != Some(&b'u') {
        return None;
    }
    hex4(bytes, at + 2).filter(|v| range.contains(v))
}

/// JSON writers (Python's `json.dumps`, for one) escape characters beyond the Basic Multilingual
/// Plane as UTF-16 surrogate pairs, `"\uD83D\uDE00"`. YAML escapes name code points, and a
/// surrogate is not one, so the YAML parser refuses them.
///
/// For JSON-looking text that has such pairs, this returns a copy where each pair inside a
/// double-quoted string is replaced by the character it encodes, plus one [`Fixup`] per
/// replacement so that positions after it on the same line still point into the original text
/// (lines never move: no line break is added or removed). A lone surrogate is left alone and the
/// parser reports it. Returns `None` when nothing needs replacing, which is the common case and
/// costs one scan for `\u`.
pub(super) fn decode_surrogates(text: &str) -> Option<(String, Vec<Fixup>)> {
    if !looks_like_json(text) || !has_high_surrogate_escape(text) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut fixups: Vec<Fixup> = Vec::new();
    let mut copied = 0; // bytes of `text` already in `out`
    let mut line = 1;
    let mut line_start = 0; // byte offset of the current line in `text`
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                in_string = false; // JSON strings never span lines; resynchronise
            }
            b'"' => in_string = !in_string,
            b'\\' if in_string => {
                let pair = escape_in(bytes, i, 0xd800..=0xdbff).zip(escape_in(bytes, i + 6, 0xdc00..=0xdfff));
                if let Some((high, low)) = pair {
                    let code = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
                    if let Some(ch) = char::from_u32(code) {
                        out.push_str(text.get(copied..i)?);
                        out.push(ch);
                        let orig_col = text.get(line_start..i)?.chars().count();
                        let shifted: usize = fixups.iter().filter(|f| f.line == line).map(|f| f.delta).sum();
                        fixups.push(Fixup { line, col: orig_col.saturating_sub(shifted), delta: 11 });
                        i += 12;
                        copied = i;
                        continue;
                    }
                }
                i += 2; // skip the escaped character, whatever it is
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if fixups.is_empty() {
        return None;
    }
    out.push_str(text.get(copied..)?);
    Some((out, fixups))
}

fn has_high_surrogate_escape(text: &str) -> bool {
    text.match_indices("\\u").any(|(at, _)| {
        let bytes = text.as_bytes();
        matches!(bytes.get(at + 2), Some(b'd' | b'D'))
            && matches!(bytes.get(at + 3), Some(b'8' | b'9' | b'a' | b'A' | b'b' | b'B'))
    })
}

/// The text the parser reads, with what is needed to map the parser's positions (line, 0-based
/// column, character index) back to the original text.
pub(super) struct Source<'t> {
    text: &'t str,
    ascii: bool,
    /// A known (character index, byte offset) pair, to convert indexes without rescanning.
    cursor: (usize, usize),
    /// Column shifts from [`decode_surrogates`], in the coordinates of the unpadded text.
    fixups: &'t [Fixup],
    /// Spaces inserted at the start of lines by [`repair_indentation`], by line.
    pads: &'t BTreeMap<usize, usize>,
}

/// A line (1-based) and column (0-based, in characters) in the parser's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Lc {
    pub line: usize,
    pub col: usize,
}

impl<'t> Source<'t> {
    pub fn new(text: &'t str, fixups: &'t [Fixup], pads: &'t BTreeMap<usize, usize>) -> Self {
        Source { text, ascii: text.is_ascii(), cursor: (0, 0), fixups, pads }
    }

    /// The position in the original text of a parser position.
    pub fn pos(&self, lc: Lc) -> Pos {
        let mut col = lc.col;
        if let Some(pad) = self.pads.get(&lc.line) {
            col = col.saturating_sub(*pad);
        }
        if !self.fixups.is_empty() {
            let unpadded = col;
            let first = self.fixups.partition_point(|f| f.line < lc.line);
            col += self
                .fixups
                .iter()
                .skip(first)
                .take_while(|f| f.line == lc.line && f.col < unpadded)
                .map(|f| f.delta)
                .sum::<usize>();
        }
        pos(lc.line, col + 1)
    }

    /// Where the text ends, as a parser position.
    pub fn end(&self) -> Lc {
        let line = self.text.bytes().filter(|&b| b == b'\n').count() + 1;
        let last = self.text.rsplit('\n').next().unwrap_or("");
        Lc { line, col: last.chars().count() }
    }

    /// The byte offset of a character index. Calls come in document order, so the cursor makes
    /// the total cost linear in the text for non-ASCII text.
    pub fn byte_of(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.cursor.0 {
            self.cursor = (0, 0);
        }
        let (mut ci, mut bi) = self.cursor;
        if let Some(rest) = self.text.get(bi..) {
            for ch in rest.chars() {
                if ci == char_index {
                    break;
                }
                ci += 1;
                bi += ch.len_utf8();
            }
        }
        self.cursor = (ci, bi);
        bi
    }

    /// For a node written with properties (`!Tag`, `&anchor`) at `start` and ending at `end`
    /// (character indexes, as the parser reports them), where the tag starts and where the value
    /// itself starts, skipping the properties, blanks, line breaks and comments. The value start
    /// never goes past `end` (an empty value under a tag is placed where the tag ends).
    pub fn after_properties(&mut self, start: (usize, Lc), end: (usize, Lc)) -> (Lc, Lc) {
        let (mut idx, mut lc) = start;
        let mut tag_at = lc;
        let mut b = self.byte_of(idx);
        let bytes = self.text.as_bytes();
        let text = self.text;
        // Skips characters up to (not including) the first one for which `stop` holds.
        let skip_while = |b: &mut usize, idx: &mut usize, lc: &mut Lc, stop: fn(char) -> bool| {
            for ch in text.get(*b..).unwrap_or("").chars() {
                if stop(ch) {
                    break;
                }
                *b += ch.len_utf8();
                *idx += 1;
                lc.col += 1;
            }
        };
        while let Some(&c) = bytes.get(b) {
            match c {
                b'!' | b'&' => {
                    if c == b'!' {
                        tag_at = lc;
                    }
                    skip_while(&mut b, &mut idx, &mut lc, |ch| matches!(ch, ' ' | '\t' | '\n' | '\r'));
                }
                b' ' | b'\t' => {
                    b += 1;
                    idx += 1;
                    lc.col += 1;
                }
                b'\n' | b'\r' => {
                    b += 1;
                    idx += 1;
                    if c == b'\r' && bytes.get(b) == Some(&b'\n') {
                        b += 1;
                        idx += 1;
                    }
                    lc = Lc { line: lc.line + 1, col: 0 };
                }
                b'#' => skip_while(&mut b, &mut idx, &mut lc, |ch| matches!(ch, '\n' | '\r')),
                _ => break,
            }
            if idx > end.0 {
                break;
            }
        }
        let value_at = if idx > end.0 { end.1 } else { lc };
        (tag_at, value_at)
    }

    /// Where a list starts: the parser's start, except for an indentless block sequence
    /// (`Key:\n- a`), which the parser places at its first item, after the `- `.
    pub fn seq_start(&mut self, at: Lc, index: usize, has_properties: bool) -> Lc {
        if has_properties {
            return at;
        }
        let b = self.byte_of(index);
        match self.text.as_bytes().get(b) {
            Some(b'-' | b'[') => at,
            _ => self.dash_before(index, at).unwrap_or(at),
        }
    }

    /// The parser places an indentless block sequence (`Key:\n- a`) at its first item, after the
    /// `- `. Returns the column of that `-` when the text before `at` on its line is `- `.
    pub fn dash_before(&mut self, index: usize, lc: Lc) -> Option<Lc> {
        let b = self.byte_of(index);
        let before = self.text.get(..b)?;
        let trimmed = before.trim_end_matches([' ', '\t']);
        if !trimmed.ends_with('-') {
            return None;
        }
        let skipped = before.len() - trimmed.len() + 1; // ASCII blanks and the dash: 1 byte each
        Some(Lc { line: lc.line, col: lc.col.checked_sub(skipped)? })
    }

    /// The byte just before character `index`.
    pub fn byte_before(&mut self, index: usize) -> Option<u8> {
        let b = self.byte_of(index.checked_sub(1)?);
        self.text.as_bytes().get(b).copied()
    }

    /// The name of the alias written at `index` (`*name`), for messages.
    pub fn alias_name(&mut self, index: usize) -> &'t str {
        let b = self.byte_of(index);
        let rest = self.text.get(b..).unwrap_or("");
        let rest = rest.strip_prefix('*').unwrap_or(rest);
        let end =
            rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}')).unwrap_or(rest.len());
        rest.get(..end).unwrap_or("")
    }

    /// Characters in the parser's text.
    pub fn char_len(&self) -> usize {
        if self.ascii { self.text.len() } else { self.text.chars().count() }
    }
}

/// What to do about a line the parser finds indented too little.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Repair {
    /// Insert this many spaces at the start of these lines (1-based) and parse again.
    Pad(Vec<(usize, usize)>),
    /// The quoted string that starts at the error is never closed.
    Unclosed,
    /// Nothing to do: report the parser's error.
    No,
}

fn leading(line: &str) -> usize {
    line.chars().take_while(|c| matches!(c, ' ' | '\t')).count()
}

/// The column (0-based, in characters) where a line's content starts, after its indentation and
/// any `- ` list indicators: the column of the mapping key on a `  - Key: value` line.
fn content_col(line: &str) -> usize {
    let mut col = 0;
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t']);
        col += rest.len() - trimmed.len(); // blanks are one byte each
        match trimmed.strip_prefix('-') {
            Some(after) if after.starts_with([' ', '\t']) => {
                col += 1;
                rest = after;
            }
            _ => return col,
        }
    }
}

/// The padding that brings the non-blank lines `from..=to` to at least `required` columns.
fn pads_for(lines: &[&str], from: usize, to: usize, required: usize) -> Vec<(usize, usize)> {
    (from..=to)
        .filter_map(|n| {
            let line = lines.get(n.checked_sub(1)?)?;
            let lead = leading(line);
            (!line.trim().is_empty() && lead < required).then(|| (n, required - lead))
        })
        .collect()
}

/// The line of the quote that closes a string opened by `quote`, and the byte offset after it,
/// scanning from byte `start` (just after the opening quote) on line `line`.
fn closing_quote(text: &str, start: usize, quote: char, line: usize) -> Option<(usize, usize)> {
    let mut end_line = line;
    let rest = text.get(start..)?;
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => end_line += 1,
            '\\' if quote == '"' => {
                if let Some((_, '\n')) = chars.next() {
                    end_line += 1;
                }
            }
            c if c == quote => {
                if quote == '\'' && rest.get(i + 1..).is_some_and(|r| r.starts_with('\'')) {
                    chars.next();
                } else {
                    return Some((end_line, start + i + 1));
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a line (without its comment) ends with a block scalar header: `|`, `>-`, `|+2`…
fn opens_block_scalar(line: &str) -> bool {
    let t = line.trim_end().trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
    let Some(head) = t.strip_suffix(['|', '>']) else {
        return false;
    };
    head.is_empty() || head.ends_with([' ', '\t'])
}

/// A guess, from line `from` on, of every multi-line quoted string written the way
/// [`repair_indentation`] fixes (continuation lines indented no more than the key), with the
/// padding that fix would apply. It is only a guess (a quote in a comment or in a block scalar
/// may fool it), so the caller checks after parsing that each padded line was indeed inside a
/// multi-line quoted string, and parses again without the guess if not. It saves one parse per
/// such string in templates that embed many JSON policies as `!Sub '{ … }'`.
pub(super) fn guess_quoted_pads(text: &str, from: usize) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut offset: usize = lines.iter().take(from.saturating_sub(1)).map(|l| l.len() + 1).sum();
    let mut pads = Vec::new();
    let mut block: Option<usize> = None; // inside a block scalar more indented than this
    let mut n = from.max(1);
    while let Some(line) = lines.get(n - 1) {
        let line_offset = offset;
        offset += line.len() + 1;
        n += 1;
        if let Some(indent) = block {
            if line.trim().is_empty() || leading(line) > indent {
                continue;
            }
            block = None;
        }
        let content = line.trim_start_matches([' ', '\t']);
        if content.starts_with('#') {
            continue;
        }
        if opens_block_scalar(line) {
            block = Some(content_col(line));
            continue;
        }
        // Quotes that start a value: at the start of the content or after a blank.
        let bytes = line.as_bytes();
        let mut at = line.len() - content.len();
        while let Some(i) = line.get(at..).and_then(|r| r.find(['\'', '"'])) {
            let q = at + i;
            let starts_value =
                q == line.len() - content.len() || matches!(bytes.get(q.wrapping_sub(1)), Some(b' ' | b'\t'));
            if !starts_value {
                at = q + 1;
                continue;
            }
            let quote = if bytes.get(q) == Some(&b'"') { '"' } else { '\'' };
            let Some((end_line, after)) = closing_quote(text, line_offset + q + 1, quote, n - 1) else {
                return pads; // never closed: the parser will say so
            };
            if end_line == n - 1 {
                at = after - line_offset;
                continue;
            }
            pads.extend(pads_for(&lines, n, end_line, content_col(line) + 1));
            offset = lines.iter().take(end_line).map(|l| l.len() + 1).sum();
            n = end_line + 1;
            break;
        }
    }
    pads
}

/// PyYAML, and so the AWS CLI and cfn-lint, accept two things the YAML 1.2 parser refuses, and
/// real templates use them:
///
/// - a multi-line quoted string whose continuation lines are indented no more than its key
///   (a JSON policy in `!Sub '{ … }'` closed by `}'` under the key);
/// - a flow collection whose lines are indented no more than its key (`Tags: {` then entries at
///   the column of `Tags`).
///
/// In both places leading white space means nothing (it is folded away or separates tokens), so
/// inserting spaces at the start of those lines changes no value. Given the parser's error
/// (`quoted`: inside a quoted string starting at `line`/`col`; otherwise: on `line`, inside the
/// flow collection opened on line `opener`), this says which lines to indent. The caller parses
/// again and maps positions back.
pub(super) fn repair_indentation(text: &str, quoted: bool, line: usize, col: usize, opener: Option<usize>) -> Repair {
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(first) = line.checked_sub(1).and_then(|i| lines.get(i)) else {
        return Repair::No;
    };
    if quoted {
        let Some((b, quote)) = first.char_indices().nth(col) else {
            return Repair::No;
        };
        if quote != '\'' && quote != '"' {
            return Repair::No;
        }
        let start = lines.iter().take(line - 1).map(|l| l.len() + 1).sum::<usize>() + b + 1;
        let Some((end_line, _)) = closing_quote(text, start, quote, line) else {
            return Repair::Unclosed;
        };
        let pads = pads_for(&lines, line + 1, end_line, content_col(first) + 1);
        return if pads.is_empty() { Repair::No } else { Repair::Pad(pads) };
    }
    // Every line from the one after the opening bracket to the error is inside the collection.
    let Some(opener) = opener.filter(|&o| o < line) else {
        return Repair::No;
    };
    let required = lines.get(opener - 1).map_or(0, |l| content_col(l)) + 1;
    let pads = pads_for(&lines, opener + 1, line, required);
    if pads.is_empty() { Repair::No } else { Repair::Pad(pads) }
}

/// The text with spaces inserted at the start of the given lines (1-based, ascending).
pub(super) fn apply_pads(text: &str, pads: &[(usize, usize)]) -> String {
    let extra: usize = pads.iter().map(|(_, n)| n).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut pads = pads.iter().peekable();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if let Some((_, n)) = pads.next_if(|(l, _)| *l == i + 1) {
            out.extend(std::iter::repeat_n(' ', *n));
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_chars() {
        assert_eq!(find_forbidden_char("a: b\n\tc: d\r\n"), None);
        assert_eq!(find_forbidden_char("a: b\nc: \u{1}"), Some(('\u{1}', pos(2, 4))));
        assert_eq!(find_forbidden_char("é: \u{7f}"), Some(('\u{7f}', pos(1, 4))));
        assert_eq!(find_forbidden_char("x\u{85}y"), None);
        assert_eq!(find_forbidden_char("x\u{9f}y"), Some(('\u{9f}', pos(1, 2))));
        assert_eq!(find_forbidden_char("x\u{fffe}"), Some(('\u{fffe}', pos(1, 2))));
        assert_eq!(find_forbidden_char("x\u{fffd}\u{ffef}"), None);
    }

    #[test]
    fn surrogates_are_decoded_with_fixups() {
        let text = "{\"a\": \"x\\uD83D\\uDE00y\\ud83d\\ude01\", \"b\": 1}";
        let (out, fixups) = decode_surrogates(text).unwrap_or_default();
        assert_eq!(out, "{\"a\": \"x\u{1F600}y\u{1F601}\", \"b\": 1}");
        assert_eq!(fixups, vec![Fixup { line: 1, col: 8, delta: 11 }, Fixup { line: 1, col: 10, delta: 11 }]);
        let pads = BTreeMap::new();
        let src = Source::new(&out, &fixups, &pads);
        // `b` is at column 15 (0-based) in the repaired text, 37 in the original.
        assert_eq!(out.chars().position(|c| c == 'b'), Some(15));
        assert_eq!(text.find('b'), Some(37));
        assert_eq!(src.pos(Lc { line: 1, col: 15 }), pos(1, 38));
        assert_eq!(src.pos(Lc { line: 1, col: 10 }), pos(1, 22));
        assert_eq!(src.pos(Lc { line: 1, col: 8 }), pos(1, 9));
    }

    #[test]
    fn surrogates_left_alone_outside_json_strings() {
        assert_eq!(decode_surrogates("a: \"\\uD83D\\uDE00\""), None); // not JSON-looking
        assert_eq!(decode_surrogates("{\"a\": \"\\\\uD83D\\uDE00\"}"), None); // escaped backslash
        assert_eq!(decode_surrogates("{\"a\": \"\\uD83D\"}"), None); // lone surrogate
    }

    #[test]
    fn byte_of_non_ascii() {
        let pads = BTreeMap::new();
        let mut src = Source::new("éa: ü\nb", &[], &pads);
        assert_eq!(src.byte_of(1), 2);
        assert_eq!(src.byte_of(4), 5);
        assert_eq!(src.byte_of(0), 0);
        assert_eq!(src.byte_of(99), "éa: ü\nb".len());
    }

    #[test]
    fn repairs_quoted_and_flow_indentation() {
        let text = "a:\n  - K: !Sub '{\n      \"x\": 1\n    }'\n  - J: 1\n";
        assert_eq!(repair_indentation(text, true, 2, 12, None), Repair::Pad(vec![(4, 1)]));
        assert_eq!(repair_indentation("a: 'x\n", true, 1, 3, None), Repair::Unclosed);
        assert_eq!(repair_indentation("a: 'it''s\nb'\n", true, 1, 3, None), Repair::Pad(vec![(2, 1)]));
        let text = "Tags: {\n'a': 1,\n  'b': 2\n}\nNext: 1\n";
        assert_eq!(repair_indentation(text, false, 2, 0, Some(1)), Repair::Pad(vec![(2, 1)]));
        assert_eq!(repair_indentation(text, false, 4, 0, Some(1)), Repair::Pad(vec![(2, 1), (4, 1)]));
        assert_eq!(repair_indentation("a: 1\n", false, 1, 0, None), Repair::No);
        assert_eq!(apply_pads("a\nb\nc", &[(2, 2), (3, 1)]), "a\n  b\n c");
        assert_eq!(content_col("    - - Key: x"), 8);
    }

    #[test]
    fn guesses_quoted_pads_and_skips_block_scalars() {
        let text =
            "A:\n  P: !Sub '{\n      \"x\": 1\n  }'\n  S: |\n    echo 'a\n  b\n  Q: \"it\n  x\"\n  R: 'one line' 'x\n";
        assert_eq!(guess_quoted_pads(text, 1), vec![(4, 1), (9, 1)]);
        assert!(opens_block_scalar("  key: |-"));
        assert!(opens_block_scalar("- >2"));
        assert!(!opens_block_scalar("  key: a|"));
    }
}
