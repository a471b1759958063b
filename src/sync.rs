//! `ratsuche sync`: crawls an OParl System or Body into an index and keeps it current.
//!
//! A run walks, per Body, the lists of organizations, persons, meetings and papers by their
//! `links.next`. The first run reads everything; later runs ask only for what was modified
//! since the last complete pass, less an overlap window (`modified_since`). Papers are mapped
//! against everything seen so far (the object log `sync-objects.jsonl`), so a committee named
//! only by URL still gets its name; files without `text` are downloaded and extracted, unless
//! the text stored in the index was made from the same file (same checksum, or size and date,
//! or the server answers 304). Deleted papers and papers that became non-public leave the index.
//! Where a paper names no originator and links an ALLRIS Vorlage page (`vo020`), the page
//! is read for the originator (Leipzig's OParl has none).
//!
//! Each list page is committed to the index before the crawl position is saved
//! (`sync-state.json`), so a sync stopped at any point resumes at the first page it had not
//! committed. A cycle is one pass over every list; a run stopped early finishes its cycle
//! before lists are polled again.

mod client;
mod state;
mod store;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use index::Index;
use ingest::oparl::{Catalog, Kind, Link, OParlObject, Object, Paper as OParlPaper};

pub use client::{user_agent, ClientOptions, FetchError};

use client::{Client, Validators};
use state::{ListCursor, State};
use store::Store;

/// The overlap window unless told otherwise: later runs ask for what changed since the last
/// pass began, less this, so that clock skew and slow servers lose nothing.
pub const DEFAULT_OVERLAP: Duration = Duration::from_secs(2 * 60 * 60);
/// Downloads in flight at once unless told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 2;
/// Runs in a row a file may fail to download (server trouble) before its paper is written
/// without its text; until then the run stops and the page is tried again next time.
const MAX_FILE_FAILURES: u32 = 3;
/// A list longer than this many pages is taken to loop.
const MAX_PAGES_PER_PASS: usize = 100_000;

/// How a sync runs.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Politeness and timeouts of the HTTP client.
    pub client: ClientOptions,
    /// How far before the last pass a later run starts asking (`modified_since`).
    pub overlap: Duration,
    /// Downloads (and extractions) in flight at once.
    pub concurrency: usize,
    /// Stop after this many list pages (the run resumes next time); `None` for no limit.
    pub max_pages: Option<usize>,
    /// Read a paper's ALLRIS page for its originator where OParl names none.
    pub enrich: bool,
    /// PDF extraction settings.
    pub pdf: ingest::pdf::Options,
}

impl SyncOptions {
    /// Builds the options from the command line.
    pub fn from_config(config: &crate::config::SyncConfig) -> SyncOptions {
        SyncOptions {
            client: ClientOptions {
                user_agent: user_agent(config.contact.as_deref()),
                requests_per_second: config.rate_limit.max(0.0),
                timeout: Duration::from_secs(config.timeout_secs.max(1)),
                retries: config.retries,
                ..ClientOptions::default()
            },
            overlap: config.overlap,
            concurrency: config.concurrency.max(1),
            max_pages: config.max_pages,
            enrich: !config.no_enrich,
            pdf: ingest::pdf::Options::default(),
        }
    }
}

impl Default for SyncOptions {
    fn default() -> SyncOptions {
        SyncOptions {
            client: ClientOptions::default(),
            overlap: DEFAULT_OVERLAP,
            concurrency: DEFAULT_CONCURRENCY,
            max_pages: None,
            enrich: true,
            pdf: ingest::pdf::Options::default(),
        }
    }
}

/// What a sync run did.
#[derive(Debug, Default)]
pub struct SyncSummary {
    /// Bodies crawled.
    pub bodies: usize,
    /// List pages read and committed.
    pub pages: usize,
    /// Papers written (new or changed).
    pub written: usize,
    /// Papers written again because a meeting or organization they name changed.
    pub rewritten: usize,
    /// Papers removed because the server deleted them.
    pub deleted: usize,
    /// Papers removed (or left out) because they are not public.
    pub non_public: usize,
    /// Files downloaded and extracted.
    pub files_downloaded: usize,
    /// Files whose stored text was kept because they had not changed.
    pub files_reused: usize,
    /// Files that could not be downloaded or read, with the reason.
    pub files_failed: Vec<(String, String)>,
    /// Papers whose originator came from their ALLRIS page.
    pub enriched: usize,
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Requests tried again after a 429, a 5xx, a timeout or a rate-limit page.
    pub retries: u64,
    /// False when the run stopped early (page limit); the next run goes on from there.
    pub complete: bool,
    /// Wall time.
    pub elapsed: Duration,
}

impl fmt::Display for SyncSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "synced {} bodies, {} pages in {:.1} s: {} papers written, {} rewritten, {} deleted, \
             {} non-public removed",
            self.bodies,
            self.pages,
            self.elapsed.as_secs_f64(),
            self.written,
            self.rewritten,
            self.deleted,
            self.non_public
        )?;
        writeln!(
            f,
            "files: {} downloaded, {} unchanged, {} failed; {} originators from ALLRIS pages; \
             {} requests, {} retries",
            self.files_downloaded,
            self.files_reused,
            self.files_failed.len(),
            self.enriched,
            self.requests,
            self.retries
        )?;
        for (file, reason) in &self.files_failed {
            writeln!(f, "  {file}: {reason}")?;
        }
        if !self.complete {
            writeln!(
                f,
                "stopped early: the next run resumes where this one stopped"
            )?;
        }
        Ok(())
    }
}

