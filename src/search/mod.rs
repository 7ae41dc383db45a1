//! Searching: query parsing, filters, passage ranking grouped by article,
//! highlights and facet counts.
//!
//! Passages are what the query is matched against; an article's score is
//! the sum, over the query's clauses, of the best score that clause got in
//! any of its passages or its headline. So an article that matches more of
//! the query's words ranks higher, even when no single passage holds them
//! all, and `+required` words may sit in different passages.

mod cache;
mod facets;
mod filter;

pub(crate) use filter::date_path;
mod highlight;
mod query;
mod rank;
mod related;
mod rerank;

pub use rank::{Aggregation, QuerySyntax, Ranking, ScoreParts};
pub use related::RelatedRequest;

pub(crate) use cache::SearchCache;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, PhraseQuery, Query, TermQuery, Weight,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{
    DateTime, DocAddress, DocId, Searcher, SegmentReader, TERMINATED, TantivyDocument, Term,
};

use crate::article::Date;
use crate::error::{Error, Result};
use crate::index::document::{
    KIND_ARTICLE, KIND_PASSAGE, ShownMeta, article_body, date_time, stored_article_at,
};
use crate::index::{NewsIndex, StoredArticle, StoredParts};
use crate::schema::FACETS;
use facets::FacetTally;
use highlight::{Highlighter, KnownTokens, Tokens, analyze};
use query::{Expand, Occur, Scope};

/// How hits are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best score first (the default); ties newest first.
    #[default]
    Relevance,
    /// Newest first; undated articles last.
    Date,
}

/// The bucket size of a date histogram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Histogram {
    /// `YYYY` buckets.
    Year,
    /// `YYYY-MM` buckets.
    Month,
    /// `YYYY-MM-DD` buckets.
    Day,
}

/// One bucket of a date histogram.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub value: String,
    /// Matching articles published in it.
    pub count: usize,
}

/// A facet filter: a facet name or alias and a value (a path such as
/// `/Africa`, or a name such as `Mali`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetFilter {
    /// `location`, `organization`, `source`, `date` or an alias (`loc`, `org`).
    pub facet: String,
    /// A path (`/Africa/Western Africa`) or a name (`Mali`).
    pub value: String,
}

/// What to search for. In JSON every field but `query` may be left out
/// and takes its default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// The query text; empty matches every article.
    pub query: String,
    /// Facet filters: repeated filters of one facet are OR, facets are AND.
    pub filters: Vec<FacetFilter>,
    /// Earliest publication date, inclusive: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Latest publication date, inclusive, in the same forms.
    pub to: Option<String>,
    /// Articles per page.
    pub limit: usize,
    /// Articles to skip (for paging).
    pub offset: usize,
    /// Passages per article.
    pub passages: usize,
    /// Order of hits.
    pub sort: Sort,
    /// Values per facet in the counts (0: no counts are made, which saves
    /// their cost; `total_articles` stays exact).
    pub facet_limit: usize,
    /// How the query text is read.
    #[serde(default)]
    pub syntax: QuerySyntax,
    /// Ranking parameters.
    #[serde(default)]
    pub ranking: Ranking,
    /// Attach to each hit how its score was made.
    #[serde(default)]
    pub explain: bool,
    /// A histogram of the matching articles' dates, if wanted.
    #[serde(default)]
    pub histogram: Option<Histogram>,
    /// Typo tolerance for every word: words of 5 to 8 letters match
    /// within one edit, longer ones within two (exact matches weigh more).
    #[serde(default)]
    pub typos: bool,
}

impl Default for SearchRequest {
    fn default() -> SearchRequest {
        SearchRequest {
            query: String::new(),
            filters: Vec::new(),
            from: None,
            to: None,
            limit: 10,
            offset: 0,
            passages: 2,
            sort: Sort::Relevance,
            facet_limit: 10,
            syntax: QuerySyntax::Full,
            ranking: Ranking::default(),
            explain: false,
            typos: false,
            histogram: None,
        }
    }
}

impl SearchRequest {
    /// Creates a request for `query` with the defaults (10 articles, 2 passages).
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            ..SearchRequest::default()
        }
    }

    /// Adds a facet filter.
    pub fn filter(mut self, facet: impl Into<String>, value: impl Into<String>) -> SearchRequest {
        self.filters.push(FacetFilter {
            facet: facet.into(),
            value: value.into(),
        });
        self
    }
}

/// A place or organization of a hit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityRef {
    /// Display name.
    pub name: String,
    /// Facet path.
    pub facet: String,
}

/// A passage of a hit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassageHit {
    /// The passage text: exactly `body[start..end]` in code points.
    pub text: String,
    /// Start in the article body, in code points, inclusive.
    pub start: usize,
    /// End in the article body, in code points, exclusive.
    pub end: usize,
    /// Matched spans, `[start, end)` in code points relative to `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// One article in the results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// 1-based rank, counting the request's offset.
    pub rank: usize,
    /// Relevance score (0 when the query is empty).
    pub score: f32,
    /// Article id.
    pub id: String,
    /// Source file.
    pub path: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<Date>,
    /// Web address.
    pub url: Option<String>,
    /// Outlet or agency.
    pub source: Option<String>,
    /// Dateline as written.
    pub dateline: Option<String>,
    /// Ids of exact duplicates of this article.
    pub also_at: Vec<String>,
    /// Places of the article.
    pub locations: Vec<EntityRef>,
    /// Organizations of the article.
    pub organizations: Vec<EntityRef>,
    /// The best passages, best first; the lead passages when only the
    /// headline matched.
    pub passages: Vec<PassageHit>,
    /// How the score was made (with `explain` in the request).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub explain: Option<ScoreParts>,
}

/// A facet value and how many matching articles have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The facet path.
    pub value: String,
    /// Matching articles with this value or one below it.
    pub count: usize,
}

/// Facet counts over the matching articles: the children of each facet's
/// active node. Each facet's counts ignore its own filters (multi-select).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FacetCounts {
    /// Location counts.
    pub location: Vec<FacetCount>,
    /// Organization counts.
    pub organization: Vec<FacetCount>,
    /// Source counts.
    pub source: Vec<FacetCount>,
    /// Date counts (years at the root).
    pub date: Vec<FacetCount>,
    /// Counts of the dates the articles mention (years at the root).
    pub mentioned: Vec<FacetCount>,
}

/// What a filter value resolved to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedFilter {
    /// Canonical facet name.
    pub facet: String,
    /// The value as given.
    pub value: String,
    /// The facet paths it matched (ORed); empty when nothing matched.
    pub paths: Vec<String>,
}

/// The answer to a [`SearchRequest`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Exact number of matching articles.
    pub total_articles: usize,
    /// The requested page of articles.
    pub hits: Vec<Hit>,
    /// Facet counts over all matching articles.
    pub facets: FacetCounts,
    /// How each filter value was resolved.
    pub resolved_filters: Vec<ResolvedFilter>,
    /// Matching articles per date bucket, oldest first, without gaps
    /// filled (with `histogram` in the request); undated articles are not
    /// counted.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub histogram: Vec<Bucket>,
    /// Words added by feedback and their weights (with `explain`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub feedback: Vec<(String, f32)>,
}

/// A matching article before its page is fetched.
struct Candidate {
    segment: u32,
    doc: DocId,
    score: f32,
    published: Option<i64>,
    /// Matched passages, as (passage doc, score): a range of the search's
    /// passage pool (one vector for all candidates, not one each).
    passages: Range<u32>,
    /// The article's first passage document.
    first: DocId,
    /// The article's length for the whole-article score (its passages'
    /// lengths and the weighted headline's), for re-scoring.
    length: f32,
    parts: ScoreParts,
}

