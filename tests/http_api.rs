//! The HTTP API end to end: the real Leipzig seed page ingested, then queried over HTTP.

use axum::http::StatusCode;

use crate::support::{facet_count, get, get_json, references, seed_text, TestIndex};

/// The seed page turned non-public under another reference, with a word only it contains.
fn non_public_copy(seed: &str, reference: &str) -> String {
    seed.replace("VII-F-01504", reference)
        // The seed has a non-breaking space after "öffentlich": replace only the word.
        .replace("Status:öffentlich", "Status:nichtöffentlich")
        .replace(
            "Sachverhalt\n",
            "Sachverhalt\n\nGeheimhaltungsstufe Zitronenfalter.\n",
        )
}

#[tokio::test]
async fn seed_page_is_found_with_its_metadata_and_a_highlighted_snippet() {
    let Some(seed) = seed_text() else { return };
    let test = TestIndex::new();
    let summary = test.ingest_text("VII-F-01504.txt", &seed);
    assert_eq!(summary.ingested, 1, "{summary}");
    let app = test.app();

    let (status, response) = get_json(&app, "/api/search?q=Telearbeit").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(response["total"], 1);
    let hit = &response["hits"][0];
    assert_eq!(hit["reference"], "VII-F-01504");
    assert_eq!(
        hit["title"],
        "IT-Ausstattung und Organisation der Arbeit der Verwaltung"
    );
    assert_eq!(hit["type"], "Anfrage");
    assert_eq!(hit["fraction"], "SPD-Fraktion");
    assert_eq!(hit["originator"], "SPD-Fraktion");
    assert_eq!(hit["date"], "2020-09-16");
    assert_eq!(hit["url"], "/documents/VII-F-01504");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    let snippet = hit["snippets"][0].as_str().unwrap();
    assert!(snippet.contains("<mark>Telearbeit</mark>"), "{snippet}");
    assert!(
        snippet.chars().count() < 600,
        "snippet is not bounded: {snippet}"
    );
    assert!(response["took_ms"].as_f64().unwrap() >= 0.0);

    // Facets of the whole result.
    assert_eq!(facet_count(&response, "type", "Anfrage"), 1);
    assert_eq!(facet_count(&response, "fraction", "SPD-Fraktion"), 1);
    assert_eq!(facet_count(&response, "gremium", "Ratsversammlung"), 1);
    assert_eq!(facet_count(&response, "year", "2020"), 1);
}

