//! Integration tests of the ratsuche binary and HTTP API: one test binary, one module per area.

mod browser;
mod cli;
mod http_api;
mod openapi;
mod pipeline;
mod support;
mod sync;
mod tidy;
mod web;
