//! Bounded text for snippets: long text is cut into passages when indexed, and a snippet is
//! cut from the best matching passage, never from a whole long document.
//!
//! A passage is a section of the body text of [`MIN_PASSAGE_BYTES`] to
//! [`MAX_PASSAGE_BYTES`] bytes, cut at a paragraph, line, sentence or word break, or (part
//! of) one attachment page. The paper stores the word position where each passage starts.
//! At query time the positions of the query terms in the paper's postings tell which
//! passages match; only the best ones are loaded, and the snippet marks query words in about
//! [`SNIPPET_BYTES`] bytes around the densest cluster of matches.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use tantivy::columnar::{Column, StrColumn};
use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
    TERMINATED,
};

use crate::analysis::{fold_exact, splitter, Scanner, Span, Stemmer};
use crate::explain;
use crate::query::{Compiled, Highlight, Target};
use crate::schema::{self, PaperFields, PassageFields};
use crate::segment_cache::{PerSegment, SegmentCache};
use crate::{Match, MatchKind, PageHit, Result};

/// Smallest passage cut from a longer text, in bytes.
pub(crate) const MIN_PASSAGE_BYTES: usize = 800;
/// Largest passage, in bytes.
pub(crate) const MAX_PASSAGE_BYTES: usize = 2_000;
/// Length of a snippet, in bytes of text (without marks and ellipses).
pub(crate) const SNIPPET_BYTES: usize = 200;
/// Context kept before the first match of a snippet, in bytes.
const CONTEXT_BYTES: usize = 60;
/// Most query terms whose positions are looked up per hit.
const MAX_POSITION_TERMS: usize = 64;
/// Most snippets per hit.
const MAX_SNIPPETS: usize = 2;
/// Further passages tried, best first, when the snippets chosen mark nothing.
const MAX_SPARE_PASSAGES: usize = 6;
/// Most matching pages reported per hit.
const MAX_PAGES: usize = 5;
/// Ellipsis on a cut side of a snippet.
const ELLIPSIS: &str = "…";

/// Cuts `text` into passages of at most [`MAX_PASSAGE_BYTES`] bytes: byte ranges, trimmed and
/// non-empty.
pub(crate) fn split_passages(text: &str) -> Vec<Range<usize>> {
    let mut passages = Vec::new();
    let mut start = text.len() - text.trim_start().len();
    let end_of_text = text.trim_end().len();
    while start < end_of_text {
        let rest = &text[start..end_of_text];
        if rest.len() <= MAX_PASSAGE_BYTES {
            passages.push(start..end_of_text);
            break;
        }
        let window_start = floor_char_boundary(rest, MIN_PASSAGE_BYTES);
        let window_end = floor_char_boundary(rest, MAX_PASSAGE_BYTES);
        let window = &rest[window_start..window_end];
        let cut = window
            .rfind("\n\n")
            .map(|at| at + 2)
            .or_else(|| window.rfind('\n').map(|at| at + 1))
            .or_else(|| window.rfind(". ").map(|at| at + 2))
            .or_else(|| window.rfind(' ').map(|at| at + 1))
            .map_or(window_end, |at| window_start + at);
        // A window always holds a char boundary (a char has at most 4 bytes), but never loop
        // without progress.
        let cut = if cut == 0 { rest.len() } else { cut };
        let passage = rest[..cut].trim_end();
        if !passage.is_empty() {
            passages.push(start..start + passage.len());
        }
        let next = &rest[cut..];
        start += cut + (next.len() - next.trim_start().len());
    }
    passages
}

/// Returns, for each byte offset in `offsets` (ascending), the word position of the first
/// word at or after it: the position the index gives that word when `text` is one value.
pub(crate) fn positions_at(text: &str, offsets: &[usize]) -> Vec<u64> {
    let mut positions = Vec::with_capacity(offsets.len());
    let mut scanner = Scanner::new(text).peekable();
    let mut next_position = 0;
    for &offset in offsets {
        while let Some(span) = scanner.next_if(|span| span.from < offset) {
            next_position = span.position + 1;
        }
        let position = scanner.peek().map_or(next_position, |span| span.position);
        positions.push(position as u64);
    }
    positions
}

/// The beginning of `text` for a snippet without a match: about [`SNIPPET_BYTES`] bytes cut at
/// a word break, with an ellipsis when cut.
pub(crate) fn lead(text: &str) -> String {
    let text = text.trim();
    if text.len() <= SNIPPET_BYTES {
        return text.to_string();
    }
    let end = floor_char_boundary(text, SNIPPET_BYTES);
    let end = text[..end].rfind(char::is_whitespace).unwrap_or(end);
    format!("{}{ELLIPSIS}", text[..end].trim_end())
}

/// Returns the largest char boundary of `text` at or below `index`.
fn floor_char_boundary(text: &str, index: usize) -> usize {
    if index >= text.len() {
        return text.len();
    }
    (0..=index)
        .rev()
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(0)
}

/// Returns the smallest char boundary of `text` at or above `index`.
fn ceil_char_boundary(text: &str, index: usize) -> usize {
    (index..text.len())
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(text.len())
}

/// Snippets, matching pages and match reasons of one hit.
#[derive(Debug, Default)]
pub(crate) struct HitText {
    pub(crate) snippets: Vec<String>,
    pub(crate) pages: Vec<PageHit>,
    pub(crate) matched: Vec<Match>,
}

/// A paper that matched, as [`HitTexts::hit_text`] needs it.
pub(crate) struct MatchedPaper<'a> {
    /// The searcher of the paper index.
    pub(crate) searcher: &'a Searcher,
    /// Where the paper is.
    pub(crate) address: DocAddress,
    /// Its stored fields.
    pub(crate) document: &'a TantivyDocument,
}

/// How well one passage matches.
#[derive(Debug, Clone, Copy, Default)]
struct PassageMatch {
    /// Which query terms occur (bit per term).
    terms: u64,
    /// How many times they occur.
    count: u32,
    /// Whether the passage is (part of) an attachment page.
    is_page: bool,
}

/// Builds the hit texts of one search.
pub(crate) struct HitTexts<'a> {
    passages: &'a Searcher,
    fields: &'a PassageFields,
    compiled: &'a Compiled,
    column_cache: &'a ColumnCache,
    /// Per passage segment, by segment ordinal, taken from `column_cache` on first use.
    columns: Vec<Option<Arc<SegmentColumns>>>,
    /// File names and URLs of pages read so far, by segment and value ordinal.
    files: HashMap<(SegmentOrdinal, u64), Option<String>>,
    urls: HashMap<(SegmentOrdinal, u64), Option<String>>,
    marker: Marker<'a>,
}

