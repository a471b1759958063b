//! Query latency on a fixture index of generated papers: single term, AND, phrase,
//! facet-heavy and date-sorted searches, each with facets and snippets as the API returns them.
//!
//! `cargo bench --bench search` (RATSUCHE_BENCH_DOCS sets the fixture size, default 5,000).

use criterion::{criterion_group, criterion_main, Criterion};
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

criterion_group!(benches, queries);
criterion_main!(benches);
