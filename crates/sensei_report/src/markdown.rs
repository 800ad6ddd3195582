//! A compact Markdown summary for GitHub step summaries and pull request comments: the verdict, the
//! scores per category, the failing rules with their resources, the top fixes with their code,
//! and what could not be read.
//!
//! Text from templates (resource ids, values quoted in messages) is escaped, so a template cannot
//! inject HTML, links or tables into a comment; the code spans rules write in messages are kept.

use std::io::{self, Write};

use crate::{Report, State};
use sensei_rules::{Finding, Status};

/// Top fixes shown, each with its code.
pub const TOP_FIXES: usize = 5;
/// Resources named per failing rule before "and N more".
const RESOURCES_PER_RULE: usize = 5;

/// Writes the Markdown summary of `report`.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut md = String::new();
    heading(report, &mut md);
    scores(report, &mut md);
    counts(report, &mut md);
    failing_rules(report, &mut md);
    top_fixes(report, &mut md);
    errors(report, &mut md);
    gaps(report, &mut md);
    out.write_all(md.trim_end().as_bytes())?;
    out.write_all(b"\n")
}

fn heading(report: &Report, md: &mut String) {
    let failing: Vec<&Finding> = report.findings.iter().filter(|f| report.state(f) == State::Failing).collect();
    let verdict = if !failing.is_empty() {
        let mut rules: Vec<&str> = failing.iter().map(|f| f.rule.id).collect();
        rules.sort_unstable();
        rules.dedup();
        format!(
            "❌ {} in {}",
            crate::count_of(failing.len(), "failing check", "failing checks"),
            crate::count_of(rules.len(), "rule", "rules")
        )
    } else if report.count(Status::Pass) > 0 || report.count(Status::Fail) > 0 {
        "✅ Nothing fails".to_string()
    } else {
        "Nothing was checked".to_string()
    };
    md.push_str(&format!("## sensei: {verdict}\n\n"));
    use crate::{Note, count_of};
    let does = |n: usize| if n == 1 { "does" } else { "do" };
    let notes: Vec<String> = report
        .notes()
        .into_iter()
        .filter_map(|note| match note {
            Note::BelowThreshold { count, severity } => Some(format!(
                "{} below `--fail-on {severity}` {} not fail the run.",
                count_of(count, "failing check", "failing checks"),
                does(count)
            )),
            Note::Baselined(n) => Some(format!(
                "{} in the baseline {} not fail the run.",
                count_of(n, "known failure", "known failures"),
                does(n)
            )),
            Note::Fixed(n) => Some(format!(
                "{} no longer {}.",
                count_of(n, "finding of the baseline", "findings of the baseline"),
                if n == 1 { "fails" } else { "fail" }
            )),
            // The summary's counts already show unknown findings.
            Note::Unknown(_) => None,
            Note::Unreadable(n) => {
                Some(format!("{} could not be read: the audit is incomplete.", count_of(n, "input", "inputs")))
            }
            Note::Gaps(n) => Some(format!("{} of a live audit: data it could not read.", count_of(n, "gap", "gaps"))),
        })
        .collect();
    if !notes.is_empty() {
        md.push_str(&notes.join(" "));
        md.push_str("\n\n");
    }
}

/// A coloured mark for a score, with sls-mentor's thresholds (50 and 75).
fn mark(percent: u8) -> &'static str {
    match percent {
        0..=50 => "🔴",
        51..=75 => "🟡",
        _ => "🟢",
    }
}

fn scores(report: &Report, md: &mut String) {
    let scores = report.scores();
    let Some(overall) = scores.overall.percent() else {
        return;
    };
    let mut names = vec!["overall".to_string()];
    let mut values = vec![format!("{} **{overall}%**", mark(overall))];
    for (category, score) in &scores.categories {
        if let Some(percent) = score.percent() {
            names.push(category.as_str().to_string());
            values.push(format!("{} {percent}%", mark(percent)));
        }
    }
    md.push_str(&format!("| {} |\n", names.join(" | ")));
    md.push_str(&format!("|{}\n", ":-:|".repeat(names.len())));
    md.push_str(&format!("| {} |\n\n", values.join(" | ")));
}

fn counts(report: &Report, md: &mut String) {
    let mut parts = vec![
        format!("{} pass", report.count(Status::Pass)),
        format!("{} fail", report.count(Status::Fail)),
        format!("{} unknown", report.count(Status::Unknown)),
        format!("{} skip", report.count(Status::Skip)),
    ];
    if report.suppressed() > 0 {
        parts.push(format!("{} suppressed", report.suppressed()));
    }
    if report.baseline.is_some() {
        parts.push(format!("{} in the baseline", report.baselined()));
    }
    md.push_str(&format!(
        "{} · {} · {} · {}\n\n",
        parts.join(" · "),
        crate::count_of(report.scanned.len(), "file", "files"),
        crate::count_of(report.resources(), "resource", "resources"),
        crate::count_of(report.rules.len(), "rule", "rules"),
    ));
}

