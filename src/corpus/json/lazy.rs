//! Reading JSON articles without holding a huge body three times.
//!
//! `serde_json::from_str::<Value>` holds the file's text, a scratch buffer
//! for a string with escapes (every `\n` is one) and the string built from
//! it: a 200 MB body was held three times at once. Here the text is first
//! checked whole without building anything (`IgnoredAny`), then taken apart
//! by hand down to the article objects: every field but the body is parsed
//! by serde_json from its own span, and the body string is only located.
//! Once nothing else needs the text, the largest body is decoded in the
//! text's own buffer (an unescaped JSON string is never longer than its
//! escaped form) and the others are decoded into copies.
//!
//! Whatever this reader is not sure of (invalid JSON, a string whose
//! escapes serde_json would refuse, a value serde_json would refuse) it
//! gives up on, and the caller reads the text with serde_json as before, so
//! results and messages are the same.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::de::IgnoredAny;
use serde_json::{Map, Value};

use super::{BODY_KEYS, BodyAt, Fields, LIST_KEYS, Shape};

/// Takes a `.json` file's text apart, or `None` when serde_json must.
pub(super) fn shape(text: &str) -> Option<Shape> {
    serde_json::from_str::<IgnoredAny>(text).ok()?;
    let b = text.as_bytes();
    let start = skip_space(b, 0);
    let end = value_end(b, start)?;
    match b.get(start)? {
        b'{' => {
            let object = object_at(text, start..end)?;
            if body_key(text, &object)?.is_some() {
                return Some(Shape::One(fields_in(text, object)?));
            }
            // The first list key whose value is an array.
            let list = LIST_KEYS.into_iter().find(|key| {
                object
                    .get(*key)
                    .is_some_and(|span| b.get(span.start) == Some(&b'['))
            });
            // The other values must still be ones serde_json takes.
            for (name, span) in &object {
                if Some(name.as_str()) != list {
                    serde_json::from_str::<Value>(&text[span.clone()]).ok()?;
                }
            }
            match list.and_then(|key| object.get(key)) {
                Some(span) => Some(Shape::Many(items_in(text, span.clone())?)),
                None => Some(Shape::NoArticles),
            }
        }
        b'[' => Some(Shape::Many(items_in(text, start..end)?)),
        _ => {
            serde_json::from_str::<Value>(text).ok()?;
            Some(Shape::NotObject)
        }
    }
}

/// Takes one JSON Lines line apart: `Some(None)` for valid JSON that is not
/// an object, `None` when serde_json must read it.
pub(super) fn line(text: &str, range: Range<usize>) -> Option<Option<Fields>> {
    let line = &text[range.clone()];
    serde_json::from_str::<IgnoredAny>(line).ok()?;
    let b = text.as_bytes();
    let start = skip_space(b, range.start);
    if b.get(start) != Some(&b'{') {
        serde_json::from_str::<Value>(line).ok()?;
        return Some(None);
    }
    let end = value_end(b, start)?;
    let object = object_at(text, start..end)?;
    Some(Some(fields_in(text, object)?))
}

/// Decodes the bodies of a shape the text was taken apart into.
pub(super) fn resolve(mut shape: Shape, text: String) -> Shape {
    let mut fields: Vec<&mut Fields> = match &mut shape {
        Shape::One(fields) => vec![fields],
        Shape::Many(items) => items.iter_mut().flatten().collect(),
        Shape::NoArticles | Shape::NotObject => Vec::new(),
    };
    resolve_fields(&mut fields, text);
    shape
}

/// Decodes the bodies located in `text`: the largest in the text's own
/// buffer, last, and the others into copies before it.
pub(super) fn resolve_fields(fields: &mut [&mut Fields], text: String) {
    let largest = fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match &f.body {
            Some(BodyAt::Span(span)) => Some((span.len(), i)),
            _ => None,
        })
        .max()
        .map(|(_, i)| i);
    for (i, field) in fields.iter_mut().enumerate() {
        if Some(i) != largest
            && let Some(BodyAt::Span(span)) = &field.body
        {
            let copy = text.as_bytes()[span.clone()].to_vec();
            let len = copy.len();
            field.body = Some(BodyAt::Text(decoded(copy, 0..len)));
        }
    }
    if let Some(i) = largest
        && let Some(BodyAt::Span(span)) = &fields[i].body
    {
        let span = span.clone();
        fields[i].body = Some(BodyAt::Text(decoded(text.into_bytes(), span)));
    }
}

