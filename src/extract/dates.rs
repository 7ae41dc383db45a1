//! Dates: parsing metadata date strings; finding the publication date in a
//! dateline, the first lines of the text or a file name; and the dates an
//! article mentions.
//!
//! A publication date is taken from the text when its year is written, or
//! when a dateline's "Nov 14 (Reuters)" gets its year from the file path or
//! from the years the article itself writes (see [`year_from_context`]).
//! All-numeric day/month orders such as `03/04/2024` are ambiguous between
//! US and European use and are not read.
//!
//! Mentioned dates are explicit dates ("3 March 2024", "2024-03-05"),
//! months with years ("February 2023") and years after a preposition
//! ("since 2012"). Relative ones are resolved against the publication date
//! and left out when it is unknown: a weekday ("Monday") to the one within
//! three days of it; a month after a preposition ("in February") or a day
//! without a year ("Nov 14") to the next one when at most three months
//! ahead, else the last one.

use std::path::Path;

use super::{MentionedDate, text::Text};
use crate::article::Date;
use crate::corpus::dates::{is_weekday, month_number, weekday_number};

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
    let skip = usize::from(tokens.first().is_some_and(|t| is_weekday(t.text)));
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

/// Finds a date in a file name (`2024-03-05-ghana-cocoa.txt`,
/// `20240305_slug.json`, `slug-2024-03-05.md`), else in its folders
/// (`news/2022/11/14/slug.txt`).
pub(crate) fn date_from_path(path: &Path) -> Option<Date> {
    let stem = path.file_stem()?.to_str()?;
    numeric_date(stem).or_else(|| numeric_date(path.parent()?.to_str()?))
}

