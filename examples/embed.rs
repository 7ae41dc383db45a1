//! Index a directory on disk, then search it: what `dateline index` and
//! `dateline search` do, through the library.
//!
//! Run with `cargo run --example embed -- [DIR]` (default: `sample-corpus`).

use std::path::PathBuf;

use dateline::{IngestOptions, NewsIndex, Schema, SearchRequest};

fn main() -> dateline::Result<()> {
    // `cargo test` runs this example with the test harness's flags
    // (`cargo test -q` passes `--quiet`): those are not directories.
    let corpus = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-corpus"));
    let dir = std::env::temp_dir().join(format!("dateline-embed-{}", std::process::id()));
    let index = NewsIndex::create_in_dir(&dir, Schema::default())?;

    let report = index.ingest_paths(&[corpus], &IngestOptions::default(), &mut |progress| {
        // A real program would update a progress bar here.
        let _ = progress.articles_indexed;
    })?;
    println!(
        "indexed {} articles ({} duplicates, {} files read)",
        report.articles_indexed, report.duplicates, report.files_read
    );
    for problem in &report.problems {
        println!("skipped or odd: {problem}");
    }

    let mut request = SearchRequest::new("oil prices");
    request.from = Some("2022".into());
    let results = index.search(&request)?;
    println!(
        "{} articles since 2022 mention oil or prices",
        results.total_articles
    );
    for hit in results.hits.iter().take(3) {
        println!(
            "{}. {} [{}]",
            hit.rank,
            hit.title.as_deref().unwrap_or("untitled"),
            hit.id
        );
    }
    for count in &results.facets.location {
        println!("  {} ({})", count.value, count.count);
    }

    drop(index);
    std::fs::remove_dir_all(&dir).map_err(|source| dateline::Error::Io { path: dir, source })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn example_runs() {
        super::main().unwrap();
    }
}
