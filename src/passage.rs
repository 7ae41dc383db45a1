//! Splitting an article body into passages of whole sentences.
//!
//! Paragraphs (separated by blank lines) are the first unit. A long
//! paragraph is cut between sentences into windows of about
//! `target_chars`; short paragraphs, such as text with one sentence per
//! line, are joined with the following ones until they reach `min_chars`,
//! so a passage always carries enough context to be worth reading.

use serde::{Deserialize, Serialize};

use crate::schema::PassageSpec;

/// A stretch of an article body: half-open offsets in code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageSpan {
    /// Start, inclusive.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
}

/// A sentence or paragraph piece, in byte offsets, with whether it ends a paragraph.
struct Piece {
    start: usize,
    end: usize,
    ends_paragraph: bool,
}

/// Splits `body` into passages; offsets are code points into `body`.
///
/// Every non-blank character of the body lies in exactly one passage, and
/// passages never start or end inside a word.
pub fn split(body: &str, spec: &PassageSpec) -> Vec<PassageSpan> {
    let mut pieces = Vec::new();
    for (start, end) in paragraphs(body) {
        let sentences = sentences(body, start, end);
        let last = sentences.len().saturating_sub(1);
        for (i, (s, e)) in sentences.into_iter().enumerate() {
            cut_long(body, s, e, spec.max_chars, i == last, &mut pieces);
        }
    }

    let mut byte_spans: Vec<(usize, usize)> = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for piece in pieces {
        current = match current {
            None => Some((piece.start, piece.end)),
            Some((start, end)) => {
                if chars(body, start, piece.end) > spec.target_chars {
                    byte_spans.push((start, end));
                    Some((piece.start, piece.end))
                } else {
                    Some((start, piece.end))
                }
            }
        };
        if piece.ends_paragraph
            && let Some((start, end)) = current
            && chars(body, start, end) >= spec.min_chars
        {
            byte_spans.push((start, end));
            current = None;
        }
    }
    byte_spans.extend(current);

    let mut converter = CharOffsets::new(body);
    byte_spans
        .into_iter()
        .map(|(start, end)| PassageSpan {
            start: converter.at(start),
            end: converter.at(end),
        })
        .collect()
}

fn chars(body: &str, start: usize, end: usize) -> usize {
    body[start..end].chars().count()
}

/// Byte ranges of paragraphs, trimmed of surrounding whitespace.
fn paragraphs(body: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut last_content_end = 0;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(s) = start.take() {
                out.push((s, last_content_end));
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            if start.is_none() {
                start = Some(offset + lead);
            }
            last_content_end = offset + line.trim_end().len();
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push((s, last_content_end));
    }
    out
}

/// Byte ranges of the sentences in `body[start..end]`.
///
/// A sentence ends at `.`, `!` or `?` (plus closing quotes or brackets)
/// followed by whitespace and an uppercase letter, digit or opening quote,
/// unless the word before the stop is a known abbreviation or an initial.
fn sentences(body: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let text = &body[start..end];
    let mut out = Vec::new();
    let mut sentence_start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b'.' | b'!' | b'?') {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b')' | b']') {
                j += 1;
            }
            // Curly closing quotes are three bytes in UTF-8.
            while text[j..].starts_with('\u{201d}') || text[j..].starts_with('\u{2019}') {
                j += 3;
            }
            let gap_end = j + text[j..].len() - text[j..].trim_start().len();
            let next = text[gap_end..].chars().next();
            let boundary = gap_end > j
                && next.is_some_and(|n| {
                    n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '\u{201c}' | '\'')
                })
                && !(c == b'.' && is_abbreviation(&text[sentence_start..i]));
            if boundary {
                out.push((start + sentence_start, start + j));
                sentence_start = gap_end;
                i = gap_end;
                continue;
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    if sentence_start < text.len() {
        out.push((start + sentence_start, end));
    }
    out
}

/// True when the word ending `before` is an abbreviation or an initial,
/// whose full stop does not end a sentence.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let word = word.trim_start_matches(['"', '\'', '\u{201c}']);
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    // "U.S", "U.N" and similar dotted acronyms.
    if word.contains('.') && word.chars().filter(|c| c.is_alphabetic()).count() <= 4 {
        return true;
    }
    const ABBREVIATIONS: &[&str] = &[
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "Capt", "Gov", "Sen", "Rep",
        "St", "Jr", "Sr", "Inc", "Corp", "Co", "Ltd", "No", "vs", "Jan", "Feb", "Mar", "Apr",
        "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mt", "Ft", "approx", "e.g",
        "i.e", "etc",
    ];
    ABBREVIATIONS.contains(&word)
}

