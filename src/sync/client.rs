//! A polite HTTP client for crawling council systems: a shared rate limit, request timeouts,
//! an identifying User-Agent, and retries with exponential backoff on 429, 5xx, timeouts and
//! ALLRIS's "Zu viele Zugriffe" page (which ALLRIS 4 sends with status 200).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The product part of the User-Agent; [`user_agent`] adds who runs the crawl.
const PRODUCT: &str = concat!("ratsuche/", env!("CARGO_PKG_VERSION"));
/// The phrase of ALLRIS 4's rate-limit page: "Zu viele Zugriffe aus Ihrem Netzwerk, Zugriff
/// temporär gesperrt."
const TOO_MANY_REQUESTS_PAGE: &str = "Zu viele Zugriffe";
/// Only pages this small can be the rate-limit page; a real Vorlage page is much longer.
const MAX_BLOCK_PAGE_BYTES: usize = 32 * 1024;

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The User-Agent header.
    pub user_agent: String,
    /// Requests per second over all threads; 0 means no limit.
    pub requests_per_second: f64,
    /// The longest one request may take, body included.
    pub timeout: Duration,
    /// How often a failed request is tried again.
    pub retries: u32,
    /// The wait before the first retry; it doubles with every further one.
    pub backoff: Duration,
    /// The longest wait between two tries, also for a server's `Retry-After`.
    pub max_backoff: Duration,
    /// Larger responses are refused.
    pub max_body_bytes: u64,
}

impl Default for ClientOptions {
    fn default() -> ClientOptions {
        ClientOptions {
            user_agent: user_agent(None),
            requests_per_second: 2.0,
            timeout: Duration::from_secs(60),
            retries: 5,
            backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(600),
            max_body_bytes: crate::pipeline::MAX_FILE_BYTES,
        }
    }
}

/// Returns the User-Agent: `ratsuche/<version>` plus a contact (a URL or a mail address) so
/// that a council's administrators know whom to ask about the traffic.
pub fn user_agent(contact: Option<&str>) -> String {
    match contact.map(str::trim).filter(|contact| !contact.is_empty()) {
        Some(contact) => format!("{PRODUCT} (+{contact})"),
        None => format!("{PRODUCT} (OParl sync of a council document search)"),
    }
}

/// Why a request failed for good.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server answered with an error status (after all retries, where retrying made sense).
    #[error("{url} answered {status}")]
    Status {
        /// The URL asked for.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The request did not get an answer (after all retries).
    #[error("failed to fetch {url}: {reason}")]
    Transport {
        /// The URL asked for.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The server kept sending ALLRIS's rate-limit page.
    #[error("{url} kept answering with its rate-limit page (\"Zu viele Zugriffe\")")]
    Blocked {
        /// The URL asked for.
        url: String,
    },
}

impl FetchError {
    /// Tells whether waiting might help: the server was overloaded, down or unreachable, as
    /// opposed to a URL it does not serve.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => is_retryable_status(*status),
            FetchError::Transport { .. } | FetchError::Blocked { .. } => true,
        }
    }
}

/// Validators of an earlier download, for a conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Validators {
    /// The `ETag` the server sent.
    pub(crate) etag: Option<String>,
    /// The `Last-Modified` the server sent.
    pub(crate) last_modified: Option<String>,
}

/// A successful answer.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    /// The body; empty for 304.
    pub(crate) bytes: Vec<u8>,
    /// True when the server answered 304 Not Modified to a conditional request.
    pub(crate) not_modified: bool,
    /// The `Content-Type`, if sent.
    pub(crate) content_type: Option<String>,
    /// The validators to send next time.
    pub(crate) validators: Validators,
}

/// What one try gave.
enum Attempt {
    Done(Response),
    Retry {
        reason: String,
        wait: Option<Duration>,
    },
    Fail(FetchError),
}

