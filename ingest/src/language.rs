//! TODO module language.
