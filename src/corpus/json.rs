//! JSON and JSON Lines articles.
//!
//! An article is an object with a body string under `body`, `text`,
//! `content` or `articleBody` (an array of strings is read as paragraphs).
//! Other fields, all optional:
//! - title: `title`, `headline`;
//! - date: `date`, `published`, `publishedAt`, `published_at`, `pubDate`,
//!   `datePublished` (a string, or a Unix timestamp in seconds or
//!   milliseconds);
//! - address: `url`, `link`;
//! - source: `source` (a string, or an object with a `name`);
//! - `dateline` (else recognised in the body);
//! - `locations`, `organizations`: arrays of strings or one comma-separated
//!   string.
//!
//! A `.json` file holds one article object, an array of them, or an object
//! whose `articles` (or `items`, `data`, `results`, `documents`, `posts`,
//! `entries`) array holds them, as news APIs return. A `.json` file that is
//! really JSON Lines is read as JSON Lines, and a `.jsonl` file that is
//! really one JSON document is read as JSON.

use serde_json::{Map, Value};

use super::dates::{date_from_unix, parse_metadata_date};
use super::text::{self, Wrap};
use super::{FileContents, ProblemKind, Source, non_blank};

mod lazy;
use crate::article::Article;

const BODY_KEYS: [&str; 4] = ["body", "text", "content", "articleBody"];
const TITLE_KEYS: [&str; 2] = ["title", "headline"];
const DATE_KEYS: [&str; 6] = [
    "date",
    "published",
    "publishedAt",
    "published_at",
    "pubDate",
    "datePublished",
];
const URL_KEYS: [&str; 2] = ["url", "link"];
const LIST_KEYS: [&str; 7] = [
    "articles",
    "items",
    "data",
    "results",
    "documents",
    "posts",
    "entries",
];

/// After this many bad lines in one JSON Lines file the rest are summed up in
/// one problem, so a file that is not JSON Lines at all does not flood the
/// report.
const MAX_LINE_PROBLEMS: usize = 100;

/// Reads a `.json` file.
pub(super) fn read_json(source: &Source<'_>, text: &str) -> FileContents {
    match parse_json(source, text) {
        Ok(value) => read_value(source, value),
        Err(out) => out,
    }
}

/// Reads a `.json` file from text it is given to keep: the text is freed
/// once parsed, so a huge article is not held as both the file's text and
/// the parsed value while its body is built.
pub(super) fn read_json_owned(source: &Source<'_>, text: String) -> FileContents {
    if let Some(shape) = lazy::shape(&text) {
        return read_shape(source, lazy::resolve(shape, text));
    }
    let parsed = parse_json(source, &text);
    drop(text);
    match parsed {
        Ok(value) => read_value(source, value),
        Err(out) => out,
    }
}

/// Parses a `.json` file's text, or gives what the file holds instead: its
/// JSON Lines articles, or the problem.
fn parse_json(source: &Source<'_>, text: &str) -> Result<Value, FileContents> {
    let mut out = FileContents::default();
    match serde_json::from_str::<Value>(text) {
        Ok(value) => Ok(value),
        Err(err) => {
            if err.line() > 1 && error_text(&err).starts_with("trailing characters") {
                let lines = read_lines_only(source, text);
                if !lines.articles.is_empty()
                    && lines
                        .problems
                        .iter()
                        .all(|p| p.kind != ProblemKind::Malformed)
                {
                    return Err(lines);
                }
            }
            out.problems.push(source.problem(
                Some(err.line()),
                ProblemKind::Malformed,
                invalid_json(&err),
            ));
            Err(out)
        }
    }
}

/// Reads the articles of a parsed `.json` file.
fn read_value(source: &Source<'_>, value: Value) -> FileContents {
    read_shape(source, shape_of(value))
}

/// An article object as read: its fields but the body, and the body.
pub(super) struct Fields {
    object: Map<String, Value>,
    body: Option<BodyAt>,
}

/// Where an article's body is.
pub(super) enum BodyAt {
    /// Taken out of the parsed value.
    Text(String),
    /// The contents of a JSON string in the file's text, escapes and all
    /// (checked), not yet decoded.
    Span(std::ops::Range<usize>),
}

/// What a `.json` file holds.
pub(super) enum Shape {
    /// One article object (one with a body).
    One(Fields),
    /// A list of items; `None` for an item that is not an object.
    Many(Vec<Option<Fields>>),
    /// An object without a body or a list of articles.
    NoArticles,
    /// Neither an object nor an array.
    NotObject,
}

