//! The OParl object model (1.0, 1.1 and the 2015 draft), read leniently from real servers.
//!
//! Every field is optional and read by a tolerant reader from `quirks`: a field of the wrong
//! type is absent rather than an error, references may be URLs or embedded objects, a single
//! object may stand where a list belongs. Unknown fields (vendor extensions) are ignored.
//! Field names follow the spec in snake case; serialisation writes the spec's camelCase names,
//! so a serialised object reads back as itself.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::quirks;

/// A reference to another object: its URL, or the object itself when the server embeds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Link<T> {
    /// The object's URL (its `id`).
    Url(String),
    /// The object, embedded.
    Object(Box<T>),
}

impl<T: OParlObject> Link<T> {
    /// Returns the id of the referenced object, if known.
    pub fn id(&self) -> Option<&str> {
        match self {
            Link::Url(url) => Some(url),
            Link::Object(object) => object.id(),
        }
    }

    /// Returns the embedded object, if the server embedded it.
    pub fn object(&self) -> Option<&T> {
        match self {
            Link::Url(_) => None,
            Link::Object(object) => Some(object),
        }
    }
}

/// The OParl object types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `System`: the root of a server.
    System,
    /// `Body`: a municipality or district.
    Body,
    /// `LegislativeTerm`: a Wahlperiode.
    LegislativeTerm,
    /// `Organization`: a committee, council group (Fraktion) or administrative unit.
    Organization,
    /// `Person`.
    Person,
    /// `Membership` of a person in an organization.
    Membership,
    /// `Meeting`: a Sitzung.
    Meeting,
    /// `AgendaItem`: a Tagesordnungspunkt.
    AgendaItem,
    /// `Paper`: a Vorlage.
    Paper,
    /// `Consultation`: one step of a paper's Beratungsfolge.
    Consultation,
    /// `File`: a document, usually a PDF.
    File,
    /// `Location`.
    Location,
}

impl Kind {
    /// All kinds, in the order the spec lists them.
    pub const ALL: [Kind; 12] = [
        Kind::System,
        Kind::Body,
        Kind::LegislativeTerm,
        Kind::Organization,
        Kind::Person,
        Kind::Membership,
        Kind::Meeting,
        Kind::AgendaItem,
        Kind::Paper,
        Kind::Consultation,
        Kind::File,
        Kind::Location,
    ];

    /// Returns the kind's name as in the spec, e.g. `AgendaItem`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::System => "System",
            Kind::Body => "Body",
            Kind::LegislativeTerm => "LegislativeTerm",
            Kind::Organization => "Organization",
            Kind::Person => "Person",
            Kind::Membership => "Membership",
            Kind::Meeting => "Meeting",
            Kind::AgendaItem => "AgendaItem",
            Kind::Paper => "Paper",
            Kind::Consultation => "Consultation",
            Kind::File => "File",
            Kind::Location => "Location",
        }
    }

    /// Recognises a `type` value of any OParl version: `https://schema.oparl.org/1.1/Paper`,
    /// `https://schema.oparl.org/1.0/Paper`, the 2015 draft's `http://oparl.org/schema/1.0/Paper`,
    /// or a bare `Paper`.
    pub fn from_type(type_uri: &str) -> Option<Kind> {
        let last = type_uri.trim().trim_end_matches('/').rsplit('/').next()?;
        Kind::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(last))
    }

    /// Guesses the kind from an object's URL, for objects a server sends without `type`
    /// (deleted stubs in Sternberg lists): the last path segment that names a collection wins,
    /// so `…/body/1/paper/60` is a Paper and `…/papers/vo/16543` too.
    pub fn from_url(url: &str) -> Option<Kind> {
        let path = url.split(['?', '#']).next().unwrap_or(url);
        path.split('/').rev().find_map(|segment| {
            let segment = segment.to_ascii_lowercase();
            let singular = segment
                .strip_suffix("ies")
                .map(|stem| format!("{stem}y"))
                .or_else(|| segment.strip_suffix('s').map(str::to_string))
                .unwrap_or_else(|| segment.clone());
            match singular.as_str() {
                "people" => Some(Kind::Person),
                "system" => Some(Kind::System),
                "body" => Some(Kind::Body),
                "legislativeterm" => Some(Kind::LegislativeTerm),
                "organization" => Some(Kind::Organization),
                "person" => Some(Kind::Person),
                "membership" => Some(Kind::Membership),
                "meeting" => Some(Kind::Meeting),
                "agendaitem" => Some(Kind::AgendaItem),
                "paper" => Some(Kind::Paper),
                "consultation" => Some(Kind::Consultation),
                "file" => Some(Kind::File),
                "location" => Some(Kind::Location),
                _ => None,
            }
        })
    }

    /// Returns the kind an embedded object under `key` must have, for objects sent without
    /// `type`: `mainFile` holds a File, `consultation` a Consultation, and so on.
    pub fn from_key(key: &str) -> Option<Kind> {
        match key {
            "mainFile" | "auxiliaryFile" | "invitation" | "resultsProtocol"
            | "verbatimProtocol" | "resolutionFile" | "derivativeFile" | "masterFile" => {
                Some(Kind::File)
            }
            "consultation" => Some(Kind::Consultation),
            "agendaItem" => Some(Kind::AgendaItem),
            "location" => Some(Kind::Location),
            "legislativeTerm" => Some(Kind::LegislativeTerm),
            "membership" => Some(Kind::Membership),
            "meeting" => Some(Kind::Meeting),
            "relatedPaper" | "superordinatedPaper" | "subordinatedPaper" | "paper" => {
                Some(Kind::Paper)
            }
            "originatorPerson" | "person" => Some(Kind::Person),
            "originatorOrganization" | "underDirectionOf" | "organization" => {
                Some(Kind::Organization)
            }
            _ => None,
        }
    }
}

