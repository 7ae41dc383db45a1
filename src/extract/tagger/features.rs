//! Hashed features of a token in its sentence.
//!
//! Every feature is a 64-bit hash of a template number and a value (the
//! lower-cased word, its shape, a neighbour's word...), folded into the
//! model's bucket count. Word hashes are computed once per token into a
//! [`TokenInfo`], and templates combine them, so computing features
//! allocates nothing per token.

use super::lexicon::Lexicon;
use super::tokens::Token;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
pub(crate) fn feed(h: u64, byte: u8) -> u64 {
    (h ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
}

/// Feeds a character, lower-cased, into a hash.
#[inline]
fn feed_char_lower(mut h: u64, c: char) -> u64 {
    let c = if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    };
    let mut buf = [0u8; 4];
    for &b in c.encode_utf8(&mut buf).as_bytes() {
        h = feed(h, b);
    }
    h
}

/// Hash of a word, lower-cased, continuing from `h`.
#[inline]
pub(crate) fn feed_lower(mut h: u64, word: &str) -> u64 {
    if word.is_ascii() {
        // The same bytes `feed_char_lower` feeds, without decoding.
        for &b in word.as_bytes() {
            h = feed(h, b.to_ascii_lowercase());
        }
        return h;
    }
    for c in word.chars() {
        h = feed_char_lower(h, c);
    }
    h
}

/// The hash every name and word hash starts from.
pub(crate) fn seed() -> u64 {
    FNV_OFFSET
}

/// Final mix of a template and a value (splitmix64's finaliser).
#[inline]
fn mix(template: u64, value: u64) -> u64 {
    let mut z = value ^ template.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Flag bits of a token.
pub(crate) const INIT_CAP: u8 = 1;
pub(crate) const ALL_CAPS: u8 = 2;
const HAS_DIGIT: u8 = 4;
const HAS_HYPHEN: u8 = 8;
const HAS_PERIOD: u8 = 16;
pub(crate) const SENTENCE_START: u8 = 32;
const SHOUTED_LINE: u8 = 64;
const NO_LETTER: u8 = 128;

/// What the features need to know about one token, hashed.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TokenInfo {
    pub lower: u64,
    pub shape: u64,
    pub prefix: [u64; 3],
    pub suffix: [u64; 4],
    pub flags: u8,
    /// Lexicon classes of the longest names starting here (low byte) and
    /// covering this token after their first word (high byte).
    pub gaz: u16,
}

/// Says whether a sequence of words is written in capitals: at least three
/// words with letters, and at least 80% of them without a lower-case letter.
pub(crate) fn is_shouted<'a>(words: impl ExactSizeIterator<Item = &'a str>) -> bool {
    let count = words.len();
    let (mut lettered, mut lower) = (0usize, 0usize);
    for w in words {
        let (has_letter, has_lower) = if w.is_ascii() {
            let b = w.as_bytes();
            (
                b.iter().any(u8::is_ascii_alphabetic),
                b.iter().any(u8::is_ascii_lowercase),
            )
        } else {
            (
                w.chars().any(char::is_alphabetic),
                w.chars().any(char::is_lowercase),
            )
        };
        if has_letter {
            lettered += 1;
            if has_lower {
                lower += 1;
                // More than a fifth of all words have lower case: the
                // words with letters cannot be 80% capitals any more.
                if lower * 5 > count {
                    return false;
                }
            }
        }
    }
    lettered >= 3 && lower * 5 <= lettered
}

fn is_sentence_end(word: &str) -> bool {
    matches!(word, "." | "!" | "?")
}

/// What [`token_infos`] knows of the tokens of one sequence that does not
/// depend on the window asked for: a token's hashes and flags, its
/// prefixes and suffixes, and the lexicon names starting at it. A text is
/// tagged in overlapping windows (each capitalised run with two
/// neighbours on each side), so a token is worked out once per sequence
/// instead of once per window it falls in.
#[derive(Debug, Default)]
pub(crate) struct SequenceCache {
    /// Per token: hashes and flags; `prefix` and `suffix` once
    /// [`AFFIXES`] is set; `gaz` holds the low byte only (the classes of
    /// names starting at the token).
    infos: Vec<TokenInfo>,
    /// Per token: which parts of `infos` are computed.
    done: Vec<u8>,
    /// Per token and lexicon class: the length in tokens of the longest
    /// name of the class starting there (0 for none).
    reach: Vec<[u8; 8]>,
}

/// [`SequenceCache::done`] bits.
const BASE: u8 = 1;
const AFFIXES: u8 = 2;

