//! The command line: one subcommand per job, each a thin layer over the pipeline, the index and
//! the HTTP server.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{IndexConfig, ServeConfig, SyncConfig};
use crate::search::SearchParams;
use crate::{backup, corpus, http, pipeline, search, sync};

/// Search for German municipal council documents (ALLRIS, OParl, PDF).
#[derive(Debug, Parser)]
#[command(name = "ratsuche", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Adds files or folders to an index (ALLRIS pages and text exports, OParl JSON, PDF).
    Ingest(IngestArgs),
    /// Searches an index and prints the hits.
    Search(SearchArgs),
    /// Serves an index over HTTP.
    Serve(ServeArgs),
    /// Builds an index from the bundled sample corpus and serves it.
    Demo(DemoArgs),
    /// Prints the text of a PDF, pages separated by form feed (like `pdftotext FILE -`).
    Extract(ExtractArgs),
    /// Crawls an OParl System or Body into an index.
    Sync(SyncArgs),
    /// Writes a realistic synthetic corpus for benchmarks.
    GenCorpus(GenCorpusArgs),
    /// Copies an index consistently, also while it is served and written.
    Backup(BackupArgs),
}

/// Arguments of `backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    #[command(flatten)]
    index: IndexConfig,
    /// Folder for the copy; must not exist yet.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `ingest`.
#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    #[command(flatten)]
    index: IndexConfig,
    /// Municipality to record for papers whose source names none.
    #[arg(long, env = "RATSUCHE_BODY")]
    body: Option<String>,
    /// Files or folders to ingest.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// Arguments of `search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    #[command(flatten)]
    index: IndexConfig,
    #[command(flatten)]
    synonyms: SynonymsArgs,
    /// Only papers of this type (repeatable).
    #[arg(long = "type")]
    types: Vec<String>,
    /// Only papers of this council group (repeatable).
    #[arg(long = "fraction")]
    fractions: Vec<String>,
    /// Only papers consulted in this committee (repeatable).
    #[arg(long = "gremium")]
    gremien: Vec<String>,
    /// Only papers of this municipality (repeatable).
    #[arg(long = "body")]
    bodies: Vec<String>,
    /// Earliest document date, YYYY-MM-DD.
    #[arg(long)]
    from: Option<String>,
    /// Latest document date, YYYY-MM-DD.
    #[arg(long)]
    to: Option<String>,
    /// relevance, date_desc or date_asc.
    #[arg(long)]
    sort: Option<String>,
    /// 1-based page of hits.
    #[arg(long)]
    page: Option<String>,
    /// Hits per page (at most 100).
    #[arg(long)]
    per_page: Option<String>,
    /// Search the words as typed: no spelling correction replaces them.
    #[arg(long)]
    as_typed: bool,
    /// Print the JSON body of `GET /api/search`.
    #[arg(long)]
    json: bool,
    /// The query: words, "phrases", -exclusion, OR, truncation (Radverk*).
    #[arg(default_value = "")]
    query: Vec<String>,
}

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    index: IndexConfig,
    #[command(flatten)]
    synonyms: SynonymsArgs,
    #[command(flatten)]
    server: ServeConfig,
    /// The OParl System or Body to sync with: every --sync-every, and on
    /// `POST /api/admin/sync`.
    #[arg(long, env = "RATSUCHE_OPARL")]
    oparl: Option<String>,
    /// How often to sync with --oparl while serving, e.g. 30m or 6h.
    #[arg(long, env = "RATSUCHE_SYNC_EVERY", requires = "oparl", value_parser = sync::parse_duration)]
    sync_every: Option<std::time::Duration>,
    #[command(flatten)]
    sync: SyncConfig,
}

/// Arguments of `demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    #[command(flatten)]
    server: ServeConfig,
    #[command(flatten)]
    synonyms: SynonymsArgs,
    /// Number of sample papers to generate.
    #[arg(long, default_value_t = corpus::SAMPLE_PAPERS)]
    docs: usize,
}

/// Query-time synonyms beyond the built-in list.
#[derive(Debug, clap::Args)]
pub struct SynonymsArgs {
    /// A city's own synonyms, extending the built-in list: one set per line, entries
    /// separated by `|` (as index/data/synonyms.txt).
    #[arg(long = "synonyms", env = "RATSUCHE_SYNONYMS")]
    synonyms: Option<PathBuf>,
    /// OpenThesaurus in its text format (`word;word;word`, LGPL), searched at a lower weight
    /// than curated synonyms.
    #[arg(long = "thesaurus", env = "RATSUCHE_THESAURUS")]
    thesaurus: Option<PathBuf>,
}

