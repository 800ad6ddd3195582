//! Reading a template's text into a [`Node`] tree.
//!
//! One loader reads YAML and JSON. YAML goes through the events of `saphyr-parser`, and the tree
//! is built with an explicit stack, so nesting depth never turns into native recursion. JSON
//! (text starting with `{` or `[`) first goes through a small strict JSON parser (`json.rs`)
//! that builds the identical tree with identical positions, several times faster; text it
//! rejects (YAML flow syntax such as `{a: 1}`, comments) goes to the YAML path. What the loader
//! does beyond plain YAML:
//!
//! - **Short-form tags** become their long form: `!Ref X` is `{Ref: X}`, `!Condition C` is
//!   `{Condition: C}`, `!GetAtt A.B.C` is `{Fn::GetAtt: [A, "B.C"]}` (split at the first dot, as
//!   the AWS CLI and cfn-lint do; `!GetAtt [A, B]` is kept as written), and every other known
//!   `!Name v` is `{Fn::Name: v}` (the intrinsic functions, and the rule functions `!Contains`,
//!   `!EachMemberEquals`, `!EachMemberIn`, `!RefAll`, `!ValueOf`, `!ValueOfAll`). Rain
//!   directives (`!Rain::Embed f`) become `{Rain::Embed: f}`. The synthetic mapping and its key
//!   take the tag's position; the value keeps its own. A scalar under such a tag is a string.
//!   The core-schema tags `!!str`, `!!int`, `!!bool`, `!!float`, `!!null`, `!!map`, `!!seq` and
//!   the non-specific `!` are honoured; any other tag is an error naming it.
//! - **Scalars** resolve by the YAML 1.2 core schema when plain (`2010-09-09` and `yes` stay
//!   strings); quoted and block scalars are strings. Numbers keep the text as written.
//! - **Keys** must be scalars and unique: a duplicate names both lines.
//! - **Merge keys** (`<<: *base`, `<<: [*a, *b]`) are applied the way PyYAML (AWS CLI, SAM CLI,
//!   cfn-lint) applies them: keys written in the mapping win, then the first merged mapping that
//!   has the key. Merged entries take the place of the `<<` entry and keep their positions.
//! - **Aliases** are expanded by copying, within [`MAX_ALIAS_NODES`] copied values for the whole
//!   file (an alias bomb fails fast); the tree may hold at most [`MAX_NODES`] values, and the
//!   copies count towards the depth limit.
//! - **Depth**: more than [`MAX_DEPTH`] nested mappings, lists and tags is an error. The YAML
//!   parser itself refuses more than 255 nested flow brackets (`[`, `{`); that is reported as
//!   nesting too.
//! - **One document**: an empty file and a second document are errors.
//! - **Text**: a leading byte order mark is skipped; control characters are refused up front.
//!   UTF-16 surrogate-pair escapes (`"\uD83D\uDE00"`, written by Python's `json.dumps`, refused
//!   by YAML) are decoded by the JSON parser, and on the YAML path are replaced by the character
//!   before parsing, with columns mapped back to the original text (see `text.rs`).
//! - **Indentation PyYAML accepts**: a multi-line quoted string or flow collection whose lines
//!   are indented no more than its key is refused by the YAML 1.2 parser but accepted by PyYAML,
//!   and real templates rely on it. Those lines are re-indented (which changes no value there)
//!   and the text parsed again, with columns mapped back (see `text::repair_indentation`).

mod json;
mod scalar;
mod text;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span, Tag};

use crate::node::{Key, Node, NodeValue, Pos};
use json::JsonError;
use scalar::{Plain, TagKind};
use text::{Lc, Repair, Source};

/// The deepest nesting of mappings, lists and short-form tags accepted.
pub const MAX_DEPTH: usize = 512;
/// How many values alias expansion may copy in one file.
pub const MAX_ALIAS_NODES: usize = 100_000;
/// How many values one file may hold (counting alias copies).
pub const MAX_NODES: usize = 4_000_000;

/// Why a file could not be read as a template tree.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct LoadError {
    /// 1-based; 0 when the error has no position.
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl LoadError {
    fn at(pos: Pos, message: impl Into<String>) -> Self {
        LoadError { line: pos.line, column: pos.column, message: message.into() }
    }

    fn nowhere(message: impl Into<String>) -> Self {
        LoadError { line: 0, column: 0, message: message.into() }
    }
}