/// The year of a file path's folders or name (`news/2022/...`,
/// `2022-slug.txt`): a 4-digit number standing alone between separators.
pub(crate) fn year_from_path(path: &Path) -> Option<i32> {
    let text = path.to_str()?;
    tokenize(text)
        .iter()
        .filter(|t| {
            let before = text[..t.start].chars().next_back();
            let after = text[t.end..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
        .filter_map(|t| year(t.text))
        .next_back()
}

/// The first all-numeric date in `s`.
fn numeric_date(s: &str) -> Option<Date> {
    let tokens = tokenize(s);
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
    /// Byte range in the tokenized string.
    start: usize,
    end: usize,
}

/// Splits on anything but ASCII letters and digits, and between letters
/// and digits ("26-FEB-1987" gives 26, FEB, 1987; "2024T10" gives 2024, T, 10).
fn tokenize(s: &str) -> Vec<Token<'_>> {
    Tokens::new(s).collect()
}

/// The tokens of [`tokenize`], one at a time: a body of hundreds of
/// megabytes has tens of millions of them, too many to hold at once.
struct Tokens<'a> {
    s: &'a str,
    /// The next byte to read.
    at: usize,
}

impl<'a> Tokens<'a> {
    fn new(s: &'a str) -> Tokens<'a> {
        Tokens { s, at: 0 }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        // Bytes, not chars: every byte of a non-ASCII char is a separator,
        // as the char is, so tokens start and end at the same offsets. A
        // token is a run of digits or of letters; this runs for every byte
        // of every text, so each run is read by a loop of its own over a
        // table of byte classes.
        let bytes = self.s.as_bytes();
        let class = |i: usize| BYTE_CLASS[usize::from(bytes[i])];
        let mut i = self.at;
        while i < bytes.len() && class(i) == SEPARATOR {
            i += 1;
        }
        if i == bytes.len() {
            self.at = i;
            return None;
        }
        let start = i;
        let kind = class(i);
        i += 1;
        while i < bytes.len() && class(i) == kind {
            i += 1;
        }
        self.at = i;
        Some(token(self.s, start, i))
    }
}

/// [`BYTE_CLASS`] values.
const SEPARATOR: u8 = 0;
const DIGIT: u8 = 1;
const LETTER: u8 = 2;

/// The token class of each byte: ASCII digits, ASCII letters, separators.
const BYTE_CLASS: [u8; 256] = {
    let mut table = [SEPARATOR; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_digit() {
            table[b] = DIGIT;
        } else if byte.is_ascii_alphabetic() {
            table[b] = LETTER;
        }
        b += 1;
    }
    table
};

fn token(s: &str, start: usize, end: usize) -> Token<'_> {
    Token {
        text: &s[start..end],
        start,
        end,
    }
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

/// A 4-digit year in the range [`make`] accepts.
fn year(s: &str) -> Option<i32> {
    if s.len() != 4 {
        return None;
    }
    number(s, 4)
        .map(|y| y as i32)
        .filter(|y| (1800..=2200).contains(y))
}

fn month(s: &str) -> Option<u32> {
    could_name_a_day_or_month(s)
        .then(|| month_number(s))
        .flatten()
}

/// False for a word that is no month or weekday name nor abbreviation:
/// those are 3 to 9 ASCII letters, one trailing dot allowed. Most
/// capitalised words fail this test, which spares them the lookups (and
/// their lower-cased copies).
fn could_name_a_day_or_month(word: &str) -> bool {
    let word = word.strip_suffix('.').unwrap_or(word);
    (3..=9).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Words after which a lone year is a date ("since 2012", "in 2013").
const YEAR_PREPOSITIONS: &[&str] = &[
    "in",
    "since",
    "by",
    "until",
    "till",
    "from",
    "before",
    "after",
    "during",
    "through",
    "throughout",
    "to",
];

/// Of [`YEAR_PREPOSITIONS`], those that look ahead ("by 2030"): such a year
/// says nothing about when the article was written.
const FORWARD_PREPOSITIONS: &[&str] = &["by", "until", "till", "to", "through"];

/// Words after which a month without a year is a date ("in February").
const MONTH_PREPOSITIONS: &[&str] = &[
    "in", "since", "until", "till", "by", "from", "during", "last", "next", "early", "late", "mid",
    "before", "after", "through",
];

/// What a mentioned date stands for, at the precision written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Value {
    Day(Date),
    Month(i32, u32),
    /// A year, and whether a forward-looking preposition introduced it.
    Year(i32, bool),
}

impl Value {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    fn render(self) -> String {
        // Digits written directly for the years dates are written with (a
        // formatting call per date was a visible share of finding them);
        // any other year takes the formatter, which gives the same for
        // these.
        let (year, month, day) = match self {
            Value::Day(date) => (
                i32::from(date.year),
                Some(date.month as u32),
                Some(date.day as u32),
            ),
            Value::Month(year, month) => (year, Some(month), None),
            Value::Year(year, _) => (year, None, None),
        };
        let plain = (1000..=9999).contains(&year)
            && month.is_none_or(|m| m < 100)
            && day.is_none_or(|d| d < 100);
        if !plain {
            return match self {
                Value::Day(date) => date.to_string(),
                Value::Month(year, month) => format!("{year:04}-{month:02}"),
                Value::Year(year, _) => format!("{year:04}"),
            };
        }
        let mut out = String::with_capacity(10);
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        let year = year as u32;
        for n in [year / 1000, year / 100, year / 10, year] {
            out.push(digit(n));
        }
        for part in [month, day].into_iter().flatten() {
            out.push('-');
            out.push(digit(part / 10));
            out.push(digit(part));
        }
        out
    }
}

/// The dates the texts mention, in order, every occurrence; relative ones
/// only when `published` is known.
pub(crate) fn mentioned_dates(texts: &[Text<'_>], published: Option<Date>) -> Vec<MentionedDate> {
    let mut out = Vec::new();
    for text in texts {
        let mut found = find_mentioned(text.s, published);
        if published.is_some() {
            resolve_range_ends(text.s, &mut found);
        }
        for (start, end, value) in found {
            out.push(MentionedDate {
                text: text.s[start..end].to_string(),
                value: value.render(),
                part: text.part,
                start: text.char_offset(start),
                end: text.char_offset(end),
            });
        }
    }
    out
}

/// Words (or a dash) that join the two ends of a span of time.
const RANGE_JOINS: &[&str] = &[
    "to", "until", "till", "through", "thru", "-", "\u{2013}", "\u{2014}",
];

/// Reads the second end of "from July 1 to December 31" (or "from July
/// through December", "between March 3 and April 9") as the first such day
/// or month on or after the first end, when it is written without a year. On its own, each
/// end is resolved against the publication date, which would put a
/// December 31 that is more than a few months ahead in the year before.
fn resolve_range_ends(s: &str, found: &mut [(usize, usize, Value)]) {
    for k in 1..found.len() {
        let (before, after) = found.split_at_mut(k);
        let (first_start, first_end, first) = before[k - 1];
        let (start, end, ref mut second) = after[0];
        let gap = s
            .get(first_end..start)
            .map(|gap| gap.trim().to_ascii_lowercase());
        // "between March 3 and April 9": `and` joins a span only after
        // `between` (a list of dates is no span).
        let between = || {
            let head = s[..first_start].trim_end();
            let Some(cut) = head.len().checked_sub("between".len()) else {
                return false;
            };
            // `get` is `None` off a character boundary, so `cut` is one after.
            head.get(cut..)
                .is_some_and(|word| word.eq_ignore_ascii_case("between"))
                && !head[..cut]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
        };
        let joined = gap
            .as_deref()
            .is_some_and(|gap| RANGE_JOINS.contains(&gap) || (gap == "and" && between()));
        // A year written in the second end is taken as written.
        let yearless = !s[start..end]
            .split(|c: char| !c.is_ascii_digit())
            .any(|run| run.len() == 4);
        if !joined || !yearless {
            continue;
        }
        let (from_year, from_month, from_day) = match first {
            Value::Day(date) => (i32::from(date.year), date.month as u32, date.day as u32),
            Value::Month(year, month) => (year, month, 1),
            Value::Year(..) => continue,
        };
        let from = (from_year, from_month, from_day);
        *second = match *second {
            Value::Day(date) => {
                let (month, day) = (date.month as u32, date.day as u32);
                let Some(next) = (from_year..=from_year + 1)
                    .filter_map(|y| make(y, month, day))
                    .find(|d| (i32::from(d.year), month, day) >= from)
                else {
                    continue;
                };
                Value::Day(next)
            }
            Value::Month(_, month) if month >= from_month => Value::Month(from_year, month),
            Value::Month(_, month) => Value::Month(from_year + 1, month),
            Value::Year(..) => continue,
        };
    }
}

/// The year an article is written in, judging by the years it writes: the
/// latest of its explicit dates, months with years and years after a
/// preposition that does not look ahead ("in 2013", not "by 2030"). News
/// tells the present against its background, so the latest such year is
/// the likeliest; a guess, used only to complete a yearless dateline.
pub(crate) fn year_from_context(texts: &[Text<'_>]) -> Option<i32> {
    texts
        .iter()
        .flat_map(|text| find_mentioned(text.s, None))
        .filter_map(|(_, _, value)| match value {
            Value::Day(date) => Some(i32::from(date.year)),
            Value::Month(year, _) => Some(year),
            Value::Year(year, forward) => (!forward).then_some(year),
        })
        .max()
}

/// Finds a day written without a year ("Nov 14", "14 November") in a
/// dateline or lead, as (month, day), when it stands as a dateline's date:
/// before the agency, a dash, a comma or the end.
pub(crate) fn find_month_day(s: &str) -> Option<(u32, u32)> {
    let lead = match s.char_indices().nth(LEAD_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    };
    let tokens = tokenize(lead);
    (0..tokens.len()).find_map(|i| {
        let t = |k: usize| tokens.get(i + k).map(|t| t.text);
        let (month, day) = if let Some(day) = number(t(0)?, 2) {
            (month(t(1)?)?, day)
        } else {
            (month(t(0)?)?, number(t(1)?, 2)?)
        };
        // "Nov 14 2022" has its year: find_date's business.
        if t(2).and_then(year).is_some() || !(1..=31).contains(&day) {
            return None;
        }
        // A dateline's day stands before the agency, a dash, a comma or
        // the end ("Nov 14 (Reuters) -"); "rose on Feb 26." is a sentence.
        let after = lead[tokens[i + 1].end..].trim_start();
        let dateline_like =
            after.is_empty() || after.starts_with(['(', ',', '-', '\u{2013}', '\u{2014}']);
        dateline_like.then_some((month, day))
    })
}

/// Finds the dates in `s`, as byte ranges with their values.
fn find_mentioned(s: &str, published: Option<Date>) -> Vec<(usize, usize, Value)> {
    // Every date `mentioned_at` reads opens with a token that starts a word
    // with a digit or an ASCII capital, and looks at the token before it
    // and the two after it. So the text is read run by run (a token is a
    // run of digits or of letters) for such openings, and only around one
    // are tokens gathered: a huge body is never held as tokens.
    let bytes = s.as_bytes();
    let class = |i: usize| BYTE_CLASS[usize::from(bytes[i])];
    let mut window: Vec<Token<'_>> = Vec::with_capacity(4);
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let kind = class(at);
        if kind == SEPARATOR {
            at += 1;
            continue;
        }
        let mut run_end = at + 1;
        while run_end < bytes.len() && class(run_end) == kind {
            run_end += 1;
        }
        let b = bytes[at];
        // A letter or digit right before (a char boundary: `at` is ASCII)
        // means the token does not start a word.
        let after_word = at > 0
            && if bytes[at - 1].is_ascii() {
                bytes[at - 1].is_ascii_alphanumeric()
            } else {
                s[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            };
        let may_open = (b.is_ascii_digit() || b.is_ascii_uppercase()) && !after_word;
        // A word opens a date only as a month or a weekday.
        let named = || {
            let word = &s[at..run_end];
            month(word).is_some() || weekday_number(word).is_some()
        };
        if !may_open || (kind == LETTER && !named()) {
            at = run_end;
            continue;
        }
        window.clear();
        window.extend(token_before(s, at));
        let i = window.len();
        window.extend(Tokens { s, at }.take(3));
        let hit = mentioned_at(s, &window, i, published).filter(|&(_, used)| {
            let end = window[i + used - 1].end;
            !s[end..].chars().next().is_some_and(char::is_alphanumeric)
        });
        match hit {
            Some((value, used)) => {
                found.push((window[i].start, window[i + used - 1].end, value));
                at = window[i + used - 1].end;
            }
            None => at = run_end,
        }
    }
    found
}

/// The token of [`tokenize`] that ends last before byte `at`, if any: the
/// run of digits or of letters ending at the last ASCII letter or digit
/// before `at`.
fn token_before(s: &str, at: usize) -> Option<Token<'_>> {
    let bytes = s.as_bytes();
    let class = |i: usize| BYTE_CLASS[usize::from(bytes[i])];
    let last = (0..at).rev().find(|&i| class(i) != SEPARATOR)?;
    let mut start = last;
    while start > 0 && class(start - 1) == class(last) {
        start -= 1;
    }
    Some(token(s, start, last + 1))
}

/// The date written at token `i`, with the number of tokens it uses; reads
/// tokens `i - 1` to `i + 2` only (`find_mentioned` gathers no more).
fn mentioned_at(
    s: &str,
    tokens: &[Token<'_>],
    i: usize,
    published: Option<Date>,
) -> Option<(Value, usize)> {
    let t = |k: usize| tokens.get(i + k).map(|t| t.text);
    // The separator between token i+k and the next.
    let gap = |k: usize| {
        tokens
            .get(i + k + 1)
            .map(|next| &s[tokens[i + k].end..next.start])
    };
    let word_gap = |k: usize| gap(k).is_some_and(|g| matches!(g, " " | ", " | ". " | "-"));
    let capitalised = |w: &str| w.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    // A non-ASCII word may lower-case to ASCII letters (the Kelvin sign),
    // so only ASCII words skip the lookup.
    let full_name = |w: &str| {
        (!w.is_ascii() || could_name_a_day_or_month(w))
            && crate::corpus::dates::is_month_or_weekday_name(w)
    };
    let word_before = || {
        let previous = tokens.get(i.checked_sub(1)?)?;
        (&s[previous.end..tokens[i].start] == " ").then(|| previous.text.to_ascii_lowercase())
    };
    let first = t(0)?;

    // 2024-03-05, 2024/03/05
    if let Some(y) = year(first)
        && gap(0).is_some_and(|g| g == "-" || g == "/")
        && gap(1) == gap(0)
        && let (Some(m), Some(d)) = (
            t(1).and_then(|w| number(w, 2)),
            t(2).and_then(|w| number(w, 2)),
        )
        && let Some(date) = make(y, m, d)
    {
        return Some((Value::Day(date), 3));
    }
    // 3 March 2024, 26-FEB-1987; 3 March
    if let Some(day) = number(first, 2)
        && word_gap(0)
        && let Some(m) = t(1).filter(|w| capitalised(w)).and_then(month)
    {
        if word_gap(1)
            && let Some(y) = t(2).and_then(year)
        {
            return make(y, m, day).map(|date| (Value::Day(date), 3));
        }
        return published
            .and_then(|p| nearest_day(p, m, day))
            .map(|date| (Value::Day(date), 2));
    }
    if capitalised(first)
        && let Some(m) = month(first)
    {
        // March 3, 2024; March 3
        if word_gap(0)
            && let Some(day) = t(1).and_then(|w| number(w, 2))
        {
            if word_gap(1)
                && let Some(y) = t(2).and_then(year)
            {
                return make(y, m, day).map(|date| (Value::Day(date), 3));
            }
            return published
                .and_then(|p| nearest_day(p, m, day))
                .map(|date| (Value::Day(date), 2));
        }
        // February 2023
        if gap(0) == Some(" ")
            && let Some(y) = t(1).and_then(year)
        {
            return Some((Value::Month(y, m), 2));
        }
        // in February
        if full_name(first)
            && word_before().is_some_and(|w| MONTH_PREPOSITIONS.contains(&w.as_str()))
        {
            return published.map(|p| {
                let (y, m) = nearest_month(p, m);
                (Value::Month(y, m), 1)
            });
        }
        return None;
    }
    // Monday
    if capitalised(first)
        && full_name(first)
        && let Some(weekday) = could_name_a_day_or_month(first)
            .then(|| weekday_number(first))
            .flatten()
    {
        return published
            .and_then(|p| nearest_weekday(p, weekday))
            .map(|date| (Value::Day(date), 1));
    }
    // since 2012
    if let Some(y) = year(first)
        && let Some(before) = word_before()
        && YEAR_PREPOSITIONS.contains(&before.as_str())
    {
        let forward = FORWARD_PREPOSITIONS.contains(&before.as_str());
        return Some((Value::Year(y, forward), 1));
    }
    None
}

fn civil(date: Date) -> jiff::civil::Date {
    jiff::civil::Date::new(date.year, date.month, date.day).expect("a Date is always valid")
}

/// How far ahead of the publication date a yearless day or month may be
/// read: news mostly reports what happened, so "in March" in an October
/// story is the March before, while "on March 9" in a March 6 story and
/// "in February" in a November one look ahead.
const FUTURE_DAYS: i64 = 92;
const FUTURE_MONTHS: i32 = 3;

/// The day `month`/`day` a story published on `published` means: the
/// next one if it is at most [`FUTURE_DAYS`] ahead, else the last one on
/// or before the publication date.
fn nearest_day(published: Date, month: u32, day: u32) -> Option<Date> {
    let year = i32::from(published.year);
    let target = published.days_since_epoch();
    let candidates: Vec<Date> = (year - 1..=year + 1)
        .filter_map(|y| make(y, month, day))
        .collect();
    let ahead = candidates.iter().copied().find(|d| {
        let delta = d.days_since_epoch() - target;
        (1..=FUTURE_DAYS).contains(&delta)
    });
    ahead.or_else(|| {
        candidates
            .into_iter()
            .rev()
            .find(|d| d.days_since_epoch() <= target)
    })
}

/// The month `month` a story published on `published` means: the next one
/// if it is at most [`FUTURE_MONTHS`] ahead, else the last one up to the
/// publication month.
fn nearest_month(published: Date, month: u32) -> (i32, u32) {
    let year = i32::from(published.year);
    let target = year * 12 + i32::from(published.month) - 1;
    let index = |y: i32| y * 12 + month as i32 - 1;
    let ahead = (year..=year + 1).find(|&y| (1..=FUTURE_MONTHS).contains(&(index(y) - target)));
    let year = ahead.unwrap_or_else(|| {
        if index(year) <= target {
            year
        } else {
            year - 1
        }
    });
    (year, month)
}

/// The day of ISO weekday `weekday` within three days of `published`.
fn nearest_weekday(published: Date, weekday: u32) -> Option<Date> {
    let date = civil(published);
    let current = i64::from(date.weekday().to_monday_one_offset());
    let mut offset = (i64::from(weekday) - current).rem_euclid(7);
    if offset > 3 {
        offset -= 7;
    }
    let shifted = date.checked_add(jiff::Span::new().days(offset)).ok()?;
    Date::new(shifted.year(), shifted.month(), shifted.day())
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

    /// `find_mentioned` as first written, over all tokens at once.
    fn find_mentioned_whole(s: &str, published: Option<Date>) -> Vec<(usize, usize, Value)> {
        let tokens = tokenize(s);
        let mut found = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let starts_word = !s[..tokens[i].start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let hit = starts_word
                .then(|| mentioned_at(s, &tokens, i, published))
                .flatten()
                .filter(|&(_, used)| {
                    let end = tokens[i + used - 1].end;
                    !s[end..].chars().next().is_some_and(char::is_alphanumeric)
                });
            match hit {
                Some((value, used)) => {
                    found.push((tokens[i].start, tokens[i + used - 1].end, value));
                    i += used;
                }
                None => i += 1,
            }
        }
        found
    }

    #[test]
    fn values_render_as_the_formatter_writes_them() {
        let day = |y: i16, m: i8, d: i8| Value::Day(Date::new(y, m, d).unwrap());
        for (value, expected) in [
            (day(2024, 3, 5), "2024-03-05"),
            (day(1999, 12, 31), "1999-12-31"),
            (day(987, 1, 2), "0987-01-02"),
            (Value::Month(2023, 2), "2023-02"),
            (Value::Month(12, 11), "0012-11"),
            (Value::Year(2012, false), "2012"),
            (Value::Year(5, true), "0005"),
        ] {
            assert_eq!(value.render(), expected);
        }
        for y in [1000i16, 1800, 2200, 9999] {
            assert_eq!(
                day(y, 10, 9).render(),
                Date::new(y, 10, 9).unwrap().to_string()
            );
        }
    }

    #[test]
    fn tokens_are_the_runs_of_ascii_digits_or_letters() {
        // The definition, char by char: a token ends where a char is
        // neither an ASCII digit nor an ASCII letter, or changes between
        // the two.
        fn by_chars(s: &str) -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            let mut open: Option<(usize, bool)> = None;
            for (i, c) in s.char_indices() {
                let kind = c.is_ascii_alphanumeric().then(|| c.is_ascii_digit());
                match (open, kind) {
                    (Some((start, d)), Some(k)) if d != k => {
                        out.push((start, i));
                        open = Some((i, k));
                    }
                    (Some((start, _)), None) => {
                        out.push((start, i));
                        open = None;
                    }
                    (None, Some(k)) => open = Some((i, k)),
                    _ => {}
                }
            }
            if let Some((start, _)) = open {
                out.push((start, s.len()));
            }
            out
        }
        for s in [
            "",
            " ",
            "26-FEB-1987 15:01:01.79",
            "2024T10x9 ",
            "Zürich 3rd São-Paulo 東京2024",
            "a",
            "9",
            "--ab12cd--",
        ] {
            let found: Vec<(usize, usize)> = tokenize(s).iter().map(|t| (t.start, t.end)).collect();
            assert_eq!(found, by_chars(s), "{s:?}");
        }
    }

    #[test]
    fn dates_found_from_their_openings_equal_those_found_over_all_tokens() {
        // Fillers of every length shift the dates around.
        let mut text = String::new();
        for n in 0..3_000 {
            text.push_str(&"x ".repeat(n % 7));
            text.push_str(match n % 5 {
                0 => "on March 3, 2024 ",
                1 => "since 2012 ",
                2 => "in February 2023 ",
                3 => "Monday 26-FEB-1987 ",
                _ => "3 March ",
            });
        }
        for published in [None, Some(date("2024-03-06"))] {
            let window = find_mentioned(&text, published);
            assert!(window.len() > 2_000);
            assert_eq!(window, find_mentioned_whole(&text, published));
        }
    }

    #[test]
    fn dates_next_to_odd_text_are_found_as_over_all_tokens() {
        let text = "In 2012, 3 March 2024 (Reuters) A320 on Monday; since 1999. \
                    Zürich 5 May 2021 東京2020 Feb 26-FEB-1987 x2019 in February 2023 \
                    by 2030 ÉTÉ 1 Mar. 3 2024 12 Sept 2001 ¿Tues? 2024/03/05 2024-3-5 \
                    until Sunday 7";
        for published in [None, Some(date("2024-03-06"))] {
            for cut in 0..text.len() {
                if text.is_char_boundary(cut) {
                    let s = &text[cut..];
                    assert_eq!(
                        find_mentioned(s, published),
                        find_mentioned_whole(s, published),
                        "{s:?}"
                    );
                }
            }
        }
    }

    fn mentioned(s: &str, published: Option<&str>) -> Vec<(String, String)> {
        let texts = [Text::new(s, super::super::Part::Body, false)];
        mentioned_dates(&texts, published.map(date))
            .into_iter()
            .map(|d| (d.text, d.value))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(t, v)| (t.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn mentioned_dates_are_explicit_dates_months_with_years_and_years_after_prepositions() {
        let found = mentioned(
            "Since 2012, fighting grew. On 3 March 2024 and March 5, 2024 talks met; \
             the 2024-03-07 deal followed in February 2023 terms, before 2019 rules \
             and by 2030. He scored 2012 points.",
            None,
        );
        assert_eq!(
            found,
            pairs(&[
                ("2012", "2012"),
                ("3 March 2024", "2024-03-03"),
                ("March 5, 2024", "2024-03-05"),
                ("2024-03-07", "2024-03-07"),
                ("February 2023", "2023-02"),
                ("2019", "2019"),
                ("2030", "2030"),
            ])
        );
    }

    #[test]
    fn relative_dates_are_left_out_without_a_publication_date() {
        assert!(mentioned("Talks ended Monday; more in February, and on Nov 14.", None).is_empty());
        assert!(mentioned("They may 2024 something; in may; a march.", None).is_empty());
    }

    #[test]
    fn relative_dates_resolve_to_the_nearest_day_or_month_of_the_publication_date() {
        // 2024-03-06 is a Wednesday.
        let found = mentioned(
            "Talks ended Monday and resume Friday. Rains came in February and will \
             return in December. The vote is on March 9; the budget came on Nov 14.",
            Some("2024-03-06"),
        );
        assert_eq!(
            found,
            pairs(&[
                ("Monday", "2024-03-04"),
                ("Friday", "2024-03-08"),
                ("February", "2024-02"),
                ("December", "2023-12"),
                ("March 9", "2024-03-09"),
                ("Nov 14", "2023-11-14"),
            ])
        );
    }

    #[test]
    fn the_yearless_end_of_a_span_comes_after_its_start() {
        // Published in June: December 31 alone is the last one (more than
        // three months ahead); as the end of a span from July 1, it is the
        // one after July 1.
        let found = mentioned(
            "The rule runs from July 1 to December 31. Sales will rise from \
             July through December. Talks last until Dec 31.",
            Some("2026-06-10"),
        );
        assert_eq!(
            found,
            pairs(&[
                ("July 1", "2026-07-01"),
                ("December 31", "2026-12-31"),
                ("July", "2026-07"),
                ("December", "2026-12"),
                ("Dec 31", "2025-12-31"),
            ])
        );
        // A year written on the end is kept; a list is not a span, unless
        // `between` opens it.
        let found = mentioned(
            "From July 1 to December 31, 2025, and on March 2 and Dec 30, \
             and between March 2 and Dec 30.",
            Some("2026-01-05"),
        );
        assert_eq!(
            found,
            pairs(&[
                ("July 1", "2025-07-01"),
                ("December 31, 2025", "2025-12-31"),
                ("March 2", "2026-03-02"),
                ("Dec 30", "2025-12-30"),
                ("March 2", "2026-03-02"),
                ("Dec 30", "2026-12-30"),
            ])
        );
    }

    #[test]
    fn dates_inside_longer_numbers_or_words_are_not_dates() {
        assert!(mentioned("Flight A2012 and part 12019 landed in 19876.", None).is_empty());
        assert!(mentioned("It sold 300 in 1500 shops.", None).is_empty());
    }

    #[test]
    fn nearest_weekday_stays_within_three_days() {
        // 2024-03-06 is a Wednesday.
        let p = date("2024-03-06");
        assert_eq!(nearest_weekday(p, 3), Some(date("2024-03-06")));
        assert_eq!(nearest_weekday(p, 7), Some(date("2024-03-03")));
        assert_eq!(nearest_weekday(p, 1), Some(date("2024-03-04")));
        assert_eq!(nearest_weekday(p, 6), Some(date("2024-03-09")));
        assert_eq!(nearest_weekday(p, 2), Some(date("2024-03-05")));
    }

    #[test]
    fn yearless_days_and_months_look_back_unless_at_most_three_months_ahead() {
        assert_eq!(
            nearest_day(date("2024-01-03"), 12, 30),
            Some(date("2023-12-30"))
        );
        assert_eq!(
            nearest_day(date("2023-12-30"), 1, 2),
            Some(date("2024-01-02"))
        );
        assert_eq!(
            nearest_day(date("2024-03-06"), 3, 6),
            Some(date("2024-03-06"))
        );
        // Further ahead than three months means the one before.
        assert_eq!(
            nearest_day(date("2024-03-06"), 8, 1),
            Some(date("2023-08-01"))
        );
        assert_eq!(
            nearest_day(date("2025-03-01"), 2, 29),
            Some(date("2024-02-29"))
        );
        assert_eq!(nearest_day(date("2023-03-01"), 2, 30), None);
        assert_eq!(nearest_month(date("2024-01-15"), 12), (2023, 12));
        assert_eq!(nearest_month(date("2024-01-15"), 1), (2024, 1));
        assert_eq!(nearest_month(date("2024-01-15"), 4), (2024, 4));
        assert_eq!(nearest_month(date("2024-01-15"), 5), (2023, 5));
        assert_eq!(nearest_month(date("2024-10-15"), 3), (2024, 3));
        assert_eq!(nearest_month(date("2024-11-15"), 2), (2025, 2));
    }

    #[test]
    fn a_yearless_dateline_day_is_found_only_where_a_dateline_date_stands() {
        assert_eq!(
            find_month_day("LONDON, Nov 14 (Reuters) - Shares fell."),
            Some((11, 14))
        );
        assert_eq!(find_month_day("PARIS, 3 March"), Some((3, 3)));
        assert_eq!(find_month_day("Cocoa arrivals rose on Feb 26."), None);
        assert_eq!(find_month_day("LONDON, Nov 14 2022 - x"), None);
        assert_eq!(find_month_day("LONDON, Nov 41 -"), None);
    }

    #[test]
    fn context_year_is_the_latest_year_written_that_does_not_look_ahead() {
        let texts = [Text::new(
            "Since 2012 the mission grew; in February 2021 it shrank. Targets run to 2030.",
            super::super::Part::Body,
            false,
        )];
        assert_eq!(year_from_context(&texts), Some(2021));
        let none = [Text::new("No years here.", super::super::Part::Body, false)];
        assert_eq!(year_from_context(&none), None);
    }

    #[test]
    fn paths_give_dates_from_folders_and_years_from_any_component() {
        assert_eq!(
            date_from_path(Path::new("site/2022/11/14/talks-resume.txt")),
            Some(date("2022-11-14"))
        );
        assert_eq!(
            date_from_path(Path::new("2022/11/14/2021-01-02-x.txt")),
            Some(date("2021-01-02"))
        );
        assert_eq!(date_from_path(Path::new("site/2022/talks.txt")), None);
        assert_eq!(year_from_path(Path::new("site/2022/talks.txt")), Some(2022));
        assert_eq!(year_from_path(Path::new("reut2-000.sgm")), None);
        assert_eq!(year_from_path(Path::new("site/a2022/x.txt")), None);
    }
}
