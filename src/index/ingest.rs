//! The indexing pipeline: walk → read, decode, extract, split (in parallel)
//! → one tantivy writer, through a bounded channel.
//!
//! Files are numbered in walk order and written in that order, whatever
//! thread read them, so which copy of a duplicate is kept is the same on
//! every run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustc_hash::{FxHashMap, FxHashSet};

use serde::{Deserialize, Serialize};
use tantivy::indexer::UserOperation;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::article::Article;
use crate::corpus::{self, Problem, ProblemKind, ReadOptions};
use crate::error::{Error, Result};
use crate::extract::{Entities, Extractor};
use crate::index::NewsIndex;
use crate::index::document::{self, BlockDoc, KIND_ARTICLE, path_key};
use crate::index::manifest::{FileEntry, file_block, file_doc, mtime_ns};
use crate::passage::{self, PassageSpan};

/// How to ingest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestOptions {
    /// Threads that read, decode and extract (default: the machine's cores).
    pub read_threads: usize,
    /// Tantivy indexing threads (default 1: fastest measured on 2 cores).
    pub writer_threads: usize,
    /// Memory for the tantivy writer, in bytes.
    pub writer_memory: usize,
    /// Commit after this many articles (and at the end).
    pub commit_every: usize,
    /// Reading options (size limit).
    pub read: ReadOptions,
    /// Starts over: everything in the index is replaced by this run's files
    /// (in the run's commits, so a failed rebuild leaves a usable index).
    pub rebuild: bool,
    /// Keeps the articles of files that were indexed from under this run's
    /// roots but are gone now (by default they are removed).
    pub keep_deleted: bool,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions {
            read_threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            writer_threads: 1,
            writer_memory: 128 * 1024 * 1024,
            commit_every: 20_000,
            read: ReadOptions::default(),
            rebuild: false,
            keep_deleted: false,
        }
    }
}

/// Where an ingest run is, for a progress display.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Files handled so far.
    pub files_done: usize,
    /// Candidate files found by the walk so far.
    pub files_seen: usize,
    /// True once the walk has finished, so `files_seen` is the total.
    pub walk_done: bool,
    /// Articles indexed so far.
    pub articles_indexed: usize,
    /// Input bytes read so far.
    pub bytes_read: u64,
}

/// What an ingest run did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestReport {
    /// Files read (articles found or not).
    pub files_read: usize,
    /// Files new to the index or edited since they were indexed: their
    /// articles were (re)written.
    pub files_changed: usize,
    /// Files found as the manifest records them (same size, modification
    /// time or content), whose articles were kept as they are.
    pub files_unchanged: usize,
    /// Files indexed before from under this run's roots that are gone now,
    /// whose articles were removed.
    pub files_removed: usize,
    /// Articles removed with those files.
    pub articles_removed: usize,
    /// Unchanged files read again because an article of theirs had been
    /// kept only as a duplicate of one that was edited or removed.
    pub files_reread: usize,
    /// Articles read from the files.
    pub articles_read: usize,
    /// Articles written to the index.
    pub articles_indexed: usize,
    /// Articles not written because an identical one (same normalised title
    /// and body) was indexed; their ids are recorded on it (`also_at`).
    pub duplicates: usize,
    /// Skipped files and articles by reason (`not_article`, `empty`, ...).
    pub skipped: BTreeMap<String, usize>,
    /// Every problem in walk order, except `not_article` skips decided by a
    /// file's name alone.
    pub problems: Vec<Problem>,
    /// Input bytes read.
    pub bytes_read: u64,
    /// Wall time, in seconds.
    pub elapsed_secs: f64,
    /// Input megabytes (10^6 bytes) per second.
    pub mb_per_sec: f64,
}

impl IngestReport {
    /// Counts a problem and lists it, except a `not_article` skip decided
    /// by the file's name (README, unknown extension), which only counts: a
    /// file that was read and held no article is listed with its reason.
    fn record(&mut self, problem: Problem, read: bool) {
        if problem.kind.is_skip() {
            *self
                .skipped
                .entry(problem.kind.as_str().to_string())
                .or_default() += 1;
        }
        if read || problem.kind != ProblemKind::NotArticle {
            self.problems.push(problem);
        }
    }
}

/// One article ready to be written.
struct Prepared {
    article: Article,
    entities: Entities,
    passages: Vec<PassageSpan>,
    hash: u64,
    stored: Stored,
}

/// An article's stored parts as a reader thread hands them over.
enum Stored {
    /// Compressed with the index's dictionary.
    Packed(Vec<u8>),
    /// Not compressed yet: the index has no dictionary (yet), and the
    /// writer may train one on the first of these.
    Record(Vec<u8>),
}