/// Pushes `[start, end)` as pieces no longer than `max_chars`, cut at whitespace.
fn cut_long(
    body: &str,
    mut start: usize,
    end: usize,
    max_chars: usize,
    ends_paragraph: bool,
    out: &mut Vec<Piece>,
) {
    while chars(body, start, end) > max_chars {
        let window_end = body[start..end]
            .char_indices()
            .nth(max_chars)
            .map_or(end, |(i, _)| start + i);
        let cut = body[start..window_end]
            .rfind(char::is_whitespace)
            .map(|i| start + i)
            .filter(|&cut| cut > start)
            .unwrap_or_else(|| {
                // One enormous word: cut after it rather than inside it.
                body[window_end..end]
                    .find(char::is_whitespace)
                    .map_or(end, |i| window_end + i)
            });
        if cut >= end {
            break;
        }
        out.push(Piece {
            start,
            end: cut,
            ends_paragraph: false,
        });
        start = cut + body[cut..end].len() - body[cut..end].trim_start().len();
    }
    if start < end {
        out.push(Piece {
            start,
            end,
            ends_paragraph,
        });
    }
}

/// Converts increasing byte offsets to code point offsets in one pass.
pub(crate) struct CharOffsets<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharOffsets<'a> {
    pub(crate) fn new(text: &'a str) -> CharOffsets<'a> {
        CharOffsets {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// Returns the code point offset of byte offset `byte`; calls must not go backwards.
    pub(crate) fn at(&mut self, byte: usize) -> usize {
        debug_assert!(
            byte >= self.byte,
            "CharOffsets::at must be called with increasing offsets"
        );
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Returns the byte offset of code point offset `char_offset` in `text`.
pub(crate) fn byte_offset(text: &str, char_offset: usize) -> usize {
    text.char_indices()
        .nth(char_offset)
        .map_or(text.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(target: usize, min: usize, max: usize) -> PassageSpec {
        PassageSpec {
            link: "block".into(),
            target_chars: target,
            min_chars: min,
            max_chars: max,
        }
    }

    fn texts(body: &str, spans: &[PassageSpan]) -> Vec<String> {
        spans
            .iter()
            .map(|s| body.chars().skip(s.start).take(s.end - s.start).collect())
            .collect()
    }

    #[test]
    fn each_long_enough_paragraph_is_its_own_passage() {
        let body = "First paragraph is long enough.\n\nSecond one is long enough too.";
        let spans = split(body, &spec(100, 10, 200));
        assert_eq!(
            texts(body, &spans),
            [
                "First paragraph is long enough.",
                "Second one is long enough too."
            ]
        );
    }

    #[test]
    fn one_sentence_per_line_paragraphs_are_joined_into_windows() {
        let body = (1..=9)
            .map(|i| format!("Sentence number {i} is here."))
            .collect::<Vec<_>>()
            .join("\n\n");
        let spans = split(&body, &spec(60, 50, 200));
        assert!(spans.len() >= 3 && spans.len() < 9, "{spans:?}");
        let joined = texts(&body, &spans).join(" ");
        for i in 1..=9 {
            assert!(joined.contains(&format!("number {i} ")));
        }
    }

    #[test]
    fn long_paragraph_is_cut_between_sentences_not_after_abbreviations() {
        let body = "Mr. Smith went to the U.S. embassy today. He met officials there. They talked for hours about trade.";
        let spans = split(body, &spec(45, 10, 200));
        let parts = texts(body, &spans);
        assert_eq!(parts[0], "Mr. Smith went to the U.S. embassy today.");
        assert!(
            parts
                .iter()
                .all(|p| !p.starts_with(' ') && !p.ends_with(' '))
        );
    }

    #[test]
    fn a_giant_sentence_is_cut_at_word_boundaries() {
        let body = "word ".repeat(100);
        let spans = split(&body, &spec(30, 10, 40));
        for part in texts(&body, &spans) {
            assert!(part.chars().count() <= 40);
            assert!(part.split(' ').all(|w| w == "word"), "{part:?}");
        }
    }

    #[test]
    fn offsets_are_code_points() {
        let body = "Côte d'Ivoire grows cocoa.\n\nSão Paulo buys it.";
        let spans = split(body, &spec(10, 5, 100));
        assert_eq!(
            texts(body, &spans),
            ["Côte d'Ivoire grows cocoa.", "São Paulo buys it."]
        );
        assert_eq!(spans[1].start, 28);
    }

    #[test]
    fn blank_body_has_no_passages() {
        assert!(split(" \n\n \n", &spec(10, 5, 100)).is_empty());
    }
}
