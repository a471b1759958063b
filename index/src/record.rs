//! Stored records without their text.
//!
//! The passage index stores every body section and attachment page for snippets. The record
//! JSON of a paper (returned by `Index::document`) would repeat all that text, so the index
//! stores the record without it and fills it back in from the passages when it is read: the
//! member `text` from the body sections, and the `pages` of each entry of `files` from the
//! page passages. Joined with the whitespace stored between them (`sep`), the passages give
//! back the cleaned text: what the index searched, without leading and trailing whitespace.

use serde_json::Value;

/// Record member with the body text.
const TEXT: &str = "text";
/// Record member with the attachments.
const FILES: &str = "files";
/// Member of a file with its name.
const FILE_NAME: &str = "name";
/// Member of a file with the text of each page.
const FILE_PAGES: &str = "pages";
/// More pages than any real file has: a page number beyond it is not trusted to size an array.
const MAX_PAGES: usize = 100_000;

/// One stored passage of a paper, as read back from the passage index.
#[derive(Debug, Clone)]
pub(crate) struct Passage {
    /// Position among the paper's passages: body sections first, then attachment pages.
    pub(crate) ordinal: u64,
    /// For page passages, which page of which file.
    pub(crate) file: Option<PageOf>,
    pub(crate) text: String,
    /// The text between this passage and the next one of the same text.
    pub(crate) sep: String,
}

/// The file page a page passage comes from.
#[derive(Debug, Clone)]
pub(crate) struct PageOf {
    /// The file name.
    pub(crate) name: String,
    /// Index of the file in the record's `files`.
    pub(crate) attachment: Option<u64>,
    /// 1-based page number.
    pub(crate) page: u64,
}

/// Fills the text of `passages` into the record JSON `record_json`. A record that is not a
/// JSON object is returned unchanged.
pub(crate) fn restore(record_json: &str, mut passages: Vec<Passage>) -> String {
    let Ok(Value::Object(mut record)) = serde_json::from_str::<Value>(record_json) else {
        return record_json.to_string();
    };
    passages.sort_by_key(|passage| passage.ordinal);
    let mut text = String::new();
    for passage in passages.iter().filter(|passage| passage.file.is_none()) {
        text.push_str(&passage.text);
        text.push_str(&passage.sep);
    }
    record.insert(TEXT.to_string(), Value::String(text));
    if let Some(Value::Array(files)) = record.get_mut(FILES) {
        fill_pages(files, &passages);
    }
    Value::Object(record).to_string()
}

/// Puts the page passages into the `pages` of the file they came from: the file at their
/// attachment index, or failing that the first file with their name.
fn fill_pages(files: &mut [Value], passages: &[Passage]) {
    for passage in passages {
        let Some(page_of) = &passage.file else {
            continue;
        };
        let has_name =
            |file: &Value| file.get(FILE_NAME).and_then(Value::as_str) == Some(&page_of.name);
        let at_index = page_of
            .attachment
            .and_then(|attachment| usize::try_from(attachment).ok())
            .filter(|&attachment| files.get(attachment).is_some_and(has_name));
        let Some(file_index) = at_index.or_else(|| files.iter().position(has_name)) else {
            continue;
        };
        let Some(Value::Array(pages)) = files[file_index].get_mut(FILE_PAGES) else {
            continue;
        };
        let Some(page_index) = usize::try_from(page_of.page)
            .ok()
            .and_then(|page| page.checked_sub(1))
            .filter(|&page_index| page_index < MAX_PAGES)
        else {
            continue;
        };
        if pages.len() <= page_index {
            pages.resize(page_index + 1, Value::String(String::new()));
        }
        let mut page_text = match pages[page_index].take() {
            Value::String(text) => text,
            _ => String::new(),
        };
        page_text.push_str(&passage.text);
        page_text.push_str(&passage.sep);
        pages[page_index] = Value::String(page_text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(ordinal: u64, text: &str, sep: &str) -> Passage {
        Passage {
            ordinal,
            file: None,
            text: text.to_string(),
            sep: sep.to_string(),
        }
    }

    fn page(ordinal: u64, file: &str, page: u64, text: &str) -> Passage {
        Passage {
            ordinal,
            file: Some(PageOf {
                name: file.to_string(),
                attachment: None,
                page,
            }),
            text: text.to_string(),
            sep: String::new(),
        }
    }

    #[test]
    fn text_and_pages_are_filled_in_order() {
        let record = r#"{"reference":"A-1","files":[{"name":"a.pdf","pages":["","",""]},{"name":"b.pdf","pages":[""]}]}"#;
        let passages = vec![
            page(3, "a.pdf", 3, "drei"),
            section(1, "Zweiter Teil.", ""),
            section(0, "Erster Teil.", "\n\n"),
            page(2, "a.pdf", 1, "eins"),
            page(4, "b.pdf", 1, "bee"),
        ];
        let restored: Value = serde_json::from_str(&restore(record, passages)).unwrap();
        assert_eq!(restored["text"], "Erster Teil.\n\nZweiter Teil.");
        assert_eq!(restored["reference"], "A-1");
        assert_eq!(
            restored["files"][0]["pages"],
            serde_json::json!(["eins", "", "drei"])
        );
        assert_eq!(restored["files"][1]["pages"], serde_json::json!(["bee"]));
    }

    #[test]
    fn odd_records_do_not_fail() {
        assert_eq!(restore("not json", vec![section(0, "x", "")]), "not json");
        let restored = restore(
            r#"{"files":[{"name":"a.pdf"}, 3]}"#,
            vec![page(0, "zzz", 9, "t")],
        );
        assert_eq!(
            serde_json::from_str::<Value>(&restored).unwrap()["text"],
            ""
        );
    }
}
