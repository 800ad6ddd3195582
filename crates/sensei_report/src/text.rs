//! The terminal report: what fails, where, and the code that fixes it.
//!
//! Findings are grouped by rule (in registry order), then by resource. Each failing or unknown
//! resource shows its place in the template (the line, one line around it, a caret under the
//! column), the message and the fix. Suppressed findings and those in the baseline are counted,
//! and listed with `--verbose`. Then come the inputs that could not be read, the gaps of a live
//! audit, a summary with the scores, and a one-line verdict.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use anstyle::{AnsiColor, Color, Style};

use crate::{Report, State, TemplateKind};
use sensei_model::Location;
use sensei_rules::{Finding, Fix, RuleMeta, Status};

/// How to draw the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextStyle {
    /// ANSI colours; when false the output holds no escape sequence at all.
    pub color: bool,
    /// Also list passing and skipped resources.
    pub verbose: bool,
    /// The column at which prose wraps and long source lines are cut (at least 40 is used).
    pub width: usize,
}

impl TextStyle {
    pub const DEFAULT_WIDTH: usize = 100;
}

impl Default for TextStyle {
    fn default() -> Self {
        TextStyle { color: false, verbose: false, width: TextStyle::DEFAULT_WIDTH }
    }
}

/// Writes the terminal report of `report` to `out`.
pub fn render(report: &Report, out: &mut dyn Write, style: &TextStyle) -> io::Result<()> {
    let mut renderer = Renderer {
        report,
        out,
        paint: Paint(style.color),
        verbose: style.verbose,
        width: style.width.max(MIN_WIDTH),
        line_starts: std::collections::HashMap::new(),
    };
    renderer.rules()?;
    renderer.errors()?;
    renderer.gaps()?;
    renderer.summary()?;
    renderer.verdict()
}

const MIN_WIDTH: usize = 40;
/// Where everything under a resource line starts.
const BODY: &str = "    ";

const RED: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Red)));
const GREEN: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Green)));
const YELLOW: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Yellow)));
const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

/// Colours text, or leaves it alone.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn apply(self, style: Style, text: &str) -> String {
        if self.0 && !text.is_empty() {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

fn marker(state: State) -> (&'static str, Style) {
    match state {
        State::Failing | State::BelowThreshold => ("✗", RED.bold()),
        State::Unknown | State::NotEvaluated => ("?", YELLOW.bold()),
        State::Pass => ("✓", GREEN),
        State::Skip => ("-", DIM),
        State::Baseline | State::Suppressed => ("~", DIM),
    }
}

/// The order of states within a rule: what needs work first. Rules are ordered by their first
/// finding's rank, capped at 2, so a rule with only accepted failures sorts with passing ones.
fn rank(state: State) -> u8 {
    match state {
        State::Failing | State::BelowThreshold => 0,
        State::Unknown | State::NotEvaluated => 1,
        State::Pass => 2,
        State::Baseline => 3,
        State::Suppressed => 4,
        State::Skip => 5,
    }
}

/// Shown without `--verbose`: what needs work.
fn needs_work(state: State) -> bool {
    matches!(state, State::Failing | State::BelowThreshold | State::Unknown | State::NotEvaluated)
}

/// The colour of a score, with sls-mentor's thresholds (50 and 75).
fn score_style(percent: u8) -> Style {
    match percent {
        0..=50 => RED,
        51..=75 => YELLOW,
        _ => GREEN,
    }
}

struct Renderer<'a> {
    report: &'a Report,
    out: &'a mut dyn Write,
    paint: Paint,
    verbose: bool,
    width: usize,
    /// Where each line of each source starts, computed once per file for the excerpts.
    line_starts: std::collections::HashMap<String, Vec<usize>>,
}

