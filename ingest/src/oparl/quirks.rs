//! Workarounds for real-world OParl: lenient field readers, JSON repair and name cleaning.
//!
//! Every reader here accepts any JSON value and never fails: a value of the wrong type becomes
//! `None` (or an empty list), so one odd field never costs a whole object. The quirks each reader
//! absorbs are named where it is defined, with the real file that shows them.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::model::Link;

/// Reads a display name (`name`, `reference`, `paperType`, `role`, `result` …): cleaned with
/// [`clean_name`]; empty strings and `"N/A"` are absent. Numbers become text, because some
/// servers send a `reference` or `number` as a JSON number.
pub(super) fn name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(name_of(&Value::deserialize(deserializer)?))
}

/// Reads a long text (`File.text`) as sent, without its layout changed: form feeds separate pages.
/// Blank text is absent.
pub(super) fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) if !text.trim().is_empty() => Some(text.replace('\0', "")),
        _ => None,
    })
}

/// Reads a URL. ALLRIS sends the literal `"N/A"` where it has no link (Leipzig's System object,
/// `mst/systems/Stadt_Leipzig.json`, `"website": "N/A"`); that and empty strings are absent.
/// An embedded object stands for its `id`.
pub(super) fn url<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(url_of(&Value::deserialize(deserializer)?))
}

/// Reads a list of URLs; a single URL or an embedded object counts as a list of one.
pub(super) fn urls<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items.iter().filter_map(url_of).collect(),
        value => url_of(&value).into_iter().collect(),
    })
}

/// Reads a list of names (`keyword`, `post`, `email` …); a single string counts as a list of one.
pub(super) fn names<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items.iter().filter_map(name_of).collect(),
        value => name_of(&value).into_iter().collect(),
    })
}

/// Reads a calendar date. Accepts `YYYY-MM-DD`, a full timestamp (the 2015 draft's
/// `"startDate": "2012-07-17T00:00:00+02:00"`, whose date part is taken) and `DD.MM.YYYY`.
/// Empty strings, which ALLRIS sends where it has no date (`mst/bodies/Stadt_Leipzig.json`,
/// `"created": ""`), are absent.
pub(super) fn date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => parse_date(&text),
        _ => None,
    })
}

/// Reads a timestamp such as `2013-01-08T12:05:27+01:00`. A timestamp without an offset, or a
/// bare date, is taken as UTC. Empty strings are absent.
pub(super) fn datetime<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => parse_datetime(&text),
        _ => None,
    })
}

/// Reads a boolean; also `"true"`/`"false"` and `1`/`0`.
pub(super) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Bool(flag) => Some(flag),
        Value::String(text) => match text.trim().to_lowercase().as_str() {
            "true" | "1" | "ja" => Some(true),
            "false" | "0" | "nein" => Some(false),
            _ => None,
        },
        Value::Number(number) => number.as_i64().map(|number| number != 0),
        _ => None,
    })
}

/// Reads a whole number such as `size` or `order`; also a number sent as a string.
pub(super) fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(number) => number
            .as_i64()
            .or_else(|| number.as_f64().map(|n| n as i64)),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

/// Reads a reference to one object: its URL or the object embedded. Where a list comes instead
/// (the 2015 draft's `"invitation": [ … ]`), its first usable element is taken.
pub(super) fn link<'de, D, T>(deserializer: D) -> Result<Option<Link<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items.into_iter().find_map(link_of),
        value => link_of(value),
    })
}

/// Reads references to objects. A single object where a list belongs counts as a list of one:
/// ALLRIS sends one `auxiliaryFile` as a bare object.
pub(super) fn links<'de, D, T>(deserializer: D) -> Result<Vec<Link<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items.into_iter().filter_map(link_of).collect(),
        value => link_of(value).into_iter().collect(),
    })
}

fn link_of<T: DeserializeOwned>(value: Value) -> Option<Link<T>> {
    match value {
        Value::String(_) => url_of(&value).map(Link::Url),
        Value::Object(_) => {
            let id = url_of(&value);
            match T::deserialize(value) {
                Ok(object) => Some(Link::Object(Box::new(object))),
                // Every model field is lenient, so this only happens for a type without them.
                Err(_) => id.map(Link::Url),
            }
        }
        _ => None,
    }
}

fn name_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => clean_name(text),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    if text.is_empty() || text == "N/A" {
        None
    } else {
        Some(text)
    }
}

