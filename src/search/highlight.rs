//! Highlights: the spans of a passage that a query matched.
//!
//! The passage is run through the same analyzer as the index, so every
//! stemmed or folded form of a query word lights up ("sanctions" for
//! "sanction"), and a phrase is one span from its first to its last word.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer};

use crate::analysis::{Word, Words, splits_simply};
use crate::passage::CharOffsets;
use crate::schema::Schema;

/// Stems already computed, shared by the searches of one index. Stemming
/// was the largest single cost of showing passages and of feedback (which
/// reads whole articles), and news text repeats its words.
pub(crate) type StemMemo = Arc<Mutex<FxHashMap<String, String>>>;

/// Words kept in a [`StemMemo`] before it starts over.
const MAX_STEMS: usize = 200_000;

/// Words kept in one [`Tokens`]' own map before it starts over (a few MB;
/// a few analyzers are kept between searches).
const MAX_SEEN: usize = 50_000;

/// An analyzer of the schema for search-time text, its tokens given with
/// their byte offsets: the same chain as the index's, with the stemmer's
/// answers kept in a [`StemMemo`].
pub(crate) struct Tokens {
    /// The chain without its stemmer when `stemmer` is set, else the whole.
    plain: TextAnalyzer,
    /// Stems one word, the last step of the chain.
    stemmer: Option<(TextAnalyzer, StemMemo)>,
    /// The stems this `Tokens` has seen, so that a word met before takes
    /// neither the shared memo's lock nor a copy of its stem (feedback
    /// reads whole articles, where most words repeat).
    seen: FxHashMap<String, String>,
    /// For the `simple` tokenizer without stop words: its token length
    /// limit and whether it lowercases. Words are then split by
    /// `analysis::Words` and ASCII words normalized here (folding leaves
    /// ASCII as it is), which costs a fraction of a trip through the
    /// boxed chain per token; other words still take the chain.
    simple: Option<(usize, bool)>,
}

impl Tokens {
    /// The analyzer `name` of `schema`.
    pub(crate) fn new(schema: &Schema, name: &str, memo: &StemMemo) -> Tokens {
        // The stemmer ends the chain (`Schema::analyzer`), so the chain
        // without it, then the stemmer on each word, is the same analysis.
        // Stemmers not known here keep the whole chain.
        let simple = schema
            .analyzers
            .get(name)
            .filter(|spec| splits_simply(spec))
            .map(|spec| (spec.max_token_length, spec.lowercase));
        match schema.analyzers.get(name).map(|spec| spec.stemmer.as_str()) {
            Some("english") => {
                let mut plain = schema.clone();
                if let Some(spec) = plain.analyzers.get_mut(name) {
                    spec.stemmer = "none".to_string();
                }
                let stemmer = TextAnalyzer::builder(RawTokenizer::default())
                    .filter(Stemmer::new(Language::English))
                    .build();
                Tokens {
                    plain: plain.analyzer(name),
                    stemmer: Some((stemmer, Arc::clone(memo))),
                    seen: FxHashMap::default(),
                    simple,
                }
            }
            _ => Tokens {
                plain: schema.analyzer(name),
                stemmer: None,
                seen: FxHashMap::default(),
                simple,
            },
        }
    }

    /// Calls `f` with each token of `text` and its byte range.
    pub(crate) fn each(&mut self, text: &str, mut f: impl FnMut(&str, usize, usize)) {
        let Tokens {
            plain,
            stemmer,
            seen,
            simple,
        } = self;
        let Some((limit, lowercase)) = *simple else {
            let mut stream = plain.token_stream(text);
            while stream.advance() {
                let token = stream.token();
                stem(stemmer, seen, &token.text, |t| {
                    f(t, token.offset_from, token.offset_to)
                });
            }
            return;
        };
        let mut word = String::new();
        for Word {
            start,
            end: i,
            ascii,
        } in Words::new(text)
        {
            // The chain's `RemoveLongFilter`, on the word as written.
            if i - start >= limit {
                continue;
            }
            let raw = &text[start..i];
            if ascii {
                word.clear();
                word.push_str(raw);
                if lowercase {
                    word.make_ascii_lowercase();
                }
                stem(stemmer, seen, &word, |t| f(t, start, i));
            } else {
                // The chain on the word alone gives the word's token as in
                // context: the tokenizer finds the same single word.
                let mut stream = plain.token_stream(raw);
                while stream.advance() {
                    let token = stream.token();
                    stem(stemmer, seen, &token.text, |t| {
                        f(t, start + token.offset_from, start + token.offset_to)
                    });
                }
            }
        }
    }
}

/// Passes the stem of `token` (the token itself without a stemmer) to `f`,
/// from `seen`, else from the shared memo, else from the stemmer.
fn stem(
    stemmer: &mut Option<(TextAnalyzer, StemMemo)>,
    seen: &mut FxHashMap<String, String>,
    token: &str,
    f: impl FnOnce(&str),
) {
    let Some((stemmer, memo)) = stemmer else {
        return f(token);
    };
    if let Some(stem) = seen.get(token) {
        return f(stem);
    }
    let known = memo
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(token)
        .cloned();
    let stem = match known {
        Some(stem) => stem,
        None => {
            let mut one = stemmer.token_stream(token);
            let stem = if one.advance() {
                one.token().text.clone()
            } else {
                token.to_string()
            };
            let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
            if memo.len() >= MAX_STEMS {
                memo.clear();
            }
            memo.insert(token.to_string(), stem.clone());
            stem
        }
    };
    f(&stem);
    // Bounded: an analyzer is kept between searches (`SearchCache`).
    if seen.len() >= MAX_SEEN {
        seen.clear();
    }
    seen.insert(token.to_string(), stem);
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
        let mut tokens: Vec<(usize, usize, usize)> = Vec::with_capacity(text.len() / 4 + 1);
        analyzer.each(text, |token, from, to| {
            let id = words.iter().position(|w| *w == token).unwrap_or(usize::MAX);
            tokens.push((id, from, to));
        });
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

    #[test]
    fn stemmed_forms_and_whole_phrases_are_highlighted() {
        let schema = Schema::default();
        let mut analyzer = schema.analyzer("english");
        let mut highlighter = Highlighter::default();
        highlighter.add(analyze(&mut analyzer, "sanction"));
        highlighter.add(analyze(&mut analyzer, "oil prices"));
        let text = "New sanctions hit Côte d'Ivoire as oil prices rose; Sanction talk.";
        let mut tokens = Tokens::new(&schema, "english", &StemMemo::default());
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
        let memo = StemMemo::default();
        let text = "Running runners ran; the Ministers' ministries: naïve CAFÉS, \
                    generously generalized, 1987 figures and sanctioned sanctions.";
        for name in schema.analyzers.keys() {
            let expected = whole_chain(&schema, name, text);
            // Twice: the second pass reads the memo.
            for _ in 0..2 {
                let mut got = Vec::new();
                Tokens::new(&schema, name, &memo)
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
                Tokens::new(&schema, name, &StemMemo::default())
                    .each(&text, |t, from, to| got.push((t.to_string(), from, to)));
                proptest::prop_assert_eq!(got, whole_chain(&schema, name, &text));
            }
        }
    }
}
