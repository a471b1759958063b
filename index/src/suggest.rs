//! Suggestions while a user types: the last word completed from frequent title words (and the
//! phrases they start), or a reference completed from the references in the index.
//!
//! Completion reads the term dictionaries of the exact title field and the reference field by
//! prefix, so it costs a bounded dictionary scan per segment and a few stored titles, never a
//! search over the text. Titles hold the words people search for; body text would suggest
//! every typo of every PDF.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::schema::Field;
use tantivy::{Searcher, TantivyDocument};

use crate::analysis::{self, Mode};
use crate::{stored_str, term_query, Index, Result};

/// The most suggestions one call returns.
pub const MAX_SUGGESTIONS: usize = 20;
/// Dictionary terms read per segment and field; a short prefix in a huge index stops here.
const MAX_TERMS_SCANNED: usize = 20_000;
/// Titles read per completed word to find how it is written and which phrases it starts.
const TITLES_SAMPLED: usize = 20;
/// Prefixes shorter than this (in characters) complete nothing: too many words start so.
const MIN_PREFIX_CHARS: usize = 2;

/// What a [`Suggestion`] completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuggestionKind {
    /// A word from paper titles.
    Term,
    /// Two words that follow each other in several titles.
    Phrase,
    /// A paper reference (Drucksachennummer).
    Reference,
}

/// One completion of what the user typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The whole query text with the last word completed, as it should go into the box.
    pub text: String,
    /// What was completed.
    pub kind: SuggestionKind,
    /// Papers whose title holds the word or whose reference it is; for phrases, the titles
    /// among those sampled that hold the phrase (a lower bound).
    pub count: u64,
    /// The title of the paper, for a reference.
    pub title: Option<String>,
}

impl Index {
    /// Completes the last word of `typed`: references when it looks like one (a digit, `-` or
    /// `/`) and some reference starts so, else title words
    /// by how many papers hold them, each followed by a frequent phrase it starts. At most
    /// `limit` (capped at [`MAX_SUGGESTIONS`]) suggestions; none for an empty or short word.
    pub fn suggest(&self, typed: &str, limit: usize) -> Result<Vec<Suggestion>> {
        let limit = limit.min(MAX_SUGGESTIONS);
        let typed = analysis::clean_text(typed.trim_start());
        let (head, last) = match typed.rfind(char::is_whitespace) {
            Some(split) => (typed[..split].trim_end(), &typed[split..]),
            None => ("", typed.as_ref()),
        };
        let last = last.trim();
        if limit == 0 || last.chars().count() < MIN_PREFIX_CHARS || last.starts_with('-') {
            return Ok(Vec::new());
        }
        let prefix = analysis::normalize_reference(last);
        let searcher = self.papers_reader.searcher();
        let with_head = |completed: &str| {
            if head.is_empty() {
                completed.to_string()
            } else {
                format!("{head} {completed}")
            }
        };
        if last.contains(|c: char| c.is_ascii_digit() || c == '-' || c == '/') {
            let references = self.suggest_references(&searcher, &prefix, limit, &with_head)?;
            if !references.is_empty() {
                return Ok(references);
            }
        }
        let mut suggestions = Vec::with_capacity(limit);
        let terms = frequent_terms(&searcher, self.paper_fields.title_exact, &prefix)?;
        // Each candidate costs a small search; a term no title writes as a word of its own
        // (a part of a hyphenated name) is skipped, but only so many are tried.
        for (term, count) in terms.into_iter().take(limit * 3) {
            if suggestions.len() >= limit {
                break;
            }
            let sample = self.sample_titles(&searcher, &term)?;
            let Some(written) = written_form(&sample, &term) else {
                continue;
            };
            suggestions.push(Suggestion {
                text: with_head(&written),
                kind: SuggestionKind::Term,
                count,
                title: None,
            });
            if let Some((phrase, phrase_count)) = frequent_phrase(&sample, &term) {
                if suggestions.len() < limit {
                    suggestions.push(Suggestion {
                        text: with_head(&phrase),
                        kind: SuggestionKind::Phrase,
                        count: phrase_count,
                        title: None,
                    });
                }
            }
        }
        Ok(suggestions)
    }

