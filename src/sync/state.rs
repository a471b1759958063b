//! What a sync remembers between runs, kept as `sync-state.json` in the index folder: per list
//! the watermark and the page to fetch next, per file what its text was extracted from.
//!
//! The file is replaced atomically (written beside, then renamed), and only after the index
//! commit it describes, so a sync stopped at any moment resumes at a page it has not committed.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::client::Validators;

/// The name of the state file in the index folder.
pub(crate) const STATE_FILE: &str = "sync-state.json";
/// The version of the state file's layout.
const STATE_VERSION: u32 = 1;

/// Everything a sync keeps between runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct State {
    /// The layout version.
    pub(crate) version: u32,
    /// The crawl position of each list (organizations, meetings, papers …), by the list's URL.
    pub(crate) lists: BTreeMap<String, ListCursor>,
    /// What each file's stored text was made from, by the file's OParl id (else its URL).
    pub(crate) files: BTreeMap<String, FileMark>,
    /// When the current cycle (one pass over every list) began; `None` between cycles.
    pub(crate) cycle_started: Option<DateTime<Utc>>,
    /// Meetings and organizations that changed since their papers were last written: the
    /// papers that name them are written again at the end of the run.
    pub(crate) changed: BTreeSet<String>,
}

/// Where the crawl of one list stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ListCursor {
    /// When the last complete pass over the list started: the next pass asks only for what
    /// was modified since (less the overlap window).
    pub(crate) watermark: Option<DateTime<Utc>>,
    /// When the pass in progress started; it becomes the watermark when the pass completes.
    pub(crate) pass_started: Option<DateTime<Utc>>,
    /// The page to fetch next, while a pass is in progress.
    pub(crate) next: Option<String>,
}

/// What a file's text was extracted from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct FileMark {
    /// The checksum, or size and modification date, the server reported.
    pub(crate) fingerprint: Option<String>,
    /// The URL it was downloaded from.
    pub(crate) url: Option<String>,
    /// The `ETag` of the download.
    pub(crate) etag: Option<String>,
    /// The `Last-Modified` of the download.
    pub(crate) last_modified: Option<String>,
    /// Runs in a row in which the download failed for a reason that waiting might cure.
    pub(crate) failures: u32,
}

impl FileMark {
    /// The validators for a conditional download.
    pub(crate) fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }
}

impl State {
    /// Reads the state from the index folder; a missing file is a fresh start, and so is an
    /// unreadable one (with a warning): a full crawl only costs time.
    pub(crate) fn load(dir: &Path) -> State {
        let path = dir.join(STATE_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return State::fresh(),
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "sync state unreadable, starting afresh");
                return State::fresh();
            }
        };
        match serde_json::from_slice::<State>(&bytes) {
            Ok(state) if state.version == STATE_VERSION => state,
            Ok(state) => {
                tracing::warn!(
                    version = state.version,
                    "sync state of another version, starting afresh"
                );
                State::fresh()
            }
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "sync state unreadable, starting afresh");
                State::fresh()
            }
        }
    }

    fn fresh() -> State {
        State {
            version: STATE_VERSION,
            ..State::default()
        }
    }

    /// Writes the state atomically: a temporary file beside it, flushed, then renamed over it.
    pub(crate) fn save(&self, dir: &Path) -> anyhow::Result<()> {
        let json = serde_json::to_vec(self).context("failed to serialise the sync state")?;
        write_atomically(&dir.join(STATE_FILE), &json)
    }
}

/// Replaces `path` by `bytes` so that a reader sees the old or the new content, never a part.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temporary = temporary_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.with_context(|| format!("failed to write {}", path.display()))
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(state: &State) {
        let dir = tempfile::tempdir().unwrap();
        state.save(dir.path()).unwrap();
        assert_eq!(&State::load(dir.path()), state);
        assert!(!dir.path().join("sync-state.json.tmp").exists());
    }

    #[test]
    fn state_survives_a_round_trip() {
        check(&State::fresh());
        let mut state = State::fresh();
        state.lists.insert(
            "https://x/body/1/paper".to_string(),
            ListCursor {
                watermark: Some("2024-05-01T10:00:00Z".parse().unwrap()),
                pass_started: Some("2024-05-02T10:00:00Z".parse().unwrap()),
                next: Some("https://x/body/1/paper?page=7&modified_since=2024".to_string()),
            },
        );
        state.files.insert(
            "https://x/file/1".to_string(),
            FileMark {
                fingerprint: Some("sha512:abc".to_string()),
                url: Some("https://x/file/1.pdf".to_string()),
                etag: Some("\"v1\"".to_string()),
                last_modified: None,
                failures: 2,
            },
        );
        state.changed.insert("https://x/meeting/3".to_string());
        state.cycle_started = Some("2024-05-02T09:59:00Z".parse().unwrap());
        check(&state);
    }

    #[test]
    fn missing_or_broken_state_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(State::load(dir.path()), State::fresh());
        std::fs::write(dir.path().join(STATE_FILE), b"{\"lists\": [").unwrap();
        assert_eq!(State::load(dir.path()), State::fresh());
        std::fs::write(dir.path().join(STATE_FILE), b"{\"version\": 99}").unwrap();
        assert_eq!(State::load(dir.path()), State::fresh());
    }

    #[test]
    fn atomic_writes_replace_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file.json");
        write_atomically(&path, b"a long first version").unwrap();
        write_atomically(&path, b"short").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"short");
        // A folder that does not exist is an error, not a panic, and leaves nothing behind.
        let missing = dir.path().join("missing/file.json");
        assert!(write_atomically(&missing, b"x").is_err());
    }
}
