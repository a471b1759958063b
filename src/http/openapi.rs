//! `GET /api/openapi.json`: the OpenAPI 3.0 description of every public route, kept in
//! `openapi.json` beside this file. Tests check it against the router and real responses.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The OpenAPI document.
pub(crate) const OPENAPI_JSON: &str = include_str!("openapi.json");

/// `GET /api/openapi.json`.
pub(crate) async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON).into_response()
}
