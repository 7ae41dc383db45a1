//! Search behaviour through the library API, on articles built in code.

use dateline::{Article, Date, NewsIndex, Schema, SearchRequest, Sort};

fn article(id: &str, title: &str, body: &str, date: Option<&str>, source: Option<&str>) -> Article {
    Article {
        id: id.to_string(),
        path: id.into(),
        title: Some(title.to_string()),
        body: body.to_string(),
        published: date.map(|d| d.parse::<Date>().unwrap()),
        source: source.map(String::from),
        ..Article::default()
    }
}

fn index() -> NewsIndex {
    let index = NewsIndex::create_in_ram(Schema::default()).unwrap();
    let long = "Farmers waited for rain across the region.\n\n".repeat(12);
    index
        .ingest_articles([
            article(
                "a1",
                "Cocoa farmers count losses",
                &format!("Cocoa prices fell sharply this week.\n\n{long}Exporters said sanctions were not to blame."),
                Some("2023-03-05"),
                Some("Harbour Post"),
            ),
            article(
                "a2",
                "Oil prices climb",
                "Oil prices rose on Monday as supply tightened.\n\nTraders expect more volatility.",
                Some("2024-07-01"),
                Some("Dateline Wire"),
            ),
            article("a3", "Football final", "The final ended in a draw after extra time.", None, None),
        ])
        .unwrap();
    index
}

fn ids(index: &NewsIndex, request: &SearchRequest) -> Vec<String> {
    index
        .search(request)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn required_words_may_match_in_different_passages_of_one_article() {
    let index = index();
    assert_eq!(
        ids(&index, &SearchRequest::new("+cocoa +sanctions")),
        ["a1"]
    );
    assert_eq!(
        ids(&index, &SearchRequest::new("cocoa AND football")),
        Vec::<String>::new()
    );
}

#[test]
fn articles_matching_more_words_rank_higher() {
    let index = index();
    let found = ids(&index, &SearchRequest::new("oil prices"));
    assert_eq!(found[0], "a2");
    assert!(
        found.contains(&"a1".to_string()),
        "prices alone still matches: {found:?}"
    );
}

#[test]
fn excluded_words_remove_articles_and_a_bare_exclusion_keeps_the_rest() {
    let index = index();
    assert_eq!(ids(&index, &SearchRequest::new("prices -cocoa")), ["a2"]);
    let mut rest = ids(&index, &SearchRequest::new("-cocoa"));
    rest.sort();
    assert_eq!(rest, ["a2", "a3"]);
}

#[test]
fn passage_text_is_the_body_slice_and_highlights_cover_stemmed_matches() {
    let index = index();
    let results = index.search(&SearchRequest::new("sanction")).unwrap();
    let hit = &results.hits[0];
    let body = index.article(&hit.id).unwrap().body;
    for passage in &hit.passages {
        let slice: String = body
            .chars()
            .skip(passage.start)
            .take(passage.end - passage.start)
            .collect();
        assert_eq!(slice, passage.text);
    }
    let passage = &hit.passages[0];
    let [s, e] = passage.highlights[0];
    let word: String = passage.text.chars().skip(s).take(e - s).collect();
    assert_eq!(word, "sanctions");
}

#[test]
fn date_filters_are_inclusive_and_exclude_undated_articles() {
    let index = index();
    let mut request = SearchRequest::new("");
    request.from = Some("2023".into());
    request.to = Some("2023-03".into());
    assert_eq!(ids(&index, &request), ["a1"]);
    request.to = None;
    let results = index.search(&request).unwrap();
    assert_eq!(results.total_articles, 2);
}

#[test]
fn empty_query_sorted_by_date_lists_newest_first_and_undated_last() {
    let index = index();
    let request = SearchRequest {
        sort: Sort::Date,
        ..SearchRequest::new("")
    };
    assert_eq!(ids(&index, &request), ["a2", "a1", "a3"]);
}

#[test]
fn source_filter_and_counts_are_per_article() {
    let index = index();
    let results = index
        .search(&SearchRequest::new("").filter("source", "Harbour Post"))
        .unwrap();
    assert_eq!(results.total_articles, 1);
    // Multi-select: the source counts ignore the source filter itself.
    let sources: Vec<(String, usize)> = results
        .facets
        .source
        .iter()
        .map(|c| (c.value.clone(), c.count))
        .collect();
    assert_eq!(
        sources,
        [
            ("/Dateline Wire".to_string(), 1),
            ("/Harbour Post".to_string(), 1)
        ]
    );
    let years: Vec<(String, usize)> = results
        .facets
        .date
        .iter()
        .map(|c| (c.value.clone(), c.count))
        .collect();
    assert_eq!(years, [("/2023".to_string(), 1)]);
}

#[test]
fn bad_queries_and_filters_are_errors_not_panics() {
    let index = index();
    for query in ["sanction*", "wagnr~1", "\"open", "AND", "nope:word"] {
        assert!(index.search(&SearchRequest::new(query)).is_err(), "{query}");
    }
    let error = index
        .search(&SearchRequest::new("").filter("place", "Mali"))
        .unwrap_err();
    assert!(error.to_string().starts_with("unknown facet `place`"));
}

#[test]
fn reingesting_an_article_replaces_it() {
    let index = index();
    index
        .ingest_articles([article(
            "a3",
            "Football final",
            "Penalties decided the final.",
            None,
            None,
        )])
        .unwrap();
    assert_eq!(
        index
            .search(&SearchRequest::new(""))
            .unwrap()
            .total_articles,
        3
    );
    assert_eq!(ids(&index, &SearchRequest::new("penalties")), ["a3"]);
    assert!(ids(&index, &SearchRequest::new("draw")).is_empty());
}
