//! One index shared by several threads: searches run while a writer adds
//! articles, and see them after its commit without reopening anything.
//!
//! Run with `cargo run --example server_sketch`.

use std::sync::Arc;
use std::thread;

use dateline::{Article, NewsIndex, Schema, SearchRequest};

fn article(id: usize) -> Article {
    Article {
        id: format!("feed/{id}"),
        title: Some(format!("Harbour report {id}")),
        body: format!(
            "Ships waited outside the harbour in Lagos on day {id} as cranes broke down."
        ),
        ..Article::default()
    }
}

fn main() -> dateline::Result<()> {
    let index = Arc::new(NewsIndex::create_in_ram(Schema::default())?);
    index.ingest_articles((0..10).map(article))?;

    // Readers: each thread searches the same shared index.
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let index = Arc::clone(&index);
            thread::spawn(move || -> dateline::Result<usize> {
                let mut seen = 0;
                for _ in 0..20 {
                    seen = seen.max(index.search(&SearchRequest::new("harbour"))?.total_articles);
                }
                Ok(seen)
            })
        })
        .collect();

    // One writer at a time: this adds ten more articles and commits.
    let writer = {
        let index = Arc::clone(&index);
        thread::spawn(move || {
            index
                .ingest_articles((10..20).map(article))
                .map(|r| r.articles_indexed)
        })
    };

    let added = writer.join().expect("the writer thread does not panic")?;
    for reader in readers {
        let seen = reader.join().expect("reader threads do not panic")?;
        assert!(seen >= 10, "readers always see at least the first commit");
    }
    let total = index.search(&SearchRequest::new("harbour"))?.total_articles;
    println!("writer added {added}; searches now see {total} articles");
    assert_eq!(total, 20);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn example_runs() {
        super::main().unwrap();
    }
}
