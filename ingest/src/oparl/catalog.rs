//! A catalog of every OParl object seen in a crawl, so that papers can name the committees,
//! meetings and results they only reference by URL.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use super::model::{Kind, Link, OParlObject, Object};
use super::{document, stadtratmonitor, Scope};
use crate::{Record, Result};

/// Every OParl object of a crawl, by id, plus the records of flat exports.
///
/// Feed it all JSON documents of a crawl ([`Catalog::add`]) in any order, then ask for
/// [`Catalog::records`]: a consultation that references its committee by URL gets the
/// committee's name if the Organization was among the documents. Embedded objects are
/// catalogued too, so a meeting list also provides its agenda items and their results.
///
/// Objects seen twice (the same paper on two list pages, a plain and an enriched copy) are kept
/// once: the newer `modified` wins; when the versions are equally new, they are merged field by
/// field, so a copy whose files carry `text` and one without make one paper with text.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    objects: HashMap<String, Object>,
    /// Paper ids in the order they were first seen, so records come out in a stable order.
    paper_order: Vec<String>,
    /// The document each paper came from, by paper id.
    paper_sources: HashMap<String, String>,
    /// Consultations that name their paper (standalone consultation lists), by paper id.
    consultations_of_paper: HashMap<String, Vec<String>>,
    /// Agenda items that name their consultation, by consultation id.
    agenda_item_of_consultation: HashMap<String, String>,
    /// Records of flat exports (Stadtratmonitor), which have no ids to resolve.
    flat_records: Vec<Record>,
}

/// A paper the server reports as deleted (`"deleted": true`), to be removed from an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedPaper {
    /// Its OParl id.
    pub id: String,
    /// Its reference, when the stub or an earlier version in the catalog carried one.
    pub reference: Option<String>,
    /// Its body as its record named it: the Body's name when catalogued, else its URL.
    pub body: Option<String>,
    /// When it was deleted.
    pub modified: Option<DateTime<FixedOffset>>,
}

