//! Real German sentences for the benchmark corpus, cut from text files such as the extracted
//! Karlsruhe council PDFs or Debian's German documentation in `shared/corpus/text/`.
//!
//! Generated council phrasing alone has a vocabulary of a few thousand words; real sentences
//! bring a Zipfian vocabulary with real morphology (compounds, inflection, umlauts), which is
//! what the index size, the analyzer cost and the rare-term queries of a benchmark depend on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Fewest and most words of a kept sentence: shorter ones are headings or table cells, longer
/// ones are lists that lost their line structure.
const MIN_WORDS: usize = 5;
const MAX_WORDS: usize = 45;
/// Least share of letters among the non-space characters of a kept sentence.
const MIN_LETTER_SHARE: f64 = 0.8;
/// Longest kept word: longer "words" are URLs, hashes or glued table columns.
const MAX_WORD_CHARS: usize = 40;

/// Reads the sentences of every `.txt` file under `dir` (sorted by path, deduplicated and
/// sorted, so the same files always give the same list).
pub(super) fn read_sentences(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut paths = Vec::new();
    text_files(dir, &mut paths)?;
    paths.sort();
    let mut sentences = BTreeSet::new();
    for path in paths {
        let bytes = std::fs::read(&path)?;
        let text = String::from_utf8_lossy(&bytes);
        for sentence in split_sentences(&text) {
            sentences.insert(sentence);
        }
    }
    Ok(sentences.into_iter().collect())
}

fn text_files(dir: &Path, paths: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            text_files(&path, paths)?;
        } else if path.extension().is_some_and(|extension| extension == "txt") {
            paths.push(path);
        }
    }
    Ok(())
}

/// Splits extracted text into clean sentences: line-end hyphens are joined ("Bebau-\nungsplan"),
/// blank lines end a sentence, and fragments that do not read as prose are dropped.
pub(super) fn split_sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    for paragraph in paragraphs(text) {
        let mut start = 0;
        let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
        for (char_idx, &(byte_idx, ch)) in chars.iter().enumerate() {
            if !matches!(ch, '.' | '!' | '?') {
                continue;
            }
            // A sentence ends at punctuation followed by a space and a capital letter.
            let next_is_space = chars.get(char_idx + 1).is_some_and(|(_, c)| *c == ' ');
            let then_capital = chars
                .get(char_idx + 2)
                .is_some_and(|(_, c)| c.is_uppercase());
            let at_end = char_idx + 1 == chars.len();
            if at_end || (next_is_space && then_capital) {
                let end = byte_idx + ch.len_utf8();
                if let Some(sentence) = prose(&paragraph[start..end]) {
                    sentences.push(sentence);
                }
                start = end;
            }
        }
    }
    sentences
}

/// Paragraphs with their line breaks undone: a line ending in a hyphen after a letter is
/// joined to a next line that starts in lower case.
fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        let joins_word = current.ends_with('-')
            && current
                .chars()
                .rev()
                .nth(1)
                .is_some_and(char::is_alphabetic)
            && line.chars().next().is_some_and(char::is_lowercase);
        if joins_word {
            current.pop();
        } else if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// The sentence with its spaces normalised, if it reads as prose.
fn prose(candidate: &str) -> Option<String> {
    let words: Vec<&str> = candidate.split_whitespace().collect();
    if !(MIN_WORDS..=MAX_WORDS).contains(&words.len()) {
        return None;
    }
    if !words[0].chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    if words
        .iter()
        .any(|word| word.chars().count() > MAX_WORD_CHARS)
    {
        return None;
    }
    let (mut letters, mut others) = (0usize, 0usize);
    for ch in words.iter().flat_map(|word| word.chars()) {
        if ch.is_alphabetic() {
            letters += 1;
        } else if ch.is_control() || matches!(ch, '_' | '|' | '\\' | '<' | '>' | '{' | '}') {
            return None;
        } else {
            others += 1;
        }
    }
    if (letters as f64) < MIN_LETTER_SHARE * (letters + others) as f64 {
        return None;
    }
    Some(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(split_sentences(text), expected, "{text:?}");
    }

    #[test]
    fn splits_extracted_text_into_sentences() {
        check(
            "In Durlach gibt es zu wenig Papierkörbe. Die Beutel werden dann\nauf den Grünflächen entsorgt.",
            &[
                "In Durlach gibt es zu wenig Papierkörbe.",
                "Die Beutel werden dann auf den Grünflächen entsorgt.",
            ],
        );
        check(
            "Der Bebau-\nungsplan wird im Ausschuss beraten und beschlossen.",
            &["Der Bebauungsplan wird im Ausschuss beraten und beschlossen."],
        );
        check(
            "Die Stadt baut eine Nord-\nSüd-Verbindung für den Radverkehr aus.",
            &["Die Stadt baut eine Nord- Süd-Verbindung für den Radverkehr aus."],
        );
        check("ANTRAG\n\nvom: 30.06.08\n\nTermin:\nTOP:", &[]);
        check(
            "Summe 3.000,00 € 1.250,00 € 0,00 € 12.000,00 € gesamt.",
            &[],
        );
        check("und dann geht es hier ohne Großbuchstaben weiter.", &[]);
    }

    #[test]
    fn blank_lines_end_a_sentence() {
        check(
            "Thema: Papierkörbe an der Pfinz\n\nDie Verwaltung prüft die Aufstellung spezieller Behälter.",
            &["Die Verwaltung prüft die Aufstellung spezieller Behälter."],
        );
    }
}
