//! PDF text extraction, page by page: lopdf parses, our interpreter reads the content streams,
//! a quality gate sends scans and garbage pages to OCR.
//!
//! The pipeline per file: load (inside `catch_unwind`, decompression capped) → per page run the
//! content streams ([`interpreter`]) → lay glyphs out into lines ([`layout`]) → join hyphenated
//! line ends ([`hyphenation`]) → NFKC → judge the page ([`quality`]) → OCR the pages that need it
//! ([`ocr`]). A damaged page is a [`Page`] with [`Method::Failed`] and a reason, never an abort.

mod budget;
mod cmap;
mod encoding;
mod font;
mod hyphenation;
mod interpreter;
mod layout;
mod lexer;
pub mod ocr;
mod quality;

use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lopdf::{Document, LoadOptions};
use serde::{Deserialize, Serialize};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::{Error, Result, Warning};
use budget::Budget;
use interpreter::{FontCache, Interpreter};
pub use ocr::{Ocr, Tesseract};
use quality::Verdict;

/// Default time allowed for the text layer of one file.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(60);
/// Default cap on one decompressed stream (content, font, CMap).
pub const DEFAULT_MAX_STREAM_BYTES: usize = 64 << 20;
/// Default cap on all decompressed streams of one file together.
pub const DEFAULT_MAX_DECOMPRESSED_BYTES: usize = 512 << 20;
/// Default cap on content-stream operators of one file.
pub const DEFAULT_MAX_OPERATORS: u64 = 50_000_000;
/// Default cap on OCR'd pages per file (OCR costs about a CPU-second per page).
pub const DEFAULT_MAX_OCR_PAGES: usize = 200;

/// PDF extraction settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Time allowed for reading the text layer of one file (OCR has its own limit per page).
    pub time_limit: Duration,
    /// Largest decompressed size of one stream; bigger streams (bombs) are skipped.
    pub max_stream_bytes: usize,
    /// Largest decompressed size of all streams of one file together.
    pub max_decompressed_bytes: usize,
    /// Largest number of content-stream operators interpreted per file.
    pub max_operators: u64,
    /// The OCR engine for scanned and unreadable pages; `None` marks such pages as failed.
    pub ocr: Option<Arc<dyn Ocr>>,
    /// Largest number of pages OCR'd per file.
    pub max_ocr_pages: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            time_limit: DEFAULT_TIME_LIMIT,
            max_stream_bytes: DEFAULT_MAX_STREAM_BYTES,
            max_decompressed_bytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
            max_operators: DEFAULT_MAX_OPERATORS,
            ocr: Some(Arc::new(Tesseract::default())),
            max_ocr_pages: DEFAULT_MAX_OCR_PAGES,
        }
    }
}

/// The text of a PDF, page by page.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// One entry per page, in order.
    pub pages: Vec<Page>,
    /// Problems that did not stop extraction.
    pub warnings: Vec<Warning>,
}

/// How the text of a page was obtained.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Read from the PDF's text layer.
    #[default]
    TextLayer,
    /// Recognised from the rendered page.
    Ocr,
    /// No usable text: see the page's reason.
    Failed,
}

/// The text of one page and how it was obtained.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// The text: lines separated by `\n`, NFKC-normalised, line-end hyphenation joined.
    pub text: String,
    /// How the text was obtained.
    pub method: Method,
    /// Why the page needed OCR or failed, if it did.
    pub reason: Option<String>,
}

/// Extracts the text of every page.
///
/// Returns `Err` only when nothing can be read: not a PDF, a password is required, or the file
/// is too damaged to find any page. Everything else is a page with a method and a reason.
pub fn extract(bytes: &[u8], options: &Options) -> Result<Extraction> {
    let started = Instant::now();
    let document = load(bytes, options)?;
    let mut warnings = Vec::new();
    let mut budget = Budget::new(
        started + options.time_limit,
        options.max_stream_bytes,
        options.max_decompressed_bytes,
        options.max_operators,
    );
    let page_ids: Vec<_> = match panic::catch_unwind(AssertUnwindSafe(|| document.page_iter().collect::<Vec<_>>())) {
        Ok(ids) => ids,
        Err(_) => return Err(Error::Pdf("the pdf parser panicked while reading the page tree".to_string())),
    };
    if page_ids.is_empty() {
        return Err(Error::Pdf("no pages found (damaged or truncated file)".to_string()));
    }

    let mut fonts = FontCache::new();
    let mut pages: Vec<(Page, Vec<String>)> = Vec::with_capacity(page_ids.len());
    for page_id in page_ids {
        if !budget.in_time() || budget.exhausted.is_some() {
            let reason = budget.exhausted.unwrap_or("time limit reached");
            pages.push((failed(reason), Vec::new()));
            continue;
        }
        let run = panic::catch_unwind(AssertUnwindSafe(|| read_page(&document, page_id, &mut budget, &mut fonts)));
        match run {
            Ok(page) => pages.push(page),
            Err(_) => {
                // The cache may hold a half-built font after a panic.
                fonts.clear();
                pages.push((failed("internal error while reading the page"), Vec::new()));
                warnings.push(Warning::new(format!("page {} could not be read: internal error", pages.len())));
            }
        }
    }
    if let Some(reason) = budget.exhausted {
        warnings.push(Warning::new(format!("stopped reading the text layer early: {reason}")));
    }
    carry_hyphenated_words(&mut pages);
    let mut pages: Vec<Page> = pages
        .into_iter()
        .map(|(mut page, lines)| {
            if page.method == Method::TextLayer {
                page.text = finish(lines);
            }
            page
        })
        .collect();
    run_ocr(bytes, &mut pages, options, &mut warnings);
    Ok(Extraction { pages, warnings })
}

