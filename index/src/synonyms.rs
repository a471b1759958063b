//! Query-time synonyms and abbreviations: sets of equivalent terms from a plain text list
//! (`index/data/synonyms.txt`, one set per line, entries separated by `|`).
//!
//! A query word or phrase equal to an entry also searches the other entries of its sets, at
//! a lower weight. Matching ignores case, umlaut spelling (`ä` = `ae`) and `ß`/`ss`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::analysis::fold_exact;

/// The curated list shipped with ratsuche.
const BUILT_IN: &str = include_str!("../data/synonyms.txt");

/// Sets of equivalent terms.
#[derive(Debug, Default)]
pub(crate) struct Synonyms {
    /// The entries of each set, as written.
    sets: Vec<Vec<String>>,
    /// Normalised entry to the sets it belongs to.
    lookup: HashMap<String, Vec<usize>>,
}

/// The built-in synonyms, parsed on first use.
pub(crate) fn built_in() -> &'static Synonyms {
    static SYNONYMS: OnceLock<Synonyms> = OnceLock::new();
    SYNONYMS.get_or_init(|| Synonyms::parse(BUILT_IN))
}

/// The lookup key of a term: folded words joined by single spaces.
fn key(term: &str) -> String {
    let mut folded = String::new();
    let mut word = String::new();
    for part in term.split_whitespace() {
        fold_exact(part, &mut word);
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(&word);
    }
    folded
}

impl Synonyms {
    /// Parses a list: one set per line, entries separated by `|`, `#` starts a comment line.
    /// Lines with fewer than two entries are ignored.
    pub(crate) fn parse(text: &str) -> Synonyms {
        let mut synonyms = Synonyms::default();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entries: Vec<String> = line
                .split('|')
                .map(str::trim)
                .filter(|entry| !entry.is_empty())
                .map(str::to_string)
                .collect();
            if entries.len() < 2 {
                continue;
            }
            let set = synonyms.sets.len();
            for entry in &entries {
                let sets = synonyms.lookup.entry(key(entry)).or_default();
                if !sets.contains(&set) {
                    sets.push(set);
                }
            }
            synonyms.sets.push(entries);
        }
        synonyms
    }

    /// The other entries equivalent to `term` (none when it is in no set), each once.
    pub(crate) fn alternatives(&self, term: &str) -> Vec<&str> {
        let term_key = key(term);
        let mut found: Vec<&str> = Vec::new();
        let mut found_keys: Vec<String> = vec![term_key.clone()];
        for &set in self.lookup.get(&term_key).into_iter().flatten() {
            for entry in &self.sets[set] {
                let entry_key = key(entry);
                if !found_keys.contains(&entry_key) {
                    found_keys.push(entry_key);
                    found.push(entry);
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(term: &str, expected: &[&str]) {
        assert_eq!(built_in().alternatives(term), expected, "{term}");
    }

    #[test]
    fn alternatives() {
        check(
            "Kita",
            &[
                "Kitas",
                "Kindertagesstätte",
                "Kindertagesstätten",
                "Kindergarten",
            ],
        );
        check("OEPNV", &["Nahverkehr", "öffentlicher Personennahverkehr"]);
        check("b-plan", &["Bebauungsplan"]);
        check(
            "Mobile  Arbeit",
            &[
                "Homeoffice",
                "Home-Office",
                "Telearbeit",
                "mobiles Arbeiten",
            ],
        );
        check("Rathaus", &[]);
        let custom = Synonyms::parse("# comment\nA | B\nlonely\nB | C\n");
        assert_eq!(custom.alternatives("b"), ["A", "C"]);
    }
}
