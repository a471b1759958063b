//! A tolerant reader for CMaps: `/ToUnicode` maps and embedded `/Encoding` CMaps of Type0 fonts.
//!
//! Real files carry CMaps with stray bytes, ranges that cross byte boundaries (Tesseract writes
//! `<0000> <FFFF> <0000>`) and truncated sections. A bad entry is skipped on its own; the rest
//! of the map stays usable, unlike a strict parser that gives up on the whole font.

use std::collections::HashMap;

/// Ranges longer than this are clipped: no font has more glyphs, and a bigger range is a bomb.
const MAX_RANGE: u32 = 0x1_0000;
/// Entries beyond this are ignored, so a hostile CMap cannot exhaust memory.
const MAX_ENTRIES: usize = 200_000;

/// What a CMap says: code space, code → text and code → CID.
#[derive(Debug, Default, Clone)]
pub(crate) struct CMap {
    /// Code space ranges as (byte length, low bytes, high bytes).
    code_space: Vec<(usize, [u8; 4], [u8; 4])>,
    /// Single codes mapped to text (`bfchar`).
    chars: HashMap<u32, String>,
    /// Ranges mapped to text (`bfrange`): low, high, UTF-16 of the first code's text.
    ranges: Vec<(u32, u32, Vec<u16>)>,
    /// Codes mapped to CIDs (`cidchar`, `cidrange`): low, high, first CID.
    cids: Vec<(u32, u32, u32)>,
    /// Whether the CMap had at least one text mapping.
    pub(crate) has_text: bool,
}

impl CMap {
    /// Parses a CMap stream; never fails, returns what could be read.
    pub(crate) fn parse(data: &[u8]) -> CMap {
        let tokens = tokenize(data);
        let mut cmap = CMap::default();
        let mut index = 0;
        while index < tokens.len() {
            let Token::Keyword(keyword) = &tokens[index] else {
                index += 1;
                continue;
            };
            index += 1;
            match keyword.as_slice() {
                b"begincodespacerange" => {
                    while let (Some(Token::Hex(low)), Some(Token::Hex(high))) =
                        (tokens.get(index), tokens.get(index + 1))
                    {
                        cmap.add_code_space(low, high);
                        index += 2;
                    }
                }
                b"beginbfchar" => {
                    while let Some(token) = tokens.get(index) {
                        match (token, tokens.get(index + 1)) {
                            (Token::Keyword(keyword), _) if keyword.starts_with(b"end") => break,
                            (
                                Token::Hex(source),
                                Some(target @ (Token::Hex(_) | Token::Name(_))),
                            ) => {
                                if let Some(text) = target_text(target) {
                                    cmap.add_char(code_value(source), text);
                                }
                                index += 2;
                            }
                            // A damaged entry: skip one token and resynchronise.
                            _ => index += 1,
                        }
                    }
                }
                b"beginbfrange" => {
                    while let (Some(Token::Hex(low)), Some(Token::Hex(high)), Some(target)) = (
                        tokens.get(index),
                        tokens.get(index + 1),
                        tokens.get(index + 2),
                    ) {
                        if matches!(target, Token::Keyword(_)) {
                            break;
                        }
                        cmap.add_range(code_value(low), code_value(high), target);
                        index += 3;
                    }
                }
                b"begincidchar" => {
                    while let (Some(Token::Hex(source)), Some(Token::Number(cid))) =
                        (tokens.get(index), tokens.get(index + 1))
                    {
                        let code = code_value(source);
                        cmap.add_cids(code, code, *cid);
                        index += 2;
                    }
                }
                b"begincidrange" => {
                    while let (
                        Some(Token::Hex(low)),
                        Some(Token::Hex(high)),
                        Some(Token::Number(cid)),
                    ) = (
                        tokens.get(index),
                        tokens.get(index + 1),
                        tokens.get(index + 2),
                    ) {
                        cmap.add_cids(code_value(low), code_value(high), *cid);
                        index += 3;
                    }
                }
                _ => {}
            }
        }
        cmap.ranges.sort_by_key(|&(low, _, _)| low);
        cmap.has_text = !cmap.chars.is_empty() || !cmap.ranges.is_empty();
        cmap
    }

    /// A CMap for `Identity-H`/`-V`: two-byte codes equal to their CIDs.
    pub(crate) fn identity() -> CMap {
        CMap {
            code_space: vec![(2, [0, 0, 0, 0], [0xFF, 0xFF, 0, 0])],
            cids: vec![(0, 0xFFFF, 0)],
            ..CMap::default()
        }
    }

    fn entries(&self) -> usize {
        self.chars.len() + self.ranges.len() + self.cids.len() + self.code_space.len()
    }

    fn add_code_space(&mut self, low: &[u8], high: &[u8]) {
        if low.len() != high.len() || low.is_empty() || low.len() > 4 || self.code_space.len() > 64
        {
            return;
        }
        let mut low_bytes = [0; 4];
        let mut high_bytes = [0; 4];
        low_bytes[..low.len()].copy_from_slice(low);
        high_bytes[..high.len()].copy_from_slice(high);
        self.code_space.push((low.len(), low_bytes, high_bytes));
    }

