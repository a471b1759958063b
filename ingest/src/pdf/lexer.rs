//! A resynchronising tokenizer for content streams: operands and operators, nothing more.
//!
//! lopdf's content parser stops at the first bad token and drops the rest of the page without
//! an error. This one skips a byte it cannot read and goes on, so one damaged token costs one
//! operation, not the page. Inline images (`BI … ID … EI`) are skipped here, since their binary
//! data would otherwise be read as operators.

use std::borrow::Cow;

/// Arrays nested deeper than this are flattened into their parent (no real content nests).
const MAX_DEPTH: usize = 8;
/// Operands beyond this many per operator are dropped, so a run of garbage cannot grow memory.
const MAX_OPERANDS: usize = 4096;

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand<'a> {
    /// An integer or real number.
    Number(f32),
    /// A name without its slash.
    Name(&'a [u8]),
    /// A literal or hexadecimal string, decoded.
    String(Cow<'a, [u8]>),
    /// An array.
    Array(Vec<Operand<'a>>),
    /// Anything else (booleans, dictionaries, null).
    Other,
}

impl Operand<'_> {
    /// Returns the number, if this is one.
    pub(crate) fn number(&self) -> Option<f32> {
        match self {
            Operand::Number(number) => Some(*number),
            _ => None,
        }
    }
}

/// Reads operators with their operands from a content stream.
pub(crate) struct Lexer<'a> {
    data: &'a [u8],
    position: usize,
    /// Bytes that could not be read as any token.
    pub(crate) skipped: usize,
}

impl<'a> Lexer<'a> {
    /// Starts reading `data`.
    pub(crate) fn new(data: &'a [u8]) -> Lexer<'a> {
        Lexer {
            data,
            position: 0,
            skipped: 0,
        }
    }

    /// Reads the next operator, leaving its operands in `operands` (cleared first).
    /// Returns `None` at the end of the stream.
    pub(crate) fn next_operation(&mut self, operands: &mut Vec<Operand<'a>>) -> Option<&'a [u8]> {
        operands.clear();
        loop {
            match self.next_token(0)? {
                Token::Operand(operand) => {
                    if operands.len() < MAX_OPERANDS {
                        operands.push(operand);
                    }
                }
                Token::Operator(operator) => {
                    if operator == b"BI" {
                        self.skip_inline_image();
                    }
                    return Some(operator);
                }
                Token::ArrayEnd => {}
            }
        }
    }

    fn next_token(&mut self, depth: usize) -> Option<Token<'a>> {
        loop {
            let byte = *self.data.get(self.position)?;
            match byte {
                b'%' => self.skip_comment(),
                b'(' => return Some(Token::Operand(Operand::String(self.literal_string()))),
                b'<' if self.data.get(self.position + 1) == Some(&b'<') => {
                    self.skip_dictionary();
                    return Some(Token::Operand(Operand::Other));
                }
                b'<' => {
                    return Some(Token::Operand(Operand::String(Cow::Owned(
                        self.hex_string(),
                    ))))
                }
                b'[' => {
                    self.position += 1;
                    if depth >= MAX_DEPTH {
                        continue;
                    }
                    let mut items = Vec::new();
                    loop {
                        match self.next_token(depth + 1) {
                            Some(Token::Operand(operand)) => {
                                if items.len() < MAX_OPERANDS * 16 {
                                    items.push(operand);
                                }
                            }
                            // An operator inside an array means the closing bracket was lost:
                            // give the array back and let the operator be read again.
                            Some(Token::Operator(operator)) => {
                                self.position -= operator.len();
                                break;
                            }
                            Some(Token::ArrayEnd) | None => break,
                        }
                    }
                    return Some(Token::Operand(Operand::Array(items)));
                }
                b']' => {
                    self.position += 1;
                    return Some(Token::ArrayEnd);
                }
                b'/' => {
                    self.position += 1;
                    let start = self.position;
                    self.skip_regular();
                    return Some(Token::Operand(Operand::Name(
                        &self.data[start..self.position],
                    )));
                }
                _ if is_whitespace(byte) => self.position += 1,
                _ if is_delimiter(byte) => {
                    // `)`, `>`, `{`, `}` out of place: damage; skip the byte and go on.
                    self.position += 1;
                    self.skipped += 1;
                }
                _ => {
                    let start = self.position;
                    self.skip_regular();
                    let word = &self.data[start..self.position];
                    if matches!(word[0], b'0'..=b'9' | b'+' | b'-' | b'.') {
                        match parse_number(word) {
                            Some(number) => return Some(Token::Operand(Operand::Number(number))),
                            None => {
                                self.skipped += word.len();
                                continue;
                            }
                        }
                    }
                    return Some(match word {
                        b"true" | b"false" | b"null" => Token::Operand(Operand::Other),
                        _ => Token::Operator(word),
                    });
                }
            }
        }
    }

    fn skip_comment(&mut self) {
        while self.position < self.data.len() && !matches!(self.data[self.position], b'\n' | b'\r')
        {
            self.position += 1;
        }
    }

    fn skip_regular(&mut self) {
        while self.position < self.data.len()
            && !is_whitespace(self.data[self.position])
            && !is_delimiter(self.data[self.position])
        {
            self.position += 1;
        }
    }

    fn skip_dictionary(&mut self) {
        let mut level = 0usize;
        while self.position < self.data.len() {
            if self.data[self.position..].starts_with(b"<<") {
                level += 1;
                self.position += 2;
            } else if self.data[self.position..].starts_with(b">>") {
                level = level.saturating_sub(1);
                self.position += 2;
                if level == 0 {
                    return;
                }
            } else if self.data[self.position] == b'(' {
                let _ = self.literal_string();
            } else {
                self.position += 1;
            }
        }
    }

    fn literal_string(&mut self) -> Cow<'a, [u8]> {
        // Skip the opening parenthesis.
        self.position += 1;
        let start = self.position;
        let mut level = 1usize;
        let mut has_escape = false;
        while let Some(&byte) = self.data.get(self.position) {
            match byte {
                b'\\' => {
                    has_escape = true;
                    self.position += 1;
                }
                b'(' => level += 1,
                b')' => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                b'\r' => has_escape = true,
                _ => {}
            }
            self.position += 1;
        }
        let end = self.position.min(self.data.len());
        self.position = (self.position + 1).min(self.data.len());
        let raw = &self.data[start..end];
        if has_escape {
            Cow::Owned(unescape(raw))
        } else {
            Cow::Borrowed(raw)
        }
    }

