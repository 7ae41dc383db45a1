//! A view of one part of an article (headline or body) with the questions the
//! matchers ask about it: word boundaries, neighbouring words, capitalisation,
//! sentences, and code point offsets.

use super::Part;
use super::dictionary::Dictionary;

/// Words that may start a sentence or sit before a name without being part
/// of a longer capitalised name ("In Paris", "The UK").
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "across",
    "after",
    "against",
    "also",
    "an",
    "and",
    "as",
    "at",
    "before",
    "between",
    "both",
    "but",
    "by",
    "despite",
    "during",
    "each",
    "even",
    "for",
    "from",
    "he",
    "her",
    "his",
    "how",
    "if",
    "in",
    "including",
    "inside",
    "into",
    "it",
    "its",
    "last",
    "like",
    "many",
    "meanwhile",
    "more",
    "most",
    "near",
    "neither",
    "next",
    "nor",
    "not",
    "now",
    "of",
    "on",
    "only",
    "or",
    "our",
    "outside",
    "over",
    "several",
    "she",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "under",
    "unlike",
    "until",
    "we",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "with",
    "within",
    "without",
    "yet",
];

/// Capitalised words that qualify a place rather than join it in a longer
/// name ("East London", "Greater Manchester").
const PLACE_MODIFIERS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "greater",
    "downtown",
    "upper",
    "lower",
    "inner",
    "outer",
    "old",
    "metropolitan",
    "rural",
    "urban",
    "suburban",
    "occupied",
];

/// Titles that put a person's name after them ("President Lincoln").
const PERSON_TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "king",
    "queen",
    "prince",
    "princess",
    "president",
    "senator",
    "sen",
    "rep",
    "representative",
    "governor",
    "gov",
    "general",
    "gen",
    "minister",
    "judge",
    "justice",
    "pope",
    "saint",
    "coach",
    "captain",
    "capt",
    "colonel",
    "col",
    "lieutenant",
    "lt",
    "sergeant",
    "sgt",
    "major",
    "maj",
    "professor",
    "prof",
    "rev",
    "reverend",
    "father",
    "sister",
    "brother",
    "chancellor",
    "premier",
    "sheikh",
    "emir",
    "sultan",
    "imam",
    "archbishop",
    "bishop",
    "cardinal",
    "baron",
    "duke",
    "mayor",
    "ambassador",
    "commissioner",
    "chairman",
    "secretary",
    "officer",
    "agent",
    "detective",
    "actor",
    "actress",
    "singer",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "player",
];

/// One part of an article, ready for matching.
/// Every how many chars a non-ASCII [`Text`] marks a byte offset.
const CHAR_MARK_STEP: usize = 64;

pub(crate) struct Text<'a> {
    /// The text itself.
    pub s: &'a str,
    /// Which part of the article it is.
    pub part: Part,
    /// Byte offset of every [`CHAR_MARK_STEP`]th char, present only when
    /// the text is not ASCII: one offset per char took eight bytes per
    /// char, gigabytes for a huge body.
    char_marks: Option<Vec<usize>>,
    /// No lower-case letter anywhere: a shouted headline such as Reuters'.
    pub all_caps: bool,
    /// Headline capitalisation ("Mali Sanctions Bite"), where a capital
    /// letter does not mark a proper name.
    pub title_case: bool,
    /// [`Text::each_match_start`]'s list, for texts of ordinary size.
    match_starts: std::cell::OnceCell<Vec<u32>>,
}

