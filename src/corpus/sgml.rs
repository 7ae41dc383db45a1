//! Reuters-21578 SGML: many `<REUTERS NEWID="..">` articles per file.
//!
//! From each article: `NEWID` (the id is `PATH#NEWID`, the line that of the
//! `<REUTERS` tag), `<DATE>` (kept in `published_raw` as written, with
//! entities decoded and whitespace collapsed; parsed when its `26-FEB-1987`
//! part is a real date), `<TITLE>`, `<DATELINE>` (the place before the first
//! comma, `SALVADOR`, and the whole line in `dateline_line`), `<BODY>`, and the `<D>` codes of `<PLACES>` and
//! `<ORGS>` with `-` turned into spaces (`west germany`). A `<TEXT
//! TYPE="UNPROC">` article has no such tags: its whole text is the body.
//! A `TYPE="BRIEF"` article is a title only.
//!
//! Bodies are hard-wrapped with indented paragraph starts; they are
//! normalised like hard-wrapped text, and the closing ` Reuter` sign-off
//! line is dropped. Entities (`&lt;` `&gt;` `&amp;` `&quot;` `&apos;`
//! `&#NN;` `&#xHH;`) are decoded; control characters such as `&#3;` become
//! spaces. The source is `Reuters`.
//!
//! A `<REUTERS>` that is never closed, or holds an unclosed tag, is
//! reported as malformed at its line and the other articles are kept. An
//! article with neither title nor body is reported as empty.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

use super::dates::month_number;
use super::in_place::{InPlace, cuts_at_empty_lines};
use super::text::{Wrap, paragraphs_joined};
use super::{FileContents, Problem, ProblemKind, Source, collapse_whitespace, non_blank};
use crate::article::Date;

/// Reads a Reuters SGML file.
// Borrowed: the tests' oracle for the owned reader.
#[cfg(test)]
pub(super) fn read(source: &Source<'_>, text: &str) -> FileContents {
    let entries = entries(source, text);
    let bodies = entries
        .iter()
        .map(|entry| match entry {
            Entry::Article(_, body, _) => normalise_body(&decode_entities(&text[body.clone()])),
            Entry::Problem(_) => String::new(),
        })
        .collect();
    finish(entries, bodies)
}

/// Reads a Reuters SGML file from text it is given to keep: the largest
/// body is rebuilt over the text already read, so a huge article is not
/// held as text, decoded text and body at once.
pub(super) fn read_owned(source: &Source<'_>, text: String) -> FileContents {
    let entries = entries(source, &text);
    let largest = entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| match entry {
            Entry::Article(_, body, _) => Some((body.len(), std::cmp::Reverse(i))),
            Entry::Problem(_) => None,
        })
        .max()
        .map(|(_, std::cmp::Reverse(i))| i);
    let mut bodies: Vec<String> = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| match entry {
            Entry::Article(_, body, _) if Some(i) != largest => {
                normalise_body(&decode_entities(&text[body.clone()]))
            }
            _ => String::new(),
        })
        .collect();
    if let Some(i) = largest
        && let Entry::Article(_, body, _) = &entries[i]
    {
        bodies[i] = body_in_place(text, body.clone());
    }
    finish(entries, bodies)
}

/// An article whose body is still the span of the text it is made from
/// (and its `NEWID`), or a problem.
enum Entry {
    Article(Box<crate::article::Article>, Range<usize>, String),
    Problem(Problem),
}

/// Gives each article its body, in file order, and reports those with
/// neither title nor text.
fn finish(entries: Vec<Entry>, bodies: Vec<String>) -> FileContents {
    let mut out = FileContents::default();
    for (entry, body) in entries.into_iter().zip(bodies) {
        match entry {
            Entry::Article(mut article, _, newid) => {
                article.body = body;
                if article.title.is_none() && article.body.is_empty() {
                    let message = format!("article `NEWID=\"{newid}\"` has no title and no text");
                    out.problems.push(Problem {
                        path: article.path.clone(),
                        line: article.line,
                        kind: ProblemKind::Empty,
                        message,
                    });
                } else {
                    out.articles.push(*article);
                }
            }
            Entry::Problem(problem) => out.problems.push(problem),
        }
    }
    out
}

