//! Query-time synonyms and abbreviations: sets of equivalent terms from plain text lists.
//!
//! The curated list ships with ratsuche (`index/data/synonyms.txt`, one set per line,
//! entries separated by `|`). A city extends it with its own file in the same format, and
//! OpenThesaurus (`word;word;word` lines, LGPL) can be added as a runtime file; it is never
//! compiled in. A query word or phrase equal to an entry also searches the other entries of
//! its sets, at a lower weight. Matching ignores case, umlaut spelling (`ä` = `ae`) and `ß`/`ss`.
//! A one-word query that equals no entry is looked up by its stem, so that `Flüchtling` finds
//! the set of `Flüchtlinge` and `Radwege` that of `Radweg`.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::analysis::{fold_exact, Stemmer};

/// The curated list shipped with ratsuche.
const BUILT_IN: &str = include_str!("../data/synonyms.txt");

/// Weight of a curated entry (the built-in list and a city's list).
const CURATED_WEIGHT: f32 = 1.0;
/// Weight of a thesaurus entry: general-language sets are often polysemous ("Rat" is both
/// advice and council), so they rank below the curated ones.
const THESAURUS_WEIGHT: f32 = 0.5;
/// Thesaurus sets with more entries than this are skipped: large sets are vague.
const MAX_THESAURUS_SET: usize = 8;
/// Shortest stem (in bytes) by which an entry is found: shorter ones are shared by unrelated
/// words too often (`link` is `Linke` and `links`, `grun` is `Grünen` and `grüne`).
const MIN_LOOKUP_STEM: usize = 5;

/// Sets of equivalent terms.
#[derive(Debug, Default, Clone)]
pub struct Synonyms {
    /// The entries of each set, as written, and the set's weight; shared with the thread
    /// that builds the stem lookup.
    sets: Arc<Vec<(Vec<String>, f32)>>,
    /// Normalised entry to the sets it belongs to.
    lookup: HashMap<String, Vec<usize>>,
    /// Stem of each one-word entry to the sets it belongs to: built when first needed or on
    /// a background thread ([`Synonyms::prepare_in_background`]), because stemming the
    /// entries of OpenThesaurus takes a tenth of a second that start-up need not wait for.
    stem_lookup: Arc<OnceLock<HashMap<String, Vec<usize>>>>,
}

/// The stem of every one-word entry of `sets` to the sets it belongs to.
fn stem_lookup_of(sets: &[(Vec<String>, f32)]) -> HashMap<String, Vec<usize>> {
    let mut stems = HashMap::new();
    for (set, (entries, _)) in sets.iter().enumerate() {
        for entry in entries {
            if let Some(stem) = lookup_stem(entry) {
                add_to(&mut stems, stem, set);
            }
        }
    }
    stems
}

/// The stem of a one-word term when it is long enough to look a set up by.
fn lookup_stem(term: &str) -> Option<String> {
    let word = term.trim();
    if word.is_empty() || word.contains(char::is_whitespace) {
        return None;
    }
    let (mut scratch, mut stem) = (String::new(), String::new());
    (Stemmer::default().stem_cached(word, &mut scratch, &mut stem) && stem.len() >= MIN_LOOKUP_STEM)
        .then_some(stem)
}

