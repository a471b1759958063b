//! Integration tests of the ratsuche binary and HTTP API: one test binary, one module per area.

mod admin;
mod backup;
mod browser;
mod cli;
mod crash;
mod german;
mod hostile;
mod http_api;
mod leaks;
mod openapi;
mod operations;
mod pipeline;
mod reads_during_writes;
mod support;
mod sync;
mod tidy;
mod web;
