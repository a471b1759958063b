//! The Drucksachennummer (paper reference) grammar: Leipzig's `VII-F-01504-AW-01` and the
//! slash styles of other councils (`2021/0281`, `2026/245`, `1664/99`).
//!
//! A Leipzig reference reads: Wahlperiode (roman numeral), type code, running number, then a
//! chain of suffixes that each name a follow-up paper. `VII-F-01504-AW-01` is answer (`AW`) 01 to
//! Anfrage (`F`) 01504 of the 7th term; `VII-A-07860-NF-04` is the fourth new version of an Antrag.
//! Papers that share a root (`VII-F-01504`) form a family (ALLRIS "Stammbaum").

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// A parsed Drucksachennummer such as `VII-F-01504-AW-01`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    /// How the reference is written; decides how it is printed again.
    pub scheme: Scheme,
    /// The Wahlperiode as printed, a roman numeral such as `VII` (Leipzig scheme only).
    pub term: Option<String>,
    /// The Wahlperiode as a number, e.g. 7 for `VII`.
    pub term_number: Option<u32>,
    /// The type code, e.g. `F`, `DS`, `Ifo` (Leipzig), `DHH` (Karlsruhe).
    pub type_code: Option<String>,
    /// The running number as printed, leading zeros kept (`01504`).
    pub number: String,
    /// The year, where the reference carries one (`2021/0281`, `1664/99` → 1999).
    pub year: Option<i32>,
    /// Follow-up papers, outermost last: `AW-01`, `NF-02`, `ÄA-03`, `VSP-01`.
    pub suffixes: Vec<Suffix>,
}

/// One link of a suffix chain, e.g. `AW-01` (answer 01).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Suffix {
    /// The suffix code, e.g. `AW`; empty for a bare sub-number (`2025/0392/3`).
    pub code: String,
    /// Its number as printed, leading zeros kept.
    pub number: String,
}

/// The writing styles a reference can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scheme {
    /// `VII-F-01504-AW-01`: Wahlperiode, type code, number, suffix chain (Leipzig).
    Term,
    /// `2021/0281`, `DHH/2023/4102`, `2025/0392/3`: optional type, year, number, sub-number
    /// (Karlsruhe, Laatzen).
    YearNumber,
    /// `1664/99`, `A-00123/16`: optional type, number, two-digit year (Braunschweig).
    NumberYear,
    /// `1234/2014`: number, four-digit year.
    NumberFullYear,
    /// `19873`: a bare number (older Karlsruhe papers).
    Number,
}

static TERM_SCHEME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:([IVXL]+))-(\p{L}+)-(\d+)((?:-\p{L}+-\d+)*)$")
        .expect("the term scheme pattern is valid")
});
static SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-(\p{L}+)-(\d+)").expect("the suffix pattern is valid"));
static YEAR_NUMBER_SCHEME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\p{L}+)/)?((?:19|20)\d{2})/(\d+)(?:/(\d+))?$")
        .expect("the year-number pattern is valid")
});
static NUMBER_YEAR_SCHEME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\p{L}+)-)?(\d+)/(\d{2}|(?:19|20)\d{2})$")
        .expect("the number-year pattern is valid")
});

/// Type and suffix codes and what they stand for. Leipzig's codes come from its ALLRIS and the
/// Stadtratmonitor frontend; `EA` and `DF` are in use for Einwohneranträge and urgent questions.
const CODE_NAMES: &[(&str, &str)] = &[
    ("A", "Antrag"),
    ("F", "Anfrage"),
    ("EF", "Einwohneranfrage"),
    ("EA", "Einwohnerantrag"),
    ("DF", "Dringliche Anfrage"),
    ("DS", "Beschlussvorlage"),
    ("IFO", "Informationsvorlage"),
    ("P", "Petition"),
    ("HP", "Änderung zum Haushaltsplanentwurf"),
    ("WA", "Wichtige Angelegenheit"),
    ("AW", "Antwort"),
    ("ÄA", "Änderungsantrag"),
    ("NF", "Neufassung"),
    ("VSP", "Verwaltungsstandpunkt"),
    ("DHH", "Doppelhaushalt"),
    ("BV", "Bezirksvorlage"),
];