/// Facet counts per (facet, counted at the parent of the active node).
type Counts = BTreeMap<(&'static str, bool), FxHashMap<Arc<str>, usize>>;

/// Every matching article of a request, sorted, and what hits need.
struct Found {
    candidates: Vec<Candidate>,
    /// The candidates' scored passages (see [`Candidate::passages`]).
    passages: ScoredPassages,
    counts: Counts,
    resolved_filters: Vec<ResolvedFilter>,
    highlighter: Highlighter,
    body_analyzer: Tokens,
    /// Feedback words and weights.
    feedback: Vec<(String, f32)>,
    /// No clause had anything to match (every word vanished in analysis or
    /// expanded to no index term), so every article matched unscored.
    unscored: bool,
    /// Feedback's analysis of its top articles, for their highlights.
    known: KnownTokens,
    /// The articles feedback read, for the hits: mostly the top of the page.
    read: Vec<ReadArticle>,
}

/// A stored article document, read and unpacked, at its address.
type ReadArticle = (DocAddress, (TantivyDocument, StoredParts));

/// One group of filters that must all hold: one facet's filters.
struct FilterGroup {
    facet: &'static str,
    /// The facet values (ORed), when the group has any.
    weight: Option<Box<dyn Weight>>,
    /// Publication date bounds (inclusive), checked on the article's
    /// `published` column: a lookup per matched article, where a range
    /// query's doc set scans the column block by block to seek to it.
    dates: Option<DateBounds>,
}

/// Inclusive publication date bounds; `None` is open.
type DateBounds = (Option<DateTime>, Option<DateTime>);

impl NewsIndex {
    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let Found {
            candidates,
            mut passages,
            counts,
            resolved_filters,
            highlighter,
            mut body_analyzer,
            feedback,
            known,
            mut read,
            ..
        } = self.find(&searcher, request)?;
        let total_articles = candidates.len();
        let histogram = request
            .histogram
            .map(|size| histogram(&candidates, size))
            .unwrap_or_default();
        let mut hits = Vec::new();
        for (i, candidate) in candidates
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .enumerate()
        {
            let range = candidate.passages.start as usize..candidate.passages.end as usize;
            let article = self.read_once(&searcher, &mut read, &candidate)?;
            hits.push(self.hit(
                &searcher,
                candidate,
                article,
                &mut passages[range],
                request,
                &highlighter,
                &mut body_analyzer,
                &known,
                request.offset + i + 1,
            )?);
        }
        self.cache.give_back(body_analyzer);
        let top = |facet: &str| -> Vec<FacetCount> {
            let own = counts.get(&(facet, false)).filter(|m| !m.is_empty());
            let Some(all) = own.or_else(|| counts.get(&(facet, true))) else {
                return Vec::new();
            };
            // The places the gazetteer could not put in the hierarchy are
            // no continent: the location root lists the continents only,
            // and `--location /Unplaced` (or a name) reaches them.
            let mut list: Vec<(&str, usize)> = all
                .iter()
                .map(|(v, c)| (v.as_ref(), *c))
                .filter(|(v, _)| facet != "location" || *v != crate::extract::tagger::UNPLACED)
                .collect();
            // Most articles first, then by value: a total order (values are
            // distinct), so selecting the first `facet_limit` and sorting
            // those gives what sorting them all would.
            let order =
                |a: &(&str, usize), b: &(&str, usize)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
            let limit = request.facet_limit;
            if limit == 0 {
                return Vec::new();
            }
            if limit < list.len() {
                list.select_nth_unstable_by(limit - 1, order);
                list.truncate(limit);
            }
            list.sort_unstable_by(order);
            list.into_iter()
                .map(|(value, count)| FacetCount {
                    value: value.to_string(),
                    count,
                })
                .collect()
        };
        Ok(SearchResults {
            total_articles,
            hits,
            facets: FacetCounts {
                location: top("location"),
                organization: top("organization"),
                source: top("source"),
                date: top("date"),
                mentioned: top("mentioned"),
            },
            resolved_filters,
            histogram,
            feedback: if request.explain {
                feedback
            } else {
                Vec::new()
            },
        })
    }

    /// Ranks articles only: the requested page as (article id, score),
    /// without passages, highlights or facet counts. For evaluation runs.
    pub fn rank(&self, request: &SearchRequest) -> Result<Vec<(String, f32)>> {
        let searcher = self.reader.searcher();
        let request = SearchRequest {
            facet_limit: 0,
            ..request.clone()
        };
        let found = self.find(&searcher, &request)?;
        let mut ranked = Vec::new();
        for candidate in found
            .candidates
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
        {
            let doc: TantivyDocument =
                searcher.doc(DocAddress::new(candidate.segment, candidate.doc))?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                ranked.push((id.to_string(), candidate.score));
            }
        }
        Ok(ranked)
    }

    /// Finds every matching article, sorted, with facet counts.
    fn find(&self, searcher: &Searcher, request: &SearchRequest) -> Result<Found> {
        let facet_names = self.facet_names();
        let (clauses, inline) = match request.syntax {
            QuerySyntax::Full => {
                let parsed = query::parse(&request.query, &facet_names)?;
                (parsed.clauses, parsed.filters)
            }
            QuerySyntax::Natural => (query::parse_natural(&request.query), Vec::new()),
        };
        let mut clauses = query::merge_repeats(clauses)?;
        // Inline filters are the same as the options: `location:Mali` is
        // `--location Mali`, and `date:2022-11` selects the date facet's
        // `/2022/11`, so several `date:` filters keep articles of any of
        // them, as several values of any facet do (--from/--to narrow
        // further).
        let mut request = request.clone();
        for (facet, value) in inline {
            let value = if is_date_facet(self.schema.facet_name(&facet)?) {
                filter::date_path(&value)?
            } else {
                value
            };
            request.filters.push(FacetFilter { facet, value });
        }
        let request = &request;
        let ranking = &request.ranking;
        // Feedback needs something to feed on: at least one word that is
        // not excluded.
        let positive = clauses.iter().any(|c| c.occur != Occur::MustNot);
        let mut known = KnownTokens::default();
        let mut read = Vec::new();
        if ranking.feedback_docs > 0 && request.sort == Sort::Relevance && positive {
            // When feedback can be applied to the first pass's matches, that
            // pass is the only scan and makes the facet counts too.
            let quick = rerank::applies(request);
            let first = SearchRequest {
                facet_limit: if quick { request.facet_limit } else { 0 },
                ..request.clone()
            };
            // Feedback reads the top articles in order; re-ranking selects
            // what it re-scores by itself, and a second pass sorts anew.
            let mut found = self.find_clauses(searcher, &first, &clauses, ranking.feedback_docs)?;
            let top = &found.candidates[..found.candidates.len().min(ranking.feedback_docs)];
            let extra;
            (extra, known, read) = self.feedback(searcher, top, &clauses, request)?;
            // With nothing scored, the full pass below is what decides (a
            // feedback word cannot match on its own, so nothing matches).
            if quick
                && !found.unscored
                && self.rerank(
                    searcher,
                    request,
                    &mut found.candidates,
                    &mut found.passages,
                    &extra,
                )?
            {
                found.feedback = extra.iter().map(|c| (c.text.clone(), c.weight)).collect();
                found.known = known;
                found.read = read;
                return Ok(found);
            }
            clauses.extend(extra);
        }
        let page = request.offset.saturating_add(request.limit);
        let mut found = self.find_clauses(searcher, request, &clauses, page)?;
        found.known = known;
        found.read = read;
        Ok(found)
    }

    /// The index terms a prefix or fuzzy word stands for, with weights (1
    /// for a prefix match, less per edit for a fuzzy one): the closest and
    /// most frequent first, at most 50.
    fn expand(
        &self,
        searcher: &Searcher,
        raw: &str,
        analyzed: &[String],
        expand: Expand,
    ) -> Result<Vec<(String, f32)>> {
        use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RawTokenizer};
        let mut folder = tantivy::tokenizer::TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build();
        // The word as typed (folded) and as analyzed (stemmed): index terms
        // are stemmed, so either may be the one that matches.
        let mut targets = analyze(&mut folder, raw);
        if let [one] = analyzed
            && !targets.contains(one)
        {
            targets.push(one.clone());
        }
        let mut found: HashMap<String, f32> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.passage)?;
            let dictionary = inverted.terms();
            match expand {
                Expand::Exact => {}
                Expand::Prefix => {
                    for target in &targets {
                        let mut stream = dictionary
                            .range()
                            .ge(target.as_bytes())
                            .into_stream()
                            .map_err(engine_io)?;
                        while stream.advance() {
                            if !stream.key().starts_with(target.as_bytes()) {
                                break;
                            }
                            if let Ok(term) = std::str::from_utf8(stream.key()) {
                                found.insert(term.to_string(), 1.0);
                            }
                        }
                    }
                }
                Expand::Fuzzy(distance) => {
                    let distance = distance as usize;
                    let mut stream = dictionary.stream().map_err(engine_io)?;
                    while stream.advance() {
                        let Ok(term) = std::str::from_utf8(stream.key()) else {
                            continue;
                        };
                        let best = targets
                            .iter()
                            .filter_map(|t| edit_distance(t, term, distance))
                            .min();
                        if let Some(edits) = best {
                            let weight = 1.0 - 0.25 * edits as f32;
                            let entry = found.entry(term.to_string()).or_insert(weight);
                            *entry = entry.max(weight);
                        }
                    }
                }
            }
        }
        let mut ranked = Vec::new();
        for (term, weight) in found {
            let df = searcher.doc_freq(&Term::from_field_text(self.fields.passage, &term))?;
            ranked.push((term, weight, df));
        }
        ranked.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(b.2.cmp(&a.2))
                .then_with(|| a.0.cmp(&b.0))
        });
        ranked.truncate(50);
        Ok(ranked.into_iter().map(|(t, w, _)| (t, w)).collect())
    }

    /// Words typical of the `top` articles and absent from the query, as
    /// re-ranking clauses: each word's score is its mean length-normalized
    /// frequency in those articles times its idf. With them, the articles'
    /// body tokens, for highlighting when the request shows passages.
    fn feedback(
        &self,
        searcher: &Searcher,
        top: &[Candidate],
        clauses: &[query::Clause],
        request: &SearchRequest,
    ) -> Result<(Vec<query::Clause>, KnownTokens, Vec<ReadArticle>)> {
        let ranking = &request.ranking;
        let mut analyzer = self.schema.analyzer(&self.schema.text.body.analyzer);
        let mut tokens = self.tokens();
        // Fx hashing: every new word of the articles is looked up here.
        let asked: FxHashSet<String> = clauses
            .iter()
            .flat_map(|c| analyze(&mut analyzer, &c.text))
            .collect();
        // The articles, read once, then their headlines and bodies (a body
        // stored in pieces, a huge article's, is joined; any other is
        // borrowed from its document). Only those two fields are looked at:
        // the stored metadata is not parsed.
        let mut docs: Vec<ReadArticle> = Vec::with_capacity(top.len());
        for candidate in top {
            let address = DocAddress::new(candidate.segment, candidate.doc);
            docs.push((address, self.read_article(searcher, address)?));
        }
        let mut texts: Vec<std::borrow::Cow<str>> = Vec::with_capacity(2 * docs.len());
        for (address, (_, parts)) in &docs {
            texts.push(std::borrow::Cow::Borrowed(
                parts.title().unwrap_or_default(),
            ));
            texts.push(article_body(searcher, *address, &self.fields, parts)?);
        }
        // One slot per distinct word of the top articles: its summed
        // normalized frequency, its count in the article being read, its
        // key and a surface form (the first seen). Keys are copied once
        // into one buffer and surfaces are places in `texts`, so a new word
        // costs no allocation of its own. A word is found by its hash, the
        // key compared; a different word of the same hash (rare) goes to a
        // map of its own.
        let mut keys = String::new();
        let mut by_hash: FxHashMap<u64, u32> = FxHashMap::default();
        let mut collided: FxHashMap<String, u32> = FxHashMap::default();
        let mut words: Vec<FeedbackWord> = Vec::new();
        // Slots met in the current article, in order of first occurrence.
        let mut met: Vec<u32> = Vec::new();
        // Each body's tokens as (slot, from, to), kept for highlighting when
        // a token is made from one run of letters and digits alone (see
        // `KnownTokens::within`).
        let spec = &self.schema.analyzers[&self.schema.text.body.analyzer];
        let keep = request.passages > 0 && crate::analysis::splits_simply(spec);
        let mut bodies: Vec<Vec<highlight::KnownToken>> = Vec::with_capacity(top.len());
        for (article, pair) in texts.chunks(2).enumerate() {
            let mut len: f32 = 0.0;
            // Headline then body: no word spans the two.
            for (part, text) in pair.iter().enumerate() {
                let at = (2 * article + part) as u32;
                let mut body = Vec::new();
                if keep && part == 1 {
                    // Words average over five bytes with their separators.
                    body.reserve(text.len() / 5 + 1);
                }
                tokens.each(text, |token, from, to| {
                    len += 1.0;
                    let hash = {
                        use std::hash::{Hash, Hasher};
                        let mut hasher = rustc_hash::FxHasher::default();
                        token.hash(&mut hasher);
                        hasher.finish()
                    };
                    let found = match by_hash.get(&hash) {
                        Some(&slot) if words[slot as usize].key(&keys) == token => Some(slot),
                        Some(_) => collided.get(token).copied(),
                        None => None,
                    };
                    let slot = match found {
                        Some(slot) => slot,
                        None => {
                            let slot = words.len() as u32;
                            if let std::collections::hash_map::Entry::Vacant(e) =
                                by_hash.entry(hash)
                            {
                                e.insert(slot);
                            } else {
                                collided.insert(token.to_string(), slot);
                            }
                            let start = keys.len() as u32;
                            keys.push_str(token);
                            words.push(FeedbackWord {
                                weight: 0.0,
                                tf: 0.0,
                                key: (start, keys.len() as u32),
                                surface: (at, from as u32, to as u32),
                                asked: asked.contains(token),
                            });
                            slot
                        }
                    };
                    let word = &mut words[slot as usize];
                    if word.tf == 0.0 {
                        met.push(slot);
                    }
                    word.tf += 1.0;
                    if keep && part == 1 {
                        body.push((slot, from as u32, to as u32));
                    }
                });
                if keep && part == 1 {
                    bodies.push(body);
                }
            }
            for slot in met.drain(..) {
                let word = &mut words[slot as usize];
                if !word.asked {
                    word.weight += word.tf / len.max(1.0);
                }
                word.tf = 0.0;
            }
        }
        // In slot order: the order of the candidates does not change which
        // words `top_feedback_words` keeps.
        let weights: Vec<(f32, &str, &str)> = words
            .iter()
            .filter(|word| !word.asked)
            .map(|word| {
                let (at, from, to) = word.surface;
                let surface = &texts[at as usize][from as usize..to as usize];
                (word.weight, surface, word.key(&keys))
            })
            .collect();
        self.cache.give_back(tokens);
        let passages = searcher.doc_freq(&Term::from_field_text(self.fields.kind, KIND_PASSAGE))?;
        let scored =
            self.top_feedback_words(searcher, weights, passages, ranking.feedback_terms)?;
        let mut known = KnownTokens::new(keys, words.iter().map(|w| w.key).collect());
        for ((address, _), body) in docs.iter().zip(bodies) {
            known.add((address.segment_ord, address.doc_id), body);
        }
        // As in RM3, the added words together weigh a fixed share of the
        // query: `feedback_weight` × the number of query words, split in
        // proportion to their scores. A one-word query cannot be swamped.
        // Merged repeats count as many times as they were typed.
        let words: f32 = clauses
            .iter()
            .filter(|c| c.occur != Occur::MustNot)
            .map(|c| c.weight)
            .sum();
        let sum: f32 = scored
            .iter()
            .map(|(w, _)| *w)
            .sum::<f32>()
            .max(f32::MIN_POSITIVE);
        let max = sum / (ranking.feedback_weight * words).max(f32::MIN_POSITIVE);
        let extra = scored
            .into_iter()
            .map(|(w, surface)| query::Clause {
                occur: Occur::Should,
                scope: Scope::All,
                text: surface,
                phrase: false,
                slop: 0,
                expand: Expand::Exact,
                weight: w / max,
                rerank_only: true,
            })
            .collect();
        Ok((extra, known, docs))
    }

    /// The `wanted` best-scored feedback words (score = summed normalized
    /// frequency × idf, ties by surface form) among those found in at least
    /// two articles of the index, as (score, surface form), from `weights`
    /// as (summed normalized frequency, surface form, term).
    ///
    /// Exactly the words a full ranking of every candidate would keep, with
    /// far fewer document frequency lookups: candidates are scored in order
    /// of frequency, and since a kept word's idf is at most that of a word
    /// in two passages, once the next frequency times that bound is below
    /// the last kept score, no unscored word can enter the list.
    fn top_feedback_words(
        &self,
        searcher: &Searcher,
        weights: Vec<(f32, &str, &str)>,
        passages: u64,
        wanted: usize,
    ) -> Result<Vec<(f32, String)>> {
        if wanted == 0 {
            return Ok(Vec::new());
        }
        // A kept word is in two articles, so in two passage documents at
        // least: its idf is at most that of a word in two.
        let ceiling = rank::idf(2, passages);
        let mut pending = weights;
        // Most frequent last, to pop; ties in any order (all are scored
        // before the bound can stop on them).
        pending.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut scored: Vec<(f32, &str, Term)> = Vec::with_capacity(pending.len());
        let mut two: FxHashMap<Term, bool> = FxHashMap::default();
        let mut batch = 16;
        loop {
            for _ in 0..batch {
                let Some((weight, surface, term)) = pending.pop() else {
                    break;
                };
                let term = Term::from_field_text(self.fields.passage, term);
                let df = searcher.doc_freq(&term)?;
                scored.push((weight * rank::idf(df, passages), surface, term));
            }
            // A total order (distinct words have distinct surface forms), so
            // an unstable sort gives the stable one's order.
            scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            // A word found in one article only (repeated in its passages)
            // says nothing about what the top articles share; it is dropped.
            let mut kept = Vec::new();
            for (score, surface, term) in &scored {
                if kept.len() == wanted {
                    break;
                }
                let shared = match two.get(term) {
                    Some(&shared) => shared,
                    None => {
                        let shared = self.in_two_articles(searcher, term)?;
                        two.insert(term.clone(), shared);
                        shared
                    }
                };
                if shared {
                    kept.push((*score, surface.to_string()));
                }
            }
            let done = match (pending.last(), kept.last()) {
                (None, _) => true,
                (Some(next), Some(last)) if kept.len() == wanted => next.0 * ceiling < last.0,
                _ => false,
            };
            if done {
                return Ok(kept);
            }
            batch *= 2;
        }
    }

    /// Finds every article matching `clauses`, with facet counts; the
    /// first `sorted` candidates are the best in order, the rest follow in
    /// no particular order.
    fn find_clauses(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        clauses: &[query::Clause],
        sorted: usize,
    ) -> Result<Found> {
        // Filters, grouped by facet.
        let mut resolved_filters = Vec::new();
        let mut by_facet: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for filter in &request.filters {
            let facet = self.schema.facet_name(&filter.facet)?;
            // Dates are typed as dates (`2008-03`), not as names of a step.
            let value = if is_date_facet(facet) && !filter.value.trim().starts_with('/') {
                filter::date_path(&filter.value)?
            } else {
                filter.value.clone()
            };
            let paths = self.cache.resolved(searcher, facet, &value, || {
                let field = self.fields.facet(facet);
                let all = self
                    .cache
                    .facet_paths(searcher, field, || filter::facet_paths(searcher, field))?;
                let aliases = crate::extract::alias_facets(facet, &value);
                Ok(filter::resolve(&value, &all, &aliases))
            })?;
            by_facet
                .entry(facet)
                .or_default()
                .extend(paths.iter().cloned());
            resolved_filters.push(ResolvedFilter {
                facet: facet.to_string(),
                value: filter.value.clone(),
                paths,
            });
        }
        let from = request
            .from
            .as_deref()
            .map(|t| filter::parse_bound(t, false))
            .transpose()?;
        let to = request
            .to
            .as_deref()
            .map(|t| filter::parse_bound(t, true))
            .transpose()?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(Error::Filter(format!("--from {from} is after --to {to}")));
        }

        let disabled = || EnableScoring::disabled_from_searcher(searcher);
        let dates =
            (from.is_some() || to.is_some()).then(|| (from.map(date_time), to.map(date_time)));
        let mut groups = Vec::new();
        for (facet, paths) in &by_facet {
            let field = self.fields.facet(facet);
            let terms: Vec<Box<dyn Query>> = paths
                .iter()
                .filter_map(|p| Facet::from_text(p).ok())
                .map(|f| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_facet(field, &f),
                        IndexRecordOption::Basic,
                    ))
                })
                .collect();
            let query: Box<dyn Query> = Box::new(BooleanQuery::union(terms));
            groups.push(FilterGroup {
                facet,
                weight: Some(query.weight(disabled())?),
                dates: if *facet == "date" { dates } else { None },
            });
        }
        if !by_facet.contains_key("date") && dates.is_some() {
            groups.push(FilterGroup {
                facet: "date",
                weight: None,
                dates,
            });
        }

        // Clauses → plans.
        let ranking = &request.ranking;
        let mut highlighter = Highlighter::default();
        let mut body_analyzer = self.schema.analyzer(&self.schema.text.body.analyzer);
        let mut title_analyzer = self.schema.analyzer(&self.schema.text.title.analyzer);
        // BM25 statistics per kind of document: a title competes with other
        // titles (one per article), a passage with other passages.
        let articles_stats = KindStats::new(searcher, self.fields.kind, KIND_ARTICLE)?;
        let passages_stats = KindStats::new(searcher, self.fields.kind, KIND_PASSAGE)?;
        let stats = self.body_stats(searcher, &articles_stats, &passages_stats)?;
        let title_weight = ranking.title_weight.unwrap_or(self.schema.text.title.boost);
        let body_boost = self.schema.text.body.boost;
        let needs_article = matches!(ranking.aggregation, Aggregation::Article | Aggregation::Mix)
            || request.explain;
        let mut plans: Vec<ClausePlan> = Vec::new();
        let mut negative: Vec<Box<dyn Weight>> = Vec::new();
        for clause in clauses {
            let mut title = None;
            let mut body = None;
            // A single word becomes weighted index terms (several for a
            // prefix or a fuzzy word); a phrase stays a phrase.
            let body_tokens = analyze(&mut body_analyzer, &clause.text);
            let expand = match clause.expand {
                Expand::Exact if request.typos && !clause.phrase => match body_tokens.as_slice() {
                    [one] if one.chars().count() >= 9 => Expand::Fuzzy(2),
                    [one] if one.chars().count() >= 5 => Expand::Fuzzy(1),
                    _ => Expand::Exact,
                },
                e => e,
            };
            let words: Option<Vec<(String, f32)>> = match (expand, body_tokens.as_slice()) {
                (Expand::Exact, [one]) => Some(vec![(one.clone(), 1.0)]),
                (Expand::Exact, _) => None,
                (e, _) => Some(self.expand(searcher, &clause.text, &body_tokens, e)?),
            };
            let title_tokens = analyze(&mut title_analyzer, &clause.text);
            let title_terms: Vec<Option<Term>> = match &words {
                Some(words) if clause.scope == Scope::All && title_weight > 0.0 => words
                    .iter()
                    .map(|(w, _)| Some(Term::from_field_text(self.fields.title, w)))
                    .collect(),
                Some(words) => vec![None; words.len()],
                None => Vec::new(),
            };
            // The headline is scored on its own when the clause asks for it
            // (`title:`), when it is a phrase or excluded (BM25F covers
            // words only), or when `title_boost` says so.
            let own_title = clause.scope == Scope::Title
                || ((words.is_none() || clause.occur == Occur::MustNot)
                    && clause.scope == Scope::All)
                || ranking.title_boost > 0.0;
            if clause.scope != Scope::Body && own_title {
                let boost = match ranking.title_boost {
                    b if b > 0.0 => b,
                    _ => title_weight.max(1.0) / 2.0,
                };
                let query = match &words {
                    Some(words) => words_query(self.fields.title, words),
                    None => text_query(self.fields.title, &title_tokens, clause.slop),
                };
                title = query.map(|q| -> Box<dyn Query> {
                    Box::new(BoostQuery::new(q, boost * clause.weight))
                });
            }
            if clause.scope != Scope::Title {
                body = match &words {
                    Some(words) if words.is_empty() => None,
                    Some(words) => {
                        let terms: Vec<(Term, Option<Term>, f32)> = words
                            .iter()
                            .zip(title_terms)
                            .map(|((w, weight), title)| {
                                (
                                    Term::from_field_text(self.fields.passage, w),
                                    title,
                                    *weight,
                                )
                            })
                            .collect();
                        let mut passage_freq = 0;
                        for (term, _, _) in &terms {
                            passage_freq = passage_freq.max(searcher.doc_freq(term)?);
                        }
                        let article_freq = if needs_article {
                            let all: Vec<Term> = terms
                                .iter()
                                .flat_map(|(p, t, _)| std::iter::once(p.clone()).chain(t.clone()))
                                .collect();
                            self.article_freq(searcher, &all)?
                        } else {
                            0
                        };
                        Some(BodyPlan::Term {
                            terms,
                            idf_passage: clause.weight
                                * body_boost
                                * rank::idf(passage_freq, stats.passages),
                            idf_article: clause.weight
                                * body_boost
                                * rank::idf(article_freq, stats.articles),
                        })
                    }
                    None => text_query(self.fields.passage, &body_tokens, clause.slop).map(|q| {
                        BodyPlan::Query(Box::new(BoostQuery::new(q, clause.weight * body_boost))
                            as Box<dyn Query>)
                    }),
                };
                if clause.occur != Occur::MustNot && !clause.rerank_only {
                    match &words {
                        Some(words) => {
                            for (w, _) in words {
                                highlighter.add(vec![w.clone()]);
                            }
                        }
                        // A sloppy phrase lights up its words; an exact
                        // one is a single span.
                        None if clause.slop > 0 => {
                            for token in body_tokens {
                                highlighter.add(vec![token]);
                            }
                        }
                        None => highlighter.add(body_tokens),
                    }
                }
            }
            if clause.occur == Occur::MustNot {
                let mut parts: Vec<Box<dyn Query>> = title.into_iter().collect();
                match body {
                    Some(BodyPlan::Term { terms, .. }) => {
                        for (term, _, _) in terms {
                            parts.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
                        }
                    }
                    Some(BodyPlan::Query(q)) => parts.push(q),
                    _ => {}
                }
                if !parts.is_empty() {
                    negative.push(BooleanQuery::union(parts).weight(disabled())?);
                }
                continue;
            }
            if title.is_none() && body.is_none() {
                continue; // only stop words or punctuation
            }
            let title = title
                .map(|q| {
                    q.weight(EnableScoring::enabled_from_statistics_provider(
                        &articles_stats,
                        searcher,
                    ))
                })
                .transpose()?;
            let body = match body {
                Some(BodyPlan::Query(q)) => Some(BodyWeight::Query(q.weight(
                    EnableScoring::enabled_from_statistics_provider(&passages_stats, searcher),
                )?)),
                Some(BodyPlan::Term {
                    terms,
                    idf_passage,
                    idf_article,
                }) => Some(BodyWeight::Term {
                    terms,
                    idf_passage,
                    idf_article,
                }),
                None => None,
            };
            plans.push(ClausePlan {
                occur: clause.occur,
                rerank_only: clause.rerank_only,
                title,
                body,
            });
        }
        let all_articles = TermQuery::new(
            Term::from_field_text(self.fields.kind, KIND_ARTICLE),
            IndexRecordOption::Basic,
        )
        .weight(disabled())?;

        // Scan every segment.
        let mut candidates = Vec::new();
        let mut pool = ScoredPassages::new();
        // Counts for each facet's active node and, for when a selected
        // leaf has no children, for its parent (so its siblings show).
        let mut counts: Counts = BTreeMap::new();
        let active: HashMap<&'static str, [String; 2]> = FACETS
            .iter()
            .map(|&f| {
                let paths = by_facet.get(f).map(Vec::as_slice).unwrap_or(&[]);
                let node = if paths.len() == 1 {
                    paths[0].clone()
                } else {
                    String::new()
                };
                let parent = node
                    .rsplit_once('/')
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default();
                (f, [node, parent])
            })
            .collect();
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let parents = self.cache.parents(searcher, segment)?;
            let scan = SegmentScan {
                segment,
                parents: &parents,
                plans: &plans,
                negative: &negative,
                all_articles: &*all_articles,
                passage_field: self.fields.passage,
                title_field: self.fields.title,
                stats: &stats,
                ranking,
                title_weight,
                explain: request.explain,
            };
            let matched = scan.matches(&mut pool)?;
            let published = segment.fast_fields().date("published").ok();
            let group_passes = filter_passes(&groups, segment, published.as_ref(), &matched)?;
            // The masks of all groups, and of each facet's own groups (which
            // its counts ignore).
            let mask = |keep: &dyn Fn(&FilterGroup) -> bool| {
                groups
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| keep(g))
                    .fold(0u32, |m, (i, _)| m | 1 << i)
            };
            let all = mask(&|_| true);
            let mut tallies = Vec::new();
            for facet in FACETS.iter().filter(|_| request.facet_limit > 0) {
                let reader = self.cache.facet_reader(searcher, segment, facet)?;
                let own = mask(&|g| g.facet == *facet);
                // Only the articles this facet counts (those passing the
                // other facets' filters) have their ordinals resolved.
                let docs: Vec<DocId> = matched
                    .iter()
                    .zip(&group_passes)
                    .filter(|(_, passes)| **passes | own == all)
                    .map(|(m, _)| m.doc)
                    .collect();
                let nodes = &active[facet];
                let names = nodes.clone().map(|node| {
                    self.cache
                        .facet_names(searcher, segment.segment_id(), facet, node)
                });
                tallies.push((*facet, own, FacetTally::new(reader, &docs, nodes, names)?));
            }
            candidates.reserve(matched.len());
            for (m, passes) in matched.into_iter().zip(group_passes) {
                let doc = m.doc;
                if passes == all {
                    candidates.push(Candidate {
                        segment: segment_ord as u32,
                        doc,
                        score: m.parts.total(ranking),
                        parts: m.parts,
                        published: published
                            .as_ref()
                            .and_then(|c| c.first(doc))
                            .map(|d: DateTime| d.into_timestamp_secs()),
                        passages: m.passages,
                        first: m.first,
                        length: m.length,
                    });
                }
                for (_, own, tally) in &mut tallies {
                    if passes | *own == all {
                        tally.count(doc);
                    }
                }
            }
            for (facet, _, tally) in tallies {
                tally.add_to(facet, &mut counts);
            }
        }

        // Both orders are total (ties end at the document address), so
        // the first `sorted` are the same candidates in the same order as
        // after a full sort; callers read no further in order (the rest
        // count for totals, facets and the histogram, which ignore order).
        match request.sort {
            Sort::Relevance => sort_prefix(&mut candidates, sorted, by_relevance),
            Sort::Date => sort_prefix(&mut candidates, sorted, |a, b| {
                b.published
                    .cmp(&a.published)
                    .then(b.score.total_cmp(&a.score))
                    .then((a.segment, a.doc).cmp(&(b.segment, b.doc)))
            }),
        }
        Ok(Found {
            candidates,
            passages: pool,
            counts,
            resolved_filters,
            highlighter,
            body_analyzer: self.tokens(),
            unscored: plans.is_empty(),
            known: KnownTokens::default(),
            read: Vec::new(),
            feedback: clauses
                .iter()
                .filter(|c| c.rerank_only)
                .map(|c| (c.text.clone(), c.weight))
                .collect(),
        })
    }

    /// The body analyzer for text read back from the index.
    fn tokens(&self) -> Tokens {
        self.cache
            .take_tokens()
            .unwrap_or_else(|| Tokens::new(&self.schema, &self.schema.text.body.analyzer))
    }

    /// Corpus-wide statistics of the body, per passage and per article.
    fn body_stats(
        &self,
        searcher: &Searcher,
        articles: &KindStats,
        passages: &KindStats,
    ) -> Result<BodyStats> {
        let tokens = |field| {
            searcher
                .segment_readers()
                .iter()
                .map(|s| s.inverted_index(field).map(|i| i.total_num_tokens()))
                .sum::<tantivy::Result<u64>>()
        };
        let body_tokens = tokens(self.fields.passage)?;
        let title_tokens = tokens(self.fields.title)?;
        Ok(BodyStats {
            passages: passages.num_docs,
            articles: articles.num_docs,
            avg_passage: body_tokens as f32 / passages.num_docs as f32,
            avg_article: body_tokens as f32 / articles.num_docs as f32,
            avg_title: title_tokens as f32 / articles.num_docs as f32,
        })
    }

    /// Returns the article with `id` (the indexed copy when `id` names a duplicate).
    pub fn article(&self, id: &str) -> Result<StoredArticle> {
        let searcher = self.reader.searcher();
        let (address, doc) = self
            .find_by_id(&searcher, id)?
            .ok_or_else(|| Error::ArticleNotFound(id.to_string()))?;
        // `kind` is indexed, not stored: a duplicate is known by the
        // `dup_of` it stores, and shows the article it duplicates.
        let primary = doc.get_first(self.fields.dup_of).and_then(|v| v.as_str());
        if let Some(primary) = primary.filter(|p| *p != id) {
            return self.article(primary);
        }
        let also_at = self.also_at(&searcher, id)?;
        let parts = self.stored_parts(&doc)?;
        Ok(stored_article_at(
            &searcher,
            address,
            &self.fields,
            &doc,
            &parts,
            also_at,
        )?)
    }

    fn find_by_id(
        &self,
        searcher: &Searcher,
        id: &str,
    ) -> Result<Option<(DocAddress, TantivyDocument)>> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let found = searcher.search(
            &query,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )?;
        match found.first() {
            Some((_, address)) => Ok(Some((*address, searcher.doc(*address)?))),
            None => Ok(None),
        }
    }

    fn also_at(&self, searcher: &Searcher, id: &str) -> Result<Vec<String>> {
        let term = Term::from_field_text(self.fields.dup_of, id);
        // Most articles have no duplicate: one dictionary lookup says so,
        // without building and running a query.
        if searcher.doc_freq(&term)? == 0 {
            return Ok(Vec::new());
        }
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let mut ids = Vec::new();
        for address in searcher.search(&query, &tantivy::collector::DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(dup) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                ids.push(dup.to_string());
            }
        }
        ids.sort();
        Ok(ids)
    }

    fn facet_names(&self) -> Vec<String> {
        let f = &self.schema.facets;
        FACETS
            .iter()
            .map(|s| s.to_string())
            .chain(
                [
                    &f.location,
                    &f.organization,
                    &f.source,
                    &f.date,
                    &f.mentioned,
                ]
                .iter()
                .flat_map(|s| s.aliases.clone()),
            )
            .collect()
    }

    /// The stored article of `candidate`: taken from `read` when feedback
    /// read it already (each is shown once), else read now.
    fn read_once(
        &self,
        searcher: &Searcher,
        read: &mut Vec<ReadArticle>,
        candidate: &Candidate,
    ) -> Result<(TantivyDocument, StoredParts)> {
        let address = DocAddress::new(candidate.segment, candidate.doc);
        match read.iter().position(|(at, _)| *at == address) {
            Some(i) => Ok(read.swap_remove(i).1),
            None => self.read_article(searcher, address),
        }
    }

    /// The hit for `candidate`, whose stored document is `article` and
    /// whose scored passages are `matched`.
    // What every hit of a page shares is passed as it is, not bundled.
    #[allow(clippy::too_many_arguments)]
    fn hit(
        &self,
        searcher: &Searcher,
        candidate: Candidate,
        article: (TantivyDocument, StoredParts),
        matched: &mut [(DocId, f32)],
        request: &SearchRequest,
        highlighter: &Highlighter,
        analyzer: &mut Tokens,
        known: &KnownTokens,
        rank: usize,
    ) -> Result<Hit> {
        let address = DocAddress::new(candidate.segment, candidate.doc);
        let (doc, parts) = article;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str());
        // Only what a hit shows is parsed; unreadable metadata shows as
        // none, as in `stored_article`.
        let meta = ShownMeta::from_stored(parts.meta()).unwrap_or_default();
        let id = text(self.fields.id).unwrap_or_default().to_string();
        let body = article_body(searcher, address, &self.fields, &parts)?;
        let body = body.as_ref();
        let also_at = self.also_at(searcher, &id)?;
        let count = meta.passages.len();
        // Passage docs are distinct: a total order, so unstable is exact.
        matched.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut chosen: Vec<usize> = matched
            .iter()
            .filter_map(|(passage_doc, _)| {
                // A passage sits `count - index` documents before its article.
                let distance = (candidate.doc - passage_doc) as usize;
                count.checked_sub(distance)
            })
            .take(request.passages)
            .collect();
        if chosen.is_empty() {
            chosen = (0..count.min(request.passages)).collect();
        }
        let mut converter = ByteIndex::new(body);
        let passages = chosen
            .into_iter()
            .map(|i| {
                let span = meta.passages[i];
                let range = converter.range(span.start, span.end);
                let text = &body[range.clone()];
                let article = (candidate.segment, candidate.doc);
                let highlights = match known.within(article, body, range) {
                    Some(tokens) => highlighter.spans_known(text, tokens),
                    None => highlighter.spans(analyzer, text),
                };
                PassageHit {
                    text: text.to_string(),
                    start: span.start,
                    end: span.end,
                    highlights,
                }
            })
            .collect();
        let refs = |list: Vec<(String, String)>| {
            list.into_iter()
                .map(|(name, facet)| EntityRef { name, facet })
                .collect()
        };
        Ok(Hit {
            rank,
            score: candidate.score,
            id,
            path: text(self.fields.path).unwrap_or_default().to_string(),
            title: parts.title().map(str::to_string),
            published: meta.published,
            url: meta.url,
            source: meta.source,
            dateline: meta.dateline,
            also_at,
            locations: refs(meta.locations),
            organizations: refs(meta.organizations),
            passages,
            explain: request.explain.then(|| ScoreParts {
                formula: candidate.parts.describe(&request.ranking),
                ..candidate.parts
            }),
        })
    }
}

