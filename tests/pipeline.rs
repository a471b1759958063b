//! The ingest pipeline on the generated sample corpus and on real files.

use std::path::PathBuf;

use crate::support::{get_json, shared_dir, TestIndex};

/// Counts the generated text exports that are marked non-public.
fn count_non_public(dir: &std::path::Path) -> usize {
    let mut count = 0;
    for year in std::fs::read_dir(dir).unwrap() {
        for file in std::fs::read_dir(year.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "txt")
                && std::fs::read_to_string(&path)
                    .unwrap()
                    .contains("Status:nichtöffentlich")
            {
                count += 1;
            }
        }
    }
    count
}

#[tokio::test]
async fn sample_corpus_ingests_with_attachments_and_facets() {
    let test = TestIndex::new();
    let corpus = test.inputs.path().join("corpus");
    ratsuche::corpus::write_sample(&corpus, 300).unwrap();
    let non_public = count_non_public(&corpus);
    let summary = test.ingest(&[corpus]);
    assert!(summary.failed.is_empty(), "{summary}");
    assert_eq!(summary.skipped.len(), non_public, "{summary}");
    assert!(summary.attachments > 0, "{summary}");
    assert!(summary.pages > 0, "{summary}");

    let app = test.app();
    let (_, all) = get_json(&app, "/api/search?per_page=1").await;
    let total = all["total"].as_u64().unwrap();
    assert_eq!(
        total as usize,
        summary.ingested + count_pdf_only_papers(&test),
        "{summary}"
    );
    for paper_type in [
        "Antrag",
        "Anfrage",
        "Beschlussvorlage",
        "Informationsvorlage",
        "Petition",
    ] {
        assert!(
            crate::support::facet_count(&all, "type", paper_type) > 0,
            "no {paper_type}: {}",
            all["facets"]["type"]
        );
    }
    for fraction in ["SPD-Fraktion", "AfD-Fraktion", "CDU-Fraktion"] {
        assert!(
            crate::support::facet_count(&all, "fraction", fraction) > 0,
            "{}",
            all["facets"]["fraction"]
        );
    }
    // Spelling variants of one group are one facet value.
    let fractions: Vec<&str> = all["facets"]["fraction"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["value"].as_str().unwrap())
        .collect();
    assert!(
        !fractions
            .iter()
            .any(|value| value.contains("Geschäftsstelle")),
        "{fractions:?}"
    );
    assert!(!fractions.contains(&"Fraktion AfD"), "{fractions:?}");

    // Words that only stand in PDF attachments are found, with the page they stand on.
    let (_, response) = get_json(&app, "/api/search?q=Erl%C3%A4uterungen+zum+Vorhaben").await;
    assert!(response["total"].as_u64().unwrap() > 0, "{response}");
    let hit = &response["hits"][0];
    assert_eq!(hit["pages"][0]["page"], 1, "{hit}");

    // Dates are sortable.
    let (_, newest) = get_json(&app, "/api/search?sort=date_desc&per_page=50").await;
    let dates: Vec<&str> = newest["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|hit| hit["date"].as_str())
        .collect();
    assert!(dates.len() > 10);
    assert!(dates.windows(2).all(|pair| pair[0] >= pair[1]), "{dates:?}");
}

/// Answers that exist only as a PDF become papers of their own.
fn count_pdf_only_papers(test: &TestIndex) -> usize {
    let mut count = 0;
    let corpus = test.inputs.path().join("corpus");
    for year in std::fs::read_dir(&corpus).unwrap() {
        let year = year.unwrap().path();
        for file in std::fs::read_dir(&year).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "pdf")
                && !path.with_extension("txt").exists()
            {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn one_bad_file_never_stops_a_run() {
    let Some(seed) = crate::support::seed_text() else {
        return;
    };
    let test = TestIndex::new();
    let good = test.write("a/good.txt", &seed);
    test.write(
        "a/broken.pdf",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage",
    );
    test.write(
        "a/broken.json",
        b"{\"type\": \"https://schema.oparl.org/1.1/Paper\", ",
    );
    test.write("a/random.bin", [0u8, 159, 146, 150, 255, 0, 1]);
    let summary = test.ingest(&[
        good.parent().unwrap().to_path_buf(),
        PathBuf::from("/no/such/file"),
    ]);
    assert_eq!(summary.ingested, 1, "{summary}");
    let failed: Vec<&str> = summary
        .failed
        .iter()
        .map(|(file, _)| file.as_str())
        .collect();
    assert!(
        failed.iter().any(|file| file.ends_with("broken.json")),
        "{summary}"
    );
    assert!(
        failed.iter().any(|file| file.ends_with("random.bin")),
        "{summary}"
    );
    assert!(
        failed.iter().any(|file| file.ends_with("/no/such/file")),
        "{summary}"
    );
    assert!(summary.failed.iter().all(|(_, reason)| !reason.is_empty()));
}

#[test]
fn real_allris_pages_ingest_or_fail_with_a_reason() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipping: ../shared is absent");
        return;
    };
    let test = TestIndex::new();
    let summary = test.ingest(&[shared.join("corpus/allris-html")]);
    assert_eq!(summary.files, 3, "{summary}");
    assert_eq!(
        summary.ingested, 1,
        "the Laatzen vo020 page is a paper: {summary}"
    );
    assert_eq!(summary.failed.len(), 2, "{summary}");
    for (file, reason) in &summary.failed {
        assert!(file.contains("leipzig_allris3"), "{file}");
        assert!(!reason.is_empty());
    }
}

/// Every stored record of an index (text and attachment pages included) without the path
/// of the file it came from, sorted.
fn records(index: &index::Index) -> Vec<String> {
    let mut records = Vec::new();
    index
        .for_each_record(|json| {
            let mut record: serde_json::Value = serde_json::from_str(&json).unwrap();
            record.as_object_mut().unwrap().remove("source");
            records.push(record.to_string());
            Ok(())
        })
        .unwrap();
    records.sort();
    records
}

/// Asserts that two indexes hold the same records, naming the first difference.
fn assert_same_records(found: &index::Index, expected: &[String], case: &str) {
    let found = records(found);
    assert_eq!(found.len(), expected.len(), "{case}: number of papers");
    if let Some((found, expected)) = found.iter().zip(expected).find(|(a, b)| a != b) {
        panic!("{case}: first difference\n found: {found}\n expected: {expected}");
    }
}

/// Copies the files of `from` (one level of year folders) whose extension is `ext` into `to`.
fn copy_files(from: &std::path::Path, to: &std::path::Path, ext: &str) {
    for year in std::fs::read_dir(from).unwrap() {
        let year = year.unwrap().path();
        for file in std::fs::read_dir(&year).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|found| found == ext) {
                let target = to.join(year.file_name().unwrap());
                std::fs::create_dir_all(&target).unwrap();
                std::fs::copy(&path, target.join(path.file_name().unwrap())).unwrap();
            }
        }
    }
}

