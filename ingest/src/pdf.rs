//! PDF text extraction, page by page: lopdf parses, our interpreter reads the content streams,
//! a quality gate sends scans and garbage pages to OCR.
//!
//! The pipeline per file: load (inside `catch_unwind`, decompression capped) → per page run the
//! content streams (`interpreter`) → lay glyphs out into lines (`layout`) → join hyphenated
//! line ends (`hyphenation`) → NFKC → judge the page (`quality`) → OCR the pages that need it
//! ([`ocr`]). A damaged page is a [`Page`] with [`Method::Failed`] and a reason, never an abort.

mod budget;
mod cmap;
mod encoding;
mod font;
pub(crate) mod hyphenation;
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

/// Trailer key that marks a document rebuilt by [`salvage_content_streams`].
const REBUILT_MARK: &[u8] = b"RatsucheRebuilt";

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
    // A document rebuilt from loose content streams has no page tree of its own: its page
    // numbers are guesses, and a renderer cannot open the file for OCR.
    let rebuilt = document.trailer.has(REBUILT_MARK);
    if rebuilt {
        warnings.push(Warning::new(
            "damaged file: pages rebuilt from loose content streams, page order guessed",
        ));
    }
    let mut budget = Budget::new(
        started + options.time_limit,
        options.max_stream_bytes,
        options.max_decompressed_bytes,
        options.max_operators,
    );
    let page_ids: Vec<_> = match panic::catch_unwind(AssertUnwindSafe(|| {
        document.page_iter().collect::<Vec<_>>()
    })) {
        Ok(ids) => ids,
        Err(_) => {
            return Err(Error::Pdf(
                "the pdf parser panicked while reading the page tree".to_string(),
            ))
        }
    };
    if page_ids.is_empty() {
        return Err(Error::Pdf(
            "no pages found (damaged or truncated file)".to_string(),
        ));
    }

    let mut fonts = FontCache::new();
    let mut pages: Vec<(Page, Vec<String>)> = Vec::with_capacity(page_ids.len());
    for page_id in page_ids {
        if !budget.in_time() || budget.exhausted.is_some() {
            let reason = budget.exhausted.unwrap_or("time limit reached");
            pages.push((failed(reason), Vec::new()));
            continue;
        }
        let run = panic::catch_unwind(AssertUnwindSafe(|| {
            read_page(&document, page_id, &mut budget, &mut fonts)
        }));
        match run {
            Ok(page) => pages.push(page),
            Err(_) => {
                // The cache may hold a half-built font after a panic.
                fonts.clear();
                pages.push((failed("internal error while reading the page"), Vec::new()));
                warnings.push(Warning::new(format!(
                    "page {} could not be read: internal error",
                    pages.len()
                )));
            }
        }
    }
    if let Some(reason) = budget.exhausted {
        warnings.push(Warning::new(format!(
            "stopped reading the text layer early: {reason}"
        )));
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
    if !rebuilt {
        run_ocr(bytes, &mut pages, options, &mut warnings);
    }
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
    let loaded = panic::catch_unwind(AssertUnwindSafe(|| {
        Document::load_mem_with_options(bytes, load_options.clone())
    }));
    let document = match loaded {
        Ok(Ok(document)) => document,
        Ok(Err(error)) => {
            return salvage(bytes, load_options)
                .ok_or_else(|| Error::Pdf(format!("failed to parse pdf: {error}")));
        }
        Err(_) => return Err(Error::Pdf("the pdf parser panicked".to_string())),
    };
    // lopdf loads a file it cannot decrypt as an empty document that still has /Encrypt.
    if document.trailer.has(b"Encrypt") && document.encryption_state.is_none() {
        return Err(Error::Pdf(
            "encrypted: a password is required to open this pdf".to_string(),
        ));
    }
    if document.page_iter().next().is_none() {
        return Ok(salvage(bytes, load_options).unwrap_or(document));
    }
    Ok(document)
}

