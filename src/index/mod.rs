//! The index on disk (or in memory): creating, opening, writing articles.

pub(crate) mod document;
mod ingest;
mod manage;
mod manifest;
mod merge;
mod pack;

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

use crate::error::{Error, Result};
use crate::schema::{Fields, SCHEMA_VERSION, Schema};

pub use document::StoredArticle;
pub use ingest::{IngestOptions, IngestReport, Progress};
pub use manage::{IndexStats, RemoveReport};
pub use manifest::FileEntry;
pub(crate) use pack::StoredParts;

/// How tantivy stores documents: zstd at level `DOCSTORE_ZSTD_LEVEL` in
/// blocks of `DOCSTORE_BLOCK` bytes.
///
/// An article document's title, body and metadata are one zstd frame of
/// their own (`pack`), compressed with the index's dictionary, and
/// searches decompress that frame with it; the blocks barely shrink those
/// frames, so decompressing a block is mostly copying. What the blocks
/// still compress is what has no frame: each article's id and path,
/// duplicate markers, manifest entries (in blocks of their own) and the
/// pieces of bodies over 8 MiB on their passages.
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(DOCSTORE_ZSTD_LEVEL),
        }),
        docstore_blocksize: DOCSTORE_BLOCK,
        ..tantivy::IndexSettings::default()
    }
}

/// zstd level 4, chosen when the blocks held whole articles: level 4 in
/// 5.5 KiB blocks cost 14% fewer instructions per search than 12 KiB
/// blocks, and levels 5 and 6 saved under 1% of the index for 3% and 5%
/// more indexing work (BENCHMARKS.md, "The doc store, round 5").
const DOCSTORE_ZSTD_LEVEL: i32 = 4;

/// Doc-store block size in bytes: small, since a search reads a whole
/// block for each article it shows, and with articles in frames of their
/// own a block holds little besides. On Reuters-21578, 2 KiB blocks
/// against 5.5 KiB: 3.3% fewer instructions for the bench's case (b) and
/// 2.1% for (c), for a 2.4% larger index (BENCHMARKS.md, "Articles
/// compressed one by one, round 6" and the section after it). An index
/// written with another block size or level reads as before: tantivy keeps
/// both in the index.
const DOCSTORE_BLOCK: usize = 2048;

/// The file, beside tantivy's own, that records the schema an index was built with.
const SCHEMA_FILE: &str = "dateline-schema.toml";

/// A news index: articles, their passages and facets.
///
/// A `NewsIndex` can be shared between threads; searches see what the last
/// commit wrote.
pub struct NewsIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) schema: Schema,
    path: Option<PathBuf>,
    /// Built on first use and kept: searching never needs it, and every
    /// ingest call after the first reuses it.
    extractor: std::sync::OnceLock<std::sync::Arc<crate::extract::Extractor>>,
    /// Statistics and lookups searches derive from the current generation.
    pub(crate) cache: crate::search::SearchCache,
    /// The dictionaries stored articles are compressed with.
    pub(crate) packs: pack::Packs,
}

