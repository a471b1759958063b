//! Real-browser tests: headless Chromium, driven over WebDriver by chromedriver, against a
//! running server on an ephemeral port with the demo's sample corpus. They type a query, pick
//! a facet, change the sort, open a document, and use the widget on a page served from
//! another origin; screenshots go to `target/screenshots/`.
//!
//! The WebDriver protocol is JSON over HTTP, so a few functions over `ureq` drive the browser.
//! The test skips (with the reason printed) when `chromium` or `chromedriver` is missing;
//! `.ci/run` installs Debian's `chromium` and `chromium-driver`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::response::Html;
use axum::routing::get;
use ratsuche::config::ServeConfig;
use ratsuche::http::AppState;
use serde_json::{json, Value};

use crate::support::sample_index;

/// The W3C WebDriver key of an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a page may take to show what a step waits for.
const WAIT: Duration = Duration::from_secs(20);

/// The first of `names` found on the PATH.
fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// A chromedriver process; killed when dropped.
struct Driver {
    process: Child,
    url: String,
    agent: ureq::Agent,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// One browser session; closed when dropped.
struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .request("DELETE", &format!("/session/{}", self.id), None);
    }
}

impl Driver {
    fn start(chromedriver: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let process = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let driver = Driver {
            process,
            url: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let started = Instant::now();
        loop {
            if let Ok(status) = driver.request("GET", "/status", None) {
                if status["ready"] == true {
                    return driver;
                }
            }
            assert!(started.elapsed() < WAIT, "chromedriver did not get ready");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends one WebDriver command and returns its `value`.
    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.url);
        let result = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send(body.unwrap_or(json!({})).to_string()),
        };
        let mut response = result.map_err(|error| format!("{method} {path}: {error}"))?;
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|error| format!("{method} {path}: {error}"))?;
        let parsed: Value =
            serde_json::from_str(&text).map_err(|error| format!("{path}: {error}: {text}"))?;
        if !status.is_success() {
            return Err(format!("{method} {path}: {status}: {}", parsed["value"]));
        }
        Ok(parsed["value"].clone())
    }

    fn session(&self, chromium: &Path) -> Session<'_> {
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=de-DE"]
            }
        }}});
        let value = self
            .request("POST", "/session", Some(capabilities))
            .expect("chromium starts a session");
        Session {
            driver: self,
            id: value["sessionId"].as_str().unwrap().to_string(),
        }
    }
}

