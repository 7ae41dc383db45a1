//! The query and filter parsers, through a search on a small index: a
//! result or an error, never a panic.

#![no_main]

use std::sync::OnceLock;

use dateline::{Article, Date, NewsIndex, Schema, SearchRequest};
use libfuzzer_sys::fuzz_target;

static INDEX: OnceLock<NewsIndex> = OnceLock::new();

fn index() -> &'static NewsIndex {
    INDEX.get_or_init(|| {
        let index = NewsIndex::create_in_ram(Schema::default()).expect("an index in memory");
        let articles = ["Mali", "Ghana", "France"]
            .iter()
            .enumerate()
            .map(|(i, place)| Article {
                id: format!("a{i}"),
                title: Some(format!("Rain returns to {place}")),
                body: format!(
                    "Farmers in {place} said the rain came in March, and the UN sent aid."
                ),
                published: Date::new(2022, 3, 1 + i as i8),
                ..Article::default()
            });
        index
            .ingest_articles(articles)
            .expect("articles are indexed");
        index
    })
}

fuzz_target!(|text: &str| {
    // Fields separated by a tab: query, location, from, to.
    let mut parts = text.split('\t');
    let mut request = SearchRequest::new(parts.next().unwrap_or(""));
    if let Some(place) = parts.next() {
        request = request.filter("location", place);
    }
    request.from = parts.next().map(str::to_string);
    request.to = parts.next().map(str::to_string);
    let _ = index().search(&request);
});
