//! Feedback words applied to the matches of the first pass, without a
//! second scan of the index.
//!
//! Feedback words only re-rank articles the query matched (they never
//! widen the matches), and with the default whole-article score each word
//! adds its own non-negative term to an article's score. So the first
//! pass's matches, totals and facet counts stand, and only the articles
//! that can still reach the requested page are re-scored: each feedback
//! word adds at most `idf × (k1 + 1)`, so once the best remaining
//! first-pass score plus that ceiling falls below the page's last final
//! score, no later article can enter the page. Re-scoring an article reads
//! the postings of its own passages only (a seek per word), where a second
//! query would walk every posting of every feedback word.

use rustc_hash::FxHashMap;
use tantivy::postings::{Postings, SegmentPostings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Searcher, Term};

use super::query::Clause;
use super::rank::{self, Aggregation};
use super::{BodyStats, Candidate, KindStats, ScoredPassages, SearchRequest, engine_io};
use crate::error::Result;
use crate::index::NewsIndex;
use crate::index::document::{KIND_ARTICLE, KIND_PASSAGE};

/// Candidates re-scored before the ceiling is first checked (then twice as
/// many each round). Each round opens every feedback word's postings
/// again, so too small a first batch costs more rounds: on the bench's
/// queries 16 cost 2% more instructions than 64, and 128 0.7% fewer
/// (BENCHMARKS.md, "Search latency, round 4"). Small under test, so that
/// the small test corpus exercises the stopping rule.
const FIRST_BATCH: usize = if cfg!(test) { 4 } else { 128 };

/// A feedback word ready to score.
struct Word {
    passage: Term,
    title: Option<Term>,
    idf_passage: f32,
    idf_article: f32,
}

/// Whether feedback can be applied by [`NewsIndex::rerank`] for this
/// request: the whole-article score, no separate headline score, no
/// proximity, no typo expansion and no `explain` (whose per-passage parts
/// need the full second pass).
pub(super) fn applies(request: &SearchRequest) -> bool {
    let ranking = &request.ranking;
    ranking.aggregation == Aggregation::Article
        && ranking.proximity == 0.0
        && ranking.title_boost <= 0.0
        && !request.typos
        && !request.explain
}

