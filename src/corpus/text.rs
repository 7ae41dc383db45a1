//! Plain text articles, and the paragraph normalisation every reader shares.
//!
//! A plain text article is: the headline on the first non-blank line, an
//! optional dateline line (`ANKARA`), then the body. YAML front matter
//! (`---` ... `---`) is allowed before it, as in Markdown, and then a `title`
//! key replaces the headline line.

use std::ops::Range;

use super::markdown;
use super::{FileContents, ProblemKind, Source, collapse_whitespace, dateline};

/// A first line longer than this is a paragraph, not a headline.
const MAX_HEADLINE_CHARS: usize = 300;

/// How lines inside a block (between blank lines) become paragraphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wrap {
    /// Decide from the text itself (see [`is_hard_wrapped`]).
    Detect,
    /// The text is hard-wrapped: join lines, start paragraphs at indents.
    Hard,
}

/// Normalises lines of text into paragraphs.
///
/// A blank line always ends a paragraph. Inside a block of non-blank lines,
/// each line is a paragraph, unless the text is hard-wrapped: then a line
/// indented more than the block's least indented line starts a paragraph and
/// the other lines are joined with a space; a list item line (`- item`)
/// always starts a paragraph. Whitespace inside a paragraph is
/// collapsed to single spaces.
///
/// The paragraphs are joined with a blank line between them and built as
/// one string: a huge body is not also held as a list of its paragraphs.
pub(crate) fn paragraphs_joined(lines: &[&str], wrap: Wrap) -> String {
    let mut out = String::with_capacity(lines.iter().map(|line| line.len() + 1).sum());
    for_each_paragraph(lines, wrap, &mut |paragraph| {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(paragraph);
    });
    out
}

/// Calls `visit` with each non-empty paragraph of [`paragraphs_joined`], in order,
/// without collecting them: a body of hundreds of megabytes is then built
/// once rather than as paragraphs and again as their join.
fn for_each_paragraph(lines: &[&str], wrap: Wrap, visit: &mut dyn FnMut(&str)) {
    let blocks: Vec<&[&str]> = lines
        .split(|line| line.trim().is_empty())
        .filter(|block| !block.is_empty())
        .collect();
    let hard = match wrap {
        Wrap::Hard => true,
        Wrap::Detect => is_hard_wrapped(&blocks),
    };
    let mut current = String::with_capacity(1024);
    let mut flush = |current: &mut String| {
        if !current.is_empty() {
            visit(current);
            current.clear();
        }
    };
    for block in blocks {
        if !hard {
            for line in block {
                push_words(&mut current, line);
                flush(&mut current);
            }
            continue;
        }
        let least = block.iter().map(|line| indent(line)).min().unwrap_or(0);
        for line in block {
            if indent(line) > least || is_bullet(line) {
                flush(&mut current);
            }
            push_words(&mut current, line);
        }
        flush(&mut current);
    }
}

/// Appends a line's words to a paragraph, one space between words.
fn push_words(paragraph: &mut String, line: &str) {
    super::for_each_word(line, |word| {
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(word);
    });
}

/// Says whether a text is hard-wrapped: of the lines followed by another
/// line in the same block (the lines a wrap would have broken), more than
/// half are under 80 characters and at least half do not end a sentence.
/// Text with one paragraph per line fails the second test; text whose
/// paragraphs are separated by blank lines and never wrapped has no such
/// lines at all.
fn is_hard_wrapped(blocks: &[&[&str]]) -> bool {
    let (mut total, mut short, mut open) = (0usize, 0usize, 0usize);
    for block in blocks {
        for line in &block[..block.len() - 1] {
            let line = line.trim_end();
            total += 1;
            if line.chars().count() < 80 {
                short += 1;
            }
            if !ends_sentence(line) {
                open += 1;
            }
        }
    }
    total > 0 && short * 2 > total && open * 2 >= total
}

/// A list item line (`- `, `* `, `• `): it starts a paragraph even in
/// hard-wrapped text.
fn is_bullet(line: &str) -> bool {
    let line = line.trim_start();
    ["- ", "* ", "• ", "– "]
        .iter()
        .any(|bullet| line.starts_with(bullet))
}

fn ends_sentence(line: &str) -> bool {
    line.ends_with(['.', '!', '?', ':', '"', '”', '’', '\'', '»', '…'])
}