/// The long German name of a type or suffix code (`F` → `Anfrage`), ignoring case.
pub fn code_name(code: &str) -> Option<&'static str> {
    let upper = code.to_uppercase();
    CODE_NAMES
        .iter()
        .find(|(known, _)| *known == upper)
        .map(|(_, name)| *name)
}

impl Reference {
    /// Parses a reference; `None` when it follows no known grammar.
    ///
    /// Surrounding and non-breaking spaces are ignored, and dashes (`–`) count as hyphens.
    pub fn parse(text: &str) -> Option<Reference> {
        let normalized = normalize(text);
        if normalized.is_empty() || normalized.len() > 80 {
            return None;
        }
        parse_term(&normalized)
            .or_else(|| parse_year_number(&normalized))
            .or_else(|| parse_number_year(&normalized))
            .or_else(|| parse_number(&normalized))
    }

    /// The family root: the reference without its suffix chain (`VII-F-01504-AW-01` → `VII-F-01504`).
    pub fn root(&self) -> Reference {
        Reference {
            suffixes: Vec::new(),
            ..self.clone()
        }
    }

    /// A key shared by every member of a family: the root, lowercased (`vii-f-01504`).
    pub fn family_key(&self) -> String {
        self.root().to_string().to_lowercase()
    }

    /// Whether this is a follow-up paper (it has a suffix) rather than a family root.
    pub fn is_root(&self) -> bool {
        self.suffixes.is_empty()
    }

    /// Every shorter reference in the chain, root first: `VII-A-07860-NF-04-ÄA-01` →
    /// `[VII-A-07860, VII-A-07860-NF-04]`.
    pub fn ancestors(&self) -> Vec<Reference> {
        (0..self.suffixes.len())
            .map(|len| Reference {
                suffixes: self.suffixes[..len].to_vec(),
                ..self.clone()
            })
            .collect()
    }

    /// The long name of the type code (`F` → `Anfrage`), if the code is known.
    pub fn type_name(&self) -> Option<&'static str> {
        self.type_code.as_deref().and_then(code_name)
    }

    /// What this paper is: the name of the last suffix where there is one (`AW` → `Antwort`),
    /// else the name of the type code.
    pub fn kind_name(&self) -> Option<&'static str> {
        match self.suffixes.last() {
            Some(suffix) => suffix.type_name(),
            None => self.type_name(),
        }
    }
}

impl Suffix {
    /// The long name of the suffix code (`AW` → `Antwort`), if the code is known.
    pub fn type_name(&self) -> Option<&'static str> {
        code_name(&self.code)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let type_code = self.type_code.as_deref().unwrap_or_default();
        match self.scheme {
            Scheme::Term => {
                let term = self.term.as_deref().unwrap_or_default();
                write!(f, "{term}-{type_code}-{}", self.number)?;
                for suffix in &self.suffixes {
                    write!(f, "-{}-{}", suffix.code, suffix.number)?;
                }
            }
            Scheme::YearNumber => {
                if !type_code.is_empty() {
                    write!(f, "{type_code}/")?;
                }
                write!(f, "{}/{}", self.year.unwrap_or_default(), self.number)?;
                for suffix in &self.suffixes {
                    write!(f, "/{}", suffix.number)?;
                }
            }
            Scheme::NumberYear | Scheme::NumberFullYear => {
                if !type_code.is_empty() {
                    write!(f, "{type_code}-")?;
                }
                let year = self.year.unwrap_or_default();
                if self.scheme == Scheme::NumberYear {
                    write!(f, "{}/{:02}", self.number, year.rem_euclid(100))?;
                } else {
                    write!(f, "{}/{year}", self.number)?;
                }
            }
            Scheme::Number => write!(f, "{}", self.number)?,
        }
        Ok(())
    }
}

/// Trims, drops inner spaces and folds dash variants into `-`.
fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200b}' | '\u{feff}'))
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            other => other,
        })
        .collect()
}

