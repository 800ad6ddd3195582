//! The SDK configuration: the standard credential chain, one HTTPS stack (rustls + ring), backed-off
//! retries, a timeout on every call, and each service's requests bounded and paced (`crate::pace`).

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::Options;

/// Attempts per call, throttling included, unless `AWS_MAX_ATTEMPTS` says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;
/// The longest one attempt may take.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest one call may take, retries included.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The shared configuration for `region` (`None`: the configured one).
pub async fn load(options: &Options, region: Option<&str>) -> SdkConfig {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .retry_config(retry_config(
            std::env::var("AWS_MAX_ATTEMPTS").ok().as_deref(),
            std::env::var("AWS_RETRY_MODE").ok().as_deref(),
        ))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = region {
        loader = loader.region(Region::new(region.to_string()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// Retries with exponential backoff and jitter (the SDK's standard mode), with `AWS_MAX_ATTEMPTS`
/// attempts when it is a number. `AWS_RETRY_MODE=adaptive` adds the SDK's client-side rate
/// limiter, which measured far slower once throttled (20 throttled calls: 187 s against 2.6 s).
pub fn retry_config(max_attempts: Option<&str>, mode: Option<&str>) -> RetryConfig {
    let attempts = max_attempts.and_then(|s| s.trim().parse::<u32>().ok()).filter(|n| *n > 0);
    let base = match mode.map(str::trim) {
        Some(m) if m.eq_ignore_ascii_case("adaptive") => RetryConfig::adaptive(),
        _ => RetryConfig::standard(),
    };
    base.with_max_attempts(attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS))
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_secs(20))
}

/// The HTTP client of `config`, bounded and paced per service client (see [`crate::pace`]).
fn bounded(config: &SdkConfig) -> Option<SharedHttpClient> {
    config.http_client().map(crate::pace::bounded)
}

/// A service client whose requests are bounded by [`bounded`].
macro_rules! client {
    ($sdk:ident, $config:expr) => {{
        let mut builder = $sdk::config::Builder::from($config);
        if let Some(http) = bounded($config) {
            builder = builder.http_client(http);
        }
        $sdk::Client::from_conf(builder.build())
    }};
}

/// One client per service, for one region.
#[derive(Clone, Debug)]
pub struct Clients {
    pub sts: aws_sdk_sts::Client,
    pub s3: aws_sdk_s3::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub sns: aws_sdk_sns::Client,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub iam: aws_sdk_iam::Client,
    pub cloudformation: aws_sdk_cloudformation::Client,
    pub apigateway: aws_sdk_apigateway::Client,
    pub apigatewayv2: aws_sdk_apigatewayv2::Client,
    pub eventbridge: aws_sdk_eventbridge::Client,
    pub sfn: aws_sdk_sfn::Client,
    pub cloudfront: aws_sdk_cloudfront::Client,
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
    pub cognito_identity: aws_sdk_cognitoidentity::Client,
    pub kms: aws_sdk_kms::Client,
    pub rds: aws_sdk_rds::Client,
    pub backup: aws_sdk_backup::Client,
    pub ses: aws_sdk_sesv2::Client,
    pub ec2: aws_sdk_ec2::Client,
    /// Account-level S3 settings. Its endpoint puts the account id in front of the host name, so
    /// an emulator needs `AWS_ENDPOINT_URL_S3_CONTROL` with a name (`http://localhost:5000`) that
    /// `<account>.localhost` resolves like.
    pub s3control: aws_sdk_s3control::Client,
    /// Why `s3control` cannot be used, when its endpoint is an IP address: `<account>.127.0.0.1`
    /// names no host, and looking it up could leave the machine.
    pub s3control_unusable: Option<String>,
    pub autoscaling: aws_sdk_applicationautoscaling::Client,
}

impl Clients {
    /// With an emulator endpoint (`--endpoint-url` or `AWS_ENDPOINT_URL`), S3 uses path-style
    /// addresses: `bucket.127.0.0.1` names no host.
    pub fn new(config: &SdkConfig, endpoint_given: bool) -> Clients {
        let path_style = endpoint_given
            || std::env::var_os("AWS_ENDPOINT_URL").is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        let mut s3 = aws_sdk_s3::config::Builder::from(config).force_path_style(path_style);
        if let Some(http) = bounded(config) {
            s3 = s3.http_client(http);
        }
        // The per-service variable is more specific than `--endpoint-url`, which the SDK lets win.
        let mut s3control = aws_sdk_s3control::config::Builder::from(config);
        if let Some(http) = bounded(config) {
            s3control = s3control.http_client(http);
        }
        let control_url = std::env::var("AWS_ENDPOINT_URL_S3_CONTROL").ok().filter(|u| !u.is_empty());
        if let Some(url) = &control_url {
            s3control = s3control.endpoint_url(url);
        }
        let s3control_unusable = control_url.as_deref().or(config.endpoint_url()).and_then(ip_endpoint).map(|host| {
            format!(
                "S3 Control puts the account id in front of the endpoint's host, and `{host}` is an IP address: set AWS_ENDPOINT_URL_S3_CONTROL to a host name (http://localhost:PORT, with `<account>.localhost` in the hosts file)"
            )
        });
        Clients {
            sts: client!(aws_sdk_sts, config),
            s3: aws_sdk_s3::Client::from_conf(s3.build()),
            lambda: client!(aws_sdk_lambda, config),
            sqs: client!(aws_sdk_sqs, config),
            sns: client!(aws_sdk_sns, config),
            dynamodb: client!(aws_sdk_dynamodb, config),
            logs: client!(aws_sdk_cloudwatchlogs, config),
            iam: client!(aws_sdk_iam, config),
            cloudformation: client!(aws_sdk_cloudformation, config),
            apigateway: client!(aws_sdk_apigateway, config),
            apigatewayv2: client!(aws_sdk_apigatewayv2, config),
            eventbridge: client!(aws_sdk_eventbridge, config),
            sfn: client!(aws_sdk_sfn, config),
            cloudfront: client!(aws_sdk_cloudfront, config),
            cognito: client!(aws_sdk_cognitoidentityprovider, config),
            cognito_identity: client!(aws_sdk_cognitoidentity, config),
            kms: client!(aws_sdk_kms, config),
            rds: client!(aws_sdk_rds, config),
            backup: client!(aws_sdk_backup, config),
            ses: client!(aws_sdk_sesv2, config),
            ec2: client!(aws_sdk_ec2, config),
            s3control: aws_sdk_s3control::Client::from_conf(s3control.build()),
            s3control_unusable,
            autoscaling: client!(aws_sdk_applicationautoscaling, config),
        }
    }
}

/// The host of an endpoint URL, when it is an IP address.
fn ip_endpoint(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.parse::<std::net::IpAddr>().is_ok().then(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_endpoints_are_recognised() {
        assert_eq!(ip_endpoint("http://127.0.0.1:5000").as_deref(), Some("127.0.0.1"));
        assert_eq!(ip_endpoint("http://[::1]:5000/").as_deref(), Some("::1"));
        assert_eq!(ip_endpoint("http://localhost:5000"), None);
        assert_eq!(ip_endpoint("https://s3-control.example"), None);
    }

    #[test]
    fn retries_back_off_with_a_bound() {
        let c = retry_config(None, None);
        assert_eq!(c.mode(), aws_smithy_types::retry::RetryMode::Standard);
        assert_eq!(c.max_attempts(), DEFAULT_MAX_ATTEMPTS);
        assert_eq!(retry_config(Some("2"), None).max_attempts(), 2);
        assert_eq!(retry_config(Some("zero"), None).max_attempts(), DEFAULT_MAX_ATTEMPTS);
        assert_eq!(retry_config(Some("0"), Some("adaptive")).max_attempts(), DEFAULT_MAX_ATTEMPTS);
        assert_eq!(retry_config(None, Some("adaptive")).mode(), aws_smithy_types::retry::RetryMode::Adaptive);
    }
}
