//! Why a hit matched: the query words and the forms they were found as, by kind.
//!
//! The kinds rank as the scores do: an exact surface form above another form of the same
//! stem, above the word as a part of a compound, above the paper's type or council group
//! that the word names, above a synonym, above a spelling correction (searched only when the
//! query as written finds nothing).

use serde::Serialize;

/// How a query word was found in a paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The word as written (ignoring case, umlaut spelling and ß/ss).
    Exact,
    /// Another form of the same stem (`Schulen` for `Schule`).
    Stem,
    /// A part of a compound (`Grundschulen` for `Schule`).
    Compound,
    /// The paper's type or council group, which the word names (`Fraktion Bündnis 90/Die
    /// Grünen` for `Grüne`, `Neufassung Antrag` for `Antrag`).
    Metadata,
    /// A synonym or abbreviation (`Telearbeit` for `Homeoffice`).
    Synonym,
    /// A spelling correction of the word (`Bebauungsplan` for `Bebaungsplan`).
    Fuzzy,
}

/// One reason why a hit matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The query word or phrase, as typed.
    pub query: String,
    /// The word of the paper it was found as, as written there.
    pub form: String,
    /// How it was found.
    pub kind: MatchKind,
}

/// Most reasons listed per hit.
pub(crate) const MAX_MATCHES: usize = 8;

