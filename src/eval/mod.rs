//! Ranking evaluation: TREC qrels and runs, and the standard measures
//! (MAP, nDCG@10, P@10, R@100) as trec_eval defines them. Extraction is
//! evaluated on CoNLL-2003 in [`extract`], and against Reuters-21578's
//! `PLACES` tags in [`places`].
//!
//! The definitions follow trec_eval so that numbers can be compared with
//! published ones and checked with pytrec_eval (`scripts/trec_check.py`):
//! a document is relevant when its grade is at least 1; a run is ranked by
//! score, ties broken by document id in descending order (trec_eval's
//! order); nDCG gains are the grades themselves with a `log2(rank + 1)`
//! discount, the ideal ranking built from every judged document.
//!
//! Averages are over every judged query that was asked (trec_eval's `-c`):
//! a query that retrieved nothing counts as zero rather than vanishing.

pub mod extract;
pub mod places;

/// Training the name tagger that extraction uses (`dateline eval
/// train-tagger`): the committed weights are this function's output.
pub mod tagger {
    pub use crate::extract::tagger::{DevScores, TrainOptions, TrainReport, train};
}

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::index::NewsIndex;
use crate::search::{QuerySyntax, Ranking, SearchRequest};

/// Relevance judgments: query id → document id → grade.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Qrels {
    judged: BTreeMap<String, HashMap<String, i32>>,
}

impl Qrels {
    /// Parses TREC qrels: `qid iteration docid grade` per line, separated by
    /// spaces or tabs; blank lines are skipped.
    pub fn parse(text: &str) -> Result<Qrels> {
        let mut judged: BTreeMap<String, HashMap<String, i32>> = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.is_empty() {
                continue;
            }
            let [qid, _, docid, grade] = fields[..] else {
                return Err(Error::Eval(format!(
                    "qrels line {}: expected `qid 0 docid grade`, found `{line}`",
                    n + 1
                )));
            };
            let grade: i32 = grade.parse().map_err(|_| {
                Error::Eval(format!(
                    "qrels line {}: grade `{grade}` is not an integer",
                    n + 1
                ))
            })?;
            judged
                .entry(qid.to_string())
                .or_default()
                .insert(docid.to_string(), grade);
        }
        Ok(Qrels { judged })
    }

    /// The judgments of one query, if it has any.
    pub fn query(&self, qid: &str) -> Option<&HashMap<String, i32>> {
        self.judged.get(qid)
    }

    /// Number of judged queries.
    pub fn len(&self) -> usize {
        self.judged.len()
    }

    /// True when nothing is judged.
    pub fn is_empty(&self) -> bool {
        self.judged.is_empty()
    }
}

/// Parses a query file: `qid<TAB>text` per line; blank lines are skipped.
pub fn parse_queries(text: &str) -> Result<Vec<(String, String)>> {
    let mut queries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((qid, query)) = line.split_once('\t') else {
            return Err(Error::Eval(format!(
                "queries line {}: expected `qid<TAB>text`, found `{line}`",
                n + 1
            )));
        };
        queries.push((qid.trim().to_string(), query.trim().to_string()));
    }
    Ok(queries)
}

/// The ranked documents of one query: (document id, score), best first.
pub type Ranked = Vec<(String, f32)>;

/// A run: query id → ranked documents.
pub type Run = BTreeMap<String, Ranked>;

/// The four measures for one query or averaged over queries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// Average precision (mean: MAP).
    pub map: f64,
    /// nDCG over the first 10, graded gains.
    pub ndcg_10: f64,
    /// Precision over the first 10 (always divided by 10).
    pub p_10: f64,
    /// Recall over the first 100.
    pub recall_100: f64,
}

/// Orders documents as trec_eval does: score descending, then document id
/// descending.
pub fn trec_order(ranked: &[(String, f32)]) -> Vec<&str> {
    let mut sorted: Vec<&(String, f32)> = ranked.iter().collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    sorted.into_iter().map(|(doc, _)| doc.as_str()).collect()
}

/// Computes the measures of one ranked list (already in final order)
/// against one query's judgments.
pub fn measure(ranking: &[&str], judged: &HashMap<String, i32>) -> Metrics {
    let grade = |doc: &str| judged.get(doc).copied().unwrap_or(0);
    let relevant = judged.values().filter(|&&g| g >= 1).count();
    if relevant == 0 {
        return Metrics::default();
    }
    let mut hits = 0usize;
    let mut precision_sum = 0.0;
    let mut hits_10 = 0usize;
    let mut hits_100 = 0usize;
    let mut dcg = 0.0;
    for (i, doc) in ranking.iter().enumerate() {
        let g = grade(doc);
        if g >= 1 {
            hits += 1;
            precision_sum += hits as f64 / (i + 1) as f64;
            if i < 10 {
                hits_10 += 1;
            }
            if i < 100 {
                hits_100 += 1;
            }
        }
        if i < 10 && g > 0 {
            dcg += g as f64 / ((i + 2) as f64).log2();
        }
    }
    let mut gains: Vec<i32> = judged.values().copied().filter(|&g| g > 0).collect();
    gains.sort_unstable_by(|a, b| b.cmp(a));
    let ideal: f64 = gains
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, &g)| g as f64 / ((i + 2) as f64).log2())
        .sum();
    Metrics {
        map: precision_sum / relevant as f64,
        ndcg_10: if ideal > 0.0 { dcg / ideal } else { 0.0 },
        p_10: hits_10 as f64 / 10.0,
        recall_100: hits_100 as f64 / relevant as f64,
    }
}

