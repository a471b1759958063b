//! The plain-text export of an ALLRIS Vorlage page, laid out like `seeds/000_063f18eb785f93d6.txt`:
//! a heading `Vorlage - VII-F-01504`, labelled header fields (possibly glued together), the
//! Beratungsfolge as groups of lines (committee and role; date; meeting, place and result), the
//! body under a section heading such as `Sachverhalt`, and the Stammbaum as one line per paper
//! with columns separated by runs of (non-breaking) spaces.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::{body_text, clean_line, find_date, finish, is_noise};
use crate::{Consultation, Error, FamilyMember, Paper, Record, Result, Warning};

/// Header labels, longest first so that `Vorlage-Art:` wins over a shorter label inside it.
const LABELS: &[(&str, Field)] = &[
    ("Federführendes Amt", Field::Lead),
    ("Beratungsfolge", Field::Consultations),
    ("Antragsteller", Field::Originator),
    ("Aktenzeichen", Field::Ignored),
    ("Vorlage-Art", Field::PaperType),
    ("Federführend", Field::Lead),
    ("Vorlagedatum", Field::Date),
    ("Einreicher", Field::Originator),
    ("Bearbeiter", Field::Ignored),
    ("Vorlageart", Field::PaperType),
    ("Stammbaum", Field::Family),
    ("Verfasser", Field::Author),
    ("Beteiligt", Field::Ignored),
    ("Betreff", Field::Title),
    ("Anlass", Field::Occasion),
    ("Status", Field::Status),
    ("Datum", Field::Date),
];

/// What a header label stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Occasion,
    Status,
    PaperType,
    Originator,
    Lead,
    Author,
    Date,
    Consultations,
    Family,
    Ignored,
}

/// Lines that open the body (compared without a trailing colon).
const SECTION_HEADINGS: &[&str] = &[
    "Sachverhalt",
    "Beschlussvorschlag",
    "Begründung",
    "Antwort",
    "Beschluss",
    "Anfrage",
    "Antrag",
    "Petition",
    "Sachdarstellung",
    "Problembeschreibung",
    "Inhalt",
    "Vorlagentext",
    "Zusammenfassung",
    "Finanzielle Auswirkungen",
];

/// What a committee does with a paper, as the Beratungsfolge prints it after the committee.
const ROLES: &[&str] = &[
    "schriftliche Beantwortung",
    "mündliche Beantwortung",
    "Vorberatung (federführend)",
    "zur Kenntnisnahme",
    "Beschlussfassung",
    "Beschlussempfehlung",
    "Stellungnahme",
    "Kenntnisnahme",
    "Beantwortung",
    "Vorberatung",
    "Entscheidung",
    "Information",
    "Bestätigung",
    "Einbringung",
    "Zustimmung",
    "Erörterung",
    "Anhörung",
    "Beratung",
];

/// Outcomes of a consultation, as printed at the end of a meeting line.
const RESULTS: &[&str] = &[
    "mit Änderungen beschlossen",
    "zur Kenntnis genommen",
    "ungeändert beschlossen",
    "geändert beschlossen",
    "einstimmig beschlossen",
    "mehrheitlich beschlossen",
    "Kenntnis genommen",
    "nicht behandelt",
    "zurückgezogen",
    "zurückgestellt",
    "ohne Votum",
    "beschlossen",
    "beantwortet",
    "zugestimmt",
    "abgelehnt",
    "abgesetzt",
    "behandelt",
    "bestätigt",
    "verwiesen",
    "empfohlen",
    "erledigt",
    "vertagt",
];

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{L}[\p{L}\- ]{0,40}?)\s+[-–]\s+(\S+)").expect("the heading pattern is valid")
});
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = LABELS
        .iter()
        .map(|(label, _)| regex::escape(label))
        .collect();
    Regex::new(&format!(r"({})\s*:", alternatives.join("|"))).expect("the label pattern is valid")
});
static LEADING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{L}{2,3}\.?,?\s+)?(\d{1,2}\.\d{1,2}\.\d{4})\b\s*(.*)$")
        .expect("the leading date pattern is valid")
});
static POSTAL_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.*\b\d{5}\s+[\p{L}\-]+)\s+(\S.*)$").expect("the postal pattern is valid")
});
static COLUMN_GAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s{2,}|\t").expect("the column pattern is valid"));