/// The schema generation a `type` URI belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// The 2015 pre-1.0 draft: `http://oparl.org/schema/1.0/…`.
    Draft2015,
    /// OParl 1.0: `https://schema.oparl.org/1.0/…`.
    OParl10,
    /// OParl 1.1: `https://schema.oparl.org/1.1/…`.
    OParl11,
}

impl Version {
    /// Recognises the version of a `type` URI; `None` for anything else.
    pub fn from_type(type_uri: &str) -> Option<Version> {
        let uri = type_uri.trim();
        let rest = uri
            .strip_prefix("https://")
            .or_else(|| uri.strip_prefix("http://"))?;
        if rest.starts_with("oparl.org/schema/1.0/") {
            Some(Version::Draft2015)
        } else if rest.starts_with("schema.oparl.org/1.0/") {
            Some(Version::OParl10)
        } else if rest.starts_with("schema.oparl.org/1.1/") {
            Some(Version::OParl11)
        } else {
            None
        }
    }
}

/// What every OParl object type has in common.
pub trait OParlObject: Sized {
    /// The object's kind.
    const KIND: Kind;
    /// Returns the object's URL.
    fn id(&self) -> Option<&str>;
    /// Returns when the object was last changed.
    fn modified(&self) -> Option<DateTime<FixedOffset>>;
    /// Tells whether the server marked the object as deleted.
    fn is_deleted(&self) -> bool;
    /// Returns the object inside an [`Object`] of this kind.
    fn from_object(object: &Object) -> Option<&Self>;
}

/// An object of any kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Object {
    /// A System.
    System(Box<System>),
    /// A Body.
    Body(Box<Body>),
    /// A LegislativeTerm.
    LegislativeTerm(Box<LegislativeTerm>),
    /// An Organization.
    Organization(Box<Organization>),
    /// A Person.
    Person(Box<Person>),
    /// A Membership.
    Membership(Box<Membership>),
    /// A Meeting.
    Meeting(Box<Meeting>),
    /// An AgendaItem.
    AgendaItem(Box<AgendaItem>),
    /// A Paper.
    Paper(Box<Paper>),
    /// A Consultation.
    Consultation(Box<Consultation>),
    /// A File.
    File(Box<File>),
    /// A Location.
    Location(Box<Location>),
}

/// Runs `$body` with `$inner` bound to the object inside any variant.
macro_rules! with_inner {
    ($object:expr, $inner:ident => $body:expr) => {
        match $object {
            Object::System($inner) => $body,
            Object::Body($inner) => $body,
            Object::LegislativeTerm($inner) => $body,
            Object::Organization($inner) => $body,
            Object::Person($inner) => $body,
            Object::Membership($inner) => $body,
            Object::Meeting($inner) => $body,
            Object::AgendaItem($inner) => $body,
            Object::Paper($inner) => $body,
            Object::Consultation($inner) => $body,
            Object::File($inner) => $body,
            Object::Location($inner) => $body,
        }
    };
}

impl Object {
    /// Reads an object of a known kind from JSON. Never fails: fields that cannot be read are
    /// absent; a value that is not a JSON object gives an object with no fields.
    pub fn from_value(kind: Kind, value: &Value) -> Object {
        fn read<T: for<'de> Deserialize<'de> + Default>(value: &Value) -> Box<T> {
            Box::new(match value {
                Value::Object(_) => T::deserialize(value).unwrap_or_default(),
                _ => T::default(),
            })
        }
        match kind {
            Kind::System => Object::System(read(value)),
            Kind::Body => Object::Body(read(value)),
            Kind::LegislativeTerm => Object::LegislativeTerm(read(value)),
            Kind::Organization => Object::Organization(read(value)),
            Kind::Person => Object::Person(read(value)),
            Kind::Membership => Object::Membership(read(value)),
            Kind::Meeting => Object::Meeting(read(value)),
            Kind::AgendaItem => Object::AgendaItem(read(value)),
            Kind::Paper => Object::Paper(read(value)),
            Kind::Consultation => Object::Consultation(read(value)),
            Kind::File => Object::File(read(value)),
            Kind::Location => Object::Location(read(value)),
        }
    }