impl SequenceCache {
    /// Forgets everything, for a sequence of `tokens` tokens.
    pub fn reset(&mut self, tokens: usize) {
        self.infos.clear();
        self.infos.resize(tokens, TokenInfo::default());
        self.done.clear();
        self.done.resize(tokens, 0);
        self.reach.clear();
        self.reach.resize(tokens, [0; 8]);
    }
}

/// Computes the infos of tokens `from..to` of a sequence (`text` split into
/// `tokens`), appending to `out`; tokens outside `core` are only context. Lexicon matches may look past `to` by the
/// longest name's length.
pub(crate) fn token_infos(
    text: &str,
    tokens: &[Token],
    window: (usize, usize),
    core: std::ops::Range<usize>,
    shouted: bool,
    lexicon: &Lexicon,
    out: &mut Vec<TokenInfo>,
) {
    let mut cache = SequenceCache::default();
    cache.reset(tokens.len());
    token_infos_cached(
        text, tokens, window, core, shouted, lexicon, &mut cache, out,
    );
}

/// [`token_infos`] with the tokens' window-free parts kept in `cache`
/// (reset for this sequence, and given the same `shouted` each time).
#[allow(clippy::too_many_arguments)]
pub(crate) fn token_infos_cached(
    text: &str,
    tokens: &[Token],
    (from, to): (usize, usize),
    core: std::ops::Range<usize>,
    shouted: bool,
    lexicon: &Lexicon,
    cache: &mut SequenceCache,
    out: &mut Vec<TokenInfo>,
) {
    debug_assert_eq!(cache.infos.len(), tokens.len());
    let word = |i: usize| &text[tokens[i].start as usize..tokens[i].end as usize];
    for i in from..to {
        let done = cache.done[i];
        if done & BASE == 0 {
            let w = word(i);
            cache.infos[i] = base_info(w, shouted, sentence_start(&word, i));
            lexicon_reach(&word, tokens.len(), i, cache.infos[i].lower, lexicon, cache);
        }
        // Prefixes and suffixes are features of the token itself only: a
        // neighbour in `from..to` outside `core` goes without.
        if core.contains(&i) && done & AFFIXES == 0 {
            affixes(word(i), &mut cache.infos[i]);
        }
        cache.done[i] |= BASE | if core.contains(&i) { AFFIXES } else { 0 };
    }
    let base = out.len();
    for i in from..to {
        let mut info = cache.infos[i];
        if !core.contains(&i) {
            info.prefix = [0; 3];
            info.suffix = [0; 4];
        }
        out.push(info);
        // A lexicon name covers the tokens after its first word, within
        // the window: only names starting in the window count.
        let mut covered = 0u16;
        for j in i.saturating_sub(lexicon.longest()).max(from)..i {
            let reach = &cache.reach[j];
            if *reach == [0; 8] {
                continue;
            }
            for (bit, &len) in reach.iter().enumerate() {
                if usize::from(len) > i - j {
                    covered |= 1 << (bit + 8);
                }
            }
        }
        out[base + i - from].gaz |= covered;
    }
}

/// True if token `i` opens a sentence, judging by the tokens before it.
fn sentence_start<'t>(word: &impl Fn(usize) -> &'t str, i: usize) -> bool {
    i == 0
        || is_sentence_end(word(i - 1))
        || (i >= 2
            && matches!(word(i - 1), "\"" | "(" | "'" | "“" | "-")
            && is_sentence_end(word(i - 2)))
        || (i == 1 && matches!(word(0), "\"" | "(" | "'" | "“"))
}

