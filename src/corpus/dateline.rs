//! Recognising datelines: the place (and often date and agency) that opens a
//! news story.
//!
//! Two forms are recognised:
//! - a line of its own: `ANKARA`, `NEW YORK`, `BRUSSELS 1996-08-22`,
//!   `NAIROBI, March 3`, `PORTLAND, Ore., Feb 26`;
//! - the start of the first paragraph, ended by a dash:
//!   `LONDON, March 3 (Reuters) - The ...`, `LIMA, June 4 - ...`,
//!   `WASHINGTON (AP) — ...`.
//!
//! The place must be written in capitals (one to four words, at least two
//! letters, not a label such as `BY` or `UPDATE`); what may follow it is limited to a date, up to two region words
//! (`Ore.`, `Kenya`) and an agency in parentheses, so an ordinary sentence
//! or a capitalised headline word followed by text is not taken for a
//! dateline. The dateline kept is the place as written (`NAIROBI`).

use super::dates::{is_weekday, month_number};

/// The longest line taken for a standalone dateline.
const MAX_LINE: usize = 60;

/// Returns the place when the whole line is a dateline.
pub(crate) fn standalone(line: &str) -> Option<&str> {
    let line = line.trim();
    if line.chars().count() > MAX_LINE {
        return None;
    }
    let line = line.trim_end_matches(['-', '–', '—', ' ', ':']);
    let (place, rest) = split_place(line)?;
    tail_is_dateline(rest).then_some(place)
}

/// Returns the place when the paragraph opens with a dateline followed by a
/// dash and text; the paragraph itself is left as it is.
pub(crate) fn leading(paragraph: &str) -> Option<&str> {
    let head: String = paragraph.chars().take(MAX_LINE + 20).collect();
    let (end, after) = [" -- ", " - ", " — ", " – ", "—", "–"]
        .iter()
        .filter_map(|dash| head.find(dash).map(|at| (at, at + dash.len())))
        .min()?;
    if paragraph[after..].trim().is_empty() {
        return None;
    }
    let (place, rest) = split_place(paragraph[..end].trim_end())?;
    tail_is_dateline(rest).then_some(place)
}

/// Capitalised words that open a line without being a place: bylines and
/// story labels.
const NOT_PLACES: [&str; 14] = [
    "BY",
    "UPDATE",
    "BREAKING",
    "EXCLUSIVE",
    "PHOTO",
    "VIDEO",
    "ANALYSIS",
    "OPINION",
    "EDITORIAL",
    "CORRECTION",
    "FACTBOX",
    "REFILE",
    "NEWS",
    "WARNING",
];

/// Splits off the capitalised place at the start of the text.
fn split_place(text: &str) -> Option<(&str, &str)> {
    let mut end = 0;
    let mut words = 0;
    let mut letters = 0;
    for (start, word) in word_spans(text) {
        let word = word.trim_end_matches(',');
        let is_place_word = word.chars().any(char::is_alphabetic)
            && word
                .chars()
                .all(|c| c.is_uppercase() || matches!(c, '.' | '\'' | '’' | '-' | '&' | '/'));
        if !is_place_word || words == 4 {
            break;
        }
        if words == 0 && NOT_PLACES.contains(&word) {
            return None;
        }
        words += 1;
        letters += word.chars().filter(|c| c.is_alphabetic()).count();
        end = start + word.len();
        if text[end..].starts_with(',') {
            break;
        }
    }
    if words == 0 || letters < 2 {
        return None;
    }
    Some((&text[..end], &text[end..]))
}

/// Yields each whitespace-separated word with its byte offset.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(' ')
        .scan(0, |offset, word| {
            let start = *offset;
            *offset += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, word)| !word.is_empty())
}

