//! The declarative index schema: parse → validate → build.
//!
//! The schema lives in a TOML file (`index-schema/news.toml` is the shipped
//! default, compiled in). It declares analyzers, text fields, facets, the
//! date field and how passages are cut; Dateline turns it into the
//! tantivy schema and the field handles the rest of the crate uses.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, FacetOptions, Field, IndexRecordOption, STORED, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, WhitespaceTokenizer,
};

use crate::analysis::{OnePass, STEM_MEMO_WORDS, english_stem};
use crate::error::{Error, Result};

/// The shipped schema file, the default for every new index.
pub const DEFAULT_SCHEMA: &str = include_str!("../index-schema/news.toml");

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 4;

/// The facets every Dateline schema has, in display order.
pub const FACETS: [&str; 5] = ["location", "organization", "source", "date", "mentioned"];

/// A parsed and validated schema file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// Schema version; must equal [`SCHEMA_VERSION`].
    pub version: u32,
    /// Named analyzers.
    pub analyzers: BTreeMap<String, AnalyzerSpec>,
    /// The headline and body fields.
    pub text: TextFields,
    /// The facet fields.
    pub facets: Facets,
    /// The publication date field.
    pub date: DateSpec,
    /// Passage splitting.
    pub passages: PassageSpec,
}

/// How text becomes terms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyzerSpec {
    /// `simple` (split on non-alphanumerics) or `whitespace`.
    pub tokenizer: String,
    /// Lowercase every token.
    #[serde(default = "yes")]
    pub lowercase: bool,
    /// Fold accented letters to ASCII.
    #[serde(default = "yes")]
    pub ascii_folding: bool,
    /// `english` or `none`.
    #[serde(default = "none")]
    pub stemmer: String,
    /// `english` or `none`.
    #[serde(default = "none")]
    pub stop_words: String,
    /// Tokens of this many bytes or more are dropped (tantivy's
    /// `RemoveLongFilter` keeps only shorter ones).
    #[serde(default = "default_max_token_length")]
    pub max_token_length: usize,
}

/// The text fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextFields {
    /// The headline.
    pub title: TextSpec,
    /// The body, indexed per passage.
    pub body: TextSpec,
}

/// One text field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextSpec {
    /// Name of an analyzer in `[analyzers]`.
    pub analyzer: String,
    /// Score multiplier for matches in this field.
    #[serde(default = "one")]
    pub boost: f32,
    /// Keep the original text.
    #[serde(default = "yes")]
    pub stored: bool,
}

/// The facet fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facets {
    /// `/Continent/Region/Country[/City]`.
    pub location: FacetSpec,
    /// `/Name` or `/Parent/Name`.
    pub organization: FacetSpec,
    /// `/Outlet`.
    pub source: FacetSpec,
    /// `/YYYY/MM/DD`.
    pub date: FacetSpec,
    /// `/YYYY[/MM[/DD]]`: the dates an article mentions.
    pub mentioned: FacetSpec,
}

/// One facet field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacetSpec {
    /// Other names accepted for the facet (`loc` for `location`).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The publication date field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateSpec {
    /// Must be true: range filters read the fast field.
    pub fast: bool,
}

/// Passage splitting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassageSpec {
    /// How passages link to their article; only `block` exists.
    pub link: String,
    /// Whole sentences are grouped up to about this many characters.
    pub target_chars: usize,
    /// Paragraphs shorter than this are joined with the next ones.
    pub min_chars: usize,
    /// A sentence longer than this is cut at a word boundary.
    pub max_chars: usize,
}

fn yes() -> bool {
    true
}
fn one() -> f32 {
    1.0
}
fn none() -> String {
    "none".to_string()
}
fn default_max_token_length() -> usize {
    40
}

impl Default for Schema {
    fn default() -> Schema {
        Schema::parse(DEFAULT_SCHEMA, "<built-in>").expect("the shipped schema is valid")
    }
}

