//! The requests of one service in one region: at most [`CALLS_IN_FLIGHT_PER_SERVICE`] in flight,
//! and, once the service throttles, a pace that drops by 30% on a throttling answer and creeps back up
//! while calls succeed (additive increase, multiplicative decrease). A quota like Lambda's 15
//! control-plane requests a second is then met with a few retries, instead of a burst of throttled
//! calls that drains the SDK's retry budget and leaves gaps.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::{RuntimeComponents, RuntimeComponentsBuilder};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::config_bag::ConfigBag;
use tokio::sync::Semaphore;

/// How many requests of one service, in one region, are in flight at once. Retries wait for
/// their backoff without holding a place.
pub const CALLS_IN_FLIGHT_PER_SERVICE: usize = 16;
/// The slowest pace: with every place taken, a request waits at most 8 s for its turn, well
/// inside the 20 s attempt timeout.
const MIN_RATE: f64 = 2.0;
/// Above this pace the service is no longer paced.
const MAX_RATE: f64 = 1000.0;
/// Requests a second gained per second of successful calls.
const INCREASE_PER_SECOND: f64 = 2.0;
/// What a throttling answer keeps of the pace (as TCP CUBIC does).
const DECREASE: f64 = 0.7;
/// Throttling answers closer together than this slow the pace once: they come from one burst.
const DECREASE_EVERY: Duration = Duration::from_millis(100);
/// Error codes AWS services throttle with (as the SDK's retry classifier knows them).
const THROTTLING_CODES: [&str; 14] = [
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// When the next request of a service may start.
#[derive(Debug)]
pub struct Pace {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Requests a second; `None`: not paced (the service has not throttled, or has recovered).
    rate: Option<f64>,
    /// When the next request may start.
    next: Instant,
    /// When requests started in the last second: the rate a first throttle halves.
    recent: VecDeque<Instant>,
    last_decrease: Option<Instant>,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            state: Mutex::new(State { rate: None, next: Instant::now(), recent: VecDeque::new(), last_decrease: None }),
        }
    }
}

impl Pace {
    /// How long the request starting at `now` waits for its turn (and takes it).
    pub fn turn(&self, now: Instant) -> Duration {
        let mut s = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while s.recent.front().is_some_and(|t| now.duration_since(*t) > Duration::from_secs(1)) {
            s.recent.pop_front();
        }
        let Some(rate) = s.rate else {
            s.recent.push_back(now);
            return Duration::ZERO;
        };
        let slot = s.next.max(now);
        s.next = slot + Duration::from_secs_f64(1.0 / rate);
        s.recent.push_back(slot);
        slot - now
    }

    /// A throttling answer at `now`: the pace drops by 30% (from the rate of the last second when
    /// the service was not paced yet).
    pub fn throttled(&self, now: Instant) {
        let mut s = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if s.last_decrease.is_some_and(|t| now.duration_since(t) < DECREASE_EVERY) {
            return;
        }
        let current = s.rate.unwrap_or(s.recent.len() as f64);
        s.rate = Some((current * DECREASE).max(MIN_RATE));
        s.last_decrease = Some(now);
    }

    /// A successful answer: the pace gains [`INCREASE_PER_SECOND`] over a second of them.
    pub fn succeeded(&self) {
        let mut s = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(rate) = s.rate {
            let faster = rate + INCREASE_PER_SECOND / rate;
            s.rate = (faster < MAX_RATE).then_some(faster);
        }
    }

    /// The current pace in requests a second (`None`: not paced).
    #[cfg(test)]
    pub fn rate(&self) -> Option<f64> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner).rate
    }
}

/// The HTTP client of `config` for one service client: bounded and paced (see the module).
pub fn bounded(inner: SharedHttpClient) -> SharedHttpClient {
    SharedHttpClient::new(Bounded {
        inner,
        places: Arc::new(Semaphore::new(CALLS_IN_FLIGHT_PER_SERVICE)),
        pace: Arc::new(Pace::default()),
    })
}

#[derive(Debug)]
struct Bounded {
    inner: SharedHttpClient,
    places: Arc<Semaphore>,
    pace: Arc<Pace>,
}

impl HttpClient for Bounded {
    fn http_connector(&self, settings: &HttpConnectorSettings, components: &RuntimeComponents) -> SharedHttpConnector {
        let inner = self.inner.http_connector(settings, components);
        SharedHttpConnector::new(BoundedConnector { inner, places: self.places.clone(), pace: self.pace.clone() })
    }

    fn validate_base_client_config(
        &self,
        components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.inner.validate_base_client_config(components, cfg)
    }

