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
use std::collections::HashMap;
use std::sync::OnceLock;

use super::german::fold_exact;

/// The lexicon, most frequent words first; `#` lines are comments.
const LEXICON: &str = include_str!("../../data/compound-lexicon.txt");

/// Linking elements that may follow a non-final part, longest first.
const LINKS: &[&str] = &["ens", "es", "en", "er", "s", "n", "e"];

/// Three-letter words that may be parts (longer words come from the lexicon).
const SHORT_PARTS: &[&str] = &[
    "amt", "art", "bad", "bau", "bus", "eis", "gas", "hof", "kai", "oel", "ort", "rad", "rat",
    "see", "tag", "tor", "uhr", "weg", "zug", "zoo",
];

/// Words of the lexicon that are never parts: prefixes, suffixes and function words that
/// would cut words into junk (`unter+richt`, `buerger+innen`, `gesell+schaft`).
const NEVER_PARTS: &[&str] = &[
    "aber", "alle", "allem", "allen", "aller", "auch", "bare", "dass", "dies", "durch", "eine",
    "einem", "einen", "einer", "eines", "gegen", "haft", "heit", "hinter", "ihre", "ihren",
    "innen", "isch", "keit", "lich", "nach", "nahme", "nahmen", "nicht", "noch", "oder", "rinnen",
    "schaft", "schaften", "sein", "seine", "sich", "sind", "ueber", "unter", "wenn", "wider",
    "wird",
];

/// Lexicalised words and names never split, in folded form (inflected forms are found by
/// stripping endings): `Vorlage` is not `vor+lage`, `Karlsruhe` not `karls+ruhe`.
const NEVER_SPLIT: &[&str] = &[
    "augsburg",
    "beispiel",
    "bereitschaft",
    "berlin",
    "dresden",
    "eigentum",
    "freiburg",
    "gesellschaft",
    "grundlage",
    "hamburg",
    "hannover",
    "haushalt",
    "heidelberg",
    "heilbronn",
    "karlsruhe",
    "landschaft",
    "leipzig",
    "magdeburg",
    "mannheim",
    "mannschaft",
    "massnahme",
    "mitglied",
    "nachbarschaft",
    "nuernberg",
    "ordnung",
    "stellungnahme",
    "unterricht",
    "unternehmen",
    "unternehmer",
    "verwaltung",
    "vorlage",
    "vorsitzende",
    "vorsitzender",
    "wiesbaden",
    "wirtschaft",
];

/// Endings stripped to find the base of an inflected word in [`NEVER_SPLIT`].
const ENDINGS: &[&str] = &["innen", "nen", "ern", "en", "er", "es", "e", "n", "s"];

/// Suffixes after which a non-final part needs the Fugen-s (`ordnung-s-amt`).
const NEEDS_S: &[&str] = &[
    "ung", "heit", "keit", "schaft", "ion", "taet", "ling", "tum",
];

/// Shortest word considered for splitting, in bytes.
const MIN_WORD: usize = 6;
/// Shortest part from the lexicon, in bytes.
const MIN_PART: usize = 4;
/// Parts at least this long are split again.
const MIN_RESPLIT: usize = 8;
/// Words longer than this (in bytes) are not split.
const MAX_WORD: usize = 40;
/// Entries kept in a thread's split cache before it is cleared.
const CACHE_LIMIT: usize = 100_000;

/// The compound splitter with its lexicon.
pub(crate) struct Splitter {
    /// Folded word to frequency rank (0 = most frequent).
    ranks: HashMap<String, u32>,
}

/// The splitter shared by all analyzers, loaded on first use.
pub(crate) fn splitter() -> &'static Splitter {
    static SPLITTER: OnceLock<Splitter> = OnceLock::new();
    SPLITTER.get_or_init(Splitter::load)
}

