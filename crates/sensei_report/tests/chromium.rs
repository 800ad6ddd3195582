//! The HTML report in a real browser: headless Chromium opens the page from disk, the page renders
//! with no console error (a script error, or a script the Content-Security-Policy refused), the
//! filters named in the URL fragment show exactly the rows they should, and a screenshot is saved
//! under the target folder for a person to look at.
//!
//! Chromium is Debian's `chromium` package, which `.ci/run` installs. Without it the tests fail in
//! CI (`CI` set) and are skipped, with a note, on a developer's machine. `SENSEI_CHROMIUM` names
//! another browser binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use sensei_report::Format;
use sensei_report::text::TextStyle;

/// The browser, or `None` (with a note) where a developer has none. In CI a missing browser fails.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SENSEI_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let found = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].iter().find_map(|name| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        assert!(
            !ci,
            "Chromium is not installed, and CI must open the HTML report in a browser: install Debian's \
             `chromium` package (.ci/run does), or set SENSEI_CHROMIUM to a Chromium binary"
        );
        eprintln!("note: skipped, no Chromium on PATH (apt-get install chromium); CI runs this test");
    }
    found
}

/// Runs Chromium headless on `url` with `mode` (`--dump-dom`, `--screenshot=...`), with logging to
/// standard error, a fresh profile and nothing that reaches the network. Ends it after 2 minutes.
fn run(browser: &Path, mode: &[String], url: &str) -> Output {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(mode)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let deadline = Instant::now() + Duration::from_secs(120);
    // Read the pipes on threads, so a full pipe cannot stall the browser.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).ok();
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).ok();
        buf
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("Chromium did not finish within 2 minutes on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() }
}

/// The lines of Chromium's log that report a problem in the page: console messages (the page logs
/// nothing on its own), uncaught errors, and scripts or styles the CSP refused.
fn page_problems(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught") || l.contains("Refused to"))
        // Chromium's own pages log too (a "slow network" notice on a loaded machine): only the
        // report's messages count.
        .filter(|l| !l.contains("source: chrome://") && !l.contains("source: chrome-extension://"))
        .map(str::to_string)
        .collect()
}

