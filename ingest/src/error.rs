//! The error type of the ingest crate.

/// Why no record could be produced from a source.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The source is not a format ingest recognises.
    #[error("unrecognised format: {0}")]
    UnknownFormat(String),
    /// The source is recognisably of a format but lacks a field no record can do without.
    #[error("missing field {field}")]
    MissingField {
        /// The field that was missing.
        field: &'static str,
    },
    /// A page of a council system that is not a paper (Vorlage) page, e.g. a meeting calendar.
    #[error("not a vorlage page: {0}")]
    NotAPaper(String),
    /// JSON that could not be read.
    #[error("invalid json: {0}")]
    Json(#[from] serde_json::Error),
    /// A PDF that could not be read at all.
    #[error("unreadable pdf: {0}")]
    Pdf(String),
}

/// The result type of the ingest crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