    /// References that start with `prefix`, each with its title.
    fn suggest_references(
        &self,
        searcher: &Searcher,
        prefix: &str,
        limit: usize,
        with_head: &impl Fn(&str) -> String,
    ) -> Result<Vec<Suggestion>> {
        let mut terms: Vec<String> = prefixed_terms(searcher, self.paper_fields.reference, prefix)?
            .into_keys()
            .collect();
        terms.sort();
        let mut suggestions = Vec::with_capacity(limit);
        for term in terms {
            if suggestions.len() >= limit {
                break;
            }
            let query = term_query(self.paper_fields.reference, &term);
            let found = searcher.search(&*query, &TopDocs::with_limit(1).order_by_score())?;
            let Some(&(_, address)) = found.first() else {
                continue;
            };
            let paper: TantivyDocument = searcher.doc(address)?;
            let Some(reference) = stored_str(&paper, self.paper_fields.reference) else {
                continue;
            };
            suggestions.push(Suggestion {
                text: with_head(&reference),
                kind: SuggestionKind::Reference,
                count: 1,
                title: stored_str(&paper, self.paper_fields.title),
            });
        }
        Ok(suggestions)
    }

    /// Up to [`TITLES_SAMPLED`] stored titles of papers whose exact title holds `term`.
    fn sample_titles(&self, searcher: &Searcher, term: &str) -> Result<Vec<String>> {
        let query = term_query(self.paper_fields.title_exact, term);
        let found = searcher.search(
            &*query,
            &TopDocs::with_limit(TITLES_SAMPLED).order_by_score(),
        )?;
        let mut titles = Vec::with_capacity(found.len());
        for (_, address) in found {
            let paper: TantivyDocument = searcher.doc(address)?;
            titles.extend(stored_str(&paper, self.paper_fields.title));
        }
        Ok(titles)
    }
}

/// Terms of `field` starting with `prefix`, with their document frequency over all segments
/// (deleted papers included until their segment is merged), most frequent first.
pub(crate) fn frequent_terms(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
) -> Result<Vec<(String, u64)>> {
    let mut terms: Vec<(String, u64)> = prefixed_terms(searcher, field, prefix)?
        .into_iter()
        .filter(|(term, _)| !term.chars().all(|c| c.is_ascii_digit()))
        .collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(terms)
}

/// Terms of `field` that start with `prefix`, summed over segments, at most
/// [`MAX_TERMS_SCANNED`] per segment.
pub(crate) fn prefixed_terms(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
) -> Result<HashMap<String, u64>> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()?;
        let mut scanned = 0;
        while scanned < MAX_TERMS_SCANNED && stream.advance() {
            scanned += 1;
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if !term.starts_with(prefix) {
                break;
            }
            *counts.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    Ok(counts)
}

/// The words of a title: split at spaces, stripped of surrounding punctuation.
fn title_words(title: &str) -> Vec<&str> {
    title
        .split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .collect()
}

/// Whether `word` folds to the exact term `term`.
fn folds_to(word: &str, term: &str) -> bool {
    analysis::normalize_reference(word) == term
}

/// How `term` is written in the titles, the most common spelling first found
/// (e.g. `radverkehr` → `Radverkehr`).
fn written_form(titles: &[String], term: &str) -> Option<String> {
    let mut spellings: Vec<(&str, usize)> = Vec::new();
    for title in titles {
        for word in title_words(title) {
            if folds_to(word, term) {
                match spellings.iter_mut().find(|(known, _)| *known == word) {
                    Some((_, count)) => *count += 1,
                    None => spellings.push((word, 1)),
                }
            }
        }
    }
    spellings
        .iter()
        .max_by_key(|(_, count)| *count)
        .map(|(word, _)| word.to_string())
}

