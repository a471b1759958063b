//! One pass over the matching papers: filters, multi-select facet counts and the top hits.
//!
//! The text query runs without the facet filters. For every matching paper the collector
//! reads the fast fields and checks each filter: a paper that passes all of them is counted
//! in the total, ranked and counted in every facet; a paper that fails exactly one filter is
//! counted only in that filter's facet (a facet ignores its own filter, so users can widen a
//! multi-select); a paper that fails two or more is skipped. The date range is the year
//! facet's filter. Filter values are turned into term ordinals once per segment, so the
//! per-paper work is a few integer comparisons.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

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
}

impl SearchCollector {
    /// Collects the `top_n` best papers by `sort`; `scoring` says whether scores matter.
    pub(crate) fn new(filters: Filters, sort: Sort, top_n: usize, scoring: bool) -> Self {
        SearchCollector {
            filters,
            sort,
            top_n,
            scoring,
        }
    }
}

/// One string facet within a segment.
struct SegmentFacet {
    column: Option<StrColumn>,
    /// Accepted term ordinals, or `None` without a filter.
    accepted: Option<Vec<u64>>,
    counts: Vec<u64>,
}

impl SegmentFacet {
    fn passes(&self, doc: DocId) -> bool {
        let Some(accepted) = &self.accepted else {
            return true;
        };
        let Some(column) = &self.column else {
            return false;
        };
        column.term_ords(doc).any(|ord| accepted.contains(&ord))
    }

    fn count(&mut self, doc: DocId) {
        if let Some(column) = &self.column {
            for ord in column.term_ords(doc) {
                if let Some(count) = self.counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
    }
}

/// The per-segment part of [`SearchCollector`].
pub(crate) struct SegmentSearchCollector {
    segment_ord: SegmentOrdinal,
    facets: [SegmentFacet; 5],
    date: Option<Column<i64>>,
    year: Option<Column<u64>>,
    days: Option<(i64, i64)>,
    year_counts: HashMap<u64, u64>,
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
        let fast_fields = segment.fast_fields();
        let mut facets = Vec::with_capacity(STRING_FACETS.len());
        for (name, values) in STRING_FACETS.iter().zip(&self.filters.values) {
            let column = fast_fields.str(name)?;
            let accepted = if values.is_empty() {
                None
            } else {
                let mut ords = Vec::with_capacity(values.len());
                if let Some(column) = &column {
                    for value in values {
                        if let Some(ord) = column.dictionary().term_ord(value)? {
                            ords.push(ord);
                        }
                    }
                }
                Some(ords)
            };
            let n_terms = column.as_ref().map_or(0, |column| column.num_terms());
            facets.push(SegmentFacet {
                column,
                accepted,
                counts: vec![0; n_terms],
            });
        }
        let facets: [SegmentFacet; 5] = facets
            .try_into()
            .map_err(|_| tantivy::TantivyError::InternalError("facet count".into()))?;
        Ok(SegmentSearchCollector {
            segment_ord,
            facets,
            date: fast_fields.column_opt::<i64>(schema::DATE)?,
            year: fast_fields.column_opt::<u64>(schema::YEAR)?,
            days: self.filters.days,
            year_counts: HashMap::new(),
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
    fn date(&self, doc: DocId) -> Option<i64> {
        self.date.as_ref().and_then(|column| column.first(doc))
    }

    fn count_year(&mut self, doc: DocId) {
        if let Some(year) = self.year.as_ref().and_then(|column| column.first(doc)) {
            *self.year_counts.entry(year).or_default() += 1;
        }
    }

    fn rank(&mut self, doc: DocId, score: Score) {
        if self.top_n == 0 {
            return;
        }
        let days = self.date(doc).map(|days| days as f64);
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
        for (index, facet) in self.facets.iter().enumerate() {
            if !facet.passes(doc) {
                if failed.is_some() {
                    return;
                }
                failed = Some(index);
            }
        }
        if let Some((from, to)) = self.days {
            let in_range = self
                .date(doc)
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
                for facet in &mut self.facets {
                    facet.count(doc);
                }
                self.count_year(doc);
            }
            Some(YEAR_FACET) => self.count_year(doc),
            Some(index) => self.facets[index].count(doc),
        }
    }

    fn harvest(self) -> Collected {
        let mut facets = FacetTotals {
            years: self.year_counts,
            ..FacetTotals::default()
        };
        for (into, facet) in facets.values.iter_mut().zip(self.facets) {
            let Some(column) = facet.column else {
                continue;
            };
            let mut value = String::new();
            for (ord, &count) in facet.counts.iter().enumerate() {
                if count == 0 {
                    continue;
                }
                // A missing ordinal cannot happen for ordinals below `num_terms`; skip it.
                if let Ok(true) = column.ord_to_str(ord as u64, &mut value) {
                    into.insert(value.clone(), count);
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