/// The fast-field columns of the passage segments that readers currently use. Registered as a
/// tantivy warmer on the passage reader, so each column is opened once per segment rather than
/// once per search: opening a column looks it up by name in the segment's column directory,
/// which costs as much as reading hundreds of values.
pub(crate) type ColumnCache = SegmentCache<SegmentColumns>;

/// The fast-field columns of one passage segment that hit texts read.
pub(crate) struct SegmentColumns {
    /// `None` when the segment has no ordinal column: the error is left to a search that
    /// reads passages there, so that warming never fails where searches did not.
    ordinal: Option<Column<u64>>,
    /// The columns that locate an attachment page; `None` where no passage of the segment
    /// has it.
    page: Option<Column<u64>>,
    file: Option<StrColumn>,
    url: Option<StrColumn>,
}

impl SegmentColumns {
    /// The ordinal column of `segment` (whose columns these are), or the error of opening it
    /// when the segment has none.
    pub(crate) fn ordinals(&self, segment: &SegmentReader) -> tantivy::Result<Column<u64>> {
        match &self.ordinal {
            Some(column) => Ok(column.clone()),
            None => segment.fast_fields().u64(schema::ORDINAL),
        }
    }
}

impl PerSegment for SegmentColumns {
    fn load(segment: &SegmentReader) -> tantivy::Result<SegmentColumns> {
        let fast_fields = segment.fast_fields();
        Ok(SegmentColumns {
            ordinal: fast_fields.column_opt::<u64>(schema::ORDINAL)?,
            page: fast_fields.column_opt::<u64>(schema::PAGE)?,
            file: fast_fields.str(schema::FILE)?,
            url: fast_fields.str(schema::URL)?,
        })
    }
}

impl<'a> HitTexts<'a> {
    /// Hit texts for the passages in `passages`, marked as `compiled` says.
    pub(crate) fn new(
        passages: &'a Searcher,
        fields: &'a PassageFields,
        compiled: &'a Compiled,
        column_cache: &'a ColumnCache,
    ) -> HitTexts<'a> {
        HitTexts {
            passages,
            fields,
            compiled,
            column_cache,
            columns: vec![None; passages.segment_readers().len()],
            files: HashMap::new(),
            urls: HashMap::new(),
            marker: Marker::new(&compiled.highlight),
        }
    }

    /// The columns of the passage segment `segment_ord`.
    fn columns(&mut self, segment_ord: usize) -> Result<Arc<SegmentColumns>> {
        if let Some(columns) = &self.columns[segment_ord] {
            return Ok(Arc::clone(columns));
        }
        let segment = &self.passages.segment_readers()[segment_ord];
        let columns = self.column_cache.get(segment)?;
        self.columns[segment_ord] = Some(Arc::clone(&columns));
        Ok(columns)
    }

    /// Finds the snippets and matching attachment pages of a paper, falling back to its lead.
    pub(crate) fn hit_text(
        &mut self,
        paper: &MatchedPaper<'_>,
        paper_fields: &PaperFields,
    ) -> Result<HitText> {
        let mut hit_text = HitText::default();
        let title = stored_str(paper.document, paper_fields.title);
        let title_marks = self.marker.find_marks(&title);
        explain_marks(&title, &title_marks, &mut hit_text.matched);
        let ranked = rank_passages(paper, paper_fields, &self.compiled.passage_terms)?;
        let best_terms = ranked
            .first()
            .map_or(0, |(_, found)| found.terms.count_ones());
        let snippet_ordinals: Vec<u64> = ranked
            .iter()
            .filter(|(_, found)| 2 * found.terms.count_ones() >= best_terms)
            .take(MAX_SNIPPETS)
            .map(|&(ordinal, _)| ordinal)
            .collect();
        let page_ordinals: Vec<u64> = ranked
            .iter()
            .filter(|(_, found)| found.is_page)
            .take(MAX_PAGES)
            .map(|&(ordinal, _)| ordinal)
            .collect();
        let key = stored_str(paper.document, paper_fields.key);
        let mut wanted: Vec<u64> = snippet_ordinals
            .iter()
            .chain(&page_ordinals)
            .copied()
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let addresses = self.passage_addresses(&key, &wanted)?;
        let mut marked = false;
        for ordinal in &snippet_ordinals {
            let Some(&address) = addresses.get(ordinal) else {
                continue;
            };
            let (snippet, has_marks) = self.render_passage(address, &mut hit_text.matched)?;
            marked |= has_marks;
            if !snippet.is_empty() {
                hit_text.snippets.push(snippet);
            }
        }
        if !marked {
            // The passages with most query terms hold none of them as the search found them
            // (the words of a synonym phrase apart, say): the next ones may.
            let mut tried = snippet_ordinals.clone();
            let spares = untried(&ranked, &mut tried);
            let mut snippet = self.first_marked(&key, &spares, &mut hit_text.matched)?;
            if snippet.is_none() && !self.compiled.spare_passage_terms.is_empty() {
                // Found through the parts of a compound near each other: where they are.
                let by_parts =
                    rank_passages(paper, paper_fields, &self.compiled.spare_passage_terms)?;
                let by_parts = untried(&by_parts, &mut tried);
                snippet = self.first_marked(&key, &by_parts, &mut hit_text.matched)?;
            }
            if let Some(snippet) = snippet {
                hit_text.snippets = vec![snippet];
            }
        }
        for ordinal in &page_ordinals {
            if let Some(&address) = addresses.get(ordinal) {
                let page = self.page_of(address)?;
                if !hit_text.pages.contains(&page) {
                    hit_text.pages.push(page);
                }
            }
        }
        if hit_text.snippets.is_empty() {
            let lead = stored_str(paper.document, paper_fields.lead);
            if !lead.is_empty() {
                let (snippet, _) = self.render_explained(&lead, &mut hit_text.matched);
                hit_text.snippets.push(snippet);
            }
        }
        Ok(hit_text)
    }

    /// The snippet of the first of the passages `ordinals` of the paper `key` that marks
    /// something, if any.
    fn first_marked(
        &mut self,
        key: &str,
        ordinals: &[u64],
        matched: &mut Vec<Match>,
    ) -> Result<Option<String>> {
        if ordinals.is_empty() {
            return Ok(None);
        }
        let mut sorted = ordinals.to_vec();
        sorted.sort_unstable();
        let addresses = self.passage_addresses(key, &sorted)?;
        for ordinal in ordinals {
            let Some(&address) = addresses.get(ordinal) else {
                continue;
            };
            if let (snippet, true) = self.render_passage(address, matched)? {
                return Ok(Some(snippet));
            }
        }
        Ok(None)
    }

    /// The snippet of the passage at `address` and whether it marks anything (see
    /// [`HitTexts::render_explained`]).
    fn render_passage(
        &mut self,
        address: DocAddress,
        matched: &mut Vec<Match>,
    ) -> Result<(String, bool)> {
        let passage: TantivyDocument = self.passages.doc(address)?;
        let text = stored_str(&passage, self.fields.text);
        Ok(self.render_explained(&text, matched))
    }

    /// Finds the passage documents of the paper `key` with the given ordinals (ascending).
    ///
    /// Walks the postings of the key, which hold only this paper's passages and record, and
    /// reads each one's ordinal from its fast field. (A query for the key and any of the
    /// ordinals would look up every ordinal term in every segment and intersect the key with
    /// their long postings.)
    fn passage_addresses(
        &mut self,
        key: &str,
        ordinals: &[u64],
    ) -> Result<HashMap<u64, DocAddress>> {
        let mut addresses = HashMap::with_capacity(ordinals.len());
        if ordinals.is_empty() {
            return Ok(addresses);
        }
        let key_term = Term::from_field_text(self.fields.key, key);
        let passages = self.passages;
        for (segment_ord, segment) in passages.segment_readers().iter().enumerate() {
            let inverted_index = segment.inverted_index(self.fields.key)?;
            let Some(mut postings) =
                inverted_index.read_postings(&key_term, IndexRecordOption::Basic)?
            else {
                continue;
            };
            let ordinal_column = self.columns(segment_ord)?.ordinals(segment)?;
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED && addresses.len() < ordinals.len() {
                let is_alive = alive.is_none_or(|bitset| bitset.is_alive(doc));
                if let (true, Some(ordinal)) = (is_alive, ordinal_column.first(doc)) {
                    if ordinals.binary_search(&ordinal).is_ok() {
                        let segment_ord =
                            u32::try_from(segment_ord).expect("tantivy numbers segments with u32");
                        addresses.insert(ordinal, DocAddress::new(segment_ord, doc));
                    }
                }
                doc = postings.advance();
            }
            if addresses.len() == ordinals.len() {
                break;
            }
        }
        Ok(addresses)
    }

    /// The attachment page of a page passage.
    fn page_of(&mut self, address: DocAddress) -> Result<PageHit> {
        let page_columns = self.columns(address.segment_ord as usize)?;
        let doc = address.doc_id;
        let page = page_columns
            .page
            .as_ref()
            .and_then(|column| column.first(doc))
            .unwrap_or_default();
        let segment_ord = address.segment_ord;
        let file = text_value(&mut self.files, segment_ord, &page_columns.file, doc)?;
        let url = text_value(&mut self.urls, segment_ord, &page_columns.url, doc)?;
        Ok(PageHit {
            file: file.unwrap_or_default(),
            url,
            page: u32::try_from(page).unwrap_or(u32::MAX),
        })
    }

    /// [`render`], also adding the reasons behind the marks of the snippet to `matched`.
    /// The snippet of `text` and whether it marks anything; the marks' reasons go to
    /// `matched`.
    fn render_explained(&mut self, text: &str, matched: &mut Vec<Match>) -> (String, bool) {
        let text = text.trim();
        let marks = self.marker.find_marks(text);
        explain_marks(text, &marks, matched);
        (render_marks(text, &marks), !marks.is_empty())
    }
}

