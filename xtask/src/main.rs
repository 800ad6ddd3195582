//! Project tasks, run with `cargo xtask`:
//!
//! - `cargo xtask docs`: writes `docs/rules/` (the catalog and one page per rule) from the rules.
//! - `cargo xtask docs --check`: exits 1, naming every stale, missing or extra file, when
//!   `docs/rules/` is not what `cargo xtask docs` would write. CI runs it.

mod docs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask docs [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let check = match args.as_slice() {
        ["docs"] => false,
        ["docs", "--check"] => true,
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match docs_task(&workspace_root(), check) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: this crate's parent folder.
fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

fn docs_task(root: &Path, check: bool) -> Result<ExitCode, String> {
    let files = docs::generate(root, &sensei_rules::ALL)?;
    let dir = root.join(docs::OUT_DIR);
    // Paths as the user would write them, from the workspace root.
    let relative = |line: &String| line.replace(&format!("{}/", root.display()), "");
    if check {
        let differences: Vec<String> = docs::differences(&dir, &files)?.iter().map(relative).collect();
        if differences.is_empty() {
            println!("{} is up to date ({} files)", docs::OUT_DIR, files.len());
            return Ok(ExitCode::SUCCESS);
        }
        for line in &differences {
            eprintln!("{line}");
        }
        eprintln!("{} is out of date: run `cargo xtask docs` and commit the result", docs::OUT_DIR);
        return Ok(ExitCode::FAILURE);
    }
    let changes: Vec<String> = docs::write(&dir, &files)?.iter().map(relative).collect();
    for line in &changes {
        println!(
            "{}",
            line.replace("stale: ", "updated: ").replace("missing: ", "added: ").replace("extra: ", "removed: ")
        );
    }
    println!("{}: {} files, {} changed", docs::OUT_DIR, files.len(), changes.len());
    Ok(ExitCode::SUCCESS)
}
