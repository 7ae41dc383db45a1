//! How an article becomes a block of tantivy documents, and back.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::schema::document::{
    CompactDocArrayIter, CompactDocObjectIter, CompactDocValue, Document, ReferenceValue,
    ReferenceValueLeaf,
};
use tantivy::schema::{Facet, Field, Value};
use tantivy::{DateTime, DocAddress, Searcher, TantivyDocument};

use crate::article::{Article, Date, Origin};
use crate::extract::{Entities, Location, Organization, Part, Span};
use crate::passage::PassageSpan;
use crate::schema::Fields;

use super::pack::StoredParts;

/// The instant a date field holds for `date`: its midnight, UTC.
///
/// Tantivy counts nanoseconds in an `i64`, which spans 1677-09-21 to
/// 2262-04-11; a date outside (a typo like `8888-01-01` in metadata or in
/// a `--from` filter) is clamped to the nearer last whole day instead of
/// overflowing, so range filters still order it against every real date.
/// Whole days, because the field truncates what it indexes to its
/// precision: a clamped filter bound must equal a clamped indexed date.
pub(crate) fn date_time(date: Date) -> DateTime {
    const NANOS_PER_DAY: i64 = 86_400 * 1_000_000_000;
    let last_day = i64::MAX / NANOS_PER_DAY;
    let days = date.days_since_epoch().clamp(-last_day, last_day);
    DateTime::from_timestamp_nanos(days * NANOS_PER_DAY)
}

pub(crate) const KIND_ARTICLE: &str = "article";
pub(crate) const KIND_PASSAGE: &str = "passage";
pub(crate) const KIND_DUPLICATE: &str = "duplicate";

/// An article as stored in the index, with its entities and passages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredArticle {
    /// The article id.
    pub id: String,
    /// The file it was read from.
    pub path: PathBuf,
    /// 1-based line in that file, when the format has lines.
    pub line: Option<usize>,
    /// The headline.
    pub title: Option<String>,
    /// The body; every offset refers to it, in code points.
    pub body: String,
    /// The article's web address.
    pub url: Option<String>,
    /// The outlet or agency.
    pub source: Option<String>,
    /// The publication date.
    pub published: Option<Date>,
    /// Where the date came from: metadata, text or filename.
    pub published_source: Option<Origin>,
    /// The dateline as written.
    pub dateline: Option<String>,
    /// Places, with their mentions and spans.
    pub locations: Vec<Location>,
    /// Organizations, with their mentions and spans.
    pub organizations: Vec<Organization>,
    /// The passages the body was split into.
    pub passages: Vec<PassageSpan>,
    /// Ids of exact duplicates that were not indexed separately.
    pub also_at: Vec<String>,
}

