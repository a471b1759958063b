//! The ingest pipeline: the only place where the `ingest` and `index` crates meet.
//!
//! Files are read and parsed on worker threads (PDF extraction is CPU-bound); one thread writes
//! the index, taking the parsed files in the order of their names (within a small window, so
//! one slow PDF does not hold up the run). An attachment (a PDF named by a reference) read
//! before its paper is written with the paper, so the paper is analysed once; one whose paper
//! came first, or is not in this run, is joined to the stored paper at the end. So the order of
//! files on disk does not matter. A file that cannot be read or parsed is reported and the run
//! goes on.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context;
use index::Index;
use ingest::{Attachment, Paper, Parsed};

/// Files larger than this are not read (a council PDF of 200 MB is a scan that OCR would not finish).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Papers written between two commits, so a crash loses at most this much work.
const COMMIT_EVERY: usize = 5_000;
/// Text written between two commits. A commit also bounds the writer's memory: tantivy
/// queues up to 10,000 documents per index ahead of its indexing threads, each holding its
/// text twice (stemmed and exact fields), and the analysis is slower than reading, so without
/// this bound the queue fills with thousands of long papers.
const COMMIT_BYTES: usize = 32 * 1024 * 1024;
/// Parsed files the writer holds back at most to take them in the order of their names.
const REORDER_WINDOW: usize = 64;

/// How to run an ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Municipality to record for papers whose source names none.
    pub body: Option<String>,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// Parser settings.
    pub parse: ingest::Options,
    /// Worker threads for reading and parsing.
    pub threads: usize,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions {
            body: None,
            progress: false,
            parse: ingest::Options::default(),
            threads: std::thread::available_parallelism().map_or(2, usize::from),
        }
    }
}

/// What an ingest run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files looked at.
    pub files: usize,
    /// Papers written (new or replaced).
    pub ingested: usize,
    /// Attachments joined to a paper.
    pub attachments: usize,
    /// PDF pages read.
    pub pages: usize,
    /// Papers or files left out on purpose, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Files that could not be read or parsed, with the reason.
    pub failed: Vec<(String, String)>,
    /// Non-fatal problems, with the file they came from.
    pub warnings: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.elapsed.as_secs_f64();
        write!(
            f,
            "ingested {} papers from {} files in {:.1} s",
            self.ingested, self.files, seconds
        )?;
        if self.attachments > 0 || self.pages > 0 {
            let rate = if seconds > 0.0 {
                self.pages as f64 / seconds
            } else {
                0.0
            };
            write!(
                f,
                "; {} attachments joined, {} PDF pages ({rate:.0} pages/s)",
                self.attachments, self.pages
            )?;
        }
        writeln!(f)?;
        writeln!(f, "skipped {}", self.skipped.len())?;
        for (source, reason) in &self.skipped {
            writeln!(f, "  {source}: {reason}")?;
        }
        writeln!(f, "failed {}", self.failed.len())?;
        for (source, reason) in &self.failed {
            writeln!(f, "  {source}: {reason}")?;
        }
        Ok(())
    }
}

/// Opens the index in `dir`, creating it when missing.
pub fn open_index(dir: &Path) -> anyhow::Result<Index> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create index folder {}", dir.display()))?;
    Index::open_or_create(dir, &index::IndexOptions::default())
        .with_context(|| format!("failed to open index at {}", dir.display()))
}

/// Lists the files below `paths` in a stable order (folders are walked, hidden entries skipped).
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(String, String)>) {
    let mut files = Vec::new();
    let mut failed = Vec::new();
    for path in paths {
        walk(path, &mut files, &mut failed);
    }
    (files, failed)
}

fn walk(path: &Path, files: &mut Vec<PathBuf>, failed: &mut Vec<(String, String)>) {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) => {
            failed.push((path.display().to_string(), format!("cannot read: {error}")));
            return;
        }
    };
    if metadata.is_file() {
        files.push(path.to_path_buf());
        return;
    }
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(error) => {
            failed.push((path.display().to_string(), format!("cannot list: {error}")));
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|child| {
            !child
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with('.'))
        })
        .collect();
    children.sort();
    for child in children {
        walk(&child, files, failed);
    }
}

