//! ALLRIS Vorlage pages (`vo020`) in HTML.
//!
//! ALLRIS 4 marks its fields with ids (`#vobetreff`, `#voart`, `#vostatus`, `#vofamt`,
//! `#voverfasser1`) inside `dt`/`dd` rows, lists the Beratungsfolge in `table.bfTable` (a row per
//! committee, followed by a row per meeting) and the text in `div.docPart`. ALLRIS 3 lays the
//! header out as a table of label cells (`td.kb1`) each followed by its value cell, and the
//! Beratungsfolge as `table.tl1` rows (`td.text1` committee and role; `td.text2` date, the
//! meeting with its place, `td.text3` result). See `corpus/allris-html/` for real pages and
//! `ingest/test_data/allris3_vo020.html` for the ALLRIS 3 layout.

use std::sync::LazyLock;

use chrono::NaiveDate;
use scraper::{CaseSensitivity, ElementRef, Html, Node, Selector};

use super::text::is_section_heading;
use super::{body_text, clean_line, find_date, finish};
use crate::{Consultation, Error, FamilyMember, Paper, Record, Result, Warning};

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selectors in this file are valid CSS")
}

static ALLRIS4_FIELD: LazyLock<Selector> =
    LazyLock::new(|| selector("#vobetreff, #voart, #vostatus"));
