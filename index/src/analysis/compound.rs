//! German compound splitting: a dynamic-programming split over a shipped lexicon, with
//! linking elements (`Telearbeit-s-plätze`) and a list of words never split.
//!
//! A word is split into the fewest lexicon words (at least two), each optionally followed by
//! a linking element; ties go to the more frequent parts. The result lists the parts and
//! every run of adjacent parts (`tele`, `arbeit`, `plaetze`, `telearbeit`, `arbeitsplaetze`),
//! so a query for any inner compound finds the whole. Words work in the exact folded form
//! (lowercase, `ä` as `ae`, `ß` as `ss`); the lexicon (`index/data/compound-lexicon.txt`,
//! from wordfreq, CC-BY-SA-4.0) is folded the same way when it is loaded.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;
use std::sync::OnceLock;

use super::german::fold_exact;

/// The lexicon, most frequent words first; `#` lines are comments.
const LEXICON: &str = include_str!("../../data/compound-lexicon.txt");

/// The reviewed exceptions: words never split and lexicon words that are never parts.
const EXCEPTIONS: &str = include_str!("../../data/compound-exceptions.txt");

/// Linking elements that may follow a non-final part, longest first.
const LINKS: &[&str] = &["ens", "es", "en", "er", "s", "n", "e"];

/// Three-letter words that may be parts (longer words come from the lexicon).
const SHORT_PARTS: &[&str] = &[
    "amt", "art", "bad", "bau", "bus", "eis", "gas", "hof", "kai", "nah", "oel", "ort", "rad",
    "rat", "see", "tag", "tor", "uhr", "weg", "zug", "zoo",
];

/// Last parts that mark a place name (`Offen-burg`, `Knie-lingen`): such words stay whole.
const PLACE_ENDINGS: &[&str] = &["burg", "hausen", "ingen", "lingen", "stetten", "witz"];

/// Endings stripped to find the base of an inflected word among the words never split.
const ENDINGS: &[&str] = &["innen", "nen", "ern", "en", "er", "es", "e", "n", "s"];

/// Inflection endings a last part may carry beyond its lexicon form.
const INFLECTIONS: &[&str] = &["en", "n", "e", "es", "s", "er", "ern"];
/// Extra rank of a last part found through [`INFLECTIONS`].
const INFLECTED_RANK: u32 = 2_000;

/// Suffixes after which a non-final part needs the Fugen-s (`ordnung-s-amt`).
const NEEDS_S: &[&str] = &[
    "ung", "heit", "keit", "schaft", "ion", "taet", "ling", "tum",
];

/// Shortest word considered for splitting, in bytes.
const MIN_WORD: usize = 6;
/// Shortest part from the lexicon, in bytes.
const MIN_PART: usize = 4;
/// Longest part, in bytes (the lexicon's longest words, folded).
const MAX_PART: usize = 24;
/// Parts at least this long are split again.
const MIN_RESPLIT: usize = 8;
/// How many times parts are split again.
const RESPLIT_DEPTH: usize = 2;
/// Words longer than this (in bytes) are not split.
const MAX_WORD: usize = 40;
/// Entries kept in a thread's split cache before it is cleared.
const CACHE_LIMIT: usize = 100_000;

/// Cost of each part: fewer parts win.
const PART_COST: u64 = 1_000;
/// Cost of a linking element.
const LINK_COST: u64 = 10;
/// Cost of a missing or wrong Fugen-s after `-ung`, `-heit`, ...
const FUGEN_S_COST: u64 = 50;
/// Frequency ranks per unit of cost: among splits with as many parts, common parts win.
const RANKS_PER_COST: u32 = 500;
/// Extra rank of a part that drops its final e.
const ELIDED_RANK: u32 = 2_000;

/// A small, fast hasher for short words (FNV-1a); the keys are our own lexicon and words of
/// the text, so hash flooding is no concern.
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// Hash map keyed by words, with [`WordHasher`].
type WordMap<V> = HashMap<Box<str>, V, BuildHasherDefault<WordHasher>>;

/// How a string may be used as a part.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Frequency rank (0 = most frequent), raised for elided forms.
    rank: u32,
    /// Only as the last part: the word is another word plus a linking element (`arbeits`),
    /// so inside a compound the split `arbeit` + `s` is taken instead.
    final_only: bool,
    /// Only as a non-final part: a word without its final e (`schul` from `schule`).
    inner_only: bool,
}

