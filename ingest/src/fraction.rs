//! Council groups (Fraktionen) among a paper's originators.
//!
//! ALLRIS prints the originator (Einreicher) as free text, and one group appears under many
//! spellings: `SPD-Fraktion`, `Geschäftsstelle der SPD-Fraktion`, `Fraktion AfD`,
//! `AfD-Fraktion`, `DIE LINKE.-Gemeinderatsfraktion`. This module finds every group named in
//! such a text and gives each one name, so that a facet counts a group once.
//!
//! Groups of district councils (`SPD-Fraktion im Ortschaftsrat`, `FDP-OR-Fraktion`) are not
//! council groups of the city council and are left out, as are administrative units, district
//! councils and people named without a group.

use std::sync::LazyLock;

use regex::Regex;

/// Known parties: the spellings (compared without case, spaces, dots and hyphens) and the name
/// the group goes by. Leipzig's own names are used (`SPD-Fraktion`, `Fraktion DIE LINKE`).
const PARTIES: &[(&[&str], &str)] = &[
    (
        &[
            "spd",
            "sozialdemokratischeparteideutschlands",
            "sozialdemokratischepartei",
        ],
        "SPD-Fraktion",
    ),
    (
        &[
            "cdu",
            "christlichdemokratischeunion",
            "christlichdemokratischeuniondeutschlands",
        ],
        "CDU-Fraktion",
    ),
    (&["afd", "alternativefürdeutschland"], "AfD-Fraktion"),
    (&["fdp", "freiedemokratischepartei"], "FDP-Fraktion"),
    (&["bsw"], "BSW-Fraktion"),
    (
        &["dielinke", "linke", "linksfraktion"],
        "Fraktion DIE LINKE",
    ),
    (
        &[
            "bündnis90/diegrünen",
            "bündnis90/grüne",
            "bündnis90diegrünen",
            "b90/diegrünen",
            "b90/grüne",
            "bündnisgrüne",
            "diegrünen",
            "grüne",
            "grünen",
        ],
        "Fraktion Bündnis 90/Die Grünen",
    ),
    (&["freibeuter"], "Fraktion Freibeuter"),
    (&["freiewähler", "fw"], "Fraktion Freie Wähler"),
    (&["diepartei"], "Fraktion Die PARTEI"),
    (&["piraten", "piratenpartei"], "Fraktion Piraten"),
];

/// Words that end the search backwards for a party name before `-Fraktion`.
const NOT_PARTY_WORDS: &[&str] = &[
    "geschäftsstelle",
    "stadtrat",
    "stadträtin",
    "stadträte",
    "stadträtinnen",
    "sr",
    "srin",
    "antrag",
    "anfrage",
    "von",
    "der",
    "die",
    "des",
];

/// Separators between the originators of a joint submission.
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:[;,|\n]|\s(?:und|sowie|u\.)\s|\s[/&+]\s)\s*")
        .expect("the separator pattern is valid")
});
/// District councils and their groups.
static DISTRICT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:ortschaftsrat|ortsrat|stadtbezirksbeirat|bezirksbeirat|bezirksvertretung|bezirksrat|or-fraktion)",
    )
    .expect("the district pattern is valid")
});
/// `Fraktion X`, also inside `Stadtrat Y (Fraktion X)`.
static FRACTION_THEN_PARTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[\s(:])fraktion\s*:?\s+([^()]+)").expect("the prefix pattern is valid")
});
/// `X-Fraktion`, `X Fraktion`, `X-Gemeinderatsfraktion`.
static PARTY_THEN_FRACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(.*?\S)(?:-|\s+)(?:stadtrats|gemeinderats|rats|kreistags)?fraktion\b")
        .expect("the suffix pattern is valid")
});
/// Where a party name after `Fraktion` ends: `Fraktion DIE LINKE im Stadtrat`.
static PARTY_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(?:im|in|des|der\s+stadt|-)\s+.*$").expect("the end pattern is valid")
});

