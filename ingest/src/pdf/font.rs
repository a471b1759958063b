//! Fonts: how string bytes split into codes, what text each code stands for, and how wide it is.
//!
//! Text comes from `/ToUnicode` first (PDF 32000 §9.10.2), then from `/Encoding` with its
//! `/Differences` glyph names, then from the base encoding (named, or the one built into an
//! embedded Type 1 program). Each code records how its text was found, so the quality gate can
//! tell a page of real words from a page of guesses.

use lopdf::{Dictionary, Document, Object};

use super::budget::{self, Budget};
use super::cmap::CMap;
use super::encoding::{glyph_text, BaseEncoding};

/// How the text of a code was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Source {
    /// No mapping at all: the glyph has no known text.
    Missing,
    /// A guess from a default encoding for a font that declares none.
    Guess,
    /// A named encoding, glyph names or the font program's own encoding.
    Encoding,
    /// The font's ToUnicode map.
    ToUnicode,
}

/// One decoded simple-font code.
#[derive(Debug, Clone)]
struct SimpleGlyph {
    text: Box<str>,
    source: Source,
}

/// A font as far as text extraction needs it.
#[derive(Debug)]
pub(crate) struct Font {
    /// For composite (Type0) fonts: the CMap that splits bytes into codes and maps codes to CIDs.
    code_map: Option<CMap>,
    to_unicode: Option<CMap>,
    /// For simple fonts: the text of each of the 256 codes.
    simple: Vec<SimpleGlyph>,
    /// Simple fonts: widths of codes `first_char..`, in glyph units.
    widths: Vec<f32>,
    first_char: u32,
    /// Composite fonts: (low CID, high CID, width).
    cid_widths: Vec<(u32, u32, f32)>,
    default_width: f32,
    /// Glyph units to text space (0.001, or the Type 3 FontMatrix).
    pub(crate) scale: f32,
    /// Whether the font writes vertically (Identity-V and friends).
    pub(crate) vertical: bool,
}

/// One code split off a string.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Code {
    /// The code value.
    pub(crate) value: u32,
    /// Whether it is the single byte 32, to which word spacing applies.
    pub(crate) is_space_byte: bool,
}

impl Font {
    /// Reads a font dictionary. Never fails: what cannot be read falls back to defaults.
    pub(crate) fn load(document: &Document, font: &Dictionary, budget: &mut Budget) -> Font {
        let subtype = budget::get_name(document, font, b"Subtype").unwrap_or(b"");
        let to_unicode = match budget::get(document, font, b"ToUnicode") {
            Some(Object::Stream(stream)) => budget.decode(stream).map(|data| CMap::parse(&data)),
            _ => None,
        }
        .filter(|cmap| cmap.has_text);
        if subtype == b"Type0" {
            Font::load_composite(document, font, to_unicode, budget)
        } else {
            Font::load_simple(document, font, subtype, to_unicode, budget)
        }
    }

    fn load_composite(
        document: &Document,
        font: &Dictionary,
        to_unicode: Option<CMap>,
        budget: &mut Budget,
    ) -> Font {
        let (code_map, vertical) = match budget::get(document, font, b"Encoding") {
            Some(Object::Name(name)) => (CMap::identity(), name.ends_with(b"-V")),
            Some(Object::Stream(stream)) => {
                let cmap = budget
                    .decode(stream)
                    .map(|data| CMap::parse(&data))
                    .unwrap_or_default();
                let cmap = if cmap.has_code_space() {
                    cmap
                } else {
                    CMap::identity()
                };
                (cmap, false)
            }
            _ => (CMap::identity(), false),
        };
        let descendant = match budget::get(document, font, b"DescendantFonts") {
            Some(Object::Array(items)) => {
                items
                    .first()
                    .and_then(|item| match budget::resolve(document, item) {
                        Some(Object::Dictionary(dictionary)) => Some(dictionary),
                        _ => None,
                    })
            }
            _ => None,
        };
        let mut default_width = 1000.0;
        let mut cid_widths = Vec::new();
        if let Some(descendant) = descendant {
            default_width = budget::get_number(document, descendant, b"DW").unwrap_or(1000.0);
            if let Some(Object::Array(items)) = budget::get(document, descendant, b"W") {
                cid_widths = read_cid_widths(document, items);
            }
        }
        Font {
            code_map: Some(code_map),
            to_unicode,
            simple: Vec::new(),
            widths: Vec::new(),
            first_char: 0,
            cid_widths,
            default_width,
            scale: 0.001,
            vertical,
        }
    }