/// A word of the articles feedback reads.
struct FeedbackWord {
    /// Summed length-normalized frequency over the articles read so far.
    weight: f32,
    /// Occurrences in the article being read.
    tf: f32,
    /// The analyzed word: a byte range of the keys' buffer.
    key: (u32, u32),
    /// The word as first written: (text, start byte, end byte).
    surface: (u32, u32, u32),
    /// A word of the query, which feedback does not add.
    asked: bool,
}

impl FeedbackWord {
    fn key<'a>(&self, keys: &'a str) -> &'a str {
        &keys[self.key.0 as usize..self.key.1 as usize]
    }
}

/// Scored passages: (passage doc, summed score).
type ScoredPassages = Vec<(DocId, f32)>;

/// A matched article of one segment.
struct Matched {
    doc: DocId,
    parts: ScoreParts,
    /// Its scored passages: a range of the passage pool.
    passages: Range<u32>,
    /// See [`Candidate`].
    first: DocId,
    length: f32,
}

/// Corpus-wide statistics of the body, per passage and per article.
struct BodyStats {
    passages: u64,
    articles: u64,
    avg_passage: f32,
    avg_article: f32,
    avg_title: f32,
}

/// A clause before its weights are made.
enum BodyPlan {
    /// One analyzed term, scored by Dateline's own BM25 so that passage and
    /// whole-article scores come from the same postings.
    Term {
        /// (passage term, the same word in the headline when the headline
        /// counts in the whole-article score, weight of the variant).
        terms: Vec<(Term, Option<Term>, f32)>,
        idf_passage: f32,
        idf_article: f32,
    },
    /// A phrase, scored by tantivy per passage.
    Query(Box<dyn Query>),
}

