//! TODO module oparl.