impl std::fmt::Debug for NewsIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewsIndex")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl NewsIndex {
    /// Creates a new index in `dir` (created if missing; must hold no index).
    pub fn create_in_dir(dir: impl AsRef<Path>, schema: Schema) -> Result<NewsIndex> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        // Lock files left by a rebuild (or a killed run) are not an index.
        let mut entries = entries.filter(|entry| {
            entry
                .as_ref()
                .map_or(true, |e| !is_lock_file(&e.file_name().to_string_lossy()))
        });
        if entries.next().is_some() {
            return Err(Error::io(
                dir,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "the directory is not empty and holds no Dateline index",
                ),
            ));
        }
        let (tantivy_schema, fields) = schema.build();
        let directory = MmapDirectory::open(dir).map_err(|e| Error::Engine(Box::new(e)))?;
        let index = Index::create(directory, tantivy_schema, index_settings())?;
        let schema_path = dir.join(SCHEMA_FILE);
        std::fs::write(&schema_path, schema.to_toml()).map_err(|e| Error::io(&schema_path, e))?;
        NewsIndex::wrap(index, fields, schema, Some(dir.to_path_buf()))
    }

    /// Opens the index in `dir`.
    pub fn open_in_dir(dir: impl AsRef<Path>) -> Result<NewsIndex> {
        let dir = dir.as_ref();
        let schema_path = dir.join(SCHEMA_FILE);
        if !dir.join("meta.json").is_file() || !schema_path.is_file() {
            return Err(Error::IndexMissing {
                path: dir.to_path_buf(),
            });
        }
        let text = std::fs::read_to_string(&schema_path).map_err(|e| Error::io(&schema_path, e))?;
        if let Some(found) = recorded_version(&text)
            && found != SCHEMA_VERSION
        {
            return Err(Error::SchemaVersion {
                path: dir.to_path_buf(),
                found,
                expected: SCHEMA_VERSION,
            });
        }
        let schema = Schema::parse(&text, &schema_path.display().to_string())?;
        let index = Index::open_in_dir(dir)?;
        let fields = Fields::from_schema(&index.schema())?;
        NewsIndex::wrap(index, fields, schema, Some(dir.to_path_buf()))
    }

    /// Opens the index in `dir`, or creates it with `schema` when there is none.
    ///
    /// An existing index built with a different schema is an error rather
    /// than silently keeping the old one.
    pub fn open_or_create_in_dir(dir: impl AsRef<Path>, schema: Schema) -> Result<NewsIndex> {
        let dir = dir.as_ref();
        match NewsIndex::open_in_dir(dir) {
            Err(Error::IndexMissing { .. }) => NewsIndex::create_in_dir(dir, schema),
            Ok(index) if index.schema != schema => Err(Error::Schema {
                path: dir.join(SCHEMA_FILE).display().to_string(),
                message: "the index was built with a different schema (index into a new directory to use this one)"
                    .to_string(),
            }),
            other => other,
        }
    }

    /// Opens the index in `dir` for a rebuild with `schema`, or creates it.
    ///
    /// When the index there opens with the same schema it is returned as it
    /// is, so the caller can rebuild it in place ([`IngestOptions::rebuild`]):
    /// searches keep the old contents until the first commit. An index of
    /// another schema or version is deleted first (under tantivy's writer
    /// lock, so never from under a running writer) and a new one created.
    pub fn open_for_rebuild(dir: impl AsRef<Path>, schema: Schema) -> Result<NewsIndex> {
        let dir = dir.as_ref();
        match NewsIndex::open_in_dir(dir) {
            Ok(index) if index.schema == schema => return Ok(index),
            Err(Error::IndexMissing { .. }) if !dir.join(SCHEMA_FILE).is_file() => {
                return NewsIndex::create_in_dir(dir, schema);
            }
            _ => {}
        }
        if !dir.join(SCHEMA_FILE).is_file() {
            return Err(Error::IndexMissing {
                path: dir.to_path_buf(),
            });
        }
        let directory = MmapDirectory::open(dir).map_err(|e| Error::Engine(Box::new(e)))?;
        let lock = tantivy::directory::Directory::acquire_lock(
            &directory,
            &tantivy::directory::INDEX_WRITER_LOCK,
        )
        .map_err(|_| Error::IndexLocked {
            path: dir.to_path_buf(),
            pid: PidFile::read(dir),
        })?;
        for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
            let entry = entry.map_err(|e| Error::io(dir, e))?;
            if is_lock_file(&entry.file_name().to_string_lossy()) {
                continue;
            }
            let path = entry.path();
            let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(|e| Error::io(&path, e))?;
        }
        drop(lock);
        drop(directory);
        NewsIndex::create_in_dir(dir, schema)
    }

    /// Creates an index held in memory, for tests and short-lived programs.
    pub fn create_in_ram(schema: Schema) -> Result<NewsIndex> {
        let (tantivy_schema, fields) = schema.build();
        let index = Index::builder()
            .schema(tantivy_schema)
            .settings(index_settings())
            .create_in_ram()?;
        NewsIndex::wrap(index, fields, schema, None)
    }

    fn wrap(
        index: Index,
        fields: Fields,
        schema: Schema,
        path: Option<PathBuf>,
    ) -> Result<NewsIndex> {
        schema.register_analyzers(&index);
        let packs = pack::Packs::open(index.directory(), path.as_deref())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(NewsIndex {
            index,
            reader,
            fields,
            schema,
            path,
            extractor: std::sync::OnceLock::new(),
            cache: crate::search::SearchCache::default(),
            packs,
        })
    }

    /// Returns the stored parts (title, body, metadata) of an article
    /// document read from the doc store.
    pub(crate) fn stored_parts(&self, doc: &TantivyDocument) -> Result<StoredParts> {
        let what = || {
            let id = doc.get_first(self.fields.id).and_then(|v| v.as_str());
            format!("stored article `{}`", id.unwrap_or_default())
        };
        let Some(packed) = doc.get_first(self.fields.packed).and_then(|v| v.as_bytes()) else {
            return Err(Error::Damaged {
                path: self.packs_place(),
                message: format!("{}: the document holds no stored record", what()),
            });
        };
        self.packs.unpack(self.index.directory(), packed, &what)
    }

    /// Reads the article document at `address` and its stored parts.
    pub(crate) fn read_article(
        &self,
        searcher: &tantivy::Searcher,
        address: tantivy::DocAddress,
    ) -> Result<(TantivyDocument, StoredParts)> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let parts = self.stored_parts(&doc)?;
        Ok((doc, parts))
    }

    fn packs_place(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from("<memory>"))
    }

    /// The extractor, built the first time an ingest needs it.
    pub(crate) fn extractor(&self) -> std::sync::Arc<crate::extract::Extractor> {
        std::sync::Arc::clone(
            self.extractor
                .get_or_init(|| std::sync::Arc::new(crate::extract::Extractor::new())),
        )
    }

    /// Returns the schema the index was built with.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Returns the index directory, or `None` for an index in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Returns the underlying tantivy index: the one escape hatch for what
    /// Dateline does not wrap. Its document layout is not a stable API.
    pub fn tantivy_index(&self) -> &Index {
        &self.index
    }

    /// Makes the latest commit visible to searches now rather than shortly.
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }
}