/// The normalised council groups named in an originator string such as
/// `"Geschäftsstelle der SPD-Fraktion; Fraktion AfD"` → `["SPD-Fraktion", "AfD-Fraktion"]`.
/// Administrative units and district councils yield none. Each group appears once, in order.
pub fn fractions(originator: &str) -> Vec<String> {
    let text = originator
        .replace(['\u{a0}', '\u{202f}', '\t'], " ")
        .replace("\r\n", "\n");
    let mut found: Vec<String> = Vec::new();
    for segment in SEPARATOR.split(&text) {
        if let Some(fraction) = segment_fraction(segment.trim()) {
            if !found.contains(&fraction) {
                found.push(fraction);
            }
        }
    }
    found
}

/// The group one originator names, if any.
fn segment_fraction(segment: &str) -> Option<String> {
    if segment.is_empty() || DISTRICT.is_match(segment) {
        return None;
    }
    if let Some(captures) = FRACTION_THEN_PARTY.captures(segment) {
        let party = PARTY_END.replace(&captures[1], "");
        if let Some(fraction) = fraction_of_party(strip_article(clean(&party))) {
            return Some(fraction);
        }
    }
    if let Some(captures) = PARTY_THEN_FRACTION.captures(segment) {
        if let Some(fraction) = party_before(&captures[1]).and_then(fraction_of_party) {
            return Some(fraction);
        }
    }
    // A bare party name (`FDP`, `Freibeuter`), alone or in brackets after a person.
    let bracketed = segment
        .rsplit_once('(')
        .map(|(_, rest)| rest.trim_end_matches(')'));
    [Some(segment), bracketed]
        .into_iter()
        .flatten()
        .find_map(|candidate| known_party(clean(candidate)))
        .map(str::to_string)
}

/// The party name at the end of the text before `-Fraktion`: `Geschäftsstelle der SPD` → `SPD`.
fn party_before(text: &str) -> Option<&str> {
    let text = clean(text.rsplit_once('(').map_or(text, |(_, rest)| rest));
    if known_party(text).is_some() {
        return Some(text);
    }
    // The longest tail of whole words that names a known party.
    let word_starts = text
        .char_indices()
        .filter(|(idx, _)| *idx == 0 || text[..*idx].ends_with(' '))
        .map(|(idx, _)| idx);
    for start in word_starts {
        if known_party(&text[start..]).is_some() {
            return Some(&text[start..]);
        }
    }
    // An unknown party: the capitalised words at the end (`KAL/Die PARTEI`, `FÜR`).
    let words: Vec<&str> = text.split(' ').collect();
    let mut first = words.len();
    while first > 0 && words.len() - first < 4 {
        let word = words[first - 1];
        let capitalised = word
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if !capitalised || NOT_PARTY_WORDS.contains(&word.to_lowercase().as_str()) {
            break;
        }
        first -= 1;
    }
    let start = words[..first]
        .iter()
        .map(|word| word.len() + 1)
        .sum::<usize>();
    let party = strip_article(text.get(start..)?);
    (!party.is_empty()).then_some(party)
}

/// The group a party name stands for: a known party by its usual name, another one as
/// `X-Fraktion` (one word) or `Fraktion X` (several).
fn fraction_of_party(party: &str) -> Option<String> {
    if let Some(fraction) = known_party(party) {
        return Some(fraction.to_string());
    }
    let plausible = !party.is_empty()
        && party.chars().count() <= 40
        && party.split(' ').count() <= 4
        && party
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && party.chars().any(char::is_alphabetic);
    if !plausible {
        return None;
    }
    Some(if party.contains(' ') {
        format!("Fraktion {party}")
    } else {
        format!("{party}-Fraktion")
    })
}

/// The usual group name of a known party spelling.
fn known_party(name: &str) -> Option<&'static str> {
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    if key.is_empty() {
        return None;
    }
    PARTIES
        .iter()
        .find(|(spellings, _)| spellings.contains(&key.as_str()))
        .map(|(_, fraction)| *fraction)
}

/// Drops a leading article unless it belongs to the name (`der SPD` → `SPD`, `Die Linke` stays).
fn strip_article(text: &str) -> &str {
    if known_party(text).is_some() {
        return text;
    }
    for article in ["der ", "die ", "des ", "Der ", "Die ", "Des "] {
        if let Some(rest) = text.strip_prefix(article) {
            return rest.trim_start();
        }
    }
    text
}

