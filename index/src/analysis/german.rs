//! German word normalisation: case and umlaut folding, stop words and Snowball stemming.

use std::cell::RefCell;
use std::hash::Hasher;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

use crate::hash::FxHasher;

/// German function words left out of the stemmed fields.
///
/// Written for council text: unlike Snowball's list it keeps `nicht`, `kein…`, `ohne`,
/// `gegen` and `weg` (they carry meaning: "nicht öffentlich", "Am Weg") and the modal verbs,
/// and it adds `dass`. Sorted, lowercase, with umlauts and ß, because the check runs before
/// folding.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "ander",
    "andere", "anderem", "anderen", "anderer", "anderes", "auch", "auf", "aus", "bei", "bin",
    "bis", "bist", "da", "damit", "dann", "das", "dass", "dasselbe", "daß", "dein", "deine",
    "dem", "demselben", "den", "denn", "denselben", "der", "derer", "derselbe", "derselben",
    "des", "desselben", "dessen", "dich", "die", "dies", "diese", "dieselbe", "dieselben",
    "diesem", "diesen", "dieser", "dieses", "dir", "doch", "dort", "du", "durch", "ein", "eine",
    "einem", "einen", "einer", "eines", "einig", "einige", "einigem", "einigen", "einiger",
    "einiges", "er", "es", "etwas", "euch", "euer", "eure", "für", "hab", "habe", "haben",
    "hat", "hatte", "hatten", "hier", "hin", "hinter", "ich", "ihm", "ihn", "ihnen", "ihr",
    "ihre", "ihrem", "ihren", "ihrer", "ihres", "im", "in", "indem", "ins", "ist", "jede",
    "jedem", "jeden", "jeder", "jedes", "jene", "jenem", "jenen", "jener", "jenes", "jetzt",
    "man", "manche", "manchem", "manchen", "mancher", "manches", "mein", "meine", "mich", "mir",
    "mit", "nach", "noch", "nun", "nur", "ob", "oder", "sehr", "sein", "seine", "seinem",
    "seinen", "seiner", "seines", "selbst", "sich", "sie", "sind", "so", "solche", "solchem",
    "solchen", "solcher", "solches", "sondern", "sonst", "um", "und", "uns", "unser", "unsere",
    "unter", "vom", "von", "vor", "war", "waren", "warst", "was", "weil", "welche", "welchem",
    "welchen", "welcher", "welches", "wenn", "werde", "werden", "wie", "wieder", "wir", "wird",
    "wirst", "wo", "zu", "zum", "zur", "zwar", "zwischen", "über",
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
        out.push_str(raw);
        out.make_ascii_lowercase();
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
            _ => match lowercase_german(c) {
                Some(lower) => push_folded(lower, out),
                None => c.to_lowercase().for_each(|lower| push_folded(lower, out)),
            },
        }
    }
}

/// The exact form of `raw` as a new string (see [`fold_exact`]).
pub(crate) fn folded(raw: &str) -> String {
    let mut out = String::new();
    fold_exact(raw, &mut out);
    out
}

/// The exact form of the lowercase word `lowercase`: the word itself when it is ASCII (then
/// folding changes nothing), else its folded form written into `scratch`.
pub(crate) fn folded_lowercase<'a>(lowercase: &'a str, scratch: &'a mut String) -> &'a str {
    if lowercase.is_ascii() {
        return lowercase;
    }
    fold_exact(lowercase, scratch);
    scratch
}

/// Writes `raw` lowercased into `out` for the stemmer: umlauts and ß stay (Snowball knows
/// them), other accents are removed as in [`fold_exact`] (`café` → `cafe`), so that `Café`,
/// `Cafe`, `Cafés` and `Cafes` get one stem (Snowball takes `é` for a consonant).
pub(crate) fn lowercase(raw: &str, out: &mut String) {
    out.clear();
    if raw.is_ascii() {
        out.push_str(raw);
        out.make_ascii_lowercase();
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
            _ => match lowercase_german(c) {
                Some(lower @ ('ä' | 'ö' | 'ü' | 'ß')) => out.push(lower),
                Some(lower) => push_folded(lower, out),
                None => c.to_lowercase().for_each(|lower| push_folded(lower, out)),
            },
        }
    }
}

/// Lowercases the letters of German words without the general Unicode tables: a fast path.
fn lowercase_german(c: char) -> Option<char> {
    match c {
        'ä' | 'ö' | 'ü' | 'ß' | 'é' => Some(c),
        'Ä' => Some('ä'),
        'Ö' => Some('ö'),
        'Ü' => Some('ü'),
        _ => None,
    }
}

