//! How an article becomes a block of tantivy documents, and back.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tantivy::schema::{Facet, Value};
use tantivy::{DateTime, TantivyDocument};

use crate::article::{Article, Date, Origin};
use crate::extract::{Entities, Location, Organization};
use crate::passage::PassageSpan;
use crate::schema::Fields;

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

/// What the article document stores besides its plain fields, as JSON.
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
    doc.add_text(
        fields.meta,
        serde_json::to_string(&meta).expect("metadata always serializes"),
    );

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
    let meta: Option<Meta> = text_of(doc, fields.meta).and_then(|m| serde_json::from_str(&m).ok());
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