fn failing_rules(report: &Report, md: &mut String) {
    let findings = report.sorted_findings();
    let mut rows = Vec::new();
    for rule in report.all_rules() {
        let failing: Vec<&&Finding> = findings
            .iter()
            .filter(|f| f.rule.id == rule.id && matches!(report.state(f), State::Failing | State::BelowThreshold))
            .collect();
        if failing.is_empty() {
            continue;
        }
        let mut resources: Vec<String> = failing
            .iter()
            .take(RESOURCES_PER_RULE)
            .map(|f| {
                let place = match (&f.location, f.resource.live.as_ref().and_then(|l| l.place())) {
                    (Some(l), _) => Some(format!(" {}", code(&format!("{}:{}", l.file, l.line), true))),
                    (None, Some(place)) => Some(format!(" ({})", inline(&place, true))),
                    (None, None) => None,
                };
                format!("{}{}", code(&f.resource.id, true), place.unwrap_or_default())
            })
            .collect();
        if failing.len() > RESOURCES_PER_RULE {
            resources.push(format!("and {} more", failing.len() - RESOURCES_PER_RULE));
        }
        rows.push(format!(
            "| {} {} | {} | {} |",
            code(rule.id, true),
            inline(&format!("{}: {}", rule.slug, rule.title), true),
            rule.severity,
            resources.join("<br>")
        ));
    }
    if rows.is_empty() {
        return;
    }
    md.push_str("### Failing rules\n\n| Rule | Severity | Resources |\n|---|---|---|\n");
    for row in rows {
        md.push_str(&row);
        md.push('\n');
    }
    md.push('\n');
}

fn top_fixes(report: &Report, md: &mut String) {
    let fixes = report.top_fixes(TOP_FIXES);
    if fixes.is_empty() {
        return;
    }
    md.push_str("### Top fixes\n\n");
    for (i, finding) in fixes.into_iter().enumerate() {
        let mut line = format!(
            "{}. **{}** {} · {}",
            i + 1,
            code(&finding.resource.id, false),
            code(finding.rule.id, false),
            finding.rule.severity
        );
        if let Some(location) = &finding.location {
            line.push_str(&format!(" · {}", code(&location.to_string(), false)));
        } else if let Some(place) = finding.resource.live.as_ref().and_then(|l| l.place()) {
            line.push_str(&format!(" · {}", inline(&place, false)));
        }
        if report.state(finding) == State::Baseline {
            line.push_str(" · in the baseline");
        }
        // A backslash at the end of a line is a hard line break.
        md.push_str(&line);
        md.push_str("\\\n");
        md.push_str(&format!("   {}", inline(&finding.message, false)));
        if let Some(fix) = &finding.fix {
            md.push_str(&format!("\\\n   **Fix:** {}\n", inline(&fix.summary, false)));
            if let Some(snippet) = &fix.snippet {
                let fence = "`".repeat(longest_backtick_run(&snippet.code).max(2) + 1);
                let language: String = snippet.language.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
                md.push_str("\n   <details><summary>Code</summary>\n\n");
                md.push_str(&format!("   {fence}{language}\n"));
                let code: String =
                    snippet.code.chars().map(|c| if c.is_control() && c != '\n' { ' ' } else { c }).collect();
                for code_line in code.lines() {
                    md.push_str(format!("   {code_line}").trim_end());
                    md.push('\n');
                }
                md.push_str(&format!("   {fence}\n\n   </details>\n"));
            }
        } else {
            md.push('\n');
        }
        md.push('\n');
    }
}

fn errors(report: &Report, md: &mut String) {
    let errors = report.sorted_errors();
    if errors.is_empty() {
        return;
    }
    md.push_str("### Inputs that could not be read\n\n");
    for error in errors {
        let mut place = error.file.clone();
        if let Some(line) = error.line {
            place.push_str(&format!(":{line}"));
            if let Some(column) = error.column {
                place.push_str(&format!(":{column}"));
            }
        }
        md.push_str(&format!("- {}: {}\n", code(&place, false), inline(&error.message, false)));
    }
    md.push('\n');
}

fn gaps(report: &Report, md: &mut String) {
    let gaps = report.sorted_gaps();
    if gaps.is_empty() {
        return;
    }
    md.push_str("### Gaps: what the audit could not read\n\n| Service | Operation | Region | Resource | Error |\n|---|---|---|---|---|\n");
    for gap in gaps {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            inline(&gap.service, true),
            inline(&gap.operation, true),
            gap.region.as_deref().map(|r| inline(r, true)).unwrap_or_else(|| "global".to_string()),
            gap.resource.as_deref().map(|r| code(r, true)).unwrap_or_else(|| "all".to_string()),
            inline(&format!("{}: {}", gap.code, gap.message), true)
        ));
    }
    md.push('\n');
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `text` as a code span, whatever it holds. In a table cell, `|` is escaped as GFM requires.
pub fn code(text: &str, in_table: bool) -> String {
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let text = if in_table { text.replace('|', "\\|") } else { text };
    let ticks = "`".repeat(longest_backtick_run(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// Prose from rules and templates on one line: the code spans it has are kept as they are, and
/// everything else that Markdown or HTML would read is escaped.
pub fn inline(text: &str, in_table: bool) -> String {
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find('`') {
        let (before, from) = rest.split_at(start);
        escape_into(before, &mut out);
        let after = from.get(1..).unwrap_or_default();
        match after.find('`') {
            Some(end) if end > 0 => {
                let span = after.get(..end).unwrap_or_default();
                out.push_str(&code(span, in_table));
                rest = after.get(end + 1..).unwrap_or_default();
            }
            _ => {
                out.push_str("\\`");
                rest = after;
            }
        }
    }
    escape_into(rest, &mut out);
    out
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '!' | '@' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_keeps_code_spans_and_escapes_the_rest() {
        assert_eq!(inline("add `Resources` now", false), "add `Resources` now");
        assert_eq!(inline("<script>alert(1)</script>", false), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(inline("[x](http://e) *b* a|b", true), "\\[x\\](http://e) \\*b\\* a\\|b");
        assert_eq!(inline("odd ` tick", false), "odd \\` tick");
        assert_eq!(inline("`a|b`", true), "`a\\|b`");
    }

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code("a`b", false), "``a`b``");
        assert_eq!(code("`a", false), "`` `a ``");
        assert_eq!(code("x\ny", false), "`x y`");
    }
}
