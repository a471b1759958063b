//! Parsing and extraction speed: the ALLRIS text export, OParl papers and PDF text.
//!
//! `cargo bench --bench ingest`. Real files come from `../shared/` when present.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn shared(path: &str) -> Option<Vec<u8>> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared")
            .join(path),
    )
    .ok()
}

fn parsing(c: &mut Criterion) {
    let mut group = c.benchmark_group("ingest");
    let options = ingest::Options::default();
    if let Some(seed) = shared("seeds/000_063f18eb785f93d6.txt") {
        group.throughput(Throughput::Bytes(seed.len() as u64));
        group.bench_function("allris_text_seed", |b| {
            b.iter(|| {
                let parsed = ingest::parse("seed.txt", &seed, &options).expect("seed parses");
                assert_eq!(parsed.records[0].paper.reference, "VII-F-01504");
            })
        });
    }
    if let Some(page) = shared("corpus/allris-html/laatzen_allris4.1.5_vo020_VOLFDNR-1000238.html")
    {
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_function("allris4_html", |b| {
            b.iter(|| {
                let parsed = ingest::parse("vo020.html", &page, &options).expect("page parses");
                assert_eq!(parsed.records.len(), 1);
            })
        });
    }
    if let Some(list) = shared("corpus/oparl/huertgenwald-sternberg-full/sample/paper_page1.json") {
        group.throughput(Throughput::Bytes(list.len() as u64));
        group.bench_function("oparl_paper_list", |b| {
            b.iter(|| {
                let records = ingest::oparl::parse("paper.json", &list).expect("list parses");
                assert_eq!(records.len(), 25);
            })
        });
    }
    let paragraphs: Vec<String> = (0..400)
        .map(|n| format!("Absatz {n}: Die Stadtverwaltung hat zahlreiche Telearbeitsplätze eingerichtet und die Lärmschutzwände an der Bahnstrecke geprüft."))
        .collect();
    let pdf = ratsuche::corpus::render_pdf("Anlage", &paragraphs);
    let n_pages = ingest::pdf::extract(&pdf, &ingest::pdf::Options::default())
        .expect("generated pdf")
        .pages
        .len();
    group.throughput(Throughput::Elements(n_pages as u64));
    group.bench_function("pdf_generated_pages", |b| {
        b.iter(|| {
            let extraction =
                ingest::pdf::extract(&pdf, &ingest::pdf::Options::default()).expect("extracts");
            assert_eq!(extraction.pages.len(), n_pages);
        })
    });
    if let Some(real) = shared("corpus/pdf/german-text/texlive_l2kurz_58pages.pdf") {
        let n_pages = ingest::pdf::extract(&real, &ingest::pdf::Options::default())
            .expect("real pdf")
            .pages
            .len();
        group.throughput(Throughput::Elements(n_pages as u64));
        group.sample_size(10);
        group.bench_function("pdf_l2kurz_pages", |b| {
            b.iter(|| {
                let extraction = ingest::pdf::extract(&real, &ingest::pdf::Options::default())
                    .expect("extracts");
                assert_eq!(extraction.pages.len(), n_pages);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parsing);
criterion_main!(benches);
