//! Highlights: the spans of a passage that a query matched.
//!
//! The passage is run through the same analyzer as the index, so every
//! stemmed or folded form of a query word lights up ("sanctions" for
//! "sanction"), and a phrase is one span from its first to its last word.

use tantivy::tokenizer::TextAnalyzer;

use crate::passage::CharOffsets;
use crate::schema::Schema;

/// An analyzer of the schema for search-time text, its tokens given with
/// their byte offsets: the index's own analyzer (`Schema::analyzer`), whose
/// stemmer keeps a memo of the stems it met, so an analyzer kept between
/// searches (`SearchCache`) meets a feedback article's repeated words
/// without stemming them again.
pub(crate) struct Tokens {
    analyzer: TextAnalyzer,
}

impl Tokens {
    /// The analyzer `name` of `schema`.
    pub(crate) fn new(schema: &Schema, name: &str) -> Tokens {
        Tokens {
            analyzer: schema.analyzer(name),
        }
    }

    /// Calls `f` with each token of `text` and its byte range.
    pub(crate) fn each(&mut self, text: &str, mut f: impl FnMut(&str, usize, usize)) {
        let mut stream = self.analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            f(&token.text, token.offset_from, token.offset_to);
        }
    }
}

/// What to look for: single terms and phrases, already analyzed.
#[derive(Clone, Debug, Default)]
pub(crate) struct Highlighter {
    /// Analyzed token sequences; a sequence of one is a plain term.
    sequences: Vec<Vec<String>>,
}

impl Highlighter {
    pub(crate) fn add(&mut self, tokens: Vec<String>) {
        if !tokens.is_empty() && !self.sequences.contains(&tokens) {
            self.sequences.push(tokens);
        }
    }

    /// Returns sorted, non-overlapping `[start, end)` code point spans in `text`.
    pub(crate) fn spans(&self, analyzer: &mut Tokens, text: &str) -> Vec<[usize; 2]> {
        self.spans_of(text, |each| analyzer.each(text, each))
    }

    /// [`Highlighter::spans`] of a text whose tokens are known already, as
    /// (token, start byte, end byte) in text order.
    pub(crate) fn spans_known<'t>(
        &self,
        text: &str,
        tokens: impl Iterator<Item = (&'t str, usize, usize)>,
    ) -> Vec<[usize; 2]> {
        self.spans_of(text, |each| {
            for (token, from, to) in tokens {
                each(token, from, to);
            }
        })
    }

    /// The spans of `text`, whose tokens `tokens` gives to the function it
    /// is handed.
    fn spans_of(
        &self,
        text: &str,
        tokens: impl FnOnce(&mut dyn FnMut(&str, usize, usize)),
    ) -> Vec<[usize; 2]> {
        if self.sequences.is_empty() {
            return Vec::new();
        }
        // Tokens as the index of the query word they equal (`usize::MAX`
        // for none), so that no token text is copied.
        let mut words: Vec<&str> = Vec::new();
        let sequences: Vec<Vec<usize>> = self
            .sequences
            .iter()
            .map(|sequence| {
                sequence
                    .iter()
                    .map(|word| match words.iter().position(|w| w == word) {
                        Some(id) => id,
                        None => {
                            words.push(word);
                            words.len() - 1
                        }
                    })
                    .collect()
            })
            .collect();
        // News words with their separators average over four bytes, so
        // this is room for a passage's tokens at once (it grows if not).
        let mut found: Vec<(usize, usize, usize)> = Vec::with_capacity(text.len() / 4 + 1);
        tokens(&mut |token, from, to| {
            let id = words.iter().position(|w| *w == token).unwrap_or(usize::MAX);
            found.push((id, from, to));
        });
        let tokens = found;
        let mut byte_spans: Vec<(usize, usize)> = Vec::new();
        for sequence in &sequences {
            if sequence.len() > tokens.len() {
                continue;
            }
            for at in 0..=tokens.len() - sequence.len() {
                if sequence
                    .iter()
                    .zip(&tokens[at..])
                    .all(|(want, got)| *want == got.0)
                {
                    byte_spans.push((tokens[at].1, tokens[at + sequence.len() - 1].2));
                }
            }
        }
        byte_spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (start, end) in byte_spans {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        let mut offsets = CharOffsets::new(text);
        merged
            .into_iter()
            .map(|(start, end)| [offsets.at(start), offsets.at(end)])
            .collect()
    }
}

/// A token of a known text: (index of its word, start byte, end byte).
pub(crate) type KnownToken = (u32, u32, u32);

/// The body tokens of articles a search has analyzed already (feedback's
/// top articles, which are mostly on the page too), so that their shown
/// passages are not analyzed a second time.
#[derive(Default)]
pub(crate) struct KnownTokens {
    /// The distinct tokens, one after another.
    keys: String,
    /// Each distinct token's byte range in `keys`.
    words: Vec<(u32, u32)>,
    /// Per article, as (segment, document): its body's tokens as (index in
    /// `words`, start byte, end byte), in text order.
    articles: Vec<((u32, u32), Vec<KnownToken>)>,
}

impl KnownTokens {
    /// Known tokens over the distinct tokens `words` (byte ranges of `keys`).
    pub(crate) fn new(keys: String, words: Vec<(u32, u32)>) -> KnownTokens {
        KnownTokens {
            keys,
            words,
            articles: Vec::new(),
        }
    }