impl SynonymsArgs {
    /// The built-in synonyms extended by the given files, or `None` without files.
    fn load(&self) -> anyhow::Result<Option<Arc<index::Synonyms>>> {
        if self.synonyms.is_none() && self.thesaurus.is_none() {
            return Ok(None);
        }
        let read = |path: &PathBuf| {
            std::fs::read_to_string(path)
                .with_context(|| format!("failed to read synonyms from {}", path.display()))
        };
        let mut synonyms = index::Synonyms::built_in();
        if let Some(path) = &self.synonyms {
            synonyms.extend(index::Synonyms::parse(&read(path)?));
        }
        if let Some(path) = &self.thesaurus {
            synonyms.extend(index::Synonyms::parse_thesaurus(&read(path)?));
        }
        tracing::info!(sets = synonyms.len(), "synonyms loaded");
        synonyms.prepare_in_background();
        Ok(Some(Arc::new(synonyms)))
    }

    /// Applies the loaded synonyms, if any, to `index`.
    fn apply(&self, index: &mut index::Index) -> anyhow::Result<()> {
        if let Some(synonyms) = self.load()? {
            index.set_synonyms(synonyms);
        }
        Ok(())
    }
}

/// Arguments of `extract`.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Print per page the text and how it was obtained, as JSON.
    #[arg(long)]
    json: bool,
    /// The PDF file.
    file: PathBuf,
}

/// Arguments of `sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    #[command(flatten)]
    index: IndexConfig,
    /// URL of an OParl System or Body.
    #[arg(long, env = "RATSUCHE_OPARL")]
    oparl: String,
    #[command(flatten)]
    sync: SyncConfig,
}

