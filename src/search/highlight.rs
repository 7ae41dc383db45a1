//! Highlights: the spans of a passage that a query matched.
//!
//! The passage is run through the same analyzer as the index, so every
//! stemmed or folded form of a query word lights up ("sanctions" for
//! "sanction"), and a phrase is one span from its first to its last word.

use tantivy::tokenizer::TextAnalyzer;

use crate::passage::CharOffsets;

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
    pub(crate) fn spans(&self, analyzer: &mut TextAnalyzer, text: &str) -> Vec<[usize; 2]> {
        if self.sequences.is_empty() {
            return Vec::new();
        }
        let mut tokens: Vec<(String, usize, usize)> = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            tokens.push((token.text.clone(), token.offset_from, token.offset_to));
        }
        let mut byte_spans: Vec<(usize, usize)> = Vec::new();
        for sequence in &self.sequences {
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
    use crate::schema::Schema;

    #[test]
    fn stemmed_forms_and_whole_phrases_are_highlighted() {
        let mut analyzer = Schema::default().analyzer("english");
        let mut highlighter = Highlighter::default();
        highlighter.add(analyze(&mut analyzer, "sanction"));
        highlighter.add(analyze(&mut analyzer, "oil prices"));
        let text = "New sanctions hit Côte d'Ivoire as oil prices rose; Sanction talk.";
        let spans = highlighter.spans(&mut analyzer, text);
        let pieces: Vec<String> = spans
            .iter()
            .map(|[s, e]| text.chars().skip(*s).take(e - s).collect())
            .collect();
        assert_eq!(pieces, ["sanctions", "oil prices", "Sanction"]);
    }
}
