//! The shapes of an OParl JSON document: one object, an array of objects, or a list page with
//! `data`, `links` and `pagination`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{Kind, Object};
use super::quirks;
use crate::{Error, Result};

/// One OParl JSON document, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The top-level objects: the object itself, the array's elements or the page's `data`.
    /// Embedded objects stay inside their parents.
    pub objects: Vec<Object>,
    /// The navigation links of a list page.
    pub links: Links,
    /// The counts of a list page.
    pub pagination: Option<Pagination>,
}

/// The `links` of a list page (OParl 1.1 §2.7.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Links {
    /// The first page.
    #[serde(deserialize_with = "quirks::url")]
    pub first: Option<String>,
    /// The previous page.
    #[serde(deserialize_with = "quirks::url")]
    pub prev: Option<String>,
    /// The next page; absent on the last one.
    #[serde(deserialize_with = "quirks::url")]
    pub next: Option<String>,
    /// The last page.
    #[serde(deserialize_with = "quirks::url")]
    pub last: Option<String>,
    /// This page (`self`).
    #[serde(rename = "self", deserialize_with = "quirks::url")]
    pub current: Option<String>,
}

/// The `pagination` of a list page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Pagination {
    /// How many objects the whole list holds.
    #[serde(deserialize_with = "quirks::number")]
    pub total_elements: Option<i64>,
    /// How many objects one page holds.
    #[serde(deserialize_with = "quirks::number")]
    pub elements_per_page: Option<i64>,
    /// This page's number, from 1.
    #[serde(deserialize_with = "quirks::number")]
    pub current_page: Option<i64>,
    /// How many pages there are.
    #[serde(deserialize_with = "quirks::number")]
    pub total_pages: Option<i64>,
}

impl Document {
    /// Reads a document from its JSON value.
    pub(super) fn from_value(name: &str, value: &Value) -> Result<Document> {
        let objects = top_level(name, value)?
            .into_iter()
            .map(|(kind, item)| Object::from_value(kind, item))
            .collect();
        let read = |key: &str| value.get(key).filter(|part| part.is_object());
        Ok(Document {
            objects,
            links: read("links")
                .and_then(|links| Links::deserialize(links).ok())
                .unwrap_or_default(),
            pagination: read("pagination").and_then(|page| Pagination::deserialize(page).ok()),
        })
    }
}

/// Parses bytes as JSON, repairing what real servers send (see `quirks::repair_json`) when a
/// strict parse fails.
pub(super) fn read_json(bytes: &[u8]) -> Result<Value> {
    match serde_json::from_slice(bytes) {
        Ok(value) => Ok(value),
        Err(error) => match quirks::repair_json(bytes) {
            Some(repaired) => serde_json::from_slice(&repaired).map_err(|_| Error::Json(error)),
            None => Err(Error::Json(error)),
        },
    }
}

/// Finds the top-level OParl objects of a document and their kinds.
///
/// Objects without `type` get the kind their list's other elements have, else the kind their
/// URL names: Sternberg and Karlsruhe send deleted papers as stubs, Sternberg's without `type`
/// (`huertgenwald-sternberg-full`, `body/1/paper?page=73.json`). Elements that are no OParl
/// object are left out; a document that has elements but none of them OParl is
/// [`Error::UnknownFormat`]. Empty lists are fine.
pub(super) fn top_level<'a>(name: &str, value: &'a Value) -> Result<Vec<(Kind, &'a Value)>> {
    let unknown = |why: &str| Error::UnknownFormat(format!("{name}: {why}"));
    let items: Vec<&Value> = match value {
        Value::Object(map) => match map.get("data") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(item @ Value::Object(_)) => vec![item],
            _ => vec![value],
        },
        Value::Array(items) => items.iter().collect(),
        _ => return Err(unknown("json is neither an object nor an array")),
    };
    let is_list_page = value
        .get("data")
        .is_some_and(|data| data.is_array() || data.is_object());
    let had_items = !items.is_empty();
    let sibling_kind = most_common_kind(&items);
    let found: Vec<(Kind, &Value)> = items
        .into_iter()
        .filter_map(|item| {
            let kind = declared_kind(item).or_else(|| {
                let id = item.get("id")?.as_str()?;
                sibling_kind.or_else(|| Kind::from_url(id))
            })?;
            Some((kind, item))
        })
        .collect();
    if found.is_empty() && had_items && !is_list_page {
        return Err(unknown(
            "no oparl object (no \"type\" naming an oparl kind)",
        ));
    }
    Ok(found)
}

/// Returns the kind an embedded value under `key` has, if it is a catalogable object (one
/// with an id).
pub(super) fn embedded_kind(key: &str, value: &Value) -> Option<Kind> {
    if key == "geojson" {
        return None;
    }
    value.get("id")?.as_str()?;
    declared_kind(value).or_else(|| Kind::from_key(key))
}

fn declared_kind(value: &Value) -> Option<Kind> {
    Kind::from_type(value.get("type")?.as_str()?)
}

fn most_common_kind(items: &[&Value]) -> Option<Kind> {
    let mut counts: Vec<(Kind, usize)> = Vec::new();
    for kind in items.iter().filter_map(|item| declared_kind(item)) {
        match counts.iter_mut().find(|(seen, _)| *seen == kind) {
            Some((_, count)) => *count += 1,
            None => counts.push((kind, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(_, count)| count)
        .map(|(kind, _)| kind)
}

/// Returns the `links.next` URL of a list page: where a crawl continues. `None` on the last
/// page and for anything that is not a readable list page.
pub fn list_next(bytes: &[u8]) -> Option<String> {
    let value = read_json(bytes).ok()?;
    let links = value.get("links").filter(|links| links.is_object())?;
    Links::deserialize(links).ok()?.next
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(json: &str, expected: Result<Vec<Kind>, ()>) {
        let value: Value = serde_json::from_str(json).unwrap();
        let actual = top_level("test.json", &value)
            .map(|items| items.into_iter().map(|(kind, _)| kind).collect::<Vec<_>>())
            .map_err(|_| ());
        assert_eq!(actual, expected, "json: {json}");
    }

    #[test]
    fn top_level_objects_are_found() {
        let paper = r#"{"id": "https://x/paper/1", "type": "https://schema.oparl.org/1.1/Paper"}"#;
        check(paper, Ok(vec![Kind::Paper]));
        check(&format!("[{paper}, 3, \"x\"]"), Ok(vec![Kind::Paper]));
        check(
            &format!(r#"{{"data": [{paper}, {{"id": "https://x/p/2", "deleted": true}}]}}"#),
            Ok(vec![Kind::Paper, Kind::Paper]),
        );
        check(r#"{"data": [], "links": {}}"#, Ok(vec![]));
        check(
            r#"{"id": "https://x/body/1/paper/5", "deleted": true}"#,
            Ok(vec![Kind::Paper]),
        );
        check(r#"{"Stadt Leipzig.json": {"ags": "14713000"}}"#, Err(()));
        check("[]", Ok(vec![]));
        check("42", Err(()));
    }

    #[test]
    fn next_links_are_read() {
        let page = br#"{"data": [], "links": {"next": "https://x/paper?page=2"}}"#;
        assert_eq!(list_next(page).as_deref(), Some("https://x/paper?page=2"));
        assert_eq!(list_next(br#"{"data": [], "links": {"next": ""}}"#), None);
        assert_eq!(list_next(br#"{"data": [], "links": "x"}"#), None);
        assert_eq!(list_next(b"{"), None);
    }
}