fn url_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => {
            let text = text.trim();
            if text.is_empty() || text == "N/A" || text.chars().any(char::is_control) {
                None
            } else {
                Some(text.to_string())
            }
        }
        Value::Object(map) => map.get("id").and_then(url_of),
        _ => None,
    }
}

/// Parses a calendar date leniently (see [`date`]).
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(day) = text.get(..10) {
        if let Ok(date) = NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            // A timestamp's date part is only its calendar date in its own offset, which is
            // what a council means by the meeting day.
            return Some(date);
        }
    }
    NaiveDate::parse_from_str(text, "%d.%m.%Y").ok()
}

/// Parses a timestamp leniently (see [`datetime`]).
pub(super) fn parse_datetime(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(datetime) = DateTime::parse_from_rfc3339(text) {
        return Some(datetime);
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
        return Some(naive.and_utc().fixed_offset());
    }
    let date = parse_date(text)?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset())
}

/// Cleans a display name from a council system.
///
/// - Binary junk: ALLRIS memo fields sometimes run past their end into control bytes
///   (`mst/misc/braunschweig_paper_broken_mojibake.json`: `"(GmbH) \n @ \u0004\u0001  A | …"`).
///   The name is cut at the first control character that is not whitespace, and trailing
///   tokens without a letter or digit are dropped.
/// - Mojibake: UTF-8 read as Windows-1252 (`Ã¤` for `ä`) is decoded again; CP850 read as
///   Windows-1252 (`beschr„nkter` for `beschränkter`, same file) is mapped back when the text
///   shows it inside a word.
/// - Whitespace: line breaks, tabs and runs of spaces become one space; the result is trimmed.
pub fn clean_name(text: &str) -> String {
    let repaired = repair_utf8_as_latin1(text).unwrap_or_else(|| text.to_string());
    let repaired = repair_cp850(&repaired);
    let end = repaired
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        .map_or(repaired.len(), |(index, _)| index);
    let cut = end < repaired.len();
    let mut words: Vec<&str> = repaired[..end].split_whitespace().collect();
    if cut {
        while words
            .last()
            .is_some_and(|word| !word.chars().any(char::is_alphanumeric) && !is_closing(word))
        {
            words.pop();
        }
    }
    words.join(" ")
}

fn is_closing(word: &str) -> bool {
    word.chars()
        .all(|c| matches!(c, ')' | ']' | '.' | '!' | '?' | '"' | '»' | '“'))
}

/// Undoes UTF-8 that was decoded as Windows-1252 (`FÃ¶rderung` → `Förderung`), if the text
/// shows it and the repair yields valid UTF-8.
fn repair_utf8_as_latin1(text: &str) -> Option<String> {
    if !text.contains(['Ã', 'Â']) {
        return None;
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable {
        return None;
    }
    let repaired = std::str::from_utf8(&bytes).ok()?;
    (repaired != text).then(|| repaired.to_string())
}

/// The CP850 code points of German letters, as they look when the bytes are read as
/// Windows-1252: `(seen, meant)`.
const CP850_AS_CP1252: [(char, char); 7] = [
    ('\u{201E}', 'ä'), // 0x84 „
    ('\u{201D}', 'ö'), // 0x94 ”
    ('\u{0081}', 'ü'), // 0x81, undefined in Windows-1252
    ('\u{017D}', 'Ä'), // 0x8E Ž
    ('\u{2122}', 'Ö'), // 0x99 ™
    ('\u{0161}', 'Ü'), // 0x9A š
    ('\u{00E1}', 'ß'), // 0xE1 á
];

/// Maps CP850 umlauts back, but only when a lowercase umlaut's stand-in (`„`, `”` or U+0081)
/// sits between two letters: quotes never do, so the text is surely CP850. Then every
/// stand-in next to a letter is mapped.
fn repair_cp850(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let between_letters = |index: usize| {
        index > 0
            && chars[index - 1].is_alphabetic()
            && chars.get(index + 1).is_some_and(|c| c.is_alphabetic())
    };
    let is_cp850 = chars.iter().enumerate().any(|(index, c)| {
        matches!(c, '\u{201E}' | '\u{201D}' | '\u{0081}') && between_letters(index)
    });
    if !is_cp850 {
        return text.to_string();
    }
    let next_to_letter = |index: usize| {
        (index > 0 && chars[index - 1].is_alphabetic())
            || chars.get(index + 1).is_some_and(|c| c.is_alphabetic())
    };
    chars
        .iter()
        .enumerate()
        .map(
            |(index, &c)| match CP850_AS_CP1252.iter().find(|(seen, _)| *seen == c) {
                Some(&(_, meant)) if next_to_letter(index) => meant,
                _ => c,
            },
        )
        .collect()
}

/// Makes bytes that should be JSON readable by a strict parser: drops a byte-order mark, reads
/// text that is not UTF-8 as Windows-1252 (Latin-1 servers), and escapes raw control bytes
/// inside strings, which ALLRIS leaves in memo fields
/// (`mst/misc/braunschweig_paper_broken_mojibake.json`). Returns `None` when nothing needed
/// repair.
pub(super) fn repair_json(bytes: &[u8]) -> Option<Vec<u8>> {
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf8: Vec<u8> = match std::str::from_utf8(without_bom) {
        Ok(_) => without_bom.to_vec(),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(without_bom);
            text.into_owned().into_bytes()
        }
    };
    let escaped = escape_control_bytes(&utf8);
    (escaped.as_slice() != bytes).then_some(escaped)
}

