//! The library as another program uses it: only `dateline::...` paths from
//! the documented surface, no CLI. If one of these breaks, an embedder's
//! program breaks too.

mod common;

use std::sync::Arc;
use std::thread;

use dateline::{
    Article, Error, ExtractedArticle, Extractor, IngestOptions, IngestReport, NewsIndex,
    ProblemKind, ReadOptions, Schema, SearchRequest, SearchResults, Sort,
};

fn article(id: &str, title: &str, body: &str, published: &str) -> Article {
    Article {
        id: id.into(),
        title: Some(title.into()),
        body: body.into(),
        published: published.parse().ok(),
        ..Article::default()
    }
}

#[test]
fn an_embedder_indexes_the_sample_corpus_reopens_it_and_filters_by_place() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = common::root().join("sample-corpus");
    let report = {
        let index = NewsIndex::create_in_dir(dir.path(), Schema::default()).unwrap();
        let mut calls = 0;
        let report = index
            .ingest_paths(&[corpus], &IngestOptions::default(), &mut |_| calls += 1)
            .unwrap();
        assert!(calls > 0, "progress was never reported");
        report
    };
    assert!(report.articles_indexed > 50, "{report:?}");

    let index = NewsIndex::open_in_dir(dir.path()).unwrap();
    let everything = index.search(&SearchRequest::new("")).unwrap();
    assert_eq!(everything.total_articles, report.articles_indexed);

    let request = SearchRequest::new("").filter("location", "Africa");
    let africa = index.search(&request).unwrap();
    assert!(africa.total_articles > 0);
    assert!(africa.total_articles < everything.total_articles);
    for hit in &africa.hits {
        assert!(
            hit.locations.iter().any(|l| l.facet.starts_with("/Africa")),
            "{} has no African place: {:?}",
            hit.id,
            hit.locations
        );
    }
    // The facet counts describe the filtered set.
    assert!(
        africa
            .facets
            .location
            .iter()
            .all(|c| c.count <= africa.total_articles)
    );
}

#[test]
fn requests_results_and_reports_round_trip_through_json() {
    let index = NewsIndex::create_in_ram(Schema::default()).unwrap();
    let report = index
        .ingest_articles([article(
            "a",
            "Floods close ports in Bangladesh",
            "Heavy rain closed the port of Chittagong in Bangladesh on Tuesday.",
            "2024-07-02",
        )])
        .unwrap();
    let mut request = SearchRequest::new("port rain").filter("location", "Asia");
    request.sort = Sort::Date;
    request.from = Some("2024".into());
    let results = index.search(&request).unwrap();
    assert_eq!(results.total_articles, 1);

    let request_back: SearchRequest =
        serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
    assert_eq!(request_back, request);
    let results_back: SearchResults =
        serde_json::from_str(&serde_json::to_string(&results).unwrap()).unwrap();
    assert_eq!(results_back, results);
    let report_back: IngestReport =
        serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    assert_eq!(report_back, report);
    // A request written by hand needs only the query: the rest defaults.
    let minimal: SearchRequest = serde_json::from_str(r#"{"query": "port"}"#).unwrap();
    assert_eq!(minimal, SearchRequest::new("port"));
}

#[test]
fn searches_on_other_threads_see_each_commit_without_reopening() {
    let index = Arc::new(NewsIndex::create_in_ram(Schema::default()).unwrap());
    index
        .ingest_articles([article(
            "first",
            "Copper output rises in Chile",
            "Mines in Chile raised copper output.",
            "2023-01-10",
        )])
        .unwrap();
    let count = |index: &NewsIndex| {
        index
            .search(&SearchRequest::new("copper"))
            .unwrap()
            .total_articles
    };
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let index = Arc::clone(&index);
            thread::spawn(move || count(&index))
        })
        .collect();
    for reader in readers {
        assert_eq!(reader.join().unwrap(), 1);
    }

    let writer = {
        let index = Arc::clone(&index);
        thread::spawn(move || {
            index
                .ingest_articles([article(
                    "second",
                    "Copper smelter opens in Zambia",
                    "A copper smelter opened in Zambia.",
                    "2023-02-11",
                )])
                .unwrap()
        })
    };
    writer.join().unwrap();
    let reader = {
        let index = Arc::clone(&index);
        thread::spawn(move || count(&index))
    };
    assert_eq!(reader.join().unwrap(), 2);
}

