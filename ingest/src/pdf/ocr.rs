//! OCR behind a small trait, with a default engine that runs poppler's `pdftoppm` and
//! `tesseract` as subprocesses (the one place where ingest leaves the process).
//!
//! Both programs are separate executables (GPL poppler is not linked). Without them the engine
//! reports [`Error::Pdf`] and the page is marked as needing OCR; extraction goes on.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use crate::{Error, Result};

/// Recognises the text of one page of a PDF.
pub trait Ocr: Send + Sync + std::fmt::Debug {
    /// Returns the recognised text of page `page_number` (1-based) of `pdf`, lines separated by
    /// `\n`, or an error saying why recognition was not possible.
    fn recognize_page(&self, pdf: &[u8], page_number: u32) -> Result<String>;
}

/// The default OCR engine: `pdftoppm` renders the page, `tesseract` reads it.
#[derive(Debug, Clone)]
pub struct Tesseract {
    /// Tesseract language(s), e.g. `deu` or `deu+eng`.
    pub language: String,
    /// Rendering resolution; 300 dpi suits real scans (fax quality, stamps).
    pub dpi: u32,
    /// Time allowed for rendering and recognising one page.
    pub time_limit: Duration,
}

impl Default for Tesseract {
    fn default() -> Tesseract {
        Tesseract {
            language: "deu".to_string(),
            dpi: 300,
            time_limit: Duration::from_secs(120),
        }
    }
}

impl Tesseract {
    /// Tells whether `pdftoppm` and `tesseract` can be run (checked once per process).
    pub fn is_available() -> bool {
        static AVAILABLE: OnceLock<bool> = OnceLock::new();
        *AVAILABLE.get_or_init(|| runs("tesseract", "--version") && runs("pdftoppm", "-v"))
    }
}

fn runs(program: &str, argument: &str) -> bool {
    Command::new(program)
        .arg(argument)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

impl Ocr for Tesseract {
    fn recognize_page(&self, pdf: &[u8], page_number: u32) -> Result<String> {
        if !Tesseract::is_available() {
            return Err(Error::Pdf(
                "ocr unavailable: pdftoppm or tesseract is not installed".to_string(),
            ));
        }
        let deadline = Instant::now() + self.time_limit;
        let page = page_number.to_string();
        let dpi = self.dpi.to_string();
        let render = Command::new("pdftoppm")
            .args(["-r", &dpi, "-gray", "-png", "-f", &page, "-l", &page, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| Error::Pdf(format!("failed to run pdftoppm: {error}")))?;
        let image = run_to_end(render, pdf.to_vec(), deadline, "pdftoppm")?;
        if image.is_empty() {
            return Err(Error::Pdf(format!(
                "pdftoppm rendered nothing for page {page_number}"
            )));
        }
        let recognize = Command::new("tesseract")
            .args(["stdin", "stdout", "-l", &self.language, "--psm", "3"])
            // One thread per page: pages of many files run in parallel already.
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| Error::Pdf(format!("failed to run tesseract: {error}")))?;
        let text = run_to_end(recognize, image, deadline, "tesseract")?;
        Ok(fix_section_signs(&String::from_utf8_lossy(&text)))
    }
}

/// Feeds `input` to a child, collects its output, and kills it at the deadline.
fn run_to_end(mut child: Child, input: Vec<u8>, deadline: Instant, name: &str) -> Result<Vec<u8>> {
    let stdin = child.stdin.take();
    let writer = thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            // A child that exits early closes the pipe; its exit status tells what happened.
            let _ = stdin.write_all(&input);
        }
    });
    let stdout = child.stdout.take();
    let reader = thread::spawn(move || {
        let mut output = Vec::new();
        if let Some(mut stdout) = stdout {
            let _ = stdout.read_to_end(&mut output);
        }
        output
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::Pdf(format!("{name} ran past the ocr time limit")));
            }
            Err(error) => return Err(Error::Pdf(format!("failed to wait for {name}: {error}"))),
        }
    };
    let _ = writer.join();
    let output = reader.join().unwrap_or_default();
    if !status.success() {
        return Err(Error::Pdf(format!("{name} failed with {status}")));
    }
    Ok(output)
}

/// Tesseract reads "§" as "8" in German legal citations ("gemäß 8 13a BauGB"). A lone 8 before
/// a paragraph number that is followed by "Abs."/"Satz" or a law's abbreviation is taken back.
pub(crate) fn fix_section_signs(text: &str) -> String {
    // Word spans over the whole text, so a citation broken across lines is still seen.
    let mut spans = Vec::new();
    let mut start = None;
    for (index, character) in text.char_indices() {
        match (character.is_whitespace(), start) {
            (true, Some(begin)) => {
                spans.push((begin, index));
                start = None;
            }
            (false, None) => start = Some(index),
            _ => {}
        }
    }
    if let Some(begin) = start {
        spans.push((begin, text.len()));
    }
    let word = |index: usize| spans.get(index).map(|&(begin, end)| &text[begin..end]);
    let mut fixed = String::with_capacity(text.len());
    let mut copied = 0;
    for (index, &(begin, end)) in spans.iter().enumerate() {
        // "3", "5" and "9" are rarer misreadings; only taken after a word that introduces a citation.
        let introduced = index > 0
            && word(index - 1).is_some_and(|before| {
                matches!(
                    before.to_lowercase().as_str(),
                    "gemäß" | "nach" | "laut" | "des" | "vgl." | "i.v.m."
                )
            });
        let is_sign = matches!(&text[begin..end], "8" | "88" | "$" | "S")
            || (introduced && matches!(&text[begin..end], "3" | "5" | "9"));
        let number = word(index + 1).is_some_and(|next| {
            let digits = next.trim_end_matches(|c: char| c.is_ascii_lowercase());
            !digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit())
        });
        let cited = word(index + 2).is_some_and(|after| {
            let after = after.trim_end_matches([',', '.', ';', ')']);
            matches!(after, "Abs" | "Satz" | "Nr" | "S") || is_law(after)
        });
        if is_sign && number && cited {
            fixed.push_str(&text[copied..begin]);
            fixed.push_str(if end - begin == 2 { "§§" } else { "§" });
            copied = end;
        }
    }
    fixed.push_str(&text[copied..]);
    fixed
}

/// Whether a word is a law's abbreviation: BauGB, BGB, GemO, KAG, BImSchG, VwVfG …
fn is_law(word: &str) -> bool {
    word.len() >= 2
        && word.len() <= 10
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && (word.ends_with('G')
            || word.ends_with("GB")
            || word.ends_with('O')
            || word.ends_with("VO")
            || word.ends_with('V'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(fix_section_signs(input), expected);
    }

    #[test]
    fn section_signs() {
        check("Gemäß 8 13a BauGB kann", "Gemäß § 13a BauGB kann");
        check("gemäß 8 2 Abs. 1 BauGB", "gemäß § 2 Abs. 1 BauGB");
        check("nach 88 3 Abs. 1", "nach §§ 3 Abs. 1");
        check("rund 8 Hektar groß", "rund 8 Hektar groß");
        check("am 8 12 Uhr", "am 8 12 Uhr");
        check("gemäß 8\n3 Abs. 1", "gemäß §\n3 Abs. 1");
        check("Gemäß 8 13a\nBauGB", "Gemäß § 13a\nBauGB");
        check("Gemäß 3 13a BauGB", "Gemäß § 13a BauGB");
        check("Tabelle 3 13 BauGB", "Tabelle 3 13 BauGB");
    }
}
