//! One pass over the matching papers: filters, multi-select facet counts and the top hits.
//!
//! The text query runs without the facet filters. For every matching paper the collector
//! reads its facet values and checks each filter: a paper that passes all of them is counted
//! in the total, ranked and counted in every facet; a paper that fails exactly one filter is
//! counted only in that filter's facet (a facet ignores its own filter, so users can widen a
//! multi-select); a paper that fails two or more is skipped. The date range is the year
//! facet's filter. The facet values of a segment are copied from the fast fields into plain
//! arrays when a reader first loads the segment ([`FacetCache`], a tantivy warmer), and filter
//! values become value ordinals once per segment, so the per-paper work is a few array reads
//! and integer comparisons.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{
    DocAddress, DocId, Score, Searcher, SearcherGeneration, SegmentOrdinal, SegmentReader, Warmer,
};

use crate::schema;
use crate::{FacetCount, Facets, Sort};

/// Most values returned per facet.
const MAX_FACET_VALUES: usize = 200;

/// The string facets, in the order of [`Filters::values`] and [`FacetTotals::values`].
const STRING_FACETS: [&str; 5] = [
    schema::TYPE,
    schema::FRACTION,
    schema::GREMIUM,
    schema::BODY,
    schema::STATUS,
];
/// Index of the year facet among all facets (after the string facets).
const YEAR_FACET: usize = STRING_FACETS.len();

/// The filters of a search.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filters {
    /// Accepted values per string facet (empty: no filter), in [`STRING_FACETS`] order.
    pub(crate) values: [Vec<String>; 5],
    /// Inclusive range of days from the common era.
    pub(crate) days: Option<(i64, i64)>,
}

/// Facet counts by value, for the string facets and the year.
#[derive(Debug, Clone, Default)]
pub(crate) struct FacetTotals {
    values: [HashMap<String, u64>; 5],
    years: HashMap<u64, u64>,
}

/// A ranked paper.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    /// The relevance score (0 without a text query).
    pub(crate) score: Score,
    /// Where the paper is.
    pub(crate) address: DocAddress,
    /// Main sort key, higher first.
    primary: f64,
    /// Tie-breaker, higher first.
    secondary: f64,
}

impl Ranked {
    fn cmp_rank(&self, other: &Ranked) -> Ordering {
        self.primary
            .total_cmp(&other.primary)
            .then(self.secondary.total_cmp(&other.secondary))
            // Earlier documents first on full ties, for stable pages.
            .then(other.address.cmp(&self.address))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Ranked) -> bool {
        self.cmp_rank(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Ranked) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    /// Reversed, so that a [`BinaryHeap`] keeps the worst ranked paper on top.
    fn cmp(&self, other: &Ranked) -> Ordering {
        other.cmp_rank(self)
    }
}

/// What one search collects.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    /// Papers that pass every filter.
    pub(crate) total: u64,
    /// The best `top_n` papers, best first.
    pub(crate) top: Vec<Ranked>,
    /// Facet counts.
    pub(crate) facets: FacetTotals,
}

/// The collector of a search.
pub(crate) struct SearchCollector {
    filters: Filters,
    sort: Sort,
    top_n: usize,
    scoring: bool,
    cache: Arc<FacetCache>,
}

impl SearchCollector {
    /// Collects the `top_n` best papers by `sort`; `scoring` says whether scores matter.
    pub(crate) fn new(
        filters: Filters,
        sort: Sort,
        top_n: usize,
        scoring: bool,
        cache: Arc<FacetCache>,
    ) -> Self {
        SearchCollector {
            filters,
            sort,
            top_n,
            scoring,
            cache,
        }
    }
}

/// The facet values of every document of one segment, read once from the fast fields into
/// plain arrays: counting then costs a few array reads per matching paper instead of column
/// lookups. Segments never change, so this is built once per segment, when a reader loads it.
pub(crate) struct SegmentFacets {
    /// Per string facet, in [`STRING_FACETS`] order.
    strings: [FacetColumn; 5],
    /// Days from the common era per document, [`NO_DAYS`] when undated.
    days: Vec<i32>,
    /// Year per document, 0 when undated.
    years: Vec<u16>,
    /// The smallest and largest year in `years` (other than 0).
    year_range: (u16, u16),
}