static ALLRIS4_HEADING: LazyLock<Selector> = LazyLock::new(|| selector("h1.title"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("#vobetreff"));
static PAPER_TYPE: LazyLock<Selector> = LazyLock::new(|| selector("#voart"));
static STATUS: LazyLock<Selector> = LazyLock::new(|| selector("#vostatus"));
static STATUS_DETAIL: LazyLock<Selector> = LazyLock::new(|| selector("#vostat"));
static LEAD: LazyLock<Selector> = LazyLock::new(|| selector("#vofamt"));
static AUTHOR: LazyLock<Selector> = LazyLock::new(|| selector("#voverfasser1"));
static OWN_DATE: LazyLock<Selector> = LazyLock::new(|| selector("#vodatum"));
static DEFINITION_LIST: LazyLock<Selector> = LazyLock::new(|| selector("dl"));
static TERM: LazyLock<Selector> = LazyLock::new(|| selector("dt"));
static DEFINITION: LazyLock<Selector> = LazyLock::new(|| selector("dd"));
static BF_ROW: LazyLock<Selector> = LazyLock::new(|| selector("table.bfTable tr"));
static CELL: LazyLock<Selector> = LazyLock::new(|| selector("td"));
static DOC_PART: LazyLock<Selector> = LazyLock::new(|| selector("div.docPart"));
static LOGO: LazyLock<Selector> = LazyLock::new(|| selector("#logo"));
static MAILTO: LazyLock<Selector> = LazyLock::new(|| selector("a[href^='mailto:']"));
static PAGE_TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static CONTAINER: LazyLock<Selector> = LazyLock::new(|| selector("#allriscontainer"));
static ALLRIS3_HEADING: LazyLock<Selector> = LazyLock::new(|| selector("#risname h1"));
static LABEL_CELL: LazyLock<Selector> = LazyLock::new(|| selector("td.kb1"));
static TL_ROW: LazyLock<Selector> = LazyLock::new(|| selector("table.tl1 tr"));
static ROW: LazyLock<Selector> = LazyLock::new(|| selector("tr"));
static LINK: LazyLock<Selector> = LazyLock::new(|| selector("a"));
static ALLRIS3_LOGO: LazyLock<Selector> = LazyLock::new(|| selector("#rislogo a"));
static ALLRIS3_MAIN: LazyLock<Selector> = LazyLock::new(|| selector("#rismain"));

/// Parses the decoded HTML of a page.
pub(super) fn parse(text: &str) -> Result<Record> {
    let document = Html::parse_document(text);
    if document.select(&ALLRIS4_FIELD).next().is_some() {
        return parse_allris4(&document);
    }
    let page_title = document
        .select(&PAGE_TITLE)
        .next()
        .map(inline_text)
        .unwrap_or_default();
    if let Some(container) = document.select(&CONTAINER).next() {
        // ALLRIS 3 names the page in the container's class: vo020 (Vorlage), to010 (agenda),
        // si010 (calendar) …
        let page = container.attr("class").unwrap_or_default();
        let heading = document
            .select(&ALLRIS3_HEADING)
            .next()
            .map(inline_text)
            .unwrap_or_default();
        if page.starts_with("vo02") || heading.starts_with("Vorlage") {
            return parse_allris3(&document);
        }
        return Err(Error::NotAPaper(format!(
            "ALLRIS 3 page {page:?} ({page_title:?})"
        )));
    }
    let has_label_cells = document
        .select(&LABEL_CELL)
        .any(|cell| inline_text(cell).starts_with("Betreff"));
    if has_label_cells {
        return parse_allris3(&document);
    }
    if document.select(&BF_ROW).next().is_some()
        || document.select(&ALLRIS4_HEADING).next().is_some()
    {
        return parse_allris4(&document);
    }
    Err(Error::NotAPaper(format!(
        "no Vorlage fields found (page title {page_title:?})"
    )))
}

fn parse_allris4(document: &Html) -> Result<Record> {
    let definitions = definitions(document);
    let by_id = |selector: &Selector| {
        document
            .select(selector)
            .next()
            .map(inline_text)
            .filter(|value| !value.is_empty())
    };
    let (kind, reference) = document
        .select(&ALLRIS4_HEADING)
        .next()
        .map(inline_text)
        .as_deref()
        .and_then(split_heading)
        .unzip();
    let reference = reference
        .or_else(|| labelled(&definitions, &["Vorlage-Nr", "Drucksache", "Nummer"]))
        .ok_or(Error::MissingField { field: "reference" })?;
    let status = by_id(&STATUS)
        .map(|status| match by_id(&STATUS_DETAIL) {
            Some(detail) => format!("{status} {detail}"),
            None => status,
        })
        .or_else(|| labelled(&definitions, &["Status"]));
    let own_date = by_id(&OWN_DATE)
        .or_else(|| labelled(&definitions, &["Datum", "Vorlagedatum", "Erstellt"]))
        .as_deref()
        .and_then(find_date);
    let text_lines: Vec<String> = document
        .select(&DOC_PART)
        .flat_map(|part| render(part).lines().map(clean_line).collect::<Vec<_>>())
        .collect();
    let body = document
        .select(&LOGO)
        .next()
        .and_then(|logo| logo.attr("title"))
        .map(|title| clean_line(title.rsplit(" - ").next().unwrap_or(title)))
        .unwrap_or_default();
    let paper = Paper {
        body,
        reference,
        title: by_id(&TITLE)
            .or_else(|| labelled(&definitions, &["Betreff"]))
            .unwrap_or_default(),
        occasion: labelled(&definitions, &["Anlass"]),
        status,
        paper_type: by_id(&PAPER_TYPE)
            .or_else(|| labelled(&definitions, &["Vorlageart", "Vorlage-Art", "Art"]))
            .or(kind),
        originator: labelled(&definitions, &["Einreicher", "Antragsteller"])
            .or_else(|| by_id(&LEAD))
            .or_else(|| labelled(&definitions, &["Federführend"]))
            .or_else(|| by_id(&AUTHOR))
            .or_else(|| labelled(&definitions, &["Verfasser"])),
        consultations: allris4_consultations(document),
        text: body_text(text_lines.iter().map(String::as_str)),
        web_url: web_url(document),
        ..Paper::default()
    };
    Ok(finish(paper, own_date, Vec::new()))
}

/// The Beratungsfolge of ALLRIS 4: a committee row (status, empty date, committee, role) is
/// followed by one row per meeting (date, meeting, result).
fn allris4_consultations(document: &Html) -> Vec<Consultation> {
    let mut consultations: Vec<Consultation> = Vec::new();
    for row in document.select(&BF_ROW) {
        let cells: Vec<ElementRef> = row.select(&CELL).collect();
        if cells.len() < 4 {
            continue;
        }
        let texts: Vec<String> = cells.iter().map(|cell| inline_text(*cell)).collect();
        let is_meeting = cells[1]
            .value()
            .has_class("date", CaseSensitivity::AsciiCaseInsensitive)
            || find_date(&texts[1]).is_some();
        if is_meeting {
            let result = Some(texts[3].clone()).filter(|result| !result.is_empty());
            add_meeting(
                &mut consultations,
                find_date(&texts[1]),
                None,
                result,
                &texts[2],
            );
        } else if !texts[2].is_empty() {
            consultations.push(Consultation {
                organization: texts[2].clone(),
                role: Some(texts[3].clone()).filter(|role| !role.is_empty()),
                ..Consultation::default()
            });
        }
    }
    consultations
}

/// Records a meeting: for the current committee if it has none yet, else as a further
/// consultation of the same committee. A meeting before any committee stands for itself.
fn add_meeting(
    consultations: &mut Vec<Consultation>,
    date: Option<NaiveDate>,
    place: Option<String>,
    result: Option<String>,
    meeting: &str,
) {
    let consultation = match consultations.last_mut() {
        Some(last) if last.date.is_none() && last.result.is_none() => last,
        Some(last) => {
            let next = Consultation {
                organization: last.organization.clone(),
                role: last.role.clone(),
                ..Consultation::default()
            };
            consultations.push(next);
            consultations
                .last_mut()
                .expect("a consultation was just pushed")
        }
        None => {
            consultations.push(Consultation {
                organization: meeting.to_string(),
                ..Consultation::default()
            });
            consultations
                .last_mut()
                .expect("a consultation was just pushed")
        }
    };
    consultation.date = date;
    consultation.place = place;
    consultation.result = result;
}

fn parse_allris3(document: &Html) -> Result<Record> {
    let heading = document
        .select(&ALLRIS3_HEADING)
        .next()
        .map(inline_text)
        .unwrap_or_default();
    let (kind, reference) = split_heading(&heading).unzip();
    let fields = label_cells(document);
    let reference = reference
        .or_else(|| labelled(&fields, &["Vorlage-Nr", "Drucksache", "Nummer"]))
        .ok_or(Error::MissingField { field: "reference" })?;
    let own_date = labelled(&fields, &["Datum", "Vorlagedatum"])
        .as_deref()
        .and_then(find_date);
    let mut warnings = Vec::new();
    let text = allris3_text(document);
    if text.is_none() {
        warnings.push(Warning::new("no section heading (Sachverhalt …) found"));
    }
    let body = document
        .select(&ALLRIS3_LOGO)
        .next()
        .and_then(|logo| logo.attr("title"))
        .map(clean_line)
        .unwrap_or_default();
    let paper = Paper {
        body,
        reference,
        title: labelled(&fields, &["Betreff"]).unwrap_or_default(),
        occasion: labelled(&fields, &["Anlass"]),
        status: labelled(&fields, &["Status"]),
        paper_type: labelled(&fields, &["Vorlage-Art", "Vorlageart"])
            .or(kind.filter(|kind| kind != "Vorlage")),
        originator: labelled(&fields, &["Einreicher", "Antragsteller"])
            .or_else(|| labelled(&fields, &["Federführend"]))
            .or_else(|| labelled(&fields, &["Verfasser"])),
        consultations: allris3_consultations(document),
        family: allris3_family(document),
        text: text.unwrap_or_default(),
        web_url: web_url(document),
        ..Paper::default()
    };
    Ok(finish(paper, own_date, warnings))
}

/// The ALLRIS 3 header: each label cell (`td.kb1`, e.g. `Betreff:`) with the text of the cell
/// after it.
fn label_cells(document: &Html) -> Vec<(String, String)> {
    document
        .select(&LABEL_CELL)
        .filter_map(|cell| {
            let label = inline_text(cell);
            let value = next_element(cell)?;
            Some((
                label.trim_end_matches(':').trim().to_string(),
                inline_text(value),
            ))
        })
        .collect()
}

/// The Beratungsfolge of ALLRIS 3: a committee row (`td.text1` committee, `td.text1` role),
/// then a row per meeting (`td.text2` date, a cell with the meeting link and its place,
/// `td.text3` result).
fn allris3_consultations(document: &Html) -> Vec<Consultation> {
    let mut consultations: Vec<Consultation> = Vec::new();
    for row in document.select(&TL_ROW) {
        let cells: Vec<ElementRef> = row.select(&CELL).collect();
        let has_class = |cell: &ElementRef, class: &str| {
            cell.value()
                .has_class(class, CaseSensitivity::AsciiCaseInsensitive)
        };
        let date_cell = cells
            .iter()
            .position(|cell| has_class(cell, "text2") && find_date(&inline_text(*cell)).is_some());
        if let Some(date_idx) = date_cell {
            let date = find_date(&inline_text(cells[date_idx]));
            let meeting = cells[date_idx + 1..]
                .iter()
                .find(|cell| {
                    !has_class(cell, "text3")
                        && cell.select(&LINK).next().is_some()
                        && !inline_text(**cell).is_empty()
                })
                .map(|cell| inline_text(*cell))
                .unwrap_or_default();
            let (name, place) = match meeting.split_once(',') {
                Some((name, place)) => (name.trim().to_string(), Some(place.trim().to_string())),
                None => (meeting.clone(), None),
            };
            let result = cells
                .iter()
                .find(|cell| has_class(cell, "text3"))
                .map(|cell| inline_text(*cell))
                .filter(|result| !result.is_empty());
            add_meeting(
                &mut consultations,
                date,
                place.filter(|place| !place.is_empty()),
                result,
                &name,
            );
            continue;
        }
        let committee_cells: Vec<String> = cells
            .iter()
            .filter(|cell| has_class(cell, "text1"))
            .map(|cell| inline_text(*cell))
            .collect();
        if let Some(organization) = committee_cells.first().filter(|name| !name.is_empty()) {
            consultations.push(Consultation {
                organization: organization.clone(),
                role: committee_cells
                    .get(1)
                    .filter(|role| !role.is_empty())
                    .cloned(),
                ..Consultation::default()
            });
        }
    }
    consultations
}

/// The Stammbaum of ALLRIS 3: the rows of the cell after the `Stammbaum:` label, each with
/// reference, title, originator and paper type (spacer cells left out).
fn allris3_family(document: &Html) -> Vec<FamilyMember> {
    let Some(cell) = document
        .select(&LABEL_CELL)
        .find(|cell| inline_text(*cell).starts_with("Stammbaum"))
        .and_then(next_element)
    else {
        return Vec::new();
    };
    cell.select(&ROW)
        .filter_map(|row| {
            let columns: Vec<String> = row
                .select(&CELL)
                .map(inline_text)
                .filter(|text| !text.is_empty())
                .collect();
            let reference = columns.first()?;
            if !reference.chars().any(|c| c.is_ascii_digit()) || reference.contains(' ') {
                return None;
            }
            let column = |idx: usize| columns.get(idx).cloned();
            Some(FamilyMember {
                reference: reference.clone(),
                title: column(1),
                originator: column(2),
                paper_type: column(3),
            })
        })
        .collect()
}

/// The body of an ALLRIS 3 page: the text after the first section heading (`Sachverhalt` …)
/// up to the Stammbaum; `None` without a heading.
fn allris3_text(document: &Html) -> Option<String> {
    let main = document
        .select(&ALLRIS3_MAIN)
        .next()
        .unwrap_or_else(|| document.root_element());
    let lines: Vec<String> = render(main).lines().map(clean_line).collect();
    let start = lines.iter().position(|line| is_section_heading(line))? + 1;
    let end = lines[start..]
        .iter()
        .position(|line| line.starts_with("Stammbaum"))
        .map_or(lines.len(), |offset| start + offset);
    Some(body_text(lines[start..end].iter().map(String::as_str)))
}

/// `Antrag - 2026/245` → (`Antrag`, `2026/245`).
fn split_heading(heading: &str) -> Option<(String, String)> {
    let (kind, reference) = heading.split_once(" - ")?;
    let reference = reference.split_whitespace().next()?;
    Some((kind.trim().to_string(), reference.to_string()))
}

/// The `dt`/`dd` rows of ALLRIS 4 as (label, value).
fn definitions(document: &Html) -> Vec<(String, String)> {
    document
        .select(&DEFINITION_LIST)
        .filter_map(|list| {
            let label = inline_text(list.select(&TERM).next()?);
            let value = inline_text(list.select(&DEFINITION).next()?);
            Some((label.trim_end_matches(':').trim().to_string(), value))
        })
        .collect()
}

/// The first non-empty value whose label is one of `names`, comparing without case, hyphens
/// and spaces (`Vorlageart` = `Vorlage-Art`).
fn labelled(pairs: &[(String, String)], names: &[&str]) -> Option<String> {
    let fold = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted: Vec<String> = names.iter().map(|name| fold(name)).collect();
    pairs
        .iter()
        .find(|(label, value)| !value.is_empty() && wanted.contains(&fold(label)))
        .map(|(_, value)| value.clone())
}

/// The page's own address, from the "send this page" mail link
/// (`mailto:?subject=…&body=Online-Version der Seite: https://…`).
fn web_url(document: &Html) -> Option<String> {
    document.select(&MAILTO).find_map(|link| {
        let href = link.attr("href")?;
        let (_, query) = href.split_once('?')?;
        let body = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("body="))?;
        let decoded = percent_decode(body);
        let start = decoded.find("http")?;
        let url = decoded[start..].split_whitespace().next()?;
        Some(url.to_string())
    })
}

