//! Dateline: a search engine for news archives.

#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod article;
pub mod corpus;
mod error;
pub mod extract;
pub mod index;
pub mod passage;
pub mod schema;

pub use error::{Error, Result};