/// The compound splitter with its lexicon.
pub(crate) struct Splitter {
    /// Folded parts and how they may be used.
    entries: WordMap<Entry>,
    /// Folded words never split.
    whole: HashSet<Box<str>, BuildHasherDefault<WordHasher>>,
    /// Folded words that are never parts, not even inflected.
    not_parts: HashSet<Box<str>, BuildHasherDefault<WordHasher>>,
    /// The lexicon's spelling of its words with umlauts (and of such a word without its
    /// final e, as inside compounds), by folded form: `aendern` → `ändern`. The lexicon's
    /// source writes ß as ss, so there is none of it here.
    spellings: WordMap<Box<str>>,
}

/// The splitter shared by all analyzers, loaded on first use.
pub(crate) fn splitter() -> &'static Splitter {
    static SPLITTER: OnceLock<Splitter> = OnceLock::new();
    SPLITTER.get_or_init(Splitter::load)
}

thread_local! {
    /// Splits already computed on this thread.
    static CACHE: RefCell<WordMap<Rc<[String]>>> = RefCell::new(WordMap::default());
}

/// One step of a split: a part and the linking element after it.
#[derive(Clone, Copy)]
struct Step {
    /// Byte range of the part.
    from: usize,
    to: usize,
    /// End of the linking element (= `to` without one).
    link_to: usize,
}

/// The best split found for a prefix: cost and the last step.
#[derive(Clone, Copy)]
struct Best {
    cost: u64,
    step: Step,
}

impl Splitter {
    fn load() -> Splitter {
        let mut words: WordMap<u32> = WordMap::default();
        let mut spellings: WordMap<Box<str>> = WordMap::default();
        let mut folded = String::new();
        for (rank, line) in (0u32..).zip(super::list_entries(LEXICON)) {
            fold_exact(line, &mut folded);
            words.entry(folded.as_str().into()).or_insert(rank);
            if folded != line {
                spellings
                    .entry(folded.as_str().into())
                    .or_insert(line.into());
                if let (Some(base), Some(spelled)) =
                    (folded.strip_suffix('e'), line.strip_suffix('e'))
                {
                    spellings.entry(base.into()).or_insert(spelled.into());
                }
            }
        }
        for word in SHORT_PARTS {
            words.entry((*word).into()).or_insert(0);
        }
        let mut whole = HashSet::default();
        let mut not_parts = HashSet::default();
        let mut in_whole = true;
        for line in EXCEPTIONS.lines() {
            let line = line.trim();
            match line {
                "[whole]" => in_whole = true,
                "[not-a-part]" => in_whole = false,
                _ if line.is_empty() || line.starts_with('#') => {}
                _ => {
                    fold_exact(line, &mut folded);
                    if in_whole {
                        whole.insert(folded.as_str().into());
                    } else {
                        words.remove(folded.as_str());
                        not_parts.insert(folded.as_str().into());
                    }
                }
            }
        }
        let mut entries: WordMap<Entry> = WordMap::default();
        for (word, &rank) in &words {
            // Only the genitive links: `leben` is a word, not `lebe` + `n`.
            let final_only = ["s", "es"].iter().any(|link| {
                word.strip_suffix(link)
                    .is_some_and(|base| base.len() >= 3 && words.contains_key(base))
            });
            entries.insert(
                word.clone(),
                Entry {
                    rank,
                    final_only,
                    inner_only: false,
                },
            );
        }
        for (word, &rank) in &words {
            if let Some(base) = word.strip_suffix('e') {
                if base.len() >= MIN_PART && !entries.contains_key(base) {
                    entries.insert(
                        base.into(),
                        Entry {
                            rank: rank.saturating_add(ELIDED_RANK),
                            final_only: false,
                            inner_only: true,
                        },
                    );
                }
            }
        }
        Splitter {
            entries,
            whole,
            not_parts,
            spellings,
        }
    }