enum BodyWeight {
    Term {
        /// (passage term, the same word in the headline when the headline
        /// counts in the whole-article score, weight of the variant).
        terms: Vec<(Term, Option<Term>, f32)>,
        idf_passage: f32,
        idf_article: f32,
    },
    Query(Box<dyn Weight>),
}

/// One positive clause: its headline and body matchers.
struct ClausePlan {
    occur: Occur,
    rerank_only: bool,
    title: Option<Box<dyn Weight>>,
    body: Option<BodyWeight>,
}

struct SegmentScan<'a> {
    segment: &'a SegmentReader,
    parents: &'a cache::Parents,
    plans: &'a [ClausePlan],
    negative: &'a [Box<dyn Weight>],
    all_articles: &'a dyn Weight,
    passage_field: tantivy::schema::Field,
    title_field: tantivy::schema::Field,
    stats: &'a BodyStats,
    ranking: &'a Ranking,
    title_weight: f32,
    explain: bool,
}

/// What one posting says about one clause, gathered from every clause and
/// then walked in document order.
#[derive(Clone, Copy)]
struct Event {
    doc: DocId,
    /// The article of `doc` (`doc` itself for a headline event).
    article: DocId,
    clause: u32,
    what: What,
    value: f32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    /// The headline's own score (on the article document).
    Title,
    /// Weighted headline term frequency (on the article document).
    TitleTf,
    /// Weighted term frequency in a passage.
    BodyTf,
    /// A phrase's score in a passage.
    BodyScore,
}