    fn hex_string(&mut self) -> Vec<u8> {
        self.position += 1;
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(&byte) = self.data.get(self.position) {
            self.position += 1;
            if byte == b'>' {
                break;
            }
            let Some(digit) = hex_digit(byte) else {
                continue;
            };
            match high.take() {
                Some(high_digit) => bytes.push(high_digit << 4 | digit),
                None => high = Some(digit),
            }
        }
        if let Some(high_digit) = high {
            bytes.push(high_digit << 4);
        }
        bytes
    }

    /// Skips from after `BI` past the inline image's `EI`.
    fn skip_inline_image(&mut self) {
        // The image dictionary ends at the `ID` operator.
        let mut operands = Vec::new();
        loop {
            match self.next_token(0) {
                Some(Token::Operator(b"ID")) => break,
                Some(Token::Operator(b"EI")) | None => return,
                Some(Token::Operand(operand)) => {
                    if operands.len() < 64 {
                        operands.push(operand);
                    }
                }
                Some(_) => {}
            }
        }
        // One whitespace byte separates `ID` from the data; the data ends at `EI` followed by
        // whitespace or the end of the stream.
        self.position += 1;
        while self.position + 1 < self.data.len() {
            let at_end = &self.data[self.position..];
            let before_ok = self.position > 0 && is_whitespace(self.data[self.position - 1]);
            if before_ok
                && at_end.starts_with(b"EI")
                && at_end.get(2).is_none_or(|&next| is_whitespace(next))
            {
                self.position += 2;
                return;
            }
            self.position += 1;
        }
        self.position = self.data.len();
    }
}

