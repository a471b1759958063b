//! ALLRIS Vorlage pages → [`Record`]s: the plain-text export ([`parse_text`]) and the HTML page
//! `vo020` of ALLRIS 3 and ALLRIS 4 ([`parse_html`]).
//!
//! Real pages are untidy: Latin-1 bytes with CRLF, non-breaking spaces between and inside
//! fields, fields glued together by a text export (`Status:öffentlich (Vorlage
//! abgeschlossen)Vorlage-Art:Anfrage`), and noise lines such as `ALLRIS® Office Integration
//! 3.9.2`. Both parsers share what a paper needs beyond its fields: the public flag, council
//! groups, the date (the paper's own, else its first consultation), and the family, which the
//! reference gives where the page lists no Stammbaum.

mod html;
mod text;

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::fraction::fractions;
use crate::reference::Reference;
use crate::{FamilyMember, Paper, Record, Result, Warning};

/// Parses the plain-text export of an ALLRIS Vorlage page (the layout of `seeds/*.txt`).
/// The language and source are left to [`crate::parse`].
pub fn parse_text(bytes: &[u8]) -> Result<Record> {
    text::parse(&decode(bytes))
}

/// Parses an ALLRIS Vorlage page (`vo020`), ALLRIS 3 or 4. Other ALLRIS pages (calendars,
/// agendas) give [`crate::Error::NotAPaper`]. The language and source are left to
/// [`crate::parse`].
pub fn parse_html(bytes: &[u8]) -> Result<Record> {
    html::parse(&decode(bytes))
}

/// Decodes a page: UTF-8 where the bytes are UTF-8 (a few broken bytes are replaced), else
/// Windows-1252, the superset of Latin-1 that browsers read `iso-8859-1` pages as. A byte order
/// mark is dropped.
pub(crate) fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let utf8 = String::from_utf8_lossy(bytes);
    let n_broken = utf8
        .chars()
        .filter(|c| *c == char::REPLACEMENT_CHARACTER)
        .count();
    if n_broken == 0 {
        return utf8.into_owned();
    }
    // Latin-1 text has (almost) no valid UTF-8 sequences: its umlauts are single bytes.
    let n_decoded = utf8
        .chars()
        .filter(|c| !c.is_ascii() && *c != char::REPLACEMENT_CHARACTER)
        .count();
    if n_decoded > n_broken {
        return utf8.into_owned();
    }
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// One line with every kind of space (non-breaking, tab, thin) turned into a plain space, runs
/// collapsed and the ends trimmed.
fn clean_line(line: &str) -> String {
    let mut cleaned = String::with_capacity(line.len());
    for word in line
        .split(|c: char| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}'))
        .filter(|word| !word.is_empty())
    {
        if !cleaned.is_empty() {
            cleaned.push(' ');
        }
        cleaned.push_str(word);
    }
    cleaned
}

static NOISE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^allris\W*\s*office\s+integration\b").expect("the noise pattern is valid")
});

/// Whether a (cleaned) line carries no content: a tool banner or nothing but punctuation.
fn is_noise(line: &str) -> bool {
    NOISE_LINE.is_match(line) || (!line.is_empty() && !line.chars().any(char::is_alphanumeric))
}

/// Body text from cleaned lines: noise lines dropped, runs of blank lines collapsed to one,
/// no blank lines at either end.
fn body_text<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = String::new();
    let mut blank_pending = false;
    for line in lines {
        if line.is_empty() || is_noise(line) {
            blank_pending = !text.is_empty();
            continue;
        }
        if !text.is_empty() {
            text.push_str(if blank_pending { "\n\n" } else { "\n" });
        }
        text.push_str(line);
        blank_pending = false;
    }
    text
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
        .expect("the date pattern is valid")
});

/// The first date in a text, German (`16.09.2020`) or ISO (`2020-09-16`).
fn find_date(text: &str) -> Option<NaiveDate> {
    DATE.captures_iter(text).find_map(|captures| {
        let number = |idx: usize| captures.get(idx)?.as_str().parse::<u32>().ok();
        let (day, month, year) = match number(1) {
            Some(day) => (day, number(2)?, number(3)?),
            None => (number(6)?, number(5)?, number(4)?),
        };
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
    })
}

/// What a status text says about publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Publicity {
    Public,
    NotPublic,
    Unknown,
}

/// Reads a status such as `öffentlich (Vorlage abgeschlossen)`, `nichtöffentlich`,
/// `nicht öffentlich` or `Nicht-öffentlich`. A status that mentions both counts as not public,
/// so a mixed page is never shown.
fn publicity(status: &str) -> Publicity {
    let folded: String = status
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    // "ffentlich" also matches where the "ö" was lost to a broken encoding.
    let not_public = ["nichtöffentlich", "nichtoeffentlich", "nichtffentlich"]
        .iter()
        .any(|word| folded.contains(word))
        || folded.contains("vertraulich")
        || folded.contains("geheim");
    if not_public {
        Publicity::NotPublic
    } else if folded.contains("ffentlich") {
        Publicity::Public
    } else {
        Publicity::Unknown
    }
}