/// Writer operations queued in order and handed to tantivy together.
///
/// One `IndexWriter::run` per article woke tantivy's indexing thread once
/// per article; a batch of many articles wakes it once. The operations keep
/// their order (tantivy numbers them in sequence), so a delete still
/// applies to exactly the documents queued before it, and one batch is one
/// group that never straddles two segments, as an article's block must not.
struct Batch<'a> {
    index: &'a NewsIndex,
    ops: Vec<UserOperation<BlockDoc>>,
    /// Article documents in `ops` still without their packed record, with
    /// the record: compressed when the batch is handed over, with the
    /// dictionary trained then if the index has none.
    records: Vec<(usize, Vec<u8>)>,
    /// Bytes in `records`.
    record_bytes: usize,
    /// True until this run has tried to train a dictionary, when the index
    /// has none: a batch is then held until its records are enough to
    /// train on.
    may_train: bool,
    /// The writer thread's compression context.
    cctx: zstd::zstd_safe::CCtx<'static>,
    /// Manifest documents, added after `ops` when the batch is handed over
    /// (`None` where a later one for the same file replaced it). Searches
    /// never read them, and written after each file's articles they sat
    /// inside the doc-store blocks that searches decompress (an eighth of
    /// Reuters' stored bytes); kept together they fill blocks of their own. Each one's delete stays in
    /// `ops`, in its place, so it still removes the entry of an earlier
    /// run and never the new one.
    files: Vec<Option<TantivyDocument>>,
    /// Where each queued manifest document is in `files`, by `block` term.
    file_slots: HashMap<String, usize>,
    /// Text bytes queued, to bound the batch's memory.
    bytes: usize,
    /// False when no file written through this batch can already have
    /// documents in the index (a new or rebuilt index, each file walked
    /// once): its delete terms are then left out. Tantivy keeps every
    /// delete until it has been applied to every segment at a commit, so
    /// two per file made memory and commit time grow with the corpus.
    replaces: bool,
}

impl<'a> Batch<'a> {
    /// Operations and text bytes after which a batch is handed over.
    const MAX_OPS: usize = 1_024;
    const MAX_BYTES: usize = 4 * 1024 * 1024;
    /// Operations after which a batch held for training is handed over
    /// all the same (a run of duplicates brings no records).
    const MAX_HELD_OPS: usize = 16 * Batch::MAX_OPS;

    fn new(index: &'a NewsIndex) -> Batch<'a> {
        Batch {
            index,
            records: Vec::new(),
            record_bytes: 0,
            may_train: !index.packs.current().has_encoder(),
            cctx: zstd::zstd_safe::CCtx::create(),
            ops: Vec::new(),
            files: Vec::new(),
            file_slots: HashMap::new(),
            bytes: 0,
            replaces: true,
        }
    }

    fn delete(&mut self, term: Term) {
        self.ops.push(UserOperation::Delete(term));
    }

    /// Deletes what an earlier run wrote for a file, if anything can be there.
    fn delete_earlier(&mut self, term: Term) {
        if self.replaces {
            self.delete(term);
        }
    }

    fn add(&mut self, doc: TantivyDocument) {
        self.ops.push(UserOperation::Add(doc.into()));
    }

    /// Queues the manifest document of a file (its `block` term given),
    /// replacing one queued for the same file earlier in the batch, as the
    /// delete queued before it would have removed that one.
    fn add_file(&mut self, block: String, doc: TantivyDocument) {
        if let Some(&slot) = self.file_slots.get(&block) {
            self.files[slot] = None;
        }
        self.file_slots.insert(block, self.files.len());
        self.files.push(Some(doc));
    }

    /// Hands the batch over when it is full, unless it is held to gather
    /// records to train the index's dictionary on.
    fn flush_if_full(&mut self, writer: &IndexWriter<BlockDoc>) -> Result<()> {
        let training = self.may_train
            && self.record_bytes < super::pack::TRAINING_BYTES
            && self.ops.len() < Batch::MAX_HELD_OPS;
        if training {
            return Ok(());
        }
        if self.ops.len() + self.files.len() >= Batch::MAX_OPS || self.bytes >= Batch::MAX_BYTES {
            self.flush(writer)?;
        }
        Ok(())
    }

    /// Hands every queued operation to the writer; must precede a commit.
    fn flush(&mut self, writer: &IndexWriter<BlockDoc>) -> Result<()> {
        self.pack()?;
        self.file_slots.clear();
        let files = std::mem::take(&mut self.files);
        self.ops.extend(
            files
                .into_iter()
                .flatten()
                .map(|doc| UserOperation::Add(doc.into())),
        );
        if !self.ops.is_empty() {
            writer.run(std::mem::take(&mut self.ops))?;
        }
        self.bytes = 0;
        Ok(())
    }
}

impl Batch<'_> {
    /// Queues an article's block, its article document last.
    fn add_block(&mut self, block: Vec<BlockDoc>, record: Option<Vec<u8>>) {
        if let Some(record) = record {
            self.record_bytes += record.len();
            self.records
                .push((self.ops.len() + block.len() - 1, record));
        }
        self.ops.extend(block.into_iter().map(UserOperation::Add));
    }

    /// Compresses the records of the batch into their article documents,
    /// training the index's dictionary on them first when they are enough.
    fn pack(&mut self) -> Result<()> {
        if self.records.is_empty() {
            return Ok(());
        }
        if self.may_train && self.record_bytes >= super::pack::TRAINING_BYTES {
            self.may_train = false;
            // Each record counts up to a cap, so that one long article
            // does not make the training slow or the dictionary its own.
            const SAMPLE_CAP: usize = 32 * 1024;
            let mut samples =
                Vec::with_capacity(self.record_bytes.min(2 * super::pack::TRAINING_BYTES));
            let mut sizes = Vec::with_capacity(self.records.len());
            for (_, record) in &self.records {
                if samples.len() >= super::pack::TRAINING_BYTES {
                    break;
                }
                let sample = &record[..record.len().min(SAMPLE_CAP)];
                samples.extend_from_slice(sample);
                sizes.push(sample.len());
            }
            self.index
                .packs
                .train(self.index.index.directory(), &samples, &sizes)?;
        }
        let dictionaries = self.index.packs.current();
        for (at, record) in std::mem::take(&mut self.records) {
            let packed = dictionaries.pack(&mut self.cctx, &record);
            match &mut self.ops[at] {
                UserOperation::Add(BlockDoc::Whole(doc)) => {
                    doc.add_bytes(self.index.fields.packed, &packed);
                }
                _ => debug_assert!(false, "a record's place holds its article document"),
            }
        }
        self.record_bytes = 0;
        Ok(())
    }
}

