//! Prometheus metrics at `/metrics`: requests and latencies per route, papers, index size and
//! files the server's own ingests (admin uploads and syncs) could not read.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use super::AppState;

type Labels = Vec<(String, String)>;

/// The metrics of one server.
pub struct Metrics {
    registry: Registry,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    papers: Gauge,
    index_bytes: Gauge,
    ingest_errors: Counter,
    index_dir: Option<PathBuf>,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms to about 4 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

impl Metrics {
    /// Registers all metrics; `index_dir` is measured for the index size when known.
    pub fn new(index_dir: Option<PathBuf>) -> Metrics {
        let mut registry = Registry::with_prefix("ratsuche");
        let requests = Family::<Labels, Counter>::default();
        let latency =
            Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let papers = Gauge::default();
        let index_bytes = Gauge::default();
        let ingest_errors = Counter::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        registry.register("papers", "Papers in the index", papers.clone());
        registry.register(
            "index_size_bytes",
            "Size of the index folder",
            index_bytes.clone(),
        );
        registry.register(
            "ingest_errors",
            "Files that ingests run by this server could not read or parse",
            ingest_errors.clone(),
        );
        Metrics {
            registry,
            ingest_errors,
            requests,
            latency,
            papers,
            index_bytes,
            index_dir,
        }
    }

    fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let route_label = vec![("route".to_string(), route.to_string())];
        self.latency.get_or_create(&route_label).observe(seconds);
        let labels = vec![
            ("route".to_string(), route.to_string()),
            ("method".to_string(), method.to_string()),
            ("status".to_string(), status.to_string()),
        ];
        self.requests.get_or_create(&labels).inc();
    }

    /// Counts files an ingest or sync run by this server could not read or parse.
    pub fn add_ingest_errors(&self, count: usize) {
        self.ingest_errors.inc_by(count as u64);
    }

    /// The text exposition of all metrics, with the gauges read now.
    pub fn render(&self, papers: u64) -> String {
        self.papers.set(i64::try_from(papers).unwrap_or(i64::MAX));
        if let Some(dir) = &self.index_dir {
            self.index_bytes
                .set(i64::try_from(folder_size(dir)).unwrap_or(i64::MAX));
        }
        let mut text = String::new();
        if encode(&mut text, &self.registry).is_err() {
            text.clear();
        }
        text
    }
}

fn folder_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(metadata) if metadata.is_dir() => folder_size(&entry.path()),
            Ok(metadata) => metadata.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Middleware that counts and times every routed request.
pub(crate) async fn track(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |path| path.as_str().to_string());
    let method = request.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.observe(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`.
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    let body = state.metrics.render(state.index.num_papers());
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
