//! OParl JSON (1.0, 1.1 and the 2015 draft) and the flat Stadtratmonitor export → [`Record`]s.
//!
//! Three layers, each usable on its own:
//!
//! - the object model (`Paper`, `Meeting`, `Organization` …, [`Object`], [`Link`]) read leniently
//!   from what real servers send ([`read`] gives a [`Document`] with its objects, `links` and
//!   `pagination`; [`list_next`] just the next page);
//! - the [`Catalog`] of everything a crawl has seen, which resolves URLs to names, dates and
//!   results;
//! - the mapping of a Paper to a [`Record`]: [`parse`] for one document on its own,
//!   [`parse_with`] for one document against a catalog of the rest of a crawl.
//!
//! ```
//! let page = br#"{"data": [{"id": "https://example.org/paper/1",
//!     "type": "https://schema.oparl.org/1.1/Paper", "reference": "1234/2014",
//!     "name": "Antwort auf Anfrage", "date": "2014-04-04", "web": "N/A"}],
//!     "links": {"next": "https://example.org/paper?page=2"}}"#;
//! let records = ingest::oparl::parse("paper.json", page).unwrap();
//! assert_eq!(records[0].paper.reference, "1234/2014");
//! assert_eq!(records[0].paper.web_url, None);
//! assert_eq!(ingest::oparl::list_next(page).as_deref(), Some("https://example.org/paper?page=2"));
//! ```

mod catalog;
mod document;
mod model;
mod quirks;
mod stadtratmonitor;

use std::collections::HashSet;

pub use catalog::{Catalog, DeletedPaper};
pub use document::{list_next, Document, Links, Pagination};
pub use model::{
    AgendaItem, Body, Consultation, File, Kind, LegislativeTerm, Link, Location, Meeting,
    Membership, OParlObject, Object, Organization, Paper, Person, System, Version,
};
pub use quirks::clean_name;

use crate::reference::Reference;
use crate::{fraction, record, Record, Result, Warning};

/// Parses one OParl document (an object, an array or a list page) or a Stadtratmonitor export
/// into records: one per paper that is not deleted. Other objects (System, Body, Meeting …)
/// yield no record. URLs are resolved only against objects in the same document; use
/// [`parse_with`] or a [`Catalog`] to resolve against a whole crawl.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Vec<Record>> {
    let mut catalog = Catalog::default();
    catalog.add(name, bytes)?;
    Ok(catalog.records())
}

/// Parses one document like [`parse`], resolving committee, meeting, person and paper URLs
/// against `context` as well (the rest of a crawl) where the document itself lacks them.
pub fn parse_with(context: &Catalog, name: &str, bytes: &[u8]) -> Result<Vec<Record>> {
    let mut local = Catalog::default();
    local.add(name, bytes)?;
    let scope = Scope {
        local: &local,
        context: Some(context),
    };
    let mut records = scope.records();
    // Flat exports carry no URLs, so the context adds nothing to them.
    records.extend(local.flat_records().iter().cloned());
    Ok(records)
}

/// Reads one OParl document into its objects, for crawlers: the objects are read leniently,
/// deleted ones included, embedded ones left in their parents.
pub fn read(name: &str, bytes: &[u8]) -> Result<Document> {
    let value = document::read_json(bytes)?;
    Document::from_value(name, &value)
}

/// Returns the papers a document reports as deleted (`"deleted": true`), so a sync can remove
/// them from an index.
pub fn deleted_papers(name: &str, bytes: &[u8]) -> Result<Vec<DeletedPaper>> {
    let mut catalog = Catalog::default();
    catalog.add(name, bytes)?;
    Ok(catalog.deleted_papers())
}

/// Tells whether an organization is a council group (Fraktion) rather than a committee,
/// an administrative unit or a party: its `classification` or `organizationType` says so
/// (Sternberg: `"organizationType": "Fraktion"`; ALLRIS: `"classification": "Fraktion"`).
pub fn is_fraction(organization: &Organization) -> bool {
    [
        &organization.classification,
        &organization.organization_type,
    ]
    .into_iter()
    .flatten()
    .any(|kind| kind.to_lowercase().contains("fraktion"))
}