/// Parses YAML (1.2, with CloudFormation short-form tags) or JSON text into one tree.
pub fn load(text: &str) -> Result<Node, LoadError> {
    // The loader has no known panic; this keeps a bug in it or in the parser from taking the
    // whole run down with it.
    std::panic::catch_unwind(|| load_text(text)).unwrap_or_else(|_| {
        Err(LoadError::nowhere("internal error while reading this file as YAML (please report it)"))
    })
}

fn load_text(text: &str) -> Result<Node, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((ch, at)) = text::find_forbidden_char(text) {
        return Err(LoadError::at(
            at,
            format!(
                "the character U+{:04X} is not allowed in a template (a control character or \
                 binary data)",
                u32::from(ch)
            ),
        ));
    }
    if text::looks_like_json(text) {
        match json::parse(text, &RandomState::new()) {
            Ok(node) => return Ok(node),
            Err(JsonError::Fatal(error)) => return Err(error),
            // Not strict JSON: YAML may read it (`{a: 1}`, comments). If it cannot either, report
            // the JSON error, unless YAML got past the line of that error: then the text is more
            // likely YAML.
            Err(JsonError::Syntax(json_error)) => {
                return load_yaml(text)
                    .map_err(|yaml_error| if yaml_error.line > json_error.line { yaml_error } else { json_error });
            }
        }
    }
    load_yaml(text)
}

/// Reads the text with the YAML parser.
fn load_yaml(text: &str) -> Result<Node, LoadError> {
    let (repaired, fixups) = match text::decode_surrogates(text) {
        Some((repaired, fixups)) => (Some(repaired), fixups),
        None => (None, Vec::new()),
    };
    let base: Cow<'_, str> = match repaired {
        Some(repaired) => Cow::Owned(repaired),
        None => Cow::Borrowed(text),
    };
    // Without a `*` there is no alias, so anchored values need not be kept.
    let has_aliases = base.contains('*');
    // Re-indentation (see `text::repair_indentation`): the padded text, the spaces added by
    // line, the lines padded on a guess, whether to guess.
    let mut padded: Option<String> = None;
    let mut pads: BTreeMap<usize, usize> = BTreeMap::new();
    let mut guessed: Vec<usize> = Vec::new();
    let mut guessing = true;
    let mut repairs = 0;
    loop {
        let current: &str = padded.as_deref().unwrap_or(&base);
        let builder = Builder {
            src: Source::new(current, &fixups, &pads),
            stack: Vec::new(),
            depth: 0,
            nodes: 0,
            alias_nodes: 0,
            anchors: has_aliases.then(HashMap::new),
            hasher: RandomState::new(),
            root: None,
            items: Vec::new(),
            entries: Vec::new(),
            quoted_spans: Vec::new(),
        };
        let outcome = builder.run(Parser::new_from_str(current));
        let (line, col, quoted, opener, error) = match outcome {
            Ok((node, spans)) if guessed.iter().all(|&l| inside(&spans, l)) => return Ok(node),
            Err(Stop::Error(error)) if guessed.is_empty() => return Err(error),
            Err(Stop::Indent { at, quoted, opener, error }) => (at.line, at.col, quoted, opener, error),
            // A guess padded a line outside a quoted string: start again without guessing.
            Ok(_) | Err(Stop::Error(_)) => {
                padded = None;
                pads.clear();
                guessed.clear();
                guessing = false;
                continue;
            }
        };
        if repairs >= MAX_REPAIRS || repairs * current.len() > MAX_REPARSED_BYTES {
            return Err(error);
        }
        repairs += 1;
        let mut pad = match text::repair_indentation(current, quoted, line, col, opener) {
            Repair::Pad(pad) => pad,
            Repair::Unclosed => {
                return Err(LoadError {
                    message: "this quoted string is never closed (a missing closing quote?)".to_owned(),
                    ..error
                });
            }
            Repair::No => return Err(error),
        };
        if quoted && guessing {
            // Templates that need this once tend to need it for every embedded policy: fix the
            // likely ones now rather than with one more parse each.
            guessing = false;
            let mut all: BTreeMap<usize, usize> = pad.iter().copied().collect();
            for (line, n) in text::guess_quoted_pads(current, line) {
                if let std::collections::btree_map::Entry::Vacant(entry) = all.entry(line) {
                    entry.insert(n);
                    guessed.push(line);
                }
            }
            pad = all.into_iter().collect();
        }
        let next = text::apply_pads(current, &pad);
        for (line, n) in pad {
            *pads.entry(line).or_default() += n;
        }
        padded = Some(next);
    }
}

