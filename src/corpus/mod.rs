//! Finding and reading article files: walking directories, decoding bytes,
//! and parsing each supported format into [`Article`]s.
//!
//! [`walk`] yields candidate files (and [`Problem`]s for what it skipped);
//! [`read_file`] turns one file into articles. Both never panic and never
//! print: everything that goes wrong with the input is a [`Problem`].
//!
//! # Formats
//!
//! | extension | format |
//! |---|---|
//! | `.txt`, `.text` | plain text: headline, optional dateline, paragraphs (YAML front matter allowed) |
//! | `.md`, `.markdown` | Markdown with optional YAML front matter |
//! | `.json` | one article object, an array of them, or an object with an `articles` array |
//! | `.jsonl`, `.ndjson` | JSON Lines: one article object per line |
//! | `.sgm`, `.sgml` | Reuters-21578 SGML: many `<REUTERS>` articles per file |
//! | `.html`, `.htm` | a scraped web page |
//!
//! Extensions match case-insensitively. A file given directly as a root with
//! any other extension is read as plain text.
//!
//! # The body is normalised
//!
//! Every reader produces a body made of paragraphs separated by exactly one
//! blank line (`"\n\n"`), with whitespace inside a paragraph collapsed to
//! single spaces. The body is the text as the reader normalised it, and all
//! offsets elsewhere in Dateline refer to that normalised body, never to the
//! bytes of the file.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::article::Article;

mod dateline;
pub(crate) mod dates;
mod decode;
#[cfg(test)]
mod fixtures;
mod html;
mod in_place;
mod json;
mod markdown;
#[cfg(test)]
mod real_data;
mod sgml;
mod text;
mod walk;

pub use walk::{Format, walk};
pub(crate) use walk::{Found, walk_canonical};

/// Why a file, or part of one, was not indexed (or what was odd about it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Not an article: README/LICENSE/NOTICE, unknown extension, a text file
    /// without prose, JSON without a body string. Counted; listed in the
    /// ingest report only when the file was read (not for a name).
    NotArticle,
    /// Empty or whitespace only.
    Empty,
    /// More than 1% NUL or control bytes in the first 8 KB.
    Binary,
    /// The format could not be parsed (bad JSON, SGML, front matter).
    Malformed,
    /// The file could not be read (permissions, vanished, broken symlink).
    Unreadable,
    /// Larger than the size limit.
    TooLarge,
    /// The walk itself failed here (symlink loop, unreadable directory).
    Walk,
    /// Not a skip: the text was decoded as Windows-1252.
    Decoded,
}

impl ProblemKind {
    /// Returns true when the problem means content was left out, false for a
    /// warning about content that was still indexed.
    pub fn is_skip(self) -> bool {
        !matches!(self, ProblemKind::Decoded)
    }

    /// Returns the stable snake_case name used in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::NotArticle => "not_article",
            ProblemKind::Empty => "empty",
            ProblemKind::Binary => "binary",
            ProblemKind::Malformed => "malformed",
            ProblemKind::Unreadable => "unreadable",
            ProblemKind::TooLarge => "too_large",
            ProblemKind::Walk => "walk",
            ProblemKind::Decoded => "decoded",
        }
    }
}

/// A problem with one file, or one line of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// A lowercase message without the path (`invalid JSON: expected value at column 3`).
    pub message: String,
}

impl Problem {
    /// Creates a problem without a line.
    pub fn new(path: &Path, kind: ProblemKind, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line: None,
            kind,
            message: message.into(),
        }
    }

    /// Creates a problem at a 1-based line.
    pub fn at_line(
        path: &Path,
        line: usize,
        kind: ProblemKind,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line: Some(line),
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What reading one file gave: its articles and its problems.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileContents {
    /// Articles read, in file order.
    pub articles: Vec<Article>,
    /// Skips and warnings, in file order.
    pub problems: Vec<Problem>,
}

impl FileContents {
    fn problem(problem: Problem) -> FileContents {
        FileContents {
            articles: Vec::new(),
            problems: vec![problem],
        }
    }
}

/// Options for reading files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadOptions {
    /// Files larger than this many bytes are skipped.
    pub max_file_size: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_file_size: 256 * 1024 * 1024,
        }
    }
}

/// Reads one file into articles. Never panics; everything that goes wrong is
/// a [`Problem`].
///
/// The format is chosen by extension (see the table in the README); a file with an
/// unknown extension (only reachable when the user names it directly) is read
/// as plain text. Before parsing, the bytes are decoded (byte order mark,
/// then UTF-8, then Windows-1252 with a [`ProblemKind::Decoded`] warning),
/// binary files are refused, line endings become `\n` and stray control
/// characters become spaces.
pub fn read_file(path: &Path, options: &ReadOptions) -> FileContents {
    read_file_hashed(path, options).0
}

