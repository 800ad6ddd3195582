//! Writing a report: one format on standard output, any others to files (`--output FORMAT=FILE`),
//! and the exit code the run ends with.

use std::ffi::OsStr;
use std::io::{BufWriter, IsTerminal as _, Write as _};
use std::path::Path;

use anyhow::Context as _;
use sensei_report::text::TextStyle;
use sensei_report::{Format, Report};

use crate::cli::{ColorChoice, ReportFormat, ScanArgs};
use crate::{EXIT_ERROR, EXIT_FAIL, EXIT_OK};

/// Whether to colour a stream: `always` and `never` say so; `auto` colours a terminal, unless
/// `NO_COLOR` is set to something (no-color.org) or the terminal is `dumb`.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != OsStr::new("dumb"))
        }
    }
}

/// Writes `report` to standard output in `--format`, then to each `--output` file.
pub fn write(report: &Report, args: &ScanArgs) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let color = use_color(args.color, stdout.is_terminal());
    let style = TextStyle { color, verbose: args.verbose, ..TextStyle::default() };
    // Only the text report paints, and only when asked to; any other escape code is stripped, so
    // a template cannot reach the terminal through a report printed there. JSON escapes control
    // characters and XML cannot hold them: those formats need no stripping.
    let format = Format::from(args.format);
    let paints = color && args.format == ReportFormat::Text;
    let safe = matches!(format, Format::Json | Format::Sarif | Format::Junit);
    let mut out = BufWriter::new(stdout.lock());
    if paints || safe {
        format.render(report, &mut out, &style)?;
    } else {
        let mut rendered = Vec::new();
        format.render(report, &mut rendered, &style)?;
        out.write_all(&anstream::adapter::strip_bytes(&rendered).into_vec())?;
    }
    out.flush()?;
    drop(out);
    let file_style = TextStyle { color: false, ..style };
    for (format, path) in &args.output {
        write_file(report, Format::from(*format), path, &file_style)?;
    }
    Ok(())
}

fn write_file(report: &Report, format: Format, path: &Path, style: &TextStyle) -> anyhow::Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = BufWriter::new(file);
    format
        .render(report, &mut out, style)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// 2 when an input could not be read; else 1 when a finding fails the run (not suppressed, not in
/// the baseline, at least as severe as `--fail-on`), unless `--no-fail`; else 0.
pub fn exit_code(report: &Report, no_fail: bool) -> u8 {
    if !report.errors.is_empty() {
        EXIT_ERROR
    } else if report.fails_run() && !no_fail {
        EXIT_FAIL
    } else {
        EXIT_OK
    }
}