/// A blocking HTTP client shared by the crawl's threads.
pub(crate) struct Client {
    agent: ureq::Agent,
    options: ClientOptions,
    limiter: Mutex<RateLimiter>,
    n_requests: AtomicU64,
    n_retries: AtomicU64,
}

impl Client {
    /// Builds a client.
    pub(crate) fn new(options: ClientOptions) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(options.user_agent.as_str())
            .timeout_global(Some(options.timeout))
            .max_redirects(5)
            .build();
        let interval = if options.requests_per_second > 0.0 {
            Duration::from_secs_f64(1.0 / options.requests_per_second)
        } else {
            Duration::ZERO
        };
        Client {
            agent: config.into(),
            limiter: Mutex::new(RateLimiter::new(interval, Instant::now())),
            options,
            n_requests: AtomicU64::new(0),
            n_retries: AtomicU64::new(0),
        }
    }

    /// Returns how many requests were sent, retries included.
    pub(crate) fn requests(&self) -> u64 {
        self.n_requests.load(Ordering::Relaxed)
    }

    /// Returns how many requests were tries again after a failure.
    pub(crate) fn retries(&self) -> u64 {
        self.n_retries.load(Ordering::Relaxed)
    }

    /// Fetches a URL, retrying what can get better by waiting.
    pub(crate) fn get(&self, url: &str) -> Result<Response, FetchError> {
        self.get_if_changed(url, &Validators::default())
    }

    /// Fetches a URL unless it is unchanged since `validators` were sent (then the response
    /// says `not_modified`).
    pub(crate) fn get_if_changed(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<Response, FetchError> {
        let backoff = Backoff {
            first: self.options.backoff,
            max: self.options.max_backoff,
        };
        let mut try_idx = 0;
        loop {
            self.wait_for_slot();
            self.n_requests.fetch_add(1, Ordering::Relaxed);
            let (reason, wait) = match self.attempt(url, validators) {
                Attempt::Done(response) => return Ok(response),
                Attempt::Fail(error) => return Err(error),
                Attempt::Retry { reason, wait } => (reason, wait),
            };
            if try_idx >= self.options.retries {
                return Err(if reason == TOO_MANY_REQUESTS_PAGE {
                    FetchError::Blocked {
                        url: url.to_string(),
                    }
                } else {
                    match reason.parse::<u16>() {
                        Ok(status) => FetchError::Status {
                            url: url.to_string(),
                            status,
                        },
                        Err(_) => FetchError::Transport {
                            url: url.to_string(),
                            reason,
                        },
                    }
                });
            }
            let delay = backoff.delay(try_idx, wait);
            tracing::warn!(url, reason = %reason, delay_ms = delay.as_millis() as u64, "retrying");
            self.n_retries.fetch_add(1, Ordering::Relaxed);
            // Everyone waits: a server that asks to slow down means all of our requests.
            self.pause_for(delay);
            try_idx += 1;
        }
    }

    fn wait_for_slot(&self) {
        let wait = match self.limiter.lock() {
            Ok(mut limiter) => limiter.reserve(Instant::now()),
            Err(poisoned) => poisoned.into_inner().reserve(Instant::now()),
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    fn pause_for(&self, delay: Duration) {
        let until = Instant::now() + delay;
        match self.limiter.lock() {
            Ok(mut limiter) => limiter.pause_until(until),
            Err(poisoned) => poisoned.into_inner().pause_until(until),
        }
    }

    fn attempt(&self, url: &str, validators: &Validators) -> Attempt {
        let mut request = self.agent.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag.as_str());
        }
        if let Some(last_modified) = &validators.last_modified {
            request = request.header("If-Modified-Since", last_modified.as_str());
        }
        let mut response = match request.call() {
            Ok(response) => response,
            Err(error) => return transport_failure(url, error),
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let retry_after =
            header("retry-after").and_then(|value| parse_retry_after(&value, chrono::Utc::now()));
        let content_type = header("content-type");
        let new_validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        if is_retryable_status(status) {
            return Attempt::Retry {
                reason: status.to_string(),
                wait: retry_after,
            };
        }
        if status == 304 {
            return Attempt::Done(Response {
                bytes: Vec::new(),
                not_modified: true,
                content_type,
                validators: new_validators,
            });
        }
        if !(200..300).contains(&status) {
            // ALLRIS's rate-limit page may come with an error status too (403 …).
            let head = response
                .body_mut()
                .with_config()
                .limit(MAX_BLOCK_PAGE_BYTES as u64)
                .read_to_vec()
                .unwrap_or_default();
            if is_block_page(&head) {
                return Attempt::Retry {
                    reason: TOO_MANY_REQUESTS_PAGE.to_string(),
                    wait: retry_after,
                };
            }
            return Attempt::Fail(FetchError::Status {
                url: url.to_string(),
                status,
            });
        }
        let bytes = match response
            .body_mut()
            .with_config()
            .limit(self.options.max_body_bytes)
            .read_to_vec()
        {
            Ok(bytes) => bytes,
            Err(ureq::Error::BodyExceedsLimit(limit)) => {
                return Attempt::Fail(FetchError::Transport {
                    url: url.to_string(),
                    reason: format!("the response is larger than {limit} bytes"),
                })
            }
            Err(error) => return transport_failure(url, error),
        };
        if is_block_page(&bytes) {
            return Attempt::Retry {
                reason: TOO_MANY_REQUESTS_PAGE.to_string(),
                wait: retry_after,
            };
        }
        Attempt::Done(Response {
            bytes,
            not_modified: false,
            content_type,
            validators: new_validators,
        })
    }
}

/// Sorts a failed request: timeouts and broken connections are worth another try, a URL that
/// cannot be asked for is not.
fn transport_failure(url: &str, error: ureq::Error) -> Attempt {
    match error {
        ureq::Error::BadUri(_) | ureq::Error::Http(_) | ureq::Error::RedirectFailed => {
            Attempt::Fail(FetchError::Transport {
                url: url.to_string(),
                reason: error.to_string(),
            })
        }
        other => Attempt::Retry {
            reason: other.to_string(),
            wait: None,
        },
    }
}

/// Tells whether a status asks to come back later: 408, 429 and the 5xx family (Leipzig's OParl
/// endpoint has been seen answering 500 now and then).
fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429) || (500..600).contains(&status)
}