/// Adds `set` to the sets of `key`, once.
fn add_to(lookup: &mut HashMap<String, Vec<usize>>, key: String, set: usize) {
    let sets = lookup.entry(key).or_default();
    if !sets.contains(&set) {
        sets.push(set);
    }
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
    /// Returns the curated list shipped with ratsuche.
    pub fn built_in() -> Synonyms {
        Synonyms::parse(BUILT_IN)
    }

    /// Parses a list in ratsuche's format: one set per line, entries separated by `|`, `#`
    /// starts a comment line. Lines with fewer than two entries are ignored.
    pub fn parse(text: &str) -> Synonyms {
        let mut synonyms = Synonyms::default();
        synonyms.add_lines(text, '|', CURATED_WEIGHT, usize::MAX);
        synonyms
    }

    /// Parses OpenThesaurus's text format (`word;word;word`, `#` comments, annotations such
    /// as `(ugs.)` in parentheses). Its sets weigh half as much as curated ones, and sets of
    /// more than eight entries are skipped.
    pub fn parse_thesaurus(text: &str) -> Synonyms {
        let mut synonyms = Synonyms::default();
        synonyms.add_lines(text, ';', THESAURUS_WEIGHT, MAX_THESAURUS_SET);
        synonyms
    }

    /// Adds the sets of `other` to these.
    pub fn extend(&mut self, other: Synonyms) {
        let offset = self.sets.len();
        for (key, sets) in other.lookup {
            for set in sets {
                add_to(&mut self.lookup, key.clone(), set + offset);
            }
        }
        Arc::make_mut(&mut self.sets).extend(Arc::unwrap_or_clone(other.sets));
        self.stem_lookup = Arc::default();
    }

    /// Builds the stem lookup on a thread of its own, so that loading a large thesaurus does
    /// not wait for it; a search that needs it before it is ready waits for it then.
    pub fn prepare_in_background(&self) {
        if self.stem_lookup.get().is_some() {
            return;
        }
        let (sets, stem_lookup) = (Arc::clone(&self.sets), Arc::clone(&self.stem_lookup));
        let spawned = std::thread::Builder::new()
            .name("synonym-stems".into())
            .spawn(move || {
                stem_lookup.get_or_init(|| stem_lookup_of(&sets));
            });
        if let Err(error) = spawned {
            // Not fatal: the first search that needs the stems builds them.
            tracing::warn!(%error, "could not start the thread that stems synonym entries");
        }
    }

    /// The stem lookup, built now if no thread has built it yet.
    fn stems(&self) -> &HashMap<String, Vec<usize>> {
        self.stem_lookup.get_or_init(|| stem_lookup_of(&self.sets))
    }

    /// Number of sets.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// Whether there are no sets.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    fn add_lines(&mut self, text: &str, separator: char, weight: f32, max_entries: usize) {
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entries: Vec<String> = line
                .split(separator)
                .map(without_annotations)
                .filter(|entry| !entry.is_empty())
                .collect();
            if entries.len() >= 2 && entries.len() <= max_entries {
                self.add_set(entries, weight);
            }
        }
    }

    fn add_set(&mut self, entries: Vec<String>, weight: f32) {
        let set = self.sets.len();
        for entry in &entries {
            add_to(&mut self.lookup, key(entry), set);
        }
        Arc::make_mut(&mut self.sets).push((entries, weight));
    }

    /// The other entries equivalent to `term` (none when it is in no set), each once, with
    /// the weight of the best set that holds it (1 for curated lists).
    pub(crate) fn alternatives(&self, term: &str) -> Vec<(&str, f32)> {
        let term_key = key(term);
        let mut found: Vec<(&str, f32)> = Vec::new();
        let mut found_keys: Vec<String> = vec![term_key.clone()];
        let mut sets: Vec<usize> = self.lookup.get(&term_key).cloned().unwrap_or_default();
        // By stem: every set when the term is no entry; otherwise the curated sets only, so
        // that a thesaurus set holding `Flüchtling` does not hide the curated one of
        // `Flüchtlinge` (general-language sets by stem would add too many loose senses).
        let exact_is_curated = sets.iter().any(|&set| self.sets[set].1 >= CURATED_WEIGHT);
        if !exact_is_curated {
            if let Some(by_stem) = lookup_stem(term).and_then(|stem| self.stems().get(&stem)) {
                let any_set = sets.is_empty();
                for &set in by_stem {
                    if (any_set || self.sets[set].1 >= CURATED_WEIGHT) && !sets.contains(&set) {
                        sets.push(set);
                    }
                }
            }
        }
        // Curated sets first, so that their entries keep the higher weight.
        sets.sort_by(|a, b| self.sets[*b].1.total_cmp(&self.sets[*a].1).then(a.cmp(b)));
        for set in sets {
            let (entries, weight) = &self.sets[set];
            for entry in entries {
                let entry_key = key(entry);
                // A general-language set may list a part of a compound with it (`Grün` with
                // `Grünfläche`): a broader word that the compound machinery already searches
                // near the other parts, and alone it matches the party `Grüne`.
                if *weight < CURATED_WEIGHT && is_part_of(&entry_key, &term_key) {
                    continue;
                }
                if !found_keys.contains(&entry_key) {
                    found_keys.push(entry_key);
                    found.push((entry, *weight));
                }
            }
        }
        found
    }
}