/// Parses the decoded text of an export.
pub(super) fn parse(text: &str) -> Result<Record> {
    let raw_lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.trim_end_matches('\r'))
        .collect();
    let lines: Vec<String> = raw_lines.iter().map(|line| clean_line(line)).collect();
    let Some((heading_idx, reference)) = find_heading(&lines) else {
        let has_fields = lines.iter().any(|line| line.starts_with("Betreff"));
        return Err(if has_fields {
            Error::MissingField { field: "reference" }
        } else {
            Error::NotAPaper("no heading like \"Vorlage - VII-F-01504\" and no Betreff".into())
        });
    };
    let mut warnings = Vec::new();
    let mut paper = Paper {
        reference,
        ..Paper::default()
    };
    let mut header = Header::default();
    let mut idx = heading_idx + 1;
    let mut pending_consultation = None;
    let mut in_consultations = false;
    let mut in_family = false;

    // Header fields, up to the Beratungsfolge, the first section heading, or a line that
    // neither has a label nor continues the field just before it (a body without heading).
    while idx < lines.len() {
        let line = lines[idx].as_str();
        if is_section_heading(line) || is_noise(line) {
            break;
        }
        let values = labelled_values(line);
        if values.is_empty() {
            if line.is_empty() {
                header.last = None;
            } else if !header.continue_last(line) {
                break;
            }
            idx += 1;
            continue;
        }
        idx += 1;
        let mut stop = false;
        for (field, value) in values {
            match field {
                Field::Consultations => {
                    in_consultations = true;
                    pending_consultation = Some(value).filter(|value| !value.is_empty());
                    stop = true;
                }
                Field::Family => {
                    in_family = true;
                    stop = true;
                }
                _ => header.set(field, value),
            }
        }
        if stop {
            break;
        }
    }

    // Beratungsfolge.
    let mut consultations = Consultations::default();
    if in_consultations {
        if let Some(line) = pending_consultation {
            consultations.push_line(&line);
        }
        while idx < lines.len() {
            let line = lines[idx].as_str();
            if is_section_heading(line) || is_noise(line) || starts_with_label(line, "Stammbaum") {
                break;
            }
            consultations.push_line(line);
            idx += 1;
        }
    }

    // Body, up to the Stammbaum.
    if !in_family {
        if lines.get(idx).is_some_and(|line| is_section_heading(line)) {
            idx += 1;
        }
        let body_start = idx;
        while idx < lines.len() && !starts_with_label(&lines[idx], "Stammbaum") {
            idx += 1;
        }
        paper.text = body_text(lines[body_start..idx].iter().map(String::as_str));
        if idx < lines.len() {
            in_family = true;
            idx += 1;
        }
    }

    // Stammbaum: one paper per line.
    if in_family {
        paper.family = raw_lines[idx.min(raw_lines.len())..]
            .iter()
            .filter_map(|line| family_member(line))
            .collect();
    }

    paper.title = header.title.unwrap_or_default();
    paper.occasion = header.occasion;
    paper.status = header.status;
    paper.paper_type = header.paper_type;
    paper.originator = header.originator.or(header.lead).or(header.author);
    paper.consultations = consultations.list;
    if paper.consultations.is_empty() && in_consultations {
        warnings.push(Warning::new("empty Beratungsfolge"));
    }
    Ok(finish(paper, header.date, warnings))
}

/// The heading line `Vorlage - VII-F-01504` among the first lines: its index and the reference.
fn find_heading(lines: &[String]) -> Option<(usize, String)> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.is_empty())
        .take(12)
        .find_map(|(idx, line)| {
            let captures = HEADING.captures(line)?;
            let reference = captures[2].trim_end_matches([',', ';', ':']);
            // A reference has a digit; "Vorlage - Übersicht" is a menu, not a heading.
            reference
                .chars()
                .any(|c| c.is_ascii_digit())
                .then(|| (idx, reference.to_string()))
        })
}