/// The first value of `doc` in the string column `column` of passage segment `segment_ord`.
/// Values are remembered in `known` by segment and ordinal: the pages of an attachment share
/// its file name and URL, and reading a value decodes a block of the column's dictionary.
fn text_value(
    known: &mut HashMap<(SegmentOrdinal, u64), Option<String>>,
    segment_ord: SegmentOrdinal,
    column: &Option<StrColumn>,
    doc: DocId,
) -> Result<Option<String>> {
    let Some(column) = column else {
        return Ok(None);
    };
    let Some(ord) = column.term_ords(doc).next() else {
        return Ok(None);
    };
    if let Some(value) = known.get(&(segment_ord, ord)) {
        return Ok(value.clone());
    }
    let mut value = String::new();
    let value = column.ord_to_str(ord, &mut value)?.then_some(value);
    known.insert((segment_ord, ord), value.clone());
    Ok(value)
}

/// Ranks the passages of a paper by the query terms whose positions fall into them: most
/// distinct terms, then most occurrences, then earliest. Returns ordinals, best first.
fn rank_passages(
    paper: &MatchedPaper<'_>,
    fields: &PaperFields,
    terms: &[String],
) -> Result<Vec<(u64, PassageMatch)>> {
    let segment = paper.searcher.segment_reader(paper.address.segment_ord);
    let doc = paper.address.doc_id;
    let section_starts = stored_u64s(paper.document, fields.section_starts);
    let page_starts = stored_u64s(paper.document, fields.page_starts);
    let sources = [
        (fields.text, &section_starts, 0, false),
        (fields.attachments, &page_starts, section_starts.len(), true),
    ];
    let mut found: HashMap<u64, PassageMatch> = HashMap::new();
    let mut positions: Vec<u32> = Vec::new();
    for (field, starts, first_ordinal, is_page) in sources {
        if starts.is_empty() {
            continue;
        }
        let inverted_index = segment.inverted_index(field)?;
        for (term_index, text) in terms.iter().take(MAX_POSITION_TERMS).enumerate() {
            let term = Term::from_field_text(field, text);
            let postings =
                inverted_index.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?;
            let Some(mut postings) = postings else {
                continue;
            };
            // A fresh postings list stands on its first document; seek only goes forward.
            if postings.doc() < doc {
                postings.seek(doc);
            }
            if postings.doc() != doc {
                continue;
            }
            postings.positions(&mut positions);
            for &position in &positions {
                let index = starts
                    .partition_point(|&start| start <= u64::from(position))
                    .saturating_sub(1);
                let entry = found.entry((first_ordinal + index) as u64).or_default();
                entry.terms |= 1 << term_index;
                entry.count += 1;
                entry.is_page = is_page;
            }
        }
    }
    let mut ranked: Vec<(u64, PassageMatch)> = found.into_iter().collect();
    ranked.sort_by(|(a_ordinal, a), (b_ordinal, b)| {
        (b.terms.count_ones(), b.count)
            .cmp(&(a.terms.count_ones(), a.count))
            .then(a_ordinal.cmp(b_ordinal))
    });
    Ok(ranked)
}

