//! A union of queries that moves its parts only as far as asked.
//!
//! tantivy scores a disjunction with a buffered union: when it is built and on every seek
//! beyond its window it advances each part over the next 4,096 documents and scores all of
//! them. Where the union leads or stands alone that is fast; as one clause of an intersection,
//! asked only about the papers of a rarer clause, it is mostly wasted: 87 % of a 16 ms search
//! for `standortentwicklung dränschicht` at 100,000 papers went to position checks of the
//! parts of `Standortentwicklung` near each other in papers without `Dränschicht`.
//! [`LazyUnion`] seeks each part to the target alone (through `seek_danger`, which a phrase
//! answers by checking that one document) and scores the parts on the current document in
//! clause order, so the score is the same sum as the buffered union's.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// A disjunction of `queries` (each an optional clause) scored as the sum of the matching ones.
#[derive(Debug)]
pub(crate) struct LazyUnion {
    queries: Vec<Box<dyn Query>>,
}

impl LazyUnion {
    pub(crate) fn new(queries: Vec<Box<dyn Query>>) -> LazyUnion {
        LazyUnion { queries }
    }
}

impl Clone for LazyUnion {
    fn clone(&self) -> LazyUnion {
        LazyUnion {
            queries: self.queries.iter().map(|query| query.box_clone()).collect(),
        }
    }
}