/// The two-word phrase starting with `term` that most sampled titles hold, when at least two
/// do; the second word must not be a stop word or a single letter.
fn frequent_phrase(titles: &[String], term: &str) -> Option<(String, u64)> {
    let mut phrases: Vec<(String, u64)> = Vec::new();
    for title in titles {
        let words = title_words(title);
        let mut seen_in_title: Vec<String> = Vec::new();
        for pair in words.windows(2) {
            let [first, second] = pair else { continue };
            // Nor a single letter: Leipzig's titles end in their Antrag number, `Mehr
            // Klimaschutz (A 0102/ 23)`, which made `Klimaschutz A` a phrase.
            if !folds_to(first, term)
                || second.chars().nth(1).is_none()
                || analysis::analyze(second, Mode::Exact).is_empty()
            {
                continue;
            }
            let phrase = format!("{first} {second}");
            if seen_in_title.contains(&phrase) {
                continue;
            }
            match phrases.iter_mut().find(|(known, _)| *known == phrase) {
                Some((_, count)) => *count += 1,
                None => phrases.push((phrase.clone(), 1)),
            }
            seen_in_title.push(phrase);
        }
    }
    phrases
        .into_iter()
        .filter(|(_, count)| *count >= 2)
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Document, SearchRequest};

    fn index() -> Index {
        let index = Index::create_in_ram().unwrap();
        let mut writer = index.writer().unwrap();
        let titles = [
            ("VII-A-00001", "Radverkehr Innenstadt stärken"),
            ("VII-A-00002", "Radverkehr in Grünau"),
            ("VII-F-00003", "Anfrage: Radverkehr Innenstadt"),
            ("VII-F-00003-AW-01", "Radwege an der Karl-Heine-Straße"),
            ("VII-DS-00004", "Haushaltsplan 2025"),
            ("2021/0281", "Straßenbäume in Grünau"),
            ("VII-HP-00005", "Mehr Klimaschutz (A 0101/ 23)"),
            ("VII-HP-00006", "Klimaschutz (A 0102/ 23)"),
        ];
        for (reference, title) in titles {
            writer
                .upsert(&Document {
                    body: "Leipzig".into(),
                    reference: reference.into(),
                    title: title.into(),
                    ..Document::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        index
    }

    fn check(typed: &str, expected: &[(&str, SuggestionKind)]) {
        let suggestions = index().suggest(typed, 5).unwrap();
        let got: Vec<(&str, SuggestionKind)> = suggestions
            .iter()
            .map(|suggestion| (suggestion.text.as_str(), suggestion.kind))
            .collect();
        assert_eq!(got, expected, "{typed}");
    }

    #[test]
    fn completes_the_last_word() {
        use SuggestionKind::{Phrase, Reference, Term};
        check(
            "rad",
            &[
                ("Radverkehr", Term),
                ("Radverkehr Innenstadt", Phrase),
                ("Radwege", Term),
            ],
        );
        check("Anfrage gr", &[("Anfrage Grünau", Term)]);
        check("str", &[("Straßenbäume", Term)]);
        check(
            "vii-f",
            &[("VII-F-00003", Reference), ("VII-F-00003-AW-01", Reference)],
        );
        check("2021/", &[("2021/0281", Reference)]);
        // The letter of an Antrag number is no second word of a phrase.
        check("klima", &[("Klimaschutz", Term)]);
        // Stop words are no completions (`in`, `der` are in titles, but not in the index's
        // exact fields).
        check("in", &[("Innenstadt", Term)]);
        check("de", &[]);
        check("r", &[]);
        check("", &[]);
        check("-rad", &[]);
        check("zzz", &[]);
    }

    #[test]
    fn counts_papers_and_respects_the_limit() {
        let index = index();
        let suggestions = index.suggest("rad", 1).unwrap();
        assert_eq!(suggestions.len(), 1);
        let total = index
            .search(&SearchRequest {
                query: "Radverkehr".into(),
                limit: 10,
                ..SearchRequest::default()
            })
            .unwrap()
            .total;
        assert_eq!(suggestions[0].count, total);
        assert!(index.suggest("rad", 1_000).unwrap().len() <= MAX_SUGGESTIONS);
    }
}
