//! One-pass analysis for the common analyzer shape.
//!
//! An analyzer of the schema is a chain: a tokenizer, then the filters
//! `RemoveLongFilter`, `LowerCaser`, `AsciiFoldingFilter`, maybe a
//! `StopWordFilter`, maybe the stemmer, each boxed behind its own virtual
//! call per token. Indexing runs it over every title and passage, where it
//! was half of tantivy's indexing thread (callgrind, BENCHMARKS.md). For
//! the `simple` tokenizer without stop words, [`OnePass`] does the same
//! work in one loop: it splits words itself, normalizes ASCII words byte
//! by byte (folding leaves ASCII as it is) and looks their stems up by the
//! word as written, so a word seen before costs one hash lookup. Other
//! words (rare in news) still go through tantivy's own lowercasing and
//! folding filters, so the tokens are the chain's exactly; other shapes
//! keep the chain.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

use crate::schema::AnalyzerSpec;

/// One run of alphanumeric characters, what tantivy's `SimpleTokenizer`
/// makes a token of: its byte range in the text and whether it is ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
    pub ascii: bool,
}

/// Per byte: 1 for an ASCII letter or digit, 2 for a byte of a non-ASCII
/// character (classified by decoding it), 0 for any other ASCII byte. One
/// load per byte where `is_ascii_alphanumeric` makes three range checks.
const BYTE_CLASS: [u8; 256] = {
    let mut class = [2u8; 256];
    let mut b = 0;
    while b < 128 {
        class[b] = (b as u8).is_ascii_alphanumeric() as u8;
        b += 1;
    }
    class
};

/// The words of a text as the `simple` tokenizer splits it: runs of
/// characters that are alphanumeric in Unicode's sense.
pub(crate) struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Words<'a> {
    pub(crate) fn new(text: &'a str) -> Words<'a> {
        Words { text, at: 0 }
    }

    /// Whether the non-ASCII character at byte `i` is alphanumeric, and
    /// its width in bytes.
    #[inline(never)]
    fn wide(&self, i: usize) -> (bool, usize) {
        // `i` is always on a character boundary.
        let c = self.text[i..].chars().next().unwrap_or_default();
        (c.is_alphanumeric(), c.len_utf8())
    }
}

impl Iterator for Words<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        // ASCII, nearly all of news text, is classified byte by byte
        // without decoding.
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        let mut i = self.at;
        loop {
            let Some(&b) = bytes.get(i) else {
                self.at = len;
                return None;
            };
            match BYTE_CLASS[b as usize] {
                1 => break,
                0 => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let (alphanumeric, width) = self.wide(i);
            if alphanumeric {
                break;
            }
            i += width;
        }
        let start = i;
        let mut ascii = true;
        while let Some(&b) = bytes.get(i) {
            match BYTE_CLASS[b as usize] {
                1 => {
                    i += 1;
                    continue;
                }
                0 => break,
                _ => {}
            }
            let (alphanumeric, width) = self.wide(i);
            if !alphanumeric {
                break;
            }
            ascii = false;
            i += width;
        }
        // The separator that ended the word is skipped by the next call.
        self.at = i;
        Some(Word {
            start,
            end: i,
            ascii,
        })
    }
}

/// Whether `spec` splits words like [`Words`] and keeps every word it
/// does not drop for length, so that a word's token depends on the word
/// alone.
pub(crate) fn splits_simply(spec: &AnalyzerSpec) -> bool {
    spec.tokenizer == "simple" && spec.stop_words == "none"
}

/// Words whose stems are remembered per analyzer before a memo starts
/// over (a few MB).
pub(crate) const STEM_MEMO_WORDS: usize = 50_000;

/// The English Snowball stem of `word` (the stemmer tantivy's `Stemmer`
/// runs).
pub(crate) fn english_stem(word: &str) -> String {
    frostem::Stemmer::new(frostem::Algorithm::English)
        .stem(word)
        .into_owned()
}

