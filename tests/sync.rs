//! `ratsuche sync` against a local OParl server that serves the real Hürtgenwald crawl, with
//! its URLs rewritten to the server: first sync, changes picked up by a second one, faults on
//! the way, and a sync stopped halfway that resumes into the same index.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratsuche::sync::{self, SyncOptions, SyncSummary};
use serde_json::{json, Value};

use crate::support::shared_dir;

/// The prefix of every OParl URL in the Hürtgenwald crawl; the server stands in for it.
const ORIGINAL_PREFIX: &str = "https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0";
/// The real ALLRIS 3 Vorlage page of Leipzig (submitted by the SPD-Fraktion).
const ALLRIS_PAGE: &[u8] = include_bytes!("../ingest/test_data/allris3_vo020.html");
/// An ALLRIS 4 Vorlage page whose status says it is not public.
const NON_PUBLIC_ALLRIS_PAGE: &str = r#"<html><body>
    <span id="logo" title="ALLRIS 4 - Gemeinde Hürtgenwald"></span>
    <h1 class="title">Beschlussvorlage - 8/2007</h1>
    <div id="head">
    <dl><dt>Betreff:</dt><dd><span id="vobetreff">Nationalpark Eifel Infopunkt</span></dd></dl>
    <dl><dt>Status:</dt><dd><span id="vostatus">nichtöffentlich</span></dd></dl>
    <dl><dt>Vorlageart:</dt><dd><span id="voart">Beschlussvorlage</span></dd></dl>
    <dl><dt>Einreicher:</dt><dd>Bürgermeister</dd></dl>
    </div></body></html>"#;
/// Objects per list page: the 25 papers of the sample make 5 pages.
const PAGE_SIZE: usize = 5;
/// The Body's name in the crawl, which the records carry.
const BODY: &str = "Gemeinde Hürtgenwald";

/// A fault the server answers one request with.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// An error status.
    Status(u16),
    /// 429 with `Retry-After: 1`.
    TooManyRequests,
    /// ALLRIS's rate-limit page, with this status (200 as ALLRIS sends it, or an error).
    BlockPage(u16),
}

/// What the local OParl server serves; tests change it between syncs.
struct World {
    base: String,
    system: Value,
    body: Value,
    lists: BTreeMap<&'static str, Vec<Value>>,
    /// File versions by path; the PDF's text names its version.
    file_versions: HashMap<String, u32>,
    /// Faults to answer the next request whose path contains the key with.
    faults: Vec<(String, Fault)>,
    /// After this many list pages, every request fails with 500.
    fail_after_pages: Option<usize>,
    n_list_pages: usize,
    /// Every request: path and query, and the status answered.
    log: Vec<(String, u16)>,
    /// The ids of the objects each list page delivered.
    delivered: Vec<String>,
}

