//! Integration tests of the ratsuche binary and HTTP API.
