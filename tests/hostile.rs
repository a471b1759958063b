//! Hostile HTTP input: enormous and malformed queries, invalid UTF-8 and percent-encoding,
//! huge page values, path traversal, giant bodies, very long URIs, wrong methods. Every answer
//! is a 4xx (or a 200 where the input is merely odd) with a JSON message, never a 5xx.

use std::io::{Read, Write};

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::support::{send, TestIndex};

/// What a hostile request must get: `Ok` for an answer, or a client error with this status.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// 200, or 400 when the input cannot be a query.
    OkOrBadRequest,
    Status(u16),
}

fn check(status: StatusCode, body: &str, uri: &str, expect: Expect) {
    let shown = &uri[..uri.len().min(120)];
    assert!(!status.is_server_error(), "{shown}: {status} {body}");
    match expect {
        Expect::OkOrBadRequest => assert!(
            status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
            "{shown}: {status} {body}"
        ),
        Expect::Status(code) => assert_eq!(status.as_u16(), code, "{shown}: {body}"),
    }
    let is_api = uri.starts_with("/api/") || matches!(status.as_u16(), 405 | 413 | 414);
    if status.is_client_error() && is_api {
        let json: serde_json::Value = serde_json::from_str(body)
            .unwrap_or_else(|error| panic!("{shown}: not JSON ({error}): {body}"));
        let message = json["error"].as_str().unwrap_or("");
        assert!(!message.is_empty(), "{shown}: {body}");
    }
}

#[tokio::test]
async fn hostile_requests_get_a_json_4xx_and_never_a_5xx() {
    let test = TestIndex::new();
    test.ingest_text(
        "VII-F-01504.txt",
        crate::support::allris_text("VII-F-01504", true, "Telearbeit"),
    );
    let app = test.app();
    // The http crate refuses to build URIs over 64 KiB; the socket test sends one.
    let long_word = "a".repeat(60_000);
    let nested_quotes = "%22(".repeat(300);
    let nested_parens = "(".repeat(1_500);
    let many_params = "q=x&".repeat(1_900);
    let huge_reference = "A".repeat(5_000);
    let get_cases: Vec<(String, Expect)> = vec![
        (format!("/api/search?q={long_word}"), Expect::Status(414)),
        (
            format!("/api/search?q={}", "a".repeat(3_000)),
            Expect::Status(400),
        ),
        (
            format!("/api/search?q={nested_quotes}"),
            Expect::OkOrBadRequest,
        ),
        (
            format!("/api/search?q={nested_parens}"),
            Expect::OkOrBadRequest,
        ),
        (
            format!("/api/search?q={}", "-%22OR%22".repeat(200)),
            Expect::OkOrBadRequest,
        ),
        ("/api/search?q=%FF%FE%FD".into(), Expect::OkOrBadRequest),
        ("/api/search?q=%E2%82".into(), Expect::OkOrBadRequest),
        ("/api/search?q=%".into(), Expect::OkOrBadRequest),
        ("/api/search?q=%zz%2".into(), Expect::OkOrBadRequest),
        ("/api/search?q=%00%00".into(), Expect::OkOrBadRequest),
        (
            "/api/search?%FF=%FF&type=%C0%AF".into(),
            Expect::OkOrBadRequest,
        ),
        (format!("/api/search?{many_params}"), Expect::OkOrBadRequest),
        (
            "/api/search?page=99999999999999999999999999".into(),
            Expect::Status(400),
        ),
        (
            "/api/search?page=18446744073709551615&per_page=100".into(),
            Expect::Status(400),
        ),
        (
            "/api/search?page=502&per_page=20".into(),
            Expect::Status(400),
        ),
        ("/api/search?per_page=-1".into(), Expect::Status(400)),
        ("/api/search?per_page=1e3".into(), Expect::Status(400)),
        ("/api/search?from=9999999-01-01".into(), Expect::Status(400)),
        ("/api/search?from=2020-02-30".into(), Expect::Status(400)),
        ("/api/search?sort=%00".into(), Expect::Status(400)),
        (
            "/api/documents/..%2F..%2Fetc%2Fpasswd".into(),
            Expect::Status(404),
        ),
        (
            "/api/documents/../../etc/passwd".into(),
            Expect::Status(404),
        ),
        (
            "/api/documents/%2e%2e/%2e%2e/Cargo.toml".into(),
            Expect::Status(404),
        ),
        ("/api/documents/%00".into(), Expect::Status(400)),
        ("/api/documents/%FF%FE".into(), Expect::Status(400)),
        (
            format!("/api/documents/{huge_reference}"),
            Expect::Status(400),
        ),
        (
            "/documents/..%2F..%2Fetc%2Fpasswd".into(),
            Expect::Status(404),
        ),
        (
            "/documents/%2e%2e%2f%2e%2e%2fCargo.toml".into(),
            Expect::Status(404),
        ),
        (format!("/{}", "a".repeat(10_000)), Expect::Status(414)),
        (
            format!("/documents/{}", "%41".repeat(3_000)),
            Expect::Status(414),
        ),
        ("/api/search?q=Telearbeit".into(), Expect::Status(200)),
    ];
    for (uri, expect) in &get_cases {
        let request = Request::builder()
            .uri(uri.as_str())
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = send(&app, request).await;
        check(status, &body, uri, *expect);
    }

    let giant = vec![b'x'; 10 * 1024 * 1024];
    let body_cases: Vec<(&str, &str, Vec<u8>, bool, Expect)> = vec![
        (
            "POST",
            "/api/search",
            giant.clone(),
            true,
            Expect::Status(413),
        ),
        (
            "PUT",
            "/api/documents/x",
            giant.clone(),
            true,
            Expect::Status(413),
        ),
        (
            "POST",
            "/api/search",
            b"q=x".to_vec(),
            true,
            Expect::Status(405),
        ),
        (
            "DELETE",
            "/api/documents/VII-F-01504",
            Vec::new(),
            false,
            Expect::Status(405),
        ),
        ("GET", "/api/search?q=x", giant, false, Expect::Status(200)),
    ];
    for (method, uri, bytes, announce, expect) in body_cases {
        let mut builder = Request::builder().method(method).uri(uri);
        if announce {
            builder = builder.header("content-length", bytes.len());
        }
        let (status, _, body) = send(&app, builder.body(Body::from(bytes)).unwrap()).await;
        check(status, &body, uri, expect);
    }
}

