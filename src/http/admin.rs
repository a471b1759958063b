//! Admin operations under `/api/admin/`: ingest of an uploaded file, reindex, an OParl sync.
//!
//! Every admin route needs `Authorization: Bearer <token>` with the token from the
//! configuration (`--admin-token-file` or RATSUCHE_ADMIN_TOKEN). Without a configured token the
//! routes answer 401 to everyone. The token is compared in constant time and never logged:
//! request spans carry only the method, the path and the request id.
//!
//! Reindex and sync run in the background (202); `GET /api/admin/status` tells what runs and
//! how the last job ended. One admin job writes at a time; a writer held elsewhere (a
//! scheduled sync, a CLI ingest) makes the request answer 409.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::{routes, AppState};
use crate::config::{AdminToken, DEFAULT_ADMIN_MAX_UPLOAD};
use crate::{pipeline, sync};

/// File extensions `/api/admin/ingest` accepts, as `ratsuche ingest` recognises them.
const UPLOAD_EXTENSIONS: [&str; 5] = ["html", "htm", "txt", "json", "pdf"];

/// What the admin routes need beyond the index: the token, where the index lives (sync
/// state) and the OParl endpoint to sync with.
pub struct Admin {
    token: Option<AdminToken>,
    index_dir: Option<PathBuf>,
    oparl: Option<(String, sync::SyncOptions)>,
    max_upload: usize,
    /// Whether an admin job (ingest, reindex, sync) is writing.
    busy: AtomicBool,
    /// How the last background job ended.
    last: Mutex<Option<serde_json::Value>>,
}

impl Default for Admin {
    /// Admin routes switched off: no token, so every request is refused.
    fn default() -> Admin {
        Admin {
            token: None,
            index_dir: None,
            oparl: None,
            max_upload: DEFAULT_ADMIN_MAX_UPLOAD,
            busy: AtomicBool::new(false),
            last: Mutex::new(None),
        }
    }
}

impl Admin {
    /// Admin routes guarded by `token`; uploads up to `max_upload` bytes.
    pub fn new(token: Option<AdminToken>, max_upload: usize) -> Admin {
        Admin {
            token,
            max_upload,
            ..Admin::default()
        }
    }

    /// Sets the index folder, where a sync keeps its state.
    pub fn with_index_dir(mut self, dir: PathBuf) -> Admin {
        self.index_dir = Some(dir);
        self
    }

    /// Sets the OParl System or Body that `POST /api/admin/sync` crawls.
    pub fn with_oparl(mut self, url: String, options: sync::SyncOptions) -> Admin {
        self.oparl = Some((url, options));
        self
    }

    /// The largest upload accepted.
    pub fn max_upload(&self) -> usize {
        self.max_upload
    }

    /// Keeps how a job ended for `/api/admin/status` (and logs a failure).
    fn record(&self, name: &str, ended: anyhow::Result<serde_json::Value>) {
        let outcome = match ended {
            Ok(result) => serde_json::json!({ "job": name, "ok": true, "result": result }),
            Err(failure) => {
                let message = format!("{failure:#}");
                tracing::error!(job = name, error = %message, "admin job failed");
                serde_json::json!({ "job": name, "ok": false, "error": message })
            }
        };
        if let Ok(mut last) = self.last.lock() {
            *last = Some(outcome);
        }
    }

    /// Claims the writer for one admin job; `None` when another admin job runs.
    fn claim(self: &Arc<Admin>) -> Option<Claim> {
        self.busy
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .ok()
            .map(|_| Claim(self.clone()))
    }
}

/// The claim of an admin job on the writer, released when dropped (also on panic).
struct Claim(Arc<Admin>);

impl Drop for Claim {
    fn drop(&mut self) {
        self.0.busy.store(false, Ordering::SeqCst);
    }
}

/// The admin routes, each behind the bearer token check.
pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/api/admin/ingest", post(ingest))
        .route("/api/admin/reindex", post(reindex))
        .route("/api/admin/sync", post(start_sync))
        .route("/api/admin/status", get(status))
        .route_layer(axum::middleware::from_fn_with_state(
            state.admin.clone(),
            authorize,
        ))
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = Json(serde_json::json!({ "error": message.into() }));
    (status, body).into_response()
}

