//! Publication dates: parsing metadata date strings, and finding a date in a
//! dateline, the first lines of the text or a file name.
//!
//! A date is taken only when its year is written: "Feb 26" alone gives
//! nothing, because a guessed year would be wrong as often as right.
//! All-numeric day/month orders such as `03/04/2024` are ambiguous between
//! US and European use and are not read.

use std::path::Path;

use crate::article::Date;

/// How far into the body a date may stand and still be the article's.
const LEAD_CHARS: usize = 300;

/// Parses a date string as metadata formats write it, returning the calendar
/// date in the source's own offset.
///
/// Accepted: `2024-03-05`, `2024/03/05`, `20240305`, ISO 8601 date-times
/// (`2023-11-02T14:30:00+01:00` gives 2023-11-02), RFC 2822
/// (`Tue, 05 Mar 2024 10:00:00 GMT`), Reuters' `26-FEB-1987 15:01:01.79`,
/// `March 3, 2024`, `3 March 2024`, `Mar. 3 2024`. The date must open the
/// string, after an optional weekday.
pub fn parse_date(s: &str) -> Option<Date> {
    let tokens = tokenize(s);
    let skip = usize::from(tokens.first().is_some_and(|t| weekday(t.text)));
    date_at(&tokens, skip).map(|(date, _)| date)
}

/// Finds the first date with a year in `s` (a dateline or the lead of the
/// body), looking only at the first [`LEAD_CHARS`] characters.
pub(crate) fn find_date(s: &str) -> Option<Date> {
    let lead = match s.char_indices().nth(LEAD_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    };
    let tokens = tokenize(lead);
    (0..tokens.len()).find_map(|i| date_at(&tokens, i).map(|(d, _)| d))
}

/// Finds a date in a file name: `2024-03-05-ghana-cocoa.txt`,
/// `20240305_slug.json`, `slug-2024-03-05.md`.
pub(crate) fn date_from_path(path: &Path) -> Option<Date> {
    let stem = path.file_stem()?.to_str()?;
    let tokens = tokenize(stem);
    (0..tokens.len()).find_map(|i| {
        // Only numeric dates: a slug's words are not month names.
        if !tokens[i].text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        date_at(&tokens, i).map(|(d, _)| d)
    })
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    text: &'a str,
}

/// Splits on anything but ASCII letters and digits, and between letters
/// and digits ("26-FEB-1987" gives 26, FEB, 1987; "2024T10" gives 2024, T, 10).
fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start = None;
    let mut digits = false;
    for (i, c) in s.char_indices() {
        let kind = if c.is_ascii_digit() {
            Some(true)
        } else if c.is_ascii_alphabetic() {
            Some(false)
        } else {
            None
        };
        match (start, kind) {
            (Some(st), Some(d)) if d != digits => {
                tokens.push(Token { text: &s[st..i] });
                start = Some(i);
                digits = d;
            }
            (Some(_), Some(_)) => {}
            (Some(st), None) => {
                tokens.push(Token { text: &s[st..i] });
                start = None;
            }
            (None, Some(d)) => {
                start = Some(i);
                digits = d;
            }
            (None, None) => {}
        }
    }
    if let Some(st) = start {
        tokens.push(Token { text: &s[st..] });
    }
    tokens
}

/// Tries every date shape starting at token `i`; returns the date and the
/// number of tokens it used.
fn date_at(tokens: &[Token<'_>], i: usize) -> Option<(Date, usize)> {
    let t = |k: usize| tokens.get(i + k).map(|t| t.text);
    let first = t(0)?;
    // 20240305
    if first.len() == 8 && first.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (&first[..4], &first[4..6], &first[6..]);
        return make(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).map(|x| (x, 1));
    }
    // 2024-03-05, 2024/03/05, 2024-03-05T10:00
    if first.len() == 4 && first.bytes().all(|b| b.is_ascii_digit()) {
        let (m, d) = (number(t(1)?, 2)?, number(t(2)?, 2)?);
        return make(first.parse().ok()?, m, d).map(|x| (x, 3));
    }
    // 3 March 2024, 26-FEB-1987, 05 Mar 2024
    if let Some(day) = number(first, 2) {
        let month = month(t(1)?)?;
        let year = year(t(2)?)?;
        return make(year, month, day).map(|x| (x, 3));
    }
    // March 3, 2024; Mar. 3 2024
    let month = month(first)?;
    let day = number(t(1)?, 2)?;
    let year = year(t(2)?)?;
    make(year, month, day).map(|x| (x, 3))
}

