//! The query language: words, `"phrases"`, `-exclusion` and `OR`, parsed by hand so that no
//! input can fail, and compiled into tantivy queries over papers and their passages.
//!
//! Words are ANDed. `a OR b` makes one clause with two alternatives. `-word`, `-"phrase"`
//! and `NOT word` exclude; `AND` is accepted and ignored. The German `ODER`, `UND` and
//! `NICHT`, in capitals, are the same operators (`oder`, `und` are stop words, `nicht` a
//! word). Unbalanced quotes run to the end, lone operators are dropped, control characters
//! are spaces, and the input is cut to [`MAX_QUERY_CHARS`] characters and [`MAX_ATOMS`] words
//! or phrases.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur,
    PhrasePrefixQuery, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis::{self, fold_exact, Analyzed, Mode, Stemmer};
use crate::lazy_union::LazyUnion;
use crate::relax;
use crate::schema::PaperFields;
use crate::synonyms::Synonyms;
use crate::MatchKind;

/// Longest query text considered, in characters.
pub(crate) const MAX_QUERY_CHARS: usize = 1_000;
/// Most words and phrases considered.
pub(crate) const MAX_ATOMS: usize = 32;
/// Most words in one phrase.
const MAX_PHRASE_TOKENS: usize = 16;

/// Weight of title matches.
const TITLE_BOOST: f32 = 3.0;
/// Weight of body text matches.
const TEXT_BOOST: f32 = 1.0;
/// Weight of attachment matches.
const ATTACHMENTS_BOOST: f32 = 0.6;
/// Weight of an exact-form match on top of the stem match it always comes with.
const EXACT_BOOST: f32 = 1.0;
/// Weight of a match of the stem as a whole word (not as a compound part), on top of the
/// stem match it always comes with.
const STEM_BOOST: f32 = 1.0;
/// Score of a paper whose reference equals a query word: far above any text score.
const REFERENCE_EXACT_SCORE: f32 = 1_000.0;
/// Score of a paper whose reference starts with a query word (its family).
const REFERENCE_PREFIX_SCORE: f32 = 100.0;
/// Weight of an identifier found as the phrase of its parts rather than whole.
const PARTS_PHRASE_BOOST: f32 = 0.5;
/// Weight of a match of a synonym or abbreviation of a query word or phrase.
const SYNONYM_BOOST: f32 = 0.3;
/// Weight of the other part of speech (`Sanierung` for `sanieren`) relative to the word itself.
const DERIVED_BOOST: f32 = 0.8;
/// Weight of a match of a query compound's parts standing near each other (`Plätze in der
/// Kita` for `Kitaplatz`).
const COMPOUND_PARTS_BOOST: f32 = 0.3;
/// Weight of a match with one edit (searched only when nothing matches as written).
const FUZZY_BOOST: f32 = 0.2;
/// Score added to the papers that the direct search found when a search is widened (see
/// [`direct_first`]): above any score of text matches, so they come first.
const DIRECT_TIER_SCORE: f32 = 10_000.0;
/// Shortest word, in characters, searched with one edit.
const FUZZY_MIN_CHARS: usize = 5;
/// Most references a prefix expands to.
const REFERENCE_PREFIX_EXPANSIONS: u32 = 200;

/// A word or a phrase of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Atom {
    /// A single word (may still contain hyphens: `IT-Ausstattung`).
    Word(String),
    /// A quoted phrase.
    Phrase(String),
}

/// A required or excluded part of the query: one atom or several joined by `OR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clause {
    /// Whether matching papers are excluded.
    pub(crate) negated: bool,
    /// The alternatives; a paper matches the clause when it matches any of them.
    pub(crate) atoms: Vec<Atom>,
}

impl Atom {
    /// The word, or the words of the phrase.
    pub(crate) fn text(&self) -> &str {
        match self {
            Atom::Word(text) | Atom::Phrase(text) => text,
        }
    }

    /// Whether the atom holds a word too long to be indexed. Atoms are cut from the cleaned
    /// query text (see [`parse`]) or made of index terms, so they are not cleaned again.
    fn has_overlong_word(&self) -> bool {
        analysis::has_overlong_word(self.text())
    }
}

impl Clause {
    /// Whether the clause is one question word (`wann`, `viele`; see
    /// [`relax::is_question_word`]), optional when the query has other words.
    pub(crate) fn is_question(&self) -> bool {
        matches!(self.atoms.as_slice(), [Atom::Word(word)] if relax::is_question_word(word))
    }

    /// Whether every hit must match the clause: not excluded, not an optional question word.
    fn is_required(&self) -> bool {
        !self.negated && !self.is_question()
    }
}

/// Whether a query of `clauses` intersects two or more clauses (see [`LazyUnion`]).
pub(crate) fn is_intersection(clauses: &[Clause]) -> bool {
    clauses.iter().filter(|clause| clause.is_required()).count() >= 2
}

/// One lexical item of the query text.
enum Item {
    Or,
    Atom { negated: bool, atom: Atom },
}

/// The single words (not phrases) of the clauses that are not negated.
pub(crate) fn positive_words(clauses: &[Clause]) -> impl Iterator<Item = &String> {
    clauses
        .iter()
        .filter(|clause| !clause.negated)
        .flat_map(|clause| &clause.atoms)
        .filter_map(|atom| match atom {
            Atom::Word(word) => Some(word),
            Atom::Phrase(_) => None,
        })
}

/// Parses query text into clauses. Never fails; unusable parts are dropped.
pub(crate) fn parse(text: &str) -> Vec<Clause> {
    let limited: String = text
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = analysis::clean_text(&limited);
    group(lex(&cleaned))
}

/// Splits query text into words, phrases and operators.
fn lex(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut chars = text.chars().peekable();
    let mut pending_not = false;
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut negated = std::mem::take(&mut pending_not);
        if c == '-' || c == '+' {
            chars.next();
            negated |= c == '-';
            match chars.peek() {
                Some(next) if !next.is_whitespace() => {}
                // A lone operator means nothing.
                _ => continue,
            }
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|&c| c != '"').collect();
            if !phrase.trim().is_empty() {
                items.push(Item::Atom {
                    negated,
                    atom: Atom::Phrase(phrase),
                });
            }
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '"' {
                break;
            }
            word.push(c);
            chars.next();
        }
        match word.as_str() {
            "" => {}
            "OR" | "ODER" | "|" | "||" if !negated => items.push(Item::Or),
            "AND" | "UND" | "&&" => pending_not = negated,
            "NOT" | "NICHT" => pending_not = true,
            _ => items.push(Item::Atom {
                negated,
                atom: Atom::Word(word),
            }),
        }
    }
    items
}

/// The query text without its quotes, when its clauses hold a phrase and none is excluded
/// (`-"…"` without quotes would exclude only the first word): the words of a phrase no paper
/// holds, to offer instead.
pub(crate) fn unquoted(text: &str, clauses: &[Clause]) -> Option<String> {
    let phrase = |clause: &Clause| {
        clause
            .atoms
            .iter()
            .any(|atom| matches!(atom, Atom::Phrase(_)))
    };
    if !clauses.iter().any(phrase)
        || clauses
            .iter()
            .any(|clause| clause.negated && phrase(clause))
    {
        return None;
    }
    let words: Vec<&str> = text.split('"').flat_map(str::split_whitespace).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Joins atoms separated by `OR` into clauses.
fn group(items: Vec<Item>) -> Vec<Clause> {
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending_or = false;
    let mut n_atoms = 0;
    for item in items {
        match item {
            Item::Or => pending_or = true,
            Item::Atom { negated, atom } => {
                if n_atoms == MAX_ATOMS {
                    break;
                }
                n_atoms += 1;
                match clauses.last_mut() {
                    Some(last) if pending_or && !negated && !last.negated => last.atoms.push(atom),
                    _ => clauses.push(Clause {
                        negated,
                        atoms: vec![atom],
                    }),
                }
                pending_or = false;
            }
        }
    }
    // A clause typed twice asks nothing new (`Kita Kita`), but would be searched twice.
    let mut unique: Vec<Clause> = Vec::with_capacity(clauses.len());
    for clause in clauses {
        if !unique.contains(&clause) {
            unique.push(clause);
        }
    }
    unique
}

/// Terms to highlight in a snippet: exact forms and stems of the positive query words and
/// of their synonyms, each with the query word it came from.
///
/// Plain lists: a query has few words, and a short linear scan beats hashing.
#[derive(Debug, Clone, Default)]
pub(crate) struct Highlight {
    /// Exact forms (see [`analysis::GERMAN_EXACT`]).
    pub(crate) exact: Vec<Target>,
    /// Stems (see [`analysis::GERMAN`]).
    pub(crate) stems: Vec<Target>,
    /// Whether the parts of a compound query word (targets via [`MatchKind::Compound`]) are
    /// marked anywhere: the query found papers only with its parts apart. Otherwise a part
    /// is marked only near another part of its word (`Plätze in der Kita` for `Kitaplatz`),
    /// not every `Arbeit` of a paper found for `Telearbeit`.
    pub(crate) parts_anywhere: bool,
    /// Synonyms of several words (`ältere Menschen` for `Senioren`): marked as a whole where a
    /// text holds them as the phrase the search found, never word by word (`Menschen` alone is
    /// no synonym of `Senioren`).
    pub(crate) phrases: Vec<PhraseTarget>,
    /// Stems of words also searched one edit away (the fuzzy fallback): the search does not
    /// know which words of the index those edits found, so the hit texts look them up (see
    /// [`Highlight::add_edits`]) before marking.
    pub(crate) fuzzy: Vec<Target>,
}

/// A synonym of several words to highlight (see [`Highlight::phrases`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PhraseTarget {
    /// The stems of its words with their positions after the first (a stop word leaves a
    /// gap, as in the index: `Alternative für Deutschland`).
    pub(crate) stems: Vec<(usize, String)>,
    /// The query word, as typed, that the synonym stands for.
    pub(crate) query: String,
    /// [`MatchKind::Synonym`], or [`MatchKind::Fuzzy`] for a synonym of a spelling
    /// correction (as for the words of [`Target`]).
    pub(crate) via: MatchKind,
}

