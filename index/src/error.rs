//! The error type of the index crate.

/// What went wrong in the index. User-caused variants come first.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query text cannot be understood.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// A request parameter is out of range.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The index folder cannot be opened or written.
    #[error("index storage: {0}")]
    Storage(String),
    /// Anything else inside the engine.
    #[error("internal index error: {0}")]
    Internal(String),
}

/// The result type of the index crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<tantivy::TantivyError> for Error {
    fn from(error: tantivy::TantivyError) -> Error {
        match error {
            tantivy::TantivyError::IoError(_)
            | tantivy::TantivyError::OpenReadError(_)
            | tantivy::TantivyError::OpenWriteError(_)
            | tantivy::TantivyError::OpenDirectoryError(_)
            | tantivy::TantivyError::LockFailure(..)
            | tantivy::TantivyError::DataCorruption(_) => Error::Storage(error.to_string()),
            other => Error::Internal(other.to_string()),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Error {
        Error::Storage(error.to_string())
    }
}
