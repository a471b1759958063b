//! PDF text extraction (skeleton).

use crate::{Result, Warning};

/// PDF extraction settings.
#[derive(Debug, Clone, Default)]
pub struct Options {}

/// The text of a PDF, page by page.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// One entry per page, in order.
    pub pages: Vec<Page>,
    /// Problems that did not stop extraction.
    pub warnings: Vec<Warning>,
}

/// The text of one page and how it was obtained.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The text.
    pub text: String,
}

/// Extracts the text of every page.
pub fn extract(bytes: &[u8], options: &Options) -> Result<Extraction> {
    let _ = (bytes, options);
    Ok(Extraction::default())
}