/// The outcome of reading and parsing one file on a worker thread.
enum Outcome {
    Parsed { source: String, parsed: Parsed },
    Failed { source: String, reason: String },
}

/// Ingests files and folders into `index` and commits.
pub fn ingest_paths(
    index: &Index,
    paths: &[PathBuf],
    options: &IngestOptions,
) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let (files, failed) = collect_files(paths);
    let summary = Summary {
        files: files.len(),
        failed,
        ..Summary::default()
    };
    let progress = progress_bar(files.len() as u64, options.progress);
    let writer = index.writer().context("failed to open the index writer")?;
    let mut sink = Sink {
        index,
        writer,
        options,
        summary,
        pending: HashMap::new(),
        joined_early: HashSet::new(),
        non_public: HashSet::new(),
        since_commit: 0,
        bytes_since_commit: 0,
    };

    // OParl JSON files reference each other (a consultation names its committee by URL), so
    // they are read into one catalog and turned into records together.
    let (oparl_files, files): (Vec<PathBuf>, Vec<PathBuf>) =
        files.into_iter().partition(|path| is_json(path));
    if !oparl_files.is_empty() {
        let (records, deleted) = read_oparl(&oparl_files, &mut sink.summary, &progress);
        for paper in deleted {
            let body = match (&options.body, paper.body.is_empty()) {
                (Some(body), true) => body.clone(),
                _ => paper.body,
            };
            sink.writer
                .delete(&body, &paper.reference)
                .context("failed to delete a paper")?;
        }
        let records = records.into_iter().map(|record| {
            let source = record.paper.source.clone();
            (source, record)
        });
        sink.write_records(records)?;
        sink.commit()?;
    }

    let next_file = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::sync_channel::<(usize, Outcome)>(options.threads.max(1) * 2);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..options.threads.max(1) {
            let sender = sender.clone();
            let files = &files;
            let next_file = &next_file;
            scope.spawn(move || loop {
                let file_idx = next_file.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(file_idx) else {
                    break;
                };
                if sender
                    .send((file_idx, read_and_parse(path, &options.parse)))
                    .is_err()
                {
                    break;
                }
            });
        }
        drop(sender);
        let mut in_order = InOrder::default();
        for (file_idx, outcome) in receiver {
            in_order.push(file_idx, outcome);
            while let Some(outcome) = in_order.pop(REORDER_WINDOW) {
                progress.inc(1);
                sink.take(outcome)?;
            }
        }
        while let Some(outcome) = in_order.pop(0) {
            progress.inc(1);
            sink.take(outcome)?;
        }
        Ok(())
    })?;
    sink.commit()?;
    index.reload().context("failed to reload the index")?;

    if !sink.pending.is_empty() {
        sink.join_late()?;
        sink.commit()?;
        index.reload().context("failed to reload the index")?;
    }
    let Sink {
        writer,
        mut summary,
        ..
    } = sink;
    // Wait for segment merges so the index this run leaves has few segments and searches fast.
    writer
        .finish()
        .context("failed to finish writing the index")?;
    index.reload().context("failed to reload the index")?;
    progress.finish_and_clear();
    summary.elapsed = started.elapsed();
    tracing::info!(
        ingested = summary.ingested,
        skipped = summary.skipped.len(),
        failed = summary.failed.len(),
        "ingest finished"
    );
    Ok(summary)
}

