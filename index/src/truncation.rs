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
use crate::suggest::prefixed_terms;
use crate::Result;

/// Shortest prefix, in characters: shorter ones start too many words to mean anything.
pub(crate) const MIN_PREFIX_CHARS: usize = 3;
/// The most words a truncated word stands for (the most frequent ones).
pub(crate) const MAX_EXPANSIONS: usize = 50;
/// The most words all truncated words of a query stand for together; once they are used up,
/// further truncated words are searched as the word itself. Bounds the cost of a query
/// made of many short prefixes.
pub(crate) const MAX_EXPANSIONS_PER_QUERY: usize = 150;

/// A truncated query word and the words it was expanded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expansion {
    /// The word as typed, with its `*`.
    pub(crate) typed: String,
    /// The words of the index searched instead (folded).
    pub(crate) words: Vec<String>,
}

/// `clause` as a user would type it (`Kita OR Hort`, `"Stadt Leipzig"`, `-Dresden`), a
/// truncated word by its `*` form rather than the words it stands for.
pub(crate) fn typed_text(clause: &Clause, expansions: &[Expansion]) -> String {
    let mut atoms: Vec<String> = Vec::new();
    for atom in &clause.atoms {
        let typed = match atom {
            Atom::Word(word) => expansions
                .iter()
                .find(|expansion| {
                    expansion.words.contains(word)
                        || (expansion.words.is_empty()
                            && prefix_of(&expansion.typed) == Some(word.as_str()))
                })
                .map_or_else(
                    // Without the question's `?` or a sentence's `.`.
                    || {
                        word.trim_matches(|c: char| !c.is_alphanumeric() && c != '*')
                            .to_string()
                    },
                    |expansion| expansion.typed.clone(),
                ),
            Atom::Phrase(phrase) => format!("\"{phrase}\""),
        };
        if !atoms.contains(&typed) {
            atoms.push(typed);
        }
    }
    let text = atoms.join(" OR ");
    if clause.negated {
        format!("-{text}")
    } else {
        text
    }
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
            let truncated = atom_word(&atom).and_then(|typed| Some((typed, prefix_of(typed)?)));
            let Some((typed, prefix)) = truncated else {
                atoms.push(atom);
                continue;
            };
            let words = match expansions.iter().find(|known| known.typed == typed) {
                Some(known) => known.words.clone(),
                None => {
                    let used: usize = expansions.iter().map(|known| known.words.len()).sum();
                    let limit = MAX_EXPANSIONS.min(MAX_EXPANSIONS_PER_QUERY - used);
                    let words = words_starting(prefix, limit, searcher, fields)?;
                    expansions.push(Expansion {
                        typed: typed.to_string(),
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

/// At most `limit` of the most frequent words of the exact fields that start with `prefix`,
/// one per stem, most frequent first.
fn words_starting(
    prefix: &str,
    limit: usize,
    searcher: &Searcher,
    fields: &PaperFields,
) -> Result<Vec<String>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let mut folded = String::new();
    fold_exact(prefix, &mut folded);
    let mut counts: HashMap<String, u64> = HashMap::new();
    for field in [
        fields.title_exact,
        fields.text_exact,
        fields.attachments_exact,
    ] {
        for (term, n_docs) in prefixed_terms(searcher, field, &folded)? {
            *counts.entry(term).or_default() += n_docs;
        }
    }
    let mut terms: Vec<(String, u64)> = counts.into_iter().collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut stems: Vec<String> = Vec::new();
    let mut words = Vec::new();
    for (term, _) in terms {
        if words.len() == limit {
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

    #[test]
    fn many_truncated_words_stand_for_a_bounded_number_of_words() {
        let index = crate::Index::create_in_ram().unwrap();
        let mut writer = index.writer().unwrap();
        let letters: Vec<char> = ('a'..='z').collect();
        // 4 prefixes × 26 × 26 words of distinct stems (`zugaab…`), one paper per prefix.
        for first in ['a', 'b', 'c', 'd'] {
            let mut text = String::new();
            for second in &letters {
                for third in &letters {
                    text.push_str(&format!("zug{first}{second}{third}ol "));
                }
            }
            writer
                .upsert(&crate::Document {
                    body: "B".into(),
                    reference: format!("Z-{first}"),
                    title: "Züge".into(),
                    text,
                    record_json: "{}".into(),
                    ..crate::Document::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        index.reload().unwrap();
        let searcher = index.papers_reader.searcher();
        let clauses = crate::query::parse("Zuga* zugb* zugc* zugd* Zuga*");
        let (expanded, expansions) = expand(clauses, &searcher, &index.paper_fields).unwrap();
        let counts: Vec<usize> = expansions.iter().map(|e| e.words.len()).collect();
        assert_eq!(counts, [50, 50, 50, 0]);
        assert_eq!(expansions[0].typed, "Zuga*");
        assert!(expansions[0]
            .words
            .iter()
            .all(|word| word.starts_with("zuga")));
        // The fourth is searched as itself; the repeated first is the same clause (parsed once).
        let atoms: Vec<usize> = expanded.iter().map(|clause| clause.atoms.len()).collect();
        assert_eq!(atoms, [50, 50, 50, 1]);
        assert_eq!(expanded[3].atoms, [Atom::Word("zugd".into())]);
    }
}