/// Tells whether a body is ALLRIS's rate-limit page rather than content.
fn is_block_page(bytes: &[u8]) -> bool {
    if bytes.len() > MAX_BLOCK_PAGE_BYTES {
        return false;
    }
    let text = String::from_utf8_lossy(bytes);
    text.trim_start().starts_with('<') && text.contains(TOO_MANY_REQUESTS_PAGE)
}

/// Reads `Retry-After`: seconds, or an HTTP date (then the time until it, never negative).
fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Exponential backoff: `first`, twice that, four times … never more than `max`. A server's
/// `Retry-After` wins when it is given, within the same bound.
#[derive(Debug, Clone, Copy)]
struct Backoff {
    first: Duration,
    max: Duration,
}

impl Backoff {
    fn delay(&self, try_idx: u32, retry_after: Option<Duration>) -> Duration {
        let delay = retry_after.unwrap_or_else(|| {
            let factor = 2u32.saturating_pow(try_idx.min(30));
            self.first.saturating_mul(factor)
        });
        delay.min(self.max)
    }
}

/// Spaces requests evenly: each takes the next free slot, `interval` after the one before.
#[derive(Debug, Clone)]
struct RateLimiter {
    interval: Duration,
    next_free: Instant,
}

impl RateLimiter {
    fn new(interval: Duration, now: Instant) -> RateLimiter {
        RateLimiter {
            interval,
            next_free: now,
        }
    }

    /// Takes the next slot and returns how long to wait for it.
    fn reserve(&mut self, now: Instant) -> Duration {
        let start = self.next_free.max(now);
        self.next_free = start + self.interval;
        start - now
    }

