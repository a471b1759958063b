//! One pass over the matching papers: filters, multi-select facet counts and the top hits.
//!
//! The text query runs without the facet filters. For every matching paper the collector
//! reads its facet values and checks each filter: a paper that passes all of them is counted
//! in the total, ranked and counted in every facet; a paper that fails exactly one filter is
//! counted only in that filter's facet (a facet ignores its own filter, so users can widen a
//! multi-select); a paper that fails two or more is skipped. The date range is the year
//! facet's filter. The facet values of a segment are copied from the fast fields into plain
//! arrays when a reader first loads the segment ([`FacetCache`], a tantivy warmer). Papers
//! share few combinations of facet values (a [`Profile`]: type, groups, committees, body,
//! status and year), so the collector judges the string filters once per profile and counts
//! papers per profile; the counts per facet value are summed from the profiles at the end.
//! The per-paper work is a few array reads and one increment.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher as _};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::hash::FxHasher;
use crate::schema;
use crate::segment_cache::{PerSegment, SegmentCache};
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

/// The filters of a search.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filters {
    /// Accepted values per string facet (empty: no filter), in [`STRING_FACETS`] order.
    pub(crate) values: [Vec<String>; 5],
    /// Inclusive range of days from the common era.
    pub(crate) days: Option<(i64, i64)>,
}

impl Filters {
    /// Whether any filter is set.
    pub(crate) fn any(&self) -> bool {
        self.days.is_some() || self.values.iter().any(|values| !values.is_empty())
    }
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
    /// Per string facet, in [`STRING_FACETS`] order: the value of each ordinal.
    values: [Vec<String>; 5],
    /// The profile of each document: an index into `profiles`.
    profile_of: Vec<u32>,
    /// The distinct profiles of the documents.
    profiles: Vec<Profile>,
    /// Days from the common era per document, [`NO_DAYS`] when undated.
    days: Vec<i32>,
    /// The smallest and largest year of a document (other than 0).
    year_range: (u16, u16),
    /// The values of the facets in [`NAMED_FACETS`] by the stems of their words and compound
    /// parts (`antrag` → `Änderungsantrag`, `grun` → `Fraktion Bündnis 90/Die Grünen`), so
    /// that query words can match them.
    named_by_stem: HashMap<String, Vec<(usize, u32)>>,
}

/// The facets, as indices into [`STRING_FACETS`], whose values a query word may name: the
/// type (`Antrag`) and the council group (`Grüne`, `CDU`).
pub(crate) const NAMED_FACETS: [usize; 2] = [0, 1];

/// `days` of an undated paper.
const NO_DAYS: i32 = i32::MIN;

/// A combination of facet values that papers share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Profile {
    /// Per string facet, in [`STRING_FACETS`] order: the value ordinals.
    ords: [Vec<u32>; 5],
    /// The year, 0 when undated.
    year: u16,
}

impl Profile {
    fn of(year: u16, ords: &[&[u32]; 5]) -> Profile {
        Profile {
            ords: std::array::from_fn(|facet| ords[facet].to_vec()),
            year,
        }
    }

    /// Whether this is the profile of `year` and `ords`.
    fn is(&self, year: u16, ords: &[&[u32]; 5]) -> bool {
        self.year == year && self.ords.iter().zip(ords).all(|(own, other)| own == other)
    }
}