/// Rebuilds the body at `body` over the text: piece by piece, cut after
/// empty lines (paragraphs never cross them, and entities hold no line
/// break), each decoded and normalised alone.
fn body_in_place(text: String, body: Range<usize>) -> String {
    let cuts = cuts_at_empty_lines(&text, body.clone());
    let mut out = InPlace::new(text);
    let mut scratch = String::new();
    let mut from = body.start;
    let mut empty = true;
    for cut in cuts {
        out.piece(from..cut, &mut scratch);
        from = cut;
        let lines: Vec<&str> = scratch.lines().collect();
        let decoded;
        let lines = if scratch.contains('&') {
            decoded = decode_entities(&scratch).into_owned();
            decoded.lines().collect()
        } else {
            lines
        };
        let joined = paragraphs_joined(&lines, Wrap::Hard);
        if joined.is_empty() {
            continue;
        }
        if !empty {
            out.push("\n\n");
        }
        empty = false;
        out.push(&joined);
    }
    let mut joined = out.finish();
    drop_signoff(&mut joined);
    joined
}

/// Finds the articles of a Reuters SGML file, their bodies left as spans.
fn entries(source: &Source<'_>, text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let lines = LineIndex::new(text);
    let mut seen_ids = HashSet::new();
    let mut pos = 0;
    let mut found = false;
    let problem =
        |line, kind, message: String| Entry::Problem(source.problem(Some(line), kind, message));
    while let Some(start) = find_open(text, "REUTERS", pos) {
        found = true;
        let line = lines.line_of(start);
        let next_open = find_open(text, "REUTERS", start + 1);
        let close = text[start..].find("</REUTERS>").map(|at| start + at);
        let (Some(close), Some(tag_end)) = (close, text[start..].find('>').map(|at| start + at))
        else {
            out.push(problem(
                line,
                ProblemKind::Malformed,
                "`<REUTERS>` is never closed".to_string(),
            ));
            pos = next_open.unwrap_or(text.len());
            continue;
        };
        if next_open.is_some_and(|next| next < close) || tag_end > close {
            out.push(problem(
                line,
                ProblemKind::Malformed,
                "`<REUTERS>` is not closed before the next `<REUTERS>`".to_string(),
            ));
            pos = next_open.unwrap_or(text.len());
            continue;
        }
        pos = close + "</REUTERS>".len();
        let Some(newid) = attribute(&text[start..tag_end], "NEWID") else {
            out.push(problem(
                line,
                ProblemKind::Malformed,
                "`<REUTERS>` without a `NEWID`".to_string(),
            ));
            continue;
        };
        if !seen_ids.insert(newid.to_string()) {
            let message = format!("duplicate `NEWID=\"{newid}\"`");
            out.push(problem(line, ProblemKind::Malformed, message));
            continue;
        }
        let content = &text[tag_end + 1..close];
        match article(source, newid, line, content) {
            Ok((article, body)) => {
                // `body` is a slice of `text`.
                let offset = (body.as_ptr() as usize)
                    .checked_sub(text.as_ptr() as usize)
                    .filter(|offset| offset + body.len() <= text.len())
                    .unwrap_or(text.len());
                out.push(Entry::Article(
                    Box::new(article),
                    offset..offset + body.len().min(text.len() - offset),
                    newid.to_string(),
                ));
            }
            Err((offset, message)) => {
                let at = lines.line_of(tag_end + 1 + offset);
                out.push(problem(at, ProblemKind::Malformed, message));
            }
        }
    }
    if !found {
        out.push(Entry::Problem(source.problem(
            None,
            ProblemKind::NotArticle,
            "no `<REUTERS>` articles",
        )));
    }
    out
}

