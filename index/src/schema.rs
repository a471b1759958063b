//! Field names and the two tantivy schemas: one document per paper, and its passages.
//!
//! The index folder holds two tantivy indexes. `papers/` has one small document per paper:
//! the searchable title, body text and attachment text (indexed, not stored), the facets as
//! fast fields, the few stored values a hit shows, and where each passage starts (in word
//! positions of the body and attachment fields). `passages/` stores the body text cut into
//! sections of about 1,500 bytes and every attachment page, plus the record JSON; it indexes
//! only the paper key and the passage ordinal. A snippet reads the positions of the query
//! terms in the matching paper, picks the passage they fall into and loads only that passage,
//! so it is cut from bounded text without a second inverted index over the same text.
//! Keeping the passages apart keeps the paper store small.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::tokenizer::RAW_TOKENIZER_NAME;

use crate::analysis::{ENGLISH, GERMAN, GERMAN_EXACT, REFERENCE as REFERENCE_ANALYZER};
use crate::Result;

/// Unique key of a paper in both indexes: body, separator, reference (normalised).
pub const KEY: &str = "key";
/// The reference as given (stored) and as one lowercase token (indexed).
pub const REFERENCE: &str = "reference";
/// Title, stemmed (stored).
pub const TITLE: &str = "title";
/// Title, exact forms.
pub const TITLE_EXACT: &str = "title_exact";
/// Body text, stemmed; in `passages/` the stored passage text.
pub const TEXT: &str = "text";
/// Body text, exact forms.
pub const TEXT_EXACT: &str = "text_exact";
/// Attachment text, stemmed: all pages as one value.
pub const ATTACHMENTS: &str = "attachments";
/// Attachment text, exact forms.
pub const ATTACHMENTS_EXACT: &str = "attachments_exact";
/// Title, body and attachment text of papers in English, English-stemmed; empty for others.
pub const ENGLISH_TEXT: &str = "english_text";
/// Paper type facet.
pub const TYPE: &str = "type";
/// Council group facet (multi-valued).
pub const FRACTION: &str = "fraction";
/// Committee facet (multi-valued).
pub const GREMIUM: &str = "gremium";
/// Municipality facet.
pub const BODY: &str = "body";
/// Status facet.
pub const STATUS: &str = "status";
/// Submitter (stored).
pub const ORIGINATOR: &str = "originator";
/// Date as days from the common era (fast, stored).
pub const DATE: &str = "date";
/// Year of the date (fast).
pub const YEAR: &str = "year";
/// Language code (stored).
pub const LANGUAGE: &str = "language";
/// The first few hundred characters of the text (stored), for snippets without a match.
pub const LEAD: &str = "lead";
/// Word position in [`TEXT`] where each body section starts (stored, ascending).
pub const SECTION_STARTS: &str = "section_starts";
/// Word position in [`ATTACHMENTS`] where each page passage starts (stored, ascending).
pub const PAGE_STARTS: &str = "page_starts";
/// What a `passages/` document is: [`KIND_SECTION`], [`KIND_PAGE`] or [`KIND_RECORD`].
pub const KIND: &str = "kind";
/// Order of a passage within its paper: sections first, then page passages (indexed, fast).
pub const ORDINAL: &str = "ordinal";
/// Attachment file name of a page passage (fast, stored).
pub const FILE: &str = "file";
/// Attachment URL of a page passage (fast, stored).
pub const URL: &str = "url";
/// 1-based page number of a page passage (fast, stored).
pub const PAGE: &str = "page";
/// The record JSON without its text (stored only; see `record.rs`).
pub const RECORD: &str = "record";
/// The whitespace between a passage and the next one of the same text (stored only).
pub const SEP: &str = "sep";
/// Index of the attachment of a page passage among the paper's files (stored only).
pub const ATTACHMENT: &str = "attachment";

/// [`KIND`] of a section of the body text.
pub const KIND_SECTION: &str = "section";
/// [`KIND`] of an attachment page.
pub const KIND_PAGE: &str = "page";
/// [`KIND`] of the document that stores the record JSON.
pub const KIND_RECORD: &str = "record";
/// [`KIND`] of a tombstone: a reference once seen as non-public, whose attachments stay out.
pub const KIND_NON_PUBLIC: &str = "non_public";

/// Resolved fields of the `papers/` index.
#[derive(Debug, Clone)]
pub(crate) struct PaperFields {
    pub(crate) key: Field,
    pub(crate) reference: Field,
    pub(crate) title: Field,
    pub(crate) title_exact: Field,
    pub(crate) text: Field,
    pub(crate) text_exact: Field,
    pub(crate) attachments: Field,
    pub(crate) attachments_exact: Field,
    pub(crate) english_text: Field,
    pub(crate) paper_type: Field,
    pub(crate) fraction: Field,
    pub(crate) gremium: Field,
    pub(crate) body: Field,
    pub(crate) status: Field,
    pub(crate) originator: Field,
    pub(crate) date: Field,
    pub(crate) year: Field,
    pub(crate) language: Field,
    pub(crate) lead: Field,
    pub(crate) section_starts: Field,
    pub(crate) page_starts: Field,
}

/// Resolved fields of the `passages/` index.
#[derive(Debug, Clone)]
pub(crate) struct PassageFields {
    pub(crate) key: Field,
    pub(crate) kind: Field,
    pub(crate) ordinal: Field,
    pub(crate) text: Field,
    pub(crate) file: Field,
    pub(crate) url: Field,
    pub(crate) page: Field,
    pub(crate) record: Field,
    pub(crate) sep: Field,
    pub(crate) attachment: Field,
}

