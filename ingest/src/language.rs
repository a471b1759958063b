//! The language of a paper's body text, as an ISO 639-3 code (`deu`, `eng`).
//!
//! Council papers are German; some are English, and advisory boards (Migrantenbeirat) publish in
//! the languages of the city's larger communities. whatlang alone confuses related languages on
//! short texts, so it only chooses among an allow-list, and short or unclear texts count as
//! German, the language a German council writes in.

use std::sync::LazyLock;

use whatlang::{Detector, Lang};

/// The languages a paper may be detected in, unless a caller names others.
pub const DEFAULT_LANGUAGES: &[&str] = &[
    "deu", "eng", "fra", "spa", "ita", "pol", "tur", "rus", "ukr", "ara", "vie",
];
/// The language assumed when the text is too short or the detection unclear.
pub const FALLBACK_LANGUAGE: &str = "deu";

/// Texts with fewer letters than this are not worth a guess.
const MIN_LETTERS: usize = 40;
/// Detection reads at most this many bytes: a few paragraphs decide as well as a whole paper.
const SAMPLE_BYTES: usize = 2048;
/// Below this confidence a result counts as unclear (whatlang's own "reliable" flag also
/// requires a clear lead over the runner-up, which related languages rarely give).
const MIN_CONFIDENCE: f64 = 0.5;

/// German function words that other languages of [`DEFAULT_LANGUAGES`] rarely write (not
/// `in`, `am`, `war`, `also`, which English has too). They make up a quarter to a third of the
/// words of German prose.
const GERMAN_MARKERS: &[&str] = &[
    "auch", "auf", "bei", "das", "dem", "den", "der", "des", "die", "durch", "eine", "einer",
    "ist", "mit", "nach", "nicht", "sich", "sowie", "und", "von", "werden", "wird", "wurde", "zu",
];
/// A sample is German without asking whatlang when at least this share of its words are
/// [`GERMAN_MARKERS`]...
const GERMAN_MARKER_SHARE: f64 = 0.12;
/// ... and at least this many (shorter samples go to whatlang).
const MIN_GERMAN_MARKERS: usize = 8;

static DEFAULT_DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(languages(DEFAULT_LANGUAGES)));

/// The language of `text` among [`DEFAULT_LANGUAGES`]; German when the text is short or the
/// result unclear; `None` when the text has no letters at all.
pub fn detect_language(text: &str) -> Option<String> {
    detect(&DEFAULT_DETECTOR, true, text)
}

/// Like [`detect_language`], choosing only among `allowed` (ISO 639-3 codes; unknown codes are
/// ignored, and an empty list means the defaults).
pub fn detect_language_among(text: &str, allowed: &[&str]) -> Option<String> {
    let allowed_languages = languages(allowed);
    if allowed_languages.is_empty() {
        return detect_language(text);
    }
    let german_allowed = allowed_languages.contains(&Lang::Deu);
    detect(
        &Detector::with_allowlist(allowed_languages),
        german_allowed,
        text,
    )
}

fn languages(codes: &[&str]) -> Vec<Lang> {
    codes
        .iter()
        .filter_map(|code| Lang::from_code(*code))
        .collect()
}

fn detect(detector: &Detector, german_allowed: bool, text: &str) -> Option<String> {
    let sample = prefix(text, SAMPLE_BYTES);
    let n_letters = sample.chars().filter(|c| c.is_alphabetic()).count();
    if n_letters == 0 {
        return None;
    }
    if n_letters < MIN_LETTERS || (german_allowed && is_plainly_german(sample)) {
        return Some(FALLBACK_LANGUAGE.to_string());
    }
    let code = detector
        .detect(sample)
        .filter(|info| info.is_reliable() || info.confidence() >= MIN_CONFIDENCE)
        .map_or(FALLBACK_LANGUAGE, |info| info.lang().code());
    Some(code.to_string())
}

/// Whether German function words are frequent enough in `sample` to leave no doubt. whatlang
/// costs about 350 instructions per byte of the sample (5 % of an ingest of German papers);
/// counting the function words costs a few.
fn is_plainly_german(sample: &str) -> bool {
    let (mut words, mut markers) = (0usize, 0usize);
    for word in sample.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        words += 1;
        if word.len() <= 6
            && GERMAN_MARKERS
                .iter()
                .any(|marker| marker.eq_ignore_ascii_case(word))
        {
            markers += 1;
        }
    }
    markers >= MIN_GERMAN_MARKERS && markers as f64 >= GERMAN_MARKER_SHARE * words as f64
}