/// What a reader thread hands to the writer for one walk item.
struct Work {
    seq: usize,
    path: Option<PathBuf>,
    /// The file's canonical path, when it could be resolved.
    canonical: Option<PathBuf>,
    file: FileState,
    bytes: u64,
    articles: Vec<Prepared>,
    problems: Vec<Problem>,
}

/// What became of one walked file.
enum FileState {
    /// A walk problem, or a file that could not be read whole: whatever the
    /// index holds for it is kept.
    Unread,
    /// As the manifest records it; `touched` when only its modification
    /// time changed, so the entry is rewritten but not the articles.
    Unchanged { entry: FileEntry, touched: bool },
    /// New or edited: its articles replace those under its old path.
    Changed {
        entry: FileEntry,
        old_path: Option<String>,
    },
}

/// What the writer learns about the walk, for removing deleted files.
#[derive(Default)]
struct Seen {
    /// The manifest at the start of the run.
    known: Arc<HashMap<PathBuf, FileEntry>>,
    /// Canonical paths of the files walked that the manifest holds: only
    /// those can be missed by the removal of deleted files, so a new index
    /// keeps none and memory does not grow with the walk.
    files: HashSet<PathBuf>,
    /// Places the walk could not look into: files indexed from under them
    /// may still exist, so they are not removed.
    shielded: Vec<PathBuf>,
}

/// The article already indexed for a content hash.
struct Primary {
    id: String,
    path: String,
}

