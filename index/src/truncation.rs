//! Truncation: a query word ending in `*` (`Radverk*`, `Kita*`) stands for the words of the
//! index that start with it.
//!
//! The prefix is folded like the exact fields (`Straß*` = `strass`) and looked up in their
//! term dictionaries; the [`MAX_EXPANSIONS`] most frequent words that start with it, one per
//! stem, replace the truncated word as alternatives (`radverkehr OR radverkehrskonzept OR …`).
//! Each is then searched like a typed word, so ranking, snippets, passages and explanations
//! work as for any word; the explanations name the word as typed (`Radverk*`). A prefix that
//! no word starts with is searched as the word itself.

use std::collections::HashMap;

use tantivy::Searcher;

use crate::analysis::{self, fold_exact, Mode};
use crate::query::{Atom, Clause};
use crate::schema::PaperFields;
use crate::suggest::frequent_terms;
use crate::Result;

/// Shortest prefix, in characters: shorter ones start too many words to mean anything.
pub(crate) const MIN_PREFIX_CHARS: usize = 3;
/// The most words a truncated word stands for (the most frequent ones).
pub(crate) const MAX_EXPANSIONS: usize = 50;

/// A truncated query word and the words it was expanded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expansion {
    /// The word as typed, with its `*`.
    pub(crate) typed: String,
    /// The words of the index searched instead (folded).
    pub(crate) words: Vec<String>,
}

/// The prefix of a truncated word (`Radverk*` → `Radverk`), or `None` for other words
/// (gender forms such as `Bürger*innen` have the star inside).
fn prefix_of(word: &str) -> Option<&str> {
    let prefix = word.strip_suffix('*')?.trim_end_matches('*');
    (prefix.chars().count() >= MIN_PREFIX_CHARS && prefix.chars().all(char::is_alphabetic))
        .then_some(prefix)
}

/// The clauses with every truncated word replaced by its expansions, and the expansions.
pub(crate) fn expand(
    clauses: Vec<Clause>,
    searcher: &Searcher,
    fields: &PaperFields,
) -> Result<(Vec<Clause>, Vec<Expansion>)> {
    let mut expansions: Vec<Expansion> = Vec::new();
    let mut expanded = Vec::with_capacity(clauses.len());
    for clause in clauses {
        let mut atoms = Vec::with_capacity(clause.atoms.len());
        for atom in clause.atoms {
            let prefix = match &atom {
                Atom::Word(word) => prefix_of(word),
                Atom::Phrase(_) => None,
            };
            let Some(prefix) = prefix else {
                atoms.push(atom);
                continue;
            };
            let known = expansions
                .iter()
                .find(|known| Some(&*known.typed) == atom_word(&atom));
            let words = match known {
                Some(known) => known.words.clone(),
                None => {
                    let words = words_starting(prefix, searcher, fields)?;
                    expansions.push(Expansion {
                        typed: atom_word(&atom).unwrap_or_default().to_string(),
                        words: words.clone(),
                    });
                    words
                }
            };
            if words.is_empty() {
                atoms.push(Atom::Word(prefix.to_string()));
            } else {
                atoms.extend(words.into_iter().map(Atom::Word));
            }
        }
        expanded.push(Clause {
            negated: clause.negated,
            atoms,
        });
    }
    Ok((expanded, expansions))
}

/// The word of a word atom.
fn atom_word(atom: &Atom) -> Option<&str> {
    match atom {
        Atom::Word(word) => Some(word),
        Atom::Phrase(_) => None,
    }
}

/// The most frequent words of the exact fields that start with `prefix`, one per stem, most
/// frequent first.
fn words_starting(prefix: &str, searcher: &Searcher, fields: &PaperFields) -> Result<Vec<String>> {
    let mut folded = String::new();
    fold_exact(prefix, &mut folded);
    let mut counts: HashMap<String, u64> = HashMap::new();
    for field in [
        fields.title_exact,
        fields.text_exact,
        fields.attachments_exact,
    ] {
        for (term, n_docs) in frequent_terms(searcher, field, &folded)? {
            *counts.entry(term).or_default() += n_docs;
        }
    }
    let mut terms: Vec<(String, u64)> = counts.into_iter().collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut stems: Vec<String> = Vec::new();
    let mut words = Vec::new();
    for (term, _) in terms {
        if words.len() == MAX_EXPANSIONS {
            break;
        }
        // Exact terms are words; identifiers with digits are not truncated here.
        if !term.chars().all(char::is_alphabetic) {
            continue;
        }
        let stem = analysis::analyze(&term, Mode::Stemmed)
            .into_iter()
            .next()
            .map(|token| token.text)
            .unwrap_or_default();
        if stems.contains(&stem) {
            continue;
        }
        stems.push(stem);
        words.push(term);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_words_ending_in_a_star_are_truncated() {
        assert_eq!(prefix_of("Radverk*"), Some("Radverk"));
        assert_eq!(prefix_of("Straß**"), Some("Straß"));
        assert_eq!(prefix_of("Radverk"), None);
        assert_eq!(prefix_of("Bürger*innen"), None);
        assert_eq!(prefix_of("ab*"), None);
        assert_eq!(prefix_of("*"), None);
        assert_eq!(prefix_of("VII-F*"), None);
        assert_eq!(prefix_of("2020*"), None);
    }
}
