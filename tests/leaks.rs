//! Non-public papers never leak: papers planted as non-public in every way a source can say so
//! (ALLRIS text export and page, OParl `public: false`, PDF attachments of such papers, in the
//! same run and in later runs, a public paper that turns non-public) are looked for through
//! every endpoint and the CLI. A public control paper must be found, so the suite cannot pass
//! by finding nothing at all.

use std::collections::BTreeSet;
use std::path::PathBuf;

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{allris_text, get, TestIndex};

/// A planted non-public paper: its reference, the word it is searched by, and a witness word
/// that stands beside it and is never part of any request (so any echo of a request cannot
/// hide a leak and cannot fake one).
struct Planted {
    reference: &'static str,
    marker: &'static str,
    witness: &'static str,
}

const PLANTED: [Planted; 8] = [
    // ALLRIS text export marked nichtöffentlich, with a PDF attachment in the same run.
    Planted {
        reference: "VII-F-09901",
        marker: "Leckwortalpha",
        witness: "Zeugealpha",
    },
    Planted {
        reference: "VII-F-09901",
        marker: "Leckwortgamma",
        witness: "Zeugegamma",
    },
    // ALLRIS 4 Vorlage page marked nichtöffentlich.
    Planted {
        reference: "8/2099",
        marker: "Leckwortbeta",
        witness: "Zeugebeta",
    },
    // OParl paper with public: false, its main file carrying text.
    Planted {
        reference: "VII-A-09903",
        marker: "Leckwortepsilon",
        witness: "Zeugeepsilon",
    },
    // A public paper (with a PDF attachment) that a later run shows as non-public.
    Planted {
        reference: "VII-F-09904",
        marker: "Leckwortdelta",
        witness: "Zeugedelta",
    },
    Planted {
        reference: "VII-F-09904",
        marker: "Leckwortzeta",
        witness: "Zeugezeta",
    },
    // Attachments of the non-public papers that arrive only in a later run.
    Planted {
        reference: "VII-F-09901",
        marker: "Leckworteta",
        witness: "Zeugeeta",
    },
    Planted {
        reference: "VII-A-09903",
        marker: "Leckworttheta",
        witness: "Zeugetheta",
    },
];

/// The word only the public control papers contain.
const CONTROL: &str = "Kontrollwortpublik";
const CONTROL_REFERENCES: [&str; 2] = ["VII-F-07000", "VII-A-07001"];

fn text_with(planted: &Planted, public: bool) -> String {
    allris_text(
        planted.reference,
        public,
        &format!("{} {}", planted.marker, planted.witness),
    )
}

fn pdf_with(planted: &Planted) -> Vec<u8> {
    ratsuche::corpus::render_pdf(
        &format!("Anlage {} {}", planted.marker, planted.witness),
        &[format!(
            "Vertraulicher Anhang: {} {} und weitere Angaben zur Sache.",
            planted.marker, planted.witness
        )],
    )
}

fn allris_page(reference: &str, words: &str) -> String {
    format!(
        r#"<html><body>
    <span id="logo" title="ALLRIS 4 - Gemeinde Hürtgenwald"></span>
    <h1 class="title">Beschlussvorlage - {reference}</h1>
    <div id="head">
    <dl><dt>Betreff:</dt><dd><span id="vobetreff">Infopunkt {words}</span></dd></dl>
    <dl><dt>Status:</dt><dd><span id="vostatus">nichtöffentlich</span></dd></dl>
    <dl><dt>Vorlageart:</dt><dd><span id="voart">Beschlussvorlage</span></dd></dl>
    <dl><dt>Einreicher:</dt><dd>Bürgermeister {words}</dd></dl>
    </div><div id="body"><p>Sachverhalt: {words}</p></div></body></html>"#
    )
}