    /// `folded` (an exact folded word) with the umlauts of the lexicon's spelling of it, or of
    /// each of its parts, restored: `aendern` → `ändern`, `aenderungsantrag` →
    /// `änderungsantrag`. Parts the lexicon writes without them stay as they are.
    pub(crate) fn spelling(&self, folded: &str) -> String {
        if let Some(spelled) = self.spellings.get(folded) {
            return spelled.to_string();
        }
        let mut out = String::with_capacity(folded.len());
        let mut at = 0;
        for range in self.part_ranges(folded) {
            out.push_str(&folded[at..range.start]);
            let part = &folded[range.clone()];
            out.push_str(self.spellings.get(part).map_or(part, |spelled| spelled));
            at = range.end;
        }
        out.push_str(&folded[at..]);
        out
    }

    /// Whether `folded` (an exact folded word) is a word of the lexicon, not just a part.
    pub(crate) fn is_word(&self, folded: &str) -> bool {
        self.entries
            .get(folded)
            .is_some_and(|entry| !entry.inner_only)
    }

    /// Returns the parts and inner compounds of `folded` (an exact folded word), or nothing
    /// when it is not a compound. Cached per thread.
    pub(crate) fn split_cached(&self, folded: &str) -> Rc<[String]> {
        if folded.len() < MIN_WORD || folded.len() > MAX_WORD || !folded.is_ascii() {
            return Rc::from(Vec::new());
        }
        CACHE.with_borrow_mut(|cache| {
            if let Some(found) = cache.get(folded) {
                return Rc::clone(found);
            }
            let found: Rc<[String]> = Rc::from(self.split(folded));
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(folded.into(), Rc::clone(&found));
            found
        })
    }

    /// Like [`Splitter::split_cached`], without the cache.
    pub(crate) fn split(&self, folded: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.split_into(folded, &mut out, RESPLIT_DEPTH);
        out.retain(|part| part != folded);
        out
    }

