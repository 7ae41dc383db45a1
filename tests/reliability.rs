//! Reliability: incremental runs, index management, locking, awkward and
//! huge input, crashes. Fixtures are generated into temp dirs at test time
//! (except the small static ones in `tests/fixtures/awkward/`).

mod common;

use std::path::{Path, PathBuf};
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
fn a_files_passages_go_with_it_when_it_is_edited_deleted_or_removed() {
    let ws = Workspace::new();
    ws.index(&["news"]);
    let passages = |ws: &Workspace| ws.stats()["passages"].as_u64().unwrap();
    let per_file = passages(&ws) / 4;
    assert!(per_file > 0);
    ws.write("news/b.txt", &story("brandnewnonce"));
    ws.index(&["news"]);
    assert_eq!(
        passages(&ws),
        4 * per_file,
        "the edited file's old passages are gone"
    );
    std::fs::remove_file(ws.path("news/a.txt")).unwrap();
    ws.index(&["news"]);
    assert_eq!(passages(&ws), 3 * per_file);
    run(&mut ws.command(&["remove", "./news/wire"]), 0);
    assert_eq!(passages(&ws), 2 * per_file);
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

/// What must become of one awkward fixture.
enum Expect {
    /// Its nonce is found in exactly one article.
    Found(&'static str),
    /// The report names the file with this kind and a message holding this.
    Named(&'static str, &'static str),
}

/// Copies the static awkward fixtures and adds those that cannot be
/// committed (links, permissions, FIFOs, big files), returning what each
/// must give. Paths are relative to the returned folder.
fn awkward_folder(dir: &std::path::Path) -> (PathBuf, Vec<(String, Expect)>) {
    use Expect::{Found, Named};
    let folder = dir.join("awkward");
    std::fs::create_dir_all(&folder).unwrap();
    let fixtures = common::root().join("tests/fixtures/awkward");
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), folder.join(entry.file_name())).unwrap();
    }
    let mut expect: Vec<(&str, Expect)> = vec![
        ("latin1.txt", Found("latinonenonce")),
        ("windows1252.txt", Found("cpwinnonce")),
        ("utf16le-bom.txt", Found("utfsixteenlenonce")),
        ("utf16be-bom.txt", Found("utfsixteenbenonce")),
        ("utf8-bom.md", Found("utfeightbomnonce")),
        ("invalid-utf8.txt", Found("badutfeightnonce")),
        ("binary.txt", Named("binary", "binary file")),
        ("empty.txt", Named("empty", "empty file")),
        ("whitespace-only.txt", Named("empty", "only whitespace")),
        ("zero-bytes.json", Named("empty", "empty file")),
        ("truncated.json", Named("malformed", "invalid JSON")),
        ("deeply-nested.json", Named("malformed", "recursion limit")),
        ("one-bad-line.jsonl", Found("jsonlgoodonenonce")),
        ("one-bad-line.jsonl", Found("jsonlgoodthreenonce")),
        ("one-bad-line.jsonl", Named("malformed", "invalid JSON")),
        ("wrong-types.json", Named("not_article", "")),
        ("unclosed-tag.sgm", Named("malformed", "is not closed")),
        ("unclosed-tag.sgm", Found("sgmlsecondnonce")),
        ("bad-front-matter.md", Named("malformed", "front matter")),
        ("nul-bytes.txt", Found("nulbytesnonce")),
        ("control-chars.txt", Found("controlcharsnonce")),
        ("no-body.html", Named("empty", "no article text")),
        ("html-script-only.html", Named("empty", "no article text")),
        ("crlf.txt", Found("crlfnonce")),
        ("cr-only.txt", Found("cronlynonce")),
        ("UPPER-CASE.TXT", Found("uppercaseextnonce")),
        ("name with spaces ünïcode.txt", Found("unicodenamenonce")),
        ("front-matter-only.md", Found("frontonlynonce")),
        ("entities.sgm", Found("sgmlentitiesnonce")),
        ("json-with-bom.json", Found("jsonbomnonce")),
    ];
    // Generated: a very long line, a file over the size limit, a folder
    // named like a file, links, a FIFO, an unreadable file.
    let long_line = format!(
        "Long line story\n\n{} longlinenonce {}\n",
        "harbour cargo ".repeat(60_000),
        "tide ".repeat(60_000)
    );
    std::fs::write(folder.join("long-line.txt"), long_line).unwrap();
    expect.push(("long-line.txt", Found("longlinenonce")));
    let too_large = format!("Too large\n\n{} toolargenonce\n", "word ".repeat(500_000));
    std::fs::write(folder.join("too-large.txt"), too_large).unwrap();
    expect.push(("too-large.txt", Named("too_large", "more than the limit")));
    std::fs::create_dir_all(folder.join("folder.txt")).unwrap();
    std::fs::write(folder.join("folder.txt/inner.txt"), story("folderdotnonce")).unwrap();
    expect.push(("folder.txt/inner.txt", Found("folderdotnonce")));
    std::os::unix::fs::symlink(folder.join("missing.txt"), folder.join("broken-link.txt")).unwrap();
    expect.push((
        "broken-link.txt",
        Named("unreadable", "broken symbolic link"),
    ));
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::os::unix::fs::symlink(&folder, folder.join("sub/loop")).unwrap();
    expect.push(("sub/loop", Named("walk", "symbolic link loop")));
    let fifo = Command::new("mkfifo").arg(folder.join("pipe.txt")).status();
    if fifo.is_ok_and(|s| s.success()) {
        expect.push(("pipe.txt", Named("unreadable", "not a regular file")));
    }
    let locked = folder.join("unreadable.txt");
    std::fs::write(&locked, story("unreadablenonce")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_err() {
        expect.push(("unreadable.txt", Named("unreadable", "permission denied")));
    } else {
        // Root reads anything: the file is then simply an article.
        eprintln!("running as root: unreadable.txt is readable and must be found");
        expect.push(("unreadable.txt", Found("unreadablenonce")));
    }
    // Unreadable even for root: opening works, reading fails (EIO).
    if Path::new("/proc/self/mem").exists() {
        std::os::unix::fs::symlink("/proc/self/mem", folder.join("proc-mem.txt")).unwrap();
        expect.push(("proc-mem.txt", Named("unreadable", "cannot read")));
    }
    let expect = expect
        .into_iter()
        .map(|(name, e)| (name.to_string(), e))
        .collect();
    (folder, expect)
}

