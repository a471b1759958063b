//! Helpers of the load benchmark (`benches/load/run.sh`): the in-process floor, the HTTP floor
//! and the export of the corpus for the peers. Not a criterion bench; `cargo bench` alone only
//! prints the usage.
//!
//! ```text
//! floor export CORPUS_DIR OUT.jsonl OUT_DF.tsv   papers as the pipeline parses them, for the peers
//! floor inprocess INDEX_DIR URLS SECONDS OUT.json the URL mix through ratsuche::search, no HTTP
//!                                                 (FLOOR_GAP_US=N idles N µs after each query,
//!                                                 FLOOR_HANDOFF=1 runs each query on a second
//!                                                 thread and waits for it: the two things a
//!                                                 server at concurrency 1 adds besides HTTP)
//! floor fixed ADDR BODY_FILE                      an axum server answering every GET with BODY_FILE
//! floor responses INDEX_DIR URLS OUT.jsonl        every response of the URL mix (took_ms 0), to
//!                                                 check that an optimisation changes no result
//! floor merge INDEX_DIR                           merges each part of the index into one segment
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ratsuche::search::SearchParams;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["export", corpus, jsonl, df] => export(Path::new(corpus), Path::new(jsonl), Path::new(df)),
        ["inprocess", index_dir, urls, seconds, out] => in_process(
            Path::new(index_dir),
            Path::new(urls),
            seconds.parse()?,
            Path::new(out),
        ),
        ["fixed", addr, body] => fixed(addr, Path::new(body)),
        ["merge", index_dir] => {
            let index = index::Index::open(Path::new(index_dir))?;
            index.writer()?.merge_all()?;
            Ok(())
        }
        ["responses", index_dir, urls, out] => {
            responses(Path::new(index_dir), Path::new(urls), Path::new(out))
        }
        _ => {
            eprintln!(
                "usage: floor export|inprocess|fixed|responses … (see benches/floor.rs); nothing to run"
            );
            Ok(())
        }
    }
}

/// One paper as the peers load it: the searchable text is the body plus the attachment pages,
/// as ratsuche indexes them.
#[derive(serde::Serialize)]
struct ExportedPaper {
    id: usize,
    reference: String,
    title: String,
    #[serde(rename = "type")]
    paper_type: Option<String>,
    fractions: Vec<String>,
    date: Option<String>,
    text: String,
}

