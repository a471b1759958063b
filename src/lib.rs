//! ratsuche: search for German municipal council documents.
//!
//! This crate is the application: the command line ([`cli`]), the configuration ([`config`]),
//! the ingest pipeline that joins the `ingest` and `index` crates ([`pipeline`]), the sample
//! corpus generator ([`corpus`]) and the axum HTTP service ([`http`]).

pub mod backup;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod http;
pub mod pipeline;
pub mod search;
pub mod sync;

/// Installs the tracing subscriber: logs go to stderr, `RUST_LOG` overrides the default filter,
/// and `RATSUCHE_LOG_FORMAT=json` writes one JSON object per line (with the request span's
/// `request_id`) for log collectors.
pub fn install_logging() {
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new(
                "warn,ratsuche=info,index=info,ingest=info,tower_http=info",
            )
        })
    };
    let json = std::env::var("RATSUCHE_LOG_FORMAT").is_ok_and(|format| format == "json");
    let _ = if json {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .try_init()
    } else {
        tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .try_init()
    };
}
