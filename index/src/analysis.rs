//! German text analysis: the analyzers registered with tantivy, and the same steps for
//! queries and highlighting.
//!
//! Every text goes through [`clean_text`] before it is stored or analysed (NFC, no soft
//! hyphens, plain spaces), so token offsets always match the stored text. Two analyzers
//! share one word splitter (`analysis/words.rs`), which keeps numbers and references whole:
//!
//! - [`GERMAN_EXACT`]: lowercase, `ä ö ü ß` as `ae oe ue ss`, other accents removed. Exact
//!   surface forms, so `Kongreßhalle` = `Kongresshalle` and `Müller` = `Mueller`. At index
//!   time stop words are left out (no query searches them there) and a word is followed by
//!   its marked stem (see [`STEM_MARKER`]).
//! - [`GERMAN`]: lowercase, German stop words removed (keeping `nicht`, `kein`, `weg`),
//!   Snowball German stem (frostem, pinned), then folded: `Telearbeiten` = `telearbeit`.
//!
//! [`REFERENCE`] turns a whole reference (`VII-F-01504`) into one lowercase token.

use std::borrow::Cow;
use std::cell::RefCell;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer,
    Stemmer as SnowballStemmer, TextAnalyzer, Token, TokenStream, Tokenizer, TokenizerManager,
};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub(crate) mod compound;
mod german;
mod overstem;
mod plural;
mod stem_s;
mod umlaut;
mod words;

pub(crate) use compound::splitter;
pub(crate) use german::{fold_exact, folded, is_stop_word, Stemmer};
pub(crate) use words::{Scanner, Span};

/// Name of the stemmed German analyzer (main recall field).
pub const GERMAN: &str = "german";
/// Name of the exact German analyzer: folded surface forms, no stemming, no stop words.
pub const GERMAN_EXACT: &str = "german_exact";
/// Name of the English analyzer (papers detected as English): words lowercased, English
/// Snowball stems, accents folded.
pub const ENGLISH: &str = "english";
/// Name of the analyzer that indexes a whole reference as one lowercase token.
pub const REFERENCE: &str = "reference";

/// Starts the extra token that the exact analyzer emits for a word whose stem differs from
/// its exact form (`\u{1}schul` after `schulen`). A query finds the words with a stem as
/// whole words (not compound parts) through it: "stem" ranks above "compound part". It sorts
/// before every letter, so prefix scans of the term dictionary never meet it.
pub(crate) const STEM_MARKER: char = '\u{1}';

/// Tokens longer than this (in bytes) are dropped: they are noise such as base64 or URLs.
pub(crate) const MAX_TOKEN_BYTES: usize = 64;

/// Prepares text for storing and indexing: Unicode NFC, soft hyphens removed, non-breaking
/// and other Unicode spaces as plain spaces, control characters (except line breaks, tabs and
/// form feeds) as spaces. Text that needs none of this is returned as is, without a copy.
pub fn clean_text(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut cleaned: Option<String> = None;
    let mut copied_to = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii() {
            if is_unwanted_control(char::from(byte)) {
                let out = cleaned.get_or_insert_with(|| String::with_capacity(text.len()));
                out.push_str(&text[copied_to..at]);
                out.push(' ');
                copied_to = at + 1;
            }
            at += 1;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        if needs_composition(c) {
            // Rare (text extracted from some PDFs): normalise with the slow path.
            return Cow::Owned(compose_and_clean(text));
        }
        let replacement = match c {
            '\u{AD}' => Some(""),
            _ if c.is_whitespace() || c.is_control() => Some(" "),
            _ => None,
        };
        if let Some(replacement) = replacement {
            let out = cleaned.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied_to..at]);
            out.push_str(replacement);
            copied_to = at + c.len_utf8();
        }
        at += c.len_utf8();
    }
    match cleaned {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[copied_to..]);
            Cow::Owned(out)
        }
    }
}