/// Adds a reason unless the same query word was already found as the same form; keeps the
/// list sorted by kind, best first, and at most [`MAX_MATCHES`] long.
pub(crate) fn add(matches: &mut Vec<Match>, reason: Match) {
    let known = matches.iter().any(|known| {
        known.query == reason.query && known.form.to_lowercase() == reason.form.to_lowercase()
    });
    if known {
        return;
    }
    let at = matches.partition_point(|known| known.kind <= reason.kind);
    matches.insert(at, reason);
    matches.truncate(MAX_MATCHES);
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::{Document, Index, IndexOptions, SearchRequest, SearchResults, Synonyms};

    /// An index in memory holding `papers` as (reference, title, text).
    fn index_of(papers: &[(&str, &str, &str)], options: &IndexOptions) -> Index {
        let index = Index::create_in_ram_with(options).unwrap();
        let mut writer = index.writer().unwrap();
        for (reference, title, text) in papers {
            writer
                .upsert(&Document {
                    body: "Leipzig".into(),
                    reference: (*reference).into(),
                    title: (*title).into(),
                    text: (*text).into(),
                    ..Document::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        index.reload().unwrap();
        index
    }

    fn search(index: &Index, query: &str) -> SearchResults {
        index
            .search(&SearchRequest {
                query: query.into(),
                limit: 20,
                ..SearchRequest::default()
            })
            .unwrap()
    }

    /// Checks the order of the hits of `query` and the kind each was found by.
    fn check(index: &Index, query: &str, expected: &[(&str, MatchKind)]) {
        let results = search(index, query);
        let got: Vec<(String, Option<MatchKind>)> = results
            .hits
            .iter()
            .map(|hit| {
                let best = hit.matched.first().map(|reason| reason.kind);
                (hit.reference.clone(), best)
            })
            .collect();
        let expected: Vec<(String, Option<MatchKind>)> = expected
            .iter()
            .map(|(reference, kind)| (reference.to_string(), Some(*kind)))
            .collect();
        assert_eq!(got, expected, "query {query:?}: {:#?}", results.hits);
    }

    /// Filler papers so that term statistics look like a real index.
    const FILLER: &[(&str, &str, &str)] = &[
        (
            "F1",
            "Haushalt 2024",
            "Der Stadtrat beschließt den Haushalt.",
        ),
        (
            "F2",
            "Baumpflanzungen",
            "Im Stadtbezirk Nord werden Bäume gepflanzt.",
        ),
        (
            "F3",
            "Sitzungstermine",
            "Die Termine der Ausschüsse im Herbst.",
        ),
        ("F4", "Parkgebühren", "Die Gebühren für das Parken steigen."),
    ];

    fn ranking_index() -> Index {
        let mut papers = vec![
            ("E", "Bericht", "Die Schule bekommt eine neue Mensa."),
            ("S", "Bericht", "Die Schulen bekommen neue Mensen."),
            ("C", "Bericht", "Die Grundschulen bekommen neue Mensen."),
            ("Y", "Bericht", "Das Gymnasium bekommt eine neue Mensa."),
        ];
        papers.extend_from_slice(FILLER);
        let mut synonyms = Synonyms::built_in();
        synonyms.extend(Synonyms::parse("Schule | Gymnasium\n"));
        let options = IndexOptions {
            synonyms: Arc::new(synonyms),
            ..IndexOptions::default()
        };
        index_of(&papers, &options)
    }

    #[test]
    fn exact_ranks_above_stem_above_compound_above_synonym() {
        let index = ranking_index();
        check(
            &index,
            "Schule",
            &[
                ("E", MatchKind::Exact),
                ("S", MatchKind::Stem),
                ("C", MatchKind::Compound),
                ("Y", MatchKind::Synonym),
            ],
        );
        // The set holds `Schule`; `Schulen` finds it by its stem.
        check(
            &index,
            "Schulen",
            &[
                ("S", MatchKind::Exact),
                ("E", MatchKind::Stem),
                ("C", MatchKind::Compound),
                ("Y", MatchKind::Synonym),
            ],
        );
    }

    #[test]
    fn a_correction_ranks_as_fuzzy_and_is_offered() {
        let index = ranking_index();
        let results = search(&index, "Grundschuhlen");
        assert_eq!(results.did_you_mean.as_deref(), Some("Grundschulen"));
        assert_eq!(results.hits.len(), 1);
        assert_eq!(
            results.hits[0].matched,
            [Match {
                query: "Grundschuhlen".into(),
                form: "Grundschulen".into(),
                kind: MatchKind::Fuzzy,
            }]
        );
        assert_eq!(search(&index, "Grundschulen").did_you_mean, None);
        // Nothing close: no suggestion and no hits.
        let nothing = search(&index, "Xylophonorchester");
        assert_eq!((nothing.total, nothing.did_you_mean), (0, None));
    }

    #[test]
    fn title_matches_rank_above_body_matches() {
        let mut papers = vec![
            ("B", "Bericht", "Die Grundschule am Park wird saniert."),
            ("T", "Grundschule am Park", "Der Bericht zur Sanierung."),
        ];
        papers.extend_from_slice(FILLER);
        let index = index_of(&papers, &IndexOptions::default());
        check(
            &index,
            "Grundschule",
            &[("T", MatchKind::Exact), ("B", MatchKind::Exact)],
        );
        check(
            &index,
            "Grundschulen",
            &[("T", MatchKind::Stem), ("B", MatchKind::Stem)],
        );
    }

    #[test]
    fn hits_say_why_they_matched() {
        let mut papers = vec![
            (
                "A",
                "Telearbeitsplätze in der Verwaltung",
                "Mehr Telearbeit für alle.",
            ),
            ("H", "Homeoffice", "Regeln für das Homeoffice."),
        ];
        papers.extend_from_slice(FILLER);
        let index = index_of(&papers, &IndexOptions::default());
        let results = search(&index, "Telearbeit");
        let reasons: Vec<(String, Vec<(String, MatchKind)>)> = results
            .hits
            .iter()
            .map(|hit| {
                let reasons = hit
                    .matched
                    .iter()
                    .map(|reason| {
                        assert_eq!(reason.query, "Telearbeit");
                        (reason.form.clone(), reason.kind)
                    })
                    .collect();
                (hit.reference.clone(), reasons)
            })
            .collect();
        assert_eq!(
            reasons,
            [
                (
                    "A".to_string(),
                    vec![
                        ("Telearbeit".to_string(), MatchKind::Exact),
                        ("Telearbeitsplätze".to_string(), MatchKind::Compound),
                    ]
                ),
                (
                    "H".to_string(),
                    vec![("Homeoffice".to_string(), MatchKind::Synonym)]
                ),
            ]
        );
        let json = serde_json::to_string(&results.hits[1].matched).unwrap();
        assert_eq!(
            json,
            r#"[{"query":"Telearbeit","form":"Homeoffice","kind":"synonym"}]"#
        );
    }

    #[test]
    fn english_papers_are_found_by_english_stems() {
        let index = Index::create_in_ram().unwrap();
        let mut writer = index.writer().unwrap();
        for (reference, language, text) in [
            (
                "EN",
                "eng",
                "The council approved the funding of new bicycle lanes.",
            ),
            ("DE", "deu", "Der Rat hat approved als Fremdwort benutzt."),
        ] {
            writer
                .upsert(&Document {
                    body: "Leipzig".into(),
                    reference: reference.into(),
                    title: "Paper".into(),
                    text: text.into(),
                    language: Some(language.into()),
                    ..Document::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        index.reload().unwrap();
        let references = |query: &str| -> Vec<String> {
            search(&index, query)
                .hits
                .into_iter()
                .map(|hit| hit.reference)
                .collect()
        };
        // `approve` and `lane` share English stems with `approved` and `lanes`; the German
        // stemmer does not strip `-ed`, so the German paper is not found by `approve`.
        assert_eq!(references("approve"), ["EN"]);
        assert_eq!(references("lane"), ["EN"]);
        assert_eq!(references("Rat"), ["DE"]);
    }

    #[test]
    fn truncated_words_stand_for_their_compound() {
        let mut papers = vec![
            (
                "T",
                "Bericht",
                "Der Fuß- und Radweg nach Krostitz wird gebaut.",
            ),
            (
                "W",
                "Bericht",
                "Der Fußweg am neuen Radweg wird beleuchtet.",
            ),
            ("F", "Bericht", "Der Fuß des Berges am Wanderweg."),
        ];
        papers.extend_from_slice(FILLER);
        let index = index_of(&papers, &IndexOptions::default());
        let references = |query: &str| -> Vec<String> {
            search(&index, query)
                .hits
                .into_iter()
                .map(|hit| hit.reference)
                .collect()
        };
        // F has the parts apart (`Fuß`, `Wanderweg`): found, ranked last.
        assert_eq!(references("Fußweg"), ["W", "T", "F"]);
        let mut both = references("Fuß- und Radweg");
        both.sort();
        assert_eq!(both, ["T", "W"]);
    }

    #[test]
    fn snippets_mark_compounds_synonyms_and_corrections() {
        let mut papers = vec![
            ("G", "Bericht", "Alle Grundschulen erhalten Tablets."),
            ("T", "Bericht", "Die Telearbeit wird ausgeweitet."),
            ("P", "Bericht", "Der Bebauungsplan Nr. 12 liegt aus."),
        ];
        papers.extend_from_slice(FILLER);
        let index = index_of(&papers, &IndexOptions::default());
        let snippet = |query: &str| search(&index, query).hits[0].snippets[0].clone();
        assert_eq!(
            snippet("Schule"),
            "Alle <mark>Grundschulen</mark> erhalten Tablets."
        );
        assert_eq!(
            snippet("Homeoffice"),
            "Die <mark>Telearbeit</mark> wird ausgeweitet."
        );
        assert_eq!(
            snippet("Bebaungsplan"),
            "Der <mark>Bebauungsplan</mark> Nr. 12 liegt aus."
        );
    }
}
