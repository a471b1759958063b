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

/// Installs the tracing subscriber: logs go to stderr, `RUST_LOG` overrides the default filter.
pub fn install_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(
            "warn,ratsuche=info,index=info,ingest=info,tower_http=info",
        )
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
