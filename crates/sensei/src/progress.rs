//! Progress on standard error while a live audit reads the account: a bar on a terminal, one plain
//! line per step in CI logs (`CI` set), nothing in other pipes. The report on standard output stays
//! clean either way.

use std::io::{IsTerminal as _, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sensei_aws::{Progress, Silent};

/// What is drawn: a bar of resources read with the current step as its message, or plain lines.
pub enum Bar {
    Drawn(ProgressBar),
    Lines(Lines),
}

/// Plain progress lines: `sensei: reading IAM (120 of 300 resources read, 2.1 s)`.
pub struct Lines {
    started: Instant,
    discovered: AtomicU64,
    fetched: AtomicU64,
}

impl Lines {
    fn line(&self, what: &str) -> String {
        format!(
            "sensei: {what} ({} of {} resources read, {:.1} s)",
            self.fetched.load(Ordering::Relaxed),
            self.discovered.load(Ordering::Relaxed),
            self.started.elapsed().as_secs_f64()
        )
    }

    fn print(&self, what: &str) {
        // Progress is best effort: a closed stderr must not stop the audit.
        let _ = writeln!(std::io::stderr().lock(), "{}", self.line(what));
    }
}

impl Progress for Bar {
    fn phase(&self, name: &str) {
        match self {
            Bar::Drawn(bar) => bar.set_message(name.to_string()),
            Bar::Lines(lines) => lines.print(name),
        }
    }
    fn discovered(&self, n: usize) {
        match self {
            Bar::Drawn(bar) => bar.inc_length(n as u64),
            Bar::Lines(lines) => _ = lines.discovered.fetch_add(n as u64, Ordering::Relaxed),
        }
    }
    fn fetched(&self) {
        match self {
            Bar::Drawn(bar) => bar.inc(1),
            Bar::Lines(lines) => _ = lines.fetched.fetch_add(1, Ordering::Relaxed),
        }
    }
}

impl Bar {
    pub fn finish(&self) {
        match self {
            Bar::Drawn(bar) => bar.finish_and_clear(),
            Bar::Lines(lines) => lines.print("done reading"),
        }
    }
}

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    Bar,
    Lines,
    Nothing,
}

/// A bar on a terminal that is not `dumb`; plain lines in CI (`CI` set and not `false`); else nothing.
pub fn display(stderr_is_terminal: bool, term: Option<&str>, ci: Option<&str>) -> Display {
    if stderr_is_terminal && term != Some("dumb") {
        Display::Bar
    } else if ci.is_some_and(|v| !v.is_empty() && !v.eq_ignore_ascii_case("false") && v != "0") {
        Display::Lines
    } else {
        Display::Nothing
    }
}

/// The progress display for this run, and the display to finish at the end (if any).
pub fn start() -> (Arc<dyn Progress>, Option<Arc<Bar>>) {
    let term = std::env::var("TERM").ok();
    let ci = std::env::var("CI").ok();
    let bar = match display(std::io::stderr().is_terminal(), term.as_deref(), ci.as_deref()) {
        Display::Nothing => return (Arc::new(Silent), None),
        Display::Lines => {
            Bar::Lines(Lines { started: Instant::now(), discovered: AtomicU64::new(0), fetched: AtomicU64::new(0) })
        }
        Display::Bar => {
            // NO_COLOR (no-color.org): the same bar without colours.
            let plain = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let template = if plain {
                "{spinner} {msg:20} [{bar:30}] {pos}/{len} resources  {elapsed}"
            } else {
                "{spinner:.cyan} {msg:20} [{bar:30.cyan/blue}] {pos}/{len} resources  {elapsed}"
            };
            let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr()).with_style(style);
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            Bar::Drawn(bar)
        }
    };
    let bar = Arc::new(bar);
    (bar.clone(), Some(bar))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_on_a_terminal_lines_in_ci_else_nothing() {
        assert_eq!(display(true, Some("xterm-256color"), None), Display::Bar);
        assert_eq!(display(true, None, Some("true")), Display::Bar);
        assert_eq!(display(false, Some("xterm"), None), Display::Nothing);
        assert_eq!(display(true, Some("dumb"), None), Display::Nothing);
        assert_eq!(display(false, None, Some("true")), Display::Lines);
        assert_eq!(display(true, Some("dumb"), Some("1")), Display::Lines);
        assert_eq!(display(false, None, Some("false")), Display::Nothing);
        assert_eq!(display(false, None, Some("")), Display::Nothing);
    }

    #[test]
    fn a_line_counts_what_was_read() {
        let lines = Lines { started: Instant::now(), discovered: AtomicU64::new(0), fetched: AtomicU64::new(0) };
        let bar = Bar::Lines(lines);
        bar.discovered(3);
        bar.fetched();
        let Bar::Lines(lines) = &bar else { unreachable!() };
        assert!(lines.line("reading IAM").starts_with("sensei: reading IAM (1 of 3 resources read, "));
    }
}