impl<'a> Text<'a> {
    /// Wraps `s`; `headline` enables the headline capitalisation checks.
    pub fn new(s: &'a str, part: Part, headline: bool) -> Text<'a> {
        let char_marks = (!s.is_ascii()).then(|| {
            s.char_indices()
                .step_by(CHAR_MARK_STEP)
                .map(|(i, _)| i)
                .collect()
        });
        let has_lower = s.chars().any(char::is_lowercase);
        let has_upper = s.chars().any(char::is_uppercase);
        let all_caps = has_upper && !has_lower;
        let title_case = headline && !all_caps && is_title_case(s);
        Text {
            s,
            part,
            char_marks,
            all_caps,
            title_case,
            match_starts: std::cell::OnceCell::new(),
        }
    }

    /// Calls `f` with each byte offset where a match may start on a word
    /// boundary: every char that is not a letter or digit following
    /// another (the first check of [`Text::is_word_boundary`]), ASCII white
    /// space left out (no shipped name starts with it: see
    /// [`longest_matches`]).
    ///
    /// Both dictionaries walk them, so a text of ordinary size lists them
    /// once; a longer one (a huge body, where the list would take several
    /// times the text's size) finds them again on each call.
    pub fn each_match_start(&self, mut f: impl FnMut(usize)) {
        if self.s.len() > LISTED_STARTS_MAX_BYTES {
            return scan_match_starts(self.s, f);
        }
        let starts = self.match_starts.get_or_init(|| {
            let mut starts = Vec::with_capacity(self.s.len() / 4);
            scan_match_starts(self.s, |start| starts.push(start as u32));
            starts
        });
        for &start in starts {
            f(start as usize);
        }
    }

    /// True when capital letters do not tell proper names from other words.
    pub fn caps_uninformative(&self) -> bool {
        self.all_caps || self.title_case
    }

    /// Converts a byte offset at a char boundary into a code point offset.
    pub fn char_offset(&self, byte: usize) -> usize {
        match &self.char_marks {
            None => byte,
            Some(marks) => {
                // The last mark at or before `byte` (the first is 0), then
                // the chars starting between it and `byte`.
                let k = marks.partition_point(|&b| b <= byte).saturating_sub(1);
                let from = marks.get(k).copied().unwrap_or(0);
                let to = byte.clamp(from, self.s.len());
                let starts = self.s.as_bytes()[from..to]
                    .iter()
                    .filter(|&&b| b & 0xc0 != 0x80)
                    .count();
                k * CHAR_MARK_STEP + starts
            }
        }
    }

    /// True if `start..end` does not cut a word on either side.
    pub fn is_word_boundary(&self, start: usize, end: usize) -> bool {
        let before = self.s[..start].chars().next_back();
        let after = self.s[end..].chars().next();
        let first = self.s[start..end].chars().next();
        let last = self.s[..end].chars().next_back();
        let cuts = |outside: Option<char>, inside: Option<char>| match (outside, inside) {
            (Some(o), Some(i)) => o.is_alphanumeric() && i.is_alphanumeric(),
            _ => false,
        };
        !cuts(before, first) && !cuts(after, last)
    }

    /// The word directly before byte `start`, separated from it by spaces
    /// only (no punctuation, no line break).
    pub fn adjacent_word_before(&self, start: usize) -> Option<&'a str> {
        self.adjacent_before(start).map(|(_, w)| w)
    }