/// What the article's packed record stores besides its title and body.
///
/// Written as [`CompactMeta`]; indexes built before it hold this struct as
/// a JSON object, which is still read.
#[derive(Serialize, Deserialize)]
struct Meta {
    line: Option<usize>,
    url: Option<String>,
    source: Option<String>,
    published: Option<Date>,
    published_source: Option<Origin>,
    dateline: Option<String>,
    locations: Vec<Location>,
    organizations: Vec<Organization>,
    passages: Vec<PassageSpan>,
    /// How many passage documents, just before the article document, hold
    /// the body in pieces; 0 (and left out of the JSON, so an ordinary
    /// article's metadata reads as before) when the article document holds
    /// it whole.
    #[serde(default, skip_serializing_if = "is_zero")]
    body_pieces: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Bodies longer than this many bytes are stored in pieces on their
/// passage documents instead of whole on the article document.
///
/// Tantivy's doc store serializes a document into its current block, copies
/// the block for its compression thread and zero-fills a worst-case output
/// buffer there, so a body of hundreds of megabytes stored whole was held
/// four times at once. Pieces of passage size stream through the store.
/// Smaller bodies are stored whole in the article's packed record (see
/// `index::pack`); a huge one is left out of it, which also keeps a frame
/// of hundreds of megabytes (and its compression on one thread) away.
pub(crate) const PIECED_BODY_BYTES: usize = 8 * 1024 * 1024;

/// A document as handed to the index writer.
///
/// Passage documents built as tantivy documents each held a copy of their
/// text and of the block's id and path, with 1 KB reserved for values: a
/// body of hundreds of megabytes, cut into half a million passages, was
/// held three times over. A passage document here holds ranges of a body
/// and strings its whole block shares.
pub(crate) enum BlockDoc {
    /// Built as a tantivy document.
    Whole(TantivyDocument),
    /// A passage of an article.
    Passage(PassageDoc),
}

impl From<TantivyDocument> for BlockDoc {
    fn from(doc: TantivyDocument) -> BlockDoc {
        BlockDoc::Whole(doc)
    }
}

/// A passage document: its block's shared values and ranges of its body.
pub(crate) struct PassageDoc {
    block: Arc<SharedBlock>,
    /// The body, or the chunk of it that holds this passage and its piece.
    chunk: Arc<String>,
    /// Bytes of the chunk indexed as the passage.
    passage: Range<usize>,
    /// Bytes of the chunk stored on this document, when the body is stored
    /// in pieces.
    piece: Option<Range<usize>>,
    /// Distance to the article document.
    parent: u64,
}

/// What every passage document of a block has in common.
struct SharedBlock {
    kind: Field,
    block: Field,
    passage_path: Field,
    parent: Field,
    passage: Field,
    body: Field,
    id: String,
    path_key: String,
}

/// A value of a [`BlockDoc`].
#[derive(Clone, Debug)]
pub(crate) enum BlockValue<'a> {
    Doc(CompactDocValue<'a>),
    Text(&'a str),
    U64(u64),
}

type ArrayMap<'a> = fn(CompactDocValue<'a>) -> BlockValue<'a>;
type ObjectMap<'a> = fn((&'a str, CompactDocValue<'a>)) -> (&'a str, BlockValue<'a>);

impl<'a> Value<'a> for BlockValue<'a> {
    type ArrayIter = std::iter::Map<CompactDocArrayIter<'a>, ArrayMap<'a>>;
    type ObjectIter = std::iter::Map<CompactDocObjectIter<'a>, ObjectMap<'a>>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        match self {
            BlockValue::Text(text) => ReferenceValue::Leaf(ReferenceValueLeaf::Str(text)),
            BlockValue::U64(n) => ReferenceValue::Leaf(ReferenceValueLeaf::U64(*n)),
            BlockValue::Doc(value) => match value.as_value() {
                ReferenceValue::Leaf(leaf) => ReferenceValue::Leaf(leaf),
                ReferenceValue::Array(items) => {
                    ReferenceValue::Array(items.map(BlockValue::Doc as ArrayMap<'a>))
                }
                ReferenceValue::Object(entries) => ReferenceValue::Object(
                    entries.map((|(key, value)| (key, BlockValue::Doc(value))) as ObjectMap<'a>),
                ),
            },
        }
    }
}

impl Document for BlockDoc {
    type Value<'a> = BlockValue<'a>;
    type FieldsValuesIter<'a> = BlockDocValues<'a>;

    fn iter_fields_and_values(&self) -> BlockDocValues<'_> {
        match self {
            BlockDoc::Whole(doc) => BlockDocValues::Whole(doc.iter_fields_and_values()),
            BlockDoc::Passage(doc) => BlockDocValues::Passage { doc, next: 0 },
        }
    }
}

/// The values of a [`BlockDoc`], in the order a passage's were always added.
pub(crate) enum BlockDocValues<'a> {
    Whole(<TantivyDocument as Document>::FieldsValuesIter<'a>),
    Passage { doc: &'a PassageDoc, next: u8 },
}

impl<'a> Iterator for BlockDocValues<'a> {
    type Item = (Field, BlockValue<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let (doc, next) = match self {
            BlockDocValues::Whole(values) => {
                return values
                    .next()
                    .map(|(field, value)| (field, BlockValue::Doc(value)));
            }
            BlockDocValues::Passage { doc, next } => (*doc, next),
        };
        let shared = &*doc.block;
        let value = match *next {
            0 => (shared.kind, BlockValue::Text(KIND_PASSAGE)),
            1 => (shared.block, BlockValue::Text(&shared.id)),
            2 => (shared.passage_path, BlockValue::Text(&shared.path_key)),
            3 => (
                shared.passage,
                BlockValue::Text(&doc.chunk[doc.passage.clone()]),
            ),
            4 => (shared.parent, BlockValue::U64(doc.parent)),
            _ => {
                let piece = doc.piece.clone().filter(|_| *next == 5)?;
                (shared.body, BlockValue::Text(&doc.chunk[piece]))
            }
        };
        *next += 1;
        Some(value)
    }
}

/// [`Meta`] as stored: a JSON array with no key names, entity names left
/// out when they equal their facet's last step, mentions left out (empty)
/// when they equal the name, sources as one letter each (see
/// [`encode_origins`]) and offsets as differences.
/// The metadata of an article with its entities' spans was about as long
/// as its body as a JSON object, and the key names repeated per span and
/// entity were most of it. Since schema version 3, the mentions and
/// sources are shorter too: on Reuters-21578 the metadata went from 541 to
/// about 440 bytes per article, read with every hit.
#[derive(Serialize, Deserialize)]
struct CompactMeta(
    Option<usize>,
    Option<String>,
    Option<String>,
    Option<Date>,
    Option<Origin>,
    Option<String>,
    Vec<CompactLocation>,
    Vec<CompactOrganization>,
    /// Per passage: its start minus the previous passage's end, its length.
    Vec<i64>,
    /// [`Meta::body_pieces`].
    usize,
);

/// A [`Location`]: name (empty when it is the facet's last step), facet,
/// mentions (see [`stored_mentions`]), derived mentions, sources (see
/// [`encode_origins`]), spans (see [`encode_spans`]).
#[derive(Serialize, Deserialize)]
struct CompactLocation(String, String, Vec<String>, Vec<String>, String, Vec<i64>);

/// An [`Organization`], as [`CompactLocation`] without derived mentions.
#[derive(Serialize, Deserialize)]
struct CompactOrganization(String, String, Vec<String>, String, Vec<i64>);

/// Mentions to store: each one equal to the entity's name is left empty
/// (`Switzerland` for Switzerland, most organizations' only mention).
fn stored_mentions(mentions: &[String], name: &str) -> Vec<String> {
    mentions
        .iter()
        .map(|m| if m == name { String::new() } else { m.clone() })
        .collect()
}

/// The mentions back from [`stored_mentions`], given the full name.
fn full_mentions(mentions: Vec<String>, name: &str) -> Vec<String> {
    mentions
        .into_iter()
        .map(|m| if m.is_empty() { name.to_string() } else { m })
        .collect()
}

/// The letter of an [`Origin`] in stored sources (a match, so that a new
/// origin cannot be added without a letter).
fn origin_letter(origin: Origin) -> char {
    match origin {
        Origin::Text => 't',
        Origin::Title => 'h',
        Origin::Dateline => 'd',
        Origin::Metadata => 'm',
        Origin::Demonym => 'n',
        Origin::Filename => 'f',
    }
}

/// Sources as one letter each (`["text","dateline"]` becomes `"td"`).
fn encode_origins(origins: &[Origin]) -> String {
    origins.iter().map(|o| origin_letter(*o)).collect()
}

/// Sources back from [`encode_origins`]; a letter that names none (from a
/// damaged store) is left out.
fn decode_origins(letters: &str) -> Vec<Origin> {
    letters
        .chars()
        .filter_map(|c| {
            Some(match c {
                't' => Origin::Text,
                'h' => Origin::Title,
                'd' => Origin::Dateline,
                'm' => Origin::Metadata,
                'n' => Origin::Demonym,
                'f' => Origin::Filename,
                _ => return None,
            })
        })
        .collect()
}

/// The name to store: empty when the facet's last step already says it.
fn stored_name(name: &str, facet: &str) -> String {
    if facet.rsplit('/').next() == Some(name) {
        String::new()
    } else {
        name.to_string()
    }
}

/// The name back from [`stored_name`].
fn full_name(name: String, facet: &str) -> String {
    if name.is_empty() {
        facet.rsplit('/').next().unwrap_or_default().to_string()
    } else {
        name
    }
}

/// Spans as three numbers each: flags (1 = title, 2 = derived), start
/// minus the previous span's start, length. Offsets fit in `i64`.
fn encode_spans(spans: &[Span]) -> Vec<i64> {
    let mut out = Vec::with_capacity(spans.len() * 3);
    let mut previous = 0i64;
    for span in spans {
        let flags = i64::from(span.part == Part::Title) | (i64::from(span.derived) << 1);
        let start = span.start as i64;
        out.extend([flags, start - previous, span.end as i64 - start]);
        previous = start;
    }
    out
}

/// Spans back from [`encode_spans`]; numbers that cannot be offsets (from a
/// damaged store) end the list rather than panic.
fn decode_spans(numbers: &[i64]) -> Vec<Span> {
    let mut spans = Vec::with_capacity(numbers.len() / 3);
    let mut previous = 0i64;
    for triple in numbers.chunks_exact(3) {
        let start = previous.saturating_add(triple[1]);
        let end = start.saturating_add(triple[2]);
        let (Ok(start_at), Ok(end_at)) = (usize::try_from(start), usize::try_from(end)) else {
            break;
        };
        spans.push(Span {
            part: if triple[0] & 1 == 1 {
                Part::Title
            } else {
                Part::Body
            },
            start: start_at,
            end: end_at,
            derived: triple[0] & 2 == 2,
        });
        previous = start;
    }
    spans
}

impl Meta {
    /// The stored text.
    fn to_stored(&self) -> String {
        let mut passages = Vec::with_capacity(self.passages.len() * 2);
        let mut previous_end = 0i64;
        for passage in &self.passages {
            let (start, end) = (passage.start as i64, passage.end as i64);
            passages.extend([start - previous_end, end - start]);
            previous_end = end;
        }
        let compact = CompactMeta(
            self.line,
            self.url.clone(),
            self.source.clone(),
            self.published,
            self.published_source,
            self.dateline.clone(),
            self.locations
                .iter()
                .map(|l| {
                    CompactLocation(
                        stored_name(&l.name, &l.facet),
                        l.facet.clone(),
                        stored_mentions(&l.mentions, &l.name),
                        l.derived.clone(),
                        encode_origins(&l.sources),
                        encode_spans(&l.spans),
                    )
                })
                .collect(),
            self.organizations
                .iter()
                .map(|o| {
                    CompactOrganization(
                        stored_name(&o.name, &o.facet),
                        o.facet.clone(),
                        stored_mentions(&o.mentions, &o.name),
                        encode_origins(&o.sources),
                        encode_spans(&o.spans),
                    )
                })
                .collect(),
            passages,
            self.body_pieces,
        );
        serde_json::to_string(&compact).expect("metadata always serializes")
    }

    /// Reads either stored form; `None` when the text is neither.
    fn from_stored(text: &str) -> Option<Meta> {
        if text.starts_with('{') {
            return serde_json::from_str(text).ok();
        }
        let CompactMeta(line, url, source, published, published_source, dateline, l, o, p, pieces) =
            serde_json::from_str(text).ok()?;
        let passages = decode_passages(&p);
        Some(Meta {
            line,
            url,
            source,
            published,
            published_source,
            dateline,
            locations: l
                .into_iter()
                .map(
                    |CompactLocation(name, facet, mentions, derived, sources, spans)| {
                        let name = full_name(name, &facet);
                        Location {
                            mentions: full_mentions(mentions, &name),
                            name,
                            facet,
                            derived,
                            sources: decode_origins(&sources),
                            spans: decode_spans(&spans),
                        }
                    },
                )
                .collect(),
            organizations: o
                .into_iter()
                .map(
                    |CompactOrganization(name, facet, mentions, sources, spans)| {
                        let name = full_name(name, &facet);
                        Organization {
                            mentions: full_mentions(mentions, &name),
                            name,
                            facet,
                            sources: decode_origins(&sources),
                            spans: decode_spans(&spans),
                        }
                    },
                )
                .collect(),
            passages,
            body_pieces: pieces,
        })
    }
}

/// Passages back from their stored differences (see [`Meta::to_stored`]);
/// numbers that cannot be offsets end the list rather than panic.
fn decode_passages(numbers: &[i64]) -> Vec<PassageSpan> {
    let mut passages = Vec::with_capacity(numbers.len() / 2);
    let mut previous_end = 0i64;
    for pair in numbers.chunks_exact(2) {
        let start = previous_end.saturating_add(pair[0]);
        let end = start.saturating_add(pair[1]);
        let (Ok(start_at), Ok(end_at)) = (usize::try_from(start), usize::try_from(end)) else {
            break;
        };
        passages.push(PassageSpan {
            start: start_at,
            end: end_at,
        });
        previous_end = end;
    }
    passages
}

/// What a search hit shows of an article's metadata, read without
/// building what a hit never shows (entity mentions and spans).
#[derive(Default)]
pub(crate) struct ShownMeta {
    pub url: Option<String>,
    pub source: Option<String>,
    pub published: Option<Date>,
    pub dateline: Option<String>,
    /// Name and facet of each place.
    pub locations: Vec<(String, String)>,
    /// Name and facet of each organization.
    pub organizations: Vec<(String, String)>,
    pub passages: Vec<PassageSpan>,
}

impl ShownMeta {
    /// Reads either stored form; `None` when the text is neither.
    pub(crate) fn from_stored(text: &str) -> Option<ShownMeta> {
        use serde::de::IgnoredAny as Skip;
        #[derive(Deserialize)]
        struct Compact(
            Skip,
            Option<String>,
            Option<String>,
            Option<Date>,
            Skip,
            Option<String>,
            Vec<(String, String, Skip, Skip, Skip, Skip)>,
            Vec<(String, String, Skip, Skip, Skip)>,
            Vec<i64>,
            Skip,
        );
        if text.starts_with('{') {
            let meta = Meta::from_stored(text)?;
            return Some(ShownMeta {
                url: meta.url,
                source: meta.source,
                published: meta.published,
                dateline: meta.dateline,
                locations: meta
                    .locations
                    .into_iter()
                    .map(|l| (l.name, l.facet))
                    .collect(),
                organizations: meta
                    .organizations
                    .into_iter()
                    .map(|o| (o.name, o.facet))
                    .collect(),
                passages: meta.passages,
            });
        }
        let Compact(_, url, source, published, _, dateline, l, o, p, _) =
            serde_json::from_str(text).ok()?;
        Some(ShownMeta {
            url,
            source,
            published,
            dateline,
            locations: l
                .into_iter()
                .map(|(name, facet, ..)| (full_name(name, &facet), facet))
                .collect(),
            organizations: o
                .into_iter()
                .map(|(name, facet, ..)| (full_name(name, &facet), facet))
                .collect(),
            passages: decode_passages(&p),
        })
    }
}

/// Returns a hash of the normalised title and body (lowercase, whitespace
/// collapsed), stable across builds and platforms: 64-bit FNV-1a over each
/// text's words, lowercased, each followed by a space, then a 0xff byte.
///
/// ASCII bytes, nearly all of news text, are lowercased and fed one by one
/// without decoding; only other characters go through `char` lowercasing.
pub fn content_hash(title: Option<&str>, body: &str) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |text: &str| {
        let bytes = text.as_bytes();
        let mut in_word = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                i += 1;
                // The ASCII characters `char::is_whitespace` accepts.
                if matches!(b, b'\t'..=b'\r' | b' ') {
                    if in_word {
                        hash = (hash ^ u64::from(b' ')).wrapping_mul(PRIME);
                        in_word = false;
                    }
                } else {
                    in_word = true;
                    hash = (hash ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(PRIME);
                }
                continue;
            }
            let c = text[i..].chars().next().expect("i is on a char boundary");
            i += c.len_utf8();
            if c.is_whitespace() {
                if in_word {
                    hash = (hash ^ u64::from(b' ')).wrapping_mul(PRIME);
                    in_word = false;
                }
                continue;
            }
            in_word = true;
            for lower in c.to_lowercase() {
                let mut buf = [0u8; 4];
                for &byte in lower.encode_utf8(&mut buf).as_bytes() {
                    hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
                }
            }
        }
        if in_word {
            hash = (hash ^ u64::from(b' ')).wrapping_mul(PRIME);
        }
        hash = (hash ^ 0xff).wrapping_mul(PRIME);
    };
    feed(title.unwrap_or(""));
    feed(body);
    hash
}

