//! German search features at the command line: a city's synonyms file, "did you mean" and
//! the reasons why a hit matched.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::seed_text;

fn ratsuche() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ratsuche"))
}

/// Runs `ratsuche search` on `index_dir` with `args` and checks that it succeeded.
fn search(index_dir: &Path, args: &[&str]) -> Output {
    let output = ratsuche()
        .args(["search", "--index"])
        .arg(index_dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn synonyms_file_did_you_mean_and_matched() {
    let Some(seed) = seed_text() else { return };
    let work = tempfile::tempdir().unwrap();
    let seed_path = work.path().join("seed.txt");
    std::fs::write(&seed_path, seed).unwrap();
    let index_dir = work.path().join("index");
    let output = ratsuche()
        .args(["ingest", "--index"])
        .arg(&index_dir)
        .arg(&seed_path)
        .output()
        .unwrap();
    assert!(output.status.success());

    // A word only the city's list knows.
    let synonyms_path = work.path().join("synonyms.txt");
    std::fs::write(&synonyms_path, "# Stadt Leipzig\nHeimbüro | Telearbeit\n").unwrap();
    let plain = search(&index_dir, &["--json", "Heimbüro"]);
    let json: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(json["total"], 0);
    assert!(json["did_you_mean"].is_null());
    let synonyms_flag = synonyms_path.to_str().unwrap();
    let extended = search(
        &index_dir,
        &["--json", "--synonyms", synonyms_flag, "Heimbüro"],
    );
    let json: serde_json::Value = serde_json::from_slice(&extended.stdout).unwrap();
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["matched"][0]["kind"], "synonym");
    assert_eq!(json["hits"][0]["matched"][0]["query"], "Heimbüro");

    // A typo: the corrected query is offered and answered.
    let typo = search(&index_dir, &["Telearbiet"]);
    let stdout = String::from_utf8_lossy(&typo.stdout);
    assert!(stdout.starts_with("Did you mean: Telearbeit?"), "{stdout}");
    assert!(stdout.contains("[Telearbeit]"), "{stdout}");
    let typo = search(&index_dir, &["--json", "Telearbiet"]);
    let json: serde_json::Value = serde_json::from_slice(&typo.stdout).unwrap();
    assert_eq!(json["did_you_mean"], "Telearbeit");
    assert_eq!(json["hits"][0]["matched"][0]["kind"], "fuzzy");

    // A question the paper answers with only some of its words.
    let question = search(
        &index_dir,
        &["--json", "Wie viel Telearbeit gibt es in Dresden?"],
    );
    let json: serde_json::Value = serde_json::from_slice(&question.stdout).unwrap();
    assert_eq!(json["total"], 1);
    assert_eq!(json["partial"]["words"], 2);
    assert_eq!(json["partial"]["left_out"], serde_json::json!(["Dresden"]));
    let question = search(&index_dir, &["Wie viel Telearbeit gibt es in Dresden?"]);
    let stdout = String::from_utf8_lossy(&question.stdout);
    assert!(
        stdout.starts_with("No paper holds all 2 words; showing papers without: Dresden."),
        "{stdout}"
    );
    let whole = search(&index_dir, &["--json", "Telearbeit"]);
    let json: serde_json::Value = serde_json::from_slice(&whole.stdout).unwrap();
    assert!(json["partial"].is_null());

    // A missing synonyms file is an error that names it.
    let output = ratsuche()
        .args(["search", "--index"])
        .arg(&index_dir)
        .args(["--synonyms", "/nonexistent/synonyms.txt", "Telearbeit"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/synonyms.txt"));
}