/// The hashes and flags of a token: everything but its affixes and its
/// lexicon classes.
fn base_info(w: &str, shouted: bool, sentence_start: bool) -> TokenInfo {
    let mut info = TokenInfo::default();
    let mut h = seed();
    let mut shape = seed();
    let mut last_class = 0u8;
    let mut flags = 0u8;
    let (mut upper, mut lower, mut letters) = (0usize, 0usize, 0usize);
    if w.is_ascii() {
        // Most tokens: the same hashes and counts as the loop over chars
        // below, byte by byte.
        for &b in w.as_bytes() {
            h = feed(h, b.to_ascii_lowercase());
            let class = if b.is_ascii_uppercase() {
                upper += 1;
                letters += 1;
                b'X'
            } else if b.is_ascii_lowercase() {
                lower += 1;
                letters += 1;
                b'x'
            } else if b.is_ascii_digit() {
                flags |= HAS_DIGIT;
                b'd'
            } else {
                if b == b'-' {
                    flags |= HAS_HYPHEN;
                } else if b == b'.' {
                    flags |= HAS_PERIOD;
                }
                b
            };
            if class != last_class {
                shape = feed(shape, class);
                last_class = class;
            }
        }
        if w.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
            flags |= INIT_CAP;
        }
    } else {
        for (n, c) in w.chars().enumerate() {
            h = feed_char_lower(h, c);
            let class = if c.is_uppercase() {
                upper += 1;
                letters += 1;
                b'X'
            } else if c.is_lowercase() {
                lower += 1;
                letters += 1;
                b'x'
            } else if c.is_ascii_digit() {
                flags |= HAS_DIGIT;
                b'd'
            } else if c.is_alphabetic() {
                letters += 1;
                b'a'
            } else {
                if c == '-' {
                    flags |= HAS_HYPHEN;
                } else if c == '.' {
                    flags |= HAS_PERIOD;
                }
                if c.is_ascii() { c as u8 } else { b'*' }
            };
            if class != last_class {
                shape = feed(shape, class);
                last_class = class;
            }
            if n == 0 && c.is_uppercase() {
                flags |= INIT_CAP;
            }
        }
    }
    if letters == 0 {
        flags |= NO_LETTER;
    } else if upper > 0 && lower == 0 {
        flags |= ALL_CAPS;
    }
    if sentence_start {
        flags |= SENTENCE_START;
    }
    if shouted {
        flags |= SHOUTED_LINE;
    }
    info.lower = h;
    info.shape = shape;
    info.flags = flags;
    info
}

/// Sets the prefixes (the lower-case hash after each of the first three
/// characters) and suffixes (the last one to four characters, lower-cased)
/// of token `w`; a short word repeats its longest.
fn affixes(w: &str, info: &mut TokenInfo) {
    let mut h = seed();
    let mut chars = 0usize;
    let mut s = seed();
    if w.is_ascii() {
        for (n, &b) in w.as_bytes().iter().take(3).enumerate() {
            h = feed(h, b.to_ascii_lowercase());
            info.prefix[n] = mix(9 + n as u64, h);
        }
        for (n, &b) in w.as_bytes().iter().rev().take(4).enumerate() {
            s = feed(s, b.to_ascii_lowercase());
            info.suffix[n] = mix(20 + n as u64, s);
        }
        chars = w.len();
    } else {
        for (n, c) in w.chars().enumerate() {
            if n < 3 {
                h = feed_char_lower(h, c);
                info.prefix[n] = mix(9 + n as u64, h);
            }
            chars += 1;
        }
        for (n, c) in w.chars().rev().take(4).enumerate() {
            s = feed_char_lower(s, c);
            info.suffix[n] = mix(20 + n as u64, s);
        }
    }
    for n in chars.min(3)..3 {
        info.prefix[n] = info.prefix[n.saturating_sub(1)];
    }
    for n in chars.min(4)..4 {
        info.suffix[n] = if n == 0 { 0 } else { info.suffix[n - 1] };
    }
}

/// Lexicon classes of the longest name of each class starting at token
/// `i`: sets the low byte of its `gaz` and its `reach`. Names of several
/// words start with a capital or a digit.
fn lexicon_reach<'t>(
    word: &impl Fn(usize) -> &'t str,
    tokens: usize,
    i: usize,
    lower: u64,
    lexicon: &Lexicon,
    cache: &mut SequenceCache,
) {
    let first = word(i).chars().next();
    if first.is_none_or(|c| !c.is_alphanumeric()) {
        return;
    }
    let many = first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    if !many {
        // Place and organization names start with a capital or a digit.
        cache.infos[i].gaz |= u16::from(lexicon.word_classes(lower));
        return;
    }
    // The one-word name's hash is the word's lower-case hash.
    let mut h = lower;
    let mut best_len = [0u8; 8];
    for len in 1..=lexicon.longest().min(tokens - i) {
        if len > 1 {
            h = feed(h, b' ');
            h = feed_lower(h, word(i + len - 1));
        }
        let (classes, longer) = lexicon.classes(h);
        let mut bits = classes;
        while bits != 0 {
            let bit = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            best_len[bit] = len as u8;
        }
        if !longer {
            break;
        }
    }
    for (bit, &len) in best_len.iter().enumerate() {
        if len > 0 {
            cache.infos[i].gaz |= 1 << bit;
        }
    }
    cache.reach[i] = best_len;
}

/// Hash of a missing neighbour (before the first or after the last token).
const EDGE: u64 = 0x5a5a_5a5a_5a5a_5a5a;

/// Appends the feature hashes of token `i` of `infos` to `out`.
pub(crate) fn features(infos: &[TokenInfo], i: usize, out: &mut Vec<u64>) {
    each_feature(infos, i, |h| out.push(h));
}