/// Path as stored and matched for deletion: the article's file, `/`-separated.
pub(crate) fn path_key(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// True when the body is stored in pieces on its passage documents.
fn is_pieced(body: &str, passages: &[PassageSpan]) -> bool {
    body.len() > PIECED_BODY_BYTES && !passages.is_empty()
}

/// The stored parts of an article laid out as one record (see
/// `index::pack::record`): its title (when the schema stores it), its body
/// (empty when stored in pieces) and its metadata.
///
/// Built apart from [`article_block`] so that reader threads can build and
/// compress it in parallel, before the article reaches the writer.
pub(crate) fn stored_record(
    article: &Article,
    entities: &Entities,
    passages: &[PassageSpan],
    store_title: bool,
) -> Vec<u8> {
    let pieced = is_pieced(&article.body, passages);
    let meta = Meta {
        line: article.line,
        url: article.url.clone(),
        source: article.source.clone(),
        published: entities.published,
        published_source: entities.published_source,
        dateline: article.dateline.clone(),
        locations: entities.locations.clone(),
        organizations: entities.organizations.clone(),
        passages: passages.to_vec(),
        body_pieces: if pieced { passages.len() } else { 0 },
    };
    let body = if pieced { "" } else { article.body.as_str() };
    let title = article.title.as_deref().filter(|_| store_title);
    super::pack::record(title, body, &meta.to_stored())
}

/// Builds the block for one article: its passages, then the article itself.
///
/// The article is taken by value and its body moved, not copied, into one
/// buffer the block's documents share: passage documents index ranges of
/// it. A body over [`PIECED_BODY_BYTES`] with passages is stored in pieces
/// on the passage documents (each from the end of the one before to its own
/// end, the last to the end of the body, so they concatenate to the body)
/// and not on the article document; [`stored_article_at`] joins them again.
/// Other bodies are stored whole on the article document, as always.
///
/// The title, body and metadata are stored in `packed` (a record from
/// [`stored_record`], compressed by `index::pack`); when `None`, the
/// caller adds it to the article document (the block's last) before the
/// block is written.
pub(crate) fn article_block(
    fields: &Fields,
    mut article: Article,
    entities: &Entities,
    passages: &[PassageSpan],
    hash: u64,
    packed: Option<Vec<u8>>,
) -> Vec<BlockDoc> {
    let path = path_key(&article.path);
    let body = std::mem::take(&mut article.body);
    let pieced = is_pieced(&body, passages);
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.kind, KIND_ARTICLE);
    doc.add_text(fields.id, &article.id);
    doc.add_text(fields.block, &article.id);
    doc.add_text(fields.path, &path);
    if let Some(title) = &article.title {
        doc.add_text(fields.title, title);
    }
    if let Some(packed) = packed {
        doc.add_bytes(fields.packed, &packed);
    }
    doc.add_u64(fields.parent, 0);
    doc.add_u64(fields.hash, hash);
    if let Some(date) = entities.published {
        doc.add_date(fields.published, date_time(date));
        let facet = format!("/{:04}/{:02}/{:02}", date.year, date.month, date.day);
        doc.add_facet(
            fields.date,
            Facet::from_text(&facet).expect("a date path is a valid facet"),
        );
    }
    for location in &entities.locations {
        add_facet(&mut doc, fields.location, &location.facet);
    }
    for organization in &entities.organizations {
        add_facet(&mut doc, fields.organization, &organization.facet);
    }
    if let Some(source) = &article.source {
        doc.add_facet(fields.source, Facet::from_path([source.as_str()]));
    }
    // The publication date is the `date` facet's; as a mention (the
    // dateline's "March 3", "today") it would put nearly every article
    // under its own year.
    let published = entities.published.map(|d| d.to_string());
    let mut mentioned: Vec<String> = entities
        .dates
        .iter()
        .filter(|date| published.as_deref() != Some(date.value.as_str()))
        .filter_map(|date| crate::search::date_path(&date.value).ok())
        .collect();
    mentioned.sort_unstable();
    mentioned.dedup();
    for path in &mentioned {
        add_facet(&mut doc, fields.mentioned, path);
    }

    let shared = Arc::new(SharedBlock {
        kind: fields.kind,
        block: fields.block,
        passage_path: fields.passage_path,
        parent: fields.parent,
        passage: fields.passage,
        body: fields.body,
        id: std::mem::take(&mut article.id),
        path_key: path,
    });
    // Passage offsets are code points and arrive in increasing order, so one
    // forward pass over the body turns them into byte offsets.
    let mut cursor = (0usize, 0usize);
    let mut byte_at = |target: usize| {
        debug_assert!(target >= cursor.0, "passage offsets must increase");
        let (mut chars, mut bytes) = cursor;
        for c in body[bytes..].chars() {
            if chars == target {
                break;
            }
            bytes += c.len_utf8();
            chars += 1;
        }
        cursor = (chars, bytes);
        bytes
    };
    let ranges: Vec<Range<usize>> = passages
        .iter()
        .map(|p| {
            let start = byte_at(p.start);
            start..byte_at(p.end)
        })
        .collect();
    // Each piece runs from the end of the passage before (the body's start
    // for the first) to its passage's end (the body's end for the last).
    let body_len = body.len();
    let piece_end = |i: usize| {
        if i + 1 == ranges.len() {
            body_len
        } else {
            ranges[i].end
        }
    };
    let piece_start = |i: usize| if i == 0 { 0 } else { ranges[i - 1].end };
    let chunks = if pieced {
        into_chunks(body, ranges.len(), piece_start, piece_end, CHUNK_BYTES)
    } else {
        vec![(0, ranges.len(), 0, Arc::new(body))]
    };
    let mut block = Vec::with_capacity(passages.len() + 1);
    for (first, end, offset, chunk) in chunks {
        for (i, range) in ranges.iter().enumerate().take(end).skip(first) {
            block.push(BlockDoc::Passage(PassageDoc {
                block: Arc::clone(&shared),
                chunk: Arc::clone(&chunk),
                passage: range.start - offset..range.end - offset,
                piece: pieced.then(|| piece_start(i) - offset..piece_end(i) - offset),
                parent: (passages.len() - i) as u64,
            }));
        }
    }
    block.push(doc.into());
    block
}

