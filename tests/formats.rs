//! Every input format through the binary: each good fixture is indexed and
//! found by its nonce word exactly once, and each malformed twin is named
//! on stderr with its reason while the rest of the folder is indexed.
//! The fixtures and their expected outcomes: tests/fixtures/formats/README.md.

mod common;

use common::{dateline, json, run};

const FIXTURES: &str = "tests/fixtures/formats";

fn indexed_fixtures() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    serde_json::Value,
    String,
) {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = run(
        dateline()
            .args(["index", "--quiet", "--json", FIXTURES, "--index"])
            .arg(&index),
        0,
    );
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (dir, index, json(&output), stderr)
}

fn hits(index: &std::path::Path, word: &str) -> u64 {
    let output = dateline()
        .args(["search", word, "--json", "--index"])
        .arg(index)
        .output()
        .unwrap();
    json(&output)["total_articles"].as_u64().unwrap()
}

#[test]
fn every_good_fixture_is_found_once_and_no_ghost_is_indexed() {
    let (_dir, index, _, _) = indexed_fixtures();
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
    for word in good {
        assert_eq!(
            hits(&index, word),
            1,
            "`{word}` must be indexed exactly once"
        );
    }
    let ghosts = [
        "ghostlynx",
        "ghostwren",
        "ghostheron",
        "ghostmoth",
        "ghostcrane",
        "ghostvole",
        "ghostsnipe",
        "ghostorca",
        "ghostkite",
    ];
    for word in ghosts {
        assert_eq!(hits(&index, word), 0, "`{word}` must never be indexed");
    }
}

#[test]
fn malformed_fixtures_are_named_with_file_line_and_reason() {
    let (_dir, _index, summary, stderr) = indexed_fixtures();
    let expected = [
        ("mixed.jsonl:2:", "invalid JSON"),
        ("unclosed.sgm:16:", "never closed"),
        ("unclosed.sgm:19:", "no title and no text"),
        ("truncated.json:", "invalid JSON"),
        ("deeply-nested.json", "recursion"),
        ("bad-front-matter.md:", "front matter"),
        ("binary.txt", "binary"),
        ("empty.txt", "empty"),
        ("whitespace-only.md", "only whitespace"),
        ("no-body.html", "no article text"),
        ("windows-1252.txt:", "Windows-1252"),
    ];
    for (file, reason) in expected {
        let line = stderr.lines().find(|l| l.contains(file));
        assert!(
            line.is_some_and(|l| l.to_lowercase().contains(&reason.to_lowercase())),
            "expected a line naming `{file}` with `{reason}`, stderr:\n{stderr}"
        );
    }
    for (reason, at_least) in [
        ("malformed", 5),
        ("binary", 1),
        ("empty", 4),
        ("not_article", 4),
    ] {
        let count = summary["skipped"][reason].as_u64().unwrap_or(0);
        assert!(
            count >= at_least,
            "{reason}: {count} < {at_least} in {summary}"
        );
    }
    assert_eq!(summary["articles_indexed"], 18);
}

#[test]
fn strict_turns_any_skip_into_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    run(
        dateline()
            .args(["index", "--quiet", "--strict", FIXTURES, "--index"])
            .arg(dir.path().join("i")),
        2,
    );
}