/// Where URLs are looked up: the document being mapped first, then the rest of the crawl.
struct Scope<'a> {
    local: &'a Catalog,
    context: Option<&'a Catalog>,
}

impl<'a> Scope<'a> {
    /// Maps every paper of the local catalog that is not deleted.
    fn records(&self) -> Vec<Record> {
        self.local
            .papers()
            .filter_map(|(paper, source)| {
                let record = self.record(paper, source);
                if record.is_none() {
                    tracing::warn!(source, "skipping oparl paper without reference and id");
                }
                record
            })
            .collect()
    }

    fn get<T: OParlObject>(&self, id: &str) -> Option<&'a T> {
        self.local
            .get::<T>(id)
            .or_else(|| self.context.and_then(|context| context.get::<T>(id)))
    }

    /// Returns the catalogued version of a linked object (which merges all copies seen), else
    /// the embedded one.
    fn resolve<T: OParlObject>(&self, link: &'a Link<T>) -> Option<&'a T> {
        link.id()
            .and_then(|id| self.get::<T>(id))
            .or_else(|| link.object())
    }

    fn record(&self, paper: &'a Paper, source: &str) -> Option<Record> {
        let mut warnings = Vec::new();
        let reference = match (&paper.reference, &paper.id) {
            (Some(reference), _) => reference.clone(),
            (None, Some(id)) => {
                warnings.push(Warning::new(
                    "paper has no reference; its oparl id stands in",
                ));
                id.clone()
            }
            (None, None) => return None,
        };
        let title = paper.name.clone().unwrap_or_else(|| {
            warnings.push(Warning::new("paper has no name"));
            String::new()
        });
        let consultations = self.consultations(paper, &mut warnings);
        let date = paper
            .date
            .or(paper.published_date)
            .or_else(|| consultations.iter().filter_map(|step| step.date).min());
        if date.is_none() {
            warnings.push(Warning::new("paper has no date and no dated consultation"));
        }
        let (originator, fractions) = self.originator(paper, &mut warnings);
        let body = match &paper.body {
            Some(url) => self
                .get::<Body>(url)
                .and_then(|body| body.name.clone())
                .unwrap_or_else(|| url.clone()),
            None => String::new(),
        };
        let record_paper = record::Paper {
            body,
            reference_parts: Reference::parse(&reference),
            reference,
            title,
            public: paper.public != Some(false),
            paper_type: paper.paper_type.clone(),
            originator,
            fractions,
            date,
            consultations,
            family: self.family(paper),
            files: self.files(paper, &mut warnings),
            source: source.to_string(),
            web_url: paper.web.clone(),
            ..record::Paper::default()
        };
        Some(Record {
            paper: record_paper,
            warnings,
        })
    }

    /// Names the submitters, organizations first, and picks out the council groups among them.
    fn originator(
        &self,
        paper: &'a Paper,
        warnings: &mut Vec<Warning>,
    ) -> (Option<String>, Vec<String>) {
        let mut submitters: Vec<Option<Submitter<'a>>> = Vec::new();
        for link in &paper.originator_organization {
            submitters.push(self.resolve(link).map(Submitter::Organization));
        }
        // The 2015 draft mixes organizations and persons in one `originator` list.
        for url in &paper.originator {
            let organization = self.get::<Organization>(url).map(Submitter::Organization);
            submitters
                .push(organization.or_else(|| self.get::<Person>(url).map(Submitter::Person)));
        }
        for link in &paper.originator_person {
            submitters.push(self.resolve(link).map(Submitter::Person));
        }
        let mut names: Vec<String> = Vec::new();
        let mut group_names: Vec<String> = Vec::new();
        let mut n_unresolved = 0;
        for submitter in submitters {
            match submitter {
                Some(Submitter::Organization(organization)) => {
                    let Some(name) = &organization.name else {
                        n_unresolved += 1;
                        continue;
                    };
                    if is_fraction(organization) {
                        group_names.push(name.clone());
                    }
                    names.push(name.clone());
                }
                Some(Submitter::Person(person)) => match person_name(person) {
                    Some(name) => names.push(name),
                    None => n_unresolved += 1,
                },
                None => n_unresolved += 1,
            }
        }
        if n_unresolved > 0 {
            warnings.push(Warning::new(format!(
                "{n_unresolved} originators not named: their objects were not loaded"
            )));
        }
        dedup(&mut names);
        let originator = (!names.is_empty()).then(|| names.join("; "));
        let mut fractions = Vec::new();
        for name in group_names {
            let normalised = fraction::fractions(&name);
            if normalised.is_empty() {
                fractions.push(name);
            } else {
                fractions.extend(normalised);
            }
        }
        if let Some(originator) = &originator {
            fractions.extend(fraction::fractions(originator));
        }
        dedup(&mut fractions);
        (originator, fractions)
    }

    /// The Beratungsfolge: embedded or linked consultations, plus standalone ones that name
    /// the paper.
    fn consultations(
        &self,
        paper: &'a Paper,
        warnings: &mut Vec<Warning>,
    ) -> Vec<record::Consultation> {
        let mut found: Vec<&'a Consultation> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut n_unresolved = 0;
        for link in &paper.consultation {
            match self.resolve(link) {
                Some(consultation) => found.push(consultation),
                None => n_unresolved += 1,
            }
        }
        if let Some(paper_id) = &paper.id {
            let catalogs = std::iter::once(self.local).chain(self.context);
            for catalog in catalogs {
                for id in catalog.consultations_of_paper(paper_id) {
                    if let Some(consultation) = self.get::<Consultation>(id) {
                        found.push(consultation);
                    }
                }
            }
        }
        found.retain(|consultation| match consultation.id.as_deref() {
            Some(id) => seen.insert(id),
            None => true,
        });
        if n_unresolved > 0 {
            warnings.push(Warning::new(format!(
                "{n_unresolved} consultations not read: their objects were not loaded"
            )));
        }
        let steps: Vec<record::Consultation> = found
            .into_iter()
            .filter(|consultation| !consultation.is_deleted())
            .map(|consultation| self.consultation(consultation))
            .collect();
        let n_unnamed = steps
            .iter()
            .filter(|step| step.organization.is_empty())
            .count();
        if n_unnamed > 0 {
            warnings.push(Warning::new(format!(
                "{n_unnamed} of {} consultations name no committee: their organizations were not loaded",
                steps.len()
            )));
        }
        steps
    }

    fn consultation(&self, consultation: &'a Consultation) -> record::Consultation {
        let agenda_item = consultation
            .agenda_item
            .as_ref()
            .and_then(|link| self.resolve(link))
            .or_else(|| {
                let id = consultation.id.as_deref()?;
                let catalogs = std::iter::once(self.local).chain(self.context);
                catalogs
                    .filter_map(|catalog| catalog.agenda_item_of_consultation(id))
                    .find_map(|item_id| self.get::<AgendaItem>(item_id))
            });
        let meeting = consultation
            .meeting
            .as_ref()
            .and_then(|link| self.resolve(link))
            .or_else(|| self.get::<Meeting>(agenda_item?.meeting.as_deref()?));
        let mut committees: Vec<String> = consultation
            .organization
            .iter()
            .filter_map(|link| self.resolve(link)?.name.clone())
            .collect();
        if committees.is_empty() {
            if let Some(meeting) = meeting {
                committees = meeting
                    .organization
                    .iter()
                    .filter_map(|link| self.resolve(link)?.name.clone())
                    .collect();
            }
        }
        dedup(&mut committees);
        let start = meeting
            .and_then(|meeting| meeting.start)
            .or_else(|| agenda_item.and_then(|item| item.start));
        record::Consultation {
            organization: committees.join(", "),
            date: start.map(|start| start.date_naive()),
            role: consultation.role.clone(),
            result: agenda_item.and_then(|item| item.result.clone()),
            place: meeting.and_then(|meeting| self.place(meeting)),
        }
    }

    fn place(&self, meeting: &'a Meeting) -> Option<String> {
        if let Some(location) = meeting
            .location
            .as_ref()
            .and_then(|link| self.resolve(link))
        {
            if let Some(description) = &location.description {
                return Some(description.clone());
            }
            return address(&[
                &location.room,
                &location.street_address,
                &location.postal_code,
                &location.locality,
            ]);
        }
        // The 2015 draft puts the address on the meeting itself.
        address(&[
            &meeting.room,
            &meeting.street_address,
            &meeting.postal_code,
            &meeting.locality,
        ])
    }

    /// The paper's own document first, then its attachments, each once.
    fn files(&self, paper: &'a Paper, warnings: &mut Vec<Warning>) -> Vec<record::File> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut files = Vec::new();
        let mut n_unresolved = 0;
        for link in paper.main_file.iter().chain(&paper.auxiliary_file) {
            let Some(file) = self.resolve(link) else {
                n_unresolved += 1;
                continue;
            };
            if file.is_deleted() || file.id.as_deref().is_some_and(|id| !seen.insert(id)) {
                continue;
            }
            files.push(file_record(file));
        }
        if n_unresolved > 0 {
            warnings.push(Warning::new(format!(
                "{n_unresolved} files not read: their objects were not loaded"
            )));
        }
        files
    }

    /// Related, superordinated and subordinated papers, by reference where the catalog knows
    /// them, else by their OParl id.
    fn family(&self, paper: &'a Paper) -> Vec<record::FamilyMember> {
        let links = paper
            .related_paper
            .iter()
            .chain(&paper.superordinated_paper)
            .chain(&paper.subordinated_paper);
        let mut members: Vec<record::FamilyMember> = Vec::new();
        for link in links {
            if link.id().is_some() && link.id() == paper.id.as_deref() {
                continue;
            }
            let member = match self.resolve(link) {
                Some(relative) => {
                    let Some(reference) = relative.reference.clone().or(relative.id.clone()) else {
                        continue;
                    };
                    record::FamilyMember {
                        reference,
                        title: relative.name.clone(),
                        originator: None,
                        paper_type: relative.paper_type.clone(),
                    }
                }
                None => match link.id() {
                    Some(id) => record::FamilyMember {
                        reference: id.to_string(),
                        ..record::FamilyMember::default()
                    },
                    None => continue,
                },
            };
            if !members
                .iter()
                .any(|known| known.reference == member.reference)
            {
                members.push(member);
            }
        }
        members
    }
}

