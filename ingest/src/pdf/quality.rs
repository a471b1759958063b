//! The per-page quality gate: is the text layer real text, garbage, or missing (a scan)?
//!
//! Garbage comes from fonts without a usable mapping: codes that decode to nothing, to
//! replacement or private-use characters, or to a wrong but plausible-looking encoding
//! (punctuation soup, consonant strings). Such text is not indexed; the page goes to OCR.

use super::font::Source;
use super::interpreter::PageContent;

/// Below this many visible characters a page counts as having no text layer.
const MIN_CHARS: usize = 50;
/// Image cover above which a page with little text is taken for a scan.
const SCAN_COVER: f32 = 0.5;

/// What the gate decided about a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The text layer is good.
    Text,
    /// The page has no text and no large image: nothing to read.
    Empty,
    /// The page needs OCR, for the reason given.
    NeedsOcr(String),
}

/// Judges a page by what its content drew and the text laid out from it.
pub(crate) fn assess(content: &PageContent, text: &str) -> Verdict {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    if visible < MIN_CHARS && content.image_cover > SCAN_COVER {
        return Verdict::NeedsOcr(if visible == 0 {
            "image-only page".to_string()
        } else {
            format!("scanned page with only {visible} characters of text")
        });
    }
    let glyph_text = |glyph: &&super::interpreter::Glyph| {
        content
            .text
            .get(glyph.start as usize..glyph.stop as usize)
            .unwrap_or("")
    };
    let missing = content
        .glyphs
        .iter()
        .filter(|glyph| glyph.source == Source::Missing)
        .count();
    let drawn = missing
        + content
            .glyphs
            .iter()
            .filter(|glyph| !glyph_text(glyph).trim().is_empty())
            .count();
    if missing >= 3 && missing * 10 > drawn * 3 {
        return Verdict::NeedsOcr(format!(
            "{missing} of {drawn} glyphs have no known text (font without a usable mapping)"
        ));
    }
    let bad = text
        .chars()
        .filter(|&c| {
            c == '\u{FFFD}'
                || (c.is_control() && c != '\n')
                || ('\u{E000}'..='\u{F8FF}').contains(&c)
        })
        .count();
    if bad >= 3 && bad * 10 > visible * 3 {
        return Verdict::NeedsOcr(format!("{bad} of {visible} characters are unreadable"));
    }
    // Text a producer mapped explicitly (ToUnicode) is trusted; text decoded through a declared
    // or guessed encoding may be a wrong reading of subset glyph codes. Leader dots and dashes
    // are common in real text (tables of contents) and say nothing either way.
    let untrusted: Vec<char> = content
        .glyphs
        .iter()
        .filter(|glyph| glyph.source < Source::ToUnicode)
        .flat_map(|glyph| glyph_text(&glyph).chars())
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '…' | '-' | '_' | '·' | ','))
        .collect();
    // A few symbols from an unmapped font among trusted text (a Type 3 € sign) are no reason.
    if untrusted.len() >= 3 && untrusted.len() * 5 >= visible {
        let alphanumeric = untrusted.iter().filter(|c| c.is_alphanumeric()).count();
        if alphanumeric * 2 < untrusted.len() {
            return Verdict::NeedsOcr(
                "text layer is mostly symbols (wrong font encoding)".to_string(),
            );
        }
        let letters: Vec<char> = untrusted
            .iter()
            .filter(|c| c.is_alphabetic())
            .flat_map(|c| c.to_lowercase())
            .collect();
        let vowels = letters
            .iter()
            .filter(|c| "aeiouyäöüéèáàâêîôûæœø".contains(**c))
            .count();
        let latin = letters
            .iter()
            .filter(|c| c.is_ascii_lowercase() || "äöüß".contains(**c))
            .count();
        // The vowel test only makes sense for Latin-script text.
        if letters.len() >= 50
            && latin * 10 >= letters.len() * 8
            && vowels * 100 < letters.len() * 15
        {
            return Verdict::NeedsOcr(
                "text layer does not read as words (wrong font encoding)".to_string(),
            );
        }
    }
    if visible == 0 {
        return Verdict::Empty;
    }
    Verdict::Text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::interpreter::Glyph;

    fn content(text: &str, source: Source, image_cover: f32) -> PageContent {
        let mut content = PageContent {
            image_cover,
            ..PageContent::default()
        };
        for character in text.chars() {
            let start = content.text.len() as u32;
            content.text.push(character);
            content.glyphs.push(Glyph {
                x: 0.0,
                end: 1.0,
                y: 0.0,
                size: 10.0,
                start,
                stop: content.text.len() as u32,
                rotation: 0,
                source,
            });
        }
        content
    }

    fn check(text: &str, source: Source, image_cover: f32, expected: &str) {
        let page = content(text, source, image_cover);
        let verdict = match assess(&page, text) {
            Verdict::Text => "text".to_string(),
            Verdict::Empty => "empty".to_string(),
            Verdict::NeedsOcr(reason) => format!("ocr: {reason}"),
        };
        assert!(verdict.starts_with(expected), "{text:?}: {verdict}");
    }

    #[test]
    fn verdicts() {
        let german = "Die Verwaltung schlägt vor, für das Gebiet zwischen Mühlenstraße und Fährweg einen Bebauungsplan aufzustellen.";
        check(german, Source::ToUnicode, 0.0, "text");
        check(german, Source::ToUnicode, 1.0, "text");
        check("", Source::ToUnicode, 1.0, "ocr: image-only page");
        check("Seite 2", Source::ToUnicode, 0.9, "ocr: scanned page");
        check("", Source::ToUnicode, 0.0, "empty");
        check("Seite 2", Source::ToUnicode, 0.0, "text");
        check(
            "09.511.01 45.000,00 € 30.000,00 € 6.500,00 € 0,00 € 3.000,00 € 54.500,00 €",
            Source::ToUnicode,
            0.0,
            "text",
        );
        check(
            "\"#!$%&!’!()*’!+,$!! \"#!$%&!’!()*’!+,$!! \"#!$%&!’!()*’!+,$!!",
            Source::Guess,
            0.0,
            "ocr: text layer is mostly symbols",
        );
        check(
            "\"7+%-",
            Source::Encoding,
            0.0,
            "ocr: text layer is mostly symbols",
        );
        check("\"7+%-", Source::ToUnicode, 0.0, "text");
        check(
            "1.2 Einleitung . . . . . . . . . . . . . . . . . . . . . . . . . . . . 7",
            Source::Encoding,
            0.0,
            "text",
        );
        check("Xkh Yhqzdwxqj vfkqdjw zrq, ißv gdv Jhhlhw czlvfkhq Pkqhqvwqdvvh xqg Ihkqzhj hlqhq Ehhdxxqjvsqdq", Source::Guess, 0.0, "ocr: text layer does not read");
        check(
            &"\u{FFFD}".repeat(60),
            Source::ToUnicode,
            0.0,
            "ocr: 60 of 60",
        );
    }

    #[test]
    fn unmapped_glyphs_send_the_page_to_ocr() {
        let mut page = content("ab", Source::ToUnicode, 0.0);
        for _ in 0..30 {
            page.glyphs.push(Glyph {
                x: 0.0,
                end: 1.0,
                y: 0.0,
                size: 10.0,
                start: 0,
                stop: 0,
                rotation: 0,
                source: Source::Missing,
            });
        }
        assert!(matches!(assess(&page, "ab"), Verdict::NeedsOcr(_)));
    }
}
