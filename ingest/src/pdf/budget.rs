//! The per-file budget (time, decompressed bytes, operators) and small lopdf object helpers.
//!
//! Limits are checked cooperatively by the interpreter, so that no PDF can hang extraction or
//! exhaust memory: a decompression bomb stops at the stream limit, an endless content stream at
//! the operator limit, and a slow file at its deadline.

use std::time::Instant;

use lopdf::{Dictionary, Document, Object, Stream};

/// How often (in operators) the clock is read.
const CLOCK_INTERVAL: u64 = 4096;

/// What is left of one file's budget.
#[derive(Debug)]
pub(crate) struct Budget {
    deadline: Instant,
    max_stream_bytes: usize,
    bytes_left: usize,
    operators_left: u64,
    ticks: u64,
    /// Why the budget ran out, once it did.
    pub(crate) exhausted: Option<&'static str>,
}

impl Budget {
    /// Starts a budget.
    pub(crate) fn new(
        deadline: Instant,
        max_stream_bytes: usize,
        max_total_bytes: usize,
        max_operators: u64,
    ) -> Budget {
        Budget {
            deadline,
            max_stream_bytes,
            bytes_left: max_total_bytes,
            operators_left: max_operators,
            ticks: 0,
            exhausted: None,
        }
    }

    /// Counts one operator; returns false once anything is used up.
    pub(crate) fn tick(&mut self) -> bool {
        if self.exhausted.is_some() {
            return false;
        }
        if self.operators_left == 0 {
            self.exhausted = Some("operator limit reached");
            return false;
        }
        self.operators_left -= 1;
        self.ticks += 1;
        if self.ticks % CLOCK_INTERVAL == 0 {
            return self.in_time();
        }
        true
    }

    /// Checks the deadline now.
    pub(crate) fn in_time(&mut self) -> bool {
        if self.exhausted.is_none() && Instant::now() >= self.deadline {
            self.exhausted = Some("time limit reached");
        }
        self.exhausted.is_none()
    }

    /// Decodes a stream within the per-stream and per-file byte limits.
    pub(crate) fn decode(&mut self, stream: &Stream) -> Option<Vec<u8>> {
        if self.exhausted.is_some() {
            return None;
        }
        let limit = self.max_stream_bytes.min(self.bytes_left);
        match stream.decompressed_content_with_limit(limit) {
            Ok(data) => {
                self.bytes_left -= data.len().min(self.bytes_left);
                Some(data)
            }
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                if limit == self.bytes_left {
                    self.exhausted = Some("decompressed size limit reached");
                }
                None
            }
            // A stream with an unsupported or broken filter: use what is stored, if it is plain.
            Err(_) if stream.filters().is_err() => Some(stream.content.clone()),
            Err(_) => None,
        }
    }
}

/// Follows a reference (chains included) to its object.
pub(crate) fn resolve<'a>(document: &'a Document, object: &'a Object) -> Option<&'a Object> {
    document.dereference(object).ok().map(|(_, object)| object)
}

/// Looks up `key` in `dictionary` and follows references.
pub(crate) fn get<'a>(
    document: &'a Document,
    dictionary: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    resolve(document, dictionary.get(key).ok()?)
}

/// Looks up a dictionary (or a stream's dictionary) under `key`.
pub(crate) fn get_dict<'a>(
    document: &'a Document,
    dictionary: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    match get(document, dictionary, key)? {
        Object::Dictionary(dictionary) => Some(dictionary),
        Object::Stream(stream) => Some(&stream.dict),
        _ => None,
    }
}

/// Looks up a name under `key`.
pub(crate) fn get_name<'a>(
    document: &'a Document,
    dictionary: &'a Dictionary,
    key: &[u8],
) -> Option<&'a [u8]> {
    match get(document, dictionary, key)? {
        Object::Name(name) => Some(name),
        _ => None,
    }
}

/// Looks up a number under `key`.
pub(crate) fn get_number(document: &Document, dictionary: &Dictionary, key: &[u8]) -> Option<f32> {
    get(document, dictionary, key).and_then(number)
}

/// Reads a number object.
pub(crate) fn number(object: &Object) -> Option<f32> {
    match object {
        Object::Integer(value) => Some(*value as f32),
        Object::Real(value) if value.is_finite() => Some(*value),
        _ => None,
    }
}

/// Reads an array of numbers under `key`, resolving references inside it.
pub(crate) fn get_numbers(
    document: &Document,
    dictionary: &Dictionary,
    key: &[u8],
) -> Option<Vec<f32>> {
    match get(document, dictionary, key)? {
        Object::Array(items) => Some(
            items
                .iter()
                .map(|item| resolve(document, item).and_then(number).unwrap_or(0.0))
                .collect(),
        ),
        _ => None,
    }
}