impl NewsIndex {
    /// Adds the feedback words' scores to the candidates that can reach the
    /// requested page and moves those to the front, the page sorted (the
    /// candidates after it are in no particular order). Returns false, leaving
    /// `candidates` as they were, when a feedback word does not analyze to
    /// exactly one term (the caller then runs the full second pass).
    pub(super) fn rerank(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        candidates: &mut [Candidate],
        pool: &mut ScoredPassages,
        extra: &[Clause],
    ) -> Result<bool> {
        let ranking = &request.ranking;
        let title_weight = ranking.title_weight.unwrap_or(self.schema.text.title.boost);
        let body_boost = self.schema.text.body.boost;
        let articles_stats = KindStats::new(searcher, self.fields.kind, KIND_ARTICLE)?;
        let passages_stats = KindStats::new(searcher, self.fields.kind, KIND_PASSAGE)?;
        let stats = self.body_stats(searcher, &articles_stats, &passages_stats)?;
        // The body analyzer with its stems remembered (the same tokens as
        // the index's chain, without stemming each word again).
        let mut analyzer = self.tokens();
        let analyzed: Vec<Vec<String>> = extra
            .iter()
            .map(|clause| {
                let mut tokens = Vec::new();
                analyzer.each(&clause.text, |token, _, _| tokens.push(token.to_string()));
                tokens
            })
            .collect();
        self.cache.give_back(analyzer);
        let mut words = Vec::new();
        for (clause, tokens) in extra.iter().zip(&analyzed) {
            let [token] = tokens.as_slice() else {
                return Ok(false);
            };
            let passage = Term::from_field_text(self.fields.passage, token);
            let title =
                (title_weight > 0.0).then(|| Term::from_field_text(self.fields.title, token));
            let passage_freq = searcher.doc_freq(&passage)?;
            let terms: Vec<Term> = std::iter::once(passage.clone())
                .chain(title.clone())
                .collect();
            let article_freq = self.article_freq(searcher, &terms)?;
            // The same products, in the same order, as the full pass.
            words.push(Word {
                idf_passage: clause.weight * body_boost * rank::idf(passage_freq, stats.passages),
                idf_article: clause.weight * body_boost * rank::idf(article_freq, stats.articles),
                passage,
                title,
            });
        }
        let need = (request.offset + request.limit).min(candidates.len());
        // The ceiling holds for k1 >= 0 and b in [0, 1]; a small margin
        // covers rounding. Otherwise every candidate is re-scored.
        let prunable = ranking.k1 >= 0.0
            && (0.0..=1.0).contains(&ranking.b)
            && words
                .iter()
                .all(|w| w.idf_article >= 0.0 && w.idf_article.is_finite());
        let ceiling: f32 = words
            .iter()
            .map(|w| w.idf_article * (ranking.k1 + 1.0))
            .sum::<f32>()
            * 1.0001
            + 1e-4;
        let mut done = 0;
        let mut batch = need.max(FIRST_BATCH);
        let mut infos = FxHashMap::default();
        while done < candidates.len() && need > 0 {
            let end = if prunable {
                (done + batch).min(candidates.len())
            } else {
                candidates.len()
            };
            // The first pass left the candidates unsorted past its top few:
            // the best `end - done` of those left (by first-pass score, a
            // total order, so the same ones a full sort puts there) go
            // first, and the best of the rest right after them, at `end`.
            if end < candidates.len() {
                candidates[done..].select_nth_unstable_by(end - done, super::by_relevance);
            }
            self.rescore(
                searcher,
                &mut candidates[done..end],
                pool,
                &words,
                &mut infos,
                &stats,
                request,
            )?;
            done = end;
            if done == candidates.len() {
                break;
            }
            let mut scores: Vec<f32> = candidates[..done].iter().map(|c| c.score).collect();
            let (_, &mut kth, _) = scores.select_nth_unstable_by(need - 1, |a, b| b.total_cmp(a));
            // The next one has the best first-pass score of those left.
            if candidates[done].score + ceiling < kth {
                break;
            }
            batch *= 2;
        }
        // Only the page is read, and `by_relevance` is a total order (ties
        // end at the document address): selecting the page's articles and
        // sorting those gives the page a full sort would.
        let rescored = &mut candidates[..done];
        if need > 0 && need < rescored.len() {
            rescored.select_nth_unstable_by(need - 1, super::by_relevance);
            rescored[..need].sort_unstable_by(super::by_relevance);
        } else {
            rescored.sort_unstable_by(super::by_relevance);
        }
        Ok(true)
    }