/// [`clean_text`] for text that needs Unicode composition.
fn compose_and_clean(text: &str) -> String {
    let first = text.find(needs_cleaning).unwrap_or(0);
    // Composition may join a character with the ones before it, but never across a space,
    // so the text is normalised space-separated segment by segment, starting with the
    // segment that holds the first character to clean.
    let start = text[..first]
        .rfind(|c: char| c.is_ascii_whitespace())
        .map_or(0, |at| at + 1);
    let mut cleaned = String::with_capacity(text.len());
    cleaned.push_str(&text[..start]);
    for segment in text[start..].split_inclusive(|c: char| c.is_ascii_whitespace()) {
        if segment.chars().any(needs_composition) {
            let composed: String = segment.nfc().collect();
            push_cleaned(&composed, &mut cleaned);
        } else {
            push_cleaned(segment, &mut cleaned);
        }
    }
    cleaned
}

/// Whether [`clean_text`] changes `c`, or may change it by composition.
fn needs_cleaning(c: char) -> bool {
    if c.is_ascii() {
        is_unwanted_control(c)
    } else {
        c == '\u{AD}' || c.is_whitespace() || c.is_control() || needs_composition(c)
    }
}

/// Whether `c` may change under NFC. No character below U+0300 does.
fn needs_composition(c: char) -> bool {
    c >= '\u{300}' && is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes
}

/// Whether `c` is a control character other than a line break, tab or form feed.
fn is_unwanted_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')
}

/// Appends `text` without soft hyphens, with unwanted controls and Unicode spaces as spaces.
fn push_cleaned(text: &str, out: &mut String) {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !is_unwanted_control(char::from(b)))
    {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        if c == '\u{AD}' {
            continue;
        }
        if is_unwanted_control(c) || (c.is_whitespace() && !c.is_ascii()) {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

/// Normalises a reference for exact and prefix matching: trimmed, NFC, folded lowercase.
pub fn normalize_reference(reference: &str) -> String {
    let mut out = String::with_capacity(reference.len());
    fold_exact(clean_text(reference.trim()).as_ref(), &mut out);
    out
}

/// Whether `text` (cleaned) holds a word too long to be indexed (see [`MAX_TOKEN_BYTES`]): a
/// query word that no paper can hold.
pub(crate) fn has_overlong_word(text: &str) -> bool {
    let mut folded = String::new();
    Scanner::new(text).any(|span| {
        fold_exact(&text[span.from..span.to], &mut folded);
        folded.len() > MAX_TOKEN_BYTES
    })
}

/// Returns the tokens that the analyzer `name` produces for `text` (after [`clean_text`]),
/// or nothing for an unknown name. For tests and explanations.
pub fn tokens(name: &str, text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for_each_token(name, &clean_text(text), |token| {
        tokens.push(token.to_string())
    });
    tokens
}

/// Runs the analyzer `name` over `text`, which must already be cleaned with [`clean_text`],
/// and passes each token to `sink`; returns false for an unknown name. For benchmarks: it
/// allocates nothing per token.
pub fn for_each_token(name: &str, text: &str, mut sink: impl FnMut(&str)) -> bool {
    let manager = TokenizerManager::new();
    register(&manager);
    let Some(mut analyzer) = manager.get(name) else {
        return false;
    };
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        sink(&token.text);
    }
    true
}

/// Returns the top-level parts of a German compound word in folded form (`Telearbeitsplätze`
/// gives `tele`, `arbeit`, `plaetze`), or nothing when it is not a compound. Uncached: for
/// explanations, tests and the splitting benchmark.
pub fn compound_parts(word: &str) -> Vec<String> {
    let mut folded = String::new();
    fold_exact(clean_text(word).as_ref(), &mut folded);
    splitter().parts(&folded)
}

/// Registers every analyzer of this crate with a tantivy tokenizer manager.
pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(GERMAN, GermanTokenizer::new(Mode::Compound));
    manager.register(GERMAN_EXACT, GermanTokenizer::new(Mode::ExactMarked));
    manager.register(REFERENCE, ReferenceTokenizer::default());
    manager.register(ENGLISH, english_analyzer());
}

