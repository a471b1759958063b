//! The Drucksachennummer grammar (skeleton).

use serde::{Deserialize, Serialize};

/// A parsed Drucksachennummer such as `VII-F-01504-AW-01`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {}

impl Reference {
    /// Parses a reference; `None` when it follows no known grammar.
    pub fn parse(text: &str) -> Option<Reference> {
        let _ = text;
        None
    }
}