/// Crawls the OParl System or Body at `url` into `index`, whose folder `dir` keeps the sync
/// state. Returns an error when the crawl cannot go on (the server keeps failing, the index
/// cannot be written); what was committed stays, and the next run resumes from there.
pub fn sync(
    index: &Index,
    dir: &Path,
    url: &str,
    options: &SyncOptions,
) -> anyhow::Result<SyncSummary> {
    let started = Instant::now();
    let mut catalog = Catalog::default();
    let store = Store::load(dir, &mut catalog)?;
    let mut run = Run {
        index,
        dir,
        options,
        client: Client::new(options.client.clone()),
        catalog,
        store,
        state: State::load(dir),
        writer: index
            .writer()
            .context("failed to open the index writer (is another sync running?)")?,
        dirty: false,
        summary: SyncSummary::default(),
        written: HashSet::new(),
        pages_left: options.max_pages,
    };
    tracing::info!(url, "sync started");
    let crawled = run.crawl(url);
    run.summary.requests = run.client.requests();
    run.summary.retries = run.client.retries();
    run.summary.elapsed = started.elapsed();
    let complete = crawled?;
    run.summary.complete = complete;
    run.store.compact_if_grown(&run.catalog)?;
    let Run {
        writer, summary, ..
    } = run;
    // Every page was a commit: let the segments merge before the writer lock is released.
    writer
        .finish()
        .context("failed to finish writing the index")?;
    index.reload().context("failed to reload the index")?;
    tracing::info!(
        pages = summary.pages,
        written = summary.written,
        deleted = summary.deleted,
        complete,
        "sync finished"
    );
    Ok(summary)
}

/// Parses a duration such as `90s`, `15m`, `6h`, `1d` or plain seconds (`3600`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("not a duration: {text:?} (try 90s, 15m, 6h or 1d)"))?;
    let seconds = match unit.trim() {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 3_600,
        "d" => 86_400,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?} (use s, m, h or d)"
            ))
        }
    };
    Ok(Duration::from_secs(number.saturating_mul(seconds)))
}

/// One sync run: the catalog of everything seen, the crawl position, the index writer.
struct Run<'a> {
    index: &'a Index,
    dir: &'a Path,
    options: &'a SyncOptions,
    client: Client,
    catalog: Catalog,
    store: Store,
    state: State,
    writer: index::Writer,
    /// Whether the writer holds changes not yet committed.
    dirty: bool,
    summary: SyncSummary,
    /// Papers (OParl ids) written in this run.
    written: HashSet<String>,
    pages_left: Option<usize>,
}

/// Whether a crawl step went through or ran out of its page budget.
enum Flow {
    Done,
    Stopped,
}