    /// Returns the object's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Object::System(_) => Kind::System,
            Object::Body(_) => Kind::Body,
            Object::LegislativeTerm(_) => Kind::LegislativeTerm,
            Object::Organization(_) => Kind::Organization,
            Object::Person(_) => Kind::Person,
            Object::Membership(_) => Kind::Membership,
            Object::Meeting(_) => Kind::Meeting,
            Object::AgendaItem(_) => Kind::AgendaItem,
            Object::Paper(_) => Kind::Paper,
            Object::Consultation(_) => Kind::Consultation,
            Object::File(_) => Kind::File,
            Object::Location(_) => Kind::Location,
        }
    }

    /// Returns the object's URL.
    pub fn id(&self) -> Option<&str> {
        with_inner!(self, inner => inner.id())
    }

    /// Returns when the object was last changed.
    pub fn modified(&self) -> Option<DateTime<FixedOffset>> {
        with_inner!(self, inner => inner.modified())
    }

    /// Tells whether the server marked the object as deleted.
    pub fn is_deleted(&self) -> bool {
        with_inner!(self, inner => inner.is_deleted())
    }

    /// Returns the object as `T` if it is of that kind.
    pub fn get<T: OParlObject>(&self) -> Option<&T> {
        T::from_object(self)
    }
}

/// Implements [`OParlObject`] for a model type with the usual `id`, `modified` and `deleted`.
macro_rules! oparl_object {
    ($type:ident) => {
        impl OParlObject for $type {
            const KIND: Kind = Kind::$type;
            fn id(&self) -> Option<&str> {
                self.id.as_deref()
            }
            fn modified(&self) -> Option<DateTime<FixedOffset>> {
                self.modified
            }
            fn is_deleted(&self) -> bool {
                self.deleted == Some(true)
            }
            fn from_object(object: &Object) -> Option<&Self> {
                match object {
                    Object::$type(inner) => Some(inner),
                    _ => None,
                }
            }
        }
    };
}

oparl_object!(System);
oparl_object!(Body);
oparl_object!(LegislativeTerm);
oparl_object!(Organization);
oparl_object!(Person);
oparl_object!(Membership);
oparl_object!(Meeting);
oparl_object!(AgendaItem);
oparl_object!(Paper);
oparl_object!(Consultation);
oparl_object!(File);
oparl_object!(Location);

