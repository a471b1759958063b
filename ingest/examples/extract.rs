//! Prints the text of a PDF like `pdftotext FILE -` (pages end with a form feed), or with
//! `--json` one object per page with its text, method and reason.
//!
//! Usage: `cargo run --release -p ingest --example extract -- [--json] [--no-ocr] FILE.pdf`

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut json = false;
    let mut path = None;
    let mut options = ingest::pdf::Options::default();
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "--json" => json = true,
            "--no-ocr" => options.ocr = None,
            _ => path = Some(argument),
        }
    }
    let Some(path) = path else {
        eprintln!("usage: extract [--json] [--no-ocr] FILE.pdf");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("failed to read {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let extraction = match ingest::pdf::extract(&bytes, &options) {
        Ok(extraction) => extraction,
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    for warning in &extraction.warnings {
        eprintln!("warning: {}", warning.message);
    }
    if json {
        match serde_json::to_string_pretty(&extraction.pages) {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("failed to write json: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let mut out = String::new();
        for page in &extraction.pages {
            out.push_str(&page.text);
            out.push('\n');
            out.push('\x0c');
        }
        print!("{out}");
    }
    ExitCode::SUCCESS
}
