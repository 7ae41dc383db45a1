//! Reliability: incremental runs, index management, locking, awkward and
//! huge input, crashes. Fixtures are generated into temp dirs at test time
//! (except the small static ones in `tests/fixtures/awkward/`).

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{dateline, json, run};
use serde_json::Value;

/// A temp dir holding a small news folder and an index beside it.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let workspace = Workspace {
            dir: tempfile::tempdir().unwrap(),
        };
        for (name, word) in [
            ("a", "alphanonce"),
            ("b", "bravononce"),
            ("c", "charlienonce"),
        ] {
            workspace.write(&format!("news/{name}.txt"), &story(word));
        }
        workspace.write("news/wire/d.txt", &story("deltanonce"));
        workspace
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn index_dir(&self) -> PathBuf {
        self.path("index")
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// `dateline ARGS --index INDEX` run from the workspace.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = dateline();
        command
            .current_dir(self.dir.path())
            .args(args)
            .arg("--index")
            .arg(self.index_dir());
        command
    }

    /// `dateline index --quiet --json ARGS`, expecting exit 0.
    fn index(&self, args: &[&str]) -> Value {
        let mut all = vec!["index", "--quiet", "--json"];
        all.extend_from_slice(args);
        json(&run(&mut self.command(&all), 0))
    }

    /// How many articles a query finds.
    fn total(&self, query: &str) -> u64 {
        let output = self.command(&["search", "--json", query]).output().unwrap();
        assert!(
            output.status.code() == Some(0) || output.status.code() == Some(1),
            "search `{query}` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        json(&output)["total_articles"].as_u64().unwrap()
    }

    fn stats(&self) -> Value {
        json(&run(&mut self.command(&["stats", "--json"]), 0))
    }
}

/// A plain-text article that holds `word` once.
fn story(word: &str) -> String {
    format!(
        "Harbour officials report {word} findings\n\nOfficials in the port said on Monday that the \
         inspection of the harbour had turned up {word} among the cargo. The inspection \
         continues this week, and a report is due in the spring.\n"
    )
}

#[test]
fn rerunning_on_an_unchanged_folder_reads_nothing_and_reports_zero_changed() {
    let ws = Workspace::new();
    let first = ws.index(&["news"]);
    assert_eq!(first["files_changed"], 4);
    assert_eq!(first["articles_indexed"], 4);
    // The same folder spelled three ways is the same files.
    let absolute = ws.path("news");
    for spelling in ["news", "./news/", absolute.to_str().unwrap()] {
        let again = ws.index(&[spelling]);
        assert_eq!(again["files_changed"], 0, "{spelling}: {again}");
        assert_eq!(again["files_read"], 0, "{spelling}: {again}");
        assert_eq!(again["files_unchanged"], 4, "{spelling}: {again}");
        assert_eq!(again["files_removed"], 0, "{spelling}: {again}");
    }
    assert_eq!(ws.stats()["articles"], 4);
    assert_eq!(ws.total("alphanonce"), 1);
}

#[test]
fn a_touched_but_identical_file_is_read_once_and_not_rewritten() {
    let ws = Workspace::new();
    ws.index(&["news"]);
    // Same bytes, new modification time.
    std::thread::sleep(Duration::from_millis(20));
    ws.write("news/a.txt", &story("alphanonce"));
    let again = ws.index(&["news"]);
    assert_eq!(again["files_read"], 1);
    assert_eq!(again["files_changed"], 0);
    assert_eq!(again["articles_indexed"], 0);
    let third = ws.index(&["news"]);
    assert_eq!(third["files_read"], 0, "the new time was recorded");
    assert_eq!(ws.total("alphanonce"), 1);
}

#[test]
fn an_edited_file_has_its_articles_replaced() {
    let ws = Workspace::new();
    ws.index(&["news"]);
    ws.write("news/b.txt", &story("brandnewnonce"));
    let again = ws.index(&["./news"]);
    assert_eq!(again["files_changed"], 1);
    assert_eq!(again["files_unchanged"], 3);
    assert_eq!(ws.total("bravononce"), 0);
    assert_eq!(ws.total("brandnewnonce"), 1);
    assert_eq!(ws.stats()["articles"], 4);
}