/// Rebuilds a damaged file whose trailer or page tree is lost (a truncated download): the page
/// objects still in the file get a new page tree, catalog and trailer, and lopdf reconstructs the
/// cross-reference table by scanning for objects.
fn salvage(bytes: &[u8], load_options: LoadOptions) -> Option<Document> {
    let mut pages = Vec::new();
    let mut max_id = 0u32;
    let mut position = 0;
    while let Some(offset) = find(&bytes[position..], b" obj") {
        let at = position + offset;
        position = at + 4;
        // The object header is "<id> <generation> obj"; read the id backwards.
        let header_start = bytes[..at]
            .iter()
            .rposition(|b| !(b.is_ascii_digit() || *b == b' '))
            .map_or(0, |i| i + 1);
        let header = String::from_utf8_lossy(&bytes[header_start..at]).to_string();
        let mut numbers = header.split_ascii_whitespace();
        let (Some(Ok(id)), Some(Ok(generation))) = (
            numbers.next().map(str::parse::<u32>),
            numbers.next().map(str::parse::<u16>),
        ) else {
            continue;
        };
        max_id = max_id.max(id);
        let end = find(&bytes[position..], b"endobj").map_or(bytes.len(), |end| position + end);
        let body = &bytes[position..end.min(position + 4096)];
        if is_page_object(body) {
            pages.push((id, generation));
        }
    }
    if pages.is_empty() || pages.len() > 100_000 {
        return salvage_content_streams(bytes);
    }
    let tree = max_id.checked_add(1)?;
    let catalog = max_id.checked_add(2)?;
    let kids: Vec<String> = pages
        .iter()
        .map(|(id, generation)| format!("{id} {generation} R"))
        .collect();
    let mut repaired = bytes.to_vec();
    repaired.extend_from_slice(
        format!(
            "\n{tree} 0 obj\n<< /Type /Pages /Kids [{}] /Count {} >>\nendobj\n{catalog} 0 obj\n<< /Type /Catalog /Pages {tree} 0 R >>\nendobj\ntrailer\n<< /Size {} /Root {catalog} 0 R >>\n%%EOF\n",
            kids.join(" "),
            pages.len(),
            catalog + 1
        )
        .as_bytes(),
    );
    let load_options = LoadOptions {
        force_reconstruct: true,
        ..load_options
    };
    let loaded = panic::catch_unwind(AssertUnwindSafe(|| {
        Document::load_mem_with_options(&repaired, load_options)
    }));
    match loaded {
        Ok(Ok(document)) if document.page_iter().next().is_some() => Some(document),
        _ => None,
    }
}

/// Last resort for a file cut off before its page objects: every stream that holds text
/// operators becomes a page of its own (fonts unknown, so the quality gate judges the result).
fn salvage_content_streams(bytes: &[u8]) -> Option<Document> {
    use lopdf::{dictionary, Object, Stream};
    let mut document = Document::with_version("1.4");
    let mut kids = Vec::new();
    let mut position = 0;
    while let Some(offset) = find(&bytes[position..], b"stream") {
        let keyword = position + offset;
        position = keyword + 6;
        if bytes[..keyword].ends_with(b"end") {
            continue;
        }
        let mut start = position;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let end = find(&bytes[start..], b"endstream").map_or(bytes.len(), |end| start + end);
        let dictionary_start = bytes[..keyword]
            .windows(3)
            .rposition(|window| window == b"obj")
            .unwrap_or(0);
        let header = &bytes[dictionary_start..keyword];
        let mut dictionary = lopdf::Dictionary::new();
        if find(header, b"/FlateDecode").is_some() {
            dictionary.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        } else if find(header, b"/Filter").is_some() {
            // Other filters (images, fonts) do not carry page content.
            position = end;
            continue;
        }
        let stream = Stream::new(dictionary, bytes[start..end].to_vec());
        position = end;
        let Ok(data) = stream.decompressed_content_with_limit(DEFAULT_MAX_STREAM_BYTES) else {
            continue;
        };
        if find(&data, b"BT").is_none() || find(&data, b"ET").is_none() || kids.len() >= 10_000 {
            continue;
        }
        let content_id = document.add_object(Stream::new(lopdf::Dictionary::new(), data));
        let page_id =
            document.add_object(dictionary! { "Type" => "Page", "Contents" => content_id });
        kids.push(Object::Reference(page_id));
    }
    if kids.is_empty() {
        return None;
    }
    let count = kids.len() as i64;
    let tree_id =
        document.add_object(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count });
    let catalog_id = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => tree_id });
    document.trailer.set("Root", catalog_id);
    document.trailer.set(REBUILT_MARK, true);
    Some(document)
}

