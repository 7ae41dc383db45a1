//! One benchmark run: index with every engine, then time the three search
//! cases and the one-shot `dateline search` processes; optionally again on
//! scaled copies of the corpus.

use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Args;
use dateline::{NewsIndex, SearchRequest};
use serde::Serialize;

use crate::corpus::{self, Query};
use crate::measure::{Latency, run_measured};
use crate::peers::{SqlitePeer, TantivyPeer};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

#[derive(Args)]
pub struct RunArgs {
    /// Corpus folders of one-file-per-article `.txt` files (repeatable)
    #[arg(long = "corpus", required = true)]
    corpora: Vec<PathBuf>,
    /// Query file (`id<TAB>kind<TAB>terms`)
    #[arg(long, default_value = "bench/queries.tsv")]
    queries: PathBuf,
    /// The release `dateline` binary
    #[arg(long, default_value = "target/release/dateline")]
    dateline_bin: PathBuf,
    /// Scratch folder for indexes and scaled corpora (default: a new folder
    /// in the temp dir, removed at the end)
    #[arg(long)]
    work: Option<PathBuf>,
    /// Timed passes over the query set per case (after one warm-up pass)
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// How many queries to run as one-shot `dateline search` processes
    #[arg(long, default_value_t = 50)]
    oneshot: usize,
    #[command(flatten)]
    filter: CaseFilter,
    /// Growth curve: also run on this many unique copies of the corpus (e.g. `1,3,10`)
    #[arg(long, value_delimiter = ',')]
    scale: Vec<usize>,
    /// Skip the peers (Dateline only)
    #[arg(long)]
    no_peers: bool,
    /// Also write the raw numbers as JSON here
    #[arg(long)]
    json: Option<PathBuf>,
}

#[derive(Serialize)]
struct Indexing {
    engine: &'static str,
    articles: usize,
    wall_s: f64,
    articles_per_s: f64,
    mb_per_s: f64,
    peak_rss_mb: f64,
    /// Sampled maxima of heap and of mapped files (see `ProcessRun`).
    anon_mb: f64,
    file_mb: f64,
    index_mb: f64,
    index_over_input: f64,
}

#[derive(Serialize)]
struct Search {
    engine: &'static str,
    case: &'static str,
    latency: Latency,
    queries_with_hits: usize,
    errors: usize,
    /// Case (c) for Dateline: mean exact total of matching articles.
    mean_total: Option<f64>,
}

#[derive(Serialize)]
struct Suite {
    label: String,
    files: usize,
    input_mb: f64,
    indexing: Vec<Indexing>,
    search: Vec<Search>,
    oneshot_search: Option<Latency>,
}

#[derive(Serialize)]
struct Report {
    queries: usize,
    rounds: usize,
    suites: Vec<Suite>,
}

const MB: f64 = 1e6;

pub fn read_list(path: &Path) -> Result<Vec<PathBuf>> {
    Ok(fs::read_to_string(path)?
        .lines()
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect())
}

pub fn run(args: &RunArgs) -> Result<()> {
    let queries = corpus::read_queries(&args.queries)?;
    if !args.dateline_bin.is_file() {
        return Err(format!(
            "no dateline binary at `{}` (build it with `cargo build --release`)",
            args.dateline_bin.display()
        )
        .into());
    }
    let (work, remove) = match &args.work {
        Some(dir) => (dir.clone(), false),
        None => (
            std::env::temp_dir().join(format!("dateline-bench-{}", std::process::id())),
            true,
        ),
    };
    fs::create_dir_all(&work)?;
    let outcome = run_in(args, &queries, &work);
    if remove {
        let _ = fs::remove_dir_all(&work);
    }
    let report = outcome?;
    println!("{}", markdown(&report, args));
    if let Some(path) = &args.json {
        fs::write(path, serde_json::to_string_pretty(&report)?)?;
    }
    Ok(())
}

