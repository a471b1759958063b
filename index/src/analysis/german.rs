//! German word normalisation: case and umlaut folding, stop words and Snowball stemming.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// German function words left out of the stemmed fields.
///
/// Written for council text: unlike Snowball's list it keeps `nicht`, `kein…`, `ohne`,
/// `gegen` and `weg` (they carry meaning: "nicht öffentlich", "Am Weg") and the modal verbs,
/// and it adds `dass`. Sorted, lowercase, with umlauts and ß, because the check runs before
/// folding.
const STOP_WORDS: &[&str] = &[
    "aber",
    "alle",
    "allem",
    "allen",
    "aller",
    "alles",
    "als",
    "also",
    "am",
    "an",
    "ander",
    "andere",
    "anderem",
    "anderen",
    "anderer",
    "anderes",
    "auch",
    "auf",
    "aus",
    "bei",
    "bin",
    "bis",
    "bist",
    "da",
    "damit",
    "dann",
    "das",
    "dass",
    "dasselbe",
    "daß",
    "dein",
    "deine",
    "dem",
    "demselben",
    "den",
    "denn",
    "denselben",
    "der",
    "derer",
    "derselbe",
    "derselben",
    "des",
    "desselben",
    "dessen",
    "dich",
    "die",
    "dies",
    "diese",
    "dieselbe",
    "dieselben",
    "diesem",
    "diesen",
    "dieser",
    "dieses",
    "dir",
    "doch",
    "dort",
    "du",
    "durch",
    "ein",
    "eine",
    "einem",
    "einen",
    "einer",
    "eines",
    "einig",
    "einige",
    "einigem",
    "einigen",
    "einiger",
    "einiges",
    "er",
    "es",
    "etwas",
    "euch",
    "euer",
    "eure",
    "für",
    "hab",
    "habe",
    "haben",
    "hat",
    "hatte",
    "hatten",
    "hier",
    "hin",
    "hinter",
    "ich",
    "ihm",
    "ihn",
    "ihnen",
    "ihr",
    "ihre",
    "ihrem",
    "ihren",
    "ihrer",
    "ihres",
    "im",
    "in",
    "indem",
    "ins",
    "ist",
    "jede",
    "jedem",
    "jeden",
    "jeder",
    "jedes",
    "jene",
    "jenem",
    "jenen",
    "jener",
    "jenes",
    "jetzt",
    "man",
    "manche",
    "manchem",
    "manchen",
    "mancher",
    "manches",
    "mein",
    "meine",
    "mich",
    "mir",
    "mit",
    "nach",
    "noch",
    "nun",
    "nur",
    "ob",
    "oder",
    "sehr",
    "sein",
    "seine",
    "seinem",
    "seinen",
    "seiner",
    "seines",
    "selbst",
    "sich",
    "sie",
    "sind",
    "so",
    "solche",
    "solchem",
    "solchen",
    "solcher",
    "solches",
    "sondern",
    "sonst",
    "um",
    "und",
    "uns",
    "unser",
    "unsere",
    "unter",
    "vom",
    "von",
    "vor",
    "war",
    "waren",
    "warst",
    "was",
    "weil",
    "welche",
    "welchem",
    "welchen",
    "welcher",
    "welches",
    "wenn",
    "werde",
    "werden",
    "wie",
    "wieder",
    "wir",
    "wird",
    "wirst",
    "wo",
    "zu",
    "zum",
    "zur",
    "zwar",
    "zwischen",
    "über",
];

/// Whether `lowercase` (lowercased, not folded) is a stop word.
pub(crate) fn is_stop_word(lowercase: &str) -> bool {
    STOP_WORDS.binary_search(&lowercase).is_ok()
}

