//! "More like this": papers whose words resemble those of a given paper.
//!
//! The paper's title and lead (the stored start of its text) are analysed like the indexed
//! fields; their rarest frequent terms form a query over title and body text. Only public
//! papers are ever indexed, so only public papers can be similar.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query};
use tantivy::schema::OwnedValue;
use tantivy::TantivyDocument;

use crate::{paper_key, stored_str, term_query, Hit, Index, Result, MAX_LIMIT};

/// Terms taken from the paper into the query.
const MAX_QUERY_TERMS: usize = 25;
/// Terms shorter than this (in bytes) say little about a topic.
const MIN_WORD_BYTES: usize = 4;

impl Index {
    /// Up to `limit` papers most like the one with `reference` (in `body`, or any body when
    /// `None`), best first, the paper itself left out. Empty when the paper is unknown. Hits
    /// carry no snippets.
    pub fn similar(&self, body: Option<&str>, reference: &str, limit: usize) -> Result<Vec<Hit>> {
        let limit = limit.min(MAX_LIMIT);
        let key = match body {
            Some(body) => paper_key(body, reference),
            None => match self.key_of_reference(reference)? {
                Some(key) => key,
                None => return Ok(Vec::new()),
            },
        };
        let searcher = self.papers_reader.searcher();
        let fields = &self.paper_fields;
        let found = searcher.search(
            &*term_query(fields.key, &key),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some(&(_, address)) = found.first() else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let paper: TantivyDocument = searcher.doc(address)?;
        let title = stored_str(&paper, fields.title).unwrap_or_default();
        let lead = stored_str(&paper, fields.lead).unwrap_or_default();
        let words = format!("{title}\n{lead}");
        let n_papers = searcher.num_docs().max(1);
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            // A word in most papers ("Stadtrat", "Leipzig") says nothing about the topic.
            .with_max_doc_frequency((n_papers / 2).max(2))
            .with_min_term_frequency(1)
            .with_max_query_terms(MAX_QUERY_TERMS)
            .with_min_word_length(MIN_WORD_BYTES)
            .with_document_fields(vec![
                (fields.title, vec![OwnedValue::Str(title)]),
                (fields.text, vec![OwnedValue::Str(words.clone())]),
                (fields.attachments, vec![OwnedValue::Str(words)]),
            ]);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(like) as Box<dyn Query>),
            (Occur::MustNot, term_query(fields.key, &key)),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let similar: TantivyDocument = searcher.doc(address)?;
            hits.push(self.hit(&similar, score));
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Document;

    fn index() -> Index {
        let index = Index::create_in_ram().unwrap();
        let mut writer = index.writer().unwrap();
        let papers = [
            (
                "A-1",
                "Radweg an der Karl-Heine-Straße",
                "Der Radweg soll breiter werden, damit Radfahrende sicher fahren.",
            ),
            (
                "A-2",
                "Radweg in der Südvorstadt",
                "Radfahrende brauchen einen sicheren Radweg.",
            ),
            (
                "A-3",
                "Haushaltsplan 2025",
                "Der Haushalt der Stadt wird beschlossen.",
            ),
            ("A-4", "Spielplatz im Park", "Der Spielplatz wird saniert."),
        ];
        for (reference, title, text) in papers {
            writer
                .upsert(&Document {
                    body: "Leipzig".into(),
                    reference: reference.into(),
                    title: title.into(),
                    text: text.into(),
                    ..Document::default()
                })
                .unwrap();
        }
        writer.commit().unwrap();
        index
    }

    fn check(reference: &str, expected_first: Option<&str>) {
        let hits = index().similar(None, reference, 3).unwrap();
        assert!(
            hits.iter().all(|hit| hit.reference != reference),
            "{reference}"
        );
        assert_eq!(
            hits.first().map(|hit| hit.reference.as_str()),
            expected_first,
            "{reference}"
        );
    }

    #[test]
    fn finds_papers_on_the_same_topic() {
        check("A-1", Some("A-2"));
        check("A-2", Some("A-1"));
        check("unknown", None);
    }

    #[test]
    fn a_body_narrows_the_paper() {
        let index = index();
        assert!(!index.similar(Some("Leipzig"), "A-1", 3).unwrap().is_empty());
        assert!(index.similar(Some("Dresden"), "A-1", 3).unwrap().is_empty());
        assert!(index.similar(None, "A-1", 0).unwrap().is_empty());
    }
}
