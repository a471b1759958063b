//! The axum HTTP service: JSON API, search page and document pages.
//!
//! [`app`] builds the router (tests drive it with `oneshot`); [`serve`] runs it on a listener
//! until a shutdown signal, finishing requests in flight.

mod admin;
mod embed;
mod error;
mod export;
mod feed;
mod metrics;
mod openapi;
mod page;
mod routes;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::error_handling::HandleErrorLayer;
use axum::http::{header, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

pub use admin::{spawn_scheduled_sync, Admin};
pub use error::ApiError;
pub use metrics::Metrics;

use crate::config::ServeConfig;

/// The fewest threads of the blocking pool that searches and admin uploads run on.
const BLOCKING_THREADS_MIN: usize = 8;

/// The longest request body accepted; search is all GET, so bodies are small.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// The longest request target (path and query) accepted; longer ones get 414.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The open index.
    pub index: Arc<index::Index>,
    /// Request counters and latencies.
    pub metrics: Arc<Metrics>,
    /// The admin routes' token and settings (switched off unless set).
    pub admin: Arc<Admin>,
    /// The searches that may run at once (`--search-slots`, two per core): more wait in
    /// turn rather than share the cores. Sharing them among the eight or more threads of
    /// the blocking pool stretched every search by the number running, so under load a long
    /// one took several times its CPU time (see BENCHMARKS.md, "Searches in turn").
    pub search_slots: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Wraps an index for serving.
    pub fn new(index: index::Index) -> AppState {
        AppState::with_index_dir(index, None)
    }

    /// Wraps an index whose folder is known, so `/metrics` can report its size.
    pub fn with_index_dir(index: index::Index, index_dir: Option<PathBuf>) -> AppState {
        AppState {
            index: Arc::new(index),
            metrics: Arc::new(Metrics::new(index_dir)),
            admin: Arc::new(Admin::default()),
            search_slots: Arc::new(tokio::sync::Semaphore::new(
                ServeConfig::default().search_slots(),
            )),
        }
    }

    /// Lets `slots` searches run at once (at least one).
    pub fn with_search_slots(mut self, slots: usize) -> AppState {
        self.search_slots = Arc::new(tokio::sync::Semaphore::new(slots.max(1)));
        self
    }

    /// Switches the admin routes on with these settings.
    pub fn with_admin(mut self, admin: Admin) -> AppState {
        self.admin = Arc::new(admin);
        self
    }
}

/// Answers requests the server sheds under load or cannot finish in time.
async fn overloaded(error: tower::BoxError) -> Response {
    if error.is::<tower::load_shed::error::Overloaded>() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            axum::Json(serde_json::json!({ "error": "server is busy, retry in a second" })),
        )
            .into_response();
    }
    ApiError::internal(error).into_response()
}

/// Builds the router with all routes and middleware: request ids, tracing, a body limit, a
/// per-request timeout and a concurrency limit that sheds load with 503 and `Retry-After`.
pub fn app(state: AppState, config: &ServeConfig) -> Router {
    let timeout = Duration::from_secs(config.request_timeout_secs.max(1));
    let request_id = HeaderName::from_static("x-request-id");
    let state_limits = RequestLimits {
        max_body: MAX_BODY_BYTES,
        max_admin_body: state.admin.max_upload(),
    };
    Router::new()
        .route("/", get(page::search_page))
        .route("/documents/{*reference}", get(page::document_page))
        .route("/api/search", get(routes::search))
        .route("/api/documents/{*reference}", get(routes::document))
        .route("/api/suggest", get(routes::suggest))
        .route("/api/openapi.json", get(openapi::openapi))
        .route("/feed.atom", get(feed::feed))
        .route("/export.csv", get(export::csv))
        .route("/export.json", get(export::json))
        .route("/widget.js", get(embed::widget))
        .route("/opensearch.xml", get(embed::opensearch))
        .route("/healthz", get(routes::healthz))
        .route("/metrics", get(metrics::metrics))
        .merge(admin::routes(&state))
        .route_layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(embed::cors_layer(config))
        .layer(embed::frame_ancestors_layer(config))
        .layer(
            tower::ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(
                    tower_http::trace::TraceLayer::new_for_http().make_span_with(
                        |request: &axum::http::Request<_>| {
                            let id = request
                                .headers()
                                .get("x-request-id")
                                .and_then(|value| value.to_str().ok())
                                .unwrap_or("-");
                            tracing::info_span!("request", method = %request.method(), uri = %request.uri().path(), request_id = %id)
                        },
                    )
                    // One access-log line per request at info, in the span with its request id.
                    .on_response(
                        tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                    ),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
                .layer(axum::middleware::from_fn_with_state(
                    state_limits,
                    limit_request,
                ))
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    timeout,
                ))
                .layer(HandleErrorLayer::new(overloaded))
                .load_shed()
                // Global: `Router::layer` gives every route its own copy of a layer, and a
                // plain concurrency limit would then count per route.
                .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                    config.max_concurrency.max(1),
                )),
        )
}

