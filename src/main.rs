//! The ratsuche binary.
fn main() {}