#[test]
fn extraction_runs_on_its_own_over_files_and_over_text() {
    let extractor = Extractor::new();
    let corpus = common::root().join("sample-corpus");
    let mut articles: Vec<ExtractedArticle> = Vec::new();
    let mut skipped = 0;
    for item in dateline::extract_paths(&[corpus], &extractor, &ReadOptions::default()) {
        match item {
            Ok(record) => articles.push(record),
            Err(problem) => {
                assert_eq!(problem.kind, ProblemKind::NotArticle, "{problem}");
                skipped += 1;
            }
        }
    }
    assert!(articles.len() > 50);
    assert!(skipped >= 1, "the corpus README is not an article");
    assert!(articles.iter().all(|a| !a.id.is_empty()));

    let entities = extractor.extract(&article(
        "x",
        "Talks in Nairobi",
        "Kenya and the African Union met in Nairobi.",
        "2024-01-01",
    ));
    let places: Vec<&str> = entities.locations.iter().map(|l| l.name.as_str()).collect();
    assert!(places.contains(&"Kenya"), "{places:?}");
    assert!(places.contains(&"Nairobi"), "{places:?}");
}

#[test]
fn errors_are_variants_a_caller_can_act_on() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing-here");
    assert!(matches!(
        NewsIndex::open_in_dir(&missing),
        Err(Error::IndexMissing { path }) if path == missing
    ));

    let index = NewsIndex::create_in_ram(Schema::default()).unwrap();
    match index.search(&SearchRequest::new("\"unbalanced")) {
        Err(Error::Query { column, .. }) => assert_eq!(column, 1),
        other => panic!("expected a query error, got {other:?}"),
    }
    match index.search(&SearchRequest::new("x").filter("colour", "red")) {
        Err(Error::UnknownFacet { name, available }) => {
            assert_eq!(name, "colour");
            assert!(available.iter().any(|a| a == "location"), "{available:?}");
        }
        other => panic!("expected an unknown facet error, got {other:?}"),
    }

    let on_disk = NewsIndex::create_in_dir(dir.path().join("idx"), Schema::default()).unwrap();
    let _writing = on_disk
        .tantivy_index()
        .writer::<dateline::tantivy::TantivyDocument>(15_000_000)
        .unwrap();
    assert!(matches!(
        on_disk.ingest_articles([article("a", "t", "Some text here.", "2020-01-01")]),
        Err(Error::IndexLocked { .. })
    ));
}

#[test]
fn a_duplicate_is_found_when_its_original_was_committed_earlier_in_the_run_or_in_a_run_before() {
    let dir = tempfile::tempdir().unwrap();
    let news = dir.path().join("news");
    std::fs::create_dir(&news).unwrap();
    let text = "Wheat prices rise\n\nWheat prices rose in Egypt after the harvest failed.\n";
    let other = "Copper falls\n\nCopper fell in Chile as mines reopened.\n";
    std::fs::write(news.join("a.txt"), text).unwrap();
    std::fs::write(news.join("b.txt"), other).unwrap();
    std::fs::write(news.join("c.txt"), text).unwrap();
    let index = NewsIndex::create_in_dir(dir.path().join("idx"), Schema::default()).unwrap();
    // A commit after every article: `a` is in the index, no longer only in
    // the run's memory, when `c` comes.
    let options = IngestOptions {
        commit_every: 1,
        ..IngestOptions::default()
    };
    let report = index
        .ingest_paths(std::slice::from_ref(&news), &options, &mut |_| {})
        .unwrap();
    assert_eq!(report.duplicates, 1, "{report:?}");
    let ids = |query: &str| -> Vec<(String, Vec<String>)> {
        index
            .search(&SearchRequest::new(query))
            .unwrap()
            .hits
            .into_iter()
            .map(|hit| (hit.id, hit.also_at))
            .collect()
    };
    let hits = ids("wheat");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].0.ends_with("a.txt"), "{hits:?}");
    assert!(hits[0].1[0].ends_with("c.txt"), "{hits:?}");

    // A later run meets the text again in a new file.
    std::fs::write(news.join("d.txt"), text).unwrap();
    let report = index.ingest_paths(&[news], &options, &mut |_| {}).unwrap();
    assert_eq!(report.duplicates, 1, "{report:?}");
    let hits = ids("wheat");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].0.ends_with("a.txt"), "{hits:?}");
    assert_eq!(hits[0].1.len(), 2, "{hits:?}");
    assert_eq!(ids("copper").len(), 1);
}

#[test]
fn an_article_folded_as_a_duplicate_is_shown_as_the_one_it_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let news = dir.path().join("news");
    std::fs::create_dir(&news).unwrap();
    let text = "Wheat prices rise\n\nWheat prices rose in Egypt after the harvest failed.\n";
    std::fs::write(news.join("a.txt"), text).unwrap();
    std::fs::write(news.join("b.txt"), text).unwrap();
    let index = NewsIndex::create_in_dir(dir.path().join("idx"), Schema::default()).unwrap();
    let report = index
        .ingest_paths(&[news], &IngestOptions::default(), &mut |_| {})
        .unwrap();
    assert_eq!(report.duplicates, 1, "{report:?}");
    let hits = index.search(&SearchRequest::new("wheat")).unwrap().hits;
    let primary = &hits[0];
    let copy = primary.also_at[0].clone();

    let shown = index.article(&copy).unwrap();
    assert_eq!(shown.id, primary.id);
    assert!(shown.body.contains("harvest failed"), "{shown:?}");
}