    /// Like [`Text::adjacent_word_before`], with the word's byte offset.
    fn adjacent_before(&self, start: usize) -> Option<(usize, &'a str)> {
        let head = &self.s[..start];
        let trimmed = head.trim_end_matches([' ', '\t', '\u{a0}']);
        if trimmed.len() == head.len() && !head.is_empty() {
            // Something other than a space touches the match (a hyphen, a
            // quote): no adjacent word.
            return None;
        }
        let word_start = trimmed
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_word_char(c))
            .last()
            .map(|(i, _)| i)?;
        Some((word_start, &trimmed[word_start..]))
    }

    /// The word directly after byte `end`, separated from it by spaces only.
    pub fn adjacent_word_after(&self, end: usize) -> Option<&'a str> {
        let tail = &self.s[end..];
        let trimmed = tail.trim_start_matches([' ', '\t', '\u{a0}']);
        if trimmed.len() == tail.len() {
            return None;
        }
        let len = trimmed
            .char_indices()
            .take_while(|&(_, c)| is_word_char(c))
            .last()
            .map(|(i, c)| i + c.len_utf8())?;
        Some(trimmed[..len].trim_end_matches(['.', '\'', '’']))
    }

    /// True if the text before byte `start` ends a sentence or a line, so a
    /// capital letter at `start` says nothing.
    pub fn starts_sentence(&self, start: usize) -> bool {
        let head = self.s[..start].trim_end_matches([' ', '\t', '\u{a0}']);
        matches!(
            head.chars().next_back(),
            None | Some(
                '\n' | '\r' | '.' | '!' | '?' | ':' | ';' | '"' | '\'' | '“' | '‘' | '(' | '['
            )
        )
    }

    /// True if the sentence around `start..end` ends with a question mark.
    pub fn in_question(&self, end: usize) -> bool {
        let tail = &self.s[end..];
        let stop = tail.find(['.', '!', '?', '\n']).map(|i| &tail[i..i + 1]);
        stop == Some("?")
    }

    /// True if the word before `start` is a capitalised word that belongs to
    /// a longer name ("Paris" in "Abraham Paris"), not the start of a
    /// sentence nor a function word.
    pub fn capitalised_word_before(&self, start: usize) -> bool {
        if self.starts_sentence(start) {
            return false;
        }
        let Some((word_start, word)) = self.adjacent_before(start) else {
            return false;
        };
        let lower = word.to_lowercase();
        // At the start of a sentence every word is capitalised; an -ing,
        // -ed or -ly word there is a verb or adverb ("Visiting Paris"),
        // anything else likely a given name ("Lindsay Davenport").
        let verb_or_adverb = ["ing", "ed", "ly"].iter().any(|s| lower.ends_with(s));
        let part_of_name = !verb_or_adverb || !self.starts_sentence(word_start);
        is_capitalised(word)
            && !is_function_word(word)
            && !PLACE_MODIFIERS.contains(&lower.as_str())
            && part_of_name
            && !is_person_title(word)
    }

    /// True if the word after `end` is capitalised, so the match may be the
    /// start of a longer name ("Paris Hilton").
    pub fn capitalised_word_after(&self, end: usize) -> bool {
        self.adjacent_word_after(end)
            .is_some_and(|w| is_capitalised(w) && !is_function_word(w))
    }

    /// True if a person's title stands right before `start` ("President
    /// Lincoln", "Mr. Jordan").
    pub fn person_title_before(&self, start: usize) -> bool {
        self.adjacent_word_before(start)
            .is_some_and(is_person_title)
    }

    /// True if `start..end` is inside a run of ALL-CAPS words (a shouted
    /// headline or dateline), judged from the whole text or the neighbours.
    pub fn shouted(&self, start: usize, end: usize) -> bool {
        if self.all_caps {
            return true;
        }
        let caps = |w: Option<&str>| {
            w.is_some_and(|w| {
                w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
            })
        };
        caps(self.adjacent_word_before(start)) || caps(self.adjacent_word_after(end))
    }
}

/// A match of automaton patterns in a text, in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Match {
    /// Start byte.
    pub start: usize,
    /// End byte, exclusive.
    pub end: usize,
    /// Every accepted pattern with exactly this range (several places or
    /// organizations may share a spelling).
    pub patterns: Vec<usize>,
}

/// Texts up to this many bytes keep their match starts (4 bytes each).
const LISTED_STARTS_MAX_BYTES: usize = 1 << 20;

/// [`SCAN_CLASS`] values.
const SCAN_OTHER: u8 = 0;
const SCAN_ALPHANUMERIC: u8 = 1;
const SCAN_SPACE: u8 = 2;
const SCAN_NON_ASCII: u8 = 3;

/// What [`scan_match_starts`] needs to know of each byte: an ASCII letter
/// or digit, ASCII white space, another ASCII char, or part of a non-ASCII
/// char (decoded).
const SCAN_CLASS: [u8; 256] = {
    let mut table = [SCAN_NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_alphanumeric() {
            SCAN_ALPHANUMERIC
        } else if byte.is_ascii_whitespace() {
            SCAN_SPACE
        } else {
            SCAN_OTHER
        };
        b += 1;
    }
    table
};

/// The scan behind [`Text::each_match_start`].
fn scan_match_starts(s: &str, mut f: impl FnMut(usize)) {
    let bytes = s.as_bytes();
    let class = |i: usize| SCAN_CLASS[usize::from(bytes[i])];
    let mut previous_alphanumeric = false;
    let mut i = 0;
    while i < bytes.len() {
        match class(i) {
            SCAN_ALPHANUMERIC => {
                if !previous_alphanumeric {
                    f(i);
                }
                // The rest of an ASCII word starts nothing: most bytes of
                // a text are read by this loop alone.
                i += 1;
                while i < bytes.len() && class(i) == SCAN_ALPHANUMERIC {
                    i += 1;
                }
                previous_alphanumeric = true;
            }
            SCAN_SPACE => {
                previous_alphanumeric = false;
                i += 1;
            }
            SCAN_OTHER => {
                f(i);
                previous_alphanumeric = false;
                i += 1;
            }
            _ => {
                let c = s[i..].chars().next().expect("a char starts here");
                let alphanumeric = c.is_alphanumeric();
                if !(previous_alphanumeric && alphanumeric) {
                    f(i);
                }
                previous_alphanumeric = alphanumeric;
                i += c.len_utf8();
            }
        }
    }
}