    /// Adds the feedback words' scores to each of `batch`, reading only the
    /// postings of its passages and headline. `infos` keeps each segment's
    /// term infos of the words (body, headline) for the batches after the
    /// first, which open the postings again but need not look the terms up.
    #[allow(clippy::too_many_arguments)]
    fn rescore(
        &self,
        searcher: &Searcher,
        batch: &mut [Candidate],
        pool: &mut ScoredPassages,
        words: &[Word],
        infos: &mut FxHashMap<u32, Vec<[Option<TermInfo>; 2]>>,
        stats: &BodyStats,
        request: &SearchRequest,
    ) -> Result<()> {
        let ranking = &request.ranking;
        let title_weight = ranking.title_weight.unwrap_or(self.schema.text.title.boost);
        let mut order: Vec<(u32, usize)> =
            (0..batch.len()).map(|i| (batch[i].segment, i)).collect();
        // (segment, doc) is distinct per candidate: unstable is exact.
        order.sort_unstable_by_key(|&(segment, i)| (segment, batch[i].doc));
        for group in order.chunk_by(|a, b| a.0 == b.0) {
            let segment = searcher.segment_reader(group[0].0);
            let alive = segment.alive_bitset();
            let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
            let fieldnorms = segment.get_fieldnorms_reader(self.fields.passage)?;
            let inverted = segment.inverted_index(self.fields.passage)?;
            let title_inverted = segment.inverted_index(self.fields.title)?;
            let infos = match infos.entry(group[0].0) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    let mut found = Vec::with_capacity(words.len());
                    for word in words {
                        let body = inverted.get_term_info(&word.passage).map_err(engine_io)?;
                        let title = match &word.title {
                            Some(term) => title_inverted.get_term_info(term).map_err(engine_io)?,
                            None => None,
                        };
                        found.push([body, title]);
                    }
                    slot.insert(found)
                }
            };
            let open = |inverted: &tantivy::InvertedIndexReader, info: &Option<TermInfo>| {
                info.as_ref()
                    .map(|info| {
                        inverted.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
                    })
                    .transpose()
                    .map_err(engine_io)
            };
            let mut postings: Vec<(Option<SegmentPostings>, Option<SegmentPostings>)> =
                Vec::with_capacity(words.len());
            for [body, title] in infos.iter() {
                postings.push((open(&inverted, body)?, open(&title_inverted, title)?));
            }
            let avg = stats.avg_article + title_weight * stats.avg_title;
            let mut totals: Vec<Option<f32>> = Vec::new();
            for &(_, i) in group {
                let candidate = &mut batch[i];
                let article = candidate.doc;
                // Measured by the first pass.
                let (first, length) = (candidate.first, candidate.length);
                totals.clear();
                totals.resize((article - first) as usize, None);
                let matched = candidate.passages.start as usize..candidate.passages.end as usize;
                for &(doc, score) in &pool[matched] {
                    if (first..article).contains(&doc) {
                        totals[(doc - first) as usize] = Some(score);
                    }
                }
                for (word, (body, title)) in words.iter().zip(postings.iter_mut()) {
                    let mut body_tf = 0.0;
                    let mut title_tf = 0.0;
                    if let Some(title) = title {
                        if title.doc() < article {
                            title.seek(article);
                        }
                        if title.doc() == article {
                            title_tf += title.term_freq() as f32;
                        }
                    }
                    if let Some(body) = body {
                        if body.doc() < first {
                            body.seek(first);
                        }
                        let mut doc = body.doc();
                        while doc < article {
                            if is_alive(doc) {
                                let tf = body.term_freq() as f32;
                                body_tf += tf;
                                let len = fieldnorms.fieldnorm(doc) as f32;
                                let score = word.idf_passage
                                    * rank::tf_part(ranking, tf, len, stats.avg_passage);
                                let slot = &mut totals[(doc - first) as usize];
                                *slot = Some(slot.unwrap_or(0.0) + score);
                            }
                            doc = body.advance();
                        }
                    }
                    candidate.parts.article += word.idf_article
                        * rank::tf_part(ranking, body_tf + title_weight * title_tf, length, avg);
                }
                let start = pool.len() as u32;
                pool.extend(
                    totals
                        .iter()
                        .enumerate()
                        .filter_map(|(j, t)| t.map(|t| (first + j as DocId, t))),
                );
                candidate.passages = start..pool.len() as u32;
                candidate.score = candidate.parts.total(ranking);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use crate::{Article, NewsIndex, Schema, SearchRequest, SearchResults};

    /// Sixty articles (two removed) of several passages over a shared
    /// vocabulary of 80 words,
    /// so that queries match many articles and feedback finds words.
    fn index() -> &'static NewsIndex {
        static INDEX: OnceLock<NewsIndex> = OnceLock::new();
        INDEX.get_or_init(|| {
            let named = [
                "rain", "drought", "harvest", "grain", "price", "market", "farmers", "river",
                "flood", "bank", "loan", "export", "wheat", "coffee", "minister", "budget",
                "storm", "port", "ship", "strike",
            ];
            let words: Vec<String> = named
                .iter()
                .map(|w| w.to_string())
                .chain((0..60).map(|k| format!("item{k}")))
                .collect();
            let mut state: u64 = 7;
            let mut next = move |n: usize| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                (state >> 33) as usize % n
            };
            let mut articles = Vec::new();
            for i in 0..60 {
                let mut body = String::new();
                for _ in 0..(3 + next(5)) {
                    let sentence: Vec<&str> = (0..(8 + next(10)))
                        .map(|_| words[next(words.len())].as_str())
                        .collect();
                    body.push_str(&format!("The {} said this week.\n", sentence.join(" ")));
                }
                articles.push(Article {
                    id: format!("a{i}"),
                    title: Some(format!(
                        "{} and {}",
                        words[next(words.len())],
                        words[next(words.len())]
                    )),
                    body,
                    ..Article::default()
                });
            }
            // Two ingests (two segments) and removed articles (deleted
            // documents), so re-scoring crosses segments and skips the dead.
            let index = NewsIndex::create_in_ram(Schema::default()).unwrap();
            let second = articles.split_off(30);
            index.ingest_articles(articles).unwrap();
            index.ingest_articles(second).unwrap();
            index
                .remove(&["a3".to_string(), "a41".to_string()])
                .unwrap();
            index
        })
    }

    fn page(results: &SearchResults) -> Vec<(String, f32, Vec<[usize; 2]>)> {
        results
            .hits
            .iter()
            .map(|h| {
                let spans = h.passages.iter().map(|p| [p.start, p.end]).collect();
                (h.id.clone(), h.score, spans)
            })
            .collect()
    }

    #[test]
    fn feedback_on_the_first_pass_ranks_like_the_full_second_pass() {
        let index = index();
        for query in [
            "rain",
            "grain price",
            "+flood river",
            "\"this week\" wheat",
            "bank -loan",
        ] {
            for (offset, limit) in [(0, 10), (0, 3), (4, 5), (20, 40)] {
                let mut quick = SearchRequest::new(query);
                quick.offset = offset;
                quick.limit = limit;
                assert!(super::applies(&quick));
                // `explain` takes the full second pass and changes no score.
                let full = SearchRequest {
                    explain: true,
                    ..quick.clone()
                };
                assert!(!super::applies(&full));
                let (a, b) = (index.search(&quick).unwrap(), index.search(&full).unwrap());
                assert!(offset > 0 || !a.hits.is_empty(), "{query}");
                assert_eq!(page(&a), page(&b), "{query} {offset} {limit}");
                assert_eq!(a.total_articles, b.total_articles);
                assert_eq!(a.facets, b.facets);
                // Feedback words are listed with `explain` only; they exist.
                assert!(a.feedback.is_empty());
                assert!(!b.feedback.is_empty(), "{query}: feedback found no words");
            }
        }
    }

    #[test]
    fn turning_facet_counts_off_keeps_the_hits_and_the_total() {
        let index = index();
        let with = SearchRequest::new("harvest storm");
        let without = SearchRequest {
            facet_limit: 0,
            ..with.clone()
        };
        let (a, b) = (
            index.search(&with).unwrap(),
            index.search(&without).unwrap(),
        );
        assert_eq!(page(&a), page(&b));
        assert_eq!(a.total_articles, b.total_articles);
        assert!(b.facets.location.is_empty() && b.facets.date.is_empty());
    }

    #[test]
    fn repeated_words_rank_like_the_word_once() {
        let index = index();
        let ids = |query: &str| -> Vec<String> {
            let mut request = SearchRequest::new(query);
            request.limit = 60;
            let results = index.search(&request).unwrap();
            results.hits.into_iter().map(|h| h.id).collect()
        };
        assert_eq!(ids("coffee"), ids(&vec!["coffee"; 10_000].join(" ")));
        assert_eq!(
            ids("coffee port"),
            ids("coffee port coffee port port coffee")
        );
    }

    #[test]
    fn a_query_of_too_many_distinct_words_names_the_limit() {
        let query: Vec<String> = (0..1100).map(|i| format!("w{i}")).collect();
        let error = index()
            .search(&SearchRequest::new(query.join(" ")))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("1100 distinct") && error.contains("1024"),
            "{error}"
        );
    }
}
