//! Simple-font encodings (Standard, WinAnsi, MacRoman) and glyph names to Unicode.
//!
//! The glyph-name table covers what German and other Latin-script documents need: ASCII,
//! Latin-1, typographic punctuation, ligatures, the TeX names seen in real files, and the
//! `uniXXXX` / `uXXXX` conventions. Names it cannot resolve (`g42`, `a12`, `cid17`) return
//! `None`, so the caller can fall back on the base encoding for that one code only.

/// A base encoding of a simple font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseEncoding {
    /// Adobe StandardEncoding, the default of Type 1 fonts.
    Standard,
    /// WinAnsiEncoding (Windows code page 1252).
    WinAnsi,
    /// MacRomanEncoding.
    MacRoman,
}

impl BaseEncoding {
    /// Parses an encoding name as used in `/Encoding` or `/BaseEncoding`.
    pub(crate) fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"WinAnsiEncoding" | b"PDFDocEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    /// Decodes one code of this encoding.
    pub(crate) fn decode(self, code: u8) -> Option<char> {
        match self {
            BaseEncoding::WinAnsi => decode_single(encoding_rs::WINDOWS_1252, code),
            BaseEncoding::MacRoman => decode_single(encoding_rs::MACINTOSH, code),
            BaseEncoding::Standard => standard(code),
        }
    }
}

fn decode_single(encoding: &'static encoding_rs::Encoding, code: u8) -> Option<char> {
    if code < 0x20 {
        return None;
    }
    let bytes = [code];
    let (text, _) = encoding.decode_without_bom_handling(&bytes);
    let character = text.chars().next()?;
    // Undefined codes decode to C1 controls, which carry no text.
    (!character.is_control()).then_some(character)
}

/// Adobe StandardEncoding: ASCII with curly quotes, plus its own upper half.
fn standard(code: u8) -> Option<char> {
    const UPPER: &[(u8, char)] = &[
        (0xA1, '¡'),
        (0xA2, '¢'),
        (0xA3, '£'),
        (0xA4, '⁄'),
        (0xA5, '¥'),
        (0xA6, 'ƒ'),
        (0xA7, '§'),
        (0xA8, '¤'),
        (0xA9, '\''),
        (0xAA, '“'),
        (0xAB, '«'),
        (0xAC, '‹'),
        (0xAD, '›'),
        (0xAE, 'ﬁ'),
        (0xAF, 'ﬂ'),
        (0xB1, '–'),
        (0xB2, '†'),
        (0xB3, '‡'),
        (0xB4, '·'),
        (0xB6, '¶'),
        (0xB7, '•'),
        (0xB8, '‚'),
        (0xB9, '„'),
        (0xBA, '”'),
        (0xBB, '»'),
        (0xBC, '…'),
        (0xBD, '‰'),
        (0xBF, '¿'),
        (0xC1, '`'),
        (0xC2, '´'),
        (0xC3, 'ˆ'),
        (0xC4, '˜'),
        (0xC5, '¯'),
        (0xC6, '˘'),
        (0xC7, '˙'),
        (0xC8, '¨'),
        (0xCA, '˚'),
        (0xCB, '¸'),
        (0xCD, '˝'),
        (0xCE, '˛'),
        (0xCF, 'ˇ'),
        (0xD0, '—'),
        (0xE1, 'Æ'),
        (0xE3, 'ª'),
        (0xE8, 'Ł'),
        (0xE9, 'Ø'),
        (0xEA, 'Œ'),
        (0xEB, 'º'),
        (0xF1, 'æ'),
        (0xF5, 'ı'),
        (0xF8, 'ł'),
        (0xF9, 'ø'),
        (0xFA, 'œ'),
        (0xFB, 'ß'),
    ];
    match code {
        b'\'' => Some('’'),
        b'`' => Some('‘'),
        0x20..=0x7E => Some(char::from(code)),
        _ => UPPER
            .binary_search_by_key(&code, |&(key, _)| key)
            .ok()
            .map(|index| UPPER[index].1),
    }
}

