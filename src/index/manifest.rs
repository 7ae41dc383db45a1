//! The manifest: one document per source file, written in the same tantivy
//! commit as the file's articles.
//!
//! Keeping the manifest inside the index (rather than in a file beside it)
//! is what makes it crash-safe: a commit holds a file's articles and its
//! manifest entry together, or neither, so after a kill the next run knows
//! exactly which files are in the index and re-reads only the others.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::corpus::Problem;
use crate::error::Result;
use crate::index::NewsIndex;
use crate::schema::Fields;

/// The `kind` of a manifest document.
pub(crate) const KIND_FILE: &str = "file";

/// What the manifest knows about one source file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The canonical absolute path: the file's identity, however it was
    /// reached (`./news/a.txt`, `/abs/news/a.txt`, a symbolic link).
    pub canonical: PathBuf,
    /// The path as walked, which its articles' ids and `path` hold.
    pub path: String,
    /// The canonical root the file was indexed under.
    pub root: PathBuf,
    /// Size in bytes when it was read.
    pub size: u64,
    /// Modification time, in nanoseconds since 1970 (0 when unknown).
    pub mtime_ns: u64,
    /// A 64-bit hash of its bytes (not cryptographic), to tell an edit from a touch.
    pub hash: u64,
    /// Articles read from it (indexed or duplicates).
    pub articles: usize,
    /// Problems met reading it, reported again on runs that skip it.
    pub problems: Vec<Problem>,
}

/// Returns the modification time in nanoseconds since 1970, or 0.
pub(crate) fn mtime_ns(metadata: &std::fs::Metadata) -> u64 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

/// The `block` term of a manifest document. The NUL cannot appear in a
/// path, so no article id (a path, or `PATH#N`) can collide with it.
pub(crate) fn file_block(canonical: &Path) -> String {
    format!("\u{0}file:{}", canonical.to_string_lossy())
}

/// Builds the manifest document of one file.
pub(crate) fn file_doc(fields: &Fields, entry: &FileEntry) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.kind, KIND_FILE);
    doc.add_text(fields.block, file_block(&entry.canonical));
    doc.add_text(fields.path, &entry.path);
    doc.add_u64(fields.parent, 0);
    doc.add_text(
        fields.meta,
        serde_json::to_string(entry).expect("a manifest entry always serializes"),
    );
    doc
}

impl NewsIndex {
    /// Returns the manifest as of the last commit: every source file indexed
    /// by [`NewsIndex::ingest_paths`], in no particular order.
    pub fn manifest(&self) -> Result<Vec<FileEntry>> {
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, KIND_FILE),
            IndexRecordOption::Basic,
        );
        let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
            &searcher,
        ))?;
        let mut entries = Vec::new();
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let mut scorer = weight.scorer(segment, 1.0)?;
            let mut doc = scorer.doc();
            while doc != tantivy::TERMINATED {
                if !segment.is_deleted(doc) {
                    let stored: TantivyDocument =
                        searcher.doc(tantivy::DocAddress::new(segment_ord as u32, doc))?;
                    // An entry that does not parse is left out: its file is
                    // then simply read again and its entry rewritten.
                    if let Some(entry) = stored
                        .get_first(self.fields.meta)
                        .and_then(|v| v.as_str())
                        .and_then(|text| serde_json::from_str::<FileEntry>(text).ok())
                    {
                        entries.push(entry);
                    }
                }
                doc = scorer.advance();
            }
        }
        Ok(entries)
    }

    /// The manifest keyed by canonical path.
    pub(crate) fn manifest_map(&self) -> Result<HashMap<PathBuf, FileEntry>> {
        Ok(self
            .manifest()?
            .into_iter()
            .map(|entry| (entry.canonical.clone(), entry))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_block_never_equals_a_path_id() {
        let block = file_block(Path::new("/news/a.txt"));
        assert!(block.starts_with('\u{0}'));
        assert!(block.ends_with("/news/a.txt"));
    }

    #[test]
    fn a_manifest_entry_survives_a_json_round_trip() {
        let entry = FileEntry {
            canonical: PathBuf::from("/news/a.txt"),
            path: "news/a.txt".to_string(),
            root: PathBuf::from("/news"),
            size: 12,
            mtime_ns: 1_700_000_000_123_456_789,
            hash: u64::MAX,
            articles: 1,
            problems: vec![Problem::new(
                Path::new("news/a.txt"),
                crate::corpus::ProblemKind::Decoded,
                "decoded as windows-1252",
            )],
        };
        let text = serde_json::to_string(&entry).unwrap();
        assert_eq!(serde_json::from_str::<FileEntry>(&text).unwrap(), entry);
    }
}