fn run_in(args: &RunArgs, queries: &[Query], work: &Path) -> Result<Report> {
    let mut suites = Vec::new();
    let files = corpus::text_files(&args.corpora)?;
    if files.is_empty() {
        return Err("no .txt files under the corpus folders".into());
    }
    let label = args
        .corpora
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" + ");
    suites.push(suite(
        args,
        queries,
        &files,
        &args.corpora,
        &work.join("base"),
        label,
        true,
    )?);
    for &factor in &args.scale {
        let dir = work.join(format!("scaled-{factor}x"));
        let corpus_dir = dir.join("corpus");
        eprintln!("writing {factor} copies of the corpus");
        corpus::scaled(&files, factor, &corpus_dir)?;
        let scaled_files = corpus::text_files(std::slice::from_ref(&corpus_dir))?;
        let result = suite(
            args,
            queries,
            &scaled_files,
            std::slice::from_ref(&corpus_dir),
            &dir,
            format!("{factor}x"),
            false,
        )?;
        suites.push(result);
        fs::remove_dir_all(&dir)?;
    }
    Ok(Report {
        queries: queries.len(),
        rounds: args.rounds,
        suites,
    })
}

fn suite(
    args: &RunArgs,
    queries: &[Query],
    files: &[PathBuf],
    roots: &[PathBuf],
    work: &Path,
    label: String,
    oneshot: bool,
) -> Result<Suite> {
    fs::create_dir_all(work)?;
    let input = corpus::total_bytes(files)?;
    // Read everything once so every engine starts from the same warm page cache.
    for file in files {
        std::hint::black_box(fs::read(file)?);
    }
    let list = work.join("files.txt");
    let mut listing = String::new();
    for file in files {
        writeln!(listing, "{}", file.display())?;
    }
    fs::write(&list, listing)?;
    eprintln!(
        "[{label}] {} files, {:.1} MB",
        files.len(),
        input as f64 / MB
    );

    let mut indexing = Vec::new();
    let dateline_dir = work.join("dateline");
    let mut command = Command::new(&args.dateline_bin);
    command
        .arg("index")
        .args(roots)
        .arg("--index")
        .arg(&dateline_dir)
        .args(["--quiet", "--json"]);
    let (run, stdout) = measured(command, &work.join("dateline.out"))?;
    let summary: serde_json::Value = serde_json::from_str(&stdout)?;
    let articles = summary["articles_indexed"].as_u64().unwrap_or(0) as usize
        + summary["duplicates"].as_u64().unwrap_or(0) as usize;
    indexing.push(index_row("dateline", articles, &run, input, &dateline_dir)?);

    let tantivy_dir = work.join("tantivy");
    let sqlite_path = work.join("fts5.db");
    if !args.no_peers {
        let exe = std::env::current_exe()?;
        let mut command = Command::new(&exe);
        command
            .arg("tantivy-index")
            .arg("--list")
            .arg(&list)
            .arg("--out")
            .arg(&tantivy_dir);
        let (run, stdout) = measured(command, &work.join("tantivy.out"))?;
        indexing.push(index_row(
            "tantivy",
            stdout.trim().parse()?,
            &run,
            input,
            &tantivy_dir,
        )?);
        let mut command = Command::new(&exe);
        command
            .arg("sqlite-index")
            .arg("--list")
            .arg(&list)
            .arg("--out")
            .arg(&sqlite_path);
        let (run, stdout) = measured(command, &work.join("sqlite.out"))?;
        indexing.push(index_row(
            "fts5",
            stdout.trim().parse()?,
            &run,
            input,
            &sqlite_path,
        )?);
    }

    let mut search = Vec::new();
    let dateline = NewsIndex::open_in_dir(&dateline_dir)?;
    for case in ["a", "b", "c"] {
        let mut total = 0usize;
        let row = time_queries(queries, args.rounds, |q| {
            let results = dateline.search(&case_request(case, q, &args.filter))?;
            total += results.total_articles;
            Ok(results.hits.len())
        });
        let mut row = row.named("dateline", case);
        if case == "c" {
            // Every pass (warm-up included) added each query's total once.
            row.mean_total = Some(total as f64 / (queries.len() * (args.rounds + 1)) as f64);
        }
        search.push(row);
    }
    drop(dateline);
    if !args.no_peers {
        let peer = TantivyPeer::open(&tantivy_dir)?;
        search.push(time_queries(queries, args.rounds, |q| peer.top10(q)).named("tantivy", "a"));
        search.push(
            time_queries(queries, args.rounds, |q| peer.top10_snippets(q, false))
                .named("tantivy", "b"),
        );
        search.push(
            time_queries(queries, args.rounds, |q| peer.top10_snippets(q, true))
                .named("tantivy", "c"),
        );
        let peer = SqlitePeer::open(&sqlite_path)?;
        search.push(time_queries(queries, args.rounds, |q| peer.top10(q)).named("fts5", "a"));
        search.push(
            time_queries(queries, args.rounds, |q| peer.top10_snippets(q, false))
                .named("fts5", "b"),
        );
        search.push(
            time_queries(queries, args.rounds, |q| peer.top10_snippets(q, true)).named("fts5", "c"),
        );
    }

    let oneshot_search = if oneshot && args.oneshot > 0 {
        let mut timings = Vec::new();
        for q in queries.iter().take(args.oneshot) {
            let start = Instant::now();
            let status = Command::new(&args.dateline_bin)
                .arg("search")
                .arg("--index")
                .arg(&dateline_dir)
                .arg("--json")
                .arg(q.tantivy_syntax())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?;
            timings.push(start.elapsed());
            // 0: hits, 1: no hits; 2 is an error worth stopping for.
            if status.code() == Some(2) {
                return Err(format!("`dateline search {}` failed", q.tantivy_syntax()).into());
            }
        }
        Some(Latency::of(timings))
    } else {
        None
    };

    Ok(Suite {
        label,
        files: files.len(),
        input_mb: input as f64 / MB,
        indexing,
        search,
        oneshot_search,
    })
}

