//! Values computed once per segment and kept while readers use the segment.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use tantivy::index::SegmentId;
use tantivy::{Searcher, SearcherGeneration, SegmentReader, Warmer};

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
    /// Loads the segments not loaded yet on up to one thread per core, largest first: at a
    /// million papers this is most of the time from opening the index to its first answer.
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
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(missing.len());
        if threads <= 1 {
            return missing
                .into_iter()
                .try_for_each(|segment| self.get(segment).map(drop));
        }
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| loop {
                        let Some(segment) = missing.get(next.fetch_add(1, Ordering::Relaxed))
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

    fn garbage_collect(&self, live_generations: &[&SearcherGeneration]) {
        let live: HashSet<SegmentId> = live_generations
            .iter()
            .flat_map(|generation| generation.segments().keys().copied())
            .collect();
        self.write_lock().retain(|id, _| live.contains(id));
    }
}