impl Run<'_> {
    /// Crawls every Body of `url`; returns whether the crawl completed.
    fn crawl(&mut self, url: &str) -> anyhow::Result<bool> {
        let bodies = self.bodies(url)?;
        self.summary.bodies = bodies.len();
        // A cycle is one pass over every list; a run stopped early goes on with the cycle
        // rather than polling lists again that already had their pass.
        let cycle = *self.state.cycle_started.get_or_insert_with(Utc::now);
        for body in bodies {
            let lists = [
                (Kind::Organization, body.organization.as_deref()),
                (Kind::Person, body.person.as_deref()),
                (Kind::Meeting, body.meeting.as_deref()),
                (Kind::Paper, body.paper.as_deref()),
            ];
            for (kind, list) in lists {
                let Some(list) = list else { continue };
                if let Flow::Stopped = self.crawl_list(kind, list, cycle)? {
                    return Ok(false);
                }
            }
        }
        self.rewrite_changed()?;
        self.state.cycle_started = None;
        self.state.save(self.dir)?;
        Ok(true)
    }

    /// Reads the System or Body at `url` and returns the bodies to crawl.
    fn bodies(&mut self, url: &str) -> anyhow::Result<Vec<ingest::oparl::Body>> {
        let response = self.client.get(url)?;
        let document = ingest::oparl::read(url, &response.bytes)
            .with_context(|| format!("{url} is not OParl JSON"))?;
        let system_bodies = document
            .objects
            .iter()
            .filter_map(Object::get::<ingest::oparl::System>)
            .find_map(|system| system.body.clone());
        let mut bodies = Vec::new();
        match system_bodies {
            Some(list) => {
                let mut next = Some(list);
                let mut seen = HashSet::new();
                while let Some(page_url) = next.take() {
                    if !seen.insert(page_url.clone()) || seen.len() > MAX_PAGES_PER_PASS {
                        break;
                    }
                    let page = self.client.get(&page_url)?;
                    let document = ingest::oparl::read(&page_url, &page.bytes)
                        .with_context(|| format!("{page_url} is not an OParl list of bodies"))?;
                    self.catalog.add(&page_url, &page.bytes)?;
                    self.store.append(&document.objects)?;
                    bodies.extend(body_objects(&document.objects));
                    next = document.links.next;
                }
            }
            None => {
                self.catalog.add(url, &response.bytes)?;
                self.store.append(&document.objects)?;
                bodies.extend(body_objects(&document.objects));
            }
        }
        if bodies.is_empty() {
            anyhow::bail!("{url} is neither an OParl System nor a Body");
        }
        Ok(bodies)
    }

    /// Crawls one list from where the last run left it.
    fn crawl_list(&mut self, kind: Kind, list: &str, cycle: DateTime<Utc>) -> anyhow::Result<Flow> {
        let mut cursor: ListCursor = self.state.lists.get(list).cloned().unwrap_or_default();
        let done_in_cycle = cursor.watermark.is_some_and(|watermark| watermark >= cycle);
        if cursor.next.is_none() && done_in_cycle {
            return Ok(Flow::Done);
        }
        if self.pages_left == Some(0) {
            return Ok(Flow::Stopped);
        }
        let mut page_url = match cursor.next.clone() {
            Some(next) => {
                tracing::info!(list, next = %next, "resuming");
                next
            }
            None => {
                let now = Utc::now();
                let first = match cursor.watermark {
                    Some(watermark) => with_modified_since(list, watermark, self.options.overlap),
                    None => list.to_string(),
                };
                cursor.pass_started = Some(now);
                cursor.next = Some(first.clone());
                self.state.lists.insert(list.to_string(), cursor.clone());
                self.state.save(self.dir)?;
                first
            }
        };
        // A pass after a complete one reports changes of meetings and organizations.
        let incremental = cursor.watermark.is_some();
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            if self.pages_left == Some(0) {
                return Ok(Flow::Stopped);
            }
            if !seen.insert(page_url.clone()) || seen.len() > MAX_PAGES_PER_PASS {
                tracing::warn!(list, page_url = %page_url, "the list's next links loop; pass ended");
                break;
            }
            let response = self.client.get(&page_url)?;
            let document = ingest::oparl::read(&page_url, &response.bytes)
                .with_context(|| format!("{page_url} is not an OParl list page"))?;
            match kind {
                Kind::Paper => self.write_papers(&page_url, &response.bytes, &document)?,
                _ => self.remember(&page_url, &response.bytes, &document, incremental)?,
            }
            self.commit()?;
            self.store.append(&document.objects)?;
            self.summary.pages += 1;
            if let Some(pages_left) = &mut self.pages_left {
                *pages_left -= 1;
            }
            tracing::debug!(page_url = %page_url, "page committed");
            match document.links.next {
                Some(next) => {
                    cursor.next = Some(next.clone());
                    self.state.lists.insert(list.to_string(), cursor.clone());
                    self.state.save(self.dir)?;
                    page_url = next;
                }
                None => break,
            }
        }
        cursor.watermark = cursor.pass_started.take();
        cursor.next = None;
        self.state.lists.insert(list.to_string(), cursor);
        self.state.save(self.dir)?;
        Ok(Flow::Done)
    }

    /// Catalogs a page of organizations, persons or meetings.
    fn remember(
        &mut self,
        page_url: &str,
        bytes: &[u8],
        document: &ingest::oparl::Document,
        incremental: bool,
    ) -> anyhow::Result<()> {
        self.catalog
            .add(page_url, bytes)
            .with_context(|| format!("failed to read {page_url}"))?;
        if incremental {
            for object in &document.objects {
                if matches!(object.kind(), Kind::Meeting | Kind::Organization) {
                    if let Some(id) = object.id() {
                        self.state.changed.insert(id.to_string());
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes a page of papers: deletions, non-public papers, and the rest with file text.
    fn write_papers(
        &mut self,
        page_url: &str,
        bytes: &[u8],
        document: &ingest::oparl::Document,
    ) -> anyhow::Result<()> {
        let page_papers: Vec<&OParlPaper> = document
            .objects
            .iter()
            .filter_map(Object::get::<OParlPaper>)
            .collect();
        // How the index knew these papers before this page, to remove what they became.
        let mut earlier: HashMap<String, Identity> = HashMap::new();
        for paper in &page_papers {
            let Some(id) = &paper.id else { continue };
            if let Some(old) = self.catalog.get::<OParlPaper>(id) {
                if !old.is_deleted() {
                    if let Some(identity) = identity(&self.catalog, old) {
                        earlier.insert(id.clone(), identity);
                    }
                }
            }
        }
        self.catalog
            .add(page_url, bytes)
            .with_context(|| format!("failed to read {page_url}"))?;

        for paper in page_papers.iter().filter(|paper| paper.is_deleted()) {
            let known = paper.id.as_ref().and_then(|id| earlier.get(id).cloned());
            match known
                .or_else(|| identity(&self.catalog, paper).filter(|_| paper.reference.is_some()))
            {
                Some(identity) => {
                    self.dirty = true;
                    self.writer
                        .delete(&identity.body, &identity.reference)
                        .context("failed to delete a paper")?;
                    self.summary.deleted += 1;
                    tracing::debug!(reference = %identity.reference, "deleted paper removed");
                }
                None => tracing::debug!(id = ?paper.id, "deleted paper was never indexed"),
            }
        }

        let records = ingest::oparl::parse_with(&self.catalog, page_url, bytes)
            .with_context(|| format!("failed to read {page_url}"))?;
        let by_key: HashMap<String, &OParlPaper> = page_papers
            .iter()
            .filter(|paper| !paper.is_deleted())
            .filter_map(|paper| Some((paper.reference.clone().or(paper.id.clone())?, *paper)))
            .collect();
        let mut pending: Vec<Pending> = Vec::new();
        for record in records {
            let paper = record.paper;
            let oparl = by_key.get(&paper.reference).copied();
            let id = oparl.and_then(|oparl| oparl.id.clone());
            let old = id.as_ref().and_then(|id| earlier.get(id).cloned());
            if !paper.public {
                self.remove(&paper.body, &paper.reference, old.as_ref())?;
                self.summary.non_public += 1;
                continue;
            }
            let stored = crate::pipeline::stored_paper(
                self.index,
                Some(paper.body.as_str()),
                &paper.reference,
            )
            .or_else(|| {
                let old = old.as_ref()?;
                crate::pipeline::stored_paper(self.index, Some(old.body.as_str()), &old.reference)
            });
            let files = oparl
                .map(|oparl| self.oparl_files(oparl))
                .unwrap_or_default();
            pending.push(Pending {
                paper,
                id,
                old,
                stored,
                files,
            });
        }
        // The ALLRIS pages first: a paper that its page shows as non-public needs no files.
        let mut outcomes = self.run_tasks(self.enrich_tasks(&pending));
        let hidden: HashSet<usize> = outcomes
            .iter()
            .filter_map(|outcome| match outcome {
                Outcome::Enriched {
                    paper_idx,
                    page: Some(page),
                } if !page.public => Some(*paper_idx),
                _ => None,
            })
            .collect();
        let file_tasks = self.file_tasks(&pending, &hidden);
        outcomes.extend(self.run_tasks(file_tasks));
        self.finish(pending, outcomes)
    }

    /// The page's paper files as OParl objects, by the URL their record names them by.
    fn oparl_files(&self, paper: &OParlPaper) -> HashMap<String, ingest::oparl::File> {
        let mut files = HashMap::new();
        for link in paper.main_file.iter().chain(&paper.auxiliary_file) {
            let file = link
                .id()
                .and_then(|id| self.catalog.get::<ingest::oparl::File>(id))
                .or_else(|| link.object());
            if let Some(file) = file {
                if let Some(url) = file
                    .access_url
                    .clone()
                    .or_else(|| file.download_url.clone())
                {
                    files.insert(url, file.clone());
                }
            }
        }
        files
    }

    /// Lists the ALLRIS pages to read: of papers without originator that link one.
    fn enrich_tasks(&self, pending: &[Pending]) -> Vec<Task> {
        let mut tasks = Vec::new();
        for (paper_idx, item) in pending.iter().enumerate() {
            let paper = &item.paper;
            if self.options.enrich && paper.originator.is_none() {
                if let Some(web) = paper.web_url.as_deref().filter(|web| is_allris_page(web)) {
                    tasks.push(Task::Enrich {
                        paper_idx,
                        url: web.to_string(),
                    });
                }
            }
        }
        tasks
    }

    /// Decides how each file of the pending papers (but the `skipped` ones) gets its text.
    fn file_tasks(&self, pending: &[Pending], skipped: &HashSet<usize>) -> Vec<Task> {
        let mut tasks = Vec::new();
        for (paper_idx, item) in pending.iter().enumerate() {
            if skipped.contains(&paper_idx) {
                continue;
            }
            let paper = &item.paper;
            for (file_idx, file) in paper.files.iter().enumerate() {
                if !file.pages.is_empty() {
                    continue;
                }
                let Some(url) = file.url.clone() else {
                    continue;
                };
                let oparl = item.files.get(&url);
                let key = oparl
                    .and_then(|file| file.id.clone())
                    .unwrap_or_else(|| url.clone());
                let fingerprint = oparl.and_then(fingerprint);
                let stored_pages = item.stored.as_ref().and_then(|stored| {
                    stored
                        .files
                        .iter()
                        .find(|known| known.url.as_deref() == Some(url.as_str()))
                        .map(|known| known.pages.clone())
                });
                let mark = self.state.files.get(&key).cloned();
                let plan = match (&stored_pages, &mark) {
                    (Some(pages), Some(mark)) if mark.url.as_deref() == Some(url.as_str()) => {
                        match &fingerprint {
                            Some(new) if mark.fingerprint.as_ref() == Some(new) => {
                                FilePlan::Reuse(pages.clone())
                            }
                            Some(_) => FilePlan::Download(None),
                            None => FilePlan::Download(Some((mark.validators(), pages.clone()))),
                        }
                    }
                    _ => FilePlan::Download(None),
                };
                tasks.push(Task::File {
                    paper_idx,
                    file_idx,
                    key,
                    url,
                    fingerprint,
                    plan,
                });
            }
        }
        tasks
    }

    /// Runs the fetches on a few threads; the shared client keeps the rate limit.
    fn run_tasks(&self, tasks: Vec<Task>) -> Vec<Outcome> {
        if tasks.is_empty() {
            return Vec::new();
        }
        let client = &self.client;
        let pdf = &self.options.pdf;
        let next_task = AtomicUsize::new(0);
        let outcomes: Mutex<Vec<Outcome>> = Mutex::new(Vec::with_capacity(tasks.len()));
        let n_workers = self.options.concurrency.clamp(1, tasks.len());
        std::thread::scope(|scope| {
            for _ in 0..n_workers {
                scope.spawn(|| loop {
                    let task_idx = next_task.fetch_add(1, Ordering::Relaxed);
                    let Some(task) = tasks.get(task_idx) else {
                        break;
                    };
                    let outcome = run_task(client, pdf, task);
                    match outcomes.lock() {
                        Ok(mut outcomes) => outcomes.push(outcome),
                        Err(poisoned) => poisoned.into_inner().push(outcome),
                    }
                });
            }
        });
        outcomes
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Puts the fetched parts into the papers and writes them.
    fn finish(&mut self, mut pending: Vec<Pending>, outcomes: Vec<Outcome>) -> anyhow::Result<()> {
        let mut hidden: HashSet<usize> = HashSet::new();
        let mut enriched: HashSet<usize> = HashSet::new();
        let mut deferred: Vec<(String, String)> = Vec::new();
        for outcome in outcomes {
            match outcome {
                Outcome::Enriched { paper_idx, page } => {
                    let Some(page) = page else { continue };
                    let paper = &mut pending[paper_idx].paper;
                    if !page.public {
                        hidden.insert(paper_idx);
                    } else if page.originator.is_some() {
                        paper.originator = page.originator;
                        paper.fractions = page.fractions;
                        enriched.insert(paper_idx);
                    }
                }
                Outcome::File {
                    paper_idx,
                    file_idx,
                    key,
                    url,
                    fingerprint,
                    result,
                } => match result {
                    Ok(text) => {
                        if let Some(file) = pending[paper_idx].paper.files.get_mut(file_idx) {
                            file.pages = text.pages;
                        }
                        if text.downloaded {
                            self.summary.files_downloaded += 1;
                        } else {
                            self.summary.files_reused += 1;
                        }
                        let mut mark = self.state.files.get(&key).cloned().unwrap_or_default();
                        mark.fingerprint = fingerprint;
                        mark.url = Some(url);
                        mark.failures = 0;
                        if let Some(validators) = text.validators {
                            mark.etag = validators.etag;
                            mark.last_modified = validators.last_modified;
                        }
                        self.state.files.insert(key, mark);
                    }
                    Err(failure) => {
                        let mark = self.state.files.entry(key).or_default();
                        if failure.transient && mark.failures + 1 < MAX_FILE_FAILURES {
                            mark.failures += 1;
                            deferred.push((url, failure.reason));
                            continue;
                        }
                        let reason = failure.reason;
                        tracing::warn!(url = %url, reason = %reason, "file text not read");
                        self.summary.files_failed.push((url, reason));
                    }
                },
            }
        }
        if let Some((url, reason)) = deferred.first() {
            // The server is in trouble: nothing of this page is committed, and the next run
            // tries it again.
            self.state.save(self.dir)?;
            anyhow::bail!(
                "{} files could not be downloaded, e.g. {url}: {reason}",
                deferred.len()
            );
        }
        for (paper_idx, item) in pending.into_iter().enumerate() {
            let Pending {
                mut paper,
                id,
                old,
                stored,
                ..
            } = item;
            if hidden.contains(&paper_idx) {
                self.remove(&paper.body, &paper.reference, old.as_ref())?;
                self.summary.non_public += 1;
                continue;
            }
            if enriched.contains(&paper_idx) {
                self.summary.enriched += 1;
            } else if paper.originator.is_none() {
                // The ALLRIS page was not reachable this time: keep what it said before.
                if let Some(stored) = &stored {
                    paper.originator = stored.originator.clone();
                    paper.fractions = stored.fractions.clone();
                }
            }
            self.upsert(&paper, old.as_ref())?;
            self.summary.written += 1;
            if let Some(id) = id {
                self.written.insert(id);
            }
        }
        Ok(())
    }

    /// Commits what was written since the last commit.
    fn commit(&mut self) -> anyhow::Result<()> {
        if self.dirty {
            self.writer
                .commit()
                .context("failed to commit to the index")?;
            self.dirty = false;
        }
        Ok(())
    }

    /// Writes a paper, removing the copy it replaces when its body or reference changed.
    fn upsert(&mut self, paper: &ingest::Paper, old: Option<&Identity>) -> anyhow::Result<()> {
        let document = crate::pipeline::to_document(paper)?;
        self.dirty = true;
        match self.writer.upsert(&document) {
            Ok(()) => {}
            Err(index::Error::InvalidRequest(reason)) => {
                tracing::warn!(reference = %paper.reference, reason = %reason, "paper not written");
            }
            Err(error) => return Err(error).context("failed to write a paper to the index"),
        }
        if let Some(old) = old {
            if old.body != paper.body || old.reference != paper.reference {
                self.writer
                    .delete(&old.body, &old.reference)
                    .context("failed to delete a paper")?;
            }
        }
        Ok(())
    }

    /// Removes a paper under its current and its earlier key.
    fn remove(
        &mut self,
        body: &str,
        reference: &str,
        old: Option<&Identity>,
    ) -> anyhow::Result<()> {
        self.dirty = true;
        self.writer
            .delete(body, reference)
            .context("failed to delete a paper")?;
        self.writer
            .mark_non_public(reference)
            .context("failed to remember a non-public paper")?;
        if let Some(old) = old {
            self.writer
                .delete(&old.body, &old.reference)
                .context("failed to delete a paper")?;
        }
        Ok(())
    }

    /// Writes again the papers that name a meeting or organization changed since they were
    /// written (a result was added, a meeting moved, a committee renamed); their files and
    /// originators come from the index.
    fn rewrite_changed(&mut self) -> anyhow::Result<()> {
        if self.state.changed.is_empty() {
            return Ok(());
        }
        let affected: Vec<Object> = self
            .catalog
            .objects(Kind::Paper)
            .filter(|object| {
                let Some(paper) = object.get::<OParlPaper>() else {
                    return false;
                };
                !paper.is_deleted()
                    && paper
                        .id
                        .as_ref()
                        .is_some_and(|id| !self.written.contains(id))
                    && names_any(&self.catalog, paper, &self.state.changed)
            })
            .cloned()
            .collect();
        tracing::info!(
            changed = self.state.changed.len(),
            papers = affected.len(),
            "writing papers of changed meetings and organizations"
        );
        for chunk in affected.chunks(100) {
            let json = serde_json::to_vec(chunk).context("failed to serialise papers")?;
            let records = ingest::oparl::parse_with(&self.catalog, "sync", &json)?;
            for record in records {
                let mut paper = record.paper;
                if !paper.public {
                    continue;
                }
                if let Some(stored) = crate::pipeline::stored_paper(
                    self.index,
                    Some(paper.body.as_str()),
                    &paper.reference,
                ) {
                    paper.source = stored.source;
                    if paper.originator.is_none() {
                        paper.originator = stored.originator;
                        paper.fractions = stored.fractions;
                    }
                    for file in &mut paper.files {
                        if !file.pages.is_empty() {
                            continue;
                        }
                        if let Some(known) = stored.files.iter().find(|known| known.url == file.url)
                        {
                            file.pages = known.pages.clone();
                        }
                    }
                }
                self.upsert(&paper, None)?;
                self.summary.rewritten += 1;
            }
        }
        self.commit()?;
        self.state.changed.clear();
        self.state.save(self.dir)?;
        Ok(())
    }
}

/// A paper's key in the index: its body (as records name it) and its reference.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    body: String,
    reference: String,
}

/// The key the mapping gives a paper: the Body's name (else its URL) and the reference (else
/// the OParl id).
fn identity(catalog: &Catalog, paper: &OParlPaper) -> Option<Identity> {
    let reference = paper.reference.clone().or_else(|| paper.id.clone())?;
    let body = match &paper.body {
        Some(url) => catalog
            .get::<ingest::oparl::Body>(url)
            .and_then(|body| body.name.clone())
            .unwrap_or_else(|| url.clone()),
        None => String::new(),
    };
    Some(Identity { body, reference })
}

/// A paper mapped from a page, waiting for its files and originator.
struct Pending {
    paper: ingest::Paper,
    id: Option<String>,
    old: Option<Identity>,
    stored: Option<ingest::Paper>,
    /// Its OParl files by URL.
    files: HashMap<String, ingest::oparl::File>,
}

/// Something to fetch for a pending paper.
enum Task {
    Enrich {
        paper_idx: usize,
        url: String,
    },
    File {
        paper_idx: usize,
        file_idx: usize,
        key: String,
        url: String,
        fingerprint: Option<String>,
        plan: FilePlan,
    },
}

/// How a file gets its text.
enum FilePlan {
    /// Unchanged: the stored text stays.
    Reuse(Vec<String>),
    /// Download, conditionally when validators and the text they describe are known.
    Download(Option<(Validators, Vec<String>)>),
}

/// A file's text and where it came from.
struct FileText {
    pages: Vec<String>,
    downloaded: bool,
    validators: Option<Validators>,
}

/// Why a file has no text.
struct FileFailure {
    reason: String,
    /// Whether waiting might help (server trouble rather than a missing or broken file).
    transient: bool,
}

impl FileFailure {
    fn permanent(reason: String) -> FileFailure {
        FileFailure {
            reason,
            transient: false,
        }
    }
}

/// What a paper's ALLRIS page adds to its OParl record.
struct AllrisPage {
    public: bool,
    originator: Option<String>,
    fractions: Vec<String>,
}

/// What a task gave.
enum Outcome {
    Enriched {
        paper_idx: usize,
        page: Option<AllrisPage>,
    },
    File {
        paper_idx: usize,
        file_idx: usize,
        key: String,
        url: String,
        fingerprint: Option<String>,
        result: Result<FileText, FileFailure>,
    },
}

fn body_objects(objects: &[Object]) -> Vec<ingest::oparl::Body> {
    objects
        .iter()
        .filter_map(Object::get::<ingest::oparl::Body>)
        .filter(|body| body.deleted != Some(true))
        .cloned()
        .collect()
}

/// Adds `modified_since` (the watermark less the overlap, in UTC) to a list URL.
fn with_modified_since(list: &str, watermark: DateTime<Utc>, overlap: Duration) -> String {
    let overlap = chrono::Duration::from_std(overlap).unwrap_or(chrono::Duration::zero());
    let since = (watermark - overlap)
        .format("%Y-%m-%dT%H:%M:%S+00:00")
        .to_string();
    let (base, query) = match list.split_once('?') {
        Some((base, query)) => (base, query),
        None => (list, ""),
    };
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if key != "modified_since" {
            serializer.append_pair(&key, &value);
        }
    }
    serializer.append_pair("modified_since", &since);
    format!("{base}?{}", serializer.finish())
}

/// What identifies a file's content without downloading it: a checksum, else size and date.
fn fingerprint(file: &ingest::oparl::File) -> Option<String> {
    if let Some(sha512) = &file.sha512_checksum {
        return Some(format!("sha512:{sha512}"));
    }
    if let Some(sha1) = &file.sha1_checksum {
        return Some(format!("sha1:{sha1}"));
    }
    let modified = file.modified.map(|modified| modified.to_rfc3339());
    match (file.size, modified) {
        (None, None) => None,
        (size, modified) => Some(format!(
            "size:{}/modified:{}",
            size.map(|size| size.to_string()).unwrap_or_default(),
            modified.unwrap_or_default()
        )),
    }
}

/// Tells whether a URL is an ALLRIS Vorlage page (`vo020?VOLFDNR=…`, `vo020.asp?…`).
fn is_allris_page(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    last == "vo020" || last.starts_with("vo020.")
}

/// Tells whether a paper names one of `ids` as its originator, or in a consultation as its
/// committee or meeting (directly or through the agenda item).
fn names_any(
    catalog: &Catalog,
    paper: &OParlPaper,
    ids: &std::collections::BTreeSet<String>,
) -> bool {
    let named = |id: Option<&str>| id.is_some_and(|id| ids.contains(id));
    if paper
        .originator_organization
        .iter()
        .any(|link| named(link.id()))
    {
        return true;
    }
    paper.consultation.iter().any(|link| {
        let consultation = link
            .id()
            .and_then(|id| catalog.get::<ingest::oparl::Consultation>(id))
            .or_else(|| link.object());
        let Some(consultation) = consultation else {
            return false;
        };
        let meeting = consultation
            .meeting
            .as_ref()
            .and_then(Link::id)
            .or_else(|| {
                let item_id = consultation.agenda_item.as_ref()?.id()?;
                catalog
                    .get::<ingest::oparl::AgendaItem>(item_id)?
                    .meeting
                    .as_deref()
            });
        named(meeting)
            || consultation
                .organization
                .iter()
                .any(|link| named(link.id()))
    })
}

/// The text of a downloaded file, page by page: PDFs are extracted, plain text is one page,
/// anything else (images, office documents) has no text here.
fn extract_text(
    url: &str,
    bytes: &[u8],
    content_type: Option<&str>,
    options: &ingest::pdf::Options,
) -> Result<Vec<String>, String> {
    match ingest::detect_format(url, bytes) {
        Some(ingest::Format::Pdf) => {
            let extraction = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                ingest::pdf::extract(bytes, options)
            }))
            .map_err(|_| "the PDF reader crashed on this file".to_string())?
            .map_err(|error| error.to_string())?;
            Ok(extraction.pages.into_iter().map(|page| page.text).collect())
        }
        _ if content_type.is_some_and(|content_type| content_type.starts_with("text/plain")) => {
            Ok(vec![String::from_utf8_lossy(bytes).into_owned()])
        }
        _ => Ok(Vec::new()),
    }
}