/// The schema's analyzer chain for the `simple` tokenizer without stop
/// words, run in one pass with the same tokens: text, position, offsets
/// and position length (tested against the chain on arbitrary text).
///
/// Each clone (one per field of a segment writer, one per query) has its
/// own stem memos, so no lock is shared.
#[derive(Clone)]
pub(crate) struct OnePass {
    /// Words of this many bytes or more are dropped (the chain's
    /// `RemoveLongFilter`, which looks at the word as written).
    limit: usize,
    lowercase: bool,
    stem: bool,
    /// Lowercasing and folding as the chain does them, for non-ASCII words.
    other: TextAnalyzer,
    token: Token,
    /// Stems of ASCII words keyed by the word as written ("Oil" and "oil"
    /// apart), so a known word is neither copied nor lowercased first.
    ascii_stems: FxHashMap<Box<str>, Box<str>>,
    /// Stems of the other words keyed by their normalized form: kept apart
    /// because folding can give uppercase ASCII ("ᴀ" folds to "A") whose
    /// stem differs from that of the same word as written.
    other_stems: FxHashMap<Box<str>, Box<str>>,
}

impl OnePass {
    /// The one-pass analyzer for `spec`, if it has the shape this handles.
    pub(crate) fn new(spec: &AnalyzerSpec) -> Option<OnePass> {
        if !splits_simply(spec) {
            return None;
        }
        let stem = match spec.stemmer.as_str() {
            "english" => true,
            "none" => false,
            _ => return None,
        };
        // A word is one raw token: the simple tokenizer would find it whole.
        let mut other = TextAnalyzer::builder(RawTokenizer::default()).dynamic();
        if spec.lowercase {
            other = other.filter_dynamic(LowerCaser);
        }
        if spec.ascii_folding {
            other = other.filter_dynamic(AsciiFoldingFilter);
        }
        Some(OnePass {
            limit: spec.max_token_length,
            lowercase: spec.lowercase,
            stem,
            other: other.build(),
            token: Token::default(),
            ascii_stems: FxHashMap::default(),
            other_stems: FxHashMap::default(),
        })
    }
}

impl Tokenizer for OnePass {
    type TokenStream<'a> = OnePassStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> OnePassStream<'a> {
        self.token.reset();
        OnePassStream {
            text,
            words: Words::new(text),
            analyzer: self,
        }
    }
}

/// The tokens of one text, from [`OnePass`].
pub(crate) struct OnePassStream<'a> {
    text: &'a str,
    words: Words<'a>,
    analyzer: &'a mut OnePass,
}

impl TokenStream for OnePassStream<'_> {
    fn advance(&mut self) -> bool {
        let OnePass {
            limit,
            lowercase,
            stem,
            other,
            token,
            ascii_stems,
            other_stems,
        } = &mut *self.analyzer;
        for word in self.words.by_ref() {
            // A dropped word still takes its position, as in the chain.
            token.position = token.position.wrapping_add(1);
            if word.end - word.start >= *limit {
                continue;
            }
            let raw = &self.text[word.start..word.end];
            token.offset_from = word.start;
            token.offset_to = word.end;
            token.text.clear();
            if word.ascii {
                if *stem && let Some(known) = ascii_stems.get(raw) {
                    token.text.push_str(known);
                    return true;
                }
                token.text.push_str(raw);
                if *lowercase {
                    token.text.make_ascii_lowercase();
                }
                if *stem {
                    let stemmed = english_stem(&token.text);
                    remember(ascii_stems, raw, &stemmed);
                    token.text = stemmed;
                }
            } else {
                let mut normalized = other.token_stream(raw);
                if normalized.advance() {
                    token.text.push_str(&normalized.token().text);
                }
                if *stem {
                    match other_stems.get(token.text.as_str()) {
                        Some(known) => {
                            token.text.clear();
                            token.text.push_str(known);
                        }
                        None => {
                            let stemmed = english_stem(&token.text);
                            remember(other_stems, &token.text, &stemmed);
                            token.text = stemmed;
                        }
                    }
                }
            }
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.analyzer.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.analyzer.token
    }
}