/// Measures of a whole run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Evaluation {
    /// Queries averaged over: judged queries that were asked.
    pub queries: usize,
    /// The mean of each measure.
    pub mean: Metrics,
    /// Each query's measures.
    pub per_query: BTreeMap<String, Metrics>,
}

/// Evaluates `run` for the queries `asked` that have judgments; a judged
/// query missing from the run scores zero.
pub fn evaluate<'a>(
    run: &Run,
    qrels: &Qrels,
    asked: impl IntoIterator<Item = &'a str>,
) -> Evaluation {
    let mut per_query = BTreeMap::new();
    for qid in asked {
        let Some(judged) = qrels.query(qid) else {
            continue;
        };
        let ranking = run.get(qid).map(|r| trec_order(r)).unwrap_or_default();
        per_query.insert(qid.to_string(), measure(&ranking, judged));
    }
    let n = per_query.len().max(1) as f64;
    let sum = |f: fn(&Metrics) -> f64| per_query.values().map(f).sum::<f64>() / n;
    Evaluation {
        queries: per_query.len(),
        mean: Metrics {
            map: sum(|m| m.map),
            ndcg_10: sum(|m| m.ndcg_10),
            p_10: sum(|m| m.p_10),
            recall_100: sum(|m| m.recall_100),
        },
        per_query,
    }
}

/// Parses a TREC run: `qid Q0 docid rank score tag` per line. The rank
/// column is ignored: order comes from the scores, as in trec_eval.
pub fn parse_run(text: &str) -> Result<Run> {
    let mut run = Run::new();
    for (n, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [qid, _, docid, _, score, ..] = fields[..] else {
            return Err(Error::Eval(format!(
                "run line {}: expected `qid Q0 docid rank score tag`, found `{line}`",
                n + 1
            )));
        };
        let score: f32 = score.parse().map_err(|_| {
            Error::Eval(format!(
                "run line {}: score `{score}` is not a number",
                n + 1
            ))
        })?;
        run.entry(qid.to_string())
            .or_default()
            .push((docid.to_string(), score));
    }
    Ok(run)
}

/// Writes a run in TREC format: `qid Q0 docid rank score tag`.
pub fn write_run(run: &Run, tag: &str, out: &mut impl Write) -> std::io::Result<()> {
    for (qid, ranked) in run {
        for (i, doc) in trec_order(ranked).into_iter().enumerate() {
            let score = ranked
                .iter()
                .find(|(d, _)| d == doc)
                .map(|(_, s)| *s)
                .unwrap_or_default();
            writeln!(out, "{qid} Q0 {doc} {} {score} {tag}", i + 1)?;
        }
    }
    Ok(())
}

/// The document id that judgments use for an article: the file name
/// without its extension (`docs/cisi-28.txt` → `cisi-28`), followed by
/// the part after `#` for files holding several articles.
pub fn docno(article_id: &str) -> String {
    let (path, rest) = match article_id.split_once('#') {
        Some((path, rest)) => (path, Some(rest)),
        None => (article_id, None),
    };
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    match rest {
        Some(rest) => format!("{stem}#{rest}"),
        None => stem.to_string(),
    }
}

/// How to run the queries of an evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOptions {
    /// Documents retrieved per query (trec_eval reads up to 1000).
    pub depth: usize,
    /// Query syntax; natural language by default, so that `and`, `or`
    /// and `-` in the query text are words.
    pub syntax: QuerySyntax,
    /// Ranking parameters.
    pub ranking: Ranking,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            depth: 1000,
            syntax: QuerySyntax::Natural,
            ranking: Ranking::default(),
        }
    }
}