/// Takes the parts of a parsed `.json` file apart.
fn shape_of(value: Value) -> Shape {
    let items = match value {
        Value::Object(mut object) if !has_body(&object) => {
            let list = LIST_KEYS
                .iter()
                .find(|key| object.get(**key).is_some_and(Value::is_array));
            match list.and_then(|key| object.remove(*key)) {
                Some(Value::Array(items)) => items,
                _ => return Shape::NoArticles,
            }
        }
        Value::Object(object) => return Shape::One(fields_of(object)),
        Value::Array(items) => items,
        _ => return Shape::NotObject,
    };
    Shape::Many(
        items
            .into_iter()
            .map(|item| match item {
                Value::Object(object) => Some(fields_of(object)),
                _ => None,
            })
            .collect(),
    )
}

fn fields_of(mut object: Map<String, Value>) -> Fields {
    let body = take_body(&mut object).map(BodyAt::Text);
    Fields { object, body }
}

/// Reads the articles of a `.json` file whose bodies are resolved.
fn read_shape(source: &Source<'_>, shape: Shape) -> FileContents {
    let mut out = FileContents::default();
    let items = match shape {
        Shape::NoArticles => {
            out.problems
                .push(source.problem(None, ProblemKind::NotArticle, no_body_message()));
            return out;
        }
        Shape::One(fields) => {
            match article_from(fields, source.article(source.id.clone(), None)) {
                Ok(article) => out.articles.push(article),
                Err((kind, message)) => out.problems.push(source.problem(None, kind, message)),
            }
            return out;
        }
        Shape::Many(items) => items,
        Shape::NotObject => {
            out.problems.push(source.problem(
                None,
                ProblemKind::NotArticle,
                "not a JSON object or array of objects",
            ));
            return out;
        }
    };
    let empty = items.is_empty();
    for (index, item) in items.into_iter().enumerate() {
        let number = index + 1;
        let result = match item {
            Some(fields) => article_from(
                fields,
                source.article(format!("{}#{number}", source.id), None),
            ),
            None => Err((ProblemKind::NotArticle, "not an object".to_string())),
        };
        match result {
            Ok(article) => out.articles.push(article),
            Err((kind, message)) => {
                out.problems
                    .push(source.problem(None, kind, format!("item {number}: {message}")))
            }
        }
    }
    if out.articles.is_empty()
        && out
            .problems
            .iter()
            .all(|p| p.kind == ProblemKind::NotArticle)
    {
        // One file that holds no articles counts once, not once per item.
        let message = if empty {
            "empty JSON array".to_string()
        } else {
            no_body_message()
        };
        out.problems = vec![source.problem(None, ProblemKind::NotArticle, message)];
    }
    out
}

/// Reads a JSON Lines file (`.jsonl`, `.ndjson`).
///
/// Each non-blank line is one article with id `PATH#LINE`; a bad line is a
/// [`ProblemKind::Malformed`] problem at its line and the other lines are
/// still read.
pub(super) fn read_lines(source: &Source<'_>, text: &str) -> FileContents {
    let out = read_lines_only(source, text);
    let only_bad = out.articles.is_empty()
        && out
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::Malformed);
    if only_bad && serde_json::from_str::<Value>(text).is_ok() {
        return read_json(source, text);
    }
    out
}

/// Reads a JSON Lines file from text it is given to keep: each line is
/// taken apart without decoding its body, and the largest body is then
/// decoded in the text's own buffer, so a huge article is held once. A file
/// with a line this cannot take apart is read as [`read_lines`] reads it.
pub(super) fn read_lines_owned(source: &Source<'_>, text: String) -> FileContents {
    let mut lines = Vec::new();
    let mut start = 0;
    for (index, line) in text.split('\n').enumerate() {
        let range = start..start + line.len();
        start = range.end + 1;
        if line.trim().is_empty() {
            continue;
        }
        match lazy::line(&text, range) {
            Some(fields) => lines.push((index + 1, fields)),
            None => return read_lines(source, &text),
        }
    }
    let mut fields: Vec<&mut Fields> = lines.iter_mut().filter_map(|(_, f)| f.as_mut()).collect();
    lazy::resolve_fields(&mut fields, text);
    let mut out = FileContents::default();
    for (number, fields) in lines {
        let result = match fields {
            Some(fields) => article_from(
                fields,
                source.article(format!("{}#{number}", source.id), Some(number)),
            ),
            None => Err((ProblemKind::NotArticle, "not a JSON object".to_string())),
        };
        match result {
            Ok(article) => out.articles.push(article),
            Err((kind, message)) => out
                .problems
                .push(source.problem(Some(number), kind, message)),
        }
    }
    out
}

