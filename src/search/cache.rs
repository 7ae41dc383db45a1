//! What searches derive from the index itself, kept for as long as the
//! reader stays on one generation of it.
//!
//! Only statistics and lookup structures live here, never a query's
//! results: the `parent` column of each segment (opening it decodes the
//! column's block headers, a cost paid several times per search otherwise),
//! likewise its facet columns,
//! each term's article frequency (a walk of all its postings, which the
//! index does not store) and each facet field's paths (a walk of its whole
//! dictionary, for resolving filter values) and what each filter value
//! resolved to (a comparison with every path). A new generation (a commit
//! the reader picked up) starts an empty cache.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::columnar::{Column, ColumnIndex, StrColumn};
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::{DocId, Searcher, SegmentReader, Term};

use super::facets::FacetNames;
use crate::error::Result;

/// Article frequencies kept per generation before the map starts over, so
/// that a long-running process searching many rare words stays bounded.
const MAX_TERMS: usize = 100_000;

/// The per-generation cache of a `NewsIndex`.
#[derive(Default)]
pub(crate) struct SearchCache {
    inner: Mutex<Option<Generation>>,
    /// Body analyzers handed back by finished searches, with the stems
    /// they met: building one copies the schema, and a fresh one meets
    /// every word of a feedback article anew.
    tokens: Mutex<Vec<super::highlight::Tokens>>,
}

/// Analyzers kept for reuse (one per search running at once is enough).
const MAX_IDLE_TOKENS: usize = 8;

