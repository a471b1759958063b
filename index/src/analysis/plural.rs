//! The -s endings that the German Snowball stemmer keeps: `Kitas`, `Autos`, `Laptops`.
//!
//! Snowball removes a final `s` only after `b d f g h k l m n r t`, so the plural and genitive
//! of nouns ending in a vowel, `p`, `v`, `w` or `c` keep it and miss their singular (a search
//! for `Kita` would not find `Kitas`). A shipped list (`index/data/plural-s.txt`, written by
//! `index/data/make-plural-s.py` from the wordfreq lexicon, reviewed) names the nouns that
//! take such an `-s`; the ending is stripped when the rest is one of them, or ends in one
//! after a head of at least three letters (`Elektroautos`, `Überwachungskameras`). Other
//! words keep their `s`: `Haus`, `Ergebnis`, `Andreas`, `Mais`.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::hash::FxHasher;

/// The list: lowercase nouns, one per line; `#` lines are comments.
const LIST: &str = include_str!("../../data/plural-s.txt");

/// Letters after which Snowball keeps a final `s` (and after which the list's words end).
const KEPT_AFTER: &[char] = &['a', 'i', 'o', 'u', 'y', 'ä', 'ö', 'ü', 'p', 'v', 'w', 'c'];

/// Shortest noun at the end of a compound, in characters.
const MIN_TAIL_CHARS: usize = 4;
/// Shortest head before such a noun, in characters.
const MIN_HEAD_CHARS: usize = 3;

type Nouns = HashSet<&'static str, std::hash::BuildHasherDefault<FxHasher>>;

/// The nouns of the list, loaded on first use.
fn nouns() -> &'static Nouns {
    static NOUNS: OnceLock<Nouns> = OnceLock::new();
    NOUNS.get_or_init(|| super::list_entries(LIST).collect())
}

/// Returns `lowercase` without its final `s` when that `s` is the plural or genitive ending of
/// a listed noun that Snowball would keep.
pub(crate) fn strip_s(lowercase: &str) -> Option<&str> {
    let base = lowercase.strip_suffix('s')?;
    if !base.ends_with(KEPT_AFTER) {
        return None;
    }
    let nouns = nouns();
    if nouns.contains(base) {
        return Some(base);
    }
    // A compound ending in a listed noun: try the tails, longest first.
    let chars = base.chars().count();
    if chars < MIN_HEAD_CHARS + MIN_TAIL_CHARS {
        return None;
    }
    base.char_indices()
        .skip(MIN_HEAD_CHARS)
        .take(chars - MIN_HEAD_CHARS - MIN_TAIL_CHARS + 1)
        .any(|(at, _)| nouns.contains(&base[at..]))
        .then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_and_genitive_s_of_listed_nouns_goes() {
        for (word, base) in [
            ("kitas", "kita"),
            ("autos", "auto"),
            ("laptops", "laptop"),
            ("handys", "handy"),
            ("büros", "büro"),
            ("archivs", "archiv"),
            ("interviews", "interview"),
            ("lkws", "lkw"),
            ("elektroautos", "elektroauto"),
            ("dienstlaptops", "dienstlaptop"),
            ("überwachungskameras", "überwachungskamera"),
        ] {
            assert_eq!(strip_s(word), Some(base), "{word}");
        }
    }

    #[test]
    fn other_words_keep_their_s() {
        for word in [
            // Snowball's own business (s after t, r, n) or no s at all.
            "radwegs",
            "kurs",
            "kita",
            "s",
            "",
            // A final s that is part of the word.
            "haus",
            "rathaus",
            "ergebnis",
            "kreis",
            "landkreis",
            "bus",
            "status",
            "atlas",
            "gas",
            // Another word, not an inflection of the listed one.
            "andreas",
            "klaus",
            "thomas",
            "lukas",
            "mais",
            "etwas",
        ] {
            assert_eq!(strip_s(word), None, "{word}");
        }
    }

    #[test]
    fn the_list_is_lowercase_and_ends_where_snowball_keeps_the_s() {
        let nouns = nouns();
        assert!(nouns.len() > 1_000, "{} nouns", nouns.len());
        for noun in nouns {
            assert_eq!(noun.to_lowercase(), *noun);
            assert!(noun.ends_with(KEPT_AFTER), "{noun}");
        }
    }
}