/// The writing side of an ingest run: the one writer, what the run found so far, and the
/// papers written since the last commit.
struct Sink<'a> {
    index: &'a Index,
    writer: index::Writer,
    options: &'a IngestOptions,
    summary: Summary,
    /// Attachments by the reference of their paper, read while their paper was not written
    /// in this run: taken up when it comes, the rest joined to stored papers at the end.
    pending: HashMap<String, Vec<(String, Attachment)>>,
    /// References whose attachments went in with their paper in this run.
    joined_early: HashSet<String>,
    /// References found non-public in this run.
    non_public: HashSet<String>,
    since_commit: usize,
    /// Bytes of text written since the last commit.
    bytes_since_commit: usize,
}

impl Sink<'_> {
    /// Takes one parsed file: writes its papers, keeps its attachments, commits when due.
    fn take(&mut self, outcome: Outcome) -> anyhow::Result<()> {
        match outcome {
            Outcome::Failed { source, reason } => {
                tracing::warn!(path = %source, error = %reason, "file not ingested");
                self.summary.failed.push((source, reason));
            }
            Outcome::Parsed { source, parsed } => {
                for attachment in parsed.attachments {
                    self.summary.pages += attachment.file.pages.len();
                    self.summary.warnings += attachment.warnings.len();
                    self.pending
                        .entry(attachment_reference(&attachment))
                        .or_default()
                        .push((source.clone(), attachment));
                }
                let records = parsed
                    .records
                    .into_iter()
                    .map(|record| (source.clone(), record));
                self.write_records(records)?;
            }
        }
        self.commit_when_due()
    }

    /// Joins the attachments whose paper was not written in this run to the stored paper, or
    /// makes each group a paper of its own when there is none.
    fn join_late(&mut self) -> anyhow::Result<()> {
        let pending: BTreeMap<String, Vec<(String, Attachment)>> =
            std::mem::take(&mut self.pending).into_iter().collect();
        for (reference, group) in pending {
            // Attachments of papers found non-public, in this run or an earlier one (the index
            // keeps a tombstone), must not become papers of their own. When the index cannot
            // answer, they stay out: leaking is worse than missing.
            let hidden = self.non_public.contains(&reference)
                || self.index.is_marked_non_public(&reference).unwrap_or(true);
            if hidden {
                let reason = "attachment of a non-public paper";
                self.summary.skipped.extend(
                    group
                        .into_iter()
                        .map(|(source, _)| (source, reason.to_string())),
                );
                continue;
            }
            let mut paper = stored_paper(self.index, None, &reference)
                .unwrap_or_else(|| paper_from_attachment(&reference, &group, self.options));
            attach(
                &mut paper,
                group.iter().map(|(_, attachment)| attachment.file.clone()),
            );
            self.summary.attachments += group.len();
            self.since_commit += 1;
            self.bytes_since_commit += text_bytes(&paper);
            self.writer
                .upsert(&into_document(paper)?)
                .context("failed to write a paper to the index")?;
            self.commit_when_due()?;
        }
        Ok(())
    }

    /// Commits when enough papers or text were written since the last commit.
    fn commit_when_due(&mut self) -> anyhow::Result<()> {
        if self.since_commit >= COMMIT_EVERY || self.bytes_since_commit >= COMMIT_BYTES {
            self.commit()?;
        }
        Ok(())
    }

    /// Puts the attachments read for `paper` into it, when it is public: it is then analysed
    /// once, with them.
    fn join_early(&mut self, paper: &mut Paper) -> anyhow::Result<()> {
        if !paper.public || self.non_public.contains(&paper.reference) {
            return Ok(());
        }
        if self.joined_early.contains(&paper.reference) {
            // The same paper again in this run: its attachments went in with the first copy.
            // Once committed, the stored paper has their pages.
            self.commit()?;
            if let Some(stored) = stored_paper(self.index, None, &paper.reference) {
                let attached = stored.files.into_iter().filter(|f| !f.pages.is_empty());
                attach(paper, attached);
            }
        }
        if let Some(group) = self.pending.remove(&paper.reference) {
            self.summary.attachments += group.len();
            attach(
                paper,
                group.into_iter().map(|(_, attachment)| attachment.file),
            );
            self.joined_early.insert(paper.reference.clone());
        }
        Ok(())
    }

    /// Writes records, each with the file it came from: public papers are upserted, non-public
    /// ones removed and remembered. Both the OParl catalog and the file workers end here.
    fn write_records(
        &mut self,
        records: impl IntoIterator<Item = (String, ingest::Record)>,
    ) -> anyhow::Result<()> {
        for (source, mut record) in records {
            self.summary.warnings += record.warnings.len();
            self.join_early(&mut record.paper)?;
            if !record.paper.public {
                self.non_public.insert(record.paper.reference.clone());
            }
            self.since_commit += 1;
            self.bytes_since_commit += text_bytes(&record.paper);
            match write_paper(self.index, &mut self.writer, record.paper, self.options)? {
                Written::Paper => self.summary.ingested += 1,
                Written::Skipped(reason) => self.summary.skipped.push((source, reason)),
            }
        }
        Ok(())
    }

    fn commit(&mut self) -> anyhow::Result<()> {
        self.writer
            .commit()
            .context("failed to commit to the index")?;
        self.since_commit = 0;
        self.bytes_since_commit = 0;
        Ok(())
    }
}