/// OParl `System`: the root object of a server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct System {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The OParl version URL, e.g. `https://schema.oparl.org/1.1/`.
    #[serde(deserialize_with = "quirks::url")]
    pub oparl_version: Option<String>,
    /// URLs of the same system in other OParl versions.
    #[serde(rename = "otherOparlVersions", deserialize_with = "quirks::urls")]
    pub other_oparl_versions: Vec<String>,
    /// The data licence.
    #[serde(deserialize_with = "quirks::name")]
    pub license: Option<String>,
    /// The URL of the list of bodies.
    #[serde(deserialize_with = "quirks::url")]
    pub body: Option<String>,
    /// The system's name.
    #[serde(deserialize_with = "quirks::name")]
    pub name: Option<String>,
    /// The contact e-mail address.
    #[serde(deserialize_with = "quirks::name")]
    pub contact_email: Option<String>,
    /// The contact name.
    #[serde(deserialize_with = "quirks::name")]
    pub contact_name: Option<String>,
    /// The website of the council information system.
    #[serde(deserialize_with = "quirks::url")]
    pub website: Option<String>,
    /// The vendor's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub vendor: Option<String>,
    /// The product's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub product: Option<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `Body`: a municipality, district or other body with a council.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Body {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The System's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub system: Option<String>,
    /// The short name, e.g. `Köln`.
    #[serde(deserialize_with = "quirks::name")]
    pub short_name: Option<String>,
    /// The full name, e.g. `Stadt Köln, kreisfreie Stadt`.
    #[serde(deserialize_with = "quirks::name")]
    pub name: Option<String>,
    /// The body's website.
    #[serde(deserialize_with = "quirks::url")]
    pub website: Option<String>,
    /// The data licence.
    #[serde(deserialize_with = "quirks::name")]
    pub license: Option<String>,
    /// Since when the licence applies.
    #[serde(deserialize_with = "quirks::datetime")]
    pub license_valid_since: Option<DateTime<FixedOffset>>,
    /// Since when the body publishes OParl.
    #[serde(deserialize_with = "quirks::datetime")]
    pub oparl_since: Option<DateTime<FixedOffset>>,
    /// The official municipality key (Amtlicher Gemeindeschlüssel).
    #[serde(deserialize_with = "quirks::name")]
    pub ags: Option<String>,
    /// The regional key (Regionalschlüssel).
    #[serde(deserialize_with = "quirks::name")]
    pub rgs: Option<String>,
    /// URLs of the body in other datasets (GND, DBpedia …).
    #[serde(deserialize_with = "quirks::urls")]
    pub equivalent: Vec<String>,
    /// The contact e-mail address.
    #[serde(deserialize_with = "quirks::name")]
    pub contact_email: Option<String>,
    /// The contact name.
    #[serde(deserialize_with = "quirks::name")]
    pub contact_name: Option<String>,
    /// The URL of the list of organizations.
    #[serde(deserialize_with = "quirks::url")]
    pub organization: Option<String>,
    /// The URL of the list of persons.
    #[serde(deserialize_with = "quirks::url")]
    pub person: Option<String>,
    /// The URL of the list of meetings.
    #[serde(deserialize_with = "quirks::url")]
    pub meeting: Option<String>,
    /// The URL of the list of papers.
    #[serde(deserialize_with = "quirks::url")]
    pub paper: Option<String>,
    /// The legislative terms, usually embedded.
    #[serde(deserialize_with = "quirks::links")]
    pub legislative_term: Vec<Link<LegislativeTerm>>,
    /// The URL of the list of legislative terms (1.1).
    #[serde(deserialize_with = "quirks::url")]
    pub legislative_term_list: Option<String>,
    /// The URL of the list of agenda items (1.1).
    #[serde(deserialize_with = "quirks::url")]
    pub agenda_item: Option<String>,
    /// The URL of the list of consultations (1.1).
    #[serde(deserialize_with = "quirks::url")]
    pub consultation: Option<String>,
    /// The URL of the list of files (1.1).
    #[serde(deserialize_with = "quirks::url")]
    pub file: Option<String>,
    /// The URL of the list of locations (1.1).
    #[serde(deserialize_with = "quirks::url")]
    pub location_list: Option<String>,
    /// The URL of the list of memberships (1.1).
    #[serde(deserialize_with = "quirks::url")]
    pub membership: Option<String>,
    /// The kind of body, e.g. `Kreisfreie Stadt`.
    #[serde(deserialize_with = "quirks::name")]
    pub classification: Option<String>,
    /// The body's seat.
    #[serde(deserialize_with = "quirks::link")]
    pub location: Option<Link<Location>>,
    /// Keywords.
    #[serde(deserialize_with = "quirks::names")]
    pub keyword: Vec<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `LegislativeTerm`: a Wahlperiode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LegislativeTerm {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The Body's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub body: Option<String>,
    /// The term's name, e.g. `Wahlperiode VI`.
    #[serde(deserialize_with = "quirks::name")]
    pub name: Option<String>,
    /// The first day of the term.
    #[serde(deserialize_with = "quirks::date")]
    pub start_date: Option<NaiveDate>,
    /// The last day of the term.
    #[serde(deserialize_with = "quirks::date")]
    pub end_date: Option<NaiveDate>,
    /// Keywords.
    #[serde(deserialize_with = "quirks::names")]
    pub keyword: Vec<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `Organization`: a committee (Gremium), council group (Fraktion), administrative unit
/// or other group of persons.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Organization {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The Body's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub body: Option<String>,
    /// The name, e.g. `Ausschuss für Haushalt und Finanzen`.
    #[serde(deserialize_with = "quirks::name")]
    pub name: Option<String>,
    /// The short name, e.g. `Finanzausschuss`.
    #[serde(deserialize_with = "quirks::name")]
    pub short_name: Option<String>,
    /// URLs of the memberships.
    #[serde(deserialize_with = "quirks::urls")]
    pub membership: Vec<String>,
    /// The URL of the organization's meeting list (1.0, 1.1), or its meetings' URLs (2015 draft).
    #[serde(deserialize_with = "quirks::urls")]
    pub meeting: Vec<String>,
    /// URLs of consultations.
    #[serde(deserialize_with = "quirks::urls")]
    pub consultation: Vec<String>,
    /// The posts one can hold in it, e.g. `Vorsitzender`.
    #[serde(deserialize_with = "quirks::names")]
    pub post: Vec<String>,
    /// The URL of the parent organization.
    #[serde(deserialize_with = "quirks::url")]
    pub sub_organization_of: Option<String>,
    /// The rough kind (1.1), e.g. `Gremium`, `Fraktion`, `Verwaltungsbereich`.
    #[serde(deserialize_with = "quirks::name")]
    pub organization_type: Option<String>,
    /// The finer kind, e.g. `Ausschuss`, `Fraktion`, `Beirat`.
    #[serde(deserialize_with = "quirks::name")]
    pub classification: Option<String>,
    /// The first day it existed.
    #[serde(deserialize_with = "quirks::date")]
    pub start_date: Option<NaiveDate>,
    /// The last day it existed.
    #[serde(deserialize_with = "quirks::date")]
    pub end_date: Option<NaiveDate>,
    /// Its website.
    #[serde(deserialize_with = "quirks::url")]
    pub website: Option<String>,
    /// Where it meets or resides.
    #[serde(deserialize_with = "quirks::link")]
    pub location: Option<Link<Location>>,
    /// The URL of an external Body it stands for.
    #[serde(deserialize_with = "quirks::url")]
    pub external_body: Option<String>,
    /// Keywords.
    #[serde(deserialize_with = "quirks::names")]
    pub keyword: Vec<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `Person`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Person {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The Body's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub body: Option<String>,
    /// The full name as displayed.
    #[serde(deserialize_with = "quirks::name")]
    pub name: Option<String>,
    /// The family name.
    #[serde(deserialize_with = "quirks::name")]
    pub family_name: Option<String>,
    /// The given name.
    #[serde(deserialize_with = "quirks::name")]
    pub given_name: Option<String>,
    /// The form of address, e.g. `Ratsfrau`.
    #[serde(deserialize_with = "quirks::name")]
    pub form_of_address: Option<String>,
    /// A name affix, e.g. `von`.
    #[serde(deserialize_with = "quirks::name")]
    pub affix: Option<String>,
    /// Academic titles.
    #[serde(deserialize_with = "quirks::names")]
    pub title: Vec<String>,
    /// The gender.
    #[serde(deserialize_with = "quirks::name")]
    pub gender: Option<String>,
    /// Phone numbers.
    #[serde(deserialize_with = "quirks::names")]
    pub phone: Vec<String>,
    /// E-mail addresses.
    #[serde(deserialize_with = "quirks::names")]
    pub email: Vec<String>,
    /// The person's address.
    #[serde(deserialize_with = "quirks::link")]
    pub location: Option<Link<Location>>,
    /// Roles, e.g. `Bürgermeister`.
    #[serde(deserialize_with = "quirks::names")]
    pub status: Vec<String>,
    /// Memberships, usually embedded.
    #[serde(deserialize_with = "quirks::links")]
    pub membership: Vec<Link<Membership>>,
    /// Short biography.
    #[serde(deserialize_with = "quirks::text")]
    pub life: Option<String>,
    /// Source of the biography.
    #[serde(deserialize_with = "quirks::name")]
    pub life_source: Option<String>,
    /// Keywords.
    #[serde(deserialize_with = "quirks::names")]
    pub keyword: Vec<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `Membership` of a person in an organization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Membership {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The Person's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub person: Option<String>,
    /// The Organization's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub organization: Option<String>,
    /// The role, e.g. `Vorsitzende`.
    #[serde(deserialize_with = "quirks::name")]
    pub role: Option<String>,
    /// Whether the member may vote.
    #[serde(deserialize_with = "quirks::flag")]
    pub voting_right: Option<bool>,
    /// The first day of the membership.
    #[serde(deserialize_with = "quirks::date")]
    pub start_date: Option<NaiveDate>,
    /// The last day of the membership.
    #[serde(deserialize_with = "quirks::date")]
    pub end_date: Option<NaiveDate>,
    /// The URL of the organization the person represents (e.g. their Fraktion).
    #[serde(deserialize_with = "quirks::url")]
    pub on_behalf_of: Option<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `Meeting`: a Sitzung.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Meeting {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The name, e.g. `4. Sitzung des Finanzausschusses`.
    #[serde(deserialize_with = "quirks::name")]
    pub name: Option<String>,
    /// The state, e.g. `eingeladen`.
    #[serde(deserialize_with = "quirks::name")]
    pub meeting_state: Option<String>,
    /// Whether the meeting was cancelled.
    #[serde(deserialize_with = "quirks::flag")]
    pub cancelled: Option<bool>,
    /// When it starts.
    #[serde(deserialize_with = "quirks::datetime")]
    pub start: Option<DateTime<FixedOffset>>,
    /// When it ends.
    #[serde(deserialize_with = "quirks::datetime")]
    pub end: Option<DateTime<FixedOffset>>,
    /// Where it takes place.
    #[serde(deserialize_with = "quirks::link")]
    pub location: Option<Link<Location>>,
    /// The organizations that meet.
    #[serde(deserialize_with = "quirks::links")]
    pub organization: Vec<Link<Organization>>,
    /// URLs of the participants.
    #[serde(deserialize_with = "quirks::urls")]
    pub participant: Vec<String>,
    /// The invitation (a list in the 2015 draft; its first file is kept).
    #[serde(deserialize_with = "quirks::link")]
    pub invitation: Option<Link<File>>,
    /// The minutes of results (Ergebnisprotokoll).
    #[serde(deserialize_with = "quirks::link")]
    pub results_protocol: Option<Link<File>>,
    /// The verbatim minutes (Wortprotokoll).
    #[serde(deserialize_with = "quirks::link")]
    pub verbatim_protocol: Option<Link<File>>,
    /// Further files.
    #[serde(deserialize_with = "quirks::links")]
    pub auxiliary_file: Vec<Link<File>>,
    /// The agenda, usually embedded.
    #[serde(deserialize_with = "quirks::links")]
    pub agenda_item: Vec<Link<AgendaItem>>,
    /// The room (2015 draft).
    #[serde(deserialize_with = "quirks::name")]
    pub room: Option<String>,
    /// The street address (2015 draft).
    #[serde(deserialize_with = "quirks::name")]
    pub street_address: Option<String>,
    /// The postal code (2015 draft).
    #[serde(deserialize_with = "quirks::name")]
    pub postal_code: Option<String>,
    /// The town (2015 draft).
    #[serde(deserialize_with = "quirks::name")]
    pub locality: Option<String>,
    /// Keywords.
    #[serde(deserialize_with = "quirks::names")]
    pub keyword: Vec<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `AgendaItem`: a Tagesordnungspunkt of a meeting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AgendaItem {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The Meeting's URL (filled from the enclosing meeting when the server leaves it out).
    #[serde(deserialize_with = "quirks::url")]
    pub meeting: Option<String>,
    /// The number as printed, e.g. `10.1`.
    #[serde(deserialize_with = "quirks::name")]
    pub number: Option<String>,
    /// The position in the agenda.
    #[serde(deserialize_with = "quirks::number")]
    pub order: Option<i64>,
    /// The subject.
    #[serde(deserialize_with = "quirks::name")]
    pub name: Option<String>,
    /// Whether it is discussed in public.
    #[serde(deserialize_with = "quirks::flag")]
    pub public: Option<bool>,
    /// The consultation of a paper it deals with.
    #[serde(deserialize_with = "quirks::link")]
    pub consultation: Option<Link<Consultation>>,
    /// The outcome, e.g. `Geändert beschlossen`.
    #[serde(deserialize_with = "quirks::name")]
    pub result: Option<String>,
    /// The resolution's text.
    #[serde(deserialize_with = "quirks::text")]
    pub resolution_text: Option<String>,
    /// The resolution as a file.
    #[serde(deserialize_with = "quirks::link")]
    pub resolution_file: Option<Link<File>>,
    /// Further files.
    #[serde(deserialize_with = "quirks::links")]
    pub auxiliary_file: Vec<Link<File>>,
    /// When it starts.
    #[serde(deserialize_with = "quirks::datetime")]
    pub start: Option<DateTime<FixedOffset>>,
    /// When it ends.
    #[serde(deserialize_with = "quirks::datetime")]
    pub end: Option<DateTime<FixedOffset>>,
    /// Keywords.
    #[serde(deserialize_with = "quirks::names")]
    pub keyword: Vec<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `Paper`: a Vorlage (motion, inquiry, report, draft resolution …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Paper {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The Body's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub body: Option<String>,
    /// The title (Betreff).
    #[serde(deserialize_with = "quirks::name")]
    pub name: Option<String>,
    /// The Drucksachennummer, e.g. `1234/2014`.
    #[serde(deserialize_with = "quirks::name")]
    pub reference: Option<String>,
    /// The paper's date.
    #[serde(deserialize_with = "quirks::date")]
    pub date: Option<NaiveDate>,
    /// The publication date (2015 draft, which has no `date`).
    #[serde(deserialize_with = "quirks::date")]
    pub published_date: Option<NaiveDate>,
    /// The paper type, e.g. `Beantwortung einer Anfrage`.
    #[serde(deserialize_with = "quirks::name")]
    pub paper_type: Option<String>,
    /// Related papers.
    #[serde(deserialize_with = "quirks::links")]
    pub related_paper: Vec<Link<Paper>>,
    /// Papers this one belongs to.
    #[serde(deserialize_with = "quirks::links")]
    pub superordinated_paper: Vec<Link<Paper>>,
    /// Papers that belong to this one.
    #[serde(deserialize_with = "quirks::links")]
    pub subordinated_paper: Vec<Link<Paper>>,
    /// The paper's own document.
    #[serde(deserialize_with = "quirks::link")]
    pub main_file: Option<Link<File>>,
    /// Attachments.
    #[serde(deserialize_with = "quirks::links")]
    pub auxiliary_file: Vec<Link<File>>,
    /// Places the paper concerns.
    #[serde(deserialize_with = "quirks::links")]
    pub location: Vec<Link<Location>>,
    /// Persons who submitted it.
    #[serde(deserialize_with = "quirks::links")]
    pub originator_person: Vec<Link<Person>>,
    /// Organizations that submitted it.
    #[serde(deserialize_with = "quirks::links")]
    pub originator_organization: Vec<Link<Organization>>,
    /// URLs of submitting persons and organizations mixed (2015 draft).
    #[serde(deserialize_with = "quirks::urls")]
    pub originator: Vec<String>,
    /// Organizations in charge (federführend).
    #[serde(deserialize_with = "quirks::links")]
    pub under_direction_of: Vec<Link<Organization>>,
    /// The Beratungsfolge, usually embedded.
    #[serde(deserialize_with = "quirks::links")]
    pub consultation: Vec<Link<Consultation>>,
    /// Not in the spec: `false` marks a paper the server shows only to members. Servers that
    /// publish non-public papers at all need some flag; this is the one ratsuche honours.
    #[serde(deserialize_with = "quirks::flag")]
    pub public: Option<bool>,
    /// Keywords.
    #[serde(deserialize_with = "quirks::names")]
    pub keyword: Vec<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The paper's page in the council information system.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `Consultation`: one step of a paper's Beratungsfolge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Consultation {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The Paper's URL (filled from the enclosing paper when the server leaves it out).
    #[serde(deserialize_with = "quirks::url")]
    pub paper: Option<String>,
    /// The agenda item it was dealt with under.
    #[serde(deserialize_with = "quirks::link")]
    pub agenda_item: Option<Link<AgendaItem>>,
    /// The meeting.
    #[serde(deserialize_with = "quirks::link")]
    pub meeting: Option<Link<Meeting>>,
    /// The committees (a single URL in the 2015 draft).
    #[serde(deserialize_with = "quirks::links")]
    pub organization: Vec<Link<Organization>>,
    /// Whether the consultation decides (rather than advises).
    #[serde(deserialize_with = "quirks::flag")]
    pub authoritative: Option<bool>,
    /// The role, e.g. `Beschlussfassung`, `Kenntnisnahme`.
    #[serde(deserialize_with = "quirks::name")]
    pub role: Option<String>,
    /// Keywords.
    #[serde(deserialize_with = "quirks::names")]
    pub keyword: Vec<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `File`: a document, usually a PDF.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct File {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// The title for display, e.g. `Anlage 1 zur Anfrage`.
    #[serde(deserialize_with = "quirks::name")]
    pub name: Option<String>,
    /// The file name, e.g. `anlage.pdf`.
    #[serde(deserialize_with = "quirks::name")]
    pub file_name: Option<String>,
    /// The MIME type, e.g. `application/pdf`.
    #[serde(deserialize_with = "quirks::name")]
    pub mime_type: Option<String>,
    /// The document's date.
    #[serde(deserialize_with = "quirks::date")]
    pub date: Option<NaiveDate>,
    /// The size in bytes.
    #[serde(deserialize_with = "quirks::number")]
    pub size: Option<i64>,
    /// The SHA-1 checksum in hex.
    #[serde(deserialize_with = "quirks::name")]
    pub sha1_checksum: Option<String>,
    /// The SHA-512 checksum in hex (1.1).
    #[serde(deserialize_with = "quirks::name")]
    pub sha512_checksum: Option<String>,
    /// The document's text, where the server extracted it; form feeds separate pages.
    #[serde(deserialize_with = "quirks::text")]
    pub text: Option<String>,
    /// The URL to open the document.
    #[serde(deserialize_with = "quirks::url")]
    pub access_url: Option<String>,
    /// The URL to download the document.
    #[serde(deserialize_with = "quirks::url")]
    pub download_url: Option<String>,
    /// The URL of an external viewer.
    #[serde(deserialize_with = "quirks::url")]
    pub external_service_url: Option<String>,
    /// The URL of the file this one was derived from.
    #[serde(deserialize_with = "quirks::url")]
    pub master_file: Option<String>,
    /// URLs of files derived from this one.
    #[serde(deserialize_with = "quirks::urls")]
    pub derivative_file: Vec<String>,
    /// The document's licence.
    #[serde(deserialize_with = "quirks::name")]
    pub file_license: Option<String>,
    /// URLs of meetings the file belongs to.
    #[serde(deserialize_with = "quirks::urls")]
    pub meeting: Vec<String>,
    /// URLs of agenda items the file belongs to.
    #[serde(deserialize_with = "quirks::urls")]
    pub agenda_item: Vec<String>,
    /// URLs of papers the file belongs to.
    #[serde(deserialize_with = "quirks::urls")]
    pub paper: Vec<String>,
    /// Keywords.
    #[serde(deserialize_with = "quirks::names")]
    pub keyword: Vec<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

/// OParl `Location`: an address or place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Location {
    /// The object's URL.
    #[serde(deserialize_with = "quirks::url")]
    pub id: Option<String>,
    /// The `type` URI.
    #[serde(rename = "type", deserialize_with = "quirks::url")]
    pub type_uri: Option<String>,
    /// A description, e.g. `Rathaus, Großer Sitzungssaal`.
    #[serde(deserialize_with = "quirks::name")]
    pub description: Option<String>,
    /// The shape as GeoJSON, unread.
    pub geojson: Option<Value>,
    /// The street address.
    #[serde(deserialize_with = "quirks::name")]
    pub street_address: Option<String>,
    /// The room.
    #[serde(deserialize_with = "quirks::name")]
    pub room: Option<String>,
    /// The postal code.
    #[serde(deserialize_with = "quirks::name")]
    pub postal_code: Option<String>,
    /// The district.
    #[serde(deserialize_with = "quirks::name")]
    pub sub_locality: Option<String>,
    /// The town.
    #[serde(deserialize_with = "quirks::name")]
    pub locality: Option<String>,
    /// Keywords.
    #[serde(deserialize_with = "quirks::names")]
    pub keyword: Vec<String>,
    /// When the object was created.
    #[serde(deserialize_with = "quirks::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// When the object was last changed.
    #[serde(deserialize_with = "quirks::datetime")]
    pub modified: Option<DateTime<FixedOffset>>,
    /// The object's web page.
    #[serde(deserialize_with = "quirks::url")]
    pub web: Option<String>,
    /// Whether the object was deleted.
    #[serde(deserialize_with = "quirks::flag")]
    pub deleted: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(type_uri: &str, expected: Option<(Kind, Option<Version>)>) {
        let actual = Kind::from_type(type_uri).map(|kind| (kind, Version::from_type(type_uri)));
        assert_eq!(actual, expected, "type: {type_uri}");
    }

    #[test]
    fn type_uris_of_every_version_are_recognised() {
        check(
            "https://schema.oparl.org/1.1/Paper",
            Some((Kind::Paper, Some(Version::OParl11))),
        );
        check(
            "https://schema.oparl.org/1.0/Paper",
            Some((Kind::Paper, Some(Version::OParl10))),
        );
        check(
            "http://oparl.org/schema/1.0/Paper",
            Some((Kind::Paper, Some(Version::Draft2015))),
        );
        check(
            "https://schema.oparl.org/1.1/AgendaItem/",
            Some((Kind::AgendaItem, Some(Version::OParl11))),
        );
        check("LegislativeTerm", Some((Kind::LegislativeTerm, None)));
        check("https://schema.oparl.org/1.1/Vorlage", None);
        check("", None);
    }

    #[test]
    fn kinds_are_guessed_from_urls() {
        let guess = Kind::from_url;
        assert_eq!(
            guess(
                "https://sdnetrim.kdvz-frechen.de/rim4220/webservice/oparl/v1.0/body/1/paper/3435"
            ),
            Some(Kind::Paper)
        );
        assert_eq!(
            guess("https://web1.karlsruhe.de/oparl/bodies/0001/papers/vo/54250"),
            Some(Kind::Paper)
        );
        assert_eq!(
            guess("https://ratsinfo.leipzig.de/bi/oparl/1.0/bodies.asp?id=2387"),
            None
        );
        assert_eq!(
            guess("https://oparl.example.org/people/1000"),
            Some(Kind::Person)
        );
        assert_eq!(guess("https://oparl.example.org/body/0"), Some(Kind::Body));
    }

    #[test]
    fn wrong_types_leave_fields_absent() {
        let value = serde_json::json!({
            "id": "https://example.org/paper/1",
            "name": ["not", "a", "name"],
            "reference": 4711,
            "date": "",
            "web": "N/A",
            "mainFile": 17,
            "auxiliaryFile": {"id": "https://example.org/file/2", "size": "x", "text": ""},
            "consultation": "https://example.org/consultation/3",
            "deleted": "false",
            "public": {"nested": true}
        });
        let Object::Paper(paper) = Object::from_value(Kind::Paper, &value) else {
            panic!("a paper must read as a paper");
        };
        assert_eq!(paper.id.as_deref(), Some("https://example.org/paper/1"));
        assert_eq!(paper.name, None);
        assert_eq!(paper.reference.as_deref(), Some("4711"));
        assert_eq!(paper.date, None);
        assert_eq!(paper.web, None);
        assert_eq!(paper.main_file, None);
        assert_eq!(paper.auxiliary_file.len(), 1);
        assert_eq!(
            paper.auxiliary_file[0].id(),
            Some("https://example.org/file/2")
        );
        assert_eq!(
            paper.consultation[0].id(),
            Some("https://example.org/consultation/3")
        );
        assert_eq!(paper.deleted, Some(false));
        assert_eq!(paper.public, None);
    }

    #[test]
    fn serialised_objects_read_back_as_themselves() {
        let value = serde_json::json!({
            "id": "https://example.org/meeting/1",
            "type": "https://schema.oparl.org/1.1/Meeting",
            "name": "4. Sitzung",
            "start": "2013-01-04T08:00:00+01:00",
            "organization": ["https://example.org/organization/34"],
            "agendaItem": [{"id": "https://example.org/agendaitem/1", "result": "beschlossen"}],
        });
        let meeting = Object::from_value(Kind::Meeting, &value);
        let written = serde_json::to_value(&meeting).unwrap();
        assert_eq!(Object::from_value(Kind::Meeting, &written), meeting);
    }
}
