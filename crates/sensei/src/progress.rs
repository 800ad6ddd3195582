//! Progress on standard error while a live audit reads the account: a bar on a terminal, nothing
//! in pipes and CI logs (the report on standard output stays clean either way).

use std::io::IsTerminal as _;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sensei_aws::{Progress, Silent};

/// A bar of resources read, with the current step as its message.
pub struct Bar(ProgressBar);

impl Progress for Bar {
    fn phase(&self, name: &str) {
        self.0.set_message(name.to_string());
    }
    fn discovered(&self, n: usize) {
        self.0.inc_length(n as u64);
    }
    fn fetched(&self) {
        self.0.inc(1);
    }
}

impl Bar {
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Whether to draw progress: only on a terminal that is not `dumb`.
pub fn wanted(stderr_is_terminal: bool, term: Option<&str>) -> bool {
    stderr_is_terminal && term != Some("dumb")
}

/// The progress display for this run, and the bar to clear at the end (if one is drawn).
pub fn start() -> (Arc<dyn Progress>, Option<Arc<Bar>>) {
    let term = std::env::var("TERM").ok();
    if !wanted(std::io::stderr().is_terminal(), term.as_deref()) {
        return (Arc::new(Silent), None);
    }
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
    let bar = Arc::new(Bar(bar));
    (bar.clone(), Some(bar))
}

#[cfg(test)]
mod tests {
    use super::wanted;

    #[test]
    fn only_on_a_real_terminal() {
        assert!(wanted(true, Some("xterm-256color")));
        assert!(wanted(true, None));
        assert!(!wanted(false, Some("xterm")));
        assert!(!wanted(true, Some("dumb")));
    }
}