/// Writes every stored paper again from its stored record, so that the current analysis and
/// the current rules (non-public papers stay out) apply to all of it, and commits.
pub fn reindex(index: &Index) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let mut writer = index.writer().context("failed to open the index writer")?;
    let options = IngestOptions::default();
    let mut summary = Summary::default();
    let mut failure: Option<anyhow::Error> = None;
    index
        .for_each_record(|json| {
            if failure.is_some() {
                return Ok(());
            }
            let paper: Paper = match serde_json::from_str(&json) {
                Ok(paper) => paper,
                Err(error) => {
                    summary
                        .failed
                        .push(("stored record".to_string(), error.to_string()));
                    return Ok(());
                }
            };
            let source = paper.reference.clone();
            match write_paper(index, &mut writer, paper, &options) {
                Ok(Written::Paper) => summary.ingested += 1,
                Ok(Written::Skipped(reason)) => summary.skipped.push((source, reason)),
                Err(error) => failure = Some(error),
            }
            Ok(())
        })
        .context("failed to read the stored records")?;
    if let Some(error) = failure {
        return Err(error);
    }
    writer.commit().context("failed to commit to the index")?;
    writer
        .finish()
        .context("failed to finish writing the index")?;
    index.reload().context("failed to reload the index")?;
    summary.elapsed = started.elapsed();
    tracing::info!(papers = summary.ingested, "reindex finished");
    Ok(summary)
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
}

/// A paper to remove because its source reports it deleted.
struct Deleted {
    body: String,
    reference: String,
}

/// Reads OParl JSON files into one catalog and returns its papers and the deleted ones.
fn read_oparl(
    files: &[PathBuf],
    summary: &mut Summary,
    progress: &indicatif::ProgressBar,
) -> (Vec<ingest::Record>, Vec<Deleted>) {
    let mut catalog = ingest::oparl::Catalog::default();
    for path in files {
        progress.inc(1);
        let source = path.display().to_string();
        let added = read_bounded(path).and_then(|bytes| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                catalog.add(&source, &bytes)
            }))
            .map_err(|_| "the parser crashed on this file".to_string())?
            .map_err(|error| error.to_string())
        });
        if let Err(reason) = added {
            tracing::warn!(path = %source, error = %reason, "file not ingested");
            summary.failed.push((source, reason));
        }
    }
    let deleted = catalog
        .deleted_papers()
        .into_iter()
        .filter_map(|paper| {
            Some(Deleted {
                body: paper.body.unwrap_or_default(),
                reference: paper.reference?,
            })
        })
        .collect();
    (catalog.records(), deleted)
}

