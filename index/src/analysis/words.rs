//! Splits text into words, keeping numbers, dates and paper references whole.
//!
//! A word is a run of letters and digits (combining marks and soft hyphens count as part of
//! the word). Runs joined by `-` or `/`, or digits joined by `.` or `,`, form a group; a group
//! that contains a digit (`VII-F-01504`, `2021/0281`, `16.09.2020`, `1.000`) is emitted whole
//! *and* as its parts. The whole token shares the position of the first part, so a phrase of
//! the parts still matches, and a query for the whole identifier finds exactly it.

/// The most parts a group may have; longer chains are split into several groups.
const MAX_GROUP_PARTS: usize = 8;
/// Groups longer than this (in bytes) are not emitted whole, only as parts.
const MAX_WHOLE_BYTES: usize = 48;

/// One token found by [`Scanner`]: a byte range of the text and its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Byte offset of the first character.
    pub(crate) from: usize,
    /// Byte offset after the last character.
    pub(crate) to: usize,
    /// Position in words.
    pub(crate) position: usize,
    /// Whether this is a whole group (an identifier) rather than a single word.
    pub(crate) whole: bool,
}

/// Iterates over the [`Span`]s of a text.
#[derive(Debug, Clone)]
pub(crate) struct Scanner<'a> {
    text: &'a str,
    cursor: usize,
    position: usize,
    /// Parts of the current group, in reverse order.
    pending: Vec<Span>,
    /// Runs of the current group (scratch space).
    runs: Vec<(usize, usize)>,
}

impl<'a> Scanner<'a> {
    /// Starts scanning `text`.
    pub(crate) fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            text,
            cursor: 0,
            position: 0,
            pending: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// Finds the next run of word characters at or after the cursor.
    fn next_run(&mut self) -> Option<(usize, usize)> {
        let start = run_start(self.text, self.cursor)?;
        let end = run_end(self.text, start);
        self.cursor = end;
        Some((start, end))
    }
}

impl Iterator for Scanner<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        if let Some(span) = self.pending.pop() {
            return Some(span);
        }
        let first = self.next_run()?;
        self.runs.clear();
        self.runs.push(first);
        let bytes = self.text.as_bytes();
        let mut end = first.1;
        while self.runs.len() < MAX_GROUP_PARTS {
            let Some(connector) = self.text[end..].chars().next() else {
                break;
            };
            if !is_connector(connector) {
                break;
            }
            let after = end + connector.len_utf8();
            let Some(next) = self.text[after..].chars().next() else {
                break;
            };
            if !is_word_char(next) {
                break;
            }
            // A dot or comma only joins digits: `1.000`, `3,5`, `16.09.2020`, not `Nr.5`.
            if matches!(connector, '.' | ',')
                && !(bytes[end - 1].is_ascii_digit() && next.is_ascii_digit())
            {
                break;
            }
            let next_end = run_end(self.text, after);
            self.runs.push((after, next_end));
            end = next_end;
        }
        self.cursor = end;
        let base = self.position;
        self.position += self.runs.len();
        if self.runs.len() == 1 {
            return Some(Span {
                from: first.0,
                to: first.1,
                position: base,
                whole: false,
            });
        }
        for (index, &(from, to)) in self.runs.iter().enumerate().rev() {
            self.pending.push(Span {
                from,
                to,
                position: base + index,
                whole: false,
            });
        }
        let group = &self.text[first.0..end];
        if group.len() <= MAX_WHOLE_BYTES && group.bytes().any(|b| b.is_ascii_digit()) {
            return Some(Span {
                from: first.0,
                to: end,
                position: base,
                whole: true,
            });
        }
        self.pending.pop()
    }
}

/// Returns the start of the first run of word characters at or after `from`.
fn run_start(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii() {
            if byte.is_ascii_alphanumeric() {
                return Some(at);
            }
            at += 1;
        } else {
            let c = text[at..].chars().next()?;
            if is_word_char(c) {
                return Some(at);
            }
            at += c.len_utf8();
        }
    }
    None
}

/// Returns the end of the run of word characters that starts at `start`.
fn run_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii() {
            if !byte.is_ascii_alphanumeric() {
                return at;
            }
            at += 1;
        } else {
            let Some(c) = text[at..].chars().next() else {
                return at;
            };
            if !is_word_char(c) {
                return at;
            }
            at += c.len_utf8();
        }
    }
    text.len()
}

/// Whether `c` belongs to a word.
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{C0}'..='\u{24F}').contains(&c) {
        // Latin-1 letters and Latin Extended-A/B, without the general tables.
        c != '×' && c != '÷'
    } else {
        c.is_alphanumeric() || c == '\u{AD}' || unicode_normalization::char::is_combining_mark(c)
    }
}

/// Whether `c` may join two runs into a group.
fn is_connector(c: char) -> bool {
    matches!(c, '-' | '/' | '.' | ',' | '\u{2010}' | '\u{2011}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks the spans of `text` rendered as `text@position`, with `*` marking whole groups.
    fn check(text: &str, expected: &[&str]) {
        let actual: Vec<String> = Scanner::new(text)
            .map(|span| {
                let marker = if span.whole { "*" } else { "" };
                format!("{}{marker}@{}", &text[span.from..span.to], span.position)
            })
            .collect();
        assert_eq!(actual, expected, "text: {text:?}");
    }

    #[test]
    fn words() {
        check("", &[]);
        check("  ,;  ", &[]);
        check("Mobile Arbeit.", &["Mobile@0", "Arbeit@1"]);
        check("Kongreßhalle am Zoo", &["Kongreßhalle@0", "am@1", "Zoo@2"]);
        check("Stra\u{AD}ßen\u{AD}bahn", &["Stra\u{AD}ßen\u{AD}bahn@0"]);
        check("Gebu\u{308}hren", &["Gebu\u{308}hren@0"]);
        check("IT-Ausstattung", &["IT@0", "Ausstattung@1"]);
        check("Bürger*innen", &["Bürger@0", "innen@1"]);
        check("z.B. hier", &["z@0", "B@1", "hier@2"]);
    }

    #[test]
    fn identifiers() {
        check(
            "Anfrage VII-F-01504 vom",
            &[
                "Anfrage@0",
                "VII-F-01504*@1",
                "VII@1",
                "F@2",
                "01504@3",
                "vom@4",
            ],
        );
        check("2021/0281", &["2021/0281*@0", "2021@0", "0281@1"]);
        check(
            "am 16.09.2020.",
            &["am@0", "16.09.2020*@1", "16@1", "09@2", "2020@3"],
        );
        check("3,5 Mio", &["3,5*@0", "3@0", "5@1", "Mio@2"]);
        check("Nr.5", &["Nr@0", "5@1"]);
        check("Jahr 2020. Die", &["Jahr@0", "2020@1", "Die@2"]);
        check("VII‑DS‑1", &["VII‑DS‑1*@0", "VII@0", "DS@1", "1@2"]);
    }

    #[test]
    fn long_chains_are_bounded() {
        let text = "1-2-3-4-5-6-7-8-9-10";
        let spans: Vec<Span> = Scanner::new(text).collect();
        assert_eq!(spans.iter().filter(|span| span.whole).count(), 2);
        assert_eq!(spans.iter().filter(|span| !span.whole).count(), 10);
        assert_eq!(spans.last().map(|span| span.position), Some(9));
    }
}