/// Arguments of `gen-corpus`.
#[derive(Debug, clap::Args)]
pub struct GenCorpusArgs {
    /// Number of papers.
    #[arg(long)]
    docs: usize,
    /// Seed; the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
    /// Folder of `.txt` files whose German sentences are mixed into the bodies (repeatable),
    /// e.g. `../shared/corpus/text/karlsruhe-council-pdf-text/sample`.
    #[arg(long)]
    text: Vec<PathBuf>,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Ingest(args) => ingest(args),
        Command::Search(args) => search_index(args),
        Command::Serve(args) => serve(args),
        Command::Demo(args) => demo(args),
        Command::Extract(args) => extract(args),
        Command::Sync(args) => sync_oparl(args),
        Command::Backup(args) => {
            let summary = backup::backup(&args.index.dir, &args.out).with_context(|| {
                format!(
                    "failed to back up the index at {}",
                    args.index.dir.display()
                )
            })?;
            print_stdout(&summary.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::GenCorpus(args) => {
            let summary =
                corpus::write_corpus_with_text(&args.out, args.docs, args.seed, &args.text)
                    .with_context(|| format!("failed to write corpus to {}", args.out.display()))?;
            print_stdout(&format!(
                "{summary}
"
            ))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn ingest(args: IngestArgs) -> anyhow::Result<ExitCode> {
    let index = pipeline::open_index(&args.index.dir)?;
    let options = pipeline::IngestOptions {
        body: args.body,
        progress: true,
        ..pipeline::IngestOptions::default()
    };
    let summary = pipeline::ingest_paths(&index, &args.paths, &options)?;
    print_stdout(&summary.to_string())?;
    Ok(if summary.ingested == 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn search_index(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let mut index = index::Index::open(&args.index.dir)
        .with_context(|| format!("failed to open index at {}", args.index.dir.display()))?;
    args.synonyms.apply(&mut index)?;
    let query = args.query.join(" ");
    let mut pairs: Vec<(&str, &str)> = vec![("q", query.as_str())];
    pairs.extend(args.types.iter().map(|value| ("type", value.as_str())));
    pairs.extend(
        args.fractions
            .iter()
            .map(|value| ("fraction", value.as_str())),
    );
    pairs.extend(args.gremien.iter().map(|value| ("gremium", value.as_str())));
    pairs.extend(args.bodies.iter().map(|value| ("body", value.as_str())));
    let optional = [
        ("from", &args.from),
        ("to", &args.to),
        ("sort", &args.sort),
        ("page", &args.page),
        ("per_page", &args.per_page),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            pairs.push((name, value.as_str()));
        }
    }
    if args.as_typed {
        pairs.push(("as_typed", "true"));
    }
    let params = SearchParams::from_pairs(pairs)?;
    let response = search::run(&index, &params)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &response)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(corrected) = &response.did_you_mean {
        writeln!(out, "Did you mean: {corrected}? Showing its hits.")?;
    }
    if let Some(suggestion) = &response.suggestion {
        writeln!(out, "Did you mean: {suggestion}?")?;
    }
    if let Some(words) = &response.parts_apart {
        writeln!(
            out,
            "No paper holds {}; showing papers with the parts of the word apart.",
            words.join(", ")
        )?;
    }
    if let Some(partial) = &response.partial {
        writeln!(
            out,
            "No paper holds all {} words; showing papers without: {}.",
            partial.words,
            partial.left_out.join(", ")
        )?;
    }
    writeln!(out, "{} hits ({} ms)", response.total, response.took_ms)?;
    for found in &response.hits {
        let hit = &found.hit;
        let date = hit.date.map(|date| date.to_string()).unwrap_or_default();
        let meta: Vec<&str> = [hit.paper_type.as_deref(), hit.fraction.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        writeln!(out, "\n{}  {}  {}", hit.reference, date, meta.join(" · "))?;
        writeln!(out, "  {}", hit.title)?;
        for snippet in &hit.snippets {
            writeln!(out, "  {}", terminal_snippet(snippet))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints to stdout. A reader that stopped reading (`ratsuche ingest … | head`) is no error
/// worth a panic: the work is done and committed.
fn print_stdout(text: &str) -> anyhow::Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        written => Ok(written?),
    }
}

/// Turns a snippet's `<mark>` into `[…]` and undoes the HTML escaping, for a terminal.
fn terminal_snippet(snippet: &str) -> String {
    snippet
        .replace("<mark>", "[")
        .replace("</mark>", "]")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn sync_oparl(args: SyncArgs) -> anyhow::Result<ExitCode> {
    let index = pipeline::open_index(&args.index.dir)?;
    let options = sync::SyncOptions::from_config(&args.sync);
    let summary = sync::sync(&index, &args.index.dir, &args.oparl, &options)
        .with_context(|| format!("sync of {} stopped (run it again to resume)", args.oparl))?;
    print_stdout(&summary.to_string())?;
    Ok(ExitCode::SUCCESS)
}

fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let token = args.server.admin_token()?;
    let options = sync::SyncOptions::from_config(&args.sync);
    let sync_every = args.sync_every.filter(|_| args.oparl.is_some());
    // A server that syncs may start on an empty folder: the first sync fills it.
    let mut index = match sync_every {
        Some(_) => pipeline::open_index(&args.index.dir)?,
        None => index::Index::open(&args.index.dir)
            .with_context(|| format!("failed to open index at {}", args.index.dir.display()))?,
    };
    args.synonyms.apply(&mut index)?;
    let mut admin = http::Admin::new(token, args.server.admin_max_upload)
        .with_index_dir(args.index.dir.clone());
    if let Some(url) = args.oparl {
        admin = admin.with_oparl(url, options);
    }
    let state =
        http::AppState::with_index_dir(index, Some(args.index.dir.clone())).with_admin(admin);
    if let Some(period) = sync_every {
        http::spawn_scheduled_sync(&state, period)?;
    }
    http::serve_state_blocking(state, &args.server)?;
    Ok(ExitCode::SUCCESS)
}

fn demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let workdir = tempfile::Builder::new()
        .prefix("ratsuche-demo-")
        .tempdir()
        .context("failed to create a temporary folder for the demo")?;
    let corpus_dir = workdir.path().join("corpus");
    let index_dir = workdir.path().join("index");
    let summary = corpus::write_sample(&corpus_dir, args.docs)
        .context("failed to write the sample corpus")?;
    eprintln!("demo: {summary} in {}", corpus_dir.display());
    let mut index = pipeline::open_index(&index_dir)?;
    args.synonyms.apply(&mut index)?;
    let options = pipeline::IngestOptions {
        body: Some(corpus::SAMPLE_BODY.to_string()),
        progress: true,
        ..pipeline::IngestOptions::default()
    };
    let ingest_summary = pipeline::ingest_paths(&index, &[corpus_dir], &options)?;
    eprint!("{ingest_summary}");
    eprintln!(
        "demo: open http://{}/ (or try: curl 'http://{}/api/search?q=Telearbeit')",
        args.server.addr, args.server.addr
    );
    http::serve_blocking(index, Some(index_dir), &args.server)?;
    Ok(ExitCode::SUCCESS)
}

fn extract(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("failed to read {}", args.file.display()))?;
    let extraction = ingest::pdf::extract(&bytes, &ingest::pdf::Options::default())
        .with_context(|| format!("failed to extract text from {}", args.file.display()))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &pipeline::extraction_json(&extraction))?;
        writeln!(out)?;
    } else {
        // Like `pdftotext FILE -`: every line ends with a newline, every page with a form feed.
        for page in &extraction.pages {
            out.write_all(page.text.as_bytes())?;
            if !page.text.is_empty() && !page.text.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            out.write_all(b"\x0c")?;
        }
    }
    for warning in &extraction.warnings {
        eprintln!("warning: {}", warning.message);
    }
    Ok(ExitCode::SUCCESS)
}