/// The string contents at `span` of `bytes` decoded, in `bytes`' buffer.
fn decoded(mut bytes: Vec<u8>, span: Range<usize>) -> String {
    let len = unescape_in_place(&mut bytes, span);
    bytes.truncate(len);
    // Checked escapes decode to whole characters, and the bytes between
    // them are the text's: this is UTF-8.
    String::from_utf8(bytes)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

/// The body key [`super::body_key`] would choose: the first of
/// [`BODY_KEYS`] holding a string or a non-empty array of strings.
/// `Some(None)` when there is none; `None` when serde_json must decide.
fn body_key(text: &str, object: &BTreeMap<String, Range<usize>>) -> Option<Option<&'static str>> {
    for key in BODY_KEYS {
        let Some(span) = object.get(key) else {
            continue;
        };
        match text.as_bytes()[span.start] {
            b'"' => return Some(Some(key)),
            b'[' => {
                let value = serde_json::from_str::<Value>(&text[span.clone()]).ok()?;
                if let Value::Array(parts) = value
                    && !parts.is_empty()
                    && parts.iter().all(Value::is_string)
                {
                    return Some(Some(key));
                }
            }
            _ => {}
        }
    }
    Some(None)
}

/// An article object's fields: each parsed by serde_json from its span but
/// the body string, which is located and checked.
fn fields_in(text: &str, object: BTreeMap<String, Range<usize>>) -> Option<Fields> {
    let key = body_key(text, &object)?;
    let mut fields = Map::new();
    let mut body = None;
    for (name, span) in object {
        if Some(name.as_str()) == key {
            if text.as_bytes()[span.start] == b'"' {
                let inner = span.start + 1..span.end - 1;
                check_escapes(&text.as_bytes()[inner.clone()])?;
                body = Some(BodyAt::Span(inner));
            } else {
                let mut object = Map::new();
                object.insert(name, serde_json::from_str(&text[span]).ok()?);
                body = super::take_body(&mut object).map(BodyAt::Text);
            }
            continue;
        }
        fields.insert(name, serde_json::from_str(&text[span]).ok()?);
    }
    Some(Fields {
        object: fields,
        body,
    })
}

/// The items of an array: objects taken apart, `None` for other values.
fn items_in(text: &str, span: Range<usize>) -> Option<Vec<Option<Fields>>> {
    let b = text.as_bytes();
    let mut items = Vec::new();
    for item in elements(b, span, b'[', b']')? {
        if b[item.start] == b'{' {
            items.push(Some(fields_in(text, object_at(text, item)?)?));
        } else {
            serde_json::from_str::<Value>(&text[item]).ok()?;
            items.push(None);
        }
    }
    Some(items)
}

/// An object's members by name, each the span of its value; a repeated
/// name keeps its last value, as `serde_json::Map` does.
fn object_at(text: &str, span: Range<usize>) -> Option<BTreeMap<String, Range<usize>>> {
    let b = text.as_bytes();
    let mut object = BTreeMap::new();
    for member in elements(b, span, b'{', b'}')? {
        let key_end = string_end(b, member.start)?;
        let name: String = serde_json::from_str(&text[member.start..key_end]).ok()?;
        let colon = skip_space(b, key_end);
        if b.get(colon) != Some(&b':') {
            return None;
        }
        let value = skip_space(b, colon + 1);
        object.insert(name, value..member.end);
    }
    Some(object)
}

/// The spans of the elements of an array or the members of an object
/// (`open` ... `close`), each trimmed of surrounding whitespace.
fn elements(b: &[u8], span: Range<usize>, open: u8, close: u8) -> Option<Vec<Range<usize>>> {
    if b.get(span.start) != Some(&open) {
        return None;
    }
    let mut out = Vec::new();
    let mut at = skip_space(b, span.start + 1);
    if b.get(at) == Some(&close) {
        return Some(out);
    }
    loop {
        let end = if open == b'{' {
            // A member: name, colon, value.
            let key_end = string_end(b, at)?;
            let value = skip_space(b, skip_space(b, key_end) + 1);
            value_end(b, value)?
        } else {
            value_end(b, at)?
        };
        out.push(at..end);
        at = skip_space(b, end);
        match b.get(at)? {
            b',' => at = skip_space(b, at + 1),
            c if *c == close => return Some(out),
            _ => return None,
        }
    }
}

