//! Admin operations under `/api/admin/`: refused without the configured bearer token (and when
//! none is configured), working with it, with their own upload limit, never logging the token.

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ratsuche::config::{AdminToken, ServeConfig};
use ratsuche::http::{Admin, AppState};
use serde_json::Value;

use crate::support::{allris_text, get_json, send, TestIndex};

const TOKEN: &str = "s3cr3t-T0ken-for-tests-0123456789";

fn admin_app(test: &TestIndex, token: Option<&str>, max_upload: usize) -> axum::Router {
    let index = index::Index::open(test.dir.path()).unwrap();
    let token = token.map(|secret| AdminToken::new(secret).unwrap());
    let admin = Admin::new(token, max_upload).with_index_dir(test.dir.path().to_path_buf());
    ratsuche::http::app(
        AppState::new(index).with_admin(admin),
        &ServeConfig::default(),
    )
}

fn post(uri: &str, authorization: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut builder = Request::builder().method("POST").uri(uri);
    if let Some(value) = authorization {
        builder = builder.header("authorization", value);
    }
    builder.body(body.into()).unwrap()
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

async fn post_json(
    app: &axum::Router,
    uri: &str,
    authorization: Option<&str>,
    body: impl Into<Body>,
) -> (StatusCode, Value) {
    let (status, headers, text) = send(app, post(uri, authorization, body)).await;
    let content_type = headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    assert!(
        content_type.starts_with("application/json"),
        "{uri}: {status} {content_type} {text}"
    );
    (status, serde_json::from_str(&text).unwrap())
}

/// A `tracing` writer into a shared buffer, to read what the server logged.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn admin_routes_refuse_everyone_when_no_token_is_configured() {
    let test = TestIndex::new();
    let app = admin_app(&test, None, 1024 * 1024);
    for uri in [
        "/api/admin/reindex",
        "/api/admin/sync",
        "/api/admin/ingest?name=a.txt",
    ] {
        for authorization in [None, Some("Bearer ".to_string()), Some(bearer())] {
            let (status, response) = post_json(&app, uri, authorization.as_deref(), "x").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}: {response}");
            assert!(response["error"].as_str().unwrap().contains("disabled"));
        }
    }
    let (status, _) = get_json(&app, "/api/admin/status").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admin_routes_need_the_right_bearer_token_and_never_log_it() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let test = TestIndex::new();
    let app = admin_app(&test, Some(TOKEN), 1024 * 1024);
    let wrong = [
        None,
        Some("Bearer".to_string()),
        Some("Bearer ".to_string()),
        Some(format!("Basic {TOKEN}")),
        Some(format!("bearer{TOKEN}")),
        Some(format!("Bearer {}", &TOKEN[..TOKEN.len() - 1])),
        Some(format!("Bearer {TOKEN}x")),
        Some(format!("Bearer {}", TOKEN.to_uppercase())),
    ];
    for authorization in &wrong {
        let (status, headers, text) = send(
            &app,
            post("/api/admin/reindex", authorization.as_deref(), ""),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{authorization:?}: {text}"
        );
        assert_eq!(headers["www-authenticate"], "Bearer");
        let response: Value = serde_json::from_str(&text).unwrap();
        assert!(response["error"].is_string(), "{text}");
    }

    // With the token: an upload is ingested and searchable at once, through the same server.
    let upload = allris_text("VII-F-07001", true, "Admin-Hochladetest");
    let (status, response) = post_json(
        &app,
        "/api/admin/ingest?name=upload.txt&body=Leipzig",
        Some(&bearer()),
        upload,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{response}");
    assert_eq!(response["ingested"], 1, "{response}");
    let (_, found) = get_json(&app, "/api/search?q=Admin-Hochladetest").await;
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["hits"][0]["body"], "Leipzig", "{found}");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("admin request refused"),
        "the capture must see the server's logs: {logs}"
    );
    assert!(logs.contains("admin ingest"), "{logs}");
    assert!(!logs.contains(TOKEN), "the token was logged: {logs}");
    assert!(!logs.contains(&TOKEN[..12]), "part of the token was logged");
}

