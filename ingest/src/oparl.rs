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
use std::sync::LazyLock;

pub use catalog::{Catalog, DeletedPaper};
pub use document::{list_next, Document, Links, Pagination};
pub use model::{
    AgendaItem, Body, Consultation, File, Kind, LegislativeTerm, Link, Location, Meeting,
    Membership, OParlObject, Object, Organization, Paper, Person, System, Version,
};
pub use quirks::clean_name;
use regex::Regex;

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
        let (mut originator, mut fractions) = self.originator(paper, &mut warnings);
        if originator.is_none() {
            if let Some((group, named)) = title_submitter(&title) {
                originator = Some(group);
                fractions = named;
            }
        }
        // The Body's name where the Body was loaded, else its URL, so that papers of two
        // servers never share an upsert key (body, reference). A crawl ingested with its Body
        // object gets the name.
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
/// "page" after a final form feed is dropped. Servers send the text with the PDF's line-end
/// hyphenation (`Sporthal-` / `len`), which is joined as in our own PDF extraction, so the
/// words are found whole (an Ergänzungsstrich before `und` stays).
fn split_pages(text: &str) -> Vec<String> {
    let mut pages: Vec<String> = text
        .split('\x0c')
        .map(crate::pdf::hyphenation::join_line_ends)
        .collect();
    if pages.len() > 1 && pages.last().is_some_and(|page| page.trim().is_empty()) {
        pages.pop();
    }
    pages
}

#[cfg(test)]
#[test]
fn file_text_gets_its_line_end_hyphenation_joined() {
    let pages = split_pages(
        "Neue Sporthal-\nlen für Schulen. Bau-\nund Umweltausschuss, Bürgermeister-\nStellvertreter\x0cKosten: 500,-\nEuro\x0c",
    );
    assert_eq!(
        pages,
        [
            "Neue Sporthallen für Schulen. Bau-\nund Umweltausschuss, Bürgermeister-Stellvertreter",
            "Kosten: 500,-\nEuro",
        ]
    );
    assert_eq!(
        split_pages("ohne Trennung\nzwei Zeilen\n"),
        ["ohne Trennung\nzwei Zeilen\n"]
    );
}

fn dedup(items: &mut Vec<String>) {
    let mut seen = HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}

/// `Antrag CDU: Luftreinhalteplan`, `Anfrage GRÜNE: Tarifbindung`: a title that names its
/// submitting group before a colon, as Karlsruhe's papers do where the OParl objects name no
/// originator.
static TITLE_SUBMITTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:Interfraktioneller|Gemeinsamer)\s+)?(?:Antrag|Anfrage|Änderungsantrag|Ergänzungsantrag|Änderungs-\s*und\s+Ergänzungsantrag)\s+(?:der\s+|von\s+)?([^:]{1,80}?)\s*:\s*\S",
    )
    .expect("the title pattern is valid")
});

/// The submitter a paper's title names (`CDU` of `Antrag CDU: …`) with the council groups it
/// stands for, when it names at least one group (`Antrag auf Zuschuss: …` names none).
fn title_submitter(title: &str) -> Option<(String, Vec<String>)> {
    let submitter = TITLE_SUBMITTER
        .captures(title.trim())?
        .get(1)?
        .as_str()
        .trim();
    let named = fraction::fractions(submitter);
    (!named.is_empty()).then(|| (submitter.to_string(), named))
}

#[cfg(test)]
mod tests {
    use crate::fixtures::XorShift;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::*;
    use crate::Error;

    /// One line per record, for table-shaped assertions.
    fn summary(record: &Record) -> String {
        let paper = &record.paper;
        let consultations: Vec<String> = paper
            .consultations
            .iter()
            .map(|step| {
                let date = step.date.map(|date| date.to_string()).unwrap_or_default();
                let role = step.role.as_deref().unwrap_or("");
                let result = step.result.as_deref().unwrap_or("");
                format!("{}@{date}/{role}/{result}", step.organization)
            })
            .collect();
        let files: Vec<String> = paper
            .files
            .iter()
            .map(|file| format!("{}:{}", file.name, file.pages.len()))
            .collect();
        let family: Vec<&str> = paper.family.iter().map(|m| m.reference.as_str()).collect();
        format!(
            "{} | {} | {} | {} | {} | {} | [{}] | [{}] | [{}]",
            paper.reference,
            paper.title,
            paper.paper_type.as_deref().unwrap_or(""),
            paper.date.map(|date| date.to_string()).unwrap_or_default(),
            paper.originator.as_deref().unwrap_or(""),
            paper.fractions.join(","),
            consultations.join("; "),
            files.join("; "),
            family.join(", "),
        )
    }

    fn check(json: &str, expected: &[&str]) {
        let records = parse("test.json", json.as_bytes()).unwrap();
        let actual: Vec<String> = records.iter().map(summary).collect();
        assert_eq!(actual, expected, "json: {json}");
    }

    /// The shared corpus folder, or `None` (with the reason printed) when it is absent.
    fn corpus(path: &str) -> Option<PathBuf> {
        let full = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/corpus")
            .join(path);
        if full.exists() {
            Some(full)
        } else {
            eprintln!("skipping: {} is absent", full.display());
            None
        }
    }