fn oparl_papers() -> String {
    let secret = &PLANTED[3];
    serde_json::json!({ "data": [
        {
            "id": "https://rat.example/paper/1", "type": "https://schema.oparl.org/1.1/Paper",
            "reference": secret.reference, "name": format!("Antrag {} {}", secret.marker, secret.witness),
            "paperType": "Antrag", "date": "2021-03-04", "public": false,
            "mainFile": { "id": "https://rat.example/file/1", "type": "https://schema.oparl.org/1.1/File",
                "name": "Antrag", "text": format!("Begründung {} {}", secret.marker, secret.witness) }
        },
        {
            "id": "https://rat.example/paper/2", "type": "https://schema.oparl.org/1.1/Paper",
            "reference": CONTROL_REFERENCES[1], "name": format!("Antrag zum {CONTROL}"),
            "paperType": "Antrag", "date": "2021-03-05",
            "mainFile": { "id": "https://rat.example/file/2", "type": "https://schema.oparl.org/1.1/File",
                "name": "Antrag", "text": format!("Begründung {CONTROL} öffentlich") }
        }
    ]})
    .to_string()
}

/// Plants everything in three ingest runs, checking that each run saw what it was given.
fn plant(test: &TestIndex) {
    let run = |name: &str, files: Vec<(String, Vec<u8>)>| -> PathBuf {
        for (file, content) in files {
            test.write(&format!("{name}/{file}"), content);
        }
        test.inputs.path().join(name)
    };
    let first = run(
        "first",
        vec![
            (
                "VII-F-09901.txt".into(),
                text_with(&PLANTED[0], false).into(),
            ),
            ("VII-F-09901.pdf".into(), pdf_with(&PLANTED[1])),
            (
                "vo020.html".into(),
                allris_page(
                    PLANTED[2].reference,
                    &format!("{} {}", PLANTED[2].marker, PLANTED[2].witness),
                )
                .into(),
            ),
            ("papers.json".into(), oparl_papers().into()),
            (
                "VII-F-09904.txt".into(),
                text_with(&PLANTED[4], true).into(),
            ),
            ("VII-F-09904.pdf".into(), pdf_with(&PLANTED[5])),
            (
                "VII-F-07000.txt".into(),
                allris_text(CONTROL_REFERENCES[0], true, CONTROL).into(),
            ),
        ],
    );
    let summary = test.ingest(&[first]);
    let skipped: Vec<&str> = summary
        .skipped
        .iter()
        .map(|(_, reason)| reason.as_str())
        .collect();
    for reference in ["VII-F-09901", "8/2099", "VII-A-09903"] {
        assert!(
            skipped
                .iter()
                .any(|reason| reason.contains(reference) && reason.contains("non-public")),
            "{reference} was not recognised as non-public: {summary}"
        );
    }
    assert!(
        skipped.contains(&"attachment of a non-public paper"),
        "{summary}"
    );
    assert_eq!(summary.ingested, 3, "{summary}");
    assert_eq!(summary.attachments, 1, "{summary}");

    let second = run(
        "second",
        vec![(
            "VII-F-09904.txt".into(),
            text_with(&PLANTED[4], false).into(),
        )],
    );
    let summary = test.ingest(&[second]);
    assert_eq!(summary.ingested, 0, "{summary}");

    let third = run(
        "third",
        vec![
            ("VII-F-09901.pdf".into(), pdf_with(&PLANTED[6])),
            ("VII-A-09903.pdf".into(), pdf_with(&PLANTED[7])),
            ("VII-F-09904.pdf".into(), pdf_with(&PLANTED[5])),
        ],
    );
    let summary = test.ingest(&[third]);
    assert_eq!(summary.attachments, 0, "{summary}");
    assert_eq!(summary.skipped.len(), 3, "{summary}");
}

/// Asserts that `text`, the answer to `request`, shows no planted word: witnesses never, markers
/// and references unless the request itself carries them (a page may echo its query).
fn assert_no_leak(request: &str, text: &str) {
    let request = request.to_lowercase();
    let text_lower = text.to_lowercase();
    for planted in &PLANTED {
        assert!(
            !text_lower.contains(&planted.witness.to_lowercase()),
            "{request} leaks {}: {text}",
            planted.witness
        );
        let echoed = |word: &str| {
            let word = word.to_lowercase();
            request.contains(&word) || request.contains(&word.replace('/', "%2f"))
        };
        if !echoed(planted.marker) {
            assert!(
                !text_lower.contains(&planted.marker.to_lowercase()),
                "{request} leaks {}: {text}",
                planted.marker
            );
        }
        if !echoed(planted.reference) {
            assert!(
                !text_lower.contains(&planted.reference.to_lowercase()),
                "{request} leaks {}: {text}",
                planted.reference
            );
        }
    }
}

