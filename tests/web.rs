//! The web features for people: search and document pages, suggestions, feeds, exports and
//! embedding (frame and CORS policies, widget, OpenSearch).

use axum::http::StatusCode;
use ratsuche::config::ServeConfig;

use crate::support::{
    allris_paper, get, get_json, get_with_headers, references, sample_index, TestIndex,
};

/// The entry titles of an Atom feed, parsed by a real Atom parser.
fn feed_titles(xml: &str) -> Vec<String> {
    let feed = atom_syndication::Feed::read_from(xml.as_bytes())
        .unwrap_or_else(|error| panic!("not an Atom feed: {error}: {xml}"));
    assert!(!feed.id().is_empty());
    assert!(feed.links().iter().any(|link| link.rel() == "self"));
    feed.entries()
        .iter()
        .map(|entry| entry.title().as_str().to_string())
        .collect()
}

#[tokio::test]
async fn feed_is_atom_and_gains_an_entry_when_a_matching_paper_is_ingested() {
    let test = TestIndex::new();
    test.ingest_text(
        "first.txt",
        allris_paper(
            "VII-A-00100",
            "Zebrastreifen an der Grundschule",
            "Antrag",
            "SPD-Fraktion",
            "03.02.2021",
            "Ein Zebrastreifen soll den Schulweg sichern.",
        ),
    );
    let (status, content_type, xml) = get(&test.app(), "/feed.atom?q=Zebrastreifen").await;
    assert_eq!(status, StatusCode::OK, "{xml}");
    assert!(
        content_type.starts_with("application/atom+xml"),
        "{content_type}"
    );
    assert_eq!(
        feed_titles(&xml),
        ["VII-A-00100: Zebrastreifen an der Grundschule"]
    );

    test.ingest_text(
        "second.txt",
        allris_paper(
            "VII-A-00200",
            "Weitere Zebrastreifen in Grünau",
            "Antrag",
            "CDU-Fraktion",
            "05.06.2023",
            "Auch in Grünau fehlen Zebrastreifen & Ampeln <sicher>.",
        ),
    );
    test.ingest_text(
        "other.txt",
        allris_paper(
            "VII-A-00300",
            "Spielplatz im Park",
            "Antrag",
            "CDU-Fraktion",
            "05.06.2024",
            "Der Spielplatz wird saniert.",
        ),
    );
    let (_, _, xml) = get(&test.app(), "/feed.atom?q=Zebrastreifen&sort=date_asc").await;
    // Newest first whatever the sort asked for; the paper that does not match stays out.
    assert_eq!(
        feed_titles(&xml),
        [
            "VII-A-00200: Weitere Zebrastreifen in Grünau",
            "VII-A-00100: Zebrastreifen an der Grundschule"
        ]
    );
    let feed = atom_syndication::Feed::read_from(xml.as_bytes()).unwrap();
    assert_eq!(feed.updated().to_rfc3339(), "2023-06-05T00:00:00+00:00");
    let newest = &feed.entries()[0];
    assert_eq!(newest.updated().to_rfc3339(), "2023-06-05T00:00:00+00:00");
    assert!(newest.links()[0].href().ends_with("/documents/VII-A-00200"));
    let summary = newest.summary().unwrap().as_str();
    assert!(summary.contains("<mark>Zebrastreifen</mark>"), "{summary}");

    // Filters narrow the feed like the search.
    let (_, _, xml) = get(
        &test.app(),
        "/feed.atom?q=Zebrastreifen&fraction=SPD-Fraktion",
    )
    .await;
    assert_eq!(feed_titles(&xml).len(), 1);
    let (status, _, body) = get(&test.app(), "/feed.atom?from=gestern").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn csv_export_round_trips_and_matches_the_json_export() {
    let test = sample_index(80);
    test.ingest_text(
        "quoted.txt",
        allris_paper(
            "VII-A-09999",
            "Antrag \"Tempo 30\", Teil 2; Telearbeit",
            "Antrag",
            "Fraktion BÜNDNIS 90/DIE GRÜNEN",
            "01.03.2022",
            "Telearbeit und Tempo 30.",
        ),
    );
    let app = test.app();
    let (status, headers, csv_text) =
        get_with_headers(&app, "/export.csv?q=Telearbeit&sort=date_desc", &[]).await;
    assert_eq!(status, StatusCode::OK, "{csv_text}");
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let total: u64 = headers["x-total-count"].to_str().unwrap().parse().unwrap();

    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["reference", "title", "type", "fraction", "date", "url"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len() as u64, total.min(1_000), "{csv_text}");
    assert!(rows.len() > 1, "{csv_text}");

    let (_, export) = get_json(&app, "/export.json?q=Telearbeit&sort=date_desc").await;
    assert_eq!(export["total"], total);
    assert_eq!(export["limit"], 1_000);
    let json_rows: Vec<Vec<String>> = export["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            ["reference", "title", "type", "fraction", "date", "url"]
                .iter()
                .map(|name| row[name].as_str().unwrap_or("").to_string())
                .collect()
        })
        .collect();
    // The CSV holds exactly what the JSON export holds, quotes and commas included.
    assert_eq!(rows, json_rows);
    let quoted = rows.iter().find(|row| row[0] == "VII-A-09999").unwrap();
    assert_eq!(quoted[1], "Antrag \"Tempo 30\", Teil 2; Telearbeit");
    assert!(quoted[3].starts_with("Fraktion B"), "{}", quoted[3]);
    assert_eq!(quoted[4], "2022-03-01");
    assert!(
        quoted[5].ends_with("/documents/VII-A-09999"),
        "{}",
        quoted[5]
    );
    // The rows follow the search: newest first, as /api/search orders them.
    let (_, search) = get_json(&app, "/api/search?q=Telearbeit&sort=date_desc&per_page=100").await;
    let expected: Vec<String> = references(&search).into_iter().take(rows.len()).collect();
    let exported: Vec<String> = rows
        .iter()
        .take(expected.len())
        .map(|row| row[0].clone())
        .collect();
    assert_eq!(exported, expected);

    let (status, _, _) = get_with_headers(&app, "/export.csv?sort=popular", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn suggestions_complete_words_that_search_finds() {
    let test = sample_index(80);
    let app = test.app();
    let (status, body) = get_json(&app, "/api/suggest?q=Telea").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let suggestions = body["suggestions"].as_array().unwrap();
    assert!(!suggestions.is_empty(), "{body}");
    for suggestion in suggestions {
        let text = suggestion["text"].as_str().unwrap();
        assert!(text.to_lowercase().starts_with("telea"), "{text}");
        let query: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
        let (_, found) = get_json(&app, &format!("/api/search?q={query}&per_page=1")).await;
        assert!(found["total"].as_u64().unwrap() > 0, "{text} finds nothing");
    }
    // The words typed before the last one are kept.
    let (_, body) = get_json(&app, "/api/suggest?q=mobile%20Telea&limit=2").await;
    let first = body["suggestions"][0]["text"].as_str().unwrap();
    assert!(first.starts_with("mobile Telea"), "{first}");
    assert!(body["suggestions"].as_array().unwrap().len() <= 2);
    // Browsers' OpenSearch shape.
    let (_, body) = get_json(&app, "/api/suggest?q=Telea&format=opensearch").await;
    assert_eq!(body[0], "Telea");
    assert!(!body[1].as_array().unwrap().is_empty(), "{body}");
    // Bounded, validated parameters.
    for uri in [
        "/api/suggest?q=Tel&limit=0",
        "/api/suggest?q=Tel&limit=21",
        "/api/suggest?q=Tel&limit=viele",
        "/api/suggest?q=Tel&format=xml",
    ] {
        let (status, body) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body["error"].is_string());
    }
    let long = "a".repeat(201);
    let (status, _) = get_json(&app, &format!("/api/suggest?q={long}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = get_json(&app, "/api/suggest?q=").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["suggestions"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn search_page_has_facets_permalinks_families_and_help() {
    let test = TestIndex::new();
    for (reference, title, paper_type, date) in [
        (
            "VII-F-01504",
            "Telearbeit in der Verwaltung",
            "Anfrage",
            "16.09.2020",
        ),
        (
            "VII-F-01504-AW-01",
            "Telearbeit in der Verwaltung (Antwort)",
            "Antwort",
            "20.10.2020",
        ),
        ("VII-A-00007", "Telearbeit für alle", "Antrag", "01.02.2021"),
    ] {
        test.ingest_text(
            &format!("{reference}.txt"),
            allris_paper(
                reference,
                title,
                paper_type,
                "SPD-Fraktion",
                date,
                "Telearbeit ermöglichen.",
            ),
        );
    }
    let app = test.app();
    let (status, content_type, html) = get(&app, "/?q=Telearbeit&sort=date_desc").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    // The state is in the form: query, sort, and facet checkboxes with counts.
    assert!(html.contains("value=\"Telearbeit\""), "{html}");
    assert!(html.contains("<option value=\"date_desc\" selected>"));
    assert!(
        html.contains("name=\"type\" value=\"Anfrage\" form=\"s\""),
        "{html}"
    );
    assert!(html.contains("<label for=\"q\""));
    assert!(html.contains("Datum: <time datetime=\"2021-02-01\">01.02.2021</time>"));
    assert!(html.contains("rel=\"search\""));
    // Years newest first, though 2020 has more hits.
    let year_at = |year: &str| {
        html.find(&format!("{year} <span class=\"count\">"))
            .unwrap_or_else(|| panic!("no year {year}: {html}"))
    };
    assert!(year_at("2021") < year_at("2020"), "{html}");
    assert!(
        html.contains("href=\"/feed.atom?q=Telearbeit&amp;sort=date_desc\""),
        "{html}"
    );
    // The Anfrage and its Antwort are one group; the Antrag stands alone.
    assert_eq!(html.matches("<article class=\"hit\">").count(), 2, "{html}");
    assert_eq!(html.matches("Aus demselben Vorgang").count(), 1);
    // A ticked facet stays ticked and can be removed.
    let (_, _, html) = get(&app, "/?q=Telearbeit&type=Antrag").await;
    assert!(
        html.contains("value=\"Antrag\" form=\"s\" data-autosubmit checked"),
        "{html}"
    );
    assert!(html
        .contains("href=\"/?q=Telearbeit\" aria-label=\"Filter Vorlage-Art: Antrag entfernen\""));
    // Nothing found: links that drop a filter.
    let (_, _, html) = get(&app, "/?q=Telearbeit&type=Petition&from=2030-01-01").await;
    assert!(html.contains("Keine Treffer"));
    assert!(html.contains("ohne Filter Vorlage-Art: Petition"), "{html}");
    assert!(
        html.contains("href=\"/?q=Telearbeit&amp;from=2030-01-01\""),
        "{html}"
    );
    assert!(html.contains("ohne Zeitraum"));
    // An invalid search is a 400 page, not an error.
    let (status, _, _) = get(&app, "/?per_page=1000").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn document_page_shows_timeline_family_page_hits_and_similar_papers() {
    let test = sample_index(120);
    let app = test.app();
    let (_, found) = get_json(&app, "/api/search?q=Telearbeit&per_page=50").await;
    // A paper with attachment pages that hold the query word.
    let hit = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|hit| !hit["pages"].as_array().unwrap().is_empty())
        .expect("a sample paper with a matching attachment page");
    let url = hit["url"].as_str().unwrap();
    let (status, _, html) = get(&app, &format!("{url}?q=Telearbeit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Fundstellen für „Telearbeit“ in den Anlagen"));
    assert!(html.contains("-page-"), "no link to a page: {html}");
    assert!(html.contains("<mark>Telearbeit"), "{html}");
    assert!(html.contains("Ähnliche Dokumente"), "{html}");
    // A paper with a Beratungsfolge and a family shows both.
    let mut checked = false;
    for hit in found["hits"].as_array().unwrap() {
        let api_url = hit["url"]
            .as_str()
            .unwrap()
            .replace("/documents/", "/api/documents/");
        let (_, document) = get_json(&app, &api_url).await;
        if document["consultations"].as_array().unwrap().is_empty()
            || document["family"].as_array().unwrap().is_empty()
        {
            continue;
        }
        let (_, _, html) = get(&app, hit["url"].as_str().unwrap()).await;
        assert!(
            html.contains("<h2>Beratungsfolge</h2><ol class=\"timeline\">"),
            "{html}"
        );
        let organization = document["consultations"][0]["organization"]
            .as_str()
            .unwrap();
        assert!(
            html.contains(&format!("<strong>{organization}</strong>")),
            "{html}"
        );
        assert!(html.contains("<h2>Stammbaum</h2>"));
        let member = document["family"][0]["reference"].as_str().unwrap();
        assert!(html.contains(member), "{member}");
        checked = true;
        break;
    }
    assert!(checked, "no sample paper with consultations and family");
    // Unknown documents are a 404 page.
    let (status, _, _) = get(&app, "/documents/VII-X-99999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn embedding_follows_the_configured_origins() {
    let test = sample_index(40);
    let config = ServeConfig {
        frame_ancestors: vec!["https://ris.example.de".to_string()],
        cors_origins: vec!["https://ris.example.de".to_string()],
        ..ServeConfig::default()
    };
    let app = test.app_with(&config);
    let (status, headers, html) = get_with_headers(
        &app,
        "/?q=Telearbeit&embed=1",
        &[("origin", "https://ris.example.de")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-security-policy"],
        "frame-ancestors 'self' https://ris.example.de"
    );
    // No page chrome in the frame, and links keep the frame view.
    assert!(!html.contains("<header class=\"top\">"));
    assert!(html.contains("<input type=\"hidden\" name=\"embed\" value=\"1\">"));
    assert!(html.contains("target=\"_blank\""));

    let (_, headers, _) = get_with_headers(
        &app,
        "/api/search?q=Telearbeit",
        &[("origin", "https://ris.example.de")],
    )
    .await;
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://ris.example.de"
    );
    let (_, headers, _) = get_with_headers(
        &app,
        "/api/search?q=Telearbeit",
        &[("origin", "https://evil.example")],
    )
    .await;
    assert!(headers.get("access-control-allow-origin").is_none());

    // The defaults: any site may call the API, only ratsuche itself may frame it.
    let app = test.app();
    let (_, headers, _) = get_with_headers(
        &app,
        "/api/suggest?q=Tele",
        &[("origin", "https://a.example")],
    )
    .await;
    assert_eq!(headers["access-control-allow-origin"], "*");
    let (_, headers, _) = get_with_headers(&app, "/", &[]).await;
    assert_eq!(headers["content-security-policy"], "frame-ancestors 'self'");

    let (status, content_type, js) = get(&app, "/widget.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/javascript"));
    assert!(js.contains("data-ratsuche") && js.contains("/api/search?"));

    let (status, headers, xml) = get_with_headers(
        &app,
        "/opensearch.xml",
        &[("host", "ratsuche.example:8080")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/opensearchdescription+xml"));
    assert!(
        xml.contains("template=\"http://ratsuche.example:8080/?q={searchTerms}\""),
        "{xml}"
    );
}

#[tokio::test]
async fn search_page_says_when_only_the_parts_of_a_compound_were_found() {
    let test = TestIndex::new();
    test.ingest_text(
        "gym.txt",
        allris_paper(
            "VII-DS-00500",
            "Dach der Turnhalle Nord",
            "Beschlussvorlage",
            "Oberbürgermeister",
            "03.02.2022",
            "Die Turnhalle bekommt neue Fenster, Türen und Leuchten. Nach den Stürmen der \
             letzten Winter ist auch eine Sanierung nötig.",
        ),
    );
    let (status, _, html) = get(&test.app(), "/?q=Dachsanierung").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(
            "Kein Dokument enthält „Dachsanierung“ als Wort. Gezeigt werden Treffer, die die \
             Wortteile einzeln enthalten."
        ),
        "{html}"
    );
    assert!(html.contains("VII-DS-00500"), "{html}");
    assert!(html.contains("<mark>Sanierung</mark>"), "{html}");
    let (_, response) = get_json(&test.app(), "/api/search?q=Dachsanierung").await;
    assert_eq!(
        response["parts_apart"],
        serde_json::json!(["Dachsanierung"])
    );
    let (_, response) = get_json(&test.app(), "/api/search?q=Turnhalle").await;
    assert!(response["parts_apart"].is_null(), "{response}");
}

#[tokio::test]
async fn search_page_offers_the_correction_of_a_typo() {
    let test = TestIndex::new();
    test.ingest_text(
        "plan.txt",
        allris_paper(
            "VII-DS-00400",
            "Bebauungsplan Nr. 12 Lindenau",
            "Beschlussvorlage",
            "Oberbürgermeister",
            "03.02.2022",
            "Der Bebauungsplan ordnet die Nutzung der Flächen.",
        ),
    );
    // The misspelt word finds nothing as written; the page says so and shows the corrected
    // search, with a link to it.
    let (status, _, html) = get(&test.app(), "/?q=Bebaungsplan").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Gezeigt werden Treffer für „Bebauungsplan“ statt für „Bebaungsplan“."),
        "{html}"
    );
    assert!(html.contains("VII-DS-00400"), "{html}");
    // The user can insist on the word as typed: nothing then, with the correction offered.
    assert!(
        html.contains("<a href=\"/?q=Bebaungsplan&amp;as_typed=true\">Stattdessen nach „Bebaungsplan“ suchen</a>"),
        "{html}"
    );
    let (status, _, html) = get(&test.app(), "/?q=Bebaungsplan&as_typed=true").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Keine Treffer."), "{html}");
    assert!(
        html.contains("Meinten Sie: <a href=\"/?q=Bebauungsplan\">Bebauungsplan</a>?"),
        "{html}"
    );
    // A word the index does not know at all: no correction, the empty-result help instead.
    let (_, _, html) = get(&test.app(), "/?q=Xylophonorchester").await;
    assert!(html.contains("Keine Treffer."), "{html}");
    assert!(!html.contains("Gezeigt werden Treffer"), "{html}");
    // A question that no paper answers word for word: the papers with most of its words,
    // and the page says so.
    let (_, _, html) = get(&test.app(), "/?q=Wo+ordnet+Dresden+einen+Bebauungsplan").await;
    assert!(
        html.contains(
            "Kein Dokument enthält alle 3 Suchwörter. Gezeigt werden Treffer ohne „Dresden“."
        ),
        "{html}"
    );
    assert!(html.contains("VII-DS-00400"), "{html}");
}