/// Whether the folded entry is the first or the last part of the folded term, and shorter.
fn is_part_of(entry: &str, term: &str) -> bool {
    entry.len() < term.len() && (term.starts_with(entry) || term.ends_with(entry))
}

/// An entry without annotations in parentheses (`Karre (ugs.)` → `Karre`), trimmed.
fn without_annotations(entry: &str) -> String {
    let mut out = String::with_capacity(entry.len());
    let mut depth = 0usize;
    for c in entry.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(synonyms: &Synonyms, term: &str, expected: &[&str]) {
        let found: Vec<&str> = synonyms
            .alternatives(term)
            .into_iter()
            .map(|(entry, _)| entry)
            .collect();
        assert_eq!(found, expected, "{term}");
    }

    #[test]
    fn alternatives() {
        let built_in = Synonyms::built_in();
        check(
            &built_in,
            "Kita",
            &[
                "Kitas",
                "Kindertagesstätte",
                "Kindertagesstätten",
                "Kindergarten",
            ],
        );
        check(
            &built_in,
            "OEPNV",
            &["Nahverkehr", "öffentlicher Personennahverkehr"],
        );
        check(&built_in, "b-plan", &["Bebauungsplan"]);
        check(
            &built_in,
            "Mobile  Arbeit",
            &[
                "Homeoffice",
                "Home-Office",
                "Telearbeit",
                "mobiles Arbeiten",
            ],
        );
        check(
            &built_in,
            "covid-19",
            &[
                "Corona",
                "Covid",
                "Coronavirus",
                "Coronapandemie",
                "Corona-Pandemie",
                "SARS-CoV-2",
            ],
        );
        check(&built_in, "Rathaus", &[]);
        let custom = Synonyms::parse("# comment\nA | B\nlonely\nB | C\n");
        check(&custom, "b", &["A", "C"]);
    }

    #[test]
    fn other_forms_of_an_entry_find_its_set() {
        let built_in = Synonyms::built_in();
        check(
            &built_in,
            "Flüchtling",
            &["Flüchtlinge", "Geflüchtete", "Asylsuchende"],
        );
        check(&built_in, "Radwege", &["Radweg", "Fahrradweg"]);
        check(
            &built_in,
            "Hallenbäder",
            &["Schwimmbad", "Hallenbad", "Schwimmhalle"],
        );
        // An entry found as typed is not looked up by stem as well.
        check(
            &built_in,
            "Kitas",
            &[
                "Kita",
                "Kindertagesstätte",
                "Kindertagesstätten",
                "Kindergarten",
            ],
        );
        // Short stems are shared by unrelated words: `links` is not `Linke`.
        check(&built_in, "links", &[]);
        check(&built_in, "grüne", &[]);
        let thesaurus = Synonyms::parse_thesaurus("Gras;Grünfläche;Grün;Wiese\n");
        check(&thesaurus, "Grünflächen", &["Gras", "Wiese"]);
    }

    #[test]
    fn a_thesaurus_entry_does_not_hide_the_curated_set_of_another_form() {
        let mut synonyms = Synonyms::parse("Flüchtlinge | Geflüchtete\nKita | Kindergarten\n");
        synonyms.extend(Synonyms::parse_thesaurus(
            "Flüchtiger;Flüchtling\nKitas;Krippen\nFlüchtlingen;Vertriebene\n",
        ));
        synonyms.prepare_in_background();
        // `Flüchtling` is a thesaurus entry and the stem of the curated `Flüchtlinge`: both
        // sets, the curated one first; other thesaurus sets by stem are not added.
        check(
            &synonyms,
            "Flüchtling",
            &["Flüchtlinge", "Geflüchtete", "Flüchtiger"],
        );
        // The same for another thesaurus entry of that stem: its own set and the curated one.
        check(
            &synonyms,
            "Flüchtlingen",
            &["Flüchtlinge", "Geflüchtete", "Vertriebene"],
        );
        // No entry as typed: every set by stem (but not `Flüchtling`, the start of the word).
        check(
            &synonyms,
            "Flüchtlings",
            &[
                "Flüchtlinge",
                "Geflüchtete",
                "Flüchtiger",
                "Flüchtlingen",
                "Vertriebene",
            ],
        );
        // A curated set found as typed is enough.
        check(&synonyms, "Kita", &["Kindergarten"]);
    }

    #[test]
    fn extended_sets_are_found_as_typed_and_by_stem() {
        let mut synonyms = Synonyms::parse("Radweg | Fahrradweg\n");
        synonyms.extend(Synonyms::parse("Schwimmbad | Hallenbad\n"));
        // Built before a later extension: the lookup by stem is built again.
        check(&synonyms, "Radwege", &["Radweg", "Fahrradweg"]);
        synonyms.extend(Synonyms::parse("Bürgersteig | Gehweg\n"));
        check(&synonyms, "Hallenbad", &["Schwimmbad"]);
        check(&synonyms, "Hallenbäder", &["Schwimmbad", "Hallenbad"]);
        check(&synonyms, "Gehwege", &["Bürgersteig", "Gehweg"]);
        assert_eq!(synonyms.len(), 3);
    }

    #[test]
    fn a_city_list_extends_the_built_in_one() {
        let mut synonyms = Synonyms::built_in();
        let n_built_in = synonyms.len();
        synonyms.extend(Synonyms::parse("Rathaus | Stadthaus | Neues Rathaus\n"));
        assert_eq!(synonyms.len(), n_built_in + 1);
        check(&synonyms, "rathaus", &["Stadthaus", "Neues Rathaus"]);
        check(&synonyms, "B-Plan", &["Bebauungsplan"]);
    }

    #[test]
    fn thesaurus_lines() {
        let thesaurus = Synonyms::parse_thesaurus(
            "# OpenThesaurus\nAuto;Wagen;Karre (ugs.)\nA;B;C;D;E;F;G;H;I\nFahrrad;Rad\n",
        );
        assert_eq!(thesaurus.len(), 2);
        check(&thesaurus, "karre", &["Auto", "Wagen"]);
        // A part of the compound is a broader word, not a synonym; the compound stays a
        // synonym of the part.
        let thesaurus = Synonyms::parse_thesaurus("Gras;Grünfläche;Grün;Wiese\n");
        check(&thesaurus, "Gruenflaeche", &["Gras", "Wiese"]);
        check(&thesaurus, "Grün", &["Gras", "Grünfläche", "Wiese"]);
        let thesaurus = Synonyms::parse_thesaurus("Fläche;Grünfläche;Areal\n");
        check(&thesaurus, "Grünfläche", &["Areal"]);
        let mut synonyms = Synonyms::built_in();
        synonyms.extend(thesaurus);
        // The curated set comes first and keeps its weight.
        let found = synonyms.alternatives("Rad");
        assert_eq!(found.first(), Some(&("Fahrrad", CURATED_WEIGHT)));
    }

    #[test]
    fn the_open_thesaurus_file_loads() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/corpus/text/openthesaurus/openthesaurus.txt");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipping: {} is absent", path.display());
            return;
        };
        let thesaurus = Synonyms::parse_thesaurus(&text);
        assert!(thesaurus.len() > 10_000, "{} sets", thesaurus.len());
        let found: Vec<&str> = thesaurus
            .alternatives("Homeoffice")
            .into_iter()
            .map(|(entry, _)| entry)
            .collect();
        assert!(found.contains(&"Home-Office"), "{found:?}");
    }
}