/// Parses every file under `corpus` with the ingest crate, joins attachments to their papers as
/// the pipeline does, and writes the papers as JSON lines plus the document frequency of every
/// lowercased word (for drawing query terms by frequency band).
fn export(corpus: &Path, jsonl: &Path, df_path: &Path) -> anyhow::Result<()> {
    let (files, failed) = ratsuche::pipeline::collect_files(&[corpus.to_path_buf()]);
    anyhow::ensure!(failed.is_empty(), "unreadable paths: {failed:?}");
    let options = ingest::Options::default();
    let mut papers: BTreeMap<String, ingest::Paper> = BTreeMap::new();
    let mut non_public: HashSet<String> = HashSet::new();
    let mut attachments: Vec<(PathBuf, ingest::Attachment)> = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path)?;
        let name = path.display().to_string();
        let Ok(parsed) = ingest::parse(&name, &bytes, &options) else {
            eprintln!("skipping {name}: does not parse");
            continue;
        };
        for record in parsed.records {
            if record.paper.public {
                papers.insert(record.paper.reference.clone(), record.paper);
            } else {
                non_public.insert(record.paper.reference.clone());
            }
        }
        attachments.extend(parsed.attachments.into_iter().map(|a| (path.clone(), a)));
    }
    for (path, attachment) in attachments {
        let reference = attachment.reference.clone().unwrap_or_else(|| {
            path.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        if non_public.contains(&reference) {
            continue;
        }
        let paper = papers
            .entry(reference.clone())
            .or_insert_with(|| ingest::Paper {
                reference: reference.clone(),
                title: attachment
                    .file
                    .pages
                    .first()
                    .and_then(|page| page.lines().find(|line| !line.trim().is_empty()))
                    .unwrap_or(&reference)
                    .chars()
                    .take(200)
                    .collect(),
                public: true,
                ..ingest::Paper::default()
            });
        paper.files.push(attachment.file);
    }
    let mut out = BufWriter::new(std::fs::File::create(jsonl)?);
    let mut document_frequency: HashMap<String, u32> = HashMap::new();
    let mut words: HashSet<String> = HashSet::new();
    let (mut n_papers, mut n_bytes) = (0usize, 0usize);
    for (id, paper) in papers.into_values().enumerate() {
        let mut text = paper.text.clone();
        for file in &paper.files {
            for page in &file.pages {
                text.push_str("\n\n");
                text.push_str(page);
            }
        }
        words.clear();
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .chain(paper.title.split(|c: char| !c.is_alphanumeric()))
        {
            if word.chars().count() >= 3 && word.chars().all(char::is_alphabetic) {
                words.insert(word.to_lowercase());
            }
        }
        for word in words.drain() {
            *document_frequency.entry(word).or_default() += 1;
        }
        n_papers += 1;
        n_bytes += text.len() + paper.title.len();
        let exported = ExportedPaper {
            id,
            reference: paper.reference,
            title: paper.title,
            paper_type: paper.paper_type,
            fractions: paper.fractions,
            date: paper.date.map(|date| date.to_string()),
            text,
        };
        serde_json::to_writer(&mut out, &exported)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    let mut frequencies: Vec<(String, u32)> = document_frequency.into_iter().collect();
    frequencies.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut df_out = BufWriter::new(std::fs::File::create(df_path)?);
    writeln!(df_out, "#papers\t{n_papers}")?;
    for (word, count) in frequencies {
        writeln!(df_out, "{word}\t{count}")?;
    }
    df_out.flush()?;
    println!(
        "{}",
        serde_json::json!({ "papers": n_papers, "text_bytes": n_bytes })
    );
    Ok(())
}

/// Reads the URL mix as search parameters.
fn read_requests(urls: &Path) -> anyhow::Result<Vec<SearchParams>> {
    let mut requests = Vec::new();
    for line in std::fs::read_to_string(urls)?.lines() {
        let query = line.split_once('?').map_or("", |(_, query)| query);
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        let params = SearchParams::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .map_err(|error| anyhow::anyhow!("{line}: {error}"))?;
        requests.push(params);
    }
    anyhow::ensure!(!requests.is_empty(), "no queries in {}", urls.display());
    Ok(requests)
}

/// Writes the response to every URL of the mix as one JSON line, with `took_ms` set to 0 so
/// that two runs compare byte for byte.
fn responses(index_dir: &Path, urls: &Path, out: &Path) -> anyhow::Result<()> {
    let index = index::Index::open(index_dir)?;
    let mut writer = BufWriter::new(std::fs::File::create(out)?);
    for params in read_requests(urls)? {
        let mut response = ratsuche::search::run(&index, &params)?;
        response.took_ms = 0.0;
        serde_json::to_writer(&mut writer, &response)?;
        writer.write_all(b"\n")?;
    }
    writer.flush()?;
    Ok(())
}

/// Runs the URL mix through `ratsuche::search::run` and JSON serialisation on one thread: the
/// first pass records totals (the correctness gate for the peers), later passes time each
/// query until `seconds` have passed.
fn in_process(index_dir: &Path, urls: &Path, seconds: f64, out: &Path) -> anyhow::Result<()> {
    let index = index::Index::open(index_dir)?;
    let requests = read_requests(urls)?;
    let mut totals = Vec::with_capacity(requests.len());
    let mut response_bytes = 0usize;
    for params in &requests {
        let response = ratsuche::search::run(&index, params)?;
        response_bytes += serde_json::to_vec(&response)?.len();
        totals.push(response.total);
    }
    let gap = Duration::from_micros(env_u64("FLOOR_GAP_US"));
    let handoff = env_u64("FLOOR_HANDOFF") == 1;
    let search = |params: &SearchParams| -> anyhow::Result<()> {
        let response = ratsuche::search::run(&index, params)?;
        std::hint::black_box(serde_json::to_vec(&response)?);
        Ok(())
    };
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut per_query = vec![(Duration::ZERO, 0u32); requests.len()];
    std::thread::scope(|scope| -> anyhow::Result<()> {
        // With FLOOR_HANDOFF a second thread runs each query, woken through a channel, as a
        // blocking-pool thread is; the answer comes back the same way.
        let (to_worker, from_main) = std::sync::mpsc::channel::<&SearchParams>();
        let (to_main, from_worker) = std::sync::mpsc::channel::<anyhow::Result<()>>();
        if handoff {
            let search = &search;
            scope.spawn(move || {
                for params in from_main {
                    if to_main.send(search(params)).is_err() {
                        break;
                    }
                }
            });
        }
        'timed: loop {
            for (params, (sum, count)) in requests.iter().zip(per_query.iter_mut()) {
                let query_started = Instant::now();
                if handoff {
                    to_worker
                        .send(params)
                        .map_err(|_| anyhow::anyhow!("the search thread stopped"))?;
                    from_worker.recv()??;
                } else {
                    search(params)?;
                }
                let elapsed = query_started.elapsed();
                latencies.push(elapsed);
                *sum += elapsed;
                *count += 1;
                if started.elapsed().as_secs_f64() >= seconds {
                    break 'timed;
                }
                if !gap.is_zero() {
                    std::thread::sleep(gap);
                }
            }
        }
        drop(to_worker);
        Ok(())
    })?;
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_before;
    latencies.sort();
    let quantile = |q: f64| {
        let idx = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies[idx].as_secs_f64() * 1000.0
    };
    let mean = latencies.iter().map(Duration::as_secs_f64).sum::<f64>() / latencies.len() as f64;
    let report = serde_json::json!({
        "queries": latencies.len(),
        "wall_s": wall,
        "qps": latencies.len() as f64 / wall,
        "gap_us": gap.as_micros() as u64,
        "handoff": handoff,
        "p50_ms": quantile(0.5),
        "p90_ms": quantile(0.9),
        "p99_ms": quantile(0.99),
        "max_ms": quantile(1.0),
        "mean_ms": mean * 1000.0,
        "cpu_s_per_1000": cpu / latencies.len() as f64 * 1000.0,
        "mean_response_bytes": response_bytes / requests.len(),
        "totals": totals,
        "query_mean_ms": per_query
            .iter()
            .map(|(sum, count)| (*count > 0).then(|| sum.as_secs_f64() * 1000.0 / f64::from(*count)))
            .collect::<Vec<_>>(),
    });
    std::fs::write(out, serde_json::to_vec_pretty(&report)?)?;
    Ok(())
}

/// The unsigned number in the environment variable `name`, or 0.
fn env_u64(name: &str) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}

/// User plus system CPU time of this process, from `/proc/self/stat` (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields[11..13]
        .iter()
        .filter_map(|field| field.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}

/// Serves `body` as JSON for every GET on a multi-threaded tokio runtime like `ratsuche serve`:
/// what loopback, hyper and axum cost without any search.
fn fixed(addr: &str, body: &Path) -> anyhow::Result<()> {
    let body: &'static [u8] = Vec::leak(std::fs::read(body)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let router = axum::Router::new().fallback(axum::routing::get(move || async move {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                body,
            )
        }));
        axum::serve(listener, router).await?;
        anyhow::Ok(())
    })
}