impl Catalog {
    /// Adds every object of one JSON document (an object, an array or a list page) and returns
    /// how many top-level objects or flat records it held. `name` is the document's path or URL,
    /// kept as the papers' source.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<usize> {
        let value = document::read_json(bytes)?;
        if stadtratmonitor::recognises(&value) {
            let records = stadtratmonitor::records(name, &value);
            let n_records = records.len();
            self.flat_records.extend(records);
            return Ok(n_records);
        }
        let items = document::top_level(name, &value)?;
        let n_items = items.len();
        for (kind, item) in items {
            self.walk(kind, item, name, None);
        }
        Ok(n_items)
    }

    /// Adds one object that is already read. Embedded objects are not catalogued on their own;
    /// add the document with [`Catalog::add`] for that.
    pub fn insert(&mut self, object: Object, source: &str) {
        self.index(&object);
        let id = match object.id() {
            Some(id) => id.to_string(),
            // A paper without id still makes a record; it gets a key of its own.
            None if object.kind() == Kind::Paper => {
                format!("{source}#{}", self.paper_order.len())
            }
            None => return,
        };
        let is_paper = object.kind() == Kind::Paper;
        match self.objects.get(&id) {
            None => {
                if is_paper {
                    self.paper_order.push(id.clone());
                }
            }
            Some(old) => match newer(&object, old) {
                Ordering::Less => return,
                Ordering::Greater => {
                    let object = keep_identity(object, old);
                    self.store(id, object, source, is_paper);
                    return;
                }
                Ordering::Equal => {
                    let merged = merge(old, &object).unwrap_or(object);
                    self.store(id, merged, source, is_paper);
                    return;
                }
            },
        }
        self.store(id, object, source, is_paper);
    }

    /// Returns the object with this id.
    pub fn object(&self, id: &str) -> Option<&Object> {
        self.objects.get(id)
    }

    /// Returns the object with this id if it is a `T`, e.g. `catalog.get::<Organization>(url)`.
    pub fn get<T: OParlObject>(&self, id: &str) -> Option<&T> {
        self.objects.get(id).and_then(T::from_object)
    }

    /// Returns all objects of one kind, in no particular order.
    pub fn objects(&self, kind: Kind) -> impl Iterator<Item = &Object> {
        self.objects
            .values()
            .filter(move |object| object.kind() == kind)
    }

    /// Returns the number of catalogued objects.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Tells whether nothing has been catalogued.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty() && self.flat_records.is_empty()
    }

    /// Returns a record for every paper that is not deleted, in the order first seen, followed
    /// by the records of flat exports.
    pub fn records(&self) -> Vec<Record> {
        let scope = Scope {
            local: self,
            context: None,
        };
        let mut records = scope.records();
        records.extend(self.flat_records.iter().cloned());
        records
    }

    /// Returns the papers the server reported as deleted, in the order first seen.
    pub fn deleted_papers(&self) -> Vec<DeletedPaper> {
        self.paper_order
            .iter()
            .filter_map(|id| self.get::<super::Paper>(id))
            .filter(|paper| paper.is_deleted())
            .map(|paper| DeletedPaper {
                id: paper.id.clone().unwrap_or_default(),
                reference: paper.reference.clone(),
                body: paper.body.as_ref().map(|url| self.body_name(url)),
                modified: paper.modified,
            })
            .collect()
    }

    /// Returns the name of the Body with this URL, else the URL: how records name their body.
    fn body_name(&self, url: &str) -> String {
        self.get::<super::Body>(url)
            .and_then(|body| body.name.clone())
            .unwrap_or_else(|| url.to_string())
    }

    /// Returns the papers (not deleted) in the order first seen, with their sources.
    pub(super) fn papers(&self) -> impl Iterator<Item = (&super::Paper, &str)> {
        self.paper_order.iter().filter_map(|id| {
            let paper = self.get::<super::Paper>(id)?;
            let source = self.paper_sources.get(id).map_or("", String::as_str);
            (!paper.is_deleted()).then_some((paper, source))
        })
    }

    /// Returns the records of flat exports.
    pub(super) fn flat_records(&self) -> &[Record] {
        &self.flat_records
    }

    /// Returns the ids of standalone consultations that name this paper.
    pub(super) fn consultations_of_paper(&self, paper_id: &str) -> &[String] {
        self.consultations_of_paper
            .get(paper_id)
            .map_or(&[], Vec::as_slice)
    }

    /// Returns the id of the agenda item that names this consultation.
    pub(super) fn agenda_item_of_consultation(&self, consultation_id: &str) -> Option<&str> {
        self.agenda_item_of_consultation
            .get(consultation_id)
            .map(String::as_str)
    }

    fn store(&mut self, id: String, object: Object, source: &str, is_paper: bool) {
        if is_paper {
            self.paper_sources.insert(id.clone(), source.to_string());
        }
        self.objects.insert(id, object);
    }

    /// Remembers the back references an object carries.
    fn index(&mut self, object: &Object) {
        match object {
            Object::Consultation(consultation) => {
                if let (Some(id), Some(paper)) = (&consultation.id, &consultation.paper) {
                    let ids = self
                        .consultations_of_paper
                        .entry(paper.clone())
                        .or_default();
                    if !ids.contains(id) {
                        ids.push(id.clone());
                    }
                }
            }
            Object::AgendaItem(item) => {
                let consultation = item.consultation.as_ref().and_then(Link::id);
                if let (Some(id), Some(consultation)) = (&item.id, consultation) {
                    self.agenda_item_of_consultation
                        .insert(consultation.to_string(), id.clone());
                }
            }
            _ => {}
        }
    }

    /// Catalogues an object and, first, the objects embedded in it.
    fn walk(&mut self, kind: Kind, value: &Value, source: &str, parent: Option<(Kind, &str)>) {
        let Value::Object(map) = value else {
            return;
        };
        let id = map.get("id").and_then(Value::as_str);
        for (key, child) in map {
            let children = match child {
                Value::Array(items) => items.iter().collect(),
                Value::Object(_) => vec![child],
                _ => continue,
            };
            for child in children {
                if let Some(child_kind) = document::embedded_kind(key, child) {
                    let parent = id.map(|id| (kind, id));
                    self.walk(child_kind, child, source, parent);
                }
            }
        }
        let mut object = Object::from_value(kind, value);
        fill_back_reference(&mut object, parent);
        self.insert(object, source);
    }
}

