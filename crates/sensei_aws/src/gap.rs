//! Gaps: the calls that failed, with what they were about and why.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

pub use sensei_model::Gap;

/// Where the fetches put their gaps (shared by concurrent tasks).
#[derive(Clone, Default)]
pub struct Gaps(Arc<Mutex<Vec<Gap>>>);

impl Gaps {
    pub fn push(&self, gap: Gap) {
        if let Ok(mut list) = self.0.lock() {
            list.push(gap);
        }
    }

    /// The first gap of `service`, if any.
    pub fn first_of(&self, service: &str) -> Option<Gap> {
        self.0.lock().ok().and_then(|list| list.iter().find(|g| g.service == service).cloned())
    }

    /// Every gap, sorted.
    pub fn take(&self) -> Vec<Gap> {
        let mut list = self.0.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default();
        list.sort();
        list.dedup();
        list
    }
}

/// The error code and a one-line message of a failed call.
pub fn describe<E>(err: &SdkError<E, HttpResponse>) -> (String, String)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            let status = service.raw().status().as_u16();
            match e.code() {
                Some(code) => {
                    (code.to_string(), e.message().map_or_else(|| format!("HTTP status {status}"), str::to_string))
                }
                // A success status whose body is not the answer the API defines (an emulator's
                // different XML root), or an error page that is not an AWS error (HTML 404).
                None if (200..300).contains(&status) => (
                    "InvalidResponse".to_string(),
                    format!("HTTP status {status} with a body that is not the expected answer: {}", root_cause(err)),
                ),
                None => classify_status(status, &root_cause(err)),
            }
        }
        SdkError::TimeoutError(_) => ("Timeout".to_string(), "the call timed out".to_string()),
        SdkError::DispatchFailure(d) => {
            let code = if d.is_timeout() { "Timeout" } else { "ConnectionFailed" };
            (code.to_string(), root_cause(err))
        }
        SdkError::ResponseError(r) => (
            "InvalidResponse".to_string(),
            format!("HTTP status {}: not an AWS answer: {}", r.raw().status().as_u16(), root_cause(err)),
        ),
        _ => ("RequestFailed".to_string(), root_cause(err)),
    }
}

/// The error code of a failed call, when it is an AWS error.
pub fn code_of<E>(err: &SdkError<E, HttpResponse>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::ServiceError(service) => service.err().code(),
        _ => None,
    }
}

/// An HTTP error whose body names no AWS error code.
fn classify_status(status: u16, detail: &str) -> (String, String) {
    let (code, why) = match status {
        401 | 403 => ("AccessDenied".to_string(), "the request was refused"),
        404 | 405 | 501 => (format!("HttpStatus{status}"), "the endpoint may not implement this operation"),
        429 | 503 => ("Throttling".to_string(), "the endpoint asked to slow down"),
        _ => (format!("HttpStatus{status}"), "the body is not an AWS error"),
    };
    (code, format!("HTTP status {status}, and {why}: {detail}"))
}

/// The innermost error's message, on one line: the SDK's own layers add only noise.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current: &(dyn std::error::Error + 'static) = err;
    while let Some(next) = current.source() {
        current = next;
    }
    let text = current.to_string();
    one_line(if text.is_empty() { "no detail" } else { &text })
}

fn one_line(s: &str) -> String {
    let line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 200 { line.chars().take(200).collect::<String>() + "…" } else { line }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_without_an_aws_code() {
        assert_eq!(classify_status(403, "x").0, "AccessDenied");
        assert_eq!(classify_status(429, "x").0, "Throttling");
        assert_eq!(classify_status(404, "x").0, "HttpStatus404");
        assert!(classify_status(404, "x").1.contains("may not implement"));
        assert_eq!(classify_status(500, "x").0, "HttpStatus500");
    }

    #[test]
    fn gaps_are_sorted_and_deduplicated() {
        let gaps = Gaps::default();
        let gap = |op: &str| Gap {
            service: "s3".into(),
            operation: op.into(),
            region: Some("us-east-1".into()),
            resource: None,
            code: "AccessDenied".into(),
            message: String::new(),
        };
        gaps.push(gap("ListBuckets"));
        gaps.push(gap("GetBucketPolicy"));
        gaps.push(gap("ListBuckets"));
        let list = gaps.take();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].operation, "GetBucketPolicy");
        assert_eq!(list[0].unread(), "s3:GetBucketPolicy (AccessDenied)");
    }
}
