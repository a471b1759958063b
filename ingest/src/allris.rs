//! TODO module allris.