#[test]
fn a_file_edited_and_indexed_under_another_spelling_is_not_duplicated() {
    let ws = Workspace::new();
    ws.index(&["news"]);
    ws.write("news/c.txt", &story("charlieeditednonce"));
    let absolute = ws.path("news");
    let again = ws.index(&[absolute.to_str().unwrap()]);
    assert_eq!(again["files_changed"], 1);
    assert_eq!(ws.total("charlienonce"), 0);
    assert_eq!(ws.total("charlieeditednonce"), 1);
    assert_eq!(ws.stats()["articles"], 4);
}

#[test]
fn a_deleted_file_loses_its_articles_unless_keep_deleted_is_given() {
    let ws = Workspace::new();
    ws.index(&["news"]);
    std::fs::remove_file(ws.path("news/a.txt")).unwrap();
    let kept = ws.index(&["news", "--keep-deleted"]);
    assert_eq!(kept["files_removed"], 0);
    assert_eq!(ws.total("alphanonce"), 1);
    let removed = ws.index(&["news"]);
    assert_eq!(removed["files_removed"], 1);
    assert_eq!(removed["articles_removed"], 1);
    assert_eq!(ws.total("alphanonce"), 0);
    assert_eq!(ws.stats()["articles"], 3);
    assert_eq!(ws.stats()["files"], 3);
}

#[test]
fn files_indexed_from_other_roots_are_never_touched() {
    let ws = Workspace::new();
    ws.write("other/e.txt", &story("echononce"));
    ws.index(&["news", "other"]);
    // A run over a sub-folder only does not remove what lies outside it.
    let wire = ws.index(&["news/wire"]);
    assert_eq!(wire["files_removed"], 0);
    assert_eq!(wire["files_unchanged"], 1);
    std::fs::remove_file(ws.path("other/e.txt")).unwrap();
    let news = ws.index(&["news"]);
    assert_eq!(news["files_removed"], 0, "other/ is not this run's root");
    assert_eq!(ws.total("echononce"), 1);
    let other = ws.index(&["other"]);
    assert_eq!(other["files_removed"], 1);
    assert_eq!(ws.total("echononce"), 0);
    assert_eq!(ws.total("alphanonce"), 1);
}

#[test]
fn rebuild_starts_over_with_only_this_runs_files() {
    let ws = Workspace::new();
    ws.write("other/e.txt", &story("echononce"));
    ws.index(&["news", "other"]);
    let rebuilt = ws.index(&["--rebuild", "news"]);
    assert_eq!(rebuilt["files_changed"], 4);
    assert_eq!(ws.total("echononce"), 0);
    assert_eq!(ws.total("alphanonce"), 1);
    assert_eq!(ws.stats()["articles"], 4);
}