/// Fills a reference to the enclosing object that servers leave out of embedded objects:
/// Sternberg's agenda items do not name their meeting, embedded consultations not their paper.
fn fill_back_reference(object: &mut Object, parent: Option<(Kind, &str)>) {
    let Some((parent_kind, parent_id)) = parent else {
        return;
    };
    match (object, parent_kind) {
        (Object::AgendaItem(item), Kind::Meeting) if item.meeting.is_none() => {
            item.meeting = Some(parent_id.to_string());
        }
        (Object::Consultation(consultation), Kind::Paper) if consultation.paper.is_none() => {
            consultation.paper = Some(parent_id.to_string());
        }
        (Object::Consultation(consultation), Kind::AgendaItem)
            if consultation.agenda_item.is_none() =>
        {
            consultation.agenda_item = Some(Link::Url(parent_id.to_string()));
        }
        _ => {}
    }
}

/// Orders two versions of one object: the later `modified` is newer; objects of another kind
/// replace (the id was reused); without two timestamps they count as equally new.
fn newer(new: &Object, old: &Object) -> Ordering {
    if new.kind() != old.kind() {
        return Ordering::Greater;
    }
    match (new.modified(), old.modified()) {
        (Some(new), Some(old)) => new.cmp(&old),
        _ => Ordering::Equal,
    }
}

/// Keeps a paper's reference and body when a deletion stub replaces it, so the caller knows
/// which indexed document to remove.
fn keep_identity(new: Object, old: &Object) -> Object {
    match (new, old) {
        (Object::Paper(mut stub), Object::Paper(old)) if stub.is_deleted() => {
            if stub.reference.is_none() {
                stub.reference = old.reference.clone();
            }
            if stub.body.is_none() {
                stub.body = old.body.clone();
            }
            Object::Paper(stub)
        }
        (new, _) => new,
    }
}

/// Merges two equally new versions of an object; `None` if they cannot be written as JSON.
fn merge(old: &Object, new: &Object) -> Option<Object> {
    let mut base = serde_json::to_value(old).ok()?;
    merge_json(&mut base, serde_json::to_value(new).ok()?);
    Some(Object::from_value(old.kind(), &base))
}

/// Merges `update` into `base`: objects key by key, lists of objects by their `id`, lists of
/// strings as a union; otherwise a present value in `update` wins. `null` and empty strings in
/// `update` never erase what `base` knows.
fn merge_json(base: &mut Value, update: Value) {
    match (base, update) {
        (Value::Object(base), Value::Object(update)) => {
            for (key, value) in update {
                match base.get_mut(&key) {
                    Some(existing) => merge_json(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (Value::Array(base), Value::Array(update)) => {
            for item in update {
                let item_id = item.get("id").and_then(Value::as_str).map(str::to_string);
                let position = base.iter().position(|existing| match &item_id {
                    Some(id) => existing.get("id").and_then(Value::as_str) == Some(id.as_str()),
                    None => *existing == item,
                });
                match position {
                    Some(position) => merge_json(&mut base[position], item),
                    None => base.push(item),
                }
            }
        }
        (_, Value::Null) => {}
        (_, Value::String(text)) if text.is_empty() => {}
        (base, update) => *base = update,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(base: Value, update: Value, expected: Value) {
        let mut merged = base.clone();
        merge_json(&mut merged, update.clone());
        assert_eq!(merged, expected, "base: {base}, update: {update}");
    }

    #[test]
    fn versions_merge_field_by_field() {
        check(json!({"a": 1}), json!({"b": 2}), json!({"a": 1, "b": 2}));
        check(json!({"a": 1}), json!({"a": null}), json!({"a": 1}));
        check(json!({"a": "x"}), json!({"a": ""}), json!({"a": "x"}));
        check(json!({"a": "x"}), json!({"a": "y"}), json!({"a": "y"}));
        check(
            json!(["u1", "u2"]),
            json!(["u2", "u3"]),
            json!(["u1", "u2", "u3"]),
        );
        check(
            json!([{"id": "f1", "name": "A"}]),
            json!([{"id": "f1", "text": "T"}, {"id": "f2"}]),
            json!([{"id": "f1", "name": "A", "text": "T"}, {"id": "f2"}]),
        );
    }
}
