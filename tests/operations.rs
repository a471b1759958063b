//! Operations: a graceful shutdown finishes the request in flight, the real server stops
//! cleanly on SIGTERM, and its JSON logs carry request ids; `/metrics` counts ingest errors.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ratsuche::config::{AdminToken, ServeConfig};
use ratsuche::http::{Admin, AppState};

use crate::support::{allris_text, spawn_server, RunningServer, TestIndex};

const TOKEN: &str = "operations-test-token-0123456789";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_the_request_in_flight() {
    let test = TestIndex::new();
    let index = index::Index::open(test.dir.path()).unwrap();
    let admin = Admin::new(Some(AdminToken::new(TOKEN).unwrap()), 1024 * 1024);
    let state = AppState::new(index).with_admin(admin);
    let (addr, stop, server) = spawn_server(state, ServeConfig::default()).await;

    // An upload whose body arrives in two halves, with the shutdown in between.
    let upload = allris_text("VII-F-08001", true, "Abschaltprobe");
    let (half_sent, half_sent_rx) = std::sync::mpsc::channel::<()>();
    let (go, go_rx) = std::sync::mpsc::channel::<()>();
    let client = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let head = format!(
            "POST /api/admin/ingest?name=upload.txt HTTP/1.1\r\nHost: {addr}\r\n\
             Authorization: Bearer {TOKEN}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            upload.len()
        );
        let (first, second) = upload.as_bytes().split_at(upload.len() / 2);
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(first).unwrap();
        stream.flush().unwrap();
        half_sent.send(()).unwrap();
        go_rx.recv().unwrap();
        stream.write_all(second).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    });
    tokio::task::spawn_blocking(move || half_sent_rx.recv().unwrap())
        .await
        .unwrap();
    // Let the server start the request, then ask it to stop.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !server.is_finished(),
        "the server stopped with a request in flight"
    );
    go.send(()).unwrap();
    let response = tokio::task::spawn_blocking(move || client.join().unwrap())
        .await
        .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"ingested\":1"), "{response}");
    tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .expect("the server did not stop after the request")
        .unwrap()
        .unwrap();
    // The upload was committed: a new reader sees it.
    let index = index::Index::open(test.dir.path()).unwrap();
    assert_eq!(index.num_papers(), 1);
}

/// Sends one GET over a fresh connection and returns the response text.
fn http_get(addr: &str, target: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

#[test]
fn serve_stops_on_sigterm_and_logs_json_with_request_ids() {
    let test = TestIndex::new();
    test.ingest_text(
        "VII-F-08002.txt",
        allris_text("VII-F-08002", true, "Protokollprobe"),
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let token_file = test.inputs.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ratsuche"))
        .args(["serve", "--index"])
        .arg(test.dir.path())
        .args(["--addr", &addr, "--admin-token-file"])
        .arg(&token_file)
        .env("RATSUCHE_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let response = loop {
        if let Some(response) = http_get(&addr, "/api/search?q=Protokollprobe") {
            break response;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server never answered"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let request_id = response
        .lines()
        .find_map(|line| line.strip_prefix("x-request-id: "))
        .expect("the response carries a request id")
        .trim()
        .to_string();
    let metrics = http_get(&addr, "/metrics").unwrap();
    assert!(
        metrics.contains("ratsuche_ingest_errors_total 0"),
        "{metrics}"
    );
    assert!(metrics.contains("ratsuche_papers 1"), "{metrics}");
    assert!(metrics.contains("ratsuche_index_size_bytes"), "{metrics}");

    // The shell's builtin `kill`: no procps needed.
    let terminated = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status()
        .unwrap();
    assert!(terminated.success());
    let waited = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if waited.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("serve did not stop within 30 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "serve exited with {status}");

    let mut lines = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        lines.push(line.unwrap());
    }
    let events: Vec<serde_json::Value> = lines
        .iter()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"))
        })
        .collect();
    assert!(
        events
            .iter()
            .any(|event| event["fields"]["message"] == "serving"),
        "{lines:?}"
    );
    assert!(
        events
            .iter()
            .any(|event| event["span"]["request_id"] == request_id.as_str()),
        "no log line carries request id {request_id}: {lines:?}"
    );
    assert!(
        events
            .iter()
            .any(|event| event["fields"]["message"] == "shutting down"),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|line| line.contains(TOKEN)));
}

/// Starts the server on an ephemeral port with `config` and an admin token.
async fn start_server(test: &TestIndex, config: ServeConfig) -> RunningServer {
    let index = index::Index::open(test.dir.path()).unwrap();
    let admin = Admin::new(Some(AdminToken::new(TOKEN).unwrap()), 1024 * 1024);
    spawn_server(AppState::new(index).with_admin(admin), config).await
}

/// Opens an admin upload whose body never finishes: it holds a request slot until dropped.
fn stalled_upload(addr: std::net::SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let head = format!(
        "POST /api/admin/ingest?name=slow.txt HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {TOKEN}\r\nContent-Length: 1000\r\n\r\nVorlage - "
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overload_gets_503_with_retry_after_and_slow_requests_time_out() {
    let test = TestIndex::new();
    let config = ServeConfig {
        max_concurrency: 1,
        request_timeout_secs: 2,
        ..ServeConfig::default()
    };
    let (addr, stop, server) = start_server(&test, config).await;
    let (shed, timed_out) = tokio::task::spawn_blocking(move || {
        let mut holder = stalled_upload(addr);
        // The stalled upload has the only slot: a search is shed at once.
        std::thread::sleep(Duration::from_millis(300));
        let shed = http_get(&addr.to_string(), "/api/search?q=x").unwrap();
        // The stalled upload itself runs into the request timeout.
        let mut timed_out = String::new();
        let _ = holder.read_to_string(&mut timed_out);
        (shed, timed_out)
    })
    .await
    .unwrap();
    assert!(shed.starts_with("HTTP/1.1 503"), "{shed}");
    assert!(shed.to_lowercase().contains("retry-after: 1"), "{shed}");
    assert!(shed.contains("\"error\""), "{shed}");
    assert!(timed_out.starts_with("HTTP/1.1 503"), "{timed_out}");
    // With the slot free again, searches are answered.
    let answered = tokio::task::spawn_blocking(move || {
        http_get(&addr.to_string(), "/api/search?q=x").unwrap()
    })
    .await
    .unwrap();
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_beyond_the_search_slots_wait_their_turn() {
    let test = TestIndex::new();
    let config = ServeConfig {
        search_slots: 1,
        request_timeout_secs: 5,
        ..ServeConfig::default()
    };
    let (addr, stop, server) = start_server(&test, config).await;
    // Twelve searches at once, and then twelve more, through one slot: each is answered,
    // so every search gives its slot back (a lost slot would time the next ones out).
    let answers = tokio::task::spawn_blocking(move || {
        let mut answers = Vec::new();
        for _ in 0..2 {
            let round: Vec<_> = (0..12)
                .map(|n| {
                    std::thread::spawn(move || {
                        http_get(&addr.to_string(), &format!("/api/search?q=Vorlage+{n}")).unwrap()
                    })
                })
                .collect();
            answers.extend(round.into_iter().map(|thread| thread.join().unwrap()));
        }
        answers
    })
    .await
    .unwrap();
    assert_eq!(answers.len(), 24);
    for answer in &answers {
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
