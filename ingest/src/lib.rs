//! Turns council sources into [`Record`]s: ALLRIS Vorlage pages (HTML and plain-text export),
//! OParl JSON and PDF attachments.
//!
//! SKELETON: the public API below is the contract with `src/`; bodies are being filled in.

#![warn(missing_docs)]

pub mod allris;
mod error;
#[cfg(test)]
mod fixtures;
pub mod fraction;
pub mod language;
pub mod oparl;
pub mod pdf;
#[cfg(test)]
mod proptests;
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
    let is_html = [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<div",
        "<table",
    ]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::XorShift;

    const ALLRIS3_PAGE: &[u8] = include_bytes!("../test_data/allris3_vo020.html");

    fn check(name: &str, bytes: &[u8], expected: Option<Format>) {
        assert_eq!(detect_format(name, bytes), expected, "name: {name:?}");
    }

    #[test]
    fn detects_formats_by_content_then_extension() {
        check("a.pdf", b"%PDF-1.7\n%\xe2\xe3", Some(Format::Pdf));
        check(
            "upload.bin",
            b"junk before the header\n%PDF-1.4",
            Some(Format::Pdf),
        );
        check("a.txt", b"%PDF-1.4", Some(Format::Pdf));
        check(
            "paper.json",
            b" \n{\"type\": \"Paper\"}",
            Some(Format::Oparl),
        );
        check("list", b"[{\"id\": 1}]", Some(Format::Oparl));
        check("x.txt", b"\xef\xbb\xbf{}", Some(Format::Oparl));
        check(
            "page",
            b"<!DOCTYPE html><html></html>",
            Some(Format::AllrisHtml),
        );
        check(
            "page.txt",
            b"<?xml version=\"1.0\"?>\n<HTML lang=\"de\">",
            Some(Format::AllrisHtml),
        );
        check(
            "vo020.asp?VOLFDNR=1",
            ALLRIS3_PAGE,
            Some(Format::AllrisHtml),
        );
        if let Some(seed) = crate::fixtures::seed() {
            check("seed.txt", &seed, Some(Format::AllrisText));
            check("seed.html", &seed, Some(Format::AllrisText));
        }
        check("export", b"Betreff: Haushalt", Some(Format::AllrisText));
        check("notes.TXT", b"hello", Some(Format::AllrisText));
        check("DOC.PDF", b"", Some(Format::Pdf));
        check(
            "https://example.org/vo020.asp?VOLFDNR=1",
            b"",
            Some(Format::AllrisHtml),
        );
        check("data.json", b"", Some(Format::Oparl));
        check("image.png", b"\x89PNG\r\n", None);
        check("", b"", None);
        let mut late_pdf = vec![b' '; SNIFF_BYTES];
        late_pdf.extend_from_slice(b"%PDF-1.4");
        check("late.bin", &late_pdf, None);
    }

    #[test]
    fn parses_the_seed_end_to_end() {
        let Some(seed) = crate::fixtures::seed() else {
            return;
        };
        let parsed = parse("seeds/000_063f18eb785f93d6.txt", &seed, &Options::default()).unwrap();
        assert!(parsed.attachments.is_empty());
        let [record] = parsed.records.as_slice() else {
            panic!("one record expected, got {}", parsed.records.len());
        };
        assert_eq!(record.paper.reference, "VII-F-01504");
        assert_eq!(record.paper.source, "seeds/000_063f18eb785f93d6.txt");
        assert_eq!(record.paper.language.as_deref(), Some("deu"));
        assert!(record.paper.text.contains("Telearbeit"));
    }

    #[test]
    fn honours_the_language_allow_list() {
        let page = "Vorlage - VII-A-09999
Betreff: Swimming pools
Status: öffentlich
Sachverhalt
The city council asks the mayor to report on the state of the public swimming pools and to \
present a plan for their renovation before the end of the year. The council also asks how \
many members of staff have worked from home since the beginning of the pandemic.
";
        let parsed = parse("en.txt", page.as_bytes(), &Options::default()).unwrap();
        assert_eq!(parsed.records[0].paper.language.as_deref(), Some("eng"));
        let german_only = Options {
            languages: vec!["deu".to_string()],
            ..Options::default()
        };
        let parsed = parse("en.txt", page.as_bytes(), &german_only).unwrap();
        assert_eq!(parsed.records[0].paper.language.as_deref(), Some("deu"));
    }

    #[test]
    fn reports_what_it_cannot_parse() {
        let options = Options::default();
        assert!(matches!(
            parse("image.png", b"\x89PNG", &options),
            Err(Error::UnknownFormat(_))
        ));
        assert!(matches!(
            parse(
                "calendar.html",
                b"<html><title>Kalender</title></html>",
                &options
            ),
            Err(Error::NotAPaper(_))
        ));
        assert!(matches!(
            parse("empty.txt", b"", &options),
            Err(Error::NotAPaper(_))
        ));
    }

    fn check_attachment(name: &str, reference: Option<&str>, file_name: &str, url: Option<&str>) {
        let extraction = pdf::Extraction {
            pages: vec![pdf::Page {
                text: "Seite eins".to_string(),
                ..pdf::Page::default()
            }],
            warnings: Vec::new(),
        };
        let attachment = attachment(name, extraction);
        assert_eq!(attachment.reference.as_deref(), reference, "name: {name:?}");
        assert_eq!(attachment.file.name, file_name, "name: {name:?}");
        assert_eq!(attachment.file.url.as_deref(), url, "name: {name:?}");
        assert_eq!(attachment.file.pages, ["Seite eins"]);
    }

    #[test]
    fn names_attachments_by_their_file_name() {
        check_attachment(
            "/data/pdf/VII-F-01504-AW-01.pdf",
            Some("VII-F-01504-AW-01"),
            "VII-F-01504-AW-01.pdf",
            None,
        );
        check_attachment(
            "C:\\Ablage\\VII-DS-08561-NF-01_Anlage 1.pdf",
            Some("VII-DS-08561-NF-01"),
            "VII-DS-08561-NF-01_Anlage 1.pdf",
            None,
        );
        check_attachment(
            "https://example.org/files/00614887.pdf?download=1",
            None,
            "00614887.pdf",
            Some("https://example.org/files/00614887.pdf?download=1"),
        );
        check_attachment("Anlage 1.pdf", None, "Anlage 1.pdf", None);
        check_attachment("VII-F-01504", Some("VII-F-01504"), "VII-F-01504", None);
    }

    /// A real PDF under a reference's name becomes an attachment of that paper.
    #[test]
    fn parses_a_pdf_named_by_a_reference() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus/pdf-groundtruth/libreoffice_writer.pdf"
        );
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("skipping: {path} not found");
            return;
        };
        let parsed = parse("pdfs/VII-F-01504-AW-01.pdf", &bytes, &Options::default()).unwrap();
        assert!(parsed.records.is_empty());
        let [attachment] = parsed.attachments.as_slice() else {
            panic!("one attachment expected");
        };
        assert_eq!(attachment.reference.as_deref(), Some("VII-F-01504-AW-01"));
        assert_eq!(attachment.file.name, "VII-F-01504-AW-01.pdf");
        assert!(!attachment.file.pages.is_empty());
    }

    /// Truncates, flips, inserts, deletes and duplicates bytes at random.
    fn mutate(input: &[u8], random: &mut XorShift) -> Vec<u8> {
        let mut bytes = input.to_vec();
        for _ in 0..=random.below(6) {
            if bytes.is_empty() {
                break;
            }
            let at = random.below(bytes.len());
            match random.below(6) {
                0 => bytes.truncate(at),
                1 => bytes[at] ^= 1 << random.below(8),
                2 => bytes[at] = random.next() as u8,
                3 => bytes.insert(at, [b'\n', b':', b'<', b'-', 0xa0, 0xc3][random.below(6)]),
                4 => {
                    let end = (at + random.below(64)).min(bytes.len());
                    bytes.drain(at..end);
                }
                _ => {
                    let end = (at + random.below(256)).min(bytes.len());
                    let copy = bytes[at..end].to_vec();
                    let to = random.below(bytes.len());
                    bytes.splice(to..to, copy);
                }
            }
        }
        bytes
    }

    const N_MUTANTS: usize = 2000;

    /// Mangled copies of the seed and of the HTML pages never make a parser panic.
    #[test]
    fn survives_mutated_inputs() {
        let corpus_dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus/allris-html"
        );
        let mut inputs: Vec<(&str, Vec<u8>)> = vec![("allris3_vo020.html", ALLRIS3_PAGE.to_vec())];
        if let Some(seed) = crate::fixtures::seed() {
            inputs.push(("seed.txt", seed));
        }
        match std::fs::read_dir(corpus_dir) {
            Ok(entries) => {
                for entry in entries {
                    let mut page = std::fs::read(entry.unwrap().path()).unwrap();
                    // The big Leipzig pages are cut: their tail repeats what the head has.
                    page.truncate(16 * 1024);
                    inputs.push(("corpus.html", page));
                }
            }
            Err(_) => eprintln!("skipping the corpus pages: {corpus_dir} not found"),
        }
        let options = Options::default();
        let mut random = XorShift(0x2545_f491_4f6c_dd1d);
        let mut n_parsed = 0;
        for iteration in 0..N_MUTANTS {
            let (name, input) = &inputs[iteration % inputs.len()];
            let mutant = mutate(input, &mut random);
            if parse(name, &mutant, &options).is_ok() {
                n_parsed += 1;
            }
            // Now and then the other parser, on input it was not made for.
            if iteration % 5 == 0 {
                let _ = allris::parse_text(&mutant);
                let _ = allris::parse_html(&mutant);
            }
        }
        // Most mutants still are papers: the parsers are lenient, not brittle.
        assert!(
            n_parsed > N_MUTANTS / 3,
            "only {n_parsed} of {N_MUTANTS} mutants parsed"
        );
    }
}
