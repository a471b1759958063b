//! Words whose final `s` belongs to the word: `Kurs`, `Zins`, `Impuls`, `Nachwuchs`.
//!
//! Snowball removes a final `s` after `b d f g h k l m n r t` as a genitive ending, from the
//! base form only: `Kurs` gives `kur`, while `Kurse`, `Kurses` and `Kursen` give `kurs`, so a
//! search for `Sprachkurs` missed `Sprachkurse`. A shipped list (`index/data/stem-s.txt`,
//! chosen by hand) names such words. A word that is one of them, or a compound ending in one
//! (`Sprachkurs`, `Leitzins`), is stemmed as its `-e` form, which keeps the `s`. A compound
//! whose letters before the `s` end in a longer word of the lexicon is that word's genitive
//! and is left to Snowball: `Magazins` is `Magazin`, `Hannovers` is `Hannover`.

use std::sync::OnceLock;

use super::compound::splitter;
use super::german::folded_lowercase;
use super::FoldedWords;

/// The list: lowercase words, one per line; `#` lines are comments.
const LIST: &str = include_str!("../../data/stem-s.txt");

/// Letters after which Snowball removes a final `s`.
const STRIPPED_AFTER: &[char] = &['b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'r', 't'];

/// Shortest listed word, in bytes (folded).
const MIN_WORD: usize = 4;

/// The words of the list in their folded form (`gewaechs`), loaded on first use.
fn words() -> &'static FoldedWords {
    static WORDS: OnceLock<FoldedWords> = OnceLock::new();
    WORDS.get_or_init(|| super::folded_entries(LIST))
}

/// Whether the final `s` of `lowercase` belongs to the word, so that its stem must keep it.
pub(crate) fn keeps_s(lowercase: &str) -> bool {
    let Some(base) = lowercase.strip_suffix('s') else {
        return false;
    };
    if !base.ends_with(STRIPPED_AFTER) || lowercase.len() < MIN_WORD {
        return false;
    }
    let mut scratch = String::new();
    let word = folded_lowercase(lowercase, &mut scratch);
    let words = words();
    if words.contains(word) {
        return true;
    }
    let base = &word[..word.len() - 1];
    let lexicon = splitter();
    // The longest listed word the compound ends in; a genitive when the letters before its
    // `s` end in a longer word of the lexicon.
    word.char_indices()
        .skip(1)
        .map(|(at, _)| at)
        .filter(|&at| word.len() - at >= MIN_WORD)
        .find(|&at| words.contains(&word[at..]))
        .is_some_and(|tail| {
            !(0..tail)
                .filter(|&at| base.is_char_boundary(at))
                .any(|at| lexicon.is_word(&base[at..]))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_words_and_their_compounds_keep_their_s() {
        for word in [
            "kurs",
            "sprachkurs",
            "integrationskurs",
            "zins",
            "leitzins",
            "erbbauzins",
            "nachwuchs",
            "zuwachs",
            "bevölkerungszuwachs",
            "impuls",
            "krebs",
            "gewächs",
            "gewaechs",
            "konsens",
        ] {
            assert!(keeps_s(word), "{word}");
        }
    }

    #[test]
    fn genitives_and_other_words_do_not() {
        for word in [
            // Genitives of lexicon words that end in a listed word without its s.
            "magazins",
            "stadtmagazins",
            "benzins",
            "hannovers",
            "zweifels",
            "teufels",
            "organs",
            "slogans",
            // Not listed.
            "betriebs",
            "rats",
            "tags",
            "dachs",
            "kur",
            "kurse",
            "haus",
            "s",
            "",
        ] {
            assert!(!keeps_s(word), "{word}");
        }
    }

    #[test]
    fn the_list_is_sorted_lowercase_and_without_duplicates() {
        let entries: Vec<&str> = super::super::list_entries(LIST).collect();
        assert!(entries.windows(2).all(|pair| pair[0] < pair[1]), "sorted");
        assert!(entries
            .iter()
            .all(|word| word.ends_with('s') && *word == word.to_lowercase()));
    }
}
