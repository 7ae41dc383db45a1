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
