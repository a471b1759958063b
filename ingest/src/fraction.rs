//! Council groups (Fraktionen) among a paper's originators (skeleton).

/// The normalised council groups named in an originator string such as
/// `"Geschäftsstelle der SPD-Fraktion; Fraktion AfD"` → `["SPD-Fraktion", "AfD-Fraktion"]`.
/// Administrative units and district councils yield none.
pub fn fractions(originator: &str) -> Vec<String> {
    let _ = originator;
    Vec::new()
}