/// Adds `word`'s stem to `memo`, emptying it first when full so that its
/// memory stays bounded.
fn remember(memo: &mut FxHashMap<Box<str>, Box<str>>, word: &str, stem: &str) {
    if memo.len() >= STEM_MEMO_WORDS {
        memo.clear();
    }
    memo.insert(word.into(), stem.into());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    /// Every token of `text` in full.
    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |token| out.push(token.clone()));
        out
    }

    fn spec(lowercase: bool, folding: bool, stemmer: &str, limit: usize) -> AnalyzerSpec {
        let mut spec = Schema::default().analyzers["english"].clone();
        spec.lowercase = lowercase;
        spec.ascii_folding = folding;
        spec.stemmer = stemmer.to_string();
        spec.max_token_length = limit;
        spec
    }

    fn both(spec: &AnalyzerSpec) -> (TextAnalyzer, TextAnalyzer) {
        let one = TextAnalyzer::from(OnePass::new(spec).expect("simple shape"));
        (one, crate::schema::chain(spec))
    }

    #[test]
    fn words_are_runs_of_unicode_alphanumerics() {
        let text = "Côte d'Ivoire, 1987—中国 x";
        let words: Vec<(&str, bool)> = Words::new(text)
            .map(|w| (&text[w.start..w.end], w.ascii))
            .collect();
        assert_eq!(
            words,
            [
                ("Côte", false),
                ("d", true),
                ("Ivoire", true),
                ("1987", true),
                ("中国", false),
                ("x", true)
            ]
        );
    }

    #[test]
    fn one_pass_gives_the_chains_tokens_with_positions_after_dropped_words() {
        let (mut one, mut chain) = both(&spec(true, true, "english", 10));
        let text = "Ministers' MEETINGS: naïve Cafés, ᴀbc internationally running 中国.";
        let expected = tokens(&mut chain, text);
        assert_eq!(tokens(&mut one, text), expected);
        // Again, from the memos.
        assert_eq!(tokens(&mut one, text), expected);
        let positions: Vec<usize> = expected.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4, 6, 7]);
    }

    #[test]
    fn a_word_as_written_and_lowercased_share_a_stem_in_either_order() {
        for lowercase in [true, false] {
            let (mut one, mut chain) = both(&spec(lowercase, true, "english", 40));
            let text = "Meetings MEETINGS meetings Meetings running Running RUNNING";
            let expected = tokens(&mut chain, text);
            assert_eq!(tokens(&mut one, text), expected);
            assert_eq!(tokens(&mut one, text), expected);
        }
    }

    #[test]
    fn other_shapes_keep_the_chain() {
        let mut stop = spec(true, true, "english", 40);
        stop.stop_words = "english".to_string();
        assert!(OnePass::new(&stop).is_none());
        let mut whitespace = spec(true, true, "english", 40);
        whitespace.tokenizer = "whitespace".to_string();
        assert!(OnePass::new(&whitespace).is_none());
    }

    #[test]
    fn stems_stay_right_after_the_memos_start_over() {
        let (mut one, mut chain) = both(&spec(true, true, "english", 40));
        let text: String = (0..STEM_MEMO_WORDS + 10)
            .map(|i| format!("Running{i} méetings "))
            .collect();
        let expected = tokens(&mut chain, &text);
        assert_eq!(tokens(&mut one, &text), expected);
        assert_eq!(tokens(&mut one, &text), expected);
    }

    proptest::proptest! {
        #[test]
        fn one_pass_and_the_chain_give_identical_tokens_on_any_text(
            text in "([a-zA-Z0-9]{0,14}|[ ,.'_\\-\n\t]|[àéîõüÀÉÎÕÜçÇßøØæÆœ]|[İıΣσςẞᴀﬁ]|[中国日本語]|[\u{300}\u{301}\u{1F600}\u{200B}\u{A0}]|[١٢٣²½Ⅻ]|\\PC){0,40}",
            lowercase in proptest::bool::ANY,
            folding in proptest::bool::ANY,
            stemmed in proptest::bool::ANY,
            limit in 1usize..20,
        ) {
            let stemmer = if stemmed { "english" } else { "none" };
            let (mut one, mut chain) = both(&spec(lowercase, folding, stemmer, limit));
            let expected = tokens(&mut chain, &text);
            proptest::prop_assert_eq!(tokens(&mut one, &text), expected.clone());
            // The second run is served from the memos.
            proptest::prop_assert_eq!(tokens(&mut one, &text), expected);
        }
    }
}