/// One term to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// The exact form or stem.
    pub(crate) text: String,
    /// The query word or phrase, as typed, that the term stands for.
    pub(crate) query: String,
    /// How the term relates to the query word: [`MatchKind::Exact`] for the word itself,
    /// [`MatchKind::Synonym`] or [`MatchKind::Fuzzy`] for a synonym or a spelling correction,
    /// [`MatchKind::Compound`] for the stem of one part of a compound query word.
    pub(crate) via: MatchKind,
    /// Whether the term is one word of a phrase or hyphenated word (`Anlage` of `PV-Anlage`):
    /// marked only beside another word of it where a text holds the words together.
    pub(crate) in_phrase: bool,
    /// Whether such a word is marked only beside another word of it, even where a text holds
    /// the words only apart: the words of a synonym (`Plan` of `B-Plan` for `Bebauungsplan`).
    pub(crate) only_together: bool,
}

impl Highlight {
    /// Whether nothing is highlighted.
    pub(crate) fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.stems.is_empty() && self.phrases.is_empty()
    }

    /// Whether `text` is one of `targets`.
    pub(crate) fn find<'a>(targets: &'a [Target], text: &str) -> Option<&'a Target> {
        targets.iter().find(|target| target.text == text)
    }

    /// Marks every term that came from the query word `corrected` as a spelling correction
    /// of `original`.
    pub(crate) fn mark_corrected(&mut self, corrected: &str, original: &str) {
        for phrase in &mut self.phrases {
            if phrase.query == corrected {
                phrase.query = original.to_string();
                phrase.via = MatchKind::Fuzzy;
            }
        }
        for target in self.exact.iter_mut().chain(self.stems.iter_mut()) {
            if target.query == corrected {
                target.query = original.to_string();
                // A part stays a part: it is marked only near another part of its word.
                if target.via != MatchKind::Compound {
                    target.via = MatchKind::Fuzzy;
                }
            }
        }
    }

    /// Adds the terms of `other` that this highlight does not have.
    pub(crate) fn merge(&mut self, other: Highlight) {
        self.parts_anywhere |= other.parts_anywhere;
        for phrase in other.phrases {
            self.add_phrase(phrase);
        }
        for (targets, more) in [
            (&mut self.exact, other.exact),
            (&mut self.stems, other.stems),
            (&mut self.fuzzy, other.fuzzy),
        ] {
            for target in more {
                if Highlight::find(targets, &target.text).is_none() {
                    targets.push(target);
                }
            }
        }
    }

    /// Marks `edits`, the stems of the index one edit away from the fuzzy stem `of`, as
    /// spelling corrections of its query word.
    pub(crate) fn add_edits(&mut self, of: &Target, edits: impl Iterator<Item = String>) {
        let origin = Origin {
            query: of.query.clone(),
            via: MatchKind::Fuzzy,
        };
        Highlight::extend(&mut self.stems, edits, &origin, false, false);
    }

    /// Adds a synonym of several words unless it is there.
    fn add_phrase(&mut self, phrase: PhraseTarget) {
        if !self.phrases.iter().any(|known| known.stems == phrase.stems) {
            self.phrases.push(phrase);
        }
    }

    /// Names the words that truncated query words were expanded to as typed (`Radverk*`).
    pub(crate) fn name_truncated(&mut self, expansions: &[crate::truncation::Expansion]) {
        for expansion in expansions {
            for target in self.exact.iter_mut().chain(self.stems.iter_mut()) {
                if expansion.words.contains(&target.query) {
                    target.query.clone_from(&expansion.typed);
                }
            }
        }
    }

    /// Adds terms, keeping each once. A term searched on its own as well as in a phrase
    /// (`Anlage PV-Anlage`) is marked on its own.
    fn extend(
        targets: &mut Vec<Target>,
        texts: impl Iterator<Item = String>,
        from: &Origin,
        in_phrase: bool,
        only_together: bool,
    ) {
        for text in texts {
            let target = Target {
                text,
                query: from.query.clone(),
                via: from.via,
                in_phrase,
                only_together,
            };
            match targets.iter_mut().find(|known| known.text == target.text) {
                None => targets.push(target),
                Some(known) if known.in_phrase && !in_phrase => *known = target,
                Some(_) => {}
            }
        }
    }
}

/// Where the terms of an atom come from: the query word and how they relate to it.
#[derive(Debug, Clone)]
struct Origin {
    query: String,
    via: MatchKind,
}

/// What compiling collects besides the query: highlight and passage terms.
#[derive(Debug, Default)]
struct Collector {
    highlight: Highlight,
    passage_terms: Vec<String>,
    /// See [`Compiled::spare_passage_terms`].
    spare_passage_terms: Vec<String>,
    /// Whether a word has parts that [`Strictness::All`] would also search.
    widens: bool,
    /// Those words, as typed.
    compounds: Vec<String>,
}

impl Collector {
    /// Adds what `other` collected.
    fn absorb(&mut self, other: Collector) {
        self.highlight.merge(other.highlight);
        self.passage_terms.extend(other.passage_terms);
        self.spare_passage_terms.extend(other.spare_passage_terms);
        self.widens |= other.widens;
        self.compounds.extend(other.compounds);
    }
}

/// A query compiled for both indexes.
#[derive(Debug)]
pub(crate) struct Compiled {
    /// The query over papers; [`AllQuery`] when there is no text to match.
    pub(crate) papers: Box<dyn Query>,
    /// Whether the paper query ranks by text (else every match scores the same).
    pub(crate) has_text: bool,
    /// Whether compiling with [`Strictness::All`] would search more (a compound's parts).
    pub(crate) widens: bool,
    /// The query words with parts (compounds, hyphenated words), as typed, in query order.
    pub(crate) compounds: Vec<String>,
    /// Stems whose positions locate the matching passages.
    pub(crate) passage_terms: Vec<String>,
    /// Stems that locate passages when those of [`Compiled::passage_terms`] hold nothing to
    /// mark: the parts of compound query words searched near each other (`Stadt` and `Bahn`
    /// for `Stadtbahn`), which would otherwise pull the snippets of papers that hold the
    /// word itself away from it.
    pub(crate) spare_passage_terms: Vec<String>,
    /// What to mark in snippets.
    pub(crate) highlight: Highlight,
}

/// The score a paper gets for each query word that names its type or council group: about
/// that of the word in a paper's title, so that the Anträge of the Greens rank high for
/// `Grüne Antrag` even where their own text names neither.
const NAMED_SCORE: f32 = 8.0;

/// Facet values that the query's words name (`Grüne` → `Fraktion Bündnis 90/Die Grünen`,
/// `Antrag` → `Antrag` and `Neufassung Antrag`), found in the index's values by stem.
#[derive(Debug, Default)]
pub(crate) struct Named {
    /// Per query word as typed: the facet fields and values it names.
    words: Vec<(String, Vec<(Field, String)>)>,
}