fn progress_bar(len: u64, enabled: bool) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {pos}/{len} files [{elapsed_precise}] {wide_bar} {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

fn read_and_parse(path: &Path, options: &ingest::Options) -> Outcome {
    let source = path.display().to_string();
    let bytes = match read_bounded(path) {
        Ok(bytes) => bytes,
        Err(reason) => return Outcome::Failed { source, reason },
    };
    // A panic inside a parser is a bug, but it must cost one file, not the run.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ingest::parse(&source, &bytes, options)
    }));
    match parsed {
        Ok(Ok(parsed)) => Outcome::Parsed { source, parsed },
        Ok(Err(error)) => Outcome::Failed {
            source,
            reason: error.to_string(),
        },
        Err(_) => Outcome::Failed {
            source,
            reason: "the parser crashed on this file".to_string(),
        },
    }
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|error| format!("cannot read: {error}"))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is too large: {} bytes, at most {MAX_FILE_BYTES}",
            metadata.len()
        ));
    }
    std::fs::read(path).map_err(|error| format!("cannot read: {error}"))
}

/// The text a paper brings into the index: body and attachment pages.
fn text_bytes(paper: &Paper) -> usize {
    let pages: usize = paper
        .files
        .iter()
        .flat_map(|file| &file.pages)
        .map(String::len)
        .sum();
    paper.text.len() + pages
}

enum Written {
    Paper,
    Skipped(String),
}

/// Writes one paper, or removes it when it is not public: a paper that became non-public must
/// leave the index.
fn write_paper(
    index: &Index,
    writer: &mut index::Writer,
    mut paper: Paper,
    options: &IngestOptions,
) -> anyhow::Result<Written> {
    if paper.body.is_empty() {
        if let Some(body) = &options.body {
            paper.body = body.clone();
        }
    }
    if paper.reference.trim().is_empty() {
        return Ok(Written::Skipped("paper has no reference".to_string()));
    }
    if !paper.public {
        writer
            .delete(&paper.body, &paper.reference)
            .context("failed to delete a non-public paper")?;
        writer
            .mark_non_public(&paper.reference)
            .context("failed to remember a non-public paper")?;
        let status = paper.status.as_deref().unwrap_or("not public");
        return Ok(Written::Skipped(format!(
            "{} is non-public ({status})",
            paper.reference
        )));
    }
    keep_joined_files(index, &mut paper);
    writer
        .unmark_non_public(&paper.reference)
        .context("failed to write a paper to the index")?;
    writer
        .upsert(&into_document(paper)?)
        .context("failed to write a paper to the index")?;
    Ok(Written::Paper)
}

/// Keeps the attachments an earlier run joined to this paper when the new source lacks them.
fn keep_joined_files(index: &Index, paper: &mut Paper) {
    let Some(stored) = stored_paper(index, Some(&paper.body), &paper.reference) else {
        return;
    };
    let names: HashSet<String> = paper.files.iter().map(|file| file.name.clone()).collect();
    paper.files.extend(
        stored
            .files
            .into_iter()
            .filter(|file| !names.contains(&file.name)),
    );
}

/// The stored paper with this reference, if the index has one.
pub fn stored_paper(index: &Index, body: Option<&str>, reference: &str) -> Option<Paper> {
    let json = index.document(body, reference).ok()??;
    serde_json::from_str(&json).ok()
}

/// Adds files to a paper; one of the same name is replaced.
fn attach(paper: &mut Paper, files: impl IntoIterator<Item = ingest::File>) {
    for file in files {
        paper.files.retain(|kept| kept.name != file.name);
        paper.files.push(file);
    }
}

/// Parsed files in the order of their names: held back until the files before them are in,
/// but never more than a window of them, so a slow file does not stop the run.
#[derive(Default)]
struct InOrder {
    /// The number of the file to give out next.
    next: usize,
    held: BTreeMap<usize, Outcome>,
}

impl InOrder {
    fn push(&mut self, file_idx: usize, outcome: Outcome) {
        self.held.insert(file_idx, outcome);
    }