/// Finds the leftmost-longest non-overlapping matches that sit on word
/// boundaries and that `accept` takes. `accept` must reject a pattern the
/// dictionary says is capitalised where the text has no capital (the
/// matchers do, through [`case_compatible`]).
///
/// Every overlapping match is considered before choosing, so a longer match
/// that fails a check ("Malis") does not hide a shorter one that passes, as
/// it would with a leftmost-longest search.
pub(crate) fn longest_matches(
    dictionary: &Dictionary,
    text: &Text<'_>,
    mut accept: impl FnMut(usize, usize, usize) -> bool,
) -> Vec<Match> {
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    let bytes = text.s.as_bytes();
    let mut walk = |start: usize| {
        let capital = if bytes[start].is_ascii() {
            bytes[start].is_ascii_uppercase()
        } else {
            text.s[start..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        };
        dictionary.prefixes_at(bytes, start, capital, |end, pattern| {
            let pattern = pattern as usize;
            if text.is_word_boundary(start, end) && accept(start, end, pattern) {
                found.push((start, end, pattern));
            }
        });
    };
    text.each_match_start(&mut walk);
    if dictionary.starts_with_space() {
        // The spaces `each_match_start` leaves out, where such a name may start.
        for (start, b) in bytes.iter().enumerate() {
            if b.is_ascii_whitespace() {
                walk(start);
            }
        }
    }
    found.sort_unstable_by_key(|&(start, end, pattern)| (start, std::cmp::Reverse(end), pattern));
    let mut chosen: Vec<Match> = Vec::new();
    for (start, end, pattern) in found {
        match chosen.last_mut() {
            Some(last) if last.start == start && last.end == end => last.patterns.push(pattern),
            Some(last) if start < last.end => {}
            _ => chosen.push(Match {
                start,
                end,
                patterns: vec![pattern],
            }),
        }
    }
    chosen
}

/// True if `c` can be part of a word (letters, digits, inner punctuation of
/// abbreviations and names).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '\'' | '’' | '-')
}

/// True if the word starts with an upper-case letter.
pub(crate) fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// True for "the", "In", "and"... in any case.
pub(crate) fn is_function_word(word: &str) -> bool {
    // A hash lookup: this runs for most capitalised words of a text, and a
    // binary search's string comparisons cost several times more.
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    let set = SET.get_or_init(|| FUNCTION_WORDS.iter().copied().collect());
    in_lower_case(word, |lower| set.contains(lower))
}

/// True for "President", "Mr.", "Gen."... in any case.
pub(crate) fn is_person_title(word: &str) -> bool {
    // A hash lookup, as for the function words: a scan of the list cost
    // hundreds of instructions per capitalised word.
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    let set = SET.get_or_init(|| PERSON_TITLES.iter().copied().collect());
    in_lower_case(word.trim_end_matches('.'), |lower| set.contains(lower))
}