impl Session<'_> {
    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.driver
            .request(method, &format!("/session/{}{path}", self.id), body)
            .unwrap_or_else(|error| panic!("{error}"))
    }

    fn go(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.command("GET", "/url", None)
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Runs JavaScript in the page and returns its result.
    fn script(&self, script: &str) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// The first element matching a CSS selector, waiting for it to appear.
    fn find(&self, selector: &str) -> String {
        let started = Instant::now();
        loop {
            let found = self.driver.request(
                "POST",
                &format!("/session/{}/element", self.id),
                Some(json!({ "using": "css selector", "value": selector })),
            );
            if let Ok(element) = found {
                return element[ELEMENT_KEY]
                    .as_str()
                    .unwrap_or_else(|| panic!("{selector}: not an element: {element}"))
                    .to_string();
            }
            assert!(started.elapsed() < WAIT, "no element {selector}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, selector: &str) {
        let element = self.find(selector);
        self.command("POST", &format!("/element/{element}/click"), None);
    }

    fn type_text(&self, selector: &str, text: &str) {
        let element = self.find(selector);
        self.command(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Waits until a script returns true.
    fn wait_for(&self, what: &str, script: &str) {
        let started = Instant::now();
        while self.script(script) != true {
            assert!(
                started.elapsed() < WAIT,
                "timed out waiting for {what} on {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, name: &str) {
        let encoded = self.command("GET", "/screenshot", None);
        let png = decode_base64(encoded.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .unwrap()
            .join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), png).unwrap();
    }
}

/// Standard base64 without line breaks, as WebDriver sends screenshots.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    for chunk in text.trim_end_matches('=').as_bytes().chunks(4) {
        let mut buffer = 0u32;
        for (position, &c) in chunk.iter().enumerate() {
            buffer |= value(c) << (18 - 6 * position);
        }
        let n_bytes = chunk.len() * 6 / 8;
        for byte_idx in 0..n_bytes {
            bytes.push((buffer >> (16 - 8 * byte_idx)) as u8);
        }
    }
    bytes
}

/// The dates (`datetime` attributes) of the hits on the page, in order.
const HIT_DATES: &str = "return Array.from(document.querySelectorAll('article.hit > .meta time')).map(t => t.getAttribute('datetime'));";

#[test]
fn search_page_document_page_and_widget_work_in_chromium() {
    let (Some(chromium), Some(chromedriver)) = (
        find_program(&["chromium", "chromium-browser", "google-chrome"]),
        find_program(&["chromedriver"]),
    ) else {
        eprintln!("skipping: chromium or chromedriver is not installed (apt-get install chromium chromium-driver)");
        return;
    };
    let test = sample_index(150);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // The page that embeds the widget is served from another origin (another port).
    let host_listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let host_origin = format!("http://{}", host_listener.local_addr().unwrap());
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = ServeConfig {
        cors_origins: vec![host_origin.clone()],
        frame_ancestors: vec![host_origin.clone()],
        ..ServeConfig::default()
    };
    let state = AppState::new(index::Index::open(test.dir.path()).unwrap());
    runtime.spawn(async move {
        let _ = ratsuche::http::serve(listener, state, &config, std::future::pending()).await;
    });
    let host_page = format!(
        "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>RIS</title></head>\
<body><h1>Ratsinformationssystem</h1><script src=\"{base}/widget.js\" defer></script>\
<div data-ratsuche data-per-page=\"5\"></div>\
<iframe id=\"embedded\" title=\"ratsuche\" src=\"{base}/?q=Radweg&amp;embed=1\" width=\"800\" height=\"400\"></iframe></body></html>"
    );
    let host = axum::Router::new().route("/", get(move || async move { Html(host_page) }));
    runtime.spawn(async move {
        let _ = axum::serve(host_listener, host).await;
    });

    let driver = Driver::start(&chromedriver);
    let session = driver.session(&chromium);

    // Type a query; suggestions appear while typing, then the form is sent.
    session.go(&format!("{base}/"));
    session.type_text("#q", "Telea");
    session.wait_for(
        "suggestions",
        "return document.querySelectorAll('#q-suggestions option').length > 0;",
    );
    let suggestion =
        session.script("return document.querySelector('#q-suggestions option').value;");
    assert!(
        suggestion.as_str().unwrap().starts_with("Telea"),
        "{suggestion}"
    );
    session.type_text("#q", "rbeit");
    session.click("#s button[type=submit]");
    session.wait_for("results", "return location.search.includes('q=Telearbeit') && document.querySelectorAll('article.hit').length > 0;");
    let total = |session: &Session| -> u64 {
        let heading =
            session.script("return document.getElementById('results-heading').textContent;");
        heading
            .as_str()
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let all = total(&session);
    assert!(all > 1, "{all}");
    let snippet = session.script("return document.querySelector('.snippet mark').textContent;");
    assert!(
        snippet.as_str().unwrap().starts_with("Telearbeit"),
        "{snippet}"
    );

    // Pick a facet: the checkbox submits the form at once, the URL holds the filter.
    let facet_value =
        session.script("return document.querySelector('input[name=type]:not(:checked)').value;");
    let facet_value = facet_value.as_str().unwrap().to_string();
    session.click("input[name=type]:not(:checked)");
    session.wait_for("the facet filter", "return location.search.includes('type=') && document.querySelector('input[name=type]').checked;");
    let filtered = total(&session);
    assert!(filtered <= all && filtered > 0, "{filtered} of {all}");
    let types = session.script("return Array.from(document.querySelectorAll('article.hit > .meta')).map(m => m.textContent);");
    for meta in types.as_array().unwrap() {
        assert!(
            meta.as_str().unwrap().contains(&facet_value),
            "{meta} lacks {facet_value}"
        );
    }

    // Change the sort: newest first, the dates shown descend.
    session.click("#sort option[value=date_desc]");
    session.wait_for(
        "the new sort",
        "return location.search.includes('sort=date_desc');",
    );
    let dates: Vec<String> = session
        .script(HIT_DATES)
        .as_array()
        .unwrap()
        .iter()
        .map(|date| date.as_str().unwrap().to_string())
        .collect();
    assert!(!dates.is_empty());
    assert!(dates.windows(2).all(|pair| pair[0] >= pair[1]), "{dates:?}");
    assert_eq!(total(&session), filtered);
    session.screenshot("search.png");
    // On a phone-sized window the results come first and nothing is wider than the screen.
    session.command(
        "POST",
        "/window/rect",
        Some(json!({ "width": 390, "height": 844 })),
    );
    session.wait_for(
        "the narrow layout",
        "return document.documentElement.scrollWidth <= window.innerWidth + 1 && document.querySelector('section.results').getBoundingClientRect().top < document.querySelector('aside').getBoundingClientRect().top;",
    );
    session.screenshot("search-phone.png");
    session.command(
        "POST",
        "/window/rect",
        Some(json!({ "width": 1280, "height": 1000 })),
    );

    // Open a document.
    session.click("article.hit h3 a");
    session.wait_for(
        "the document page",
        "return location.pathname.startsWith('/documents/') && !!document.querySelector('h1');",
    );
    let heading = session.script("return document.querySelector('h1').textContent;");
    assert!(!heading.as_str().unwrap().is_empty());
    let sections = session.script(
        "return Array.from(document.querySelectorAll('h2')).map(h => h.textContent).join('|');",
    );
    assert!(
        sections.as_str().unwrap().contains("Beratungsfolge"),
        "{sections}"
    );
    session.screenshot("document.png");

    // The widget on a page of another origin: it calls the API cross-origin.
    session.go(&format!("{host_origin}/"));
    session.type_text("[data-ratsuche] input[type=search]", "Radweg\u{E007}");
    session.wait_for(
        "widget results",
        "return document.querySelectorAll('.ratsuche-hit').length > 0;",
    );
    let status = session.script("return document.querySelector('.ratsuche-status').textContent;");
    assert!(status.as_str().unwrap().ends_with("Treffer"), "{status}");
    let link = session.script("return document.querySelector('.ratsuche-hit a').href;");
    assert!(
        link.as_str()
            .unwrap()
            .starts_with(&format!("{base}/documents/")),
        "{link}"
    );
    // The embedded results page is allowed in the frame of this origin.
    session.command("POST", "/frame", Some(json!({ "id": 0 })));
    session.wait_for("the embedded page", "return document.querySelectorAll('article.hit').length > 0 && !document.querySelector('header.top');");
    session.command("POST", "/frame/parent", None);
    session.screenshot("widget.png");
}