/// The longest prefix of `text` of at most `max_bytes` bytes that ends on a character boundary.
fn prefix(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<&str>) {
        assert_eq!(detect_language(text).as_deref(), expected, "text: {text:?}");
    }

    #[test]
    fn detects_the_languages_of_council_papers() {
        check(
            "Zur Begegnung der Corona-Krise hat die Stadtverwaltung in Sachen Digitalisierung \
             innerhalb von kurzer Zeit einen deutlichen Schritt nach vorn gemacht. Dies ging damit \
             einher, dass sich die IT-Ausstattung innerhalb der Verwaltung zumindest partiell änderte.",
            Some("deu"),
        );
        check(
            "The city council asks the mayor to report on the state of the public swimming pools \
             and to present a plan for their renovation before the end of the year.",
            Some("eng"),
        );
        check(
            "Le conseil municipal demande au maire de présenter un rapport sur l'état des piscines \
             publiques et un plan pour leur rénovation avant la fin de l'année.",
            Some("fra"),
        );
        check(
            "Городской совет просит мэра представить доклад о состоянии общественных бассейнов \
             и план их ремонта до конца года.",
            Some("rus"),
        );
        check(
            "Belediye meclisi, belediye başkanından halka açık yüzme havuzlarının durumu hakkında \
             bir rapor ve yıl sonundan önce yenilenmeleri için bir plan sunmasını istiyor.",
            Some("tur"),
        );
        check(
            "يطلب مجلس المدينة من رئيس البلدية تقديم تقرير عن حالة المسابح العامة وخطة لتجديدها قبل نهاية العام.",
            Some("ara"),
        );
    }

    #[test]
    fn falls_back_to_german_when_unsure() {
        check("Ja", Some("deu"));
        check("Anlage 1", Some("deu"));
        check("Telearbeit ermöglichen", Some("deu"));
        check(
            "Beschlussvorschlag: Der Stadtrat beschließt die Satzung. Smart City, Open Data, \
             E-Government und Co-Working sind Teil der Digitalstrategie der Stadt Leipzig.",
            Some("deu"),
        );
    }

    #[test]
    fn plain_german_needs_no_detector_and_other_languages_still_get_one() {
        let german = "Der Stadtrat möge beschließen, die Öffnungszeiten der Bibliotheken zu \
                      verlängern und die Mittel dafür im Haushalt bereitzustellen. Die \
                      Verwaltung wird beauftragt, bis zum Ende des Jahres einen Bericht vorzulegen.";
        assert!(is_plainly_german(german));
        // Even where German is not allowed, the detector decides.
        assert_ne!(
            detect_language_among(german, &["eng", "fra"]).as_deref(),
            Some("deu")
        );
        // English with German names and a quoted German title is not plainly German.
        let english = "The city council of Leipzig asks the mayor to report on the motion \
                       \"Die Stadt und ihre Bäder\" by the group Die Linke and on the state of \
                       the public swimming pools before the end of the year, and to present a \
                       plan for their renovation to the committee.";
        assert!(!is_plainly_german(english));
        check(english, Some("eng"));
        let dutch = "De gemeenteraad vraagt de burgemeester om een verslag over de toestand van \
                     de openbare zwembaden die de stad beheert en een plan voor hun renovatie.";
        assert!(!is_plainly_german(dutch));
    }

    #[test]
    fn gives_none_without_letters() {
        check("", None);
        check("   \n\n ", None);
        check("12.05.2023 - 4711 / 0815", None);
    }

    #[test]
    fn reads_only_a_prefix_of_long_texts() {
        let long =
            "Der Stadtrat möge beschließen, die Öffnungszeiten der Bibliotheken zu verlängern. "
                .repeat(500);
        check(&long, Some("deu"));
        let ragged = format!("{}{}", "ä".repeat(SAMPLE_BYTES), "x");
        assert!(prefix(&ragged, SAMPLE_BYTES + 1).len() <= SAMPLE_BYTES + 1);
        assert!(prefix("äöü", 3).is_char_boundary(prefix("äöü", 3).len()));
        assert_eq!(prefix("äöü", 3), "ä");
    }

    #[test]
    fn honours_an_allow_list() {
        let english = "The city council asks the mayor to report on the state of the public \
                       swimming pools and to present a plan for their renovation.";
        let among_two = detect_language_among(english, &["deu", "fra"]);
        assert!(
            matches!(among_two.as_deref(), Some("deu" | "fra")),
            "{among_two:?}"
        );
        assert_eq!(
            detect_language_among(english, &["eng"]).as_deref(),
            Some("eng")
        );
        assert_eq!(
            detect_language_among(english, &["nope"]).as_deref(),
            Some("eng")
        );
    }
}