#[test]
fn every_awkward_fixture_is_found_exactly_once_or_named_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (folder, expect) = awkward_folder(dir.path());
    assert!(expect.len() >= 30, "{} fixtures", expect.len());
    let index = dir.path().join("index");
    let output = run(
        dateline()
            .args([
                "index",
                "--quiet",
                "--json",
                "--max-file-size",
                "2000000",
                "--index",
            ])
            .arg(&index)
            .arg(&folder),
        0,
    );
    let report = json(&output);
    let problems = report["problems"].as_array().unwrap();
    let named = |name: &str, kind: &str, message: &str| {
        let path = folder.join(name);
        problems.iter().any(|p| {
            Path::new(p["path"].as_str().unwrap()) == path
                && p["kind"] == kind
                && p["message"].as_str().unwrap().contains(message)
        })
    };
    let news = dateline::NewsIndex::open_in_dir(&index).unwrap();
    let mut failures = Vec::new();
    for (name, expect) in &expect {
        match expect {
            Expect::Found(word) => {
                let results = news.search(&dateline::SearchRequest::new(*word)).unwrap();
                let ids: Vec<&str> = results.hits.iter().map(|h| h.id.as_str()).collect();
                let from_file = ids.iter().all(|id| id.contains(name.as_str()));
                if results.total_articles != 1 || !from_file {
                    failures.push(format!("{name}: `{word}` found in {ids:?}"));
                }
            }
            Expect::Named(kind, message) => {
                if !named(name, kind, message) {
                    failures.push(format!("{name}: not named as {kind} `{message}`"));
                }
            }
        }
    }
    // Every problem is about a fixture listed above.
    for problem in problems {
        let path = PathBuf::from(problem["path"].as_str().unwrap());
        let known = expect.iter().any(|(name, _)| folder.join(name) == path);
        if !known {
            failures.push(format!("unexpected problem {problem}"));
        }
    }
    // Nonces of refused files are not indexed under any other id.
    for word in [
        "binarynonce",
        "toolargenonce",
        "truncatedjsonnonce",
        "jsonlbadlinenonce",
    ] {
        let results = news.search(&dateline::SearchRequest::new(word)).unwrap();
        if results.total_articles != 0 {
            failures.push(format!("`{word}` was indexed"));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n--- report\n{report:#}",
        failures.join("\n")
    );

    // --strict turns the skips into exit code 2, with the same report.
    let strict = run(
        dateline()
            .args(["index", "--quiet", "--strict", "--rebuild"])
            .args(["--max-file-size", "2000000", "--index"])
            .arg(&index)
            .arg(&folder),
        2,
    );
    assert!(String::from_utf8_lossy(&strict.stderr).contains("binary file"));
    // A second run reads nothing but reports the same problems.
    let again = json(&run(
        dateline()
            .args([
                "index",
                "--quiet",
                "--json",
                "--max-file-size",
                "2000000",
                "--index",
            ])
            .arg(&index)
            .arg(&folder),
        0,
    ));
    assert_eq!(again["files_changed"], 0, "{again:#}");
    assert_eq!(again["skipped"], report["skipped"]);
}

#[test]
fn strict_exits_0_when_nothing_was_skipped() {
    let ws = Workspace::new();
    run(
        &mut ws.command(&["index", "--quiet", "--strict", "news"]),
        0,
    );
}

#[test]
fn a_file_deleted_between_the_walk_and_the_read_is_named_unreadable() {
    let ws = Workspace::new();
    let found: Vec<PathBuf> = std::fs::read_dir(ws.path("news"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    assert!(!found.is_empty());
    std::fs::remove_file(&found[0]).unwrap();
    let contents = dateline::read_file(&found[0], &Default::default());
    assert!(contents.articles.is_empty());
    assert_eq!(contents.problems[0].kind, dateline::ProblemKind::Unreadable);
    assert!(contents.problems[0].message.contains("no such file"));
}

/// Runs a command to its end and returns its exit status and peak
/// resident memory in bytes.
///
/// `wait4`'s `ru_maxrss` is exact for the child, except that Linux starts
/// it from the high-water mark of the address space the child ran in
/// before it exec'd: this test process's, which may have held a huge body
/// in another test. So when `ru_maxrss` does not exceed this process's own
/// high-water mark at the spawn, the peak is taken from the child's own
/// `VmHWM` (its image's high-water mark, reset at exec) sampled every
/// millisecond until it exits; big allocations take far longer than that
/// to fill, so the last sample holds the peak.
fn run_measured(command: &mut Command) -> (std::process::ExitStatus, u64) {
    use std::os::unix::process::ExitStatusExt;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let ours = vm_hwm("self").unwrap_or(u64::MAX);
    let child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let sampled = std::sync::Arc::new(AtomicU64::new(0));
    let sampler = {
        let (done, sampled) = (done.clone(), sampled.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(hwm) = vm_hwm(&pid.to_string()) {
                    sampled.fetch_max(hwm, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        })
    };
    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our child's, not yet waited for; std's Child is
    // forgotten so it never waits for it again.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    std::mem::forget(child);
    done.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    assert_eq!(waited, pid);
    // ru_maxrss is in kilobytes on Linux.
    let maxrss = usage.ru_maxrss as u64 * 1024;
    let peak = if maxrss > ours {
        maxrss
    } else {
        sampled.load(Ordering::Relaxed)
    };
    (std::process::ExitStatus::from_raw(status), peak)
}

/// A process's `VmHWM` from `/proc/PID/status`, in bytes (`None` once it
/// has exited).
fn vm_hwm(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Writes a one-article file of about `bytes` bytes in the format its
/// extension names (`txt`, `md`, `json`, `jsonl`, `html` or `sgm`),
/// holding `word` once near its end,
/// and returns the title and body `dateline show` must give back.
fn write_huge(path: &Path, bytes: usize, word: &str) -> (String, String) {
    use std::io::Write;
    let body = huge_body(bytes, word);
    let title = "An archive of harbour reports";
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension {
        "txt" => write!(file, "{title}\n\n{body}\n").unwrap(),
        "md" => write!(
            file,
            "---\ntitle: {title}\ndate: 2024-03-05\n---\n\n{body}\n"
        )
        .unwrap(),
        "json" | "jsonl" => {
            serde_json::to_writer(
                &mut file,
                &serde_json::json!({"title": title, "body": body}),
            )
            .unwrap();
            file.write_all(b"\n").unwrap();
        }
        "html" => {
            writeln!(
                file,
                "<!doctype html><html><head><title>{title}</title></head><body><article>"
            )
            .unwrap();
            for paragraph in body.split("\n\n") {
                writeln!(file, "<p>{paragraph}</p>").unwrap();
            }
            writeln!(file, "</article></body></html>").unwrap();
        }
        "sgm" => {
            let upper = title.to_uppercase();
            write!(
                file,
                "<REUTERS TOPICS=\"NO\" NEWID=\"1\">\n<DATE> 3-MAR-1987 09:00:00.00</DATE>\n\
                 <TEXT>&#2;\n<TITLE>{upper}</TITLE>\n<BODY>{body}\n Reuter\n&#3;</BODY></TEXT>\n\
                 </REUTERS>\n"
            )
            .unwrap();
            file.flush().unwrap();
            return (upper, body);
        }
        other => panic!("no huge article is written as `{other}`"),
    }
    file.flush().unwrap();
    (title.to_string(), body)
}

/// The body [`write_huge`] writes: the same text for the same arguments.
fn huge_body(bytes: usize, word: &str) -> String {
    let paragraph = "The harbour board met again on Monday and the cargo figures for the week \
                     were read out, ship by ship, while the pilots waited for the tide to turn. ";
    // Numbered paragraphs, so passages differ; already in normal form, so
    // the body is them joined by blank lines.
    let mut body = String::with_capacity(bytes + 100);
    let mut n = 0u64;
    while body.len() < bytes {
        if n > 0 {
            body.push_str("\n\n");
        }
        body.push_str(&format!("{paragraph}Report {n} closes here."));
        n += 1;
    }
    body.push_str(&format!("\n\nThe last report mentions {word} once."));
    body
}

/// Indexes one huge file of about `megabytes` MB in the format `extension`
/// names with `binary`, asserts the issue's bound (peak RSS at most 250 MB
/// plus the file's size), then checks what the index holds: `word`, written
/// once near the end, is found in one article, its passage is highlighted
/// where the body has it, and `dateline show` gives back the body the file
/// holds.
fn index_huge_within_bound(binary: &Path, megabytes: usize, extension: &str, word: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("huge.{extension}"));
    // One huge test at a time, none holding a large string while another
    // measures, so `run_measured` can mostly use the exact `ru_maxrss`;
    // the body is made again after.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (title, written) = write_huge(&file, megabytes * 1_000_000, word);
    drop(written);
    let size = std::fs::metadata(&file).unwrap().len();
    let index = dir.path().join("index");
    let (status, peak) = run_measured(
        Command::new(binary)
            .args(["index", "--quiet", "--index"])
            .arg(&index)
            .arg(&file),
    );
    assert!(status.success(), "{status:?}");
    eprintln!(
        "{megabytes} MB .{extension} file ({size} bytes): peak RSS {} MB",
        peak / 1_000_000
    );
    assert!(
        peak <= 250_000_000 + size,
        "peak RSS {peak} bytes for a .{extension} file of {size} bytes"
    );

    // Searched and shown by the binary under test: the release build reads
    // a 200 MB article back in a fraction of a debug build's time.
    let results = json(&run(
        Command::new(binary)
            .args(["search", "--json", word, "--index"])
            .arg(&index),
        0,
    ));
    assert_eq!(results["total_articles"], 1);
    let hit = &results["hits"][0];
    let shown = json(&run(
        Command::new(binary)
            .args(["show", "--json", hit["id"].as_str().unwrap(), "--index"])
            .arg(&index),
        0,
    ));
    let body = shown["body"].as_str().unwrap();
    let expected = huge_body(megabytes * 1_000_000, word);
    assert!(
        body == expected,
        "the stored body of the .{extension} file differs from the one written"
    );
    assert_eq!(shown["title"], title.as_str());
    // Offsets are code points; the body is ASCII, so they are bytes too.
    let passage = &hit["passages"][0];
    let (start, end) = (
        passage["start"].as_u64().unwrap() as usize,
        passage["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(passage["text"], body[start..end]);
    let from = passage["highlights"][0][0].as_u64().unwrap() as usize;
    let to = passage["highlights"][0][1].as_u64().unwrap() as usize;
    assert_eq!(&body[start + from..start + to], word);
    let last = shown["passages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["end"].as_u64().unwrap() as usize, body.len());
}

#[test]
fn a_20_mb_article_is_indexed_within_250_mb_plus_its_size_and_reads_back_whole() {
    index_huge_within_bound(
        Path::new(env!("CARGO_BIN_EXE_dateline")),
        20,
        "txt",
        "twentymbnonce",
    );
}

#[test]
fn a_20_mb_article_in_each_other_format_is_indexed_within_the_bound_and_reads_back_whole() {
    for extension in ["md", "json", "jsonl", "sgm", "html"] {
        index_huge_within_bound(
            Path::new(env!("CARGO_BIN_EXE_dateline")),
            20,
            extension,
            "twentymbnonce",
        );
    }
}

#[test]
fn a_file_over_max_file_size_is_skipped_with_a_message() {
    let ws = Workspace::new();
    let output = run(
        &mut ws.command(&["index", "--quiet", "--max-file-size", "100", "news"]),
        0,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("more than the limit of 100 bytes"),
        "{stderr}"
    );
    assert_eq!(ws.total("alphanonce"), 0);
}

#[test]
fn a_file_grown_past_max_file_size_loses_its_old_articles_and_stays_reported() {
    let ws = Workspace::new();
    ws.index(&["news"]);
    assert_eq!(ws.total("alphanonce"), 1);
    let grown = story("alphanonce").repeat(20);
    ws.write("news/a.txt", &grown);
    let limit = (grown.len() - 1).to_string();
    let again = ws.index(&["news", "--max-file-size", &limit]);
    assert_eq!(again["files_changed"], 1, "{again}");
    assert_eq!(again["skipped"]["too_large"], 1, "{again}");
    assert_eq!(ws.total("alphanonce"), 0);
    assert_eq!(ws.total("bravononce"), 1);
    // Unchanged since: not read again, still named.
    let third = ws.index(&["news", "--max-file-size", &limit]);
    assert_eq!(third["files_changed"], 0, "{third}");
    assert_eq!(third["skipped"]["too_large"], 1, "{third}");
    // Shrunk under the limit again: indexed once more.
    ws.write("news/a.txt", &story("alphanonce"));
    ws.index(&["news", "--max-file-size", &limit]);
    assert_eq!(ws.total("alphanonce"), 1);
}

#[test]
fn a_200_mb_article_is_indexed_by_the_release_binary_within_450_mb() {
    let Some(binary) =
        common::release_binary("a_200_mb_article_is_indexed_by_the_release_binary_within_450_mb")
    else {
        return;
    };
    index_huge_within_bound(&binary, 200, "txt", "twohundredmbnonce");
}

/// `dateline stats --json` on an index, with the given binary.
fn stats_of(binary: &Path, index: &Path) -> Value {
    json(&run(
        Command::new(binary)
            .args(["stats", "--json", "--index"])
            .arg(index),
        0,
    ))
}

fn total_of(binary: &Path, index: &Path, query: &str) -> u64 {
    let output = Command::new(binary)
        .args(["search", "--json", query, "--index"])
        .arg(index)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "search `{query}`: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    json(&output)["total_articles"].as_u64().unwrap()
}

#[test]
fn an_index_run_killed_at_several_points_loses_and_duplicates_nothing() {
    let test = "an_index_run_killed_at_several_points_loses_and_duplicates_nothing";
    let (Some(binary), Some(data)) = (common::release_binary(test), common::shared_data(test))
    else {
        return;
    };
    let reuters = data.join("reuters21578");
    let dir = tempfile::tempdir().unwrap();
    let index_args = |index: &Path| {
        let mut command = Command::new(&binary);
        command
            .args(["index", "--quiet", "--commit-every", "1000", "--index"])
            .arg(index)
            .arg(&reuters)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        command
    };

    // A clean index to compare with, and how long a full run takes.
    let clean = dir.path().join("clean");
    let started = Instant::now();
    assert!(index_args(&clean).status().unwrap().success());
    let full_time = started.elapsed();
    let expected = stats_of(&binary, &clean);
    let full = expected["articles"].as_u64().unwrap();
    assert!(full > 20_000, "{expected}");

    let crashed = dir.path().join("crashed");
    // Each run gets a third of a full run's time, so it is still running
    // when killed (a re-run skips what earlier runs committed).
    let delay = full_time.mul_f64(0.3).max(Duration::from_millis(300));
    for round in 0..3 {
        let mut child = index_args(&crashed).spawn().unwrap();
        std::thread::sleep(delay / 2);
        if round == 0 {
            // A second writer is refused quickly with a clear message...
            let started = Instant::now();
            let second = Command::new(&binary)
                .args(["index", "--quiet", "--index"])
                .arg(&crashed)
                .arg(&reuters)
                .output()
                .unwrap();
            assert!(started.elapsed() < Duration::from_secs(5));
            let stderr = String::from_utf8_lossy(&second.stderr);
            if child.try_wait().unwrap().is_none() {
                assert_eq!(second.status.code(), Some(2), "{stderr}");
                assert!(stderr.contains("is locked by another writer"), "{stderr}");
                assert!(stderr.contains("hint"), "{stderr}");
            }
            // ...while searches see the last commit.
            if crashed.join("meta.json").exists() {
                assert!(total_of(&binary, &crashed, "oil") <= full);
            }
        }
        std::thread::sleep(delay / 2);
        let still_running = child.try_wait().unwrap().is_none();
        assert!(
            still_running,
            "round {round}: the run ended before it was killed"
        );
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // The index opens, has fewer articles than the full count, and
        // searches work.
        if crashed.join("meta.json").exists() {
            let stats = stats_of(&binary, &crashed);
            let articles = stats["articles"].as_u64().unwrap();
            eprintln!("round {round}: killed with {articles} articles committed");
            assert!(articles < full, "round {round}: {stats}");
            total_of(&binary, &crashed, "oil");
        }
    }
    // A re-run completes the index: same totals as the clean one.
    assert!(index_args(&crashed).status().unwrap().success());
    let after = stats_of(&binary, &crashed);
    for key in [
        "articles",
        "passages",
        "duplicates",
        "files",
        "earliest",
        "latest",
    ] {
        assert_eq!(after[key], expected[key], "{key}");
    }
    for query in [
        "oil",
        "coffee prices",
        "+bank -rate",
        "\"crude oil\"",
        "tokyo stock",
    ] {
        assert_eq!(
            total_of(&binary, &crashed, query),
            total_of(&binary, &clean, query),
            "{query}"
        );
    }
}

/// Property tests over the public API: no panic on any input, offsets
/// inside the text, hits that satisfy their filters. Case counts are kept
/// modest for CI time.
mod properties {
    use std::sync::OnceLock;

    use dateline::{Article, Date, NewsIndex, Schema, SearchRequest};
    use dateline::{Extractor, Part};
    use dateline::{ReadOptions, read_file};
    use proptest::prelude::*;

    /// Pieces that mean something to some reader, mixed with odd bytes.
    const FRAGMENTS: &[&str] = &[
        "<REUTERS NEWID=\"1\">",
        "</REUTERS>",
        "<TEXT>",
        "</TEXT>",
        "<TITLE>",
        "</TITLE>",
        "<BODY>",
        "</BODY>",
        "<DATE>",
        "26-FEB-1987",
        "&lt;",
        "&#3;",
        "&#xFFFFFF;",
        "&",
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        "\"title\"",
        "\"body\"",
        "\"date\"",
        "null",
        "---\n",
        "title: ",
        "date: 2022-13-45",
        "- ",
        "# ",
        "<html>",
        "<body>",
        "<p>",
        "</p>",
        "<script>",
        "<article>",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\t",
        " ",
        "\u{0}",
        "\u{FEFF}",
        "é",
        "日本",
        "🦀",
        "\u{85}",
        "Mali",
        "Accra",
        "United Nations",
        "NAIROBI",
        "ANKARA, March 3 (Reuters) -",
        "Paris",
        "oil",
        "prices",
        "Monday",
        "The committee met on Tuesday to discuss the budget.",
        "2023-07-03",
        "1987",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
                1 => any::<char>().prop_map(String::from),
            ],
            0..80,
        )
        .prop_map(|parts| parts.concat())
    }

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            3 => text().prop_map(String::into_bytes),
            1 => prop::collection::vec(any::<u8>(), 0..400),
            1 => text().prop_map(|t| {
                // UTF-16 with a byte order mark.
                let mut out = vec![0xFF, 0xFE];
                out.extend(t.encode_utf16().flat_map(u16::to_le_bytes));
                out
            }),
            1 => text().prop_map(|t| t.chars().map(|c| c as u32 as u8).collect()),
        ]
    }

    fn char_len(text: &str) -> usize {
        text.chars().count()
    }

    fn extractor() -> &'static Extractor {
        static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
        EXTRACTOR.get_or_init(Extractor::new)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Every reader, through the decoder, on any bytes: no panic; each
        /// article has an id and a clean body, or the file has a problem.
        #[test]
        fn every_reader_accepts_any_bytes(data in bytes()) {
            let dir = tempfile::tempdir().unwrap();
            for extension in ["txt", "md", "json", "jsonl", "sgm", "html"] {
                let path = dir.path().join(format!("case.{extension}"));
                std::fs::write(&path, &data).unwrap();
                let contents = read_file(&path, &ReadOptions::default());
                prop_assert!(!contents.articles.is_empty() || !contents.problems.is_empty());
                for article in &contents.articles {
                    prop_assert!(!article.id.is_empty());
                    prop_assert!(!article.body.contains('\r'), "{extension}: {:?}", article.body);
                    prop_assert!(!article.body.contains(char::from(0)));
                }
            }
        }

        /// Passages lie inside the body, in order, without overlap.
        #[test]
        fn passages_stay_inside_the_body_in_order(body in text()) {
            let spans = dateline::split_passages(&body, &Schema::default().passages);
            let len = char_len(&body);
            let mut last_end = 0;
            for span in &spans {
                prop_assert!(span.start < span.end, "{span:?}");
                prop_assert!(span.end <= len, "{span:?} past {len}");
                prop_assert!(span.start >= last_end, "{span:?} overlaps");
                last_end = span.end;
            }
        }

        /// Every entity span lies inside its part of the article.
        #[test]
        fn entity_spans_stay_inside_title_and_body(title in text(), body in text()) {
            let article = Article {
                id: "case".to_string(),
                title: Some(title.clone()).filter(|t| !t.is_empty()),
                body: body.clone(),
                ..Article::default()
            };
            let entities = extractor().extract(&article);
            let spans = entities
                .locations
                .iter()
                .flat_map(|l| &l.spans)
                .chain(entities.organizations.iter().flat_map(|o| &o.spans));
            for span in spans {
                let len = match span.part {
                    Part::Title => char_len(&title),
                    Part::Body => char_len(&body),
                };
                prop_assert!(span.start < span.end && span.end <= len, "{span:?} of {len}");
            }
        }

        /// Any query and filter text gives results or an error, never a
        /// panic; every hit satisfies the filters.
        #[test]
        fn every_hit_satisfies_its_filters(
            query in prop_oneof![text(), query_text()],
            place in prop::sample::select(PLACES),
            from in prop::option::of(prop::sample::select(DATES)),
            to in prop::option::of(prop::sample::select(DATES)),
        ) {
            let index = filter_index();
            let mut request = SearchRequest::new(query).filter("location", place);
            request.from = from.map(str::to_string);
            request.to = to.map(str::to_string);
            request.limit = 100;
            let Ok(results) = index.search(&request) else { return Ok(()) };
            let paths: Vec<&str> = results
                .resolved_filters
                .iter()
                .flat_map(|f| f.paths.iter().map(String::as_str))
                .collect();
            for hit in &results.hits {
                let in_place = hit.locations.iter().any(|l| {
                    paths.iter().any(|p| l.facet == *p || l.facet.starts_with(&format!("{p}/")))
                });
                prop_assert!(in_place, "{} not in {paths:?}: {:?}", hit.id, hit.locations);
                let published = hit.published.map(|d| d.to_string());
                if let Some(from) = from {
                    prop_assert!(published.as_deref().is_some_and(|p| p >= from), "{published:?} < {from}");
                }
                if let Some(to) = to {
                    prop_assert!(published.as_deref().is_some_and(|p| p <= to), "{published:?} > {to}");
                }
            }
        }
    }

    const PLACES: &[&str] = &[
        "Mali", "Ghana", "Africa", "/Africa", "Kenya", "France", "Europe", "Nowhere",
    ];
    const DATES: &[&str] = &["2021-01-01", "2022-06-15", "2023-03-01", "2024-12-31"];

    fn query_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(
                &[
                    "+",
                    "-",
                    "\"",
                    "AND",
                    "NOT",
                    "OR",
                    "title:",
                    "body:",
                    "date:",
                    "(",
                    ")",
                    "*",
                    "drought",
                    "rain",
                    "aid",
                    " ",
                    "::",
                    "\"\"",
                    "unknown:",
                    "2022-13-45",
                ][..],
            ),
            0..20,
        )
        .prop_map(|parts| parts.concat())
    }

    /// A small in-memory index: one article per place and date.
    fn filter_index() -> &'static NewsIndex {
        static INDEX: OnceLock<NewsIndex> = OnceLock::new();
        INDEX.get_or_init(|| {
            let index = NewsIndex::create_in_ram(Schema::default()).unwrap();
            let places = ["Mali", "Ghana", "Kenya", "France", "Germany"];
            let mut articles = Vec::new();
            for (i, place) in places.iter().enumerate() {
                for (j, date) in [(2021, 3, 4), (2022, 6, 15), (2023, 1, 2), (2024, 7, 8)]
                    .into_iter()
                    .enumerate()
                {
                    articles.push(Article {
                        id: format!("a{i}-{j}"),
                        title: Some(format!("Drought and rain in {place}")),
                        body: format!(
                            "Officials in {place} said the drought had ended after rain, \
                             and aid would reach farmers in {place} within weeks. Report {i}{j}."
                        ),
                        published: Date::new(date.0, date.1, date.2),
                        ..Article::default()
                    });
                }
            }
            index.ingest_articles(articles).unwrap();
            index
        })
    }

    /// Keeps the filter property from being vacuous: the index answers.
    #[test]
    fn the_property_index_answers_place_and_date_filters() {
        let index = filter_index();
        let mali = index
            .search(&SearchRequest::new("").filter("location", "Mali"))
            .unwrap();
        assert_eq!(mali.total_articles, 4);
        let mut recent = SearchRequest::new("rain").filter("location", "Africa");
        recent.from = Some("2024-01-01".to_string());
        assert_eq!(index.search(&recent).unwrap().total_articles, 3);
    }

    /// Queries a user can type give a result or a clear error, promptly.
    #[test]
    fn odd_queries_give_a_result_or_a_clear_error() {
        let index = filter_index();
        let many = vec!["rain"; 10_000].join(" ");
        let odd = [
            "",
            "+",
            "-",
            "\"",
            "\"unbalanced",
            "+-+-",
            "AND OR NOT",
            "title:",
            "nofield:rain",
            "((((",
            many.as_str(),
        ];
        for query in odd {
            let started = std::time::Instant::now();
            let outcome = index.search(&SearchRequest::new(query));
            // A hang guard, not a speed goal (this is a debug build).
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "{query:.40}"
            );
            if let Err(error) = outcome {
                let message = error.to_string();
                assert!(!message.is_empty() && message.chars().next().unwrap().is_lowercase());
            }
        }
        let mut bad_date = SearchRequest::new("rain");
        bad_date.from = Some("2022-13-45".to_string());
        let error = index.search(&bad_date).unwrap_err().to_string();
        assert!(error.contains("2022-13-45"), "{error}");
    }

    /// Found by fuzzing (`query` target): a year past 2262 overflowed
    /// tantivy's nanosecond clock, a panic in debug builds and a wrapped,
    /// wrong date in release builds. Such dates now sort at the ends.
    #[test]
    fn dates_outside_the_nanosecond_clock_filter_in_order() {
        let index = NewsIndex::create_in_ram(Schema::default()).unwrap();
        let articles = [("old", 1500), ("now", 2022), ("far", 8888)].map(|(id, year)| Article {
            id: id.to_string(),
            title: Some("Rain over the harbour".to_string()),
            body: "Rain fell over the harbour all night.".to_string(),
            published: Date::new(year, 1, 1),
            ..Article::default()
        });
        index.ingest_articles(articles).unwrap();
        let found = |from: Option<&str>, to: Option<&str>| {
            let mut request = SearchRequest::new("rain");
            request.from = from.map(str::to_string);
            request.to = to.map(str::to_string);
            let results = index.search(&request).unwrap();
            let mut ids: Vec<String> = results.hits.iter().map(|h| h.id.clone()).collect();
            ids.sort();
            ids
        };
        assert_eq!(found(Some("8888"), None), ["far"]);
        assert_eq!(found(Some("2000"), Some("2100")), ["now"]);
        assert_eq!(found(None, Some("1600")), ["old"]);
        assert_eq!(found(Some("1400"), None), ["far", "now", "old"]);
    }
}