fn skip_space(b: &[u8], mut at: usize) -> usize {
    while at < b.len() && matches!(b[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// The end of the string starting at `at` (after its closing quote).
fn string_end(b: &[u8], at: usize) -> Option<usize> {
    if b.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    loop {
        i += b.get(i..)?.iter().position(|&c| c == b'"' || c == b'\\')?;
        if b[i] == b'\\' {
            i += 2;
        } else {
            return Some(i + 1);
        }
    }
}

/// The end of the (valid) JSON value starting at `at`.
fn value_end(b: &[u8], at: usize) -> Option<usize> {
    match b.get(at)? {
        b'"' => string_end(b, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match b.get(i)? {
                    b'"' => i = string_end(b, i)?,
                    b'{' | b'[' => {
                        depth += 1;
                        i += 1;
                    }
                    b'}' | b']' => {
                        depth -= 1;
                        i += 1;
                        if depth == 0 {
                            return Some(i);
                        }
                    }
                    _ => i += 1,
                }
            }
        }
        _ => {
            let len = b[at..]
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(b.len() - at);
            Some(at + len)
        }
    }
}

/// Checks a string's contents as serde_json would decode them into a
/// `String`: known escapes only, `\u` surrogates in pairs, no raw control
/// characters. `None` when in doubt.
fn check_escapes(raw: &[u8]) -> Option<()> {
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\\' => match raw.get(i + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                b'u' => {
                    let unit = hex4(raw.get(i + 2..i + 6)?)?;
                    i += 6;
                    if (0xDC00..=0xDFFF).contains(&unit) {
                        return None;
                    }
                    if (0xD800..=0xDBFF).contains(&unit) {
                        if raw.get(i..i + 2)? != b"\\u" {
                            return None;
                        }
                        let low = hex4(raw.get(i + 2..i + 6)?)?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return None;
                        }
                        i += 6;
                    }
                }
                _ => return None,
            },
            c if c < 0x20 => return None,
            _ => i += 1,
        }
    }
    Some(())
}

fn hex4(digits: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(digits).ok()?;
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(text, 16).ok()
}

/// Decodes the string contents at `span` (checked by [`check_escapes`])
/// to the front of `bytes`, returning the decoded length. Reading always
/// stays ahead of writing: no escape decodes to more bytes than it takes.
fn unescape_in_place(bytes: &mut [u8], span: Range<usize>) -> usize {
    let mut read = span.start;
    let mut write = 0;
    while read < span.end {
        let run = bytes[read..span.end]
            .iter()
            .position(|&c| c == b'\\')
            .unwrap_or(span.end - read);
        bytes.copy_within(read..read + run, write);
        read += run;
        write += run;
        if read >= span.end {
            break;
        }
        let escape = bytes.get(read + 1).copied().unwrap_or(b'\\');
        let simple = match escape {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(byte) = simple {
            bytes[write] = byte;
            write += 1;
            read += 2;
            continue;
        }
        // `\uXXXX`, a surrogate pair checked to be whole.
        let unit = |at: usize| {
            bytes
                .get(at + 2..at + 6)
                .and_then(hex4)
                .map_or(0xFFFD, u32::from)
        };
        let mut code = unit(read);
        read += 6;
        if (0xD800..=0xDBFF).contains(&code) {
            let low = unit(read);
            code = 0x10000 + ((code - 0xD800) << 10) + (low.saturating_sub(0xDC00) & 0x3FF);
            read += 6;
        }
        let c = char::from_u32(code).unwrap_or('\u{FFFD}');
        let mut utf8 = [0; 4];
        let encoded = c.encode_utf8(&mut utf8).as_bytes();
        bytes[write..write + encoded.len()].copy_from_slice(encoded);
        write += encoded.len();
    }
    write
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_decodes_in_place_as_serde_json_decodes_it() {
        for json in [
            r#""plain""#,
            r#""a\nb\\c\"d\/e\tf\u00e9\u20ac\ud83d\ude00 end""#,
            r#""\u0041\n\n\u000b""#,
            r#""""#,
        ] {
            let expected: String = serde_json::from_str(json).unwrap();
            let raw = &json.as_bytes()[1..json.len() - 1];
            assert_eq!(check_escapes(raw), Some(()), "{json}");
            let mut bytes = json.as_bytes().to_vec();
            let len = unescape_in_place(&mut bytes, 1..json.len() - 1);
            assert_eq!(std::str::from_utf8(&bytes[..len]).unwrap(), expected);
        }
    }

    #[test]
    fn escapes_serde_json_refuses_are_left_to_it() {
        for raw in [
            r"\ud800",
            r"\udc00",
            r"\ud800\u0041",
            r"\x",
            "a\u{1}",
            r"\u12",
        ] {
            assert_eq!(check_escapes(raw.as_bytes()), None, "{raw}");
        }
    }
}
