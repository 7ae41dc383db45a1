//! Parsing the publication dates that metadata gives (front matter, JSON
//! fields, HTML meta tags) into calendar dates.
//!
//! Kept small and local on purpose: dates found in article text are the
//! business of `crate::extract`; metadata dates come in a handful of machine
//! formats.

use crate::article::Date;

/// Parses a metadata date into the calendar date in the source's own offset.
///
/// Accepted:
/// - ISO 8601 `YYYY-MM-DD`, optionally followed by `T` or a space and a
///   time with any offset (`2023-11-02T23:30:00-05:00` is 2023-11-02: the
///   date as written, not converted to UTC); `YYYY/MM/DD` too;
/// - RFC 2822 (`Tue, 05 Mar 2024 10:00:00 GMT`) and the looser
///   `5 March 2024`, `March 5, 2024`, `Mar 5 2024` (weekday optional,
///   anything after the year such as a time is ignored).
///
/// Returns `None` for anything else, including impossible dates.
pub(crate) fn parse_metadata_date(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    parse_iso(raw)
        .or_else(|| parse_rfc2822(raw))
        .or_else(|| parse_words(raw))
}

/// Returns the UTC calendar date of a Unix timestamp in seconds, or in
/// milliseconds when the number is too large to be seconds (JSON feeds use
/// both).
pub(crate) fn date_from_unix(number: f64) -> Option<Date> {
    if !number.is_finite() {
        return None;
    }
    // Beyond year 5138 in seconds, so surely milliseconds.
    let seconds = if number.abs() >= 1e11 {
        number / 1000.0
    } else {
        number
    };
    let timestamp = jiff::Timestamp::from_second(seconds.floor() as i64).ok()?;
    let date = timestamp.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    Date::new(date.year(), date.month(), date.day())
}