/// Builds one article but its body, given as the slice of `content` it is
/// made from; `Err` with the byte offset of an unclosed tag.
fn article<'a>(
    source: &Source<'_>,
    newid: &str,
    line: usize,
    content: &'a str,
) -> Result<(crate::article::Article, &'a str), (usize, String)> {
    let mut article = source.article(format!("{}#{newid}", source.id), Some(line));
    article.source = Some("Reuters".to_string());
    if let Some(date) = element(content, "DATE")? {
        let raw = collapse_whitespace(&decode_entities(date.inner));
        article.published = parse_reuters_date(&raw);
        article.published_raw = Some(raw).filter(|raw| !raw.is_empty());
    }
    article.given_locations = codes(element(content, "PLACES")?.map(|e| e.inner));
    article.given_organizations = codes(element(content, "ORGS")?.map(|e| e.inner));
    let Some(text) = element(content, "TEXT")? else {
        return Ok((article, &content[content.len()..]));
    };
    let inner = text.inner;
    // Errors inside `<TEXT>` are at offsets of its inner text.
    let inner_offset = inner.as_ptr() as usize - content.as_ptr() as usize;
    let in_text =
        |name: &str| element(inner, name).map_err(|(at, message)| (inner_offset + at, message));
    let body = if attribute(text.tag, "TYPE").is_some_and(|t| t.eq_ignore_ascii_case("UNPROC")) {
        inner
    } else {
        article.title = in_text("TITLE")?.and_then(|e| non_blank(&decode_entities(e.inner)));
        let dateline = in_text("DATELINE")?.map(|e| decode_entities(e.inner));
        article.dateline = dateline.as_deref().and_then(place);
        // The whole line too: the state or country after the place tells
        // which city it is ("CAMBRIDGE, Mass., March 3 -").
        article.dateline_line = dateline
            .as_deref()
            .map(collapse_whitespace)
            .filter(|_| article.dateline.is_some());
        in_text("BODY")?.map_or(&inner[inner.len()..], |e| e.inner)
    };
    Ok((article, body))
}

/// Normalises a hard-wrapped Reuters body and drops the sign-off line.
fn normalise_body(body: &str) -> String {
    let mut lines: Vec<&str> = body.lines().collect();
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    let mut joined = paragraphs_joined(&lines, Wrap::Hard);
    drop(lines);
    drop_signoff(&mut joined);
    joined
}

/// Drops the wire's sign-off line from the end of a normalised body.
fn drop_signoff(joined: &mut String) {
    // The last paragraph starts after the last blank line the join put in.
    let start = joined.rfind("\n\n").map_or(0, |at| at + 2);
    let last = &joined[start..];
    // ` Reuter`, `REUTER...`, `REUTER^M`: the wire's sign-off, not text.
    let bare = last
        .trim_end_matches(['.', ' '])
        .trim_end_matches("^M")
        .trim_end_matches(['.', ' ']);
    // Only the paragraph's end can be a sign-off: a huge last paragraph
    // is not lower-cased whole.
    let mut from = bare.len().saturating_sub(64);
    while !bare.is_char_boundary(from) {
        from -= 1;
    }
    let lower = bare[from..].to_ascii_lowercase();
    let signoff = ["reuter", "reuters"]
        .iter()
        .find_map(|word| lower.strip_suffix(word).map(|rest| from + rest.len()));
    if let Some(keep) = signoff
        && (keep == 0
            || lower[..keep - from]
                .trim_end()
                .ends_with(['.', '!', '?', '"'])
                && lower[..keep - from].ends_with(' '))
    {
        let kept = joined[start..start + keep].trim_end().len();
        if kept == 0 {
            // The sign-off was a paragraph of its own: it goes with the
            // blank line before it.
            joined.truncate(start.saturating_sub(2));
        } else {
            joined.truncate(start + kept);
        }
    }
}

/// The place of a `<DATELINE>` such as `    SALVADOR, Feb 26 - `.
fn place(dateline: &str) -> Option<String> {
    let text = dateline.trim().trim_end_matches(['-', ' ']);
    let place = match text.find(',') {
        Some(comma) => &text[..comma],
        None => text,
    };
    // Some `<DATELINE>`s hold only a date or table debris (`Mar  --- ---`).
    let first_word = place.split_whitespace().next().unwrap_or("");
    if month_number(first_word).is_some() || place.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    non_blank(place)
}

/// The `<D>` codes of a `<PLACES>` or `<ORGS>` element, `-` as spaces.
fn codes(inner: Option<&str>) -> Vec<String> {
    let Some(mut rest) = inner else {
        return Vec::new();
    };
    let mut codes = Vec::new();
    while let Some(open) = rest.find("<D>") {
        rest = &rest[open + 3..];
        let end = rest.find("</D>").unwrap_or(rest.len());
        if let Some(code) = non_blank(&decode_entities(&rest[..end]).replace('-', " ")) {
            codes.push(code);
        }
        rest = &rest[end..];
    }
    codes
}