impl Query for LazyUnion {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .queries
            .iter()
            .map(|query| query.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(LazyUnionWeight {
            weights,
            scoring: enable_scoring.is_scoring_enabled(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for query in &self.queries {
            query.query_terms(visitor);
        }
    }
}

struct LazyUnionWeight {
    weights: Vec<Box<dyn Weight>>,
    scoring: bool,
}

impl Weight for LazyUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let parts = self
            .weights
            .iter()
            .map(|weight| weight.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(LazyUnionScorer::new(parts, self.scoring)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of the matching parts", scorer.score());
        for weight in &self.weights {
            if let Ok(part) = weight.explain(reader, doc) {
                explanation.add_detail(part);
            }
        }
        Ok(explanation)
    }
}

/// The scorer of [`LazyUnion`] on one segment.
struct LazyUnionScorer {
    /// The parts; a part is positioned at its first document at or after `doc`, or (after a
    /// `seek_danger` that did not find the target) at a lower bound of it.
    parts: Vec<Box<dyn Scorer>>,
    /// Per part: whether it stands exactly on its `doc()` (false after a missed
    /// `seek_danger`, when only a lower bound of its next document is known).
    valid: Vec<bool>,
    /// Per part: its document, or the lower bound of its next one.
    docs: Vec<DocId>,
    doc: DocId,
    scoring: bool,
}

impl LazyUnionScorer {
    fn new(parts: Vec<Box<dyn Scorer>>, scoring: bool) -> LazyUnionScorer {
        let docs: Vec<DocId> = parts.iter().map(|part| part.doc()).collect();
        let valid = vec![true; parts.len()];
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        LazyUnionScorer {
            parts,
            valid,
            docs,
            doc,
            scoring,
        }
    }

    /// Makes every part stand on its first document at or after `target` (a valid state), and
    /// the union on the smallest of them.
    fn settle(&mut self, target: DocId) -> DocId {
        for ((part, doc), valid) in self
            .parts
            .iter_mut()
            .zip(&mut self.docs)
            .zip(&mut self.valid)
        {
            if !*valid {
                // Only seek_danger may follow a missed seek_danger; it leaves a valid part
                // once it finds a document, so walk up to one.
                let mut lower = (*doc).max(target);
                loop {
                    match part.seek_danger(lower) {
                        tantivy::SeekDangerResult::Found => {
                            *doc = lower;
                            break;
                        }
                        tantivy::SeekDangerResult::SeekLowerBound(next) => {
                            if next >= TERMINATED {
                                *doc = TERMINATED;
                                break;
                            }
                            lower = next;
                        }
                    }
                }
                *valid = true;
            } else if *doc < target {
                *doc = part.seek(target);
            }
        }
        self.doc = self.docs.iter().copied().min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for LazyUnionScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let current = self.doc;
        for ((part, doc), valid) in self.parts.iter_mut().zip(&mut self.docs).zip(&self.valid) {
            if *valid && *doc == current {
                *doc = part.advance();
            }
        }
        self.settle(current + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.settle(target)
    }

    fn seek_danger(&mut self, target: DocId) -> tantivy::SeekDangerResult {
        if target >= TERMINATED {
            return tantivy::SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        // Each part is asked about the target alone; the union is on the target when one of
        // them is, and otherwise the smallest lower bound is one of the union's.
        let mut found = false;
        let mut lower = TERMINATED;
        for ((part, doc), valid) in self
            .parts
            .iter_mut()
            .zip(&mut self.docs)
            .zip(&mut self.valid)
        {
            if *valid && *doc >= target {
                found |= *doc == target;
                lower = lower.min(*doc);
                continue;
            }
            if !*valid && *doc > target {
                lower = lower.min(*doc);
                continue;
            }
            match part.seek_danger(target) {
                tantivy::SeekDangerResult::Found => {
                    *doc = target;
                    *valid = true;
                    found = true;
                }
                tantivy::SeekDangerResult::SeekLowerBound(next) => {
                    *doc = next;
                    *valid = false;
                    lower = lower.min(next);
                }
            }
        }
        if found {
            // The parts not on the target keep a lower bound; `doc()` and `score()` only
            // look at the parts standing on it.
            self.doc = target;
            tantivy::SeekDangerResult::Found
        } else {
            self.doc = lower;
            tantivy::SeekDangerResult::SeekLowerBound(lower)
        }
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts
            .iter()
            .map(|part| part.size_hint())
            .max()
            .unwrap_or(0)
    }

    fn cost(&self) -> u64 {
        self.parts.iter().map(|part| part.cost()).sum()
    }
}

impl Scorer for LazyUnionScorer {
    fn score(&mut self) -> Score {
        if !self.scoring {
            return 0.0;
        }
        let current = self.doc;
        let mut score = 0.0;
        for ((part, doc), valid) in self.parts.iter_mut().zip(&self.docs).zip(&self.valid) {
            if *valid && *doc == current {
                score += part.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, DocAddress, Index, Searcher};

    /// A name, a query with boolean unions and the same with lazy ones.
    type Case = (&'static str, Box<dyn Query>, Box<dyn Query>);

    const WORDS: [&str; 8] = ["rad", "weg", "kita", "platz", "stadt", "rat", "bus", "bahn"];

    /// Papers of pseudo-random words (a linear congruential generator), in three segments; the
    /// word `selten` in every 23rd.
    fn searcher(seed: u64) -> (Searcher, Field) {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut state = seed;
        for paper in 0..600 {
            let mut words: Vec<&str> = (0..(5 + paper % 17))
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    WORDS[(state >> 33) as usize % WORDS.len()]
                })
                .collect();
            if paper % 23 == 0 {
                words.push("selten");
            }
            writer.add_document(doc!(text => words.join(" "))).unwrap();
            if paper % 200 == 199 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        (index.reader().unwrap().searcher(), text)
    }

    fn term(field: Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqsAndPositions,
        ))
    }

    fn phrase(field: Field, words: &[&str], slop: u32) -> Box<dyn Query> {
        let terms = words
            .iter()
            .map(|word| Term::from_field_text(field, word))
            .collect();
        let mut phrase = PhraseQuery::new(terms);
        phrase.set_slop(slop);
        Box::new(phrase)
    }

    /// The parts of a union: phrases with and without slop, and a term.
    fn parts(field: Field) -> Vec<Box<dyn Query>> {
        vec![
            phrase(field, &["rad", "weg"], 3),
            term(field, "kita"),
            phrase(field, &["stadt", "rat"], 0),
        ]
    }

    /// Every hit of `query` with its score, in address order.
    fn hits(searcher: &Searcher, query: &dyn Query) -> Vec<(DocAddress, Score)> {
        let mut hits: Vec<(DocAddress, Score)> = searcher
            .search(query, &TopDocs::with_limit(10_000).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, address)| (address, score))
            .collect();
        hits.sort_by_key(|&(address, _)| address);
        hits
    }

    #[test]
    fn a_lazy_union_finds_and_scores_what_a_boolean_union_does() {
        for seed in [1, 2, 3] {
            let (searcher, field) = searcher(seed);
            let should = |parts: Vec<Box<dyn Query>>| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(
                    parts
                        .into_iter()
                        .map(|query| (Occur::Should, query))
                        .collect(),
                ))
            };
            let lazy =
                |parts: Vec<Box<dyn Query>>| -> Box<dyn Query> { Box::new(LazyUnion::new(parts)) };
            let and = |left: Box<dyn Query>, right: Box<dyn Query>| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, left),
                    (Occur::Must, right),
                ]))
            };
            let pairs: Vec<Case> = vec![
                ("alone", should(parts(field)), lazy(parts(field))),
                (
                    "with a rare word",
                    and(term(field, "selten"), should(parts(field))),
                    and(term(field, "selten"), lazy(parts(field))),
                ),
                (
                    "with a phrase",
                    and(phrase(field, &["bus", "bahn"], 1), should(parts(field))),
                    and(phrase(field, &["bus", "bahn"], 1), lazy(parts(field))),
                ),
                (
                    "nested",
                    and(
                        term(field, "selten"),
                        should(vec![should(parts(field)), term(field, "platz")]),
                    ),
                    and(
                        term(field, "selten"),
                        lazy(vec![lazy(parts(field)), term(field, "platz")]),
                    ),
                ),
            ];
            for (name, expected, actual) in pairs {
                let expected_hits = hits(&searcher, &*expected);
                assert!(!expected_hits.is_empty(), "{name}, seed {seed}");
                assert_eq!(
                    hits(&searcher, &*actual),
                    expected_hits,
                    "{name}, seed {seed}"
                );
                assert_eq!(
                    searcher.search(&*actual, &Count).unwrap(),
                    expected_hits.len(),
                    "{name}, seed {seed}"
                );
            }
        }
    }
}
