//! Indexing and extracting the real corpora in `../shared/data` with the
//! release binary: Reuters-21578 (SGML) and BBC (plain text).
//!
//! Skipped with a message when the data or `$DATELINE_BIN` is absent.

mod common;

use std::process::Command;

use common::{json, json_lines, run};

#[test]
fn reuters_and_bbc_index_completely_and_search_with_filters() {
    let test = "reuters_and_bbc_index_completely_and_search_with_filters";
    let (Some(data), Some(binary)) = (common::shared_data(test), common::release_binary(test))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = run(
        Command::new(&binary)
            .args(["index", "--quiet", "--json", "--index"])
            .arg(&index)
            .arg(data.join("reuters21578"))
            .arg(data.join("bbc")),
        0,
    );
    let summary = json(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("summary: {summary}");
    // 21,578 Reuters articles of which NEWID 12793 is empty, and 2,225 BBC articles.
    assert_eq!(summary["articles_read"], 21_577 + 2_225);
    assert_eq!(summary["skipped"]["empty"], 1);
    assert!(
        stderr.contains("#12793") || stderr.contains("12793"),
        "the empty article is named: {stderr}"
    );
    assert!(
        summary["duplicates"].as_u64().unwrap() > 0,
        "Reuters holds exact duplicates"
    );
    assert_eq!(
        summary["articles_indexed"].as_u64().unwrap() + summary["duplicates"].as_u64().unwrap(),
        summary["articles_read"].as_u64().unwrap()
    );
    // README and the Reuters documentation files are not articles.
    assert!(summary["skipped"]["not_article"].as_u64().unwrap() >= 9);

    let output = run(
        Command::new(&binary)
            .args([
                "search",
                "oil prices",
                "--location",
                "/Asia",
                "--from",
                "1987-03-01",
                "--to",
                "1987-03-31",
                "--json",
                "--index",
            ])
            .arg(&index),
        0,
    );
    let results = json(&output);
    let hits = results["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        let date = hit["published"].as_str().unwrap();
        assert!(("1987-03-01"..="1987-03-31").contains(&date), "{date}");
        assert!(
            hit["locations"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["facet"].as_str().unwrap().starts_with("/Asia"))
        );
        assert!(hit["id"].as_str().unwrap().contains("reut2-"));
    }
    assert!(
        hits[0]["passages"][0]["highlights"]
            .as_array()
            .is_some_and(|h| !h.is_empty())
    );
    assert!(!results["facets"]["location"].as_array().unwrap().is_empty());
}

#[test]
fn extract_prints_one_line_per_article_of_reuters_and_bbc() {
    let test = "extract_prints_one_line_per_article_of_reuters_and_bbc";
    let (Some(data), Some(binary)) = (common::shared_data(test), common::release_binary(test))
    else {
        return;
    };
    let output = run(
        Command::new(&binary)
            .args(["extract", "--json"])
            .arg(data.join("reuters21578"))
            .arg(data.join("bbc")),
        0,
    );
    let records = json_lines(&output);
    assert_eq!(records.len(), 21_577 + 2_225);
}

#[test]
fn countries_from_reuters_text_recall_at_least_nine_in_ten_places_tags() {
    let test = "countries_from_reuters_text_recall_at_least_nine_in_ten_places_tags";
    let (Some(data), Some(binary)) = (common::shared_data(test), common::release_binary(test))
    else {
        return;
    };
    let output = run(
        Command::new(&binary)
            .args(["eval", "places", "--json"])
            .arg(data.join("reuters21578")),
        0,
    );
    let report = json(&output);
    eprintln!("places: {report}");
    assert_eq!(report["articles"], 21_577);
    assert!(report["scored_articles"].as_u64().unwrap() > 18_000);
    // Every code is mapped: none is skipped.
    assert_eq!(report["skipped_codes"], serde_json::json!({}));
    let recall = report["recall"].as_f64().unwrap();
    assert!(recall >= 0.90, "recall {recall}");
    let share = report["not_gold_share"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&share), "not-gold share {share}");
}

#[test]
fn eval_extract_on_conll_dev_meets_the_location_and_organization_targets() {
    let test = "eval_extract_on_conll_dev_meets_the_location_and_organization_targets";
    let (Some(data), Some(binary)) = (common::shared_data(test), common::release_binary(test))
    else {
        return;
    };
    let testa = data.join("conll2003/eng.testa");
    let f1 = |report: &serde_json::Value, kind: &str| {
        let c = &report["all"][kind]["mention"];
        let (tp, fp, fn_) = (
            c["true_positives"].as_f64().unwrap(),
            c["false_positives"].as_f64().unwrap(),
            c["false_negatives"].as_f64().unwrap(),
        );
        2.0 * tp / (2.0 * tp + fp + fn_)
    };
    let shipped = json(&run(
        Command::new(&binary)
            .args(["eval", "extract", "--json"])
            .arg(&testa),
        0,
    ));
    assert_eq!(shipped["all"]["documents"], 216);
    let (loc, org) = (f1(&shipped, "loc"), f1(&shipped, "org"));
    eprintln!("default extractor on eng.testa: LOC F1 {loc:.4}, ORG F1 {org:.4}");
    assert!(loc >= 0.93, "LOC F1 {loc}");
    assert!(org >= 0.85, "ORG F1 {org}");

    let rules = json(&run(
        Command::new(&binary)
            .args(["eval", "extract", "--json", "--mode", "rules"])
            .arg(&testa),
        0,
    ));
    assert!(f1(&rules, "org") < org, "the tagger adds organizations");
}

#[test]
fn retraining_the_tagger_reproduces_the_committed_weights() {
    let test = "retraining_the_tagger_reproduces_the_committed_weights";
    let (Some(data), Some(binary)) = (common::shared_data(test), common::release_binary(test))
    else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let weights = out.path().join("tagger.bin");
    run(
        Command::new(&binary)
            .args(["eval", "train-tagger"])
            .arg(data.join("conll2003/eng.train"))
            .arg("--dev")
            .arg(data.join("conll2003/eng.testa"))
            .arg("--out")
            .arg(&weights),
        0,
    );
    let committed = std::fs::read(common::root().join("src/extract/data/tagger.bin")).unwrap();
    // Byte for byte: the features read the shipped gazetteer and
    // organization table, so editing those without retraining fails here.
    assert!(
        std::fs::read(&weights).unwrap() == committed,
        "retrained weights differ from src/extract/data/tagger.bin: retrain with `dateline eval train-tagger` (see EXTRACTION.md)"
    );
}
