//! Splitting text into tokens the way CoNLL-2003 does: words, with
//! punctuation apart, abbreviations ("U.S.", "Corp.") whole and the
//! possessive "'s" a token of its own.

/// A token: a byte range of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: u32,
    pub end: u32,
}

/// Opening punctuation split off the front of a word.
fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '«')
}

/// Closing punctuation split off the end of a word.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | ',' | ';' | ':' | '!' | '?'
    )
}

/// Short words that keep their final period ("Mr.", "Corp.").
const ABBREVIATIONS: [&str; 34] = [
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Co", "Corp", "Inc", "Ltd", "Bros", "Gen", "Col",
    "Lt", "Sgt", "Rep", "Sen", "Gov", "Jan", "Feb", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec",
    "No", "vs", "Mt", "Ft", "Prof", "Capt", "Cpl",
];

/// Says whether a word ending in a period keeps it: an initial ("J."), a
/// dotted abbreviation ("U.S.", "a.m.") or a listed short word.
fn keeps_period(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('.') else {
        return false;
    };
    if stem.is_empty() {
        return false;
    }
    let mut chars = stem.chars();
    let one_letter = chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none();
    one_letter || stem.contains('.') || ABBREVIATIONS.contains(&stem)
}

/// Appends the tokens of `text` to `out`.
pub(crate) fn tokenize(text: &str, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    // Length of the character at `i` if it is white space, else 0; an
    // ASCII byte is decided without decoding.
    let space_at = |i: usize| -> usize {
        let b = bytes[i];
        if b < 0x80 {
            usize::from(b.is_ascii_whitespace())
        } else {
            let c = text[i..].chars().next().expect("a character starts here");
            if c.is_whitespace() { c.len_utf8() } else { 0 }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let space = space_at(i);
        if space > 0 {
            i += space;
            continue;
        }
        // The chunk runs to the next white space: ASCII bytes that are not
        // white space are stepped over in a loop of their own, anything
        // else is decoded.
        let start = i;
        let mut end = i;
        while end < bytes.len() {
            let b = bytes[end];
            if b < 0x80 {
                if b.is_ascii_whitespace() {
                    break;
                }
                end += 1;
            } else {
                let c = text[end..].chars().next().expect("a character starts here");
                if c.is_whitespace() {
                    break;
                }
                end += c.len_utf8();
            }
        }
        split_chunk(text, start, end, out);
        i = end;
    }
}

/// Splits one whitespace-free chunk into tokens.
fn split_chunk(text: &str, mut start: usize, mut end: usize, out: &mut Vec<Token>) {
    let push = |out: &mut Vec<Token>, a: usize, b: usize| {
        out.push(Token {
            start: a as u32,
            end: b as u32,
        })
    };
    let word = &text[start..end];
    let bytes = word.as_bytes();
    // Most chunks are plain words: alphanumeric at both ends, no "'s".
    // (0x99 ends "’", so "’s" takes the slow path too.)
    let plain_end = bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && !(bytes.len() > 2 && matches!(bytes[bytes.len() - 2], b'\'' | 0x99));
    if bytes[0].is_ascii_alphanumeric() && plain_end {
        push(out, start, end);
        return;
    }
    if matches!(word, "'s" | "'S" | "’s") || !word.chars().any(char::is_alphanumeric) {
        push(out, start, end);
        return;
    }
    // Leading punctuation, one token each.
    while let Some(c) = text[start..end].chars().next() {
        if !is_opening(c) {
            break;
        }
        push(out, start, start + c.len_utf8());
        start += c.len_utf8();
    }
    // Trailing punctuation, kept aside to push after the word.
    let mut tail: [(u32, u32); 8] = [(0, 0); 8];
    let mut tails = 0;
    while tails < tail.len() {
        let Some(c) = text[start..end].chars().next_back() else {
            break;
        };
        let word = &text[start..end];
        let split = if is_closing(c) {
            // "Reuters'" keeps nothing special; "'s" is handled below.
            true
        } else if c == '.' {
            !keeps_period(word) && word.len() > 1
        } else {
            false
        };
        if !split || end - c.len_utf8() == start {
            break;
        }
        end -= c.len_utf8();
        tail[tails] = (end as u32, (end + c.len_utf8()) as u32);
        tails += 1;
    }
    let word = &text[start..end];
    let possessive = ["'s", "'S", "’s"]
        .iter()
        .find(|p| word.len() > p.len() && word.ends_with(*p));
    match possessive {
        Some(p) => {
            push(out, start, end - p.len());
            push(out, end - p.len(), end);
        }
        None => push(out, start, end),
    }
    for &(a, b) in tail[..tails].iter().rev() {
        out.push(Token { start: a, end: b });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        tokens
            .iter()
            .map(|t| &text[t.start as usize..t.end as usize])
            .collect()
    }

    #[test]
    fn punctuation_splits_off_but_abbreviations_stay_whole() {
        assert_eq!(
            words(
                "LONDON (Reuters) - Acme Corp. said the U.S. economy grew, Mr. Smith's aides said."
            ),
            [
                "LONDON", "(", "Reuters", ")", "-", "Acme", "Corp.", "said", "the", "U.S.",
                "economy", "grew", ",", "Mr.", "Smith", "'s", "aides", "said", "."
            ]
        );
    }

    #[test]
    fn conll_tokens_joined_by_spaces_come_back_unchanged() {
        let text = "Germany 's representative to the EU 's veterinary committee , \" Werner Zwingmann \" said .";
        assert_eq!(words(text), text.split(' ').collect::<Vec<_>>());
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "",
            " ",
            "'",
            "...",
            "(((",
            "é.",
            "’s’",
            "\u{a0}x\u{a0}",
            "a.b.c..",
        ] {
            let _ = words(text);
        }
    }
}