/// Answers `test` about `word` lower-cased, for the short ASCII word lists
/// above (none longer than 16 bytes): a short ASCII word is lower-cased on
/// the stack, a longer ASCII one is in no list, and anything else takes
/// `str::to_lowercase`. These run for most capitalised words of a text.
fn in_lower_case(word: &str, test: impl Fn(&str) -> bool) -> bool {
    const LONGEST: usize = 16;
    if word.is_ascii() {
        if word.len() > LONGEST {
            return false;
        }
        let mut buffer = [0u8; LONGEST];
        let lower = &mut buffer[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        return test(std::str::from_utf8(lower).expect("ASCII is UTF-8"));
    }
    test(&word.to_lowercase())
}

/// True for headline capitalisation: most words that are not function words
/// start with a capital.
fn is_title_case(s: &str) -> bool {
    let mut content = 0;
    let mut capitalised = 0;
    for word in s
        .split(|c: char| !is_word_char(c))
        .filter(|w| w.chars().any(char::is_alphabetic))
    {
        if is_function_word(word) {
            continue;
        }
        content += 1;
        if is_capitalised(word) {
            capitalised += 1;
        }
    }
    content >= 3 && capitalised * 10 >= content * 7
}

/// True if `text` is spelled like `form` where `form` has capitals: every
/// upper-case letter of the form is upper case in the text; lower-case
/// letters may be either ("Mali", "MALI" match "Mali"; "mali" does not).
pub(crate) fn case_compatible(text: &str, form: &str) -> bool {
    let mut t = text.chars();
    for f in form.chars() {
        let Some(c) = t.next() else { return false };
        if f.is_uppercase() && !c.is_uppercase() {
            return false;
        }
    }
    t.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_of_non_ascii_text_count_the_chars_before_each_byte() {
        let s = "Côte d'Ivoire — São Tomé, 東京 and Zürich. ".repeat(9);
        let text = Text::new(&s, Part::Body, false);
        for byte in 0..=s.len() + 2 {
            let expected = s.char_indices().filter(|&(i, _)| i < byte).count();
            assert_eq!(text.char_offset(byte), expected, "byte {byte}");
        }
    }

    #[test]
    fn match_starts_are_the_chars_that_neither_continue_a_word_nor_are_ascii_space() {
        for s in [
            "",
            "Acme Corp. (ACME) said: \"no\" -- 3.5% in Zürich, São Paulo's 東京 x\u{a0}y",
            "ab1 \t\n\r\u{c}z \u{b}q é1 1é ü",
        ] {
            let mut expected = Vec::new();
            let mut previous: Option<char> = None;
            for (i, c) in s.char_indices() {
                let inside_word =
                    previous.is_some_and(char::is_alphanumeric) && c.is_alphanumeric();
                if !inside_word && !c.is_ascii_whitespace() {
                    expected.push(i);
                }
                previous = Some(c);
            }
            let mut found = Vec::new();
            scan_match_starts(s, |i| found.push(i));
            assert_eq!(found, expected, "{s:?}");
        }
    }

    #[test]
    fn function_words_are_sorted_for_binary_search() {
        assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn word_lists_fit_the_stack_lower_casing() {
        assert!(
            FUNCTION_WORDS
                .iter()
                .chain(PERSON_TITLES)
                .all(|w| w.len() <= 16 && w.is_ascii() && *w == w.to_lowercase())
        );
        assert!(is_function_word("MEANWHILE") && is_person_title("Mr."));
        assert!(!is_function_word("Thereforeandsoonandsoforth"));
    }

    #[test]
    fn case_compatible_requires_the_forms_capitals() {
        assert!(case_compatible("Mali", "Mali"));
        assert!(case_compatible("MALI", "Mali"));
        assert!(!case_compatible("mali", "Mali"));
        assert!(!case_compatible("Us", "US"));
        assert!(case_compatible("Southern Africa", "southern Africa"));
    }

    #[test]
    fn char_offsets_count_code_points() {
        let t = Text::new("Côte d'Ivoire and São Paulo", Part::Body, false);
        let byte = t.s.find("São").unwrap();
        assert_eq!(t.char_offset(byte), 18);
    }

    #[test]
    fn word_boundaries_reject_matches_inside_words() {
        let t = Text::new("Parisians in Paris", Part::Body, false);
        assert!(!t.is_word_boundary(0, 5));
        assert!(t.is_word_boundary(13, 18));
    }

    #[test]
    fn neighbour_words_stop_at_punctuation() {
        let t = Text::new("Amman, Jordan said Paris Hilton", Part::Body, false);
        assert_eq!(t.adjacent_word_before(7), None);
        assert!(t.capitalised_word_after(24));
    }

    #[test]
    fn headline_capitalisation_is_detected() {
        assert!(Text::new("Mali Sanctions Bite As Talks Stall", Part::Title, true).title_case);
        assert!(!Text::new("Mali sanctions bite as talks stall", Part::Title, true).title_case);
        assert!(Text::new("GHANA COCOA ARRIVALS RISE", Part::Title, true).all_caps);
    }
}
