//! Property tests: the ALLRIS and OParl parsers never panic and finish in bounded time, on
//! arbitrary bytes, on token soups of their own syntax and on mutated real pages.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::Value;

use crate::{allris, oparl, parse, Options};

/// The real ALLRIS 3 Vorlage page (Latin-1, CRLF).
const HTML_PAGE: &[u8] = include_bytes!("../test_data/allris3_vo020.html");
/// A text export in the layout of `shared/seeds/*.txt`.
const TEXT_EXPORT: &str = "Ratsinformationssystem\n\nVorlage - VII-F-01504  \n\n \n\
    Betreff: IT-Ausstattung und Organisation der Arbeit der Verwaltung\nAnlass: Sonstiges\n\
    Status:öffentlich (Vorlage abgeschlossen)Vorlage-Art:Anfrage\nEinreicher:SPD-Fraktion\n\
    Beratungsfolge:\nRatsversammlung schriftliche Beantwortung\n16.09.2020 \n\
    Ratsversammlung, Kongreßhalle Leipzig vertagt     \n\nSachverhalt\n\nMobile Arbeit und \
    Telearbeit wurden ermöglicht.\n";
/// The longest a parser may take on one input of these sizes (debug build, shared machine).
const TIME_LIMIT: Duration = Duration::from_secs(5);

const TEXT_TOKENS: &[&str] = &[
    "Vorlage - ",
    "Betreff:",
    "Status:",
    "öffentlich",
    "nichtöffentlich",
    "Vorlage-Art:",
    "Einreicher:",
    "Beratungsfolge:",
    "Sachverhalt",
    "Anlagen:",
    "Beschlussvorschlag",
    "VII-F-01504",
    "VII-F-01504-AW-01",
    "2021/0281",
    "16.09.2020",
    "31.02.2020",
    "99.99.9999",
    "SPD-Fraktion",
    "Fraktion DIE LINKE",
    "Ratsversammlung",
    "\n",
    "\r\n",
    " ",
    "\t",
    "\u{a0}",
    "\u{feff}",
    "\u{0}",
    "\u{202e}",
    "ä",
    "ß",
    "ALLRIS® Office Integration 3.9.2",
    ":",
    "-",
    "(",
    ")",
    "  1. ",
    "Stammbaum:",
    "\u{fffd}",
];

const HTML_TOKENS: &[&str] = &[
    "<html>",
    "</html>",
    "<body>",
    "<div id=\"head\">",
    "</div>",
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "</td>",
    "<dl>",
    "<dt>Betreff:</dt>",
    "<dd>",
    "</dd>",
    "<span id=\"vobetreff\">",
    "<span id=\"vostatus\">",
    "<span id=\"voart\">",
    "</span>",
    "<h1 class=\"title\">",
    "</h1>",
    "Beschlussvorlage - 8/2007",
    "nichtöffentlich",
    "öffentlich",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&nbsp;",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<",
    ">",
    "\"",
    "'",
    "=",
    "\n",
    "<a href=\"vo020?VOLFDNR=1\">",
    "</a>",
    "<td class=\"text1\">Status:</td>",
    "\u{0}",
    "ä",
];

fn soup(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(tokens), 0..max)
        .prop_map(|parts| parts.concat().into_bytes())
}

/// A real input with bytes inserted, deleted and overwritten at random places.
fn mutated(template: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            0..3u8,
            prop::collection::vec(any::<u8>(), 0..8),
        ),
        0..12,
    )
    .prop_map(move |edits| {
        let mut bytes = template.to_vec();
        for (at, kind, data) in edits {
            let position = at.index(bytes.len() + 1);
            match kind {
                0 => {
                    bytes.splice(position..position, data);
                }
                1 => {
                    let end = (position + data.len() * 16).min(bytes.len());
                    bytes.drain(position..end);
                }
                _ => {
                    for (offset, byte) in data.into_iter().enumerate() {
                        if let Some(slot) = bytes.get_mut(position + offset) {
                            *slot = byte;
                        }
                    }
                }
            }
        }
        bytes
    })
}

