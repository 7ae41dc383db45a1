//! Looking after an index: what it holds ([`NewsIndex::stats`]) and taking
//! files or articles out of it ([`NewsIndex::remove`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, FacetCollector};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::error::{Error, Result};
use crate::index::NewsIndex;
use crate::index::document::{KIND_ARTICLE, KIND_DUPLICATE, KIND_PASSAGE, path_key};
use crate::index::ingest::canonical_or_absolute;
use crate::index::manifest::{KIND_FILE, file_block};

/// What an index holds, as of its last commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexStats {
    /// Articles indexed (exact duplicates not counted).
    pub articles: u64,
    /// Passages of those articles.
    pub passages: u64,
    /// Exact duplicates recorded on another article.
    pub duplicates: u64,
    /// Source files in the manifest.
    pub files: u64,
    /// Earliest publication date (`YYYY-MM-DD`), when any article has one.
    pub earliest: Option<String>,
    /// Latest publication date.
    pub latest: Option<String>,
    /// Articles per outlet or agency; articles without one are not counted.
    pub sources: BTreeMap<String, u64>,
    /// Bytes the index directory takes on disk (0 in memory).
    pub size_bytes: u64,
    /// Tantivy segments.
    pub segments: usize,
    /// The schema version the index was built with.
    pub schema_version: u32,
    /// The canonical roots its files were indexed from.
    pub roots: Vec<PathBuf>,
}

/// What [`NewsIndex::remove`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoveReport {
    /// Articles taken out of the index.
    pub articles_removed: u64,
    /// Source files taken out of the manifest.
    pub files_removed: usize,
    /// Targets that matched no article and no file.
    pub not_found: Vec<String>,
}

impl NewsIndex {
    /// Returns what the index holds as of its last commit.
    pub fn stats(&self) -> Result<IndexStats> {
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        let count = |kind: &str| -> Result<u64> {
            Ok(searcher.search(&self.kind_query(kind), &Count)? as u64)
        };
        let (earliest, latest) = self.published_range(&searcher)?;
        let mut sources = BTreeMap::new();
        let mut collector = FacetCollector::for_field("source");
        collector.add_facet("/");
        let counts = searcher.search(&self.kind_query(KIND_ARTICLE), &collector)?;
        for (facet, n) in counts.get("/") {
            let name = facet.to_path().join("/");
            sources.insert(name, n);
        }
        let roots: BTreeSet<PathBuf> = self
            .manifest()?
            .into_iter()
            .map(|entry| entry.root)
            .collect();
        Ok(IndexStats {
            articles: count(KIND_ARTICLE)?,
            passages: count(KIND_PASSAGE)?,
            duplicates: count(KIND_DUPLICATE)?,
            files: count(KIND_FILE)?,
            earliest,
            latest,
            sources,
            size_bytes: self.path().map_or(Ok(0), dir_size)?,
            segments: searcher.segment_readers().len(),
            schema_version: self.schema.version,
            roots: roots.into_iter().collect(),
        })
    }

    /// Removes articles and files from the index, in one commit.
    ///
    /// Each target is an article id (its passages and duplicate markers go
    /// with it), else a path: a file or directory, as typed or as it
    /// resolves, whose indexed files lose their articles and manifest
    /// entries. A path need not exist any more. A removed article whose
    /// file is still in the manifest stays out until the file changes (or
    /// the index is rebuilt).
    pub fn remove(&self, targets: &[String]) -> Result<RemoveReport> {
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        let manifest = self.manifest()?;
        let mut report = RemoveReport::default();
        let mut terms: Vec<Term> = Vec::new();
        for target in targets {
            let id = Term::from_field_text(self.fields.id, target);
            if count_term(&searcher, &id)? > 0 {
                terms.push(Term::from_field_text(self.fields.block, target));
                terms.push(id);
                continue;
            }
            let canonical = canonical_or_absolute(Path::new(target));
            let key = path_key(&tidy(Path::new(target)));
            let mut matched = false;
            for entry in &manifest {
                let as_typed = entry.path == key
                    || entry
                        .path
                        .strip_prefix(&key)
                        .is_some_and(|rest| rest.starts_with('/'));
                if entry.canonical.starts_with(&canonical) || as_typed {
                    terms.extend(self.fields.path_terms(&entry.path));
                    terms.push(Term::from_field_text(
                        self.fields.block,
                        &file_block(&entry.canonical),
                    ));
                    report.files_removed += 1;
                    matched = true;
                }
            }
            // Articles written before the index had a manifest.
            let path = Term::from_field_text(self.fields.path, &key);
            if !matched && count_term(&searcher, &path)? > 0 {
                terms.extend(self.fields.path_terms(&key));
                matched = true;
            }
            if !matched {
                report.not_found.push(target.clone());
            }
        }
        if terms.is_empty() {
            return Ok(report);
        }
        let any: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|term| {
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic));
                (Occur::Should, query)
            })
            .collect();
        let removed = BooleanQuery::new(vec![
            (Occur::Must, Box::new(self.kind_query(KIND_ARTICLE))),
            (Occur::Must, Box::new(BooleanQuery::new(any))),
        ]);
        report.articles_removed = searcher.search(&removed, &Count)? as u64;
        let mut writer = self.writer(&super::IngestOptions::default())?;
        let _pid = super::PidFile::write(self.path());
        for term in terms {
            writer.delete_term(term);
        }
        writer.commit()?;
        self.reader.reload()?;
        Ok(report)
    }

    fn kind_query(&self, kind: &str) -> TermQuery {
        TermQuery::new(
            Term::from_field_text(self.fields.kind, kind),
            IndexRecordOption::Basic,
        )
    }

    /// The earliest and latest publication dates of live articles.
    fn published_range(&self, searcher: &Searcher) -> Result<(Option<String>, Option<String>)> {
        let weight = self
            .kind_query(KIND_ARTICLE)
            .weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut range: Option<(i64, i64)> = None;
        for segment in searcher.segment_readers() {
            let Ok(column) = segment.fast_fields().date("published") else {
                continue;
            };
            let mut scorer = weight.scorer(segment, 1.0)?;
            let mut doc = scorer.doc();
            while doc != tantivy::TERMINATED {
                if !segment.is_deleted(doc)
                    && let Some(date) = column.first(doc)
                {
                    let secs = date.into_timestamp_secs();
                    range =
                        Some(range.map_or((secs, secs), |(lo, hi)| (lo.min(secs), hi.max(secs))));
                }
                doc = scorer.advance();
            }
        }
        let day = |secs: i64| {
            jiff::civil::date(1970, 1, 1)
                .checked_add(jiff::Span::new().days(secs.div_euclid(86_400)))
                .map(|d| d.to_string())
                .ok()
        };
        Ok(match range {
            Some((lo, hi)) => (day(lo), day(hi)),
            None => (None, None),
        })
    }
}

fn count_term(searcher: &Searcher, term: &Term) -> Result<usize> {
    let query = TermQuery::new(term.clone(), IndexRecordOption::Basic);
    Ok(searcher.search(&query, &Count)?)
}

/// Bytes taken by the files of a directory and its subdirectories.
fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        // A file tantivy garbage-collects between the listing and the
        // stat is simply not counted.
        let Ok(metadata) = entry.metadata() else {
            continue;
        };
        total += if metadata.is_dir() {
            dir_size(&entry.path())?
        } else {
            metadata.len()
        };
    }
    Ok(total)
}

/// Spells a path as the walk does (`./news/` → `news`), so a path typed for
/// `remove` matches the ids of a run that typed it another way.
fn tidy(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}