impl Renderer<'_> {
    fn line(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.out, "{text}")
    }

    fn blank(&mut self) -> io::Result<()> {
        writeln!(self.out)
    }

    /// Writes `text` wrapped at the width, the first line after `first`, the others after `rest`.
    fn prose(&mut self, text: &str, first: &str, rest: &str) -> io::Result<()> {
        for line in wrap(&clean(text), first, rest, self.width) {
            self.line(&line)?;
        }
        Ok(())
    }

    // ----- rules -------------------------------------------------------------------------------

    /// One section per rule with something to show: rules with failures first, then rules with
    /// unknowns, then (verbose) the others, each in registry order.
    fn rules(&mut self) -> io::Result<()> {
        let report = self.report;
        let mut by_rule: std::collections::HashMap<&str, Vec<&Finding>> = std::collections::HashMap::new();
        for f in &report.findings {
            by_rule.entry(f.rule.id).or_default().push(f);
        }
        let mut sections: Vec<(&'static RuleMeta, Vec<&Finding>)> = report
            .all_rules()
            .into_iter()
            .map(|rule| {
                let mut findings: Vec<&Finding> = by_rule.remove(rule.id).unwrap_or_default();
                findings.sort_by(|a, b| {
                    rank(report.state(a)).cmp(&rank(report.state(b))).then_with(|| crate::compare_findings(a, b))
                });
                (rule, findings)
            })
            .collect();
        sections.sort_by_key(|(_, findings)| findings.first().map_or(u8::MAX, |f| rank(report.state(f)).min(2)));
        for (rule, findings) in sections {
            let (shown, hidden): (Vec<&Finding>, Vec<&Finding>) =
                findings.into_iter().partition(|f| self.verbose || needs_work(report.state(f)));
            if shown.is_empty() {
                continue;
            }
            self.rule_header(rule)?;
            for (i, group) in group_by_resource(report, &shown).into_iter().enumerate() {
                if i > 0 {
                    self.blank()?;
                }
                self.resource(&group)?;
            }
            let not_listed = [State::Pass, State::Skip, State::Baseline, State::Suppressed]
                .into_iter()
                .map(|s| (s, hidden.iter().filter(|f| report.state(f) == s).count()))
                .filter(|(_, n)| *n > 0)
                .map(|(s, n)| match s {
                    State::Baseline => format!("{n} in the baseline"),
                    s => format!("{n} {}", s.as_str()),
                })
                .collect::<Vec<_>>();
            if !not_listed.is_empty() {
                self.blank()?;
                let text = format!("  Not listed: {}.", not_listed.join(", "));
                let text = self.paint.apply(DIM, &text);
                self.line(&text)?;
            }
            self.blank()?;
        }
        Ok(())
    }

    /// `S3-001 bucket-allows-plain-http  S3 bucket refuses plain-HTTP requests  [high, security]`
    fn rule_header(&mut self, rule: &RuleMeta) -> io::Result<()> {
        let tags: Vec<&str> =
            std::iter::once(rule.severity.as_str()).chain(rule.categories.iter().map(|c| c.as_str())).collect();
        let tags = format!("[{}]", tags.join(", "));
        let id = self.paint.apply(BOLD, rule.id);
        let plain_len = width_of(rule.id) + 1 + width_of(rule.slug) + 2 + width_of(rule.title) + 2 + width_of(&tags);
        let tags = self.paint.apply(DIM, &tags);
        if plain_len <= self.width {
            self.line(&format!("{id} {}  {}  {tags}", rule.slug, rule.title))
        } else {
            // The title goes under the slug.
            self.line(&format!("{id} {}  {tags}", rule.slug))?;
            let indent = " ".repeat(width_of(rule.id) + 1);
            self.prose(rule.title, &indent, &indent)
        }
    }

    /// One resource and its findings of one status, for one rule.
    fn resource(&mut self, findings: &[&Finding]) -> io::Result<()> {
        let Some(first) = findings.first() else {
            return Ok(());
        };
        let state = self.report.state(first);
        let (glyph, style) = marker(state);
        let mut label = format!("{} ({}", clean(&first.resource.id), clean(first.resource.resource_type.as_str()));
        if let Some(from) = &first.resource.generated_from {
            label.push_str(&format!(", generated from {}", clean(from)));
        }
        label.push(')');
        // A template resource is placed by file and line, a deployed one by region and stack.
        let live = first.resource.live.as_ref().and_then(|l| l.place()).map(|p| clean(&p).into_owned());
        let place = first.location.as_ref().map(|l| clean(&l.to_string()).into_owned()).or(live);
        let glyph = self.paint.apply(style, glyph);
        match &place {
            Some(place) if 4 + width_of(&label) + 2 + width_of(place) <= self.width => {
                self.line(&format!("  {glyph} {label}  {place}"))?;
            }
            Some(place) => {
                self.line(&format!("  {glyph} {label}"))?;
                self.line(&format!("{BODY}{place}"))?;
            }
            None => self.line(&format!("  {glyph} {label}"))?,
        }
        for (i, finding) in findings.iter().enumerate() {
            if i > 0
                && let Some(location) = &finding.location
            {
                self.line(&format!("{BODY}{}", clean(&location.to_string())))?;
            }
            if needs_work(self.report.state(finding))
                && let Some(location) = &finding.location
            {
                self.excerpt(location, style)?;
            }
            self.prose(&finding.message, BODY, BODY)?;
            match (self.report.state(finding), &finding.suppressed) {
                (State::Suppressed, Some(s)) => {
                    let until = s.expires.map(|d| format!(" until {d}")).unwrap_or_default();
                    let note = format!("suppressed ({}){until}: {}", s.source, s.reason);
                    self.prose(&note, BODY, BODY)?;
                }
                (State::Baseline, _) => self.prose("in the baseline: known, and does not fail the run", BODY, BODY)?,
                _ => {
                    if let Some(fix) = &finding.fix {
                        self.fix(fix)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The line at `location` with one line around it, a gutter of line numbers and a caret.
    fn excerpt(&mut self, location: &Location, caret_style: Style) -> io::Result<()> {
        let Some(source) = self.report.source(&location.file) else {
            return Ok(());
        };
        let starts = self.line_starts.entry(location.file.to_string()).or_insert_with(|| line_starts(source));
        let Some(excerpt) = Excerpt::new(source, starts, location, self.width) else {
            return Ok(());
        };
        let number_width = excerpt.last.to_string().len();
        let bar = |paint: Paint, number: Option<usize>| {
            let number = number.map(|n| n.to_string()).unwrap_or_default();
            paint.apply(DIM, &format!("{BODY}{number:>number_width$} |"))
        };
        self.line(&bar(self.paint, None))?;
        for (number, text) in &excerpt.lines {
            let gutter = bar(self.paint, Some(*number));
            if text.is_empty() {
                self.line(&gutter)?;
            } else {
                self.line(&format!("{gutter} {text}"))?;
            }
            if *number == excerpt.target {
                let caret = self.paint.apply(caret_style, "^");
                self.line(&format!("{} {:pad$}{caret}", bar(self.paint, None), "", pad = excerpt.caret))?;
            }
        }
        self.line(&bar(self.paint, None))
    }

    /// `fix: <summary>`, then the snippet as a fenced code block in the file's language.
    fn fix(&mut self, fix: &Fix) -> io::Result<()> {
        self.prose(&fix.summary, &format!("{BODY}fix: "), &format!("{BODY}     "))?;
        if let Some(snippet) = &fix.snippet {
            let fence = format!("{BODY}  ```");
            self.line(&format!("{fence}{}", clean(snippet.language)))?;
            for line in clean(&snippet.code).trim_end().lines() {
                if line.trim().is_empty() {
                    self.blank()?;
                } else {
                    self.line(&format!("{BODY}  {line}"))?;
                }
            }
            self.line(&fence)?;
        }
        Ok(())
    }

    // ----- errors ------------------------------------------------------------------------------

    fn errors(&mut self) -> io::Result<()> {
        let errors = self.report.sorted_errors();
        if errors.is_empty() {
            return Ok(());
        }
        let heading = self.paint.apply(BOLD, "Errors");
        self.line(&heading)?;
        self.blank()?;
        let glyph = self.paint.apply(RED.bold(), "✗");
        for error in errors {
            let mut place = clean(&error.file).into_owned();
            if let Some(line) = error.line {
                place.push_str(&format!(":{line}"));
                if let Some(column) = error.column {
                    place.push_str(&format!(":{column}"));
                }
            }
            let text = format!("{place}: {}", error.message);
            let mut lines = wrap(&clean(&text), "  ✗ ", BODY, self.width).into_iter();
            if let Some(first) = lines.next() {
                let rest = first.strip_prefix("  ✗").unwrap_or(&first);
                self.line(&format!("  {glyph}{rest}"))?;
            }
            for line in lines {
                self.line(&line)?;
            }
        }
        self.blank()
    }

    // ----- gaps --------------------------------------------------------------------------------

    fn gaps(&mut self) -> io::Result<()> {
        let gaps = self.report.sorted_gaps();
        if gaps.is_empty() {
            return Ok(());
        }
        let heading = self.paint.apply(BOLD, "Gaps: what the audit could not read");
        self.line(&heading)?;
        self.blank()?;
        let glyph = self.paint.apply(YELLOW.bold(), "?");
        for gap in gaps {
            let mut lines = wrap(&clean(&crate::gap_line(gap)), "  ? ", BODY, self.width).into_iter();
            if let Some(first) = lines.next() {
                let rest = first.strip_prefix("  ?").unwrap_or(&first);
                self.line(&format!("  {glyph}{rest}"))?;
            }
            for line in lines {
                self.line(&line)?;
            }
        }
        self.blank()
    }

    // ----- summary -----------------------------------------------------------------------------

    fn summary(&mut self) -> io::Result<()> {
        let report = self.report;
        let heading = self.paint.apply(BOLD, "Summary");
        self.line(&heading)?;
        self.blank()?;

        let mut kinds: BTreeMap<TemplateKind, usize> = BTreeMap::new();
        for file in &report.scanned {
            *kinds.entry(file.kind).or_default() += 1;
        }
        let mut files = report.scanned.len().to_string();
        if !kinds.is_empty() {
            let kinds: Vec<String> = kinds.iter().map(|(kind, n)| format!("{n} {}", kind.as_str())).collect();
            files.push_str(&format!(" ({})", kinds.join(", ")));
        }
        self.field("files", &[Word::plain(&files)])?;
        self.field("resources", &[Word::plain(&report.resources().to_string())])?;
        self.field("rules run", &[Word::plain(&report.rules.len().to_string())])?;

        let mut counts: Vec<(String, usize, Style)> =
            [(Status::Pass, GREEN), (Status::Fail, RED), (Status::Unknown, YELLOW), (Status::Skip, DIM)]
                .into_iter()
                .map(|(status, style)| (status.to_string(), report.count(status), style))
                .collect();
        // Shown only when there are some, so a plain run reads as before.
        let suppressed = report.suppressed();
        if suppressed > 0 {
            counts.push(("suppressed".to_string(), suppressed, DIM));
        }
        if report.baseline.is_some() {
            counts.push(("in the baseline".to_string(), report.baselined(), DIM));
        }
        let count = counts.len();
        let words: Vec<Word> = counts
            .into_iter()
            .enumerate()
            .map(|(i, (name, n, style))| {
                let text = format!("{n} {name}");
                let mut word = if n > 0 { self.painted(style, &text) } else { Word::plain(&text) };
                if i + 1 < count {
                    word.push_plain(",");
                }
                word
            })
            .collect();
        self.field("findings", &words)?;
        let errors = report.errors.len();
        let errors = if errors == 0 { Word::plain("none") } else { self.painted(RED, &errors.to_string()) };
        self.field("errors", &[errors])?;
        if !report.gaps.is_empty() {
            let gaps = self.painted(YELLOW, &report.gaps.len().to_string());
            self.field("gaps", &[gaps])?;
        }
        if let Some(baseline) = &report.baseline
            && baseline.fixed > 0
        {
            let text = format!(
                "{} no longer {}: write the baseline again to drop {}",
                count_of(baseline.fixed, "finding of the baseline", "findings of the baseline"),
                plural(baseline.fixed, "fails", "fail"),
                plural(baseline.fixed, "it", "them")
            );
            let words: Vec<Word> = text.split_whitespace().map(Word::plain).collect();
            self.field("baseline", &words)?;
        }

        let scores = report.scores();
        let mut words = Vec::new();
        match scores.overall.percent() {
            None => words.extend(["none:", "nothing", "passed", "or", "failed"].map(Word::plain)),
            Some(overall) => {
                words.push(Word::plain("overall"));
                words.push(self.painted(score_style(overall), &format!("{overall}%")));
                let categories: Vec<_> =
                    scores.categories.iter().filter_map(|(c, s)| s.percent().map(|p| (c, p))).collect();
                if let Some(last) = words.last_mut()
                    && !categories.is_empty()
                {
                    last.push_plain(";");
                }
                let count = categories.len();
                for (i, (category, percent)) in categories.into_iter().enumerate() {
                    words.push(Word::plain(category.as_str()));
                    words.push(self.painted(score_style(percent), &format!("{percent}%")));
                    if i + 1 < count
                        && let Some(last) = words.last_mut()
                    {
                        last.push_plain(",");
                    }
                }
            }
        }
        self.field("score", &words)?;
        self.blank()
    }

    fn painted(&self, style: Style, text: &str) -> Word {
        Word { text: text.to_string(), painted: self.paint.apply(style, text) }
    }

    /// `  label      value`, the value wrapped under itself.
    fn field(&mut self, label: &str, words: &[Word]) -> io::Result<()> {
        let first = format!("  {label:<11}");
        let rest = " ".repeat(width_of(&first));
        for line in wrap_words(words, &first, &rest, self.width) {
            self.line(&line)?;
        }
        Ok(())
    }

    /// The last lines: does anything fail, and what could not be decided or read?
    fn verdict(&mut self) -> io::Result<()> {
        let report = self.report;
        let failing: Vec<&Finding> = report.findings.iter().filter(|f| report.state(f) == State::Failing).collect();
        let below = report.count_state(State::BelowThreshold);
        let (head, style) = if !failing.is_empty() {
            let mut rules: Vec<&str> = failing.iter().map(|f| f.rule.id).collect();
            rules.sort_unstable();
            rules.dedup();
            let checks = count_of(failing.len(), "failing check", "failing checks");
            (format!("✗ {checks} in {}.", count_of(rules.len(), "rule", "rules")), Some(RED.bold()))
        } else if below > 0 {
            let severity = report.fail_on.map(|s| s.as_str()).unwrap_or_default();
            (format!("✓ Nothing of {severity} severity or worse fails."), Some(GREEN.bold()))
        } else if report.count(Status::Pass) > 0 {
            ("✓ Nothing fails.".to_string(), Some(GREEN.bold()))
        } else {
            ("Nothing fails, and nothing passes: no rule found a resource it could check.".to_string(), None)
        };
        // A painted head is short: it stays on one line, painted as a whole.
        let mut words = match style {
            Some(style) => vec![self.painted(style, &head)],
            None => head.split_whitespace().map(Word::plain).collect(),
        };
        let mut notes = String::new();
        if below > 0 {
            let severity = report.fail_on.map(|s| s.as_str()).unwrap_or_default();
            let verb = plural(below, "fails", "fail");
            notes.push_str(&format!(
                " {} of lower severity {verb} (below --fail-on {severity}).",
                count_of(below, "check", "checks")
            ));
        }
        let baselined = report.baselined();
        if baselined > 0 {
            let verb = plural(baselined, "is", "are");
            notes.push_str(&format!(" {} {verb} in the baseline.", count_of(baselined, "failure", "failures")));
        }
        let unknown = report.count(Status::Unknown);
        if unknown > 0 {
            let verb = if unknown == 1 { "is" } else { "are" };
            notes.push_str(&format!(" {} {verb} unknown.", count_of(unknown, "finding", "findings")));
        }
        let errors = report.errors.len();
        if errors > 0 {
            notes.push_str(&format!(" {} could not be read.", count_of(errors, "input", "inputs")));
        }
        let gaps = report.gaps.len();
        if gaps > 0 {
            notes.push_str(&format!(" {} (data the audit could not read).", count_of(gaps, "gap", "gaps")));
        }
        words.extend(notes.split_whitespace().map(Word::plain));
        for line in wrap_words(&words, "", "  ", self.width) {
            self.line(&line)?;
        }
        Ok(())
    }
}

/// Findings of one rule grouped by (state, resource), in order of first appearance.
fn group_by_resource<'f>(report: &Report, findings: &[&'f Finding]) -> Vec<Vec<&'f Finding>> {
    type Key<'k> = (State, Option<&'k str>, &'k str);
    let key = |f: &'f Finding| -> Key<'f> {
        let file = f.resource.location.as_ref().or(f.location.as_ref()).map(|l| &*l.file);
        (report.state(f), file, f.resource.id.as_str())
    };
    let mut groups: Vec<Vec<&'f Finding>> = Vec::new();
    let mut index: std::collections::HashMap<Key<'f>, usize> = std::collections::HashMap::new();
    for finding in findings {
        let at = *index.entry(key(finding)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        if let Some(list) = groups.get_mut(at) {
            list.push(finding);
        }
    }
    groups
}

/// The source lines shown for one location, cut to the width when they are too long.
#[derive(Debug, PartialEq, Eq)]
struct Excerpt {
    /// (line number, text as displayed)
    lines: Vec<(usize, String)>,
    target: usize,
    last: usize,
    /// Display columns before the caret.
    caret: usize,
}

/// The byte offset where each line of `source` starts (as `str::lines` counts lines).
fn line_starts(source: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(source.match_indices('\n').map(|(at, _)| at + 1).filter(|&at| at < source.len()));
    if source.is_empty() {
        starts.clear();
    }
    starts
}

/// Line `number` (1-based) of `source`, without its line break.
fn nth_line<'s>(source: &'s str, starts: &[usize], number: usize) -> Option<&'s str> {
    let start = *starts.get(number.checked_sub(1)?)?;
    let end = starts.get(number).map_or(source.len(), |next| next - 1);
    let line = source.get(start..end)?;
    let line = line.strip_suffix('\n').unwrap_or(line);
    Some(line.strip_suffix('\r').unwrap_or(line))
}

impl Excerpt {
    fn new(source: &str, starts: &[usize], location: &Location, width: usize) -> Option<Excerpt> {
        let target = usize::try_from(location.line).ok()?;
        if target == 0 {
            return None;
        }
        let first = target.saturating_sub(1).max(1);
        let raw: Vec<(usize, &str)> =
            (first..=target + 1).filter_map(|n| nth_line(source, starts, n).map(|l| (n, l))).collect();
        let (last, _) = *raw.last()?;
        if last < target {
            return None;
        }
        let lines: Vec<(usize, Vec<char>)> = raw.iter().map(|(n, l)| (*n, display_chars(l))).collect();
        let target_text = raw.iter().find(|(n, _)| *n == target).map(|(_, l)| *l).unwrap_or_default();
        let column = usize::try_from(location.column).unwrap_or(1).max(1);
        let caret: usize = target_text.chars().take(column - 1).map(|c| if c == '\t' { TAB } else { 1 }).sum::<usize>();
        let caret = caret.min(display_chars(target_text).len());

        // The gutter is `BODY`, the number, ` | `; the rest is for the text.
        let available = width.saturating_sub(BODY.len() + last.to_string().len() + 3).max(20);
        let longest = lines.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
        let start = if longest <= available || caret + 1 < available { 0 } else { caret - available / 3 };
        let end = start + available;
        let lines = lines.into_iter().map(|(n, chars)| (n, cut(&chars, start, end).trim_end().to_string())).collect();
        Some(Excerpt { lines, target, last, caret: caret - start })
    }
}

const TAB: usize = 4;

/// A source line as shown: tabs expanded, control characters replaced.
fn display_chars(line: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\t' => out.extend(std::iter::repeat_n(' ', TAB)),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The display columns `start..end` of a line, with `…` where it was cut.
fn cut(chars: &[char], start: usize, end: usize) -> String {
    if start == 0 && chars.len() <= end {
        return chars.iter().collect();
    }
    let mut shown: Vec<char> = chars.iter().skip(start).take(end - start).copied().collect();
    if start > 0
        && let Some(c) = shown.first_mut()
    {
        *c = '…';
    }
    if chars.len() > end
        && let Some(c) = shown.last_mut()
    {
        *c = '…';
    }
    shown.into_iter().collect()
}

/// Text from templates and rules, made safe for a terminal: control characters other than line
/// feeds are replaced, so a file cannot move the cursor or change colours.
fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().any(|c| c.is_control() && c != '\n') {
        Cow::Owned(
            text.chars()
                .map(|c| match c {
                    '\t' => ' ',
                    c if c.is_control() && c != '\n' => '\u{fffd}',
                    c => c,
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

fn width_of(text: &str) -> usize {
    text.chars().count()
}

fn plural<'s>(n: usize, one: &'s str, many: &'s str) -> &'s str {
    if n == 1 { one } else { many }
}

fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// A word to wrap: its plain text (which decides the width) and how it is drawn.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    painted: String,
}

impl Word {
    fn plain(text: &str) -> Word {
        Word { text: text.to_string(), painted: text.to_string() }
    }

    fn push_plain(&mut self, text: &str) {
        self.text.push_str(text);
        self.painted.push_str(text);
    }
}

/// Fills lines up to `width` columns; a word longer than a line gets a line of its own.
fn wrap_words(words: &[Word], first: &str, rest: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    fill(words.iter().map(|w| (w.text.as_str(), w.painted.as_str())), first, rest, width, &mut lines);
    lines
}

/// Fills lines with `(plain, painted)` words: the plain text decides the width, the painted one is
/// written. No word is copied on its own, since the reports wrap every message and fix.
fn fill<'a>(
    words: impl Iterator<Item = (&'a str, &'a str)>,
    first: &str,
    rest: &str,
    width: usize,
    lines: &mut Vec<String>,
) {
    let mut line = first.to_string();
    let mut used = width_of(first);
    let mut empty = true;
    for (text, painted) in words {
        let len = width_of(text);
        if !empty && used + 1 + len > width {
            lines.push(std::mem::replace(&mut line, rest.to_string()));
            used = width_of(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
            used += 1;
        }
        line.push_str(painted);
        used += len;
        empty = false;
    }
    line.truncate(line.trim_end().len());
    lines.push(line);
}

/// Wraps plain text, paragraph by paragraph.
fn wrap(text: &str, first: &str, rest: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, paragraph) in text.split('\n').enumerate() {
        fill(paragraph.split_whitespace().map(|w| (w, w)), if i == 0 { first } else { rest }, rest, width, &mut lines);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn at(line: u32, column: u32) -> Location {
        Location { file: Arc::from("t.yaml"), line, column }
    }

    #[test]
    fn wrap_keeps_lines_within_width_and_indents_the_rest() {
        let lines = wrap("one two three four five six", "> ", "  ", 12);
        assert_eq!(lines, ["> one two", "  three four", "  five six"]);
        assert!(lines.iter().all(|l| width_of(l) <= 12));
    }

    #[test]
    fn wrap_gives_a_long_word_its_own_line() {
        let lines = wrap("a averyveryverylongword b", "", "", 10);
        assert_eq!(lines, ["a", "averyveryverylongword", "b"]);
    }

    #[test]
    fn lines_are_found_as_str_lines_counts_them() {
        for source in ["a\nb\r\nc", "a\nb\r\nc\n", "", "\n\nx"] {
            let starts = line_starts(source);
            let expected: Vec<&str> = source.lines().collect();
            let found: Vec<&str> = (1..=expected.len()).filter_map(|n| nth_line(source, &starts, n)).collect();
            assert_eq!(found, expected, "{source:?}");
            assert_eq!(nth_line(source, &starts, expected.len() + 1), None, "{source:?}");
        }
    }

    #[test]
    fn excerpt_shows_the_line_with_one_line_around_it() {
        let source = "a\nb\nc\nd\n";
        let excerpt = Excerpt::new(source, &line_starts(source), &at(2, 1), 100);
        assert_eq!(
            excerpt.map(|e| e.lines),
            Some(vec![(1, "a".to_string()), (2, "b".to_string()), (3, "c".to_string())])
        );
        let first = Excerpt::new(source, &line_starts(source), &at(1, 1), 100).map(|e| e.lines.len());
        assert_eq!(first, Some(2));
        let last = Excerpt::new(source, &line_starts(source), &at(4, 1), 100).map(|e| e.lines.len());
        assert_eq!(last, Some(2));
    }

    #[test]
    fn excerpt_of_a_line_past_the_end_is_none() {
        assert_eq!(Excerpt::new("a\nb", &line_starts("a\nb"), &at(3, 1), 100), None);
        assert_eq!(Excerpt::new("a\nb", &line_starts("a\nb"), &at(0, 1), 100), None);
    }

    #[test]
    fn excerpt_caret_counts_tabs_and_stops_at_the_end_of_the_line() {
        let excerpt = Excerpt::new("\tkey: v", &line_starts("\tkey: v"), &at(1, 2), 100);
        assert_eq!(excerpt.as_ref().map(|e| e.caret), Some(TAB));
        let excerpt = Excerpt::new("ab", &line_starts("ab"), &at(1, 40), 100);
        assert_eq!(excerpt.map(|e| e.caret), Some(2));
    }

    #[test]
    fn excerpt_cuts_a_long_line_around_the_caret() -> Result<(), String> {
        let line: String = ('a'..='z').cycle().take(500).collect();
        let excerpt = Excerpt::new(&line, &line_starts(&line), &at(1, 300), 60).ok_or("no excerpt")?;
        let (_, shown) = excerpt.lines.first().ok_or("no line")?;
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert!(BODY.len() + 1 + 3 + width_of(shown) <= 60);
        // The caret still points at the 300th character.
        assert_eq!(shown.chars().nth(excerpt.caret), line.chars().nth(299));
        Ok(())
    }

    #[test]
    fn clean_replaces_escape_sequences() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\u{fffd}[31mb");
        assert!(matches!(clean("plain\ntext"), Cow::Borrowed(_)));
    }
}
