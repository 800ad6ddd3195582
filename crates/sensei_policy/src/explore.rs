//! Finding one string in every class a set of wildcard patterns splits the strings into.
//!
//! Two strings are in the same class when every pattern matches both or neither. A breadth-first search
//! runs all the patterns' automata side by side over an alphabet of the patterns' own characters plus one
//! character none of them names (every such character behaves the same for every pattern), so each class
//! that holds any string is reached, by a shortest string. Readable candidates are tried first and kept
//! when they land in a new class.

use std::cell::RefCell;
use std::collections::VecDeque;

use rustc_hash::{FxHashMap, FxHashSet as HashSet};

use crate::pattern::{Glob, States, fold};

/// How many product states the search may visit before it stops. Real policies visit hundreds; a
/// pattern such as `*B...B???...?` makes the product exponential, and the bound keeps it to a
/// fraction of a second (found by fuzzing). Classes only past the bound are not explored.
const MAX_STATES: usize = 20_000;

/// Searches already made on this thread, by their inputs: the questions a rule asks of one policy
/// (every request, then the bucket alone, then the objects alone, ...) explore the same patterns.
type Key = (Glob, Vec<Glob>, Vec<String>);

thread_local! {
    static MEMO: RefCell<FxHashMap<Key, Vec<String>>> = RefCell::new(FxHashMap::default());
}

/// Entries kept before the memo is cleared: enough for every policy of a template.
const MEMO_SIZE: usize = 4096;

/// One string per class of `patterns`, among the strings `within` accepts: first the `readable` candidates
/// that open a new class, then shortest strings for the classes they miss.
pub(crate) fn one_per_class(within: &Glob, patterns: &[&Glob], readable: &[String]) -> Vec<String> {
    let key: Key = (within.clone(), patterns.iter().map(|g| (*g).clone()).collect(), readable.to_vec());
    if let Some(found) = MEMO.with(|m| m.borrow().get(&key).cloned()) {
        return found;
    }
    let found = search(within, patterns, readable);
    MEMO.with(|m| {
        let mut memo = m.borrow_mut();
        if memo.len() >= MEMO_SIZE {
            memo.clear();
        }
        memo.insert(key, found.clone());
    });
    found
}

fn search(within: &Glob, patterns: &[&Glob], readable: &[String]) -> Vec<String> {
    // Equal patterns draw the same line: keep one of each.
    let mut unique: Vec<&Glob> = Vec::with_capacity(patterns.len());
    for p in patterns {
        if !unique.contains(p) {
            unique.push(p);
        }
    }
    let patterns = unique.as_slice();
    let mut seen = HashSet::default();
    let mut out = Vec::new();
    for text in readable {
        if within.matches(text) && seen.insert(signature_of(patterns, text)) {
            out.push(text.clone());
        }
    }
    let alphabet = alphabet(within, patterns);
    let mut start = Vec::with_capacity(patterns.len() + 1);
    start.push(within.start());
    start.extend(patterns.iter().map(|p| p.start()));
    let mut visited: HashSet<Vec<States>> = HashSet::default();
    visited.insert(start.clone());
    let mut queue = VecDeque::from([(start, String::new())]);
    let mut next: Vec<States> = Vec::with_capacity(patterns.len() + 1);
    while let Some((states, text)) = queue.pop_front() {
        let Some((own, rest)) = states.split_first() else {
            break;
        };
        if within.accepts(own) {
            let signature: Vec<bool> = patterns.iter().zip(rest).map(|(p, s)| p.accepts(s)).collect();
            if seen.insert(signature) {
                out.push(text.clone());
            }
        }
        // Along a literal prefix only its next character goes on: the others need no step.
        let takes = within.literals_at(own);
        for &c in &alphabet {
            if takes.as_ref().is_some_and(|lits| !lits.iter().any(|&l| within.same(l, c))) {
                continue;
            }
            let next_own = within.step(own, c);
            if next_own.is_empty() {
                continue;
            }
            next.clear();
            next.push(next_own);
            next.extend(patterns.iter().zip(rest).map(|(p, s)| p.step(s, c)));
            // Most steps lead to a state already seen: the state is built in a reused buffer and
            // copied only when it is new.
            if visited.len() < MAX_STATES && !visited.contains(next.as_slice()) {
                visited.insert(next.clone());
                let mut longer = text.clone();
                longer.push(c);
                queue.push_back((next.clone(), longer));
            }
        }
    }
    out
}

fn signature_of(patterns: &[&Glob], text: &str) -> Vec<bool> {
    patterns.iter().map(|p| p.matches(text)).collect()
}

/// The characters the patterns name (in both cases where a pattern ignores case), `:` (which ARN wildcards
/// do not match), and one fresh character, first so shortest strings read like `b/x`.
fn alphabet(within: &Glob, patterns: &[&Glob]) -> Vec<char> {
    let globs = || std::iter::once(within).chain(patterns.iter().copied());
    // When every pattern ignores case, one case of each letter is enough.
    let all_fold = globs().all(Glob::ignores_case);
    let mut named: Vec<char> = Vec::new();
    for glob in globs() {
        for c in glob.literals() {
            if all_fold {
                named.push(fold(c));
            } else {
                named.push(c);
                if glob.ignores_case() {
                    named.extend(c.to_lowercase());
                    named.extend(c.to_uppercase());
                }
            }
        }
    }
    named.push(':');
    named.sort_unstable();
    named.dedup();
    let fresh = "xzqjkvwy0123456789_~".chars().chain(['\u{e9}']).find(|c| !named.iter().any(|n| fold(*n) == fold(*c)));
    fresh.into_iter().chain(named).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::pattern::{Mode, Pattern};

    fn glob(text: &str, mode: Mode) -> Glob {
        Pattern::new(text, mode).resolve(&|_| None).map(|g| g.into_owned()).unwrap()
    }

    #[test]
    fn actions_meet_in_the_middle() {
        // `s3:Get*` and `s3:*Object` overlap in `s3:GetObject`: a class neither instance shows.
        let within = Glob::prefix_and_more("s3:", true);
        let a = glob("s3:Get*", Mode::ACTION);
        let b = glob("s3:*Object", Mode::ACTION);
        let found = one_per_class(&within, &[&a, &b], &[]);
        let classes: HashSet<(bool, bool)> = found.iter().map(|t| (a.matches(t), b.matches(t))).collect();
        assert_eq!(classes.len(), 4, "{found:?}");
    }

    #[test]
    fn resources_under_a_prefix() {
        let mode = Mode { wildcards: true, ..Mode::default() };
        let within = Glob::prefix_and_more("arn:aws:s3:::b/", false);
        let public = glob("arn:aws:s3:::b/public/*", mode);
        let readable = vec!["arn:aws:s3:::b/x".to_owned()];
        let found = one_per_class(&within, &[&public], &readable);
        assert_eq!(found.len(), 2);
        assert_eq!(found.first().map(String::as_str), Some("arn:aws:s3:::b/x"));
        assert!(found.iter().any(|f| public.matches(f)));
    }
}
