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

static DEFAULT_DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(languages(DEFAULT_LANGUAGES)));

/// The language of `text` among [`DEFAULT_LANGUAGES`]; German when the text is short or the
/// result unclear; `None` when the text has no letters at all.
pub fn detect_language(text: &str) -> Option<String> {
    detect(&DEFAULT_DETECTOR, text)
}

/// Like [`detect_language`], choosing only among `allowed` (ISO 639-3 codes; unknown codes are
/// ignored, and an empty list means the defaults).
pub fn detect_language_among(text: &str, allowed: &[&str]) -> Option<String> {
    let allowed_languages = languages(allowed);
    if allowed_languages.is_empty() {
        return detect_language(text);
    }
    detect(&Detector::with_allowlist(allowed_languages), text)
}

fn languages(codes: &[&str]) -> Vec<Lang> {
    codes
        .iter()
        .filter_map(|code| Lang::from_code(*code))
        .collect()
}

fn detect(detector: &Detector, text: &str) -> Option<String> {
    let sample = prefix(text, SAMPLE_BYTES);
    let n_letters = sample.chars().filter(|c| c.is_alphabetic()).count();
    if n_letters == 0 {
        return None;
    }
    if n_letters < MIN_LETTERS {
        return Some(FALLBACK_LANGUAGE.to_string());
    }
    let code = detector
        .detect(sample)
        .filter(|info| info.is_reliable() || info.confidence() >= MIN_CONFIDENCE)
        .map_or(FALLBACK_LANGUAGE, |info| info.lang().code());
    Some(code.to_string())
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
