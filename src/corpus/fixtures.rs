//! Reads `tests/fixtures/formats/` and checks each file's outcome against
//! the table in that folder's `README.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{ProblemKind, ReadOptions, read_file, walk};
use crate::article::Article;

/// What walking and reading one fixture gave.
#[derive(Debug, Default)]
struct Outcome {
    articles: Vec<Article>,
    problems: Vec<(ProblemKind, Option<usize>, String)>,
}

fn read_fixtures() -> BTreeMap<String, Outcome> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    let name = |path: &Path| {
        path.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    };
    for item in walk(std::slice::from_ref(&root), &[]) {
        match item {
            Ok(path) => {
                let contents = read_file(&path, &ReadOptions::default());
                let outcome = outcomes.entry(name(&path)).or_default();
                outcome.articles.extend(contents.articles);
                outcome.problems.extend(
                    contents
                        .problems
                        .into_iter()
                        .map(|p| (p.kind, p.line, p.message)),
                );
            }
            Err(problem) => {
                let outcome = outcomes.entry(name(&problem.path)).or_default();
                outcome
                    .problems
                    .push((problem.kind, problem.line, problem.message));
            }
        }
    }
    outcomes
}

fn kinds(outcome: &Outcome) -> Vec<(ProblemKind, Option<usize>)> {
    outcome
        .problems
        .iter()
        .map(|(kind, line, _)| (*kind, *line))
        .collect()
}

fn id_suffixes(outcome: &Outcome) -> Vec<String> {
    outcome
        .articles
        .iter()
        .map(|a| {
            a.id.rsplit_once('#')
                .map(|(_, n)| format!("#{n}"))
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn every_fixture_has_its_documented_outcome() {
    use ProblemKind::*;
    let out = read_fixtures();
    let one = |name: &str| {
        let outcome = &out[name];
        assert_eq!(outcome.articles.len(), 1, "{name}: {outcome:?}");
        assert!(
            outcome.problems.is_empty(),
            "{name}: {:?}",
            outcome.problems
        );
        outcome.articles[0].clone()
    };

    let seed = one("seed-shape.txt");
    assert_eq!(seed.dateline.as_deref(), Some("VALLETTA"));
    assert_eq!(seed.body.split("\n\n").count(), 3);

    let wrapped = one("hard-wrapped.txt");
    assert_eq!(wrapped.dateline.as_deref(), Some("LIMA"));
    assert!(wrapped.body.starts_with("LIMA, June 4 - Peru's congress"));
    assert_eq!(wrapped.body.split("\n\n").count(), 3);

    let md = one("front-matter.md");
    assert_eq!(
        md.title.as_deref(),
        Some("Wind farm approved off the Basque coast")
    );
    assert_eq!(
        md.published.map(|d| d.to_string()).as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(md.source.as_deref(), Some("Cantabrian Courier"));
    assert_eq!(md.given_locations, ["Bilbao", "Spain"]);
    assert_eq!(
        md.given_organizations,
        ["Basque Energy Agency", "European Investment Bank"]
    );
    assert_eq!(md.dateline.as_deref(), Some("BILBAO"));
    assert!(!md.body.contains(['*', '#', '[', '!']), "{}", md.body);

    let txt = one("plain-front-matter.txt");
    assert_eq!(
        txt.title.as_deref(),
        Some("Library reopens after flood repairs")
    );
    assert_eq!(
        txt.published.map(|d| d.to_string()).as_deref(),
        Some("2024-03-05")
    );

    let json = one("article.json");
    assert!(json.id.ends_with("formats/article.json"));
    assert_eq!(json.source.as_deref(), Some("Example Wire"));
    assert_eq!(json.dateline.as_deref(), Some("WARSAW"));

    assert_eq!(id_suffixes(&out["array.json"]), ["#1", "#2"]);
    assert_eq!(id_suffixes(&out["feed.jsonl"]), ["#1", "#3"]);
    assert_eq!(id_suffixes(&out["wire.sgm"]), ["#901", "#902"]);
    assert_eq!(
        out["wire.sgm"].articles[0].given_locations,
        ["west germany", "france"]
    );

    let page = one("page.html");
    assert_eq!(
        page.title.as_deref(),
        Some("Night trains return to the Alps")
    );
    assert_eq!(page.body.split("\n\n").count(), 2);
    assert_eq!(page.dateline.as_deref(), Some("INNSBRUCK"));

    one("shouting.TXT");
    one("utf16-bom.txt");
    let latin = &out["windows-1252.txt"];
    assert_eq!(latin.articles.len(), 1);
    assert_eq!(kinds(latin), [(Decoded, Some(1))]);
    assert!(
        latin.articles[0]
            .title
            .as_deref()
            .is_some_and(|t| t.starts_with("Café"))
    );

    assert_eq!(id_suffixes(&out["mixed.jsonl"]), ["#1", "#3"]);
    assert_eq!(kinds(&out["mixed.jsonl"]), [(Malformed, Some(2))]);
    assert_eq!(id_suffixes(&out["unclosed.sgm"]), ["#951"]);
    assert_eq!(
        kinds(&out["unclosed.sgm"]),
        [(Malformed, Some(16)), (Empty, Some(19))]
    );
    assert_eq!(kinds(&out["truncated.json"]), [(Malformed, Some(3))]);
    assert_eq!(kinds(&out["deeply-nested.json"]), [(Malformed, Some(1))]);
    assert_eq!(kinds(&out["bad-front-matter.md"])[0].0, Malformed);
    assert!(kinds(&out["bad-front-matter.md"])[0].1.is_some());
    assert_eq!(kinds(&out["binary.txt"]), [(Binary, None)]);
    assert_eq!(kinds(&out["empty.txt"]), [(Empty, None)]);
    assert_eq!(kinds(&out["whitespace-only.md"]), [(Empty, None)]);
    assert_eq!(kinds(&out["no-body.html"]), [(Empty, None)]);
    for name in ["no-body.json", "word-list.txt", "table.csv", "README.md"] {
        assert_eq!(kinds(&out[name]), [(NotArticle, None)], "{name}");
    }
    assert!(!out.contains_key(".hidden-draft.txt"));
    assert_eq!(
        out.len(),
        25,
        "a fixture without an expected outcome: {:?}",
        out.keys()
    );
}

#[test]
fn each_good_nonce_is_indexed_once_and_no_ghost_nonce_is_indexed() {
    let out = read_fixtures();
    let texts: Vec<String> = out
        .values()
        .flat_map(|o| &o.articles)
        .map(|a| format!("{} {}", a.title.as_deref().unwrap_or(""), a.body).to_lowercase())
        .collect();
    let good = [
        "zebrafinch",
        "quokkaflux",
        "marmosetglow",
        "okapidrift",
        "pangolinrift",
        "narwhalbloom",
        "axolotlspire",
        "wombatquill",
        "tapirglint",
        "capybaraloom",
        "ibexmarrow",
        "lemurtrellis",
        "otterlantern",
        "geckocinder",
        "falconmosaic",
        "badgerprism",
        "hollowfern",
        "heronvault",
    ];
    for nonce in good {
        assert_eq!(
            texts.iter().filter(|t| t.contains(nonce)).count(),
            1,
            "{nonce}"
        );
    }
    for text in &texts {
        assert!(!text.contains("ghost"), "{text}");
    }
}