/// Writes the exact form of `raw` into `out`: lowercase, `ä ö ü ß` as `ae oe ue ss`, other
/// accents removed, soft hyphens dropped, hyphen variants as `-`.
pub(crate) fn fold_exact(raw: &str, out: &mut String) {
    out.clear();
    if raw.is_ascii() {
        out.extend(raw.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    for c in composed(raw).chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match c {
            '\u{AD}' => {}
            '\u{2010}' | '\u{2011}' => out.push('-'),
            _ => c.to_lowercase().for_each(|lower| push_folded(lower, out)),
        }
    }
}

/// Writes `raw` lowercased into `out`, keeping umlauts and ß for the stemmer.
pub(crate) fn lowercase(raw: &str, out: &mut String) {
    out.clear();
    if raw.is_ascii() {
        out.extend(raw.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    for c in composed(raw).chars() {
        match c {
            '\u{AD}' => {}
            '\u{2010}' | '\u{2011}' => out.push('-'),
            _ => out.extend(c.to_lowercase()),
        }
    }
}

/// Returns `raw` in NFC when it holds combining marks (text that skipped [`clean_text`]).
///
/// [`clean_text`]: crate::analysis::clean_text
fn composed(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.chars().any(is_combining_mark) {
        std::borrow::Cow::Owned(raw.nfc().collect())
    } else {
        std::borrow::Cow::Borrowed(raw)
    }
}

/// Pushes the folded form of one lowercase character.
fn push_folded(c: char, out: &mut String) {
    match c {
        'ä' | 'æ' => out.push_str("ae"),
        'ö' | 'œ' => out.push_str("oe"),
        'ü' => out.push_str("ue"),
        'ß' => out.push_str("ss"),
        'ø' => out.push('o'),
        'ł' => out.push('l'),
        'đ' => out.push('d'),
        'ı' => out.push('i'),
        _ if c.is_ascii() => out.push(c),
        _ => decompose_canonical(c, |part| {
            if !is_combining_mark(part) {
                out.push(part);
            }
        }),
    }
}

/// Stems German words with Snowball (frostem) and folds what remains.
#[derive(Clone, Copy)]
pub(crate) struct Stemmer {
    snowball: frostem::Stemmer,
}

impl Default for Stemmer {
    fn default() -> Stemmer {
        Stemmer {
            snowball: frostem::Stemmer::new(frostem::Algorithm::German),
        }
    }
}

impl Stemmer {
    /// Writes the stem of `raw` into `out` and returns true, or returns false for a stop
    /// word. Words with digits are not stemmed, only folded.
    pub(crate) fn stem(&self, raw: &str, scratch: &mut String, out: &mut String) -> bool {
        lowercase(raw, scratch);
        if is_stop_word(scratch) {
            return false;
        }
        if scratch.chars().any(|c| c.is_numeric()) {
            fold_exact(scratch, out);
            return true;
        }
        let stem = self.snowball.stem(scratch);
        // Snowball leaves no umlauts in German stems, but foreign accents (é) stay.
        fold_exact(&stem, out);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_exact(input: &str, expected: &str) {
        let mut out = String::new();
        fold_exact(input, &mut out);
        assert_eq!(out, expected, "input: {input:?}");
    }

    fn check_stem(input: &str, expected: Option<&str>) {
        let (mut scratch, mut out) = (String::new(), String::new());
        let stemmed = Stemmer::default().stem(input, &mut scratch, &mut out);
        assert_eq!(
            stemmed.then_some(out.as_str()),
            expected,
            "input: {input:?}"
        );
    }

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn exact_forms() {
        check_exact("Kongreßhalle", "kongresshalle");
        check_exact("Kongresshalle", "kongresshalle");
        check_exact("Müller", "mueller");
        check_exact("MÜLLER", "mueller");
        check_exact("Mueller", "mueller");
        check_exact("Gebu\u{308}hren", "gebuehren");
        check_exact("Stra\u{AD}ße", "strasse");
        check_exact("Café", "cafe");
        check_exact("Łódź", "lodz");
        check_exact("VII‑F‑01504", "vii-f-01504");
        check_exact("ẞ", "ss");
    }

    #[test]
    fn stems() {
        check_stem("Kongreßhalle", Some("kongresshall"));
        check_stem("Kongresshalle", Some("kongresshall"));
        check_stem("Müller", Some("mull"));
        check_stem("Mueller", Some("mull"));
        check_stem("Telearbeit", Some("telearbeit"));
        check_stem("telearbeiten", Some("telearbeit"));
        check_stem("Häuser", Some("haus"));
        check_stem("Haus", Some("haus"));
        check_stem("nicht", Some("nicht"));
        check_stem("öffentlich", Some("offent"));
        check_stem("Weg", Some("weg"));
        check_stem("der", None);
        check_stem("Über", None);
        check_stem("dass", None);
        check_stem("2020er", Some("2020er"));
        check_stem("01504", Some("01504"));
    }
}
