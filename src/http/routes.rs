//! The JSON API handlers: search, documents, suggestions and health.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::{ApiError, AppState};
use crate::search::{self, SearchParams};

/// Splits a raw query string into decoded pairs (invalid UTF-8 is replaced, never an error).
pub(crate) fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// Parses and validates search parameters from a raw query string.
pub(crate) fn search_params(raw: Option<&str>) -> Result<SearchParams, ApiError> {
    let pairs = query_pairs(raw);
    Ok(SearchParams::from_pairs(
        pairs
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    )?)
}

/// Runs a search on the blocking pool: search is CPU-bound and must not stall the async workers.
/// No more searches run at once than [`AppState::search_slots`] allows; the others wait.
pub(crate) async fn run_search(
    state: &AppState,
    params: SearchParams,
) -> Result<search::SearchResponse, ApiError> {
    let _slot = state
        .search_slots
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    let index = state.index.clone();
    tokio::task::spawn_blocking(move || search::run(&index, &params))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::from)
}

/// `GET /api/search`.
pub(crate) async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<search::SearchResponse>, ApiError> {
    let params = search_params(raw.as_deref())?;
    Ok(Json(run_search(&state, params).await?))
}

/// Reads the reference from the path; a malformed path is the client's mistake.
pub(crate) fn reference_from(
    path: Result<Path<String>, PathRejection>,
) -> Result<String, ApiError> {
    let Path(reference) =
        path.map_err(|rejection| ApiError::bad_request(format!("invalid reference: {rejection}")))?;
    let reference = reference.trim().to_string();
    if reference.is_empty() || reference.len() > 200 || reference.chars().any(char::is_control) {
        return Err(ApiError::bad_request("invalid reference"));
    }
    Ok(reference)
}

/// Looks up one paper's stored record and shapes it for clients.
pub(crate) async fn load_document(
    state: &AppState,
    body: Option<String>,
    reference: String,
) -> Result<serde_json::Value, ApiError> {
    let index = state.index.clone();
    let lookup_reference = reference.clone();
    let stored =
        tokio::task::spawn_blocking(move || index.document(body.as_deref(), &lookup_reference))
            .await
            .map_err(ApiError::internal)??;
    let Some(json) = stored else {
        return Err(ApiError::not_found(format!("no document {reference}")));
    };
    let paper: serde_json::Value = serde_json::from_str(&json).map_err(ApiError::internal)?;
    Ok(document_json(paper))
}

/// The stored record as the API shows it: `type` and `fraction` as in search hits, the files
/// as `attachments`, and the internal public flag left out (only public papers are stored).
fn document_json(paper: serde_json::Value) -> serde_json::Value {
    let serde_json::Value::Object(mut fields) = paper else {
        return paper;
    };
    fields.remove("public");
    if let Some(paper_type) = fields.get("paper_type").cloned() {
        fields.insert("type".to_string(), paper_type);
    }
    let fraction = fields
        .get("fractions")
        .and_then(|fractions| fractions.get(0))
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    fields.insert("fraction".to_string(), fraction);
    if let Some(files) = fields.remove("files") {
        fields.insert("attachments".to_string(), files);
    }
    if let Some(reference) = fields.get("reference").and_then(|value| value.as_str()) {
        let url = search::document_path(reference);
        fields.insert("url".to_string(), serde_json::Value::String(url));
    }
    serde_json::Value::Object(fields)
}

/// `GET /api/documents/{reference}`.
pub(crate) async fn document(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    let reference = reference_from(path)?;
    let body = body_param(raw.as_deref());
    Ok(Json(load_document(&state, body, reference).await?))
}

/// The optional `body` parameter that picks one municipality's paper.
pub(crate) fn body_param(raw: Option<&str>) -> Option<String> {
    query_pairs(raw)
        .into_iter()
        .find(|(name, value)| name == "body" && !value.is_empty())
        .map(|(_, value)| value)
}

/// `GET /healthz`: answers once the index is open.
pub(crate) async fn healthz(State(state): State<AppState>) -> Response {
    let papers = state.index.num_papers();
    (
        StatusCode::OK,
        Json(serde_json::json!({ "status": "ok", "papers": papers })),
    )
        .into_response()
}

/// Unknown routes: JSON for the API, a short text otherwise.
pub(crate) async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::not_found(format!("no route {}", uri.path())).into_response();
    }
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Seite nicht gefunden",
    )
        .into_response()
}

/// The longest text `/api/suggest` completes, in bytes.
const MAX_SUGGEST_BYTES: usize = 200;

/// `GET /api/suggest?q=…[&limit=N][&format=opensearch]`: completions of the last word typed.
/// `format=opensearch` answers in the OpenSearch suggestions shape `[query, [texts]]` that
/// browsers read.
pub(crate) async fn suggest(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    let mut typed = String::new();
    let mut limit = 8;
    let mut opensearch = false;
    for (name, value) in query_pairs(raw.as_deref()) {
        match name.as_str() {
            "q" => typed = value,
            "limit" => {
                limit = value
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|limit| (1..=index::MAX_SUGGESTIONS).contains(limit))
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "limit must be from 1 to {}, got {value:?}",
                            index::MAX_SUGGESTIONS
                        ))
                    })?
            }
            "format" => match value.as_str() {
                "" | "json" => opensearch = false,
                "opensearch" => opensearch = true,
                other => {
                    return Err(ApiError::bad_request(format!(
                        "format must be json or opensearch, got {other:?}"
                    )))
                }
            },
            _ => {}
        }
    }
    if typed.len() > MAX_SUGGEST_BYTES {
        return Err(ApiError::bad_request(format!(
            "q is too long: {} bytes, at most {MAX_SUGGEST_BYTES}",
            typed.len()
        )));
    }
    let index = state.index.clone();
    let lookup = typed.clone();
    let suggestions = tokio::task::spawn_blocking(move || index.suggest(&lookup, limit))
        .await
        .map_err(ApiError::internal)??;
    if opensearch {
        let texts: Vec<&str> = suggestions
            .iter()
            .map(|found| found.text.as_str())
            .collect();
        return Ok(Json(serde_json::json!([typed, texts])));
    }
    Ok(Json(
        serde_json::json!({ "query": typed, "suggestions": suggestions }),
    ))
}

/// The scheme and host clients reached this server by (`https://ratsuche.example`), for the
/// absolute URLs of feeds, exports and the OpenSearch description. A proxy's
/// `X-Forwarded-Proto`/`X-Forwarded-Host` win; a host with unexpected characters is ignored.
pub(crate) fn public_base(headers: &HeaderMap) -> String {
    let header_text = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
            .map(str::trim)
            .filter(|value| !value.is_empty())
    };
    let scheme = match header_text("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    let host = header_text("x-forwarded-host")
        .or_else(|| header_text(header::HOST.as_str()))
        .filter(|host| {
            host.len() <= 255
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}