/// Text options for an analysed field.
fn analysed(analyzer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    )
}

/// Builds the schema of `papers/`.
pub(crate) fn paper_schema() -> Schema {
    let mut builder = Schema::builder();
    let facet = STRING | STORED | TextOptions::default().set_fast(RAW_TOKENIZER_NAME);
    builder.add_text_field(KEY, STRING | STORED);
    builder.add_text_field(
        REFERENCE,
        analysed(REFERENCE_ANALYZER, IndexRecordOption::Basic).set_stored(),
    );
    // Stemmed fields keep positions for phrases; exact fields only rank exact forms higher,
    // so they keep no frequencies (tantivy computes a BM25 table per term and segment for a
    // field with frequencies, and both the frequencies and the table cost indexing time).
    let positions = IndexRecordOption::WithFreqsAndPositions;
    builder.add_text_field(TITLE, analysed(GERMAN, positions).set_stored());
    builder.add_text_field(
        TITLE_EXACT,
        analysed(GERMAN_EXACT, IndexRecordOption::Basic),
    );
    builder.add_text_field(TEXT, analysed(GERMAN, positions));
    builder.add_text_field(TEXT_EXACT, analysed(GERMAN_EXACT, IndexRecordOption::Basic));
    builder.add_text_field(ATTACHMENTS, analysed(GERMAN, positions));
    builder.add_text_field(
        ATTACHMENTS_EXACT,
        analysed(GERMAN_EXACT, IndexRecordOption::Basic),
    );
    builder.add_text_field(
        ENGLISH_TEXT,
        analysed(ENGLISH, IndexRecordOption::WithFreqs),
    );
    builder.add_text_field(TYPE, facet.clone());
    builder.add_text_field(FRACTION, facet.clone());
    builder.add_text_field(GREMIUM, facet.clone());
    builder.add_text_field(BODY, facet.clone());
    builder.add_text_field(STATUS, facet);
    builder.add_text_field(ORIGINATOR, STORED);
    builder.add_i64_field(DATE, NumericOptions::default().set_fast().set_stored());
    builder.add_u64_field(YEAR, FAST);
    builder.add_text_field(LANGUAGE, STORED);
    builder.add_text_field(LEAD, STORED);
    builder.add_u64_field(SECTION_STARTS, STORED);
    builder.add_u64_field(PAGE_STARTS, STORED);
    builder.build()
}

/// Builds the schema of `passages/`.
pub(crate) fn passage_schema() -> Schema {
    let mut builder = Schema::builder();
    let fast_stored = STORED | TextOptions::default().set_fast(RAW_TOKENIZER_NAME);
    // Stored so that a record found by its kind leads to the passages of its paper.
    builder.add_text_field(KEY, STRING | STORED);
    builder.add_text_field(KIND, STRING | STORED);
    builder.add_u64_field(ORDINAL, INDEXED | FAST);
    builder.add_text_field(TEXT, STORED);
    builder.add_text_field(FILE, fast_stored.clone());
    builder.add_text_field(URL, fast_stored);
    builder.add_u64_field(PAGE, FAST | STORED);
    builder.add_text_field(RECORD, STORED);
    // The whitespace that followed a passage in its text, when the next passage continues
    // the same text: with it the passages give the text back (see `Index::document`).
    builder.add_text_field(SEP, STORED);
    builder.add_u64_field(ATTACHMENT, STORED);
    builder.build()
}

impl PaperFields {
    /// Looks up every field in `schema`.
    pub(crate) fn resolve(schema: &Schema) -> Result<PaperFields> {
        let field = |name: &str| field(schema, name);
        Ok(PaperFields {
            key: field(KEY)?,
            reference: field(REFERENCE)?,
            title: field(TITLE)?,
            title_exact: field(TITLE_EXACT)?,
            text: field(TEXT)?,
            text_exact: field(TEXT_EXACT)?,
            attachments: field(ATTACHMENTS)?,
            attachments_exact: field(ATTACHMENTS_EXACT)?,
            english_text: field(ENGLISH_TEXT)?,
            paper_type: field(TYPE)?,
            fraction: field(FRACTION)?,
            gremium: field(GREMIUM)?,
            body: field(BODY)?,
            status: field(STATUS)?,
            originator: field(ORIGINATOR)?,
            date: field(DATE)?,
            year: field(YEAR)?,
            language: field(LANGUAGE)?,
            lead: field(LEAD)?,
            section_starts: field(SECTION_STARTS)?,
            page_starts: field(PAGE_STARTS)?,
        })
    }
}

impl PassageFields {
    /// Looks up every field in `schema`.
    pub(crate) fn resolve(schema: &Schema) -> Result<PassageFields> {
        let field = |name: &str| field(schema, name);
        Ok(PassageFields {
            key: field(KEY)?,
            kind: field(KIND)?,
            ordinal: field(ORDINAL)?,
            text: field(TEXT)?,
            file: field(FILE)?,
            url: field(URL)?,
            page: field(PAGE)?,
            record: field(RECORD)?,
            sep: field(SEP)?,
            attachment: field(ATTACHMENT)?,
        })
    }
}

/// Looks up one field by name.
fn field(schema: &Schema, name: &str) -> Result<Field> {
    schema.get_field(name).map_err(|_| {
        crate::Error::Storage(format!(
            "index lacks the field {name:?}; it was built by another version, ingest again"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_resolve() {
        assert!(PaperFields::resolve(&paper_schema()).is_ok());
        assert!(PassageFields::resolve(&passage_schema()).is_ok());
        assert!(PaperFields::resolve(&passage_schema()).is_err());
    }
}