    /// Adds the body tokens of the article at (segment, document).
    pub(crate) fn add(&mut self, article: (u32, u32), tokens: Vec<KnownToken>) {
        self.articles.push((article, tokens));
    }

    /// The tokens of `body[range]`, with byte offsets from the range's
    /// start, if the article's body tokens are known and no word runs
    /// across either end of the range. Then analyzing the slice alone gives
    /// exactly these tokens: a token is made from one run of alphanumeric
    /// characters alone, and the slice's runs are the body's runs that lie
    /// inside it.
    pub(crate) fn within<'s>(
        &'s self,
        article: (u32, u32),
        body: &str,
        range: std::ops::Range<usize>,
    ) -> Option<impl Iterator<Item = (&'s str, usize, usize)>> {
        let (_, tokens) = self.articles.iter().find(|(a, _)| *a == article)?;
        if splits_word(body, range.start) || splits_word(body, range.end) {
            return None;
        }
        let (start, end) = (range.start as u32, range.end as u32);
        let first = tokens.partition_point(|t| t.1 < start);
        Some(tokens[first..].iter().take_while(move |t| t.2 <= end).map(
            move |&(word, from, to)| {
                let (a, b) = self.words[word as usize];
                (
                    &self.keys[a as usize..b as usize],
                    (from - start) as usize,
                    (to - start) as usize,
                )
            },
        ))
    }
}

/// Whether a run of alphanumeric characters (what a word is to the
/// `simple` tokenizer) goes on across byte `at` of `text`.
fn splits_word(text: &str, at: usize) -> bool {
    let before = text.get(..at).and_then(|t| t.chars().next_back());
    let after = text.get(at..).and_then(|t| t.chars().next());
    matches!((before, after), (Some(b), Some(a)) if b.is_alphanumeric() && a.is_alphanumeric())
}

