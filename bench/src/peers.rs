//! The two peers: a raw tantivy index and an SQLite FTS5 table, each the
//! plainest honest setup of its engine.

use std::error::Error;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{Field, STORED, Schema, TEXT, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, doc};

use crate::corpus::{Query, read_text};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Indexes one document per file, one text field with the default analyzer
/// and stored text, one indexing thread, a 256 MB heap, one final commit,
/// then waits for merges.
pub fn tantivy_index(files: &[PathBuf], out: &Path) -> Result<usize> {
    let mut builder = Schema::builder();
    let text = builder.add_text_field("text", TEXT | STORED);
    std::fs::create_dir_all(out)?;
    let index = Index::create_in_dir(out, builder.build())?;
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 256_000_000)?;
    for file in files {
        writer.add_document(doc!(text => read_text(file)?))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(files.len())
}

/// An open raw tantivy index.
pub struct TantivyPeer {
    index: Index,
    searcher: Searcher,
    text: Field,
    // Kept so the searcher's segments stay the reader's.
    _reader: IndexReader,
}

impl TantivyPeer {
    pub fn open(dir: &Path) -> Result<TantivyPeer> {
        let index = Index::open_in_dir(dir)?;
        let text = index.schema().get_field("text")?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        Ok(TantivyPeer {
            index,
            searcher,
            text,
            _reader: reader,
        })
    }

    fn parse(&self, query: &Query) -> Result<Box<dyn tantivy::query::Query>> {
        let parser = QueryParser::for_index(&self.index, vec![self.text]);
        Ok(parser.parse_query(&query.tantivy_syntax())?)
    }

    /// (a) the top 10 documents, ids and scores only. Returns the hit count.
    pub fn top10(&self, query: &Query) -> Result<usize> {
        let q = self.parse(query)?;
        let top = self
            .searcher
            .search(&q, &TopDocs::with_limit(10).order_by_score())?;
        Ok(top.len())
    }

    /// (b) the top 10 with their stored text fetched and one highlighted
    /// snippet each; with `count`, (c): the exact total too (raw tantivy
    /// has no facets, so nothing is filtered or counted per facet).
    pub fn top10_snippets(&self, query: &Query, count: bool) -> Result<usize> {
        let q = self.parse(query)?;
        let top = if count {
            let (top, total) = self
                .searcher
                .search(&q, &(TopDocs::with_limit(10).order_by_score(), Count))?;
            std::hint::black_box(total);
            top
        } else {
            self.searcher
                .search(&q, &TopDocs::with_limit(10).order_by_score())?
        };
        let generator = SnippetGenerator::create(&self.searcher, &*q, self.text)?;
        let mut highlights = 0;
        for (_, address) in &top {
            let doc: TantivyDocument = self.searcher.doc(*address)?;
            let body = doc
                .get_first(self.text)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            highlights += generator.snippet(body).highlighted().len();
        }
        std::hint::black_box(highlights);
        Ok(top.len())
    }
}

/// Fills an FTS5 table (default `unicode61` tokenizer) in one transaction,
/// then merges its b-trees (`optimize`), as tantivy waits for its merges.
pub fn sqlite_index(files: &[PathBuf], out: &Path) -> Result<usize> {
    let mut conn = Connection::open(out)?;
    conn.execute_batch("CREATE VIRTUAL TABLE docs USING fts5(text);")?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO docs(text) VALUES (?1)")?;
        for file in files {
            insert.execute([read_text(file)?])?;
        }
    }
    tx.commit()?;
    conn.execute("INSERT INTO docs(docs) VALUES ('optimize')", [])?;
    Ok(files.len())
}

/// An open FTS5 database.
pub struct SqlitePeer {
    conn: Connection,
}

impl SqlitePeer {
    pub fn open(path: &Path) -> Result<SqlitePeer> {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        Ok(SqlitePeer { conn })
    }

    /// (a) the top 10 rows by `bm25()`.
    pub fn top10(&self, query: &Query) -> Result<usize> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT 10",
        )?;
        let rows = stmt.query_map([query.fts5_syntax()], |row| row.get::<_, i64>(0))?;
        let mut n = 0;
        for row in rows {
            std::hint::black_box(row?);
            n += 1;
        }
        Ok(n)
    }

    /// (b) the top 10 with a `snippet()` each; with `count`, (c): plus the
    /// exact total (FTS5 has no facets).
    pub fn top10_snippets(&self, query: &Query, count: bool) -> Result<usize> {
        let fts = query.fts5_syntax();
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid, snippet(docs, 0, '<b>', '</b>', '...', 32) FROM docs \
             WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT 10",
        )?;
        let rows = stmt.query_map([&fts], |row| row.get::<_, String>(1))?;
        let mut n = 0;
        for row in rows {
            std::hint::black_box(row?);
            n += 1;
        }
        if count {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT count(*) FROM docs WHERE docs MATCH ?1")?;
            let total: i64 = stmt.query_row([&fts], |row| row.get(0))?;
            std::hint::black_box(total);
        }
        Ok(n)
    }
}