fn run_task(client: &Client, pdf: &ingest::pdf::Options, task: &Task) -> Outcome {
    match task {
        Task::Enrich { paper_idx, url } => Outcome::Enriched {
            paper_idx: *paper_idx,
            page: read_allris_page(client, url),
        },
        Task::File {
            paper_idx,
            file_idx,
            key,
            url,
            fingerprint,
            plan,
        } => {
            let result = match plan {
                FilePlan::Reuse(pages) => Ok(FileText {
                    pages: pages.clone(),
                    downloaded: false,
                    validators: None,
                }),
                FilePlan::Download(earlier) => download(client, pdf, url, earlier.as_ref()),
            };
            Outcome::File {
                paper_idx: *paper_idx,
                file_idx: *file_idx,
                key: key.clone(),
                url: url.clone(),
                fingerprint: fingerprint.clone(),
                result,
            }
        }
    }
}

/// Downloads a file and extracts its text; with `earlier` validators and text, a 304 keeps
/// that text.
fn download(
    client: &Client,
    pdf: &ingest::pdf::Options,
    url: &str,
    earlier: Option<&(Validators, Vec<String>)>,
) -> Result<FileText, FileFailure> {
    let validators = earlier
        .map(|(validators, _)| validators.clone())
        .unwrap_or_default();
    let response = client
        .get_if_changed(url, &validators)
        .map_err(|error| FileFailure {
            reason: error.to_string(),
            transient: error.is_transient(),
        })?;
    if response.not_modified {
        return match earlier {
            Some((_, pages)) => Ok(FileText {
                pages: pages.clone(),
                downloaded: false,
                validators: Some(response.validators),
            }),
            None => Err(FileFailure::permanent(
                "the server answered 304 to an unconditional request".to_string(),
            )),
        };
    }
    let pages = extract_text(url, &response.bytes, response.content_type.as_deref(), pdf)
        .map_err(FileFailure::permanent)?;
    Ok(FileText {
        pages,
        downloaded: true,
        validators: Some(response.validators),
    })
}

