//! Bounded text for snippets: long text is cut into passages when indexed, and a snippet is
//! cut from the best matching passage, never from a whole long document.
//!
//! A passage is a section of the body text of [`MIN_PASSAGE_BYTES`] to
//! [`MAX_PASSAGE_BYTES`] bytes, cut at a paragraph, line, sentence or word break, or (part
//! of) one attachment page. At query time a small query restricted to one paper's passages
//! finds the best passages and the matching pages; the snippet marks query words in about
//! [`SNIPPET_BYTES`] bytes around the densest cluster of matches.

use std::collections::HashSet;

use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::analysis::{fold_exact, Scanner, Stemmer};
use crate::query::{self, Compiled, Highlight};
use crate::schema::{self, PassageFields};
use crate::{PageHit, Result};

/// Smallest passage cut from a longer text, in bytes.
pub(crate) const MIN_PASSAGE_BYTES: usize = 800;
/// Largest passage, in bytes.
pub(crate) const MAX_PASSAGE_BYTES: usize = 2_000;
/// Length of a snippet, in bytes of text (without marks and ellipses).
pub(crate) const SNIPPET_BYTES: usize = 200;
/// Context kept before the first match of a snippet, in bytes.
const CONTEXT_BYTES: usize = 60;
/// Passages of one paper ranked for its snippets and pages.
const PASSAGES_PER_HIT: usize = 8;
/// Most snippets per hit.
const MAX_SNIPPETS: usize = 2;
/// Most matching pages reported per hit.
const MAX_PAGES: usize = 5;
/// Ellipsis on a cut side of a snippet.
const ELLIPSIS: &str = "…";