/// Reads one file like [`read_file`], and also returns [`bytes_hash`] of
/// the bytes read, or `None` when the file could not be read whole.
pub fn read_file_hashed(path: &Path, options: &ReadOptions) -> (FileContents, Option<u64>) {
    let bytes = match decode::read_limited(path, options.max_file_size) {
        Ok(bytes) => bytes,
        Err(problem) => return (FileContents::problem(problem), None),
    };
    let hash = bytes_hash(&bytes);
    (read_bytes(path, bytes), Some(hash))
}

/// Reads bytes already in memory as [`read_file`] reads a file's: decoded,
/// then parsed in the format `path`'s extension names (plain text when it
/// names none). `path` only names the source; nothing is read from disk.
pub fn read_bytes(path: &Path, bytes: Vec<u8>) -> FileContents {
    decode_and_parse(path, bytes)
}

/// Returns a 64-bit hash of a file's bytes, stable across builds and
/// platforms, to tell an edited file from one only touched.
///
/// FNV-1a over 8-byte words (then the tail byte by byte): not
/// cryptographic, but eight times fewer multiplications than plain FNV-1a on
/// files that can be hundreds of megabytes.
pub fn bytes_hash(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let value = u64::from_le_bytes(word.try_into().expect("chunks of eight bytes"));
        hash = (hash ^ value).wrapping_mul(PRIME);
        hash ^= hash >> 29;
    }
    for &byte in words.remainder() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
    }
    hash
}

fn decode_and_parse(path: &Path, bytes: Vec<u8>) -> FileContents {
    let mut contents = FileContents::default();
    let text = match decode::decode_owned(bytes) {
        Ok(decoded) => {
            if let Some(warning) = decoded.warning {
                contents.problems.push(Problem {
                    path: path.to_path_buf(),
                    line: warning.line,
                    kind: ProblemKind::Decoded,
                    message: warning.message,
                });
            }
            decoded.text
        }
        Err(message) => {
            return FileContents::problem(Problem::new(path, ProblemKind::Binary, message));
        }
    };
    if text.trim().is_empty() {
        let message = if text.is_empty() {
            "empty file"
        } else {
            "only whitespace"
        };
        contents
            .problems
            .push(Problem::new(path, ProblemKind::Empty, message));
        return contents;
    }
    let source = Source {
        path,
        id: path_id(path),
    };
    let parsed = parse_owned(
        Format::from_path(path).unwrap_or(Format::Text),
        &source,
        text,
    );
    contents.articles.extend(parsed.articles);
    contents.problems.extend(parsed.problems);
    contents
}

/// Parses decoded, non-blank text in one format, from text the reader may
/// keep: each reader builds a huge body in the text's own buffer (or cuts
/// it out of it) rather than beside it.
fn parse_owned(format: Format, source: &Source<'_>, text: String) -> FileContents {
    match format {
        Format::Text => text::read_owned(source, text),
        Format::Markdown => markdown::read_owned(source, text),
        Format::Json => json::read_json_owned(source, text),
        Format::JsonLines => json::read_lines_owned(source, text),
        Format::Sgml => sgml::read_owned(source, text),
        Format::Html => html::read_owned(source, text),
    }
}

/// Parses decoded, non-blank text in one format, borrowed.
#[cfg(test)]
fn parse(format: Format, source: &Source<'_>, text: &str) -> FileContents {
    match format {
        Format::Text => text::read(source, text),
        Format::Markdown => markdown::read(source, text),
        Format::Json => json::read_json(source, text),
        Format::JsonLines => json::read_lines(source, text),
        Format::Sgml => sgml::read(source, text),
        Format::Html => html::read(source, text),
    }
}

/// The file being read, as the format readers need it.
struct Source<'a> {
    path: &'a Path,
    /// The path as shown in article ids (`/`-separated).
    id: String,
}

impl Source<'_> {
    /// Creates an empty article of this file with its id.
    fn article(&self, id: String, line: Option<usize>) -> Article {
        Article {
            id,
            path: self.path.to_path_buf(),
            line,
            ..Article::default()
        }
    }

    fn problem(
        &self,
        line: Option<usize>,
        kind: ProblemKind,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            path: self.path.to_path_buf(),
            line,
            kind,
            message: message.into(),
        }
    }
}

/// Returns the path as it appears in article ids: as walked, with `/` between
/// components on every platform so ids are stable across machines.
fn path_id(path: &Path) -> String {
    let text = path.to_string_lossy();
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    }
}

/// Collapses every run of whitespace into one space and trims the ends.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_word(text, |word| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    });
    out
}