/// Reads a paper's ALLRIS page; `None` when it cannot be fetched or is no Vorlage page.
fn read_allris_page(client: &Client, url: &str) -> Option<AllrisPage> {
    let response = match client.get(url) {
        Ok(response) => response,
        Err(error) => {
            tracing::warn!(url, %error, "allris page not reachable");
            return None;
        }
    };
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ingest::allris::parse_html(&response.bytes)
    }));
    match parsed {
        Ok(Ok(record)) => Some(AllrisPage {
            public: record.paper.public,
            originator: record.paper.originator,
            fractions: record.paper.fractions,
        }),
        Ok(Err(error)) => {
            tracing::warn!(url, %error, "not an allris vorlage page");
            None
        }
        Err(_) => {
            tracing::warn!(url, "the allris parser crashed on this page");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_duration(text: &str, expected: Option<u64>) {
        assert_eq!(
            parse_duration(text).ok(),
            expected.map(Duration::from_secs),
            "{text:?}"
        );
    }

    #[test]
    fn durations() {
        check_duration("90", Some(90));
        check_duration("90s", Some(90));
        check_duration("15m", Some(900));
        check_duration("6h", Some(21_600));
        check_duration("1d", Some(86_400));
        check_duration(" 2h ", Some(7_200));
        check_duration("h", None);
        check_duration("5w", None);
        check_duration("-5m", None);
        check_duration("", None);
    }

    fn check_since(list: &str, expected: &str) {
        let watermark = "2024-05-02T12:00:00Z".parse().unwrap();
        assert_eq!(
            with_modified_since(list, watermark, Duration::from_secs(7_200)),
            expected
        );
    }

    #[test]
    fn modified_since_is_added_to_list_urls() {
        check_since(
            "https://x/oparl/body/1/paper",
            "https://x/oparl/body/1/paper?modified_since=2024-05-02T10%3A00%3A00%2B00%3A00",
        );
        check_since(
            "https://x/oparl/papers?body=2387",
            "https://x/oparl/papers?body=2387&modified_since=2024-05-02T10%3A00%3A00%2B00%3A00",
        );
        check_since(
            "https://x/p?modified_since=2000-01-01&page=2",
            "https://x/p?page=2&modified_since=2024-05-02T10%3A00%3A00%2B00%3A00",
        );
    }

    fn check_allris(url: &str, expected: bool) {
        assert_eq!(is_allris_page(url), expected, "{url}");
    }

    #[test]
    fn allris_vorlage_pages() {
        check_allris(
            "https://ratsinformation.leipzig.de/allris_leipzig_public/vo020?VOLFDNR=2011216",
            true,
        );
        check_allris("http://ratsinfo.example.de/bi/vo020.asp?VOLFDNR=1", true);
        check_allris(
            "https://sdnetrim.kdvz-frechen.de/rim4220/vorgang/?__=UGh",
            false,
        );
        check_allris("https://x/vo0200?VOLFDNR=1", false);
    }

    fn check_fingerprint(json: &str, expected: Option<&str>) {
        let document = ingest::oparl::read("file.json", json.as_bytes()).unwrap();
        let file = document.objects[0].get::<ingest::oparl::File>().unwrap();
        assert_eq!(fingerprint(file).as_deref(), expected, "{json}");
    }

    #[test]
    fn file_fingerprints() {
        check_fingerprint(
            r#"{"type": "https://schema.oparl.org/1.1/File", "sha512Checksum": "ab", "sha1Checksum": "cd", "size": 3}"#,
            Some("sha512:ab"),
        );
        check_fingerprint(
            r#"{"type": "https://schema.oparl.org/1.1/File", "sha1Checksum": "cd"}"#,
            Some("sha1:cd"),
        );
        check_fingerprint(
            r#"{"type": "https://schema.oparl.org/1.1/File", "size": 1234, "modified": "2020-01-23T09:58:28+01:00"}"#,
            Some("size:1234/modified:2020-01-23T09:58:28+01:00"),
        );
        check_fingerprint(
            r#"{"type": "https://schema.oparl.org/1.0/File", "accessUrl": "https://x/f.pdf"}"#,
            None,
        );
    }
}