fn unauthorized(message: &str) -> Response {
    let mut response = error(StatusCode::UNAUTHORIZED, message);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    response
}

/// Lets a request through only with the configured bearer token.
async fn authorize(State(admin): State<Arc<Admin>>, request: Request, next: Next) -> Response {
    let Some(token) = &admin.token else {
        tracing::warn!("admin request refused: no admin token is configured");
        return unauthorized(
            "admin operations are disabled: the server has no admin token \
             (--admin-token-file or RATSUCHE_ADMIN_TOKEN)",
        );
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.as_bytes().strip_prefix(b"Bearer "));
    match given {
        Some(candidate) if token.matches(candidate) => next.run(request).await,
        Some(_) => {
            tracing::warn!("admin request refused: wrong token");
            unauthorized("wrong admin token")
        }
        None => {
            tracing::warn!("admin request refused: no bearer token");
            unauthorized("admin operations need Authorization: Bearer <token>")
        }
    }
}

/// Maps a failed job to a response: a writer held elsewhere is a conflict, the rest internal.
fn job_error(error: anyhow::Error) -> Response {
    let message = format!("{error:#}");
    if message.contains("lock") {
        return error_conflict();
    }
    super::ApiError::internal(message).into_response()
}

fn error_conflict() -> Response {
    error(
        StatusCode::CONFLICT,
        "another ingest, reindex or sync is writing the index; try again later",
    )
}

fn summary_json(summary: &pipeline::Summary) -> serde_json::Value {
    let pairs = |items: &[(String, String)]| -> Vec<serde_json::Value> {
        items
            .iter()
            .map(|(source, reason)| serde_json::json!({ "source": source, "reason": reason }))
            .collect()
    };
    serde_json::json!({
        "ingested": summary.ingested,
        "attachments": summary.attachments,
        "skipped": pairs(&summary.skipped),
        "failed": pairs(&summary.failed),
    })
}

/// `POST /api/admin/ingest?name=FILE[&body=MUNICIPALITY]`: the request body is one file, as
/// `ratsuche ingest` reads it; answers with the ingest summary once it is committed.
async fn ingest(State(state): State<AppState>, RawQuery(raw): RawQuery, body: Body) -> Response {
    let pairs = routes::query_pairs(raw.as_deref());
    let param = |wanted: &str| {
        pairs
            .iter()
            .find(|(name, value)| name == wanted && !value.is_empty())
            .map(|(_, value)| value.clone())
    };
    let Some(name) = param("name") else {
        return error(
            StatusCode::BAD_REQUEST,
            "name the uploaded file: ?name=FILE.pdf (html, htm, txt, json or pdf)",
        );
    };
    let name_ok = !name.contains(['/', '\\', '\0'])
        && !name.starts_with('.')
        && name.len() <= 200
        && std::path::Path::new(&name)
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| UPLOAD_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()));
    if !name_ok {
        return error(
            StatusCode::BAD_REQUEST,
            "the file name must be a plain name ending in .html, .htm, .txt, .json or .pdf",
        );
    }
    let limit = state.admin.max_upload;
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the upload is larger than {limit} bytes or was cut off"),
            )
        }
    };
    if bytes.is_empty() {
        return error(StatusCode::BAD_REQUEST, "the uploaded file is empty");
    }
    let Some(claim) = state.admin.claim() else {
        return error_conflict();
    };
    let index = state.index.clone();
    let metrics = state.metrics.clone();
    let options = pipeline::IngestOptions {
        body: param("body"),
        ..pipeline::IngestOptions::default()
    };
    tracing::info!(file = %name, bytes = bytes.len(), "admin ingest");
    let ingested = tokio::task::spawn_blocking(move || -> anyhow::Result<pipeline::Summary> {
        let _claim = claim;
        let folder = tempfile::Builder::new()
            .prefix("ratsuche-upload-")
            .tempdir()?;
        let path = folder.path().join(&name);
        std::fs::write(&path, &bytes)?;
        let summary = pipeline::ingest_paths(&index, &[path], &options)?;
        metrics.add_ingest_errors(summary.failed.len());
        Ok(summary)
    })
    .await;
    match ingested {
        Ok(Ok(summary)) => Json(summary_json(&summary)).into_response(),
        Ok(Err(failure)) => job_error(failure),
        Err(join_error) => super::ApiError::internal(join_error).into_response(),
    }
}