/// `days` of an undated paper.
const NO_DAYS: i32 = i32::MIN;

/// The values of one string facet in a segment: value ordinals per document (compressed
/// sparse rows) and the value of each ordinal.
#[derive(Default)]
struct FacetColumn {
    /// `ords[starts[doc]..starts[doc + 1]]` are the ordinals of `doc`.
    starts: Vec<u32>,
    ords: Vec<u32>,
    values: Vec<String>,
}

impl FacetColumn {
    fn read(segment: &SegmentReader, name: &str) -> tantivy::Result<FacetColumn> {
        let Some(column) = segment.fast_fields().str(name)? else {
            return Ok(FacetColumn {
                starts: vec![0; segment.max_doc() as usize + 1],
                ..FacetColumn::default()
            });
        };
        let mut starts = Vec::with_capacity(segment.max_doc() as usize + 1);
        let mut ords = Vec::with_capacity(segment.max_doc() as usize);
        starts.push(0);
        for doc in 0..segment.max_doc() {
            ords.extend(column.term_ords(doc).map(|ord| ord as u32));
            starts.push(ords.len() as u32);
        }
        let mut values = Vec::with_capacity(column.num_terms());
        let mut value = String::new();
        for ord in 0..column.num_terms() as u64 {
            column.ord_to_str(ord, &mut value)?;
            values.push(value.clone());
        }
        Ok(FacetColumn {
            starts,
            ords,
            values,
        })
    }

    fn ords(&self, doc: DocId) -> &[u32] {
        let doc = doc as usize;
        match (self.starts.get(doc), self.starts.get(doc + 1)) {
            (Some(&start), Some(&end)) => &self.ords[start as usize..end as usize],
            _ => &[],
        }
    }
}

impl SegmentFacets {
    /// Reads the facet values of a segment.
    fn read(segment: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let mut strings = Vec::with_capacity(STRING_FACETS.len());
        for name in STRING_FACETS {
            strings.push(FacetColumn::read(segment, name)?);
        }
        let strings: [FacetColumn; 5] = strings
            .try_into()
            .map_err(|_| tantivy::TantivyError::InternalError("facet count".into()))?;
        let fast_fields = segment.fast_fields();
        let date = fast_fields.column_opt::<i64>(schema::DATE)?;
        let year = fast_fields.column_opt::<u64>(schema::YEAR)?;
        let docs = 0..segment.max_doc();
        let days = docs
            .clone()
            .map(|doc| {
                date.as_ref()
                    .and_then(|column| column.first(doc))
                    .and_then(|days| i32::try_from(days).ok())
                    .unwrap_or(NO_DAYS)
            })
            .collect();
        let years: Vec<u16> = docs
            .map(|doc| {
                year.as_ref()
                    .and_then(|column| column.first(doc))
                    .and_then(|year| u16::try_from(year).ok())
                    .unwrap_or(0)
            })
            .collect();
        let dated = years.iter().copied().filter(|&year| year != 0);
        let year_range = (dated.clone().min().unwrap_or(1), dated.max().unwrap_or(0));
        Ok(SegmentFacets {
            strings,
            days,
            years,
            year_range,
        })
    }

    fn days(&self, doc: DocId) -> Option<i64> {
        match self.days.get(doc as usize) {
            Some(&days) if days != NO_DAYS => Some(i64::from(days)),
            _ => None,
        }
    }
}

/// The [`SegmentFacets`] of the segments that readers currently use. Registered as a tantivy
/// warmer, so a reload reads new segments before searches see them and forgets merged ones.
#[derive(Default)]
pub(crate) struct FacetCache {
    segments: RwLock<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetCache {
    /// The facets of `segment`, read now if no warmer did.
    fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(facets) = self.read_lock().get(&id) {
            return Ok(Arc::clone(facets));
        }
        let facets = Arc::new(SegmentFacets::read(segment)?);
        self.write_lock().insert(id, Arc::clone(&facets));
        Ok(facets)
    }