impl Named {
    /// Records that `word` names `value` of `field`.
    pub(crate) fn add(&mut self, word: &str, field: Field, value: &str) {
        let at = match self.words.iter().position(|(known, _)| known == word) {
            Some(at) => at,
            None => {
                self.words.push((word.to_string(), Vec::new()));
                self.words.len() - 1
            }
        };
        let values = &mut self.words[at].1;
        if !values.iter().any(|(f, v)| *f == field && v == value) {
            values.push((field, value.to_string()));
        }
    }

    /// Every query word with a facet field and value it names.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, Field, &str)> {
        self.words.iter().flat_map(|(word, values)| {
            values
                .iter()
                .map(move |(field, value)| (word.as_str(), *field, value.as_str()))
        })
    }

    /// The facet fields and values that `word` names.
    fn values_of(&self, word: &str) -> &[(Field, String)] {
        self.words
            .iter()
            .find(|(known, _)| known == word)
            .map_or(&[], |(_, values)| values.as_slice())
    }
}

/// Query words the lexicon cannot split and no paper holds, with the parts the index splits
/// them into (see `Index::index_splits`): `Baumfällung` → `baum`, `faellung`.
pub(crate) type Splits = Vec<(String, Vec<String>)>;

/// Query words that look like a reference no paper has, with the normalised references they
/// stand for as written more loosely (see [`loose_reference_pattern`]), each with whether it
/// is the paper itself rather than a member of its family.
pub(crate) type LooseReferences = Vec<(String, Vec<(String, bool)>)>;

/// What the index says about the query's words, for compiling them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QueryWords<'a> {
    /// The facet values they name.
    pub(crate) named: &'a Named,
    /// How the index splits compounds the lexicon cannot.
    pub(crate) splits: &'a Splits,
    /// The references that words written as references loosely stand for.
    pub(crate) references: &'a LooseReferences,
}

/// How strictly a query's words must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Strictness {
    /// Every positive clause matches as the word, its forms, compounds holding it and its
    /// synonyms, but a compound's parts standing apart do not count (the first search).
    #[default]
    Direct,
    /// Like [`Strictness::Direct`], and a compound also matches as its parts near each other
    /// (`Plätze in der Kita` for `Kitaplatz`): the search when the direct one finds few
    /// papers, and of the fallbacks.
    All,
    /// Like [`Strictness::All`], and every word of five or more letters also matches with
    /// one edit (the fallback when a query finds nothing, not even corrected).
    Fuzzy,
    /// Like [`Strictness::All`], and a compound also matches as its parts anywhere in the
    /// paper (the last fallback: after one-edit matching and leaving words out).
    Apart,
}

/// Compiles parsed clauses into queries, as strictly as asked.
pub(crate) fn compile_with(
    clauses: &[Clause],
    fields: &PaperFields,
    synonyms: &Synonyms,
    strictness: Strictness,
    words: QueryWords,
    docs: &[u64],
) -> Compiled {
    let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut must_nots: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut collector = Collector::default();
    let completed = complete_truncations(clauses);
    // The words of a question (`Warum wurde das Hallenbad geschlossen`) are optional when the
    // query has other words: they rank the papers that have them higher, but a paper about
    // the Hallenbad need not say `warum`. They are not marked in snippets.
    let mut optional: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut optional_collector = Collector::default();
    // With two or more words the clauses are intersected, and a clause is mostly asked about
    // the papers of the rarest one: see [`LazyUnion`].
    let intersected = is_intersection(&completed);
    let lead_docs = completed
        .iter()
        .zip(docs)
        .filter(|(clause, _)| clause.is_required())
        .map(|(_, &docs)| docs)
        .min()
        .unwrap_or(0);
    for (at, clause) in completed.iter().enumerate() {
        // A clause far commoner than the rarest one is asked about few of its papers: its
        // unions are lazy. Not the rarest (it leads), nor one about as common (the
        // intersection then asks it about most of its papers, which a buffered union
        // answers faster).
        let lazy = intersected
            && docs
                .get(at)
                .is_some_and(|&docs| docs >= lead_docs.max(1).saturating_mul(LAZY_FACTOR));
        let is_question = !clause.negated && clause.is_question();
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for atom in &clause.atoms {
            let collect = match (clause.negated, is_question) {
                (true, _) => None,
                (false, true) => Some(&mut optional_collector),
                (false, false) => Some(&mut collector),
            };
            let atom_query = compile_atom(
                atom,
                fields,
                synonyms,
                collect,
                strictness,
                words,
                Unions { intersected, lazy },
            );
            if let Some(query) = atom_query {
                alternatives.push((Occur::Should, query));
            }
        }
        if alternatives.is_empty() {
            // A word too long to be indexed is in no paper; stop words alone search nothing.
            if !clause.negated && clause.atoms.iter().any(Atom::has_overlong_word) {
                musts.push((Occur::Must, Box::new(EmptyQuery)));
            }
            continue;
        }
        let query: Box<dyn Query> = if alternatives.len() == 1 {
            alternatives.remove(0).1
        } else {
            union(alternatives, lazy)
        };
        if clause.negated {
            must_nots.push((Occur::MustNot, query));
        } else if is_question {
            optional.push((Occur::Should, query));
        } else {
            musts.push((Occur::Must, query));
        }
    }
    if musts.is_empty() {
        // Only question words (`Wann`): they are what is searched.
        musts.extend(optional.drain(..).map(|(_, query)| (Occur::Must, query)));
        collector.absorb(optional_collector);
    }
    let has_text = !musts.is_empty();
    // Several plain words that together are a synonym entry (`mobile Arbeit`): the words, or
    // (lower) the entry's alternatives.
    let words: Vec<&str> = completed
        .iter()
        .filter(|clause| !clause.negated && clause.atoms.len() == 1)
        .filter_map(|clause| match &clause.atoms[0] {
            Atom::Word(word) => Some(word.as_str()),
            Atom::Phrase(_) => None,
        })
        .collect();
    if words.len() > 1 && words.len() == musts.len() {
        let joined = words.join(" ");
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (alternative, weight) in synonyms.alternatives(&joined) {
            let origin = Origin {
                query: joined.clone(),
                via: MatchKind::Synonym,
            };
            let atom = synonym_atom(alternative);
            if let Some(query) =
                compile_atom_plain(&atom, fields, Some((&mut collector, &origin)), true, false)
            {
                alternatives.push((Occur::Should, boosted(query, SYNONYM_BOOST * weight)));
            }
        }
        if !alternatives.is_empty() {
            let together: Box<dyn Query> = Box::new(BooleanQuery::new(std::mem::take(&mut musts)));
            alternatives.push((Occur::Should, together));
            musts.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
        }
    }
    musts.extend(optional);
    let papers: Box<dyn Query> = match (musts.is_empty(), must_nots.is_empty()) {
        (true, true) => Box::new(AllQuery),
        (true, false) => {
            let mut subqueries: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Must, Box::new(AllQuery))];
            subqueries.extend(must_nots);
            Box::new(BooleanQuery::new(subqueries))
        }
        (false, _) => {
            musts.extend(must_nots);
            Box::new(BooleanQuery::new(musts))
        }
    };
    let Collector {
        highlight,
        mut passage_terms,
        mut spare_passage_terms,
        widens,
        mut compounds,
    } = collector;
    passage_terms.sort();
    passage_terms.dedup();
    spare_passage_terms.sort();
    spare_passage_terms.dedup();
    spare_passage_terms.retain(|term| passage_terms.binary_search(term).is_err());
    let mut seen = std::collections::HashSet::new();
    compounds.retain(|word| seen.insert(word.clone()));
    Compiled {
        papers,
        has_text,
        widens,
        compounds,
        passage_terms,
        spare_passage_terms,
        highlight,
    }
}

/// The clauses with each truncated word (`Fuß-` in `Fuß- und Radweg`) also searched as the
/// compound it stands for (`Fuß` or `Fußweg`).
fn complete_truncations(clauses: &[Clause]) -> Vec<Clause> {
    let mut completed = clauses.to_vec();
    for (at, clause) in clauses.iter().enumerate() {
        let [Atom::Word(word)] = clause.atoms.as_slice() else {
            continue;
        };
        let Some(stem) = word.strip_suffix('-') else {
            continue;
        };
        let (Some(conjunction), Some(partner)) = (clauses.get(at + 1), clauses.get(at + 2)) else {
            continue;
        };
        let (Some(Atom::Word(conjunction)), Some(Atom::Word(partner))) =
            (conjunction.atoms.first(), partner.atoms.first())
        else {
            continue;
        };
        let text = format!("{word} {conjunction} {partner}");
        let Some(partner) = analysis::truncated_partner(&text, stem.len()) else {
            continue;
        };
        if let Some(compound) = analysis::completed_truncation(stem, partner) {
            completed[at].atoms = vec![Atom::Word(stem.to_string()), Atom::Word(compound)];
        }
    }
    completed
}

