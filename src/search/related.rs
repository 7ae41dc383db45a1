//! Articles like a given one: its most typical words as a query, boosted by
//! the places and organizations the articles share.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument, Term};

use super::query::{Clause, Expand, Occur, Scope};
use super::{SearchRequest, SearchResults, civil_from_days, rank};
use crate::error::{Error, Result};
use crate::index::NewsIndex;
use crate::index::document::{KIND_PASSAGE, stored_article};

/// What to find articles like.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelatedRequest {
    /// The article id (its path, for a one-article file).
    pub id: String,
    /// Articles to return.
    pub limit: usize,
    /// Passages per article.
    pub passages: usize,
    /// Only articles published before this one.
    pub before: bool,
    /// Words of the article used as the query.
    pub words: usize,
    /// How much shared places and organizations count: the score is
    /// multiplied by 1 + `entity_boost` × the share of the given article's
    /// places and organizations that the other one also has.
    pub entity_boost: f32,
}

impl RelatedRequest {
    /// Creates a request for the 10 articles most like article `id`.
    pub fn new(id: impl Into<String>) -> RelatedRequest {
        RelatedRequest {
            id: id.into(),
            limit: 10,
            passages: 1,
            before: false,
            words: 25,
            entity_boost: 1.0,
        }
    }
}

impl NewsIndex {
    /// Finds the articles most like article `request.id`: its most typical
    /// words (frequency in the article × rarity in the index) make a
    /// weighted query, and articles that share its places and
    /// organizations rank higher. The article itself and its duplicates
    /// are left out.
    pub fn related(&self, request: &RelatedRequest) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let source = self.article(&request.id)?;
        let mut analyzer = self.schema.analyzer(&self.schema.text.body.analyzer);
        let text = format!(
            "{}\n{}",
            source.title.clone().unwrap_or_default(),
            source.body
        );
        let mut counts: HashMap<String, (f32, String)> = HashMap::new();
        let mut stream = analyzer.token_stream(&text);
        while stream.advance() {
            let token = stream.token();
            counts
                .entry(token.text.clone())
                .or_insert_with(|| (0.0, text[token.offset_from..token.offset_to].to_string()))
                .0 += 1.0;
        }
        let passages = searcher.doc_freq(&Term::from_field_text(self.fields.kind, KIND_PASSAGE))?;
        let mut scored = Vec::new();
        for (term, (tf, surface)) in counts {
            let df = searcher.doc_freq(&Term::from_field_text(self.fields.passage, &term))?;
            scored.push((tf * rank::idf(df, passages), surface));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        scored.truncate(request.words);
        let max = scored
            .first()
            .map(|s| s.0)
            .unwrap_or(1.0)
            .max(f32::MIN_POSITIVE);
        let clauses: Vec<Clause> = scored
            .into_iter()
            .map(|(weight, surface)| Clause {
                occur: Occur::Should,
                scope: Scope::All,
                text: surface,
                phrase: false,
                slop: 0,
                expand: Expand::Exact,
                weight: weight / max,
                rerank_only: false,
            })
            .collect();

        let mut search = SearchRequest {
            limit: request.limit,
            passages: request.passages,
            facet_limit: 10,
            ..SearchRequest::default()
        };
        search.ranking.feedback_docs = 0;
        if request.before {
            let Some(published) = source.published else {
                return Err(Error::Filter(format!(
                    "article `{}` has no publication date to find older articles by",
                    source.id
                )));
            };
            // Published strictly before: up to the day before.
            let (y, m, d) = civil_from_days(published.days_since_epoch() - 1);
            search.to = Some(format!("{y:04}-{m:02}-{d:02}"));
        }
        // Re-ranking by shared entities reads the best `pool` in order.
        let pool = (request.limit * 5).max(50);
        let mut found = self.find_clauses(&searcher, &search, &clauses, pool)?;

        let mut own: HashSet<String> = source.locations.iter().map(|l| l.facet.clone()).collect();
        own.extend(source.organizations.iter().map(|o| o.facet.clone()));
        let mut skip: HashSet<String> = source.also_at.iter().cloned().collect();
        skip.insert(source.id.clone());
        // Re-rank the best text matches by shared entities.
        let matching = found.candidates.len();
        let mut skipped = 0;
        let mut rescored = Vec::new();
        for mut candidate in found.candidates.drain(..).take(pool) {
            let doc: TantivyDocument =
                searcher.doc(DocAddress::new(candidate.segment, candidate.doc))?;
            let id = doc
                .get_first(self.fields.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            if skip.contains(&id) {
                skipped += 1;
                continue;
            }
            if !own.is_empty() {
                let parts = self.stored_parts(&doc)?;
                let other = stored_article(&self.fields, &doc, &parts, Vec::new());
                let shared = other
                    .locations
                    .iter()
                    .map(|l| &l.facet)
                    .chain(other.organizations.iter().map(|o| &o.facet))
                    .filter(|f| own.contains(*f))
                    .count();
                candidate.score *= 1.0 + request.entity_boost * shared as f32 / own.len() as f32;
            }
            rescored.push(candidate);
        }
        rescored.sort_by(|a, b| b.score.total_cmp(&a.score));
        // Articles sharing a word with this one, itself left out.
        let total_articles = matching - skipped;
        let mut hits = Vec::new();
        for (i, candidate) in rescored.into_iter().take(request.limit).enumerate() {
            let range = candidate.passages.start as usize..candidate.passages.end as usize;
            let article = self.read_once(&searcher, &mut found.read, &candidate)?;
            hits.push(self.hit(
                &searcher,
                candidate,
                article,
                &mut found.passages[range],
                &search,
                &found.highlighter,
                &mut found.body_analyzer,
                &found.known,
                i + 1,
            )?);
        }
        Ok(SearchResults {
            total_articles,
            hits,
            ..SearchResults::default()
        })
    }
}