/// Whether an object body is a page dictionary (`/Type /Page`, not `/Pages`).
fn is_page_object(body: &[u8]) -> bool {
    let mut rest = body;
    while let Some(offset) = find(rest, b"/Type") {
        let after = rest[offset + 5..].trim_ascii_start();
        if after.starts_with(b"/Page")
            && !after[5..]
                .first()
                .is_some_and(|b| b.is_ascii_alphanumeric())
        {
            return true;
        }
        rest = &rest[offset + 5..];
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Reads one page's text layer; returns the page (text filled in later) and its lines.
fn read_page(
    document: &Document,
    page_id: lopdf::ObjectId,
    budget: &mut Budget,
    fonts: &mut FontCache,
) -> (Page, Vec<String>) {
    let content = Interpreter::run_page(document, page_id, budget, fonts);
    let lines = hyphenation::dehyphenate(layout::lines(&content));
    let joined = lines.join("\n");
    match quality::assess(&content, &joined) {
        Verdict::Text | Verdict::Empty => {
            let reason = budget
                .exhausted
                .map(|reason| format!("page cut short: {reason}"));
            let reason = reason.or_else(|| {
                (content.skipped_bytes > 0).then(|| {
                    format!(
                        "damaged content stream: {} bytes skipped",
                        content.skipped_bytes
                    )
                })
            });
            // An OCR layer over a scan (invisible text) carries Tesseract's typical "§" → "8".
            let lines = if content.invisible_glyphs * 2 > content.glyphs.len() {
                ocr::fix_section_signs(&lines.join("\n"))
                    .lines()
                    .map(String::from)
                    .collect()
            } else {
                lines
            };
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
        text.chars()
            .filter(|&c| !c.is_control() || c == '\n')
            .collect()
    } else {
        text
    }
}

/// Replaces pages that need OCR by recognised text, as far as the engine and budget allow.
fn run_ocr(bytes: &[u8], pages: &mut [Page], options: &Options, warnings: &mut Vec<Warning>) {
    let mut done = 0;
    for (index, page) in pages.iter_mut().enumerate() {
        let needs_ocr = page.method == Method::Failed
            && page
                .reason
                .as_deref()
                .is_some_and(|reason| reason.starts_with("needs ocr"));
        if !needs_ocr {
            continue;
        }
        let Some(engine) = &options.ocr else {
            continue;
        };
        if done >= options.max_ocr_pages {
            page.reason = page
                .reason
                .take()
                .map(|reason| format!("{reason} (ocr page limit reached)"));
            continue;
        }
        done += 1;
        let page_number = index as u32 + 1;
        match engine.recognize_page(bytes, page_number) {
            Ok(text) => {
                let lines: Vec<String> = text
                    .lines()
                    .map(str::trim_end)
                    .filter(|line| !line.is_empty())
                    .map(String::from)
                    .collect();
                page.text = finish(hyphenation::dehyphenate(lines));
                page.method = Method::Ocr;
            }
            Err(error) => {
                let reason = page.reason.take().unwrap_or_default();
                page.reason = Some(format!("{reason}; {error}"));
                warnings.push(Warning::new(format!(
                    "page {page_number}: ocr failed: {error}"
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::XorShift as Random;
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};

    /// The shared data directory beside the checkout, if present.
    fn shared(sub: &str) -> Option<PathBuf> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared")
            .join(sub);
        if path.is_dir() {
            Some(path)
        } else {
            eprintln!("skipping: {} not found", path.display());
            None
        }
    }

    fn pdfs_in(directory: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let mut pending = vec![directory.to_path_buf()];
        while let Some(directory) = pending.pop() {
            for entry in std::fs::read_dir(&directory)
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|extension| extension == "pdf") {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
    }

    fn text_only() -> Options {
        Options {
            ocr: None,
            ..Options::default()
        }
    }

    /// Lower-cased word tokens after NFKC, as the accuracy tool counts them.
    fn words(text: &str) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        let text: String = text
            .nfkc()
            .filter(|&c| c != '\u{AD}')
            .collect::<String>()
            .to_lowercase();
        for word in text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|word| !word.is_empty())
        {
            *counts.entry(word.to_string()).or_insert(0) += 1;
        }
        counts
    }

    fn recall(truth: &str, output: &str) -> f64 {
        let truth = words(truth);
        let output = words(output);
        let total: usize = truth.values().sum();
        let common: usize = truth
            .iter()
            .map(|(word, count)| (*count).min(output.get(word).copied().unwrap_or(0)))
            .sum();
        common as f64 / total.max(1) as f64
    }

    fn all_text(extraction: &Extraction) -> String {
        extraction
            .pages
            .iter()
            .map(|page| page.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn not_a_pdf() {
        let error = extract(b"hello", &Options::default()).unwrap_err();
        assert!(error.to_string().contains("not a pdf"), "{error}");
    }

    #[test]
    fn every_corpus_file_is_extracted_or_reported() {
        let Some(directory) = shared("corpus/pdf") else {
            return;
        };
        let options = Options {
            time_limit: Duration::from_secs(10),
            ..text_only()
        };
        let mut report = Vec::new();
        for path in pdfs_in(&directory) {
            let bytes = std::fs::read(&path).unwrap();
            let started = Instant::now();
            let result = panic::catch_unwind(AssertUnwindSafe(|| extract(&bytes, &options)));
            let elapsed = started.elapsed();
            let name = path.strip_prefix(&directory).unwrap().display().to_string();
            let extraction = result.unwrap_or_else(|_| panic!("{name}: panic escaped"));
            assert!(
                elapsed < Duration::from_secs(20),
                "{name}: took {elapsed:?}"
            );
            match extraction {
                Ok(extraction) => {
                    assert!(
                        !extraction.pages.is_empty(),
                        "{name}: no pages and no error"
                    );
                    for (index, page) in extraction.pages.iter().enumerate() {
                        // A page without text says why, unless it is simply blank.
                        if page.method == Method::Failed {
                            assert!(
                                page.reason
                                    .as_deref()
                                    .is_some_and(|reason| !reason.is_empty()),
                                "{name} page {}",
                                index + 1
                            );
                        }
                    }
                    let words: usize = extraction
                        .pages
                        .iter()
                        .map(|page| page.text.split_whitespace().count())
                        .sum();
                    report.push(format!(
                        "{name}: {} pages, {words} words",
                        extraction.pages.len()
                    ));
                }
                Err(error) => {
                    assert!(!error.to_string().is_empty());
                    report.push(format!("{name}: {error}"));
                }
            }
        }
        eprintln!("{}", report.join("\n"));
        // Files that must open: empty-user-password encryption and the German texts.
        let opened = |needle: &str| {
            report
                .iter()
                .any(|line| line.contains(needle) && line.contains(" words"))
        };
        assert!(opened("lopdf_encrypted_AES_empty-user-password.pdf"));
        assert!(opened("debian-reference.de.pdf"));
        let refused = report
            .iter()
            .find(|line| line.contains("libreoffice-writer-password_user-openpassword"))
            .unwrap();
        assert!(refused.contains("password is required"), "{refused}");
        let truncated = report
            .iter()
            .find(|line| line.contains("DERIVED_truncated"))
            .unwrap();
        assert!(
            truncated.contains(" words") && !truncated.ends_with(" 0 words"),
            "{truncated}"
        );
    }

    #[test]
    fn ground_truth_is_met_without_ocr() {
        let Some(directory) = shared("corpus/pdf-groundtruth") else {
            return;
        };
        for path in pdfs_in(&directory) {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let truth_path = path.with_extension("txt");
            if name.contains("_120p")
                || path.parent() != Some(directory.as_path())
                || !truth_path.exists()
            {
                continue;
            }
            let truth = std::fs::read_to_string(&truth_path).unwrap();
            let extraction = extract(&std::fs::read(&path).unwrap(), &text_only()).unwrap();
            let truth_pages: Vec<&str> = truth
                .split('\x0c')
                .filter(|page| !page.trim().is_empty())
                .collect();
            assert_eq!(
                extraction.pages.len(),
                truth_pages.len(),
                "{name}: page count"
            );
            for (index, (page, truth_page)) in extraction.pages.iter().zip(&truth_pages).enumerate()
            {
                match page.method {
                    Method::TextLayer => {
                        let page_recall = recall(truth_page, &page.text);
                        eprintln!("{name} page {}: recall {page_recall:.4}", index + 1);
                        assert!(
                            page_recall >= 0.98,
                            "{name} page {}: recall {page_recall:.4}",
                            index + 1
                        );
                    }
                    // Scanned pages need OCR, which is switched off here.
                    _ => {
                        assert!(
                            name.contains("scan"),
                            "{name} page {}: {:?}",
                            index + 1,
                            page.reason
                        );
                        assert!(
                            page.reason
                                .as_deref()
                                .unwrap_or("")
                                .starts_with("needs ocr"),
                            "{name}: {:?}",
                            page.reason
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn hyphenation_cases_match_exactly() {
        let Some(directory) = shared("corpus/pdf-groundtruth") else {
            return;
        };
        let extraction = extract(
            &std::fs::read(directory.join("hyphenation_cases.pdf")).unwrap(),
            &text_only(),
        )
        .unwrap();
        let truth = std::fs::read_to_string(directory.join("hyphenation_cases.txt")).unwrap();
        let normalize = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(normalize(&all_text(&extraction)), normalize(&truth));
    }

    #[test]
    fn scans_are_read_with_ocr_when_tesseract_is_installed() {
        let Some(directory) = shared("corpus/pdf-groundtruth") else {
            return;
        };
        if !Tesseract::is_available() {
            eprintln!("skipping: tesseract or pdftoppm not installed (apt-get install tesseract-ocr tesseract-ocr-deu poppler-utils)");
            return;
        }
        let extraction = extract(
            &std::fs::read(directory.join("mixed_text_and_scan.pdf")).unwrap(),
            &Options::default(),
        )
        .unwrap();
        let methods: Vec<Method> = extraction.pages.iter().map(|page| page.method).collect();
        assert_eq!(
            methods,
            [Method::TextLayer, Method::Ocr, Method::TextLayer],
            "{:?}",
            extraction.pages[1].reason
        );
        let truth = std::fs::read_to_string(directory.join("mixed_text_and_scan.txt")).unwrap();
        let truth_page = truth.split('\x0c').nth(1).unwrap();
        let page_recall = recall(truth_page, &extraction.pages[1].text);
        assert!(page_recall >= 0.95, "ocr recall {page_recall:.4}");
    }

    #[test]
    fn without_ocr_scans_are_reported() {
        let Some(directory) = shared("corpus/pdf-groundtruth") else {
            return;
        };
        let extraction = extract(
            &std::fs::read(directory.join("scan_image_only.pdf")).unwrap(),
            &text_only(),
        )
        .unwrap();
        for page in &extraction.pages {
            assert_eq!(page.method, Method::Failed);
            assert_eq!(page.reason.as_deref(), Some("needs ocr: image-only page"));
        }
    }

    #[test]
    fn budget_stops_work() {
        let Some(directory) = shared("corpus/pdf-groundtruth") else {
            return;
        };
        let bytes = std::fs::read(directory.join("libreoffice_writer.pdf")).unwrap();
        let options = Options {
            max_operators: 100,
            ..text_only()
        };
        let extraction = extract(&bytes, &options).unwrap();
        assert!(extraction
            .warnings
            .iter()
            .any(|warning| warning.message.contains("operator limit")));
        assert!(extraction
            .pages
            .iter()
            .skip(1)
            .all(|page| page.method == Method::Failed));
        let tiny_streams = Options {
            max_stream_bytes: 64,
            ..text_only()
        };
        let extraction = extract(&bytes, &tiny_streams);
        assert!(extraction.is_err() || all_text(&extraction.unwrap()).len() < 100);
    }

    fn mutate(base: &[u8], random: &mut Random) -> Vec<u8> {
        let mut bytes = base.to_vec();
        for _ in 0..1 + random.below(30) {
            if bytes.is_empty() {
                break;
            }
            let at = random.below(bytes.len());
            match random.below(6) {
                0 | 1 => bytes[at] = random.next() as u8,
                2 => {
                    let end = (at + 1 + random.below(64)).min(bytes.len());
                    bytes.drain(at..end);
                }
                3 => {
                    let insert: Vec<u8> = (0..1 + random.below(16))
                        .map(|_| random.next() as u8)
                        .collect();
                    bytes.splice(at..at, insert);
                }
                4 => {
                    // Syntax-aware damage: swap in a PDF delimiter or keyword.
                    const TOKENS: [&[u8]; 8] = [
                        b"[",
                        b"]",
                        b"(",
                        b"<<",
                        b"obj",
                        b"endstream",
                        b"99999999",
                        b"-1",
                    ];
                    let token = TOKENS[random.below(TOKENS.len())];
                    let end = (at + token.len()).min(bytes.len());
                    bytes.splice(at..end, token.iter().copied());
                }
                _ => bytes.truncate(at.max(1)),
            }
        }
        bytes
    }

    /// Seeded mutation fuzzing over the malformed corpus: no panic escapes and nothing runs past
    /// its budget. `RATSUCHE_FUZZ_ITERS=10000 cargo test -p ingest --release fuzz` runs more.
    #[test]
    fn fuzzed_files_never_panic_or_hang() {
        let Some(directory) = shared("corpus/pdf-groundtruth/malformed") else {
            return;
        };
        let bases: Vec<Vec<u8>> = pdfs_in(&directory)
            .iter()
            .map(|path| std::fs::read(path).unwrap())
            .collect();
        let iterations: usize = std::env::var("RATSUCHE_FUZZ_ITERS")
            .ok()
            .and_then(|value| value.parse().ok())
            .unwrap_or(300);
        let seed: u64 = std::env::var("RATSUCHE_FUZZ_SEED")
            .ok()
            .and_then(|value| value.parse().ok())
            .unwrap_or(0x5EED_2024);
        let limit = Duration::from_secs(2);
        let options = Options {
            time_limit: limit,
            max_stream_bytes: 16 << 20,
            max_decompressed_bytes: 64 << 20,
            max_operators: 2_000_000,
            ..text_only()
        };
        let (mut ok, mut errors, mut slowest) = (0, 0, Duration::ZERO);
        for iteration in 0..iterations {
            let mut random =
                Random(seed ^ (iteration as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let base = &bases[random.below(bases.len())];
            let input = mutate(base, &mut random);
            let started = Instant::now();
            let result = panic::catch_unwind(AssertUnwindSafe(|| extract(&input, &options)));
            let elapsed = started.elapsed();
            slowest = slowest.max(elapsed);
            assert!(
                result.is_ok(),
                "iteration {iteration} (seed {seed}): panic escaped"
            );
            assert!(
                elapsed < limit * 3,
                "iteration {iteration} (seed {seed}): took {elapsed:?}"
            );
            match result {
                Ok(Ok(_)) => ok += 1,
                _ => errors += 1,
            }
        }
        eprintln!("fuzz: {iterations} inputs, {ok} extracted, {errors} reported as errors, 0 panics, slowest {slowest:?}");
    }
}