/// How a word's alternatives are joined (see [`LazyUnion`]).
#[derive(Debug, Clone, Copy)]
struct Unions {
    /// The query intersects two or more clauses: the parts of a compound near each other are
    /// joined lazily.
    intersected: bool,
    /// Every union of the word is lazy: its clause is far commoner than the rarest one.
    lazy: bool,
}

/// How many times as many papers as the rarest clause a clause must hold for its unions to
/// be lazy (estimated from the papers holding each word's stem).
const LAZY_FACTOR: u64 = 16;

/// Compiles one word or phrase with its synonyms, the parts of a compound word and, when
/// `fuzzy`, one-edit variants; `None` when nothing searchable is left (stop words only).
/// When `collect` is given, its highlight terms and passage terms are added there.
fn compile_atom(
    atom: &Atom,
    fields: &PaperFields,
    synonyms: &Synonyms,
    mut collect: Option<&mut Collector>,
    strictness: Strictness,
    words: QueryWords,
    unions: Unions,
) -> Option<Box<dyn Query>> {
    let fuzzy = strictness == Strictness::Fuzzy;
    let apart = strictness == Strictness::Apart;
    let near_parts = strictness != Strictness::Direct;
    let typed = atom.text();
    let origin = Origin {
        query: typed.to_string(),
        via: MatchKind::Exact,
    };
    let gender_neutral = match atom {
        Atom::Word(word) => join_gender_form(word).map(Atom::Word),
        Atom::Phrase(_) => None,
    };
    let atom = gender_neutral.as_ref().unwrap_or(atom);
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(query) = compile_atom_plain(
        atom,
        fields,
        with(&mut collect, &origin),
        false,
        unions.lazy,
    ) {
        should.push((Occur::Should, query));
    }
    if let Some((_, found)) = words.references.iter().find(|(word, _)| word == typed) {
        should.extend(loose_reference_queries(fields, found));
    }
    let text = atom.text();
    // A quoted phrase is literal: no synonyms.
    let alternatives = match atom {
        Atom::Word(_) => synonyms.alternatives(text),
        Atom::Phrase(_) => Vec::new(),
    };
    let synonym_origin = Origin {
        query: typed.to_string(),
        via: MatchKind::Synonym,
    };
    for (alternative, weight) in alternatives {
        let alternative = synonym_atom(alternative);
        // A synonym entry that is only another form of the word (`Kitas` for `Kita`) is
        // already searched, and found as that form rather than as a synonym.
        if let (Atom::Word(word), Atom::Word(other)) = (atom, &alternative) {
            if same_stem(word, other) {
                continue;
            }
        }
        let collected = with(&mut collect, &synonym_origin);
        if let Some(query) = compile_atom_plain(&alternative, fields, collected, true, unions.lazy)
        {
            should.push((Occur::Should, boosted(query, SYNONYM_BOOST * weight)));
        }
    }
    if let Atom::Word(word) = atom {
        // `sanieren` also finds `Sanierung`, and back: Snowball stems them apart.
        for derived in derived_forms(word) {
            if same_stem(word, &derived) {
                continue;
            }
            let collected = with(&mut collect, &origin);
            if let Some(query) =
                compile_atom_plain(&Atom::Word(derived), fields, collected, true, unions.lazy)
            {
                should.push((Occur::Should, boosted(query, DERIVED_BOOST)));
            }
        }
        // The stems of the parts of a hyphenated word and of a compound, each searched near
        // each other when the strictness asks for it.
        let mut part_lists: Vec<Vec<Vec<String>>> = Vec::new();
        // `Tele-Arbeit` is also searched as `Telearbeit` (not identifiers with digits).
        if word.contains('-') && !word.bytes().any(|b| b.is_ascii_digit()) {
            let catenated = word.replace('-', "");
            let collected = with(&mut collect, &origin);
            if let Some(query) = compile_atom_plain(
                &Atom::Word(catenated.clone()),
                fields,
                collected,
                false,
                unions.lazy,
            ) {
                should.push((Occur::Should, query));
            }
            // And its parts near each other, as for a compound written as one word
            // (`Kita-Platz` finds what `Kitaplatz` finds, `PV-Anlage` a `PV` and an `Anlage`).
            let parts: Vec<String> = word
                .split('-')
                .filter(|part| !part.is_empty())
                .map(analysis::folded)
                .collect();
            part_lists.push(part_stems(&parts, synonyms));
        }
        // `Tempo30`, `Stuttgart21`: a word and a number written together, which papers mostly
        // write apart (`Tempo 30`); searched near each other like a compound's parts.
        if let Some(parts) = letters_and_number(word) {
            part_lists.push(part_stems(&parts, synonyms));
        }
        part_lists.push(part_stems(
            &compound_parts(word, synonyms, words.splits),
            synonyms,
        ));
        part_lists.retain(|stems| stems.len() >= 2);
        if !part_lists.is_empty() {
            if let Some(collector) = &mut collect {
                collector.widens = true;
                collector.compounds.push(typed.to_string());
            }
        }
        // The queries are built only when searched (not for the first, direct search), and
        // then the parts are marked where they stand near each other. They locate passages
        // only when they may stand apart: a common part (`frei` of `werbefrei`) would pull
        // the snippets of papers found through the word itself away from it.
        if near_parts && !part_lists.is_empty() {
            if let Some(collector) = &mut collect {
                let part_origin = Origin {
                    query: typed.to_string(),
                    via: MatchKind::Compound,
                };
                let stems: Vec<String> = part_lists.iter().flatten().flatten().cloned().collect();
                if apart {
                    collector.passage_terms.extend(stems.iter().cloned());
                } else {
                    collector.spare_passage_terms.extend(stems.iter().cloned());
                }
                let highlight = &mut collector.highlight;
                highlight.parts_anywhere |= apart;
                Highlight::extend(
                    &mut highlight.stems,
                    stems.into_iter(),
                    &part_origin,
                    false,
                    false,
                );
            }
        }
        // The parts near each other, and as the last fallback anywhere: nothing holds the
        // compound, nor its parts near each other, nor a one-edit form, and a paper that
        // names all its parts (`Dach` and `Sanierung` for `Dachsanierung`) is better than none.
        type PartsQuery = fn(&[Vec<String>], &PaperFields) -> Option<Box<dyn Query>>;
        let part_queries: [(bool, PartsQuery); 2] =
            [(near_parts, parts_query), (apart, parts_anywhere_query)];
        for (wanted, build) in part_queries {
            if wanted {
                should.extend(
                    part_lists
                        .iter()
                        .filter_map(|stems| build(stems, fields))
                        .map(|query| (Occur::Should, query)),
                );
            }
        }
        if let Some(query) = gender_family_query(word, fields, unions.lazy) {
            should.push((Occur::Should, query));
        }
        // A word that names a paper type or council group (`Antrag`, `Grüne`) also matches
        // the papers of that type or group, whether or not their text has the word.
        for (field, value) in words.named.values_of(word) {
            let term = Term::from_field_text(*field, value);
            let query = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            should.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(query, NAMED_SCORE)),
            ));
        }
        if let Some((exact, stem)) = fuzzy.then(|| fuzzy_forms(word)).flatten() {
            should.extend(fuzzy_queries(&exact, &stem, fields));
            if let Some(collector) = &mut collect {
                let fuzzy_origin = Origin {
                    query: typed.to_string(),
                    via: MatchKind::Fuzzy,
                };
                let fuzzy = &mut collector.highlight.fuzzy;
                Highlight::extend(fuzzy, std::iter::once(stem), &fuzzy_origin, false, false);
            }
        }
        // The parts near each other are phrases over common stems: in an intersection they
        // are asked about one paper at a time, whatever the other words.
        if unions.intersected && near_parts && !part_lists.is_empty() {
            return finish(should, true);
        }
    }
    finish(should, unions.lazy)
}

/// The collector, if any, paired with the origin of the terms about to be collected.
fn with<'a>(
    collect: &'a mut Option<&mut Collector>,
    origin: &'a Origin,
) -> Option<(&'a mut Collector, &'a Origin)> {
    collect.as_deref_mut().map(|collector| (collector, origin))
}