    fn validate_final_config(&self, components: &RuntimeComponents, cfg: &ConfigBag) -> Result<(), BoxError> {
        self.inner.validate_final_config(components, cfg)
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

#[derive(Debug)]
struct BoundedConnector {
    inner: SharedHttpConnector,
    places: Arc<Semaphore>,
    pace: Arc<Pace>,
}

impl HttpConnector for BoundedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, places, pace) = (self.inner.clone(), self.places.clone(), self.pace.clone());
        HttpConnectorFuture::new(async move {
            // The semaphore is never closed; an error here would be a bug, reported as a failed call.
            let _place = places.acquire_owned().await.map_err(|e| ConnectorError::other(Box::new(e), None))?;
            let wait = pace.turn(Instant::now());
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            let mut response = inner.call(request).await?;
            if is_throttling(&mut response).await {
                pace.throttled(Instant::now());
            } else if response.status().is_success() {
                pace.succeeded();
            }
            Ok(response)
        })
    }
}

/// Whether an answer is a throttling error: 429, 503 (S3's `SlowDown`), or a 400 whose error code
/// (in the `x-amzn-ErrorType` header or in the body) is one of [`THROTTLING_CODES`]. A 400's body
/// is read here and put back for the SDK.
async fn is_throttling(response: &mut HttpResponse) -> bool {
    match response.status().as_u16() {
        429 | 503 => true,
        400 => {
            let header = ["x-amzn-ErrorType", "x-amzn-query-error"].iter().filter_map(|h| response.headers().get(*h));
            if header.into_iter().any(names_throttling) {
                return true;
            }
            let body = std::mem::replace(response.body_mut(), SdkBody::taken());
            match ByteStream::new(body).collect().await {
                Ok(bytes) => {
                    let bytes = bytes.into_bytes();
                    let throttling = names_throttling(&String::from_utf8_lossy(&bytes));
                    *response.body_mut() = SdkBody::from(bytes);
                    throttling
                }
                // The body could not be read: the SDK reports the broken answer as a failed call.
                Err(_) => false,
            }
        }
        _ => false,
    }
}

/// Whether `text` names a throttling code as a whole word (`ThrottlingException`,
/// `<Code>Throttling</Code>`, `"__type":"...#TooManyRequestsException"`). A message that says
/// "Throttling" would count too: it only slows the pace down for a while.
fn names_throttling(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| THROTTLING_CODES.contains(&word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_codes_are_found_as_words() {
        assert!(names_throttling("ThrottlingException"));
        assert!(names_throttling("<Error><Code>Throttling</Code></Error>"));
        assert!(names_throttling(r#"{"__type":"com.amazonaws.dynamodb#ProvisionedThroughputExceededException"}"#));
        assert!(names_throttling("TooManyRequestsException;Sender"));
        assert!(!names_throttling("<Code>ValidationError</Code><Message>1 validation error</Message>"));
        assert!(!names_throttling("ThrottlingExceptionX"));
    }

    #[test]
    fn the_pace_halves_on_throttling_and_recovers_with_successes() {
        let pace = Pace::default();
        let t0 = Instant::now();
        // Not paced: 40 requests in the same second go at once.
        for _ in 0..40 {
            assert_eq!(pace.turn(t0), Duration::ZERO);
        }
        pace.throttled(t0);
        assert_eq!(pace.rate(), Some(28.0));
        // One burst slows the pace once.
        pace.throttled(t0 + Duration::from_millis(50));
        assert_eq!(pace.rate(), Some(28.0));
        pace.throttled(t0 + Duration::from_millis(200));
        let rate = pace.rate().unwrap_or_default();
        assert!((19.5..19.7).contains(&rate), "{rate}");
        for i in 1..3 {
            pace.throttled(t0 + Duration::from_millis(200 + 150 * i));
        }
        let rate = pace.rate().unwrap_or_default();
        assert!((9.5..9.7).contains(&rate), "{rate}");
        // Paced: requests are about 104 ms apart.
        let at = t0 + Duration::from_secs(1);
        let gap = Duration::from_secs_f64(1.0 / rate);
        assert_eq!(pace.turn(at), Duration::ZERO);
        assert_eq!(pace.turn(at), gap);
        assert_eq!(pace.turn(at), gap * 2);
        // A second of successes adds about INCREASE_PER_SECOND requests a second.
        for _ in 0..10 {
            pace.succeeded();
        }
        let faster = pace.rate().unwrap_or_default();
        assert!((rate + 1.9..rate + 2.1).contains(&faster), "{rate} -> {faster}");
        // Never slower than MIN_RATE.
        for i in 0..20 {
            pace.throttled(t0 + Duration::from_secs(2 + i));
        }
        assert_eq!(pace.rate(), Some(MIN_RATE));
    }

    #[test]
    fn a_pace_that_recovers_fully_is_lifted() {
        let pace = Pace::default();
        pace.turn(Instant::now());
        pace.throttled(Instant::now());
        assert!(pace.rate().is_some());
        for _ in 0..2_000_000 {
            pace.succeeded();
            if pace.rate().is_none() {
                return;
            }
        }
        panic!("the pace never lifted: {:?}", pace.rate());
    }
}