/// The analyzer behind [`ENGLISH`].
pub(crate) fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(SnowballStemmer::new(Language::English))
        .filter(AsciiFoldingFilter)
        .build()
}

/// The English stem of a single query word, or `None` when it is not one word.
pub(crate) fn english_stem(word: &str) -> Option<String> {
    let mut analyzer = english_analyzer();
    let mut stream = analyzer.token_stream(word);
    let first = stream.next()?.text.clone();
    stream.next().is_none().then_some(first)
}

/// The entries of a shipped word list (`index/data/*.txt`): one per line, trimmed, without
/// empty lines and `#` comments.
pub(crate) fn list_entries(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Words of a shipped list in their exact folded form (`traeger`).
pub(crate) type FoldedWords =
    std::collections::HashSet<String, std::hash::BuildHasherDefault<crate::hash::FxHasher>>;

/// The entries of a shipped word list (see [`list_entries`]), folded as words reach the
/// stemmer (compound parts, `Traeger` typed without the umlaut).
pub(crate) fn folded_entries(list: &'static str) -> FoldedWords {
    list_entries(list).map(folded).collect()
}

/// What a [`GermanTokenizer`] emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Folded surface forms.
    Exact,
    /// Folded surface forms without stop words, each followed at its position by its stem
    /// after [`STEM_MARKER`] when the stem differs from the form (index time only).
    ExactMarked,
    /// Stems without stop words.
    Stemmed,
    /// Stems without stop words; a capitalised compound is followed, at its position and
    /// with its offsets, by the stems of its parts and inner compounds (index time only).
    Compound,
}

/// One token of [`analyze`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Analyzed {
    /// The term.
    pub(crate) text: String,
    /// Position in words.
    pub(crate) position: usize,
    /// Whether the token is a whole identifier group.
    pub(crate) whole: bool,
}

/// Analyses `text` (already cleaned) as the index does for `mode`.
pub(crate) fn analyze(text: &str, mode: Mode) -> Vec<Analyzed> {
    let mut tokenizer = GermanTokenizer::new(mode);
    let mut stream = tokenizer.token_stream(text);
    let mut analyzed = Vec::new();
    while stream.advance() {
        let token = stream.token();
        analyzed.push(Analyzed {
            text: token.text.clone(),
            position: token.position,
            whole: token.position_length > 1,
        });
    }
    analyzed
}

/// The tantivy tokenizer behind [`GERMAN`] and [`GERMAN_EXACT`].
#[derive(Clone)]
pub(crate) struct GermanTokenizer {
    mode: Mode,
    stemmer: Stemmer,
    token: Token,
    scratch: String,
    /// Stems of compound parts still to emit at the current position.
    pending: Pending,
    /// Buffers for splitting compounds.
    folded: String,
    part_stem: String,
    /// The words of the current text: recorded by [`Mode::Compound`], replayed by
    /// [`Mode::ExactMarked`] (see [`WordMemo`]).
    memo: WordMemo,
}

impl GermanTokenizer {
    fn new(mode: Mode) -> GermanTokenizer {
        GermanTokenizer {
            mode,
            stemmer: Stemmer::default(),
            token: Token::default(),
            scratch: String::new(),
            pending: Pending::default(),
            folded: String::new(),
            part_stem: String::new(),
            memo: WordMemo::default(),
        }
    }
}

/// Terms still to emit at the current position (stems of compound parts, a marked stem),
/// last first. Their strings stay allocated for the next words: an index analyzer queues
/// one or more terms for most words.
#[derive(Clone, Default)]
struct Pending {
    terms: Vec<String>,
    /// How many of `terms` are queued.
    len: usize,
}

impl Pending {
    fn clear(&mut self) {
        self.len = 0;
    }

    fn contains(&self, term: &str) -> bool {
        self.terms[..self.len].iter().any(|queued| queued == term)
    }

