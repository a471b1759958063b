//! Turns council sources into [`Record`]s: ALLRIS Vorlage pages (HTML and plain-text export),
//! OParl JSON and PDF attachments.
//!
//! SKELETON: the public API below is the contract with `src/`; bodies are being filled in.

#![warn(missing_docs)]

pub mod allris;
mod error;
pub mod fraction;
pub mod language;
pub mod oparl;
pub mod pdf;
mod record;
pub mod reference;

pub use error::{Error, Result};
pub use record::{Consultation, FamilyMember, File, Paper, Record, Warning};

/// The kinds of source ingest understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An ALLRIS Vorlage page (vo020), ALLRIS 3 or 4.
    AllrisHtml,
    /// The plain-text export of an ALLRIS Vorlage page.
    AllrisText,
    /// OParl JSON: one object, an array, or a list page.
    Oparl,
    /// A PDF attachment.
    Pdf,
}

/// Options for parsing.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// PDF extraction settings.
    pub pdf: pdf::Options,
}

/// A PDF that is not a paper of its own but belongs to one (named by its reference).
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The reference of the paper it belongs to, when its file name names one.
    pub reference: Option<String>,
    /// The file with its pages.
    pub file: File,
    /// Problems met while extracting it.
    pub warnings: Vec<Warning>,
}

/// Everything one source yielded.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Papers (public or not: the caller drops non-public ones).
    pub records: Vec<Record>,
    /// Attachments to join to papers.
    pub attachments: Vec<Attachment>,
}

/// Recognises a source by its content, falling back on its name's extension.
pub fn detect_format(name: &str, bytes: &[u8]) -> Option<Format> {
    let _ = (name, bytes);
    None
}

/// Parses one source. `name` is its file name or URL (used for format detection and provenance).
pub fn parse(name: &str, bytes: &[u8], options: &Options) -> Result<Parsed> {
    let _ = (name, bytes, options);
    Err(Error::UnknownFormat(name.to_string()))
}