fn read_lines_only(source: &Source<'_>, text: &str) -> FileContents {
    let mut out = FileContents::default();
    let mut bad_lines = 0;
    for (index, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        let result = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(object)) => article_from(
                fields_of(object),
                source.article(format!("{}#{number}", source.id), Some(number)),
            ),
            Ok(_) => Err((ProblemKind::NotArticle, "not a JSON object".to_string())),
            Err(err) => {
                bad_lines += 1;
                Err((ProblemKind::Malformed, invalid_json(&err)))
            }
        };
        match result {
            Ok(article) => out.articles.push(article),
            Err((ProblemKind::Malformed, _)) if bad_lines > MAX_LINE_PROBLEMS => {}
            Err((kind, message)) => out
                .problems
                .push(source.problem(Some(number), kind, message)),
        }
    }
    if bad_lines > MAX_LINE_PROBLEMS {
        let more = bad_lines - MAX_LINE_PROBLEMS;
        out.problems.push(source.problem(
            None,
            ProblemKind::Malformed,
            format!("{more} more lines of invalid JSON"),
        ));
    }
    out
}

fn no_body_message() -> String {
    "no `body`, `text` or `content` string".to_string()
}

/// The serde_json message without its " at line L column C" suffix.
fn error_text(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn invalid_json(err: &serde_json::Error) -> String {
    format!(
        "invalid JSON: {} at column {}",
        error_text(err),
        err.column()
    )
}

/// Whether the object has a body [`take_body`] would take.
fn has_body(object: &Map<String, Value>) -> bool {
    body_key(object).is_some()
}

fn body_key(object: &Map<String, Value>) -> Option<&'static str> {
    BODY_KEYS
        .iter()
        .copied()
        .find(|key| match object.get(*key) {
            Some(Value::String(_)) => true,
            Some(Value::Array(parts)) => !parts.is_empty() && parts.iter().all(Value::is_string),
            _ => false,
        })
}

/// Takes the body out of the object: a body string is moved, not copied.
fn take_body(object: &mut Map<String, Value>) -> Option<String> {
    match object.remove(body_key(object)?)? {
        Value::String(text) => Some(text),
        Value::Array(parts) => Some(
            parts
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
        _ => None,
    }
}

fn string_at(object: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|key| object.get(*key).and_then(Value::as_str).and_then(non_blank))
}

fn names(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .filter_map(non_blank)
            .collect(),
        Some(Value::String(text)) => text.split(',').filter_map(non_blank).collect(),
        _ => Vec::new(),
    }
}

