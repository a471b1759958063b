//! Reads during writes: searches keep answering without a single error while `ratsuche ingest`
//! (another process, as in production) writes and commits batch after batch, and each batch
//! becomes visible to the running server without a restart.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use ratsuche::config::ServeConfig;
use ratsuche::http::AppState;

use crate::support::get;

const BATCHES: u64 = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_never_fail_while_ingest_commits_and_see_each_commit() {
    let work = tempfile::tempdir().unwrap();
    let index_dir = work.path().join("index");
    drop(ratsuche::pipeline::open_index(&index_dir).unwrap());
    let served = index::Index::open(&index_dir).unwrap();
    let app = ratsuche::http::app(AppState::new(served), &ServeConfig::default());

    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicU64::new(0));
    let mut readers = Vec::new();
    for reader_idx in 0..2 {
        let app = app.clone();
        let stop = stop.clone();
        let requests = requests.clone();
        readers.push(tokio::spawn(async move {
            let queries = [
                "",
                "Stadt",
                "Haushalt OR Schule",
                "\"Antrag der\"",
                "-Verwaltung",
            ];
            let mut errors = Vec::new();
            let mut last_total = 0;
            let mut query_idx = reader_idx;
            while !stop.load(Ordering::SeqCst) {
                let query = queries[query_idx % queries.len()];
                query_idx += 1;
                let uri = format!(
                    "/api/search?q={}&per_page=20",
                    ratsuche::search::encode_path_segment(query)
                );
                let (status, _, body) = get(&app, &uri).await;
                requests.fetch_add(1, Ordering::Relaxed);
                if status != StatusCode::OK {
                    errors.push(format!("{uri}: {status} {body}"));
                    continue;
                }
                if query.is_empty() {
                    let response: serde_json::Value = serde_json::from_str(&body).unwrap();
                    let total = response["total"].as_u64().unwrap();
                    // Batches only add papers: what was visible never disappears.
                    if total < last_total {
                        errors.push(format!("total went back from {last_total} to {total}"));
                    }
                    last_total = total;
                }
                tokio::task::yield_now().await;
            }
            errors
        }));
    }

    let mut seen_totals = Vec::new();
    for batch in 0..BATCHES {
        let corpus = work.path().join(format!("batch-{batch}"));
        // Another seed per batch: mostly new papers, a few replaced ones.
        ratsuche::corpus::write_corpus(&corpus, 40, 100 + batch).unwrap();
        let writer_dir = index_dir.clone();
        let status = tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_ratsuche"))
                .env("RUST_LOG", "error")
                .arg("ingest")
                .arg("--index")
                .arg(&writer_dir)
                .arg(&corpus)
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(status.success(), "ingest of batch {batch} failed");
        let committed = index::Index::open(&index_dir).unwrap().num_papers();
        // The running server sees the commit without a restart (generous limit: the reader
        // picks up commits by watching the folder).
        let started = Instant::now();
        loop {
            let (_, _, body) = get(&app, "/api/search?q=").await;
            let response: serde_json::Value = serde_json::from_str(&body).unwrap();
            if response["total"].as_u64() == Some(committed) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "batch {batch}: the server still shows {} of {committed} papers",
                response["total"]
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        seen_totals.push(committed);
    }
    stop.store(true, Ordering::SeqCst);
    for reader in readers {
        let errors = reader.await.unwrap();
        assert!(
            errors.is_empty(),
            "{} errors: {:?}",
            errors.len(),
            &errors[..errors.len().min(5)]
        );
    }
    assert!(
        seen_totals.windows(2).all(|pair| pair[0] <= pair[1])
            && seen_totals[0] < seen_totals[seen_totals.len() - 1],
        "{seen_totals:?}"
    );
    let requests = requests.load(Ordering::Relaxed);
    assert!(
        requests > 50,
        "only {requests} searches ran during the ingest"
    );
}