/// Trims spaces, brackets and trailing punctuation.
fn clean(text: &str) -> &str {
    text.trim()
        .trim_matches(|c: char| matches!(c, '(' | ')' | '"' | '„' | '“'))
        .trim_end_matches(['.', ',', ':', ';', '-'])
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(originator: &str, expected: &[&str]) {
        assert_eq!(
            fractions(originator),
            expected,
            "originator: {originator:?}"
        );
    }

    #[test]
    fn names_one_group_one_way() {
        check("SPD-Fraktion", &["SPD-Fraktion"]);
        check("Geschäftsstelle der SPD-Fraktion", &["SPD-Fraktion"]);
        check("Fraktion SPD", &["SPD-Fraktion"]);
        check("Fraktion der SPD", &["SPD-Fraktion"]);
        check("Fraktion AfD", &["AfD-Fraktion"]);
        check("AfD-Fraktion", &["AfD-Fraktion"]);
        check("CDU-Fraktion", &["CDU-Fraktion"]);
        check("Fraktion CDU", &["CDU-Fraktion"]);
        check("Fraktion DIE LINKE", &["Fraktion DIE LINKE"]);
        check("Fraktion Die Linke", &["Fraktion DIE LINKE"]);
        check("Linksfraktion", &["Fraktion DIE LINKE"]);
        check("DIE LINKE.-Gemeinderatsfraktion", &["Fraktion DIE LINKE"]);
        check(
            "Fraktion Bündnis 90/Die Grünen",
            &["Fraktion Bündnis 90/Die Grünen"],
        );
        check(
            "Fraktion BÜNDNIS 90/DIE GRÜNEN",
            &["Fraktion Bündnis 90/Die Grünen"],
        );
        check(
            "GRÜNE-Gemeinderatsfraktion",
            &["Fraktion Bündnis 90/Die Grünen"],
        );
        check("GRÜNE Fraktion", &["Fraktion Bündnis 90/Die Grünen"]);
        check("Fraktion Freibeuter", &["Fraktion Freibeuter"]);
        check("Freibeuter", &["Fraktion Freibeuter"]);
        check("FDP", &["FDP-Fraktion"]);
        check("FDP-Fraktion", &["FDP-Fraktion"]);
        // OParl organisations of type Fraktion named after their party (Hürtgenwald).
        check("Christlich Demokratische Union", &["CDU-Fraktion"]);
        check("Sozialdemokratische Partei Deutschlands", &["SPD-Fraktion"]);
        check("Freie Demokratische Partei", &["FDP-Fraktion"]);
        check("Bündnis 90/Die Grünen", &["Fraktion Bündnis 90/Die Grünen"]);
        check("Fraktion Alternative für Deutschland", &["AfD-Fraktion"]);
        check("Fraktion: SPD", &["SPD-Fraktion"]);
        check("SPD\u{a0}-\u{a0}Fraktion", &["SPD-Fraktion"]);
        check("  SPD-Fraktion im Stadtrat  ", &["SPD-Fraktion"]);
    }

    #[test]
    fn names_unknown_groups_by_their_own_words() {
        check("KULT-Gemeinderatsfraktion", &["KULT-Fraktion"]);
        check("FÜR-Gemeinderatsfraktion", &["FÜR-Fraktion"]);
        check(
            "KAL/Die PARTEI-Gemeinderatsfraktion",
            &["Fraktion KAL/Die PARTEI"],
        );
        check(
            "Fraktion Unabhängige Wählergemeinschaft",
            &["Fraktion Unabhängige Wählergemeinschaft"],
        );
    }

    #[test]
    fn carries_every_group_of_a_joint_submission() {
        check(
            "Fraktion Bündnis 90/Die Grünen; Fraktion DIE LINKE; SPD-Fraktion",
            &[
                "Fraktion Bündnis 90/Die Grünen",
                "Fraktion DIE LINKE",
                "SPD-Fraktion",
            ],
        );
        check(
            "SPD-Fraktion; Fraktion Die Linke",
            &["SPD-Fraktion", "Fraktion DIE LINKE"],
        );
        check(
            "Geschäftsstelle der SPD-Fraktion; Fraktion AfD",
            &["SPD-Fraktion", "AfD-Fraktion"],
        );
        check(
            "SPD-Fraktion und CDU-Fraktion",
            &["SPD-Fraktion", "CDU-Fraktion"],
        );
        check(
            "SPD-Fraktion, CDU-Fraktion",
            &["SPD-Fraktion", "CDU-Fraktion"],
        );
        check(
            "SPD-Fraktion\nFraktion CDU",
            &["SPD-Fraktion", "CDU-Fraktion"],
        );
        check("SPD-Fraktion; Fraktion SPD", &["SPD-Fraktion"]);
        check(
            "Dr. Ute Leidig und GRÜNE Fraktion",
            &["Fraktion Bündnis 90/Die Grünen"],
        );
    }

    #[test]
    fn names_the_group_of_a_single_councillor() {
        check(
            "Stadtrat Max Muster (Fraktion DIE LINKE)",
            &["Fraktion DIE LINKE"],
        );
        check("Stadträtin Erika Muster (SPD-Fraktion)", &["SPD-Fraktion"]);
        check("Stadtrat Max Muster (CDU)", &["CDU-Fraktion"]);
        check("SR M. Gehrt; SR Th. Kumbernuß; SR M. Götze", &[]);
        check("Oliver Gebhardt", &[]);
        check(
            "Stadträtinnen Stefanie Gruner; Anna Kaleri und Katharina Krefft",
            &[],
        );
    }

    #[test]
    fn gives_none_to_administration_districts_and_citizens() {
        check("Dezernat Allgemeine Verwaltung", &[]);
        check("02.1 Dezernat Allgemeine Verwaltung", &[]);
        check("Dezernat Umwelt, Ordnung, Sport", &[]);
        check("Oberbürgermeister", &[]);
        check("Amt für Jugend und Familie", &[]);
        check("Referat Digitale Stadt", &[]);
        check("40 Bildung und Sport", &[]);
        check("Ortschaftsrat Hartmannsdorf-Knautnaundorf", &[]);
        check("OR Mölkau", &[]);
        check("SBB Südost", &[]);
        check("Stadtbezirksbeirat Leipzig-Ost", &[]);
        check("Migrantenbeirat", &[]);
        check("Fachausschuss Finanzen", &[]);
        check("Petitionsausschuss / Petent: Mike Demmig", &[]);
        check("Heidi Koll", &[]);
        check("Gebhardt, Ulrike", &[]);
        check("SPD-Fraktion im Ortschaftsrat Wiederitzsch", &[]);
        check("FDP-OR-Fraktion", &[]);
        check("CDU-FW-Ortschaftsratsfraktion Wettersbach", &[]);
        check("Fraktionsgeschäftsstelle", &[]);
        check("Interfraktioneller Antrag", &[]);
        check("Fraktionen", &[]);
        check("", &[]);
        check(" ; ; ", &[]);
        check("Fraktion", &[]);
        check("-Fraktion", &[]);
    }

    /// Every originator of the 308 real Leipzig records: those that name a group (`Fraktion`)
    /// yield one group per named group, all others none.
    #[test]
    fn normalises_all_leipzig_stadtratmonitor_originators() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus/text/leipzig-stadtratmonitor/stadtratmonitor_input_2023-05.json"
        );
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("skipping: {path} not found");
            return;
        };
        let records: Vec<serde_json::Value> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(records.len(), 308);
        let mut distribution = std::collections::BTreeMap::<String, usize>::new();
        let mut without = 0;
        for record in &records {
            let originator = record["originator"].as_str().unwrap();
            let found = fractions(originator);
            let named = originator
                .split(';')
                .filter(|part| part.contains("Fraktion"))
                .count();
            assert_eq!(
                found.len(),
                named,
                "originator: {originator:?} -> {found:?}"
            );
            if found.is_empty() {
                without += 1;
            }
            for fraction in found {
                *distribution.entry(fraction).or_default() += 1;
            }
        }
        eprintln!("leipzig fractions: {distribution:#?}; records without a group: {without}");
        let names: Vec<&str> = distribution.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "AfD-Fraktion",
                "CDU-Fraktion",
                "Fraktion Bündnis 90/Die Grünen",
                "Fraktion DIE LINKE",
                "Fraktion Freibeuter",
                "SPD-Fraktion",
            ]
        );
    }
}
