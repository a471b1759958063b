//! "Did you mean": misspelled query words corrected from the index's own words.
//!
//! A query word of five or more letters that the index does not hold (neither its stem nor
//! its exact form) is replaced by the most common word of the index one edit away (a letter
//! left out, added, changed, or two neighbours swapped): `Bebaungsplan` → `Bebauungsplan`.
//! A word that a few papers hold is corrected too when it is no word of the lexicon and its
//! correction is far more common: the same typo is in some paper of a large council's
//! archive (`Sporthale` in one paper, `Sporthalle` in hundreds). Candidates are looked up in
//! the exact fields' term dictionaries. The correction keeps the typed form of the letters the
//! edit left alone (`Schwimbäder` → `Schwimmbäder`) and writes the edited letters as the
//! lexicon spells the word (`Gebuhr` → `Gebühr`). The first letter is never edited. A word
//! with no form of the index one edit away is corrected to a stem one edit away from its own
//! stem when that stem is a lexicon word (`Schwimbad` → `Schwimmbad`, for papers that say
//! only `Schwimmbäder`).

use std::collections::BTreeMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::analysis::{self, fold_exact, Mode};
use crate::query::{self, Atom, Clause, Compiled};
use crate::schema::PaperFields;

/// Shortest word, in characters, that is corrected.
const MIN_CHARS: usize = 5;
/// Longest word, in bytes, that is corrected (longer ones make too many candidates).
const MAX_BYTES: usize = 40;
/// Letters tried in edits: folded words hold only these.
const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
/// A word found in at most this many papers (counted per field) may still be a misspelling.
const RARE_PAPERS: u64 = 3;
/// How many times as many papers the correction of a word that some papers hold must be in.
const RARE_RATIO: u64 = 10;

/// A query word and its correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Correction {
    /// The word as typed.
    pub(crate) from: String,
    /// The corrected word.
    pub(crate) to: String,
    /// Papers that hold the word as typed (counted per field; 0: none, a plain misspelling).
    pub(crate) typed_papers: u64,
}

/// The corrections of the positive words of `clauses` that the index does not hold.
pub(crate) fn corrections(
    clauses: &[Clause],
    searcher: &Searcher,
    fields: &PaperFields,
) -> Vec<Correction> {
    let mut found: Vec<Correction> = Vec::new();
    for word in query::positive_words(clauses) {
        if found.iter().any(|known| &known.from == word) {
            continue;
        }
        if let Some((to, typed_papers)) = correct(word, searcher, fields) {
            found.push(Correction {
                from: word.clone(),
                to,
                typed_papers,
            });
        }
    }
    found
}