/// A file beside tantivy's writer lock naming the process that holds it.
///
/// Informational only: the lock itself is tantivy's OS advisory lock, which
/// the system releases when the process dies, so a stale pid file never
/// blocks anyone.
pub(crate) struct PidFile(Option<PathBuf>);

const PID_FILE: &str = "dateline-writer.pid";

impl PidFile {
    /// Writes the pid file (best effort) and removes it when dropped.
    pub(crate) fn write(dir: Option<&Path>) -> PidFile {
        let path = dir.map(|dir| dir.join(PID_FILE));
        if let Some(path) = &path {
            let _ = std::fs::write(path, format!("{}\n", std::process::id()));
        }
        PidFile(path)
    }

    /// Reads the process id written by the holder of the lock, if any.
    pub(crate) fn read(dir: &Path) -> Option<u32> {
        std::fs::read_to_string(dir.join(PID_FILE))
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        if let Some(path) = &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn is_lock_file(name: &str) -> bool {
    name.starts_with(".tantivy-") && name.ends_with(".lock")
}

/// Reads `version = N` without validating the rest, so an old index gets a
/// version message rather than a parse error about fields it predates.
fn recorded_version(text: &str) -> Option<u32> {
    let value: toml::Table = toml::from_str(text).ok()?;
    value.get("version")?.as_integer()?.try_into().ok()
}
