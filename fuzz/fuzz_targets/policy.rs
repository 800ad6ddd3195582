//! The policy parser and the for-all questions: any JSON document either parses, and then the
//! witness queries answer, or gives an error; never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sensei_policy::{CallerScope, Policy, RequestSpace, ResourceScope};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let Ok(policy) = Policy::from_json(&value) else { return };
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
});
