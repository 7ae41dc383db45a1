//! `dateline-bench`: Dateline against raw tantivy 0.27 and SQLite FTS5, on
//! the same one-file-per-article corpus and the same queries, in one run.
//!
//! ```text
//! dateline-bench run --corpus DIR... --queries bench/queries.tsv \
//!     --dateline-bin target/release/dateline [--scale 1,3,10]
//! ```
//!
//! `dateline-bench profile --index DIR` runs only Dateline's searches on an
//! index already built, for callgrind and for before/after comparisons.
//!
//! Indexing is measured on child processes (the release `dateline index`
//! with its defaults; this program's own `tantivy-index` and `sqlite-index`
//! subcommands for the peers): wall time and peak RSS from `wait4`. Search
//! latency is measured in process through each engine's library API, after
//! one warm-up pass over the queries. See BENCHMARKS.md for results.

mod corpus;
mod measure;
mod peers;
mod profile;
mod suite;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Benchmark Dateline against raw tantivy and SQLite FTS5")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index the corpus with every engine and time searches over the queries
    Run(suite::RunArgs),
    /// Run Dateline's three search cases on an existing index, for
    /// profilers (`valgrind --tool=callgrind --toggle-collect='*timed*'`)
    /// and for comparing full results between builds (`--dump`)
    Profile(profile::ProfileArgs),
    /// (internal) Build the raw tantivy index from a list of files
    TantivyIndex {
        #[arg(long)]
        list: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// (internal) Build the SQLite FTS5 table from a list of files
    SqliteIndex {
        #[arg(long)]
        list: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(args) => suite::run(&args),
        Command::Profile(args) => profile::run(&args),
        Command::TantivyIndex { list, out } => suite::read_list(&list).and_then(|files| {
            let n = peers::tantivy_index(&files, &out)?;
            println!("{n}");
            Ok(())
        }),
        Command::SqliteIndex { list, out } => suite::read_list(&list).and_then(|files| {
            let n = peers::sqlite_index(&files, &out)?;
            println!("{n}");
            Ok(())
        }),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("dateline-bench: {err}");
            ExitCode::from(2)
        }
    }
}
