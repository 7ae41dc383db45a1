//! `dateline eval ranking` end to end: a tiny collection whose measures are
//! computed by hand, and the ir-dev collections against the FTS5 baseline.

mod common;

use std::fs;

use common::{dateline, json, release_binary, run, shared_data};

/// Three documents, two queries; judgments chosen so each measure has a
/// known value.
fn tiny_collection(dir: &std::path::Path) {
    let docs = dir.join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(
        docs.join("t-1.txt"),
        "Heat transfer in slabs\n\nHeat transfer in composite slabs was measured.\n",
    )
    .unwrap();
    fs::write(
        docs.join("t-2.txt"),
        "Wing flutter\n\nFlutter of swept wings at high speed.\n",
    )
    .unwrap();
    fs::write(
        docs.join("t-3.txt"),
        "Heat in wings\n\nAerodynamic heat on wings and flutter.\n",
    )
    .unwrap();
    // Query 2's "and" and "-" are words in natural mode, not operators.
    fs::write(
        dir.join("queries.tsv"),
        "1\theat transfer slabs\n2\tswept wing flutter and -speed\n",
    )
    .unwrap();
    fs::write(
        dir.join("qrels.trec"),
        "1 0 t-1 2\n1 0 t-3 1\n2 0 t-2 1\n2 0 missing 1\n",
    )
    .unwrap();
}

#[test]
fn eval_ranking_prints_the_measures_of_a_tiny_collection_and_writes_its_run() {
    let dir = tempfile::tempdir().unwrap();
    tiny_collection(dir.path());
    let index = dir.path().join("index");
    run(
        dateline()
            .args(["index", "--quiet"])
            .arg(dir.path().join("docs"))
            .arg("--index")
            .arg(&index),
        0,
    );
    let run_file = dir.path().join("out.run");
    let output = run(
        dateline()
            .args(["eval", "ranking", "--json", "--index"])
            .arg(&index)
            .arg("--queries")
            .arg(dir.path().join("queries.tsv"))
            .arg("--qrels")
            .arg(dir.path().join("qrels.trec"))
            .arg("--run-out")
            .arg(&run_file),
        0,
    );
    let evaluation = json(&output);
    assert_eq!(evaluation["queries"], 2);
    // Query 1 ranks t-1 then t-3 (both relevant, everything judged found).
    let q1 = &evaluation["per_query"]["1"];
    assert_eq!(q1["map"], 1.0);
    assert_eq!(q1["ndcg_10"], 1.0);
    assert_eq!(q1["p_10"], 0.2);
    // Query 2 finds t-2 first, but "missing" is never found: AP = 1/2.
    let q2 = &evaluation["per_query"]["2"];
    assert_eq!(q2["map"], 0.5);
    assert_eq!(q2["recall_100"], 0.5);
    let run_text = fs::read_to_string(&run_file).unwrap();
    let first: Vec<&str> = run_text.lines().next().unwrap().split(' ').collect();
    assert_eq!(&first[..4], ["1", "Q0", "t-1", "1"]);

    // The written run evaluates to the same numbers without an index.
    let again = run(
        dateline()
            .args(["eval", "ranking", "--json", "--run"])
            .arg(&run_file)
            .arg("--queries")
            .arg(dir.path().join("queries.tsv"))
            .arg("--qrels")
            .arg(dir.path().join("qrels.trec")),
        0,
    );
    assert_eq!(json(&again), evaluation);
}

#[test]
fn eval_ranking_reports_a_malformed_qrels_line() {
    let dir = tempfile::tempdir().unwrap();
    tiny_collection(dir.path());
    fs::write(dir.path().join("qrels.trec"), "1 0 t-1\n").unwrap();
    let output = run(
        dateline()
            .args(["eval", "ranking", "--run"])
            .arg(dir.path().join("queries.tsv"))
            .arg("--queries")
            .arg(dir.path().join("queries.tsv"))
            .arg("--qrels")
            .arg(dir.path().join("qrels.trec")),
        2,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("qrels line 1"), "{stderr}");
}

/// MAP of SQLite FTS5 on Cranfield (scripts/fts5_baseline.py, RANKING.md).
const FTS5_CRANFIELD_MAP: f64 = 0.3013;

#[test]
fn cranfield_map_stays_above_the_fts5_baseline() {
    let test = "cranfield_map_stays_above_the_fts5_baseline";
    let (Some(data), Some(bin)) = (shared_data(test), release_binary(test)) else {
        return;
    };
    let collection = data.join("ir-dev/cranfield");
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    run(
        std::process::Command::new(&bin)
            .args(["index", "--quiet"])
            .arg(collection.join("docs"))
            .arg("--index")
            .arg(&index),
        0,
    );
    let output = run(
        std::process::Command::new(&bin)
            .args(["eval", "ranking", "--json", "--index"])
            .arg(&index)
            .arg("--queries")
            .arg(collection.join("queries.tsv"))
            .arg("--qrels")
            .arg(collection.join("qrels.trec")),
        0,
    );
    let evaluation = json(&output);
    assert_eq!(evaluation["queries"], 225);
    let map = evaluation["mean"]["map"].as_f64().unwrap();
    assert!(
        map >= FTS5_CRANFIELD_MAP,
        "Cranfield MAP {map:.4} fell below FTS5's {FTS5_CRANFIELD_MAP}"
    );
}
