//! `sensei scan`: templates in, report out.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use sensei_report::{InputError, Report, ScannedFile};
use sensei_rules::{Context, Finding, Rule};
use sensei_template::{Options, ReadError};

use crate::baseline::BaselineFile;
use crate::cli::{ScanArgs, SourceArgs};
use crate::discover::{Candidate, discover};
use crate::output;

/// Files larger than this are not templates anyone wrote (CloudFormation's own limit is 1 MB).
const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// `sensei scan`: audit, mark what the baseline knows, write the reports, and give the exit code.
pub fn run(args: &ScanArgs) -> anyhow::Result<u8> {
    // A bad baseline is a wrong command: it stops the run before anything is read or written.
    let baseline =
        args.baseline.as_deref().map(|path| BaselineFile::read(path).map(|file| (path, file))).transpose()?;
    let mut report = audit(&args.source)?;
    report.fail_on = args.fail_on.map(Into::into);
    if let Some((path, file)) = baseline {
        report.baseline = Some(file.matched(&report, path)?);
    }
    output::write(&report, args)?;
    let code = output::exit_code(&report, args.no_fail);
    // The process ends with this command: freeing every finding one by one (tens of thousands
    // for a large template) would only delay the exit, so the memory is left to the OS.
    std::mem::forget(report);
    Ok(code)
}

/// The report of the templates under `args.paths`, with the rules `args` selects.
pub fn audit(args: &SourceArgs) -> anyhow::Result<Report> {
    let config = args.select.config()?;
    let rules = crate::config::merge(config.as_ref(), &args.select.selection()).rules()?;
    let context = config.as_ref().map(|c| c.context(sensei_model::Date::today())).unwrap_or_default();
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let options = Options { parameters: args.parameters.iter().cloned().collect::<HashMap<_, _>>() };
    Ok(scan(&paths, &rules, &options, &context, !args.no_ignore))
}

/// What became of one candidate file.
enum Outcome {
    /// In a folder, and not a template: passed over quietly.
    Skipped,
    Audited {
        scanned: ScannedFile,
        text: Arc<str>,
        findings: Vec<Finding>,
        problems: Vec<InputError>,
    },
    Failed(InputError),
}

pub fn scan(
    paths: &[PathBuf],
    rules: &[&'static Rule],
    options: &Options,
    context: &Context,
    respect_gitignore: bool,
) -> Report {
    let (candidates, walk_errors) = discover(paths, respect_gitignore);
    let outcomes: Vec<Outcome> = candidates.par_iter().map(|c| audit_file(c, rules, options, context)).collect();

    let mut report = Report { rules: rules.iter().map(|r| &r.meta).collect(), ..Report::default() };
    for e in walk_errors {
        report.errors.push(InputError { file: e.path, line: None, column: None, message: e.message });
    }
    for outcome in outcomes {
        match outcome {
            Outcome::Skipped => {}
            Outcome::Failed(e) => report.errors.push(e),
            Outcome::Audited { scanned, text, findings, problems } => {
                report.sources.insert(scanned.file.clone(), text);
                report.scanned.push(scanned);
                // The first file's list is taken as it is: one large template's is not copied.
                if report.findings.is_empty() {
                    report.findings = findings;
                } else {
                    report.findings.extend(findings);
                }
                report.errors.extend(problems);
            }
        }
    }
    report
}

fn audit_file(candidate: &Candidate, rules: &[&'static Rule], options: &Options, context: &Context) -> Outcome {
    let file = display(&candidate.path);
    let error = |message: String| Outcome::Failed(InputError { file: file.clone(), line: None, column: None, message });
    match std::fs::metadata(&candidate.path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            return if candidate.explicit {
                error(format!(
                    "the file is {} MB, larger than the {} MB sensei reads",
                    m.len() >> 20,
                    MAX_FILE_BYTES >> 20
                ))
            } else {
                Outcome::Skipped
            };
        }
        Ok(_) => {}
        Err(e) => return error(format!("cannot read: {e}")),
    }
    let bytes = match std::fs::read(&candidate.path) {
        Ok(b) => b,
        Err(e) => return error(format!("cannot read: {e}")),
    };
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return if candidate.explicit { error("a binary file, not a template".to_string()) } else { Outcome::Skipped };
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            if !candidate.explicit && !sensei_template::looks_like_template(&String::from_utf8_lossy(e.as_bytes())) {
                return Outcome::Skipped;
            }
            let valid = e.utf8_error().valid_up_to();
            let before = e.as_bytes().get(..valid).unwrap_or_default();
            let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let column = before.iter().rev().take_while(|&&b| b != b'\n').count() as u32 + 1;
            return Outcome::Failed(InputError {
                file,
                line: Some(line),
                column: Some(column),
                message: format!("not UTF-8 text: invalid byte at offset {valid}"),
            });
        }
    };
    if !candidate.explicit && !sensei_template::looks_like_template(&text) {
        return Outcome::Skipped;
    }
    match sensei_template::read(&file, &text, options) {
        Ok(read) => {
            // The rules of one file run in parallel too, so that one large template uses every core.
            let per_rule: Vec<Vec<Finding>> = rules
                .par_iter()
                .map(|rule| sensei_rules::check(&read.inventory, std::slice::from_ref(rule), context))
                .collect();
            // The rules' lists are joined while the model is freed: two large jobs, one per core.
            let resources = read.inventory.len();
            let (findings, ()) = rayon::join(|| join_lists(per_rule), move || drop(read.inventory));
            let mut problems: Vec<InputError> = read
                .diagnostics
                .into_iter()
                .map(|d| InputError {
                    file: file.clone(),
                    line: Some(d.pos.line),
                    column: Some(d.pos.column),
                    message: d.message,
                })
                .collect();
            // `sensei_template` keeps suppression rule names as text: check them against the catalog.
            for (at, message) in crate::config::unknown_suppressions(findings.iter().map(|f| &f.resource)) {
                problems.push(InputError {
                    file: file.clone(),
                    line: at.as_ref().map(|l| l.line),
                    column: at.as_ref().map(|l| l.column),
                    message,
                });
            }
            Outcome::Audited {
                scanned: ScannedFile { file, kind: read.kind, resources },
                text: Arc::from(text),
                findings,
                problems,
            }
        }
        Err(ReadError::NotATemplate(_)) if !candidate.explicit => Outcome::Skipped,
        Err(e) => {
            let (line, column) = e.position().unzip();
            Outcome::Failed(InputError { file, line, column, message: e.to_string() })
        }
    }
}

/// The lists in order, in one list allocated once.
fn join_lists(lists: Vec<Vec<Finding>>) -> Vec<Finding> {
    let mut all = Vec::with_capacity(lists.iter().map(Vec::len).sum());
    for list in lists {
        all.extend(list);
    }
    all
}

/// A path as the user would write it: without a leading `./`.
fn display(path: &std::path::Path) -> String {
    let s = path.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}
