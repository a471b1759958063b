//! The ratsuche binary: a thin shell around [`ratsuche::cli::run`].

use clap::Parser;

/// mimalloc instead of glibc's malloc: glibc gives every thread that allocates its own arena
/// and keeps freed memory in it, and an ingest runs many threads (parsing, tantivy's indexing
/// and merge threads, renewed at every commit). At 100,000 papers that fragmentation took the
/// peak of the process's own memory to 1.15 GB; with glibc limited to two arenas it was
/// 0.39 GB (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    ratsuche::install_logging();
    let cli = ratsuche::cli::Cli::parse();
    match ratsuche::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::from(2)
        }
    }
}
