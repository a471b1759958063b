//! `ratsuche backup`: a consistent copy of an index folder, taken while it is served and while
//! an ingest or sync commits.
//!
//! The index folder holds plain files (the format marker, the sync state) and two tantivy
//! parts, each a folder with a `meta.json` that names the segments of its last commit. Segment
//! files never change once written; a commit writes new ones and then replaces `meta.json`,
//! and later the writer's garbage collection deletes files no commit needs any more. So a copy
//! reads both `meta.json` files, copies exactly the segment files they name, and writes the
//! `meta.json` it read last. If a file vanished meanwhile (merged away and collected), or the
//! two parts come from different commits (the copy fell between the two commits of one
//! generation), it starts over.
//!
//! The sync state is copied before the index, so a restored folder never claims more sync
//! progress than its index holds: the next sync then reads a few pages again, which is safe.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;

/// How often a copy starts over before it gives up.
const MAX_ATTEMPTS: usize = 50;
/// The name of a tantivy part's commit file.
const META_FILE: &str = "meta.json";

/// What a backup copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// The commit generation the copy holds (`None` when its parts differ, see below).
    pub generation: Option<u64>,
    /// Papers in the copy.
    pub papers: u64,
    /// Files copied.
    pub files: usize,
    /// Bytes copied.
    pub bytes: u64,
    /// Attempts needed (a concurrent commit makes a copy start over).
    pub attempts: usize,
}

impl std::fmt::Display for BackupSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let generation = self
            .generation
            .map_or_else(|| "mixed".to_string(), |generation| generation.to_string());
        writeln!(
            f,
            "backed up {} papers (commit {generation}): {} files, {} bytes, {} attempt(s)",
            self.papers, self.files, self.bytes, self.attempts
        )
    }
}

/// Copies the index in `index_dir` into `out`, which must not exist yet. The copy is written
/// beside `out` and renamed into place when complete and verified (it opens as an index).
pub fn backup(index_dir: &Path, out: &Path) -> anyhow::Result<BackupSummary> {
    if out.exists() {
        anyhow::bail!("the backup folder {} exists already", out.display());
    }
    let parent = out.parent().filter(|parent| !parent.as_os_str().is_empty());
    let partial = PathBuf::from(format!("{}.partial", out.display()));
    if partial.exists() {
        std::fs::remove_dir_all(&partial)
            .with_context(|| format!("failed to remove {}", partial.display()))?;
    }
    if let Some(parent) = parent {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("failed to create {}", parent.display()))?;
    }
    let mut summary = copy_consistent(index_dir, &partial)?;
    let copy = index::Index::open(&partial)
        .with_context(|| format!("the copy in {} does not open", partial.display()))?;
    summary.papers = copy.num_papers();
    summary.generation = copy.generation();
    drop(copy);
    std::fs::rename(&partial, out)
        .with_context(|| format!("failed to move the copy to {}", out.display()))?;
    tracing::info!(
        papers = summary.papers,
        generation = ?summary.generation,
        files = summary.files,
        "backup done"
    );
    Ok(summary)
}

/// What one part's `meta.json` said when it was read.
struct PartSnapshot {
    dir: PathBuf,
    meta: Vec<u8>,
    /// The segment ids as they prefix file names (32 hex digits, no dashes).
    segments: Vec<String>,
    generation: Option<String>,
}

fn copy_consistent(index_dir: &Path, partial: &Path) -> anyhow::Result<BackupSummary> {
    let started = Instant::now();
    let mut last_error = None;
    for attempt in 1..=MAX_ATTEMPTS {
        if partial.exists() {
            std::fs::remove_dir_all(partial)
                .with_context(|| format!("failed to clear {}", partial.display()))?;
        }
        std::fs::create_dir_all(partial)
            .with_context(|| format!("failed to create {}", partial.display()))?;
        match copy_once(index_dir, partial, attempt == MAX_ATTEMPTS) {
            Ok(Some(mut summary)) => {
                summary.attempts = attempt;
                return Ok(summary);
            }
            Ok(None) => {}
            Err(error) => last_error = Some(error),
        }
        // A commit or a merge is under way: give it a moment.
        std::thread::sleep(Duration::from_millis(20 * attempt.min(10) as u64));
    }
    let reason = last_error.map_or_else(
        || "commits kept changing it".to_string(),
        |error| format!("{error:#}"),
    );
    anyhow::bail!(
        "no consistent copy of {} after {MAX_ATTEMPTS} attempts in {:.1} s: {reason}",
        index_dir.display(),
        started.elapsed().as_secs_f64()
    )
}