impl SegmentScan<'_> {
    /// The matched articles of the segment, in document order; their scored
    /// passages are appended to `pool`.
    fn matches(&self, pool: &mut ScoredPassages) -> Result<Vec<Matched>> {
        use tantivy::DocSet;
        use tantivy::postings::Postings;

        let article_of = |doc: DocId| self.parents.article_of(doc);
        // Headlines are indexed on article documents only (see
        // `article_block`), so a headline posting needs no parent lookup to
        // be known for an article's; debug builds check it.
        let is_article = |doc: DocId| {
            debug_assert_eq!(article_of(doc), doc, "a headline on a non-article document");
            true
        };
        let alive = self.segment.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
        let mut excluded = HashSet::new();
        for weight in self.negative {
            let mut scorer = weight.scorer(self.segment, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                excluded.insert(article_of(doc));
                doc = scorer.advance();
            }
        }
        let mut articles = Vec::new();
        if self.plans.is_empty() {
            let mut scorer = self.all_articles.scorer(self.segment, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if is_alive(doc) && !excluded.contains(&doc) {
                    // Unscored: never re-scored, so no length is needed.
                    articles.push(Matched {
                        doc,
                        parts: ScoreParts::default(),
                        passages: 0..0,
                        first: doc,
                        length: 0.0,
                    });
                }
                doc = scorer.advance();
            }
            return Ok(articles);
        }
        let n = self.plans.len();
        let fieldnorms = self.segment.get_fieldnorms_reader(self.passage_field)?;
        let inverted = self.segment.inverted_index(self.passage_field)?;
        let title_inverted = self.segment.inverted_index(self.title_field)?;
        let title_norms = self.segment.get_fieldnorms_reader(self.title_field)?;
        // Every clause's postings as events; each list is in document
        // order, so the stable sort below merges runs, and keeps the clause
        // order within a document (the order the sums are made in).
        let mut events: Vec<Event> = Vec::new();
        for (i, plan) in self.plans.iter().enumerate() {
            let clause = i as u32;
            if let Some(weight) = &plan.title {
                let mut scorer = weight.scorer(self.segment, 1.0)?;
                let mut doc = scorer.doc();
                while doc != TERMINATED {
                    if is_alive(doc) && is_article(doc) {
                        events.push(Event {
                            doc,
                            article: doc,
                            clause,
                            what: What::Title,
                            value: scorer.score(),
                        });
                    }
                    doc = scorer.advance();
                }
            }
            match &plan.body {
                None => {}
                Some(BodyWeight::Term { terms, .. }) => {
                    for (term, title_term, weight) in terms {
                        if let Some(title_term) = title_term
                            && let Some(mut postings) = title_inverted
                                .read_postings(title_term, IndexRecordOption::WithFreqs)
                                .map_err(engine_io)?
                        {
                            events.reserve(postings.doc_freq() as usize);
                            let mut doc = postings.doc();
                            while doc != TERMINATED {
                                if is_alive(doc) && is_article(doc) {
                                    events.push(Event {
                                        doc,
                                        article: doc,
                                        clause,
                                        what: What::TitleTf,
                                        value: weight * postings.term_freq() as f32,
                                    });
                                }
                                doc = postings.advance();
                            }
                        }
                        let Some(mut postings) = inverted
                            .read_postings(term, IndexRecordOption::WithFreqs)
                            .map_err(engine_io)?
                        else {
                            continue;
                        };
                        // One event per posting at most: grown once per list.
                        events.reserve(postings.doc_freq() as usize);
                        // An article's documents are consecutive, its own
                        // last, so a posting at or before the article of the
                        // previous one belongs to it too (no column read).
                        let mut last = None;
                        let mut doc = postings.doc();
                        while doc != TERMINATED {
                            let article = match last {
                                Some(article) if doc <= article => article,
                                _ => article_of(doc),
                            };
                            last = Some(article);
                            if article != doc && is_alive(doc) && is_alive(article) {
                                events.push(Event {
                                    doc,
                                    article,
                                    clause,
                                    what: What::BodyTf,
                                    value: weight * postings.term_freq() as f32,
                                });
                            }
                            doc = postings.advance();
                        }
                    }
                }
                Some(BodyWeight::Query(weight)) => {
                    let mut scorer = weight.scorer(self.segment, 1.0)?;
                    let mut doc = scorer.doc();
                    while doc != TERMINATED {
                        let article = article_of(doc);
                        if article != doc && is_alive(doc) && is_alive(article) {
                            events.push(Event {
                                doc,
                                article,
                                clause,
                                what: What::BodyScore,
                                value: scorer.score(),
                            });
                        }
                        doc = scorer.advance();
                    }
                }
            }
        }
        events.sort_by_key(|e| e.doc);

        // Buffers reused across articles: an article's sums per clause
        // (headline score, headline tf, body, best passage score) in one
        // vector, so that starting an article zeroes it in one call.
        let mut sums = vec![0.0f32; 4 * n];
        let mut matched = vec![false; n];
        let mut tf = vec![0.0f32; n];
        let mut scores = vec![0.0f32; n];
        let mut totals: Vec<f32> = Vec::new();
        let mut found: Vec<f32> = Vec::new();
        let pairs_norm = n.saturating_sub(1).max(1) as f32;
        let mut rest = events.as_slice();
        while let Some(first) = rest.first() {
            // The events of one article: its passages', then its own.
            let article = first.article;
            let len = rest
                .iter()
                .position(|e| e.article != article)
                .unwrap_or(rest.len());
            let (group, tail) = rest.split_at(len);
            rest = tail;
            if excluded.contains(&article) {
                continue;
            }
            sums.fill(0.0);
            let (title, rest) = sums.split_at_mut(n);
            let (title_tf, rest) = rest.split_at_mut(n);
            let (body, best) = rest.split_at_mut(n);
            matched.fill(false);
            totals.clear();
            let start = pool.len() as u32;
            let mut proximity: f32 = 0.0;
            let mut any_passage = false;
            for one in group.chunk_by(|a, b| a.doc == b.doc) {
                let doc = one[0].doc;
                if doc == article {
                    for e in one {
                        let i = e.clause as usize;
                        match e.what {
                            What::Title => title[i] = e.value,
                            _ => title_tf[i] += e.value,
                        }
                        matched[i] = true;
                    }
                    continue;
                }
                // A passage: its score for each clause (`tf` and `scores`
                // are all zero here: each passage resets what it used, in the
                // loops it makes anyway, rather than in calls to fill them).
                for e in one {
                    let i = e.clause as usize;
                    match e.what {
                        What::BodyScore => {
                            scores[i] += e.value;
                            body[i] = body[i].max(e.value);
                        }
                        _ => {
                            tf[i] += e.value;
                            body[i] += e.value;
                        }
                    }
                    matched[i] = true;
                }
                let length = fieldnorms.fieldnorm(doc) as f32;
                for (i, plan) in self.plans.iter().enumerate() {
                    if let Some(BodyWeight::Term { idf_passage, .. }) = &plan.body
                        && tf[i] > 0.0
                    {
                        scores[i] += idf_passage
                            * rank::tf_part(self.ranking, tf[i], length, self.stats.avg_passage);
                    }
                    tf[i] = 0.0;
                }
                let total: f32 = scores.iter().sum();
                any_passage = true;
                totals.push(total);
                if self.ranking.proximity > 0.0 || self.explain {
                    found.clear();
                    found.extend(scores.iter().copied().filter(|&s| s > 0.0));
                    // Sorted descending, the i-th score is the smaller one
                    // of its pairs with the i scores before it.
                    found.sort_by(|a, b| b.total_cmp(a));
                    let pairs: f32 = found.iter().enumerate().map(|(i, s)| i as f32 * s).sum();
                    proximity = proximity.max(pairs / pairs_norm);
                }
                for (b, s) in best.iter_mut().zip(scores.iter_mut()) {
                    *b = b.max(*s);
                    *s = 0.0;
                }
                pool.push((doc, total));
            }
            let ok = self
                .plans
                .iter()
                .zip(&matched)
                .all(|(plan, &m)| plan.occur != Occur::Must || m);
            let any = self
                .plans
                .iter()
                .zip(&matched)
                .any(|(plan, &m)| m && !plan.rerank_only);
            if !ok || !any {
                pool.truncate(start as usize);
                continue;
            }
            let mut parts = ScoreParts {
                title: title.iter().sum(),
                ..ScoreParts::default()
            };
            if any_passage {
                parts.proximity = proximity;
                totals.sort_by(|a, b| b.total_cmp(a));
                parts.words = best.iter().sum();
                parts.best_passage = totals[0];
                parts.top_k = totals.iter().take(self.ranking.top_k.max(1)).sum();
                parts.matched_passages = totals.len();
            }
            // Whole-article BM25 from the passages' statistics. The
            // article's documents are consecutive, so every document from
            // its first matched one (the group starts with it) on is its
            // own without a parent lookup; only those before are looked up.
            // Lengths are summed in the same order either way.
            let known = group[0].doc;
            let mut length = 0.0;
            let mut first = article;
            while first > 0 && (first > known || article_of(first - 1) == article) {
                first -= 1;
                length += fieldnorms.fieldnorm(first) as f32;
            }
            // The headline counts as `title_weight` copies of itself (BM25F).
            let w = self.title_weight;
            let length = length + w * title_norms.fieldnorm(article) as f32;
            let avg = self.stats.avg_article + w * self.stats.avg_title;
            parts.article = self
                .plans
                .iter()
                .zip(body.iter().zip(title_tf.iter()))
                .map(|(plan, (&value, &title_tf))| match &plan.body {
                    Some(BodyWeight::Term { idf_article, .. }) => {
                        idf_article * rank::tf_part(self.ranking, value + w * title_tf, length, avg)
                    }
                    Some(BodyWeight::Query(_)) => value,
                    None => 0.0,
                })
                .sum();
            articles.push(Matched {
                doc: article,
                parts,
                passages: start..pool.len() as u32,
                first,
                length,
            });
        }
        Ok(articles)
    }
}