impl NewsIndex {
    /// Indexes every article under `roots` (files or directories).
    ///
    /// A file indexed before is replaced by what it holds now. Per-file
    /// problems are reported in the result, never fatal; `progress` is called
    /// from the calling thread after each file.
    pub fn ingest_paths(
        &self,
        roots: &[PathBuf],
        options: &IngestOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<IngestReport> {
        let started = Instant::now();
        check_roots(roots)?;
        let mut writer = self.writer(options)?;
        let _pid = super::PidFile::write(self.path());
        let known = if options.rebuild {
            writer.delete_all_documents()?;
            HashMap::new()
        } else {
            self.manifest_map()?
        };
        let known = Arc::new(known);
        let canonical_roots: Arc<Vec<PathBuf>> = Arc::new(
            roots
                .iter()
                .map(|root| canonical_or_absolute(root))
                .collect(),
        );
        let exclude: Vec<PathBuf> = self.path().map(Path::to_path_buf).into_iter().collect();

        // Walked paths and read files travel in small chunks: handing them
        // over one by one cost more in thread wake-ups than in reading.
        let (path_tx, path_rx) = sync_channel::<Vec<Walked>>(16);
        let (work_tx, work_rx) = sync_channel::<Vec<Work>>(8);
        let path_rx = Arc::new(Mutex::new(path_rx));
        let roots = roots.to_vec();
        let threads = options.read_threads.max(1);

        let outcome = std::thread::scope(|scope| {
            scope.spawn(move || {
                let mut chunk = Vec::with_capacity(PATH_CHUNK);
                for walked in corpus::walk_canonical(&roots, &exclude).enumerate() {
                    chunk.push(walked);
                    if chunk.len() == PATH_CHUNK
                        && path_tx
                            .send(std::mem::replace(
                                &mut chunk,
                                Vec::with_capacity(PATH_CHUNK),
                            ))
                            .is_err()
                    {
                        return;
                    }
                }
                if !chunk.is_empty() {
                    let _ = path_tx.send(chunk);
                }
            });
            for _ in 0..threads {
                let path_rx = Arc::clone(&path_rx);
                let work_tx = work_tx.clone();
                let known = Arc::clone(&known);
                let roots = Arc::clone(&canonical_roots);
                scope.spawn(move || {
                    // Built here, not before the walk starts: the first
                    // reader builds the extractor (the others wait for it)
                    // while the writer reads the manifest and hashes.
                    let reader = Reader {
                        extractor: self.extractor(),
                        options: options.read.clone(),
                        spec: self.schema.passages.clone(),
                        known,
                        roots,
                    };
                    read_worker(&path_rx, &work_tx, &reader, &mut Packing::new(self));
                });
            }
            drop(work_tx);
            let seen = Seen {
                known: Arc::clone(&known),
                ..Seen::default()
            };
            self.write_all(&mut writer, work_rx, options, seen, progress)
        });
        let (mut report, seen) = outcome?;
        if !options.keep_deleted {
            for (canonical, entry) in known.iter() {
                let in_scope = canonical_roots
                    .iter()
                    .any(|root| canonical.starts_with(root));
                let shielded = seen.shielded.iter().any(|p| canonical.starts_with(p));
                if in_scope && !shielded && !seen.files.contains(canonical) {
                    for term in self.fields.path_terms(&entry.path) {
                        writer.delete_term(term);
                    }
                    writer.delete_term(Term::from_field_text(
                        self.fields.block,
                        &file_block(canonical),
                    ));
                    report.files_removed += 1;
                    report.articles_removed += entry.articles;
                }
            }
        }
        writer.commit()?;
        self.reread_orphaned_duplicates(&mut writer, options, &mut report)?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        report.elapsed_secs = started.elapsed().as_secs_f64();
        report.mb_per_sec = report.bytes_read as f64 / 1e6 / report.elapsed_secs.max(1e-9);
        Ok(report)
    }

    /// Indexes articles built in code. Ids must be unique; an article whose
    /// id is already in the index replaces it.
    pub fn ingest_articles(
        &self,
        articles: impl IntoIterator<Item = Article>,
    ) -> Result<IngestReport> {
        let started = Instant::now();
        let options = IngestOptions {
            writer_memory: 50 * 1024 * 1024,
            ..IngestOptions::default()
        };
        let mut writer = self.writer(&options)?;
        let extractor = self.extractor();
        let mut report = IngestReport::default();
        let mut primaries = self.existing_hashes()?;
        let mut batch = Batch::new(self);
        let mut packing = Packing::new(self);
        for article in articles {
            report.articles_read += 1;
            report.bytes_read += article.body.len() as u64;
            let prepared = prepare(article, &extractor, &self.schema.passages, &mut packing);
            batch.delete(Term::from_field_text(
                self.fields.block,
                &prepared.article.id,
            ));
            batch.delete(Term::from_field_text(self.fields.id, &prepared.article.id));
            self.write_article(&mut batch, prepared, None, &mut primaries, &mut report)?;
            batch.flush_if_full(&writer)?;
        }
        batch.flush(&writer)?;
        writer.commit()?;
        self.reader.reload()?;
        report.elapsed_secs = started.elapsed().as_secs_f64();
        Ok(report)
    }

    pub(crate) fn writer(&self, options: &IngestOptions) -> Result<IndexWriter<BlockDoc>> {
        let threads = options.writer_threads.max(1);
        // tantivy refuses less than 15 MB per thread.
        let memory = options.writer_memory.max(threads * 16 * 1024 * 1024);
        let writer = self
            .index
            .writer_with_num_threads(threads, memory)
            .map_err(|error| match error {
                tantivy::TantivyError::LockFailure(..) => Error::IndexLocked {
                    path: self.path().map(Path::to_path_buf).unwrap_or_default(),
                    pid: self.path().and_then(super::PidFile::read),
                },
                other => other.into(),
            })?;
        writer.set_merge_policy(Box::new(super::merge::MergeCeiling::default()));
        Ok(writer)
    }

    /// Writes work items in walk order, committing in batches.
    fn write_all(
        &self,
        writer: &mut IndexWriter<BlockDoc>,
        work_rx: Receiver<Vec<Work>>,
        options: &IngestOptions,
        mut seen: Seen,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<(IngestReport, Seen)> {
        let mut report = IngestReport::default();
        let mut state = Progress::default();
        let mut primaries = if options.rebuild {
            Primaries::new(FxHashSet::default(), self.reader.clone())
        } else {
            self.existing_hashes()?
        };
        let mut pending: BTreeMap<usize, Work> = BTreeMap::new();
        let mut batch = Batch::new(self);
        // The walk yields each file once, so in an index that starts empty
        // (or is rebuilt: everything before is deleted) no file of this
        // pass has documents to replace.
        batch.replaces = !options.rebuild && self.reader.searcher().num_docs() > 0;
        let mut next = 0;
        let mut since_commit = 0;
        let mut last_progress = Instant::now();
        for works in work_rx {
            for work in works {
                state.files_seen = state.files_seen.max(work.seq + 1);
                pending.insert(work.seq, work);
            }
            while let Some(work) = pending.remove(&next) {
                next += 1;
                // A huge article gets a segment of its own, committed before
                // and after it: tantivy's postings of other articles are then
                // not held in memory beside its own.
                let huge = work
                    .articles
                    .iter()
                    .any(|p| p.article.body.len() > document::PIECED_BODY_BYTES);
                if huge && since_commit > 0 {
                    batch.flush(writer)?;
                    writer.commit()?;
                    primaries.committed_all();
                    since_commit = 0;
                }
                since_commit += work.articles.len();
                self.write_work(&mut batch, work, &mut primaries, &mut report, &mut seen)?;
                if since_commit >= options.commit_every || huge {
                    batch.flush(writer)?;
                    writer.commit()?;
                    primaries.committed_all();
                    since_commit = 0;
                } else {
                    batch.flush_if_full(writer)?;
                }
            }
            state.files_done = next;
            state.articles_indexed = report.articles_indexed;
            state.bytes_read = report.bytes_read;
            if last_progress.elapsed() >= Duration::from_millis(100) {
                progress(&state);
                last_progress = Instant::now();
            }
        }
        batch.flush(writer)?;
        state.walk_done = true;
        state.files_seen = next;
        progress(&state);
        Ok((report, seen))
    }

    fn write_work(
        &self,
        batch: &mut Batch,
        work: Work,
        primaries: &mut Primaries,
        report: &mut IngestReport,
        seen: &mut Seen,
    ) -> Result<()> {
        report.bytes_read += work.bytes;
        for problem in work.problems {
            if matches!(problem.kind, ProblemKind::Walk | ProblemKind::Unreadable) {
                seen.shielded.push(canonical_or_absolute(&problem.path));
            }
            report.record(problem, work.path.is_some());
        }
        if let Some(canonical) = work.canonical
            && seen.known.contains_key(&canonical)
        {
            seen.files.insert(canonical);
        }
        let Some(path) = work.path else { return Ok(()) };
        match work.file {
            FileState::Unread => {}
            FileState::Unchanged { entry, touched } => {
                report.files_unchanged += 1;
                for problem in &entry.problems {
                    report.record(problem.clone(), true);
                }
                if touched {
                    report.files_read += 1;
                    self.replace_entry(batch, &entry);
                }
            }
            FileState::Changed { entry, old_path } => {
                report.files_read += 1;
                report.files_changed += 1;
                // Whatever the file held before is replaced by what it holds
                // now, also when it was indexed under another spelling.
                for term in self.fields.path_terms(&entry.path) {
                    batch.delete_earlier(term);
                }
                if let Some(old) = old_path.filter(|old| *old != entry.path) {
                    for term in self.fields.path_terms(&old) {
                        batch.delete_earlier(term);
                    }
                }
                for prepared in work.articles {
                    report.articles_read += 1;
                    self.write_article(batch, prepared, Some(&path), primaries, report)?;
                }
                self.replace_entry(batch, &entry);
            }
        }
        Ok(())
    }

    fn replace_entry(&self, batch: &mut Batch, entry: &FileEntry) {
        let block = file_block(&entry.canonical);
        batch.delete_earlier(Term::from_field_text(self.fields.block, &block));
        batch.add_file(block, file_doc(&self.fields, entry));
    }

    fn write_article(
        &self,
        batch: &mut Batch,
        prepared: Prepared,
        path: Option<&Path>,
        primaries: &mut Primaries,
        report: &mut IngestReport,
    ) -> Result<()> {
        let own_path = path_key(path.unwrap_or(&prepared.article.path));
        if let Some(primary) = primaries.get(prepared.hash, &self.fields)?
            && primary.id != prepared.article.id
            && primary.path != own_path
        {
            report.duplicates += 1;
            let doc = document::duplicate_doc(
                &self.fields,
                &prepared.article.id,
                &prepared.article.path,
                &primary.id,
                prepared.hash,
            );
            batch.add(doc);
            return Ok(());
        }
        primaries.insert_if_absent(prepared.hash, &prepared.article.id, &own_path);
        batch.bytes += prepared.article.body.len();
        let (packed, record) = match prepared.stored {
            Stored::Packed(packed) => (Some(packed), None),
            Stored::Record(record) => (None, Some(record)),
        };
        let block = document::article_block(
            &self.fields,
            prepared.article,
            &prepared.entities,
            &prepared.passages,
            prepared.hash,
            packed,
        );
        drop(prepared.entities);
        batch.add_block(block, record);
        report.articles_indexed += 1;
        Ok(())
    }

    /// Reads again the files of duplicates whose primary article is gone or
    /// now holds other text (its file was edited or deleted), so their text
    /// is indexed again rather than lost; then commits.
    ///
    /// Runs at the end of every run, on the committed index: a crash before
    /// it is made good by the next run.
    fn reread_orphaned_duplicates(
        &self,
        writer: &mut IndexWriter<BlockDoc>,
        options: &IngestOptions,
        report: &mut IngestReport,
    ) -> Result<()> {
        self.reader.reload()?;
        let orphans = self.orphaned_duplicate_paths()?;
        if orphans.is_empty() {
            return Ok(());
        }
        let known = self.manifest_map()?;
        let by_path: HashMap<&str, &FileEntry> =
            known.values().map(|e| (e.path.as_str(), e)).collect();
        let reader = Reader {
            extractor: self.extractor(),
            options: options.read.clone(),
            spec: self.schema.passages.clone(),
            // Nothing known: every orphan's file is read.
            known: Arc::new(HashMap::new()),
            roots: Arc::new(Vec::new()),
        };
        let mut primaries = self.existing_hashes()?;
        let mut batch = Batch::new(self);
        let mut packing = Packing::new(self);
        for (seq, path) in orphans.into_iter().enumerate() {
            let old = by_path.get(path.as_str()).copied();
            // Read as first walked, so ids stay the same, unless that
            // spelling no longer leads to the file (another working dir).
            let walked = PathBuf::from(&path);
            let resolved = std::fs::canonicalize(&walked).ok();
            let target = match old {
                Some(old) if resolved.as_ref() != Some(&old.canonical) => corpus::Found {
                    path: old.canonical.clone(),
                    canonical: std::fs::canonicalize(&old.canonical).ok(),
                },
                _ => corpus::Found {
                    path: walked,
                    canonical: resolved,
                },
            };
            let mut work = read_one(seq, target, &reader, &mut packing);
            if let FileState::Changed { entry, old_path } = &mut work.file {
                *old_path = Some(path.clone());
                if let Some(old) = old {
                    entry.root = old.root.clone();
                }
            }
            let changed = matches!(work.file, FileState::Changed { .. });
            self.write_work(
                &mut batch,
                work,
                &mut primaries,
                report,
                &mut Seen::default(),
            )?;
            batch.flush_if_full(writer)?;
            if changed {
                // Counted apart: the file itself did not change.
                report.files_changed -= 1;
                report.files_read -= 1;
                report.files_reread += 1;
            }
        }
        batch.flush(writer)?;
        writer.commit()?;
        Ok(())
    }

    /// Paths (as stored) of duplicate markers whose primary article no
    /// longer exists with the same content hash.
    ///
    /// Walks the `dup_of` terms (one per primary) and compares hashes from
    /// the fast field; only an orphan's own stored document is read, for its
    /// path. Reading every marker from the doc store decompressed a block
    /// per marker at the end of each run: on ten copies of Reuters (2,090
    /// duplicates) that mapped 67 MB of the store into memory at the run's
    /// peak.
    fn orphaned_duplicate_paths(&self) -> Result<Vec<String>> {
        use tantivy::DocSet;
        use tantivy::collector::DocSetCollector;
        use tantivy::query::{BooleanQuery, Occur, TermQuery};
        use tantivy::schema::IndexRecordOption;
        let searcher = self.reader.searcher();
        let index_error = |source| Error::io(self.path().unwrap_or(Path::new("")), source);
        let term_query = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let hash_of = |address: tantivy::DocAddress| -> Result<Option<u64>> {
            let segment = searcher.segment_reader(address.segment_ord);
            Ok(segment.fast_fields().u64("hash")?.first(address.doc_id))
        };
        // Hashes of the live articles with this id (one, unless a crash
        // left two behind).
        let primary_hashes = |primary: &str| -> Result<Vec<u64>> {
            let query = BooleanQuery::new(vec![
                (Occur::Must, term_query(self.fields.kind, KIND_ARTICLE)),
                (Occur::Must, term_query(self.fields.id, primary)),
            ]);
            let mut hashes = Vec::new();
            for found in searcher.search(&query, &DocSetCollector)? {
                hashes.extend(hash_of(found)?);
            }
            Ok(hashes)
        };
        let mut orphans = std::collections::BTreeSet::new();
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let markers = segment.inverted_index(self.fields.dup_of)?;
            let hashes = segment.fast_fields().u64("hash")?;
            let mut terms = markers.terms().stream().map_err(index_error)?;
            while terms.advance() {
                let primary = String::from_utf8_lossy(terms.key());
                let alive = primary_hashes(&primary)?;
                let mut postings = markers
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(index_error)?;
                let mut doc = postings.doc();
                while doc != tantivy::TERMINATED {
                    // A marker from before markers held a hash counts as
                    // orphaned: reading its file again is always safe.
                    let orphaned = hashes.first(doc).is_none_or(|hash| !alive.contains(&hash));
                    if !segment.is_deleted(doc) && orphaned {
                        let address = tantivy::DocAddress::new(segment_ord as u32, doc);
                        let stored: TantivyDocument = searcher.doc(address)?;
                        if let Some(path) =
                            stored.get_first(self.fields.path).and_then(|v| v.as_str())
                        {
                            orphans.insert(path.to_string());
                        }
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(orphans.into_iter().collect())
    }

    /// Content hashes of the articles already in the index, read from the
    /// fast field; ids and paths are fetched only when a hash comes up again.
    fn existing_hashes(&self) -> Result<Primaries> {
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        let mut hashes = FxHashSet::default();
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.kind, KIND_ARTICLE),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
            &searcher,
        ))?;
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("hash")?;
            let mut scorer = weight.scorer(segment, 1.0)?;
            let mut doc = scorer.doc();
            while doc != tantivy::TERMINATED {
                if !segment.is_deleted(doc)
                    && let Some(hash) = column.first(doc)
                {
                    hashes.insert(hash);
                }
                doc = scorer.advance();
            }
        }
        Ok(Primaries::new(hashes, self.reader.clone()))
    }
}

/// The article kept for each content hash, so that a later article with the
/// same text becomes its duplicate.
///
/// Only the hashes are kept for the whole run, 8 bytes an article: an
/// article already committed is found again in the index, by its `hash`
/// column, when its hash comes up again (rarely: once per duplicate). Ids
/// and paths are held only for the articles written since the last commit,
/// which the index cannot show yet, so the memory that grows with the
/// corpus is the hash set alone. (Keeping every id and path, ~85 bytes an
/// article, made the table 16 MB on ten copies of Reuters-21578.)
struct Primaries {
    hashes: FxHashSet<u64>,
    /// Articles written since the last commit.
    recent: FxHashMap<u64, Written>,
    /// Ids and paths of `recent`, end to end: one growing string rather
    /// than two allocations per article.
    text: String,
    reader: tantivy::IndexReader,
    searcher: tantivy::Searcher,
    /// A commit came after `searcher` was taken.
    stale: bool,
}

/// `text[start..start + id_len]` is the id; the path is the id's first
/// `path_len` bytes when `path_in_id`, else follows the id.
struct Written {
    start: usize,
    id_len: u32,
    path_len: u32,
    path_in_id: bool,
}

impl Primaries {
    fn new(hashes: FxHashSet<u64>, reader: tantivy::IndexReader) -> Primaries {
        Primaries {
            hashes,
            recent: FxHashMap::default(),
            text: String::new(),
            searcher: reader.searcher(),
            reader,
            stale: false,
        }
    }