    fn add_char(&mut self, code: u32, text: String) {
        if self.entries() < MAX_ENTRIES {
            self.chars.insert(code, text);
        }
    }

    fn add_range(&mut self, low: u32, high: u32, target: &Token) {
        if high < low || self.entries() >= MAX_ENTRIES {
            return;
        }
        let high = high.min(low.saturating_add(MAX_RANGE - 1));
        match target {
            Token::Hex(bytes) => {
                let units = utf16_units(bytes);
                if !units.is_empty() {
                    self.ranges.push((low, high, units));
                }
            }
            Token::Array(items) => {
                for (offset, item) in items.iter().enumerate() {
                    let Some(code) = low.checked_add(offset as u32) else {
                        break;
                    };
                    if code > high {
                        break;
                    }
                    if let Some(text) = target_text(item) {
                        self.add_char(code, text);
                    }
                }
            }
            _ => {}
        }
    }

    fn add_cids(&mut self, low: u32, high: u32, cid: f64) {
        if high < low
            || !(0.0..=f64::from(u32::MAX)).contains(&cid)
            || self.entries() >= MAX_ENTRIES
        {
            return;
        }
        self.cids.push((low, high, cid as u32));
    }

    /// Splits the next code off `bytes` by the code space; returns (code, byte length).
    /// Without a code space, codes are `default_len` bytes long.
    pub(crate) fn next_code(&self, bytes: &[u8], default_len: usize) -> (u32, usize) {
        for length in 1..=4 {
            if bytes.len() < length {
                break;
            }
            let matches = self.code_space.iter().any(|(space_len, low, high)| {
                *space_len == length
                    && (0..length).all(|i| low[i] <= bytes[i] && bytes[i] <= high[i])
            });
            if matches {
                return (code_value(&bytes[..length]), length);
            }
        }
        let length = default_len
            .clamp(1, bytes.len().max(1))
            .min(bytes.len())
            .max(1);
        (code_value(&bytes[..length.min(bytes.len())]), length)
    }

    /// Whether the CMap defines a code space at all.
    pub(crate) fn has_code_space(&self) -> bool {
        !self.code_space.is_empty()
    }

    /// Appends the text of a code to `out`; returns whether the CMap maps the code.
    pub(crate) fn append_text(&self, code: u32, out: &mut String) -> bool {
        if let Some(text) = self.chars.get(&code) {
            out.push_str(text);
            return true;
        }
        // Ranges are sorted by their low end; the last one starting at or below `code` wins.
        let end = self.ranges.partition_point(|&(low, _, _)| low <= code);
        let Some((low, _, units)) = self.ranges[..end]
            .iter()
            .rev()
            .find(|&&(_, high, _)| code <= high)
        else {
            return false;
        };
        let offset = (code - low) as u16;
        let last = units.len() - 1;
        let shifted = units.iter().enumerate().map(|(index, &unit)| {
            if index == last {
                unit.wrapping_add(offset)
            } else {
                unit
            }
        });
        out.extend(
            char::decode_utf16(shifted).map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER)),
        );
        true
    }

    #[cfg(test)]
    fn text(&self, code: u32) -> Option<String> {
        let mut out = String::new();
        self.append_text(code, &mut out).then_some(out)
    }

    /// Looks up the CID of a code; codes outside every range map to themselves.
    pub(crate) fn cid(&self, code: u32) -> u32 {
        self.cids
            .iter()
            .find(|&&(low, high, _)| low <= code && code <= high)
            .map_or(code, |&(low, _, cid)| cid.saturating_add(code - low))
    }
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0, |value, &byte| (value << 8) | u32::from(byte))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    if bytes.len() == 1 {
        return vec![u16::from(bytes[0])];
    }
    bytes
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => u16::from_be_bytes([*high, *low]),
            [single] => u16::from(*single),
            _ => 0,
        })
        .collect()
}

fn target_text(token: &Token) -> Option<String> {
    match token {
        Token::Hex(bytes) => {
            let text = String::from_utf16_lossy(&utf16_units(bytes));
            Some(text.replace('\0', ""))
        }
        Token::Name(name) => super::encoding::glyph_text(&String::from_utf8_lossy(name)),
        _ => None,
    }
}

#[derive(Debug, Clone)]
enum Token {
    Hex(Vec<u8>),
    Number(f64),
    Name(Vec<u8>),
    Keyword(Vec<u8>),
    Array(Vec<Token>),
    Other,
}

fn tokenize(data: &[u8]) -> Vec<Token> {
    let mut position = 0;
    let mut tokens = Vec::new();
    while let Some(token) = next_token(data, &mut position, 0) {
        tokens.push(token);
    }
    tokens
}