    /// Queues the term made of `pieces`.
    fn push(&mut self, pieces: &[&str]) {
        if self.len == self.terms.len() {
            self.terms.push(String::new());
        }
        let term = &mut self.terms[self.len];
        term.clear();
        pieces.iter().for_each(|piece| term.push_str(piece));
        self.len += 1;
    }

    /// Writes the last queued term into `out` and returns true, or returns false when none is
    /// queued.
    fn pop_into(&mut self, out: &mut String) -> bool {
        let Some(last) = self.len.checked_sub(1) else {
            return false;
        };
        self.len = last;
        out.clear();
        out.push_str(&self.terms[last]);
        true
    }
}

/// The words of a text as the stemmed index analyzer found them, with their exact forms, so
/// that the exact analyzer does not split and stem the same text again: tantivy indexes the
/// fields of a document in field order, and every exact field follows its stemmed field with
/// the same text. The stemmed analyzer records the words of each text it reads to the end
/// and leaves them in a slot of its thread; the exact analyzer takes them when its text is
/// the same, byte for byte, and otherwise analyses the text itself.
#[derive(Default)]
struct WordMemo {
    /// The text the words are from.
    text: String,
    /// Whether every word of `text` is recorded.
    complete: bool,
    words: Vec<MemoWord>,
    /// The exact forms and stems of `words`, one after another.
    strings: String,
}

/// A copy of a tokenizer (tantivy makes one per indexing thread) starts with an empty memo.
impl Clone for WordMemo {
    fn clone(&self) -> WordMemo {
        WordMemo::default()
    }
}

/// One word of a [`WordMemo`].
#[derive(Clone, Copy)]
struct MemoWord {
    span: Span,
    /// Byte range of the exact form in [`WordMemo::strings`].
    exact: (usize, usize),
    /// Byte range of the stem, or `None` for a stop word (single words only).
    stem: Option<(usize, usize)>,
}

impl WordMemo {
    fn start(&mut self, text: &str) {
        self.text.clear();
        self.text.push_str(text);
        self.complete = false;
        self.words.clear();
        self.strings.clear();
    }

    fn push(&mut self, span: Span, exact: &str, stem: Option<&str>) {
        let mut add = |value: &str| {
            let from = self.strings.len();
            self.strings.push_str(value);
            (from, self.strings.len())
        };
        let exact = add(exact);
        let stem = stem.map(add);
        self.words.push(MemoWord { span, exact, stem });
    }

    fn string(&self, (from, to): (usize, usize)) -> &str {
        &self.strings[from..to]
    }
}

/// Longer texts are analysed twice rather than remembered: a memo takes about 100 bytes per
/// word of its text, and keeps its buffers for the next text.
const MEMO_MAX_BYTES: usize = 1 << 20;

thread_local! {
    /// The words of the last text the stemmed index analyzer read to the end on this thread.
    static LAST_WORDS: RefCell<WordMemo> = RefCell::new(WordMemo::default());
}

impl Tokenizer for GermanTokenizer {
    type TokenStream<'a> = GermanTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GermanTokenStream<'a> {
        self.token.reset();
        self.pending.clear();
        let memo = match self.mode {
            Mode::Compound if text.len() <= MEMO_MAX_BYTES => {
                self.memo.start(text);
                MemoUse::Record
            }
            Mode::ExactMarked => LAST_WORDS.with_borrow_mut(|last| {
                if last.complete && last.text == text {
                    std::mem::swap(last, &mut self.memo);
                    last.complete = false;
                    MemoUse::Replay(0)
                } else {
                    MemoUse::None
                }
            }),
            Mode::Exact | Mode::Stemmed | Mode::Compound => MemoUse::None,
        };
        GermanTokenStream {
            scanner: Scanner::new(text),
            text,
            mode: self.mode,
            stemmer: self.stemmer,
            token: &mut self.token,
            scratch: &mut self.scratch,
            pending: &mut self.pending,
            folded: &mut self.folded,
            part_stem: &mut self.part_stem,
            memo: &mut self.memo,
            memo_use: memo,
        }
    }
}

