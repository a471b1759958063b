//! The command line, run as a user runs it.

use std::process::Command;

use crate::support::seed_text;

fn ratsuche() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ratsuche"))
}

#[test]
fn ingest_then_search_prints_hits_and_json() {
    let Some(seed) = seed_text() else { return };
    let work = tempfile::tempdir().unwrap();
    let seed_path = work.path().join("seed.txt");
    std::fs::write(&seed_path, seed).unwrap();
    let broken = work.path().join("broken.json");
    std::fs::write(&broken, "[{").unwrap();
    let index_dir = work.path().join("index");

    let output = ratsuche()
        .args(["ingest", "--index"])
        .arg(&index_dir)
        .arg(&seed_path)
        .arg(&broken)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("ingested 1 papers"), "{stdout}");
    assert!(
        stdout.contains("failed 1") && stdout.contains("broken.json"),
        "{stdout}"
    );

    let output = ratsuche()
        .args(["search", "--index"])
        .arg(&index_dir)
        .args(["--fraction", "SPD-Fraktion", "Telearbeit"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(stdout.starts_with("1 hits"), "{stdout}");
    assert!(
        stdout.contains("VII-F-01504") && stdout.contains("[Telearbeit]"),
        "{stdout}"
    );

    let output = ratsuche()
        .args(["search", "--json", "--index"])
        .arg(&index_dir)
        .args(["--type", "Anfrage", "--from", "2020-01-01", "Telearbeit"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["fraction"], "SPD-Fraktion");
    assert!(json["facets"]["type"].is_array());

    let output = ratsuche()
        .args(["search", "--index"])
        .arg(&index_dir)
        .args(["--from", "20.01.2020", "Telearbeit"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn ingest_fails_when_nothing_could_be_ingested() {
    let work = tempfile::tempdir().unwrap();
    let broken = work.path().join("broken.html");
    std::fs::write(&broken, "<html><body>nothing</body></html>").unwrap();
    let output = ratsuche()
        .args(["ingest", "--index"])
        .arg(work.path().join("index"))
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("ingested 0 papers") && stdout.contains("failed 1"),
        "{stdout}"
    );
}

#[test]
fn extract_prints_pages_separated_by_form_feed() {
    let work = tempfile::tempdir().unwrap();
    let pdf_path = work.path().join("two-pages.pdf");
    let paragraphs: Vec<String> = (1..=30)
        .map(|n| format!("Absatz {n} über die Kongreßhalle und Lärmschutzwände."))
        .collect();
    std::fs::write(
        &pdf_path,
        ratsuche::corpus::render_pdf("Anlage", &paragraphs),
    )
    .unwrap();
    let output = ratsuche().arg("extract").arg(&pdf_path).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let pages: Vec<&str> = text.split('\x0c').collect();
    assert_eq!(
        pages.len(),
        3,
        "two pages and the empty rest after the last form feed"
    );
    assert!(
        pages[0].contains("Absatz 1 über die Kongreßhalle und Lärmschutzwände."),
        "{text}"
    );
    assert!(pages[1].contains("Absatz 30"), "{text}");

    let output = ratsuche()
        .args(["extract", "--json"])
        .arg(&pdf_path)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["pages"][1]["page"], 2);
    assert_eq!(json["pages"][1]["method"], "text_layer");
    assert!(json["pages"][1]["text"]
        .as_str()
        .unwrap()
        .contains("Absatz 30"));
}
