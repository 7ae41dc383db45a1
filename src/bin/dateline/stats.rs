//! `dateline stats`.

use std::io::{self, Write};
use std::process::ExitCode;

use dateline::NewsIndex;

use crate::args::StatsArgs;
use crate::render::CliError;

pub fn run(args: StatsArgs) -> Result<ExitCode, CliError> {
    let dir = args.location.path();
    let index = NewsIndex::open_in_dir(&dir)?;
    let stats = index.stats()?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        writeln!(out, "index           {}", dir.display())?;
        writeln!(out, "articles        {}", stats.articles)?;
        writeln!(out, "passages        {}", stats.passages)?;
        writeln!(out, "duplicates      {}", stats.duplicates)?;
        writeln!(out, "files           {}", stats.files)?;
        let range = match (&stats.earliest, &stats.latest) {
            (Some(from), Some(to)) => format!("{from} to {to}"),
            _ => "no dated articles".to_string(),
        };
        writeln!(out, "dates           {range}")?;
        let sources: Vec<String> = stats
            .sources
            .iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect();
        writeln!(
            out,
            "sources         {}",
            if sources.is_empty() {
                "none".to_string()
            } else {
                sources.join(", ")
            }
        )?;
        writeln!(
            out,
            "size on disk    {:.1} MB ({} segments)",
            stats.size_bytes as f64 / 1e6,
            stats.segments
        )?;
        writeln!(out, "schema version  {}", stats.schema_version)?;
        for root in &stats.roots {
            writeln!(out, "root            {}", root.display())?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