#[tokio::test]
async fn document_endpoint_returns_consultations_and_family() {
    let Some(seed) = seed_text() else { return };
    let test = TestIndex::new();
    test.ingest_text("seed.txt", &seed);
    let app = test.app();

    let (status, document) = get_json(&app, "/api/documents/VII-F-01504").await;
    assert_eq!(status, StatusCode::OK, "{document}");
    assert_eq!(document["reference"], "VII-F-01504");
    assert_eq!(document["type"], "Anfrage");
    assert_eq!(document["occasion"], "Sonstiges");
    let consultation = &document["consultations"][0];
    assert_eq!(consultation["organization"], "Ratsversammlung");
    assert_eq!(consultation["date"], "2020-09-16");
    assert_eq!(consultation["role"], "schriftliche Beantwortung");
    assert_eq!(consultation["result"], "vertagt");
    let family: Vec<&str> = document["family"]
        .as_array()
        .unwrap()
        .iter()
        .map(|member| member["reference"].as_str().unwrap())
        .collect();
    assert!(family.contains(&"VII-F-01504-AW-01"), "{family:?}");
    assert!(document["text"].as_str().unwrap().contains("Telearbeit"));
    assert!(document.get("public").is_none());

    let (status, missing) = get_json(&app, "/api/documents/VII-F-99999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing["error"].as_str().unwrap().contains("VII-F-99999"));
}

#[tokio::test]
async fn filters_narrow_and_facets_ignore_their_own_filter() {
    let Some(seed) = seed_text() else { return };
    let test = TestIndex::new();
    test.ingest_text("seed.txt", &seed);
    let app = test.app();

    let cases = [
        ("/api/search?q=Telearbeit&fraction=SPD-Fraktion", 1),
        ("/api/search?q=Telearbeit&fraction=CDU-Fraktion", 0),
        (
            "/api/search?q=Telearbeit&fraction=CDU-Fraktion&fraction=SPD-Fraktion",
            1,
        ),
        ("/api/search?q=Telearbeit&type=Anfrage", 1),
        ("/api/search?q=Telearbeit&type=Antrag", 0),
        ("/api/search?q=Telearbeit&gremium=Ratsversammlung", 1),
        ("/api/search?q=Telearbeit&from=2020-09-16&to=2020-09-16", 1),
        ("/api/search?q=Telearbeit&from=2020-09-17", 0),
        ("/api/search?q=Telearbeit&to=2020-09-15", 0),
        ("/api/search?q=&type=Anfrage", 1),
        ("/api/search", 1),
        ("/api/search?q=%22mobile+Arbeit+und+Telearbeit%22", 1),
        ("/api/search?q=%22Verwaltung+Telearbeit%22", 0),
        ("/api/search?q=Telearbeit+-Verwaltung", 0),
        ("/api/search?q=Zitronenfalter+OR+Telearbeit", 1),
        ("/api/search?q=Zitronenfalter", 0),
        ("/api/search?q=VII-F-01504", 1),
    ];
    for (uri, expected) in cases {
        let (status, response) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {response}");
        assert_eq!(response["total"], expected, "{uri}: {response}");
    }

    // A type filter that excludes the paper still shows the other types' counts (multi-select),
    // while the fraction facet counts only what the type filter lets through.
    let (_, response) = get_json(&app, "/api/search?q=Telearbeit&type=Antrag").await;
    assert_eq!(facet_count(&response, "type", "Anfrage"), 1);
    assert_eq!(facet_count(&response, "fraction", "SPD-Fraktion"), 0);
}

#[tokio::test]
async fn ingesting_twice_leaves_one_document() {
    let Some(seed) = seed_text() else { return };
    let test = TestIndex::new();
    let path = test.write("seed.txt", &seed);
    test.ingest(std::slice::from_ref(&path));
    test.ingest(&[path.clone(), path]);
    let (_, response) = get_json(&test.app(), "/api/search?q=Telearbeit").await;
    assert_eq!(response["total"], 1, "{response}");
}

#[tokio::test]
async fn non_public_papers_are_never_returned() {
    let Some(seed) = seed_text() else { return };
    let test = TestIndex::new();
    test.ingest_text("seed.txt", &seed);
    let secret = test.write(
        "secret/VII-F-09999.txt",
        non_public_copy(&seed, "VII-F-09999"),
    );
    let pdf = ratsuche::corpus::render_pdf(
        "Anlage",
        &["Geheimhaltungsstufe Zitronenfalter im Anhang.".to_string()],
    );
    test.write("secret/VII-F-09999.pdf", pdf);
    let summary = test.ingest(&[secret.parent().unwrap().to_path_buf()]);
    assert_eq!(summary.ingested, 0, "{summary}");
    assert_eq!(summary.attachments, 0, "{summary}");
    assert_eq!(summary.skipped.len(), 2, "{summary}");
    assert!(
        summary
            .skipped
            .iter()
            .all(|(_, reason)| reason.contains("non-public")),
        "{summary}"
    );
    let app = test.app();
    for uri in [
        "/api/search?q=Zitronenfalter",
        "/api/search?q=VII-F-09999",
        "/api/search?q=Geheimhaltungsstufe",
    ] {
        let (_, response) = get_json(&app, uri).await;
        assert_eq!(response["total"], 0, "{uri}: {response}");
    }
    let (_, everything) = get_json(&app, "/api/search?per_page=100").await;
    assert_eq!(references(&everything), ["VII-F-01504"]);
    assert_eq!(facet_count(&everything, "type", "Anfrage"), 1);
    let (status, _) = get_json(&app, "/api/documents/VII-F-09999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The public paper turning non-public removes it.
    test.ingest_text("became-secret.txt", non_public_copy(&seed, "VII-F-01504"));
    let app = test.app();
    let (_, response) = get_json(&app, "/api/search?q=Telearbeit").await;
    assert_eq!(response["total"], 0, "{response}");
    let (status, _) = get_json(&app, "/api/documents/VII-F-01504").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_typo_is_corrected_unless_the_words_are_asked_for_as_typed() {
    let Some(seed) = seed_text() else { return };
    let test = TestIndex::new();
    test.ingest_text("VII-F-01504.txt", &seed);
    let app = test.app();
    let (status, response) = get_json(&app, "/api/search?q=Telearbeitt").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(response["did_you_mean"], "Telearbeit");
    assert_eq!(references(&response), ["VII-F-01504"]);
    let (status, response) = get_json(&app, "/api/search?q=Telearbeitt&as_typed=true").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(response["total"], 0);
    assert!(response["did_you_mean"].is_null(), "{response}");
    assert_eq!(response["suggestion"], "Telearbeit");
}

#[tokio::test]
async fn bad_parameters_get_a_json_4xx() {
    let test = TestIndex::new();
    let app = test.app();
    let cases = [
        "/api/search?q=x&from=2020-13-45",
        "/api/search?q=x&to=yesterday",
        "/api/search?q=x&sort=best",
        "/api/search?q=x&per_page=101",
        "/api/search?q=x&per_page=0",
        "/api/search?q=x&page=0",
        "/api/search?q=x&page=abc",
        "/api/search?q=x&page=99999999999",
        "/api/search?q=x&from=2021-01-01&to=2020-01-01",
        "/api/search?q=x&as_typed=maybe",
    ];
    for uri in cases {
        let (status, response) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {response}");
        assert!(!response["error"].as_str().unwrap().is_empty(), "{uri}");
    }
    let long_query = format!("/api/search?q={}", "a".repeat(5_000));
    let (status, _) = get_json(&app, &long_query).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, response) = get_json(&app, "/api/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(response["error"].is_string());
}

#[tokio::test]
async fn hostile_queries_never_cause_a_server_error() {
    let test = TestIndex::new();
    let app = test.app();
    let hostile = [
        "%22",
        "%22%22%22",
        "-",
        "--",
        "OR",
        "OR+OR+OR",
        "a+OR",
        "(((((",
        "%22a+%22b+%22c",
        "-%22",
        "*",
        "field:value",
        "a%00b",
        "%FF%FE",
        "%E2%80%AE",
        "%5C%5C%5C",
        "AND+NOT",
        "VII-F-",
        "-VII",
    ];
    for query in hostile {
        let uri = format!("/api/search?q={query}");
        let (status, _, body) = get(&app, &uri).await;
        assert!(
            status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
            "{uri}: {status} {body}"
        );
    }
    let (status, _, _) = get(&app, "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&app, "/api/documents/%FF").await;
    assert!(status.is_client_error(), "{status}");
}

#[tokio::test]
async fn references_with_a_slash_are_percent_encoded_in_the_path() {
    let Some(seed) = seed_text() else { return };
    let test = TestIndex::new();
    test.ingest_text("karlsruhe.txt", seed.replace("VII-F-01504", "2021/0281"));
    let app = test.app();
    let (status, document) = get_json(&app, "/api/documents/2021%2F0281").await;
    assert_eq!(status, StatusCode::OK, "{document}");
    assert_eq!(document["reference"], "2021/0281");
    let (_, response) = get_json(&app, "/api/search?q=Telearbeit").await;
    assert_eq!(response["hits"][0]["url"], "/documents/2021%2F0281");
}

#[tokio::test]
async fn the_server_answers_on_an_ephemeral_port() {
    let Some(seed) = seed_text() else { return };
    let test = TestIndex::new();
    test.ingest_text("seed.txt", &seed);
    let index = index::Index::open(test.dir.path()).unwrap();
    let (addr, stop, server) = crate::support::spawn_server(
        ratsuche::http::AppState::new(index),
        ratsuche::config::ServeConfig::default(),
    )
    .await;
    let request = format!(
        "GET /api/search?q=Telearbeit HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let response = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    })
    .await
    .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains("\"reference\":\"VII-F-01504\""),
        "{response}"
    );
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn search_page_renders_hits_facets_and_escapes_input() {
    let Some(seed) = seed_text() else { return };
    let test = TestIndex::new();
    test.ingest_text("seed.txt", &seed);
    let app = test.app();
    let (status, content_type, html) = get(&app, "/?q=Telearbeit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert!(html.contains("<mark>Telearbeit</mark>"));
    assert!(html.contains("href=\"/documents/VII-F-01504\""));
    assert!(html.contains("SPD-Fraktion (1)"));
    let (_, _, html) = get(&app, "/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!html.contains("<script>alert(1)"), "query is not escaped");
    let (status, _, html) = get(&app, "/documents/VII-F-01504").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Beratungsfolge") && html.contains("VII-F-01504-AW-01"));
    let (status, _, _) = get(&app, "/?per_page=1000").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn metrics_count_requests_and_responses_carry_a_request_id() {
    let test = TestIndex::new();
    let app = test.app();
    get_json(&app, "/api/search?q=Haushalt").await;
    get_json(&app, "/api/search?q=x&sort=nonsense").await;
    let (status, content_type, text) = get(&app, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.contains("openmetrics-text"), "{content_type}");
    assert!(
        text.contains(
            "ratsuche_http_requests_total{route=\"/api/search\",method=\"GET\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("status=\"400\"} 1"), "{text}");
    assert!(text.contains("ratsuche_papers 0"), "{text}");
    assert!(
        text.contains("ratsuche_http_request_duration_seconds_bucket"),
        "{text}"
    );

    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .uri("/healthz")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    let id = response
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(id.len(), 36, "{id}");
}