/// Up to [`MAX_SPARE_PASSAGES`] ordinals of `ranked`, best first, that are not in `tried`,
/// which they join.
fn untried(ranked: &[(u64, PassageMatch)], tried: &mut Vec<u64>) -> Vec<u64> {
    let ordinals: Vec<u64> = ranked
        .iter()
        .map(|&(ordinal, _)| ordinal)
        .filter(|ordinal| !tried.contains(ordinal))
        .take(MAX_SPARE_PASSAGES)
        .collect();
    tried.extend(&ordinals);
    ordinals
}

/// The first stored string of `field`, or "".
fn stored_str(document: &TantivyDocument, field: Field) -> String {
    document
        .get_first(field)
        .and_then(|value| value.as_str())
        .unwrap_or_default()
        .to_string()
}

/// All stored numbers of `field`.
fn stored_u64s(document: &TantivyDocument, field: Field) -> Vec<u64> {
    document
        .get_all(field)
        .filter_map(|value| value.as_u64())
        .collect()
}

/// A match of a query word in a text: a byte range, the query word and how it matched.
#[derive(Debug, Clone)]
struct Mark {
    from: usize,
    to: usize,
    /// The query word (distinct words make a better snippet window).
    query: String,
    kind: MatchKind,
    /// Whether the word matched as one word of a phrase (see [`Target::in_phrase`]).
    in_phrase: bool,
    /// See [`Target::only_together`].
    only_together: bool,
    /// The part stem, when the word matched a part of a compound query word.
    part: Option<String>,
}

/// Finds the words of texts that match a highlight, with the stemmer and buffers that all
/// texts of a search share.
struct Marker<'h> {
    highlight: &'h Highlight,
    /// The [`skeleton`]s of all exact forms and stems of the highlight.
    target_skeletons: Skeletons,
    /// The [`skeleton`]s of the stems of the highlight.
    stem_skeletons: Skeletons,
    stemmer: Stemmer,
    exact: String,
    skeleton: Vec<u8>,
    scratch: String,
    stem: String,
}

impl<'h> Marker<'h> {
    fn new(highlight: &'h Highlight) -> Marker<'h> {
        Marker {
            highlight,
            target_skeletons: Skeletons::new(highlight.exact.iter().chain(&highlight.stems)),
            stem_skeletons: Skeletons::new(&highlight.stems),
            stemmer: Stemmer::default(),
            exact: String::new(),
            skeleton: Vec::new(),
            scratch: String::new(),
            stem: String::new(),
        }
    }

    /// Finds the words of `text` that match the highlight: as exact form, as stem, or as a
    /// compound with a matching part (`Grundschulen` for `Schule`), the whole word marked.
    fn find_marks(&mut self, text: &str) -> Vec<Mark> {
        let mut marks: Vec<Mark> = Vec::new();
        let highlight = self.highlight;
        if highlight.is_empty() {
            return marks;
        }
        let (exact, scratch, stem) = (&mut self.exact, &mut self.scratch, &mut self.stem);
        let word_skeleton = &mut self.skeleton;
        let stemmer = &self.stemmer;
        let mut covered_to = 0;
        for span in Scanner::new(text) {
            if span.from < covered_to {
                continue;
            }
            let raw = &text[span.from..span.to];
            // A word whose skeleton holds no target's skeleton matches in no way (see
            // [`skeleton`]): most words of a text are passed over without folding them.
            if raw.is_ascii() {
                word_skeleton.clear();
                word_skeleton.extend(
                    raw.bytes()
                        .map(|byte| byte.to_ascii_lowercase())
                        .filter(|&byte| byte != b'e'),
                );
                if !self.target_skeletons.found_in(word_skeleton) {
                    continue;
                }
                fold_exact(raw, exact);
            } else {
                fold_exact(raw, exact);
                skeleton(exact, word_skeleton);
                if !self.target_skeletons.found_in(word_skeleton) {
                    continue;
                }
            }
            if let Some(target) = Highlight::find(&highlight.exact, exact) {
                covered_to = span.to;
                marks.push(Mark::new(&span, target, MatchKind::Exact));
                continue;
            }
            // Neither the word nor a part of it can have one of the stems as its stem: the
            // Snowball steps that the stemmer and the splitter would take are skipped.
            let may_hold_stem = self.stem_skeletons.found_in(word_skeleton);
            let found: Option<(&Target, MatchKind)> = if span.whole {
                Highlight::find(&highlight.stems, exact).map(|target| (target, MatchKind::Exact))
            } else if may_hold_stem
                && could_stem_to(exact, &highlight.stems)
                && stemmer.stem_cached(raw, scratch, stem)
            {
                Highlight::find(&highlight.stems, stem).map(|target| (target, MatchKind::Stem))
            } else {
                None
            };
            let found = found.or_else(|| {
                if !may_hold_stem {
                    return None;
                }
                compound_target(raw, exact, &highlight.stems, stemmer, scratch, stem)
                    .map(|target| (target, MatchKind::Compound))
            });
            if let Some((target, kind)) = found {
                covered_to = span.to;
                marks.push(Mark::new(&span, target, kind));
            }
        }
        keep_phrases_together(text, &mut marks);
        if !highlight.parts_anywhere {
            keep_parts_near(text, &mut marks);
        }
        if !highlight.phrases.is_empty() {
            self.mark_phrases(text, &mut marks);
        }
        marks
    }

    /// Marks each place where `text` holds a synonym of several words as the phrase the
    /// search found (each word's stem at its offset from the first), as one mark over the
    /// phrase, in place of the marks of its words.
    fn mark_phrases(&mut self, text: &str, marks: &mut Vec<Mark>) {
        let words: Vec<Span> = Scanner::new(text).filter(|span| !span.whole).collect();
        let mut stems = WordStems::new(words.len());
        let mut found: Vec<Mark> = Vec::new();
        let mut covered_to = 0;
        for start in 0..words.len() {
            if words[start].from < covered_to {
                continue;
            }
            let first_letter = folded_first_letter(&text[words[start].from..words[start].to]);
            for phrase in &self.highlight.phrases {
                let Some((_, first_stem)) = phrase.stems.first() else {
                    continue;
                };
                if first_stem.chars().next() != first_letter {
                    continue;
                }
                let mut last = start;
                let holds = phrase.stems.iter().all(|(offset, stem)| {
                    let position = words[start].position + offset;
                    let Some(at) = words[start..]
                        .iter()
                        .position(|word| word.position >= position)
                        .map(|at| start + at)
                        .filter(|&at| words[at].position == position)
                    else {
                        return false;
                    };
                    last = at;
                    stems.get(at, &words, text, &self.stemmer, &mut self.scratch) == Some(stem)
                });
                if holds {
                    found.push(Mark {
                        from: words[start].from,
                        to: words[last].to,
                        query: phrase.query.clone(),
                        kind: phrase.via,
                        in_phrase: false,
                        only_together: false,
                        part: None,
                    });
                    covered_to = words[last].to;
                    break;
                }
            }
        }
        if found.is_empty() {
            return;
        }
        marks.retain(|mark| {
            !found
                .iter()
                .any(|phrase| mark.from < phrase.to && phrase.from < mark.to)
        });
        marks.extend(found);
        marks.sort_by_key(|mark| mark.from);
    }
}

/// The stems of the words of a text, each found when first asked for.
struct WordStems {
    /// `None` not yet stemmed, `Some(None)` a stop word.
    stems: Vec<Option<Option<String>>>,
}

impl WordStems {
    fn new(words: usize) -> WordStems {
        WordStems {
            stems: vec![None; words],
        }
    }

