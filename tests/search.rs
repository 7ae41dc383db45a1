//! Search behaviour through the library API, on articles built in code.

use dateline::{Article, Date, NewsIndex, Schema, SearchRequest, Sort};
use dateline::{FacetCount, QuerySyntax};

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
    for query in [
        "sanc*tion",
        "wagnr~7",
        "\"open",
        "AND",
        "nope:word",
        "(oil)",
    ] {
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

/// Words of a passage that its highlights cover.
fn highlighted(hit: &dateline::Hit) -> Vec<String> {
    hit.passages
        .iter()
        .flat_map(|p| {
            p.highlights
                .iter()
                .map(|[s, e]| p.text.chars().skip(*s).take(e - s).collect::<String>())
        })
        .collect()
}

#[test]
fn prefix_words_match_and_highlight_every_expansion() {
    let index = index();
    let results = index.search(&SearchRequest::new("sanct*")).unwrap();
    assert_eq!(results.total_articles, 1);
    assert_eq!(highlighted(&results.hits[0]), ["sanctions"]);
}

#[test]
fn fuzzy_words_tolerate_the_given_number_of_edits() {
    let index = index();
    // Edits count on the indexed (stemmed) form: "tradr" is one from "trader".
    let results = index.search(&SearchRequest::new("tradrs~1")).unwrap();
    assert_eq!(results.hits[0].id, "a2");
    assert_eq!(highlighted(&results.hits[0]), ["Traders"]);
    assert_eq!(
        index
            .search(&SearchRequest::new("tradrs~0"))
            .unwrap()
            .total_articles,
        0
    );
}

#[test]
fn automatic_typo_tolerance_covers_longer_words_only() {
    let index = index();
    let mut request = SearchRequest::new("volatilty");
    assert_eq!(index.search(&request).unwrap().total_articles, 0);
    request.typos = true;
    assert_eq!(ids(&index, &request), ["a2"]);
    // Short words stay exact: one edit away from "rain" is not enough.
    let request = SearchRequest {
        typos: true,
        ..SearchRequest::new("raid")
    };
    assert_eq!(index.search(&request).unwrap().total_articles, 0);
}

#[test]
fn phrase_slop_lets_words_move_and_highlights_them() {
    let index = index();
    // "prices rose" is exact; "prices Monday" needs the words to move.
    assert_eq!(
        index
            .search(&SearchRequest::new("\"prices monday\""))
            .unwrap()
            .total_articles,
        0
    );
    let results = index
        .search(&SearchRequest::new("\"prices monday\"~3"))
        .unwrap();
    assert_eq!(results.hits[0].id, "a2");
    assert_eq!(highlighted(&results.hits[0]), ["prices", "Monday"]);
    // An exact phrase is one span.
    let results = index.search(&SearchRequest::new("\"oil prices\"")).unwrap();
    assert!(highlighted(&results.hits[0]).contains(&"Oil prices".to_string()));
}

#[test]
fn natural_syntax_reads_operators_as_words() {
    let index = index();
    let request = SearchRequest {
        syntax: QuerySyntax::Natural,
        ..SearchRequest::new("oil AND -cocoa \"prices")
    };
    // Full syntax would exclude cocoa and refuse the open quote.
    assert!(
        index
            .search(&SearchRequest::new("oil AND -cocoa \"prices"))
            .is_err()
    );
    let found = ids(&index, &request);
    assert!(found.contains(&"a1".to_string()) && found.contains(&"a2".to_string()));
}

#[test]
fn several_date_filters_keep_articles_of_any_of_them() {
    let index = places_index();
    let found = |request: &SearchRequest| {
        let mut ids: Vec<String> = index
            .search(request)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        ids.sort();
        ids
    };
    let december = found(&SearchRequest::new("drought date:2022-12"));
    assert_eq!(december, ["niger"]);
    let november = found(&SearchRequest::new("drought date:2022-11"));
    assert!(!november.is_empty() && !november.contains(&"niger".to_string()));
    let both = found(&SearchRequest::new("drought date:2022-11 date:2022-12"));
    let mut expected = [november.clone(), december.clone()].concat();
    expected.sort();
    assert_eq!(both, expected);
    // --from narrows the union.
    let mut narrowed = SearchRequest::new("drought date:2022-11 date:2022-12");
    narrowed.from = Some("2022-12".into());
    assert_eq!(found(&narrowed), ["niger"]);
    // A month with no articles selects none, and a bad date is an error.
    assert!(found(&SearchRequest::new("drought date:1999-01")).is_empty());
    assert!(
        index
            .search(&SearchRequest::new("drought date:2022-13"))
            .is_err()
    );
}

/// Articles about places, for facet tests.
fn places_index() -> NewsIndex {
    let index = NewsIndex::create_in_ram(Schema::default()).unwrap();
    index
        .ingest_articles([
            article(
                "mali",
                "Drought in Mali",
                "Farmers near Bamako in Mali face drought. The World Food Programme sent aid.",
                Some("2022-11-03"),
                Some("Dateline Wire"),
            ),
            article(
                "niger",
                "Drought in Niger",
                "Herders around Niamey in Niger lost cattle to drought.",
                Some("2022-12-10"),
                Some("Harbour Post"),
            ),
            article(
                "kenya",
                "Drought in Kenya",
                "Drought hit Kenya; the World Food Programme scaled up deliveries in Nairobi.",
                Some("2022-11-20"),
                Some("Dateline Wire"),
            ),
        ])
        .unwrap();
    index
}

fn counts(list: &[FacetCount]) -> Vec<(String, usize)> {
    list.iter().map(|c| (c.value.clone(), c.count)).collect()
}

#[test]
fn inline_facet_filters_give_the_same_results_as_the_options() {
    let index = places_index();
    let inline = index
        .search(&SearchRequest::new("drought location:Mali date:2022-11"))
        .unwrap();
    let mut flags = SearchRequest::new("drought").filter("location", "Mali");
    flags.from = Some("2022-11".into());
    flags.to = Some("2022-11".into());
    let flags = index.search(&flags).unwrap();
    assert_eq!(inline.total_articles, 1);
    assert_eq!(inline.hits, flags.hits);
    assert_eq!(inline.facets.location, flags.facets.location);
    assert_eq!(inline.facets.organization, flags.facets.organization);
    // `date:` selects a node of the date facet, so its counts drill into
    // the month, as any selected facet value's do; a range counts years.
    assert_eq!(
        counts(&inline.facets.date),
        [("/2022/11/03".to_string(), 1)]
    );
    assert_eq!(counts(&flags.facets.date), [("/2022".to_string(), 1)]);
    let org = index
        .search(&SearchRequest::new("drought org:\"World Food Programme\""))
        .unwrap();
    let mut found: Vec<String> = org.hits.into_iter().map(|h| h.id).collect();
    found.sort();
    assert_eq!(found, ["kenya", "mali"]);
}

#[test]
fn multi_select_location_counts_ignore_the_location_filter_but_honour_the_others() {
    let index = places_index();
    let all = index.search(&SearchRequest::new("drought")).unwrap();
    let both = index
        .search(
            &SearchRequest::new("drought")
                .filter("location", "Mali")
                .filter("location", "Niger"),
        )
        .unwrap();
    assert_eq!(both.total_articles, 2);
    // Location counts are those without any location filter...
    assert_eq!(counts(&both.facets.location), counts(&all.facets.location));
    // ...while the source counts honour it: Kenya's Dateline Wire article is gone.
    assert_eq!(
        counts(&both.facets.source),
        [
            ("/Dateline Wire".to_string(), 1),
            ("/Harbour Post".to_string(), 1)
        ]
    );
    assert_eq!(
        counts(&all.facets.source),
        [
            ("/Dateline Wire".to_string(), 2),
            ("/Harbour Post".to_string(), 1)
        ]
    );
}

#[test]
fn explain_shows_the_parts_of_the_score() {
    let index = index();
    let request = SearchRequest {
        explain: true,
        ..SearchRequest::new("oil prices")
    };
    let results = index.search(&request).unwrap();
    let parts = results.hits[0].explain.as_ref().expect("explained");
    assert!((parts.article - results.hits[0].score).abs() < 1e-4);
    assert!(
        parts.formula.contains("whole-article BM25"),
        "{}",
        parts.formula
    );
    let plain = index.search(&SearchRequest::new("oil prices")).unwrap();
    assert!(plain.hits[0].explain.is_none());
}

#[test]
fn date_histogram_counts_matching_articles_per_month_and_day() {
    use dateline::Histogram;
    let index = places_index();
    let mut request = SearchRequest::new("drought");
    request.histogram = Some(Histogram::Month);
    let buckets: Vec<(String, usize)> = index
        .search(&request)
        .unwrap()
        .histogram
        .into_iter()
        .map(|b| (b.value, b.count))
        .collect();
    assert_eq!(
        buckets,
        [("2022-11".to_string(), 2), ("2022-12".to_string(), 1)]
    );
    // Filters apply: only Niger's article is left.
    request = request.filter("location", "Niger");
    request.histogram = Some(Histogram::Day);
    let buckets: Vec<String> = index
        .search(&request)
        .unwrap()
        .histogram
        .into_iter()
        .map(|b| b.value)
        .collect();
    assert_eq!(buckets, ["2022-12-10"]);
    // Without the option, no histogram.
    assert!(
        index
            .search(&SearchRequest::new("drought"))
            .unwrap()
            .histogram
            .is_empty()
    );
}

#[test]
fn related_articles_share_words_and_places_and_leave_out_the_article_itself() {
    use dateline::RelatedRequest;
    let index = places_index();
    let results = index.related(&RelatedRequest::new("mali")).unwrap();
    let found: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
    assert!(!found.contains(&"mali"), "{found:?}");
    // Kenya shares "drought" and the World Food Programme; Niger shares
    // "drought" and Western Africa.
    assert_eq!(results.total_articles, 2);
    // Only older articles: Niger (December) is later than Mali (November 3).
    let mut older = RelatedRequest::new("niger");
    older.before = true;
    let found: Vec<String> = index
        .related(&older)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(found.len(), 2);
    let mut before_mali = RelatedRequest::new("mali");
    before_mali.before = true;
    assert!(index.related(&before_mali).unwrap().hits.is_empty());
    assert!(index.related(&RelatedRequest::new("nope")).is_err());
}

#[test]
fn places_outside_the_hierarchy_stay_out_of_the_location_root_but_can_be_selected() {
    let index = NewsIndex::create_in_ram(Schema::default()).unwrap();
    index
        .ingest_articles([article(
            "sudan",
            "Sudan fighting spreads west",
            "Fighting spread across Darfur on Monday, aid workers in Sudan said. \
             Families fled from Darfur towards Chad.",
            None,
            None,
        )])
        .unwrap();
    let root = index.search(&SearchRequest::new("fighting")).unwrap();
    let values: Vec<&str> = root
        .facets
        .location
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert!(values.contains(&"/Africa"), "{values:?}");
    assert!(
        !values.iter().any(|v| v.starts_with("/Unplaced")),
        "{values:?}"
    );
    let unplaced = index
        .search(&SearchRequest::new("fighting").filter("location", "/Unplaced"))
        .unwrap();
    assert_eq!(unplaced.total_articles, 1);
    let values: Vec<&str> = unplaced
        .facets
        .location
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(values, ["/Unplaced/Darfur"]);
}

#[test]
fn mentioned_dates_are_a_facet_filtered_by_year_month_or_day() {
    let index = NewsIndex::create_in_ram(Schema::default()).unwrap();
    index
        .ingest_articles([
            article(
                "treaty",
                "Envoys revisit the harbour treaty",
                "The treaty signed on 14 March 2008 is up for review. Talks resume in June 2025.",
                Some("2025-01-10"),
                None,
            ),
            article(
                "budget",
                "Harbour budget approved",
                "The council approved the budget, its largest since 2008, on Tuesday.",
                Some("2025-02-06"),
                None,
            ),
            article(
                "weather",
                "Harbour closed by storms",
                "Storms closed the harbour on 20 February 2025 for a week.",
                Some("2025-02-20"),
                None,
            ),
        ])
        .unwrap();
    let found = |request: SearchRequest| {
        let mut ids = ids(&index, &request);
        ids.sort();
        ids
    };
    // A year finds the day and the bare year; a month or a day only those.
    assert_eq!(
        found(SearchRequest::new("harbour").filter("mentioned", "2008")),
        ["budget", "treaty"]
    );
    assert_eq!(
        found(SearchRequest::new("harbour").filter("mentioned", "2008-03")),
        ["treaty"]
    );
    assert_eq!(
        found(SearchRequest::new("harbour mentioned:2008-03-14")),
        ["treaty"]
    );
    assert_eq!(
        found(SearchRequest::new("harbour mentions:2025-06")),
        ["treaty"]
    );
    assert!(found(SearchRequest::new("harbour").filter("mentioned", "2008-04")).is_empty());
    // "Tuesday" resolves against the publication date (Thursday 2025-02-06).
    assert_eq!(
        found(SearchRequest::new("harbour").filter("mentioned", "2025-02-04")),
        ["budget"]
    );
    // The publication date itself is the `date` facet's, not a mention.
    assert!(found(SearchRequest::new("harbour").filter("mentioned", "2025-02-20")).is_empty());
    assert!(
        index
            .search(&SearchRequest::new("harbour").filter("mentioned", "2008-13"))
            .is_err()
    );
    let results = index.search(&SearchRequest::new("harbour")).unwrap();
    assert_eq!(
        counts(&results.facets.mentioned),
        [("/2008".to_string(), 2), ("/2025".to_string(), 2)]
    );
}
