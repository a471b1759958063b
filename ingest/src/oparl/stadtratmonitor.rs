//! The flat JSON export of the Leipzig Stadtratmonitor (`input.json`): an array of
//! `{reference, name, paper_type, originator, published_at, url, content, body}`, built by its
//! scraper from Leipzig's OParl papers and their PDF text.

use serde_json::Value;

use super::quirks::{clean_name, parse_date};
use crate::reference::Reference;
use crate::{fraction, Paper, Record, Warning};

/// Tells whether a JSON document is a Stadtratmonitor export: an object, or an array whose
/// first object is, that has a `reference` and the export's own field names but no OParl `type`.
pub(super) fn recognises(value: &Value) -> bool {
    let first = match value {
        Value::Array(items) => items.iter().find(|item| item.is_object()),
        item @ Value::Object(_) => Some(item),
        _ => None,
    };
    first.is_some_and(|item| {
        item.get("type").is_none()
            && item.get("reference").is_some()
            && ["paper_type", "published_at", "content", "originator"]
                .iter()
                .any(|key| item.get(*key).is_some())
    })
}

/// Maps every object of the export to a record; other elements are left out.
pub(super) fn records(name: &str, value: &Value) -> Vec<Record> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter(|item| item.is_object())
            .map(|item| record(name, item))
            .collect(),
        item @ Value::Object(_) => vec![record(name, item)],
        _ => Vec::new(),
    }
}

/// Whether a value is the scraper's stand-in for a missing one: `<empty>` for a paper
/// without text (297 of the 308 papers of the May 2023 export), `None`, `N/A`.
fn is_placeholder(text: &str) -> bool {
    let text = text.trim();
    ["<empty>", "none", "n/a", "null"]
        .iter()
        .any(|placeholder| text.eq_ignore_ascii_case(placeholder))
}

fn record(source: &str, item: &Value) -> Record {
    let field = |key: &str| match item.get(key) {
        Some(Value::String(text)) => {
            Some(clean_name(text)).filter(|text| !text.is_empty() && !is_placeholder(text))
        }
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    };
    let mut warnings = Vec::new();
    let reference = field("reference").unwrap_or_else(|| {
        warnings.push(Warning::new("record has no reference"));
        String::new()
    });
    let title = field("name").unwrap_or_else(|| {
        warnings.push(Warning::new("record has no name"));
        String::new()
    });
    let date = item
        .get("published_at")
        .and_then(Value::as_str)
        .and_then(parse_date);
    if date.is_none() {
        warnings.push(Warning::new("record has no readable published_at date"));
    }
    let originator = field("originator");
    let text = match item.get("content") {
        // Extracted PDF text: its line-end hyphenation is joined as in our own extraction.
        Some(Value::String(content)) if !is_placeholder(content) => {
            crate::pdf::hyphenation::join_line_ends(content)
        }
        _ => String::new(),
    };
    let paper = Paper {
        body: field("body").unwrap_or_default(),
        reference_parts: Reference::parse(&reference),
        reference,
        title,
        public: true,
        paper_type: field("paper_type"),
        fractions: originator
            .as_deref()
            .map(fraction::fractions)
            .unwrap_or_default(),
        originator,
        date,
        text,
        source: source.to_string(),
        web_url: field("url"),
        ..Paper::default()
    };
    Record { paper, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(json: &str, expected: (&str, &str, Option<&str>, usize)) {
        let value: Value = serde_json::from_str(json).unwrap();
        assert!(recognises(&value), "not recognised: {json}");
        let records = records("input.json", &value);
        let paper = &records[0].paper;
        let date = paper.date.map(|date| date.to_string());
        let actual = (
            paper.reference.as_str(),
            paper.title.as_str(),
            date.as_deref(),
            records[0].warnings.len(),
        );
        assert_eq!(actual, expected, "json: {json}");
    }

    #[test]
    fn records_are_mapped() {
        check(
            r#"[{"reference": "VII-EF-08640", "name": "Drohnen statt Hubschrauber?",
                 "paper_type": "Einwohneranfrage", "published_at": "2023-05-09"}]"#,
            (
                "VII-EF-08640",
                "Drohnen statt Hubschrauber?",
                Some("2023-05-09"),
                0,
            ),
        );
        check(
            r#"{"reference": 8640, "name": null, "published_at": 5, "content": []}"#,
            ("8640", "", None, 2),
        );
    }

    #[test]
    fn placeholders_are_no_values() {
        let value: Value = serde_json::from_str(
            r#"[{"reference": "VII-HP-08725", "name": "Fuß-und Radweg", "content": " <empty>",
                 "published_at": "2023-05-09", "url": "N/A", "originator": "None",
                 "resolution": "None"},
                {"reference": "VII-A-1", "name": "Leere", "content": "<empty> Seiten",
                 "published_at": "2023-05-09"}]"#,
        )
        .unwrap();
        let records = records("input.json", &value);
        let paper = &records[0].paper;
        assert_eq!(paper.text, "");
        assert_eq!(paper.web_url, None);
        assert_eq!(paper.originator, None);
        assert_eq!(records[1].paper.text, "<empty> Seiten");
    }

    #[test]
    fn content_gets_its_line_end_hyphenation_joined() {
        let value: Value = serde_json::from_str(
            r#"[{"reference": "VII-A-1", "name": "Sport", "published_at": "2023-05-09",
                 "content": "Neue Sporthal-\nlen, Fuß-\nund Radwege"}]"#,
        )
        .unwrap();
        let records = records("input.json", &value);
        assert_eq!(records[0].paper.text, "Neue Sporthallen, Fuß-\nund Radwege");
    }
}