/// Says whether what follows the place is only a date, region words and an
/// agency.
fn tail_is_dateline(rest: &str) -> bool {
    let mut rest = rest.trim();
    // An agency in parentheses comes last: `(Reuters)`, `(AP)`.
    if rest.ends_with(')') {
        let Some(open) = rest.rfind('(') else {
            return false;
        };
        let agency = &rest[open + 1..rest.len() - 1];
        if agency.is_empty()
            || agency.split_whitespace().count() > 3
            || !agency.starts_with(char::is_uppercase)
        {
            return false;
        }
        rest = rest[..open].trim_end();
    }
    // Region words (`Ore.`, `Kenya`) follow a comma; without one, the words
    // after a capitalised word are ordinary text (`DJ Norman Cook - ...`).
    let mut regions = if rest.starts_with(',') { 0 } else { 2 };
    let mut dated = false;
    for word in rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        if is_date_word(word) {
            dated = true;
        } else if !dated && regions < 2 && is_region_word(word) {
            regions += 1;
        } else {
            return false;
        }
    }
    true
}

fn is_date_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    let iso = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let number = !word.is_empty() && word.len() <= 4 && word.bytes().all(|b| b.is_ascii_digit());
    iso || number || month_number(word).is_some() || is_weekday(word)
}

fn is_region_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| c.is_alphabetic() || c == '.')
        && word.chars().count() <= 15
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capitalised_place_alone_on_its_line_is_a_dateline() {
        assert_eq!(standalone("ANKARA"), Some("ANKARA"));
        assert_eq!(standalone("  NEW YORK  "), Some("NEW YORK"));
        assert_eq!(standalone("ST. LOUIS"), Some("ST. LOUIS"));
    }

    #[test]
    fn a_standalone_dateline_may_carry_a_date_region_and_agency() {
        assert_eq!(standalone("BRUSSELS 1996-08-22"), Some("BRUSSELS"));
        assert_eq!(standalone("NAIROBI, March 3"), Some("NAIROBI"));
        assert_eq!(standalone("PORTLAND, Ore., Feb 26 -"), Some("PORTLAND"));
        assert_eq!(standalone("GENEVA (Reuters)"), Some("GENEVA"));
        assert_eq!(standalone("SÃO PAULO, Tuesday"), Some("SÃO PAULO"));
    }

    #[test]
    fn sentences_and_mixed_case_lines_are_not_standalone_datelines() {
        assert_eq!(standalone("Ankara"), None);
        assert_eq!(standalone("The UK announced Monday"), None);
        assert_eq!(
            standalone("UN SAYS TALKS WILL RESUME IN GENEVA NEXT WEEK"),
            None
        );
        assert_eq!(standalone("NATO troops arrive"), None);
        assert_eq!(standalone("A"), None);
        assert_eq!(standalone("BY JOHN SMITH"), None);
        assert_eq!(standalone("1996-08-22"), None);
        assert_eq!(standalone(""), None);
    }

    #[test]
    fn a_dateline_leading_the_first_paragraph_is_recognised() {
        assert_eq!(
            leading("LONDON, March 3 (Reuters) - The pound fell."),
            Some("LONDON")
        );
        assert_eq!(
            leading("LIMA, June 4 - Peru's congress voted."),
            Some("LIMA")
        );
        assert_eq!(
            leading("WASHINGTON (AP) — Lawmakers met."),
            Some("WASHINGTON")
        );
        assert_eq!(
            leading("RIO DE JANEIRO -- Rain fell."),
            Some("RIO DE JANEIRO")
        );
    }

    #[test]
    fn a_paragraph_without_a_dash_after_the_place_has_no_leading_dateline() {
        assert_eq!(leading("LONDON is rainy - said nobody."), None);
        assert_eq!(leading("The minister - who resigned - spoke."), None);
        assert_eq!(leading("LONDON - "), None);
        assert_eq!(leading("ÉÉ—"), None);
        assert_eq!(
            leading("DJ Norman Cook - aka Fatboy Slim - has said it."),
            None
        );
    }
}