/// A segment, a facet and the node its children are counted under.
type FacetKey = (SegmentId, &'static str, String);

struct Generation {
    id: u64,
    parents: HashMap<SegmentId, Column<u64>>,
    /// Each segment's facet columns (opening one reads its headers).
    facet_columns: HashMap<(SegmentId, &'static str), StrColumn>,
    article_freqs: HashMap<Vec<Term>, u64>,
    facet_paths: HashMap<Field, Arc<BTreeSet<String>>>,
    /// (facet, value as given) → the paths it resolved to.
    resolved: HashMap<(&'static str, String), Vec<String>>,
    /// (segment, facet, counted node) → what its ordinals count for.
    facet_names: HashMap<FacetKey, Arc<Mutex<FacetNames>>>,
}

impl SearchCache {
    /// A body analyzer handed back earlier, if any.
    pub(crate) fn take_tokens(&self) -> Option<super::highlight::Tokens> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).pop()
    }

    /// Keeps `tokens` for a later search.
    pub(crate) fn give_back(&self, tokens: super::highlight::Tokens) {
        let mut idle = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE_TOKENS {
            idle.push(tokens);
        }
    }

    /// Runs `f` on the cache of `searcher`'s generation, replacing the cache
    /// of an older one.
    fn with<R>(&self, searcher: &Searcher, f: impl FnOnce(&mut Generation) -> R) -> R {
        // A panic elsewhere while holding the lock leaves only plain maps
        // behind, which stay valid.
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let id = searcher.generation().generation_id();
        let generation = match &mut *guard {
            Some(generation) if generation.id == id => generation,
            slot => slot.insert(Generation {
                id,
                parents: HashMap::new(),
                facet_columns: HashMap::new(),
                article_freqs: HashMap::new(),
                facet_paths: HashMap::new(),
                resolved: HashMap::new(),
                facet_names: HashMap::new(),
            }),
        };
        f(generation)
    }

    /// The `parent` column of `segment`: distance from a document to its
    /// article document.
    pub(crate) fn parents(&self, searcher: &Searcher, segment: &SegmentReader) -> Result<Parents> {
        let id = segment.segment_id();
        if let Some(column) = self.with(searcher, |g| g.parents.get(&id).cloned()) {
            return Ok(Parents(column));
        }
        let column = segment.fast_fields().u64("parent")?;
        self.with(searcher, |g| g.parents.insert(id, column.clone()));
        Ok(Parents(column))
    }

    /// The facet reader of `facet` in `segment`.
    pub(crate) fn facet_reader(
        &self,
        searcher: &Searcher,
        segment: &SegmentReader,
        facet: &'static str,
    ) -> Result<FacetReader> {
        let key = (segment.segment_id(), facet);
        if let Some(column) = self.with(searcher, |g| g.facet_columns.get(&key).cloned()) {
            return Ok(FacetReader::new(column));
        }
        match segment.fast_fields().str(facet)? {
            Some(column) => {
                self.with(searcher, |g| g.facet_columns.insert(key, column.clone()));
                Ok(FacetReader::new(column))
            }
            // Not kept: tantivy's own reader says what is wrong.
            None => Ok(segment.facet_reader(facet)?),
        }
    }

    /// The number of articles holding any of `terms`, computed by `count`
    /// the first time.
    pub(crate) fn article_freq(
        &self,
        searcher: &Searcher,
        terms: &[Term],
        count: impl FnOnce() -> Result<u64>,
    ) -> Result<u64> {
        if let Some(freq) = self.with(searcher, |g| g.article_freqs.get(terms).copied()) {
            return Ok(freq);
        }
        let freq = count()?;
        self.with(searcher, |g| {
            if g.article_freqs.len() >= MAX_TERMS {
                g.article_freqs.clear();
            }
            g.article_freqs.insert(terms.to_vec(), freq);
        });
        Ok(freq)
    }

    /// The facet paths of `field`, computed by `list` the first time.
    pub(crate) fn facet_paths(
        &self,
        searcher: &Searcher,
        field: Field,
        list: impl FnOnce() -> Result<BTreeSet<String>>,
    ) -> Result<Arc<BTreeSet<String>>> {
        if let Some(paths) = self.with(searcher, |g| g.facet_paths.get(&field).cloned()) {
            return Ok(paths);
        }
        let paths = Arc::new(list()?);
        self.with(searcher, |g| {
            g.facet_paths.insert(field, Arc::clone(&paths))
        });
        Ok(paths)
    }
}

impl SearchCache {
    /// The facet paths a filter value of `facet` stands for, computed by
    /// `resolve` the first time (it compares the value with every path).
    pub(crate) fn resolved(
        &self,
        searcher: &Searcher,
        facet: &'static str,
        value: &str,
        resolve: impl FnOnce() -> Result<Vec<String>>,
    ) -> Result<Vec<String>> {
        let key = (facet, value.to_string());
        if let Some(paths) = self.with(searcher, |g| g.resolved.get(&key).cloned()) {
            return Ok(paths);
        }
        let paths = resolve()?;
        self.with(searcher, |g| {
            if g.resolved.len() >= MAX_TERMS {
                g.resolved.clear();
            }
            g.resolved.insert(key, paths.clone());
        });
        Ok(paths)
    }
}

impl SearchCache {
    /// What the facet ordinals of `segment` count for under `node`
    /// (filled in by the searches that meet them).
    pub(crate) fn facet_names(
        &self,
        searcher: &Searcher,
        segment: SegmentId,
        facet: &'static str,
        node: String,
    ) -> Arc<Mutex<FacetNames>> {
        self.with(searcher, |g| {
            let key = (segment, facet, node);
            if !g.facet_names.contains_key(&key) && g.facet_names.len() >= MAX_FACET_NODES {
                g.facet_names.clear();
            }
            Arc::clone(g.facet_names.entry(key).or_default())
        })
    }
}

/// Facet nodes whose children are kept per generation before the map
/// starts over (each drill-down filter counts under nodes of its own).
const MAX_FACET_NODES: usize = 1_000;

/// A segment's `parent` column.
pub(crate) struct Parents(Column<u64>);

impl Parents {
    /// The article document of `doc` (itself for an article).
    pub(crate) fn article_of(&self, doc: DocId) -> DocId {
        // Every document has a parent, so the column is normally full and
        // its values can be read by doc id, without the column index's
        // per-document row lookup (which showed in the search profile).
        let distance = match self.0.index {
            ColumnIndex::Full => self.0.values.get_val(doc),
            _ => self.0.first(doc).unwrap_or(0),
        };
        doc + distance as DocId
    }
}
