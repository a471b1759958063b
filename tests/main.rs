//! Integration tests of the ratsuche binary and HTTP API: one test binary, one module per area.

mod cli;
mod german;
mod http_api;
mod pipeline;
mod support;
mod sync;
mod tidy;