fn measured(
    mut command: Command,
    stdout_path: &Path,
) -> Result<(crate::measure::ProcessRun, String)> {
    command
        .stdout(fs::File::create(stdout_path)?)
        .stdin(Stdio::null());
    let run = run_measured(&mut command)?;
    if run.exit_code != 0 {
        return Err(format!("{command:?} exited with {}", run.exit_code).into());
    }
    Ok((run, fs::read_to_string(stdout_path)?))
}

fn index_row(
    engine: &'static str,
    articles: usize,
    run: &crate::measure::ProcessRun,
    input: u64,
    index: &Path,
) -> Result<Indexing> {
    let secs = run.wall.as_secs_f64();
    let size = corpus::size_on_disk(index)?;
    eprintln!("  {engine}: indexed {articles} in {secs:.2} s");
    Ok(Indexing {
        engine,
        articles,
        wall_s: secs,
        articles_per_s: articles as f64 / secs,
        mb_per_s: input as f64 / MB / secs,
        peak_rss_mb: run.max_rss_bytes as f64 / MB,
        anon_mb: run.sampled_anon_bytes as f64 / MB,
        file_mb: run.sampled_file_bytes as f64 / MB,
        index_mb: size as f64 / MB,
        index_over_input: size as f64 / input as f64,
    })
}

struct Timed {
    latency: Latency,
    with_hits: usize,
    errors: usize,
}

impl Timed {
    fn named(self, engine: &'static str, case: &'static str) -> Search {
        Search {
            engine,
            case,
            latency: self.latency,
            queries_with_hits: self.with_hits,
            errors: self.errors,
            mean_total: None,
        }
    }
}

/// The filter of case (c), as `run` and `profile` take it.
#[derive(Args)]
pub struct CaseFilter {
    /// Location filter of case (c)
    #[arg(long, default_value = "United States")]
    pub location: String,
    /// Date filter of case (c), inclusive start
    #[arg(long)]
    pub from: Option<String>,
    /// Date filter of case (c), inclusive end
    #[arg(long)]
    pub to: Option<String>,
}

/// Dateline's request for `query` in `case` (`a`, `b` or `c`): the one the
/// timed runs and `dateline-bench profile` both send.
pub fn case_request(case: &str, query: &Query, filter: &CaseFilter) -> SearchRequest {
    let mut request = SearchRequest::new(query.tantivy_syntax());
    request.passages = if case == "a" { 0 } else { 2 };
    // (a) and (b) ask for no facet counts; (c) asks for them.
    if case != "c" {
        request.facet_limit = 0;
    }
    if case == "c" {
        request = request.filter("location", filter.location.as_str());
        request.from = filter.from.clone();
        request.to = filter.to.clone();
    }
    request
}