#[test]
fn stats_reports_articles_passages_dates_sources_size_version_and_roots() {
    let ws = Workspace::new();
    ws.write(
        "dated/f.md",
        "---\ntitle: Port reopens after storm\ndate: 2021-05-04\nsource: Harbour Post\n---\n\n\
         The port reopened on Tuesday after the storm passed, officials said.\n",
    );
    ws.write(
        "dated/g.md",
        "---\ntitle: Ferry service resumes\ndate: 2023-01-02\nsource: Harbour Post\n---\n\n\
         Ferries sailed again on Monday for the first time since the storm.\n",
    );
    ws.index(&["news", "dated"]);
    let stats = ws.stats();
    assert_eq!(stats["articles"], 6);
    assert!(stats["passages"].as_u64().unwrap() >= 6);
    assert_eq!(stats["files"], 6);
    assert_eq!(stats["earliest"], "2021-05-04");
    assert_eq!(stats["latest"], "2023-01-02");
    assert_eq!(stats["sources"]["Harbour Post"], 2);
    assert!(stats["size_bytes"].as_u64().unwrap() > 0);
    assert_eq!(stats["schema_version"], dateline::schema::SCHEMA_VERSION);
    let roots: Vec<PathBuf> = stats["roots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| PathBuf::from(r.as_str().unwrap()))
        .collect();
    let canonical = |p: &str| std::fs::canonicalize(ws.path(p)).unwrap();
    assert_eq!(roots, vec![canonical("dated"), canonical("news")]);
    let human = run(&mut ws.command(&["stats"]), 0);
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(human.contains("2021-05-04 to 2023-01-02"), "{human}");
}

#[test]
fn remove_takes_out_an_article_by_id_and_a_folder_by_path() {
    let ws = Workspace::new();
    ws.index(&["news"]);
    let by_id = json(&run(
        &mut ws.command(&["remove", "--json", "news/a.txt"]),
        0,
    ));
    assert_eq!(by_id["articles_removed"], 1);
    assert_eq!(ws.total("alphanonce"), 0);
    // A folder, typed another way, and already deleted from disk.
    std::fs::remove_dir_all(ws.path("news/wire")).unwrap();
    let by_path = json(&run(
        &mut ws.command(&["remove", "--json", "./news/wire/"]),
        0,
    ));
    assert_eq!(by_path["articles_removed"], 1);
    assert_eq!(by_path["files_removed"], 1);
    assert_eq!(ws.total("deltanonce"), 0);
    let unknown = run(&mut ws.command(&["remove", "news/nothing-here.txt"]), 1);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`news/nothing-here.txt`"));
    assert_eq!(ws.stats()["articles"], 2);
    // A removed article stays out while its file is unchanged.
    ws.index(&["news"]);
    assert_eq!(ws.total("alphanonce"), 0);
    ws.index(&["--rebuild", "news"]);
    assert_eq!(ws.total("alphanonce"), 1);
}

#[test]
fn a_second_writer_exits_2_within_5_seconds_and_searches_still_work() {
    let ws = Workspace::new();
    ws.index(&["news"]);
    // A stale pid file from a killed run never blocks.
    std::fs::write(ws.index_dir().join("dateline-writer.pid"), "999999\n").unwrap();
    ws.write("news/e.txt", &story("echononce"));
    let after_stale = ws.index(&["news"]);
    assert_eq!(after_stale["files_changed"], 1);

    // Hold tantivy's writer lock, as a running `dateline index` does.
    let index = dateline::NewsIndex::open_in_dir(ws.index_dir()).unwrap();
    let writer = index
        .tantivy_index()
        .writer::<dateline::tantivy::TantivyDocument>(20_000_000)
        .unwrap();
    std::fs::write(ws.index_dir().join("dateline-writer.pid"), "4242\n").unwrap();
    let started = Instant::now();
    let output = run(&mut ws.command(&["index", "--quiet", "news"]), 2);
    assert!(started.elapsed() < Duration::from_secs(5));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is locked by another writer (process 4242)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("wait for the other `dateline index`"),
        "{stderr}"
    );
    run(&mut ws.command(&["remove", "news/a.txt"]), 2);
    assert_eq!(ws.total("alphanonce"), 1, "searches see the last commit");
    drop(writer);
    ws.index(&["news"]);
}

#[test]
fn an_index_of_another_schema_version_names_rebuild_as_the_fix() {
    let ws = Workspace::new();
    ws.index(&["news"]);
    let schema = ws.index_dir().join("dateline-schema.toml");
    let text = std::fs::read_to_string(&schema).unwrap();
    let version = format!("version = {}", dateline::schema::SCHEMA_VERSION);
    assert!(text.contains(&version));
    std::fs::write(&schema, text.replace(&version, "version = 999")).unwrap();
    for args in [
        &["search", "alphanonce"][..],
        &["index", "news"],
        &["stats"],
    ] {
        let output = run(&mut ws.command(args), 2);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("schema version 999"), "{stderr}");
        assert!(stderr.contains("--rebuild"), "{stderr}");
    }
    let rebuilt = ws.index(&["--rebuild", "news"]);
    assert_eq!(rebuilt["articles_indexed"], 4);
    assert_eq!(ws.total("alphanonce"), 1);
}