#[test]
fn a_duplicate_whose_original_is_edited_or_deleted_is_indexed_again() {
    let ws = Workspace::new();
    for name in ["x", "y", "z"] {
        ws.write(&format!("news/dup/{name}.txt"), &story("echoednonce"));
    }
    let first = ws.index(&["news"]);
    assert_eq!(first["duplicates"], 2);
    assert_eq!(ws.total("echoednonce"), 1);
    // The primary's text changes: the duplicates' text must stay findable.
    ws.write("news/dup/x.txt", &story("changednonce"));
    let edited = ws.index(&["news"]);
    assert_eq!(edited["files_changed"], 1, "{edited}");
    assert_eq!(edited["files_reread"], 2, "{edited}");
    assert_eq!(ws.total("echoednonce"), 1);
    assert_eq!(ws.total("changednonce"), 1);
    // The new primary's file is deleted: the last copy takes over.
    std::fs::remove_file(ws.path("news/dup/y.txt")).unwrap();
    ws.index(&["news"]);
    assert_eq!(ws.total("echoednonce"), 1);
    let steady = ws.index(&["news"]);
    assert_eq!(steady["files_read"], 0, "{steady}");
    assert_eq!(steady["files_reread"], 0, "{steady}");
    assert_eq!(ws.stats()["articles"], 6);
}