/// The labelled values on one line, in order: `Status:öffentlich (…)Vorlage-Art:Anfrage` →
/// `[(Status, "öffentlich (…)"), (PaperType, "Anfrage")]`.
fn labelled_values(line: &str) -> Vec<(Field, String)> {
    let matches: Vec<(usize, usize, Field)> = LABEL
        .captures_iter(line)
        .filter_map(|captures| {
            let whole = captures.get(0)?;
            let label = captures.get(1)?.as_str();
            let field = LABELS.iter().find(|(known, _)| *known == label)?.1;
            Some((whole.start(), whole.end(), field))
        })
        .collect();
    matches
        .iter()
        .enumerate()
        .map(|(idx, (_, end, field))| {
            let value_end = matches.get(idx + 1).map_or(line.len(), |next| next.0);
            (*field, line[*end..value_end].trim().to_string())
        })
        .collect()
}

fn starts_with_label(line: &str, label: &str) -> bool {
    line.strip_prefix(label)
        .is_some_and(|rest| rest.trim_start().starts_with(':') || rest.trim().is_empty())
}

pub(super) fn is_section_heading(line: &str) -> bool {
    let heading = line.trim_end_matches(':').trim_end();
    SECTION_HEADINGS
        .iter()
        .any(|known| known.eq_ignore_ascii_case(heading))
}

/// The header fields as read so far.
#[derive(Debug, Default)]
struct Header {
    title: Option<String>,
    occasion: Option<String>,
    status: Option<String>,
    paper_type: Option<String>,
    originator: Option<String>,
    lead: Option<String>,
    author: Option<String>,
    date: Option<NaiveDate>,
    last: Option<Field>,
}

impl Header {
    fn set(&mut self, field: Field, value: String) {
        self.last = Some(field);
        let value = Some(value).filter(|value| !value.is_empty());
        match field {
            Field::Title => self.title = value,
            Field::Occasion => self.occasion = value,
            Field::Status => self.status = value,
            Field::PaperType => self.paper_type = value,
            Field::Originator => self.originator = value,
            Field::Lead => self.lead = value,
            Field::Author => self.author = value,
            Field::Date => self.date = value.as_deref().and_then(find_date),
            Field::Consultations | Field::Family | Field::Ignored => {}
        }
    }

    /// A line without a label right after a field continues it (a Betreff over two lines);
    /// `false` when there is no such field.
    fn continue_last(&mut self, line: &str) -> bool {
        let slot = match self.last {
            Some(Field::Title) => &mut self.title,
            Some(Field::Originator) => &mut self.originator,
            _ => return false,
        };
        let joined = match slot.take() {
            Some(previous) => format!("{previous} {line}"),
            None => line.to_string(),
        };
        *slot = Some(joined);
        true
    }
}

/// The Beratungsfolge as it is read line by line.
#[derive(Debug, Default)]
struct Consultations {
    list: Vec<Consultation>,
    /// The last line was a date, so the next one names the meeting, its place and result.
    after_date: bool,
}

impl Consultations {
    fn push_line(&mut self, line: &str) {
        if line.is_empty() {
            return;
        }
        if let Some(captures) = LEADING_DATE.captures(line) {
            self.start_meeting(find_date(&captures[1]));
            let rest = captures[2].trim();
            self.after_date = rest.is_empty();
            if !rest.is_empty() {
                self.meeting_line(rest);
            }
            return;
        }
        // A committee line right after a date: the meeting row was left out.
        let looks_like_committee = split_suffix(line, ROLES).1.is_some() && !line.contains(',');
        if self.after_date && !looks_like_committee {
            self.meeting_line(line);
        } else {
            let (organization, role) = split_suffix(line, ROLES);
            self.list.push(Consultation {
                organization: organization.to_string(),
                role: role.map(str::to_string),
                ..Consultation::default()
            });
        }
        self.after_date = false;
    }