fn next_token(data: &[u8], position: &mut usize, depth: usize) -> Option<Token> {
    loop {
        let byte = *data.get(*position)?;
        match byte {
            b'%' => {
                while *position < data.len() && !matches!(data[*position], b'\n' | b'\r') {
                    *position += 1;
                }
            }
            b'<' if data.get(*position + 1) == Some(&b'<') => {
                *position += 2;
                return Some(Token::Other);
            }
            b'<' => {
                *position += 1;
                let mut digits = Vec::new();
                while let Some(&byte) = data.get(*position) {
                    *position += 1;
                    if byte == b'>' {
                        break;
                    }
                    if let Some(digit) = hex_digit(byte) {
                        digits.push(digit);
                    }
                }
                if digits.len() % 2 == 1 {
                    digits.push(0);
                }
                return Some(Token::Hex(
                    digits
                        .chunks(2)
                        .map(|pair| pair[0] << 4 | pair[1])
                        .collect(),
                ));
            }
            b'>' | b']' if depth == 0 => {
                *position += 1;
                if byte == b'>' && data.get(*position) == Some(&b'>') {
                    *position += 1;
                }
                return Some(Token::Other);
            }
            b']' => {
                return None;
            }
            b'[' => {
                *position += 1;
                let mut items = Vec::new();
                if depth < 8 {
                    while let Some(item) = next_token(data, position, depth + 1) {
                        if items.len() < MAX_RANGE as usize {
                            items.push(item);
                        }
                    }
                }
                // Skip the closing bracket that ended the array.
                if data.get(*position) == Some(&b']') {
                    *position += 1;
                }
                return Some(Token::Array(items));
            }
            b'(' => {
                // Literal strings do not occur in the mappings we read; skip them balanced.
                let mut level = 0usize;
                while let Some(&byte) = data.get(*position) {
                    *position += 1;
                    match byte {
                        b'\\' => *position += 1,
                        b'(' => level += 1,
                        b')' => {
                            level = level.saturating_sub(1);
                            if level == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                return Some(Token::Other);
            }
            b'/' => {
                *position += 1;
                let start = *position;
                while *position < data.len() && is_regular(data[*position]) {
                    *position += 1;
                }
                return Some(Token::Name(data[start..*position].to_vec()));
            }
            _ if byte.is_ascii_whitespace() || byte == 0 => *position += 1,
            _ if !is_regular(byte) => {
                *position += 1;
                return Some(Token::Other);
            }
            _ => {
                let start = *position;
                while *position < data.len() && is_regular(data[*position]) {
                    *position += 1;
                }
                let word = &data[start..*position];
                let number = std::str::from_utf8(word)
                    .ok()
                    .and_then(|text| text.parse::<f64>().ok());
                return Some(match number {
                    Some(number) => Token::Number(number),
                    None => Token::Keyword(word.to_vec()),
                });
            }
        }
    }
}

fn is_regular(byte: u8) -> bool {
    !byte.is_ascii_whitespace()
        && !matches!(
            byte,
            0 | b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        )
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cmap: &str, code: u32, expected: Option<&str>) {
        let parsed = CMap::parse(cmap.as_bytes());
        assert_eq!(
            parsed.text(code).as_deref(),
            expected,
            "code {code:#x} in {cmap}"
        );
    }

    #[test]
    fn to_unicode_maps() {
        let chars = "2 beginbfchar <01> <0041> <02> <00E4> endbfchar";
        check(chars, 1, Some("A"));
        check(chars, 2, Some("ä"));
        check(chars, 3, None);
        let range = "1 beginbfrange <0010> <0020> <0061> endbfrange";
        check(range, 0x11, Some("b"));
        check(range, 0x21, None);
        let array = "1 beginbfrange <05> <06> [<0066006C> <00DF>] endbfrange";
        check(array, 5, Some("fl"));
        check(array, 6, Some("ß"));
        // Tesseract's whole-plane identity range.
        check(
            "beginbfrange <0000> <FFFF> <0000> endbfrange",
            0x00FC,
            Some("ü"),
        );
        // A broken entry does not spoil the next ones.
        check(
            "beginbfchar <01> <0041> <02> foo <03> <0043> endbfchar",
            3,
            Some("C"),
        );
        check("beginbfchar <01> <D83DDE00> endbfchar", 1, Some("😀"));
    }

    #[test]
    fn code_space_splits_codes() {
        let cmap = CMap::parse(b"begincodespacerange <00> <80> <8140> <FFFF> endcodespacerange");
        assert_eq!(cmap.next_code(b"\x41\x81\x40", 2), (0x41, 1));
        assert_eq!(cmap.next_code(b"\x81\x40", 2), (0x8140, 2));
        let identity = CMap::identity();
        assert_eq!(identity.next_code(b"\x00\x41", 2), (0x41, 2));
        assert_eq!(identity.cid(0x41), 0x41);
        let cids = CMap::parse(b"begincidrange <0020> <0030> 100 endcidrange");
        assert_eq!(cids.cid(0x22), 102);
    }
}
