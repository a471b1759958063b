//! German-aware de-hyphenation of line ends.
//!
//! Layout hyphens are removed and the word joined (`Telear-` + `beit` → `Telearbeit`), but a
//! hyphen that belongs to the text stays: before a capital or a digit it is part of a compound
//! (`E-Mail`, `Natura-2000-Gebiete`, `Bürgermeister-Stellvertreter`), and before a conjunction it
//! is an Ergänzungsstrich (`Bau- und Umweltausschuss`). Soft hyphens are always layout hyphens.

/// Words after which a line-end hyphen is an Ergänzungsstrich ("Bau- und …"), not a break.
const CONJUNCTIONS: &[&str] = &[
    "als",
    "bis",
    "bzw",
    "noch",
    "oder",
    "sowie",
    "und",
    "wie",
    "beziehungsweise",
    "or",
    "and",
];

/// How a hyphenated line end continues.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Join {
    /// Drop the hyphen and join the word.
    Drop,
    /// Keep the hyphen and join without a space.
    Keep,
    /// Not a hyphenated word: keep the line break.
    Break,
}

/// Decides how a line ending in `line` continues with `next`.
pub(crate) fn join(line: &str, next: &str) -> Join {
    let line = line.trim_end();
    let mut ending = line.chars().rev();
    let Some(hyphen) = ending.next() else {
        return Join::Break;
    };
    let before = ending.next();
    let Some(first) = next.trim_start().chars().next() else {
        return Join::Break;
    };
    let before_ok = before.is_some_and(|c| c.is_alphanumeric());
    match hyphen {
        '\u{AD}' if before_ok && first.is_alphanumeric() => Join::Drop,
        '-' | '\u{2010}' if before_ok => {
            if first.is_lowercase() {
                let word: String = next
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .collect();
                if CONJUNCTIONS.contains(&word.as_str()) {
                    Join::Break
                } else {
                    Join::Drop
                }
            } else if first.is_uppercase() || first.is_ascii_digit() {
                // "Bau-\nund" is handled above; "Gemeinde-\nUnd" is not German.
                if before.is_some_and(|c| c.is_alphabetic()) || first.is_uppercase() {
                    Join::Keep
                } else {
                    Join::Break
                }
            } else {
                Join::Break
            }
        }
        _ => Join::Break,
    }
}

/// `text` with its hyphenated line ends joined (text extracted from PDFs elsewhere, such as an
/// OParl File's `text`); text without a line-end hyphen or soft hyphen is returned as it is.
pub(crate) fn join_line_ends(text: &str) -> String {
    if !text.contains("-\n") && !text.contains("-\r\n") && !text.contains('\u{AD}') {
        return text.to_string();
    }
    dehyphenate(text.lines().map(str::to_string).collect()).join("\n")
}

/// Joins hyphenated line ends in place and removes soft hyphens inside lines.
pub(crate) fn dehyphenate(lines: Vec<String>) -> Vec<String> {
    let mut joined: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(previous) = joined.last_mut() {
            match join(previous, &line) {
                Join::Drop => {
                    let trimmed_len = previous.trim_end().len();
                    previous.truncate(trimmed_len);
                    previous.pop();
                    previous.push_str(line.trim_start());
                    continue;
                }
                Join::Keep => {
                    let trimmed_len = previous.trim_end().len();
                    previous.truncate(trimmed_len);
                    if previous.ends_with('\u{2010}') {
                        previous.pop();
                        previous.push('-');
                    }
                    previous.push_str(line.trim_start());
                    continue;
                }
                Join::Break => {}
            }
        }
        joined.push(line);
    }
    for line in &mut joined {
        if line.contains('\u{AD}') {
            *line = line.replace('\u{AD}', "");
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &[&str], expected: &[&str]) {
        let lines = input.iter().map(|line| line.to_string()).collect();
        assert_eq!(dehyphenate(lines), expected, "input {input:?}");
    }

    #[test]
    fn german_line_ends() {
        check(
            &["Für die Telear-", "beit gilt"],
            &["Für die Telearbeit gilt"],
        );
        check(
            &["Der Bau-", "und Umweltausschuss"],
            &["Der Bau-", "und Umweltausschuss"],
        );
        check(&["per E-", "Mail antworten"], &["per E-Mail antworten"]);
        check(
            &["Keine Natura-", "2000-Gebiete"],
            &["Keine Natura-2000-Gebiete"],
        );
        check(
            &["Der Bürgermeister-", "Stellvertreter"],
            &["Der Bürgermeister-Stellvertreter"],
        );
        check(&["„Am Mühl-", "bach“ wird"], &["„Am Mühlbach“ wird"]);
        check(
            &["Straßen-", "ausbaubeitragssatzung"],
            &["Straßenausbaubeitragssatzung"],
        );
        check(&["Ein- oder", "Ausgang"], &["Ein- oder", "Ausgang"]);
        check(
            &["Haupt-", "bzw. Nebenstraße"],
            &["Haupt-", "bzw. Nebenstraße"],
        );
        check(
            &["Fußgänger\u{AD}", "überführung"],
            &["Fußgängerüberführung"],
        );
        check(&["Ver\u{AD}kehr"], &["Verkehr"]);
        check(&["Seite 3 -", "weiter"], &["Seite 3 -", "weiter"]);
        check(&["2023-", "2024"], &["2023-", "2024"]);
        check(
            &["Fe-", "bruar 2024 über die Über-", "legungen"],
            &["Februar 2024 über die Überlegungen"],
        );
    }
}