#[tokio::test]
async fn admin_uploads_have_their_own_limit_and_checked_names() {
    let test = TestIndex::new();
    let max_upload = 200 * 1024;
    let app = admin_app(&test, Some(TOKEN), max_upload);
    // Larger than the 64 KiB of public routes, within the admin limit.
    let mut upload = allris_text("VII-F-07002", true, "Großdatei");
    while upload.len() < 150 * 1024 {
        upload.push_str("Weitere Ausführungen zum Sachverhalt der Verwaltung folgen hier.\n");
    }
    let (status, response) = post_json(
        &app,
        "/api/admin/ingest?name=big.txt",
        Some(&bearer()),
        upload,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{response}");
    assert_eq!(response["ingested"], 1, "{response}");

    let too_big = vec![b'x'; max_upload + 1];
    // Without a Content-Length (as a streamed body comes) it is cut off while read.
    let (status, response) = post_json(
        &app,
        "/api/admin/ingest?name=big.txt",
        Some(&bearer()),
        too_big.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{response}");
    // The same announced in the Content-Length header is refused before it is read.
    let mut request = post("/api/admin/ingest?name=big.txt", Some(&bearer()), too_big);
    request
        .headers_mut()
        .insert("content-length", (max_upload + 1).into());
    let (status, _, text) = send(&app, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(text.contains("\"error\""), "{text}");
    // Public routes keep the small limit.
    let request = Request::builder()
        .method("GET")
        .uri("/api/search?q=x")
        .header("content-length", "1000000")
        .body(Body::from(vec![b'x'; 1_000_000]))
        .unwrap();
    let (status, _, text) = send(&app, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    assert!(text.contains("\"error\""), "{text}");

    for name in [
        "",
        "../escape.txt",
        "a/b.txt",
        "..%2Fescape.txt",
        ".hidden.txt",
        "program.exe",
        "noextension",
    ] {
        let uri = format!("/api/admin/ingest?name={name}");
        let (status, response) = post_json(&app, &uri, Some(&bearer()), "text").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {response}");
    }
    let (status, response) = post_json(
        &app,
        "/api/admin/ingest?name=empty.txt",
        Some(&bearer()),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{response}");
}

#[tokio::test]
async fn reindex_runs_in_the_background_and_sync_needs_an_endpoint() {
    let test = TestIndex::new();
    let inputs: Vec<_> = (0..5)
        .map(|idx| {
            test.write(
                &format!("p{idx}.txt"),
                allris_text(&format!("VII-F-0710{idx}"), true, &format!("Wort{idx}x")),
            )
        })
        .collect();
    test.ingest(&inputs);
    let app = admin_app(&test, Some(TOKEN), 1024 * 1024);
    let (status, response) = post_json(&app, "/api/admin/reindex", Some(&bearer()), "").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{response}");
    let last = wait_for_job(&app).await;
    assert_eq!(last["ok"], true, "{last}");
    assert_eq!(last["result"]["ingested"], 5, "{last}");
    let (_, everything) = get_json(&app, "/api/search?per_page=100").await;
    assert_eq!(everything["total"], 5, "{everything}");
    let (_, found) = get_json(&app, "/api/search?q=Wort3x").await;
    assert_eq!(found["total"], 1, "{found}");

    let (status, response) = post_json(&app, "/api/admin/sync", Some(&bearer()), "").await;
    assert_eq!(status, StatusCode::CONFLICT, "{response}");
    assert!(response["error"].as_str().unwrap().contains("--oparl"));
}

/// Polls `/api/admin/status` until no job runs; returns how the last one ended.
async fn wait_for_job(app: &axum::Router) -> Value {
    for _ in 0..600 {
        let request = Request::builder()
            .uri("/api/admin/status")
            .header("authorization", bearer())
            .body(Body::empty())
            .unwrap();
        let (status, _, text) = send(app, request).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let response: Value = serde_json::from_str(&text).unwrap();
        if response["running"] == false && !response["last"].is_null() {
            return response["last"].clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the admin job did not finish within 30 s");
}

#[test]
fn admin_token_file_is_read_and_weak_tokens_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token");
    let mut file = std::fs::File::create(&path).unwrap();
    writeln!(file, "{TOKEN}").unwrap();
    let config = ServeConfig {
        admin_token_file: Some(path.clone()),
        ..ServeConfig::default()
    };
    let token = config.admin_token().unwrap().unwrap();
    assert!(token.matches(TOKEN.as_bytes()));
    assert!(!format!("{token:?}").contains(TOKEN));
    std::fs::write(&path, "short\n").unwrap();
    assert!(config.admin_token().is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sync_crawls_the_configured_oparl_endpoint() {
    let Some(server) = crate::sync::Server::start() else {
        return;
    };
    let test = TestIndex::new();
    let index = index::Index::open(test.dir.path()).unwrap();
    let mut options = ratsuche::sync::SyncOptions::default();
    options.client.requests_per_second = 0.0;
    options.pdf.ocr = None;
    let admin = Admin::new(Some(AdminToken::new(TOKEN).unwrap()), 1024 * 1024)
        .with_index_dir(test.dir.path().to_path_buf())
        .with_oparl(server.url("/oparl/body/1"), options);
    let app = ratsuche::http::app(
        AppState::new(index).with_admin(admin),
        &ServeConfig::default(),
    );
    let (status, response) = post_json(&app, "/api/admin/sync", None, "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{response}");
    let (status, response) = post_json(&app, "/api/admin/sync", Some(&bearer()), "").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{response}");
    let last = wait_for_job(&app).await;
    assert_eq!(last["job"], "sync", "{last}");
    assert_eq!(last["ok"], true, "{last}");
    assert_eq!(last["result"]["written"], 25, "{last}");
    let (_, everything) = get_json(&app, "/api/search?per_page=100").await;
    assert_eq!(everything["total"], 25, "{everything}");
}