// Stored articles: one zstd frame each, with a dictionary the index trains
// on its own first articles (`.dateline-dictionary-N` in the index folder).

/// Article `n` of a generated wire: about 1.4 KB of varied sentences, in
/// normal form (single spaces, paragraphs one blank line apart), enough of
/// them to train a dictionary on.
fn wire_article(n: usize) -> (String, String) {
    const WORDS: [&str; 24] = [
        "wheat",
        "exports",
        "rose",
        "ministry",
        "tonnes",
        "shipments",
        "Côte",
        "d'Ivoire",
        "cocoa",
        "prices",
        "fell",
        "analysts",
        "said",
        "harvest",
        "port",
        "Abidjan",
        "the",
        "season",
        "traders",
        "estimated",
        "weather",
        "crop",
        "forecast",
        "buyers",
    ];
    let mut state = n as u64 * 2_654_435_761 + 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut paragraphs = Vec::new();
    for p in 0..4 {
        let mut sentences = Vec::new();
        for _ in 0..4 {
            let words: Vec<&str> = (0..12)
                .map(|_| WORDS[next() as usize % WORDS.len()])
                .collect();
            sentences.push(format!("{} {}.", words.join(" "), next() % 1000));
        }
        paragraphs.push(format!(
            "Paragraph {p} of story {n}: {}",
            sentences.join(" ")
        ));
    }
    (format!("Cocoa report {n} — Ávila"), paragraphs.join("\n\n"))
}

