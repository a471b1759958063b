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
    /// ISO 639-3 codes the language detection may choose from; empty means
    /// [`language::DEFAULT_LANGUAGES`].
    pub languages: Vec<String>,
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

/// How far into a file its format is looked for.
const SNIFF_BYTES: usize = 1024;

/// Recognises a source by its content, falling back on its name's extension: `%PDF` in the
/// first KiB is a PDF, a leading `{` or `[` is OParl JSON, HTML markup is an ALLRIS page, and
/// text with `Vorlage - ` or `Betreff:` is an ALLRIS text export.
pub fn detect_format(name: &str, bytes: &[u8]) -> Option<Format> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.windows(4).any(|window| window == b"%PDF") {
        return Some(Format::Pdf);
    }
    let head_text = String::from_utf8_lossy(head);
    let trimmed = head_text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Some(Format::Oparl);
    }
    let lower = trimmed.to_lowercase();
    let is_html = ["<!doctype html", "<html", "<head", "<body", "<div", "<table"]
        .iter()
        .any(|marker| lower.contains(marker));
    if is_html {
        return Some(Format::AllrisHtml);
    }
    let text_head = String::from_utf8_lossy(&bytes[..bytes.len().min(8 * SNIFF_BYTES)]);
    if text_head.contains("Vorlage - ") || text_head.contains("Betreff:") {
        return Some(Format::AllrisText);
    }
    match extension(name).as_str() {
        "pdf" => Some(Format::Pdf),
        "json" => Some(Format::Oparl),
        "html" | "htm" | "xhtml" | "asp" => Some(Format::AllrisHtml),
        "txt" => Some(Format::AllrisText),
        _ => None,
    }
}

/// Parses one source. `name` is its file name or URL (used for format detection and provenance).
///
/// Every record gets `name` as its source (unless the parser named a more precise one) and the
/// language of its text. A PDF becomes an [`Attachment`], joined to the paper its file name
/// names (`VII-F-01504-AW-01.pdf`).
pub fn parse(name: &str, bytes: &[u8], options: &Options) -> Result<Parsed> {
    let format =
        detect_format(name, bytes).ok_or_else(|| Error::UnknownFormat(name.to_string()))?;
    let mut parsed = Parsed::default();
    match format {
        Format::AllrisText => parsed.records.push(allris::parse_text(bytes)?),
        Format::AllrisHtml => parsed.records.push(allris::parse_html(bytes)?),
        Format::Oparl => parsed.records = oparl::parse(name, bytes)?,
        Format::Pdf => {
            let extraction = pdf::extract(bytes, &options.pdf)?;
            parsed.attachments.push(attachment(name, extraction));
        }
    }
    let languages: Vec<&str> = options.languages.iter().map(String::as_str).collect();
    for record in &mut parsed.records {
        let paper = &mut record.paper;
        if paper.source.is_empty() {
            paper.source = name.to_string();
        }
        if paper.language.is_none() {
            paper.language = language::detect_language_among(language_sample(paper), &languages);
        }
    }
    Ok(parsed)
}

/// The text that decides a paper's language: its body, else its attachments, else its title.
fn language_sample(paper: &Paper) -> &str {
    let file_text = paper
        .files
        .iter()
        .flat_map(|file| &file.pages)
        .find(|page| !page.trim().is_empty());
    if !paper.text.trim().is_empty() {
        &paper.text
    } else if let Some(page) = file_text {
        page
    } else {
        &paper.title
    }
}

/// A PDF as an attachment: named by its base name, joined to the paper its name names.
fn attachment(name: &str, extraction: pdf::Extraction) -> Attachment {
    let file_name = base_name(name);
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    // `VII-F-01504-AW-01.pdf`, also `VII-F-01504-AW-01_Anlage 1.pdf`; a bare number
    // (`00614887.pdf`) is a download id, not a reference.
    let prefix = stem.split(['_', ' ']).next().unwrap_or(stem);
    let reference = [stem, prefix].into_iter().find(|candidate| {
        reference::Reference::parse(candidate)
            .is_some_and(|parsed| parsed.scheme != reference::Scheme::Number)
    });
    let is_url = name.starts_with("http://") || name.starts_with("https://");
    Attachment {
        reference: reference.map(str::to_string),
        file: File {
            name: file_name.to_string(),
            url: is_url.then(|| name.to_string()),
            pages: extraction.pages.into_iter().map(|page| page.text).collect(),
        },
        warnings: extraction.warnings,
    }
}

/// The last path segment of a file path or URL, without query or fragment.
fn base_name(name: &str) -> &str {
    let path = name.split(['?', '#']).next().unwrap_or(name);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The lowercased extension of a file name or URL path.
fn extension(name: &str) -> String {
    base_name(name)
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_lowercase())
        .unwrap_or_default()
}