    /// The stem of `words[at]` in `text`, or `None` for a stop word.
    fn get(
        &mut self,
        at: usize,
        words: &[Span],
        text: &str,
        stemmer: &Stemmer,
        scratch: &mut String,
    ) -> Option<&String> {
        let slot = &mut self.stems[at];
        if slot.is_none() {
            let mut stem = String::new();
            let kept = stemmer.stem_cached(&text[words[at].from..words[at].to], scratch, &mut stem);
            *slot = Some(kept.then_some(stem));
        }
        slot.as_ref().and_then(Option::as_ref)
    }
}

/// The first letter of `word` as its stem starts: lowercase, umlauts without their dots
/// (the stem of `Ältere` is `alt`).
fn folded_first_letter(word: &str) -> Option<char> {
    let first = word.chars().next()?.to_lowercase().next()?;
    Some(match first {
        'ä' => 'a',
        'ö' => 'o',
        'ü' => 'u',
        other => other,
    })
}

/// Drops the marks of compound parts (`Arbeit` for `Telearbeit`) that stand farther than
/// [`PARTS_SLOP`] words from every mark of another part of the same query word: parts near
/// each other are how a paper matched (`Plätze in der Kita` for `Kitaplatz`), a lone part is
/// just a common word.
///
/// [`PARTS_SLOP`]: crate::query::PARTS_SLOP
fn keep_parts_near(text: &str, marks: &mut Vec<Mark>) {
    if !marks.iter().any(|mark| mark.part.is_some()) {
        return;
    }
    let near = |first: &Mark, second: &Mark| {
        let (before, after) = if first.from <= second.from {
            (first, second)
        } else {
            (second, first)
        };
        let gap = text.get(before.to..after.from).unwrap_or("");
        let words = gap
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .take(crate::query::PARTS_SLOP as usize + 1)
            .count();
        words <= crate::query::PARTS_SLOP as usize
    };
    let keep: Vec<bool> = marks
        .iter()
        .map(|mark| match &mark.part {
            None => true,
            Some(part) => marks.iter().any(|other| {
                other.query == mark.query
                    && other
                        .part
                        .as_ref()
                        .is_some_and(|other_part| other_part != part)
                    && near(mark, other)
            }),
        })
        .collect();
    let mut flags = keep.into_iter();
    marks.retain(|_| flags.next().unwrap_or(true));
}

/// Drops the marks of phrase words that stand alone (`Anlage` for `PV-Anlage`) when `text`
/// holds words of the same phrase together: otherwise every "Anlage 1" would be marked and
/// pull the snippet window away from the `PV-Anlage`. A text that holds the words only
/// apart keeps them all (the paper was found through its parts), except the words of a
/// synonym (`Plan` of `B-Plan`, searched for `Bebauungsplan`).
fn keep_phrases_together(text: &str, marks: &mut Vec<Mark>) {
    if !marks.iter().any(|mark| mark.in_phrase) {
        return;
    }
    let beside = |first: &Mark, second: &Mark| {
        first.in_phrase
            && second.in_phrase
            && first.query == second.query
            && !text[first.to..second.from].contains(char::is_alphanumeric)
    };
    let together: Vec<bool> = (0..marks.len())
        .map(|at| {
            (at > 0 && beside(&marks[at - 1], &marks[at]))
                || marks
                    .get(at + 1)
                    .is_some_and(|next| beside(&marks[at], next))
        })
        .collect();
    let queries_together: Vec<&str> = marks
        .iter()
        .zip(&together)
        .filter(|(_, &together)| together)
        .map(|(mark, _)| mark.query.as_str())
        .collect();
    let keep: Vec<bool> = marks
        .iter()
        .zip(&together)
        .map(|(mark, &together)| {
            together
                || !mark.in_phrase
                || (!mark.only_together && !queries_together.contains(&mark.query.as_str()))
        })
        .collect();
    let mut flags = keep.into_iter();
    marks.retain(|_| flags.next().unwrap_or(true));
}

impl Mark {
    /// The mark of `span`, which matched `target` as `kind`.
    fn new(span: &Span, target: &Target, kind: MatchKind) -> Mark {
        // A synonym or a correction is that, however its own form matched.
        let kind = if target.via == MatchKind::Exact {
            kind
        } else {
            target.via
        };
        Mark {
            from: span.from,
            to: span.to,
            query: target.query.clone(),
            kind,
            in_phrase: target.in_phrase,
            only_together: target.only_together,
            part: (target.via == MatchKind::Compound).then(|| target.text.clone()),
        }
    }
}

/// Writes the skeleton of the folded word or stem `folded` into `out`: its bytes without the
/// letter `e`.
///
/// The skeleton of a word's stem is a prefix of the word's skeleton, so a word whose skeleton
/// holds no stem's skeleton has no part with one of those stems. The German Snowball
/// algorithm only rewrites `ß ae oe ue` as `ss ä ö ü`, cuts suffixes (`-ln` to `-l`) and
/// turns `ä ö ü` back into `a o u`; the stem is then folded (`ä` as `ae`). Without `e`,
/// `ae`, `ä` and `a` are all `a`, so what remains is the cut. Compound parts are substrings
/// of the folded word, so their stems' skeletons are substrings of its skeleton.
fn skeleton(folded: &str, out: &mut Vec<u8>) {
    out.clear();
    out.extend(folded.bytes().filter(|&byte| byte != b'e'));
}

/// The [`skeleton`]s of some highlight targets, to find in the skeletons of words.
struct Skeletons {
    skeletons: Vec<Vec<u8>>,
    /// Whether a skeleton starts with the byte: most bytes of a word start none.
    starts: [bool; 256],
    /// Whether a skeleton is empty, and so found in every word.
    has_empty: bool,
}

impl Skeletons {
    fn new<'t>(targets: impl IntoIterator<Item = &'t Target>) -> Skeletons {
        let mut skeletons = Skeletons {
            skeletons: Vec::new(),
            starts: [false; 256],
            has_empty: false,
        };
        for target in targets {
            let mut target_skeleton = Vec::new();
            skeleton(&target.text, &mut target_skeleton);
            match target_skeleton.first() {
                Some(&first) => skeletons.starts[usize::from(first)] = true,
                None => skeletons.has_empty = true,
            }
            skeletons.skeletons.push(target_skeleton);
        }
        skeletons
    }

