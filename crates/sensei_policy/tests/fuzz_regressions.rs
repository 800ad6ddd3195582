//! Inputs a fuzzer found, kept as regression tests: each must be answered, quickly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::time::{Duration, Instant};

use sensei_policy::{CallerScope, Policy, RequestSpace, ResourceScope};

fn questions(policy: &Policy) {
    for callers in [CallerScope::Everyone, CallerScope::Outsiders] {
        let space = RequestSpace {
            service: "s3".to_string(),
            resources: vec![
                ResourceScope::Exact("arn:aws:s3:::b".to_string()),
                ResourceScope::AnyUnder("arn:aws:s3:::b/".to_string()),
            ],
            fixed: vec![("aws:SecureTransport".to_string(), vec!["false".to_string()])],
            callers,
        };
        let _ = policy.not_denied(&space);
        let _ = policy.allowed(&space);
    }
}

/// A resource pattern of a star, many literals and many `?` makes the automaton of its classes
/// exponential: the exploration is bounded, so the questions still answer in time.
#[test]
fn many_wildcards_in_one_pattern_are_answered_quickly() {
    let text = include_str!("fuzz/timeout-many-wildcards.json");
    let policy = Policy::from_json(&serde_json::from_str(text).unwrap()).unwrap();
    let start = Instant::now();
    questions(&policy);
    // Generous for a debug build on a loaded machine; the fuzzer's limit was 10 s.
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
}
