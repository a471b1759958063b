//! The search request as users send it (CLI flags or URL parameters), validated, and the JSON
//! response shared by `ratsuche search --json` and `GET /api/search`.

use std::time::Instant;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::{DEFAULT_PER_PAGE, MAX_OFFSET, MAX_PER_PAGE, MAX_QUERY_BYTES};

/// A client mistake in a search request; becomes a 400 with this message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadRequest(pub String);

/// A validated search request, before it is handed to the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchParams {
    /// The query text.
    pub query: String,
    /// Paper types.
    pub types: Vec<String>,
    /// Council groups.
    pub fractions: Vec<String>,
    /// Committees.
    pub gremien: Vec<String>,
    /// Municipalities.
    pub bodies: Vec<String>,
    /// Inclusive lower date bound.
    pub from: Option<NaiveDate>,
    /// Inclusive upper date bound.
    pub to: Option<NaiveDate>,
    /// Order of hits.
    pub sort: index::Sort,
    /// 1-based page.
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
    /// Search the words as typed: no spelling correction replaces them (`as_typed=true`).
    pub as_typed: bool,
}

impl SearchParams {
    /// Reads the parameters of INTERFACE.md from `name=value` pairs (URL query or CLI flags).
    /// Unknown names are ignored so that links can carry extra state (e.g. `embed`).
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<SearchParams, BadRequest> {
        let mut params = SearchParams {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            ..SearchParams::default()
        };
        for (name, value) in pairs {
            match name {
                "q" => {
                    if value.len() > MAX_QUERY_BYTES {
                        return Err(BadRequest(format!(
                            "query is too long: {} bytes, at most {MAX_QUERY_BYTES}",
                            value.len()
                        )));
                    }
                    params.query = value.to_string();
                }
                "type" => push_value(&mut params.types, value),
                "fraction" => push_value(&mut params.fractions, value),
                "gremium" => push_value(&mut params.gremien, value),
                "body" => push_value(&mut params.bodies, value),
                "from" => params.from = parse_date("from", value)?,
                "to" => params.to = parse_date("to", value)?,
                "sort" => params.sort = parse_sort(value)?,
                "page" => params.page = parse_count("page", value, 1, usize::MAX)?,
                "per_page" => params.per_page = parse_count("per_page", value, 1, MAX_PER_PAGE)?,
                "as_typed" => params.as_typed = parse_flag("as_typed", value)?,
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (params.from, params.to) {
            if from > to {
                return Err(BadRequest(format!("from ({from}) is after to ({to})")));
            }
        }
        let offset = (params.page - 1).saturating_mul(params.per_page);
        if offset > MAX_OFFSET {
            return Err(BadRequest(format!(
                "page {} is too deep: at most {MAX_OFFSET} hits can be skipped; narrow the search instead",
                params.page
            )));
        }
        Ok(params)
    }

    /// The request for the index.
    pub fn to_request(&self) -> index::SearchRequest {
        index::SearchRequest {
            query: self.query.clone(),
            types: self.types.clone(),
            fractions: self.fractions.clone(),
            gremien: self.gremien.clone(),
            bodies: self.bodies.clone(),
            from: self.from,
            to: self.to,
            sort: self.sort,
            offset: (self.page - 1) * self.per_page,
            limit: self.per_page,
            as_typed: self.as_typed,
            ..index::SearchRequest::default()
        }
    }
}

/// Empty values (`type=`) are ignored, as a form with an empty select sends them.
fn push_value(values: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() && !values.iter().any(|known| known == value) {
        values.push(value.to_string());
    }
}

fn parse_date(name: &str, value: &str) -> Result<Option<NaiveDate>, BadRequest> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            BadRequest(format!(
                "{name} must be a date as YYYY-MM-DD, got {value:?}"
            ))
        })
}

fn parse_sort(value: &str) -> Result<index::Sort, BadRequest> {
    match value {
        "" | "relevance" => Ok(index::Sort::Relevance),
        "date_desc" => Ok(index::Sort::DateDesc),
        "date_asc" => Ok(index::Sort::DateAsc),
        other => Err(BadRequest(format!(
            "sort must be relevance, date_desc or date_asc, got {other:?}"
        ))),
    }
}

/// `true`/`1`/`on` or `false`/`0`/`off`; empty (a form's unticked box) is false.
fn parse_flag(name: &str, value: &str) -> Result<bool, BadRequest> {
    match value.trim() {
        "true" | "1" | "on" => Ok(true),
        "" | "false" | "0" | "off" => Ok(false),
        other => Err(BadRequest(format!(
            "{name} must be true or false, got {other:?}"
        ))),
    }
}

fn parse_count(name: &str, value: &str, min: usize, max: usize) -> Result<usize, BadRequest> {
    let number: usize = value
        .trim()
        .parse()
        .map_err(|_| BadRequest(format!("{name} must be a whole number, got {value:?}")))?;
    if number < min || number > max {
        let bound = if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("from {min} to {max}")
        };
        return Err(BadRequest(format!("{name} must be {bound}, got {number}")));
    }
    Ok(number)
}

