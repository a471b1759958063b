//! Repository rules, checked as tests.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.starts_with("target") {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, files);
        } else if name.ends_with(".rs") {
            files.push(path);
        }
    }
}

fn workspace_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "index", "ingest", "tests", "benches"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 10, "found only {} files", files.len());
    files
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    for path in workspace_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("//!"),
            "{} does not start with //!",
            path.display()
        );
    }
}

#[test]
fn no_debug_macros_are_left_behind() {
    let needle = concat!("dbg", "!(");
    for path in workspace_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains(needle),
            "{} contains {needle}",
            path.display()
        );
    }
}

#[test]
fn index_and_ingest_do_not_depend_on_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (krate, other) in [("index", "ingest"), ("ingest", "index")] {
        let manifest = std::fs::read_to_string(root.join(krate).join("Cargo.toml")).unwrap();
        let depends = manifest.lines().any(|line| {
            line.trim_start().starts_with(&format!("{other}."))
                || line.trim_start().starts_with(&format!("{other} ="))
        });
        assert!(!depends, "{krate} depends on {other}");
    }
}

#[test]
fn no_tantivy_outside_the_index_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in workspace_files() {
        if path.starts_with(root.join("index")) || path.starts_with(root.join("benches")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let needle = concat!("tantivy", "::");
        assert!(
            !text.contains(needle),
            "{} uses tantivy directly",
            path.display()
        );
    }
}

#[test]
fn readme_starts_with_the_two_set_up_commands() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands: Vec<&str> = readme
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("cargo "))
        .take(2)
        .collect();
    assert_eq!(commands.first(), Some(&"cargo run --release -- demo"));
    assert!(commands
        .get(1)
        .is_some_and(|command| command.starts_with("cargo test")));
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    assert!(
        ci.contains(commands[1]),
        ".ci/run does not run the README's test command"
    );
}
