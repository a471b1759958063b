//! Query latency on a fixture index of generated papers: single term, AND, phrase,
//! facet-heavy and date-sorted searches, each with facets and snippets as the API returns them;
//! and indexing speed: parsed papers written into an index and committed.
//!
//! `cargo bench --bench search` (RATSUCHE_BENCH_DOCS sets the fixture size, default 5,000).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ratsuche::pipeline::{self, IngestOptions};
use ratsuche::search::SearchParams;

fn fixture() -> (tempfile::TempDir, index::Index) {
    let n_docs: usize = std::env::var("RATSUCHE_BENCH_DOCS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(5_000);
    let work = tempfile::tempdir().expect("a temporary folder");
    let corpus = work.path().join("corpus");
    ratsuche::corpus::write_corpus(&corpus, n_docs, 1).expect("corpus");
    let index = pipeline::open_index(&work.path().join("index")).expect("index");
    pipeline::ingest_paths(&index, &[corpus], &IngestOptions::default()).expect("ingest");
    (work, index)
}

fn queries(c: &mut Criterion) {
    let (_work, index) = fixture();
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("single_term", &[("q", "Telearbeit")]),
        ("and", &[("q", "Radweg Haltestellen")]),
        ("phrase", &[("q", "\"mobile Arbeit\"")]),
        (
            "facet_heavy",
            &[
                ("q", "Stadt"),
                ("type", "Antrag"),
                ("type", "Anfrage"),
                ("fraction", "SPD-Fraktion"),
                ("fraction", "CDU-Fraktion"),
                ("from", "2015-01-01"),
            ],
        ),
        ("date_sorted", &[("q", "Schule"), ("sort", "date_desc")]),
        ("empty_query_all", &[]),
    ];
    let mut group = c.benchmark_group("search");
    for (name, pairs) in cases {
        let params = SearchParams::from_pairs(pairs.iter().copied()).expect("valid parameters");
        let expected = ratsuche::search::run(&index, &params)
            .expect("search")
            .total;
        assert!(expected > 0, "{name} finds nothing");
        group.bench_function(*name, |b| {
            b.iter(|| {
                let response = ratsuche::search::run(&index, &params).expect("search");
                assert_eq!(response.total, expected);
            })
        });
    }
    group.finish();
}

/// Writes 500 generated papers (parsed outside the timed part) into a new in-memory index.
fn indexing(c: &mut Criterion) {
    let work = tempfile::tempdir().expect("a temporary folder");
    ratsuche::corpus::write_corpus(work.path(), 500, 2).expect("corpus");
    let (files, _) = pipeline::collect_files(&[work.path().to_path_buf()]);
    let options = ingest::Options::default();
    let mut documents = Vec::new();
    for path in files
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
    {
        let bytes = std::fs::read(path).expect("corpus file");
        let parsed = ingest::parse(&path.display().to_string(), &bytes, &options).expect("parses");
        for record in parsed
            .records
            .into_iter()
            .filter(|record| record.paper.public)
        {
            documents.push(pipeline::to_document(&record.paper).expect("document"));
        }
    }
    let n_bytes: usize = documents.iter().map(|document| document.text.len()).sum();
    let mut group = c.benchmark_group("indexing");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(n_bytes as u64));
    group.bench_function("papers_in_ram", |b| {
        b.iter(|| {
            let index = index::Index::create_in_ram().expect("index");
            let mut writer = index.writer().expect("writer");
            for document in &documents {
                writer.upsert(document).expect("upsert");
            }
            writer.commit().expect("commit");
            assert_eq!(index.num_papers(), documents.len() as u64);
        })
    });
    group.finish();
}

criterion_group!(benches, queries, indexing);
criterion_main!(benches);