    /// Whether one of the skeletons occurs in `word_skeleton`.
    fn found_in(&self, word_skeleton: &[u8]) -> bool {
        self.has_empty
            || (0..word_skeleton.len()).any(|at| {
                self.starts[usize::from(word_skeleton[at])]
                    && self
                        .skeletons
                        .iter()
                        .any(|target_skeleton| word_skeleton[at..].starts_with(target_skeleton))
            })
    }
}

/// The target among `stems` that is the stem of a part of the compound `raw` (with the exact
/// form `exact`), if any. Only capitalised words are split, as when indexing.
fn compound_target<'a>(
    raw: &str,
    exact: &str,
    stems: &'a [Target],
    stemmer: &Stemmer,
    scratch: &mut String,
    stem: &mut String,
) -> Option<&'a Target> {
    if !raw.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let parts = splitter().split_cached(exact);
    // A query word inside the compound (`Telearbeit` in `Telearbeitsplätze`) before a part
    // of a compound query word (`Arbeit` of `Telearbeit`).
    let mut part_target = None;
    for part in parts.iter() {
        if !stemmer.stem_cached(part, scratch, stem) {
            continue;
        }
        match Highlight::find(stems, stem) {
            Some(target) if target.via != MatchKind::Compound => return Some(target),
            Some(target) => {
                part_target.get_or_insert(target);
            }
            None => {}
        }
    }
    part_target
}

/// Whether a word with the exact form `exact` could have one of `stems` as its stem: a stem
/// keeps the first letter of the folded word (Snowball removes suffixes, and `ä` folds to
/// `ae` while its stem keeps `a`). Saves stemming most words of a passage.
fn could_stem_to(exact: &str, stems: &[Target]) -> bool {
    let first = exact.as_bytes().first();
    stems
        .iter()
        .any(|target| target.text.as_bytes().first() == first)
}

/// Adds the reasons behind `marks` in `text` to `matched`.
fn explain_marks(text: &str, marks: &[Mark], matched: &mut Vec<Match>) {
    for mark in marks {
        explain::add(
            matched,
            Match {
                query: mark.query.clone(),
                form: text[mark.from..mark.to].to_string(),
                kind: mark.kind,
            },
        );
    }
}

/// The byte ranges of the words of `text` that `highlight` marks, in order.
pub(crate) fn mark_ranges(highlight: &Highlight, text: &str) -> Vec<Range<usize>> {
    Marker::new(highlight)
        .find_marks(text)
        .into_iter()
        .map(|mark| mark.from..mark.to)
        .collect()
}

/// Cuts a snippet of about [`SNIPPET_BYTES`] from `text`, around the window with the most
/// distinct matches, HTML-escaped, matches in `<mark>`, `…` on cut sides.
#[cfg(test)]
pub(crate) fn render(text: &str, highlight: &Highlight) -> String {
    let text = text.trim();
    render_marks(text, &Marker::new(highlight).find_marks(text))
}

/// [`render`] with the marks already found in the trimmed `text`.
fn render_marks(text: &str, marks: &[Mark]) -> String {
    let Some((first, last)) = best_window(marks) else {
        let end = cut_end(text, 0, SNIPPET_BYTES);
        return assemble(text, 0, end, &[]);
    };
    let covered = marks[last].to - marks[first].from;
    let context = CONTEXT_BYTES.min(SNIPPET_BYTES.saturating_sub(covered) / 2);
    let mut start = floor_char_boundary(text, marks[first].from.saturating_sub(context));
    if start > 0 {
        // Start at a word: after the nearest whitespace at or before the first match.
        start = text[start..marks[first].from]
            .find(char::is_whitespace)
            .map_or(start, |at| ceil_char_boundary(text, start + at + 1));
    }
    let end = cut_end(text, start, SNIPPET_BYTES).max(marks[last].to);
    assemble(text, start, end, &marks[first..=last])
}

/// Returns the end of a window of about `length` bytes from `start`, at a word break.
fn cut_end(text: &str, start: usize, length: usize) -> usize {
    if text.len() - start <= length {
        return text.len();
    }
    let end = floor_char_boundary(text, start + length);
    text[start..end]
        .rfind(char::is_whitespace)
        .map_or(end, |at| start + at)
}