/// One attempt: `Ok(None)` when it has to start over. With `accept_mixed`, parts of
/// different generations are copied as they are (what a crash between two commits leaves,
/// which the index tolerates), so a folder that no writer will repair can still be copied.
fn copy_once(
    index_dir: &Path,
    partial: &Path,
    accept_mixed: bool,
) -> anyhow::Result<Option<BackupSummary>> {
    let mut summary = BackupSummary {
        generation: None,
        papers: 0,
        files: 0,
        bytes: 0,
        attempts: 0,
    };
    let mut part_dirs = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(index_dir)
        .with_context(|| format!("failed to list {}", index_dir.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("failed to list {}", index_dir.display()))?;
    entries.sort_by_key(|entry| entry.file_name());
    // Plain files first (the sync state must not be newer than the index it describes).
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        if path.join(META_FILE).is_file() {
            part_dirs.push(path);
        } else if path.is_file() && !is_lock(&name.to_string_lossy()) {
            summary.bytes += copy_file(&path, &partial.join(&name))?;
            summary.files += 1;
        }
    }
    let mut parts = Vec::new();
    for dir in part_dirs {
        parts.push(read_part(&dir)?);
    }
    let generations: Vec<&Option<String>> = parts.iter().map(|part| &part.generation).collect();
    if !accept_mixed && generations.windows(2).any(|pair| pair[0] != pair[1]) {
        return Ok(None);
    }
    for part in &parts {
        let name = part
            .dir
            .file_name()
            .context("an index part has no folder name")?;
        let target = partial.join(name);
        std::fs::create_dir_all(&target)
            .with_context(|| format!("failed to create {}", target.display()))?;
        for entry in std::fs::read_dir(&part.dir)
            .with_context(|| format!("failed to list {}", part.dir.display()))?
        {
            let entry = entry?;
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if !part
                .segments
                .iter()
                .any(|segment| file_name.starts_with(segment.as_str()))
            {
                continue;
            }
            match copy_file(&entry.path(), &target.join(&file_name)) {
                Ok(bytes) => {
                    summary.bytes += bytes;
                    summary.files += 1;
                }
                // Merged away and collected since the listing: start over.
                Err(error) if is_not_found(&error) => return Ok(None),
                Err(error) => return Err(error),
            }
        }
        // Every file the snapshot names must be there.
        for segment in &part.segments {
            let present = std::fs::read_dir(&target)?.flatten().any(|entry| {
                entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with(segment.as_str())
            });
            if !present {
                return Ok(None);
            }
        }
        let meta_path = target.join(META_FILE);
        std::fs::write(&meta_path, &part.meta)
            .with_context(|| format!("failed to write {}", meta_path.display()))?;
        summary.files += 1;
        summary.bytes += part.meta.len() as u64;
    }
    // The snapshot is complete only if no segment it names was collected while we copied
    // (a file can be listed, then deleted before it is opened: caught above as not found).
    Ok(Some(summary))
}

fn read_part(dir: &Path) -> anyhow::Result<PartSnapshot> {
    let meta_path = dir.join(META_FILE);
    let meta = std::fs::read(&meta_path)
        .with_context(|| format!("failed to read {}", meta_path.display()))?;
    let parsed: serde_json::Value = serde_json::from_slice(&meta)
        .with_context(|| format!("{} is not JSON", meta_path.display()))?;
    let segments = parsed["segments"]
        .as_array()
        .map(|segments| {
            segments
                .iter()
                .filter_map(|segment| segment["segment_id"].as_str())
                .map(|id| id.replace('-', ""))
                .collect()
        })
        .unwrap_or_default();
    let generation = parsed["payload"].as_str().map(str::to_string);
    Ok(PartSnapshot {
        dir: dir.to_path_buf(),
        meta,
        segments,
        generation,
    })
}

fn is_lock(name: &str) -> bool {
    name.ends_with(".lock")
}

fn is_not_found(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|error| error.kind() == std::io::ErrorKind::NotFound)
}

/// Copies one file and flushes it to disk; returns its size.
fn copy_file(from: &Path, to: &Path) -> anyhow::Result<u64> {
    let bytes = std::fs::copy(from, to)?;
    std::fs::File::open(to)?.sync_all()?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, expected: bool) {
        assert_eq!(is_lock(name), expected, "{name}");
    }

    #[test]
    fn lock_files_are_not_copied() {
        check(".tantivy-writer.lock", true);
        check(".tantivy-meta.lock", true);
        check("meta.json", false);
        check("sync-state.json", false);
    }
}