/// The clauses with every corrected word replaced.
pub(crate) fn apply(clauses: &[Clause], corrections: &[Correction]) -> Vec<Clause> {
    clauses
        .iter()
        .map(|clause| Clause {
            negated: clause.negated,
            atoms: clause
                .atoms
                .iter()
                .map(|atom| match atom {
                    Atom::Word(word) => match corrections.iter().find(|c| &c.from == word) {
                        Some(correction) => Atom::Word(correction.to.clone()),
                        None => atom.clone(),
                    },
                    Atom::Phrase(_) => atom.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The query text with its words corrected, when there are corrections and they change it.
pub(crate) fn corrected_query(text: &str, corrections: &[Correction]) -> Option<String> {
    let rewritten = rewrite(text, corrections);
    (!corrections.is_empty() && rewritten != text).then_some(rewritten)
}

/// The corrections written as the papers write them where a word the hits were found as folds
/// to the same letters: the lexicon writes `ß` as `ss`, so `Sanierungsmasnahmen` is corrected
/// to `Sanierungsmassnahmen`, which papers write `Sanierungsmaßnahmen`. The first letter keeps
/// its case.
pub(crate) fn written_as_found<'a>(
    corrections: &[Correction],
    found_as: impl Iterator<Item = &'a str> + Clone,
) -> Vec<Correction> {
    let (mut folded, mut other) = (String::new(), String::new());
    corrections
        .iter()
        .map(|correction| {
            folded.clear();
            fold_exact(&correction.to, &mut folded);
            let written = found_as.clone().find(|form| {
                other.clear();
                fold_exact(form, &mut other);
                other == folded
            });
            let Some(written) = written else {
                return correction.clone();
            };
            let mut chars = written.chars();
            let first = chars.next().map(|first| {
                if correction.to.starts_with(char::is_uppercase) {
                    first.to_uppercase().collect::<String>()
                } else {
                    first.to_lowercase().collect()
                }
            });
            Correction {
                to: first.unwrap_or_default() + chars.as_str(),
                ..correction.clone()
            }
        })
        .collect()
}

/// The query text with every corrected word replaced (words are separated by whitespace).
pub(crate) fn rewrite(text: &str, corrections: &[Correction]) -> String {
    text.split_whitespace()
        .map(|word| {
            corrections
                .iter()
                .find(|correction| correction.from == word)
                .map_or(word, |correction| correction.to.as_str())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The correction of one word with the number of papers that hold the word as typed, or
/// `None` when the word is common enough, a lexicon word held by some paper, or the index
/// knows nothing close (see the module documentation).
fn correct(word: &str, searcher: &Searcher, fields: &PaperFields) -> Option<(String, u64)> {
    if word.chars().count() < MIN_CHARS
        || word.len() > MAX_BYTES
        || !word.chars().all(char::is_alphabetic)
    {
        return None;
    }
    let stemmed = analysis::analyze(word, Mode::Stemmed);
    let [stem] = stemmed.as_slice() else {
        return None;
    };
    let stem_fields = [fields.title, fields.text, fields.attachments];
    let exact_fields = [
        fields.title_exact,
        fields.text_exact,
        fields.attachments_exact,
    ];
    let mut folded = String::new();
    fold_exact(word, &mut folded);
    let english = analysis::english_stem(word).unwrap_or_default();
    let typed_papers = doc_freq(searcher, &stem_fields, &stem.text)
        .max(doc_freq(searcher, &exact_fields, &folded))
        .max(doc_freq(searcher, &[fields.english_text], &english));
    if typed_papers > RARE_PAPERS
        || (typed_papers > 0 && analysis::compound::splitter().is_word(&folded))
    {
        return None;
    }
    let needed = (typed_papers * RARE_RATIO).max(1);
    let common_enough = |candidates: BTreeMap<String, u64>| {
        commonest(
            candidates
                .into_iter()
                .filter(|(_, n_docs)| *n_docs >= needed),
        )
    };
    let mut corrected = common_enough(edit_counts(searcher, &exact_fields, &folded));
    // A word no paper holds in any form (a paper that holds its stem holds the word, only
    // inflected: `Lärmschutzwänd`) and no form of the index one edit away: a stem one edit
    // away that is a word of the lexicon (a stem is not always a word), so `Schwimbad` where
    // the papers say only `Schwimmbäder` (two edits from the exact form, one from its stem
    // `schwimmbad`). Not an edit of the last letter of the stem, where the stemmer cut:
    // `Wanderfischen` stems to `wanderf` (a suffix `isch` taken for an adjective's), which is
    // no typo of `wander` or `wandert`.
    // A compound stem counts as a word when the lexicon splits it and not the typed word
    // (`Schulentwiklungsplan` → `Schulentwicklungsplan`, for papers that say only
    // `Schulentwicklungsplans`), by a letter added, left out or two neighbours swapped: one
    // letter in place of another turned correct words into others (`Leitbuhnen` →
    // `Leitbahn`, `Überleitung` → `überlegt`).
    if corrected.is_none() && typed_papers == 0 {
        let lexicon = analysis::compound::splitter();
        let typed_splits = !lexicon.part_ranges(&folded).is_empty();
        let mut stems = edit_counts(searcher, &stem_fields, &stem.text);
        stems.retain(|candidate, _| {
            let shorter = candidate.len().min(stem.text.len());
            common_prefix(candidate, &stem.text) + 1 < shorter
                && (lexicon.is_word(candidate)
                    || (!typed_splits
                        && is_added_dropped_or_swapped(&stem.text, candidate)
                        && !lexicon.part_ranges(candidate).is_empty()))
        });
        corrected = common_enough(stems);
    }
    if corrected.is_none() && typed_papers == 0 {
        corrected = compound_tail_correction(&folded, searcher, &exact_fields);
    }
    let (corrected, _) = corrected?;
    Some((written_like(word, &folded, &corrected), typed_papers))
}

/// Shortest last part of a compound that [`compound_tail_correction`] corrects.
const MIN_TAIL_BYTES: usize = 6;
/// Shortest head before it (`Hand` + `elnden` is the word `Handelnden`, not a compound).
const MIN_HEAD_BYTES: usize = 5;

/// A compound no paper holds, with a typo in its last part (`Radverkehrskonzpt`): the head
/// the lexicon knows (words, a linking `s`) and in place of the tail a word of the lexicon
/// that papers hold, one letter added, left out or two neighbours swapped away
/// (`konzept`), the one in most papers; the longest head first. Not a letter put in place of
/// another: a correct compound's last part that papers lack is often one such step from
/// another word (`Fällung`, `Füllung`); nor a letter added or left out at the end, which
/// makes another form more often than it mends a typo (`Tagesmaxima`, `maximal`). Nor where
/// the tail is itself a word of the lexicon, or papers hold it: then it is no typo, and the
/// index splits the word there (`Index::index_splits`).
fn compound_tail_correction(
    folded: &str,
    searcher: &Searcher,
    exact_fields: &[Field],
) -> Option<(String, u64)> {
    let lexicon = analysis::compound::splitter();
    if folded.len() < MIN_HEAD_BYTES + MIN_TAIL_BYTES
        || !folded.bytes().all(|b| b.is_ascii_lowercase())
        || !lexicon.part_ranges(folded).is_empty()
    {
        return None;
    }
    for at in (MIN_HEAD_BYTES..=folded.len() - MIN_TAIL_BYTES).rev() {
        let (head, tail) = folded.split_at(at);
        if lexicon.head_parts(head).is_empty()
            || lexicon.is_word(tail)
            || !lexicon.part_ranges(tail).is_empty()
            || doc_freq(searcher, exact_fields, tail) > 0
        {
            continue;
        }
        let mut candidates = edit_counts(searcher, exact_fields, tail);
        candidates.retain(|candidate, _| {
            is_added_dropped_or_swapped(tail, candidate)
                && !candidate.starts_with(tail)
                && !tail.starts_with(candidate.as_str())
                && lexicon.is_word(candidate)
                && !analysis::is_stop_word(candidate)
        });
        if let Some((candidate, papers)) = commonest(candidates) {
            return Some((format!("{head}{candidate}"), papers));
        }
    }
    None
}

/// The candidate in most papers; among equally common ones the first in byte order.
fn commonest(candidates: impl IntoIterator<Item = (String, u64)>) -> Option<(String, u64)> {
    candidates
        .into_iter()
        .max_by(|(a, a_docs), (b, b_docs)| a_docs.cmp(b_docs).then_with(|| b.cmp(a)))
}

/// Whether `candidate` (one edit from `word`, see [`is_edit`]) has a letter more or less, or
/// two neighbours swapped, rather than one letter in place of another.
fn is_added_dropped_or_swapped(word: &str, candidate: &str) -> bool {
    if word.len() != candidate.len() {
        return true;
    }
    let differing: Vec<usize> = word
        .bytes()
        .zip(candidate.bytes())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(at, _)| at)
        .collect();
    matches!(differing.as_slice(), [first, second] if first + 1 == *second)
}

/// Most stems of the index marked for one fuzzy word: the ones in most papers.
const MAX_FUZZY_EDITS: usize = 16;

/// Adds the stems of the index one edit away from each fuzzy stem of `compiled` (the words
/// the fuzzy fallback found) to its highlight and passage terms, so that hit texts show and
/// mark where those words stand.
pub(crate) fn add_fuzzy_edits(compiled: &mut Compiled, searcher: &Searcher, fields: &PaperFields) {
    let targets = std::mem::take(&mut compiled.highlight.fuzzy);
    let stemmed = [fields.title, fields.text, fields.attachments];
    for target in &targets {
        let mut edits: Vec<(String, u64)> = edit_counts(searcher, &stemmed, &target.text)
            .into_iter()
            .collect();
        edits.sort_by(|(a, a_papers), (b, b_papers)| b_papers.cmp(a_papers).then(a.cmp(b)));
        edits.truncate(MAX_FUZZY_EDITS);
        let edits: Vec<String> = edits.into_iter().map(|(edit, _)| edit).collect();
        compiled.passage_terms.extend(edits.iter().cloned());
        compiled.highlight.add_edits(target, edits.into_iter());
    }
    compiled.passage_terms.sort();
    compiled.passage_terms.dedup();
    compiled.highlight.fuzzy = targets;
}

/// The words of `fields` one edit away from the folded `word` (see [`is_edit`]), with the
/// papers that hold each, counted per field. One walk of each term dictionary guided by a
/// Levenshtein automaton, limited to the word's first letter, instead of a lookup of each of
/// the 500 or so strings one edit away from a ten-letter word: the lookups were a fifth of
/// the instructions of a search (callgrind, the load benchmark's mix).
fn edit_counts(searcher: &Searcher, fields: &[Field], word: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    let (Some(&first), Some(&field)) = (word.as_bytes().first(), fields.first()) else {
        return counts;
    };
    if !word.is_ascii() {
        return counts;
    }
    let query = FuzzyTermQuery::new(Term::from_field_text(field, word), 1, true);
    let Ok(automaton) = query.automaton() else {
        return counts;
    };
    for segment in searcher.segment_readers() {
        for &field in fields {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let terms = inverted.terms();
            let Ok(mut stream) = terms
                .search(&automaton)
                .ge([first])
                .lt([first + 1])
                .into_stream()
            else {
                continue;
            };
            while stream.advance() {
                if !is_edit(word.as_bytes(), stream.key()) {
                    continue;
                }
                if let Ok(candidate) = std::str::from_utf8(stream.key()) {
                    let papers = u64::from(stream.value().doc_freq);
                    *counts.entry(candidate.to_owned()).or_insert(0) += papers;
                }
            }
        }
    }
    counts
}

/// Whether `candidate` is one edit away from the ASCII `word` and keeps its first letter: a
/// letter left out, a letter of `a`–`z` added or put in place of another, or two neighbours
/// swapped. A typo in the first letter is rare, and a correction that changes it is mostly
/// another word (`Gendern` is not `ändern`).
fn is_edit(word: &[u8], candidate: &[u8]) -> bool {
    if candidate == word || candidate.first() != word.first() {
        return false;
    }
    let prefix = word
        .iter()
        .zip(candidate)
        .take_while(|(a, b)| a == b)
        .count();
    let (word, candidate) = (&word[prefix..], &candidate[prefix..]);
    let suffix = word
        .iter()
        .rev()
        .zip(candidate.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let word = &word[..word.len() - suffix];
    let candidate = &candidate[..candidate.len() - suffix];
    match (word, candidate) {
        ([_], []) => true,
        ([] | [_], [added]) => ALPHABET.contains(added),
        ([a, b], [c, d]) => a == d && b == c,
        _ => false,
    }
}

/// The folded correction `corrected` of the typed `word` (folded: `folded`) written like the
/// word: the letters the edit left alone keep their typed form, so `Schwimbäder` becomes
/// `Schwimmbäder`, not `Schwimmbaeder`; the edited letters are written as the lexicon writes
/// the word or its parts (`Gebuhr` → `Gebühr`, `Aendern` → `Ändern` for `ändern`), and the
/// first letter keeps its case.
fn written_like(word: &str, folded: &str, corrected: &str) -> String {
    let spelled = analysis::compound::splitter().spelling(corrected);
    let typed = folded_spans(word);
    let mut surface = folded_spans(&spelled);
    if joined(&surface) != corrected {
        surface = corrected.chars().map(|c| (c, c.to_string())).collect();
    }
    let mut written = String::with_capacity(corrected.len() + 2);
    if joined(&typed) == folded {
        let prefix = common_prefix(folded, corrected);
        let suffix = common_suffix(&folded[prefix..], &corrected[prefix..]);
        // The typed characters wholly in the common prefix or suffix, cut where a character
        // of the correction's spelling also starts (`ü` is one character for `ue`).
        let head = shared_boundary(&typed, &surface, prefix);
        let tail = shared_boundary(&reversed(&typed), &reversed(&surface), suffix);
        let (typed_head, surface_head) = head;
        let (typed_tail, surface_tail) = tail;
        written.extend(typed[..typed_head].iter().map(|(c, _)| *c));
        written.extend(
            surface[surface_head..surface.len() - surface_tail]
                .iter()
                .map(|(c, _)| *c),
        );
        written.extend(typed[typed.len() - typed_tail..].iter().map(|(c, _)| *c));
    } else {
        written.extend(surface.iter().map(|(c, _)| *c));
    }
    // Keep the case of the first letter as typed.
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    let mut chars = written.chars();
    match chars.next() {
        Some(first) if capitalised && !first.is_uppercase() => {
            first.to_uppercase().chain(chars).collect()
        }
        _ => written,
    }
}

/// Each character of `text` with the folded text it stands for (`ä` → `ae`).
fn folded_spans(text: &str) -> Vec<(char, String)> {
    let mut buffer = [0; 4];
    text.chars()
        .map(|c| {
            let mut one = String::new();
            fold_exact(c.encode_utf8(&mut buffer), &mut one);
            (c, one)
        })
        .collect()
}

/// The folded text of the spans.
fn joined(spans: &[(char, String)]) -> String {
    spans.iter().map(|(_, one)| one.as_str()).collect()
}

/// The spans in reverse order.
fn reversed(spans: &[(char, String)]) -> Vec<(char, String)> {
    spans.iter().rev().cloned().collect()
}

/// How many spans of `a` and of `b` cover the longest folded prefix of at most `limit` bytes
/// at which both have a span boundary.
fn shared_boundary(a: &[(char, String)], b: &[(char, String)], limit: usize) -> (usize, usize) {
    let ends = |spans: &[(char, String)]| -> Vec<(usize, usize)> {
        let mut bytes = 0;
        let mut ends = vec![(0, 0)];
        for (count, (_, one)) in spans.iter().enumerate() {
            bytes += one.len();
            if bytes > limit {
                break;
            }
            ends.push((bytes, count + 1));
        }
        ends
    };
    let b_ends = ends(b);
    ends(a)
        .into_iter()
        .rev()
        .find_map(|(bytes, a_count)| {
            b_ends
                .iter()
                .find(|(other, _)| *other == bytes)
                .map(|&(_, b_count)| (a_count, b_count))
        })
        .unwrap_or((0, 0))
}

/// Length in bytes of the longest common prefix of `a` and `b`, at a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((at, _), _)| at)
}

/// Length in bytes of the longest common suffix of `a` and `b`, at a character boundary.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum()
}

/// Number of papers that hold `text` in any of `fields` (summed over fields).
pub(crate) fn doc_freq(searcher: &Searcher, fields: &[Field], text: &str) -> u64 {
    fields
        .iter()
        .map(|&field| {
            searcher
                .doc_freq(&Term::from_field_text(field, text))
                .unwrap_or(0)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string one edit away from the ASCII word `word` that keeps its first letter,
    /// written out one by one: what [`is_edit`] must accept, and nothing else.
    fn edits(word: &str) -> Vec<String> {
        let bytes = word.as_bytes();
        if !word.is_ascii() {
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::with_capacity(bytes.len() * 54 + 26);
        let mut push = |candidate: Vec<u8>| {
            if candidate.first() != bytes.first() {
                return;
            }
            if let Ok(text) = String::from_utf8(candidate) {
                if text != word && !out.contains(&text) {
                    out.push(text);
                }
            }
        };
        for at in 0..bytes.len() {
            let mut deleted = bytes.to_vec();
            deleted.remove(at);
            push(deleted);
            if at + 1 < bytes.len() {
                let mut swapped = bytes.to_vec();
                swapped.swap(at, at + 1);
                push(swapped);
            }
            for &letter in ALPHABET {
                let mut changed = bytes.to_vec();
                changed[at] = letter;
                push(changed);
            }
        }
        for at in 0..=bytes.len() {
            for &letter in ALPHABET {
                let mut inserted = bytes.to_vec();
                inserted.insert(at, letter);
                push(inserted);
            }
        }
        out
    }

    fn check(query: &str, corrections: &[(&str, &str)], expected: &str) {
        let corrections: Vec<Correction> = corrections
            .iter()
            .map(|(from, to)| Correction {
                from: from.to_string(),
                to: to.to_string(),
                typed_papers: 0,
            })
            .collect();
        assert_eq!(rewrite(query, &corrections), expected);
    }

    #[test]
    fn rewrites() {
        check(
            "Bebaungsplan",
            &[("Bebaungsplan", "Bebauungsplan")],
            "Bebauungsplan",
        );
        check(
            "neuer  Bebaungsplan Süd",
            &[("Bebaungsplan", "Bebauungsplan")],
            "neuer Bebauungsplan Süd",
        );
        check("Schule", &[], "Schule");
    }

    #[test]
    fn corrections_are_written_like_the_typed_word() {
        let written = |word: &str, corrected: &str| {
            let mut folded = String::new();
            fold_exact(word, &mut folded);
            written_like(word, &folded, corrected)
        };
        // Umlauts and ß the edit left alone stay as typed.
        assert_eq!(written("Schwimbäder", "schwimmbaeder"), "Schwimmbäder");
        // An edit inside a folded umlaut: the letters as the lexicon spells the word (its
        // source, wordfreq, writes ß as ss).
        assert_eq!(written("Strasenbahn", "strassenbahn"), "Strassenbahn");
        assert_eq!(written("Gebuhr", "gebuehr"), "Gebühr");
        assert_eq!(written("Anderung", "aenderung"), "Änderung");
        assert_eq!(written("Großstadtt", "grossstadt"), "Großstadt");
        assert_eq!(written("Bebaungsplan", "bebauungsplan"), "Bebauungsplan");
        assert_eq!(written("bebaungsplan", "bebauungsplan"), "bebauungsplan");
        // An edit of the first letter keeps its case.
        assert_eq!(written("Xchule", "schule"), "Schule");
        // A folded form the lexicon does not write with an umlaut stays folded.
        assert_eq!(written("Gebühr", "gebuhr"), "Gebuhr");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Any correction, written like any typed word, folds back to the correction.
        #[test]
        fn written_corrections_fold_back_to_the_correction(
            word in "[a-zA-ZäöüÄÖÜßé]{1,12}",
        ) {
            let mut folded = String::new();
            fold_exact(&word, &mut folded);
            let mut refolded = String::new();
            for candidate in edits(&folded).into_iter().step_by(7) {
                let written = written_like(&word, &folded, &candidate);
                fold_exact(&written, &mut refolded);
                proptest::prop_assert_eq!(&refolded, &candidate, "{} -> {}", word, written);
            }
        }

        /// `is_edit`, which filters the words the automaton finds, accepts exactly the strings
        /// one edit away written out one by one: all of them, and none of the strings two
        /// edits away or of any other string that are not among them. Few letters, so that
        /// doubled letters and swaps of equal letters come up.
        #[test]
        fn is_edit_accepts_exactly_the_edits(
            word in "[a-d]{1,8}|[a-z]{1,12}",
            other in "[a-d1]{0,9}",
        ) {
            let one: std::collections::HashSet<String> = edits(&word).into_iter().collect();
            for candidate in &one {
                proptest::prop_assert!(is_edit(word.as_bytes(), candidate.as_bytes()), "{}", candidate);
            }
            let two = one.iter().step_by(5).flat_map(|near| edits(near));
            for candidate in two.chain([other, word.clone()]) {
                proptest::prop_assert_eq!(
                    is_edit(word.as_bytes(), candidate.as_bytes()),
                    one.contains(&candidate),
                    "{} -> {}", word, candidate
                );
            }
        }
    }

    #[test]
    fn edits_are_one_step() {
        let candidates = edits("bebaungsplan");
        assert!(candidates.iter().any(|c| c == "bebauungsplan"));
        assert!(candidates.iter().any(|c| c == "bebaunsgplan"));
        assert!(candidates.iter().any(|c| c == "bbaungsplan"));
        // The first letter stays.
        assert!(!candidates.iter().any(|c| c == "ebaungsplan"));
        assert!(candidates.iter().all(|c| c.starts_with('b')));
        assert!(!candidates.iter().any(|c| c == "bebaungsplan"));
        assert!(edits("straße").is_empty());
    }
}