    /// A date opens a meeting: of the current committee, or a further one of the same committee.
    fn start_meeting(&mut self, date: Option<NaiveDate>) {
        match self.list.last_mut() {
            Some(last) if last.date.is_none() && last.result.is_none() => last.date = date,
            Some(last) => {
                let next = Consultation {
                    organization: last.organization.clone(),
                    role: last.role.clone(),
                    date,
                    ..Consultation::default()
                };
                self.list.push(next);
            }
            None => self.list.push(Consultation {
                date,
                ..Consultation::default()
            }),
        }
    }

    /// `Ratsversammlung, Kongreßhalle Leipzig, Pfaffendorfer Str. 31, 04105 Leipzig vertagt`.
    fn meeting_line(&mut self, line: &str) {
        let (meeting, result) = match split_suffix(line, RESULTS) {
            (meeting, Some(result)) => (meeting, Some(result.to_string())),
            (_, None) => match POSTAL_PLACE.captures(line) {
                Some(captures) => (
                    captures.get(1).map_or("", |place| place.as_str()),
                    Some(captures[2].to_string()),
                ),
                None => (line, None),
            },
        };
        let (name, place) = match meeting.split_once(',') {
            Some((name, place)) => (name.trim(), Some(place.trim().to_string())),
            None => (meeting.trim(), None),
        };
        if self.list.is_empty() {
            self.list.push(Consultation::default());
        }
        if let Some(current) = self.list.last_mut() {
            if current.organization.is_empty() {
                current.organization = name.to_string();
            }
            current.place = place.filter(|place| !place.is_empty());
            current.result = result;
        }
    }
}

/// Splits a known phrase off the end of a line (ignoring case): `Ratsversammlung schriftliche
/// Beantwortung` → (`Ratsversammlung`, `schriftliche Beantwortung`).
fn split_suffix<'a>(line: &'a str, phrases: &[&'static str]) -> (&'a str, Option<&'a str>) {
    let lower = line.to_lowercase();
    // Lowercasing can change byte lengths (rarely); then the line is left whole.
    if lower.len() != line.len() {
        return (line, None);
    }
    let found = phrases
        .iter()
        .filter(|phrase| lower.ends_with(&phrase.to_lowercase()))
        .max_by_key(|phrase| phrase.len());
    let Some(phrase) = found else {
        return (line, None);
    };
    let Some(start) = line.len().checked_sub(phrase.len()) else {
        return (line, None);
    };
    if !line.is_char_boundary(start) {
        return (line, None);
    }
    let head = &line[..start];
    if !(head.is_empty() || head.ends_with(' ')) {
        return (line, None);
    }
    (head.trim_end(), Some(&line[start..]))
}