/// Returns the first and last mark of the window of [`SNIPPET_BYTES`] that holds the most
/// distinct terms, then the most marks; `None` without marks.
fn best_window(marks: &[Mark]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, usize, usize)> = None;
    for first in 0..marks.len() {
        let mut terms: HashSet<&str> = HashSet::new();
        let mut last = first;
        for (index, mark) in marks.iter().enumerate().skip(first) {
            if mark.to - marks[first].from > SNIPPET_BYTES {
                break;
            }
            terms.insert(&mark.query);
            last = index;
        }
        let candidate = (terms.len(), last - first + 1, first, last);
        if best
            .is_none_or(|(n_terms, n_marks, _, _)| (candidate.0, candidate.1) > (n_terms, n_marks))
        {
            best = Some(candidate);
        }
    }
    best.map(|(_, _, first, last)| (first, last))
}

/// Writes `text[start..end]` escaped, with `marks` in `<mark>` and ellipses on cut sides.
fn assemble(text: &str, start: usize, end: usize, marks: &[Mark]) -> String {
    let mut snippet = String::with_capacity(end - start + 16 * marks.len() + 8);
    if start > 0 {
        snippet.push_str(ELLIPSIS);
    }
    let mut at = start;
    for mark in marks {
        if mark.from < at || mark.to > end {
            continue;
        }
        escape_into(&text[at..mark.from], &mut snippet);
        snippet.push_str("<mark>");
        escape_into(&text[mark.from..mark.to], &mut snippet);
        snippet.push_str("</mark>");
        at = mark.to;
    }
    escape_into(&text[at..end], &mut snippet);
    if end < text.len() {
        snippet.push_str(ELLIPSIS);
    }
    snippet
}