    /// The top-level parts of `folded` with the linking element after each (`""` when none),
    /// or nothing when it is not a compound.
    #[cfg(test)]
    pub(crate) fn segments<'a>(&self, folded: &'a str) -> Vec<(&'a str, &'a str)> {
        self.steps(folded)
            .iter()
            .map(|step| (&folded[step.from..step.to], &folded[step.to..step.link_to]))
            .collect()
    }

    /// The byte ranges of the top-level parts of `folded` (without linking elements), or
    /// nothing.
    pub(crate) fn part_ranges(&self, folded: &str) -> Vec<std::ops::Range<usize>> {
        self.steps(folded)
            .iter()
            .map(|step| step.from..step.to)
            .collect()
    }

    /// The top-level parts of `folded` (no inner compounds), or nothing.
    pub(crate) fn parts(&self, folded: &str) -> Vec<String> {
        self.part_ranges(folded)
            .into_iter()
            .map(|range| folded[range].to_string())
            .collect()
    }

    /// The parts of `head`, the start of a compound whose end the lexicon lacks: its
    /// top-level parts, or itself before a linking `s`, or itself as a word; nothing when the
    /// lexicon knows none of these.
    pub(crate) fn head_parts(&self, head: &str) -> Vec<String> {
        let parts = self.parts(head);
        if !parts.is_empty() {
            return parts;
        }
        match head.strip_suffix('s').filter(|base| self.is_word(base)) {
            Some(base) => vec![base.to_string()],
            None if self.is_word(head) => vec![head.to_string()],
            None => Vec::new(),
        }
    }

    fn split_into(&self, folded: &str, out: &mut Vec<String>, depth: usize) {
        let steps = self.steps(folded);
        let push = |out: &mut Vec<String>, text: &str| {
            if !out.iter().any(|known| known == text) {
                out.push(text.to_string());
            }
        };
        for (i, step) in steps.iter().enumerate() {
            let part = &folded[step.from..step.to];
            push(out, part);
            if depth > 0 && part.len() >= MIN_RESPLIT {
                self.split_into(part, out, depth - 1);
            }
            // Runs of adjacent parts, ending with this one (not the whole word).
            for first in steps[..i].iter() {
                if first.from == 0 && i == steps.len() - 1 {
                    continue;
                }
                push(out, &folded[first.from..step.to]);
            }
        }
    }

    /// The best split of `folded` into at least two parts, or nothing.
    fn steps(&self, folded: &str) -> Vec<Step> {
        // Longer words are never indexed (`MAX_TOKEN_BYTES`), and the work of a split grows
        // with the square of the length: a query word of 2,000 letters took 0.1 s.
        if folded.len() < MIN_WORD
            || folded.len() > super::MAX_TOKEN_BYTES
            || !folded.is_ascii()
            || self.is_whole(folded)
        {
            return Vec::new();
        }
        let n = folded.len();
        let mut best: Vec<Option<Best>> = vec![None; n + 1];
        best[0] = Some(Best {
            cost: 0,
            step: Step {
                from: 0,
                to: 0,
                link_to: 0,
            },
        });
        for from in 0..n {
            let Some(base) = best[from] else {
                continue;
            };
            let longest = n.min(from + MAX_PART);
            for to in (from + 3)..=longest {
                if from == 0 && to == n {
                    continue;
                }
                let part = &folded[from..to];
                let is_last = to == n;
                let Some(entry) = self.entry(part, is_last) else {
                    continue;
                };
                if (is_last && entry.inner_only) || (!is_last && entry.final_only) {
                    continue;
                }
                if part.len() < MIN_PART && !SHORT_PARTS.contains(&part) {
                    continue;
                }
                let needs_s = !is_last && NEEDS_S.iter().any(|suffix| part.ends_with(suffix));
                let part_cost = base.cost + PART_COST + u64::from(entry.rank / RANKS_PER_COST);
                let mut consider = |link_to: usize, link_cost: u64| {
                    let cost = part_cost + link_cost;
                    let step = Step { from, to, link_to };
                    if best[link_to].is_none_or(|known| cost < known.cost) {
                        best[link_to] = Some(Best { cost, step });
                    }
                };
                consider(to, if needs_s { FUGEN_S_COST } else { 0 });
                if !is_last {
                    for link in LINKS {
                        if folded[to..].starts_with(link) && to + link.len() < n {
                            let wrong = if needs_s && *link != "s" {
                                FUGEN_S_COST
                            } else {
                                0
                            };
                            consider(to + link.len(), LINK_COST + wrong);
                        }
                    }
                }
            }
        }
        let mut found_steps = Vec::new();
        let mut at = n;
        while at > 0 {
            let Some(found) = best[at] else {
                return Vec::new();
            };
            found_steps.push(found.step);
            at = found.step.from;
        }
        found_steps.reverse();
        // A long part that is itself a compound is replaced by its parts (`wohnungsbau` as
        // `wohnung-s-bau`), so that every inner compound is a run of adjacent parts.
        let mut steps = Vec::with_capacity(found_steps.len());
        for step in found_steps {
            let part = &folded[step.from..step.to];
            let inner = if part.len() >= MIN_RESPLIT {
                self.inner_steps(part)
            } else {
                Vec::new()
            };
            if inner.is_empty() {
                steps.push(step);
                continue;
            }
            let last = inner.len() - 1;
            steps.extend(inner.iter().enumerate().map(|(i, inner_step)| Step {
                from: step.from + inner_step.from,
                to: step.from + inner_step.to,
                link_to: if i == last {
                    step.link_to
                } else {
                    step.from + inner_step.link_to
                },
            }));
        }
        // The last part ends the word without a linking element; a place-name ending keeps
        // the word whole.
        match steps.last() {
            Some(last)
                if steps.len() >= 2
                    && last.link_to == last.to
                    && !PLACE_ENDINGS.contains(&&folded[last.from..last.to]) =>
            {
                steps
            }
            _ => Vec::new(),
        }
    }

    /// How `part` may be used; a last part may also be an inflected form of a lexicon word
    /// (`satzungen` for `satzung`), ranked a little lower.
    fn entry(&self, part: &str, is_last: bool) -> Option<Entry> {
        if let Some(entry) = self.entries.get(part) {
            return Some(*entry);
        }
        if !is_last || self.not_parts.contains(part) {
            return None;
        }
        INFLECTIONS.iter().find_map(|ending| {
            let base = part.strip_suffix(ending)?;
            let entry = self.entries.get(base)?;
            (base.len() >= MIN_PART && !entry.inner_only).then_some(Entry {
                rank: entry.rank.saturating_add(INFLECTED_RANK),
                ..*entry
            })
        })
    }

    /// The split of a part that is itself a compound, when every one of its parts is more
    /// frequent than it (as Koehn and Knight compare frequencies): `wohnungsbau` splits, but
    /// `studenten` is not `stud` + `enten`.
    fn inner_steps(&self, part: &str) -> Vec<Step> {
        let Some(entry) = self.entries.get(part) else {
            return Vec::new();
        };
        let steps = self.steps(part);
        let all_more_frequent = steps.iter().all(|step| {
            self.entries
                .get(&part[step.from..step.to])
                .is_some_and(|inner| inner.rank < entry.rank)
        });
        if all_more_frequent {
            steps
        } else {
            Vec::new()
        }
    }

    /// Whether `folded` or its base without an inflection ending is never split.
    fn is_whole(&self, folded: &str) -> bool {
        self.whole.contains(folded)
            || ENDINGS.iter().any(|ending| {
                folded
                    .strip_suffix(ending)
                    .is_some_and(|base| self.whole.contains(base))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Table of words (unfolded) and their top-level parts joined by `+` (empty: no split).
    const SPLITS: &[(&str, &str)] = &[
        ("Telearbeitsplätze", "tele+arbeit+plaetze"),
        ("Arbeitsplätze", "arbeit+plaetze"),
        ("Grundschulen", "grund+schulen"),
        ("Schulgebäude", "schul+gebaeude"),
        ("Lärmschutzwänden", "laerm+schutz+waenden"),
        ("Radwegenetzes", "radweg+netzes"),
        ("Gemeinderat", "gemeinde+rat"),
        ("Kongreßhalle", "kongress+halle"),
        ("Bebauungsplan", "bebauung+plan"),
        ("Oberbürgermeister", "ober+buerger+meister"),
        ("Hundesteuer", "hunde+steuer"),
        ("Studentenwohnheim", "studenten+wohn+heim"),
        ("Plagwitz", ""),
        ("Offenburg", ""),
        ("Vorlage", ""),
        ("Beschlussvorlage", "beschluss+vorlage"),
        ("Maßnahmen", ""),
        ("Leipzig", ""),
        ("Karlsruhe", ""),
        ("Vorsitzende", ""),
        ("Bürgerinnen", ""),
        ("Verwaltung", ""),
        ("Schule", ""),
    ];

    #[test]
    fn words_longer_than_an_index_term_are_not_split() {
        // 64 letters of lexicon words split; 68 are longer than any indexed word.
        let fits = "kita".repeat(16);
        assert!(!splitter().part_ranges(&fits).is_empty());
        let too_long = "kita".repeat(17);
        assert!(splitter().part_ranges(&too_long).is_empty());
        assert!(splitter().split(&"cafe".repeat(500)).is_empty());
    }

    #[test]
    fn splits() {
        let mut wrong = Vec::new();
        let mut folded = String::new();
        for (word, expected) in SPLITS {
            fold_exact(word, &mut folded);
            let got = splitter().parts(&folded).join("+");
            if got != *expected {
                wrong.push(format!("{word}: {got} (expected {expected})"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn spellings_restore_the_lexicons_umlauts() {
        assert_eq!(splitter().spelling("aendern"), "ändern");
        assert_eq!(splitter().spelling("aenderungsantrag"), "änderungsantrag");
        assert_eq!(splitter().spelling("israel"), "israel");
    }

    /// The gold list: words and their accepted splits, written as in the file.
    const GOLD: &str = include_str!("../../eval/compounds.tsv");

    /// One accepted split, folded: parts with the linking element after each.
    fn parse_split(split: &str) -> Vec<(String, String)> {
        let mut segments = Vec::new();
        let (mut part, mut link) = (String::new(), String::new());
        for piece in split.split('+') {
            let (core, rest) = piece.split_once('(').unwrap_or((piece, ""));
            fold_exact(core.trim(), &mut part);
            fold_exact(rest.trim_end_matches(')'), &mut link);
            segments.push((part.clone(), link.clone()));
        }
        if segments.len() < 2 {
            segments.clear();
        }
        segments
    }

    /// Where segments (part and link) end: the split points.
    fn boundaries<S: AsRef<str>>(segments: &[(S, S)]) -> Vec<usize> {
        let mut at = 0;
        segments
            .iter()
            .map(|(part, link)| {
                at += part.as_ref().len() + link.as_ref().len();
                at
            })
            .collect()
    }

    /// The held-out gold list (real corpus words, never used for tuning).
    const HELD_OUT: &str = include_str!("../../eval/compounds-heldout.tsv");

    /// Scores the splitter on the gold lists and prints the figures and the misses.
    #[test]
    fn gold_list() {
        let development = score("index/eval/compounds.tsv", GOLD);
        let held_out = score("index/eval/compounds-heldout.tsv", HELD_OUT);
        // Floors just below the measured figures (see README "German analysis").
        assert!(
            development >= 97.0,
            "split accuracy fell: {development:.1}%"
        );
        assert!(
            held_out >= 85.0,
            "held-out split accuracy fell: {held_out:.1}%"
        );
    }

    /// Scores the splitter on one gold list, prints the figures and the misses, and returns
    /// the share of words split at the right points, in percent.
    fn score(name: &str, gold: &str) -> f64 {
        let stemmer = crate::analysis::Stemmer::default();
        let (mut scratch, mut stem) = (String::new(), String::new());
        let mut stem_of = |word: &str| {
            stemmer.stem_cached(word, &mut scratch, &mut stem);
            stem.clone()
        };
        let (mut n_words, mut n_points, mut n_links) = (0, 0, 0);
        let (mut n_compounds, mut n_kept, mut n_whole, mut n_whole_kept) = (0, 0, 0, 0);
        let (mut n_parts, mut n_parts_found) = (0, 0);
        let mut misses = Vec::new();
        let mut folded = String::new();
        for line in gold.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (word, splits) = line.split_once('\t').expect("a tab in every gold line");
            let accepted: Vec<Vec<(String, String)>> =
                splits.split(" | ").map(parse_split).collect();
            fold_exact(word, &mut folded);
            let got = splitter().segments(&folded);
            let got_points = boundaries(&got);
            let right_points = accepted.iter().any(|gold| boundaries(gold) == got_points);
            let right_links = accepted.iter().any(|gold| {
                gold.len() == got.len()
                    && gold
                        .iter()
                        .zip(&got)
                        .all(|((part, link), (got_part, got_link))| {
                            part == got_part && link == got_link
                        })
            });
            n_words += 1;
            n_points += usize::from(right_points);
            n_links += usize::from(right_links);
            if accepted[0].is_empty() {
                n_whole += 1;
                n_whole_kept += usize::from(got.is_empty());
            } else {
                n_compounds += 1;
                n_kept += usize::from(got.is_empty());
                // Search needs every part of the finest accepted split among the tokens.
                let finest = accepted
                    .iter()
                    .max_by_key(|gold| gold.len())
                    .expect("a split");
                let found: Vec<String> = splitter()
                    .split(&folded)
                    .iter()
                    .map(|part| stem_of(part))
                    .collect();
                for (part, _) in finest {
                    n_parts += 1;
                    n_parts_found += usize::from(found.contains(&stem_of(part)));
                }
            }
            if !right_points {
                let rendered: Vec<String> = got
                    .iter()
                    .map(|(part, link)| {
                        if link.is_empty() {
                            part.to_string()
                        } else {
                            format!("{part}({link})")
                        }
                    })
                    .collect();
                misses.push(format!(
                    "{word}: got {:?}, expected {splits}",
                    rendered.join("+")
                ));
            }
        }
        let share = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
        eprintln!("compound gold list ({n_words} words, {name}):");
        eprintln!(
            "  split points right: {n_points}/{n_words} ({:.1}%), with linking elements: {n_links}/{n_words} ({:.1}%)",
            share(n_points, n_words),
            share(n_links, n_words)
        );
        eprintln!(
            "  compounds left whole: {n_kept}/{n_compounds}; words that must stay whole kept: {n_whole_kept}/{n_whole}",
        );
        eprintln!(
            "  gold parts among the index tokens (by stem): {n_parts_found}/{n_parts} ({:.1}%)",
            share(n_parts_found, n_parts)
        );
        for miss in &misses {
            eprintln!("  miss: {miss}");
        }
        share(n_points, n_words)
    }

    #[test]
    fn inner_compounds_are_listed() {
        let parts = splitter().split("telearbeitsplaetze");
        for expected in ["tele", "plaetze", "telearbeit", "arbeitsplaetze", "arbeit"] {
            assert!(parts.iter().any(|part| part == expected), "{parts:?}");
        }
        assert!(!parts.iter().any(|part| part == "telearbeitsplaetze"));
    }
}