/// A submitter of a paper.
enum Submitter<'a> {
    Organization(&'a Organization),
    Person(&'a Person),
}

fn person_name(person: &Person) -> Option<String> {
    if let Some(name) = &person.name {
        return Some(name.clone());
    }
    let parts: Vec<&str> = [&person.given_name, &person.family_name]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn address(parts: &[&Option<String>]) -> Option<String> {
    let parts: Vec<&str> = parts.iter().filter_map(|part| part.as_deref()).collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn file_record(file: &File) -> record::File {
    let url = file
        .access_url
        .clone()
        .or_else(|| file.download_url.clone());
    let name = file
        .name
        .clone()
        .or_else(|| file.file_name.clone())
        .or_else(|| {
            let last = url.as_deref()?.rsplit('/').next()?;
            (!last.is_empty()).then(|| last.to_string())
        })
        .unwrap_or_default();
    record::File {
        name,
        url,
        pages: file.text.as_deref().map(split_pages).unwrap_or_default(),
    }
}

/// Splits extracted text into pages at form feeds, as `pdftotext` writes them; the empty
/// "page" after a final form feed is dropped.
fn split_pages(text: &str) -> Vec<String> {
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
    if pages.len() > 1 && pages.last().is_some_and(|page| page.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn dedup(items: &mut Vec<String>) {
    let mut seen = HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}