    /// The next file in order, or the first one held when more than `window` are held.
    fn pop(&mut self, window: usize) -> Option<Outcome> {
        let (&first, _) = self.held.first_key_value()?;
        if first > self.next && self.held.len() <= window {
            return None;
        }
        self.next = self.next.max(first + 1);
        self.held.remove(&first)
    }
}

/// The reference of the paper an attachment belongs to: the one its name names, else its file
/// name without extension.
fn attachment_reference(attachment: &Attachment) -> String {
    attachment.reference.clone().unwrap_or_else(|| {
        Path::new(&attachment.file.name)
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or(&attachment.file.name)
            .to_string()
    })
}

/// A paper known only from its PDF: the reference comes from the file name, the title from the
/// first line of text.
fn paper_from_attachment(
    reference: &str,
    group: &[(String, Attachment)],
    options: &IngestOptions,
) -> Paper {
    let first_text = group
        .iter()
        .flat_map(|(_, attachment)| attachment.file.pages.iter())
        .flat_map(|page| page.lines())
        .map(str::trim)
        .find(|line| line.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .unwrap_or(reference);
    let title: String = first_text.chars().take(200).collect();
    let reference_parts = ingest::reference::Reference::parse(reference);
    let text: String = group
        .iter()
        .flat_map(|(_, attachment)| attachment.file.pages.iter())
        .take(3)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n");
    Paper {
        body: options.body.clone().unwrap_or_default(),
        reference: reference.to_string(),
        reference_parts,
        title,
        public: true,
        language: ingest::language::detect_language(&text),
        source: group
            .first()
            .map(|(source, _)| source.clone())
            .unwrap_or_default(),
        ..Paper::default()
    }
}

/// Maps a paper of the domain model to what the index stores.
pub fn to_document(paper: &Paper) -> anyhow::Result<index::Document> {
    into_document(paper.clone())
}

/// [`to_document`] for a paper that is not needed afterwards: its texts move into the document
/// instead of being copied. The stored record JSON is the paper without its body text and page
/// texts, which the index keeps in its passages and fills back in when it returns the record
/// (a stored record would otherwise hold every text twice); page counts are kept.
pub fn into_document(mut paper: Paper) -> anyhow::Result<index::Document> {
    let mut gremien: Vec<String> = Vec::new();
    for consultation in &paper.consultations {
        let name = consultation.organization.trim();
        if !name.is_empty() && !gremien.iter().any(|known| known == name) {
            gremien.push(name.to_string());
        }
    }
    let text = std::mem::take(&mut paper.text);
    let attachments = paper
        .files
        .iter_mut()
        .map(|file| {
            let n_pages = file.pages.len();
            index::Attachment {
                name: file.name.clone(),
                url: file.url.clone(),
                pages: std::mem::replace(&mut file.pages, vec![String::new(); n_pages]),
            }
        })
        .collect();
    let record_json = serde_json::to_string(&paper).context("failed to serialise a paper")?;
    Ok(index::Document {
        body: paper.body,
        reference: paper.reference,
        title: paper.title,
        paper_type: paper.paper_type,
        status: paper.status,
        originator: paper.originator,
        fractions: paper.fractions,
        gremien,
        date: paper.date,
        language: paper.language,
        text,
        attachments,
        record_json,
    })
}

/// The JSON of `ratsuche extract --json`: per page its number, text, how the text was obtained
/// (`text_layer`, `ocr`, `failed`) and why, where it failed.
pub fn extraction_json(extraction: &ingest::pdf::Extraction) -> serde_json::Value {
    let pages: Vec<serde_json::Value> = extraction
        .pages
        .iter()
        .enumerate()
        .map(|(page_idx, page)| {
            serde_json::json!({
                "page": page_idx + 1,
                "method": page.method,
                "reason": page.reason,
                "text": page.text,
            })
        })
        .collect();
    let warnings: Vec<&str> = extraction
        .warnings
        .iter()
        .map(|warning| warning.message.as_str())
        .collect();
    serde_json::json!({ "pages": pages, "warnings": warnings })
}
