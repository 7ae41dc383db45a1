//! The one error type of the crate.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong in Dateline, split by who must act.
///
/// Per-file problems met while ingesting are not errors: they are reported in
/// the ingest report and the file is skipped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The schema file is invalid (user input).
    #[error("schema `{path}`: {message}")]
    Schema {
        /// The schema file, or `<built-in>`.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The query text could not be parsed (user input).
    #[error("invalid query at column {column}: {message}")]
    Query {
        /// 1-based column, in characters, where the problem starts.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A facet name that the schema does not have (user input).
    #[error("unknown facet `{name}` (available: {})", available.join(", "))]
    UnknownFacet {
        /// The name given.
        name: String,
        /// The names the schema accepts.
        available: Vec<String>,
    },
    /// A filter value that cannot be used, such as a malformed date (user input).
    #[error("invalid filter: {0}")]
    Filter(String),
    /// Evaluation input (queries, judgments) is malformed (user input).
    #[error("{0}")]
    Eval(String),
    /// No article has the requested id (user input).
    #[error("no article with id `{0}`")]
    ArticleNotFound(String),
    /// No index at the path (environment).
    #[error("no index at `{}`", path.display())]
    IndexMissing {
        /// Where the index was looked for.
        path: PathBuf,
    },
    /// Another process is writing to the index (environment).
    #[error("index `{}` is locked by another writer{}", path.display(), pid.map(|p| format!(" (process {p})")).unwrap_or_default())]
    IndexLocked {
        /// The index directory.
        path: PathBuf,
        /// The writer's process id, as it wrote it beside the lock.
        pid: Option<u32>,
    },
    /// The index was built with another schema version (environment).
    #[error("index `{}` has schema version {found}, this build expects {expected}", path.display())]
    SchemaVersion {
        /// The index directory.
        path: PathBuf,
        /// Version recorded in the index.
        found: u32,
        /// Version of the schema in use.
        expected: u32,
    },
    /// Reading or writing a file failed (environment).
    #[error("`{}`", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// Stored data of the index does not read back: a damaged stored
    /// article or a missing or damaged dictionary (environment).
    #[error("`{}`: {message}", path.display())]
    Damaged {
        /// The index directory, or the damaged file.
        path: PathBuf,
        /// What does not read back.
        message: String,
    },
    /// The search engine underneath failed (engine).
    #[error("index engine failure")]
    Engine(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<tantivy::TantivyError> for Error {
    fn from(error: tantivy::TantivyError) -> Error {
        Error::Engine(Box::new(error))
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