/// JSON shaped like OParl: objects with OParl's keys, types and nesting, values of any kind.
fn oparl_json() -> impl Strategy<Value = Vec<u8>> {
    let keys = prop::sample::select(vec![
        "type",
        "id",
        "reference",
        "name",
        "data",
        "links",
        "next",
        "pagination",
        "body",
        "paper",
        "meeting",
        "organization",
        "consultation",
        "mainFile",
        "auxiliaryFile",
        "public",
        "deleted",
        "date",
        "modified",
        "paperType",
        "originatorOrganization",
        "underDirectionOf",
        "text",
        "accessUrl",
        "downloadUrl",
        "role",
        "result",
        "agendaItem",
        "relatedPaper",
        "superordinatedPaper",
        "subordinatedPaper",
        "start",
        "end",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|number| serde_json::json!(number)),
        prop::sample::select(vec![
            "https://schema.oparl.org/1.1/Paper",
            "https://schema.oparl.org/1.0/Meeting",
            "https://schema.oparl.org/1.1/Organization",
            "https://schema.oparl.org/1.1/File",
            "https://schema.oparl.org/1.1/Consultation",
            "Paper",
            "Body",
            "System",
            "https://x/paper/1",
            "https://x/paper/2",
            "https://x/meeting/1",
            "2021-03-04",
            "2021-13-45T99:00:00+01:00",
            "1/20",
            "VII-F-01504",
            "",
            "\u{0}",
            "nichtöffentlich",
        ])
        .prop_map(|text| Value::String(text.to_string())),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(key, value)| (key.to_string(), value))
                        .collect(),
                )
            }),
        ]
    })
    .prop_map(|value| value.to_string().into_bytes())
}

/// Runs `parse_input` and fails when it took longer than [`TIME_LIMIT`]; a panic fails too.
fn bounded<T>(what: &str, input: &[u8], parse_input: impl FnOnce() -> T) {
    let started = Instant::now();
    let _ = parse_input();
    let elapsed = started.elapsed();
    assert!(
        elapsed < TIME_LIMIT,
        "{what} took {elapsed:?} on {} bytes",
        input.len()
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn allris_text_parser_survives_anything(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..4096),
            soup(TEXT_TOKENS, 400),
            mutated(TEXT_EXPORT.as_bytes()),
        ]
    ) {
        bounded("parse_text", &bytes, || allris::parse_text(&bytes));
        bounded("parse (.txt)", &bytes, || parse("x.txt", &bytes, &Options::default()));
    }

    #[test]
    fn allris_html_parser_survives_anything(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..4096),
            soup(HTML_TOKENS, 400),
            mutated(HTML_PAGE),
        ]
    ) {
        bounded("parse_html", &bytes, || allris::parse_html(&bytes));
        bounded("parse (.html)", &bytes, || parse("x.html", &bytes, &Options::default()));
    }

    #[test]
    fn oparl_parser_survives_anything(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..2048),
            oparl_json(),
        ]
    ) {
        bounded("oparl::parse", &bytes, || oparl::parse("x.json", &bytes));
        bounded("oparl::deleted_papers", &bytes, || oparl::deleted_papers("x.json", &bytes));
        let mut catalog = oparl::Catalog::default();
        bounded("Catalog::add", &bytes, || catalog.add("x.json", &bytes));
        bounded("Catalog::records", &bytes, || catalog.records());
    }
}

#[test]
fn deeply_nested_json_is_refused_or_parsed_without_overflow() {
    for depth in [10, 1_000, 100_000] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        bounded("nested arrays", nested.as_bytes(), || {
            oparl::parse("x.json", nested.as_bytes())
        });
        let objects = format!("{}1{}", "{\"data\":".repeat(depth), "}".repeat(depth));
        bounded("nested objects", objects.as_bytes(), || {
            oparl::parse("x.json", objects.as_bytes())
        });
    }
}