impl Schema {
    /// Reads and validates a schema file.
    pub fn from_file(path: &Path) -> Result<Schema> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Schema::parse(&text, &path.display().to_string())
    }

    /// Parses and validates schema text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Schema> {
        let schema: Schema = toml::from_str(text).map_err(|e| Error::Schema {
            path: origin.to_string(),
            message: toml_message(text, &e),
        })?;
        schema.validate().map_err(|message| Error::Schema {
            path: origin.to_string(),
            message,
        })?;
        Ok(schema)
    }

    fn validate(&self) -> std::result::Result<(), String> {
        if self.version != SCHEMA_VERSION {
            return Err(format!(
                "unsupported version {} (this build reads version {SCHEMA_VERSION})",
                self.version
            ));
        }
        for (name, analyzer) in &self.analyzers {
            let allowed = |key: &str, value: &str, choices: &[&str]| {
                if choices.contains(&value) {
                    Ok(())
                } else {
                    Err(format!(
                        "analyzer `{name}`: unknown {key} `{value}` (expected one of: {})",
                        choices.join(", ")
                    ))
                }
            };
            allowed("tokenizer", &analyzer.tokenizer, &["simple", "whitespace"])?;
            allowed("stemmer", &analyzer.stemmer, &["english", "none"])?;
            allowed("stop_words", &analyzer.stop_words, &["english", "none"])?;
            if analyzer.max_token_length == 0 {
                return Err(format!(
                    "analyzer `{name}`: max_token_length must be at least 1"
                ));
            }
        }
        for (field, spec) in [("title", &self.text.title), ("body", &self.text.body)] {
            if !self.analyzers.contains_key(&spec.analyzer) {
                return Err(format!(
                    "text field `{field}` uses unknown analyzer `{}` (defined: {})",
                    spec.analyzer,
                    self.analyzers
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !(spec.boost.is_finite() && spec.boost > 0.0) {
                return Err(format!(
                    "text field `{field}`: boost must be a positive number"
                ));
            }
        }
        if !self.text.body.stored {
            return Err("text field `body` must be stored: passages point into it".to_string());
        }
        if !self.date.fast {
            return Err("`date.fast` must be true: date range filters read it".to_string());
        }
        if self.passages.link != "block" {
            return Err(format!(
                "unknown passage link `{}` (expected: block)",
                self.passages.link
            ));
        }
        let p = &self.passages;
        if p.min_chars > p.target_chars || p.target_chars > p.max_chars || p.min_chars == 0 {
            return Err(
                "passages: expected 0 < min_chars <= target_chars <= max_chars".to_string(),
            );
        }
        let mut seen = BTreeMap::new();
        for (facet, spec) in self.facet_specs() {
            for name in std::iter::once(facet).chain(spec.aliases.iter().map(String::as_str)) {
                if let Some(other) = seen.insert(name.to_string(), facet) {
                    return Err(format!(
                        "facet name `{name}` is used by both `{other}` and `{facet}`"
                    ));
                }
            }
        }
        Ok(())
    }

    fn facet_specs(&self) -> [(&'static str, &FacetSpec); 5] {
        [
            ("location", &self.facets.location),
            ("organization", &self.facets.organization),
            ("source", &self.facets.source),
            ("date", &self.facets.date),
            ("mentioned", &self.facets.mentioned),
        ]
    }

    /// Resolves a facet name or alias (`loc`) to its canonical name.
    pub fn facet_name(&self, name: &str) -> Result<&'static str> {
        let lower = name.to_ascii_lowercase();
        for (facet, spec) in self.facet_specs() {
            if facet == lower || spec.aliases.contains(&lower) {
                return Ok(facet);
            }
        }
        Err(Error::UnknownFacet {
            name: name.to_string(),
            available: self
                .facet_specs()
                .iter()
                .flat_map(|(facet, spec)| {
                    std::iter::once(facet.to_string()).chain(spec.aliases.clone())
                })
                .collect(),
        })
    }

    /// Serializes the schema back to TOML (stored inside each index).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a schema always serializes")
    }

    /// Builds the analyzer registered under `name`: the one-pass analyzer
    /// when the spec has its shape (the shipped one does), else the chain;
    /// both give the same tokens.
    pub(crate) fn analyzer(&self, name: &str) -> TextAnalyzer {
        let spec = &self.analyzers[name];
        match OnePass::new(spec) {
            Some(one) => TextAnalyzer::from(one),
            None => chain(spec),
        }
    }

    /// Builds the tantivy schema and the field handles.
    pub(crate) fn build(&self) -> (tantivy::schema::Schema, Fields) {
        let mut b = tantivy::schema::Schema::builder();
        // Text is never stored by tantivy: see `packed`.
        let text = |spec: &TextSpec| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(&analyzer_key(&spec.analyzer))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            TextOptions::default().set_indexing_options(indexing)
        };
        // Keys matched whole (kind, ids, paths) are never scored, so they
        // keep no field norms: a byte per document each, saved.
        let key = || {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_fieldnorms(false)
                    .set_index_option(IndexRecordOption::Basic),
            )
        };
        let fields = Fields {
            kind: b.add_text_field("kind", key()),
            id: b.add_text_field("id", key() | STORED),
            block: b.add_text_field("block", key()),
            path: b.add_text_field("path", key() | STORED),
            // Passages need their file's path only to be deleted with it;
            // stored on each of them it made a twentieth of the stored
            // bytes, inside the blocks searches decompress.
            passage_path: b.add_text_field("passage_path", key()),
            // The headline is stored in the article's packed record (when
            // the schema stores it), not by tantivy.
            title: b.add_text_field("title", text(&self.text.title)),
            // Only bodies stored in pieces are stored here, on passages.
            body: b.add_text_field("body", STORED),
            passage: b.add_text_field("passage", text(&self.text.body)),
            parent: b.add_u64_field("parent", FAST),
            // Read from its column only; never searched for as a term.
            hash: b.add_u64_field("hash", FAST),
            dup_of: b.add_text_field("dup_of", key() | STORED),
            // The stored article carries the date in its metadata, so the
            // field is not stored a second time; never scored, so no norms.
            published: b.add_date_field(
                "published",
                tantivy::schema::DateOptions::default()
                    .set_indexed()
                    .set_fast(),
            ),
            // Manifest entries; an article's metadata is in its record.
            meta: b.add_text_field("meta", STORED),
            packed: b.add_bytes_field("packed", STORED),
            location: b.add_facet_field("location", FacetOptions::default()),
            organization: b.add_facet_field("organization", FacetOptions::default()),
            source: b.add_facet_field("source", FacetOptions::default()),
            date: b.add_facet_field("date", FacetOptions::default()),
            mentioned: b.add_facet_field("mentioned", FacetOptions::default()),
        };
        (b.build(), fields)
    }

    /// Registers every analyzer of the schema on the index.
    pub(crate) fn register_analyzers(&self, index: &tantivy::Index) {
        for name in self.analyzers.keys() {
            index
                .tokenizers()
                .register(&analyzer_key(name), self.analyzer(name));
        }
    }
}

