//! Dateline: a search engine for news archives.
//!
//! Dateline reads news articles (plain text with headline and dateline,
//! Markdown with front matter, JSON and JSON Lines, Reuters-21578 SGML,
//! scraped HTML), extracts the places, organizations and dates they name,
//! splits them into passages and indexes them with tantivy. A search returns
//! ranked passages grouped by article, with highlights, facet filters and
//! facet counts.
//!
//! # A working program
//!
//! Create an index in memory, add two articles built in code, search with a
//! facet filter and read the passages:
//!
//! ```
//! use dateline::{Article, NewsIndex, Schema, SearchRequest};
//!
//! let index = NewsIndex::create_in_ram(Schema::default())?;
//! index.ingest_articles([
//!     Article {
//!         id: "wire/1".into(),
//!         title: Some("Cocoa prices climb in Accra".into()),
//!         body: "Cocoa prices rose in Ghana on Monday as the harvest shrank.".into(),
//!         source: Some("Dateline Wire".into()),
//!         published: "2024-03-05".parse().ok(),
//!         ..Article::default()
//!     },
//!     Article {
//!         id: "wire/2".into(),
//!         title: Some("Coffee prices fall in Nairobi".into()),
//!         body: "Coffee prices fell in Kenya as the rains returned.".into(),
//!         ..Article::default()
//!     },
//! ])?;
//!
//! // Places come from extraction: Accra and Ghana put the first article
//! // under /Africa/Western Africa/Ghana, Kenya the second under Eastern Africa.
//! let request = SearchRequest::new("prices").filter("location", "Western Africa");
//! let results = index.search(&request)?;
//! assert_eq!(results.total_articles, 1);
//! let hit = &results.hits[0];
//! assert_eq!(hit.id, "wire/1");
//!
//! // Each passage is a slice of the body; highlights are character offsets
//! // into the passage text.
//! let passage = &hit.passages[0];
//! let [start, end] = passage.highlights[0];
//! let word: String = passage.text.chars().skip(start).take(end - start).collect();
//! assert_eq!(word, "prices");
//! # Ok::<(), dateline::Error>(())
//! ```
//!
//! # Where to go next
//!
//! - [`NewsIndex`] opens or creates an index ([`NewsIndex::create_in_dir`],
//!   [`NewsIndex::open_in_dir`], [`NewsIndex::create_in_ram`]) and ingests
//!   folders ([`NewsIndex::ingest_paths`], with an [`IngestReport`] naming
//!   every file skipped and why) or [`Article`]s built in code
//!   ([`NewsIndex::ingest_articles`]).
//! - [`SearchRequest`] is the whole question (query text, facet filters,
//!   date range, limit, passages, sort); [`SearchResults`] the whole
//!   answer (ranked [`Hit`]s with [`PassageHit`]s, the exact total, facet
//!   counts). Both are plain data with serde: the `dateline search --json`
//!   output is the serialized [`SearchResults`].
//! - [`Extractor`] runs extraction on its own: an [`Article`] in,
//!   [`Entities`] out; [`extract_paths`] does it over files and folders.
//! - [`Error`] is the one error type; its variants say who must act.
//! - A [`NewsIndex`] is `Send + Sync`: share it in an `Arc`, search from
//!   any number of threads while one thread ingests; searches see each
//!   commit without reopening.
//! - [`schema`] is the declarative schema (`index-schema/news.toml`),
//!   [`eval`] the ranking evaluation behind `dateline eval`.
//! - [`NewsIndex::tantivy_index`] is the one door to the tantivy index
//!   underneath, re-exported as [`tantivy`], for what Dateline does not wrap.
//!
//! The crate's `cli` feature (on by default) only builds the `dateline`
//! binary; depend on it with `default-features = false` to leave clap and
//! the progress bars out.

#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod analysis;
mod article;
mod corpus;
mod error;
mod extract;
mod extracted;
mod index;
mod passage;
mod search;

pub mod eval;
pub mod schema;

// The whole public surface. Everything else is private to the crate.

// Opening, ingesting, managing.
pub use index::{
    FileEntry, IndexStats, IngestOptions, IngestReport, NewsIndex, Progress, RemoveReport,
    StoredArticle,
};
// Articles and reading them.
pub use article::{Article, Date, Origin};
pub use corpus::{FileContents, Problem, ProblemKind, ReadOptions, read_bytes, read_file};
pub use passage::{PassageSpan, split as split_passages};
// Searching.
pub use search::{
    Aggregation, Bucket, EntityRef, FacetCount, FacetCounts, FacetFilter, Histogram, Hit,
    PassageHit, QuerySyntax, Ranking, RelatedRequest, ResolvedFilter, ScoreParts, SearchRequest,
    SearchResults, Sort,
};
// Extraction on its own.
pub use extract::{
    Entities, ExtractionMode, Extractor, ExtractorOptions, Focus, Location, MentionedDate,
    Organization, Part, Span,
};
pub use extracted::{
    ExtractedArticle, ExtractedDate, ExtractedLocation, ExtractedOrganization, extract_paths,
};
// The schema, errors, and the escape hatch to the engine underneath.
pub use error::{Error, Result};
pub use schema::Schema;
pub use tantivy;