/// One untimed warm-up pass, then `rounds` timed passes over every query.
fn time_queries(
    queries: &[Query],
    rounds: usize,
    mut search: impl FnMut(&Query) -> Result<usize>,
) -> Timed {
    let mut with_hits = 0;
    let mut errors = 0;
    let mut first_error = None;
    for q in queries {
        match search(q) {
            Ok(n) => with_hits += usize::from(n > 0),
            Err(err) => {
                errors += 1;
                first_error.get_or_insert_with(|| format!("{}: {err}", q.id));
            }
        }
    }
    if let Some(err) = first_error {
        eprintln!("  {errors} queries failed, first: {err}");
    }
    let mut timings: Vec<Duration> = Vec::with_capacity(queries.len() * rounds);
    for _ in 0..rounds {
        for q in queries {
            let start = Instant::now();
            let _ = std::hint::black_box(search(q));
            timings.push(start.elapsed());
        }
    }
    Timed {
        latency: Latency::of(timings),
        with_hits,
        errors,
    }
}

fn markdown(report: &Report, args: &RunArgs) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} queries, {} timed rounds each after one warm-up; case (c) filter: location `{}`, from {}, to {}\n",
        report.queries,
        report.rounds,
        args.filter.location,
        args.filter.from.as_deref().unwrap_or("-"),
        args.filter.to.as_deref().unwrap_or("-"),
    );
    for suite in &report.suites {
        let _ = writeln!(
            out,
            "### {} ({} files, {:.1} MB)\n",
            suite.label, suite.files, suite.input_mb
        );
        let _ = writeln!(
            out,
            "| engine | articles | wall s | articles/s | MB/s | peak RSS MB (anon + file, sampled) | index MB | index/input |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
        for r in &suite.indexing {
            let _ = writeln!(
                out,
                "| {} | {} | {:.2} | {:.0} | {:.2} | {:.0} ({:.0} + {:.0}) | {:.1} | {:.2} |",
                r.engine,
                r.articles,
                r.wall_s,
                r.articles_per_s,
                r.mb_per_s,
                r.peak_rss_mb,
                r.anon_mb,
                r.file_mb,
                r.index_mb,
                r.index_over_input
            );
        }
        let dl = &suite.indexing[0];
        for peer in &suite.indexing[1..] {
            let _ = writeln!(
                out,
                "| dateline/{} | | {:.2}x | | {:.2}x | {:.2}x | {:.2}x | |",
                peer.engine,
                dl.wall_s / peer.wall_s,
                dl.mb_per_s / peer.mb_per_s,
                dl.peak_rss_mb / peer.peak_rss_mb,
                dl.index_mb / peer.index_mb
            );
        }
        let _ = writeln!(
            out,
            "\n| engine | case | p50 us | p95 us | mean us | queries with hits | errors |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|");
        for r in &suite.search {
            let total = r
                .mean_total
                .map(|t| format!(" (mean total {t:.0})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | {:.0} | {:.0} | {:.0} | {}{} | {} |",
                r.engine,
                r.case,
                r.latency.p50_us,
                r.latency.p95_us,
                r.latency.mean_us,
                r.queries_with_hits,
                total,
                r.errors
            );
        }
        for peer in ["tantivy", "fts5"] {
            for case in ["a", "b", "c"] {
                let find = |e: &str| {
                    suite
                        .search
                        .iter()
                        .find(|r| r.engine == e && r.case == case)
                };
                if let (Some(d), Some(p)) = (find("dateline"), find(peer)) {
                    let _ = writeln!(
                        out,
                        "| dateline/{peer} | {case} | {:.2}x | {:.2}x | {:.2}x | | |",
                        d.latency.p50_us / p.latency.p50_us,
                        d.latency.p95_us / p.latency.p95_us,
                        d.latency.mean_us / p.latency.mean_us
                    );
                }
            }
        }
        if let Some(l) = &suite.oneshot_search {
            let _ = writeln!(
                out,
                "\nOne-shot `dateline search --json` processes ({} queries): p50 {:.1} ms, p95 {:.1} ms, mean {:.1} ms",
                l.samples,
                l.p50_us / 1e3,
                l.p95_us / 1e3,
                l.mean_us / 1e3
            );
        }
        out.push('\n');
    }
    out
}
