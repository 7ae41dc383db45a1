//! Scoring: BM25 over passages, and how passage scores become an
//! article's score.
//!
//! Passages are the only indexed copy of the body, so whole-article
//! statistics are rebuilt from them: an article's term frequency is the sum
//! over its passages, its length the sum of their lengths, and a term's
//! article frequency the number of distinct articles among its postings.

use serde::{Deserialize, Serialize};

/// How the query text is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuerySyntax {
    /// Operators, phrases, scopes and filters (`+oil -opec "a b" title:x`).
    #[default]
    Full,
    /// Natural language: every word is an optional search word; `and`,
    /// `or`, `not`, `-` and quotes are plain text.
    Natural,
}

/// How an article's score is made from its passages' scores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    /// For each query word, its best passage score; summed over words.
    Words,
    /// The best passage's score.
    Best,
    /// The sum of the `top_k` best passages' scores.
    TopK,
    /// BM25 of the whole article, from its passages' statistics (the
    /// default: best on every development collection, see RANKING.md).
    #[default]
    Article,
    /// `mix` × the whole-article score + (1 − `mix`) × the best passage.
    Mix,
}

/// Ranking parameters. The defaults are the ones chosen by measurement
/// (see RANKING.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// BM25 term-frequency saturation.
    pub k1: f32,
    /// BM25 length normalization, 0 (none) to 1 (full).
    pub b: f32,
    /// How passage scores become the article's.
    pub aggregation: Aggregation,
    /// Passages summed by [`Aggregation::TopK`].
    pub top_k: usize,
    /// Weight of the whole-article score in [`Aggregation::Mix`].
    pub mix: f32,
    /// Weight of headline matches scored on their own (BM25 of the title
    /// field, added to the article's score). Off by default: counting the
    /// headline inside the article (`title_weight`) measured better.
    pub title_boost: f32,
    /// Weight of the headline inside the whole-article score (BM25F): a
    /// headline word counts as this many body occurrences; `None` takes
    /// the schema's title boost.
    pub title_weight: Option<f32>,
    /// Weight of the proximity score: query words found together in one
    /// passage.
    pub proximity: f32,
    /// Pseudo-relevance feedback: words typical of this many top articles
    /// are added to the query, re-ranking (never widening) the matches;
    /// 0 turns it off.
    pub feedback_docs: usize,
    /// Words added by feedback.
    pub feedback_terms: usize,
    /// Weight of the strongest feedback word relative to a query word.
    pub feedback_weight: f32,
}

impl Default for Ranking {
    fn default() -> Ranking {
        Ranking {
            k1: 2.5,
            b: 0.75,
            aggregation: Aggregation::default(),
            top_k: 3,
            mix: 0.5,
            title_boost: 0.0,
            title_weight: None,
            proximity: 0.0,
            feedback_docs: 5,
            feedback_terms: 10,
            feedback_weight: 0.5,
        }
    }
}

/// BM25 inverse document frequency (the form tantivy and Lucene use).
pub(crate) fn idf(doc_freq: u64, num_docs: u64) -> f32 {
    let df = doc_freq.min(num_docs) as f32;
    (1.0 + (num_docs as f32 - df + 0.5) / (df + 0.5)).ln()
}

/// BM25 term-frequency part for a document of `len` tokens.
pub(crate) fn tf_part(ranking: &Ranking, tf: f32, len: f32, avg_len: f32) -> f32 {
    if tf <= 0.0 {
        return 0.0;
    }
    let norm = 1.0 - ranking.b + ranking.b * len / avg_len.max(1.0);
    tf * (ranking.k1 + 1.0) / (tf + ranking.k1 * norm)
}

/// Score parts of one article, kept for `explain`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScoreParts {
    /// Headline matches, boosted.
    pub title: f32,
    /// Sum over query words of each word's best passage score.
    pub words: f32,
    /// The best passage's score.
    pub best_passage: f32,
    /// The sum of the top-k passage scores.
    pub top_k: f32,
    /// Whole-article BM25 from passage statistics.
    pub article: f32,
    /// Best passage's proximity score: for each pair of query words both
    /// in the passage, the smaller of their scores; summed over pairs and
    /// divided by the number of words minus one.
    pub proximity: f32,
    /// Passages that matched.
    pub matched_passages: usize,
    /// The final score written out as a sum of the parts in use.
    #[serde(default)]
    pub formula: String,
}

impl ScoreParts {
    /// Writes how `total` is made under `ranking`, with the numbers.
    pub(crate) fn describe(&self, ranking: &Ranking) -> String {
        let body = match ranking.aggregation {
            Aggregation::Words => format!("per-word best passages {:.3}", self.words),
            Aggregation::Best => format!("best passage {:.3}", self.best_passage),
            Aggregation::TopK => format!("top {} passages {:.3}", ranking.top_k, self.top_k),
            Aggregation::Article => {
                format!("whole-article BM25 from passages {:.3}", self.article)
            }
            Aggregation::Mix => format!(
                "{} × whole-article {:.3} + {} × best passage {:.3}",
                ranking.mix,
                self.article,
                1.0 - ranking.mix,
                self.best_passage
            ),
        };
        let mut formula = format!("{:.3} = {body}", self.total(ranking));
        if self.title > 0.0 {
            formula.push_str(&format!(" + headline alone {:.3}", self.title));
        }
        if ranking.proximity > 0.0 {
            formula.push_str(&format!(
                " + {} × proximity {:.3}",
                ranking.proximity, self.proximity
            ));
        }
        formula.push_str(&format!(
            " ({} passages matched, best {:.3})",
            self.matched_passages, self.best_passage
        ));
        formula
    }

    /// The final score under `ranking`.
    pub(crate) fn total(&self, ranking: &Ranking) -> f32 {
        let body = match ranking.aggregation {
            Aggregation::Words => self.words,
            Aggregation::Best => self.best_passage,
            Aggregation::TopK => self.top_k,
            Aggregation::Article => self.article,
            Aggregation::Mix => {
                ranking.mix * self.article + (1.0 - ranking.mix) * self.best_passage
            }
        };
        self.title + body + ranking.proximity * self.proximity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_terms_weigh_more_and_repeats_saturate() {
        assert!(idf(1, 1000) > idf(100, 1000));
        let r = Ranking::default();
        let once = tf_part(&r, 1.0, 10.0, 10.0);
        let twice = tf_part(&r, 2.0, 10.0, 10.0);
        assert!(twice > once && twice < 2.0 * once);
        // At average length, tf 1 gives exactly 1 with any k1.
        assert!((once - 1.0).abs() < 1e-6);
        // Longer documents are penalized when b > 0.
        assert!(tf_part(&r, 1.0, 40.0, 10.0) < once);
    }

    #[test]
    fn mix_blends_the_whole_article_and_the_best_passage() {
        let parts = ScoreParts {
            title: 1.0,
            best_passage: 2.0,
            article: 4.0,
            ..ScoreParts::default()
        };
        let ranking = Ranking {
            aggregation: Aggregation::Mix,
            mix: 0.25,
            ..Ranking::default()
        };
        assert!((parts.total(&ranking) - (1.0 + 0.25 * 4.0 + 0.75 * 2.0)).abs() < 1e-6);
    }
}
