//! Stems whose umlaut tells two words apart. Snowball removes the umlauts of every stem, so
//! that `Anträge` finds `Antrag`; for `Förderung` (funding) and `Forderung` (demand),
//! `zählen` and `zahlen`, `Fläche` and `flach` that makes two words one. A shipped list
//! (`index/data/umlaut-stems.txt`, chosen by hand) names such stems; a word that contains
//! one keeps its umlauts in its stem.

use std::sync::OnceLock;

use super::german::folded;

/// The list: lowercase stems with their umlauts, one per line; `#` lines are comments.
const LIST: &str = include_str!("../../data/umlaut-stems.txt");

/// A listed stem: with its umlauts and folded as typed without them (`förder`, `foerder`),
/// and the longer stems, in both spellings, inside which it does not count (`chör` for `hör`:
/// `Chöre` is the plural of `Chor`, not a form of `hören`).
struct Listed {
    stem: &'static str,
    spelled: String,
    not_within: Vec<(&'static str, String)>,
}

/// The listed stems (`hör -chör`: the stem, then the stems it does not count within, each
/// after a `-`).
fn stems() -> &'static [Listed] {
    static STEMS: OnceLock<Vec<Listed>> = OnceLock::new();
    STEMS.get_or_init(|| {
        super::list_entries(LIST)
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let stem = words.next()?;
                let not_within = words
                    .filter_map(|word| word.strip_prefix('-'))
                    .map(|longer| (longer, folded(longer)))
                    .collect();
                Some(Listed {
                    stem,
                    spelled: folded(stem),
                    not_within,
                })
            })
            .collect()
    })
}

/// Whether `word` holds `stem` other than inside one of the `not_within` stems.
fn holds<'a>(word: &str, stem: &str, not_within: impl Iterator<Item = &'a str>) -> bool {
    if !word.contains(stem) {
        return false;
    }
    let mut rest = std::borrow::Cow::Borrowed(word);
    for longer in not_within {
        if rest.contains(longer) {
            rest = std::borrow::Cow::Owned(rest.replace(longer, " "));
        }
    }
    rest.contains(stem)
}

/// Whether the umlauts of `lowercase` stay in its stem: it contains a listed stem, with its
/// umlauts or spelled out (`Foerderung`). Called for every word the stem cache misses, so
/// words without an umlaut or a spelled-out one (most) are ruled out first.
pub(crate) fn keeps_umlauts(lowercase: &str) -> bool {
    let bytes = lowercase.as_bytes();
    if !lowercase.is_ascii()
        && stems().iter().any(|listed| {
            let not_within = listed.not_within.iter().map(|(longer, _)| *longer);
            holds(lowercase, listed.stem, not_within)
        })
    {
        return true;
    }
    let spelled_out = bytes
        .windows(2)
        .any(|pair| pair[1] == b'e' && matches!(pair[0], b'a' | b'o' | b'u'));
    spelled_out
        && stems().iter().any(|listed| {
            let not_within = listed.not_within.iter().map(|(_, longer)| longer.as_str());
            holds(lowercase, &listed.spelled, not_within)
        })
}

/// `word` with ae, oe and ue written as umlauts, as Snowball reads them (not ue after q).
fn umlauts_of(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut previous = None;
    let mut letters = word.chars().peekable();
    while let Some(letter) = letters.next() {
        let umlaut = match (letter, letters.peek()) {
            ('a', Some('e')) => Some('ä'),
            ('o', Some('e')) => Some('ö'),
            ('u', Some('e')) if previous != Some('q') => Some('ü'),
            _ => None,
        };
        match umlaut {
            Some(umlaut) => {
                letters.next();
                out.push(umlaut);
                previous = Some(umlaut);
            }
            None => {
                out.push(letter);
                previous = Some(letter);
            }
        }
    }
    out
}

/// `stem` (Snowball's stem of `word`, without umlauts, `ß` written `ss`) with the umlauts of
/// `word` put back where they were: `forder` of `förderung` becomes `förder`. Snowball only
/// cuts endings, so the stem follows the word letter by letter; where it does not (an input
/// Snowball changed otherwise), the stem is returned as it is. Umlauts spelled out in `word`
/// count as umlauts (`foerderung`), as they do for Snowball.
pub(crate) fn restore(word: &str, stem: &str) -> String {
    let word = umlauts_of(word);
    let mut out = String::with_capacity(stem.len() + 2);
    let mut letters = word.chars();
    let mut rest = stem;
    while let Some(expected) = rest.chars().next() {
        let Some(letter) = letters.next() else {
            return stem.to_owned();
        };
        let taken = match (letter, expected) {
            _ if letter == expected => letter.len_utf8(),
            ('ä', 'a') | ('ö', 'o') | ('ü', 'u') => 1,
            ('ß', 's') if rest.starts_with("ss") => 2,
            _ => return stem.to_owned(),
        };
        out.push(letter);
        rest = &rest[taken..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_return_to_where_the_word_had_them() {
        for (word, stem, restored) in [
            ("förderung", "forder", "förder"),
            ("gefördert", "gefordert", "gefördert"),
            ("zählungen", "zahlung", "zählung"),
            ("foerderung", "forder", "förder"),
            ("quellenfoerderung", "quellenforder", "quellenförder"),
            ("straßenführung", "strassenfuhrung", "straßenführung"),
            // A stem that does not follow the word stays as Snowball wrote it.
            ("förderung", "xyz", "xyz"),
            ("för", "forder", "forder"),
        ] {
            assert_eq!(restore(word, stem), restored, "{word}");
        }
    }

    #[test]
    fn only_words_with_a_listed_stem_keep_their_umlauts() {
        for word in [
            "förderung",
            "wirtschaftsförderung",
            "foerderung",
            "zähler",
            "flächen",
            "einführung",
        ] {
            assert!(keeps_umlauts(word), "{word}");
        }
        for word in ["forderung", "anträge", "räume", "zahlung", "antraege"] {
            assert!(!keeps_umlauts(word), "{word}");
        }
        // `hör` counts, but not inside `chör`: `Chöre` is `Chor`, `Anhörung` keeps its umlaut.
        for word in ["hört", "anhörung", "anhoerung", "chorhörer"] {
            assert!(keeps_umlauts(word), "{word}");
        }
        for word in ["chöre", "kinderchören", "choere"] {
            assert!(!keeps_umlauts(word), "{word}");
        }
    }

    #[test]
    fn the_list_is_sorted_lowercase_and_without_duplicates() {
        let stems: Vec<&str> = stems().iter().map(|listed| listed.stem).collect();
        assert!(stems.windows(2).all(|pair| pair[0] < pair[1]), "{stems:?}");
        assert!(stems
            .iter()
            .all(|stem| stem.chars().all(char::is_lowercase) && !stem.is_ascii()));
    }
}