/// Calls `visit` with each word of `text` as `str::split_whitespace` yields
/// them. ASCII text, nearly all news text, is scanned byte by byte: every
/// body passes through here at least once, and decoding each character to
/// test it was the larger part of rebuilding paragraphs.
pub(crate) fn for_each_word<'a>(text: &'a str, mut visit: impl FnMut(&'a str)) {
    if !text.is_ascii() {
        text.split_whitespace().for_each(visit);
        return;
    }
    let mut start = None;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        // The ASCII characters `char::is_whitespace` accepts.
        if matches!(b, b'\t'..=b'\r' | b' ') {
            if let Some(s) = start.take() {
                visit(&text[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        visit(&text[s..]);
    }
}

/// Returns `Some(collapsed)` unless the text is blank.
fn non_blank(text: &str) -> Option<String> {
    let collapsed = collapse_whitespace(text);
    (!collapsed.is_empty()).then_some(collapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_display_shows_path_line_and_message() {
        let problem = Problem::at_line(
            Path::new("a/b.jsonl"),
            3,
            ProblemKind::Malformed,
            "invalid JSON",
        );
        assert_eq!(problem.to_string(), "a/b.jsonl:3: invalid JSON");
        let problem = Problem::new(Path::new("a/b.txt"), ProblemKind::Empty, "empty file");
        assert_eq!(problem.to_string(), "a/b.txt: empty file");
    }

    /// Feeds every fixture, cut at many points and with bytes flipped, to
    /// every format reader: none may panic, and each input gives articles or
    /// problems.
    #[test]
    fn no_reader_panics_on_truncated_or_mangled_input() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
        let formats = [
            Format::Text,
            Format::Markdown,
            Format::Json,
            Format::JsonLines,
            Format::Sgml,
            Format::Html,
        ];
        let source = Source {
            path: Path::new("mangled"),
            id: "mangled".to_string(),
        };
        let mut inputs = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let Ok(decoded) = decode::decode(&bytes) else {
                continue;
            };
            let text = decoded.text;
            let cuts: Vec<usize> = (0..text.len())
                .step_by(29)
                .filter(|&at| text.is_char_boundary(at))
                .collect();
            for at in cuts {
                inputs.push(text[..at].to_string());
                let mut flipped = text.clone().into_bytes();
                flipped[at] = b"<>[]{}\"-#&;:*_\n"[at % 15];
                inputs.push(String::from_utf8_lossy(&flipped).into_owned());
            }
        }
        for input in inputs.iter().filter(|input| !input.trim().is_empty()) {
            for format in formats {
                let contents = parse(format, &source, input);
                assert!(
                    !contents.articles.is_empty() || !contents.problems.is_empty(),
                    "{format:?}: {input:?}"
                );
                assert_eq!(
                    parse_owned(format, &source, input.clone()),
                    contents,
                    "{format:?}: {input:?}"
                );
            }
        }
    }

    #[test]
    fn read_file_refuses_a_file_over_the_size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(
            &path,
            "Big story\nwith a body that has more than six words in it.\n",
        )
        .unwrap();
        let contents = read_file(&path, &ReadOptions { max_file_size: 10 });
        assert!(contents.articles.is_empty());
        assert_eq!(contents.problems[0].kind, ProblemKind::TooLarge);
    }

    #[test]
    fn read_file_reads_an_unknown_extension_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("story.log");
        std::fs::write(
            &path,
            "Storm closes port\n\nThe port closed on Monday as the storm reached the coast.\n",
        )
        .unwrap();
        let contents = read_file(&path, &ReadOptions::default());
        assert_eq!(
            contents.articles[0].title.as_deref(),
            Some("Storm closes port")
        );
    }

    #[test]
    fn read_file_on_a_directory_or_missing_file_is_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let contents = read_file(dir.path(), &ReadOptions::default());
        assert_eq!(contents.problems[0].kind, ProblemKind::Unreadable);
        let contents = read_file(&dir.path().join("gone.txt"), &ReadOptions::default());
        assert_eq!(contents.problems[0].kind, ProblemKind::Unreadable);
    }

    #[test]
    fn words_are_split_as_split_whitespace_splits_them() {
        for text in [
            "",
            " ",
            "a",
            " a\u{b}b\u{c}c\r\nd ",
            "x\u{a0}y z",
            "\ttab\t",
        ] {
            let mut words = Vec::new();
            for_each_word(text, |w| words.push(w));
            assert_eq!(
                words,
                text.split_whitespace().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn words_equal_split_whitespace_on_any_text(text in "(.|\\s){0,60}") {
            let mut words = Vec::new();
            for_each_word(&text, |w| words.push(w));
            proptest::prop_assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
        }
    }

    #[test]
    fn collapse_whitespace_joins_words_with_single_spaces() {
        assert_eq!(collapse_whitespace("  a \t b\n\nc  "), "a b c");
        assert_eq!(non_blank(" \n "), None);
    }
}
