//! `sensei.toml`: the rules a project runs, their options, and the findings it accepts.
//!
//! ```toml
//! select = ["s3", "LAMBDA-001"]     # as --select
//! ignore = ["S3-004"]               # as --ignore
//! level = 3                         # as --level
//! [rules.LAMBDA-005]                # per-rule options, by id, slug or alias
//! max_memory_mb = 2048
//! [[ignores]]                       # suppress findings by resource pattern
//! rule = "S3-001"                   # optional: every rule when absent
//! resource = "Legacy*"              # logical id or ARN, `*` wildcard
//! reason = "decommissioned in Q3"   # required
//! ```
//!
//! The file is checked whole before a run: an unknown key, a name that is no rule, an option a
//! rule does not have, a value of the wrong type or a missing reason is an error that names the
//! file, the line and the column. Every problem is reported at once. `docs/configuration.md` is the
//! user's guide.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sensei_model::{Date, Location, ResourceRef};
use sensei_rules::{ALL, Category, Context, ResourceIgnore, Rule, Selection, Service, UnknownSelector};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The name of the file, looked for in the current folder and the folders above it.
pub const FILE_NAME: &str = "sensei.toml";

const TOP_KEYS: &[&str] = &["select", "ignore", "level", "rules", "ignores"];
const IGNORE_KEYS: &[&str] = &["rule", "resource", "reason"];

/// A `sensei.toml`, checked against the rule catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// Rules, aliases, services or categories to run (as `--select`); empty: the rules on by default.
    pub select: Vec<String>,
    /// Rules, aliases, services or categories not to run (as `--ignore`).
    pub ignore: Vec<String>,
    /// Run only the rules of this level and below (as `--level`).
    pub level: Option<u8>,
    /// Option values by (rule id, option key); a rule named by slug or alias is stored by its id.
    pub options: BTreeMap<(String, String), i64>,
    /// Findings not reported, by resource pattern.
    pub ignores: Vec<ResourceIgnore>,
}

impl Config {
    /// What a run takes from this file: the options and the ignores, with the scan date.
    pub fn context(&self, today: Date) -> Context {
        Context { today, options: self.options.clone(), ignores: self.ignores.clone() }
    }
}

/// One problem in a configuration file; lines and columns are 1-based (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Why a configuration file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read the configuration: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    /// Every problem found, in the order of the file.
    #[error("{}", Problems { path, problems })]
    Invalid { path: PathBuf, problems: Vec<Problem> },
}

/// `file:line:column: message`, one problem a line.
struct Problems<'a> {
    path: &'a Path,
    problems: &'a [Problem],
}

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}:{}: {}", self.path.display(), p.line, p.column, p.message)?;
        }
        Ok(())
    }
}

/// The nearest `sensei.toml`: in `start`, then in each folder above it. The search stops at the
/// filesystem root, and after the first folder that holds `.git` (the top of the repository).
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// Reads and checks the configuration file at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
    parse(&text, &ALL)
        .map(|c| Config { path: path.to_path_buf(), ..c })
        .map_err(|problems| ConfigError::Invalid { path: path.to_path_buf(), problems })
}

/// The selection of a run: the file's, with the command line's flags on top.
///
/// - `--select` replaces the file's `select`; a name it gives explicitly is also taken out of the
///   file's `ignore` (so `--select S3-004` runs S3-004 even when the file ignores it, while
///   `--select s3` still leaves out the S3 rules the file ignores).
/// - `--ignore` adds to the file's `ignore`.
/// - `--level` replaces the file's `level`.
pub fn merge(config: Option<&Config>, cli: &Selection) -> Selection {
    let Some(config) = config else { return cli.clone() };
    let (select, mut ignore) = if cli.select.is_empty() {
        (config.select.clone(), config.ignore.clone())
    } else {
        let named = |name: &String| cli.select.iter().any(|s| s.eq_ignore_ascii_case(name));
        (cli.select.clone(), config.ignore.iter().filter(|i| !named(i)).cloned().collect())
    };
    for name in &cli.ignore {
        if !ignore.iter().any(|i| i.eq_ignore_ascii_case(name)) {
            ignore.push(name.clone());
        }
    }
    Selection { select, ignore, level: cli.level.or(config.level) }
}