/// Calls `out` with each feature hash of token `i` of `infos`, in the
/// order [`features`] lists them: tagging sums their weights as they come,
/// with no list in between.
#[inline]
pub(crate) fn each_feature(infos: &[TokenInfo], i: usize, mut out: impl FnMut(u64)) {
    let at = |d: isize| -> Option<&TokenInfo> {
        let j = i as isize + d;
        (j >= 0).then(|| infos.get(j as usize)).flatten()
    };
    let lower = |d| at(d).map_or(EDGE, |t| t.lower);
    let shape = |d| at(d).map_or(EDGE, |t| t.shape);
    let t = &infos[i];
    out(mix(0, 0));
    out(mix(1, t.lower));
    out(mix(2, lower(-1)));
    out(mix(3, lower(1)));
    out(mix(4, lower(-2)));
    out(mix(5, lower(2)));
    out(mix(6, t.shape));
    out(mix(7, shape(-1)));
    out(mix(8, shape(1)));
    for &p in &t.prefix {
        out(p);
    }
    for &s in &t.suffix {
        if s != 0 {
            out(s);
        }
    }
    out(mix(16, u64::from(t.flags)));
    out(mix(17, lower(-1).wrapping_mul(31).wrapping_add(t.lower)));
    out(mix(18, t.lower.wrapping_mul(31).wrapping_add(lower(1))));
    out(mix(
        22,
        shape(-1)
            .wrapping_mul(961)
            .wrapping_add(t.shape.wrapping_mul(31))
            .wrapping_add(shape(1)),
    ));
    if t.flags & SENTENCE_START != 0 {
        out(mix(23, t.lower));
    }
    out(mix(
        24,
        u64::from(t.flags & (SHOUTED_LINE | SENTENCE_START)) ^ t.shape,
    ));
    for (d, template) in [(0isize, 30u64), (-1, 31), (1, 32)] {
        let gaz = at(d).map_or(0, |t| t.gaz);
        let mut bits = gaz;
        while bits != 0 {
            let bit = bits.trailing_zeros();
            bits &= bits - 1;
            out(mix(template, u64::from(bit)));
            if d == 0 {
                // The class with the token's capitalisation.
                out(mix(33, (u64::from(bit) << 8) | u64::from(t.flags & 0x47)));
            }
        }
        if d == 0 && gaz == 0 {
            out(mix(34, u64::from(t.flags & 0x47)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn key(info: &TokenInfo) -> (u64, u64, [u64; 3], [u64; 4], u8, u16) {
        (
            info.lower,
            info.shape,
            info.prefix,
            info.suffix,
            info.flags,
            info.gaz,
        )
    }

    #[test]
    fn token_infos_of_a_window_do_not_depend_on_the_windows_before_it() {
        let lexicon = Lexicon::load();
        let text = "The Bank of England and the United Nations Security Council met in \
                    New York . \"Reuters\" said São Paulo 's mayor , Mr. Smith , left .";
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let n = tokens.len();
        // Every window and core, computed alone and after the windows
        // that end before it (the order tagging asks for them in) and
        // after all of them.
        let mut warm = SequenceCache::default();
        warm.reset(n);
        for from in 0..n {
            for to in from + 1..=n.min(from + 7) {
                for core in [from..to, (from + 1).min(to)..to.saturating_sub(1).max(from)] {
                    let mut alone = Vec::new();
                    token_infos(
                        text,
                        &tokens,
                        (from, to),
                        core.clone(),
                        false,
                        &lexicon,
                        &mut alone,
                    );
                    let mut cached = Vec::new();
                    token_infos_cached(
                        text,
                        &tokens,
                        (from, to),
                        core.clone(),
                        false,
                        &lexicon,
                        &mut warm,
                        &mut cached,
                    );
                    let alone: Vec<_> = alone.iter().map(key).collect();
                    let cached: Vec<_> = cached.iter().map(key).collect();
                    assert_eq!(alone, cached, "window {from}..{to}, core {core:?}");
                }
            }
        }
        // Names cover tokens after their first word, within the window.
        let united = tokens
            .iter()
            .position(|t| &text[t.start as usize..t.end as usize] == "United")
            .unwrap();
        let mut infos = Vec::new();
        token_infos(
            text,
            &tokens,
            (united, united + 2),
            united..united + 2,
            false,
            &lexicon,
            &mut infos,
        );
        assert_ne!(infos[0].gaz & 0xff, 0);
        assert_ne!(infos[1].gaz >> 8, 0);
        infos.clear();
        token_infos(
            text,
            &tokens,
            (united + 1, united + 2),
            united + 1..united + 2,
            false,
            &lexicon,
            &mut infos,
        );
        assert_eq!(infos[0].gaz >> 8, 0);
    }
}
