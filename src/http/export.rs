//! Exports for journalists: the hits of a search as CSV or JSON rows (reference, title, type,
//! fraction, date, URL), up to [`EXPORT_ROWS`] in the search's order.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::routes::{public_base, run_search, search_params};
use super::{ApiError, AppState};
use crate::search::SearchParams;

/// The most rows one export holds; `X-Total-Count` tells how many papers matched.
pub(crate) const EXPORT_ROWS: usize = 1_000;

/// One exported paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct ExportRow {
    reference: String,
    title: String,
    #[serde(rename = "type")]
    paper_type: Option<String>,
    fraction: Option<String>,
    date: Option<String>,
    url: String,
}

impl ExportRow {
    /// The row with every text cell made safe to open in a spreadsheet (see [`inert_cell`]).
    fn spreadsheet_safe(&self) -> ExportRow {
        let inert = |cell: &Option<String>| cell.as_deref().map(inert_cell);
        ExportRow {
            reference: inert_cell(&self.reference),
            title: inert_cell(&self.title),
            paper_type: inert(&self.paper_type),
            fraction: inert(&self.fraction),
            date: self.date.clone(),
            url: self.url.clone(),
        }
    }
}

/// A CSV cell that a spreadsheet shows as text: a cell starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return would be run as a formula (a title such as `=HYPERLINK(…)` from a
/// council's pages), so it gets a leading `'`, as OWASP recommends against CSV injection.
fn inert_cell(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The first [`EXPORT_ROWS`] hits of the search in `raw` and the number of all matches.
async fn export_rows(
    state: &AppState,
    raw: Option<&str>,
    headers: &HeaderMap,
) -> Result<(u64, Vec<ExportRow>), ApiError> {
    let params = SearchParams {
        page: 1,
        per_page: EXPORT_ROWS,
        ..search_params(raw)?
    };
    let response = run_search(state, params).await?;
    let base = public_base(headers);
    let rows = response
        .hits
        .into_iter()
        .map(|found| ExportRow {
            url: format!("{base}{}", found.url),
            reference: found.hit.reference,
            title: found.hit.title,
            paper_type: found.hit.paper_type,
            fraction: found.hit.fraction,
            date: found.hit.date.map(|date| date.to_string()),
        })
        .collect();
    Ok((response.total, rows))
}

/// The headers every export carries: the download name, the total and the row limit.
fn export_headers(
    content_type: &'static str,
    file: &'static str,
    total: u64,
) -> [(HeaderName, HeaderValue); 4] {
    [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CONTENT_DISPOSITION, HeaderValue::from_static(file)),
        (
            HeaderName::from_static("x-total-count"),
            HeaderValue::from(total),
        ),
        (
            HeaderName::from_static("x-export-limit"),
            HeaderValue::from(EXPORT_ROWS),
        ),
    ]
}

/// `GET /export.csv?…`: the same parameters as `/api/search`; page and page size are ignored.
pub(crate) async fn csv(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (total, rows) = export_rows(&state, raw.as_deref(), &headers).await?;
    // The header row is written by hand, so that an export without rows still has one.
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    writer
        .write_record(["reference", "title", "type", "fraction", "date", "url"])
        .map_err(ApiError::internal)?;
    for row in &rows {
        writer
            .serialize(row.spreadsheet_safe())
            .map_err(ApiError::internal)?;
    }
    let bytes = writer.into_inner().map_err(ApiError::internal)?;
    Ok((
        export_headers(
            "text/csv; charset=utf-8",
            "attachment; filename=\"ratsuche-export.csv\"",
            total,
        ),
        bytes,
    )
        .into_response())
}

/// `GET /export.json?…`: `{"total", "limit", "rows": [...]}`.
pub(crate) async fn json(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (total, rows) = export_rows(&state, raw.as_deref(), &headers).await?;
    let body = serde_json::json!({ "total": total, "limit": EXPORT_ROWS, "rows": rows });
    Ok((
        export_headers(
            "application/json",
            "inline; filename=\"ratsuche-export.json\"",
            total,
        ),
        Json(body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_as_formulas_stay_text() {
        for (cell, expected) in [
            (
                "=HYPERLINK(\"http://x\",\"klick\")",
                "'=HYPERLINK(\"http://x\",\"klick\")",
            ),
            ("+49 341 123", "'+49 341 123"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("Radweg = Fußweg?", "Radweg = Fußweg?"),
            ("VII-F-01504", "VII-F-01504"),
            ("", ""),
        ] {
            assert_eq!(inert_cell(cell), expected);
        }
        let row = ExportRow {
            reference: "A-1".into(),
            title: "=1+1".into(),
            paper_type: Some("@Antrag".into()),
            fraction: None,
            date: Some("2024-01-02".into()),
            url: "http://localhost/paper/A-1".into(),
        };
        let safe = row.spreadsheet_safe();
        assert_eq!(safe.title, "'=1+1");
        assert_eq!(safe.paper_type.as_deref(), Some("'@Antrag"));
        assert_eq!(
            (safe.reference, safe.date, safe.url),
            (row.reference, row.date, row.url)
        );
    }
}