impl SegmentFacets {
    /// Reads the facet values of a segment.
    fn read(segment: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let fast_fields = segment.fast_fields();
        let mut columns = Vec::with_capacity(STRING_FACETS.len());
        let mut values: [Vec<String>; 5] = Default::default();
        for (name, values) in STRING_FACETS.iter().zip(values.iter_mut()) {
            let column = fast_fields.str(name)?;
            if let Some(column) = &column {
                values.reserve(column.num_terms());
                let mut value = String::new();
                for ord in 0..column.num_terms() as u64 {
                    column.ord_to_str(ord, &mut value)?;
                    values.push(value.clone());
                }
            }
            columns.push(column);
        }
        let date = fast_fields.column_opt::<i64>(schema::DATE)?;
        let year = fast_fields.column_opt::<u64>(schema::YEAR)?;
        let max_doc = segment.max_doc();
        let mut ords: Vec<BlockOrds> = columns.iter().map(|_| BlockOrds::default()).collect();
        let (mut dates, mut years) = (Vec::new(), Vec::new());
        let mut days = Vec::with_capacity(max_doc as usize);
        let mut interner = ProfileInterner::new(profile_hash);
        let mut profile_of = Vec::with_capacity(max_doc as usize);
        let (mut first_year, mut last_year) = (u16::MAX, 0);
        let mut docs = Vec::with_capacity(READ_BLOCK as usize);
        // Block by block, so that what is read besides the result stays small.
        for block in (0..max_doc).step_by(READ_BLOCK as usize) {
            docs.clear();
            docs.extend(block..block.saturating_add(READ_BLOCK).min(max_doc));
            for (block_ords, column) in ords.iter_mut().zip(&columns) {
                block_ords.read(column.as_ref(), &docs);
            }
            first_values(date.as_ref(), &docs, &mut dates);
            first_values(year.as_ref(), &docs, &mut years);
            days.extend(dates.iter().map(|days| {
                days.and_then(|days| i32::try_from(days).ok())
                    .unwrap_or(NO_DAYS)
            }));
            for (index, year) in years.iter().enumerate() {
                let year = year.and_then(|year| u16::try_from(year).ok()).unwrap_or(0);
                if year != 0 {
                    first_year = first_year.min(year);
                    last_year = last_year.max(year);
                }
                let facets: [&[u32]; 5] = std::array::from_fn(|facet| ords[facet].of(index));
                profile_of.push(interner.intern(year, &facets));
            }
        }
        let profiles = interner.profiles;
        let year_range = if last_year == 0 {
            (1, 0)
        } else {
            (first_year, last_year)
        };
        let named_by_stem = named_by_stem(&values);
        Ok(SegmentFacets {
            values,
            profile_of,
            profiles,
            days,
            year_range,
            named_by_stem,
        })
    }

    /// The values of the string facet `facet` (an index into [`STRING_FACETS`]).
    pub(crate) fn values(&self, facet: usize) -> &[String] {
        &self.values[facet]
    }

    /// The values of the [`NAMED_FACETS`] that hold a word or compound part with `stem`, as
    /// (index into [`STRING_FACETS`], value).
    pub(crate) fn values_named(&self, stem: &str) -> impl Iterator<Item = (usize, &str)> {
        self.named_by_stem
            .get(stem)
            .into_iter()
            .flatten()
            .map(|&(facet, ord)| (facet, self.values[facet][ord as usize].as_str()))
    }

    fn days(&self, doc: DocId) -> Option<i64> {
        match self.days.get(doc as usize) {
            Some(&days) if days != NO_DAYS => Some(i64::from(days)),
            _ => None,
        }
    }
}

/// Gives each distinct profile of a segment's documents an id, in the order first met.
struct ProfileInterner {
    /// The profiles, indexed by id.
    profiles: Vec<Profile>,
    /// Profile id by [`ProfileInterner::hash`] of its profile: the first profile met with a
    /// hash; one with an equal hash but other values goes to `collided`.
    by_hash: HashMap<u64, u32, BuildHasherDefault<FxHasher>>,
    /// Profiles whose hash another profile had first, by their flat key.
    collided: HashMap<Vec<u32>, u32>,
    hash: fn(u16, &[&[u32]; 5]) -> u64,
}

impl ProfileInterner {
    fn new(hash: fn(u16, &[&[u32]; 5]) -> u64) -> ProfileInterner {
        ProfileInterner {
            profiles: Vec::new(),
            by_hash: HashMap::default(),
            collided: HashMap::new(),
            hash,
        }
    }

    /// The id of the profile of `year` and the value ordinals `ords` of each string facet.
    fn intern(&mut self, year: u16, ords: &[&[u32]; 5]) -> u32 {
        let hash = (self.hash)(year, ords);
        let next = u32::try_from(self.profiles.len()).expect("fewer than 2^32 profiles");
        let id = *self.by_hash.entry(hash).or_insert(next);
        if id == next {
            self.profiles.push(Profile::of(year, ords));
            return id;
        }
        if self.profiles[id as usize].is(year, ords) {
            return id;
        }
        // Another profile has this hash: look this one up by all its values.
        let mut key = vec![u32::from(year)];
        for values in ords {
            key.push(values.len() as u32);
            key.extend_from_slice(values);
        }
        *self.collided.entry(key).or_insert_with(|| {
            self.profiles.push(Profile::of(year, ords));
            next
        })
    }
}