/// `Bürger*innen`, `Bürger:innen`, `Bürger_innen` and `Bürger/innen` as `Bürgerinnen`, which
/// stems like `Bürger` and `BürgerInnen`; `None` for other words.
fn join_gender_form(word: &str) -> Option<String> {
    for marker in ['*', ':', '_', '/'] {
        if let Some(at) = word.find(marker) {
            let rest = &word[at + 1..];
            if at > 0 && rest.to_lowercase().starts_with("in") {
                return Some(format!("{}{}", &word[..at], rest));
            }
        }
    }
    None
}

/// For a person noun in `-erin` or `-erinnen` (`Bürgerin`), the exact forms of its family
/// (`Bürger`, `Bürgern`, `Bürgerin`, `Bürgerinnen`) on the exact fields, at the weight of an
/// exact match. The Snowball stem drops `-erin` and may then equal an unrelated word
/// (`Wählerin` and `Wahl`; `Bürgerin` and `Burg` did before `Bürger` joined the stem
/// exceptions); the family ranks above such a word.
fn gender_family_query(word: &str, fields: &PaperFields, lazy: bool) -> Option<Box<dyn Query>> {
    let mut folded = String::new();
    fold_exact(word, &mut folded);
    let base = folded
        .strip_suffix("innen")
        .or_else(|| folded.strip_suffix("in"))
        .filter(|base| base.ends_with("er") && base.len() >= 5)?;
    let forms = [
        base.to_string(),
        format!("{base}n"),
        format!("{base}in"),
        format!("{base}innen"),
    ];
    let mut queries: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, boost) in [
        (fields.title_exact, TITLE_BOOST),
        (fields.text_exact, TEXT_BOOST),
        (fields.attachments_exact, ATTACHMENTS_BOOST),
    ] {
        let any_form: Vec<(Occur, Box<dyn Query>)> = forms
            .iter()
            .map(|form| (Occur::Should, term_query(field, form)))
            .collect();
        let any_form = union(any_form, lazy);
        queries.push((Occur::Should, boosted(any_form, boost * EXACT_BOOST)));
    }
    finish(queries, lazy)
}

/// A synonym entry as an atom: a phrase when it has several words.
fn synonym_atom(entry: &str) -> Atom {
    if entry.split_whitespace().nth(1).is_some() {
        Atom::Phrase(entry.to_string())
    } else {
        Atom::Word(entry.to_string())
    }
}

/// Endings of the forms of a verb in `-ieren` (`sanieren`, `saniert`, `sanierte`).
const IEREN_VERB_ENDINGS: &[&str] = &[
    "ierenden", "ierende", "ierend", "ierten", "ierter", "iertes", "iertem", "ierte", "ieren",
    "ierst", "iert", "iere",
];

/// The other part of speech of a `-ieren` verb or an `-ierung` noun: `sanieren`, `saniert` →
/// `sanierung`; `Sanierungen` → `sanieren` and `saniert`. Snowball stems them apart (`sani`,
/// `saniert`, `sanier`), although council papers use them for one thing (`Spielplatz
/// sanieren`, `Sanierung`).
fn derived_forms(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    if !lower.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    let long_enough = |base: &str| base.chars().count() >= 3;
    for ending in ["ierungen", "ierung"] {
        if let Some(base) = lower.strip_suffix(ending).filter(|base| long_enough(base)) {
            return vec![format!("{base}ieren"), format!("{base}iert")];
        }
    }
    IEREN_VERB_ENDINGS
        .iter()
        .find_map(|ending| lower.strip_suffix(ending).filter(|base| long_enough(base)))
        .map(|base| vec![format!("{base}ierung")])
        .unwrap_or_default()
}

/// Whether two words have the same German stem (and neither is a stop word).
fn same_stem(one: &str, other: &str) -> bool {
    let stemmer = Stemmer::default();
    let mut scratch = String::new();
    let (mut one_stem, mut other_stem) = (String::new(), String::new());
    stemmer.stem_cached(one, &mut scratch, &mut one_stem)
        && stemmer.stem_cached(other, &mut scratch, &mut other_stem)
        && one_stem == other_stem
}

/// The parts of `word` (folded) when it is a compound, for [`part_stems`]: as the lexicon
/// splits it, or failing that as the index did (`splits`).
fn compound_parts(word: &str, synonyms: &Synonyms, splits: &Splits) -> Vec<String> {
    let mut folded = String::new();
    fold_exact(word, &mut folded);
    let ranges = analysis::splitter().part_ranges(&folded);
    if ranges.is_empty() {
        if let Some((_, parts)) = splits.iter().find(|(typed, _)| typed == word) {
            return parts.clone();
        }
    }
    // Adjacent parts that together are a synonym entry stay one part (`nah`+`verkehr` is
    // `nahverkehr`, which is `ÖPNV`), the longest run first; not the whole word, whose
    // synonyms are searched as such.
    let mut parts: Vec<String> = Vec::with_capacity(ranges.len());
    let mut first = 0;
    while first < ranges.len() {
        let last = (first + 1..ranges.len())
            .rev()
            .filter(|&last| first > 0 || last + 1 < ranges.len())
            .find(|&last| {
                let run = &folded[ranges[first].start..ranges[last].end];
                synonyms
                    .alternatives(run)
                    .iter()
                    .any(|(_, weight)| *weight >= 1.0)
            })
            .unwrap_or(first);
        parts.push(folded[ranges[first].start..ranges[last].end].to_string());
        first = last + 1;
    }
    parts
}

/// The runs of letters and of digits of `word`, folded, when it joins words of three or more
/// letters and numbers without a space (`Tempo30` → `tempo`, `30`; `Tempo30-Zone` → `tempo`,
/// `30`, `zone`); `None` for other words, and for short letter runs, which are mostly names
/// written that way (`G20`, `A380`, `5G`, `30er`).
fn letters_and_number(word: &str) -> Option<Vec<String>> {
    // Digits (`0`), letters (`a`), hyphens between words (`-`), anything else (`?`).
    let class = |c: char| match c {
        _ if c.is_ascii_digit() => b'0',
        _ if c.is_alphabetic() => b'a',
        '-' => b'-',
        _ => b'?',
    };
    let runs = char_runs(word, class);
    if runs.iter().any(|(kind, _)| *kind == b'?') {
        return None;
    }
    let runs: Vec<(bool, &str)> = runs
        .into_iter()
        .filter(|(kind, _)| *kind != b'-')
        .map(|(kind, run)| (kind == b'0', run))
        .collect();
    let numbers = runs.iter().filter(|(digits, _)| *digits).count();
    let short_words = runs
        .iter()
        .any(|(digits, run)| !digits && run.chars().count() < 3);
    if numbers == 0 || numbers == runs.len() || short_words {
        return None;
    }
    Some(
        runs.into_iter()
            .map(|(_, run)| analysis::folded(run))
            .collect(),
    )
}

/// The runs of `text` whose characters are of one class (`class` of each character), in
/// order, with their class.
fn char_runs<T: Copy + PartialEq>(text: &str, class: impl Fn(char) -> T) -> Vec<(T, &str)> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut current = None;
    for (at, c) in text.char_indices() {
        let kind = class(c);
        if let Some(previous) = current.filter(|&previous| previous != kind) {
            runs.push((previous, &text[start..at]));
            start = at;
        }
        current = Some(kind);
    }
    if let Some(kind) = current {
        runs.push((kind, &text[start..]));
    }
    runs
}

/// The `widened` query (a compound's parts near each other counting too) with the papers of
/// the `direct` one ranked first: a paper that holds `Radverkehr` itself comes before one where
/// a `Radfahrer` stands near the `Verkehr`, however often the other query words occur in the
/// latter (`Radverkehr Innenstadt`: a paper about the Innenstadt with its title full of it).
/// The widened matches keep their order below the direct ones.
pub(crate) fn direct_first(widened: Box<dyn Query>, direct: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, widened),
        (
            Occur::Should,
            Box::new(ConstScoreQuery::new(direct, DIRECT_TIER_SCORE)),
        ),
    ]))
}

/// How far apart, in words, the parts of a compound may stand (either order) to match it:
/// `Plätze in der Kita` for `Kitaplatz`, not a `Kita` and a `Platz` pages apart.
pub(crate) const PARTS_SLOP: u32 = 8;
/// Most combinations of part stems searched for one compound.
const MAX_STEM_CHOICES: usize = 12;

