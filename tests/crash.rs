//! Crash safety: the real binary's `ingest` and `sync` are killed with SIGKILL at seeded random
//! moments, again and again. After every kill the index opens and answers searches, and what
//! it holds never shrinks (nothing committed is lost); a final run completes, and the index
//! then holds exactly the papers of an uninterrupted run, each once.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ratsuche::corpus::Rng;

/// Kills per scenario: enough to land in reading, writing, committing and merging.
const KILLS: usize = 6;

fn ratsuche() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ratsuche"));
    command
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Runs a command to its end within `limit`, or fails the test.
fn run_to_end(mut command: Command, limit: Duration) {
    let mut child = command.stderr(Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
            }
            assert!(
                status.success(),
                "{command:?} exited with {status}: {stderr}"
            );
            return;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("{command:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts `command`, lets it run for `delay` and kills it with SIGKILL (unless it ended).
fn kill_after(mut command: Command, delay: Duration) -> bool {
    let mut child: Child = command.spawn().unwrap();
    let started = Instant::now();
    while started.elapsed() < delay {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // `Child::kill` sends SIGKILL on Unix: no destructor, no flush, no commit runs.
    let _ = child.kill();
    let _ = child.wait();
    true
}

/// What an index holds: every paper's (body, reference) as search lists them, and the total,
/// after checking that it opens and answers searches with snippets. Every stored record served
/// by the document lookup belongs to a listed paper.
fn contents(dir: &Path) -> (Vec<(String, String)>, u64) {
    let index = index::Index::open(dir)
        .unwrap_or_else(|error| panic!("index in {} does not open: {error}", dir.display()));
    let search = |query: &str, offset: usize| {
        index
            .search(&index::SearchRequest {
                query: query.into(),
                offset,
                limit: 100,
                ..index::SearchRequest::default()
            })
            .unwrap_or_else(|error| panic!("search {query:?} failed after a crash: {error}"))
    };
    let found = search("Stadt", 0);
    let mut papers = Vec::new();
    let total = loop {
        let page = search("", papers.len());
        if page.hits.is_empty() {
            break page.total;
        }
        papers.extend(page.hits.into_iter().map(|hit| (hit.body, hit.reference)));
    };
    assert!(found.total <= total);
    assert_eq!(papers.len() as u64, total);
    assert_eq!(index.num_papers(), total);
    let listed: BTreeSet<&(String, String)> = papers.iter().collect();
    index
        .for_each_record(|json| {
            let paper: serde_json::Value = serde_json::from_str(&json).unwrap();
            let body = paper["body"].as_str().unwrap_or("").to_string();
            let reference = paper["reference"].as_str().unwrap().to_string();
            let served = index.document(Some(&body), &reference).unwrap().is_some();
            assert_eq!(
                served,
                listed.contains(&(body.clone(), reference.clone())),
                "{reference}: record served for a paper search does not list, or the reverse"
            );
            Ok(())
        })
        .unwrap();
    papers.sort();
    (papers, total)
}

fn assert_unique(papers: &[(String, String)]) {
    let unique: BTreeSet<&(String, String)> = papers.iter().collect();
    assert_eq!(unique.len(), papers.len(), "a paper is in the index twice");
}

/// Kills `command()` at random moments in `0..window`; checks the index after each kill.
fn kill_repeatedly(
    seed: u64,
    window: Duration,
    index_dir: &Path,
    command: impl Fn() -> Command,
) -> usize {
    let mut rng = Rng::new(seed);
    let mut last_total = 0;
    let mut killed = 0;
    for _ in 0..KILLS {
        let delay = Duration::from_millis(rng.below(window.as_millis().max(1) as usize) as u64);
        if kill_after(command(), delay) {
            killed += 1;
        }
        let (papers, total) = contents(index_dir);
        assert_unique(&papers);
        assert!(
            total >= last_total,
            "committed papers were lost: {total} after a kill, {last_total} before"
        );
        last_total = total;
    }
    killed
}

#[test]
fn ingest_killed_at_random_moments_loses_and_duplicates_nothing() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    ratsuche::corpus::write_corpus(&corpus, 150, 11).unwrap();
    let ingest = |dir: &Path| {
        let mut command = ratsuche();
        command.arg("ingest").arg("--index").arg(dir).arg(&corpus);
        command
    };

    // The reference: one uninterrupted run, timed to place the kills.
    let reference_dir = work.path().join("reference");
    let started = Instant::now();
    run_to_end(ingest(&reference_dir), Duration::from_secs(120));
    let window = started.elapsed().mul_f64(1.1);
    let (expected, expected_total) = contents(&reference_dir);
    assert!(expected_total > 100, "{expected_total}");

    let crashed_dir = work.path().join("crashed");
    // The folder is created as `ingest` would, so even a kill in the first instant leaves an
    // index to open.
    drop(ratsuche::pipeline::open_index(&crashed_dir).unwrap());
    let killed = kill_repeatedly(0x5EED, window, &crashed_dir, || ingest(&crashed_dir));
    assert!(killed >= KILLS / 2, "only {killed} runs were killed");

    run_to_end(ingest(&crashed_dir), Duration::from_secs(120));
    let (papers, total) = contents(&crashed_dir);
    assert_unique(&papers);
    assert_eq!(total, expected_total);
    assert_eq!(papers, expected);
}

#[test]
fn sync_killed_at_random_moments_loses_and_duplicates_nothing() {
    let Some(server) = crate::sync::Server::start() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let url = server.url("/oparl/body/1");
    let sync = |dir: &Path| {
        let mut command = ratsuche();
        command.arg("sync").arg("--index").arg(dir).args([
            "--oparl",
            &url,
            "--rate-limit",
            "0",
            "--retries",
            "1",
        ]);
        command
    };

    let reference_dir = work.path().join("reference");
    let started = Instant::now();
    run_to_end(sync(&reference_dir), Duration::from_secs(120));
    let window = started.elapsed().mul_f64(1.1);
    let (expected, expected_total) = contents(&reference_dir);
    assert_eq!(expected_total, 25);
    // The stored records, text included.
    let read_all = |dir: &Path| {
        let index = index::Index::open(dir).unwrap();
        let mut records = BTreeSet::new();
        index
            .for_each_record(|json| {
                records.insert(json);
                Ok(())
            })
            .unwrap();
        records
    };

    // A sync resumes: once a run got through, the next ones only poll and end quickly. So
    // each round starts from an empty index and is killed until a run gets through.
    let mut rng = Rng::new(0xC0FFEE);
    let mut killed = 0;
    let mut round = 0;
    while killed < KILLS {
        round += 1;
        assert!(round <= 4 * KILLS, "only {killed} kills in {round} rounds");
        let crashed_dir = work.path().join(format!("crashed-{round}"));
        drop(ratsuche::pipeline::open_index(&crashed_dir).unwrap());
        let mut last_total = 0;
        loop {
            let delay = Duration::from_millis(rng.below(window.as_millis() as usize) as u64);
            let was_killed = kill_after(sync(&crashed_dir), delay);
            let (papers, total) = contents(&crashed_dir);
            assert_unique(&papers);
            assert!(total >= last_total, "lost papers: {total} < {last_total}");
            last_total = total;
            if !was_killed {
                break;
            }
            killed += 1;
        }
        // One more run: the crawl is complete and nothing changes any more.
        run_to_end(sync(&crashed_dir), Duration::from_secs(120));
        let (papers, total) = contents(&crashed_dir);
        assert_unique(&papers);
        assert_eq!(total, expected_total);
        assert_eq!(papers, expected);
        assert_eq!(read_all(&crashed_dir), read_all(&reference_dir));
    }
}