/// Glyph names of ASCII 0x20..=0x7E, in code order.
const ASCII_NAMES: [&str; 95] = [
    "space",
    "exclam",
    "quotedbl",
    "numbersign",
    "dollar",
    "percent",
    "ampersand",
    "quotesingle",
    "parenleft",
    "parenright",
    "asterisk",
    "plus",
    "comma",
    "hyphen",
    "period",
    "slash",
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "colon",
    "semicolon",
    "less",
    "equal",
    "greater",
    "question",
    "at",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
    "H",
    "I",
    "J",
    "K",
    "L",
    "M",
    "N",
    "O",
    "P",
    "Q",
    "R",
    "S",
    "T",
    "U",
    "V",
    "W",
    "X",
    "Y",
    "Z",
    "bracketleft",
    "backslash",
    "bracketright",
    "asciicircum",
    "underscore",
    "grave",
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "w",
    "x",
    "y",
    "z",
    "braceleft",
    "bar",
    "braceright",
    "asciitilde",
];

/// Glyph names of Latin-1 0xA0..=0xFF, in code order.
const LATIN1_NAMES: [&str; 96] = [
    "nbspace",
    "exclamdown",
    "cent",
    "sterling",
    "currency",
    "yen",
    "brokenbar",
    "section",
    "dieresis",
    "copyright",
    "ordfeminine",
    "guillemotleft",
    "logicalnot",
    "sfthyphen",
    "registered",
    "macron",
    "degree",
    "plusminus",
    "twosuperior",
    "threesuperior",
    "acute",
    "mu",
    "paragraph",
    "periodcentered",
    "cedilla",
    "onesuperior",
    "ordmasculine",
    "guillemotright",
    "onequarter",
    "onehalf",
    "threequarters",
    "questiondown",
    "Agrave",
    "Aacute",
    "Acircumflex",
    "Atilde",
    "Adieresis",
    "Aring",
    "AE",
    "Ccedilla",
    "Egrave",
    "Eacute",
    "Ecircumflex",
    "Edieresis",
    "Igrave",
    "Iacute",
    "Icircumflex",
    "Idieresis",
    "Eth",
    "Ntilde",
    "Ograve",
    "Oacute",
    "Ocircumflex",
    "Otilde",
    "Odieresis",
    "multiply",
    "Oslash",
    "Ugrave",
    "Uacute",
    "Ucircumflex",
    "Udieresis",
    "Yacute",
    "Thorn",
    "germandbls",
    "agrave",
    "aacute",
    "acircumflex",
    "atilde",
    "adieresis",
    "aring",
    "ae",
    "ccedilla",
    "egrave",
    "eacute",
    "ecircumflex",
    "edieresis",
    "igrave",
    "iacute",
    "icircumflex",
    "idieresis",
    "eth",
    "ntilde",
    "ograve",
    "oacute",
    "ocircumflex",
    "otilde",
    "odieresis",
    "divide",
    "oslash",
    "ugrave",
    "uacute",
    "ucircumflex",
    "udieresis",
    "yacute",
    "thorn",
    "ydieresis",
];

/// Further names: typography, ligatures, Latin Extended-A used in Europe, TeX and AGL aliases.
/// Sorted by name for binary search.
const OTHER_NAMES: &[(&str, &str)] = &[
    ("Cacute", "Ć"),
    ("Ccaron", "Č"),
    ("Dcroat", "Đ"),
    ("Euro", "€"),
    ("Idotaccent", "İ"),
    ("Lslash", "Ł"),
    ("Nacute", "Ń"),
    ("OE", "Œ"),
    ("Ohungarumlaut", "Ő"),
    ("Sacute", "Ś"),
    ("Scaron", "Š"),
    ("Scedilla", "Ş"),
    ("Uhungarumlaut", "Ű"),
    ("Ydieresis", "Ÿ"),
    ("Zcaron", "Ž"),
    ("Zdotaccent", "Ż"),
    ("afii61664", ""),
    ("angleleft", "〈"),
    ("angleright", "〉"),
    ("arrowright", "→"),
    ("breve", "˘"),
    ("bullet", "•"),
    ("cacute", "ć"),
    ("caron", "ˇ"),
    ("ccaron", "č"),
    ("circumflex", "ˆ"),
    ("compwordmark", ""),
    ("dagger", "†"),
    ("daggerdbl", "‡"),
    ("dcroat", "đ"),
    ("dotaccent", "˙"),
    ("dotlessi", "ı"),
    ("dotlessj", "ȷ"),
    ("ellipsis", "…"),
    ("emdash", "—"),
    ("endash", "–"),
    ("euro", "€"),
    ("ff", "ﬀ"),
    ("ffi", "ﬃ"),
    ("ffl", "ﬄ"),
    ("fi", "ﬁ"),
    ("figuredash", "‒"),
    ("fl", "ﬂ"),
    ("florin", "ƒ"),
    ("fraction", "⁄"),
    ("guilsinglleft", "‹"),
    ("guilsinglright", "›"),
    ("hungarumlaut", "˝"),
    ("lslash", "ł"),
    ("minus", "−"),
    ("nacute", "ń"),
    ("nbspace", "\u{a0}"),
    ("numero", "№"),
    ("oe", "œ"),
    ("ogonek", "˛"),
    ("ohungarumlaut", "ő"),
    ("perthousand", "‰"),
    ("perthousandzero", ""),
    ("quotedblbase", "„"),
    ("quotedblleft", "“"),
    ("quotedblright", "”"),
    ("quoteleft", "‘"),
    ("quoteright", "’"),
    ("quotesinglbase", "‚"),
    ("ring", "˚"),
    ("sacute", "ś"),
    ("scaron", "š"),
    ("scedilla", "ş"),
    ("space", " "),
    ("tilde", "˜"),
    ("trademark", "™"),
    ("uhungarumlaut", "ű"),
    ("visiblespace", "␣"),
    ("zcaron", "ž"),
    ("zdotaccent", "ż"),
];