/// The token stream of [`GermanTokenizer`].
pub(crate) struct GermanTokenStream<'a> {
    scanner: Scanner<'a>,
    text: &'a str,
    mode: Mode,
    stemmer: Stemmer,
    token: &'a mut Token,
    scratch: &'a mut String,
    pending: &'a mut Pending,
    folded: &'a mut String,
    part_stem: &'a mut String,
    memo: &'a mut WordMemo,
    memo_use: MemoUse,
}

/// What a [`GermanTokenStream`] does with its [`WordMemo`].
#[derive(Clone, Copy)]
enum MemoUse {
    None,
    /// Records the words (stemmed analyzer).
    Record,
    /// Replays the recorded words from this index on (exact analyzer).
    Replay(usize),
}

impl GermanTokenStream<'_> {
    /// Queues the stems of the parts of `raw` when it is a capitalised compound.
    fn queue_parts(&mut self, raw: &str) {
        if !raw.chars().next().is_some_and(char::is_uppercase) {
            return;
        }
        fold_exact(raw, self.folded);
        let parts = compound::splitter().split_cached(self.folded);
        for part in parts.iter() {
            self.queue_stem_of(part);
        }
    }

    /// Queues the stem of `word` (a compound part, a completed truncation) at the current
    /// position, unless it is empty, the current term or already queued.
    fn queue_stem_of(&mut self, word: &str) {
        if self.stemmer.stem_cached(word, self.scratch, self.part_stem)
            && !self.part_stem.is_empty()
            && *self.part_stem != self.token.text
            && !self.pending.contains(self.part_stem)
        {
            self.pending.push(&[self.part_stem.as_str()]);
        }
    }
}

/// Conjunctions after a truncated word (`Fuß- und Radweg`).
const TRUNCATION_CONJUNCTIONS: &[&str] = &["und", "oder", "bzw.", "sowie", "&"];

/// When the word ending at `end` is truncated with a hyphen and joined to a compound by a
/// conjunction (`Fuß- und Radweg`, `Kita- oder Schulsozialarbeit`), returns that compound.
pub(crate) fn truncated_partner(text: &str, end: usize) -> Option<&str> {
    let rest = text.get(end..)?.strip_prefix('-')?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let mut words = rest.split_whitespace();
    let conjunction = words.next()?;
    if !TRUNCATION_CONJUNCTIONS.contains(&conjunction) {
        return None;
    }
    let partner = words
        .next()?
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    partner
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
        .then_some(partner)
}

/// The folded compound that the truncated word `raw` stands for: `raw` and the last part of
/// its partner compound (`Fuß-` with `Radweg` is `fussweg`), or `None` when the partner is
/// not a compound.
pub(crate) fn completed_truncation(raw: &str, partner: &str) -> Option<String> {
    let mut folded = String::new();
    fold_exact(partner, &mut folded);
    let parts = splitter().parts(&folded);
    let last = parts.last().filter(|_| parts.len() >= 2)?;
    let mut completed = String::new();
    fold_exact(raw, &mut completed);
    completed.push_str(last);
    Some(completed)
}

