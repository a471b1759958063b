//! The axum HTTP service: JSON API, search page and document pages.
//!
//! [`app`] builds the router (tests drive it with `oneshot`); [`serve`] runs it on a listener
//! until a shutdown signal, finishing requests in flight.

mod error;
mod page;
mod routes;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

pub use error::ApiError;

use crate::config::ServeConfig;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The open index.
    pub index: Arc<index::Index>,
}

impl AppState {
    /// Wraps an index for serving.
    pub fn new(index: index::Index) -> AppState {
        AppState {
            index: Arc::new(index),
        }
    }
}

/// Builds the router with all routes and middleware.
pub fn app(state: AppState, config: &ServeConfig) -> Router {
    let timeout = Duration::from_secs(config.request_timeout_secs.max(1));
    Router::new()
        .route("/", get(page::search_page))
        .route("/documents/{*reference}", get(page::document_page))
        .route("/api/search", get(routes::search))
        .route("/api/documents/{*reference}", get(routes::document))
        .route("/healthz", get(routes::healthz))
        .fallback(routes::not_found)
        .with_state(state)
        .layer(
            tower::ServiceBuilder::new()
                .layer(tower_http::trace::TraceLayer::new_for_http())
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    timeout,
                ))
                .layer(tower::limit::ConcurrencyLimitLayer::new(
                    config.max_concurrency.max(1),
                )),
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

/// Binds the configured address and serves until Ctrl-C or SIGTERM.
pub fn serve_blocking(index: index::Index, config: &ServeConfig) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    runtime.block_on(async {
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("failed to listen on {}", config.addr))?;
        tracing::info!(addr = %config.addr, papers = index.num_papers(), "serving");
        serve(listener, AppState::new(index), config, shutdown_signal())
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
