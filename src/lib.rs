//! Dateline: a search engine for news archives.

#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod article;
pub mod corpus;
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
