//! Finding the template files under the paths a user gives.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

/// A file to audit, and whether the user named it (then it must be a template).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    pub explicit: bool,
}

/// A path that could not be searched.
#[derive(Debug)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// Folders whose content is generated templates: searched even when .gitignore leaves them out.
const GENERATED_DIRS: [&str; 2] = [".serverless", "cdk.out"];

/// Folders never worth searching.
const SKIPPED_DIRS: [&str; 3] = [".git", "node_modules", ".aws-sam"];

pub fn discover(paths: &[PathBuf], respect_gitignore: bool) -> (Vec<Candidate>, Vec<WalkError>) {
    let mut found = BTreeSet::new();
    let mut errors = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                errors.push(WalkError { path: root.display().to_string(), message: format!("cannot read: {e}") });
                continue;
            }
        };
        if !meta.is_dir() {
            found.insert(Candidate { path: root.clone(), explicit: true });
            continue;
        }
        walk(root, respect_gitignore, &mut found, &mut errors);
        if respect_gitignore {
            // Generated templates are usually gitignored, and they are what we audit.
            walk_generated(root, &mut found, &mut errors);
        }
    }
    // A file both named and found in a folder counts once, as named.
    let named: BTreeSet<PathBuf> = found.iter().filter(|c| c.explicit).map(|c| c.path.clone()).collect();
    let list = found.into_iter().filter(|c| c.explicit || !named.contains(&c.path)).collect();
    (list, errors)
}

fn walk(root: &Path, respect_gitignore: bool, found: &mut BTreeSet<Candidate>, errors: &mut Vec<WalkError>) {
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(respect_gitignore)
        .git_global(false)
        .git_exclude(respect_gitignore)
        .ignore(respect_gitignore)
        .parents(respect_gitignore)
        .require_git(false)
        .filter_entry(|e| !is_skipped_dir(e.path()))
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_template_name(e.path()) => {
                found.insert(Candidate { path: e.into_path(), explicit: false });
            }
            Ok(_) => {}
            Err(e) => errors.push(WalkError { path: root.display().to_string(), message: e.to_string() }),
        }
    }
}

fn walk_generated(root: &Path, found: &mut BTreeSet<Candidate>, errors: &mut Vec<WalkError>) {
    let walker = WalkBuilder::new(root).standard_filters(false).filter_entry(|e| !is_skipped_dir(e.path())).build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_dir()) && is_generated_dir(e.path()) => {
                walk(e.path(), false, found, errors);
            }
            Ok(_) => {}
            Err(e) => errors.push(WalkError { path: root.display().to_string(), message: e.to_string() }),
        }
    }
}

fn is_skipped_dir(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| SKIPPED_DIRS.contains(&n))
}

fn is_generated_dir(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| GENERATED_DIRS.contains(&n))
}

/// Template files by name: YAML, JSON and `.template`; in `cdk.out`, only `*.template.json`.
pub fn is_template_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_ascii_lowercase();
    let in_cdk_out = path.components().any(|c| c.as_os_str() == "cdk.out");
    if in_cdk_out {
        return name.ends_with(".template.json");
    }
    [".yaml", ".yml", ".json", ".template"].iter().any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names() {
        assert!(is_template_name(Path::new("a/template.yaml")));
        assert!(is_template_name(Path::new("a/waf.template")));
        assert!(is_template_name(Path::new("cdk.out/App.template.json")));
        assert!(!is_template_name(Path::new("cdk.out/manifest.json")));
        assert!(!is_template_name(Path::new("src/app.ts")));
    }
}