/// Best score first; ties newest first, then in index order.
fn by_relevance(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    b.score
        .total_cmp(&a.score)
        .then(b.published.cmp(&a.published))
        .then((a.segment, a.doc).cmp(&(b.segment, b.doc)))
}

/// Puts the first `n` of `items` under `order` at the front, in order; the
/// rest follow in no particular order. Under a total order that prefix is
/// exactly a full sort's, found in linear time plus the sort of `n`.
fn sort_prefix<T>(items: &mut [T], n: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if n == 0 {
        return;
    }
    if n < items.len() {
        items.select_nth_unstable_by(n - 1, &order);
        items[..n - 1].sort_unstable_by(order);
    } else {
        items.sort_unstable_by(order);
    }
}

/// An I/O failure inside the index files: the engine's, not the user's.
fn engine_io(error: std::io::Error) -> Error {
    Error::Engine(Box::new(error))
}

impl NewsIndex {
    /// Number of distinct articles holding any of `terms` (passage or
    /// headline terms), kept per searcher generation.
    fn article_freq(&self, searcher: &Searcher, terms: &[Term]) -> Result<u64> {
        self.cache.article_freq(searcher, terms, || {
            let mut count = 0;
            for segment in searcher.segment_readers() {
                let parents = self.cache.parents(searcher, segment)?;
                let mut lists = Vec::new();
                for term in terms {
                    lists.push(term_articles(segment, &parents, term, usize::MAX)?);
                }
                count += match lists.as_mut_slice() {
                    [] => 0,
                    [one] => one.len(),
                    [a, b] => union_len(a, b),
                    many => {
                        let mut all = many.concat();
                        all.sort_unstable();
                        all.dedup();
                        all.len()
                    }
                } as u64;
            }
            Ok(count)
        })
    }

