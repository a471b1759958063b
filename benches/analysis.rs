//! German analysis throughput: tokens per second of the index's analyzers over council text.
//!
//! `cargo bench --bench analysis`. Throughput is in words of the text per second, on one
//! thread. The text is the real Karlsruhe council PDF text in
//! `../shared/` when present, else the generated corpus.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn council_text() -> String {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/text/karlsruhe-council-pdf-text/sample");
    let mut text = String::new();
    if let Ok(entries) = std::fs::read_dir(&sample) {
        let mut paths: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
        paths.sort();
        for path in paths {
            if let Ok(file_text) = std::fs::read_to_string(&path) {
                text.push_str(&file_text);
                text.push('\n');
            }
            if text.len() > 2_000_000 {
                break;
            }
        }
    }
    if text.is_empty() {
        eprintln!("../shared is absent: benchmarking on generated text");
        let dir = tempfile::tempdir().expect("a temporary folder");
        ratsuche::corpus::write_corpus(dir.path(), 300, 1).expect("corpus");
        for year in std::fs::read_dir(dir.path())
            .expect("corpus folder")
            .flatten()
        {
            for file in std::fs::read_dir(year.path())
                .expect("year folder")
                .flatten()
            {
                if let Ok(file_text) = std::fs::read_to_string(file.path()) {
                    text.push_str(&file_text);
                }
            }
        }
    }
    text
}

fn analyzers(c: &mut Criterion) {
    let text = council_text();
    // Throughput counts the words of the text (the exact analyzer's tokens), not the tokens
    // an analyzer emits: the German analyzer adds compound parts at the same positions.
    let mut n_words = 0u64;
    index::analysis::for_each_token(index::analysis::GERMAN_EXACT, &text, |_| n_words += 1);
    assert!(n_words > 10_000, "only {n_words} words");
    let mut group = c.benchmark_group("analysis");
    group.throughput(Throughput::Elements(n_words));
    group.sample_size(10);
    for analyzer in [index::analysis::GERMAN, index::analysis::GERMAN_EXACT] {
        let mut n_tokens = 0u64;
        index::analysis::for_each_token(analyzer, &text, |_| n_tokens += 1);
        group.bench_function(analyzer, |b| {
            b.iter(|| {
                let mut count = 0u64;
                index::analysis::for_each_token(analyzer, &text, |_| count += 1);
                assert_eq!(count, n_tokens);
            })
        });
    }
    group.finish();
}

/// Splitting speed without caches: the distinct capitalised words of the text, each split once
/// per iteration.
fn splitting(c: &mut Criterion) {
    let text = council_text();
    let mut words: Vec<&str> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| word.len() >= 6 && word.chars().next().is_some_and(char::is_uppercase))
        .collect();
    words.sort_unstable();
    words.dedup();
    let n_split = words
        .iter()
        .filter(|word| !index::analysis::compound_parts(word).is_empty())
        .count();
    assert!(
        n_split > 100,
        "only {n_split} of {} words split",
        words.len()
    );
    let mut group = c.benchmark_group("compound");
    group.throughput(Throughput::Elements(words.len() as u64));
    group.sample_size(10);
    group.bench_function("split distinct words", |b| {
        b.iter(|| {
            let split = words
                .iter()
                .filter(|word| !index::analysis::compound_parts(word).is_empty())
                .count();
            assert_eq!(split, n_split);
        })
    });
    group.finish();
}

criterion_group!(benches, analyzers, splitting);
criterion_main!(benches);
