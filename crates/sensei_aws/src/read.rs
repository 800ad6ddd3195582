//! The outcome of one read, and the bookkeeping that turns failed calls into gaps.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use sensei_model::{Provenance, Setting};

use crate::gap::{self, Gap, Gaps};

/// What one call gave: its output, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum Read<T> {
    Got(T),
    /// The call failed; the text says which call and why (`s3:GetBucketPolicy failed: AccessDenied`).
    Failed(String),
}

impl<T> Read<T> {
    /// A model value from the output, or unknown (with the failure) when the call failed.
    pub fn setting<U>(&self, f: impl FnOnce(&T) -> U) -> Setting<U> {
        match self {
            Read::Got(v) => Setting::Known(f(v), Provenance::Live),
            Read::Failed(why) => Setting::Unknown(why.clone()),
        }
    }

    /// The output turned into what the model needs; a failure stays one.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Read<U> {
        match self {
            Read::Got(v) => Read::Got(f(v)),
            Read::Failed(why) => Read::Failed(why),
        }
    }

    /// The value of a fact that no selected rule uses: its call was not made.
    pub fn not_selected() -> Self {
        Read::Failed(sensei_model::NOT_SELECTED.to_string())
    }

    pub fn got(&self) -> Option<&T> {
        match self {
            Read::Got(v) => Some(v),
            Read::Failed(_) => None,
        }
    }
}

impl<T> Read<Vec<T>> {
    /// The items of a listing, or none when it failed: the failure is already a gap, and nothing
    /// listed means nothing reported as passing.
    pub fn or_empty(self) -> Vec<T> {
        match self {
            Read::Got(items) => items,
            Read::Failed(_) => Vec::new(),
        }
    }
}

/// A known value read from the account.
pub fn live<T>(value: T) -> Setting<T> {
    Setting::Known(value, Provenance::Live)
}

/// Reads of one resource (or one listing): failures go to the gaps, and to `unread`.
pub struct Reader<'a> {
    pub service: &'static str,
    pub region: Option<&'a str>,
    pub resource: Option<&'a str>,
    pub gaps: &'a Gaps,
    pub unread: Vec<String>,
}

impl<'a> Reader<'a> {
    pub fn new(service: &'static str, region: Option<&'a str>, resource: Option<&'a str>, gaps: &'a Gaps) -> Self {
        Reader { service, region, resource, gaps, unread: Vec::new() }
    }

    /// The output of a call that must succeed.
    pub fn get<T, E>(&mut self, operation: &str, result: Result<T, SdkError<E, HttpResponse>>) -> Read<T>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        match result {
            Ok(out) => Read::Got(out),
            Err(e) => Read::Failed(self.failed(operation, &e)),
        }
    }

    /// The output of a call whose `absent` error codes mean "not configured" (`NoSuchBucketPolicy`):
    /// `Got(None)`, not a gap.
    pub fn get_optional<T, E>(
        &mut self,
        operation: &str,
        result: Result<T, SdkError<E, HttpResponse>>,
        absent: &[&str],
    ) -> Read<Option<T>>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        match result {
            Ok(out) => Read::Got(Some(out)),
            Err(e) if gap::code_of(&e).is_some_and(|c| absent.contains(&c)) => Read::Got(None),
            Err(e) => Read::Failed(self.failed(operation, &e)),
        }
    }

    /// [`Reader::get`] of a call made only when a selected rule uses its answer (`None`: not made).
    pub fn get_if<T, E>(&mut self, operation: &str, result: Option<Result<T, SdkError<E, HttpResponse>>>) -> Read<T>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        result.map_or_else(Read::not_selected, |r| self.get(operation, r))
    }

    /// [`Reader::get_optional`] of a call made only when a selected rule uses its answer.
    pub fn get_optional_if<T, E>(
        &mut self,
        operation: &str,
        result: Option<Result<T, SdkError<E, HttpResponse>>>,
        absent: &[&str],
    ) -> Read<Option<T>>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        result.map_or_else(Read::not_selected, |r| self.get_optional(operation, r, absent))
    }

    /// Records a failed call; returns the reason the values it would have given are unknown.
    pub fn failed<E>(&mut self, operation: &str, err: &SdkError<E, HttpResponse>) -> String
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let (code, message) = gap::describe(err);
        self.record(operation, code, message)
    }

    /// Records a failure that is not an SDK error (a document that does not parse).
    pub fn record(&mut self, operation: &str, code: String, message: String) -> String {
        let gap = Gap {
            service: self.service.to_string(),
            operation: operation.to_string(),
            region: self.region.map(str::to_string),
            resource: self.resource.map(str::to_string),
            code,
            message,
        };
        let why = format!("{}:{} failed: {}", gap.service, gap.operation, gap.code);
        let unread = gap.unread();
        if !self.unread.contains(&unread) {
            self.unread.push(unread);
        }
        self.gaps.push(gap);
        why
    }
}