/// Runs `job` on a thread of its own under the admin claim and records how it ended.
fn spawn_job(
    state: &AppState,
    name: &'static str,
    job: impl FnOnce(&index::Index) -> anyhow::Result<serde_json::Value> + Send + 'static,
) -> Response {
    let Some(claim) = state.admin.claim() else {
        return error_conflict();
    };
    let index = state.index.clone();
    let admin = state.admin.clone();
    let started = std::thread::Builder::new()
        .name(format!("ratsuche-admin-{name}"))
        .spawn(move || {
            let _claim = claim;
            tracing::info!(job = name, "admin job started");
            admin.record(name, job(&index));
        });
    if let Err(failure) = started {
        return super::ApiError::internal(failure).into_response();
    }
    (
        StatusCode::ACCEPTED,
        Json(serde_json::json!({ "job": name, "status": "started" })),
    )
        .into_response()
}

/// `POST /api/admin/reindex`: writes every stored paper again (background job).
async fn reindex(State(state): State<AppState>) -> Response {
    spawn_job(&state, "reindex", |index| {
        let summary = pipeline::reindex(index)?;
        Ok(summary_json(&summary))
    })
}

/// `POST /api/admin/sync`: one sync with the configured OParl endpoint (background job).
async fn start_sync(State(state): State<AppState>) -> Response {
    let (Some((url, options)), Some(dir)) =
        (state.admin.oparl.clone(), state.admin.index_dir.clone())
    else {
        return error(
            StatusCode::CONFLICT,
            "no OParl endpoint is configured: start the server with --oparl URL",
        );
    };
    let metrics = state.metrics.clone();
    spawn_job(&state, "sync", move |index| {
        sync_once(index, &dir, &url, &options, &metrics)
    })
}

/// One sync with an OParl endpoint; failed files count as ingest errors.
fn sync_once(
    index: &index::Index,
    dir: &std::path::Path,
    url: &str,
    options: &sync::SyncOptions,
    metrics: &super::Metrics,
) -> anyhow::Result<serde_json::Value> {
    let summary = sync::sync(index, dir, url, options)?;
    metrics.add_ingest_errors(summary.files_failed.len());
    Ok(serde_json::json!({
        "written": summary.written,
        "deleted": summary.deleted,
        "non_public": summary.non_public,
        "complete": summary.complete,
    }))
}

/// Syncs with the configured OParl endpoint every `period` (`serve --sync-every`) on a thread
/// of its own: on the server's own index under the admin claim (a round is skipped while an
/// admin job writes, rather than failing on the writer's lock), failed files counted in
/// `/metrics`, the outcome shown by `/api/admin/status` as job `scheduled-sync`.
pub fn spawn_scheduled_sync(
    state: &AppState,
    period: std::time::Duration,
) -> anyhow::Result<std::thread::JoinHandle<()>> {
    let (Some((url, options)), Some(dir)) =
        (state.admin.oparl.clone(), state.admin.index_dir.clone())
    else {
        anyhow::bail!("--sync-every needs --oparl and an index folder");
    };
    let (index, admin, metrics) = (
        state.index.clone(),
        state.admin.clone(),
        state.metrics.clone(),
    );
    std::thread::Builder::new()
        .name("ratsuche-sync".to_string())
        .spawn(move || loop {
            match admin.claim() {
                Some(_claim) => {
                    let ended = sync_once(&index, &dir, &url, &options, &metrics);
                    if let Ok(result) = &ended {
                        tracing::info!(%result, "scheduled sync done");
                    }
                    admin.record("scheduled-sync", ended);
                }
                None => tracing::info!("scheduled sync skipped: an admin job is writing"),
            }
            std::thread::sleep(period);
        })
        .map_err(|error| anyhow::anyhow!("failed to start the sync thread: {error}"))
}

/// `GET /api/admin/status`: whether a job runs and how the last one ended.
async fn status(State(state): State<AppState>) -> Response {
    let running = state.admin.busy.load(Ordering::SeqCst);
    let last = state
        .admin
        .last
        .lock()
        .map(|last| last.clone())
        .unwrap_or(None);
    Json(serde_json::json!({
        "running": running,
        "last": last,
        "papers": state.index.num_papers(),
    }))
    .into_response()
}
