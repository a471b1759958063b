//! The Atom feed of a search (`/feed.atom?…`): its newest matching papers, so a journalist's
//! feed reader shows new papers on a topic as they are ingested.

use std::fmt::Write;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

use super::page::{escape, query_string};
use super::routes::{public_base, run_search, search_params};
use super::{ApiError, AppState};
use crate::search::{HitResponse, SearchParams};

/// Entries per feed: the newest matching papers.
pub(crate) const FEED_ENTRIES: usize = 50;

/// `GET /feed.atom?…`: the same parameters as `/api/search`; sort and page are ignored, the
/// newest papers come first.
pub(crate) async fn feed(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = SearchParams {
        sort: index::Sort::DateDesc,
        page: 1,
        per_page: FEED_ENTRIES,
        ..search_params(raw.as_deref())?
    };
    let response = run_search(&state, params.clone()).await?;
    let xml = render_feed(&public_base(&headers), &params, &response.hits);
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

/// A date as an Atom timestamp (midnight UTC).
fn timestamp(date: chrono::NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// A human title for the feed: the query and the filters.
fn feed_title(params: &SearchParams) -> String {
    let mut parts = Vec::new();
    if !params.query.is_empty() {
        parts.push(format!("„{}“", params.query));
    }
    for values in [
        &params.types,
        &params.fractions,
        &params.gremien,
        &params.bodies,
    ] {
        if !values.is_empty() {
            parts.push(values.join(" oder "));
        }
    }
    if parts.is_empty() {
        "ratsuche: neue Ratsdokumente".to_string()
    } else {
        format!("ratsuche: {}", parts.join(", "))
    }
}

fn render_feed(base: &str, params: &SearchParams, hits: &[HitResponse]) -> String {
    let permalink_params = SearchParams {
        sort: index::Sort::Relevance,
        per_page: crate::config::DEFAULT_PER_PAGE,
        ..params.clone()
    };
    let query = query_string(&permalink_params);
    let self_url = format!("{base}/feed.atom?{query}");
    let page_url = format!("{base}/?{query}");
    // The feed changes when its newest paper does; a feed without dated papers is as old as
    // the epoch, which readers accept.
    let updated = hits
        .iter()
        .filter_map(|found| found.hit.date)
        .max()
        .map(timestamp)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">\
<id>{}</id><title>{}</title><updated>{updated}</updated>\
<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\
<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\
<author><name>ratsuche</name></author><generator>ratsuche</generator>",
        escape(&self_url),
        escape(&feed_title(params)),
        escape(&self_url),
        escape(&page_url),
    );
    for found in hits {
        let hit = &found.hit;
        let url = format!("{base}{}", found.url);
        let _ = write!(
            xml,
            "<entry><id>{}</id><title>{}</title><link rel=\"alternate\" type=\"text/html\" href=\"{}\"/><updated>{}</updated>",
            escape(&url),
            escape(&format!("{}: {}", hit.reference, hit.title)),
            escape(&url),
            hit.date.map(timestamp).unwrap_or_else(|| updated.clone()),
        );
        if let Some(originator) = &hit.originator {
            let _ = write!(xml, "<author><name>{}</name></author>", escape(originator));
        }
        if let Some(paper_type) = &hit.paper_type {
            let _ = write!(xml, "<category term=\"{}\"/>", escape(paper_type));
        }
        if !hit.snippets.is_empty() {
            // The snippets are HTML already (escaped text with <mark>); as type="html" they
            // are escaped once more.
            let summary = hit.snippets.join(" … ");
            let _ = write!(xml, "<summary type=\"html\">{}</summary>", escape(&summary));
        }
        xml.push_str("</entry>");
    }
    xml.push_str("</feed>\n");
    xml
}