#[test]
fn attachments_end_up_with_their_papers_whatever_the_order_of_files_and_runs() {
    let one_run = TestIndex::new();
    let corpus = one_run.inputs.path().join("corpus");
    ratsuche::corpus::write_sample(&corpus, 200).unwrap();
    // One run: a PDF sorts before the text export it belongs to, so most join early.
    let summary = one_run.ingest(std::slice::from_ref(&corpus));
    assert!(summary.attachments > 10, "{summary}");
    let expected = records(&one_run.index);

    // Papers first, PDFs in a later run: every attachment joins a stored paper.
    let two_runs = TestIndex::new();
    let (texts, pdfs) = (
        two_runs.inputs.path().join("t"),
        two_runs.inputs.path().join("p"),
    );
    copy_files(&corpus, &texts, "txt");
    copy_files(&corpus, &pdfs, "pdf");
    two_runs.ingest(std::slice::from_ref(&texts));
    let later = two_runs.ingest(std::slice::from_ref(&pdfs));
    assert_eq!(later.attachments, summary.attachments, "{later}");
    assert_same_records(&two_runs.index, &expected, "PDFs in a later run");

    // PDFs listed after their papers in one run: joined at the end of the run.
    let after = TestIndex::new();
    let summary_after = after.ingest(&[texts.clone(), pdfs.clone()]);
    assert_eq!(summary_after.attachments, summary.attachments);
    assert_same_records(&after.index, &expected, "PDFs after their papers");

    // A paper twice in one run (a second copy of the text exports after the corpus) keeps
    // the pages its attachments brought in with the first copy.
    let twice = TestIndex::new();
    twice.ingest(&[corpus.clone(), texts.clone()]);
    assert_same_records(&twice.index, &expected, "papers twice in one run");
}
