//! Test helpers: locating the shared real data, building indexes, calling the router.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ratsuche::config::ServeConfig;
use ratsuche::http::AppState;
use ratsuche::pipeline::{self, IngestOptions, Summary};
use tower::ServiceExt;

/// The read-only `shared/` folder beside the checkout, if present.
pub(crate) fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.is_dir().then_some(dir)
}

/// The real Leipzig Vorlage page, or `None` (with the reason printed) when `shared/` is absent.
pub(crate) fn seed_text() -> Option<String> {
    let Some(shared) = shared_dir() else {
        eprintln!("skipping: ../shared is absent, so the real seed page is not available");
        return None;
    };
    let path = shared.join("seeds/000_063f18eb785f93d6.txt");
    Some(std::fs::read_to_string(&path).expect("the seed page is UTF-8 text"))
}

/// An index in a temporary folder, built from files written into another temporary folder.
pub(crate) struct TestIndex {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) inputs: tempfile::TempDir,
    pub(crate) index: index::Index,
}

impl TestIndex {
    pub(crate) fn new() -> TestIndex {
        let dir = tempfile::tempdir().unwrap();
        let index = pipeline::open_index(dir.path()).unwrap();
        TestIndex {
            dir,
            inputs: tempfile::tempdir().unwrap(),
            index,
        }
    }

    /// Writes `content` as `name` among the inputs and returns its path.
    pub(crate) fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.inputs.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, content).unwrap();
        path
    }

    /// Ingests paths as `ratsuche ingest` does.
    pub(crate) fn ingest(&self, paths: &[PathBuf]) -> Summary {
        pipeline::ingest_paths(&self.index, paths, &IngestOptions::default()).unwrap()
    }

    /// Writes and ingests one file.
    pub(crate) fn ingest_text(&self, name: &str, content: impl AsRef<[u8]>) -> Summary {
        let path = self.write(name, content);
        self.ingest(&[path])
    }

    /// A router over a fresh handle of this index (the index folder is opened again).
    pub(crate) fn app(&self) -> axum::Router {
        let index = index::Index::open(self.dir.path()).unwrap();
        ratsuche::http::app(AppState::new(index), &ServeConfig::default())
    }
}

/// Sends a GET through the router and returns the status and the body as text.
pub(crate) async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, String) {
    let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
        .await
        .unwrap();
    (
        status,
        content_type,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// Sends a GET and parses the JSON body.
pub(crate) async fn get_json(app: &axum::Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let (status, content_type, body) = get(app, uri).await;
    assert!(
        content_type.starts_with("application/json"),
        "{uri}: content type {content_type}, body {body}"
    );
    let json = serde_json::from_str(&body).unwrap_or_else(|error| panic!("{uri}: {error}: {body}"));
    (status, json)
}

/// The references of the hits of a search response, in order.
pub(crate) fn references(response: &serde_json::Value) -> Vec<String> {
    response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["reference"].as_str().unwrap().to_string())
        .collect()
}

/// The count of one facet value, 0 when absent.
pub(crate) fn facet_count(response: &serde_json::Value, facet: &str, value: &str) -> u64 {
    response["facets"][facet]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["value"] == value)
        .map_or(0, |entry| entry["count"].as_u64().unwrap())
}

/// A minimal ALLRIS plain-text export (the layout of `shared/seeds/*.txt`) of one Anfrage whose
/// title and body text carry `marker`; `public` picks `öffentlich` or `nichtöffentlich`.
pub(crate) fn allris_text(reference: &str, public: bool, marker: &str) -> String {
    let status = if public {
        "öffentlich"
    } else {
        "nichtöffentlich"
    };
    allris_export(
        status,
        reference,
        &format!("Anfrage zu {marker} im Stadtbezirk"),
        "Anfrage",
        "SPD-Fraktion",
        "16.09.2020",
        &format!(
            "Die Verwaltung wird gebeten, zum Vorhaben {marker} Auskunft zu geben. Wie weit ist \
             die Planung gediehen und welche Kosten entstehen der Stadt?"
        ),
    )
}

/// Sends any request through the router; returns the status, the headers and the body text.
pub(crate) async fn send(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
        .await
        .unwrap();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// An index of the demo's sample corpus (`n_papers` papers, as `ratsuche demo` builds it).
pub(crate) fn sample_index(n_papers: usize) -> TestIndex {
    let test = TestIndex::new();
    let corpus = test.inputs.path().join("corpus");
    ratsuche::corpus::write_sample(&corpus, n_papers).unwrap();
    let options = IngestOptions {
        body: Some(ratsuche::corpus::SAMPLE_BODY.to_string()),
        ..IngestOptions::default()
    };
    let summary = pipeline::ingest_paths(&test.index, &[corpus], &options).unwrap();
    assert!(summary.ingested > 0, "{summary}");
    test
}

impl TestIndex {
    /// A router with a server configuration of the test's choosing.
    pub(crate) fn app_with(&self, config: &ServeConfig) -> axum::Router {
        let index = index::Index::open(self.dir.path()).unwrap();
        ratsuche::http::app(AppState::new(index), config)
    }
}

/// Sends a GET with extra request headers; returns the status, the response headers and the
/// body as text.
pub(crate) async fn get_with_headers(
    app: &axum::Router,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// A public paper in the layout of ALLRIS's plain-text export (as the sample corpus writes
/// them).
pub(crate) fn allris_paper(
    reference: &str,
    title: &str,
    paper_type: &str,
    originator: &str,
    date: &str,
    text: &str,
) -> String {
    allris_export(
        "öffentlich",
        reference,
        title,
        paper_type,
        originator,
        date,
        text,
    )
}

/// One paper in the layout of ALLRIS's plain-text export, with the given status line.
fn allris_export(
    status: &str,
    reference: &str,
    title: &str,
    paper_type: &str,
    originator: &str,
    date: &str,
    text: &str,
) -> String {
    format!(
        "Ratsinformationssystem\n\nVorlage - {reference}  \n\n \n \nBetreff: {title}\nAnlass: Sonstiges\n\
Status:{status} (Vorlage abgeschlossen)Vorlage-Art:{paper_type}\nEinreicher:{originator}\nBeratungsfolge:\n\
Ratsversammlung Beschlussfassung\n{date} \nRatsversammlung, Neues Rathaus, Raum 259 beschlossen     \n\
\nSachverhalt\n\n{text}\n\n"
    )
}

/// A server started on an ephemeral loopback port: its address, the sender that stops it
/// gracefully, and its task.
pub(crate) type RunningServer = (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
);

/// Serves `state` with `config` on an ephemeral loopback port until the returned sender fires.
pub(crate) async fn spawn_server(state: AppState, config: ServeConfig) -> RunningServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        ratsuche::http::serve(listener, state, &config, async {
            let _ = stopped.await;
        })
        .await
    });
    (addr, stop, server)
}