/// Answers a known path asked with a method it does not take, in JSON like every error.
async fn method_not_allowed(method: axum::http::Method) -> Response {
    let message = format!("method {method} is not allowed here");
    (
        StatusCode::METHOD_NOT_ALLOWED,
        axum::Json(serde_json::json!({ "error": message })),
    )
        .into_response()
}

/// The size limits [`limit_request`] enforces.
#[derive(Debug, Clone, Copy)]
struct RequestLimits {
    max_body: usize,
    max_admin_body: usize,
}

/// Answers 414 to over-long request targets and 413 to bodies announced larger than the
/// route's limit (uploads under `/api/admin/` have their own), with a JSON message.
async fn limit_request(
    axum::extract::State(limits): axum::extract::State<RequestLimits>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let target_len = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if target_len > MAX_URI_BYTES {
        let message = format!("the request target is too long: at most {MAX_URI_BYTES} bytes");
        return (
            StatusCode::URI_TOO_LONG,
            axum::Json(serde_json::json!({ "error": message })),
        )
            .into_response();
    }
    let limit = if request.uri().path().starts_with("/api/admin/") {
        limits.max_admin_body
    } else {
        limits.max_body
    };
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        let message = format!("the request body is too large: at most {limit} bytes");
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            axum::Json(serde_json::json!({ "error": message })),
        )
            .into_response();
    }
    next.run(request).await
}

/// Serves `state` on `listener` until `shutdown` resolves; requests in flight are finished.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    config: &ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = app(state.with_search_slots(config.search_slots()), config);
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Binds the configured address and serves until Ctrl-C or SIGTERM. `index_dir` is reported
/// in `/metrics` when given.
pub fn serve_blocking(
    index: index::Index,
    index_dir: Option<PathBuf>,
    config: &ServeConfig,
) -> anyhow::Result<()> {
    let mut admin = Admin::new(config.admin_token()?, config.admin_max_upload);
    if let Some(dir) = &index_dir {
        admin = admin.with_index_dir(dir.clone());
    }
    let state = AppState::with_index_dir(index, index_dir).with_admin(admin);
    serve_state_blocking(state, config)
}

/// Binds the configured address and serves `state` until Ctrl-C or SIGTERM.
pub fn serve_state_blocking(state: AppState, config: &ServeConfig) -> anyhow::Result<()> {
    // Searches run on the blocking pool and are CPU-bound: more threads than a few per core
    // only add per-thread memory (allocator arenas, analysis caches) without answering faster.
    // Requests beyond the pool wait in its queue, within the concurrency limit and timeout.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads((cores * 4).max(BLOCKING_THREADS_MIN))
        .build()
        .context("failed to start the async runtime")?;
    runtime.block_on(async {
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("failed to listen on {}", config.addr))?;
        tracing::info!(addr = %config.addr, papers = state.index.num_papers(), "serving");
        serve(listener, state, config, shutdown_signal())
            .await
            .context("server failed")
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