fn escape_control_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if !in_string {
            in_string = byte == b'"';
            out.push(byte);
        } else if escaped {
            escaped = false;
            out.push(byte);
        } else if byte == b'\\' {
            escaped = true;
            out.push(byte);
        } else if byte == b'"' {
            in_string = false;
            out.push(byte);
        } else if byte < 0x20 {
            out.extend_from_slice(format!("\\u{byte:04x}").as_bytes());
        } else {
            out.push(byte);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(clean_name(input), expected, "input: {input:?}");
    }

    #[test]
    fn names_are_cleaned() {
        check("  Antrag   der\r\nSPD-Fraktion ", "Antrag der SPD-Fraktion");
        check("Förderung", "Förderung");
        check("FÃ¶rderung der StraÃŸenbahn", "Förderung der Straßenbahn");
        check(
            "mit beschr\u{201E}nkter Haftung",
            "mit beschränkter Haftung",
        );
        check(
            "Gr\u{0081}nfl\u{201E}chen und \u{2122}PNV",
            "Grünflächen und ÖPNV",
        );
        // Quotes around words stay quotes.
        check(
            "\u{201E}Zukunft\u{201C} im \u{201E}Rathaus\u{201D}",
            "„Zukunft“ im „Rathaus”",
        );
        check(
            "Haftung (GmbH) \n @ \u{4}\u{1}  A | \u{6} @ ”\u{3} ÿ",
            "Haftung (GmbH)",
        );
        check("Ende.\u{0}", "Ende.");
        check("\u{0}", "");
    }

    #[test]
    fn dates_are_read_leniently() {
        let date = |text: &str| parse_date(text).map(|date| date.to_string());
        assert_eq!(date("2014-04-04").as_deref(), Some("2014-04-04"));
        assert_eq!(
            date("2012-07-17T00:00:00+02:00").as_deref(),
            Some("2012-07-17")
        );
        assert_eq!(date("04.05.2020").as_deref(), Some("2020-05-04"));
        assert_eq!(date(""), None);
        assert_eq!(date("N/A"), None);
        assert_eq!(date("2014-13-40"), None);
        assert_eq!(date("ÄÖÜäöüßÄÖÜ"), None);
        let stamp = |text: &str| parse_datetime(text).map(|stamp| stamp.to_rfc3339());
        assert_eq!(
            stamp("2013-01-08T12:05:27+01:00").as_deref(),
            Some("2013-01-08T12:05:27+01:00")
        );
        assert_eq!(
            stamp("2013-01-08T12:05:27").as_deref(),
            Some("2013-01-08T12:05:27+00:00")
        );
        assert_eq!(
            stamp("2013-01-08").as_deref(),
            Some("2013-01-08T00:00:00+00:00")
        );
        assert_eq!(stamp(""), None);
    }

    #[test]
    fn json_is_repaired() {
        let repair =
            |bytes: &[u8]| repair_json(bytes).map(|bytes| String::from_utf8(bytes).unwrap());
        assert_eq!(repair(br#"{"a": "b"}"#), None);
        assert_eq!(repair(b"\xEF\xBB\xBF{}").as_deref(), Some("{}"));
        assert_eq!(
            repair(b"{\"a\": \"x\x04y\"}").as_deref(),
            Some("{\"a\": \"x\\u0004y\"}")
        );
        assert_eq!(
            repair(b"{\"a\":\n \"x\\\"\ny\"}").as_deref(),
            Some("{\"a\":\n \"x\\\"\\u000ay\"}")
        );
        assert_eq!(
            repair(b"{\"a\": \"Gr\xFC\xDFe\"}").as_deref(),
            Some("{\"a\": \"Grüße\"}")
        );
    }
}