    /// Whether `term` occurs in at least two articles; stops at the second.
    fn in_two_articles(&self, searcher: &Searcher, term: &Term) -> Result<bool> {
        let mut found = 0;
        for segment in searcher.segment_readers() {
            let parents = self.cache.parents(searcher, segment)?;
            found += term_articles(segment, &parents, term, 2 - found)?.len();
            if found >= 2 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The live articles of one segment holding `term`, ascending, at most `max`.
fn term_articles(
    segment: &SegmentReader,
    parents: &cache::Parents,
    term: &Term,
    max: usize,
) -> Result<Vec<DocId>> {
    use tantivy::DocSet;

    let mut articles: Vec<DocId> = Vec::new();
    let inverted = segment.inverted_index(term.field())?;
    let Some(mut postings) = inverted
        .read_postings(term, IndexRecordOption::Basic)
        .map_err(engine_io)?
    else {
        return Ok(articles);
    };
    // A passage precedes its article, and an article's passages are
    // consecutive, so postings in document order give articles in order,
    // and a posting at or before the last article found belongs to it
    // (which spares reading the parent column for it).
    let mut doc = postings.doc();
    while doc != TERMINATED && articles.len() < max {
        if articles.last().is_none_or(|&last| doc > last) {
            articles.push(parents.article_of(doc));
        }
        doc = postings.advance();
    }
    Ok(articles)
}

/// The number of distinct values in two ascending lists without
/// duplicates, counted in one merge.
fn union_len(a: &[DocId], b: &[DocId]) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
        count += 1;
    }
    count + (a.len() - i) + (b.len() - j)
}

/// BM25 statistics restricted to one kind of document, so that articles
/// and passages sharing the index do not skew each other's document counts
/// and average lengths.
struct KindStats<'a> {
    searcher: &'a Searcher,
    num_docs: u64,
}