impl GermanTokenStream<'_> {
    /// Queues the stem of the compound that the truncated word `raw` stands for.
    fn queue_completion(&mut self, raw: &str, partner: &str) {
        if let Some(completed) = completed_truncation(raw, partner) {
            self.queue_stem_of(&completed);
        }
    }

    /// The next word of the text and whether it is kept (not a stop word), with its term in
    /// `token.text` and, for [`Mode::ExactMarked`], its stem in `part_stem`; replayed from the
    /// memo when the stemmed analyzer already read this text.
    fn next_word(&mut self) -> Option<(Span, bool)> {
        if let MemoUse::Replay(at) = self.memo_use {
            let word = *self.memo.words.get(at)?;
            self.memo_use = MemoUse::Replay(at + 1);
            self.token.text.clear();
            self.token.text.push_str(self.memo.string(word.exact));
            self.part_stem.clear();
            if let Some(stem) = word.stem {
                self.part_stem.push_str(self.memo.string(stem));
            }
            return Some((word.span, word.span.whole || word.stem.is_some()));
        }
        let Some(span) = self.scanner.next() else {
            if let MemoUse::Record = self.memo_use {
                self.memo.complete = true;
                LAST_WORDS.with_borrow_mut(|last| std::mem::swap(last, self.memo));
                self.memo_use = MemoUse::None;
            }
            return None;
        };
        let raw = &self.text[span.from..span.to];
        let keep = match self.mode {
            Mode::ExactMarked if !span.whole => {
                // A stop word is never searched on the exact fields (a query word without a
                // stem searches nothing), so the index leaves it out; the stem found here is
                // the one marked after the word.
                let kept = self.stemmer.stem_cached(raw, self.scratch, self.part_stem);
                if kept {
                    fold_exact(raw, &mut self.token.text);
                }
                kept
            }
            Mode::Exact | Mode::ExactMarked => {
                fold_exact(raw, &mut self.token.text);
                true
            }
            Mode::Stemmed | Mode::Compound if span.whole => {
                fold_exact(raw, &mut self.token.text);
                if let MemoUse::Record = self.memo_use {
                    self.memo.push(span, &self.token.text, None);
                }
                true
            }
            Mode::Stemmed | Mode::Compound => {
                let kept = self
                    .stemmer
                    .stem_cached(raw, self.scratch, &mut self.token.text);
                if let MemoUse::Record = self.memo_use {
                    if kept {
                        fold_exact(raw, self.scratch);
                        self.memo.push(span, self.scratch, Some(&self.token.text));
                    } else {
                        self.memo.push(span, "", None);
                    }
                }
                kept
            }
        };
        Some((span, keep))
    }

    /// Queues the marked stem of the current word (found before it was emitted) when it
    /// differs from its exact form.
    fn queue_marked_stem(&mut self) {
        if !self.part_stem.is_empty() && *self.part_stem != self.token.text {
            let mut marker = [0; 4];
            self.pending.push(&[
                STEM_MARKER.encode_utf8(&mut marker),
                self.part_stem.as_str(),
            ]);
        }
    }
}