    fn get(&mut self, hash: u64, fields: &crate::schema::Fields) -> Result<Option<Primary>> {
        if !self.hashes.contains(&hash) {
            return Ok(None);
        }
        if let Some(written) = self.recent.get(&hash) {
            let id_end = written.start + written.id_len as usize;
            let path_start = if written.path_in_id {
                written.start
            } else {
                id_end
            };
            return Ok(Some(Primary {
                id: self.text[written.start..id_end].to_string(),
                path: self.text[path_start..path_start + written.path_len as usize].to_string(),
            }));
        }
        let Some(address) = self.committed(hash, fields)? else {
            // Its article was deleted since (its file edited or removed):
            // the next article with this text is the primary.
            self.hashes.remove(&hash);
            return Ok(None);
        };
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        Ok(Some(Primary {
            id: text(fields.id),
            path: text(fields.path),
        }))
    }

    /// The live article document of the index with content `hash`, from the
    /// `hash` column of every segment (values only, no documents read).
    /// Ten copies of Reuters-21578: 27 of the 2,090 duplicates came here
    /// (the others' originals were written since the last commit), 3.2 ms
    /// in all with the reader's reloads.
    fn committed(
        &mut self,
        hash: u64,
        fields: &crate::schema::Fields,
    ) -> Result<Option<tantivy::DocAddress>> {
        if self.stale {
            self.reader.reload()?;
            self.searcher = self.reader.searcher();
            self.stale = false;
        }
        let article = Term::from_field_text(fields.kind, KIND_ARTICLE);
        let mut docs = Vec::new();
        for (segment_ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            docs.clear();
            let column = segment.fast_fields().u64("hash")?;
            column.get_docids_for_value_range(hash..=hash, 0..segment.max_doc(), &mut docs);
            if docs.is_empty() {
                continue;
            }
            // Duplicate markers carry the hash too; only an article counts.
            let Some(mut postings) = segment
                .inverted_index(fields.kind)?
                .read_postings(&article, tantivy::schema::IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?
            else {
                continue;
            };
            for &doc in &docs {
                // Checked again: tantivy 0.27's range search answers a value
                // below the segment's smallest with the rows holding the
                // smallest (the shift by the minimum saturates at zero).
                if column.first(doc) == Some(hash)
                    && !segment.is_deleted(doc)
                    && tantivy::DocSet::seek(&mut postings, doc) == doc
                {
                    return Ok(Some(tantivy::DocAddress::new(segment_ord as u32, doc)));
                }
            }
        }
        Ok(None)
    }

    /// Makes the article the primary of its hash, unless there is one.
    fn insert_if_absent(&mut self, hash: u64, id: &str, path: &str) {
        if self.hashes.contains(&hash) {
            return;
        }
        let (Ok(id_len), Ok(path_len)) = (u32::try_from(id.len()), u32::try_from(path.len()))
        else {
            // Ids and paths over 4 GB do not occur; such an article is only
            // not known as a primary.
            return;
        };
        self.hashes.insert(hash);
        let start = self.text.len();
        let path_in_id = id.starts_with(path);
        self.text.push_str(id);
        if !path_in_id {
            self.text.push_str(path);
        }
        self.recent.insert(
            hash,
            Written {
                start,
                id_len,
                path_len,
                path_in_id,
            },
        );
    }

    /// Everything written so far is committed: the index shows it now.
    fn committed_all(&mut self) {
        self.recent.clear();
        self.text.clear();
        self.stale = true;
    }
}

/// Fails on the first root that does not exist: a mistyped path is an
/// error, not an empty run.
pub fn check_roots(roots: &[PathBuf]) -> Result<()> {
    for root in roots {
        std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
    }
    Ok(())
}

/// What a reader thread needs.
struct Reader {
    extractor: Arc<Extractor>,
    options: ReadOptions,
    spec: crate::schema::PassageSpec,
    /// The manifest at the start of the run.
    known: Arc<HashMap<PathBuf, FileEntry>>,
    /// This run's roots, canonical.
    roots: Arc<Vec<PathBuf>>,
}

/// Canonicalizes a path, or makes it absolute when it cannot be resolved
/// (gone, or a broken link), so it can still be compared with others.
pub(crate) fn canonical_or_absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// A walk item with its number in walk order.
type Walked = (usize, std::result::Result<corpus::Found, Problem>);

/// Walk items per chunk handed to a reader thread.
const PATH_CHUNK: usize = 16;

/// Read bytes after which a reader hands its finished files over before the
/// end of its chunk, so a chunk of big files is never held whole.
const WORK_CHUNK_BYTES: u64 = 4 * 1024 * 1024;

fn read_worker(
    path_rx: &Mutex<Receiver<Vec<Walked>>>,
    work_tx: &SyncSender<Vec<Work>>,
    reader: &Reader,
    packing: &mut Packing<'_>,
) {
    loop {
        let chunk = match path_rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = chunk else { return };
        let mut done = Vec::with_capacity(chunk.len());
        let mut bytes = 0;
        for (seq, item) in chunk {
            let work = match item {
                Err(problem) => Work {
                    seq,
                    path: None,
                    canonical: None,
                    file: FileState::Unread,
                    bytes: 0,
                    articles: Vec::new(),
                    problems: vec![problem],
                },
                Ok(found) => read_one(seq, found, reader, packing),
            };
            bytes += work.bytes;
            done.push(work);
            if bytes >= WORK_CHUNK_BYTES {
                if work_tx.send(std::mem::take(&mut done)).is_err() {
                    return;
                }
                bytes = 0;
            }
        }
        if !done.is_empty() && work_tx.send(done).is_err() {
            return;
        }
    }
}

/// Reads one walked file unless the manifest shows it unchanged.
/// The manifest's hash for a file recorded without being read (too large):
/// whatever the file holds when it is read again will differ from it.
const UNREAD_HASH: u64 = 0;

fn read_one(seq: usize, found: corpus::Found, reader: &Reader, packing: &mut Packing<'_>) -> Work {
    // The walk resolved the canonical path already.
    let corpus::Found { path, canonical } = found;
    let metadata = std::fs::metadata(&path).ok();
    let known = canonical.as_ref().and_then(|c| reader.known.get(c));
    let (size, mtime) = metadata.as_ref().map_or((0, 0), |m| (m.len(), mtime_ns(m)));
    let mut work = Work {
        seq,
        path: Some(path),
        canonical: canonical.clone(),
        file: FileState::Unread,
        bytes: 0,
        articles: Vec::new(),
        problems: Vec::new(),
    };
    let path = work.path.as_deref().expect("set above");
    // Size and modification time decide without reading; an unknown time
    // (0) never counts as unchanged.
    if let Some(entry) = known
        && mtime != 0
        && entry.size == size
        && entry.mtime_ns == mtime
    {
        work.file = FileState::Unchanged {
            entry: entry.clone(),
            touched: false,
        };
        return work;
    }
    let (contents, hash) = corpus::read_file_hashed(path, &reader.options);
    let Some(canonical) = canonical else {
        work.problems = contents.problems;
        return work;
    };
    let hash = match hash {
        Some(hash) => hash,
        // An indexed file that has grown past the size limit no longer holds
        // what its articles say: they are removed, as for a file now binary
        // or empty, and the manifest records the problem. A file that could
        // not be read (permissions, an I/O error) keeps its articles: its
        // text may well be unchanged.
        None if known.is_some()
            && contents
                .problems
                .iter()
                .any(|p| p.kind == ProblemKind::TooLarge) =>
        {
            UNREAD_HASH
        }
        None => {
            work.problems = contents.problems;
            return work;
        }
    };
    if let Some(entry) = known
        && entry.hash == hash
    {
        work.file = FileState::Unchanged {
            entry: FileEntry {
                size,
                mtime_ns: mtime,
                ..entry.clone()
            },
            touched: true,
        };
        return work;
    }
    let root = reader
        .roots
        .iter()
        .find(|root| canonical.starts_with(root))
        .cloned()
        .unwrap_or_else(|| canonical.clone());
    let entry = FileEntry {
        path: path_key(path),
        root,
        size,
        mtime_ns: mtime,
        hash,
        articles: contents.articles.len(),
        problems: contents.problems.clone(),
        canonical,
    };
    work.bytes = contents.articles.iter().map(|a| a.body.len() as u64).sum();
    work.articles = contents
        .articles
        .into_iter()
        .map(|a| prepare(a, &reader.extractor, &reader.spec, packing))
        .collect();
    work.problems = contents.problems;
    work.file = FileState::Changed {
        entry,
        old_path: known.map(|entry| entry.path.clone()),
    };
    work
}

/// What a thread needs to compress the records of the articles it prepares.
struct Packing<'a> {
    packs: &'a super::pack::Packs,
    /// Whether the schema stores headlines.
    store_title: bool,
    /// One context per thread, reused for every article.
    cctx: zstd::zstd_safe::CCtx<'static>,
}

impl<'a> Packing<'a> {
    fn new(index: &'a NewsIndex) -> Packing<'a> {
        Packing {
            packs: &index.packs,
            store_title: index.schema.text.title.stored,
            cctx: zstd::zstd_safe::CCtx::create(),
        }
    }
}

fn prepare(
    article: Article,
    extractor: &Extractor,
    spec: &crate::schema::PassageSpec,
    packing: &mut Packing<'_>,
) -> Prepared {
    let mut entities = extractor.extract(&article);
    // The index keeps only which dates are mentioned (the `mentioned`
    // facet), and a huge body can mention millions: one mention per value,
    // and the list's buffer given back (a 200 MB file with a weekday in
    // every paragraph listed about 125 MB of them).
    let mut values = HashSet::new();
    entities
        .dates
        .retain(|date| !values.contains(date.value.as_str()) && values.insert(date.value.clone()));
    entities.dates.shrink_to_fit();
    let passages = passage::split(&article.body, spec);
    let hash = document::content_hash(article.title.as_deref(), &article.body);
    let record = document::stored_record(&article, &entities, &passages, packing.store_title);
    // Compressed here, in parallel, once the index has a dictionary;
    // before, the writer compresses it (after training on it).
    let dictionaries = packing.packs.current();
    let stored = if dictionaries.has_encoder() {
        Stored::Packed(dictionaries.pack(&mut packing.cctx, &record))
    } else {
        Stored::Record(record)
    };
    Prepared {
        article,
        entities,
        passages,
        hash,
        stored,
    }
}