/// A 64-bit hash of a profile's values ([`FxHasher`], one step per value).
fn profile_hash(year: u16, ords: &[&[u32]; 5]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u64(u64::from(year));
    for values in ords {
        // The count keeps `[a] [b]` apart from `[a, b] []`.
        hasher.write_u64((values.len() as u64) << 32);
        for &value in *values {
            hasher.write_u64(u64::from(value));
        }
    }
    hasher.finish()
}

/// Documents read from a column in one call (bulk reads avoid a dynamic call per document).
const READ_BLOCK: u32 = 4096;

/// The term ordinals of one string column for a block of documents, as compressed rows: those
/// of the block's `index`th document are `ords[starts[index]..starts[index + 1]]`.
#[derive(Default)]
struct BlockOrds {
    row_docs: Vec<DocId>,
    rows: Vec<u32>,
    values: Vec<u64>,
    ords: Vec<u32>,
    starts: Vec<u32>,
}

impl BlockOrds {
    /// Reads `column` (none: no document has a value) for `docs`, ascending.
    fn read(&mut self, column: Option<&StrColumn>, docs: &[DocId]) {
        self.starts.clear();
        self.starts.resize(docs.len() + 1, 0);
        self.ords.clear();
        let (Some(column), Some(&first)) = (column, docs.first()) else {
            return;
        };
        let column = column.ords();
        self.row_docs.clear();
        self.rows.clear();
        column.row_ids_for_docs(docs, &mut self.row_docs, &mut self.rows);
        self.values.clear();
        self.values.resize(self.rows.len(), 0);
        column.values.get_vals(&self.rows, &mut self.values);
        // The term ordinals of a segment's dictionary fit in 32 bits.
        self.ords.extend(self.values.iter().map(|&ord| ord as u32));
        // Count each document's rows one place ahead, then sum them up into starts.
        for &doc in &self.row_docs {
            self.starts[(doc - first) as usize + 1] += 1;
        }
        for index in 1..self.starts.len() {
            self.starts[index] += self.starts[index - 1];
        }
    }

    /// The ordinals of the block's `index`th document.
    fn of(&self, index: usize) -> &[u32] {
        &self.ords[self.starts[index] as usize..self.starts[index + 1] as usize]
    }
}

/// The first value of `column` for each of `docs` into `values` (all `None` without a
/// column).
fn first_values<T>(column: Option<&Column<T>>, docs: &[DocId], values: &mut Vec<Option<T>>)
where
    T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static,
{
    values.clear();
    values.resize(docs.len(), None);
    if let Some(column) = column {
        column.first_vals(docs, values);
    }
}

/// The [`SegmentFacets::named_by_stem`] map of a segment's facet values: the stems of their
/// words, and of the last part of a compound word of two parts (an `Änderungsantrag` is an
/// `Antrag`, but a `Verwaltungsstandpunkt` is no `Verwaltung`).
fn named_by_stem(values: &[Vec<String>; 5]) -> HashMap<String, Vec<(usize, u32)>> {
    use crate::analysis::{analyze, clean_text, compound_parts, Mode, Scanner};
    let mut by_stem: HashMap<String, Vec<(usize, u32)>> = HashMap::new();
    for facet in NAMED_FACETS {
        for (ord, value) in values[facet].iter().enumerate() {
            let cleaned = clean_text(value);
            let mut stems: Vec<String> = analyze(&cleaned, Mode::Stemmed)
                .into_iter()
                .map(|token| token.text)
                .collect();
            for span in Scanner::new(&cleaned).filter(|span| !span.whole) {
                // Only a compound of two parts: of `Verwaltungsstandpunkt` (`verwaltung`,
                // `stand`, `punkt`) the last part is not what the paper is.
                if let [_, head] = compound_parts(&cleaned[span.from..span.to]).as_slice() {
                    stems.extend(analyze(head, Mode::Stemmed).into_iter().map(|t| t.text));
                }
            }
            stems.sort_unstable();
            stems.dedup();
            for stem in stems {
                by_stem.entry(stem).or_default().push((facet, ord as u32));
            }
        }
    }
    by_stem
}

