//! Reads the real corpora in the shared data folder end to end.
//!
//! The data lives outside the repository: `$DATELINE_SHARED_DATA` if set,
//! else `$CARGO_MANIFEST_DIR/../shared/data`. Without it these tests pass
//! with a note on stderr, so the suite still runs anywhere.

use std::collections::HashSet;
use std::path::PathBuf;

use super::{ProblemKind, ReadOptions, read_file, walk};

fn shared_data(folder: &str) -> Option<PathBuf> {
    let base = std::env::var_os("DATELINE_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let dir = base.join(folder);
    if dir.is_dir() {
        Some(dir)
    } else {
        skip(&dir);
        None
    }
}

#[allow(clippy::print_stderr)]
fn skip(dir: &std::path::Path) {
    eprintln!(
        "skipped: `{}` not found (set DATELINE_SHARED_DATA to the shared data folder)",
        dir.display()
    );
}

#[test]
fn reuters_21578_reads_every_newid_and_reports_the_one_empty_article() {
    let Some(root) = shared_data("reuters21578") else {
        return;
    };
    let options = ReadOptions::default();
    let (mut newids, mut articles, mut empty, mut not_article, mut decoded) =
        (HashSet::new(), 0, Vec::new(), 0, Vec::new());
    for item in walk(std::slice::from_ref(&root), &[]) {
        let path = match item {
            Ok(path) => path,
            Err(problem) => {
                assert_eq!(problem.kind, ProblemKind::NotArticle, "{problem}");
                not_article += 1;
                continue;
            }
        };
        let contents = read_file(&path, &options);
        for article in &contents.articles {
            let newid = article
                .id
                .rsplit('#')
                .next()
                .unwrap_or_default()
                .to_string();
            assert!(newids.insert(newid), "duplicate id {}", article.id);
            assert_eq!(article.source.as_deref(), Some("Reuters"));
            assert!(
                article.published_raw.is_some(),
                "{} has no date",
                article.id
            );
            articles += 1;
        }
        for problem in contents.problems {
            match problem.kind {
                ProblemKind::NotArticle => not_article += 1,
                ProblemKind::Empty => {
                    let digits: String = problem
                        .message
                        .chars()
                        .filter(char::is_ascii_digit)
                        .collect();
                    newids.insert(digits);
                    empty.push(problem);
                }
                ProblemKind::Decoded => {
                    decoded.push(problem.path.file_name().unwrap_or_default().to_owned())
                }
                _ => panic!("unexpected problem: {problem}"),
            }
        }
    }
    assert_eq!(articles, 21_577);
    assert_eq!(empty.len(), 1);
    assert!(empty[0].message.contains("NEWID=\"12793\""), "{}", empty[0]);
    assert_eq!(newids.len(), 21_578);
    // 7 `.txt` documentation files, the DTD.
    assert_eq!(not_article, 9);
    assert_eq!(decoded, ["reut2-017.sgm"]);
}

#[test]
fn bbc_reads_all_2225_articles_and_skips_the_readmes() {
    let Some(root) = shared_data("bbc") else {
        return;
    };
    let options = ReadOptions::default();
    let (mut articles, mut not_article, mut decoded) = (0, Vec::new(), Vec::new());
    for item in walk(std::slice::from_ref(&root), &[]) {
        let path = match item {
            Ok(path) => path,
            Err(problem) => {
                assert_eq!(problem.kind, ProblemKind::NotArticle, "{problem}");
                not_article.push(problem.path.file_name().unwrap_or_default().to_owned());
                continue;
            }
        };
        let contents = read_file(&path, &options);
        for article in &contents.articles {
            assert!(article.title.is_some(), "{} has no title", article.id);
            assert!(
                article.body.contains("\n\n") || article.body.len() > 200,
                "{}",
                article.id
            );
            assert!(
                !article
                    .body
                    .starts_with(article.title.as_deref().unwrap_or("-"))
            );
            articles += 1;
        }
        for problem in contents.problems {
            assert_eq!(problem.kind, ProblemKind::Decoded, "{problem}");
            decoded.push(
                problem
                    .path
                    .strip_prefix(&root)
                    .unwrap_or(&problem.path)
                    .to_owned(),
            );
        }
    }
    assert_eq!(articles, 2_225);
    assert_eq!(not_article, ["README.original.TXT", "README.txt"]);
    assert_eq!(decoded, [PathBuf::from("sport/199.txt")]);
}

#[test]
fn the_seed_article_has_headline_dateline_and_one_paragraph_per_line() {
    let Some(root) = shared_data("seed") else {
        return;
    };
    let contents = read_file(&root.join("mali-wagner.txt"), &ReadOptions::default());
    assert!(contents.problems.is_empty(), "{:?}", contents.problems);
    let article = &contents.articles[0];
    assert!(
        article
            .title
            .as_deref()
            .is_some_and(|t| t.starts_with("Armed forces minister"))
    );
    assert_eq!(article.dateline.as_deref(), Some("ANKARA"));
    assert!(article.body.starts_with("The UK announced Monday"));
    assert_eq!(article.body.split("\n\n").count(), 11);
}