fn url_of(path: &Path, fragment: &str) -> String {
    let mut url = format!("file://{}", path.display());
    if !fragment.is_empty() {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

/// The page of the report with every state, errors and gaps, written under the target folder.
fn page(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(name);
    let mut out = Vec::new();
    Format::Html.render(&everything_report(), &mut out, &TextStyle::default()).unwrap();
    std::fs::write(&path, out).unwrap();
    path
}

/// A finding row of a dumped DOM: its data attributes and whether the script hid it.
#[derive(Debug)]
struct Row {
    status: String,
    service: String,
    rule: String,
    text: String,
    hidden: bool,
}

fn attribute(tag: &str, name: &str) -> String {
    let key = format!("{name}=\"");
    tag.find(&key).and_then(|i| tag[i + key.len()..].split('"').next()).map(str::to_string).unwrap_or_default()
}

fn rows(dom: &str) -> Vec<Row> {
    dom.match_indices("<tr class=\"finding\"")
        .map(|(i, _)| {
            let rest = &dom[i..];
            let tag = &rest[..rest.find('>').unwrap()];
            let text = &rest[..rest.find("</tr>").unwrap_or(rest.len())];
            Row {
                status: attribute(tag, "data-status"),
                service: attribute(tag, "data-service"),
                rule: attribute(tag, "data-rule"),
                text: text.to_string(),
                hidden: tag.contains(" hidden"),
            }
        })
        .collect()
}

/// Opens the page at `fragment` and returns its DOM after the script ran, with no page problem.
fn dom_at(browser: &Path, page: &Path, fragment: &str) -> String {
    let output = run(browser, &["--dump-dom".to_string()], &url_of(page, fragment));
    assert!(output.status.success(), "Chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    let problems = page_problems(&output.stderr);
    assert!(problems.is_empty(), "the page logged problems at #{fragment}:\n{}", problems.join("\n"));
    let dom = String::from_utf8(output.stdout).unwrap();
    assert!(dom.contains("data-ready=\"true\""), "the page's script did not run at #{fragment}:\n{dom}");
    dom
}

#[test]
fn chromium_reports_console_errors_so_the_checks_below_mean_something() {
    let Some(browser) = chromium() else { return };
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sensei-broken-page.html");
    std::fs::write(&path, "<!doctype html><title>t</title><script>notAFunction();</script>").unwrap();
    let output = run(&browser, &["--dump-dom".to_string()], &url_of(&path, ""));
    let problems = page_problems(&output.stderr);
    assert!(
        problems.iter().any(|p| p.contains("Uncaught")),
        "Chromium's log no longer shows page errors, so the report's checks would pass blindly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_page_renders_without_errors_and_filters_from_the_url() {
    let Some(browser) = chromium() else { return };
    let page = page("sensei-report-filters.html");

    // No filter: every row shows.
    let all = rows(&dom_at(&browser, &page, ""));
    assert!(all.len() >= 6, "{all:#?}");
    assert!(all.iter().all(|r| !r.hidden), "rows hidden without a filter: {all:#?}");
    let states: std::collections::BTreeSet<&str> = all.iter().map(|r| r.status.as_str()).collect();
    for state in ["fail", "unknown", "pass", "skip", "baseline", "suppressed"] {
        assert!(states.contains(state), "no {state} row to filter: {states:?}");
    }

    for (fragment, keep) in [
        ("status=fail", &(|r: &Row| r.status == "fail") as &dyn Fn(&Row) -> bool),
        ("status=fail&service=s3", &|r: &Row| r.status == "fail" && r.service == "s3"),
        ("rule=LAMBDA-002", &|r: &Row| r.rule == "LAMBDA-002"),
        ("severity=critical", &|r: &Row| r.rule == "IAM-001"),
        ("status=baseline", &|r: &Row| r.status == "baseline"),
        ("q=NewBucket", &|r: &Row| r.text.contains("NewBucket")),
        // A value the page does not offer is ignored rather than hiding everything.
        ("status=nonsense", &|_: &Row| true),
    ] {
        let dom = dom_at(&browser, &page, fragment);
        let rows = rows(&dom);
        assert_eq!(rows.len(), all.len(), "#{fragment}");
        let shown = rows.iter().filter(|r| !r.hidden).count();
        assert!(shown > 0, "#{fragment} hides every row");
        for row in &rows {
            assert_eq!(row.hidden, !keep(row), "#{fragment}: {row:?}");
        }
        assert!(dom.contains(&format!("{shown} of {}", rows.len())), "#{fragment}: the count is wrong");
        let empty = dom.find("id=\"no-match\"").map(|i| &dom[i.saturating_sub(40)..i]).unwrap_or_default();
        assert!(empty.contains("hidden") || dom.contains("id=\"no-match\" hidden"), "#{fragment}: 'no match' shows");
    }
}

#[test]
fn the_page_screenshot() {
    let Some(browser) = chromium() else { return };
    let page = page("sensei-report.html");
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sensei-report.png");
    std::fs::remove_file(&shot).ok();
    let output = run(
        &browser,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".to_string(),
            "--hide-scrollbars".to_string(),
        ],
        &url_of(&page, ""),
    );
    let problems = page_problems(&output.stderr);
    assert!(problems.is_empty(), "the page logged problems:\n{}", problems.join("\n"));
    let png = std::fs::read(&shot).unwrap_or_else(|e| {
        panic!("no screenshot at {} ({e}):\n{}", shot.display(), String::from_utf8_lossy(&output.stderr))
    });
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(png.len() > 20_000, "the screenshot is nearly empty ({} bytes)", png.len());
    eprintln!("screenshot: {}\npage: {}", shot.display(), page.display());
}

#[test]
fn only_the_reports_own_messages_count_as_problems() {
    let log = b"[1:1:1127/142613.240142:INFO:CONSOLE:574] \"Slow network is detected.\", source: chrome://resources/cr_components/composebox/composebox_input.js (574)\n\
[1:1:1127/142613.240143:INFO:CONSOLE:12] \"Uncaught TypeError: x is undefined\", source: file:///tmp/sensei-report.html (12)\n\
[1:1:1127/142613.240144:INFO:other] nothing to see\n";
    let problems = page_problems(log);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems.iter().all(|p| p.contains("file:///tmp/sensei-report.html")));
}