fn failed(reason: &str) -> Page {
    Page {
        text: String::new(),
        method: Method::Failed,
        reason: Some(reason.to_string()),
    }
}

/// Parses the file with lopdf, containing panics and refusing password-protected files.
fn load(bytes: &[u8], options: &Options) -> Result<Document> {
    if !bytes.windows(5).any(|window| window == b"%PDF-") {
        return Err(Error::Pdf("not a pdf: no %PDF- header".to_string()));
    }
    let load_options = LoadOptions {
        max_decompressed_size: Some(options.max_stream_bytes),
        ..LoadOptions::default()
    };
    let loaded = panic::catch_unwind(AssertUnwindSafe(|| Document::load_mem_with_options(bytes, load_options)));
    let document = match loaded {
        Ok(Ok(document)) => document,
        Ok(Err(error)) => return Err(Error::Pdf(format!("failed to parse pdf: {error}"))),
        Err(_) => return Err(Error::Pdf("the pdf parser panicked".to_string())),
    };
    // lopdf loads a file it cannot decrypt as an empty document that still has /Encrypt.
    if document.trailer.has(b"Encrypt") && document.encryption_state.is_none() {
        return Err(Error::Pdf("encrypted: a password is required to open this pdf".to_string()));
    }
    Ok(document)
}

/// Reads one page's text layer; returns the page (text filled in later) and its lines.
fn read_page(document: &Document, page_id: lopdf::ObjectId, budget: &mut Budget, fonts: &mut FontCache) -> (Page, Vec<String>) {
    let content = Interpreter::run_page(document, page_id, budget, fonts);
    let lines = hyphenation::dehyphenate(layout::lines(&content));
    let joined = lines.join("\n");
    match quality::assess(&content, &joined) {
        Verdict::Text | Verdict::Empty => {
            let reason = budget.exhausted.map(|reason| format!("page cut short: {reason}"));
            let reason = reason.or_else(|| {
                (content.skipped_bytes > 0).then(|| format!("damaged content stream: {} bytes skipped", content.skipped_bytes))
            });
            (
                Page {
                    text: String::new(),
                    method: Method::TextLayer,
                    reason,
                },
                lines,
            )
        }
        Verdict::NeedsOcr(reason) => (
            Page {
                text: String::new(),
                method: Method::Failed,
                reason: Some(format!("needs ocr: {reason}")),
            },
            Vec::new(),
        ),
    }
}

/// Moves the start of a word hyphenated across a page break onto the page where it begins,
/// so a hit on the word points to that page.
fn carry_hyphenated_words(pages: &mut [(Page, Vec<String>)]) {
    for index in 1..pages.len() {
        let (before, after) = pages.split_at_mut(index);
        let (_, previous_lines) = &mut before[index - 1];
        let (_, lines) = &mut after[0];
        let (Some(last), Some(first)) = (previous_lines.last_mut(), lines.first_mut()) else {
            continue;
        };
        let join = hyphenation::join(last, first);
        if join == hyphenation::Join::Break {
            continue;
        }
        let split = first.find(char::is_whitespace).unwrap_or(first.len());
        let word: String = first[..split].to_string();
        let rest = first[split..].trim_start().to_string();
        let trimmed = last.trim_end().len();
        last.truncate(trimmed);
        if join == hyphenation::Join::Drop {
            last.pop();
        }
        last.push_str(&word);
        if rest.is_empty() {
            lines.remove(0);
        } else {
            *first = rest;
        }
    }
}

/// Joins lines into the page text: NFKC (folds ligatures), no control characters.
fn finish(lines: Vec<String>) -> String {
    let text = lines.join("\n");
    let text = if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        text
    } else {
        text.nfkc().collect()
    };
    if text.chars().any(|c| c.is_control() && c != '\n') {
        text.chars().filter(|&c| !c.is_control() || c == '\n').collect()
    } else {
        text
    }
}

/// Replaces pages that need OCR by recognised text, as far as the engine and budget allow.
fn run_ocr(bytes: &[u8], pages: &mut [Page], options: &Options, warnings: &mut Vec<Warning>) {
    let mut done = 0;
    for (index, page) in pages.iter_mut().enumerate() {
        let needs_ocr = page.method == Method::Failed && page.reason.as_deref().is_some_and(|reason| reason.starts_with("needs ocr"));
        if !needs_ocr {
            continue;
        }
        let Some(engine) = &options.ocr else {
            continue;
        };
        if done >= options.max_ocr_pages {
            page.reason = page.reason.take().map(|reason| format!("{reason} (ocr page limit reached)"));
            continue;
        }
        done += 1;
        let page_number = index as u32 + 1;
        match engine.recognize_page(bytes, page_number) {
            Ok(text) => {
                let lines: Vec<String> = text.lines().map(str::trim_end).filter(|line| !line.is_empty()).map(String::from).collect();
                page.text = finish(hyphenation::dehyphenate(lines));
                page.method = Method::Ocr;
            }
            Err(error) => {
                let reason = page.reason.take().unwrap_or_default();
                page.reason = Some(format!("{reason}; {error}"));
                warnings.push(Warning::new(format!("page {page_number}: ocr failed: {error}")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_pdf() {
        let error = extract(b"hello", &Options::default()).unwrap_err();
        assert!(error.to_string().contains("not a pdf"), "{error}");
    }
}