/// Runs every query against `index` and returns the run, documents named
/// by [`docno`].
pub fn run_queries(
    index: &NewsIndex,
    queries: &[(String, String)],
    options: &RunOptions,
) -> Result<Run> {
    let mut run = Run::new();
    for (qid, text) in queries {
        let request = SearchRequest {
            limit: options.depth,
            passages: 0,
            syntax: options.syntax,
            ranking: options.ranking.clone(),
            facet_limit: 0,
            ..SearchRequest::new(text.as_str())
        };
        let ranked = index
            .rank(&request)?
            .into_iter()
            .map(|(id, score)| (docno(&id), score))
            .collect();
        run.insert(qid.clone(), ranked);
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, i32)]) -> HashMap<String, i32> {
        pairs.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn average_precision_matches_a_hand_computed_value() {
        // Relevant: a, c, x (x never retrieved). Ranking: a b c d.
        // AP = (1/1 + 2/3) / 3 = 0.5555…
        let m = measure(
            &["a", "b", "c", "d"],
            &judged(&[("a", 1), ("c", 1), ("x", 1), ("b", 0)]),
        );
        assert!(close(m.map, (1.0 + 2.0 / 3.0) / 3.0), "{}", m.map);
        // Two relevant in the first 10, divided by 10 even with 4 retrieved.
        assert!(close(m.p_10, 0.2));
        assert!(close(m.recall_100, 2.0 / 3.0));
    }

    #[test]
    fn ndcg_uses_grades_as_gains_and_the_ideal_of_all_judged_documents() {
        // Grades: a=3, b=0 (judged irrelevant), c=1, d=2 (not retrieved).
        // DCG = 3/log2(2) + 1/log2(4) = 3.5
        // IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4) = 3 + 1.2618595 + 0.5
        let m = measure(
            &["a", "b", "c"],
            &judged(&[("a", 3), ("b", 0), ("c", 1), ("d", 2)]),
        );
        let ideal = 3.0 + 2.0 / 3f64.log2() + 0.5;
        assert!(close(m.ndcg_10, 3.5 / ideal), "{}", m.ndcg_10);
    }

    #[test]
    fn only_the_first_ten_count_for_ndcg_and_precision() {
        let mut ranking: Vec<String> = (0..10).map(|i| format!("n{i}")).collect();
        ranking.push("r".into());
        let refs: Vec<&str> = ranking.iter().map(String::as_str).collect();
        let m = measure(&refs, &judged(&[("r", 1)]));
        assert_eq!(m.ndcg_10, 0.0);
        assert_eq!(m.p_10, 0.0);
        assert!(close(m.map, 1.0 / 11.0));
        assert!(close(m.recall_100, 1.0));
    }

    #[test]
    fn ties_are_broken_by_descending_document_id_like_trec_eval() {
        let ranked = vec![
            ("a".to_string(), 1.0),
            ("b".to_string(), 1.0),
            ("c".into(), 2.0),
        ];
        assert_eq!(trec_order(&ranked), ["c", "b", "a"]);
    }

    #[test]
    fn judged_queries_missing_from_the_run_count_as_zero() {
        let qrels = Qrels::parse("1 0 a 1\n2 0 b 1\n3 0 c 1\n").unwrap();
        let mut run = Run::new();
        run.insert("1".into(), vec![("a".into(), 1.0)]);
        // Query 3 was not asked, so it is not averaged; 2 was asked and
        // found nothing.
        let evaluation = evaluate(&run, &qrels, ["1", "2"]);
        assert_eq!(evaluation.queries, 2);
        assert!(close(evaluation.mean.map, 0.5));
    }

    #[test]
    fn malformed_qrels_and_queries_are_errors_naming_the_line() {
        let error = Qrels::parse("1 0 a 1\n1 0 b\n").unwrap_err().to_string();
        assert!(error.contains("qrels line 2"), "{error}");
        let error = Qrels::parse("1 0 a high\n").unwrap_err().to_string();
        assert!(error.contains("`high`"), "{error}");
        let error = parse_queries("1\tok\nno tab here\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("queries line 2"), "{error}");
    }

    #[test]
    fn run_files_are_written_in_trec_order_with_ranks() {
        let mut run = Run::new();
        run.insert("7".into(), vec![("x".into(), 0.5), ("y".into(), 2.0)]);
        let mut out = Vec::new();
        write_run(&run, "dateline", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "7 Q0 y 1 2 dateline\n7 Q0 x 2 0.5 dateline\n"
        );
    }

    #[test]
    fn a_written_run_parses_back() {
        let mut run = Run::new();
        run.insert("1".into(), vec![("a".into(), 1.5), ("b".into(), 0.25)]);
        let mut out = Vec::new();
        write_run(&run, "t", &mut out).unwrap();
        assert_eq!(parse_run(&String::from_utf8(out).unwrap()).unwrap(), run);
        assert!(parse_run("1 Q0 a 1 high t\n").is_err());
    }

    #[test]
    fn docno_is_the_file_stem() {
        assert_eq!(docno("../data/ir-dev/cisi/docs/cisi-28.txt"), "cisi-28");
        assert_eq!(docno("reut2-000.sgm#17"), "reut2-000#17");
        assert_eq!(docno("plain"), "plain");
    }
}