/// Cuts a body stored in pieces into chunks of whole pieces of at least
/// `chunk_bytes` (the first may be smaller), as (first piece, end piece,
/// byte offset, text).
///
/// Passage documents hold their chunk, so a chunk is freed as soon as
/// tantivy has indexed its last passage, while its postings grow: the body
/// and the postings are not held whole at once. Chunks are cut from the end
/// and the body shrunk after each, so the body is never held twice either.
fn into_chunks(
    mut body: String,
    pieces: usize,
    piece_start: impl Fn(usize) -> usize,
    piece_end: impl Fn(usize) -> usize,
    chunk_bytes: usize,
) -> Vec<(usize, usize, usize, Arc<String>)> {
    let mut chunks = Vec::new();
    let mut end = pieces;
    while end > 0 {
        let stop = piece_end(end - 1);
        let mut first = end - 1;
        while first > 0 && stop - piece_start(first) < chunk_bytes {
            first -= 1;
        }
        let start = piece_start(first);
        chunks.push((first, end, start, Arc::new(body[start..].to_string())));
        body.truncate(start);
        body.shrink_to_fit();
        end = first;
    }
    chunks.reverse();
    chunks
}

/// At least how many bytes of a body stored in pieces one chunk holds (the
/// first may hold fewer): 32 MiB is the size from which glibc's allocator
/// always maps memory on its own, so a freed chunk goes back to the system
/// at once. Smaller chunks were freed into the heap of the thread that
/// built them, where tantivy's indexing thread could not reuse them, and
/// the process did not shrink.
const CHUNK_BYTES: usize = 32 << 20;