    fn load_simple(
        document: &Document,
        font: &Dictionary,
        subtype: &[u8],
        to_unicode: Option<CMap>,
        budget: &mut Budget,
    ) -> Font {
        let descriptor = budget::get_dict(document, font, b"FontDescriptor");
        let flags = descriptor
            .and_then(|descriptor| budget::get_number(document, descriptor, b"Flags"))
            .unwrap_or(0.0) as u32;
        let symbolic = flags & 4 != 0 && flags & 32 == 0;
        let is_truetype = subtype == b"TrueType";
        let is_type3 = subtype == b"Type3";

        // The base encoding: named, or built into the font program, or a default by font kind.
        let mut base = None;
        let mut source = Source::Encoding;
        let mut differences: Option<&Vec<Object>> = None;
        match budget::get(document, font, b"Encoding") {
            Some(Object::Name(name)) => base = BaseEncoding::from_name(name),
            Some(Object::Dictionary(dictionary)) => {
                base = budget::get_name(document, dictionary, b"BaseEncoding")
                    .and_then(BaseEncoding::from_name);
                if let Some(Object::Array(items)) =
                    budget::get(document, dictionary, b"Differences")
                {
                    differences = Some(items);
                }
            }
            _ => {}
        }
        let builtin = if base.is_none() {
            descriptor.and_then(|descriptor| builtin_encoding(document, descriptor, budget))
        } else {
            None
        };
        if base.is_none() && builtin.is_none() {
            // Symbolic and Type 3 fonts declare nothing we could trust; their codes are guesses.
            if symbolic || is_type3 {
                source = Source::Guess;
            }
            base = Some(if is_truetype {
                BaseEncoding::WinAnsi
            } else {
                BaseEncoding::Standard
            });
        }

        let mut simple: Vec<SimpleGlyph> = (0..=255u8)
            .map(|code| {
                let from_builtin = builtin
                    .as_ref()
                    .and_then(|names| names[usize::from(code)].clone());
                match from_builtin {
                    Some(text) => SimpleGlyph {
                        text: text.into(),
                        source: Source::Encoding,
                    },
                    None => {
                        let character = base.and_then(|base| base.decode(code));
                        SimpleGlyph {
                            text: character.map(String::from).unwrap_or_default().into(),
                            source: if character.is_some() {
                                source
                            } else {
                                Source::Missing
                            },
                        }
                    }
                }
            })
            .collect();

        if let Some(items) = differences {
            let mut code = 0usize;
            for item in items {
                match budget::resolve(document, item) {
                    Some(Object::Integer(value)) => code = (*value).clamp(0, 256) as usize,
                    Some(Object::Name(name)) => {
                        if let Some(slot) = simple.get_mut(code) {
                            let name = String::from_utf8_lossy(name);
                            // An unknown name (`g42`, `a167`) keeps the base encoding for this code.
                            match glyph_text(&name) {
                                Some(text) => {
                                    *slot = SimpleGlyph {
                                        text: text.into(),
                                        source: Source::Encoding,
                                    }
                                }
                                None if name == ".notdef" => {
                                    *slot = SimpleGlyph {
                                        text: "".into(),
                                        source: Source::Missing,
                                    }
                                }
                                None => slot.source = slot.source.min(Source::Guess),
                            }
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }

        if is_type3 && to_unicode.is_none() {
            if let Some(items) = differences {
                apply_pk_symbol_encoding(document, items, &mut simple);
            }
        }

        if let Some(cmap) = &to_unicode {
            let mut text = String::new();
            for (code, slot) in simple.iter_mut().enumerate() {
                text.clear();
                if cmap.append_text(code as u32, &mut text) && is_usable(&text) {
                    *slot = SimpleGlyph {
                        text: text.as_str().into(),
                        source: Source::ToUnicode,
                    };
                }
            }
        }

        let first_char = budget::get_number(document, font, b"FirstChar")
            .unwrap_or(0.0)
            .max(0.0) as u32;
        let missing_width = descriptor
            .and_then(|descriptor| budget::get_number(document, descriptor, b"MissingWidth"))
            .unwrap_or(0.0);
        let mut widths = budget::get_numbers(document, font, b"Widths").unwrap_or_default();
        widths.truncate(256);
        let default_width = if widths.is_empty() {
            500.0
        } else {
            missing_width
        };
        let scale = if is_type3 {
            budget::get_numbers(document, font, b"FontMatrix")
                .and_then(|matrix| matrix.first().copied())
                .filter(|value| value.is_finite() && *value != 0.0)
                .map_or(0.001, f32::abs)
        } else {
            0.001
        };
        Font {
            code_map: None,
            to_unicode: None,
            simple,
            widths,
            first_char,
            cid_widths: Vec::new(),
            default_width,
            scale,
            vertical: false,
        }
    }

    /// A font for a `Tf` whose resource is missing: Latin-1-ish guesses with average widths.
    pub(crate) fn fallback() -> Font {
        Font {
            code_map: None,
            to_unicode: None,
            simple: (0..=255u8)
                .map(|code| {
                    let character = BaseEncoding::WinAnsi.decode(code);
                    SimpleGlyph {
                        text: character.map(String::from).unwrap_or_default().into(),
                        source: if character.is_some() {
                            Source::Guess
                        } else {
                            Source::Missing
                        },
                    }
                })
                .collect(),
            widths: Vec::new(),
            first_char: 0,
            cid_widths: Vec::new(),
            default_width: 500.0,
            scale: 0.001,
            vertical: false,
        }
    }

    /// Splits a shown string into codes, calling `each` for every one.
    pub(crate) fn for_each_code(&self, bytes: &[u8], mut each: impl FnMut(Code)) {
        match &self.code_map {
            None => {
                for &byte in bytes {
                    each(Code {
                        value: u32::from(byte),
                        is_space_byte: byte == b' ',
                    });
                }
            }
            Some(cmap) => {
                let mut rest = bytes;
                while !rest.is_empty() {
                    let (value, length) = cmap.next_code(rest, 2);
                    each(Code {
                        value,
                        is_space_byte: length == 1 && value == 32,
                    });
                    rest = &rest[length.min(rest.len())..];
                }
            }
        }
    }

    /// Appends the text of `code` to `out`; returns how it was found.
    pub(crate) fn append_text(&self, code: u32, out: &mut String) -> Source {
        match &self.code_map {
            None => match self.simple.get(code as usize) {
                Some(glyph) => {
                    out.push_str(&glyph.text);
                    glyph.source
                }
                None => Source::Missing,
            },
            Some(_) => match &self.to_unicode {
                Some(cmap) => {
                    let start = out.len();
                    if cmap.append_text(code, out) {
                        if is_usable(&out[start..]) {
                            Source::ToUnicode
                        } else {
                            out.truncate(start);
                            Source::Missing
                        }
                    } else {
                        Source::Missing
                    }
                }
                None => Source::Missing,
            },
        }
    }

    /// The advance width of `code` in glyph units (thousandths of an em for most fonts).
    pub(crate) fn width(&self, code: u32) -> f32 {
        match &self.code_map {
            None => code
                .checked_sub(self.first_char)
                .and_then(|index| self.widths.get(index as usize))
                .copied()
                .unwrap_or(self.default_width),
            Some(cmap) => {
                let cid = cmap.cid(code);
                let end = self.cid_widths.partition_point(|&(low, _, _)| low <= cid);
                self.cid_widths[..end]
                    .iter()
                    .rev()
                    .find(|&&(_, high, _)| cid <= high)
                    .map_or(self.default_width, |&(_, _, width)| width)
            }
        }
    }
}

/// pdfTeX embeds bitmap (PK) fonts as Type 3 fonts whose glyphs are named `a<code>`. When all
/// named codes of such a font lie above 127, it is a LaTeX TS1 (textcomp) symbol font: TS1
/// follows Latin-1 in that range except for the euro sign at 191, which a Latin-1 or Standard
/// guess would read as "¿".
fn apply_pk_symbol_encoding(document: &Document, items: &[Object], simple: &mut [SimpleGlyph]) {
    let mut codes = Vec::new();
    let mut code = 0usize;
    for item in items {
        match budget::resolve(document, item) {
            Some(Object::Integer(value)) => code = (*value).clamp(0, 256) as usize,
            Some(Object::Name(name)) => {
                if name.as_slice() != b".notdef" {
                    let digits = name.strip_prefix(b"a").unwrap_or(b"");
                    let named_by_code = !digits.is_empty()
                        && digits.iter().all(u8::is_ascii_digit)
                        && std::str::from_utf8(digits)
                            .ok()
                            .and_then(|text| text.parse::<usize>().ok())
                            == Some(code);
                    if !named_by_code {
                        return;
                    }
                    codes.push(code);
                }
                code += 1;
            }
            _ => {}
        }
    }
    if codes.is_empty() || codes.iter().any(|&code| code < 128) {
        return;
    }
    for code in codes {
        let text = match code {
            0xBF => Some('€'),
            0xA2..=0xBE if !matches!(code, 0xAB | 0xAD | 0xB8 | 0xBB) => {
                char::from_u32(code as u32)
            }
            0xD6 => Some('×'),
            0xF6 => Some('÷'),
            _ => None,
        };
        if let (Some(text), Some(slot)) = (text, simple.get_mut(code)) {
            *slot = SimpleGlyph {
                text: text.to_string().into(),
                source: Source::Encoding,
            };
        }
    }
}

/// Whether mapped text is real text (not empty, not NUL or private-use filler).
fn is_usable(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c != '\0' && c != '\u{FFFD}' && !('\u{E000}'..='\u{F8FF}').contains(&c))
}

/// Reads a `/W` array: `c [w1 w2 …]` and `c_first c_last w` entries.
fn read_cid_widths(document: &Document, items: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut widths = Vec::new();
    let mut index = 0;
    while index < items.len() && widths.len() < 100_000 {
        let first = budget::resolve(document, &items[index]).and_then(budget::number);
        let next = items
            .get(index + 1)
            .and_then(|item| budget::resolve(document, item));
        match (first, next) {
            (Some(first), Some(Object::Array(list))) => {
                let first = first.max(0.0) as u32;
                for (offset, width) in list.iter().enumerate() {
                    if let Some(width) = budget::resolve(document, width).and_then(budget::number) {
                        let cid = first.saturating_add(offset as u32);
                        widths.push((cid, cid, width));
                    }
                }
                index += 2;
            }
            (Some(first), Some(last)) => {
                let width = items
                    .get(index + 2)
                    .and_then(|item| budget::resolve(document, item))
                    .and_then(budget::number);
                if let (Some(last), Some(width)) = (budget::number(last), width) {
                    widths.push((first.max(0.0) as u32, last.max(0.0) as u32, width));
                }
                index += 3;
            }
            _ => index += 1,
        }
    }
    widths.sort_by_key(|&(low, _, _)| low);
    widths
}

/// Reads the encoding built into an embedded Type 1 font program (`dup 65 /A put`).
fn builtin_encoding(
    document: &Document,
    descriptor: &Dictionary,
    budget: &mut Budget,
) -> Option<Vec<Option<String>>> {
    let Some(Object::Stream(stream)) = budget::get(document, descriptor, b"FontFile") else {
        return None;
    };
    let data = budget.decode(stream)?;
    let clear_length = budget::get_number(document, &stream.dict, b"Length1")
        .map_or(data.len(), |length| {
            (length.max(0.0) as usize).min(data.len())
        });
    let clear = &data[..clear_length];
    let start = find(clear, b"/Encoding")?;
    let encoding = &clear[start..];
    if encoding[9..]
        .trim_ascii_start()
        .starts_with(b"StandardEncoding")
    {
        return None;
    }
    let end = find(encoding, b"readonly def")
        .or_else(|| find(encoding, b"eexec"))
        .unwrap_or(encoding.len());
    let text = String::from_utf8_lossy(&encoding[..end]);
    let mut names = vec![None; 256];
    let mut words = text.split_ascii_whitespace();
    while let Some(word) = words.next() {
        if word != "dup" {
            continue;
        }
        let (Some(code), Some(name)) = (words.next(), words.next()) else {
            break;
        };
        if let (Ok(code), Some(name)) = (code.parse::<usize>(), name.strip_prefix('/')) {
            if code < 256 {
                names[code] = glyph_text(name);
            }
        }
    }
    names.iter().any(Option::is_some).then_some(names)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn budget() -> Budget {
        Budget::new(
            Instant::now() + Duration::from_secs(5),
            1 << 20,
            1 << 22,
            1_000_000,
        )
    }

    fn text_of(font: &Font, bytes: &[u8]) -> String {
        let mut out = String::new();
        font.for_each_code(bytes, |code| {
            font.append_text(code.value, &mut out);
        });
        out
    }

    fn check(font: Dictionary, bytes: &[u8], expected: &str) {
        let document = Document::with_version("1.5");
        let loaded = Font::load(&document, &font, &mut budget());
        assert_eq!(text_of(&loaded, bytes), expected);
    }

    fn name(text: &str) -> Object {
        Object::Name(text.as_bytes().to_vec())
    }

    #[test]
    fn simple_encodings() {
        let mut winansi = Dictionary::new();
        winansi.set("Subtype", name("TrueType"));
        winansi.set("Encoding", name("WinAnsiEncoding"));
        check(winansi, b"F\xfcr \x84x\x93 \x80", "Für „x“ €");

        let mut differences = Dictionary::new();
        differences.set(
            "Differences",
            Object::Array(vec![
                Object::Integer(1),
                name("adieresis"),
                name("uni00DF"),
                name("g42"),
                Object::Integer(65),
                name("perthousandzero"),
            ]),
        );
        let mut font = Dictionary::new();
        font.set("Subtype", name("Type1"));
        font.set("Encoding", Object::Dictionary(differences));
        // Code 3 has an unknown name and keeps StandardEncoding's (nothing); 65 maps to nothing.
        check(font, b"\x01\x02\x03BA", "äßB");
    }

    #[test]
    fn widths() {
        let document = Document::with_version("1.5");
        let mut font = Dictionary::new();
        font.set("Subtype", name("TrueType"));
        font.set("FirstChar", Object::Integer(65));
        font.set(
            "Widths",
            Object::Array(vec![Object::Integer(600), Object::Real(250.5)]),
        );
        let loaded = Font::load(&document, &font, &mut budget());
        assert_eq!(loaded.width(65), 600.0);
        assert_eq!(loaded.width(66), 250.5);
        assert_eq!(loaded.width(67), 0.0);
    }
}
