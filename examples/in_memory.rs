//! Articles built in code, indexed in memory, searched with a facet filter.
//!
//! Run with `cargo run --example in_memory`.

use dateline::{Article, NewsIndex, Schema, SearchRequest};

fn main() -> dateline::Result<()> {
    let index = NewsIndex::create_in_ram(Schema::default())?;
    let report = index.ingest_articles([
        Article {
            id: "desk/ghana-cocoa".into(),
            title: Some("Ghana cocoa farmers count losses".into()),
            body: "ACCRA - Cocoa farmers in Ghana said swollen shoot disease had cut \
                   their harvest by a third.\n\nBuyers in Abidjan expect higher prices."
                .into(),
            source: Some("Dateline Wire".into()),
            published: "2024-03-05".parse().ok(),
            ..Article::default()
        },
        Article {
            id: "desk/tokyo-oil".into(),
            title: Some("Japanese importers brace for higher oil prices".into()),
            body: "TOKYO - Refiners in Japan warned that oil prices would push up \
                   electricity bills as the yen weakened."
                .into(),
            published: "2022-03-09".parse().ok(),
            ..Article::default()
        },
    ])?;
    println!("indexed {} articles", report.articles_indexed);

    // Places come from extraction: "Ghana" and "Accra" put the first
    // article under /Africa/Western Africa/Ghana.
    let request = SearchRequest::new("prices").filter("location", "Africa");
    let results = index.search(&request)?;
    println!(
        "{} article(s) about prices in Africa",
        results.total_articles
    );
    for hit in &results.hits {
        println!(
            "{} ({})",
            hit.title.as_deref().unwrap_or("untitled"),
            hit.id
        );
        for passage in &hit.passages {
            println!("  [{}..{}] {}", passage.start, passage.end, passage.text);
        }
    }
    assert_eq!(results.total_articles, 1);
    assert_eq!(results.hits[0].id, "desk/ghana-cocoa");
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn example_runs() {
        super::main().unwrap();
    }
}