/// The server: a thread accepting connections on 127.0.0.1, one thread per connection.
pub(crate) struct Server {
    addr: SocketAddr,
    world: Arc<Mutex<World>>,
    stop: Arc<AtomicBool>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

impl Server {
    /// Serves the Hürtgenwald sample, or `None` (with the reason printed) when it is absent.
    pub(crate) fn start() -> Option<Server> {
        let Some(shared) = shared_dir() else {
            eprintln!("skipping: ../shared is absent, so the Hürtgenwald crawl is not available");
            return None;
        };
        let sample = shared.join("corpus/oparl/huertgenwald-sternberg-full/sample");
        if !sample.is_dir() {
            eprintln!("skipping: {} is absent", sample.display());
            return None;
        }
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let read = |name: &str| -> Value {
            let text = std::fs::read_to_string(sample.join(name)).unwrap();
            serde_json::from_str(&text.replace(ORIGINAL_PREFIX, &format!("{base}/oparl"))).unwrap()
        };
        let data = |value: Value| -> Vec<Value> { value["data"].as_array().unwrap().clone() };
        let mut lists = BTreeMap::new();
        lists.insert("organization", data(read("organization.json")));
        lists.insert("person", data(read("person_page1.json")));
        lists.insert("meeting", data(read("meeting_page1.json")));
        lists.insert("paper", data(read("paper_page1.json")));
        let mut system = read("system.json");
        system["body"] = json!(format!("{base}/oparl/body"));
        let body = data(read("body.json")).remove(0);
        let world = Arc::new(Mutex::new(World {
            base,
            system,
            body,
            lists,
            file_versions: HashMap::new(),
            faults: Vec::new(),
            fail_after_pages: None,
            n_list_pages: 0,
            log: Vec::new(),
            delivered: Vec::new(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        {
            let world = world.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let world = world.clone();
                    std::thread::spawn(move || handle(stream, &world));
                }
            });
        }
        Some(Server { addr, world, stop })
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap()
    }
}

/// Answers one request (GET only; the connection closes after it).
fn handle(mut stream: TcpStream, world: &Mutex<World>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(stream) => stream,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() || request_line.is_empty() {
        return;
    }
    let mut headers: HashMap<String, String> = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let target = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let (status, content_type, extra, body) = {
        let mut world = world.lock().unwrap();
        let answer = respond(&mut world, &target, &headers);
        world.log.push((target.clone(), answer.0));
        answer
    };
    let reason = match status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
    // Drain what the client might still send, so closing does not reset the connection.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = reader.read(&mut [0u8; 64]);
}

type Answer = (u16, &'static str, Vec<(String, String)>, Vec<u8>);

fn respond(world: &mut World, target: &str, headers: &HashMap<String, String>) -> Answer {
    let json_answer = |value: &Value| {
        (
            200,
            "application/json",
            Vec::new(),
            value.to_string().into_bytes(),
        )
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let params: HashMap<String, String> = form_urlencoded::parse(query.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if let Some(position) = world
        .faults
        .iter()
        .position(|(key, _)| target.contains(key.as_str()))
    {
        let (_, fault) = world.faults.remove(position);
        return match fault {
            Fault::Status(status) => (status, "text/plain", Vec::new(), b"try again".to_vec()),
            Fault::TooManyRequests => (
                429,
                "text/plain",
                vec![("Retry-After".to_string(), "1".to_string())],
                b"slow down".to_vec(),
            ),
            Fault::BlockPage(status) => (
                status,
                "text/html",
                Vec::new(),
                "<html><body><p>Zu viele Zugriffe aus Ihrem Netzwerk, Zugriff temporär gesperrt.</p></body></html>"
                    .as_bytes()
                    .to_vec(),
            ),
        };
    }
    if world
        .fail_after_pages
        .is_some_and(|limit| world.n_list_pages >= limit)
    {
        return (500, "text/plain", Vec::new(), b"broken".to_vec());
    }
    match path {
        "/oparl/system" => return json_answer(&world.system.clone()),
        "/oparl/body" => {
            let page = json!({"data": [world.body.clone()], "links": {}});
            return json_answer(&page);
        }
        "/oparl/body/1" => return json_answer(&world.body.clone()),
        "/allris/vo020" if params.get("VOLFDNR").map(String::as_str) == Some("2") => {
            return (
                200,
                "text/html; charset=utf-8",
                Vec::new(),
                NON_PUBLIC_ALLRIS_PAGE.as_bytes().to_vec(),
            )
        }
        "/allris/vo020" => {
            return (
                200,
                "text/html; charset=iso-8859-1",
                Vec::new(),
                ALLRIS_PAGE.to_vec(),
            )
        }
        _ => {}
    }
    if let Some(list) = path.strip_prefix("/oparl/body/1/") {
        if let Some(objects) = world.lists.get(list) {
            let since = params.get("modified_since").map(|since| {
                chrono::DateTime::parse_from_rfc3339(since).expect("modified_since is a date-time")
            });
            let selected: Vec<Value> = objects
                .iter()
                .filter(|object| match since {
                    None => true,
                    Some(since) => object["modified"]
                        .as_str()
                        .and_then(|modified| chrono::DateTime::parse_from_rfc3339(modified).ok())
                        .is_some_and(|modified| modified >= since),
                })
                .cloned()
                .collect();
            let page: usize = params
                .get("page")
                .and_then(|page| page.parse().ok())
                .unwrap_or(1);
            let data: Vec<Value> = selected
                .iter()
                .skip((page - 1) * PAGE_SIZE)
                .take(PAGE_SIZE)
                .cloned()
                .collect();
            let mut links = json!({});
            if page * PAGE_SIZE < selected.len() {
                let mut next = format!("{}{path}?page={}", world.base, page + 1);
                if let Some(since) = params.get("modified_since") {
                    let encoded: String =
                        form_urlencoded::byte_serialize(since.as_bytes()).collect();
                    next.push_str(&format!("&modified_since={encoded}"));
                }
                links["next"] = json!(next);
            }
            world.n_list_pages += 1;
            for object in &data {
                world
                    .delivered
                    .push(object["id"].as_str().unwrap_or("").to_string());
            }
            let answer = json!({
                "data": data,
                "links": links,
                "pagination": {"totalElements": selected.len(), "elementsPerPage": PAGE_SIZE,
                               "currentPage": page},
            });
            return json_answer(&answer);
        }
        if list.contains("/gone/") {
            return (404, "text/plain", Vec::new(), b"gone".to_vec());
        }
        if list.contains("files/") {
            let version = world.file_versions.get(path).copied().unwrap_or(1);
            let etag = format!("\"v{version}\"");
            if headers.get("if-none-match") == Some(&etag) {
                return (
                    304,
                    "application/pdf",
                    vec![("ETag".to_string(), etag)],
                    Vec::new(),
                );
            }
            return (
                200,
                "application/pdf",
                vec![("ETag".to_string(), etag)],
                file_pdf(path, version),
            );
        }
    }
    (404, "text/plain", Vec::new(), b"not found".to_vec())
}

/// A PDF whose text names its file and version: `Dateiinhalt Tischvorlage_102-2002.pdf Fassung 1`.
fn file_pdf(path: &str, version: u32) -> Vec<u8> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut paragraphs = vec![format!("Dateiinhalt {name} Fassung {version}")];
    if name.contains("Neubau") {
        paragraphs
            .push("Der Gemeinderat beschließt den Neubau des Feuerwehrgerätehauses.".to_string());
    }
    if version > 1 {
        paragraphs.push("Ergänzt um die Sanierung der Mehrzweckhalle.".to_string());
    }
    ratsuche::corpus::render_pdf("Vorlage", &paragraphs)
}

/// Options for tests: no rate limit, quick retries, no OCR.
fn options() -> SyncOptions {
    let mut options = SyncOptions::default();
    options.client.requests_per_second = 0.0;
    options.client.backoff = Duration::from_millis(10);
    options.client.max_backoff = Duration::from_secs(2);
    options.client.retries = 3;
    options.client.timeout = Duration::from_secs(20);
    options.pdf.ocr = None;
    options
}

/// An index in a temporary folder.
struct Target {
    dir: tempfile::TempDir,
    index: index::Index,
}

impl Target {
    fn new() -> Target {
        let dir = tempfile::tempdir().unwrap();
        let index = ratsuche::pipeline::open_index(dir.path()).unwrap();
        Target { dir, index }
    }

    fn sync(&self, url: &str, options: &SyncOptions) -> anyhow::Result<SyncSummary> {
        sync::sync(&self.index, self.dir.path(), url, options)
    }

    /// The stored record of a paper, as JSON.
    fn document(&self, reference: &str) -> Option<Value> {
        let json = self.index.document(Some(BODY), reference).unwrap()?;
        Some(serde_json::from_str(&json).unwrap())
    }

    /// The references that match a query, sorted.
    fn search(&self, query: &str) -> Vec<String> {
        let request = index::SearchRequest {
            query: query.to_string(),
            limit: 100,
            ..index::SearchRequest::default()
        };
        let results = self.index.search(&request).unwrap();
        let mut references: Vec<String> =
            results.hits.into_iter().map(|hit| hit.reference).collect();
        references.sort();
        references
    }

    /// Every stored record by reference.
    fn all_documents(&self) -> BTreeMap<String, String> {
        self.search("")
            .into_iter()
            .map(|reference| {
                let json = self
                    .index
                    .document(Some(BODY), &reference)
                    .unwrap()
                    .unwrap();
                (reference, json)
            })
            .collect()
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339()
}

fn paper_mut<'a>(world: &'a mut World, reference: &str) -> &'a mut Value {
    world
        .lists
        .get_mut("paper")
        .unwrap()
        .iter_mut()
        .find(|paper| paper["reference"] == reference)
        .unwrap()
}

#[test]
fn sync_follows_changes_of_a_live_oparl_server() {
    let Some(server) = Server::start() else {
        return;
    };
    let target = Target::new();
    let options = options();
    let system_url = server.url("/oparl/system");

    // One file reports size and date (as OParl 1.1 servers do), so later runs can tell
    // without asking that it is unchanged.
    {
        let mut world = server.world();
        let paper = paper_mut(&mut world, "2/2007");
        paper["mainFile"]["size"] = json!(4321);
        paper["mainFile"]["modified"] = json!("2009-12-17T15:55:45+01:00");
    }

    // First sync: everything.
    let first = target.sync(&system_url, &options).unwrap();
    assert!(first.complete, "{first}");
    assert_eq!(
        (first.bodies, first.written, first.deleted),
        (1, 25, 0),
        "{first}"
    );
    assert_eq!(first.files_downloaded, 25, "{first}");
    assert!(first.files_failed.is_empty(), "{first}");
    // 5 pages of each list: organizations, persons, meetings, papers.
    assert_eq!(first.pages, 20, "{first}");
    assert_eq!(target.index.num_papers(), 25);
    // Committees are named from the organization list, dates from the meeting list, and the
    // files' text is searchable.
    let paper = target.document("159/2006").unwrap();
    let committee = paper["consultations"][0]["organization"].as_str().unwrap();
    assert!(
        !committee.is_empty() && !committee.starts_with("http"),
        "{paper}"
    );
    assert!(paper["consultations"][0]["date"].is_string(), "{paper}");
    assert_eq!(target.search("Dateiinhalt").len(), 25);
    assert_eq!(target.search("\"Tischvorlage_102-2002.pdf\""), ["102/2002"]);
    let untouched_before = target.document("1/2007").unwrap();
    let result_before = target.document("159/2006").unwrap()["consultations"][0]["result"].clone();

    // The changes.
    let new_file = {
        let mut world = server.world();
        let base = world.base.clone();
        world.log.clear();
        world.delivered.clear();
        let modified = now();
        // New titles: the file with size and date is known to be unchanged, the other one
        // is asked for conditionally.
        let paper = paper_mut(&mut world, "2/2007");
        paper["name"] = json!("Glockenturmsanierung am Rathaus");
        paper["modified"] = json!(modified);
        let paper = paper_mut(&mut world, "7/2007");
        paper["name"] = json!("Wegweiser zum Kletterwald");
        paper["modified"] = json!(modified);
        // A new version of the main file.
        let paper = paper_mut(&mut world, "3/2007");
        paper["modified"] = json!(modified);
        let file_url = paper["mainFile"]["accessUrl"].as_str().unwrap().to_string();
        let file_path = file_url.strip_prefix(&base).unwrap().to_string();
        world.file_versions.insert(file_path, 2);
        // Deleted: Sternberg sends a stub without type, body or reference.
        let paper = paper_mut(&mut world, "5/2007");
        let id = paper["id"].clone();
        *paper = json!({"id": id, "deleted": true, "modified": modified});
        // No longer public, by OParl's flag; and by the paper's ALLRIS page.
        let paper = paper_mut(&mut world, "6/2007");
        paper["public"] = json!(false);
        paper["modified"] = json!(modified);
        let paper = paper_mut(&mut world, "8/2007");
        paper["web"] = json!(format!("{base}/allris/vo020?VOLFDNR=2"));
        paper["modified"] = json!(modified);
        // New, with a consultation in a known meeting and an ALLRIS page but no originator.
        let new_file = format!("{base}/oparl/body/1/files/neu/Neubau_Feuerwehr.pdf");
        let new_paper = json!({
            "id": format!("{base}/oparl/body/1/paper/9999"),
            "type": "https://schema.oparl.org/1.0/Paper",
            "body": format!("{base}/oparl/body/1"),
            "name": "Neubau des Feuerwehrgerätehauses",
            "reference": "99/2021",
            "paperType": "Beschlussvorlage",
            "date": "2021-09-01",
            "mainFile": {"id": format!("{base}/oparl/body/1/file/1-99999"),
                         "type": "https://schema.oparl.org/1.0/File",
                         "name": "Vorlage", "mimeType": "application/pdf", "accessUrl": new_file},
            "auxiliaryFile": [{"id": format!("{base}/oparl/body/1/file/1-99998"),
                               "name": "Anlage", "accessUrl": format!("{base}/oparl/body/1/files/gone/Anlage.pdf")}],
            "consultation": [{"id": format!("{base}/oparl/body/1/consultation/99999"),
                              "type": "https://schema.oparl.org/1.0/Consultation",
                              "meeting": format!("{base}/oparl/body/1/meeting/333"),
                              "organization": [format!("{base}/oparl/body/1/organization/1-9")]}],
            "web": format!("{base}/allris/vo020?VOLFDNR=1016480"),
            "created": modified,
            "modified": modified,
        });
        world.lists.get_mut("paper").unwrap().push(new_paper);
        // A result recorded in a meeting: the papers consulted there are written again.
        let meeting = world
            .lists
            .get_mut("meeting")
            .unwrap()
            .iter_mut()
            .find(|meeting| meeting["id"].as_str().unwrap().ends_with("/meeting/333"))
            .unwrap();
        meeting["modified"] = json!(modified);
        for item in meeting["agendaItem"].as_array_mut().unwrap() {
            if item["id"].as_str().unwrap().ends_with("/agendaitem/3540") {
                item["result"] = json!("einstimmig beschlossen");
            }
        }
        // Trouble on the way: a 503 on the paper list, a 429 on a file, ALLRIS's rate-limit
        // page on the Vorlage page (status 200) and on the organization list (status 403).
        world
            .faults
            .push(("/oparl/body/1/paper".to_string(), Fault::Status(503)));
        world
            .faults
            .push(("Neubau_Feuerwehr".to_string(), Fault::TooManyRequests));
        world
            .faults
            .push(("/allris/vo020".to_string(), Fault::BlockPage(200)));
        world.faults.push((
            "/oparl/body/1/organization".to_string(),
            Fault::BlockPage(403),
        ));
        new_file
    };

    // The changes are older than the second sync's start, to the second.
    std::thread::sleep(Duration::from_millis(1_100));

    // Second sync: exactly those changes.
    let second = target.sync(&system_url, &options).unwrap();
    assert!(second.complete, "{second}");
    assert_eq!(
        (second.written, second.deleted, second.non_public),
        (4, 1, 2),
        "{second}"
    );
    assert_eq!(second.enriched, 1, "{second}");
    assert!(second.retries >= 4, "{second}");
    // The attachment the server does not have: the paper is written without its text.
    assert_eq!(second.files_failed.len(), 1, "{second}");
    assert!(second.files_failed[0].1.contains("404"), "{second}");
    {
        let world = server.world();
        // Only the changed papers and the changed meeting came over the wire.
        let papers: Vec<&String> = world
            .delivered
            .iter()
            .filter(|id| id.contains("/paper/"))
            .collect();
        assert_eq!(papers.len(), 7, "{papers:?}");
        let meetings: Vec<&String> = world
            .delivered
            .iter()
            .filter(|id| id.contains("/meeting/"))
            .collect();
        assert_eq!(meetings.len(), 1, "{meetings:?}");
        // Files: the changed one again (200), the new one (after the 429) and its missing
        // attachment (404, not retried), and for one paper with a new title a conditional
        // request that the server answered 304; the other one's file was not asked for.
        let files: Vec<(String, u16)> = world
            .log
            .iter()
            .filter(|(target, _)| target.contains("/files/"))
            .cloned()
            .collect();
        let statuses: Vec<u16> = files.iter().map(|(_, status)| *status).collect();
        assert_eq!(files.len(), 5, "{files:?}");
        assert_eq!(
            statuses.iter().filter(|&&status| status == 404).count(),
            1,
            "{files:?}"
        );
        assert_eq!(
            statuses.iter().filter(|&&status| status == 304).count(),
            1,
            "{files:?}"
        );
        assert_eq!(
            statuses.iter().filter(|&&status| status == 429).count(),
            1,
            "{files:?}"
        );
        assert!(files
            .iter()
            .any(|(target, _)| new_file.ends_with(target.as_str())));
        assert!(!files
            .iter()
            .any(|(target, _)| target.contains("Beschlussvorlage_2-2007")));
        let statuses: Vec<u16> = world.log.iter().map(|(_, status)| *status).collect();
        assert!(statuses.contains(&503), "{:?}", world.log);
        // Every list request after the first pass asked for changes only.
        assert!(world
            .log
            .iter()
            .filter(
                |(target, _)| target.starts_with("/oparl/body/1/") && !target.contains("/files/")
            )
            .all(|(target, _)| target.contains("modified_since=")));
    }
    assert_eq!(target.index.num_papers(), 25 - 1 - 2 + 1);
    assert_eq!(target.search("Glockenturmsanierung"), ["2/2007"]);
    assert_eq!(target.search("Kletterwald"), ["7/2007"]);
    // Reused text is still the text.
    assert_eq!(target.search("\"Beschlussvorlage_2-2007.pdf\""), ["2/2007"]);
    assert_eq!(target.search("\"Beschlussvorlage_7-2007.pdf\""), ["7/2007"]);
    assert_eq!(
        (second.files_reused, second.files_downloaded),
        (2, 2),
        "{second}"
    );
    assert_eq!(target.search("Mehrzweckhalle"), ["3/2007"]);
    assert!(target.document("5/2007").is_none());
    assert!(target.document("6/2007").is_none());
    assert!(target.document("8/2007").is_none());
    assert!(target.search("\"Beschlussvorlage_5-2007.pdf\"").is_empty());
    assert_eq!(target.search("Dateiinhalt").len(), 23);
    let new_paper = target.document("99/2021").unwrap();
    assert_eq!(new_paper["originator"], "SPD-Fraktion", "{new_paper}");
    assert_eq!(new_paper["fractions"], json!(["SPD-Fraktion"]));
    assert_eq!(
        new_paper["consultations"][0]["organization"],
        untouched_committee(&target)
    );
    assert_eq!(target.search("Feuerwehrgerätehaus"), ["99/2021"]);
    // The paper in the changed meeting has its new result; untouched papers are unchanged.
    let result_after = target.document("159/2006").unwrap()["consultations"][0]["result"].clone();
    assert_ne!(result_before, result_after);
    assert_eq!(result_after, "einstimmig beschlossen");
    assert!(second.rewritten >= 1, "{second}");
    assert_eq!(target.document("1/2007").unwrap(), untouched_before);

    // A third sync finds nothing to do and downloads nothing. (With the default overlap it
    // would see the changes again: they are younger than two hours.)
    server.world().log.clear();
    let no_overlap = SyncOptions {
        overlap: Duration::ZERO,
        ..options.clone()
    };
    let third = target.sync(&system_url, &no_overlap).unwrap();
    assert_eq!(
        (third.written, third.deleted, third.files_downloaded),
        (0, 0, 0),
        "{third}"
    );
    assert!(!server
        .world()
        .log
        .iter()
        .any(|(target, _)| target.contains("/files/")));
    assert_eq!(target.index.num_papers(), 23);
}

/// The committee of meeting 333 as the first sync named it (organization 1-9).
fn untouched_committee(target: &Target) -> Value {
    target.document("159/2006").unwrap()["consultations"][0]["organization"].clone()
}

#[test]
fn a_sync_stopped_halfway_resumes_into_the_same_index() {
    let Some(server) = Server::start() else {
        return;
    };
    let options = options();
    let body_url = server.url("/oparl/body/1");

    let whole = Target::new();
    let summary = whole.sync(&body_url, &options).unwrap();
    assert!(summary.complete && summary.written == 25, "{summary}");
    let expected = whole.all_documents();
    assert_eq!(expected.len(), 25);

    // The server breaks down in the middle of the paper list (after 17 of 20 list pages,
    // before the files of the 17th): the sync fails, keeping the page it committed.
    let broken = Target::new();
    {
        let mut world = server.world();
        world.n_list_pages = 0;
        world.fail_after_pages = Some(17);
    }
    let error = broken.sync(&body_url, &options).unwrap_err();
    assert!(format!("{error:#}").contains("500"), "{error:#}");
    let partial = broken.all_documents();
    assert_eq!(partial.len(), 5, "one page of papers was committed");
    let state: Value =
        serde_json::from_slice(&std::fs::read(broken.dir.path().join("sync-state.json")).unwrap())
            .unwrap();
    let cursor = &state["lists"][server.url("/oparl/body/1/paper")];
    assert!(
        cursor["next"].as_str().unwrap().ends_with("page=2"),
        "{state}"
    );
    // Back up: the next run goes on from the second page of papers.
    server.world().fail_after_pages = None;
    server.world().log.clear();
    let resumed = broken.sync(&body_url, &options).unwrap();
    assert!(resumed.complete, "{resumed}");
    assert_eq!(resumed.written, 20, "{resumed}");
    assert_eq!(resumed.files_downloaded, 20, "{resumed}");
    assert_eq!(broken.all_documents(), expected);

    // The same with a page budget, as when a run is killed: three pages per run.
    let stepwise = Target::new();
    let budget = SyncOptions {
        max_pages: Some(3),
        ..options.clone()
    };
    let mut n_runs = 0;
    loop {
        n_runs += 1;
        let summary = stepwise.sync(&body_url, &budget).unwrap();
        if summary.complete {
            break;
        }
        assert!(n_runs < 20, "the sync does not get anywhere");
    }
    // Twenty list pages, three a run: lists that had their pass in this cycle are not
    // polled again before the cycle is complete.
    assert_eq!(n_runs, 7);
    assert_eq!(stepwise.all_documents(), expected);
}

#[test]
fn serve_with_sync_every_keeps_the_index_current() {
    let Some(server) = Server::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let index_dir = work.path().join("index");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ratsuche"))
        .args(["serve", "--index"])
        .arg(&index_dir)
        .args(["--addr", &addr, "--oparl", &server.url("/oparl/system")])
        .args(["--sync-every", "1s", "--rate-limit", "0"])
        .env("RATSUCHE_ADMIN_TOKEN", ADMIN_TOKEN)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let get = |target: &str| -> Option<String> {
        let mut stream = TcpStream::connect(&addr).ok()?;
        let request = format!(
            "GET {target} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {ADMIN_TOKEN}\r\n\
             Connection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        let (_, body) = response.split_once("\r\n\r\n")?;
        Some(body.to_string())
    };
    let search = |query: &str| -> Option<Value> {
        serde_json::from_str(&get(&format!("/api/search?q={query}"))?).ok()
    };
    let wait_for = |query: &str, total: u64| -> bool {
        (0..300).any(|_| {
            let found = search(query).is_some_and(|response| response["total"] == total);
            if !found {
                std::thread::sleep(Duration::from_millis(100));
            }
            found
        })
    };
    let first = wait_for("Dateiinhalt", 25);
    if first {
        let mut world = server.world();
        let paper = paper_mut(&mut world, "2/2007");
        paper["name"] = json!("Glockenturmsanierung am Rathaus");
        paper["modified"] = json!(now());
    }
    let second = first && wait_for("Glockenturmsanierung", 1);
    // The scheduled sync writes through the server's own index and reports like an admin job.
    let status: Option<Value> =
        get("/api/admin/status").and_then(|body| serde_json::from_str(&body).ok());
    let metrics = get("/metrics").unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "the first sync never showed up in the served index");
    assert!(second, "a change never showed up in the served index");
    let last = &status.expect("admin status")["last"];
    assert_eq!(last["job"], "scheduled-sync", "{last}");
    assert_eq!(last["ok"], true, "{last}");
    assert!(last["result"]["written"].is_u64(), "{last}");
    assert!(metrics.contains("ingest_errors"), "{metrics}");
}

/// The admin token of the served index in these tests.
const ADMIN_TOKEN: &str = "sync-test-token-0123456789";
