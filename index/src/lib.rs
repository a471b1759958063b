//! The search index of ratsuche: tantivy schema, German analysis, writing, querying, facets and snippets.
//!
//! SKELETON: the public API below is the contract with `src/`; bodies are being filled in.

#![warn(missing_docs)]

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod error;

pub use error::{Error, Result};

/// Tuning knobs of an index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Memory budget of the writer in bytes.
    pub writer_memory: usize,
}

impl Default for IndexOptions {
    fn default() -> IndexOptions {
        IndexOptions {
            writer_memory: 200_000_000,
        }
    }
}

/// An open search index.
pub struct Index {}

/// Writes documents into an [`Index`]; changes become visible after [`Writer::commit`].
pub struct Writer {}

/// One paper as the index sees it.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Municipality; empty when the source names none.
    pub body: String,
    /// Drucksachennummer.
    pub reference: String,
    /// Betreff.
    pub title: String,
    /// Vorlage-Art.
    pub paper_type: Option<String>,
    /// Status text.
    pub status: Option<String>,
    /// Submitter as printed.
    pub originator: Option<String>,
    /// Normalised council groups.
    pub fractions: Vec<String>,
    /// Committees of the Beratungsfolge.
    pub gremien: Vec<String>,
    /// Document date.
    pub date: Option<NaiveDate>,
    /// ISO 639-3 language code of the body text.
    pub language: Option<String>,
    /// Body text.
    pub text: String,
    /// Attachments with per-page text.
    pub attachments: Vec<Attachment>,
    /// The whole record as JSON, stored and returned verbatim by [`Index::document`].
    pub record_json: String,
}

/// An attachment of a [`Document`].
#[derive(Debug, Clone, Default)]
pub struct Attachment {
    /// File name.
    pub name: String,
    /// Download URL, if known.
    pub url: Option<String>,
    /// Text per page.
    pub pages: Vec<String>,
}

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    DateDesc,
    /// Oldest first.
    DateAsc,
}

/// A search with its filters.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// User query: words, `"phrases"`, `-exclusion`, `OR`. Empty means all documents.
    pub query: String,
    /// Paper types (OR).
    pub types: Vec<String>,
    /// Council groups (OR).
    pub fractions: Vec<String>,
    /// Committees (OR).
    pub gremien: Vec<String>,
    /// Municipalities (OR).
    pub bodies: Vec<String>,
    /// Inclusive lower date bound.
    pub from: Option<NaiveDate>,
    /// Inclusive upper date bound.
    pub to: Option<NaiveDate>,
    /// Order.
    pub sort: Sort,
    /// Offset of the first hit.
    pub offset: usize,
    /// Number of hits to return.
    pub limit: usize,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Number of matching papers.
    pub total: u64,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Facet counts (each ignores its own filter).
    pub facets: Facets,
}

/// One matching paper.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hit {
    /// Drucksachennummer.
    pub reference: String,
    /// Municipality.
    pub body: String,
    /// Betreff.
    pub title: String,
    /// Vorlage-Art.
    #[serde(rename = "type")]
    pub paper_type: Option<String>,
    /// First council group, if any.
    pub fraction: Option<String>,
    /// All council groups.
    pub fractions: Vec<String>,
    /// Submitter.
    pub originator: Option<String>,
    /// Document date.
    pub date: Option<NaiveDate>,
    /// Status text.
    pub status: Option<String>,
    /// Relevance score (0 when sorted by date without a query).
    pub score: f32,
    /// Highlighted snippets with `<mark>`; HTML-escaped otherwise.
    pub snippets: Vec<String>,
    /// Attachment pages that matched.
    pub pages: Vec<PageHit>,
}

/// A page of an attachment that matched the query.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageHit {
    /// File name.
    pub file: String,
    /// Download URL, if known.
    pub url: Option<String>,
    /// 1-based page number.
    pub page: u32,
}

/// Facet counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// By paper type.
    #[serde(rename = "type")]
    pub paper_type: Vec<FacetCount>,
    /// By council group.
    pub fraction: Vec<FacetCount>,
    /// By committee.
    pub gremium: Vec<FacetCount>,
    /// By year.
    pub year: Vec<FacetCount>,
    /// By municipality.
    pub body: Vec<FacetCount>,
}

/// One facet value and how many matching papers carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value.
    pub value: String,
    /// The number of papers.
    pub count: u64,
}

impl Index {
    /// Opens the index in `dir`, creating it when the folder is empty or missing.
    pub fn open_or_create(_dir: &Path, _options: &IndexOptions) -> Result<Index> {
        Err(Error::Internal("not implemented".into()))
    }

    /// Opens an existing index in `dir` for reading.
    pub fn open(_dir: &Path) -> Result<Index> {
        Err(Error::Internal("not implemented".into()))
    }

    /// Creates an index in memory (tests, demo).
    pub fn create_in_ram() -> Result<Index> {
        Err(Error::Internal("not implemented".into()))
    }

    /// Starts the single writer of this index.
    pub fn writer(&self) -> Result<Writer> {
        Err(Error::Internal("not implemented".into()))
    }

    /// Makes the latest commit visible to searches.
    pub fn reload(&self) -> Result<()> {
        Ok(())
    }

    /// Number of papers.
    pub fn num_papers(&self) -> u64 {
        0
    }

    /// Runs a search.
    pub fn search(&self, _request: &SearchRequest) -> Result<SearchResults> {
        Err(Error::Internal("not implemented".into()))
    }

    /// The stored record JSON of one paper. `body` `None` means any body.
    pub fn document(&self, _body: Option<&str>, _reference: &str) -> Result<Option<String>> {
        Ok(None)
    }
}

impl Writer {
    /// Adds or replaces the paper with the same body and reference.
    pub fn upsert(&mut self, _document: &Document) -> Result<()> {
        Ok(())
    }

    /// Removes a paper.
    pub fn delete(&mut self, _body: &str, _reference: &str) -> Result<()> {
        Ok(())
    }

    /// Makes all changes durable and visible.
    pub fn commit(&mut self) -> Result<()> {
        Ok(())
    }
}
