//! `dateline-bench profile`: the bench's Dateline searches on an existing
//! index, in process, for profilers and for checking that a change leaves
//! the results alone.
//!
//! Each case runs one untimed warm-up pass over the queries, then `rounds`
//! passes inside [`timed`], a function of its own so that callgrind can
//! count only those (`--toggle-collect=*timed*`), as the bench times only
//! them. `--dump` writes every result of the warm-up pass as JSON, one line
//! per query and case, to compare two builds byte for byte.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use dateline::{NewsIndex, SearchRequest};

use crate::corpus::{self, Query};
use crate::measure::Latency;
use crate::suite::{CaseFilter, case_request};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[derive(Args)]
pub struct ProfileArgs {
    /// A Dateline index (`dateline index CORPUS --index DIR`)
    #[arg(long)]
    index: PathBuf,
    /// Query file (`id<TAB>kind<TAB>terms`)
    #[arg(long, default_value = "bench/queries.tsv")]
    queries: PathBuf,
    /// Cases to run, in order (`a`, `b`, `c` as in `run`)
    #[arg(long, value_delimiter = ',', default_value = "a,b,c")]
    case: Vec<String>,
    /// Passes over the queries inside `timed`, after the warm-up pass
    #[arg(long, default_value_t = 1)]
    rounds: usize,
    #[command(flatten)]
    filter: CaseFilter,
    /// Write the warm-up pass's full results here, one JSON line per query and case
    #[arg(long)]
    dump: Option<PathBuf>,
}

pub fn run(args: &ProfileArgs) -> Result<()> {
    let queries = corpus::read_queries(&args.queries)?;
    let index = NewsIndex::open_in_dir(&args.index)?;
    let filter = &args.filter;
    let mut dump = String::new();
    for case in &args.case {
        if !matches!(case.as_str(), "a" | "b" | "c") {
            return Err(format!("unknown case `{case}` (expected a, b or c)").into());
        }
        let requests: Vec<(&Query, SearchRequest)> = queries
            .iter()
            .map(|q| (q, case_request(case, q, filter)))
            .collect();
        for (query, request) in &requests {
            let results = index.search(request)?;
            if args.dump.is_some() {
                let line =
                    serde_json::json!({ "case": case, "query": query.id, "results": results });
                writeln!(dump, "{line}")?;
            }
        }
        let timings = timed(&index, &requests, args.rounds)?;
        let latency = Latency::of(timings);
        println!(
            "case {case}: {} searches, p50 {:.0} us, p95 {:.0} us, mean {:.0} us",
            requests.len() * args.rounds,
            latency.p50_us,
            latency.p95_us,
            latency.mean_us,
        );
    }
    if let Some(path) = &args.dump {
        fs::write(path, dump)?;
    }
    Ok(())
}

/// The measured passes: nothing else runs inside this function.
#[inline(never)]
fn timed(
    index: &NewsIndex,
    requests: &[(&Query, SearchRequest)],
    rounds: usize,
) -> Result<Vec<Duration>> {
    let mut timings = Vec::with_capacity(requests.len() * rounds);
    for _ in 0..rounds {
        for (_, request) in requests {
            let start = Instant::now();
            std::hint::black_box(index.search(request)?);
            timings.push(start.elapsed());
        }
    }
    Ok(timings)
}