/// Resolves a glyph name to its text, or `None` when the name says nothing about the glyph.
pub(crate) fn glyph_text(name: &str) -> Option<String> {
    // Variants such as `a.sc` or `f_f` keep the meaning of their base name.
    let base = name.split('.').next().unwrap_or(name);
    if base.contains('_') && base.len() > 1 {
        let parts: Option<String> = base.split('_').map(single_glyph).collect();
        return parts;
    }
    single_glyph(base)
}

fn single_glyph(name: &str) -> Option<String> {
    if let Some(index) = ASCII_NAMES.iter().position(|&known| known == name) {
        return char::from_u32(0x20 + index as u32).map(String::from);
    }
    if let Some(index) = LATIN1_NAMES.iter().position(|&known| known == name) {
        return char::from_u32(0xA0 + index as u32).map(String::from);
    }
    if let Ok(index) = OTHER_NAMES.binary_search_by_key(&name, |&(known, _)| known) {
        return Some(OTHER_NAMES[index].1.to_string());
    }
    if let Some(hex) = name.strip_prefix("uni") {
        // `uniXXXX` may name a sequence of BMP characters (`uni00660069`).
        if hex.len() >= 4 && hex.len() % 4 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return hex
                .as_bytes()
                .chunks(4)
                .map(|chunk| {
                    std::str::from_utf8(chunk)
                        .ok()
                        .and_then(|digits| u32::from_str_radix(digits, 16).ok())
                        .and_then(char::from_u32)
                })
                .collect();
        }
        return None;
    }
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, expected: Option<&str>) {
        assert_eq!(glyph_text(name).as_deref(), expected, "glyph name {name}");
    }

    #[test]
    fn glyph_names() {
        check("a", Some("a"));
        check("adieresis", Some("ä"));
        check("Udieresis", Some("Ü"));
        check("germandbls", Some("ß"));
        check("section", Some("§"));
        check("Euro", Some("€"));
        check("quotedblbase", Some("„"));
        check("quotedblleft", Some("“"));
        check("endash", Some("–"));
        check("fi", Some("ﬁ"));
        check("f_f_i", Some("ffi"));
        check("uni00E4", Some("ä"));
        check("uni00660069", Some("fi"));
        check("u20AC", Some("€"));
        check("a.sc", Some("a"));
        check("g42", None);
        check("a167", None);
        check("perthousandzero", Some(""));
    }

    #[test]
    fn tables_are_sorted() {
        assert!(OTHER_NAMES.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn base_encodings() {
        assert_eq!(BaseEncoding::WinAnsi.decode(0xE4), Some('ä'));
        assert_eq!(BaseEncoding::WinAnsi.decode(0x80), Some('€'));
        assert_eq!(BaseEncoding::WinAnsi.decode(0x84), Some('„'));
        assert_eq!(BaseEncoding::MacRoman.decode(0x8A), Some('ä'));
        assert_eq!(BaseEncoding::Standard.decode(0xFB), Some('ß'));
        assert_eq!(BaseEncoding::Standard.decode(b'\''), Some('’'));
        assert_eq!(BaseEncoding::WinAnsi.decode(0x05), None);
    }
}