/// Cuts `text` into passages of at most [`MAX_PASSAGE_BYTES`] bytes, trimmed and non-empty.
pub(crate) fn split_passages(text: &str) -> Vec<&str> {
    let mut passages = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if rest.len() <= MAX_PASSAGE_BYTES {
            passages.push(rest);
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
        // A text without any character boundary in the window is impossible (a char has at
        // most 4 bytes), but never loop without progress.
        let cut = if cut == 0 { rest.len() } else { cut };
        let passage = rest[..cut].trim();
        if !passage.is_empty() {
            passages.push(passage);
        }
        rest = rest[cut..].trim_start();
    }
    passages
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

/// Snippets and matching pages of one hit.
#[derive(Debug, Default)]
pub(crate) struct HitText {
    pub(crate) snippets: Vec<String>,
    pub(crate) pages: Vec<PageHit>,
}

/// Finds the snippets and matching pages of the paper `key`, falling back to its `lead`.
pub(crate) fn hit_text(
    searcher: &Searcher,
    fields: &PassageFields,
    key: &str,
    compiled: &Compiled,
    lead: &str,
) -> Result<HitText> {
    let mut hit_text = HitText::default();
    if let Some(passage_query) = query::passage_query(fields, key, &compiled.passage_terms) {
        let collector = TopDocs::with_limit(PASSAGES_PER_HIT).order_by_score();
        let passages = searcher.search(&*passage_query, &collector)?;
        let best_score = passages.first().map_or(0.0, |&(score, _)| score);
        for &(score, address) in &passages {
            if let Some(page) = page_of(searcher, address)? {
                if hit_text.pages.len() < MAX_PAGES && !hit_text.pages.contains(&page) {
                    hit_text.pages.push(page);
                }
            }
            if hit_text.snippets.len() < MAX_SNIPPETS && score >= best_score * 0.5 {
                let passage: TantivyDocument = searcher.doc(address)?;
                let text = passage
                    .get_first(fields.text)
                    .and_then(|value| value.as_str())
                    .unwrap_or_default();
                let snippet = render(text, &compiled.highlight);
                if !snippet.is_empty() {
                    hit_text.snippets.push(snippet);
                }
            }
        }
    }
    if hit_text.snippets.is_empty() && !lead.is_empty() {
        hit_text.snippets.push(render(lead, &compiled.highlight));
    }
    Ok(hit_text)
}

/// The attachment page of a passage, if it is one.
fn page_of(searcher: &Searcher, address: DocAddress) -> Result<Option<PageHit>> {
    let fast_fields = searcher.segment_reader(address.segment_ord).fast_fields();
    let page = fast_fields
        .column_opt::<u64>(schema::PAGE)?
        .and_then(|column| column.first(address.doc_id));
    let Some(page) = page else {
        return Ok(None);
    };
    let text_value = |name: &str| -> Result<Option<String>> {
        let Some(column) = fast_fields.str(name)? else {
            return Ok(None);
        };
        let mut value = String::new();
        let Some(ord) = column.term_ords(address.doc_id).next() else {
            return Ok(None);
        };
        Ok(column.ord_to_str(ord, &mut value)?.then_some(value))
    };
    Ok(Some(PageHit {
        file: text_value(schema::FILE)?.unwrap_or_default(),
        url: text_value(schema::URL)?,
        page: u32::try_from(page).unwrap_or(u32::MAX),
    }))
}

/// A match of a query word in a text: a byte range and the matched term.
#[derive(Debug, Clone)]
struct Mark {
    from: usize,
    to: usize,
    term: String,
}

/// Finds the words of `text` that match `highlight`, as exact form or stem.
fn find_marks(text: &str, highlight: &Highlight) -> Vec<Mark> {
    let mut marks: Vec<Mark> = Vec::new();
    if highlight.is_empty() {
        return marks;
    }
    let stemmer = Stemmer::default();
    let (mut exact, mut scratch, mut stem) = (String::new(), String::new(), String::new());
    let mut covered_to = 0;
    for span in Scanner::new(text) {
        if span.from < covered_to {
            continue;
        }
        let raw = &text[span.from..span.to];
        fold_exact(raw, &mut exact);
        let term = if highlight.exact.contains(&exact) {
            Some(exact.clone())
        } else if span.whole {
            highlight.stems.contains(&exact).then(|| exact.clone())
        } else if stemmer.stem(raw, &mut scratch, &mut stem) && highlight.stems.contains(&stem) {
            Some(stem.clone())
        } else {
            None
        };
        if let Some(term) = term {
            covered_to = span.to;
            marks.push(Mark {
                from: span.from,
                to: span.to,
                term,
            });
        }
    }
    marks
}

/// Cuts a snippet of about [`SNIPPET_BYTES`] from `text`, around the window with the most
/// distinct matches, HTML-escaped, matches in `<mark>`, `…` on cut sides.
pub(crate) fn render(text: &str, highlight: &Highlight) -> String {
    let text = text.trim();
    let marks = find_marks(text, highlight);
    let Some((first, last)) = best_window(&marks) else {
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
            terms.insert(&mark.term);
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
        query::compile(&query::parse(query_text), &fields).highlight
    }

    fn check(text: &str, words: &str, expected: &str) {
        assert_eq!(render(text, &highlight(words)), expected, "text: {text:?}");
    }

    #[test]
    fn snippets() {
        check(
            "Wird mobile Arbeit und Telearbeit ermöglicht?",
            "Telearbeit",
            "Wird mobile Arbeit und <mark>Telearbeit</mark> ermöglicht?",
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

    #[test]
    fn passages_are_bounded() {
        let text = "Ein Satz mit einigen Wörtern. ".repeat(1_000);
        let passages = split_passages(&text);
        assert!(passages.len() > 10);
        assert!(passages
            .iter()
            .all(|p| p.len() <= MAX_PASSAGE_BYTES && !p.is_empty()));
        let joined: usize = passages.iter().map(|p| p.split_whitespace().count()).sum();
        assert_eq!(joined, text.split_whitespace().count());
        assert_eq!(split_passages("  kurz  "), ["kurz"]);
        assert!(split_passages(" \n ").is_empty());
        // No whitespace at all: hard cuts at char boundaries.
        let unbroken = "ä".repeat(5_000);
        let pieces = split_passages(&unbroken);
        assert_eq!(pieces.concat(), unbroken);
    }

    #[test]
    fn leads() {
        assert_eq!(lead(" kurz "), "kurz");
        let long = "Wort ".repeat(100);
        let cut = lead(&long);
        assert!(cut.ends_with(ELLIPSIS) && cut.len() <= SNIPPET_BYTES + ELLIPSIS.len());
    }
}
