//! How an article becomes a block of tantivy documents, and back.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tantivy::schema::{Facet, Value};
use tantivy::{DateTime, TantivyDocument};

use crate::article::{Article, Date, Origin};
use crate::extract::{Entities, Location, Organization, Part, Span};
use crate::passage::PassageSpan;
use crate::schema::Fields;

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

/// What the article document stores besides its plain fields.
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
}

/// [`Meta`] as stored: a JSON array with no key names, entity names left
/// out when they equal their facet's last step, and offsets as differences.
/// The metadata of an article with its entities' spans was about as long
/// as its body as a JSON object, and the key names repeated per span and
/// entity were most of it.
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
);

/// A [`Location`]: name (empty when it is the facet's last step), facet,
/// mentions, derived mentions, sources, spans (see [`encode_spans`]).
#[derive(Serialize, Deserialize)]
struct CompactLocation(
    String,
    String,
    Vec<String>,
    Vec<String>,
    Vec<Origin>,
    Vec<i64>,
);

/// An [`Organization`], as [`CompactLocation`] without derived mentions.
#[derive(Serialize, Deserialize)]
struct CompactOrganization(String, String, Vec<String>, Vec<Origin>, Vec<i64>);

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
                        l.mentions.clone(),
                        l.derived.clone(),
                        l.sources.clone(),
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
                        o.mentions.clone(),
                        o.sources.clone(),
                        encode_spans(&o.spans),
                    )
                })
                .collect(),
            passages,
        );
        serde_json::to_string(&compact).expect("metadata always serializes")
    }

    /// Reads either stored form; `None` when the text is neither.
    fn from_stored(text: &str) -> Option<Meta> {
        if text.starts_with('{') {
            return serde_json::from_str(text).ok();
        }
        let CompactMeta(line, url, source, published, published_source, dateline, l, o, p) =
            serde_json::from_str(text).ok()?;
        let mut passages = Vec::with_capacity(p.len() / 2);
        let mut previous_end = 0i64;
        for pair in p.chunks_exact(2) {
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
                    |CompactLocation(name, facet, mentions, derived, sources, spans)| Location {
                        name: full_name(name, &facet),
                        facet,
                        mentions,
                        derived,
                        sources,
                        spans: decode_spans(&spans),
                    },
                )
                .collect(),
            organizations: o
                .into_iter()
                .map(
                    |CompactOrganization(name, facet, mentions, sources, spans)| Organization {
                        name: full_name(name, &facet),
                        facet,
                        mentions,
                        sources,
                        spans: decode_spans(&spans),
                    },
                )
                .collect(),
            passages,
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

/// Builds the block for one article: its passages, then the article itself.
///
/// The article is taken by value and its body dropped as soon as the
/// article document holds a copy; passages are then cut from that copy. A
/// body of hundreds of megabytes is so held twice at most (the stored body
/// and the passages), never three times.
pub(crate) fn article_block(
    fields: &Fields,
    mut article: Article,
    entities: &Entities,
    passages: &[PassageSpan],
    hash: u64,
) -> Vec<TantivyDocument> {
    let path = path_key(&article.path);
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.kind, KIND_ARTICLE);
    doc.add_text(fields.id, &article.id);
    doc.add_text(fields.block, &article.id);
    doc.add_text(fields.path, &path);
    if let Some(title) = &article.title {
        doc.add_text(fields.title, title);
    }
    doc.add_text(fields.body, &article.body);
    article.body = String::new();
    doc.add_u64(fields.parent, 0);
    doc.add_u64(fields.hash, hash);
    if let Some(date) = entities.published {
        doc.add_date(
            fields.published,
            DateTime::from_timestamp_secs(date.days_since_epoch() * 86_400),
        );
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
    let meta = Meta {
        line: article.line,
        url: article.url.take(),
        source: article.source.take(),
        published: entities.published,
        published_source: entities.published_source,
        dateline: article.dateline.take(),
        locations: entities.locations.clone(),
        organizations: entities.organizations.clone(),
        passages: passages.to_vec(),
    };
    doc.add_text(fields.meta, meta.to_stored());

    let mut block = Vec::with_capacity(passages.len() + 1);
    let body = doc
        .get_first(fields.body)
        .and_then(|v| v.as_str())
        .unwrap_or_default();
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
    for (i, passage) in passages.iter().enumerate() {
        let start = byte_at(passage.start);
        let end = byte_at(passage.end);
        let mut passage_doc = TantivyDocument::default();
        passage_doc.add_text(fields.kind, KIND_PASSAGE);
        passage_doc.add_text(fields.block, &article.id);
        passage_doc.add_text(fields.path, &path);
        passage_doc.add_text(fields.passage, &body[start..end]);
        passage_doc.add_u64(fields.parent, (passages.len() - i) as u64);
        block.push(passage_doc);
    }
    block.push(doc);
    block
}

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

/// Reads an article document back.
pub(crate) fn stored_article(
    fields: &Fields,
    doc: &TantivyDocument,
    also_at: Vec<String>,
) -> StoredArticle {
    let meta = text_of(doc, fields.meta).and_then(|m| Meta::from_stored(&m));
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
    });
    StoredArticle {
        id: text_of(doc, fields.id).unwrap_or_default(),
        path: PathBuf::from(text_of(doc, fields.path).unwrap_or_default()),
        line: meta.line,
        title: text_of(doc, fields.title),
        body: text_of(doc, fields.body).unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn metadata_stored_as_an_object_by_earlier_indexes_still_reads() {
        let meta = sample_meta();
        let back = Meta::from_stored(&meta_json(&meta)).expect("object form parses");
        assert_eq!(meta_json(&back), meta_json(&meta));
    }

    #[test]
    fn damaged_metadata_reads_as_nothing_or_drops_impossible_offsets() {
        assert!(Meta::from_stored("[1,2").is_none());
        assert!(Meta::from_stored("").is_none());
        let negative = r#"[null,null,null,null,null,null,[],[],[-5,3,0,10]]"#;
        let meta = Meta::from_stored(negative).expect("well-formed");
        assert!(meta.passages.is_empty());
        assert_eq!(decode_spans(&[0, -1, 5]), Vec::new());
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
