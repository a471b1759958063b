//! Property tests: any query text (and any filter value) gives results or a user error, never
//! a panic or an internal error, in bounded time.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;

use crate::{Document, Error, Index, SearchRequest, Sort};

/// The longest one search may take here (debug build, shared machine).
const TIME_LIMIT: Duration = Duration::from_secs(5);

const QUERY_TOKENS: &[&str] = &[
    "\"",
    "\"\"",
    "(",
    ")",
    "-",
    "--",
    "+",
    "OR",
    "AND",
    "NOT",
    "or",
    "*",
    "?",
    ":",
    "~",
    "^",
    "\\",
    "/",
    "'",
    "Telearbeit",
    "Tele-Arbeit",
    "Verwaltung",
    "VII-F-01504",
    "VII-F-",
    // References written loosely (no leading zeros, no electoral period).
    "F-1504",
    "vii/f/1504",
    "2021/0281",
    "ä",
    "ß",
    "Straße",
    "Bürger*innen",
    " ",
    "  ",
    "\t",
    "\n",
    "\u{0}",
    "\u{202e}",
    "\u{fffd}",
    "\u{feff}",
    "title:x",
    "a",
    "1",
    "2020",
    "🙂",
    // Words that take the spelling, widening and parts-apart paths.
    "Telearbeitt",
    "Tlearbeit",
    "Verwaltungg",
    "Strase",
    "Strasse",
    "Gebuhr",
    "Bürgerinen",
    "Kitaplatz",
    "Dachsanierung",
    "Straßenverwaltung",
    "İstanbul",
    "e\u{301}",
    "Café",
    "Trägern",
];

/// A small index with two papers, shared by all cases.
static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let index = Index::create_in_ram().expect("an index in memory opens");
    let mut writer = index.writer().expect("the writer starts");
    for (reference, text) in [
        (
            "VII-F-01504",
            "Wird mobile Arbeit und Telearbeit in der Verwaltung ermöglicht?",
        ),
        (
            "2021/0281",
            "Die Straße wird für Bürgerinnen und Bürger saniert.",
        ),
    ] {
        writer
            .upsert(&Document {
                body: "Leipzig".into(),
                reference: reference.into(),
                title: format!("Anfrage {reference}"),
                text: text.into(),
                paper_type: Some("Anfrage".into()),
                ..Document::default()
            })
            .expect("the paper is written");
    }
    writer.commit().expect("the commit works");
    index
});

fn query_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::sample::select(QUERY_TOKENS), 0..60)
            .prop_map(|parts| parts.concat()),
        // Deep nesting and long runs of one token.
        (prop::sample::select(QUERY_TOKENS), 0..500usize)
            .prop_map(|(token, times)| token.repeat(times)),
    ]
}

fn check_search(request: &SearchRequest) {
    let started = Instant::now();
    match INDEX.search(request) {
        Ok(results) => assert!(results.hits.len() <= request.limit),
        Err(Error::InvalidQuery(_) | Error::InvalidRequest(_)) => {}
        Err(other) => panic!("{:?}: internal error {other}", request.query),
    }
    let elapsed = started.elapsed();
    assert!(elapsed < TIME_LIMIT, "{:?} took {elapsed:?}", request.query);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_query_gives_results_or_a_user_error(
        query in query_text(),
        filter in query_text(),
        sort in prop::sample::select(vec![Sort::Relevance, Sort::DateDesc, Sort::DateAsc]),
        offset in 0..20usize,
        as_typed in any::<bool>(),
    ) {
        check_search(&SearchRequest {
            query: query.clone(),
            sort,
            offset,
            limit: 10,
            as_typed,
            ..SearchRequest::default()
        });
        check_search(&SearchRequest {
            query,
            types: vec![filter.clone()],
            fractions: vec![filter.clone()],
            gremien: vec![filter.clone()],
            bodies: vec![filter],
            limit: 5,
            ..SearchRequest::default()
        });
    }

    #[test]
    fn the_exact_analyzer_replays_what_it_would_compute(
        text in query_text(),
    ) {
        let text = crate::analysis::clean_text(&text);
        let [fresh, replayed] = crate::analysis::tests::exact_fresh_and_replayed(&text);
        prop_assert_eq!(fresh, replayed);
    }
}