#[tokio::test]
async fn hostile_bytes_on_the_wire_get_a_4xx() {
    let test = TestIndex::new();
    let index = index::Index::open(test.dir.path()).unwrap();
    let (addr, stop, server) = crate::support::spawn_server(
        ratsuche::http::AppState::new(index),
        ratsuche::config::ServeConfig::default(),
    )
    .await;
    let long_target = format!("/api/search?q={}", "a".repeat(64 * 1024));
    let raw_requests: Vec<Vec<u8>> = vec![
        format!("GET {long_target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").into_bytes(),
        b"GET /api/search?q=\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
        b"GET /documents/\xc0\xaf..\xc0\xaf HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
        b"GET /api/search?q=a b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
        b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\nConnection: close\r\n\r\nxx".to_vec(),
        b"GET /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n".to_vec(),
        b"\x00\x01\x02 garbage\r\n\r\n".to_vec(),
    ];
    for raw in raw_requests {
        let shown = String::from_utf8_lossy(&raw[..raw.len().min(80)]).into_owned();
        let response = tokio::task::spawn_blocking(move || {
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(10)))
                .unwrap();
            let _ = stream.write_all(&raw);
            let mut response = Vec::new();
            let _ = stream.read_to_end(&mut response);
            String::from_utf8_lossy(&response).into_owned()
        })
        .await
        .unwrap();
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok());
        // A connection closed without an answer is acceptable for bytes that are not HTTP.
        if let Some(status) = status {
            assert!((400..500).contains(&status), "{shown}: {response}");
        }
    }
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