/// Parses the `26-FEB-1987` part of a Reuters `<DATE>`
/// (`26-FEB-1987 15:01:01.79`); the time and any junk after it are ignored.
fn parse_reuters_date(raw: &str) -> Option<Date> {
    let first = raw.split_whitespace().next()?;
    let mut parts = first.split('-');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? + 1;
    Date::new(
        year.parse().ok()?,
        i8::try_from(month).ok()?,
        day.parse().ok()?,
    )
}

/// An element found inside an article.
struct Element<'a> {
    /// The open tag's attributes text.
    tag: &'a str,
    inner: &'a str,
}

/// Finds the first `<NAME ...>...</NAME>`; `Err` with the offset of an open
/// tag that is never closed.
fn element<'a>(text: &'a str, name: &str) -> Result<Option<Element<'a>>, (usize, String)> {
    let Some(start) = find_open(text, name, 0) else {
        return Ok(None);
    };
    let unclosed = || (start, format!("`<{name}>` is never closed"));
    let tag_end = text[start..]
        .find('>')
        .map(|at| start + at)
        .ok_or_else(unclosed)?;
    let close_tag = format!("</{name}>");
    let close = text[tag_end..]
        .find(&close_tag)
        .map(|at| tag_end + at)
        .ok_or_else(unclosed)?;
    Ok(Some(Element {
        tag: &text[start + 1 + name.len()..tag_end],
        inner: &text[tag_end + 1..close],
    }))
}

/// Finds `<NAME` followed by `>` or whitespace, from `from` on.
fn find_open(text: &str, name: &str, from: usize) -> Option<usize> {
    let mut pos = from;
    while let Some(at) = text.get(pos..)?.find('<') {
        let start = pos + at;
        let after = &text[start + 1..];
        if let Some(rest) = after.strip_prefix(name)
            && rest.starts_with(|c: char| c == '>' || c.is_whitespace())
        {
            return Some(start);
        }
        pos = start + 1;
    }
    None
}

/// The value of `NAME="value"` in an open tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before_ok = rest[..at].ends_with(|c: char| c.is_whitespace());
        let after = rest[at + name.len()..].trim_start();
        if before_ok && let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            return match value.strip_prefix('"') {
                Some(quoted) => quoted.find('"').map(|end| &quoted[..end]),
                None => value.split(|c: char| c.is_whitespace() || c == '>').next(),
            };
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// Decodes SGML character entities; control characters become spaces and
/// unknown entities are left as written.
fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        // Most text has none: a huge body is not copied for nothing.
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // `;` is ASCII, so a byte search keeps slicing on character boundaries.
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(if c.is_control() && c != '\n' && c != '\t' {
                    ' '
                } else {
                    c
                });
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Maps byte offsets to 1-based line numbers.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn read_sgm(text: &str) -> FileContents {
        read(
            &Source {
                path: Path::new("reut/r.sgm"),
                id: "reut/r.sgm".to_string(),
            },
            text,
        )
    }

    const ONE: &str = r#"<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" NEWID="7">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<PLACES><D>west-germany</D><D>usa</D></PLACES>
<ORGS><D>ec</D></ORGS>
<TEXT>&#2;
<TITLE>BONN &amp; PARIS AGREE &lt;TALKS></TITLE>
<DATELINE>    PORTLAND, Ore., Feb 26 - </DATELINE><BODY>Talks will continue next
week, officials said on Thursday in a
statement.
    A second paragraph starts
