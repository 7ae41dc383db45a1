//! Dateline: a search engine for news archives.
//!
//! Dateline reads news articles (plain text with headline and dateline,
//! Markdown with front matter, JSON and JSON Lines, Reuters-21578 SGML,
//! scraped HTML), extracts the places, organizations and dates they name,
//! splits them into passages and indexes them with tantivy. A search returns
//! ranked passages grouped by article, with highlights, facet filters and
//! facet counts.
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
//!         title: Some("Rain returns to Nairobi".into()),
//!         body: "Farmers in Kenya welcomed the first rain in months.".into(),
//!         ..Article::default()
//!     },
//! ])?;
//!
//! let results = index.search(&SearchRequest::new("cocoa").filter("source", "Dateline Wire"))?;
//! assert_eq!(results.total_articles, 1);
//! let hit = &results.hits[0];
//! assert_eq!(hit.id, "wire/1");
//! // Each passage is a slice of the body; highlights are offsets into it.
//! let passage = &hit.passages[0];
//! let [start, end] = passage.highlights[0];
//! let word: String = passage.text.chars().skip(start).take(end - start).collect();
//! assert_eq!(word, "Cocoa");
//! # Ok::<(), dateline::Error>(())
//! ```

#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod article;
pub mod corpus;
pub mod eval;
pub mod extract;
pub mod extracted;
pub mod index;
pub mod passage;
pub mod schema;
pub mod search;

mod error;

pub use article::{Article, Date, Origin};
pub use error::{Error, Result};
pub use extracted::{ExtractedArticle, extract_file};
pub use index::{IngestOptions, IngestReport, NewsIndex, Progress, StoredArticle};
pub use schema::Schema;
pub use search::{FacetFilter, Hit, SearchRequest, SearchResults, Sort};
pub use tantivy;