    fn read_lock(&self) -> RwLockReadGuard<'_, HashMap<SegmentId, Arc<SegmentFacets>>> {
        // A panic while holding the lock cannot leave the map half-updated.
        self.segments
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_lock(&self) -> RwLockWriteGuard<'_, HashMap<SegmentId, Arc<SegmentFacets>>> {
        self.segments
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Warmer for FacetCache {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for segment in searcher.segment_readers() {
            self.get(segment)?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live_generations: &[&SearcherGeneration]) {
        let live: HashSet<SegmentId> = live_generations
            .iter()
            .flat_map(|generation| generation.segments().keys().copied())
            .collect();
        self.write_lock().retain(|id, _| live.contains(id));
    }
}

/// The per-segment part of [`SearchCollector`].
pub(crate) struct SegmentSearchCollector {
    segment_ord: SegmentOrdinal,
    facets: Arc<SegmentFacets>,
    /// Accepted value ordinals per string facet, `None` without a filter.
    accepted: [Option<Vec<u32>>; 5],
    counts: [Vec<u64>; 5],
    days: Option<(i64, i64)>,
    /// Papers per year, from `facets.year_range.0` on.
    year_counts: Vec<u64>,
    total: u64,
    top: BinaryHeap<Ranked>,
    top_n: usize,
    sort: Sort,
}

impl Collector for SearchCollector {
    type Fruit = Collected;
    type Child = SegmentSearchCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentSearchCollector> {
        let facets = self.cache.get(segment)?;
        let accepted = std::array::from_fn(|index| {
            let wanted = &self.filters.values[index];
            (!wanted.is_empty()).then(|| {
                let values = &facets.strings[index].values;
                wanted
                    .iter()
                    .filter_map(|value| values.binary_search(value).ok())
                    .map(|ord| ord as u32)
                    .collect()
            })
        });
        let counts = std::array::from_fn(|index| vec![0; facets.strings[index].values.len()]);
        let (first_year, last_year) = facets.year_range;
        let n_years = usize::from(last_year.saturating_sub(first_year)) + 1;
        Ok(SegmentSearchCollector {
            segment_ord,
            facets,
            accepted,
            counts,
            days: self.filters.days,
            year_counts: vec![0; n_years],
            total: 0,
            top: BinaryHeap::with_capacity(self.top_n.min(10_000) + 1),
            top_n: self.top_n,
            sort: self.sort,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        let mut merged = Collected::default();
        let mut top: Vec<Ranked> = Vec::new();
        for fruit in fruits {
            merged.total += fruit.total;
            top.extend(fruit.top);
            for (into, from) in merged.facets.values.iter_mut().zip(fruit.facets.values) {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
            for (year, count) in fruit.facets.years {
                *merged.facets.years.entry(year).or_default() += count;
            }
        }
        top.sort_by(|a, b| b.cmp_rank(a));
        top.truncate(self.top_n);
        merged.top = top;
        Ok(merged)
    }
}

impl SegmentSearchCollector {
    /// Whether `doc` has a value accepted by the filter of string facet `index`.
    fn passes(&self, index: usize, doc: DocId) -> bool {
        match &self.accepted[index] {
            None => true,
            Some(accepted) => self.facets.strings[index]
                .ords(doc)
                .iter()
                .any(|ord| accepted.contains(ord)),
        }
    }

    fn count(&mut self, index: usize, doc: DocId) {
        for &ord in self.facets.strings[index].ords(doc) {
            if let Some(count) = self.counts[index].get_mut(ord as usize) {
                *count += 1;
            }
        }
    }

    fn count_year(&mut self, doc: DocId) {
        let Some(&year) = self.facets.years.get(doc as usize) else {
            return;
        };
        if year == 0 {
            return;
        }
        let index = usize::from(year.wrapping_sub(self.facets.year_range.0));
        if let Some(count) = self.year_counts.get_mut(index) {
            *count += 1;
        }
    }

    fn rank(&mut self, doc: DocId, score: Score) {
        if self.top_n == 0 {
            return;
        }
        let days = self.facets.days(doc).map(|days| days as f64);
        let (primary, secondary) = match self.sort {
            Sort::Relevance => (f64::from(score), days.unwrap_or(f64::NEG_INFINITY)),
            Sort::DateDesc => (days.unwrap_or(f64::NEG_INFINITY), f64::from(score)),
            Sort::DateAsc => (
                days.map_or(f64::NEG_INFINITY, |days| -days),
                f64::from(score),
            ),
        };
        let ranked = Ranked {
            score,
            address: DocAddress::new(self.segment_ord, doc),
            primary,
            secondary,
        };
        if self.top.len() < self.top_n {
            self.top.push(ranked);
        } else if let Some(mut worst) = self.top.peek_mut() {
            if ranked.cmp_rank(&worst) == Ordering::Greater {
                *worst = ranked;
            }
        }
    }
}

impl SegmentCollector for SegmentSearchCollector {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        // The facet whose filter failed, as long as only one did.
        let mut failed: Option<usize> = None;
        for index in 0..STRING_FACETS.len() {
            if !self.passes(index, doc) {
                if failed.is_some() {
                    return;
                }
                failed = Some(index);
            }
        }
        if let Some((from, to)) = self.days {
            let in_range = self
                .facets
                .days(doc)
                .is_some_and(|days| from <= days && days <= to);
            if !in_range {
                if failed.is_some() {
                    return;
                }
                failed = Some(YEAR_FACET);
            }
        }
        match failed {
            None => {
                self.total += 1;
                self.rank(doc, score);
                for index in 0..STRING_FACETS.len() {
                    self.count(index, doc);
                }
                self.count_year(doc);
            }
            Some(YEAR_FACET) => self.count_year(doc),
            Some(index) => self.count(index, doc),
        }
    }

    fn harvest(self) -> Collected {
        let mut facets = FacetTotals {
            years: self
                .year_counts
                .iter()
                .enumerate()
                .filter(|&(_, &count)| count > 0)
                .map(|(offset, &count)| {
                    (u64::from(self.facets.year_range.0) + offset as u64, count)
                })
                .collect(),
            ..FacetTotals::default()
        };
        for (index, into) in facets.values.iter_mut().enumerate() {
            let values = &self.facets.strings[index].values;
            for (ord, &count) in self.counts[index].iter().enumerate() {
                if count > 0 {
                    into.insert(values[ord].clone(), count);
                }
            }
        }
        let mut top = self.top.into_vec();
        top.sort_by(|a, b| b.cmp_rank(a));
        Collected {
            total: self.total,
            top,
            facets,
        }
    }
}

impl FacetTotals {
    /// Turns the counts into the public shape: by count, then value; at most
    /// [`MAX_FACET_VALUES`] each.
    pub(crate) fn into_facets(self) -> Facets {
        let [paper_type, fraction, gremium, body, status] = self.values.map(sorted);
        let years = self
            .years
            .into_iter()
            .map(|(year, count)| (year.to_string(), count))
            .collect();
        Facets {
            paper_type,
            fraction,
            gremium,
            year: sorted(years),
            body,
            status,
        }
    }
}

/// Sorts facet counts by count (descending), then value, and caps them.
fn sorted(counts: HashMap<String, u64>) -> Vec<FacetCount> {
    let mut facet: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    facet.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    facet.truncate(MAX_FACET_VALUES);
    facet
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(counts: &[(&str, u64)], expected: &[(&str, u64)]) {
        let map = counts
            .iter()
            .map(|&(value, count)| (value.to_string(), count))
            .collect();
        let actual: Vec<(String, u64)> = sorted(map)
            .into_iter()
            .map(|facet| (facet.value, facet.count))
            .collect();
        let expected: Vec<(String, u64)> = expected
            .iter()
            .map(|&(value, count)| (value.to_string(), count))
            .collect();
        assert_eq!(actual, expected);
    }

    #[test]
    fn facet_values_are_sorted_by_count_then_value() {
        check(&[], &[]);
        check(
            &[
                ("SPD-Fraktion", 2),
                ("AfD-Fraktion", 2),
                ("Fraktion DIE LINKE", 5),
            ],
            &[
                ("Fraktion DIE LINKE", 5),
                ("AfD-Fraktion", 2),
                ("SPD-Fraktion", 2),
            ],
        );
    }
}