/// Adds a facet given as `/A/B/C`; a malformed path is left out rather than
/// failing the article.
fn add_facet(doc: &mut TantivyDocument, field: tantivy::schema::Field, path: &str) {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    if !parts.is_empty() {
        doc.add_facet(field, Facet::from_path(parts));
    }
}

/// The marker document for an exact duplicate that was not indexed itself.
pub(crate) fn duplicate_doc(
    fields: &Fields,
    id: &str,
    path: &std::path::Path,
    primary: &str,
    hash: u64,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.hash, hash);
    doc.add_text(fields.kind, KIND_DUPLICATE);
    doc.add_text(fields.id, id);
    doc.add_text(fields.path, path_key(path));
    doc.add_text(fields.dup_of, primary);
    doc.add_u64(fields.parent, 0);
    doc
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Reads an article document back from its document (id, path) and its
/// stored parts; when its body was stored in pieces, the body is left
/// empty (see [`stored_article_at`]).
pub(crate) fn stored_article(
    fields: &Fields,
    doc: &TantivyDocument,
    parts: &StoredParts,
    also_at: Vec<String>,
) -> StoredArticle {
    let meta = Meta::from_stored(parts.meta());
    let meta = meta.unwrap_or(Meta {
        line: None,
        url: None,
        source: None,
        published: None,
        published_source: None,
        dateline: None,
        locations: Vec::new(),
        organizations: Vec::new(),
        passages: Vec::new(),
        body_pieces: 0,
    });
    StoredArticle {
        id: text_of(doc, fields.id).unwrap_or_default(),
        path: PathBuf::from(text_of(doc, fields.path).unwrap_or_default()),
        line: meta.line,
        title: parts.title().map(str::to_string),
        body: parts.body().to_string(),
        url: meta.url,
        source: meta.source,
        published: meta.published,
        published_source: meta.published_source,
        dateline: meta.dateline,
        locations: meta.locations,
        organizations: meta.organizations,
        passages: meta.passages,
        also_at,
    }
}