fn parse_term(text: &str) -> Option<Reference> {
    let captures = TERM_SCHEME.captures(text)?;
    let term = captures[1].to_uppercase();
    let term_number = roman_to_number(&term)?;
    let suffixes = SUFFIX
        .captures_iter(&captures[4])
        .map(|suffix| Suffix {
            code: suffix[1].to_string(),
            number: suffix[2].to_string(),
        })
        .collect();
    Some(Reference {
        scheme: Scheme::Term,
        term: Some(term),
        term_number: Some(term_number),
        type_code: Some(captures[2].to_string()),
        number: captures[3].to_string(),
        year: None,
        suffixes,
    })
}

fn parse_year_number(text: &str) -> Option<Reference> {
    let captures = YEAR_NUMBER_SCHEME.captures(text)?;
    let suffixes = captures
        .get(4)
        .map(|sub| Suffix {
            code: String::new(),
            number: sub.as_str().to_string(),
        })
        .into_iter()
        .collect();
    Some(Reference {
        scheme: Scheme::YearNumber,
        term: None,
        term_number: None,
        type_code: captures.get(1).map(|code| code.as_str().to_string()),
        number: captures[3].to_string(),
        year: captures[2].parse().ok(),
        suffixes,
    })
}

fn parse_number_year(text: &str) -> Option<Reference> {
    let captures = NUMBER_YEAR_SCHEME.captures(text)?;
    let printed_year: i32 = captures[3].parse().ok()?;
    // Two-digit years: 50–99 are last century, the rest this one.
    let (scheme, year) = match printed_year {
        0..=49 => (Scheme::NumberYear, 2000 + printed_year),
        50..=99 => (Scheme::NumberYear, 1900 + printed_year),
        _ => (Scheme::NumberFullYear, printed_year),
    };
    Some(Reference {
        scheme,
        term: None,
        term_number: None,
        type_code: captures.get(1).map(|code| code.as_str().to_string()),
        number: captures[2].to_string(),
        year: Some(year),
        suffixes: Vec::new(),
    })
}

fn parse_number(text: &str) -> Option<Reference> {
    if text.len() > 12 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    Some(Reference {
        scheme: Scheme::Number,
        term: None,
        term_number: None,
        type_code: None,
        number: text.to_string(),
        year: None,
        suffixes: Vec::new(),
    })
}

/// The value of an uppercase roman numeral; `None` when it is not written in the usual way
/// (so `IIII` or `VX` are no Wahlperiode).
fn roman_to_number(roman: &str) -> Option<u32> {
    let digit = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        _ => None,
    };
    let values = roman.chars().map(digit).collect::<Option<Vec<u32>>>()?;
    let mut total = 0;
    for (idx, value) in values.iter().enumerate() {
        match values.get(idx + 1) {
            Some(next) if next > value => total -= *value as i64,
            _ => total += *value as i64,
        }
    }
    let total = u32::try_from(total).ok().filter(|total| *total > 0)?;
    (number_to_roman(total) == roman).then_some(total)
}