/// The JSON body of `GET /api/search`.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    /// Number of matching papers.
    pub total: u64,
    /// Time spent in the index, in milliseconds.
    pub took_ms: f64,
    /// The page of hits.
    pub hits: Vec<HitResponse>,
    /// Facet counts.
    pub facets: index::Facets,
    /// The corrected query whose hits these are, when the query as written found nothing
    /// or clearly fewer papers (`Sporthale` → `Sporthalle`; `null` otherwise, always with
    /// `as_typed`).
    pub did_you_mean: Option<String>,
    /// A corrected query whose hits are not shown: it finds no more papers than the query as
    /// written, or the request asked for the words as typed; the hits stay those of the
    /// query as written (`null` otherwise).
    pub suggestion: Option<String>,
    /// When no paper holds all words of the query: how many words it has and which were
    /// left out to find these hits (`null` otherwise).
    pub partial: Option<index::PartialMatch>,
    /// When nothing else found a paper: the compound query words whose parts these hits hold
    /// anywhere rather than together (`null` otherwise).
    pub parts_apart: Option<Vec<String>>,
}

/// One hit with the link to its document page.
#[derive(Debug, Clone, Serialize)]
pub struct HitResponse {
    /// The hit as the index returns it.
    #[serde(flatten)]
    pub hit: index::Hit,
    /// The document page of the paper.
    pub url: String,
}

/// Runs a search and shapes the response.
pub fn run(index: &index::Index, params: &SearchParams) -> index::Result<SearchResponse> {
    let started = Instant::now();
    let results = index.search(&params.to_request())?;
    let took_ms = started.elapsed().as_secs_f64() * 1000.0;
    let hits = results
        .hits
        .into_iter()
        .map(|hit| HitResponse {
            url: document_path(&hit.reference),
            hit,
        })
        .collect();
    Ok(SearchResponse {
        total: results.total,
        took_ms: (took_ms * 1000.0).round() / 1000.0,
        hits,
        facets: results.facets,
        did_you_mean: results.did_you_mean,
        suggestion: results.suggestion,
        partial: results.partial,
        parts_apart: results.parts_apart,
    })
}

/// The path of a paper's page, with the reference percent-encoded (`2021/0281` → `2021%2F0281`).
pub fn document_path(reference: &str) -> String {
    format!("/documents/{}", encode_path_segment(reference))
}

/// Percent-encodes everything but unreserved characters, so any reference fits in one path segment.
pub fn encode_path_segment(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, expected: Result<(usize, usize), &str>) {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        let parsed = SearchParams::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        match (parsed, expected) {
            (Ok(params), Ok((page, per_page))) => {
                assert_eq!((params.page, params.per_page), (page, per_page), "{query}")
            }
            (Err(BadRequest(message)), Err(expected)) => {
                assert!(message.contains(expected), "{query}: {message}")
            }
            (parsed, expected) => panic!("{query}: got {parsed:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn validates_parameters() {
        check("q=Telearbeit", Ok((1, 20)));
        check("page=3&per_page=100", Ok((3, 100)));
        check("per_page=101", Err("per_page must be from 1 to 100"));
        check("per_page=0", Err("per_page must be from 1 to 100"));
        check("page=0", Err("page must be at least 1"));
        check("page=-1", Err("page must be a whole number"));
        check(
            "page=99999999999999999999999",
            Err("page must be a whole number"),
        );
        check("page=18446744073709551615", Err("too deep"));
        check("from=2020-13-01", Err("from must be a date"));
        check("to=gestern", Err("to must be a date"));
        check("from=2021-01-01&to=2020-01-01", Err("is after"));
        check("sort=popular", Err("sort must be"));
        check("type=&fraction=&sort=", Ok((1, 20)));
        check("as_typed=vielleicht", Err("as_typed must be true or false"));
    }

    #[test]
    fn reads_as_typed() {
        let as_typed = |value: &str| {
            SearchParams::from_pairs([("as_typed", value)])
                .unwrap()
                .as_typed
        };
        assert!(as_typed("true") && as_typed("1") && as_typed("on"));
        assert!(!as_typed("false") && !as_typed("0") && !as_typed(""));
        assert!(
            SearchParams::from_pairs([("as_typed", "1")])
                .unwrap()
                .to_request()
                .as_typed
        );
    }

    #[test]
    fn repeated_filters_are_kept_once_each() {
        let params = SearchParams::from_pairs([
            ("type", "Anfrage"),
            ("type", "Antrag"),
            ("type", "Anfrage"),
        ])
        .unwrap();
        assert_eq!(params.types, ["Anfrage", "Antrag"]);
    }

    #[test]
    fn encodes_references_into_one_segment() {
        assert_eq!(document_path("2021/0281"), "/documents/2021%2F0281");
        assert_eq!(
            document_path("VII-F-01504-AW-01"),
            "/documents/VII-F-01504-AW-01"
        );
        assert_eq!(encode_path_segment("ÄA"), "%C3%84A");
    }
}