/// Reads back the article document at `address` of `searcher`, with its
/// body joined again from its passage documents when it was stored in pieces.
pub(crate) fn stored_article_at(
    searcher: &Searcher,
    address: DocAddress,
    fields: &Fields,
    doc: &TantivyDocument,
    parts: &StoredParts,
    also_at: Vec<String>,
) -> tantivy::Result<StoredArticle> {
    let mut article = stored_article(fields, doc, parts, also_at);
    if article.body.is_empty() {
        article.body = pieced_body(searcher, address, fields, parts)?;
    }
    Ok(article)
}

/// Returns the body of the article document at `address`: the stored one,
/// or the one joined from its passage documents when it was stored in
/// pieces.
pub(crate) fn article_body<'a>(
    searcher: &Searcher,
    address: DocAddress,
    fields: &Fields,
    parts: &'a StoredParts,
) -> tantivy::Result<std::borrow::Cow<'a, str>> {
    // Only an empty body can have been stored in pieces: the metadata is
    // parsed for their count only then.
    match parts.body() {
        "" => pieced_body(searcher, address, fields, parts).map(std::borrow::Cow::Owned),
        body => Ok(std::borrow::Cow::Borrowed(body)),
    }
}

/// Joins the pieces of a body stored on the passage documents before the
/// article document at `address`; empty when the metadata names none.
fn pieced_body(
    searcher: &Searcher,
    address: DocAddress,
    fields: &Fields,
    parts: &StoredParts,
) -> tantivy::Result<String> {
    let pieces = Meta::from_stored(parts.meta()).map_or(0, |m| m.body_pieces);
    // A block's passage documents sit right before its article document,
    // in the same segment; a corrupt count is cut at the segment's start.
    let first = address.doc_id.saturating_sub(pieces as u32);
    let mut body = String::new();
    for doc_id in first..address.doc_id {
        let piece: TantivyDocument = searcher.doc(DocAddress::new(address.segment_ord, doc_id))?;
        if let Some(text) = piece.get_first(fields.body).and_then(|v| v.as_str()) {
            body.push_str(text);
        }
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text values a block document has for `field`, in order.
    fn texts(doc: &BlockDoc, field: Field) -> Vec<String> {
        doc.iter_fields_and_values()
            .filter(|(f, _)| *f == field)
            .filter_map(|(_, v)| v.as_str().map(str::to_string))
            .collect()
    }

    /// Builds the block of an article whose body is `body`, cut into
    /// passages as the shipped schema cuts it.
    fn block_of(body: String) -> (Fields, Vec<PassageSpan>, Vec<BlockDoc>, StoredParts) {
        let schema = crate::schema::Schema::default();
        let (_, fields) = schema.build();
        let passages = crate::passage::split(&body, &schema.passages);
        let article = Article {
            id: "big.txt".to_string(),
            path: PathBuf::from("big.txt"),
            title: Some("Big".to_string()),
            body,
            ..Article::default()
        };
        let entities = Entities::default();
        let record = stored_record(&article, &entities, &passages, true);
        let parts = StoredParts::parse(record).expect("a record parses");
        let block = article_block(&fields, article, &entities, &passages, 7, None);
        (fields, passages, block, parts)
    }

    #[test]
    fn a_body_over_the_threshold_is_stored_in_pieces_that_join_to_it() {
        let mut body = String::new();
        let mut n = 0;
        while body.len() <= PIECED_BODY_BYTES {
            body.push_str(&format!(
                "Report {n} from Côte d'Ivoire closes here.  Tide at noon.\n\n"
            ));
            n += 1;
        }
        body.push_str("The end.");
        let (fields, passages, block, parts) = block_of(body.clone());
        let (article, passage_docs) = block.split_last().unwrap();
        assert_eq!(passage_docs.len(), passages.len());
        assert!(texts(article, fields.body).is_empty());
        assert_eq!(parts.body(), "");
        assert_eq!(parts.title(), Some("Big"));
        let chars: Vec<char> = body.chars().collect();
        let mut joined = String::new();
        for (doc, span) in passage_docs.iter().zip(&passages) {
            let expected: String = chars[span.start..span.end].iter().collect();
            assert_eq!(texts(doc, fields.passage), [expected]);
            let piece = texts(doc, fields.body);
            assert_eq!(piece.len(), 1);
            joined.push_str(&piece[0]);
        }
        assert!(joined == body, "the pieces do not join to the body");
        let meta = Meta::from_stored(parts.meta()).unwrap();
        assert_eq!(meta.body_pieces, passages.len());
    }

    #[test]
    fn chunks_hold_whole_pieces_and_join_to_the_body() {
        let body = "aa bbb c dddd eeeee f gg hhh".to_string();
        // Pieces end where the words end.
        let ends: Vec<usize> = body
            .match_indices(' ')
            .map(|(i, _)| i)
            .chain([body.len()])
            .collect();
        let start = |i: usize| if i == 0 { 0 } else { ends[i - 1] };
        for chunk_bytes in [1, 5, 9, 100] {
            let chunks = into_chunks(body.clone(), ends.len(), start, |i| ends[i], chunk_bytes);
            let mut joined = String::new();
            let mut next = 0;
            for (i, (first, end, offset, text)) in chunks.iter().enumerate() {
                assert_eq!(*first, next);
                assert_eq!(*offset, start(*first));
                assert_eq!(text.len(), ends[end - 1] - offset);
                assert!(
                    i == 0 || text.len() >= chunk_bytes,
                    "{chunk_bytes}: {text:?}"
                );
                joined.push_str(text);
                next = *end;
            }
            assert_eq!(next, ends.len());
            assert_eq!(joined, body);
        }
    }

    #[test]
    fn passage_documents_carry_their_path_in_the_unstored_field_only() {
        let (fields, _, block, _) = block_of("Rain in Accra.\n\nRoads closed.".to_string());
        let (article, passage_docs) = block.split_last().unwrap();
        assert_eq!(texts(article, fields.path), ["big.txt"]);
        assert!(!passage_docs.is_empty());
        for doc in passage_docs {
            assert_eq!(texts(doc, fields.passage_path), ["big.txt"]);
            assert!(texts(doc, fields.path).is_empty());
        }
        let (schema, _) = crate::schema::Schema::default().build();
        assert!(!schema.get_field_entry(fields.passage_path).is_stored());
    }

    #[test]
    fn a_body_under_the_threshold_is_stored_whole_in_the_article_record() {
        let body = "Rain in Accra.\n\nRoads closed.".to_string();
        let (fields, passages, block, parts) = block_of(body.clone());
        let (article, passage_docs) = block.split_last().unwrap();
        assert!(texts(article, fields.body).is_empty());
        assert_eq!(parts.body(), body);
        let meta = Meta::from_stored(parts.meta()).unwrap();
        assert_eq!(meta.body_pieces, 0);
        for (doc, span) in passage_docs.iter().zip(&passages) {
            assert!(texts(doc, fields.body).is_empty());
            assert_eq!(texts(doc, fields.passage).len(), 1, "{span:?}");
        }
    }

    #[test]
    fn content_hash_ignores_case_and_spacing_but_not_words() {
        let a = content_hash(Some("Rain in Accra"), "Heavy rain fell.\n\nRoads closed.");
        let b = content_hash(Some("RAIN  in accra"), "Heavy rain fell. Roads   closed.");
        let c = content_hash(Some("Rain in Accra"), "Heavy rain fell. Roads open.");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(content_hash(Some("ab"), "c"), content_hash(Some("a"), "bc"));
    }

    /// The hash as first written, word by word through `char` lowercasing:
    /// indexes built then hold its values, so the fast path must equal it.
    fn content_hash_by_words(title: Option<&str>, body: &str) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |text: &str| {
            for word in text.split_whitespace() {
                for c in word.chars().flat_map(char::to_lowercase) {
                    let mut buf = [0u8; 4];
                    for &b in c.encode_utf8(&mut buf).as_bytes() {
                        hash ^= u64::from(b);
                        hash = hash.wrapping_mul(0x0100_0000_01b3);
                    }
                }
                hash ^= u64::from(b' ');
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            hash ^= 0xff;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        };
        feed(title.unwrap_or(""));
        feed(body);
        hash
    }

    #[test]
    fn content_hash_equals_the_word_by_word_hash_of_earlier_indexes() {
        let texts = [
            "",
            "   ",
            "Plain ASCII text.\n\nTwo paragraphs\tand a tab.",
            "\u{b}vertical tab\u{c}form feed\r\n",
            "CÔTE D'IVOIRE İstanbul ẞtraße ΣΊΣΥΦΟΣ",
            "no\u{a0}break\u{2003}em\u{3000}ideographic\u{85}next line",
            "trailing space ",
            "日本語のテキスト, mixed with English",
        ];
        for title in [None, Some("A Title"), Some("ÉLAN\u{2028}")] {
            for body in texts {
                assert_eq!(
                    content_hash(title, body),
                    content_hash_by_words(title, body),
                    "{title:?} {body:?}"
                );
            }
        }
    }

    fn sample_meta() -> Meta {
        let span = |part, start, end, derived| Span {
            part,
            start,
            end,
            derived,
        };
        Meta {
            line: Some(7),
            url: Some("https://example.com/a".to_string()),
            source: Some("Wire".to_string()),
            published: Some(Date {
                year: 2024,
                month: 3,
                day: 9,
            }),
            published_source: Some(Origin::Metadata),
            dateline: Some("BAMAKO".to_string()),
            locations: vec![Location {
                name: "Mali".to_string(),
                facet: "/Africa/Western Africa/Mali".to_string(),
                mentions: vec!["Mali".to_string()],
                derived: vec!["Malian".to_string()],
                sources: vec![Origin::Title, Origin::Demonym],
                spans: vec![
                    span(Part::Title, 3, 7, false),
                    span(Part::Body, 40, 46, true),
                    span(Part::Body, 12, 16, false),
                ],
            }],
            organizations: vec![Organization {
                name: "United Nations".to_string(),
                facet: "/UN".to_string(),
                mentions: vec!["UN".to_string()],
                sources: vec![Origin::Text],
                spans: vec![span(Part::Body, 0, 2, false)],
            }],
            passages: vec![
                PassageSpan { start: 0, end: 50 },
                PassageSpan { start: 52, end: 90 },
            ],
            body_pieces: 0,
        }
    }

    fn meta_json(meta: &Meta) -> String {
        serde_json::to_string(meta).unwrap()
    }

    #[test]
    fn stored_metadata_reads_back_as_written() {
        let meta = sample_meta();
        let stored = meta.to_stored();
        assert!(stored.starts_with('['), "{stored}");
        let back = Meta::from_stored(&stored).expect("compact form parses");
        assert_eq!(meta_json(&back), meta_json(&meta));
    }

    #[test]
    fn what_a_hit_shows_reads_the_same_from_either_stored_form() {
        let meta = sample_meta();
        for stored in [meta.to_stored(), meta_json(&meta)] {
            let shown = ShownMeta::from_stored(&stored).expect("parses");
            assert_eq!(shown.url, meta.url);
            assert_eq!(shown.source, meta.source);
            assert_eq!(shown.published, meta.published);
            assert_eq!(shown.dateline, meta.dateline);
            let names = |shown: &[(String, String)]| shown.to_vec();
            let expected: Vec<(String, String)> = meta
                .locations
                .iter()
                .map(|l| (l.name.clone(), l.facet.clone()))
                .collect();
            assert_eq!(names(&shown.locations), expected);
            let expected: Vec<(String, String)> = meta
                .organizations
                .iter()
                .map(|o| (o.name.clone(), o.facet.clone()))
                .collect();
            assert_eq!(names(&shown.organizations), expected);
            assert_eq!(shown.passages, meta.passages);
        }
        assert!(ShownMeta::from_stored("[1,2").is_none());
    }

    #[test]
    fn metadata_stored_as_an_object_by_earlier_indexes_still_reads() {
        let meta = sample_meta();
        let back = Meta::from_stored(&meta_json(&meta)).expect("object form parses");
        assert_eq!(meta_json(&back), meta_json(&meta));
    }

    #[test]
    fn damaged_metadata_reads_as_nothing_or_drops_impossible_offsets() {
        assert!(Meta::from_stored("[1,2").is_none());
        assert!(Meta::from_stored("").is_none());
        let negative = r#"[null,null,null,null,null,null,[],[],[-5,3,0,10],0]"#;
        let meta = Meta::from_stored(negative).expect("well-formed");
        assert!(meta.passages.is_empty());
        assert_eq!(decode_spans(&[0, -1, 5]), Vec::new());
    }

    #[test]
    fn every_origin_reads_back_from_its_letter_and_unknown_letters_are_dropped() {
        let all = [
            Origin::Text,
            Origin::Title,
            Origin::Dateline,
            Origin::Metadata,
            Origin::Demonym,
            Origin::Filename,
        ];
        let letters = encode_origins(&all);
        assert_eq!(letters.chars().count(), all.len());
        assert_eq!(decode_origins(&letters), all);
        assert_eq!(decode_origins("t?d"), [Origin::Text, Origin::Dateline]);
    }

    #[test]
    fn mentions_equal_to_the_name_are_stored_empty_and_read_back_whole() {
        let mentions = vec!["Mali".to_string(), "MALI".to_string()];
        let stored = stored_mentions(&mentions, "Mali");
        assert_eq!(stored, ["", "MALI"]);
        assert_eq!(full_mentions(stored, "Mali"), mentions);
    }

    #[test]
    fn compact_metadata_is_much_shorter_than_the_object_form() {
        let meta = sample_meta();
        assert!(meta.to_stored().len() * 2 < meta_json(&meta).len());
    }

    proptest::proptest! {
        #[test]
        fn content_hash_equals_the_word_by_word_hash_on_any_text(
            title in proptest::option::of(".{0,40}"),
            body in "(.|\\s){0,200}",
        ) {
            proptest::prop_assert_eq!(
                content_hash(title.as_deref(), &body),
                content_hash_by_words(title.as_deref(), &body)
            );
        }
    }
}