/// Appends `text` HTML-escaped, with runs of whitespace as one space.
fn escape_into(text: &str, out: &mut String) {
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{paper_schema, PaperFields};

    /// The highlight of a query.
    fn highlight(query_text: &str) -> Highlight {
        let fields = PaperFields::resolve(&paper_schema()).unwrap();
        let synonyms = crate::Synonyms::built_in();
        let clauses = crate::query::parse(query_text);
        let strictness = crate::query::Strictness::All;
        crate::query::compile_with(
            &clauses,
            &fields,
            &synonyms,
            strictness,
            crate::query::QueryWords {
                named: &Default::default(),
                splits: &Vec::new(),
                references: &Vec::new(),
            },
            &[],
        )
        .highlight
    }

    fn check(text: &str, words: &str, expected: &str) {
        assert_eq!(render(text, &highlight(words)), expected, "text: {text:?}");
    }

    #[test]
    fn snippets() {
        check(
            "Wird mobile Arbeit und Telearbeit ermöglicht?",
            "Telearbeit",
            "Wird <mark>mobile Arbeit</mark> und <mark>Telearbeit</mark> ermöglicht?",
        );
        check(
            "Die <b>Telearbeit</b> & \"mehr\"",
            "telearbeiten",
            "Die &lt;b&gt;<mark>Telearbeit</mark>&lt;/b&gt; &amp; &quot;mehr&quot;",
        );
        check(
            "Die Kongreßhalle",
            "Kongresshalle",
            "Die <mark>Kongreßhalle</mark>",
        );
        check(
            "Siehe VII-F-01504 und VII-F-01504-AW-01.",
            "VII-F-01504",
            "Siehe <mark>VII-F-01504</mark> und VII-F-01504-AW-01.",
        );
        check("Kein Treffer hier.", "Telearbeit", "Kein Treffer hier.");
        check("", "Telearbeit", "");
    }

    #[test]
    fn synonyms_of_several_words_are_marked_as_the_phrase() {
        // Inflected as the search finds them, as one mark.
        check(
            "Das mobile Arbeiten gewinnt an Bedeutung.",
            "Telearbeit",
            "Das <mark>mobile Arbeiten</mark> gewinnt an Bedeutung.",
        );
        check(
            "Angebote für ältere Menschen im Quartier",
            "Senioren",
            "Angebote für <mark>ältere Menschen</mark> im Quartier",
        );
        // A stop word inside the phrase, as in the index.
        check(
            "Ein Antrag der Alternative für Deutschland liegt vor.",
            "AfD",
            "Ein Antrag der <mark>Alternative für Deutschland</mark> liegt vor.",
        );
        // Its words apart or alone are no synonym.
        check(
            "Die Arbeit wird mobil erledigt; Menschen",
            "Telearbeit Senioren",
            "Die Arbeit wird mobil erledigt; Menschen",
        );
        check(
            "Ältere Gebäude für Menschen",
            "Senioren",
            "Ältere Gebäude für Menschen",
        );
    }

    #[test]
    fn snippets_are_bounded_around_the_best_match() {
        let text = format!(
            "{} Hier steht die Telearbeit. {}",
            "Vorher viel Text. ".repeat(50),
            "Danach noch mehr Text. ".repeat(50)
        );
        let snippet = render(&text, &highlight("Telearbeit"));
        assert!(
            snippet.starts_with(ELLIPSIS) && snippet.ends_with(ELLIPSIS),
            "{snippet}"
        );
        assert!(snippet.contains("<mark>Telearbeit</mark>"), "{snippet}");
        let visible = snippet.replace("<mark>", "").replace("</mark>", "");
        assert!(
            visible.len() <= SNIPPET_BYTES + 2 * ELLIPSIS.len(),
            "{snippet}"
        );
        // Without a match the snippet is the beginning.
        let plain = render(&text, &Highlight::default());
        assert!(plain.starts_with("Vorher viel Text.") && plain.ends_with(ELLIPSIS));
    }

    #[test]
    fn phrase_words_are_marked_together_where_a_text_holds_them_together() {
        // `Anlage 1` is the attachment label, not half of the PV-Anlage.
        check(
            "Siehe Anlage 1. Die PV-Anlage auf dem Dach, Anlage 2.",
            "PV-Anlage",
            "Siehe Anlage 1. Die <mark>PV</mark>-<mark>Anlage</mark> auf dem Dach, Anlage 2.",
        );
        check(
            "Die Stadt Leipzig und die Stadt.",
            "\"Stadt Leipzig\"",
            "Die <mark>Stadt</mark> <mark>Leipzig</mark> und die Stadt.",
        );
        // Only apart (found through its parts): all are marked.
        check(
            "Anlage 1 nennt die PV auf dem Dach.",
            "PV-Anlage",
            "<mark>Anlage</mark> 1 nennt die <mark>PV</mark> auf dem Dach.",
        );
        // A word also searched on its own is marked on its own.
        for query in ["Anlage PV-Anlage", "PV-Anlage Anlage"] {
            check(
                "Siehe Anlage 1. Die PV-Anlage.",
                query,
                "Siehe <mark>Anlage</mark> 1. Die <mark>PV</mark>-<mark>Anlage</mark>.",
            );
        }
    }

    #[test]
    fn the_window_with_most_distinct_words_wins() {
        let text = format!(
            "Radweg allein. {} Radweg und Beleuchtung zusammen. {}",
            "Fülltext ohne Bezug. ".repeat(30),
            "Schluss. ".repeat(30)
        );
        let snippet = render(&text, &highlight("Radweg Beleuchtung"));
        assert!(
            snippet.contains("<mark>Radweg</mark> und <mark>Beleuchtung</mark>"),
            "{snippet}"
        );
    }

    /// Asserts what [`skeleton`] relies on for the word `raw`: the skeleton of its stem is a
    /// prefix of its skeleton, and the skeleton of the stem of each compound part is in it.
    fn check_skeleton(raw: &str) {
        let stemmer = Stemmer::default();
        let (mut exact, mut scratch, mut stem) = (String::new(), String::new(), String::new());
        let (mut word_skeleton, mut stem_skeleton) = (Vec::new(), Vec::new());
        fold_exact(raw, &mut exact);
        skeleton(&exact, &mut word_skeleton);
        if stemmer.stem(raw, &mut scratch, &mut stem) {
            skeleton(&stem, &mut stem_skeleton);
            assert!(
                word_skeleton.starts_with(&stem_skeleton),
                "{raw:?} stems to {stem:?}"
            );
        }
        for part in splitter().split(&exact) {
            if stemmer.stem(&part, &mut scratch, &mut stem) {
                let target = Target {
                    text: stem.clone(),
                    query: part.clone(),
                    via: MatchKind::Exact,
                    in_phrase: false,
                    only_together: false,
                };
                assert!(
                    Skeletons::new([&target]).found_in(&word_skeleton),
                    "{raw:?} has the part {part:?}, which stems to {stem:?}"
                );
            }
        }
    }

    #[test]
    fn stems_keep_the_skeleton_of_their_word() {
        for raw in [
            "Häuser",
            "Mueller",
            "Quelle",
            "Straße",
            "Grundschulen",
            "Telearbeitsplätze",
            "Bauarbeiterinnen",
            "Wechseln",
            "Frauen",
            "Bayern",
            "Kongreßhalle",
            "Café",
            "2020er",
            "VII-F-01504",
        ] {
            check_skeleton(raw);
        }
        let lexicon = include_str!("../data/compound-lexicon.txt");
        for word in lexicon.lines().filter(|line| !line.starts_with('#')) {
            let mut capitalised: String =
                word.chars().take(1).flat_map(char::to_uppercase).collect();
            capitalised.extend(word.chars().skip(1));
            check_skeleton(&capitalised);
            for ending in ["n", "s", "en", "ern", "ln", "lns", "erinnen"] {
                check_skeleton(&format!("{word}{ending}"));
            }
        }
    }

    #[test]
    fn skeletons_are_found_inside_words() {
        let targets: Vec<Target> = ["schul", "haltestell", ""]
            .iter()
            .map(|text| Target {
                text: text.to_string(),
                query: text.to_string(),
                via: MatchKind::Exact,
                in_phrase: false,
                only_together: false,
            })
            .collect();
        let check = |targets: &[Target], word: &str, expected: bool| {
            let mut word_skeleton = Vec::new();
            skeleton(word, &mut word_skeleton);
            let found = Skeletons::new(targets).found_in(&word_skeleton);
            assert_eq!(found, expected, "{word:?}");
        };
        check(&targets[..2], "grundschulen", true);
        check(&targets[..2], "haltestellen", true);
        check(&targets[..2], "schu", false);
        check(&targets[..2], "rathaus", false);
        check(&targets[..2], "", false);
        check(&targets, "rathaus", true);
        check(&[], "rathaus", false);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 2_000,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        #[test]
        fn any_word_keeps_its_skeleton(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "e", "i", "o", "u", "y", "ä", "ö", "ü", "ß", "ae", "oe", "ue", "qu",
                    "b", "d", "g", "h", "k", "l", "m", "n", "r", "s", "t", "ln", "nis", "ig",
                    "isch", "lich", "heit", "keit", "ung", "end", "erin", "st", "syst", "é",
                    "Ä", "U", "Y", "1",
                ]),
                1..12,
            )
        ) {
            check_skeleton(&pieces.concat());
        }
    }

    #[test]
    fn passages_are_bounded() {
        let text = "Ein Satz mit einigen Wörtern. ".repeat(1_000);
        let passages = split_passages(&text);
        assert!(passages.len() > 10);
        assert!(passages
            .iter()
            .all(|range| range.len() <= MAX_PASSAGE_BYTES && !range.is_empty()));
        let joined: usize = passages
            .iter()
            .map(|range| text[range.clone()].split_whitespace().count())
            .sum();
        assert_eq!(joined, text.split_whitespace().count());
        let short = "  kurz  ";
        assert_eq!(split_passages(short).first(), Some(&(2..6)));
        assert!(split_passages(" \n ").is_empty());
        // No whitespace at all: hard cuts at char boundaries.
        let unbroken = "ä".repeat(5_000);
        let pieces: String = split_passages(&unbroken)
            .into_iter()
            .map(|range| &unbroken[range])
            .collect();
        assert_eq!(pieces, unbroken);
    }

    #[test]
    fn positions_of_passage_starts() {
        let text = "Der Rat (VII-F-01504) tagt. Danach: Pause.";
        let offsets = [0, 4, 9, 22, 27, 28, text.len()];
        // Der@0 Rat@1 VII-F-01504@2 (parts 2..4) tagt@5 Danach@6 Pause@7.
        assert_eq!(positions_at(text, &offsets), [0, 1, 2, 5, 6, 6, 8]);
        assert_eq!(positions_at("", &[0]), [0]);
    }

    #[test]
    fn leads() {
        assert_eq!(lead(" kurz "), "kurz");
        let long = "Wort ".repeat(100);
        let cut = lead(&long);
        assert!(cut.ends_with(ELLIPSIS) && cut.len() <= SNIPPET_BYTES + ELLIPSIS.len());
    }
}