/// A Stammbaum line: reference, title, originator and paper type in columns.
fn family_member(raw_line: &str) -> Option<FamilyMember> {
    let columns: Vec<String> = COLUMN_GAP
        .split(raw_line)
        .map(clean_line)
        .filter(|column| !column.is_empty())
        .collect();
    let (reference, rest) = match columns.as_slice() {
        [] => return None,
        [only] => {
            // No column gaps: the reference is the first word.
            let (reference, rest) = only.split_once(' ').unwrap_or((only, ""));
            (reference.to_string(), vec![rest.to_string()])
        }
        [first, rest @ ..] => (first.clone(), rest.to_vec()),
    };
    let is_reference = reference.chars().any(|c| c.is_ascii_digit())
        && reference.chars().any(|c| c.is_alphanumeric())
        && !reference.contains(':');
    if !is_reference {
        return None;
    }
    let column = |idx: usize| rest.get(idx).filter(|value| !value.is_empty()).cloned();
    Some(FamilyMember {
        reference,
        title: column(0),
        originator: column(1),
        paper_type: column(2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_text() -> Option<String> {
        crate::fixtures::seed().map(|bytes| String::from_utf8(bytes).unwrap())
    }

    /// The Sachverhalt of the seed as it should come out: noise lines and the lone `.` dropped,
    /// non-breaking spaces gone, the six questions kept in order.
    fn assert_seed_text(text: &str) {
        assert!(
            text.starts_with("Zur Begegnung der Corona-Krise hat die Stadtverwaltung"),
            "{text}"
        );
        assert!(
            text.ends_with("um ihre Arbeitsfähigkeit zu sichern."),
            "{text}"
        );
        let paragraphs: Vec<&str> = text.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 9, "{paragraphs:#?}");
        assert_eq!(paragraphs[2], "wir:");
        let questions: Vec<&str> = paragraphs[3..]
            .iter()
            .map(|paragraph| paragraph.split(' ').nth(1).unwrap())
            .collect();
        assert_eq!(
            questions,
            ["Welche", "Welchen", "Welche", "Finden", "Welche", "Gibt"]
        );
        assert!(paragraphs[3..]
            .iter()
            .all(|paragraph| paragraph.starts_with("1. ")));
        assert!(!text.contains("ALLRIS") && !text.contains('\u{a0}'));
        assert!(!text.lines().any(|line| line.trim() == "."));
    }

    /// Every field of the seed page, one by one.
    fn assert_seed_fields(record: &Record) {
        let paper = &record.paper;
        assert_eq!(paper.reference, "VII-F-01504");
        let parts = paper.reference_parts.as_ref().unwrap();
        assert_eq!(parts.term.as_deref(), Some("VII"));
        assert_eq!(parts.term_number, Some(7));
        assert_eq!(parts.type_code.as_deref(), Some("F"));
        assert_eq!(parts.number, "01504");
        assert!(parts.suffixes.is_empty());
        assert_eq!(
            paper.title,
            "IT-Ausstattung und Organisation der Arbeit der Verwaltung"
        );
        assert_eq!(paper.occasion.as_deref(), Some("Sonstiges"));
        assert_eq!(
            paper.status.as_deref(),
            Some("öffentlich (Vorlage abgeschlossen)")
        );
        assert!(paper.public);
        assert_eq!(paper.paper_type.as_deref(), Some("Anfrage"));
        assert_eq!(paper.originator.as_deref(), Some("SPD-Fraktion"));
        assert_eq!(paper.fractions, ["SPD-Fraktion"]);
        assert_eq!(
            paper.consultations,
            [Consultation {
                organization: "Ratsversammlung".to_string(),
                date: NaiveDate::from_ymd_opt(2020, 9, 16),
                role: Some("schriftliche Beantwortung".to_string()),
                result: Some("vertagt".to_string()),
                place: Some(
                    "Kongreßhalle Leipzig, Pfaffendorfer Str. 31, 04105 Leipzig".to_string()
                ),
            }]
        );
        assert_eq!(paper.date, NaiveDate::from_ymd_opt(2020, 9, 16));
        assert_eq!(
            paper.family,
            [FamilyMember {
                reference: "VII-F-01504-AW-01".to_string(),
                title: Some(
                    "IT-Ausstattung und Organisation der Arbeit der Verwaltung".to_string()
                ),
                originator: Some("02.1 Dezernat Allgemeine Verwaltung".to_string()),
                paper_type: Some("schriftliche Antwort zur Anfrage".to_string()),
            }]
        );
        assert_seed_text(&paper.text);
        assert_eq!(paper.body, "");
        assert!(paper.files.is_empty());
        assert_eq!(paper.web_url, None);
        assert_eq!(record.warnings, []);
    }

    #[test]
    fn reads_every_field_of_the_seed() {
        let Some(seed_page) = seed_text() else {
            return;
        };
        let record = crate::allris::parse_text(seed_page.as_bytes()).unwrap();
        assert_seed_fields(&record);
        assert!(!record.paper.text.contains("ALLRIS"));
        assert!(!record.paper.text.contains('\u{a0}'));
    }

    #[test]
    fn survives_crlf_and_latin1() {
        let Some(seed_page) = seed_text() else {
            return;
        };
        let crlf = seed_page.replace('\n', "\r\n");
        let (latin1, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&crlf);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&latin1).is_err());
        assert_seed_fields(&crate::allris::parse_text(&latin1).unwrap());
        assert_seed_fields(&crate::allris::parse_text(crlf.as_bytes()).unwrap());
    }

    #[test]
    fn survives_non_breaking_spaces_everywhere() {
        let Some(seed_page) = seed_text() else {
            return;
        };
        let nbsp = seed_page.replace(' ', "\u{a0}");
        assert_seed_fields(&crate::allris::parse_text(nbsp.as_bytes()).unwrap());
        let tabs = seed_page.replace(" \u{a0} ", "\t");
        assert_seed_fields(&crate::allris::parse_text(tabs.as_bytes()).unwrap());
    }

    #[test]
    fn survives_fields_on_lines_of_their_own() {
        let Some(seed_page) = seed_text() else {
            return;
        };
        let unglued = seed_page.replace(")Vorlage-Art:", ")\nVorlage-Art: ");
        assert_seed_fields(&crate::allris::parse_text(unglued.as_bytes()).unwrap());
        let glued = seed_page.replace("Anfrage\nEinreicher:", "AnfrageEinreicher:");
        assert_seed_fields(&crate::allris::parse_text(glued.as_bytes()).unwrap());
    }

    #[test]
    fn marks_non_public_copies() {
        let Some(seed_page) = seed_text() else {
            return;
        };
        for status in [
            "nichtöffentlich",
            "nicht öffentlich",
            "Nicht\u{a0}öffentlich",
        ] {
            let page = seed_page.replace("Status:öffentlich", &format!("Status:{status}"));
            let record = crate::allris::parse_text(page.as_bytes()).unwrap();
            assert!(!record.paper.public, "status {status:?}");
            assert_eq!(record.paper.reference, "VII-F-01504");
        }
    }

    #[test]
    fn derives_the_family_without_a_stammbaum() {
        let Some(seed_page) = seed_text() else {
            return;
        };
        let seed = seed_page.clone();
        let answer = seed[..seed.find("Stammbaum:").unwrap()]
            .replace("Vorlage - VII-F-01504", "Vorlage - VII-F-01504-AW-01");
        let record = crate::allris::parse_text(answer.as_bytes()).unwrap();
        assert_eq!(record.paper.reference, "VII-F-01504-AW-01");
        assert_eq!(
            record.paper.family,
            [FamilyMember {
                reference: "VII-F-01504".to_string(),
                ..FamilyMember::default()
            }]
        );
        assert_seed_text(&record.paper.text);
    }

    #[test]
    fn reads_several_meetings_and_committees() {
        let page = "Vorlage - VII-A-00001
Betreff: Test
Status: öffentlich
Beratungsfolge:
Fachausschuss Finanzen Vorberatung
01.02.2021
Fachausschuss Finanzen, Neues Rathaus, Martin-Luther-Ring 4-6, 04109 Leipzig vertagt
08.02.2021
Fachausschuss Finanzen, Neues Rathaus, Martin-Luther-Ring 4-6, 04109 Leipzig ungeändert beschlossen
Ratsversammlung Beschlussfassung
Sachverhalt
Text.
";
        let record = crate::allris::parse_text(page.as_bytes()).unwrap();
        assert_eq!(
            super::super::describe_consultations(&record.paper.consultations),
            [
                "Fachausschuss Finanzen | Vorberatung | 2021-02-01 | vertagt",
                "Fachausschuss Finanzen | Vorberatung | 2021-02-08 | ungeändert beschlossen",
                "Ratsversammlung | Beschlussfassung | - | -",
            ]
        );
        assert_eq!(record.paper.date, NaiveDate::from_ymd_opt(2021, 2, 1));
        assert_eq!(record.paper.text, "Text.");
    }

    #[test]
    fn reads_a_body_without_heading_and_a_title_over_two_lines() {
        let page = "Vorlage - VII-A-00002
Betreff: Sanierung der Schwimmhalle
Nord in Leipzig-Gohlis
Status: öffentlich
Einreicher: Fraktion Freibeuter

Der Stadtrat möge beschließen:
Die Schwimmhalle wird saniert.
";
        let paper = crate::allris::parse_text(page.as_bytes()).unwrap().paper;
        assert_eq!(
            paper.title,
            "Sanierung der Schwimmhalle Nord in Leipzig-Gohlis"
        );
        assert_eq!(paper.fractions, ["Fraktion Freibeuter"]);
        assert_eq!(
            paper.text,
            "Der Stadtrat möge beschließen:\nDie Schwimmhalle wird saniert."
        );
    }

    #[test]
    fn refuses_what_is_no_export() {
        assert!(matches!(
            crate::allris::parse_text(b"just some words"),
            Err(Error::NotAPaper(_))
        ));
        assert!(matches!(
            crate::allris::parse_text(b"Betreff: ohne Nummer"),
            Err(Error::MissingField { field: "reference" })
        ));
        assert!(crate::allris::parse_text(b"").is_err());
    }

    fn check_labels(line: &str, expected: &[(Field, &str)]) {
        let actual = labelled_values(line);
        let actual: Vec<(Field, &str)> = actual
            .iter()
            .map(|(field, value)| (*field, value.as_str()))
            .collect();
        assert_eq!(actual, expected, "line: {line:?}");
    }

    #[test]
    fn splits_glued_fields() {
        check_labels(
            "Status:öffentlich (Vorlage abgeschlossen)Vorlage-Art:Anfrage",
            &[
                (Field::Status, "öffentlich (Vorlage abgeschlossen)"),
                (Field::PaperType, "Anfrage"),
            ],
        );
        check_labels(
            "Einreicher:SPD-Fraktion",
            &[(Field::Originator, "SPD-Fraktion")],
        );
        check_labels(
            "Betreff: IT-Ausstattung und Organisation",
            &[(Field::Title, "IT-Ausstattung und Organisation")],
        );
        check_labels(
            "Status :nichtöffentlich",
            &[(Field::Status, "nichtöffentlich")],
        );
        check_labels("Beratungsfolge:", &[(Field::Consultations, "")]);
        check_labels("kein Feld hier", &[]);
    }

    fn check_split(line: &str, expected: (&str, Option<&str>)) {
        assert_eq!(split_suffix(line, ROLES), expected, "line: {line:?}");
    }

    #[test]
    fn splits_committee_and_role() {
        check_split(
            "Ratsversammlung schriftliche Beantwortung",
            ("Ratsversammlung", Some("schriftliche Beantwortung")),
        );
        check_split(
            "Fachausschuss Finanzen Vorberatung",
            ("Fachausschuss Finanzen", Some("Vorberatung")),
        );
        check_split("Beschlussfassung", ("", Some("Beschlussfassung")));
        check_split("Ratsversammlung", ("Ratsversammlung", None));
        check_split("Ratsversammlungberatung", ("Ratsversammlungberatung", None));
    }

    fn check_member(line: &str, expected: Option<[&str; 4]>) {
        let actual = family_member(line).map(|member| {
            [
                member.reference,
                member.title.unwrap_or_default(),
                member.originator.unwrap_or_default(),
                member.paper_type.unwrap_or_default(),
            ]
        });
        assert_eq!(
            actual,
            expected.map(|columns| columns.map(str::to_string)),
            "line: {line:?}"
        );
    }

    #[test]
    fn reads_stammbaum_lines() {
        check_member(
            "VII-F-01504-AW-01 \u{a0} Titel \u{a0} 02.1 Dezernat Allgemeine Verwaltung \u{a0} schriftliche Antwort zur Anfrage",
            Some([
                "VII-F-01504-AW-01",
                "Titel",
                "02.1 Dezernat Allgemeine Verwaltung",
                "schriftliche Antwort zur Anfrage",
            ]),
        );
        check_member(
            "VII-F-01504\tTitel\tSPD-Fraktion\tAnfrage",
            Some(["VII-F-01504", "Titel", "SPD-Fraktion", "Anfrage"]),
        );
        check_member(
            "VII-F-01504 Titel ohne Spalten",
            Some(["VII-F-01504", "Titel ohne Spalten", "", ""]),
        );
        check_member("", None);
        check_member("Anlagen:", None);
        check_member("Keine Angaben", None);
    }
}
