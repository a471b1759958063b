//! Nouns that the German Snowball stemmer cuts to the stem of an unrelated word: `Träger`
//! (provider) and `tragen` both give `trag`, `Messer` and `Messe` both `mess`, `Meister` and
//! `meisten` both `meist`. A shipped list (`index/data/stem-exceptions.txt`, chosen by hand)
//! names them; such a noun and its inflected forms get the noun itself as their stem.

use std::sync::OnceLock;

use super::german::folded_lowercase;
use super::FoldedWords;

/// The list: lowercase nouns, one per line; `#` lines are comments.
const LIST: &str = include_str!("../../data/stem-exceptions.txt");

/// Endings of the listed nouns' forms, longest first: plural and dative (`Trägern`),
/// genitive (`Trägers`), the feminine (`Lehrerin`, `Lehrerinnen`).
const ENDINGS: &[&str] = &["innen", "in", "ns", "n", "s", ""];

/// The nouns of the list in their folded form (`traeger`), loaded on first use.
fn nouns() -> &'static FoldedWords {
    static NOUNS: OnceLock<FoldedWords> = OnceLock::new();
    NOUNS.get_or_init(|| super::folded_entries(LIST))
}

/// The listed noun, folded, that `lowercase` is a form of, if any: `traeger` for `trägern`.
pub(crate) fn protected(lowercase: &str) -> Option<&'static str> {
    if !lowercase.ends_with(['r', 'n', 's']) {
        return None;
    }
    let mut scratch = String::new();
    let word = folded_lowercase(lowercase, &mut scratch);
    let nouns = nouns();
    ENDINGS.iter().find_map(|ending| {
        let base = word.strip_suffix(ending)?;
        nouns.get(base).map(String::as_str)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_listed_nouns_are_protected() {
        for (word, noun) in [
            ("träger", "traeger"),
            ("trägern", "traeger"),
            ("trägers", "traeger"),
            ("traeger", "traeger"),
            ("lehrerin", "lehrer"),
            ("lehrerinnen", "lehrer"),
            ("meisters", "meister"),
        ] {
            assert_eq!(protected(word), Some(noun), "{word}");
        }
        for word in [
            "tragen", "trage", "messe", "meisten", "lage", "bau", "fahrer", "rolle",
        ] {
            assert_eq!(protected(word), None, "{word}");
        }
    }

    #[test]
    fn the_list_is_sorted_lowercase_and_without_duplicates() {
        let words: Vec<&str> = super::super::list_entries(LIST).collect();
        assert!(words.windows(2).all(|pair| pair[0] < pair[1]), "{words:?}");
        assert!(words
            .iter()
            .all(|word| word.chars().all(char::is_lowercase)));
    }
}