/// Writes articles `range` of the generated wire as one JSON Lines file.
fn write_wire(path: &Path, range: std::ops::Range<usize>) {
    let lines: Vec<String> = range
        .map(|n| {
            let (title, body) = wire_article(n);
            serde_json::json!({"id": format!("wire-{n}"), "title": title, "body": body}).to_string()
        })
        .collect();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn article_of(id: &str, title: Option<&str>, body: &str) -> dateline::Article {
    dateline::Article {
        id: id.to_string(),
        path: PathBuf::from(id),
        title: title.map(str::to_string),
        body: body.to_string(),
        ..dateline::Article::default()
    }
}

/// The id the JSON Lines reader gives article `n` of a wire file.
fn wire_id(index: &dateline::NewsIndex, n: usize) -> String {
    let request = dateline::SearchRequest {
        query: format!("\"story {n}\""),
        limit: 1,
        ..dateline::SearchRequest::default()
    };
    let results = index.search(&request).unwrap();
    assert_eq!(results.hits.len(), 1, "story {n}");
    results.hits[0].id.clone()
}

const DICTIONARY: &str = ".dateline-dictionary-1";

#[test]
fn an_index_too_small_to_train_a_dictionary_still_searches_and_shows_articles() {
    let dir = tempfile::tempdir().unwrap();
    let index =
        dateline::NewsIndex::create_in_dir(dir.path(), dateline::Schema::default()).unwrap();
    let corpus = common::root().join("sample-corpus");
    let report = index
        .ingest_paths(&[corpus], &dateline::IngestOptions::default(), &mut |_| {})
        .unwrap();
    assert!(report.articles_indexed > 50, "{report:?}");
    assert!(!dir.path().join(DICTIONARY).exists());
    let request = dateline::SearchRequest {
        query: "Mali".to_string(),
        ..dateline::SearchRequest::default()
    };
    let results = index.search(&request).unwrap();
    assert!(!results.hits.is_empty());
    for hit in &results.hits {
        let article = index.article(&hit.id).unwrap();
        assert_eq!(article.title, hit.title);
        assert!(!article.body.is_empty());
        for passage in &hit.passages {
            let text = common::slice_chars(&article.body, passage.start, passage.end);
            assert_eq!(passage.text, text);
        }
    }
}

#[test]
fn articles_written_before_and_after_the_dictionary_exists_read_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let news = tempfile::tempdir().unwrap();
    let early = [
        article_of(
            "empty-title",
            Some(""),
            "Rain fell on Accra for a third day.",
        ),
        article_of(
            "no-title",
            None,
            "Côte d'Ivoire: ΣΊΣΥΦΟΣ, 日本語, «quotes» — and an emoji 😀.",
        ),
        article_of(
            "plain",
            Some("Ghana votes"),
            "ACCRA, Dec 7 - Ghanaians voted on Saturday.",
        ),
    ];
    let late = [
        article_of(
            "late-empty",
            Some(""),
            "Trains stopped in Lagos after the storm.",
        ),
        article_of(
            "late-accent",
            Some("Élan à Zürich"),
            "ZURICH - Les marchés ont ouvert.",
        ),
    ];
    {
        // Run 1: three articles, too few to train a dictionary on.
        let index =
            dateline::NewsIndex::create_in_dir(dir.path(), dateline::Schema::default()).unwrap();
        index.ingest_articles(early.clone()).unwrap();
        assert!(!dir.path().join(DICTIONARY).exists());
        // Run 2: enough to train one; the wire's first articles are held
        // and compressed with it, the rest compressed by reader threads.
        write_wire(&news.path().join("one/wire.jsonl"), 0..600);
        index
            .ingest_paths(
                &[news.path().join("one")],
                &dateline::IngestOptions::default(),
                &mut |_| {},
            )
            .unwrap();
        assert!(dir.path().join(DICTIONARY).exists());
    }
    // Runs 3 and 4, after reopening: the dictionary is loaded, not trained again.
    let index = dateline::NewsIndex::open_in_dir(dir.path()).unwrap();
    index.ingest_articles(late.clone()).unwrap();
    write_wire(&news.path().join("two/wire.jsonl"), 600..620);
    index
        .ingest_paths(
            &[news.path().join("two")],
            &dateline::IngestOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    assert!(!dir.path().join(".dateline-dictionary-2").exists());
    for expected in early.iter().chain(&late) {
        let stored = index.article(&expected.id).unwrap();
        assert_eq!(stored.title, expected.title, "{}", expected.id);
        assert_eq!(stored.body, expected.body, "{}", expected.id);
        assert_eq!(
            stored.passages.last().map(|p| p.end),
            Some(expected.body.chars().count())
        );
    }
    for n in [0, 1, 299, 599, 600, 619] {
        let stored = index.article(&wire_id(&index, n)).unwrap();
        let (title, body) = wire_article(n);
        assert_eq!(stored.title.as_deref(), Some(title.as_str()), "story {n}");
        assert_eq!(stored.body, body, "story {n}");
    }
}

#[test]
fn a_damaged_stored_article_is_an_error_naming_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let index =
        dateline::NewsIndex::create_in_dir(dir.path(), dateline::Schema::default()).unwrap();
    index
        .ingest_articles([article_of("good", Some("Fine"), "Nothing wrong here.")])
        .unwrap();
    // An article document whose stored record is not a zstd frame, written
    // through the escape hatch.
    let tantivy_index = index.tantivy_index();
    let schema = tantivy_index.schema();
    let field = |name: &str| schema.get_field(name).unwrap();
    let mut doc = dateline::tantivy::TantivyDocument::default();
    doc.add_text(field("kind"), "article");
    doc.add_text(field("id"), "bad");
    doc.add_u64(field("parent"), 0);
    doc.add_bytes(field("packed"), &[0u8, 1, 2, 3][..]);
    let mut writer: dateline::tantivy::IndexWriter = tantivy_index.writer(15_000_000).unwrap();
    writer.add_document(doc).unwrap();
    writer.commit().unwrap();
    drop(writer);
    index.reload().unwrap();
    let error = index.article("bad").unwrap_err();
    assert!(
        matches!(error, dateline::Error::Damaged { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    assert!(message.contains("`bad`"), "{message}");
    assert_eq!(index.article("good").unwrap().body, "Nothing wrong here.");
}

#[test]
fn a_missing_or_damaged_dictionary_is_an_error_naming_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let news = tempfile::tempdir().unwrap();
    write_wire(&news.path().join("wire.jsonl"), 0..500);
    let id = {
        let index =
            dateline::NewsIndex::create_in_dir(dir.path(), dateline::Schema::default()).unwrap();
        index
            .ingest_paths(
                &[news.path().to_path_buf()],
                &dateline::IngestOptions::default(),
                &mut |_| {},
            )
            .unwrap();
        wire_id(&index, 7)
    };
    let file = dir.path().join(DICTIONARY);
    let bytes = std::fs::read(&file).unwrap();

    std::fs::remove_file(&file).unwrap();
    let index = dateline::NewsIndex::open_in_dir(dir.path()).unwrap();
    let message = index.article(&id).unwrap_err().to_string();
    assert!(message.contains(&file.display().to_string()), "{message}");
    assert!(message.contains("missing"), "{message}");
    drop(index);

    let mut damaged = bytes.clone();
    damaged[bytes.len() / 2] ^= 0x5a;
    std::fs::write(&file, &damaged).unwrap();
    let message = dateline::NewsIndex::open_in_dir(dir.path())
        .unwrap_err()
        .to_string();
    assert!(message.contains(&file.display().to_string()), "{message}");
    assert!(message.contains("damaged"), "{message}");

    std::fs::write(&file, &bytes).unwrap();
    let index = dateline::NewsIndex::open_in_dir(dir.path()).unwrap();
    assert_eq!(index.article(&id).unwrap().body, wire_article(7).1);
}