fn encode(text: &str) -> String {
    ratsuche::search::encode_path_segment(text)
}

/// Every request of the table: search-like routes with every planted word, every facet value
/// as a filter, the document routes of every planted reference, and the fixed routes.
fn requests(facets: &[(String, String)]) -> Vec<String> {
    let mut words: BTreeSet<String> = BTreeSet::new();
    for planted in &PLANTED {
        words.insert(planted.marker.to_string());
        words.insert(planted.reference.to_string());
    }
    words.extend(["", "Leckw", "Leckwort*", "Zeuge", CONTROL, "Antrag"].map(String::from));
    let search_routes = [
        "/api/search",
        "/",
        "/feed.atom",
        "/export.csv",
        "/export.json",
        "/api/suggest",
    ];
    let mut requests = Vec::new();
    for route in search_routes {
        for word in &words {
            requests.push(format!("{route}?q={}&per_page=100", encode(word)));
        }
        for (facet, value) in facets {
            requests.push(format!("{route}?{facet}={}&per_page=100", encode(value)));
        }
    }
    for planted in &PLANTED {
        for route in ["/api/documents", "/documents"] {
            requests.push(format!("{route}/{}", encode(planted.reference)));
            requests.push(format!(
                "{route}/{}?body={}",
                encode(planted.reference),
                encode("Gemeinde Hürtgenwald")
            ));
        }
    }
    requests.extend(
        [
            "/api/openapi.json",
            "/widget.js",
            "/healthz",
            "/sitemap.xml",
        ]
        .map(String::from),
    );
    requests
}

#[tokio::test]
async fn non_public_papers_never_leak_through_any_endpoint() {
    let test = TestIndex::new();
    plant(&test);
    let app = test.app();

    // The control is found, so the checks below are not vacuous.
    let (status, _, text) = get(&app, &format!("/api/search?q={CONTROL}")).await;
    assert_eq!(status, StatusCode::OK);
    let response: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(response["total"], 2, "{response}");
    assert!(text.contains("<mark>"), "no snippet: {text}");
    for reference in CONTROL_REFERENCES {
        let (status, _, text) = get(&app, &format!("/api/documents/{reference}")).await;
        assert_eq!(status, StatusCode::OK, "{reference}");
        assert!(text.contains(CONTROL), "{text}");
    }
    let (status, _, html) = get(&app, &format!("/?q={CONTROL}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(CONTROL_REFERENCES[0]), "{html}");

    // Facet counts over everything add up to the public papers alone.
    let (_, _, text) = get(&app, "/api/search?per_page=100").await;
    let everything: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(everything["total"], 2, "{everything}");
    let mut facets = Vec::new();
    for (facet, values) in everything["facets"].as_object().unwrap() {
        let mut sum = 0;
        for entry in values.as_array().unwrap() {
            let count = entry["count"].as_u64().unwrap();
            assert!(count <= 2, "{facet}: {entry}");
            sum += count;
            facets.push((facet.clone(), entry["value"].as_str().unwrap().to_string()));
        }
        if facet == "type" || facet == "year" {
            assert_eq!(sum, 2, "{facet} counts a hidden paper: {values}");
        }
    }
    assert!(facets.len() >= 4, "{everything}");

    let table = requests(&facets);
    assert!(table.len() > 150, "{}", table.len());
    for request in &table {
        let (status, _, text) = get(&app, request).await;
        assert!(!status.is_server_error(), "{request}: {status} {text}");
        assert_no_leak(request, &text);
    }
    for planted in &PLANTED {
        let (status, _, _) = get(
            &app,
            &format!("/api/documents/{}", encode(planted.reference)),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", planted.reference);
    }
    // Metrics last, after every request above was counted.
    let (status, _, text) = get(&app, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert_no_leak("/metrics", &text);
    assert!(text.contains("ratsuche_papers 2"), "{text}");

    // The CLI shows the same.
    let search = |words: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_ratsuche"))
            .arg("search")
            .arg("--index")
            .arg(test.dir.path())
            .arg("--json")
            .arg(words)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(search(CONTROL).contains(CONTROL_REFERENCES[0]));
    for planted in &PLANTED {
        for words in [planted.marker, planted.reference, ""] {
            let stdout = search(words);
            assert_no_leak(&format!("ratsuche search {words}"), &stdout);
        }
    }
}