thread_local! {
    /// Splits already computed on this thread.
    static CACHE: RefCell<HashMap<String, Vec<String>>> = RefCell::new(HashMap::new());
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
        let mut ranks = HashMap::new();
        let mut folded = String::new();
        let mut rank = 0u32;
        for line in LEXICON.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            fold_exact(line, &mut folded);
            ranks.entry(folded.clone()).or_insert(rank);
            rank += 1;
        }
        for word in SHORT_PARTS {
            ranks.entry((*word).to_string()).or_insert(0);
        }
        for word in NEVER_PARTS {
            ranks.remove(*word);
        }
        Splitter { ranks }
    }

    /// Returns the parts and inner compounds of `folded` (an exact folded word), or nothing
    /// when it is not a compound. Cached per thread.
    pub(crate) fn split_cached(&self, folded: &str) -> Vec<String> {
        if folded.len() < MIN_WORD || folded.len() > MAX_WORD || !folded.is_ascii() {
            return Vec::new();
        }
        CACHE.with_borrow_mut(|cache| {
            if let Some(found) = cache.get(folded) {
                return found.clone();
            }
            let found = self.split(folded);
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(folded.to_string(), found.clone());
            found
        })
    }

    /// Like [`Splitter::split_cached`], without the cache.
    pub(crate) fn split(&self, folded: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.split_into(folded, &mut out, true);
        out.retain(|part| part != folded);
        out
    }

    /// The top-level parts of `folded` (no inner compounds), or nothing.
    pub(crate) fn parts(&self, folded: &str) -> Vec<String> {
        self.steps(folded)
            .iter()
            .map(|step| folded[step.from..step.to].to_string())
            .collect()
    }

    fn split_into(&self, folded: &str, out: &mut Vec<String>, resplit: bool) {
        let steps = self.steps(folded);
        let push = |out: &mut Vec<String>, text: &str| {
            if !out.iter().any(|known| known == text) {
                out.push(text.to_string());
            }
        };
        for (i, step) in steps.iter().enumerate() {
            let part = &folded[step.from..step.to];
            push(out, part);
            if resplit && part.len() >= MIN_RESPLIT {
                self.split_into(part, out, false);
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
        if folded.len() < MIN_WORD || !folded.is_ascii() || self.is_never_split(folded) {
            return Vec::new();
        }
        let n = folded.len();
        let mut best: Vec<Option<Best>> = vec![None; n + 1];
        let start = Best {
            cost: 0,
            step: Step {
                from: 0,
                to: 0,
                link_to: 0,
            },
        };
        for from in 0..n {
            let base = if from == 0 { Some(start) } else { best[from] };
            let Some(base) = base else {
                continue;
            };
            for to in (from + 3)..=n {
                let part = &folded[from..to];
                // A part may also drop its final `e` (`Schul-gebäude` from `Schule`).
                let rank = match self.ranks.get(part) {
                    Some(&rank) => rank,
                    None if to < n => match self.ranks.get(&format!("{part}e")) {
                        Some(&rank) => rank.saturating_add(2_000),
                        None => continue,
                    },
                    None => continue,
                };
                if part.len() < MIN_PART && !SHORT_PARTS.contains(&part) {
                    continue;
                }
                if from == 0 && to == n {
                    continue;
                }
                let needs_s = NEEDS_S.iter().any(|suffix| part.ends_with(suffix));
                let mut consider = |link_to: usize, link_cost: u64| {
                    let cost = base.cost + 1_000 + link_cost + u64::from(rank / 1_000);
                    let step = Step { from, to, link_to };
                    if best[link_to].is_none_or(|known| cost < known.cost) {
                        best[link_to] = Some(Best { cost, step });
                    }
                };
                let missing_s = if needs_s && to < n { 50 } else { 0 };
                consider(to, missing_s);
                if to < n {
                    for link in LINKS {
                        if folded[to..].starts_with(link) && to + link.len() < n {
                            let wrong = if needs_s && *link != "s" { 50 } else { 0 };
                            consider(to + link.len(), 10 + wrong);
                        }
                    }
                }
            }
        }
        let mut steps = Vec::new();
        let mut at = n;
        while at > 0 {
            let Some(found) = best[at] else {
                return Vec::new();
            };
            steps.push(found.step);
            at = found.step.from;
        }
        steps.reverse();
        // The last part ends the word without a linking element.
        if steps.len() < 2 || steps.last().is_some_and(|step| step.link_to != step.to) {
            return Vec::new();
        }
        steps
    }

    /// Whether `folded` or its base without an inflection ending is never split.
    fn is_never_split(&self, folded: &str) -> bool {
        NEVER_SPLIT.contains(&folded)
            || ENDINGS.iter().any(|ending| {
                folded
                    .strip_suffix(ending)
                    .is_some_and(|base| NEVER_SPLIT.contains(&base))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Table of words (unfolded) and their top-level parts joined by `+` (empty: no split).
    const SPLITS: &[(&str, &str)] = &[
        ("Telearbeitsplätze", "tele+arbeits+plaetze"),
        ("Grundschulen", "grund+schulen"),
        ("Schulgebäude", "schul+gebaeude"),
        ("Lärmschutzwänden", "laerm+schutz+waenden"),
        ("Radwegenetzes", "radwege+netzes"),
        ("Gemeinderat", "gemeinde+rat"),
        ("Kongreßhalle", "kongress+halle"),
        ("Bebauungsplan", "bebauung+plan"),
        ("Oberbürgermeister", "ober+buerger+meister"),
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
    fn inner_compounds_are_listed() {
        let parts = splitter().split("telearbeitsplaetze");
        for expected in [
            "tele",
            "arbeits",
            "plaetze",
            "telearbeits",
            "arbeitsplaetze",
        ] {
            assert!(parts.iter().any(|part| part == expected), "{parts:?}");
        }
        assert!(!parts.iter().any(|part| part == "telearbeitsplaetze"));
    }
}