/// Whether `line` continues one of these multi-line quoted strings (first and last line each,
/// in document order).
fn inside(spans: &[(usize, usize)], line: usize) -> bool {
    let after = spans.partition_point(|&(first, _)| first < line);
    after.checked_sub(1).and_then(|i| spans.get(i)).is_some_and(|&(_, last)| line <= last)
}

/// How many times one file may be re-indented and parsed again (see
/// `text::repair_indentation`), and how much text those parses may read in all.
const MAX_REPAIRS: usize = 64;
const MAX_REPARSED_BYTES: usize = 16 << 20;

/// Why building stopped.
enum Stop {
    Error(LoadError),
    /// The parser found a line indented too little inside a quoted string (which starts at
    /// `at`) or a flow collection (the line of `at`); maybe [`text::repair_indentation`] helps.
    Indent {
        at: Lc,
        quoted: bool,
        /// The line where the outermost open flow collection starts.
        opener: Option<usize>,
        error: LoadError,
    },
}

impl From<LoadError> for Stop {
    fn from(error: LoadError) -> Self {
        Stop::Error(error)
    }
}

/// A value that an alias can copy: the value, how many values it holds and how deep it goes.
struct Anchored {
    node: Node,
    size: usize,
    height: usize,
}

struct Builder<'t> {
    src: Source<'t>,
    stack: Vec<Frame>,
    /// Nesting of the open frames, counting a short-form tag around a collection as a level.
    depth: usize,
    nodes: usize,
    alias_nodes: usize,
    anchors: Option<HashMap<usize, Anchored>>,
    hasher: RandomState,
    root: Option<Node>,
    /// The items of all open lists, innermost last; each frame knows where its own start.
    /// Sharing one buffer saves a growing allocation per list: a closed list takes its items
    /// in one exactly sized allocation.
    items: Vec<Node>,
    /// The entries of all open mappings, likewise.
    entries: Vec<(Key, Node)>,
    /// First and last line of each quoted scalar written over several lines.
    quoted_spans: Vec<(usize, usize)>,
}

/// An open mapping or list.
struct Frame {
    pos: Pos,
    /// For a flow collection (`{`, `[`), the line of its opening bracket in the parser's text.
    flow_line: Option<usize>,
    anchor: usize,
    /// The long-form key and position of a short-form tag written on this collection.
    wrap: Option<(Cow<'static, str>, Pos)>,
    body: Body,
}

enum Body {
    /// Items from this index of [`Builder::items`].
    Seq(usize),
    Map(MapBody),
}

struct MapBody {
    /// Entries from this index of [`Builder::entries`].
    start: usize,
    /// The key read, waiting for its value.
    key: Option<Key>,
    /// Where the `<<` entry is among this mapping's entries.
    merge: Option<usize>,
    /// Hashes of the keys, kept once the mapping is large enough for linear search to matter.
    hashes: HashSet<u64>,
}

/// Below this many keys, duplicates are found by comparing with each key.
const LINEAR_KEYS: usize = 16;

/// The key named `name` among `entries`, if any. Once there are many entries this goes through
/// `hashes`, the hashes of the names seen so far (the new name is added).
fn earlier<'e>(
    entries: &'e [(Key, Node)],
    hashes: &mut HashSet<u64>,
    name: &str,
    hasher: &RandomState,
) -> Option<&'e Key> {
    if entries.len() >= LINEAR_KEYS {
        if hashes.is_empty() {
            hashes.extend(entries.iter().map(|(k, _)| hasher.hash_one(&k.name)));
        }
        if hashes.insert(hasher.hash_one(name)) {
            return None;
        }
    }
    entries.iter().map(|(k, _)| k).find(|k| k.name == name)
}