enum Token<'a> {
    Operand(Operand<'a>),
    Operator(&'a [u8]),
    ArrayEnd,
}

fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut index = 0;
    while index < raw.len() {
        let byte = raw[index];
        index += 1;
        if byte == b'\r' {
            // End-of-line markers in strings read as a single line feed.
            if raw.get(index) == Some(&b'\n') {
                index += 1;
            }
            bytes.push(b'\n');
            continue;
        }
        if byte != b'\\' {
            bytes.push(byte);
            continue;
        }
        let Some(&escaped) = raw.get(index) else {
            break;
        };
        index += 1;
        match escaped {
            b'n' => bytes.push(b'\n'),
            b'r' => bytes.push(b'\r'),
            b't' => bytes.push(b'\t'),
            b'b' => bytes.push(8),
            b'f' => bytes.push(12),
            b'\r' => {
                if raw.get(index) == Some(&b'\n') {
                    index += 1;
                }
            }
            b'\n' => {}
            b'0'..=b'7' => {
                let mut value = u32::from(escaped - b'0');
                for _ in 0..2 {
                    match raw.get(index) {
                        Some(&digit @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(digit - b'0');
                            index += 1;
                        }
                        _ => break,
                    }
                }
                bytes.push((value & 0xFF) as u8);
            }
            other => bytes.push(other),
        }
    }
    bytes
}

fn parse_number(word: &[u8]) -> Option<f32> {
    // Producers write `-.5`, `+3`, `4.` and, when broken, `--5` or `1.2.3`: read the longest
    // sensible prefix.
    let mut index = 0;
    let mut negative = false;
    while index < word.len() && matches!(word[index], b'+' | b'-') {
        negative ^= word[index] == b'-';
        index += 1;
    }
    let mut value = 0f64;
    let mut digits = 0;
    while index < word.len() && word[index].is_ascii_digit() {
        value = value * 10.0 + f64::from(word[index] - b'0');
        index += 1;
        digits += 1;
    }
    if index < word.len() && word[index] == b'.' {
        index += 1;
        let mut scale = 0.1;
        while index < word.len() && word[index].is_ascii_digit() {
            value += f64::from(word[index] - b'0') * scale;
            scale /= 10.0;
            index += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    let value = if negative { -value } else { value };
    Some(value.clamp(-1e9, 1e9) as f32)
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0 | 12)
}

fn is_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders every operation as `operands operator`, strings in parentheses.
    fn check(content: &str, expected: &str) {
        let mut lexer = Lexer::new(content.as_bytes());
        let mut operands = Vec::new();
        let mut rendered = Vec::new();
        while let Some(operator) = lexer.next_operation(&mut operands) {
            let mut parts: Vec<String> = operands.iter().map(render).collect();
            parts.push(String::from_utf8_lossy(operator).into_owned());
            rendered.push(parts.join(" "));
        }
        assert_eq!(rendered.join("; "), expected, "content {content:?}");
    }

    fn render(operand: &Operand) -> String {
        match operand {
            Operand::Number(number) => number.to_string(),
            Operand::Name(name) => format!("/{}", String::from_utf8_lossy(name)),
            Operand::String(bytes) => format!("({})", String::from_utf8_lossy(bytes)),
            Operand::Array(items) => format!(
                "[{}]",
                items.iter().map(render).collect::<Vec<_>>().join(" ")
            ),
            Operand::Other => "?".to_string(),
        }
    }

    #[test]
    fn operations() {
        check(
            "BT /F1 12 Tf 1 0 0 1 72 700 Tm (Hallo) Tj ET",
            "BT; /F1 12 Tf; 1 0 0 1 72 700 Tm; (Hallo) Tj; ET",
        );
        check("[(A) -120 (B)] TJ", "[(A) -120 (B)] TJ");
        check("<48656c6c6f> Tj <4> Tj", "(Hello) Tj; (@) Tj");
        check(r"(a\(b\)c\101\n) Tj", "(a(b)cA\n) Tj");
        check("(a (nested) b) Tj", "(a (nested) b) Tj");
        check("-.5 +3 4. --2 Td", "-0.5 3 4 2 Td");
        check("/P <</MCID 0>> BDC EMC", "/P ? BDC; EMC");
        check("% comment\nq Q", "q; Q");
    }

    #[test]
    fn damage_is_skipped() {
        // A corrupted array bracket: the strings survive as operands of TJ.
        check("{(A) -120 (B)] TJ (C) Tj", "(A) -120 (B) TJ; (C) Tj");
        // A lost closing bracket ends the array at the next operator.
        check("[(A) (B) TJ (C) Tj", "[(A) (B)] TJ; (C) Tj");
        check(") } 1 0 Td", "1 0 Td");
        check("(unterminated", "");
    }

    #[test]
    fn inline_images_are_skipped() {
        check(
            "q BI /W 2 /H 2 /BPC 8 ID \x00EI\x01\x02 EI Q (x) Tj",
            "q; BI; Q; (x) Tj",
        );
    }
}
