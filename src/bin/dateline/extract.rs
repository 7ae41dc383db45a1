//! `dateline extract`.

use std::io::{self, Write};
use std::process::ExitCode;

use dateline::{Extractor, ProblemKind, ReadOptions};

use crate::args::ExtractArgs;
use crate::render::CliError;

pub fn run(args: ExtractArgs) -> Result<ExitCode, CliError> {
    let extractor = Extractor::new();
    let options = ReadOptions::default();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for item in dateline::extract_paths(&args.paths, &extractor, &options) {
        let record = match item {
            Ok(record) => record,
            Err(problem) => {
                if problem.kind != ProblemKind::NotArticle {
                    eprintln!("{problem}");
                }
                continue;
            }
        };
        if args.json {
            serde_json::to_writer(&mut out, &record)?;
            writeln!(out)?;
        } else {
            let places: Vec<&str> = record.locations.iter().map(|l| l.name.as_str()).collect();
            let orgs: Vec<&str> = record
                .organizations
                .iter()
                .map(|o| o.name.as_str())
                .collect();
            writeln!(
                out,
                "{}\t{}\t{}\tplaces: {}\torganizations: {}",
                record.id,
                record
                    .published
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "undated".into()),
                record.title.as_deref().unwrap_or("(untitled)"),
                places.join(", "),
                orgs.join(", ")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