/// Completes a paper whose fields a parser has read: reference parts, public flag, council
/// groups, date and family.
fn finish(mut paper: Paper, own_date: Option<NaiveDate>, mut warnings: Vec<Warning>) -> Record {
    paper.reference_parts = Reference::parse(&paper.reference);
    if paper.reference_parts.is_none() {
        warnings.push(Warning::new(format!(
            "reference {:?} follows no known grammar",
            paper.reference
        )));
    }
    if paper.title.is_empty() {
        warnings.push(Warning::new("missing title (Betreff)"));
    }
    paper.public = match paper.status.as_deref().map(publicity) {
        Some(Publicity::NotPublic) => false,
        Some(Publicity::Public) => true,
        Some(Publicity::Unknown) => {
            warnings.push(Warning::new("unrecognised status, taken as public"));
            true
        }
        None => {
            warnings.push(Warning::new("missing status, taken as public"));
            true
        }
    };
    paper.fractions = paper
        .originator
        .as_deref()
        .map(fractions)
        .unwrap_or_default();
    paper.date = own_date.or_else(|| {
        paper
            .consultations
            .iter()
            .filter_map(|consultation| consultation.date)
            .min()
    });
    if paper.date.is_none() {
        warnings.push(Warning::new(
            "no date: neither the paper nor a consultation has one",
        ));
    }
    let own_key = family_member_key(&paper.reference);
    paper
        .family
        .retain(|member| family_member_key(&member.reference) != own_key);
    if paper.family.is_empty() {
        if let Some(reference) = &paper.reference_parts {
            paper.family = reference
                .ancestors()
                .into_iter()
                .map(|ancestor| FamilyMember {
                    reference: ancestor.to_string(),
                    ..FamilyMember::default()
                })
                .collect();
        }
    }
    if paper.text.is_empty() {
        warnings.push(Warning::new("no body text"));
    }
    Record { paper, warnings }
}

/// Compares references regardless of spaces and case.
fn family_member_key(reference: &str) -> String {
    reference
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Each consultation on one line, `committee | role | date | result` (`-` where missing), so
/// tests can compare a Beratungsfolge at a glance.
#[cfg(test)]
fn describe_consultations(consultations: &[crate::Consultation]) -> Vec<String> {
    consultations
        .iter()
        .map(|consultation| {
            let date = consultation.date.map(|date| date.to_string());
            [
                Some(consultation.organization.as_str()),
                consultation.role.as_deref(),
                date.as_deref(),
                consultation.result.as_deref(),
            ]
            .map(|part| part.unwrap_or("-"))
            .join(" | ")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(status: &str, expected: Publicity) {
        assert_eq!(publicity(status), expected, "status: {status:?}");
    }

    #[test]
    fn reads_publicity_from_status() {
        check("öffentlich (Vorlage abgeschlossen)", Publicity::Public);
        check("öffentlich", Publicity::Public);
        check("Öffentlich", Publicity::Public);
        check("nichtöffentlich", Publicity::NotPublic);
        check("nicht öffentlich", Publicity::NotPublic);
        check(
            "Nicht-öffentlich (Vorlage freigegeben)",
            Publicity::NotPublic,
        );
        check("nicht\u{a0}öffentlich", Publicity::NotPublic);
        check("NICHTÖFFENTLICH", Publicity::NotPublic);
        check("nichtoeffentlich", Publicity::NotPublic);
        check("öffentlich/nichtöffentlich", Publicity::NotPublic);
        check("vertraulich", Publicity::NotPublic);
        check("Vorlage freigegeben", Publicity::Unknown);
        check("", Publicity::Unknown);
    }

    #[test]
    fn finds_dates() {
        let dates: Vec<Option<String>> = [
            "16.09.2020",
            "Do., 3.9.2026",
            "am 2020-09-16 um",
            "31.02.2020",
            "16.09.20",
            "",
        ]
        .iter()
        .map(|text| find_date(text).map(|date| date.to_string()))
        .collect();
        assert_eq!(
            dates,
            [
                Some("2020-09-16".to_string()),
                Some("2026-09-03".to_string()),
                Some("2020-09-16".to_string()),
                None,
                None,
                None,
            ]
        );
    }

    #[test]
    fn decodes_utf8_and_latin1() {
        assert_eq!(decode("Kongreßhalle".as_bytes()), "Kongreßhalle");
        assert_eq!(decode(b"\xef\xbb\xbfBetreff"), "Betreff");
        assert_eq!(
            decode(b"Kongre\xdfhalle \xf6ffentlich"),
            "Kongreßhalle öffentlich"
        );
        // UTF-8 with a broken byte stays UTF-8.
        let mut broken = "Kongreßhalle öffentlich für ".as_bytes().to_vec();
        broken.push(0xff);
        assert_eq!(decode(&broken), "Kongreßhalle öffentlich für \u{fffd}");
    }

    #[test]
    fn cleans_lines_and_body_text() {
        assert_eq!(clean_line(" a\u{a0}\u{a0}b\tc  "), "a b c");
        assert!(is_noise("ALLRIS® Office Integration 3.9.2"));
        assert!(is_noise("."));
        assert!(!is_noise("wir:"));
        assert_eq!(
            body_text([
                "",
                "a",
                "b",
                "",
                "",
                ".",
                "",
                "c",
                "ALLRIS® Office Integration 3.9.2",
                ""
            ]),
            "a\nb\n\nc"
        );
    }
}