impl<'a> KindStats<'a> {
    fn new(
        searcher: &'a Searcher,
        kind_field: tantivy::schema::Field,
        kind: &str,
    ) -> Result<KindStats<'a>> {
        let num_docs = searcher.doc_freq(&Term::from_field_text(kind_field, kind))?;
        Ok(KindStats {
            searcher,
            num_docs: num_docs.max(1),
        })
    }
}

impl tantivy::query::Bm25StatisticsProvider for KindStats<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        tantivy::query::Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.num_docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}

/// For each article of `articles` (in document order), which filter groups
/// it passes: bit `g` of its mask is set when it passes `groups[g]` (there
/// is at most one group per facet). Each group's facet values are sought at
/// the articles only, so the cost follows the query's matches, not the size
/// of the filter (`location:"United States"` matches most of an archive).
fn filter_passes(
    groups: &[FilterGroup],
    segment: &SegmentReader,
    published: Option<&tantivy::columnar::Column<DateTime>>,
    articles: &[Matched],
) -> Result<Vec<u32>> {
    use tantivy::DocSet;

    let mut passes = vec![0u32; articles.len()];
    for (g, group) in groups.iter().enumerate() {
        let bit = 1u32 << g;
        let mut scorer = match &group.weight {
            Some(weight) => Some(weight.scorer(segment, 1.0)?),
            None => None,
        };
        for (Matched { doc, .. }, pass) in articles.iter().zip(passes.iter_mut()) {
            if let Some(scorer) = &mut scorer {
                let at = if scorer.doc() < *doc {
                    scorer.seek(*doc)
                } else {
                    scorer.doc()
                };
                if at != *doc {
                    continue;
                }
            }
            if let Some((from, to)) = group.dates {
                let date = published.and_then(|c| c.first(*doc));
                let within = date.is_some_and(|d| {
                    from.is_none_or(|from| d >= from) && to.is_none_or(|to| d <= to)
                });
                if !within {
                    continue;
                }
            }
            *pass |= bit;
        }
    }
    Ok(passes)
}

/// A query for analyzed tokens: a term, or a phrase for several (whose
/// words may move by `slop` positions).
fn text_query(
    field: tantivy::schema::Field,
    tokens: &[String],
    slop: u32,
) -> Option<Box<dyn Query>> {
    match tokens {
        [] => None,
        [one] => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, one),
            IndexRecordOption::WithFreqs,
        ))),
        many => {
            let mut phrase = PhraseQuery::new(
                many.iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            );
            phrase.set_slop(slop);
            Some(Box::new(phrase))
        }
    }
}

/// A query for weighted index terms (the variants of one word).
fn words_query(field: tantivy::schema::Field, words: &[(String, f32)]) -> Option<Box<dyn Query>> {
    let parts: Vec<Box<dyn Query>> = words
        .iter()
        .map(|(w, weight)| -> Box<dyn Query> {
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(field, w),
                    IndexRecordOption::WithFreqs,
                )),
                *weight,
            ))
        })
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(Box::new(BooleanQuery::union(parts)))
    }
}

/// Counts candidates per date bucket, oldest first.
fn histogram(candidates: &[Candidate], size: Histogram) -> Vec<Bucket> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for published in candidates.iter().filter_map(|c| c.published) {
        let (y, m, d) = civil_from_days(published.div_euclid(86_400));
        let key = match size {
            Histogram::Year => format!("{y:04}"),
            Histogram::Month => format!("{y:04}-{m:02}"),
            Histogram::Day => format!("{y:04}-{m:02}-{d:02}"),
        };
        *counts.entry(key).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(value, count)| Bucket { value, count })
        .collect()
}

/// The calendar date of a day count since 1970-01-01 (proleptic
/// Gregorian; H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Says whether a facet's values are dates (`/YYYY[/MM[/DD]]`), which
/// filters take as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn is_date_facet(facet: &str) -> bool {
    matches!(facet, "date" | "mentioned")
}

/// The Levenshtein distance between `a` and `b` if it is at most `max`.
fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        if current.iter().min().copied().unwrap_or(0) > max {
            return None;
        }
        previous = current;
    }
    Some(previous[b.len()]).filter(|&d| d <= max)
}

/// Slices a string by increasing code point offsets.
struct ByteIndex<'a> {
    text: &'a str,
    /// In ASCII text (most news text) code points are bytes, and no
    /// character walk is needed.
    ascii: bool,
}

impl<'a> ByteIndex<'a> {
    fn new(text: &'a str) -> ByteIndex<'a> {
        ByteIndex {
            text,
            ascii: text.is_ascii(),
        }
    }

    /// The byte range of code points `start..end`.
    fn range(&mut self, start: usize, end: usize) -> Range<usize> {
        if self.ascii {
            let end = end.min(self.text.len());
            return start.min(end)..end;
        }
        let from = crate::passage::byte_offset(self.text, start);
        let to = from + crate::passage::byte_offset(&self.text[from..], end - start);
        from..to
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_convert_back_to_calendar_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(19_325), (2022, 11, 29));
        assert_eq!(super::civil_from_days(-1), (1969, 12, 31));
        assert_eq!(super::civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn union_len_counts_values_found_in_either_list_once() {
        assert_eq!(super::union_len(&[], &[]), 0);
        assert_eq!(super::union_len(&[1, 4, 9], &[]), 3);
        assert_eq!(super::union_len(&[1, 4, 9], &[2, 4, 10, 11]), 6);
        assert_eq!(super::union_len(&[5], &[5]), 1);
    }

    #[test]
    fn edit_distance_stops_past_the_limit() {
        assert_eq!(super::edit_distance("wagnr", "wagner", 1), Some(1));
        assert_eq!(super::edit_distance("wagner", "wagner", 0), Some(0));
        assert_eq!(super::edit_distance("wagnr", "wegnar", 1), None);
        assert_eq!(super::edit_distance("mali", "malian", 1), None);
    }

    proptest::proptest! {
        #[test]
        fn a_sorted_prefix_is_the_prefix_of_a_full_sort(
            values in proptest::collection::vec((0u8..6, 0u16..500), 0..80),
            n in 0usize..100,
        ) {
            // Many ties on the first key; the second makes the order total
            // as the candidates' address does.
            let order = |a: &(u8, u16), b: &(u8, u16)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
            let mut distinct = values;
            distinct.sort_unstable_by_key(|v| v.1);
            distinct.dedup_by_key(|v| v.1);
            let mut full = distinct.clone();
            full.sort_by(order);
            let mut partial = distinct.clone();
            super::sort_prefix(&mut partial, n, order);
            let k = n.min(full.len());
            proptest::prop_assert_eq!(&partial[..k], &full[..k]);
            // The rest are the others, in any order.
            let mut rest = partial[k..].to_vec();
            rest.sort_by(order);
            proptest::prop_assert_eq!(&rest[..], &full[k..]);
        }
    }
}
