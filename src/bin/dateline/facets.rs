//! `dateline facets`: facet drill-down.

use std::io::{self, Write};
use std::process::ExitCode;

use dateline::FacetCount;
use dateline::NewsIndex;

use crate::args::{FacetArg, FacetsArgs};
use crate::render::CliError;

pub fn run(args: FacetsArgs) -> Result<ExitCode, CliError> {
    let index = NewsIndex::open_in_dir(args.location_arg.path())?;
    let mut request = args.filters.request(&args.query);
    request.limit = 0;
    request.passages = 0;
    request.facet_limit = args.limit;
    let results = index.search(&request)?;
    // The node each facet is shown below: the one selected path, else the root.
    let node = |facet: &str| -> String {
        let paths: Vec<&String> = results
            .resolved_filters
            .iter()
            .filter(|r| r.facet == facet)
            .flat_map(|r| &r.paths)
            .collect();
        match paths.as_slice() {
            [one] => one.to_string(),
            _ => "/".to_string(),
        }
    };
    let facets: [(FacetArg, &str, &Vec<FacetCount>); 5] = [
        (FacetArg::Location, "location", &results.facets.location),
        (
            FacetArg::Organization,
            "organization",
            &results.facets.organization,
        ),
        (FacetArg::Source, "source", &results.facets.source),
        (FacetArg::Date, "date", &results.facets.date),
        (FacetArg::Mentioned, "mentioned", &results.facets.mentioned),
    ];
    let shown: Vec<_> = facets
        .into_iter()
        .filter(|(f, _, _)| args.facet.is_none_or(|want| want == *f))
        .collect();
    let mut out = io::stdout().lock();
    if args.json {
        let mut map = serde_json::Map::new();
        for (_, name, counts) in &shown {
            map.insert(
                name.to_string(),
                serde_json::json!({"node": node(name), "children": counts}),
            );
        }
        let value = serde_json::json!({
            "total_articles": results.total_articles,
            "facets": map,
            "resolved_filters": results.resolved_filters,
        });
        serde_json::to_writer(&mut out, &value)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{} articles", results.total_articles)?;
        for (_, name, counts) in &shown {
            writeln!(out, "{name} {}", node(name))?;
            for count in counts.iter() {
                writeln!(out, "  {:>6}  {}", count.count, count.value)?;
            }
        }
    }
    out.flush()?;
    Ok(if results.total_articles > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