/// Analyzes `text` into its tokens.
pub(crate) fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::{prop_assert, prop_assert_eq};

    #[test]
    fn stemmed_forms_and_whole_phrases_are_highlighted() {
        let schema = Schema::default();
        let mut analyzer = schema.analyzer("english");
        let mut highlighter = Highlighter::default();
        highlighter.add(analyze(&mut analyzer, "sanction"));
        highlighter.add(analyze(&mut analyzer, "oil prices"));
        let text = "New sanctions hit Côte d'Ivoire as oil prices rose; Sanction talk.";
        let mut tokens = Tokens::new(&schema, "english");
        let spans = highlighter.spans(&mut tokens, text);
        let pieces: Vec<String> = spans
            .iter()
            .map(|[s, e]| text.chars().skip(*s).take(e - s).collect())
            .collect();
        assert_eq!(pieces, ["sanctions", "oil prices", "Sanction"]);
    }

    #[test]
    fn memoized_stemming_gives_the_index_analyzers_tokens() {
        let schema = Schema::default();
        let text = "Running runners ran; the Ministers' ministries: naïve CAFÉS, \
                    generously generalized, 1987 figures and sanctioned sanctions.";
        for name in schema.analyzers.keys() {
            let expected = whole_chain(&schema, name, text);
            // Twice: the second pass reads the memo.
            for _ in 0..2 {
                let mut got = Vec::new();
                Tokens::new(&schema, name)
                    .each(text, |t, from, to| got.push((t.to_string(), from, to)));
                assert_eq!(got, expected, "{name}");
            }
        }
    }

    /// Each analyzer of the schema run as the chain of tantivy filters, as
    /// (token, from, to).
    fn whole_chain(schema: &Schema, name: &str, text: &str) -> Vec<(String, usize, usize)> {
        let mut whole = crate::schema::chain(&schema.analyzers[name]);
        let mut expected = Vec::new();
        let mut stream = whole.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            expected.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        expected
    }

    proptest::proptest! {
        #[test]
        fn known_tokens_highlight_a_slice_as_analyzing_it_does(
            body in "[a-zA-Z0-9 ,.'éÉß中\u{300}-]{0,100}",
            cuts in proptest::collection::vec(0usize..120, 2),
            words in proptest::collection::vec("[a-zA-Zé]{1,6}", 1..4),
        ) {
            let schema = Schema::default();
            let mut analyzer = schema.analyzer("english");
            let mut highlighter = Highlighter::default();
            for word in &words {
                highlighter.add(analyze(&mut analyzer, word));
            }
            highlighter.add(analyze(&mut analyzer, &words.join(" ")));
            // The body analyzed whole, as feedback does.
            let mut tokens = Tokens::new(&schema, "english");
            let (mut keys, mut distinct, mut found) = (String::new(), Vec::new(), Vec::new());
            tokens.each(&body, |token, from, to| {
                let start = keys.len() as u32;
                keys.push_str(token);
                distinct.push((start, keys.len() as u32));
                found.push((distinct.len() as u32 - 1, from as u32, to as u32));
            });
            let mut known = KnownTokens::new(keys, distinct);
            known.add((0, 7), found);
            let mut at: Vec<usize> = cuts.iter().map(|&c| c.min(body.len())).collect();
            at.sort_unstable();
            while !body.is_char_boundary(at[0]) {
                at[0] -= 1;
            }
            while !body.is_char_boundary(at[1]) {
                at[1] += 1;
            }
            let range = at[0]..at[1];
            let slice = &body[range.clone()];
            let expected = highlighter.spans(&mut tokens, slice);
            prop_assert!(known.within((0, 8), &body, range.clone()).is_none());
            if let Some(known) = known.within((0, 7), &body, range.clone()) {
                prop_assert_eq!(highlighter.spans_known(slice, known), expected);
            } else {
                // Only a range that cuts a word is refused.
                prop_assert!(super::splits_word(&body, range.start) || super::splits_word(&body, range.end));
            }
        }

        #[test]
        fn splitting_words_here_gives_the_chains_tokens(
            text in "[a-zA-Z0-9 ,.'_éÉßİıΣσ中\u{300}\u{1F600}-]{0,120}",
            stemmed in proptest::bool::ANY,
            lowercase in proptest::bool::ANY,
            limit in 1usize..12,
        ) {
            let mut schema = Schema::default();
            for spec in schema.analyzers.values_mut() {
                spec.stemmer = if stemmed { "english" } else { "none" }.to_string();
                spec.lowercase = lowercase;
                spec.max_token_length = limit;
            }
            for name in schema.analyzers.keys() {
                let mut got = Vec::new();
                Tokens::new(&schema, name)
                    .each(&text, |t, from, to| got.push((t.to_string(), from, to)));
                proptest::prop_assert_eq!(got, whole_chain(&schema, name, &text));
            }
        }
    }
}