/// Returns `raw` in NFC when it holds combining marks (text that skipped [`clean_text`]).
///
/// [`clean_text`]: crate::analysis::clean_text
fn composed(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.chars().any(|c| c >= '\u{300}' && is_combining_mark(c)) {
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
    #[cfg(test)]
    pub(crate) fn stem(&self, raw: &str, scratch: &mut String, out: &mut String) -> bool {
        lowercase(raw, scratch);
        self.stem_lowercase(scratch, out)
    }

    /// Like [`Stemmer::stem`], but remembers the stems of recent words in a cache of the
    /// current thread (shared by all fields and segments that this thread indexes).
    pub(crate) fn stem_cached(&self, raw: &str, scratch: &mut String, out: &mut String) -> bool {
        lowercase(raw, scratch);
        STEM_CACHE.with_borrow_mut(|cache| {
            if let Some(kept) = cache.lookup(scratch, out) {
                return kept;
            }
            let kept = self.stem_lowercase(scratch, out);
            cache.insert(scratch, kept.then_some(out.as_str()));
            kept
        })
    }

    /// Stems a lowercased word; false for a stop word.
    fn stem_lowercase(&self, lowercase: &str, out: &mut String) -> bool {
        out.clear();
        if is_stop_word(lowercase) {
            return false;
        }
        if lowercase.chars().any(|c| c.is_numeric()) {
            fold_exact(lowercase, out);
            return true;
        }
        // `Träger` is not `tragen`, `Messer` not `Messe`: listed nouns are their own stem.
        if let Some(noun) = super::overstem::protected(lowercase) {
            out.push_str(noun);
            return true;
        }
        // `Kurs` is stemmed as `Kurse` is, to `kurs`: Snowball would take its s for an ending.
        let with_e;
        let word = if super::stem_s::keeps_s(lowercase) {
            with_e = format!("{lowercase}e");
            &with_e
        } else {
            super::plural::strip_s(lowercase).unwrap_or(lowercase)
        };
        let stem = self.snowball.stem(word);
        // Snowball turns umlauts into plain vowels (`Anträge` is `Antrag`), except where the
        // umlaut tells two words apart (`Förderung` is not `Forderung`); the rest is folded
        // as exact forms are.
        if super::umlaut::keeps_umlauts(word) {
            fold_exact(&super::umlaut::restore(word, &stem), out);
        } else {
            fold_exact(&stem, out);
        }
        true
    }
}

thread_local! {
    /// The stem cache of this thread.
    static STEM_CACHE: RefCell<StemCache> = RefCell::new(StemCache::default());
}

/// Number of slot pairs of a [`StemCache`] (a power of two).
const STEM_CACHE_PAIRS: usize = 1 << 15;
/// Longest word (and stem) a [`StemCache`] holds, in bytes.
const STEM_CACHE_WORD_BYTES: usize = 23;
/// `stem_len` of a stop word.
const STOP_WORD_MARK: u8 = u8::MAX;

/// One remembered word and its stem, stored inline so a lookup touches one place in memory.
#[derive(Clone, Copy)]
struct Slot {
    /// Length of `word`; 0 marks an empty slot.
    word_len: u8,
    word: [u8; STEM_CACHE_WORD_BYTES],
    /// Length of `stem`, or [`STOP_WORD_MARK`].
    stem_len: u8,
    stem: [u8; STEM_CACHE_WORD_BYTES],
}

const EMPTY_SLOT: Slot = Slot {
    word_len: 0,
    word: [0; STEM_CACHE_WORD_BYTES],
    stem_len: 0,
    stem: [0; STEM_CACHE_WORD_BYTES],
};

impl Slot {
    fn holds(&self, word: &[u8]) -> bool {
        usize::from(self.word_len) == word.len() && &self.word[..word.len()] == word
    }
}

/// Stems of recent words (and which words are stop words), about 3 MB per thread. Text
/// repeats its words, and a lookup costs a fraction of the Snowball algorithm. A word hashes
/// to a pair of slots; the pair keeps the two most recently used words (2-way LRU). Longer
/// words are not cached.
struct StemCache {
    slots: Box<[Slot]>,
}

impl Default for StemCache {
    fn default() -> StemCache {
        StemCache {
            slots: vec![EMPTY_SLOT; 2 * STEM_CACHE_PAIRS].into_boxed_slice(),
        }
    }
}

impl StemCache {
    /// The index of the first slot of the pair of `word`.
    fn pair(word: &[u8]) -> usize {
        // FxHash's multiply-rotate, then a splitmix64 finaliser so that the low bits, which
        // pick the pair, depend on every byte.
        let mut hasher = FxHasher::default();
        hasher.write(word);
        let mut hash = hasher.finish();
        hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        hash ^= hash >> 31;
        2 * (hash as usize & (STEM_CACHE_PAIRS - 1))
    }

    /// Writes the remembered stem of `word` into `out` and returns whether it is kept (not a
    /// stop word), or returns `None` for an unknown word.
    fn lookup(&mut self, word: &str, out: &mut String) -> Option<bool> {
        let bytes = word.as_bytes();
        if bytes.len() > STEM_CACHE_WORD_BYTES {
            return None;
        }
        let pair = StemCache::pair(bytes);
        let index = if self.slots[pair].holds(bytes) {
            pair
        } else if self.slots[pair + 1].holds(bytes) {
            self.slots.swap(pair, pair + 1);
            pair
        } else {
            return None;
        };
        let slot = &self.slots[index];
        out.clear();
        if slot.stem_len == STOP_WORD_MARK {
            return Some(false);
        }
        // The stem was a `&str` when it was stored, so it is valid UTF-8.
        let stem = std::str::from_utf8(&slot.stem[..usize::from(slot.stem_len)]).ok()?;
        out.push_str(stem);
        Some(true)
    }

    /// Remembers the stem of `word` (`None` for a stop word).
    fn insert(&mut self, word: &str, stem: Option<&str>) {
        let (word, stem_bytes) = (word.as_bytes(), stem.unwrap_or_default().as_bytes());
        if word.is_empty()
            || word.len() > STEM_CACHE_WORD_BYTES
            || stem_bytes.len() > STEM_CACHE_WORD_BYTES
        {
            return;
        }
        let pair = StemCache::pair(word);
        self.slots[pair + 1] = self.slots[pair];
        let slot = &mut self.slots[pair];
        slot.word_len = word.len() as u8;
        slot.word[..word.len()].copy_from_slice(word);
        slot.stem_len = match stem {
            Some(_) => stem_bytes.len() as u8,
            None => STOP_WORD_MARK,
        };
        slot.stem[..stem_bytes.len()].copy_from_slice(stem_bytes);
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
    fn cached_stems_equal_fresh_ones() {
        let stemmer = Stemmer::default();
        let (mut scratch, mut out) = (String::new(), String::new());
        for round in 0..2 {
            for word in ["Häuser", "der", "Telearbeit", "2020er", "Häuser"] {
                let (mut fresh_scratch, mut fresh) = (String::new(), String::new());
                let expected = stemmer.stem(word, &mut fresh_scratch, &mut fresh);
                let cached = stemmer.stem_cached(word, &mut scratch, &mut out);
                assert_eq!((cached, &out), (expected, &fresh), "round {round}: {word}");
            }
        }
    }

    #[test]
    fn the_cache_keeps_the_two_latest_words_of_a_pair() {
        let mut cache = StemCache::default();
        let mut out = String::new();
        assert_eq!(cache.lookup("haus", &mut out), None);
        cache.insert("haus", Some("haus"));
        cache.insert("der", None);
        assert_eq!(cache.lookup("haus", &mut out), Some(true));
        assert_eq!(out, "haus");
        assert_eq!(cache.lookup("der", &mut out), Some(false));
        let long = "grundstuecksverkehrsgenehmigung";
        cache.insert(long, Some(long));
        assert_eq!(cache.lookup(long, &mut out), None);
        // Words of one pair: the two most recent stay.
        let pair = StemCache::pair(b"haus");
        let same_pair: Vec<String> = (0..)
            .map(|n| format!("w{n}"))
            .filter(|word| StemCache::pair(word.as_bytes()) == pair)
            .take(2)
            .collect();
        cache.insert(&same_pair[0], Some("a"));
        cache.insert(&same_pair[1], Some("b"));
        assert_eq!(cache.lookup("haus", &mut out), None);
        assert_eq!(cache.lookup(&same_pair[0], &mut out), Some(true));
        assert_eq!(out, "a");
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
        check_stem("Müller", Some("mueller"));
        check_stem("Mueller", Some("mueller"));
        check_stem("Müll", Some("mull"));
        check_stem("Telearbeit", Some("telearbeit"));
        check_stem("telearbeiten", Some("telearbeit"));
        check_stem("Häuser", Some("haus"));
        check_stem("Haus", Some("haus"));
        // Nouns Snowball would cut to an unrelated word's stem keep their own.
        check_stem("Träger", Some("traeger"));
        check_stem("Trägern", Some("traeger"));
        check_stem("tragen", Some("trag"));
        check_stem("Messer", Some("messer"));
        check_stem("Messe", Some("mess"));
        check_stem("Lehrerinnen", Some("lehrer"));
        for form in ["Bürger", "Bürgern", "Bürgerin", "Bürgerinnen", "Buerger"] {
            check_stem(form, Some("buerger"));
        }
        check_stem("Burg", Some("burg"));
        // The region is not the bath, the judge not the verb, the locksmith not the castle.
        for form in ["Baden", "Badens"] {
            check_stem(form, Some("baden"));
        }
        for form in ["Bad", "Bäder", "Bädern", "Bades"] {
            check_stem(form, Some("bad"));
        }
        for form in ["Richter", "Richterin", "Richterinnen", "Richtern"] {
            check_stem(form, Some("richter"));
        }
        check_stem("richten", Some("richt"));
        check_stem("Schlosser", Some("schlosser"));
        check_stem("Schloss", Some("schloss"));
        // Umlauts go, except in stems where they tell two words apart.
        check_stem("Anträge", Some("antrag"));
        check_stem("Antrag", Some("antrag"));
        for (umlaut, plain) in [
            ("Förderung", "Forderung"),
            ("fördern", "fordern"),
            ("gefördert", "gefordert"),
            ("Zählung", "Zahlung"),
            ("zählen", "zahlen"),
            ("Flächen", "flach"),
            ("Verlängerung", "Verlangen"),
            ("hört", "Hort"),
            ("hören", "Horten"),
        ] {
            let (mut scratch, mut first, mut second) =
                (String::new(), String::new(), String::new());
            let stemmer = Stemmer::default();
            assert!(stemmer.stem(umlaut, &mut scratch, &mut first));
            assert!(stemmer.stem(plain, &mut scratch, &mut second));
            assert_ne!(first, second, "{umlaut} / {plain}");
        }
        for form in ["Förderung", "Foerderung", "Förderungen", "FÖRDERUNG"] {
            check_stem(form, Some("foerder"));
        }
        check_stem("Fördermittel", Some("foerdermittel"));
        // `hör` keeps its umlaut, but not inside `chör`: `Chöre` is `Chor`.
        for form in ["Chöre", "Chören", "Chor", "Choere"] {
            check_stem(form, Some("chor"));
        }
        // Accents other than umlauts go before stemming: one stem for all four forms.
        for form in ["Café", "Cafés", "Cafe", "Cafes", "CAFÉ", "Cafe\u{301}s"] {
            check_stem(form, Some("caf"));
        }
        check_stem("Exposé", Some("expos"));
        check_stem("Exposés", Some("expos"));
        check_stem("nicht", Some("nicht"));
        check_stem("öffentlich", Some("offent"));
        check_stem("Weg", Some("weg"));
        check_stem("der", None);
        check_stem("Über", None);
        check_stem("dass", None);
        check_stem("2020er", Some("2020er"));
        check_stem("01504", Some("01504"));
        // The -s that Snowball keeps after a vowel or p (see `plural`).
        check_stem("Kitas", Some("kita"));
        check_stem("Kita", Some("kita"));
        check_stem("Laptops", Some("laptop"));
        check_stem("LKWs", Some("lkw"));
        check_stem("Andreas", Some("andreas"));
        // The -s that Snowball would strip from the base form only (see `stem_s`).
        for form in ["Kurs", "Kurse", "Kurses", "Kursen"] {
            check_stem(form, Some("kurs"));
        }
        for form in ["Sprachkurs", "Sprachkurse", "Sprachkursen"] {
            check_stem(form, Some("sprachkurs"));
        }
        check_stem("Zins", Some("zins"));
        check_stem("Zinsen", Some("zins"));
        check_stem("Leitzins", Some("leitzins"));
        for form in ["Zuwachs", "Zuwächse", "Zuwachses"] {
            check_stem(form, Some("zuwachs"));
        }
        check_stem("Magazins", Some("magazin"));
        check_stem("Betriebs", Some("betrieb"));
    }
}