    /// The `.json` files of a folder, sorted by name, with their bytes.
    fn json_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| (path.display().to_string(), std::fs::read(&path).unwrap()))
            .collect()
    }

    /// The files of a `.tar.zst` archive, unpacked with the `zstd` command in memory, or
    /// `None` (with the reason printed) when `zstd` is not installed.
    fn unpack(archive: &Path) -> Option<Vec<(String, Vec<u8>)>> {
        let output = match Command::new("zstd").arg("-dc").arg(archive).output() {
            Ok(output) if output.status.success() => output,
            _ => {
                eprintln!("skipping: `zstd -dc {}` failed", archive.display());
                return None;
            }
        };
        Some(untar(&output.stdout))
    }

    /// Reads the regular files of a ustar archive.
    fn untar(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut offset = 0;
        while offset + 512 <= bytes.len() {
            let header = &bytes[offset..offset + 512];
            if header.iter().all(|&byte| byte == 0) {
                break;
            }
            let field = |start: usize, end: usize| {
                String::from_utf8_lossy(&header[start..end])
                    .trim_end_matches('\0')
                    .trim()
                    .to_string()
            };
            let size = usize::from_str_radix(&field(124, 136), 8).unwrap();
            let (prefix, name) = (field(345, 500), field(0, 100));
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let start = offset + 512;
            if matches!(header[156], b'0' | 0) {
                files.push((path, bytes[start..start + size].to_vec()));
            }
            offset = start + size.div_ceil(512) * 512;
        }
        files.sort();
        files
    }

    #[test]
    fn papers_are_mapped() {
        // Paper-01 of the spec, cut down: URL-only references stay unnamed.
        check(
            r#"{"id": "https://x/paper/749", "type": "https://schema.oparl.org/1.1/Paper",
                "name": "Antwort auf Anfrage 1200/2014", "reference": "1234/2014",
                "date": "2014-04-04", "paperType": "Beantwortung einer Anfrage",
                "relatedPaper": ["https://x/paper/699"],
                "mainFile": {"id": "https://x/files/1", "name": "Anfrage",
                             "accessUrl": "https://x/files/1.pdf", "text": "Seite 1\fSeite 2\f"},
                "consultation": [{"id": "https://x/consultation/1", "role": "Beschlussfassung",
                                  "organization": ["https://x/organization/96"]}]}"#,
            &["1234/2014 | Antwort auf Anfrage 1200/2014 | Beantwortung einer Anfrage | 2014-04-04 \
               |  |  | [@/Beschlussfassung/] | [Anfrage:2] | [https://x/paper/699]"],
        );
        // Everything embedded: names, dates and results resolve; the date falls back on the
        // earliest consultation; a single auxiliaryFile object counts as a list (ALLRIS, as
        // meine-stadt-transparent's CCEgovLoader notes; no file in our corpus has it).
        check(
            r#"{"data": [
                {"id": "https://x/meeting/2", "type": "https://schema.oparl.org/1.0/Meeting",
                 "start": "2020-03-05T18:00:00+01:00",
                 "location": {"id": "https://x/location/1", "room": "Ratssaal"},
                 "organization": [{"id": "https://x/organization/1", "name": "Rat",
                                   "organizationType": "Gremium"}],
                 "agendaItem": [{"id": "https://x/agendaitem/7", "result": "beschlossen",
                                 "consultation": "https://x/consultation/5"}]},
                {"id": "https://x/paper/1", "type": "https://schema.oparl.org/1.0/Paper",
                 "name": "Radweg", "reference": "12/2020", "web": "N/A", "date": "",
                 "originatorOrganization": [{"id": "https://x/organization/3",
                     "name": "SPD-Fraktion", "classification": "Fraktion"}],
                 "auxiliaryFile": {"id": "https://x/file/9", "fileName": "plan.pdf"},
                 "consultation": [{"id": "https://x/consultation/5",
                                   "meeting": "https://x/meeting/2",
                                   "organization": "https://x/organization/1",
                                   "role": "Entscheidung"}]},
                {"id": "https://x/paper/2", "deleted": true}
            ]}"#,
            &[
                "12/2020 | Radweg |  | 2020-03-05 | SPD-Fraktion | SPD-Fraktion \
               | [Rat@2020-03-05/Entscheidung/beschlossen] | [plan.pdf:0] | []",
            ],
        );
        // A list of papers that reference each other names the relatives by reference.
        check(
            r#"[{"id": "https://x/paper/1", "type": "Paper", "reference": "A-1", "name": "Antrag",
                 "subordinatedPaper": ["https://x/paper/2", "https://x/paper/1"]},
                {"id": "https://x/paper/2", "type": "Paper", "reference": "A-1-NF",
                 "superordinatedPaper": {"id": "https://x/paper/1"}}]"#,
            &[
                "A-1 | Antrag |  |  |  |  | [] | [] | [A-1-NF]",
                "A-1-NF |  |  |  |  |  | [] | [] | [A-1]",
            ],
        );
        // Neither reference nor id: no record can be keyed.
        check(r#"{"type": "Paper", "name": "Ohne Nummer"}"#, &[]);
        check(
            r#"{"type": "Paper", "id": "https://x/paper/3", "public": false}"#,
            &["https://x/paper/3 |  |  |  |  |  | [] | [] | []"],
        );
    }

    #[test]
    fn non_public_and_deleted_papers_are_told_apart() {
        let json = br#"[{"id": "https://x/paper/1", "type": "Paper", "reference": "1/20",
                         "public": false},
                        {"id": "https://x/paper/2", "type": "Paper", "reference": "2/20"},
                        {"id": "https://x/paper/3", "type": "Paper", "deleted": true,
                         "modified": "2021-01-01T00:00:00+01:00"}]"#;
        let records = parse("test.json", json).unwrap();
        let public: Vec<(&str, bool)> = records
            .iter()
            .map(|record| (record.paper.reference.as_str(), record.paper.public))
            .collect();
        assert_eq!(public, [("1/20", false), ("2/20", true)]);
        let deleted = deleted_papers("test.json", json).unwrap();
        assert_eq!(deleted.len(), 1);
        assert_eq!(deleted[0].id, "https://x/paper/3");

        // A deletion stub that is newer than the paper replaces it and keeps its reference.
        let mut catalog = Catalog::default();
        let paper = br#"{"id": "https://x/paper/4", "type": "Paper", "reference": "4/20",
                         "modified": "2020-01-01T00:00:00+01:00"}"#;
        let stub = br#"{"id": "https://x/paper/4", "deleted": true,
                        "modified": "2020-02-01T00:00:00+01:00"}"#;
        catalog.add("page1.json", paper).unwrap();
        catalog.add("page2.json", stub).unwrap();
        assert!(catalog.records().is_empty());
        let deleted = catalog.deleted_papers();
        assert_eq!(deleted[0].reference.as_deref(), Some("4/20"));
        // An older copy seen later does not resurrect it.
        catalog.add("page0.json", paper).unwrap();
        assert!(catalog.records().is_empty());
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let error = |bytes: &[u8]| match parse("bad.json", bytes) {
            Err(Error::Json(_)) => "json",
            Err(Error::UnknownFormat(_)) => "format",
            Err(_) => "other",
            Ok(_) => "ok",
        };
        assert_eq!(error(b""), "json");
        assert_eq!(error(b"{\"type\": "), "json");
        assert_eq!(error(b"\xff\xfe{"), "json");
        assert_eq!(error(b"42"), "format");
        assert_eq!(error(b"{\"hello\": \"world\"}"), "format");
        assert_eq!(error(b"[1, 2, 3]"), "format");
        assert_eq!(error(b"[]"), "ok");
        assert_eq!(error(b"{\"data\": 5}"), "format");
        assert_eq!(error(b"{\"data\": [], \"links\": {}}"), "ok");
    }

    #[test]
    fn spec_examples_of_every_version_parse() {
        for (dir, version) in [
            ("oparl/spec-v1.0.7", Version::OParl10),
            ("oparl/spec-v1.1.1", Version::OParl11),
            ("oparl/spec-draft-2015", Version::Draft2015),
        ] {
            let Some(dir) = corpus(dir) else { return };
            let files = json_files(&dir);
            assert!(files.len() >= 7, "{}", dir.display());
            for (name, bytes) in &files {
                let document = read(name, bytes).unwrap();
                assert_eq!(document.objects.len(), 1, "{name}");
                let object = &document.objects[0];
                let written = serde_json::to_value(object).unwrap();
                match written["type"].as_str() {
                    Some(type_uri) => {
                        assert_eq!(Version::from_type(type_uri), Some(version), "{name}");
                    }
                    // The draft's Membership-02.json has no `type`: its URL names the kind.
                    None => assert_eq!(object.kind(), Kind::Membership, "{name}"),
                }
                let records = parse(name, bytes).unwrap();
                let expected = usize::from(object.kind() == Kind::Paper);
                assert_eq!(records.len(), expected, "{name}");
            }
            let paper = &files
                .iter()
                .find(|(name, _)| name.ends_with("Paper-01.json"))
                .unwrap();
            let records = parse(&paper.0, &paper.1).unwrap();
            let (consultations, files) = if version == Version::Draft2015 {
                // The draft links consultations and files by URL only.
                ("[]", "[]")
            } else {
                (
                    "[@/Beschlussfassung/]",
                    "[Anlage 1 zur Anfrage:0; Anlage 1 zur Anfrage:1]",
                )
            };
            assert_eq!(
                summary(&records[0]),
                format!(
                    "1234/2014 | Antwort auf Anfrage 1200/2014 | Beantwortung einer Anfrage \
                     | 2014-04-04 |  |  | {consultations} | {files} \
                     | [https://oparl.example.org/paper/699]"
                ),
                "{version:?}: {:?}",
                records[0].warnings
            );
        }
    }

    #[test]
    fn spec_schemas_are_not_oparl_objects() {
        let Some(dir) = corpus("oparl/spec-schema-v1.1.1") else {
            return;
        };
        let files = json_files(&dir);
        assert_eq!(files.len(), 12);
        for (name, bytes) in &files {
            assert!(
                matches!(parse(name, bytes), Err(Error::UnknownFormat(_))),
                "{name}"
            );
        }
    }

    #[test]
    fn real_bodies_and_systems_yield_no_records() {
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for dir in [
            "oparl/mst/bodies",
            "oparl/mst/systems",
            "oparl/mst/oparl-missing-wuppertal",
        ] {
            let Some(dir) = corpus(dir) else { return };
            for (name, bytes) in json_files(&dir) {
                assert!(parse(&name, &bytes).unwrap().is_empty(), "{name}");
                for object in read(&name, &bytes).unwrap().objects {
                    *kinds.entry(object.kind().name()).or_default() += 1;
                }
            }
        }
        let expected = BTreeMap::from([("Body", 30), ("Meeting", 1), ("System", 30)]);
        assert_eq!(kinds, expected);
    }

    #[test]
    fn quirk_n_a_is_no_link() {
        // mst/systems/Stadt_Leipzig.json: `"name": "N/A"`, `"website": "N/A"`.
        let Some(path) = corpus("oparl/mst/systems/Stadt_Leipzig.json") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let document = read("Stadt_Leipzig.json", &bytes).unwrap();
        let system = document.objects[0].get::<System>().unwrap();
        assert_eq!(system.website, None);
        assert_eq!(system.name, None);
        assert_eq!(system.contact_name.as_deref(), Some("Stadt Leipzig"));
        assert_eq!(
            system.product.as_deref(),
            Some("http://cc-egov.de/produkte/allris")
        );
    }

    #[test]
    fn quirk_empty_strings_are_no_dates() {
        // mst/bodies/Stadt_Leipzig.json: `"created": ""` and `"shortName": ""`.
        let Some(path) = corpus("oparl/mst/bodies/Stadt_Leipzig.json") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let document = read("Stadt_Leipzig.json", &bytes).unwrap();
        let body = document.objects[0].get::<Body>().unwrap();
        assert_eq!(body.created, None);
        assert_eq!(body.short_name, None);
        assert_eq!(body.name.as_deref(), Some("Stadt Leipzig"));
        assert_eq!(
            body.modified.map(|stamp| stamp.to_rfc3339()).as_deref(),
            Some("2018-12-17T14:48:52+01:00")
        );
        let terms: Vec<String> = body
            .legislative_term
            .iter()
            .filter_map(Link::object)
            .map(|term| format!("{:?} {:?}", term.name, term.start_date))
            .collect();
        assert_eq!(
            terms,
            [
                "Some(\"Wahlperiode V\") Some(2009-11-11)",
                "Some(\"Wahlperiode VI\") Some(2014-12-18)"
            ]
        );
    }

    #[test]
    fn quirk_control_bytes_and_mojibake_in_names() {
        // mst/misc/braunschweig_paper_broken_mojibake.json: raw control bytes inside the name
        // (invalid JSON for a strict parser), CP850 mojibake and an escaped slash.
        let Some(path) = corpus("oparl/mst/misc/braunschweig_paper_broken_mojibake.json") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_err());
        let records = parse("braunschweig.json", &bytes).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(
            summary(&records[0]),
            "1664/99 | Volkshochschule Braunschweig e. V. Umwandlung in eine Gesellschaft mit \
             beschränkter Haftung (GmbH) |  | 1999-02-08 |  |  | [] | [] | []"
                .replace("1999-02-08", ""),
        );
        assert_eq!(
            records[0].paper.web_url.as_deref(),
            Some("https://ratsinfo.braunschweig.de/bi/vo020.asp?VOLFDNR=1664")
        );
    }

    #[test]
    fn quirk_non_oparl_json_is_an_unknown_format() {
        // mst/misc/body_to_ags.json maps body names to municipality keys.
        let Some(path) = corpus("oparl/mst/misc/body_to_ags.json") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        assert!(matches!(
            parse("body_to_ags.json", &bytes),
            Err(Error::UnknownFormat(_))
        ));
    }

    #[test]
    fn quirk_duplicated_ids_are_merged() {
        // spec-draft-2015/Organization-01.json and -02.json are two versions of organization/34.
        let Some(dir) = corpus("oparl/spec-draft-2015") else {
            return;
        };
        let first = std::fs::read(dir.join("Organization-01.json")).unwrap();
        let second = std::fs::read(dir.join("Organization-02.json")).unwrap();
        for order in [[&first, &second], [&second, &first]] {
            let mut catalog = Catalog::default();
            for bytes in order {
                catalog.add("organization.json", bytes).unwrap();
            }
            assert_eq!(catalog.len(), 1);
            let organization = catalog
                .get::<Organization>("https://oparl.example.org/organization/34")
                .unwrap();
            assert_eq!(organization.classification.as_deref(), Some("Ausschuss"));
            assert_eq!(organization.short_name.as_deref(), Some("Finanzausschuss"));
            assert_eq!(organization.meeting.len(), 12 + 4);
            assert!(!is_fraction(organization));
        }
    }

    /// Counts over Karlsruhe records: (records, with reference, title, type and date,
    /// files, files with text, consultations, named consultations, dated, with result).
    fn karlsruhe_counts(records: &[Record]) -> [usize; 10] {
        let papers = records.iter().map(|record| &record.paper);
        let steps = || papers.clone().flat_map(|paper| &paper.consultations);
        let files = || papers.clone().flat_map(|paper| &paper.files);
        [
            records.len(),
            papers
                .clone()
                .filter(|paper| {
                    !paper.reference.is_empty()
                        && !paper.title.is_empty()
                        && paper.paper_type.is_some()
                        && paper.date.is_some()
                })
                .count(),
            files().count(),
            files().filter(|file| !file.pages.is_empty()).count(),
            steps().count(),
            steps().filter(|step| !step.organization.is_empty()).count(),
            steps().filter(|step| step.date.is_some()).count(),
            steps().filter(|step| step.result.is_some()).count(),
            papers.clone().filter(|paper| paper.public).count(),
            papers.clone().filter(|paper| paper.body.is_empty()).count(),
        ]
    }

    #[test]
    fn karlsruhe_papers_parse_one_by_one() {
        // 280 OParl 1.1 papers, none with a mainFile (their documents are all auxiliaryFile).
        let Some(dir) = corpus("oparl/karlsruhe/papers-sample") else {
            return;
        };
        let mut records = Vec::new();
        for (name, bytes) in json_files(&dir) {
            let document = read(&name, &bytes).unwrap();
            let paper = document.objects[0].get::<Paper>().unwrap();
            assert!(paper.main_file.is_none() && !paper.auxiliary_file.is_empty());
            let mut parsed = parse(&name, &bytes).unwrap();
            assert_eq!(parsed.len(), 1, "{name}");
            records.append(&mut parsed);
        }
        assert_eq!(
            karlsruhe_counts(&records),
            [280, 280, 757, 0, 303, 0, 0, 0, 280, 0]
        );
        let mut types: BTreeMap<&str, usize> = BTreeMap::new();
        for record in &records {
            *types
                .entry(record.paper.paper_type.as_deref().unwrap())
                .or_default() += 1;
        }
        assert_eq!(types["Beschlussvorlage"], 110);
        assert_eq!(types["Antrag"], 50);
        assert_eq!(types["Anfrage"], 45);
        assert_eq!(types["Informationsvorlage"], 30);
        assert_eq!(types["Änderungs-/Ergänzungsantrag"], 25);
        // Without the organizations, each paper with consultations says why they are unnamed.
        let warned = records
            .iter()
            .filter(|record| {
                record
                    .warnings
                    .iter()
                    .any(|w| w.message.contains("name no committee"))
            })
            .count();
        assert_eq!(warned, 271);
        // No paper names its originator; 27 titles name a council group (`Antrag CDU: …`).
        let with_group = records
            .iter()
            .filter(|record| !record.paper.fractions.is_empty())
            .count();
        assert_eq!(with_group, 27);
        let first = records
            .iter()
            .find(|r| r.paper.reference == "16543")
            .unwrap();
        assert_eq!(
            summary(first),
            "16543 | Antrag CDU: Luftreinhalteplan | Beschlussvorlage | 2005-10-27 | CDU \
             | CDU-Fraktion | [@/unbekannt/] | [TOP 5:0; Vorlage TOP 05: Antrag CDU: Luftreinhalteplan:0; \
             Vorlage TOP 05: Antrag CDU: Luftreinhalteplan:0] | []"
        );
        assert_eq!(
            first.paper.files[0].url.as_deref(),
            Some("https://web1.karlsruhe.de/oparl/bodies/0001/downloadfiles/a/00027469.pdf")
        );
    }

    #[test]
    fn karlsruhe_file_text_is_kept() {
        let Some(dir) = corpus("oparl/karlsruhe/papers-with-text") else {
            return;
        };
        let mut records = Vec::new();
        for (name, bytes) in json_files(&dir) {
            records.append(&mut parse(&name, &bytes).unwrap());
        }
        // 750 files carry `text`, but 55 of those texts are blank (scans): 695 have pages.
        assert_eq!(
            karlsruhe_counts(&records),
            [280, 280, 757, 695, 303, 0, 0, 0, 280, 0]
        );
        let with_text = records
            .iter()
            .filter(|record| record.paper.files.iter().any(|file| !file.pages.is_empty()))
            .count();
        assert_eq!(with_text, 280);
        let first = records
            .iter()
            .find(|r| r.paper.reference == "16543")
            .unwrap();
        assert!(first.paper.files[0].pages[0].contains("Stellungnahme des Bürgermeisteramtes"));
    }

    #[test]
    fn karlsruhe_committees_meetings_and_results_resolve() {
        let Some(karlsruhe) = corpus("oparl/karlsruhe") else {
            return;
        };
        let mut catalog = Catalog::default();
        let organizations = std::fs::read(karlsruhe.join("organizations.json")).unwrap();
        assert_eq!(
            catalog.add("organizations.json", &organizations).unwrap(),
            97
        );
        let n_fractions = catalog
            .objects(Kind::Organization)
            .filter_map(|object| object.get::<Organization>())
            .filter(|organization| is_fraction(organization))
            .count();
        assert_eq!(
            n_fractions, 0,
            "Karlsruhe classifies no organization as Fraktion"
        );
        let papers = json_files(&karlsruhe.join("papers-sample"));
        // Resolved against the catalog one document at a time, as a sync would.
        let mut records = Vec::new();
        for (name, bytes) in &papers {
            records.append(&mut parse_with(&catalog, name, bytes).unwrap());
        }
        assert_eq!(
            karlsruhe_counts(&records),
            [280, 280, 757, 0, 303, 303, 0, 0, 280, 0]
        );
        let council = records
            .iter()
            .flat_map(|record| &record.paper.consultations)
            .filter(|step| step.organization == "Gemeinderat")
            .count();
        assert!(council > 50, "{council} consultations in the Gemeinderat");

        // With the meetings (and their agenda items) too, dates, places and results resolve.
        for (name, bytes) in json_files(&karlsruhe.join("meetings-sample")) {
            catalog.add(&name, &bytes).unwrap();
        }
        for (name, bytes) in &papers {
            catalog.add(name, bytes).unwrap();
        }
        let records = catalog.records();
        assert_eq!(
            karlsruhe_counts(&records),
            [280, 280, 757, 0, 303, 303, 10, 8, 280, 0]
        );
        let placed = records
            .iter()
            .flat_map(|record| &record.paper.consultations)
            .filter(|step| step.place.is_some())
            .count();
        assert!(placed > 0 && placed <= 10, "{placed}");
    }

    #[test]
    fn quirk_duplicated_papers_merge_their_file_text() {
        // papers-sample/ and papers-with-text/ hold the same 280 ids with equal `modified`.
        let Some(karlsruhe) = corpus("oparl/karlsruhe") else {
            return;
        };
        let plain = json_files(&karlsruhe.join("papers-sample"));
        let with_text = json_files(&karlsruhe.join("papers-with-text"));
        for order in [[&plain, &with_text], [&with_text, &plain]] {
            let mut catalog = Catalog::default();
            for (name, bytes) in order.into_iter().flatten() {
                catalog.add(name, bytes).unwrap();
            }
            let counts = karlsruhe_counts(&catalog.records());
            assert_eq!(counts, [280, 280, 757, 695, 303, 0, 0, 0, 280, 0]);
        }
    }

    #[test]
    fn quirk_duplicated_consultation_ids() {
        // karlsruhe/papers-sample/38293.json lists consultations/17735 three times.
        let Some(path) = corpus("oparl/karlsruhe/papers-sample/38293.json") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let raw: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(raw["consultation"].as_array().unwrap().len(), 4);
        let records = parse("38293.json", &bytes).unwrap();
        assert_eq!(records[0].paper.consultations.len(), 2);
    }

    #[test]
    fn karlsruhe_archive_of_all_papers() {
        let Some(karlsruhe) = corpus("oparl/karlsruhe") else {
            return;
        };
        let Some(files) = unpack(&karlsruhe.join("papers-all-14004.tar.zst")) else {
            return;
        };
        assert_eq!(files.len(), 14004);
        let mut catalog = Catalog::default();
        let organizations = std::fs::read(karlsruhe.join("organizations.json")).unwrap();
        catalog.add("organizations.json", &organizations).unwrap();
        for (name, bytes) in &files {
            catalog.add(name, bytes).unwrap();
        }
        let records = catalog.records();
        let deleted = catalog.deleted_papers();
        // Karlsruhe's deletion stubs carry empty strings for name, type and reference.
        assert_eq!((records.len(), deleted.len()), (13736, 268));
        assert!(deleted.iter().all(|paper| paper.reference.is_none()));
        let complete = records
            .iter()
            .filter(|r| !r.paper.reference.is_empty() && r.paper.date.is_some())
            .count();
        assert_eq!(complete, 13736);
        // Superordinated and subordinated papers are all in the archive: named by reference.
        let family: Vec<&str> = records
            .iter()
            .flat_map(|record| &record.paper.family)
            .map(|member| member.reference.as_str())
            .collect();
        assert!(family.len() > 100, "{}", family.len());
        let by_url = family
            .iter()
            .filter(|reference| reference.starts_with("http"))
            .count();
        assert!(
            by_url * 100 < family.len(),
            "{by_url} of {} by url",
            family.len()
        );
    }

    #[test]
    fn huertgenwald_list_page() {
        let Some(dir) = corpus("oparl/huertgenwald-sternberg-full/sample") else {
            return;
        };
        let page = std::fs::read(dir.join("paper_page1.json")).unwrap();
        let records = parse("paper_page1.json", &page).unwrap();
        assert_eq!(records.len(), 25);
        assert!(records
            .iter()
            .all(|r| !r.paper.files.is_empty() && r.paper.web_url.is_some()));
        assert_eq!(
            list_next(&page).as_deref(),
            Some("https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0/body/1/paper?page=2")
        );
        let document = read("paper_page1.json", &page).unwrap();
        let pagination = document.pagination.unwrap();
        assert_eq!(
            (pagination.total_elements, pagination.total_pages),
            (Some(2115), Some(85))
        );

        // Sternberg says `organizationType: "Fraktion"` for council groups, named after their
        // party, and `"Gremium"` for committees.
        let organizations = std::fs::read(dir.join("organization.json")).unwrap();
        let document = read("organization.json", &organizations).unwrap();
        let organizations: Vec<&Organization> =
            document.objects.iter().filter_map(Object::get).collect();
        let fractions: Vec<&str> = organizations
            .iter()
            .filter(|organization| is_fraction(organization))
            .filter_map(|organization| organization.name.as_deref())
            .collect();
        assert_eq!(
            fractions,
            [
                "Christlich Demokratische Union",
                "Sozialdemokratische Partei Deutschlands",
                "Freie Demokratische Partei",
                "Bündnis 90/Die Grünen",
                "Freie für Hürtgenwald"
            ]
        );
        assert_eq!(organizations.len(), 22);

        // A paper submitted by a group and a committee: only the group is a fraction.
        let mut catalog = Catalog::default();
        catalog
            .add(
                "organization.json",
                &std::fs::read(dir.join("organization.json")).unwrap(),
            )
            .unwrap();
        let base =
            "https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0/body/1/organization";
        let paper = format!(
            r#"{{"id": "https://x/paper/1", "type": "https://schema.oparl.org/1.0/Paper",
                 "reference": "1/2021", "originatorOrganization": ["{base}/2-315", "{base}/1-8"]}}"#
        );
        let records = parse_with(&catalog, "paper.json", paper.as_bytes()).unwrap();
        assert_eq!(
            records[0].paper.originator.as_deref(),
            Some("Freie für Hürtgenwald; Gemeinderat")
        );
        assert_eq!(
            records[0].paper.fractions.len(),
            1,
            "{:?}",
            records[0].paper.fractions
        );
    }

    #[test]
    fn a_title_names_the_submitting_group_where_no_originator_does() {
        for (title, submitter, groups) in [
            (
                "Antrag CDU: Luftreinhalteplan",
                "CDU",
                &["CDU-Fraktion"][..],
            ),
            (
                "Anfrage GRÜNE: Tarifbindung",
                "GRÜNE",
                &["Fraktion Bündnis 90/Die Grünen"],
            ),
            (
                "Änderungsantrag GRÜNE: Verschiebung der Erhöhung",
                "GRÜNE",
                &["Fraktion Bündnis 90/Die Grünen"],
            ),
            (
                "Antrag StRn Zürn, StR Fostiropoulos (Die Linke): Sozialticket",
                "StRn Zürn, StR Fostiropoulos (Die Linke)",
                &["Fraktion DIE LINKE"],
            ),
            ("Antrag der SPD: Schulwege", "SPD", &["SPD-Fraktion"]),
        ] {
            let (found, named) = title_submitter(title).expect(title);
            assert_eq!(found, submitter, "{title}");
            assert_eq!(named, groups, "{title}");
        }
        // No group before the colon, or no colon: nothing.
        for title in [
            "Antrag auf Prüfung einer kostenfreien Beförderung: Bericht",
            "Antrag der CDU-Ortschaftsratsfraktion zur Datenerhebung",
            "Antrag B‘90/Die Grünen-OR-Fraktion: Lärm- und Verkehrssituation",
            "Sachstand Radverkehr: CDU fragt nach",
            "Antrag CDU:",
        ] {
            assert_eq!(title_submitter(title), None, "{title}");
        }
        // In a paper without originator objects; one with them keeps them.
        let paper = r#"{"id": "https://x/paper/7", "type": "https://schema.oparl.org/1.0/Paper",
            "reference": "2011/7", "name": "Antrag CDU: Papierkörbe an der Pfinz"}"#;
        let records = parse("paper.json", paper.as_bytes()).unwrap();
        assert_eq!(records[0].paper.originator.as_deref(), Some("CDU"));
        assert_eq!(records[0].paper.fractions, ["CDU-Fraktion"]);
        let paper = r#"{"id": "https://x/paper/8", "type": "https://schema.oparl.org/1.0/Paper",
            "reference": "2011/8", "name": "Antrag CDU: Papierkörbe",
            "originatorOrganization": [{"id": "https://x/organization/3",
                "type": "https://schema.oparl.org/1.0/Organization", "name": "SPD-Fraktion",
                "organizationType": "Fraktion"}]}"#;
        let records = parse("paper.json", paper.as_bytes()).unwrap();
        assert_eq!(records[0].paper.originator.as_deref(), Some("SPD-Fraktion"));
        assert_eq!(records[0].paper.fractions, ["SPD-Fraktion"]);
    }

    #[test]
    fn huertgenwald_full_crawl() {
        let Some(dir) = corpus("oparl/huertgenwald-sternberg-full") else {
            return;
        };
        let Some(files) = unpack(&dir.join("cache_huertgenwald.tar.zst")) else {
            return;
        };
        let mut catalog = Catalog::default();
        let mut failed = Vec::new();
        for (name, bytes) in &files {
            if let Err(error) = catalog.add(name, bytes) {
                failed.push(format!("{name}: {error}"));
            }
        }
        // missing_ids.json is the crawler's own bookkeeping, not OParl.
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert!(failed[0].starts_with("missing_ids.json"));
        let records = catalog.records();
        let deleted = catalog.deleted_papers();
        assert_eq!((records.len(), deleted.len()), (2097, 18));
        // Sternberg's stubs carry neither type nor body nor reference.
        assert!(deleted
            .iter()
            .all(|paper| paper.reference.is_none() && paper.body.is_none()));
        let steps: Vec<&record::Consultation> = records
            .iter()
            .flat_map(|record| &record.paper.consultations)
            .collect();
        let count = |keep: fn(&record::Consultation) -> bool| {
            steps.iter().filter(|step| keep(step)).count()
        };
        assert_eq!(steps.len(), 2228);
        assert_eq!(count(|step| !step.organization.is_empty()), 2228);
        assert_eq!(count(|step| step.date.is_some()), 2227);
        assert_eq!(count(|step| step.result.is_some()), 1651);
        assert!(count(|step| step.place.is_some()) > 2000);
        assert!(records
            .iter()
            .all(|r| r.paper.body == "Gemeinde Hürtgenwald"));
        // 5 papers have no date; 126/2007 takes its consultation's, 4 have none at all.
        let undated: Vec<&str> = records
            .iter()
            .filter(|r| r.paper.date.is_none())
            .map(|r| r.paper.reference.as_str())
            .collect();
        assert_eq!(undated, ["102/2002", "178/2018", "167/2020", "168/2020"]);
        let with_files = records.iter().filter(|r| !r.paper.files.is_empty()).count();
        assert_eq!(with_files, 2097);

        // One page resolved against the rest of the crawl maps as in the whole catalog.
        let (name, page) = files
            .iter()
            .find(|(name, _)| name.ends_with("paper?page=2.json"))
            .unwrap();
        let alone = parse_with(&catalog, name, page).unwrap();
        assert_eq!(alone.len(), 25);
        for record in &alone {
            let in_catalog = records
                .iter()
                .find(|r| r.paper.reference == record.paper.reference)
                .unwrap();
            assert_eq!(record.paper, in_catalog.paper);
        }
    }

    #[test]
    fn leipzig_stadtratmonitor_export() {
        let Some(path) = corpus("text/leipzig-stadtratmonitor/stadtratmonitor_input_2023-05.json")
        else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let records = parse("stadtratmonitor_input_2023-05.json", &bytes).unwrap();
        assert_eq!(records.len(), 308);
        for record in &records {
            let paper = &record.paper;
            assert!(record.warnings.is_empty(), "{:?}", record.warnings);
            assert!(!paper.reference.is_empty() && !paper.title.is_empty());
            assert!(paper.date.is_some() && paper.public);
            // The scraper writes `<empty>` for a paper without text: no text, not that word.
            assert!(!paper.text.contains("<empty>"), "{}", paper.reference);
            assert_eq!(paper.body, "Leipzig");
            assert!(paper.web_url.as_deref().unwrap().contains("vo020?VOLFDNR="));
            let originator = paper.originator.as_deref().unwrap();
            assert_eq!(paper.fractions, fraction::fractions(originator));
        }
        let with_text = records.iter().filter(|r| !r.paper.text.is_empty()).count();
        assert_eq!(with_text, 11);
        let first = &records[0].paper;
        assert_eq!(
            (
                first.reference.as_str(),
                first.paper_type.as_deref(),
                first.originator.as_deref()
            ),
            ("VII-EF-08640", Some("Einwohneranfrage"), Some("Heidi Koll"))
        );
        let with_fraction = records
            .iter()
            .filter(|r| !r.paper.fractions.is_empty())
            .count();
        assert!(with_fraction > 100, "{with_fraction}");
    }

    /// Replaces one value somewhere in the tree by a value of another JSON type.
    fn mutate_value(value: &mut serde_json::Value, rng: &mut XorShift, depth: usize) {
        use serde_json::{json, Value};
        let replacements = [
            json!(null),
            json!(""),
            json!("N/A"),
            json!(17),
            json!(-1.5e300),
            json!(true),
            json!([]),
            json!({}),
            json!(["https://x/1", {"id": 5}]),
            json!({"id": "https://x/2", "type": "https://schema.oparl.org/1.1/File"}),
            json!("\u{0}\u{84}Ã¤"),
            json!("2014-02-30"),
        ];
        match value {
            Value::Object(map) if !map.is_empty() && (depth == 0 || rng.below(3) > 0) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                let key = &keys[rng.below(keys.len())];
                // The top level keeps its shape, so the document stays recognisable.
                if depth == 0 && matches!(key.as_str(), "type" | "data") {
                    if let Some(Value::Array(items)) = map.get_mut("data") {
                        if let Some(item) = items.first_mut() {
                            mutate_value(item, rng, depth + 1);
                        }
                    }
                    return;
                }
                mutate_value(map.get_mut(key).unwrap(), rng, depth + 1);
            }
            Value::Array(items) if !items.is_empty() && rng.below(3) > 0 => {
                let index = rng.below(items.len());
                mutate_value(&mut items[index], rng, depth + 1);
            }
            _ => *value = replacements[rng.below(replacements.len())].clone(),
        }
    }

    #[test]
    fn mutated_real_documents_never_panic() {
        let Some(oparl) = corpus("oparl") else { return };
        let samples = [
            "mst/misc/braunschweig_paper_broken_mojibake.json",
            "karlsruhe/papers-with-text/16543.json",
            "spec-draft-2015/Paper-01.json",
            "spec-v1.1.1/Meeting-01.json",
            "huertgenwald-sternberg-full/sample/paper_page1.json",
        ];
        let mut rng = XorShift(0x5EED_0A9A_2024_0001);
        for sample in samples {
            let bytes = std::fs::read(oparl.join(sample)).unwrap();
            let value = document::read_json(&bytes).unwrap();
            let n_rounds = if bytes.len() > 20_000 { 40 } else { 300 };
            for _ in 0..n_rounds {
                // Bytes: flip, cut, repeat or insert structural characters.
                let mut mutated = bytes.clone();
                for _ in 0..=rng.below(4) {
                    let at = rng.below(mutated.len());
                    match rng.below(4) {
                        0 => mutated[at] = rng.next() as u8,
                        1 => {
                            let end = (at + rng.below(64)).min(mutated.len());
                            mutated.drain(at..end);
                        }
                        2 => {
                            let end = (at + rng.below(64)).min(mutated.len());
                            let copy = mutated[at..end].to_vec();
                            mutated.splice(at..at, copy);
                        }
                        _ => {
                            let tokens: [&[u8]; 6] = [b"\"", b"{", b"[", b"\\", b"\x00", b"]}"];
                            let token = tokens[rng.below(tokens.len())];
                            mutated.splice(at..at, token.iter().copied());
                        }
                    }
                    if mutated.is_empty() {
                        break;
                    }
                }
                let _ = parse(sample, &mutated);
                let _ = read(sample, &mutated);
                let _ = list_next(&mutated);

                // Values: a field of another type is never an error.
                let mut value = value.clone();
                for _ in 0..=rng.below(3) {
                    mutate_value(&mut value, &mut rng, 0);
                }
                let text = serde_json::to_vec(&value).unwrap();
                let result = parse(sample, &text);
                assert!(
                    result.is_ok(),
                    "{sample}: {result:?}\n{}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }
}