/// The [`SegmentFacets`] of the segments that readers currently use (a tantivy warmer).
pub(crate) type FacetCache = SegmentCache<SegmentFacets>;

impl PerSegment for SegmentFacets {
    fn load(segment: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        SegmentFacets::read(segment)
    }
}

/// The per-segment part of [`SearchCollector`].
pub(crate) struct SegmentSearchCollector {
    segment_ord: SegmentOrdinal,
    facets: Arc<SegmentFacets>,
    /// Accepted value ordinals per string facet, `None` without a filter.
    accepted: [Option<Vec<u32>>; 5],
    days: Option<(i64, i64)>,
    /// Per profile: what the string filters say, judged when the profile is first met.
    verdicts: Vec<Verdict>,
    /// The profiles judged so far, in the order they were met.
    judged: Vec<u32>,
    /// Per profile: matching papers that pass every filter.
    passed: Vec<u32>,
    /// Per profile: matching papers that fail exactly one filter: the date range when the
    /// profile passes the string filters, else the one string filter it fails.
    failed_one: Vec<u32>,
    total: u64,
    top: BinaryHeap<Ranked>,
    top_n: usize,
    sort: Sort,
}

/// What the string filters say about a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Not judged yet.
    Unjudged,
    /// It passes every string filter.
    Passes,
    /// It fails only the filter of the string facet with this index.
    FailsOnly(usize),
    /// It fails two or more.
    FailsMany,
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
                let values = &facets.values[index];
                wanted
                    .iter()
                    .filter_map(|value| values.binary_search(value).ok())
                    .map(|ord| ord as u32)
                    .collect()
            })
        });
        let n_profiles = facets.profiles.len();
        Ok(SegmentSearchCollector {
            segment_ord,
            facets,
            accepted,
            days: self.filters.days,
            verdicts: vec![Verdict::Unjudged; n_profiles],
            judged: Vec::new(),
            passed: vec![0; n_profiles],
            failed_one: vec![0; n_profiles],
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
    /// Judges the string filters for `profile` and remembers the verdict.
    fn judge(&mut self, profile: usize) -> Verdict {
        let ords = &self.facets.profiles[profile].ords;
        let mut verdict = Verdict::Passes;
        for (index, accepted) in self.accepted.iter().enumerate() {
            let Some(accepted) = accepted else {
                continue;
            };
            if ords[index].iter().any(|ord| accepted.contains(ord)) {
                continue;
            }
            if verdict != Verdict::Passes {
                verdict = Verdict::FailsMany;
                break;
            }
            verdict = Verdict::FailsOnly(index);
        }
        self.verdicts[profile] = verdict;
        self.judged.push(profile as u32);
        verdict
    }

    fn rank(&mut self, doc: DocId, score: Score) {
        if self.top_n == 0 {
            return;
        }
        let days = || self.facets.days(doc).map(|days| days as f64);
        let primary = match self.sort {
            Sort::Relevance => f64::from(score),
            Sort::DateDesc => days().unwrap_or(f64::NEG_INFINITY),
            Sort::DateAsc => days().map_or(f64::NEG_INFINITY, |days| -days),
        };
        // Most papers rank below the worst kept one on the main key alone.
        let is_full = self.top.len() >= self.top_n;
        if is_full
            && self
                .top
                .peek()
                .is_some_and(|worst| primary.total_cmp(&worst.primary) == Ordering::Less)
        {
            return;
        }
        let secondary = match self.sort {
            Sort::Relevance => days().unwrap_or(f64::NEG_INFINITY),
            Sort::DateDesc | Sort::DateAsc => f64::from(score),
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
        let profile = self.facets.profile_of[doc as usize] as usize;
        let verdict = match self.verdicts[profile] {
            Verdict::Unjudged => self.judge(profile),
            verdict => verdict,
        };
        let in_range = self.days.is_none_or(|(from, to)| {
            self.facets
                .days(doc)
                .is_some_and(|days| from <= days && days <= to)
        });
        match (verdict, in_range) {
            (Verdict::Passes, true) => {
                self.total += 1;
                self.rank(doc, score);
                self.passed[profile] += 1;
            }
            (Verdict::Passes, false) | (Verdict::FailsOnly(_), true) => {
                self.failed_one[profile] += 1;
            }
            _ => {}
        }
    }

    fn harvest(self) -> Collected {
        let facets = &self.facets;
        let mut counts: [Vec<u64>; 5] =
            std::array::from_fn(|index| vec![0; facets.values[index].len()]);
        let (first_year, last_year) = facets.year_range;
        let mut year_counts = vec![0u64; usize::from(last_year.saturating_sub(first_year)) + 1];
        let mut count_year = |year: u16, n_papers: u64| {
            if year == 0 {
                return;
            }
            if let Some(count) = year_counts.get_mut(usize::from(year.wrapping_sub(first_year))) {
                *count += n_papers;
            }
        };
        let count = |counts: &mut Vec<u64>, ords: &[u32], n_papers: u64| {
            for &ord in ords {
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += n_papers;
                }
            }
        };
        for &profile_index in &self.judged {
            let profile_index = profile_index as usize;
            let profile = &facets.profiles[profile_index];
            let passed = u64::from(self.passed[profile_index]);
            if passed > 0 {
                for (counts, ords) in counts.iter_mut().zip(&profile.ords) {
                    count(counts, ords, passed);
                }
                count_year(profile.year, passed);
            }
            let failed_one = u64::from(self.failed_one[profile_index]);
            if failed_one > 0 {
                match self.verdicts[profile_index] {
                    Verdict::Passes => count_year(profile.year, failed_one),
                    Verdict::FailsOnly(index) => {
                        count(&mut counts[index], &profile.ords[index], failed_one);
                    }
                    Verdict::Unjudged | Verdict::FailsMany => {}
                }
            }
        }
        let mut totals = FacetTotals {
            years: year_counts
                .iter()
                .enumerate()
                .filter(|&(_, &count)| count > 0)
                .map(|(offset, &count)| (u64::from(first_year) + offset as u64, count))
                .collect(),
            ..FacetTotals::default()
        };
        for (index, into) in totals.values.iter_mut().enumerate() {
            let values = &facets.values[index];
            for (ord, &count) in counts[index].iter().enumerate() {
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
            facets: totals,
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

    /// Interns the profiles of `docs` (year, ords per facet) with `hash` and returns their ids.
    fn intern_all(docs: &[(u16, [&[u32]; 5])], hash: fn(u16, &[&[u32]; 5]) -> u64) -> Vec<u32> {
        let mut interner = ProfileInterner::new(hash);
        let ids: Vec<u32> = docs
            .iter()
            .map(|(year, ords)| interner.intern(*year, ords))
            .collect();
        for (doc, id) in docs.iter().zip(&ids) {
            assert!(interner.profiles[*id as usize].is(doc.0, &doc.1), "{doc:?}");
        }
        ids
    }

    #[test]
    fn equal_profiles_share_an_id_and_others_do_not_even_when_their_hashes_collide() {
        let docs: [(u16, [&[u32]; 5]); 7] = [
            (2020, [&[1], &[2, 3], &[], &[0], &[]]),
            (2021, [&[1], &[2, 3], &[], &[0], &[]]),
            (2020, [&[1], &[2, 3], &[], &[0], &[]]),
            (2020, [&[1], &[2], &[3], &[0], &[]]),
            (2020, [&[1], &[3, 2], &[], &[0], &[]]),
            (0, [&[], &[], &[], &[], &[]]),
            (2021, [&[1], &[2, 3], &[], &[0], &[]]),
        ];
        let expected = vec![0, 1, 0, 2, 3, 4, 1];
        assert_eq!(intern_all(&docs, profile_hash), expected);
        // Every profile hashing alike: told apart by their values all the same.
        assert_eq!(intern_all(&docs, |_, _| 7), expected);
    }

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