    /// Lets no request start before `until`.
    fn pause_until(&mut self, until: Instant) {
        self.next_free = self.next_free.max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_backoff(try_idx: u32, retry_after: Option<u64>, expected_ms: u64) {
        let backoff = Backoff {
            first: Duration::from_millis(100),
            max: Duration::from_secs(5),
        };
        let delay = backoff.delay(try_idx, retry_after.map(Duration::from_secs));
        assert_eq!(
            delay,
            Duration::from_millis(expected_ms),
            "try {try_idx}, retry-after {retry_after:?}"
        );
    }

    #[test]
    fn backoff_doubles_up_to_its_bound_and_honours_retry_after() {
        check_backoff(0, None, 100);
        check_backoff(1, None, 200);
        check_backoff(2, None, 400);
        check_backoff(5, None, 3_200);
        check_backoff(6, None, 5_000);
        check_backoff(40, None, 5_000);
        check_backoff(0, Some(2), 2_000);
        check_backoff(3, Some(0), 0);
        check_backoff(0, Some(3_600), 5_000);
    }

    fn check_retry_after(value: &str, expected: Option<u64>) {
        let now = chrono::DateTime::parse_from_rfc3339("2015-10-21T07:27:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let parsed = parse_retry_after(value, now);
        assert_eq!(parsed, expected.map(Duration::from_secs), "{value:?}");
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        check_retry_after("120", Some(120));
        check_retry_after(" 0 ", Some(0));
        check_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", Some(60));
        check_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", Some(0));
        check_retry_after("soon", None);
        check_retry_after("-5", None);
    }

    #[test]
    fn rate_limiter_spaces_requests_and_pauses() {
        let start = Instant::now();
        let ms = Duration::from_millis;
        let mut limiter = RateLimiter::new(ms(500), start);
        // Three requests at once: the first goes, the others queue half a second apart.
        assert_eq!(limiter.reserve(start), ms(0));
        assert_eq!(limiter.reserve(start), ms(500));
        assert_eq!(limiter.reserve(start), ms(1_000));
        // Later, after a quiet spell, a request goes at once.
        assert_eq!(limiter.reserve(start + ms(5_000)), ms(0));
        // A 429 pauses everyone.
        limiter.pause_until(start + ms(8_000));
        assert_eq!(limiter.reserve(start + ms(6_000)), ms(2_000));
        assert_eq!(limiter.reserve(start + ms(6_000)), ms(2_500));
        // A pause that ends earlier than the queue changes nothing.
        limiter.pause_until(start + ms(1_000));
        assert_eq!(limiter.reserve(start + ms(9_000)), ms(0));
        // No limit: nobody waits.
        let mut unlimited = RateLimiter::new(Duration::ZERO, start);
        assert_eq!(unlimited.reserve(start), ms(0));
        assert_eq!(unlimited.reserve(start), ms(0));
    }

    fn check_status(status: u16, retry: bool) {
        assert_eq!(is_retryable_status(status), retry, "{status}");
    }

    #[test]
    fn statuses_worth_retrying() {
        check_status(429, true);
        check_status(500, true);
        check_status(503, true);
        check_status(408, true);
        check_status(404, false);
        check_status(403, false);
        check_status(200, false);
    }

    fn check_block_page(body: &str, blocked: bool) {
        assert_eq!(is_block_page(body.as_bytes()), blocked, "{body:?}");
    }

    #[test]
    fn recognises_the_allris_rate_limit_page() {
        check_block_page(
            "<html><body><h1>Zu viele Zugriffe aus Ihrem Netzwerk, Zugriff temporär gesperrt.</h1></body></html>",
            true,
        );
        check_block_page("{\"name\": \"Zu viele Zugriffe\"}", false);
        check_block_page("<html><body>Vorlage</body></html>", false);
        let long_page = format!("<html>{}Zu viele Zugriffe</html>", "x".repeat(40_000));
        check_block_page(&long_page, false);
    }
}