fn make(year: i32, month: u32, day: u32) -> Option<Date> {
    if !(1800..=2200).contains(&year) {
        return None;
    }
    Date::new(year as i16, month as i8, day as i8)
}

/// Parses a number of at most `max_len` digits.
fn number(s: &str, max_len: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn year(s: &str) -> Option<i32> {
    if s.len() != 4 {
        return None;
    }
    number(s, 4).map(|y| y as i32)
}

/// Parses an English month name or its three-letter (or "Sept") abbreviation.
fn month(s: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = s.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    if lower == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() == 3 && m.starts_with(&lower)))
        .map(|i| i as u32 + 1)
}

/// True for an English weekday name or abbreviation.
fn weekday(s: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let lower = s.to_ascii_lowercase();
    lower.len() >= 3 && DAYS.iter().any(|d| *d == lower || d.starts_with(&lower))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn parse_date_reads_iso_dates_and_date_times_in_their_own_offset() {
        assert_eq!(parse_date("2024-03-05"), Some(date("2024-03-05")));
        assert_eq!(
            parse_date("2023-11-02T14:30:00+01:00"),
            Some(date("2023-11-02"))
        );
        assert_eq!(
            parse_date("2023-11-02T23:30:00-05:00"),
            Some(date("2023-11-02"))
        );
        assert_eq!(parse_date("2024/03/05"), Some(date("2024-03-05")));
        assert_eq!(parse_date("20240305"), Some(date("2024-03-05")));
    }

    #[test]
    fn parse_date_reads_reuters_and_rfc_2822_dates() {
        assert_eq!(
            parse_date("26-FEB-1987 15:01:01.79"),
            Some(date("1987-02-26"))
        );
        assert_eq!(
            parse_date(" 5-MAR-1987 09:12:44.23"),
            Some(date("1987-03-05"))
        );
        assert_eq!(
            parse_date("Tue, 05 Mar 2024 10:00:00 GMT"),
            Some(date("2024-03-05"))
        );
    }

    #[test]
    fn parse_date_reads_written_out_dates() {
        assert_eq!(parse_date("March 3, 2024"), Some(date("2024-03-03")));
        assert_eq!(parse_date("3 March 2024"), Some(date("2024-03-03")));
        assert_eq!(parse_date("Sept. 9 2001"), Some(date("2001-09-09")));
    }

    #[test]
    fn parse_date_rejects_impossible_or_yearless_dates() {
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("Feb 26"), None);
        assert_eq!(parse_date("03/04/2024"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn find_date_finds_a_date_in_the_lead_only() {
        assert_eq!(find_date("BRUSSELS 1996-08-22"), Some(date("1996-08-22")));
        assert_eq!(
            find_date("ACCRA, March 3, 2024 - Cocoa arrivals rose."),
            Some(date("2024-03-03"))
        );
        let late = format!("{} on 3 March 2024", "word ".repeat(80));
        assert_eq!(find_date(&late), None);
        assert_eq!(find_date("In May the 12,000-strong force left."), None);
    }

    #[test]
    fn date_from_path_reads_numeric_dates_in_file_names() {
        let d = |p: &str| date_from_path(Path::new(p));
        assert_eq!(
            d("news/2024-03-05-ghana-cocoa.txt"),
            Some(date("2024-03-05"))
        );
        assert_eq!(d("20240305_slug.json"), Some(date("2024-03-05")));
        assert_eq!(d("ghana-cocoa.txt"), None);
        assert_eq!(d("may-2024-report.txt"), None);
    }
}