/// The analyzer of `spec` as a chain of tantivy's filters, one boxed
/// stage per step.
pub(crate) fn chain(spec: &AnalyzerSpec) -> TextAnalyzer {
    let mut builder = match spec.tokenizer.as_str() {
        "whitespace" => TextAnalyzer::builder(WhitespaceTokenizer::default()).dynamic(),
        _ => TextAnalyzer::builder(SimpleTokenizer::default()).dynamic(),
    };
    builder = builder.filter_dynamic(RemoveLongFilter::limit(spec.max_token_length));
    if spec.lowercase {
        builder = builder.filter_dynamic(LowerCaser);
    }
    if spec.ascii_folding {
        builder = builder.filter_dynamic(AsciiFoldingFilter);
    }
    if spec.stop_words == "english" {
        let filter = StopWordFilter::new(Language::English).expect("english stop words ship");
        builder = builder.filter_dynamic(filter);
    }
    if spec.stemmer == "english" {
        builder = builder.filter_dynamic(CachedStemmer);
    }
    builder.build()
}

/// The English Snowball stemmer (the one tantivy's `Stemmer` runs) with a
/// memo from word to stem.
///
/// Stemming was the largest single cost of indexing (a fifth of all
/// instructions, measured with callgrind), while news text repeats a small
/// vocabulary: nearly every token is a word seen before, whose stem is then
/// a hash lookup. Each analyzer clone (one per field of a segment writer,
/// one per query) has its own memo, so no lock is shared; the memo is
/// emptied when full, so its memory stays bounded.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemFilter<T> {
        CachedStemFilter {
            inner,
            memo: rustc_hash::FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
pub(crate) struct CachedStemFilter<T> {
    inner: T,
    memo: rustc_hash::FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemFilter<T> {
    type TokenStream<'a> = CachedStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
        }
    }
}

pub(crate) struct CachedStemStream<'a, S> {
    tail: S,
    memo: &'a mut rustc_hash::FxHashMap<String, String>,
}