/// Decodes `%XX` escapes; anything malformed is kept as it is.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut idx = 0;
    while idx < bytes.len() {
        let escaped = (bytes[idx] == b'%')
            .then(|| bytes.get(idx + 1..idx + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                idx += 3;
            }
            None => {
                decoded.push(bytes[idx]);
                idx += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The next sibling element of an element.
fn next_element(element: ElementRef) -> Option<ElementRef> {
    element.next_siblings().find_map(ElementRef::wrap)
}

/// The text of an element on one line.
fn inline_text(element: ElementRef) -> String {
    clean_line(&render(element))
}

/// Elements whose content is never text of the page.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "select", "button", "input", "textarea",
];
/// Elements that start a new line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "tr",
    "table",
    "tbody",
    "thead",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "aside",
    "main",
    "header",
    "footer",
    "nav",
    "form",
    "hr",
    "blockquote",
    "pre",
    "caption",
    "center",
];

/// The text of an element as a browser lays it out: line breaks where blocks and `br` are,
/// cells separated by tabs, line breaks in the source only kept inside `pre`, scripts and form
/// controls left out. Walks the tree with a stack of its own, so deep nesting cannot exhaust the
/// call stack.
fn render(element: ElementRef) -> String {
    let mut text = String::new();
    let mut pre_depth = 0_usize;
    // (node, whether its children are done): each element is visited on the way in and out.
    let mut stack = vec![(*element, false)];
    while let Some((node, closing)) = stack.pop() {
        match node.value() {
            Node::Element(tag) => {
                let name = tag.name();
                let is_block = BLOCKS.contains(&name);
                if closing {
                    if is_block {
                        text.push('\n');
                    }
                    if name == "pre" {
                        pre_depth = pre_depth.saturating_sub(1);
                    }
                    continue;
                }
                if SKIPPED.contains(&name) {
                    continue;
                }
                if name == "br" || is_block {
                    text.push('\n');
                } else if matches!(name, "td" | "th") {
                    text.push('\t');
                }
                if name == "pre" {
                    pre_depth += 1;
                }
                stack.push((node, true));
                stack.extend(node.children().rev().map(|child| (child, false)));
            }
            Node::Text(content) if pre_depth > 0 => text.push_str(content),
            Node::Text(content) => {
                text.extend(
                    content
                        .chars()
                        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }),
                );
            }
            Node::Document | Node::Fragment if !closing => {
                stack.extend(node.children().rev().map(|child| (child, false)));
            }
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ALLRIS 3 Vorlage page written for these tests after the real Leipzig markup, with the
    /// content of the seed export (ISO-8859-1, CRLF).
    const ALLRIS3_FIXTURE: &[u8] = include_bytes!("../../test_data/allris3_vo020.html");

    /// A real page of `../shared/corpus/allris-html/`, or `None` (with a note) without the corpus.
    fn corpus_page(file: &str) -> Option<Vec<u8>> {
        let path = format!(
            "{}/../../shared/corpus/allris-html/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(_) => {
                eprintln!("skipping: {path} not found");
                None
            }
        }
    }

    #[test]
    fn reads_the_allris3_page_like_its_text_export() {
        let record = crate::allris::parse_html(ALLRIS3_FIXTURE).unwrap();
        assert_eq!(record.warnings, []);
        let paper = &record.paper;
        assert_eq!(paper.body, "Stadt Leipzig");
        assert_eq!(
            paper.web_url.as_deref(),
            Some("https://ratsinfo.leipzig.de/bi/vo020.asp?VOLFDNR=1016480")
        );
        // Everything else is what the text export of the same page gives, field by field.
        let Some(seed) = crate::fixtures::seed() else {
            return;
        };
        let export = crate::allris::parse_text(&seed).unwrap().paper;
        assert_eq!(paper.reference, export.reference);
        assert_eq!(paper.reference_parts, export.reference_parts);
        assert_eq!(paper.title, export.title);
        assert_eq!(paper.occasion, export.occasion);
        assert_eq!(
            paper.status.as_deref(),
            Some("öffentlich (Vorlage abgeschlossen)")
        );
        assert_eq!(paper.status, export.status);
        assert!(paper.public);
        assert_eq!(paper.paper_type.as_deref(), Some("Anfrage"));
        assert_eq!(paper.originator.as_deref(), Some("SPD-Fraktion"));
        assert_eq!(paper.fractions, ["SPD-Fraktion"]);
        assert_eq!(paper.consultations, export.consultations);
        assert_eq!(paper.consultations.len(), 1);
        assert_eq!(paper.date, NaiveDate::from_ymd_opt(2020, 9, 16));
        assert_eq!(paper.family, export.family);
        assert_eq!(paper.family.len(), 1);
        assert_eq!(paper.text, export.text);
    }

    #[test]
    fn reads_a_non_public_allris3_page() {
        let page = crate::allris::decode(ALLRIS3_FIXTURE)
            .replace("öffentlich&nbsp;(Vorlage", "nichtöffentlich&nbsp;(Vorlage");
        let record = crate::allris::parse_html(page.as_bytes()).unwrap();
        assert!(!record.paper.public);
        assert_eq!(
            record.paper.status.as_deref(),
            Some("nichtöffentlich (Vorlage abgeschlossen)")
        );
    }

    #[test]
    fn reads_the_laatzen_allris4_page() {
        let Some(page) = corpus_page("laatzen_allris4.1.5_vo020_VOLFDNR-1000238.html") else {
            return;
        };
        let record = crate::allris::parse_html(&page).unwrap();
        assert_eq!(record.warnings, []);
        let paper = &record.paper;
        assert_eq!(paper.body, "Stadt Laatzen");
        assert_eq!(paper.reference, "2026/245");
        let parts = paper.reference_parts.as_ref().unwrap();
        assert_eq!((parts.year, parts.number.as_str()), (Some(2026), "245"));
        assert_eq!(
            paper.title,
            "Bildungscampus Laatzen - Abschluss des Partizipationsprozeses - Antrag der \
             CDU/FDP-Gruppe im Rat der Stadt Laatzen, Bezugsdrucksache 2026/235"
        );
        assert_eq!(paper.occasion, None);
        assert_eq!(
            paper.status.as_deref(),
            Some("öffentlich (Vorlage freigegeben)")
        );
        assert!(paper.public);
        assert_eq!(paper.paper_type.as_deref(), Some("Antrag"));
        assert_eq!(paper.originator.as_deref(), Some("40 Bildung und Sport"));
        assert!(paper.fractions.is_empty());
        assert_eq!(
            super::super::describe_consultations(&paper.consultations),
            [
                "Ortsrat Laatzen | Anhörung | 2026-08-25 | -",
                "Ausschuss für nachhaltige Stadtentwicklung und Feuerschutz | Vorberatung | 2026-09-01 | -",
                "Schulausschuss | Vorberatung | 2026-06-29 | vertagt",
                "Schulausschuss | Vorberatung | 2026-09-01 | -",
                "Verwaltungsausschuss (nicht-öffentlich) | Vorberatung | - | -",
                "Rat der Stadt Laatzen | Entscheidung | 2026-09-03 | -",
                "Schulausschuss | Vorberatung | - | -",
            ]
        );
        // No date of its own: the earliest consultation.
        assert_eq!(paper.date, NaiveDate::from_ymd_opt(2026, 6, 29));
        assert!(paper.family.is_empty());
        assert_eq!(
            paper.text,
            "Antrag:\n\nBitte beachten Sie den in der Anlage beigefügten Antrag, der am 29.06.2026 \
             bei der Stadt Laatzen eingegangen ist."
        );
        assert_eq!(
            paper.web_url.as_deref(),
            Some("http://ratsinfo.laatzen.de/public/vo020?VOLFDNR=1000238")
        );
    }

    #[test]
    fn refuses_the_leipzig_calendar_and_agenda() {
        for (file, page_kind) in [
            (
                "leipzig_allris3.8.8_si010_e_sitzungskalender_2015-11.html",
                "si010",
            ),
            (
                "leipzig_allris3.9.0_to010_SILFDNR-1002144_tagesordnung.html",
                "to010",
            ),
        ] {
            let Some(page) = corpus_page(file) else {
                return;
            };
            let error = crate::allris::parse_html(&page).unwrap_err();
            let message = error.to_string();
            assert!(matches!(error, Error::NotAPaper(_)), "{file}: {message}");
            assert!(message.starts_with("not a vorlage page"), "{message}");
            assert!(message.contains(page_kind), "{message}");
        }
    }

    #[test]
    fn reads_allris4_labels_and_own_date() {
        let page = r#"<html><body><span id="logo" title="ALLRIS 4 - Stadt Leipzig"></span>
            <h1 class="title">Anfrage - VII-F-01504-AW-01</h1>
            <div id="head">
            <dl><dt>Betreff:</dt><dd><span id="vobetreff">IT-Ausstattung<br/>der Verwaltung</span></dd></dl>
            <dl><dt>Status:</dt><dd><span id="vostatus">nichtöffentlich</span></dd></dl>
            <dl><dt>Vorlageart:</dt><dd><span id="voart">schriftliche Antwort zur Anfrage</span></dd></dl>
            <dl><dt>Einreicher:</dt><dd>Fraktion AfD; SPD-Fraktion</dd></dl>
            <dl><dt>Federführend:</dt><dd><span id="vofamt">Dezernat Allgemeine Verwaltung</span></dd></dl>
            <dl><dt>Datum:</dt><dd><span id="vodatum">Mi., 07.10.2020</span></dd></dl>
            </div>
            <table class="dataTable bfTable"><tbody>
            <tr><td class="colorCol">Erledigt</td><td></td><td>Ratsversammlung</td><td>Kenntnisnahme</td><td class="toLink"></td></tr>
            <tr><td class="colorCol"></td><td class="date">14.10.2020</td><td><a>Sitzung der Ratsversammlung</a></td><td><a>zur Kenntnis genommen</a></td><td class="toLink"></td></tr>
            </tbody></table>
            <div class="docPart"><p>Antwort:</p><p>Die Verwaltung antwortet.</p></div>
            </body></html>"#;
        let record = crate::allris::parse_html(page.as_bytes()).unwrap();
        let paper = &record.paper;
        assert_eq!(paper.body, "Stadt Leipzig");
        assert_eq!(paper.reference, "VII-F-01504-AW-01");
        assert_eq!(paper.title, "IT-Ausstattung der Verwaltung");
        assert!(!paper.public);
        assert_eq!(
            paper.paper_type.as_deref(),
            Some("schriftliche Antwort zur Anfrage")
        );
        assert_eq!(
            paper.originator.as_deref(),
            Some("Fraktion AfD; SPD-Fraktion")
        );
        assert_eq!(paper.fractions, ["AfD-Fraktion", "SPD-Fraktion"]);
        assert_eq!(paper.date, NaiveDate::from_ymd_opt(2020, 10, 7));
        assert_eq!(
            paper.consultations,
            [Consultation {
                organization: "Ratsversammlung".to_string(),
                date: NaiveDate::from_ymd_opt(2020, 10, 14),
                role: Some("Kenntnisnahme".to_string()),
                result: Some("zur Kenntnis genommen".to_string()),
                place: None,
            }]
        );
        assert_eq!(
            paper.family,
            [FamilyMember {
                reference: "VII-F-01504".to_string(),
                ..FamilyMember::default()
            }]
        );
        assert_eq!(paper.text, "Antwort:\n\nDie Verwaltung antwortet.");
    }

    #[test]
    fn refuses_pages_without_paper_fields() {
        for page in [
            "",
            "<html><head><title>Startseite</title></head><body><p>Willkommen</p></body></html>",
            "not html at all",
            "<div id=\"allriscontainer\" class=\"kp040\"><h1>Personen</h1></div>",
        ] {
            let result = crate::allris::parse_html(page.as_bytes());
            assert!(
                matches!(result, Err(Error::NotAPaper(_))),
                "{page:?}: {result:?}"
            );
        }
        // A paper heading without a reference is a paper that lacks its reference.
        let result = crate::allris::parse_html(
            b"<h1 class=\"title\">Vorlage</h1><span id=\"voart\">Antrag</span>",
        );
        assert!(
            matches!(result, Err(Error::MissingField { field: "reference" })),
            "{result:?}"
        );
    }

    fn check_render(html: &str, expected: &str) {
        let document = Html::parse_fragment(html);
        assert_eq!(render(document.root_element()), expected, "html: {html:?}");
    }

    #[test]
    fn renders_blocks_as_lines() {
        check_render("<p>a<br/>b</p>", "\na\nb\n");
        check_render("<span>a <b>b</b></span>", "a b");
        check_render("<div>a<script>var x;</script></div>", "\na\n");
        check_render(
            "<table><tr><td>a</td><td>b</td></tr></table>",
            "\n\n\n\ta\tb\n\n\n",
        );
        check_render("<p>x&nbsp;y</p>", "\nx\u{a0}y\n");
        check_render("<p>a\nb</p><pre>c\nd</pre>", "\na b\n\nc\nd\n");
    }

    #[test]
    fn decodes_mail_links() {
        assert_eq!(
            percent_decode(
                "Seite%3A%20http%3A%2F%2Fratsinfo.laatzen.de%2Fpublic%2Fvo020%3FVOLFDNR%3D1000238"
            ),
            "Seite: http://ratsinfo.laatzen.de/public/vo020?VOLFDNR=1000238"
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%C3%BC"), "ü");
    }

    #[test]
    fn splits_headings() {
        assert_eq!(
            split_heading("Antrag - 2026/245"),
            Some(("Antrag".to_string(), "2026/245".to_string()))
        );
        assert_eq!(
            split_heading("Vorlage - VI-DS-01625 \u{a0}"),
            Some(("Vorlage".to_string(), "VI-DS-01625".to_string()))
        );
        assert_eq!(split_heading("Vorlage"), None);
        assert_eq!(split_heading("Vorlage - "), None);
    }
}