fn indent(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// Says whether a text reads as prose: at least 30% of its non-empty lines
/// have six or more words, or those lines hold at least 60% of all words.
/// Word lists, tables and code lists fail both; the second test keeps news
/// stories that end in a long list of fixtures or results (`Mauritius v
/// Madagascar`), whose few paragraphs carry most of the words.
pub(crate) fn has_prose(lines: &[&str]) -> bool {
    let (mut lines_total, mut prose_lines, mut words, mut prose_words) =
        (0usize, 0usize, 0usize, 0usize);
    for line in lines {
        let mut count = 0;
        super::for_each_word(line, |_| count += 1);
        if count == 0 {
            continue;
        }
        lines_total += 1;
        words += count;
        if count >= 6 {
            prose_lines += 1;
            prose_words += count;
        }
    }
    lines_total > 0 && (prose_lines * 10 >= lines_total * 3 || prose_words * 10 >= words * 6)
}

/// Reads a plain text article.
// Borrowed: the tests' oracle for the owned reader.
#[cfg(test)]
pub(super) fn read(source: &Source<'_>, text: &str) -> FileContents {
    let (mut out, slice) = read_in(source, text);
    if let (Some(range), Some(article)) = (slice, out.articles.first_mut()) {
        article.body = text[range].to_string();
    }
    out
}

/// Reads a plain text article from text it is given to keep: a body the
/// text already holds as it would be normalised (a slice of it) is cut out
/// of the text's own buffer, not copied, so a huge file is not held twice.
pub(super) fn read_owned(source: &Source<'_>, text: String) -> FileContents {
    let (mut out, slice) = read_in(source, &text);
    if let (Some(range), Some(article)) = (slice, out.articles.first_mut()) {
        let mut text = text;
        text.truncate(range.end);
        text.drain(..range.start);
        article.body = text;
    }
    out
}

/// Reads a plain text article; when its body is the slice of `text`
/// returned, the article's body is left for the caller to fill.
fn read_in(source: &Source<'_>, text: &str) -> (FileContents, Option<Range<usize>>) {
    let mut out = FileContents::default();
    let (meta, body_text) = match markdown::front_matter(text) {
        Ok(Some((meta, rest))) => (Some(meta), rest),
        Ok(None) => (None, text),
        Err((line, message)) => {
            out.problems
                .push(source.problem(Some(line), ProblemKind::Malformed, message));
            return (out, None);
        }
    };
    let lines: Vec<&str> = body_text.split('\n').collect();
    // Front matter says the author meant an article; only bare text is sniffed.
    if meta.is_none() && !has_prose(&lines) {
        out.problems.push(source.problem(
            None,
            ProblemKind::NotArticle,
            "no prose (fewer than 30% of the lines have six or more words)",
        ));
        return (out, None);
    }
    let mut article = source.article(source.id.clone(), None);
    let mut rest = skip_blank(&lines);
    let given_title = meta.as_ref().and_then(|meta| meta.title.clone());
    if given_title.is_some() {
        article.title = given_title;
    } else if let Some((first, after)) = rest.split_first()
        && first.chars().count() <= MAX_HEADLINE_CHARS
    {
        article.title = Some(collapse_whitespace(first));
        rest = skip_blank(after);
    }
    let body = body_and_dateline_in(Some(text), rest, Wrap::Detect);
    (article.dateline, article.dateline_line) = (body.dateline, body.dateline_line);
    let (slice, empty) = match body.text {
        BodyText::Slice(range) => (Some(range.clone()), range.is_empty()),
        BodyText::Owned(owned) => {
            article.body = owned;
            (None, article.body.is_empty())
        }
    };
    if let Some(meta) = meta {
        meta.apply(&mut article);
    }
    if article.title.is_none() && empty {
        out.problems
            .push(source.problem(None, ProblemKind::Empty, "no article text"));
        return (out, None);
    }
    out.articles.push(article);
    (out, slice)
}

/// A normalised body and the dateline found in it.
pub(crate) struct Body {
    pub text: String,
    /// The dateline's place as written (`NAIROBI`).
    pub dateline: Option<String>,
    /// A dateline line taken out of the body, whole (`NAIROBI 2024-03-05`),
    /// so that its date is not lost.
    pub dateline_line: Option<String>,
}

/// Normalises body lines into a body, taking out a dateline that stands on
/// the first line and recognising one that leads the first paragraph.
#[cfg(test)]
pub(crate) fn body_and_dateline(lines: &[&str], wrap: Wrap) -> Body {
    let body = body_and_dateline_in(None, lines, wrap);
    Body {
        text: match body.text {
            BodyText::Owned(text) => text,
            BodyText::Slice(_) => String::new(),
        },
        dateline: body.dateline,
        dateline_line: body.dateline_line,
    }
}

/// The body and dateline of a body given whole, split into lines here: a
/// body already in normal form is cut out of `text`'s own buffer rather
/// than copied, so a huge body is not held twice.
pub(crate) fn body_and_dateline_owned(text: String, wrap: Wrap) -> Body {
    let (body, range) = {
        let lines: Vec<&str> = text.split('\n').collect();
        let body = body_and_dateline_in(Some(&text), &lines, wrap);
        match body.text {
            BodyText::Slice(range) => (
                Body {
                    text: String::new(),
                    dateline: body.dateline,
                    dateline_line: body.dateline_line,
                },
                Some(range),
            ),
            BodyText::Owned(owned) => (
                Body {
                    text: owned,
                    dateline: body.dateline,
                    dateline_line: body.dateline_line,
                },
                None,
            ),
        }
    };
    match range {
        Some(range) => {
            let mut text = text;
            text.truncate(range.end);
            text.drain(..range.start);
            Body { text, ..body }
        }
        None => body,
    }
}

/// A body being built: while it is a slice of the text its lines come
/// from, only the slice's range; a copy from the first difference on.
enum BodyText {
    Slice(Range<usize>),
    Owned(String),
}

impl BodyText {
    fn push(&mut self, within: Option<&str>, piece: &str) {
        match self {
            BodyText::Owned(text) => text.push_str(piece),
            BodyText::Slice(range) => {
                let bytes = within.map(str::as_bytes).unwrap_or_default();
                if bytes.get(range.end..range.end + piece.len()) == Some(piece.as_bytes()) {
                    range.end += piece.len();
                } else {
                    let mut text = within
                        .and_then(|w| w.get(range.clone()))
                        .unwrap_or_default()
                        .to_string();
                    text.push_str(piece);
                    *self = BodyText::Owned(text);
                }
            }
        }
    }
}

/// A normalised body as [`BodyText`]: a slice of `within` when
/// `lines` are slices of it and the body is written there as it is.
struct BodyIn {
    text: BodyText,
    dateline: Option<String>,
    dateline_line: Option<String>,
}

fn body_and_dateline_in(within: Option<&str>, lines: &[&str], wrap: Wrap) -> BodyIn {
    let mut lines = skip_blank(lines);
    let mut place = None;
    let mut dateline_line = None;
    if let Some((first, after)) = lines.split_first()
        && !after.iter().all(|line| line.trim().is_empty())
        && let Some(found) = dateline::standalone(first)
    {
        place = Some(found.to_string());
        dateline_line = Some(collapse_whitespace(first));
        lines = after;
    }
    // Where the body would start in `within`: at the first word.
    let start = match (within, skip_blank(lines).first()) {
        (Some(within), Some(line)) => {
            let offset = (line.as_ptr() as usize).wrapping_sub(within.as_ptr() as usize);
            let word = line.len() - line.trim_start().len();
            Some(offset + word).filter(|&start| start <= within.len())
        }
        _ => None,
    };
    let mut text = match start {
        Some(start) => BodyText::Slice(start..start),
        // Room for the whole body up front: growing by doubling cost
        // more than filling it.
        None => BodyText::Owned(String::with_capacity(
            lines.iter().map(|line| line.len() + 1).sum(),
        )),
    };
    let mut first = true;
    for_each_paragraph(lines, wrap, &mut |paragraph| {
        if first {
            first = false;
            if place.is_none() {
                place = dateline::leading(paragraph).map(str::to_string);
            }
        } else {
            text.push(within, "\n\n");
        }
        text.push(within, paragraph);
    });
    BodyIn {
        text,
        dateline: place,
        dateline_line,
    }
}

fn skip_blank<'a, 'b>(lines: &'a [&'b str]) -> &'a [&'b str] {
    let start = lines
        .iter()
        .position(|line| !line.trim().is_empty())
        .unwrap_or(lines.len());
    &lines[start..]
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::article::Article;

    fn read_text(text: &str) -> FileContents {
        let path = Path::new("dir/story.txt");
        read(
            &Source {
                path,
                id: "dir/story.txt".to_string(),
            },
            text,
        )
    }

    #[test]
    fn a_body_cut_from_the_files_own_buffer_equals_one_built_as_a_copy() {
        let texts = [
            "Headline\n\nFirst paragraph here.\n\nSecond one.\n",
            "Headline\n\nFirst paragraph here.\n\nSecond one.",
            "  Headline\n\n  Indented first.\n\n\n\nMany blank lines.\n",
            "Headline\nLine one of prose with words.\nLine two of prose with words.\n",
            "Headline\r\n\r\nWindows line ends here.\r\n\r\nAnd here.\r\n",
            "Headline\n\nDouble  spaced   words.\n\nTail.\n",
            "---\ntitle: Given\n---\nBody under front matter.\n\nMore text.\n",
            "ACCRA\n\nA dateline line, then the body.\n\nMore.\n",
            "Headline\n\nCôte d'Ivoire et São Tomé.\n\nFin.",
            "Headline only",
            "Headline\n\n\n",
        ];
        let source = Source {
            path: Path::new("dir/story.txt"),
            id: "dir/story.txt".to_string(),
        };
        for text in texts {
            let copied = read(&source, text);
            let owned = read_owned(&source, text.to_string());
            assert_eq!(copied.articles, owned.articles, "{text:?}");
            assert_eq!(copied.problems.len(), owned.problems.len(), "{text:?}");
        }
    }

    /// The body [`body_and_dateline_in`] builds from `text`'s lines, as a
    /// slice of `text` where it can be.
    fn body_within(text: &str) -> String {
        let lines: Vec<&str> = text.split('\n').collect();
        match body_and_dateline_in(Some(text), &lines, Wrap::Detect).text {
            BodyText::Slice(range) => text[range].to_string(),
            BodyText::Owned(body) => body,
        }
    }

    #[test]
    fn a_body_already_normal_in_the_text_is_a_slice_of_it() {
        let text = "NAIROBI\n\nFirst paragraph here.\n\nSecond one.\n";
        let lines: Vec<&str> = text.split('\n').collect();
        let body = body_and_dateline_in(Some(text), &lines, Wrap::Detect);
        assert!(matches!(body.text, BodyText::Slice(_)));
        assert_eq!(body_within(text), "First paragraph here.\n\nSecond one.");
    }

    proptest::proptest! {
        #[test]
        fn a_body_sliced_from_its_text_equals_the_body_built_as_a_copy(
            text in "([a-zA-Zé .]{0,12}[ \t\r\n]{0,3}){0,30}",
        ) {
            let lines: Vec<&str> = text.split('\n').collect();
            proptest::prop_assert_eq!(
                body_within(&text),
                body_and_dateline(&lines, Wrap::Detect).text
            );
        }
    }

    fn article(text: &str) -> Article {
        let contents = read_text(text);
        assert!(contents.problems.is_empty(), "{:?}", contents.problems);
        contents.articles.into_iter().next().expect("one article")
    }

    const PROSE: &str = "The committee met on Tuesday to discuss the budget for next year.";

    #[test]
    fn first_line_is_the_headline_and_blank_lines_separate_paragraphs() {
        let a = article(&format!(
            "Budget talks stall\n\n{PROSE}\n\nA second paragraph has several words in it.\n"
        ));
        assert_eq!(a.title.as_deref(), Some("Budget talks stall"));
        assert_eq!(
            a.body,
            format!("{PROSE}\n\nA second paragraph has several words in it.")
        );
        assert_eq!(a.id, "dir/story.txt");
        assert_eq!(a.dateline, None);
    }

    #[test]
    fn a_capitalised_line_after_the_headline_is_the_dateline_and_not_body() {
        let a = article(&format!(
            "Budget talks stall\nANKARA\n{PROSE}\nThe second paragraph is also a full line of text.\n"
        ));
        assert_eq!(a.dateline.as_deref(), Some("ANKARA"));
        assert_eq!(
            a.body,
            format!("{PROSE}\n\nThe second paragraph is also a full line of text.")
        );
    }

    #[test]
    fn a_dateline_with_a_date_on_its_own_line_keeps_only_the_place() {
        let a = article(&format!(
            "Budget talks stall\n\nNAIROBI, March 3\n\n{PROSE}\n"
        ));
        assert_eq!(a.dateline.as_deref(), Some("NAIROBI"));
        assert_eq!(a.dateline_line.as_deref(), Some("NAIROBI, March 3"));
        assert_eq!(a.body, PROSE);
    }

    #[test]
    fn a_dateline_leading_the_first_paragraph_stays_in_the_body() {
        let first = "LONDON, March 3 (Reuters) - The pound fell against the dollar on Monday.";
        let a = article(&format!("Pound falls\n\n{first}\n"));
        assert_eq!(a.dateline.as_deref(), Some("LONDON"));
        assert_eq!(a.body, first);
    }

    #[test]
    fn without_blank_lines_each_long_line_is_a_paragraph() {
        let a = article(&format!("Headline here\n{PROSE}\n{PROSE}\n"));
        assert_eq!(a.body, format!("{PROSE}\n\n{PROSE}"));
    }

    #[test]
    fn hard_wrapped_text_joins_lines_and_starts_paragraphs_at_indents() {
        let text = "Grain prices rise\n\
                    Wheat prices rose sharply on Monday as\n\
                    traders worried about the dry weather in\n\
                    the plains.\n    \
                    Corn followed, with futures up three\n\
                    cents in early trading.\n";
        let a = article(text);
        assert_eq!(
            a.body,
            "Wheat prices rose sharply on Monday as traders worried about the dry weather in the plains.\n\n\
             Corn followed, with futures up three cents in early trading."
        );
    }

    #[test]
    fn hard_wrapped_paragraphs_separated_by_blank_lines_are_joined() {
        let text = "Grain prices rise\n\nWheat prices rose sharply on Monday as\ntraders worried about the weather.\n\n\
                    Corn followed, with futures up three\ncents in early trading today.\n";
        let a = article(text);
        assert_eq!(
            a.body,
            "Wheat prices rose sharply on Monday as traders worried about the weather.\n\n\
             Corn followed, with futures up three cents in early trading today."
        );
    }

    #[test]
    fn list_items_stay_separate_paragraphs() {
        let text = format!(
            "Headline\n\n{PROSE}\n\n{PROSE}\n\nThe firms had:\n\n - raised prices \n - cut jobs \n - hidden losses.\n"
        );
        let a = article(&text);
        assert_eq!(
            a.body,
            format!(
                "{PROSE}\n\n{PROSE}\n\nThe firms had:\n\n- raised prices\n\n- cut jobs\n\n- hidden losses."
            )
        );
    }

    #[test]
    fn text_without_prose_is_not_an_article() {
        let contents = read_text("usa\nwest-germany\nfrance\nuk\njapan\n");
        assert_eq!(contents.problems[0].kind, ProblemKind::NotArticle);
        assert!(contents.problems[0].message.starts_with("no prose"));
    }

    #[test]
    fn a_very_long_first_line_is_body_not_headline() {
        let long = PROSE.repeat(6);
        let a = article(&long);
        assert_eq!(a.title, None);
        assert_eq!(a.body, long);
    }

    #[test]
    fn front_matter_in_a_text_file_gives_metadata_and_title() {
        let a = article(&format!(
            "---\ntitle: Given title\ndate: 2024-03-05\nlocations: [Ankara]\n---\n{PROSE}\n"
        ));
        assert_eq!(a.title.as_deref(), Some("Given title"));
        assert_eq!(a.body, PROSE);
        assert_eq!(
            a.published.map(|d| d.to_string()).as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(a.given_locations, ["Ankara"]);
    }

    #[test]
    fn the_seed_shape_reads_headline_dateline_and_line_paragraphs() {
        let a = article(
            "Minister accuses government of partnership with group\nANKARA\n\
             The UK announced Monday that the country is ending troop deployment.\n\
             “The group is linked to abuses,” the minister said in a statement.\n",
        );
        assert_eq!(a.dateline.as_deref(), Some("ANKARA"));
        assert_eq!(a.body.split("\n\n").count(), 2);
    }

    #[test]
    fn a_story_ending_in_a_list_of_fixtures_is_still_prose() {
        let long = PROSE.repeat(3);
        let lines = [
            long.as_str(),
            "Mali v Niger",
            "Chad v Togo",
            "Benin v Ghana",
            "Cuba v Peru",
        ];
        assert!(has_prose(&lines));
    }

    #[test]
    fn has_prose_needs_thirty_percent_long_lines_or_most_words_in_them() {
        assert!(has_prose(&["one two three four five six", "a", "b"]));
        assert!(!has_prose(&[
            "one two three four",
            "one two three four five six",
            "a",
            "b",
            "c"
        ]));
        assert!(!has_prose(&[]));
    }
}