fn digits(text: &str, count: usize) -> Option<u32> {
    if text.len() == count && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

fn make_date(year: u32, month: u32, day: u32) -> Option<Date> {
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
}

fn parse_iso(raw: &str) -> Option<Date> {
    let head = raw.get(..10)?;
    let rest = &raw[10..];
    let separator = head.as_bytes()[4];
    if !matches!(separator, b'-' | b'/') || head.as_bytes()[7] != separator {
        return None;
    }
    let year = digits(&head[..4], 4)?;
    let month = digits(&head[5..7], 2)?;
    let day = digits(&head[8..10], 2)?;
    // Only a time may follow; `2024-03-05abc` is not a date.
    let mut tail = rest.chars();
    match (tail.next(), tail.next()) {
        (None, _) => {}
        (Some('T' | 't' | ' '), Some(c)) if c.is_ascii_digit() => {}
        _ => return None,
    }
    make_date(year, month, day)
}

fn parse_rfc2822(raw: &str) -> Option<Date> {
    let zoned = jiff::fmt::rfc2822::parse(raw).ok()?;
    let date = zoned.date();
    Date::new(date.year(), date.month(), date.day())
}

/// English month names, January first. The one table of month names in the
/// crate: metadata dates, datelines, text dates and the rule that months are
/// never places all read it.
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

/// English weekday names, Monday first (ISO order).
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Month abbreviations beyond the first three letters that newswires write,
/// with their month number.
const MONTH_ABBREVIATIONS: [(&str, usize); 1] = [("sept", 9)];

/// Weekday abbreviations beyond the first three letters, with their ISO
/// number.
const WEEKDAY_ABBREVIATIONS: [(&str, usize); 3] = [("tues", 2), ("thur", 4), ("thurs", 4)];

/// The first three letters of each name, lower case, as the key
/// [`opening`] makes of a word.
const fn openings<const N: usize>(names: [&str; N]) -> [u32; N] {
    let mut keys = [0u32; N];
    let mut i = 0;
    while i < N {
        let b = names[i].as_bytes();
        keys[i] = u32::from_le_bytes([b[0], b[1], b[2], 0]);
        i += 1;
    }
    keys
}

const MONTH_OPENINGS: [u32; 12] = openings(MONTHS);
const WEEKDAY_OPENINGS: [u32; 7] = openings(WEEKDAYS);

/// The first three bytes of a word, ASCII-lower-cased, as one number.
#[inline]
fn opening(word: &str) -> Option<u32> {
    let b = word.as_bytes().get(..3)?;
    Some(u32::from_le_bytes([
        b[0].to_ascii_lowercase(),
        b[1].to_ascii_lowercase(),
        b[2].to_ascii_lowercase(),
        0,
    ]))
}

/// The index of the name whose opening ([`openings`]) the word has.
#[inline]
fn opening_like(openings: &[u32], word: &str) -> Option<usize> {
    let key = opening(word)?;
    openings.iter().position(|&k| k == key)
}

/// The index in `names` of a full name or a three-letter abbreviation
/// (any case, one trailing dot allowed), or of one of the longer
/// `abbreviations`.
fn name_index(
    (names, openings): (&[&str], &[u32]),
    abbreviations: &[(&str, usize)],
    word: &str,
) -> Option<usize> {
    // Compared ASCII case-insensitively in place: these helpers run on
    // every word of every text, and a lower-cased copy per call was a
    // visible share of extraction.
    let word = word.strip_suffix('.').unwrap_or(word);
    // Each name of a table opens with three letters of its own, and so do
    // its abbreviations (a test checks): only the name opening like the
    // word can match, and a word opening like none is no name.
    let i = opening_like(openings, word)?;
    if word.len() == 3 || names[i].eq_ignore_ascii_case(word) {
        return Some(i);
    }
    abbreviations
        .iter()
        .find(|(abbreviation, _)| abbreviation.eq_ignore_ascii_case(word))
        .map(|(_, number)| number - 1)
}

/// Returns the month number (1-12) of an English month name or its
/// abbreviation (`March`, `Mar`, `Mar.`, `Sept`).
pub(crate) fn month_number(word: &str) -> Option<u32> {
    name_index((&MONTHS, &MONTH_OPENINGS), &MONTH_ABBREVIATIONS, word).map(|i| i as u32 + 1)
}

/// Returns the ISO weekday number (Monday 1 to Sunday 7) of an English
/// weekday name or its abbreviation (`Tuesday`, `Tue`, `Tues.`).
pub(crate) fn weekday_number(word: &str) -> Option<u32> {
    name_index((&WEEKDAYS, &WEEKDAY_OPENINGS), &WEEKDAY_ABBREVIATIONS, word).map(|i| i as u32 + 1)
}

/// True for a weekday name or abbreviation, a trailing comma allowed.
pub(crate) fn is_weekday(word: &str) -> bool {
    weekday_number(word.trim_end_matches(',')).is_some()
}

/// True for a month or weekday written in full, in any case: such a word is
/// never a place ("May", "Sunday").
pub(crate) fn is_month_or_weekday_name(word: &str) -> bool {
    // The names are ASCII, and no non-ASCII character lower-cases to one of
    // their letters, so an ASCII case-insensitive comparison gives what a
    // full lower-casing would, without allocating.
    // Only the name opening like the word can be it (see `name_index`).
    let Some(key) = opening(word) else {
        return false;
    };
    let like = |names: &[&str], openings: &[u32]| {
        openings
            .iter()
            .position(|&k| k == key)
            .is_some_and(|i| names[i].eq_ignore_ascii_case(word))
    };
    like(&MONTHS, &MONTH_OPENINGS) || like(&WEEKDAYS, &WEEKDAY_OPENINGS)
}

fn parse_words(raw: &str) -> Option<Date> {
    let mut words = raw
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .peekable();
    if words.peek().is_some_and(|w| is_weekday(w)) {
        words.next();
    }
    let (first, second, third) = (words.next()?, words.next()?, words.next()?);
    let day_of = |word: &str| {
        word.trim_end_matches(['.', 's', 't', 'n', 'd', 'r', 'h'])
            .parse::<u32>()
            .ok()
    };
    let (month, day) = match (month_number(first), month_number(second)) {
        (Some(month), None) => (month, day_of(second)?),
        (None, Some(month)) => (month, day_of(first)?),
        _ => return None,
    };
    let year = digits(third, 4)?;
    make_date(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(raw: &str) -> Option<String> {
        parse_metadata_date(raw).map(|d| d.to_string())
    }

    #[test]
    fn iso_dates_and_datetimes_keep_the_calendar_date_as_written() {
        assert_eq!(date("2024-03-05").as_deref(), Some("2024-03-05"));
        assert_eq!(
            date("2023-11-02T23:30:00-05:00").as_deref(),
            Some("2023-11-02")
        );
        assert_eq!(
            date("2023-11-02T23:30:00.123Z").as_deref(),
            Some("2023-11-02")
        );
        assert_eq!(date("2023-11-02 08:00").as_deref(), Some("2023-11-02"));
        assert_eq!(date(" 2023/11/02 ").as_deref(), Some("2023-11-02"));
    }

    #[test]
    fn rfc_2822_dates_are_parsed() {
        assert_eq!(
            date("Tue, 05 Mar 2024 10:00:00 GMT").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            date("Thu, 29 Feb 2024 23:34:00 -0500").as_deref(),
            Some("2024-02-29")
        );
        // An unknown zone name still gives the date as written.
        assert_eq!(
            date("Tue, 05 Mar 2024 10:00:00 CET").as_deref(),
            Some("2024-03-05")
        );
    }

    #[test]
    fn written_out_dates_are_parsed() {
        assert_eq!(date("March 5, 2024").as_deref(), Some("2024-03-05"));
        assert_eq!(date("5 March 2024").as_deref(), Some("2024-03-05"));
        assert_eq!(date("Sept. 21st 2001").as_deref(), Some("2001-09-21"));
    }

    #[test]
    fn impossible_or_unknown_dates_are_not_parsed() {
        assert_eq!(date("2023-02-30"), None);
        assert_eq!(date("2023-13-01"), None);
        assert_eq!(date("2024-03-05abc"), None);
        assert_eq!(date("yesterday"), None);
        assert_eq!(date(""), None);
        assert_eq!(date("ß"), None);
        assert_eq!(date("20240305ééé"), None);
    }

    #[test]
    fn each_name_and_its_abbreviations_open_with_three_letters_of_their_own() {
        for (names, openings, abbreviations) in [
            (&MONTHS[..], &MONTH_OPENINGS[..], &MONTH_ABBREVIATIONS[..]),
            (
                &WEEKDAYS[..],
                &WEEKDAY_OPENINGS[..],
                &WEEKDAY_ABBREVIATIONS[..],
            ),
        ] {
            for (i, name) in names.iter().enumerate() {
                assert!(name.len() >= 3 && name.is_ascii() && *name == name.to_lowercase());
                assert_eq!(opening_like(openings, name), Some(i), "{name}");
            }
            for (abbreviation, number) in abbreviations {
                assert_eq!(opening_like(openings, abbreviation), Some(number - 1));
            }
        }
        assert!(is_month_or_weekday_name("SEPTEMBER") && !is_month_or_weekday_name("Sept"));
    }

    #[test]
    fn month_and_weekday_names_and_abbreviations_are_read_from_one_table() {
        assert_eq!(month_number("March"), Some(3));
        assert_eq!(month_number("MAR"), Some(3));
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("Sep"), Some(9));
        assert_eq!(month_number("Ma"), None);
        assert_eq!(month_number("Marc"), None);
        assert_eq!(month_number("Tues"), None);
        assert_eq!(weekday_number("Monday"), Some(1));
        assert_eq!(weekday_number("tues."), Some(2));
        assert_eq!(weekday_number("Thurs"), Some(4));
        assert_eq!(weekday_number("SUN"), Some(7));
        assert_eq!(weekday_number("Sept"), None);
        assert!(is_weekday("Fri,"));
        assert!(is_month_or_weekday_name("MAY"));
        assert!(!is_month_or_weekday_name("Mar"));
    }

    #[test]
    fn unix_timestamps_in_seconds_or_milliseconds_are_utc_dates() {
        assert_eq!(
            date_from_unix(1_709_632_800.0)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            date_from_unix(1_709_632_800_000.0)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(date_from_unix(f64::NAN), None);
        assert_eq!(date_from_unix(1e300), None);
    }
}