/// The ways to pick one stem per part (the first of each list first), at most
/// [`MAX_STEM_CHOICES`]; none when fewer than two parts have stems.
fn stem_choices(part_stems: &[Vec<String>]) -> Vec<Vec<&str>> {
    if part_stems.len() < 2 {
        return Vec::new();
    }
    let mut choices: Vec<Vec<&str>> = vec![Vec::new()];
    for stems in part_stems {
        choices = choices
            .iter()
            .flat_map(|chosen| {
                stems.iter().map(move |stem| {
                    let mut next = chosen.clone();
                    next.push(stem.as_str());
                    next
                })
            })
            .take(MAX_STEM_CHOICES)
            .collect();
    }
    choices
}

/// Most synonyms searched for one part of a compound.
const PART_SYNONYMS: usize = 4;

/// The stems each of `parts` (folded words) may appear as: its own, then those of its
/// one-word curated synonyms, so that `Photovoltaikanlage` finds `PV-Anlage` and
/// `ÖPNV-Angebot` finds `Nahverkehrsangebot`. Parts without a stem (stop words) are left
/// out; nothing for fewer than two parts.
fn part_stems(parts: &[String], synonyms: &Synonyms) -> Vec<Vec<String>> {
    if parts.len() < 2 {
        return Vec::new();
    }
    let stemmer = Stemmer::default();
    let (mut scratch, mut stem) = (String::new(), String::new());
    parts
        .iter()
        .map(|part| {
            let curated = synonyms
                .alternatives(part)
                .into_iter()
                .filter(|(entry, weight)| *weight >= 1.0 && entry.chars().all(char::is_alphabetic))
                .map(|(entry, _)| entry)
                .take(PART_SYNONYMS);
            let mut stems: Vec<String> = Vec::new();
            for word in std::iter::once(part.as_str()).chain(curated) {
                if stemmer.stem_cached(word, &mut scratch, &mut stem)
                    && !stem.is_empty()
                    && !stems.contains(&stem)
                {
                    stems.push(stem.clone());
                }
            }
            stems
        })
        .filter(|stems| !stems.is_empty())
        .collect()
}

/// All parts, each as one of its [`part_stems`], near each other in the same field (within
/// [`PARTS_SLOP`] words, either order), at low weight; `None` for fewer than two parts.
fn parts_query(part_stems: &[Vec<String>], fields: &PaperFields) -> Option<Box<dyn Query>> {
    let mut by_field: Vec<Box<dyn Query>> = Vec::new();
    for (field, boost) in [
        (fields.title, TITLE_BOOST),
        (fields.text, TEXT_BOOST),
        (fields.attachments, ATTACHMENTS_BOOST),
    ] {
        // One phrase per choice of a stem for each part, the parts' own stems first.
        let phrases: Vec<Box<dyn Query>> = stem_choices(part_stems)
            .into_iter()
            .map(|stems| {
                let terms: Vec<(usize, Term)> = stems
                    .iter()
                    .enumerate()
                    .map(|(offset, stem)| (offset, Term::from_field_text(field, stem)))
                    .collect();
                let mut phrase = PhraseQuery::new_with_offset(terms);
                phrase.set_slop(PARTS_SLOP);
                Box::new(phrase) as Box<dyn Query>
            })
            .collect();
        if !phrases.is_empty() {
            let near: Box<dyn Query> = Box::new(LazyUnion::new(phrases));
            by_field.push(boosted(near, boost * COMPOUND_PARTS_BOOST));
        }
    }
    (!by_field.is_empty()).then(|| Box::new(LazyUnion::new(by_field)) as Box<dyn Query>)
}

/// All parts, each as any of its [`part_stems`], anywhere in the paper's title, text or
/// attachments, at the weight of a one-edit match; `None` for fewer than two parts.
fn parts_anywhere_query(
    part_stems: &[Vec<String>],
    fields: &PaperFields,
) -> Option<Box<dyn Query>> {
    // A number anywhere in a paper says nothing (`Stuttgart21` is not any `Stuttgart` in a
    // paper with an item 21): a word and a number count only near each other.
    let number = |stems: &Vec<String>| {
        stems
            .iter()
            .any(|stem| stem.bytes().all(|b| b.is_ascii_digit()))
    };
    if part_stems.len() < 2 || part_stems.iter().any(number) {
        return None;
    }
    let musts: Vec<(Occur, Box<dyn Query>)> = part_stems
        .iter()
        .map(|stems| {
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for stem in stems {
                for (field, boost) in [
                    (fields.title, TITLE_BOOST),
                    (fields.text, TEXT_BOOST),
                    (fields.attachments, ATTACHMENTS_BOOST),
                ] {
                    alternatives.push((Occur::Should, boosted(term_query(field, stem), boost)));
                }
            }
            (
                Occur::Must,
                Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>,
            )
        })
        .collect();
    Some(boosted(Box::new(BooleanQuery::new(musts)), FUZZY_BOOST))
}

/// One-edit matches of a word's `exact` form and `stem` (see [`fuzzy_forms`]) on the stemmed
/// and exact title, text and attachment fields (many papers hold their text only in their
/// PDFs), attachments weighted below text as in every search.
fn fuzzy_queries(exact: &str, stem: &str, fields: &PaperFields) -> Vec<(Occur, Box<dyn Query>)> {
    let mut queries: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let attachments = ATTACHMENTS_BOOST / TEXT_BOOST;
    for (field, text, weight) in [
        (fields.title, stem, 1.0),
        (fields.text, stem, 1.0),
        (fields.attachments, stem, attachments),
        (fields.title_exact, exact, 1.0),
        (fields.text_exact, exact, 1.0),
        (fields.attachments_exact, exact, attachments),
    ] {
        let fuzzy: Box<dyn Query> = Box::new(FuzzyTermQuery::new(
            Term::from_field_text(field, text),
            1,
            true,
        ));
        queries.push((Occur::Should, boosted(fuzzy, FUZZY_BOOST * weight)));
    }
    queries
}

/// The exact form and the stem that [`fuzzy_queries`] searches one edit away: for a single
/// word of at least [`FUZZY_MIN_CHARS`] letters, not of the lexicon (a word of the lexicon is
/// spelt right, and its one-edit neighbours are other words: `Mieter` is not `Dieter`; the
/// search then leaves it out instead, and says so).
fn fuzzy_forms(word: &str) -> Option<(String, String)> {
    let exact = analysis::analyze(word, Mode::Exact);
    let stemmed = analysis::analyze(word, Mode::Stemmed);
    let ([exact], [stem]) = (exact.as_slice(), stemmed.as_slice()) else {
        return None;
    };
    if word.chars().count() < FUZZY_MIN_CHARS || analysis::splitter().is_word(&exact.text) {
        return None;
    }
    Some((exact.text.clone(), stem.text.clone()))
}