fn number_to_roman(mut number: u32) -> String {
    const NUMERALS: &[(u32, &str)] = &[
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut roman = String::new();
    for (value, numeral) in NUMERALS {
        while number >= *value {
            roman.push_str(numeral);
            number -= value;
        }
    }
    roman
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `input` and prints it back in a compact form: scheme, term, type, number, year,
    /// suffixes — or `None`.
    fn check(input: &str, expected: &str) {
        let actual = match Reference::parse(input) {
            None => "None".to_string(),
            Some(reference) => {
                let suffixes: Vec<String> = reference
                    .suffixes
                    .iter()
                    .map(|suffix| format!("{}-{}", suffix.code, suffix.number))
                    .collect();
                format!(
                    "{:?} term={} ({}) type={} number={} year={} suffixes=[{}]",
                    reference.scheme,
                    reference.term.as_deref().unwrap_or("-"),
                    reference.term_number.unwrap_or_default(),
                    reference.type_code.as_deref().unwrap_or("-"),
                    reference.number,
                    reference.year.unwrap_or_default(),
                    suffixes.join(" "),
                )
            }
        };
        assert_eq!(actual, expected, "input: {input:?}");
    }

    #[test]
    fn parses_leipzig_references() {
        check(
            "VII-F-01504-AW-01",
            "Term term=VII (7) type=F number=01504 year=0 suffixes=[AW-01]",
        );
        check(
            "VII-F-01504",
            "Term term=VII (7) type=F number=01504 year=0 suffixes=[]",
        );
        check(
            "VI-DS-01625-ÄA-001",
            "Term term=VI (6) type=DS number=01625 year=0 suffixes=[ÄA-001]",
        );
        check(
            "VII-A-07860-NF-04",
            "Term term=VII (7) type=A number=07860 year=0 suffixes=[NF-04]",
        );
        check(
            "VII-P-07960-DS-02",
            "Term term=VII (7) type=P number=07960 year=0 suffixes=[DS-02]",
        );
        check(
            "VII-A-07860-NF-02-ÄA-03",
            "Term term=VII (7) type=A number=07860 year=0 suffixes=[NF-02 ÄA-03]",
        );
        check(
            "VI-Ifo-01234",
            "Term term=VI (6) type=Ifo number=01234 year=0 suffixes=[]",
        );
        check(
            "V-A-00123-VSP-01",
            "Term term=V (5) type=A number=00123 year=0 suffixes=[VSP-01]",
        );
        check(
            "  VII-EF-08640\u{a0} ",
            "Term term=VII (7) type=EF number=08640 year=0 suffixes=[]",
        );
        check(
            "VII–WA–00012",
            "Term term=VII (7) type=WA number=00012 year=0 suffixes=[]",
        );
        check(
            "vii-f-01504",
            "Term term=VII (7) type=f number=01504 year=0 suffixes=[]",
        );
    }

    #[test]
    fn parses_other_councils() {
        check(
            "2021/0281",
            "YearNumber term=- (0) type=- number=0281 year=2021 suffixes=[]",
        );
        check(
            "2025/0392/3",
            "YearNumber term=- (0) type=- number=0392 year=2025 suffixes=[-3]",
        );
        check(
            "DHH/2023/4102",
            "YearNumber term=- (0) type=DHH number=4102 year=2023 suffixes=[]",
        );
        check(
            "2026/245",
            "YearNumber term=- (0) type=- number=245 year=2026 suffixes=[]",
        );
        check(
            "1664/99",
            "NumberYear term=- (0) type=- number=1664 year=1999 suffixes=[]",
        );
        check(
            "A-00123/16",
            "NumberYear term=- (0) type=A number=00123 year=2016 suffixes=[]",
        );
        check(
            "1234/2014",
            "NumberFullYear term=- (0) type=- number=1234 year=2014 suffixes=[]",
        );
        check(
            "19873",
            "Number term=- (0) type=- number=19873 year=0 suffixes=[]",
        );
    }

    #[test]
    fn rejects_what_is_no_reference() {
        check("", "None");
        check("   ", "None");
        check("Anfrage", "None");
        check("IIII-F-01504", "None");
        check("VII-F-", "None");
        check("VII-F-01504-AW", "None");
        check("25-30/01551", "None");
        check("VII-F-01504 Anfrage", "None");
        check(&"1".repeat(200), "None");
        check("12345678901234567", "None");
    }

    #[test]
    fn prints_what_it_parsed() {
        for text in [
            "VII-F-01504-AW-01",
            "VI-DS-01625-ÄA-001",
            "VII-A-07860-NF-02-ÄA-03",
            "2021/0281",
            "2025/0392/3",
            "DHH/2023/4102",
            "1664/99",
            "A-00123/16",
            "1234/2014",
            "19873",
        ] {
            let reference = Reference::parse(text).unwrap();
            assert_eq!(reference.to_string(), text);
        }
    }

    #[test]
    fn knows_its_family() {
        let answer = Reference::parse("VII-F-01504-AW-01").unwrap();
        assert_eq!(answer.root().to_string(), "VII-F-01504");
        assert_eq!(answer.family_key(), "vii-f-01504");
        assert_eq!(
            answer.family_key(),
            Reference::parse("VII-F-01504").unwrap().family_key()
        );
        assert!(!answer.is_root());
        assert_eq!(answer.type_name(), Some("Anfrage"));
        assert_eq!(answer.kind_name(), Some("Antwort"));

        let amendment = Reference::parse("VII-A-07860-NF-02-ÄA-03").unwrap();
        let ancestors: Vec<String> = amendment
            .ancestors()
            .iter()
            .map(|reference| reference.to_string())
            .collect();
        assert_eq!(ancestors, ["VII-A-07860", "VII-A-07860-NF-02"]);
        assert_eq!(amendment.kind_name(), Some("Änderungsantrag"));

        let karlsruhe = Reference::parse("2025/0392/3").unwrap();
        assert_eq!(karlsruhe.root().to_string(), "2025/0392");
        assert_eq!(karlsruhe.kind_name(), None);
    }

    #[test]
    fn names_type_codes() {
        let names: Vec<Option<&str>> = [
            "F", "A", "DS", "Ifo", "EF", "P", "AW", "ÄA", "NF", "VSP", "WA", "HP", "XYZ",
        ]
        .iter()
        .map(|code| code_name(code))
        .collect();
        assert_eq!(
            names,
            [
                Some("Anfrage"),
                Some("Antrag"),
                Some("Beschlussvorlage"),
                Some("Informationsvorlage"),
                Some("Einwohneranfrage"),
                Some("Petition"),
                Some("Antwort"),
                Some("Änderungsantrag"),
                Some("Neufassung"),
                Some("Verwaltungsstandpunkt"),
                Some("Wichtige Angelegenheit"),
                Some("Änderung zum Haushaltsplanentwurf"),
                None,
            ]
        );
    }

    /// Every reference of the 308 real Leipzig records (Stadtratmonitor, May 2023) parses into
    /// the Leipzig scheme, and the type code names what the record calls its paper type.
    #[test]
    fn parses_all_leipzig_stadtratmonitor_records() {
        let Some(records) = leipzig_records() else {
            return;
        };
        assert_eq!(records.len(), 308);
        let mut parsed = 0;
        let mut by_code = std::collections::BTreeMap::<String, usize>::new();
        for record in &records {
            let text = record["reference"].as_str().unwrap();
            let reference =
                Reference::parse(text).unwrap_or_else(|| panic!("{text} does not parse"));
            assert_eq!(reference.scheme, Scheme::Term);
            assert_eq!(reference.to_string(), text);
            assert_eq!(reference.term_number, Some(7), "{text}");
            assert!(reference.kind_name().is_some(), "{text}: unknown code");
            let codes: Vec<&str> = std::iter::once(reference.type_code.as_deref().unwrap())
                .chain(reference.suffixes.iter().map(|suffix| suffix.code.as_str()))
                .collect();
            *by_code.entry(codes.join("-")).or_default() += 1;
            parsed += 1;
        }
        eprintln!("leipzig references: {parsed}/308 parse; by code chain: {by_code:?}");
        assert_eq!(parsed, 308);
        assert_eq!(by_code["HP"], 297);
    }

    /// The references of the 280 sampled Karlsruhe OParl papers (`2021/0281`, `19873`,
    /// `2025/0392/3`, `DHH/2023/4102`) parse and print back unchanged.
    #[test]
    fn parses_karlsruhe_oparl_references() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus/oparl/karlsruhe/papers-sample"
        );
        let Ok(entries) = std::fs::read_dir(dir) else {
            eprintln!("skipping: {dir} not found");
            return;
        };
        let mut schemes = std::collections::BTreeMap::<String, usize>::new();
        let mut failed = Vec::new();
        for entry in entries {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let paper: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let Some(text) = paper["reference"].as_str() else {
                continue;
            };
            match Reference::parse(text) {
                Some(reference) => {
                    assert_eq!(reference.to_string(), text);
                    *schemes
                        .entry(format!("{:?}", reference.scheme))
                        .or_default() += 1;
                }
                None => failed.push(text.to_string()),
            }
        }
        eprintln!("karlsruhe references by scheme: {schemes:?}; not parsed: {failed:?}");
        assert!(failed.is_empty());
        assert_eq!(schemes.values().sum::<usize>(), 280);
    }

    /// The Stadtratmonitor records, or `None` (with a note) when the shared corpus is absent.
    fn leipzig_records() -> Option<Vec<serde_json::Value>> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/corpus/text/leipzig-stadtratmonitor/stadtratmonitor_input_2023-05.json"
        );
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("skipping: {path} not found");
            return None;
        };
        Some(serde_json::from_slice(&bytes).unwrap())
    }
}
