//! `dateline search`.

use std::io::{self, Write};
use std::process::ExitCode;

use dateline::{NewsIndex, Sort};

use dateline::Histogram;

use crate::args::{HistogramArg, SearchArgs, SortArg};
use crate::render::{self, CliError};

pub fn run(args: SearchArgs) -> Result<ExitCode, CliError> {
    let index = NewsIndex::open_in_dir(args.location_arg.path())?;
    let mut request = args.filters.request(&args.query);
    request.limit = args.limit;
    request.offset = args.offset;
    request.passages = args.passages;
    request.ranking = args.ranking.ranking();
    request.explain = args.explain;
    request.typos = args.typos;
    request.histogram = args.histogram.map(|h| match h {
        HistogramArg::Year => Histogram::Year,
        HistogramArg::Month => Histogram::Month,
        HistogramArg::Day => Histogram::Day,
    });
    if args.natural {
        request.syntax = dateline::QuerySyntax::Natural;
    }
    request.sort = match args.sort {
        SortArg::Relevance => Sort::Relevance,
        SortArg::Date => Sort::Date,
    };
    let results = index.search(&request)?;
    for resolved in &results.resolved_filters {
        match resolved.paths.len() {
            0 => eprintln!("note: no {} matches `{}`", resolved.facet, resolved.value),
            1 => {}
            _ => eprintln!(
                "note: {} `{}` matches {} (any of them)",
                resolved.facet,
                resolved.value,
                resolved.paths.join(", ")
            ),
        }
    }
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &results)?;
        writeln!(out)?;
    } else {
        render::search_results(&mut out, &results, render::stdout_color())?;
    }
    out.flush()?;
    Ok(if results.total_articles > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
