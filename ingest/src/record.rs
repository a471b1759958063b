//! The domain model of a council paper (Vorlage), in OParl's vocabulary.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::reference::Reference;

/// What one parser produced from one source: a paper plus what went wrong along the way.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// The paper as far as it could be read.
    pub paper: Paper,
    /// Problems that did not stop parsing (a missing date, an unreadable page).
    pub warnings: Vec<Warning>,
}

/// A non-fatal problem found while parsing a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Short lowercase description of what went wrong.
    pub message: String,
}

impl Warning {
    /// Builds a warning from anything printable.
    pub fn new(message: impl Into<String>) -> Warning {
        Warning {
            message: message.into(),
        }
    }
}

/// A council paper (OParl `Paper`, ALLRIS "Vorlage").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Paper {
    /// The municipality (OParl `Body`) the paper belongs to; empty where the source names none.
    pub body: String,
    /// The Drucksachennummer as printed, e.g. `VII-F-01504-AW-01`.
    pub reference: String,
    /// The reference parsed into its parts, where it follows a known grammar.
    pub reference_parts: Option<Reference>,
    /// The subject line (Betreff).
    pub title: String,
    /// Why the paper was filed (ALLRIS "Anlass"), e.g. `Sonstiges`.
    pub occasion: Option<String>,
    /// The status text as printed, e.g. `öffentlich (Vorlage abgeschlossen)`.
    pub status: Option<String>,
    /// Whether the paper may be shown to the public. Non-public papers are never indexed.
    pub public: bool,
    /// The paper type (Vorlage-Art, OParl `paperType`), e.g. `Anfrage`.
    pub paper_type: Option<String>,
    /// The submitter (Einreicher) as printed.
    pub originator: Option<String>,
    /// The normalised council groups among the originators, e.g. `SPD-Fraktion`.
    pub fractions: Vec<String>,
    /// The paper's own date, else its first consultation date.
    pub date: Option<NaiveDate>,
    /// The committee route (Beratungsfolge).
    pub consultations: Vec<Consultation>,
    /// Related papers (Stammbaum), the paper itself excluded.
    pub family: Vec<FamilyMember>,
    /// The body text (Sachverhalt, Begründung, Antwort …).
    pub text: String,
    /// Attachments with their text per page.
    pub files: Vec<File>,
    /// ISO 639-3 code of the body text's language (`deu`, `eng`), if detected.
    pub language: Option<String>,
    /// Where the paper came from: a file path or URL.
    pub source: String,
    /// A link to the paper in the council's own system, if known.
    pub web_url: Option<String>,
}

/// One step of the Beratungsfolge (OParl `Consultation`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    /// The committee (Gremium), e.g. `Ratsversammlung`.
    pub organization: String,
    /// The meeting date.
    pub date: Option<NaiveDate>,
    /// What the committee does with the paper, e.g. `schriftliche Beantwortung`, `Beschlussfassung`.
    pub role: Option<String>,
    /// The outcome, e.g. `vertagt`, `zur Kenntnis genommen`.
    pub result: Option<String>,
    /// The meeting place as printed.
    pub place: Option<String>,
}

/// A related paper listed in the Stammbaum or derived from the reference.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyMember {
    /// Its reference.
    pub reference: String,
    /// Its title, if listed.
    pub title: Option<String>,
    /// Its originator, if listed.
    pub originator: Option<String>,
    /// Its paper type, if listed.
    pub paper_type: Option<String>,
}

/// An attachment (OParl `File`) with its text per page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct File {
    /// The file name, e.g. `VII-F-01504-AW-01.pdf`.
    pub name: String,
    /// Where it can be downloaded, if known.
    pub url: Option<String>,
    /// The text of each page, in order.
    pub pages: Vec<String>,
}