impl TokenStream for GermanTokenStream<'_> {
    fn advance(&mut self) -> bool {
        // Same position, offsets and length as the word it came from.
        if self.pending.pop_into(&mut self.token.text) {
            return true;
        }
        let text = self.text;
        while let Some((span, keep)) = self.next_word() {
            let raw = &text[span.from..span.to];
            if !keep || self.token.text.is_empty() || self.token.text.len() > MAX_TOKEN_BYTES {
                continue;
            }
            self.token.offset_from = span.from;
            self.token.offset_to = span.to;
            self.token.position = span.position;
            // A whole group is marked by its length in positions, as Lucene's word delimiter
            // graph does; tantivy ignores the value when indexing.
            self.token.position_length = if span.whole { 2 } else { 1 };
            if self.mode == Mode::Compound && !span.whole {
                self.queue_parts(raw);
                if let Some(next) = truncated_partner(text, span.to) {
                    self.queue_completion(raw, next);
                }
            }
            if self.mode == Mode::ExactMarked && !span.whole {
                self.queue_marked_stem();
            }
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The tantivy tokenizer behind [`REFERENCE`]: one token per value.
#[derive(Clone, Default)]
pub(crate) struct ReferenceTokenizer {
    token: Token,
}

impl Tokenizer for ReferenceTokenizer {
    type TokenStream<'a> = ReferenceTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ReferenceTokenStream<'a> {
        self.token.reset();
        self.token.text = normalize_reference(text);
        self.token.offset_to = text.len();
        self.token.position = 0;
        ReferenceTokenStream {
            pending: !self.token.text.is_empty(),
            token: &mut self.token,
        }
    }
}

/// The token stream of [`ReferenceTokenizer`].
pub(crate) struct ReferenceTokenStream<'a> {
    pending: bool,
    token: &'a mut Token,
}

impl TokenStream for ReferenceTokenStream<'_> {
    fn advance(&mut self) -> bool {
        std::mem::replace(&mut self.pending, false)
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Checks the tokens of `text` under the analyzer `name`.
    fn check(name: &str, text: &str, expected: &[&str]) {
        assert_eq!(tokens(name, text), expected, "{name}: {text:?}");
    }

    /// A token with its offsets, position and length in positions.
    pub(crate) type FullToken = (String, usize, usize, usize, usize);

    /// Every token of `text` under the index analyzer `mode`, with offsets and positions.
    fn full_tokens(mode: Mode, text: &str) -> Vec<FullToken> {
        let mut tokenizer = GermanTokenizer::new(mode);
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            out.push((
                token.text.clone(),
                token.offset_from,
                token.offset_to,
                token.position,
                token.position_length,
            ));
        }
        out
    }

    /// The exact analyzer's tokens of `text` computed afresh and replayed after the stemmed
    /// analyzer read the same text (as tantivy runs them).
    pub(crate) fn exact_fresh_and_replayed(text: &str) -> [Vec<FullToken>; 2] {
        // Another text first, so that nothing of `text` is remembered.
        full_tokens(Mode::Compound, "anderer Text");
        let fresh = full_tokens(Mode::ExactMarked, text);
        full_tokens(Mode::Compound, text);
        let replayed = full_tokens(Mode::ExactMarked, text);
        [fresh, replayed]
    }

    #[test]
    fn the_exact_analyzer_replays_the_words_of_the_stemmed_one() {
        for text in [
            "Die Telearbeitsplätze der Verwaltung (VII-F-01504) werden für die Bürger*innen \
             geprüft; Fuß- und Radweg, Kita-Plätze, 2021/0281 und https://example.org/x.",
            "",
            "der die das",
            "Kongreßhalle Café Förderung",
        ] {
            let [fresh, replayed] = exact_fresh_and_replayed(text);
            assert!(!text.contains("Tele") || fresh.len() > 20, "{fresh:?}");
            assert_eq!(fresh, replayed, "{text:?}");
        }
        // A stemmed stream not read to the end leaves nothing to replay.
        full_tokens(Mode::Compound, "anderer Text");
        let text = "Schulgebäude und Sporthallen";
        let expected = full_tokens(Mode::ExactMarked, text);
        let mut stemmed = GermanTokenizer::new(Mode::Compound);
        let mut stream = stemmed.token_stream(text);
        assert!(stream.advance());
        drop(stream);
        assert_eq!(full_tokens(Mode::ExactMarked, text), expected);
        // Another text than the one remembered is analysed afresh.
        full_tokens(Mode::Compound, "Schulgebäude");
        assert_eq!(full_tokens(Mode::ExactMarked, text), expected);
    }

    #[test]
    fn exact_analyzer() {
        // A word whose stem differs is followed by the marked stem (see `STEM_MARKER`).
        check(
            GERMAN_EXACT,
            "Kongreßhalle",
            &["kongresshalle", "\u{1}kongresshall"],
        );
        check(
            GERMAN_EXACT,
            "Kongresshalle",
            &["kongresshalle", "\u{1}kongresshall"],
        );
        check(
            GERMAN_EXACT,
            "Die Müller-Straße",
            &["mueller", "strasse", "\u{1}strass"],
        );
        check(
            GERMAN_EXACT,
            "nicht öffentlich",
            &["nicht", "oeffentlich", "\u{1}offent"],
        );
        check(GERMAN_EXACT, "Stadt", &["stadt"]);
        check(
            GERMAN_EXACT,
            "Gebu\u{308}hren",
            &["gebuehren", "\u{1}gebuhr"],
        );
        check(GERMAN_EXACT, "Stra\u{AD}ßen\u{AD}bahn", &["strassenbahn"]);
        check(
            GERMAN_EXACT,
            "Anfrage VII-F-01504",
            &["anfrage", "\u{1}anfrag", "vii-f-01504", "vii", "f", "01504"],
        );
        check(
            GERMAN_EXACT,
            "1.000.000 €",
            &["1.000.000", "1", "000", "000"],
        );
    }

    #[test]
    fn stemmed_analyzer() {
        // A capitalised compound is followed by the stems of its parts and inner compounds.
        check(
            GERMAN,
            "Kongreßhalle",
            &["kongresshall", "hall", "kongress"],
        );
        check(
            GERMAN,
            "Kongresshalle",
            &["kongresshall", "hall", "kongress"],
        );
        check(
            GERMAN,
            "Mobile Telearbeit",
            &["mobil", "telearbeit", "arbeit", "tel"],
        );
        check(
            GERMAN,
            "der Telearbeitsplätze",
            &[
                "telearbeitsplatz",
                "arbeitsplatz",
                "platz",
                "telearbeit",
                "arbeit",
                "tel",
            ],
        );
        check(
            GERMAN,
            "Die Sitzung ist nicht öffentlich",
            &["sitzung", "nicht", "offent"],
        );
        check(GERMAN, "Am Weg", &["weg"]);
        check(
            GERMAN,
            "Drucksache VII-F-01504-AW-01",
            &[
                "drucksach",
                "sach",
                "druck",
                "vii-f-01504-aw-01",
                "vii",
                "f",
                "01504",
                "aw",
                "01",
            ],
        );
        check(GERMAN, "am 16.09.2020", &["16.09.2020", "16", "09", "2020"]);
        check(GERMAN, "2021/0281", &["2021/0281", "2021", "0281"]);
        check(GERMAN, "IT-Ausstattung", &["it", "ausstatt"]);
        // A truncated word stands for the compound it completes.
        check(
            GERMAN,
            "Fuß- und Radweg",
            &["fuss", "fussweg", "radweg", "weg", "rad"],
        );
        check(GERMAN, "Kinder- und", &["kind"]);
        check(GERMAN, &"x".repeat(100), &[]);
    }

    #[test]
    fn english_analyzer() {
        check(
            ENGLISH,
            "The council approved funding",
            &["the", "council", "approv", "fund"],
        );
        assert_eq!(english_stem("approve").as_deref(), Some("approv"));
        assert_eq!(english_stem("two words"), None);
    }

    #[test]
    fn positions_keep_stop_word_gaps() {
        let analyzed = analyze("Stadt der Zukunft", Mode::Stemmed);
        let positions: Vec<(&str, usize)> = analyzed
            .iter()
            .map(|token| (token.text.as_str(), token.position))
            .collect();
        assert_eq!(positions, [("stadt", 0), ("zukunft", 2)]);
    }

    #[test]
    fn whole_groups_are_marked() {
        let analyzed = analyze("VII-F-01504", Mode::Exact);
        let whole: Vec<bool> = analyzed.iter().map(|token| token.whole).collect();
        assert_eq!(whole, [true, false, false, false]);
    }

    #[test]
    fn references() {
        check(REFERENCE, " VII-F-01504 ", &["vii-f-01504"]);
        check(REFERENCE, "2021/0281", &["2021/0281"]);
        check(REFERENCE, "   ", &[]);
        assert_eq!(normalize_reference("VII‑A‑1"), "vii-a-1");
    }

    #[test]
    fn cleaning() {
        assert!(matches!(clean_text("plain text\n"), Cow::Borrowed(_)));
        assert_eq!(clean_text("Gebu\u{308}hren"), "Gebühren");
        assert_eq!(clean_text("Stra\u{AD}ße\u{A0}1\u{7}"), "Straße 1 ");
        assert_eq!(
            clean_text("Die Gebu\u{308}hren und Gebu\u{308}hr"),
            "Die Gebühren und Gebühr"
        );
        assert_eq!(clean_text("a\u{308}\u{AD}b c"), "äb c");
        assert!(matches!(clean_text("Größe – „Zitat“ €"), Cow::Borrowed(_)));
    }
}
