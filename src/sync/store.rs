//! The OParl objects a sync has seen (bodies, organizations, persons, meetings, papers), kept in
//! the index folder as `sync-objects.jsonl` so that later runs, which fetch only what changed,
//! still name the committees, meetings and results of the papers they map.
//!
//! The file is a log: each committed page appends its objects, one JSON object a line, and a
//! later line wins over an earlier one (the catalog keeps the newer `modified`). When the log
//! has grown to several times the objects it holds, it is rewritten (compacted) atomically.
//! File text is left out: it lives in the index.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use ingest::oparl::{Catalog, Kind, Object};
use serde_json::Value;

use super::state::write_atomically;

/// The name of the object log in the index folder.
pub(crate) const OBJECTS_FILE: &str = "sync-objects.jsonl";
/// The kinds kept: the ones a sync fetches as lists. Embedded objects (consultations, agenda
/// items, files, locations) come along inside them.
const KINDS: [Kind; 5] = [
    Kind::Body,
    Kind::Organization,
    Kind::Person,
    Kind::Meeting,
    Kind::Paper,
];

/// The object log of one index folder.
pub(crate) struct Store {
    path: PathBuf,
    n_lines: usize,
}

impl Store {
    /// Reads the log into `catalog`. Lines that cannot be read (the last one, cut by a crash)
    /// are skipped.
    pub(crate) fn load(dir: &Path, catalog: &mut Catalog) -> anyhow::Result<Store> {
        let path = dir.join(OBJECTS_FILE);
        let mut n_lines = 0;
        match std::fs::File::open(&path) {
            Ok(file) => {
                for line in std::io::BufReader::new(file).split(b'\n') {
                    let line =
                        line.with_context(|| format!("failed to read {}", path.display()))?;
                    if line.is_empty() {
                        continue;
                    }
                    n_lines += 1;
                    if let Err(error) = catalog.add(OBJECTS_FILE, &line) {
                        tracing::warn!(%error, "skipping an unreadable line of the object log");
                    }
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(error).with_context(|| format!("failed to open {}", path.display()))
            }
        }
        Ok(Store { path, n_lines })
    }

    /// Appends objects to the log and flushes it to disk.
    pub(crate) fn append(&mut self, objects: &[Object]) -> anyhow::Result<()> {
        if objects.is_empty() {
            return Ok(());
        }
        let mut buffer = Vec::new();
        for object in objects {
            buffer.extend(line(object)?);
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .with_context(|| format!("failed to open {}", self.path.display()))?;
        file.write_all(&buffer)
            .and_then(|()| file.sync_data())
            .with_context(|| format!("failed to write {}", self.path.display()))?;
        self.n_lines += objects.len();
        Ok(())
    }

    /// Rewrites the log with one line per object of `catalog` when it holds more than twice
    /// as many lines.
    pub(crate) fn compact_if_grown(&mut self, catalog: &Catalog) -> anyhow::Result<()> {
        let n_objects: usize = KINDS
            .iter()
            .map(|&kind| catalog.objects(kind).count())
            .sum();
        if self.n_lines <= 2 * n_objects + 1_000 {
            return Ok(());
        }
        let mut buffer = Vec::new();
        for kind in KINDS {
            for object in catalog.objects(kind) {
                buffer.extend(line(object)?);
            }
        }
        write_atomically(&self.path, &buffer)?;
        tracing::info!(
            lines = self.n_lines,
            objects = n_objects,
            "object log compacted"
        );
        self.n_lines = n_objects;
        Ok(())
    }
}

/// One object as a line of the log: file text dropped, and the `type` written even where the
/// server left it out (Sternberg's deletion stubs), so that the line reads back as its kind.
fn line(object: &Object) -> anyhow::Result<Vec<u8>> {
    let mut value = serde_json::to_value(object).context("failed to serialise an object")?;
    drop_file_text(&mut value);
    if let Value::Object(map) = &mut value {
        if !map.contains_key("type") {
            let type_uri = format!("https://schema.oparl.org/1.1/{}", object.kind().name());
            map.insert("type".to_string(), Value::String(type_uri));
        }
    }
    let mut bytes = serde_json::to_vec(&value).context("failed to serialise an object")?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Removes `text` from every embedded File (they carry `accessUrl` or a File type).
fn drop_file_text(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let is_file = map.contains_key("accessUrl")
                || map
                    .get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|type_uri| type_uri.ends_with("/File"));
            if is_file {
                map.remove("text");
            }
            for child in map.values_mut() {
                drop_file_text(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_file_text),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use ingest::oparl::{Meeting, Paper};

    use super::*;

    const PAGE: &str = r#"{"data": [
        {"id": "https://x/paper/1", "type": "https://schema.oparl.org/1.0/Paper",
         "reference": "1/2024", "modified": "2024-01-01T00:00:00+01:00",
         "mainFile": {"id": "https://x/file/1", "accessUrl": "https://x/f/1.pdf", "text": "long"},
         "consultation": [{"id": "https://x/consultation/1", "meeting": "https://x/meeting/1"}]},
        {"id": "https://x/paper/2", "deleted": true}
    ]}"#;

    #[test]
    fn objects_survive_the_log_without_file_text() {
        let dir = tempfile::tempdir().unwrap();
        let document = ingest::oparl::read("page", PAGE.as_bytes()).unwrap();
        let meeting = ingest::oparl::read(
            "meeting",
            br#"{"id": "https://x/meeting/1", "type": "https://schema.oparl.org/1.0/Meeting",
                 "start": "2024-02-01T18:00:00+01:00",
                 "agendaItem": [{"id": "https://x/item/1", "result": "beschlossen"}]}"#,
        )
        .unwrap();
        let mut store = Store::load(dir.path(), &mut Catalog::default()).unwrap();
        store.append(&document.objects).unwrap();
        store.append(&meeting.objects).unwrap();

        let mut catalog = Catalog::default();
        Store::load(dir.path(), &mut catalog).unwrap();
        let paper = catalog.get::<Paper>("https://x/paper/1").unwrap();
        assert_eq!(paper.reference.as_deref(), Some("1/2024"));
        let file = paper.main_file.as_ref().unwrap().object().unwrap();
        assert_eq!(file.text, None);
        assert_eq!(file.access_url.as_deref(), Some("https://x/f/1.pdf"));
        // The stub without type reads back as a deleted paper; embedded objects come back too.
        assert!(catalog.get::<Paper>("https://x/paper/2").unwrap().deleted == Some(true));
        assert!(catalog.get::<Meeting>("https://x/meeting/1").is_some());
        assert_eq!(
            catalog
                .get::<ingest::oparl::AgendaItem>("https://x/item/1")
                .and_then(|item| item.result.as_deref()),
            Some("beschlossen")
        );
    }

    #[test]
    fn a_cut_last_line_is_skipped_and_the_log_compacts() {
        let dir = tempfile::tempdir().unwrap();
        let document = ingest::oparl::read("page", PAGE.as_bytes()).unwrap();
        let mut store = Store::load(dir.path(), &mut Catalog::default()).unwrap();
        for _ in 0..600 {
            store.append(&document.objects).unwrap();
        }
        let path = dir.path().join(OBJECTS_FILE);
        let mut log = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        log.write_all(b"{\"id\": \"https://x/paper/3\", \"type\": \"Pap")
            .unwrap();
        drop(log);

        let mut catalog = Catalog::default();
        let mut store = Store::load(dir.path(), &mut catalog).unwrap();
        assert_eq!(catalog.objects(Kind::Paper).count(), 2);
        store.compact_if_grown(&catalog).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2);
        let mut reread = Catalog::default();
        Store::load(dir.path(), &mut reread).unwrap();
        assert_eq!(reread.objects(Kind::Paper).count(), 2);
    }
}
