//! Values computed once per segment and kept while readers use the segment.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use tantivy::index::SegmentId;
use tantivy::{Searcher, SearcherGeneration, SegmentReader, Warmer};

/// Least documents in the segments to load for [`SegmentCache::warm`] to use more than one
/// thread: each thread keeps its own allocator pages (about 13 MB more memory at 100,000
/// papers for 10 ms less to the first answer; at a million papers 19 MB for 0.11 s).
const PARALLEL_WARM_DOCS: u64 = 250_000;

/// What a [`SegmentCache`] keeps per segment.
pub(crate) trait PerSegment: Send + Sync + 'static {
    /// Reads the value of `segment`.
    fn load(segment: &SegmentReader) -> tantivy::Result<Self>
    where
        Self: Sized;
}

/// One `T` per segment that readers currently use. Registered as a tantivy warmer, so a reload
/// loads new segments before searches see them and forgets merged ones.
pub(crate) struct SegmentCache<T> {
    segments: RwLock<HashMap<SegmentId, Arc<T>>>,
}

impl<T> Default for SegmentCache<T> {
    fn default() -> SegmentCache<T> {
        SegmentCache {
            segments: RwLock::new(HashMap::new()),
        }
    }
}

impl<T: PerSegment> SegmentCache<T> {
    /// The value of `segment`, loaded now if no warmer did.
    pub(crate) fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<T>> {
        let id = segment.segment_id();
        if let Some(value) = self.read_lock().get(&id) {
            return Ok(Arc::clone(value));
        }
        let value = Arc::new(T::load(segment)?);
        self.write_lock().insert(id, Arc::clone(&value));
        Ok(value)
    }

    fn read_lock(&self) -> RwLockReadGuard<'_, HashMap<SegmentId, Arc<T>>> {
        // A panic while holding the lock cannot leave the map half-updated.
        self.segments
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_lock(&self) -> RwLockWriteGuard<'_, HashMap<SegmentId, Arc<T>>> {
        self.segments
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<T: PerSegment> Warmer for SegmentCache<T> {
    /// Loads the segments not loaded yet, largest first, on up to one thread per core when
    /// they hold [`PARALLEL_WARM_DOCS`]: at a million papers this is most of the time from
    /// opening the index to its first answer.
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        let mut missing: Vec<&SegmentReader> = {
            let loaded = self.read_lock();
            searcher
                .segment_readers()
                .iter()
                .filter(|segment| !loaded.contains_key(&segment.segment_id()))
                .collect()
        };
        missing.sort_by_key(|segment| std::cmp::Reverse(segment.max_doc()));
        let docs: u64 = missing
            .iter()
            .map(|segment| u64::from(segment.max_doc()))
            .sum();
        let threads = if docs >= PARALLEL_WARM_DOCS {
            std::thread::available_parallelism()
                .map_or(1, usize::from)
                .min(missing.len())
        } else {
            1
        };
        self.load_all(&missing, threads)
    }

    fn garbage_collect(&self, live_generations: &[&SearcherGeneration]) {
        let live: HashSet<SegmentId> = live_generations
            .iter()
            .flat_map(|generation| generation.segments().keys().copied())
            .collect();
        self.write_lock().retain(|id, _| live.contains(id));
    }
}

impl<T: PerSegment> SegmentCache<T> {
    /// Loads `segments` on `threads` threads, each taking the next segment not taken yet.
    fn load_all(&self, segments: &[&SegmentReader], threads: usize) -> tantivy::Result<()> {
        if threads <= 1 {
            return segments
                .iter()
                .try_for_each(|segment| self.get(segment).map(drop));
        }
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| loop {
                        let Some(segment) = segments.get(next.fetch_add(1, Ordering::Relaxed))
                        else {
                            return Ok(());
                        };
                        self.get(segment)?;
                    })
                })
                .collect();
            workers.into_iter().try_for_each(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, STORED};
    use tantivy::{doc, Index};

    /// The number of documents of a segment, and the thread that counted them.
    struct Docs(u32, std::thread::ThreadId);

    impl PerSegment for Docs {
        fn load(segment: &SegmentReader) -> tantivy::Result<Docs> {
            Ok(Docs(segment.max_doc(), std::thread::current().id()))
        }
    }

    #[test]
    fn every_segment_is_loaded_once_on_each_count_of_threads() {
        let mut schema = Schema::builder();
        let number = schema.add_u64_field("n", STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for size in [3, 1, 2, 5] {
            for n in 0..size {
                writer.add_document(doc!(number => n as u64)).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        let segments: Vec<&SegmentReader> = searcher.segment_readers().iter().collect();
        assert_eq!(segments.len(), 4);
        for threads in [1, 2, 3, 8] {
            let cache = SegmentCache::<Docs>::default();
            cache.load_all(&segments, threads).unwrap();
            let loaded = cache.read_lock();
            let mut sizes: Vec<u32> = loaded.values().map(|docs| docs.0).collect();
            sizes.sort_unstable();
            assert_eq!(sizes, [1, 2, 3, 5], "threads: {threads}");
            let workers: HashSet<_> = loaded.values().map(|docs| docs.1).collect();
            let on_caller = workers.contains(&std::thread::current().id());
            assert_eq!(on_caller, threads == 1, "threads: {threads}");
        }
    }
}