/// Compiles one word or phrase as written; `None` when nothing searchable is left. A
/// `synonym` is searched by its stems only: an exact synonym ranks no higher than another.
fn compile_atom_plain(
    atom: &Atom,
    fields: &PaperFields,
    collect: Option<(&mut Collector, &Origin)>,
    synonym: bool,
    lazy: bool,
) -> Option<Box<dyn Query>> {
    let (text, is_phrase) = match atom {
        Atom::Word(word) => (word.as_str(), false),
        Atom::Phrase(phrase) => (phrase.as_str(), true),
    };
    let exact = analysis::analyze(text, Mode::Exact);
    let stemmed = analysis::analyze(text, Mode::Stemmed);
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let whole = single_whole(&exact);
    let parts: Vec<&Analyzed> = stemmed
        .iter()
        .filter(|token| !token.whole)
        .take(MAX_PHRASE_TOKENS)
        .collect();
    let searched_stems: Vec<String> = if let (Some(whole), false) = (whole, is_phrase) {
        // An identifier (`VII-F-01504`, `16.09.2020`) is searched as one term, and, lower,
        // as the phrase of its parts, which also finds it inside a longer group
        // (`COVID-19` in `COVID-19-Pandemie`).
        should.extend(term_queries(
            fields,
            &whole.text,
            &whole.text,
            synonym,
            lazy,
        ));
        if parts.len() > 1 {
            let phrases = phrase_queries(fields, &parts);
            should.extend(
                phrases
                    .into_iter()
                    .map(|(occur, query)| (occur, boosted(query, PARTS_PHRASE_BOOST))),
            );
        }
        std::iter::once(whole.text.clone())
            .chain(parts.iter().map(|token| token.text.clone()))
            .collect()
    } else {
        let exact_parts: Vec<&Analyzed> = exact.iter().filter(|token| !token.whole).collect();
        match parts.as_slice() {
            [] => {}
            [single] => {
                // With one stem left, the exact form is the exact word it came from, if the
                // text was a single word.
                let exact_form = match exact_parts.as_slice() {
                    [exact_single] => exact_single.text.as_str(),
                    _ => single.text.as_str(),
                };
                should.extend(term_queries(
                    fields,
                    &single.text,
                    exact_form,
                    synonym,
                    lazy,
                ));
                if let (false, Some(english)) = (synonym, analysis::english_stem(text)) {
                    // English papers: the English stem, weighted as body text.
                    let query = term_query(fields.english_text, &english);
                    should.push((Occur::Should, boosted(query, TEXT_BOOST)));
                }
            }
            _ => should.extend(phrase_queries(fields, &parts)),
        }
        parts.iter().map(|token| token.text.clone()).collect()
    };
    if !is_phrase && looks_like_reference(text) {
        should.extend(reference_queries(fields, text));
    }
    if should.is_empty() {
        return None;
    }
    if let Some((collector, origin)) = collect {
        // Highlight what was searched: the whole identifier, or the single words.
        let searched_whole = whole.filter(|_| !is_phrase);
        let is_searched = |token: &&Analyzed| match searched_whole {
            Some(whole) => token.text == whole.text,
            None => !token.whole,
        };
        collector.passage_terms.extend(searched_stems);
        // A synonym of several words locates passages, and is marked as the phrase, not word
        // by word: `mobile` alone is no synonym of `Telearbeit`.
        if synonym && is_phrase {
            if let [first, _, ..] = parts.as_slice() {
                collector.highlight.add_phrase(PhraseTarget {
                    stems: parts
                        .iter()
                        .map(|token| (token.position - first.position, token.text.clone()))
                        .collect(),
                    query: origin.query.clone(),
                    via: origin.via,
                });
            }
            return finish(should, lazy);
        }
        let highlight = &mut collector.highlight;
        let in_phrase = searched_whole.is_none() && parts.len() > 1;
        let only_together = in_phrase && synonym;
        Highlight::extend(
            &mut highlight.exact,
            exact
                .iter()
                .filter(is_searched)
                .map(|token| token.text.clone()),
            origin,
            in_phrase,
            only_together,
        );
        Highlight::extend(
            &mut highlight.stems,
            stemmed
                .iter()
                .filter(is_searched)
                .map(|token| token.text.clone()),
            origin,
            in_phrase,
            only_together,
        );
    }
    finish(should, lazy)
}

/// One query of `should` alternatives: the only one, or all of them as a union (see
/// [`union`]).
fn finish(mut should: Vec<(Occur, Box<dyn Query>)>, lazy: bool) -> Option<Box<dyn Query>> {
    match should.len() {
        0 => None,
        1 => Some(should.remove(0).1),
        _ => Some(union(should, lazy)),
    }
}

/// The union of `should` alternatives: a [`LazyUnion`] when `lazy` (the union is one clause
/// of an intersection, mostly asked about the papers of a rarer clause), else tantivy's
/// boolean query, whose buffered union is faster when it leads or stands alone.
fn union(should: Vec<(Occur, Box<dyn Query>)>, lazy: bool) -> Box<dyn Query> {
    if lazy {
        Box::new(LazyUnion::new(
            should.into_iter().map(|(_, query)| query).collect(),
        ))
    } else {
        Box::new(BooleanQuery::new(should))
    }
}

/// Returns the whole identifier token when `tokens` are exactly one group and its parts.
fn single_whole(tokens: &[Analyzed]) -> Option<&Analyzed> {
    match tokens {
        [first, rest @ ..] if first.whole && rest.iter().all(|token| !token.whole) => Some(first),
        _ => None,
    }
}

/// Whether a query word looks like a reference or its beginning (`VII-F-015`, `2021/0281`).
pub(crate) fn looks_like_reference(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_digit())
        && word
            .chars()
            .any(|c| c.is_alphabetic() || c == '-' || c == '/')
}

/// Term queries on the stemmed and exact fields of title, text and attachments: the stem
/// (which also finds compounds with it as a part), the stem as a whole word (a word with a
/// marked stem, or the stem as its exact form) and the exact form, so that exact ranks above
/// stem above compound part. A `synonym` is searched by its stem only.
fn term_queries(
    fields: &PaperFields,
    stem: &str,
    exact: &str,
    synonym: bool,
    lazy: bool,
) -> Vec<(Occur, Box<dyn Query>)> {
    let sources = [
        (fields.title, fields.title_exact, TITLE_BOOST),
        (fields.text, fields.text_exact, TEXT_BOOST),
        (
            fields.attachments,
            fields.attachments_exact,
            ATTACHMENTS_BOOST,
        ),
    ];
    let mut marked = String::with_capacity(stem.len() + 1);
    marked.push(analysis::STEM_MARKER);
    marked.push_str(stem);
    let mut queries: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(9);
    for (stemmed_field, exact_field, boost) in sources {
        queries.push((
            Occur::Should,
            boosted(term_query(stemmed_field, stem), boost),
        ));
        if synonym {
            continue;
        }
        let whole_word = union(
            vec![
                (Occur::Should, term_query(exact_field, &marked)),
                (Occur::Should, term_query(exact_field, stem)),
            ],
            lazy,
        );
        queries.push((Occur::Should, boosted(whole_word, boost * STEM_BOOST)));
        queries.push((
            Occur::Should,
            boosted(term_query(exact_field, exact), boost * EXACT_BOOST),
        ));
    }
    queries
}

/// Phrase queries on the stemmed fields of title, text and attachments.
fn phrase_queries(fields: &PaperFields, parts: &[&Analyzed]) -> Vec<(Occur, Box<dyn Query>)> {
    let first_position = parts.first().map_or(0, |token| token.position);
    let sources = [
        (fields.title, TITLE_BOOST),
        (fields.text, TEXT_BOOST),
        (fields.attachments, ATTACHMENTS_BOOST),
    ];
    let mut queries: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(3);
    for (field, boost) in sources {
        let terms: Vec<(usize, Term)> = parts
            .iter()
            .map(|token| {
                (
                    token.position - first_position,
                    Term::from_field_text(field, &token.text),
                )
            })
            .collect();
        let phrase: Box<dyn Query> = Box::new(PhraseQuery::new_with_offset(terms));
        queries.push((Occur::Should, boosted(phrase, boost)));
    }
    queries
}

/// Exact and prefix queries on the reference field.
fn reference_queries(fields: &PaperFields, word: &str) -> Vec<(Occur, Box<dyn Query>)> {
    let normalized = analysis::normalize_reference(word);
    if normalized.is_empty() {
        return Vec::new();
    }
    let term = Term::from_field_text(fields.reference, &normalized);
    let exact: Box<dyn Query> = Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic));
    let mut prefix = PhrasePrefixQuery::new(vec![term]);
    prefix.set_max_expansions(REFERENCE_PREFIX_EXPANSIONS);
    vec![
        (
            Occur::Should,
            Box::new(ConstScoreQuery::new(exact, REFERENCE_EXACT_SCORE)),
        ),
        (
            Occur::Should,
            Box::new(ConstScoreQuery::new(
                Box::new(prefix),
                REFERENCE_PREFIX_SCORE,
            )),
        ),
    ]
}

/// Queries for the references a word stands for when written loosely: the paper itself at
/// the score of an exact reference, a member of its family at the score of a prefix.
fn loose_reference_queries(
    fields: &PaperFields,
    references: &[(String, bool)],
) -> Vec<(Occur, Box<dyn Query>)> {
    references
        .iter()
        .map(|(reference, whole)| {
            let term = Term::from_field_text(fields.reference, reference);
            let query = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            let score = if *whole {
                REFERENCE_EXACT_SCORE
            } else {
                REFERENCE_PREFIX_SCORE
            };
            let query: Box<dyn Query> = Box::new(ConstScoreQuery::new(query, score));
            (Occur::Should, query)
        })
        .collect()
}

/// Longest word looked up as a loosely written reference (the longest of Leipzig's, an
/// amendment to a new version of an answer, has 27 bytes).
const MAX_REFERENCE_BYTES: usize = 64;

/// Separators between the letters and numbers of a normalised reference.
const REFERENCE_SEPARATOR: &str = "[^a-z0-9]";