/// Whether `name` is what `--select` takes: a rule id, slug or alias, a service, a category, or
/// `all` (case-insensitive).
pub fn is_selector(name: &str) -> bool {
    selects(&ALL, name)
}

/// Template suppressions (`Metadata.sensei.ignore`) whose `rule` names no rule, service or
/// category, once each, with where they are written: `sensei_template` does not know the rules.
pub fn unknown_suppressions<'a>(
    resources: impl IntoIterator<Item = &'a ResourceRef>,
) -> Vec<(Option<Location>, String)> {
    let mut out: Vec<(Option<Location>, String)> = Vec::new();
    for resource in resources {
        for s in &resource.suppressions {
            if is_selector(&s.rule) || out.iter().any(|(at, _)| at.is_some() && *at == s.location) {
                continue;
            }
            let message = format!(
                "the suppression on `{}` names `{}`, which is no rule, alias, service or category (see `sensei rules`)",
                resource.declared_id(),
                s.rule
            );
            if !out.iter().any(|(at, m)| *at == s.location && *m == message) {
                out.push((s.location.clone(), message));
            }
        }
    }
    out
}

fn selects(catalog: &[&'static Rule], name: &str) -> bool {
    name.eq_ignore_ascii_case("all")
        || Service::ALL.iter().any(|s| s.as_str().eq_ignore_ascii_case(name))
        || Category::ALL.iter().any(|c| c.as_str().eq_ignore_ascii_case(name))
        || catalog.iter().any(|r| sensei_rules::matches(r, name))
}

/// The rule with this id, slug or alias, as [`sensei_rules::find`] does in `catalog`.
fn find(catalog: &[&'static Rule], name: &str) -> Option<&'static Rule> {
    catalog.iter().copied().find(|r| {
        r.meta.id.eq_ignore_ascii_case(name)
            || r.meta.slug.eq_ignore_ascii_case(name)
            || r.meta.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

/// Checks `text` against `catalog`. The path of the result is empty.
fn parse(text: &str, catalog: &[&'static Rule]) -> Result<Config, Vec<Problem>> {
    let mut checker = Checker { text, catalog, problems: Vec::new() };
    let config = match DeTable::parse(text) {
        Ok(root) => checker.config(root.get_ref()),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let mut message = format!("invalid TOML: {}", e.message().trim_end());
            if message.ends_with("duplicate key")
                && let Some(key) = text.get(span.clone()).filter(|k| !k.is_empty() && !k.contains('\n'))
            {
                message.push_str(&format!(" `{key}`"));
            }
            checker.problem(span, message);
            Config::default()
        }
    };
    if checker.problems.is_empty() {
        return Ok(config);
    }
    let mut problems: Vec<(usize, Problem)> = checker.problems;
    problems.sort_by_key(|(offset, _)| *offset);
    Err(problems.into_iter().map(|(_, p)| p).collect())
}

type Value<'i> = Spanned<DeValue<'i>>;

struct Checker<'t> {
    text: &'t str,
    catalog: &'t [&'static Rule],
    /// Each with its byte offset, to sort them in the order of the file.
    problems: Vec<(usize, Problem)>,
}

impl Checker<'_> {
    fn problem(&mut self, span: Range<usize>, message: String) {
        let before = self.text.get(..span.start).unwrap_or(self.text);
        let line = before.matches('\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().unwrap_or_default().chars().count() as u32 + 1;
        self.problems.push((span.start, Problem { line, column, message }));
    }

    fn config(&mut self, root: &DeTable<'_>) -> Config {
        let mut config = Config::default();
        for (key, value) in root.iter() {
            match key.get_ref().as_ref() {
                "select" => config.select = self.selectors("select", value),
                "ignore" => config.ignore = self.selectors("ignore", value),
                "level" => config.level = self.level(value),
                "rules" => config.options = self.rules(value),
                "ignores" => config.ignores = self.ignores(value),
                other => self.problem(
                    key.span(),
                    format!("unknown key `{other}` (the keys are {})", list(TOP_KEYS.iter().copied())),
                ),
            }
        }
        config
    }

    /// `select` or `ignore`: a list of rule names, services and categories.
    fn selectors(&mut self, key: &str, value: &Value<'_>) -> Vec<String> {
        let Some(items) = value.get_ref().as_array() else {
            self.problem(
                value.span(),
                format!(
                    "`{key}` must be a list of rule ids, slugs, aliases, services or categories, found {}",
                    kind(value.get_ref())
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.get_ref().as_str() {
                Some(name) if selects(self.catalog, name) => out.push(name.to_string()),
                Some(name) => self.problem(item.span(), format!("in `{key}`: {}", UnknownSelector(name.to_string()))),
                None => self.problem(
                    item.span(),
                    format!("`{key}` holds rule names (strings), found {}", kind(item.get_ref())),
                ),
            }
        }
        out
    }

    fn level(&mut self, value: &Value<'_>) -> Option<u8> {
        let level = integer(value.get_ref()).and_then(|n| u8::try_from(n).ok()).filter(|n| (1..=5).contains(n));
        if level.is_none() {
            self.problem(
                value.span(),
                format!("`level` must be an integer from 1 to 5, found {}", shown(value.get_ref())),
            );
        }
        level
    }

    /// `[rules.<name>]` tables of options.
    fn rules(&mut self, value: &Value<'_>) -> BTreeMap<(String, String), i64> {
        let mut options = BTreeMap::new();
        let Some(table) = value.get_ref().as_table() else {
            self.problem(
                value.span(),
                format!("`rules` must be a table of rules (`[rules.S3-001]`), found {}", kind(value.get_ref())),
            );
            return options;
        };
        for (name, body) in table.iter() {
            let name_text = name.get_ref().as_ref();
            let Some(rule) = find(self.catalog, name_text) else {
                let message = format!("`[rules.{name_text}]`: `{name_text}` names no rule (see `sensei rules`)");
                let dotted = body.get_ref().as_table().and_then(|t| {
                    t.iter()
                        .map(|(k, _)| format!("{name_text}.{}", k.get_ref()))
                        .find(|n| find(self.catalog, n).is_some())
                });
                match dotted {
                    Some(alias) => self.problem(
                        name.span(),
                        format!("{message}; a name with a dot must be quoted: `[rules.\"{alias}\"]`"),
                    ),
                    None => self.problem(name.span(), message),
                }
                continue;
            };
            let id = rule.meta.id;
            let Some(body_table) = body.get_ref().as_table() else {
                self.problem(
                    body.span(),
                    format!("`rules.{name_text}` must be a table of options, found {}", kind(body.get_ref())),
                );
                continue;
            };
            for (key, v) in body_table.iter() {
                let key_text = key.get_ref().as_ref();
                let Some(option) = rule.meta.options.iter().find(|o| o.key == key_text) else {
                    let known = if rule.meta.options.is_empty() {
                        "it has none".to_string()
                    } else {
                        format!("its options are {}", list(rule.meta.options.iter().map(|o| o.key)))
                    };
                    self.problem(key.span(), format!("rule {id} has no option `{key_text}` ({known})"));
                    continue;
                };
                let Some(n) = integer(v.get_ref()) else {
                    self.problem(
                        v.span(),
                        format!(
                            "option `{key_text}` of rule {id} must be an integer (default {}), found {}",
                            option.default,
                            shown(v.get_ref())
                        ),
                    );
                    continue;
                };
                if options.insert((id.to_string(), key_text.to_string()), n).is_some() {
                    self.problem(
                        key.span(),
                        format!(
                            "option `{key_text}` of rule {id} is set twice (the rule is named twice under `rules`)"
                        ),
                    );
                }
            }
        }
        options
    }

    /// `[[ignores]]`: findings not reported, by resource pattern.
    fn ignores(&mut self, value: &Value<'_>) -> Vec<ResourceIgnore> {
        let Some(items) = value.get_ref().as_array() else {
            self.problem(
                value.span(),
                format!(
                    "`ignores` must be a list of tables (`[[ignores]]` with `resource` and `reason`), found {}",
                    kind(value.get_ref())
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let Some(table) = item.get_ref().as_table() else {
                self.problem(
                    item.span(),
                    format!(
                        "`ignores` entry {n} must be a table with `resource` and `reason`, found {}",
                        kind(item.get_ref())
                    ),
                );
                continue;
            };
            let before = self.problems.len();
            let (mut rule, mut resource, mut reason) = (None, None, None);
            for (key, v) in table.iter() {
                let key_text = key.get_ref().as_ref();
                if !IGNORE_KEYS.contains(&key_text) {
                    self.problem(
                        key.span(),
                        format!(
                            "`ignores` entry {n}: unknown key `{key_text}` (the keys are {})",
                            list(IGNORE_KEYS.iter().copied())
                        ),
                    );
                    continue;
                }
                let Some(text) = v.get_ref().as_str().map(str::trim) else {
                    self.problem(
                        v.span(),
                        format!("`ignores` entry {n}: `{key_text}` must be a string, found {}", kind(v.get_ref())),
                    );
                    continue;
                };
                match key_text {
                    "rule" if !selects(self.catalog, text) => {
                        self.problem(v.span(), format!("`ignores` entry {n}: {}", UnknownSelector(text.to_string())))
                    }
                    "rule" => rule = Some(text.to_string()),
                    _ if text.is_empty() => {
                        self.problem(v.span(), format!("`ignores` entry {n}: `{key_text}` is empty"))
                    }
                    "resource" => resource = Some(text.to_string()),
                    _ => reason = Some(text.to_string()),
                }
            }
            if self.problems.len() > before {
                continue;
            }
            // A missing key is reported where the entry is.
            let at = item.span();
            match (resource, reason) {
                (Some(resource), Some(reason)) => out.push(ResourceIgnore { rule, resource, reason }),
                (None, _) => self.problem(
                    at,
                    format!(
                        "`ignores` entry {n} has no `resource`: a logical id or ARN (`*` matches any run of characters)"
                    ),
                ),
                (_, None) => self
                    .problem(at, format!("`ignores` entry {n} has no `reason`: say why these findings are accepted")),
            }
        }
        out
    }
}

/// An integer value, when it is one that fits `i64`.
fn integer(value: &DeValue<'_>) -> Option<i64> {
    let n = value.as_integer()?;
    i64::from_str_radix(n.as_str(), n.radix()).ok()
}

/// What kind of value this is, in the user's words.
fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// A scalar as written, or its kind.
fn shown(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("\"{s}\""),
        DeValue::Integer(n) => n.as_str().to_string(),
        DeValue::Float(n) => n.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        other => kind(other).to_string(),
    }
}

/// `a`, `b` and `c`.
fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use sensei_rules::{Findings, Inventory, RuleMeta, RuleOption, Severity};

    use super::*;

    fn nothing(_: &Inventory, _: &mut Findings<'_>) {}

    /// A rule with options, whatever the real catalog holds today.
    static MEMORY: Rule = Rule {
        meta: RuleMeta {
            id: "LAMBDA-900",
            slug: "function-memory-too-large",
            title: "Lambda function memory is sized",
            service: Service::Lambda,
            categories: &[Category::Savings],
            severity: Severity::Low,
            level: 3,
            aliases: &["lambdaMemory", "Lambda.90"],
            options: &[
                RuleOption { key: "max_memory_mb", default: 1024, doc: "largest memory size, in MB" },
                RuleOption { key: "min_memory_mb", default: 128, doc: "smallest memory size, in MB" },
            ],
            needs_live_data: false,
            reads: &[],
            enabled_by_default: true,
            docs: "",
        },
        check: nothing,
    };

    static PLAIN: Rule = Rule {
        meta: RuleMeta {
            id: "S3-900",
            slug: "bucket-is-plain",
            title: "S3 bucket is plain",
            service: Service::S3,
            categories: &[Category::Security],
            severity: Severity::High,
            level: 1,
            aliases: &[],
            options: &[],
            needs_live_data: false,
            reads: &[],
            enabled_by_default: true,
            docs: "",
        },
        check: nothing,
    };

    fn check(text: &str) -> Result<Config, Vec<String>> {
        parse(text, &[&MEMORY, &PLAIN])
            .map_err(|ps| ps.into_iter().map(|p| format!("{}:{} {}", p.line, p.column, p.message)).collect())
    }

    #[test]
    fn a_full_file_is_read() {
        let config = check(
            r#"
select = ["lambda", "S3-900", "security"]
ignore = ["lambdaMemory"]
level = 3

[rules.function-memory-too-large]
max_memory_mb = 2048

[rules."Lambda.90"]
min_memory_mb = 0x100

[[ignores]]
rule = "S3-900"
resource = "Legacy*"
reason = "decommissioned in Q3"

[[ignores]]
resource = "arn:aws:s3:::scratch-*"
reason = "scratch space"
"#,
        )
        .unwrap();
        assert_eq!(config.select, ["lambda", "S3-900", "security"]);
        assert_eq!(config.ignore, ["lambdaMemory"]);
        assert_eq!(config.level, Some(3));
        let options: Vec<_> = config.options.iter().map(|((r, k), v)| (r.as_str(), k.as_str(), *v)).collect();
        assert_eq!(options, [("LAMBDA-900", "max_memory_mb", 2048), ("LAMBDA-900", "min_memory_mb", 256)]);
        assert_eq!(
            config.ignores,
            [
                ResourceIgnore {
                    rule: Some("S3-900".into()),
                    resource: "Legacy*".into(),
                    reason: "decommissioned in Q3".into()
                },
                ResourceIgnore {
                    rule: None,
                    resource: "arn:aws:s3:::scratch-*".into(),
                    reason: "scratch space".into()
                },
            ]
        );
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        assert_eq!(check("").unwrap(), Config::default());
        assert_eq!(check("# nothing yet\n").unwrap(), Config::default());
    }

    #[test]
    fn every_problem_is_reported_at_its_line_and_column_in_file_order() {
        let got = check(
            r#"selec = ["s3"]
ignore = ["S3-999", 4, "savings"]
level = 7

[rules.S3-900]
max_memory_mb = 1

[rules.LAMBDA-900]
max_memory_mb = "2048"
memory = 3

[rules.nope]
x = 1

[[ignores]]
rule = "S3-900"
resource = "Legacy*"

[[ignores]]
resource = "X"
reason = ""
why = "?"
"#,
        )
        .unwrap_err();
        assert_eq!(
            got,
            [
                "1:1 unknown key `selec` (the keys are `select`, `ignore`, `level`, `rules` and `ignores`)",
                "2:11 in `ignore`: `S3-999` names no rule, alias, service or category (see `sensei rules`)",
                "2:21 `ignore` holds rule names (strings), found an integer",
                "3:9 `level` must be an integer from 1 to 5, found 7",
                "6:1 rule S3-900 has no option `max_memory_mb` (it has none)",
                "9:17 option `max_memory_mb` of rule LAMBDA-900 must be an integer (default 1024), found \"2048\"",
                "10:1 rule LAMBDA-900 has no option `memory` (its options are `max_memory_mb` and `min_memory_mb`)",
                "12:8 `[rules.nope]`: `nope` names no rule (see `sensei rules`)",
                "15:1 `ignores` entry 1 has no `reason`: say why these findings are accepted",
                "21:10 `ignores` entry 2: `reason` is empty",
                "22:1 `ignores` entry 2: unknown key `why` (the keys are `rule`, `resource` and `reason`)",
            ]
        );
    }

    #[test]
    fn wrong_shapes_are_named() {
        let got = check("select = \"s3\"\nrules = 3\nignores = {resource = \"x\"}\n").unwrap_err();
        assert_eq!(
            got,
            [
                "1:10 `select` must be a list of rule ids, slugs, aliases, services or categories, found a string",
                "2:9 `rules` must be a table of rules (`[rules.S3-001]`), found an integer",
                "3:11 `ignores` must be a list of tables (`[[ignores]]` with `resource` and `reason`), found a table",
            ]
        );
        let got = check("ignores = [\"x\"]\n[rules]\nS3-900 = 1\n").unwrap_err();
        assert_eq!(
            got,
            [
                "1:12 `ignores` entry 1 must be a table with `resource` and `reason`, found a string",
                "3:10 `rules.S3-900` must be a table of options, found an integer",
            ]
        );
    }

    #[test]
    fn an_alias_with_a_dot_must_be_quoted() {
        let got = check("[rules.Lambda.90]\nmax_memory_mb = 1\n").unwrap_err();
        assert_eq!(
            got,
            [
                "1:8 `[rules.Lambda]`: `Lambda` names no rule (see `sensei rules`); a name with a dot must be quoted: `[rules.\"Lambda.90\"]`"
            ]
        );
    }

    #[test]
    fn a_rule_named_twice_cannot_set_an_option_twice() {
        let got =
            check("[rules.LAMBDA-900]\nmax_memory_mb = 1\n[rules.lambdaMemory]\nmax_memory_mb = 2\n").unwrap_err();
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("set twice"), "{got:?}");
    }

    #[test]
    fn toml_syntax_errors_have_a_position() {
        let got = check("level = 3\nlevel = 4\n").unwrap_err();
        assert_eq!(got, ["2:1 invalid TOML: duplicate key `level`"]);
        let got = check("select = [\"s3\"\n").unwrap_err();
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn merge_keeps_the_file_and_adds_the_flags() {
        let config =
            Config { select: vec!["s3".into()], ignore: vec!["S3-004".into()], level: Some(3), ..Config::default() };
        let none = Selection::default();
        let s = merge(Some(&config), &none);
        assert_eq!((s.select, s.ignore, s.level), (vec!["s3".to_string()], vec!["S3-004".to_string()], Some(3)));

        let cli = Selection { select: vec![], ignore: vec!["S3-002".into(), "s3-004".into()], level: Some(1) };
        let s = merge(Some(&config), &cli);
        assert_eq!(
            (s.select, s.ignore, s.level),
            (vec!["s3".to_string()], vec!["S3-004".into(), "S3-002".into()], Some(1))
        );

        let cli = Selection { select: vec!["s3-004".into()], ..Selection::default() };
        let s = merge(Some(&config), &cli);
        assert_eq!((s.select, s.ignore, s.level), (vec!["s3-004".to_string()], vec![], Some(3)));

        let cli = Selection { select: vec!["S3-001".into()], ignore: vec!["x".into()], level: None };
        let s = merge(None, &cli);
        assert_eq!((s.select, s.ignore, s.level), (vec!["S3-001".to_string()], vec!["x".to_string()], None));
    }

    #[test]
    fn the_context_carries_options_and_ignores() {
        let config =
            check("[rules.LAMBDA-900]\nmax_memory_mb = 3008\n[[ignores]]\nresource = \"A\"\nreason = \"r\"\n").unwrap();
        let today = Date { year: 2026, month: 1, day: 2 };
        let context = config.context(today);
        assert_eq!(context.today, today);
        assert_eq!(context.option(&MEMORY, "max_memory_mb"), 3008);
        assert_eq!(context.option(&MEMORY, "min_memory_mb"), 128);
        assert_eq!(context.ignores.len(), 1);
    }

    #[test]
    fn lists_read_well() {
        assert_eq!(list(["a"].into_iter()), "`a`");
        assert_eq!(list(["a", "b", "c"].into_iter()), "`a`, `b` and `c`");
    }
}