impl MapBody {
    /// The entries, with merge keys applied.
    fn finish(&self, mut entries: Vec<(Key, Node)>) -> Result<Vec<(Key, Node)>, LoadError> {
        let Some(at) = self.merge else {
            return Ok(entries);
        };
        if at >= entries.len() {
            return Ok(entries);
        }
        let (_, merged) = entries.remove(at);
        let sources = match merged.value {
            NodeValue::Map(map) => vec![map],
            NodeValue::Seq(items) => items
                .into_iter()
                .map(|item| match item.value {
                    NodeValue::Map(map) => Ok(map),
                    _ => Err(LoadError::at(
                        item.pos,
                        format!("a merge key `<<` list may only hold mappings, not {}", item.kind()),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => {
                return Err(LoadError::at(
                    merged.pos,
                    format!(
                        "a merge key `<<` needs a mapping or a list of mappings (such as `*base` \
                         or `[*a, *b]`), not {}",
                        merged.kind()
                    ),
                ));
            }
        };
        let mut seen: HashSet<String> = entries.iter().map(|(k, _)| k.name.clone()).collect();
        let mut added = Vec::new();
        for (key, value) in sources.into_iter().flatten() {
            if seen.insert(key.name.clone()) {
                added.push((key, value));
            }
        }
        entries.splice(at..at, added);
        Ok(entries)
    }
}

fn lc(m: &Marker) -> Lc {
    Lc { line: m.line(), col: m.col() }
}

/// `{key: inner}` at the tag's position.
fn wrap(key: Cow<'static, str>, at: Pos, inner: Node) -> Node {
    Node { pos: at, value: NodeValue::Map(vec![(Key { pos: at, name: key.into_owned() }, inner)]) }
}

/// How many values a tree holds and how many levels of collections it nests.
fn measure(node: &Node) -> (usize, usize) {
    let mut size = 0;
    let mut height = 0;
    let mut todo = vec![(node, 0usize)];
    while let Some((node, level)) = todo.pop() {
        size += 1;
        match &node.value {
            NodeValue::Seq(items) => {
                height = height.max(level + 1);
                todo.extend(items.iter().map(|n| (n, level + 1)));
            }
            NodeValue::Map(entries) => {
                height = height.max(level + 1);
                todo.extend(entries.iter().map(|(_, n)| (n, level + 1)));
            }
            _ => {}
        }
    }
    (size, height)
}

/// The text of a scalar value used as a key through an alias.
fn key_text(node: &Node) -> Option<String> {
    match &node.value {
        NodeValue::String(s) | NodeValue::Number(s) => Some(s.clone()),
        NodeValue::Bool(b) => Some(b.to_string()),
        NodeValue::Null => Some("null".to_owned()),
        NodeValue::Seq(_) | NodeValue::Map(_) => None,
    }
}

/// What a scalar's text means, given its tag and style (without copying the text).
fn resolve(kind: Option<&TagKind>, plain: bool, text: &str, pos: Pos) -> Result<Plain, LoadError> {
    Ok(match kind {
        None if plain => scalar::resolve_plain(text),
        None | Some(TagKind::NonSpecific | TagKind::Intrinsic(_) | TagKind::Unknown(_)) => Plain::String,
        Some(TagKind::Core("str")) => Plain::String,
        Some(TagKind::Core(core)) => {
            let resolved = match *core {
                "int" => scalar::is_int(text).then_some(Plain::Number),
                "float" => (scalar::is_int(text) || scalar::is_float(text)).then_some(Plain::Number),
                "bool" => scalar::as_bool(text).map(Plain::Bool),
                "null" => scalar::is_null(text).then_some(Plain::Null),
                _ => None,
            };
            let Some(resolved) = resolved else {
                let what = match *core {
                    "map" | "seq" => "a scalar".to_owned(),
                    _ => format!("{text:?}"),
                };
                return Err(LoadError::at(pos, format!("`!!{core}` cannot tag {what}")));
            };
            resolved
        }
    })
}

fn text_value(resolved: Plain, text: String) -> NodeValue {
    match resolved {
        Plain::Null => NodeValue::Null,
        Plain::Bool(b) => NodeValue::Bool(b),
        Plain::Number => NodeValue::Number(text),
        Plain::String => NodeValue::String(text),
    }
}

fn depth_error(at: Pos) -> LoadError {
    LoadError::at(at, format!("nesting deeper than {MAX_DEPTH} levels at line {}", at.line))
}

fn unknown_tag(at: Pos, name: &str) -> LoadError {
    LoadError::at(
        at,
        format!(
            "unknown tag {name}: not a CloudFormation short form (such as !Ref, !Sub, !GetAtt) nor a YAML core \
             tag (such as !!str)"
        ),
    )
}

impl<'t> Builder<'t> {
    fn run(mut self, mut parser: Parser<'t, saphyr_parser::StrInput<'t>>) -> Result<(Node, Vec<(usize, usize)>), Stop> {
        let mut documents = 0usize;
        while let Some(next) = parser.next_event() {
            let (event, span) = next.map_err(|e| self.scan_stop(&e))?;
            match event {
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        let at = self.src.pos(lc(&span.start));
                        return Err(Stop::Error(LoadError::at(
                            at,
                            format!(
                                "a second YAML document starts at line {}; a template file holds \
                                 exactly one document",
                                at.line
                            ),
                        )));
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(value, style, anchor, tag.as_deref(), span)?;
                }
                Event::SequenceStart(anchor, tag) => self.open(false, anchor, tag.as_deref(), span)?,
                Event::MappingStart(anchor, tag) => self.open(true, anchor, tag.as_deref(), span)?,
                Event::SequenceEnd | Event::MappingEnd => self.close()?,
                Event::Alias(id) => self.alias(id, span)?,
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            }
        }
        match self.root {
            Some(root) => Ok((root, self.quoted_spans)),
            None => Err(Stop::Error(LoadError::nowhere("the file is empty"))),
        }
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame { body: Body::Map(MapBody { key: None, .. }), .. }))
    }

    /// Counts `n` new values against [`MAX_NODES`].
    fn count(&mut self, n: usize, at: Pos) -> Result<(), LoadError> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(LoadError::at(at, format!("the file holds more than {MAX_NODES} values")));
        }
        Ok(())
    }

    /// Where the tag and where the value of a node start. Without properties both are the
    /// event's start.
    fn locate(&mut self, span: Span, has_properties: bool) -> (Lc, Lc) {
        if has_properties {
            self.src.after_properties((span.start.index(), lc(&span.start)), (span.end.index(), lc(&span.end)))
        } else {
            (lc(&span.start), lc(&span.start))
        }
    }

    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), LoadError> {
        let (tag_lc, value_lc) = self.locate(span, anchor != 0 || tag.is_some());
        let pos = self.src.pos(value_lc);
        let kind = tag.map(|t| scalar::classify(&t.handle, &t.suffix));
        let plain = style == ScalarStyle::Plain;
        // Block scalars are not recorded: padding their lines would change their text.
        let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
        if quoted && span.end.line() > span.start.line() {
            self.quoted_spans.push((span.start.line(), span.end.line()));
        }
        if let Some(TagKind::Unknown(name)) = &kind {
            return Err(unknown_tag(self.src.pos(tag_lc), name));
        }

        if self.expecting_key() {
            if let (Some(TagKind::Intrinsic(_)), Some(t)) = (&kind, tag) {
                return Err(LoadError::at(
                    self.src.pos(tag_lc),
                    format!("a mapping key cannot be a function (`!{}`); keys are plain names", t.suffix),
                ));
            }
            let resolved = resolve(kind.as_ref(), plain, &value, pos)?;
            let merge = plain && tag.is_none() && value == "<<";
            let key = Key { pos, name: value.into_owned() };
            if anchor != 0 {
                self.count(1, pos)?;
                let value = text_value(resolved, key.name.clone());
                self.remember(anchor, &Node { pos, value });
            }
            return self.set_key(key, merge);
        }

        self.count(1, pos)?;
        let node = match kind {
            Some(TagKind::Intrinsic(key)) => {
                let tag_pos = self.src.pos(tag_lc);
                if self.depth + 1 > MAX_DEPTH {
                    return Err(depth_error(tag_pos));
                }
                let inner = if key == "Fn::GetAtt" {
                    self.count(2, pos)?;
                    self.split_getatt(value.into_owned(), style, value_lc, &span)
                } else {
                    Node { pos, value: NodeValue::String(value.into_owned()) }
                };
                self.count(1, pos)?;
                wrap(key, tag_pos, inner)
            }
            _ => {
                let resolved = resolve(kind.as_ref(), plain, &value, pos)?;
                // `into_owned` reuses the parser's string when it already owns one.
                Node { pos, value: text_value(resolved, value.into_owned()) }
            }
        };
        self.complete(node, anchor)
    }

    /// `A.B.C` under `!GetAtt` is `[A, "B.C"]`.
    fn split_getatt(&self, text: String, style: ScalarStyle, at: Lc, span: &Span) -> Node {
        let pos = self.src.pos(at);
        let Some((resource, attribute)) = text.split_once('.') else {
            return Node { pos, value: NodeValue::Seq(vec![Node { pos, value: NodeValue::String(text) }]) };
        };
        let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
        let attribute_at = if span.end.line() == at.line && !matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
        {
            Lc { line: at.line, col: at.col + usize::from(quoted) + resource.chars().count() + 1 }
        } else {
            at
        };
        let items = vec![
            Node { pos, value: NodeValue::String(resource.to_owned()) },
            Node { pos: self.src.pos(attribute_at), value: NodeValue::String(attribute.to_owned()) },
        ];
        Node { pos, value: NodeValue::Seq(items) }
    }

    /// Keeps a copy of an anchored value for the aliases that may follow.
    fn remember(&mut self, anchor: usize, node: &Node) -> usize {
        let Some(anchors) = &mut self.anchors else {
            return 0;
        };
        let (size, height) = measure(node);
        anchors.insert(anchor, Anchored { node: node.clone(), size, height });
        size
    }

    fn set_key(&mut self, key: Key, merge: bool) -> Result<(), LoadError> {
        let hasher = &self.hasher;
        let Some(Frame { body: Body::Map(map), .. }) = self.stack.last_mut() else {
            return Err(LoadError::at(key.pos, "internal error: a key outside a mapping"));
        };
        let mine = self.entries.get(map.start..).unwrap_or_default();
        if let Some(first) = earlier(mine, &mut map.hashes, &key.name, hasher) {
            return Err(LoadError::at(
                key.pos,
                format!(
                    "duplicate key {:?}: first at line {}, again at line {}",
                    key.name, first.pos.line, key.pos.line
                ),
            ));
        }
        if merge {
            map.merge = Some(mine.len());
        }
        map.key = Some(key);
        Ok(())
    }

    fn open(&mut self, is_map: bool, anchor: usize, tag: Option<&Tag>, span: Span) -> Result<(), LoadError> {
        let what = if is_map { "mapping" } else { "list" };
        let (tag_lc, mut value_lc) = self.locate(span, anchor != 0 || tag.is_some());
        if !is_map {
            value_lc = self.src.seq_start(value_lc, span.start.index(), anchor != 0 || tag.is_some());
        }
        let pos = self.src.pos(value_lc);
        if self.expecting_key() {
            return Err(LoadError::at(
                pos,
                format!("a mapping key must be a plain value, not a {what} (complex keys are not supported)"),
            ));
        }
        let wrap = match tag.map(|t| scalar::classify(&t.handle, &t.suffix)) {
            None | Some(TagKind::NonSpecific) => None,
            Some(TagKind::Core("map")) if is_map => None,
            Some(TagKind::Core("seq")) if !is_map => None,
            Some(TagKind::Core(core)) => {
                return Err(LoadError::at(self.src.pos(tag_lc), format!("`!!{core}` cannot tag a {what}")));
            }
            Some(TagKind::Intrinsic(key)) => Some((key, self.src.pos(tag_lc))),
            Some(TagKind::Unknown(name)) => return Err(unknown_tag(self.src.pos(tag_lc), &name)),
        };
        let cost = 1 + usize::from(wrap.is_some());
        if self.depth + cost > MAX_DEPTH {
            return Err(depth_error(pos));
        }
        self.depth += cost;
        self.count(cost, pos)?;
        let body = if is_map {
            Body::Map(MapBody { start: self.entries.len(), key: None, merge: None, hashes: HashSet::new() })
        } else {
            Body::Seq(self.items.len())
        };
        // A flow collection's start event ends just after its bracket; a block one is empty.
        let flow = matches!(self.src.byte_before(span.end.index()), Some(b'{' | b'['));
        self.stack.push(Frame { pos, flow_line: flow.then(|| span.end.line()), anchor, wrap, body });
        Ok(())
    }

    fn close(&mut self) -> Result<(), LoadError> {
        let Some(frame) = self.stack.pop() else {
            return Err(LoadError::nowhere("internal error: a collection closed twice"));
        };
        self.depth -= 1 + usize::from(frame.wrap.is_some());
        let value = match frame.body {
            Body::Seq(start) => NodeValue::Seq(self.items.drain(start.min(self.items.len())..).collect()),
            Body::Map(map) => {
                let start = map.start.min(self.entries.len());
                NodeValue::Map(map.finish(self.entries.drain(start..).collect())?)
            }
        };
        let node = Node { pos: frame.pos, value };
        let node = match frame.wrap {
            Some((key, at)) => wrap(key, at, node),
            None => node,
        };
        self.complete(node, frame.anchor)
    }

    /// A finished value: remember it if anchored, then put it in its parent.
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), LoadError> {
        if anchor != 0 {
            let size = self.remember(anchor, &node);
            self.count(size, node.pos)?;
        }
        self.attach(node)
    }

    fn attach(&mut self, node: Node) -> Result<(), LoadError> {
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame { body: Body::Seq(_), .. }) => {
                self.items.push(node);
                Ok(())
            }
            Some(Frame { body: Body::Map(map), .. }) => match map.key.take() {
                Some(key) => {
                    self.entries.push((key, node));
                    Ok(())
                }
                None => Err(LoadError::at(node.pos, "internal error: a value without a key")),
            },
        }
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), LoadError> {
        let pos = self.src.pos(lc(&span.start));
        let found = self.anchors.as_ref().and_then(|anchors| anchors.get(&id));
        let Some(Anchored { node, size, height }) = found else {
            let name = self.src.alias_name(span.start.index());
            return Err(LoadError::at(
                pos,
                format!("the alias *{name} is used inside the value it names (a recursive alias)"),
            ));
        };
        let (size, height) = (*size, *height);
        self.alias_nodes += size;
        if self.alias_nodes > MAX_ALIAS_NODES {
            return Err(LoadError::at(
                pos,
                format!(
                    "alias expansion exceeds {MAX_ALIAS_NODES} values (an alias bomb?); the alias \
                     *{} here would copy {size} values",
                    self.src.alias_name(span.start.index())
                ),
            ));
        }
        if self.depth + height > MAX_DEPTH {
            return Err(depth_error(pos));
        }
        if self.expecting_key() {
            let Some(name) = key_text(node) else {
                return Err(LoadError::at(pos, format!("a mapping key must be a plain value, not {}", node.kind())));
            };
            self.count(1, pos)?;
            return self.set_key(Key { pos, name }, false);
        }
        let mut copy = node.clone();
        copy.pos = pos;
        self.count(size, pos)?;
        self.attach(copy)
    }

    /// A parser error: an indentation problem that re-indenting may solve, or a final error.
    fn scan_stop(&mut self, e: &ScanError) -> Stop {
        let quoted = match e.info() {
            "invalid indentation in quoted scalar" => true,
            "invalid indentation" | "invalid indentation in flow construct" => false,
            _ => return Stop::Error(self.scan_error(e)),
        };
        let opener = self.stack.iter().find_map(|frame| frame.flow_line);
        Stop::Indent { at: lc(e.marker()), quoted, opener, error: self.scan_error(e) }
    }

    /// A parser error, with the position mapped back and the message made readable.
    fn scan_error(&mut self, e: &ScanError) -> LoadError {
        let mark = e.marker();
        let at_end = mark.index() >= self.src.char_len();
        // At the end of the text the parser may count one line more than there is.
        let at = self.src.pos(if at_end { self.src.end() } else { lc(mark) });
        let info = e.info();
        let message = match info {
            "recursion limit exceeded" => {
                format!("nesting deeper than 255 levels of `[ ]` or `{{ }}` brackets at line {}", at.line)
            }
            "while parsing node, found unknown anchor" => {
                let name = self.src.alias_name(mark.index());
                format!("unknown alias *{name}: no anchor &{name} is defined before it")
            }
            "while parsing a node, did not find expected node content" if at_end => {
                "the file ends where a value was expected (is a `{` or `[` left open?)".to_owned()
            }
            "while parsing a flow mapping, did not find expected ',' or '}'" if at_end => {
                "the file ends inside a `{ }` mapping (a missing `}`?)".to_owned()
            }
            "while parsing a flow sequence, expected ',' or ']'" if at_end => {
                "the file ends inside a `[ ]` list (a missing `]`?)".to_owned()
            }
            "while parsing a flow mapping, did not find expected ',' or '}'" => {
                "expected `,` or `}` in this `{ }` mapping".to_owned()
            }
            "while parsing a flow sequence, expected ',' or ']'" => "expected `,` or `]` in this `[ ]` list".to_owned(),
            "while scanning a quoted scalar, found unexpected end of stream" => {
                "a quoted string is still open at the end of the file (a missing closing quote?)".to_owned()
            }
            "mapping values are not allowed in this context" => "a `key: value` is not allowed \
                 here (check the indentation; a value that contains `: ` must be quoted)"
                .to_owned(),
            "while parsing a block mapping, did not find expected key" => "expected a `key:` at \
                 this indentation (check the indentation of this line and the one before)"
                .to_owned(),
            "while parsing a block collection, did not find expected '-' indicator" => "expected \
                 a `- ` list item at this indentation (check the indentation of this line)"
                .to_owned(),
            "tab cannot be used as indentation"
            | "tabs disallowed in this context"
            | "tabs disallowed within this context (block indentation)" => {
                "a tab is used for indentation; YAML indents with spaces".to_owned()
            }
            "while parsing a quoted scalar, found invalid Unicode character escape code" => {
                "a `\\u` escape in this quoted string is not a Unicode character (a lone UTF-16 \
                 surrogate?)"
                    .to_owned()
            }
            "unexpected eof" => "unexpected end of the file".to_owned(),
            other if at_end => format!("{other} (at the end of the file)"),
            other => other.to_owned(),
        };
        LoadError::at(at, message)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn s(pos: (u32, u32), text: &str) -> Node {
        Node { pos: Pos { line: pos.0, column: pos.1 }, value: NodeValue::String(text.into()) }
    }

    #[test]
    fn measure_counts_and_nests() {
        let leaf = s((1, 1), "x");
        let seq = Node { pos: Pos::default(), value: NodeValue::Seq(vec![leaf.clone(), leaf.clone()]) };
        let map = Node {
            pos: Pos::default(),
            value: NodeValue::Map(vec![(Key { pos: Pos::default(), name: "a".into() }, seq)]),
        };
        assert_eq!(measure(&leaf), (1, 0));
        assert_eq!(measure(&map), (4, 2));
    }

    #[test]
    fn indentless_sequence_is_placed_at_its_dash() {
        let node = load("a:\n- 1\n- 2\nb:\n  -   3\n").unwrap();
        assert_eq!(node.get("a").unwrap().pos, Pos { line: 2, column: 1 });
        assert_eq!(node.get("b").unwrap().pos, Pos { line: 5, column: 3 });
    }

    #[test]
    fn getatt_attribute_position() {
        let node = load("a: !GetAtt Res.Attr.Sub\nb: !GetAtt 'R.A'\n").unwrap();
        let items = node.get("a").unwrap().get("Fn::GetAtt").unwrap().as_seq().unwrap();
        assert_eq!(items[0], s((1, 12), "Res"));
        assert_eq!(items[1], s((1, 16), "Attr.Sub"));
        let items = node.get("b").unwrap().get("Fn::GetAtt").unwrap().as_seq().unwrap();
        assert_eq!(items[0], s((2, 12), "R"));
        assert_eq!(items[1], s((2, 15), "A"));
    }

    /// The JSON fast path and the YAML loader agree on every JSON text: same tree, same
    /// positions, same duplicate-key error.
    fn same_as_yaml(text: &str) {
        let fast = json::parse(text, &RandomState::new());
        let slow = load_yaml(text);
        match (fast, slow) {
            (Ok(fast), Ok(slow)) => assert_eq!(fast, slow, "{text:?}"),
            (Err(JsonError::Fatal(fast)), Err(slow)) => assert_eq!(fast, slow, "{text:?}"),
            (fast, slow) => panic!("{text:?}: json {fast:?}, yaml {slow:?}"),
        }
    }

    #[test]
    fn json_fast_path_matches_the_yaml_loader() {
        for text in [
            "{}",
            "[]",
            "{\"a\": [1, -2.5e+3, 0, -0, 1E2, true, false, null, \"x\"], \"b\": {}}",
            "{\n\t\"a\": {\n\t\t\"b\": \"\\u00e9\\n\\t\\/\\\\ \\ud83d\\ude00\"\n\t}\n}\n",
            "  [ {\"é\" : \"日本\", \"k\":[[],[{}]]} ]  ",
            "{\"a\":1,\"b\":2,\"c\":{\"d\":[\"e\",\"f\"]}}",
            "{\"a\": 1,\r\n \"a\": 2}",
        ] {
            same_as_yaml(text);
        }
        let mut big = String::from("{");
        for i in 0..100 {
            big.push_str(&format!("\"k{i}\": {i}, "));
        }
        big.push_str("\"k42\": 0}");
        same_as_yaml(&big);
    }

    #[test]
    fn json_syntax_errors_fall_back_to_yaml() {
        for text in ["{a: 1}", "{\"a\": 1, # comment\n \"b\": 'x'}", "{\"a\": 01}", "[1, 2,]"] {
            assert!(matches!(json::parse(text, &RandomState::new()), Err(JsonError::Syntax(_))), "{text}");
        }
        assert_eq!(load("{a: 1}").unwrap().get("a").unwrap().value, NodeValue::Number("1".into()));
        let e = load("{\"a\": 1 \"b\": 2}").unwrap_err();
        assert_eq!((e.line, e.column), (1, 9));
        assert!(e.message.contains("expected `,` or `}`"), "{e}");
    }

    #[test]
    fn json_fast_path_matches_the_yaml_loader_on_the_corpus() {
        let dir = std::env::var_os("SENSEI_CORPUS").map_or_else(
            || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/public"),
            std::path::PathBuf::from,
        );
        let exists = dir.is_dir();
        let mut todo = vec![dir];
        let mut compared = 0;
        while let Some(dir) = todo.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    todo.push(path);
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                if text::looks_like_json(text) {
                    same_as_yaml(text);
                    compared += 1;
                }
            }
        }
        println!("compared {compared} JSON files");
        assert!(!exists || compared >= 90, "only {compared} JSON files");
    }
}
