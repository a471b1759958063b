//! The axum HTTP service: JSON API, search page and document pages.
//!
//! [`app`] builds the router (tests drive it with `oneshot`); [`serve`] runs it on a listener
//! until a shutdown signal, finishing requests in flight.

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

pub use error::ApiError;
pub use metrics::Metrics;

use crate::config::ServeConfig;

/// The longest request body accepted; search is all GET, so bodies are small.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The open index.
    pub index: Arc<index::Index>,
    /// Request counters and latencies.
    pub metrics: Arc<Metrics>,
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
        }
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
        .route_layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .fallback(routes::not_found)
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
                    ),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
                .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY_BYTES))
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    timeout,
                ))
                .layer(HandleErrorLayer::new(overloaded))
                .load_shed()
                .concurrency_limit(config.max_concurrency.max(1)),
        )
}

/// Serves `state` on `listener` until `shutdown` resolves; requests in flight are finished.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    config: &ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = app(state, config);
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    runtime.block_on(async {
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("failed to listen on {}", config.addr))?;
        tracing::info!(addr = %config.addr, papers = index.num_papers(), "serving");
        let state = AppState::with_index_dir(index, index_dir);
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
