//! `ratsuche backup`: copies taken while a writer commits generation after generation (and a
//! reader serves) each equal exactly one committed generation; the CLI copies an index while
//! `ratsuche ingest` writes it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const GENERATIONS: u64 = 12;

fn document(generation: u64, idx: u64) -> index::Document {
    index::Document {
        body: "Leipzig".into(),
        reference: format!("VII-F-{generation:02}{idx:03}"),
        title: format!("Anfrage {idx} der Runde {generation}"),
        text: format!("Sicherungskopie Runde{generation} Eintrag {idx} mit etwas Text."),
        record_json: format!(r#"{{"reference":"VII-F-{generation:02}{idx:03}","body":"Leipzig"}}"#),
        ..index::Document::default()
    }
}

/// The references of an index's stored records, and (checked equal) of its papers.
fn references(dir: &Path) -> (Option<u64>, BTreeSet<String>) {
    let index = index::Index::open(dir).unwrap();
    let mut records = BTreeSet::new();
    index
        .for_each_record(|json| {
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            records.insert(value["reference"].as_str().unwrap().to_string());
            Ok(())
        })
        .unwrap();
    let mut papers = BTreeSet::new();
    loop {
        let results = index
            .search(&index::SearchRequest {
                offset: papers.len(),
                limit: 100,
                ..index::SearchRequest::default()
            })
            .unwrap();
        if results.hits.is_empty() {
            assert_eq!(results.total as usize, papers.len());
            break;
        }
        papers.extend(results.hits.into_iter().map(|hit| hit.reference));
    }
    assert_eq!(records, papers, "the copy's two parts differ");
    (index.generation(), papers)
}

#[test]
fn backups_taken_during_commits_equal_a_committed_generation() {
    let work = tempfile::tempdir().unwrap();
    let index_dir = work.path().join("index");
    let index = ratsuche::pipeline::open_index(&index_dir).unwrap();
    let done = Arc::new(AtomicBool::new(false));

    let copier = {
        let index_dir = index_dir.clone();
        let backups = work.path().join("backups");
        let done = done.clone();
        std::thread::spawn(move || {
            let mut copies = Vec::new();
            let mut copy_idx = 0;
            while !done.load(Ordering::SeqCst) || copy_idx < 3 {
                let out = backups.join(format!("copy-{copy_idx}"));
                let summary = ratsuche::backup::backup(&index_dir, &out).unwrap();
                copies.push((out, summary));
                copy_idx += 1;
            }
            copies
        })
    };

    // Each generation adds 20 papers and deletes some of the previous one, so no two
    // generations hold the same set.
    let mut expected: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    expected.insert(0, BTreeSet::new());
    let mut current = BTreeSet::new();
    let mut writer = index.writer().unwrap();
    for generation in 1..=GENERATIONS {
        for idx in 0..20 {
            let document = document(generation, idx);
            current.insert(document.reference.clone());
            writer.upsert(&document).unwrap();
        }
        if generation > 1 {
            for idx in (0..20).step_by(3) {
                let gone = document(generation - 1, idx);
                writer.delete(&gone.body, &gone.reference).unwrap();
                current.remove(&gone.reference);
            }
        }
        writer.commit().unwrap();
        // A reader serving meanwhile.
        index.reload().unwrap();
        assert_eq!(index.num_papers() as usize, current.len());
        expected.insert(generation, current.clone());
    }
    writer.finish().unwrap();
    done.store(true, Ordering::SeqCst);
    let copies = copier.join().unwrap();
    assert!(copies.len() >= 3);

    let mut seen = BTreeSet::new();
    for (out, summary) in &copies {
        let (generation, papers) = references(out);
        let generation = generation.expect("a copy mixes two generations");
        assert_eq!(summary.generation, Some(generation));
        assert_eq!(summary.papers as usize, papers.len());
        assert_eq!(
            Some(&papers),
            expected.get(&generation),
            "{}: generation {generation}",
            out.display()
        );
        seen.insert(generation);
    }
    eprintln!("copies of generations {seen:?}");
    // The last copies were taken after the last commit.
    assert!(seen.contains(&GENERATIONS), "{seen:?}");
}

#[test]
fn backup_command_copies_an_index_while_ingest_writes_it() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    ratsuche::corpus::write_corpus(&corpus, 120, 5).unwrap();
    let index_dir = work.path().join("index");
    let ratsuche = || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ratsuche"));
        command.env("RUST_LOG", "error");
        command
    };
    let first = ratsuche()
        .arg("ingest")
        .arg("--index")
        .arg(&index_dir)
        .arg(corpus.join("2025"))
        .output()
        .unwrap();
    assert!(first.status.success(), "{first:?}");
    let before = references(&index_dir).1;
    assert!(!before.is_empty());

    let mut ingest = ratsuche()
        .arg("ingest")
        .arg("--index")
        .arg(&index_dir)
        .arg(&corpus)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut outputs = Vec::new();
    for copy_idx in 0..3 {
        let out = work.path().join(format!("backup-{copy_idx}"));
        let output = ratsuche()
            .arg("backup")
            .arg("--index")
            .arg(&index_dir)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.starts_with("backed up "), "{stdout}");
        outputs.push(out);
    }
    assert!(ingest.wait().unwrap().success());
    let after = references(&index_dir).1;
    for out in &outputs {
        let (generation, papers) = references(out);
        assert!(generation.is_some(), "{}", out.display());
        // Ingest only adds here: every copy lies between the index before and after.
        assert!(papers.is_superset(&before), "{}", out.display());
        assert!(papers.is_subset(&after), "{}", out.display());
    }
    // The copy refuses to overwrite.
    let again = ratsuche()
        .arg("backup")
        .arg("--index")
        .arg(&index_dir)
        .arg("--out")
        .arg(&outputs[0])
        .output()
        .unwrap();
    assert!(!again.status.success());
}