impl<S: TokenStream> TokenStream for CachedStemStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.memo.get(token.text.as_str()) {
            // Reuses the token's buffer: a stem is never longer than its word.
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = english_stem(&token.text);
        if self.memo.len() >= STEM_MEMO_WORDS {
            self.memo.clear();
        }
        let word = std::mem::replace(&mut token.text, stem.clone());
        self.memo.insert(word, stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Tokenizer names are prefixed so they never collide with tantivy's own.
pub(crate) fn analyzer_key(name: &str) -> String {
    format!("dateline_{name}")
}

/// The tantivy fields of a Dateline index.
///
/// Each article is one block of documents written together: its passages,
/// then the article document itself. `kind` tells them apart, and `parent`
/// holds a passage's distance in doc ids to its article (0 on the article).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub kind: Field,
    pub id: Field,
    /// The article id on every document of its block, for deleting the block.
    pub block: Field,
    /// The file's path on article, duplicate and manifest documents.
    pub path: Field,
    /// The file's path on passage documents: indexed, not stored.
    pub passage_path: Field,
    pub title: Field,
    /// Pieces of a body over `index::document::PIECED_BODY_BYTES`, stored
    /// on its passage documents; any other body is stored in `packed`.
    pub body: Field,
    pub passage: Field,
    pub parent: Field,
    pub hash: Field,
    pub dup_of: Field,
    pub published: Field,
    /// Stored on manifest documents.
    pub meta: Field,
    /// The article document's stored parts (title, body, metadata) in one
    /// zstd frame: see `index::pack`.
    pub packed: Field,
    pub location: Field,
    pub organization: Field,
    pub source: Field,
    pub date: Field,
    pub mentioned: Field,
}

impl Fields {
    /// Finds the fields in an existing index's schema.
    pub(crate) fn from_schema(schema: &tantivy::schema::Schema) -> Result<Fields> {
        let get = |name: &str| {
            schema.get_field(name).map_err(|_| Error::Schema {
                path: "<index>".to_string(),
                message: format!("the index has no field `{name}`"),
            })
        };
        Ok(Fields {
            kind: get("kind")?,
            id: get("id")?,
            block: get("block")?,
            path: get("path")?,
            passage_path: get("passage_path")?,
            title: get("title")?,
            body: get("body")?,
            passage: get("passage")?,
            parent: get("parent")?,
            hash: get("hash")?,
            dup_of: get("dup_of")?,
            published: get("published")?,
            meta: get("meta")?,
            packed: get("packed")?,
            location: get("location")?,
            organization: get("organization")?,
            source: get("source")?,
            date: get("date")?,
            mentioned: get("mentioned")?,
        })
    }

    /// The terms that delete every document of a file by its path (as
    /// stored): its articles, duplicates and manifest entry, and its
    /// articles' passages.
    pub(crate) fn path_terms(&self, path: &str) -> [tantivy::Term; 2] {
        [
            tantivy::Term::from_field_text(self.path, path),
            tantivy::Term::from_field_text(self.passage_path, path),
        ]
    }

    /// Returns the facet field of a canonical facet name.
    pub(crate) fn facet(&self, name: &str) -> Field {
        match name {
            "location" => self.location,
            "organization" => self.organization,
            "source" => self.source,
            "mentioned" => self.mentioned,
            _ => self.date,
        }
    }
}

/// Turns a toml error into one line: the message plus where it was found.
fn toml_message(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim_end_matches('.').to_string();
    match error.span() {
        // A missing key has no line of its own.
        Some(_) if message.starts_with("missing field") => message,
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("{message} (line {line})")
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_schema_loads_and_builds() {
        let schema = Schema::default();
        assert_eq!(schema.version, SCHEMA_VERSION);
        let (tantivy_schema, _) = schema.build();
        assert!(tantivy_schema.get_field("passage").is_ok());
    }

    #[test]
    fn facet_aliases_resolve_and_unknown_facet_lists_available_ones() {
        let schema = Schema::default();
        assert_eq!(schema.facet_name("loc").unwrap(), "location");
        assert_eq!(schema.facet_name("ORG").unwrap(), "organization");
        let error = schema.facet_name("place").unwrap_err().to_string();
        assert_eq!(
            error,
            "unknown facet `place` (available: location, loc, organization, org, source, date, mentioned, mentions)"
        );
    }

    fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut terms = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |token| terms.push(token.text.clone()));
        terms
    }

    #[test]
    fn cached_stems_equal_tantivys_stemmer_on_first_and_repeated_words() {
        let text = "Ministers were meeting; the ministers met, meetings running \
                    and rallies rallied again. Ministers were meeting.";
        let schema = Schema::default();
        let mut theirs = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(tantivy::tokenizer::Stemmer::new(Language::English))
            .build();
        let expected = terms(&mut theirs, text);
        // The one-pass analyzer and the chain with the memoized stemmer.
        for mut ours in [
            schema.analyzer("english"),
            chain(&schema.analyzers["english"]),
        ] {
            assert_eq!(terms(&mut ours, text), expected);
            // The second pass is served from the memo.
            assert_eq!(terms(&mut ours, text), expected);
        }
        assert!(expected.contains(&"minist".to_string()));
    }

    #[test]
    fn stems_stay_right_after_the_memo_starts_over() {
        let mut ours = chain(&Schema::default().analyzers["english"]);
        let mut theirs = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(tantivy::tokenizer::Stemmer::new(Language::English))
            .build();
        let words: Vec<String> = (0..STEM_MEMO_WORDS + 10)
            .map(|i| format!("running{i} meetings"))
            .collect();
        let text = words.join(" ");
        let expected = terms(&mut theirs, &text);
        assert_eq!(terms(&mut ours, &text), expected);
        assert_eq!(terms(&mut ours, &text), expected);
    }

    #[test]
    fn schema_round_trips_through_toml() {
        let schema = Schema::default();
        assert_eq!(Schema::parse(&schema.to_toml(), "copy").unwrap(), schema);
    }
}
