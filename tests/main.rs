//! Integration tests of the ratsuche binary and HTTP API: one test binary, one module per area.

mod admin;
mod cli;
mod http_api;
mod leaks;
mod pipeline;
mod support;
mod sync;
mod tidy;