/// Fills an article from one JSON object, or says why it is not one.
fn article_from(fields: Fields, mut article: Article) -> Result<Article, (ProblemKind, String)> {
    let Fields { object, body } = fields;
    let Some(BodyAt::Text(body)) = body else {
        return Err((ProblemKind::NotArticle, no_body_message()));
    };
    let object = &object;
    // JSON strings may hold any character; clean them as file text is
    // cleaned. Most bodies need nothing, and are not copied.
    let body = if body.chars().any(|c| c.is_control() && c != '\n') {
        body.replace("\r\n", "\n")
            .chars()
            .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
            .collect()
    } else {
        body
    };
    let body = text::body_and_dateline_owned(body, Wrap::Detect);
    article.body = body.text;
    article.dateline = string_at(object, &["dateline"]).or(body.dateline);
    article.dateline_line = body.dateline_line;
    article.title = string_at(object, &TITLE_KEYS);
    article.url = string_at(object, &URL_KEYS);
    article.source = match object.get("source") {
        Some(Value::String(name)) => non_blank(name),
        Some(Value::Object(inner)) => string_at(inner, &["name"]),
        _ => None,
    };
    let date = DATE_KEYS
        .iter()
        .filter_map(|key| object.get(*key))
        .find(|value| value.is_string() || value.is_number());
    if let Some(date) = date {
        match date {
            Value::String(raw) => {
                article.published = parse_metadata_date(raw);
                article.published_raw = non_blank(raw);
            }
            Value::Number(number) => {
                article.published = number.as_f64().and_then(date_from_unix);
                article.published_raw = Some(number.to_string());
            }
            _ => {}
        }
    }
    article.given_locations = names(object.get("locations"));
    article.given_organizations = names(object.get("organizations"));
    if article.title.is_none() && article.body.is_empty() {
        return Err((ProblemKind::Empty, "no article text".to_string()));
    }
    Ok(article)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn source() -> Source<'static> {
        Source {
            path: Path::new("feed/news.json"),
            id: "feed/news.json".to_string(),
        }
    }

    #[test]
    fn one_object_is_one_article_with_the_path_as_id() {
        let out = read_json(
            &source(),
            r#"{"headline": "Dam opens", "text": "LIMA, June 4 - The dam opened.", "publishedAt": "2023-11-02T23:30:00-05:00",
                "link": "https://e.x/d", "source": {"id": null, "name": "Andes Wire"},
                "locations": ["Lima", "Peru"], "organizations": "UN, WHO"}"#,
        );
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles[0];
        assert_eq!(a.id, "feed/news.json");
        assert_eq!(a.title.as_deref(), Some("Dam opens"));
        assert_eq!(a.body, "LIMA, June 4 - The dam opened.");
        assert_eq!(a.dateline.as_deref(), Some("LIMA"));
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("2023-11-02")
        );
        assert_eq!(
            a.published_raw.as_deref(),
            Some("2023-11-02T23:30:00-05:00")
        );
        assert_eq!(a.url.as_deref(), Some("https://e.x/d"));
        assert_eq!(a.source.as_deref(), Some("Andes Wire"));
        assert_eq!(a.given_locations, ["Lima", "Peru"]);
        assert_eq!(a.given_organizations, ["UN", "WHO"]);
    }

    #[test]
    fn an_array_gives_ids_numbered_from_one() {
        let out = read_json(
            &source(),
            r#"[{"body": "One."}, {"title": "x"}, {"content": "Three."}]"#,
        );
        let ids: Vec<_> = out.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["feed/news.json#1", "feed/news.json#3"]);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].kind, ProblemKind::NotArticle);
        assert!(out.problems[0].message.starts_with("item 2:"));
    }

    #[test]
    fn an_object_with_an_articles_array_is_read_as_the_array() {
        let out = read_json(
            &source(),
            r#"{"status": "ok", "articles": [{"title": "A", "content": "Body."}]}"#,
        );
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].id, "feed/news.json#1");
    }

    #[test]
    fn an_object_without_a_body_string_is_not_an_article() {
        let out = read_json(&source(), r#"{"name": "config", "version": 3}"#);
        assert_eq!(out.problems[0].kind, ProblemKind::NotArticle);
        let out = read_json(&source(), r#"[{"a": 1}, {"b": 2}]"#);
        assert_eq!(out.problems.len(), 1, "counted once per file");
    }

    #[test]
    fn truncated_json_is_malformed_with_line_and_column() {
        let out = read_json(&source(), "{\n  \"title\": \"x\",\n  \"body\": \"cut");
        let problem = &out.problems[0];
        assert_eq!(problem.kind, ProblemKind::Malformed);
        assert_eq!(problem.line, Some(3));
        assert!(
            problem
                .message
                .starts_with("invalid JSON: EOF while parsing a string at column"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn deeply_nested_json_is_malformed_not_a_stack_overflow() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let out = read_json(&source(), &text);
        assert_eq!(out.problems[0].kind, ProblemKind::Malformed);
        assert!(out.problems[0].message.contains("recursion limit exceeded"));
    }

    #[test]
    fn json_lines_keep_good_lines_and_report_bad_ones() {
        let text = "{\"title\": \"A\", \"body\": \"First.\"}\n\n{\"title\": \"B\", \"body\": \n{\"body\": \"Third.\", \"date\": 1709632800}\n";
        let out = read_lines(
            &Source {
                path: Path::new("f.jsonl"),
                id: "f.jsonl".to_string(),
            },
            text,
        );
        let ids: Vec<_> = out.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["f.jsonl#1", "f.jsonl#4"]);
        assert_eq!(out.articles[1].line, Some(4));
        assert_eq!(
            out.articles[1].published.map(|d| d.to_string()).as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].line, Some(3));
        assert_eq!(out.problems[0].kind, ProblemKind::Malformed);
    }

    #[test]
    fn json_lines_that_are_all_bad_are_summed_up_after_a_hundred() {
        let text = "nope\n".repeat(150);
        let out = read_lines(&source(), &text);
        assert_eq!(out.problems.len(), 101);
        assert_eq!(out.problems[100].message, "50 more lines of invalid JSON");
    }

    #[test]
    fn a_json_file_holding_json_lines_is_read_as_lines() {
        let out = read_json(&source(), "{\"body\": \"One.\"}\n{\"body\": \"Two.\"}\n");
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[1].id, "feed/news.json#2");
    }

    #[test]
    fn a_pretty_printed_jsonl_file_is_read_as_json() {
        let out = read_lines(&source(), "{\n  \"body\": \"One.\"\n}\n");
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].id, "feed/news.json");
    }

    #[test]
    fn body_paragraphs_and_a_dateline_line_are_normalised() {
        let out = read_json(
            &source(),
            r#"{"body": "ANKARA\nFirst paragraph here.\n\nSecond  paragraph."}"#,
        );
        assert_eq!(out.articles[0].dateline.as_deref(), Some("ANKARA"));
        assert_eq!(
            out.articles[0].body,
            "First paragraph here.\n\nSecond paragraph."
        );
    }

    #[test]
    fn a_null_date_field_gives_way_to_the_next_date_field() {
        let out = read_json(
            &source(),
            r#"{"body": "Text.", "date": null, "pubDate": "2024-03-05"}"#,
        );
        assert_eq!(out.articles[0].published_raw.as_deref(), Some("2024-03-05"));
    }

    /// JSON texts of every shape the readers take, and some they refuse.
    fn json_texts() -> Vec<String> {
        let mut texts: Vec<String> = [
            r#"{"title": "A", "body": "Line one.\nLine two.\n\n\u00e9t\u00e9 \ud83d\ude00 \"q\" \\ end"}"#,
            r#"{"body": "first", "body": "second wins", "text": "not this"}"#,
            r#"{"text": ["Part one.", "Part two."], "date": 1709632800, "source": {"name": "Wire"}}"#,
            r#"{"text": [], "content": "Content body.", "locations": "Lima, Peru"}"#,
            r#"{"status": "ok", "total": 2.5e3, "articles": [{"body": "One."}, 7, {"title": "no body"}, {"content": "Three.", "tags": [1, {"a": null}]}]}"#,
            r#"[{"body": "A."}, {"body": "B.", "headline": "Bee"}, "x"]"#,
            r#"[]"#,
            r#"{"name": "config"}"#,
            r#"42"#,
            r#"{"body": "lone \ud800 surrogate"}"#,
            r#"{"body": "ok", "n": 1e999}"#,
            r#"{"bo\u0064y": "escaped key", "dateline": "LIMA"}"#,
            r#"{"body": "control\u0001char and\r\nCRLF"}"#,
            "  {\"body\" : \"spaced\" ,\"title\":\"T\"}  \n",
            "{\"body\": \"One.\"}\n{\"body\": \"Two.\"}\n",
            "{\n  \"body\": \"pretty\"\n}\n",
            "{\"body\": \"cut",
            "{\"title\": \"A\", \"body\": \"First.\"}\n\n{\"title\": \"B\", \"body\": \n{\"body\": \"Third.\", \"date\": 1709632800}\n",
            "[1, {\"body\": \"x\"}]\n\"string line\"\n{\"body\": \"y\"}",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        texts.push(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)));
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        for folder in [
            "sample-corpus/json",
            "sample-corpus/jsonl",
            "tests/fixtures/formats",
            "tests/fixtures/awkward",
        ] {
            for entry in std::fs::read_dir(dir.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                let is_json = path
                    .extension()
                    .is_some_and(|e| e == "json" || e == "jsonl" || e == "ndjson");
                if is_json && let Ok(text) = std::fs::read_to_string(&path) {
                    texts.push(text);
                }
            }
        }
        texts
    }

    #[test]
    fn bodies_decoded_in_the_files_buffer_give_what_serde_json_values_give() {
        let texts = json_texts();
        // The shapes serde_json takes are taken apart without it; the rest
        // are left to it.
        let taken: Vec<bool> = texts[..10]
            .iter()
            .map(|text| lazy::shape(text).is_some())
            .collect();
        assert_eq!(
            taken,
            [true, true, true, true, true, true, true, true, true, false]
        );
        assert!(lazy::shape(&texts[10]).is_none(), "a number out of range");
        for text in texts {
            assert_eq!(
                read_json_owned(&source(), text.clone()),
                read_json(&source(), &text),
                "{text:.300}"
            );
            assert_eq!(
                read_lines_owned(&source(), text.clone()),
                read_lines(&source(), &text),
                "{text:.300}"
            );
        }
    }

    #[test]
    fn a_body_and_title_both_blank_is_empty() {
        let out = read_json(&source(), r#"{"title": " ", "body": "  "}"#);
        assert_eq!(out.problems[0].kind, ProblemKind::Empty);
    }
}
