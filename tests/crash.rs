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

/// Kills `command(dir)` at seeded random moments in `0..window` until `KILLS` runs were killed.
///
/// Work is done in rounds, each on a fresh index folder: a run resumes what killed runs left,
/// so later runs are shorter than the reference and may end before their kill. A round ends
/// with the first run that gets through; a final run must then leave exactly `expected`.
/// After every kill the index opens, answers searches, holds no paper twice and never shrinks.
/// Returns the folders of the rounds.
fn kill_in_rounds(
    seed: u64,
    window: Duration,
    work: &Path,
    expected: &[(String, String)],
    command: impl Fn(&Path) -> Command,
) -> Vec<std::path::PathBuf> {
    let mut rng = Rng::new(seed);
    let mut killed = 0;
    let mut rounds = Vec::new();
    while killed < KILLS {
        assert!(
            rounds.len() < 4 * KILLS,
            "only {killed} kills in {} rounds",
            rounds.len()
        );
        let dir = work.join(format!("crashed-{}", rounds.len() + 1));
        // The folder is created as the command would, so even a kill in the first instant
        // leaves an index to open.
        drop(ratsuche::pipeline::open_index(&dir).unwrap());
        let mut last_total = 0;
        loop {
            let delay = Duration::from_millis(rng.below(window.as_millis().max(1) as usize) as u64);
            let was_killed = kill_after(command(&dir), delay);
            let (papers, total) = contents(&dir);
            assert_unique(&papers);
            assert!(
                total >= last_total,
                "committed papers were lost: {total} after a kill, {last_total} before"
            );
            last_total = total;
            if !was_killed {
                break;
            }
            killed += 1;
        }
        // One more run: whatever the killed runs left, it completes the work.
        run_to_end(command(&dir), Duration::from_secs(120));
        let (papers, total) = contents(&dir);
        assert_unique(&papers);
        assert_eq!(total as usize, expected.len());
        assert_eq!(papers, expected);
        rounds.push(dir);
    }
    rounds
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

    kill_in_rounds(0x5EED, window, work.path(), &expected, ingest);
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

    for dir in kill_in_rounds(0xC0FFEE, window, work.path(), &expected, sync) {
        assert_eq!(read_all(&dir), read_all(&reference_dir));
    }
}