here and ends here.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
"#;

    fn read_sgm_owned(text: &str) -> FileContents {
        read_owned(
            &Source {
                path: Path::new("reut/r.sgm"),
                id: "reut/r.sgm".to_string(),
            },
            text.to_string(),
        )
    }

    #[test]
    fn a_body_rebuilt_in_the_files_buffer_equals_the_one_built_apart() {
        let mut texts = vec![ONE.to_string()];
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        for folder in [
            "sample-corpus/reuters",
            "tests/fixtures/formats",
            "tests/fixtures/awkward",
        ] {
            for entry in std::fs::read_dir(dir.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "sgm")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    texts.push(text);
                }
            }
        }
        // A body of several pieces: hard-wrapped paragraphs with indented
        // starts, empty lines, entities (one a line break) and a sign-off,
        // between two small articles.
        let mut long = String::from(ONE);
        long.push_str("<REUTERS NEWID=\"8\"><TEXT><TITLE>BIG &amp; LONG</TITLE><BODY>");
        let mut n = 0;
        while long.len() < 3 * super::super::in_place::PIECE {
            long.push_str(&format!(
                "Report {n} &lt;one&gt; was\nwrapped here.\n    Next &#10;&#10;start {n}.\n\n\n  \n"
            ));
            n += 1;
        }
        long.push_str("Last &amp; final.\n Reuter\n&#3;</BODY></TEXT></REUTERS>\n");
        long.push_str(ONE.replace("NEWID=\"7\"", "NEWID=\"9\"").as_str());
        long.push_str("<REUTERS NEWID=\"10\"><TEXT><BODY> </BODY></TEXT></REUTERS>\n");
        texts.push(long);
        for text in &texts {
            assert_eq!(read_sgm_owned(text), read_sgm(text), "{text:.200}");
        }
        let out = read_sgm_owned(&texts[texts.len() - 1]);
        assert_eq!(out.articles.len(), 3);
        assert!(out.articles[1].body.ends_with("Last & final."));
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    }

    #[test]
    fn a_reuters_article_gives_all_its_fields() {
        let out = read_sgm(ONE);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let a = &out.articles[0];
        assert_eq!(a.id, "reut/r.sgm#7");
        assert_eq!(a.line, Some(2));
        assert_eq!(a.title.as_deref(), Some("BONN & PARIS AGREE <TALKS>"));
        assert_eq!(a.dateline.as_deref(), Some("PORTLAND"));
        // The whole line, whose state tells which Portland.
        assert_eq!(a.dateline_line.as_deref(), Some("PORTLAND, Ore., Feb 26 -"));
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("1987-02-26")
        );
        assert_eq!(a.published_raw.as_deref(), Some("26-FEB-1987 15:01:01.79"));
        assert_eq!(a.given_locations, ["west germany", "usa"]);
        assert_eq!(a.given_organizations, ["ec"]);
        assert_eq!(a.source.as_deref(), Some("Reuters"));
        assert_eq!(
            a.body,
            "Talks will continue next week, officials said on Thursday in a statement.\n\n\
             A second paragraph starts here and ends here."
        );
    }

    #[test]
    fn a_malformed_date_is_kept_raw_and_parsed_when_its_date_part_is_good() {
        assert_eq!(
            parse_reuters_date("27-MAR-1987 00:02:59.13 RM")
                .map(|d| d.to_string())
                .as_deref(),
            Some("1987-03-27")
        );
        assert_eq!(
            parse_reuters_date("3-APR-1987  07:09:06.48")
                .map(|d| d.to_string())
                .as_deref(),
            Some("1987-04-03")
        );
        assert_eq!(parse_reuters_date("31-FEB-1987"), None);
        assert_eq!(parse_reuters_date("garbage"), None);
        let out = read_sgm(&ONE.replace(
            "26-FEB-1987 15:01:01.79",
            "27-MAR-1987 00:02:59.13&#5;&#5;RM",
        ));
        assert_eq!(
            out.articles[0].published_raw.as_deref(),
            Some("27-MAR-1987 00:02:59.13 RM")
        );
    }

    #[test]
    fn a_brief_is_a_title_without_body() {
        let out = read_sgm(
            "<REUTERS NEWID=\"9\">\n<TEXT TYPE=\"BRIEF\">&#2;\n******<TITLE>HOME SALES FELL\n</TITLE>Blah blah blah.\n&#3;\n\n</TEXT>\n</REUTERS>\n",
        );
        let a = &out.articles[0];
        assert_eq!(a.title.as_deref(), Some("HOME SALES FELL"));
        assert_eq!(a.body, "");
    }

    #[test]
    fn unprocessed_text_is_the_body() {
        let out = read_sgm(
            "<REUTERS NEWID=\"10\">\n<TEXT TYPE=\"UNPROC\">&#2;\nCORRECTION - ITEM\n    In Torrance, please read\n24.7 mln.\n REUTER^M\n&#3;\n</TEXT>\n</REUTERS>\n",
        );
        let a = &out.articles[0];
        assert_eq!(a.title, None);
        assert_eq!(
            a.body,
            "CORRECTION - ITEM\n\nIn Torrance, please read 24.7 mln."
        );
    }

    #[test]
    fn an_article_without_title_or_text_is_empty_with_its_line() {
        let out = read_sgm(&format!(
            "{ONE}<REUTERS NEWID=\"12793\">\n<TEXT TYPE=\"UNPROC\">&#2;\n&#3;\n\n</TEXT>\n</REUTERS>\n"
        ));
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(out.problems[0].kind, ProblemKind::Empty);
        assert_eq!(out.problems[0].line, Some(16));
        assert!(out.problems[0].message.contains("12793"));
    }

    #[test]
    fn an_unclosed_article_is_malformed_and_the_others_are_kept() {
        let broken = "<REUTERS NEWID=\"8\">\n<TEXT><TITLE>LOST</TITLE><BODY>cut off\n";
        let out = read_sgm(&format!("{broken}{ONE}"));
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].id, "reut/r.sgm#7");
        assert_eq!(out.problems[0].kind, ProblemKind::Malformed);
        assert_eq!(out.problems[0].line, Some(1));
        let out = read_sgm(&format!("{ONE}{broken}"));
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.problems[0].line, Some(16));
    }

    #[test]
    fn an_unclosed_tag_inside_an_article_is_malformed_at_its_line() {
        let out = read_sgm(&ONE.replace("</BODY>", ""));
        assert_eq!(out.problems[0].kind, ProblemKind::Malformed);
        assert_eq!(out.problems[0].message, "`<BODY>` is never closed");
        assert_eq!(out.problems[0].line, Some(8));
    }

    #[test]
    fn duplicate_or_missing_newids_are_malformed() {
        let out = read_sgm(&format!("{ONE}{ONE}"));
        assert_eq!(out.articles.len(), 1);
        assert!(out.problems[0].message.starts_with("duplicate"));
        let out = read_sgm(&ONE.replace(" NEWID=\"7\"", ""));
        assert_eq!(out.problems[0].kind, ProblemKind::Malformed);
    }

    #[test]
    fn sgml_without_reuters_articles_is_not_an_article() {
        let out = read_sgm("<doc><p>hello</p></doc>");
        assert_eq!(out.problems[0].kind, ProblemKind::NotArticle);
    }

    #[test]
    fn entities_are_decoded_and_controls_become_spaces() {
        assert_eq!(
            decode_entities("a&lt;b&gt;&amp;&quot;&#65;&#x42;&#3;c &bogus; & x"),
            "a<b>&\"AB c &bogus; & x"
        );
        assert_eq!(decode_entities("&#99999999999;&"), "&#99999999999;&");
        assert_eq!(decode_entities("&ééééééé;"), "&ééééééé;");
    }

    #[test]
    fn a_dateline_without_a_place_gives_none() {
        assert_eq!(
            place("    SALVADOR, Feb 26 - ").as_deref(),
            Some("SALVADOR")
        );
        assert_eq!(place("    April 7 - "), None);
        assert_eq!(place(" Mar       ---    ---    ---"), None);
        assert_eq!(place(" May  152.8  152.8     ---   "), None);
    }

    #[test]
    fn signoff_variants_are_dropped() {
        assert_eq!(normalise_body("Text here.\n REUTER...\n"), "Text here.");
        assert_eq!(normalise_body("Text here.\n reuter\n"), "Text here.");
        assert_eq!(
            normalise_body("Profit nil.\n    NIL. REUTER\n"),
            "Profit nil.\n\nNIL."
        );
        assert_eq!(normalise_body("Text here.\nReuter\n"), "Text here.");
        // The agency named in a sentence is text, not a sign-off.
        assert_eq!(
            normalise_body("Shareholders of Reuters\n"),
            "Shareholders of Reuters"
        );
    }
}