/// The patterns (over normalised references, for the term dictionary) of the references that
/// a word written as a reference may mean, for a word with a number and a separator: its
/// numbers with or without leading zeros (`VII-F-1504` for `VII-F-01504`), any separator
/// between its pieces, and where it starts with letters that are not a Roman numeral, any
/// electoral period before it (`F-01504`). The first pattern is the paper itself, the second
/// also a member of its family (`VII-F-01504-AW-01`). `None` for any other word.
pub(crate) fn loose_reference_pattern(word: &str) -> Option<(String, String)> {
    if word.len() > MAX_REFERENCE_BYTES {
        return None;
    }
    let normalized = analysis::normalize_reference(word);
    // Runs of letters (`a`), digits (`0`) and anything else (`-`).
    let class = |c: char| match c {
        'a'..='z' => b'a',
        '0'..='9' => b'0',
        _ => b'-',
    };
    let runs = char_runs(&normalized, class);
    let pieces = runs.iter().filter(|(kind, _)| *kind != b'-').count();
    if pieces < 2 || !runs.iter().any(|(kind, _)| *kind == b'0') {
        return None;
    }
    let mut pattern = String::new();
    match runs.first() {
        Some((b'a', letters)) if !letters.chars().all(|c| "ivxlcdm".contains(c)) => {
            pattern.push_str("([ivxlcdm]+");
            pattern.push_str(REFERENCE_SEPARATOR);
            pattern.push_str(")?");
        }
        Some((b'a' | b'0', _)) => {}
        // Leading punctuation is not part of a reference.
        _ => return None,
    }
    for (kind, run) in &runs {
        match kind {
            b'a' => pattern.push_str(run),
            b'0' => {
                let digits = run.trim_start_matches('0');
                pattern.push_str(if digits.is_empty() { "0+" } else { "0*" });
                pattern.push_str(digits);
            }
            _ => pattern.push_str(REFERENCE_SEPARATOR),
        }
    }
    if runs.last().is_some_and(|(kind, _)| *kind == b'-') {
        return None;
    }
    let family = format!("{pattern}({REFERENCE_SEPARATOR}.*)?");
    Some((pattern, family))
}

/// A term query with frequencies.
fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// Wraps `query` in a boost unless the boost is 1.
fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if boost == 1.0 {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks the parse of `text`, rendered as clauses joined by `&`, alternatives by `|`,
    /// phrases quoted and exclusions prefixed with `-`.
    fn check(text: &str, expected: &str) {
        let rendered: Vec<String> = parse(text)
            .iter()
            .map(|clause| {
                let atoms: Vec<String> = clause
                    .atoms
                    .iter()
                    .map(|atom| match atom {
                        Atom::Word(word) => word.clone(),
                        Atom::Phrase(phrase) => format!("\"{phrase}\""),
                    })
                    .collect();
                let sign = if clause.negated { "-" } else { "" };
                format!("{sign}{}", atoms.join("|"))
            })
            .collect();
        assert_eq!(rendered.join(" & "), expected, "query: {text:?}");
    }

    #[test]
    fn words_and_numbers_written_together_are_taken_apart() {
        let parts = |word: &str| letters_and_number(word);
        assert_eq!(parts("Tempo30"), Some(vec!["tempo".into(), "30".into()]));
        assert_eq!(
            parts("Tempo30-Zone"),
            Some(vec!["tempo".into(), "30".into(), "zone".into()])
        );
        assert_eq!(
            parts("Stuttgart21"),
            Some(vec!["stuttgart".into(), "21".into()])
        );
        for word in [
            "G20",
            "A380",
            "5G",
            "30er-Zone",
            "Tempo",
            "2024",
            "Tempo-Zone",
            "§34",
        ] {
            assert_eq!(parts(word), None, "{word}");
        }
    }

    #[test]
    fn parses_the_language() {
        check("", "");
        check("Telearbeit", "Telearbeit");
        check("mobile  Arbeit", "mobile & Arbeit");
        check(
            "\"mobile Arbeit\" Verwaltung",
            "\"mobile Arbeit\" & Verwaltung",
        );
        check("Schule -Sport", "Schule & -Sport");
        check(
            "Schule -\"Sport und Spiel\"",
            "Schule & -\"Sport und Spiel\"",
        );
        check("Kita OR Hort", "Kita|Hort");
        check(
            "Kita OR Hort OR \"Kinder Garten\" Leipzig",
            "Kita|Hort|\"Kinder Garten\" & Leipzig",
        );
        check("Kita AND Hort", "Kita & Hort");
        check("Kita NOT Hort", "Kita & -Hort");
        // The German operators, in capitals only.
        check("Kita ODER Hort", "Kita|Hort");
        check("Kita UND Hort", "Kita & Hort");
        check("Kita NICHT Hort", "Kita & -Hort");
        check("Kita nicht Hort", "Kita & nicht & Hort");
        check("+Kita", "Kita");
        check("IT-Ausstattung", "IT-Ausstattung");
        check("VII-F-01504", "VII-F-01504");
    }

    #[test]
    fn unquoted_words() {
        let unquoted_of = |text: &str| unquoted(text, &parse(text));
        assert_eq!(
            unquoted_of("\"Radverkehr in der Innenstadt\" Leipzig").as_deref(),
            Some("Radverkehr in der Innenstadt Leipzig")
        );
        assert_eq!(
            unquoted_of("\"Radverkehr in der").as_deref(),
            Some("Radverkehr in der")
        );
        assert_eq!(
            unquoted_of("Park -Kita \"mehr Radverkehr\"").as_deref(),
            Some("Park -Kita mehr Radverkehr")
        );
        // No phrase, or an excluded one (without quotes only its first word would be).
        assert_eq!(unquoted_of("Radverkehr Innenstadt"), None);
        assert_eq!(unquoted_of("Park -\"Radverkehr in der Innenstadt\""), None);
        assert_eq!(unquoted_of("Park NOT \"Radverkehr\" \"mehr Bahn\""), None);
        assert_eq!(unquoted_of("\"\""), None);
    }

    #[test]
    fn survives_hostile_input() {
        check("\"unbalanced phrase", "\"unbalanced phrase\"");
        check("\"\"", "");
        check("- lone minus", "lone & minus");
        check("OR Kita OR", "Kita");
        check("Kita OR OR Hort", "Kita|Hort");
        check("Kita OR -Hort", "Kita & -Hort");
        check("-Kita OR Hort", "-Kita & Hort");
        check("Ki\u{0}ta\u{7}", "Ki & ta");
        check("---", "---");
        let many: String = (0..5_000).map(|n| format!("Wort{n} ")).collect();
        assert_eq!(parse(&many).len(), MAX_ATOMS);
        // Repeated words are one clause.
        assert_eq!(parse(&"Wort ".repeat(5_000)).len(), 1);
        check("Kita Kita", "Kita");
        check("Kita OR Hort Kita OR Hort", "Kita|Hort");
        check("Kita -Kita", "Kita & -Kita");
        assert!(parse(&"a".repeat(10_000)).len() == 1);
    }

    #[test]
    fn verbs_in_ieren_and_nouns_in_ierung_name_each_other() {
        assert_eq!(derived_forms("sanieren"), ["sanierung"]);
        assert_eq!(derived_forms("saniert"), ["sanierung"]);
        assert_eq!(derived_forms("Digitalisierte"), ["digitalisierung"]);
        assert_eq!(derived_forms("Sanierungen"), ["sanieren", "saniert"]);
        assert_eq!(derived_forms("Finanzierung"), ["finanzieren", "finanziert"]);
        for other in ["Schule", "Bier", "ieren", "Kita-Sanierung", "Papier"] {
            assert!(derived_forms(other).is_empty(), "{other}");
        }
    }

    #[test]
    fn loose_reference_patterns() {
        let pattern = |word: &str| loose_reference_pattern(word).map(|(whole, _)| whole);
        assert_eq!(
            pattern("F-1504").as_deref(),
            Some("([ivxlcdm]+[^a-z0-9])?f[^a-z0-9]0*1504")
        );
        assert_eq!(
            pattern("VII-F-01504").as_deref(),
            Some("vii[^a-z0-9]f[^a-z0-9]0*1504")
        );
        assert_eq!(pattern("2021/0000").as_deref(), Some("0*2021[^a-z0-9]0+"));
        assert_eq!(
            loose_reference_pattern("F-1504")
                .map(|(_, family)| family)
                .as_deref(),
            Some("([ivxlcdm]+[^a-z0-9])?f[^a-z0-9]0*1504([^a-z0-9].*)?")
        );
        let overlong = "F-1".repeat(30);
        for not_one in [
            "Telearbeit",
            "2020",
            "-F-1504",
            "F-1504-",
            "Straße",
            &overlong,
        ] {
            assert_eq!(pattern(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn references_are_recognised() {
        assert!(looks_like_reference("VII-F-01504"));
        assert!(looks_like_reference("VII-F-015"));
        assert!(looks_like_reference("2021/0281"));
        assert!(!looks_like_reference("2020"));
        assert!(!looks_like_reference("Telearbeit"));
    }
}
