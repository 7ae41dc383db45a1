//! `dateline extract`.

use std::io::{self, Write};
use std::process::ExitCode;

use dateline::corpus::{self, ProblemKind, ReadOptions};
use dateline::extract::Extractor;

use crate::args::ExtractArgs;
use crate::render::CliError;

pub fn run(args: ExtractArgs) -> Result<ExitCode, CliError> {
    let extractor = Extractor::new();
    let options = ReadOptions::default();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for item in corpus::walk(&args.paths, &[]) {
        let path = match item {
            Ok(path) => path,
            Err(problem) => {
                if problem.kind != ProblemKind::NotArticle {
                    eprintln!("{problem}");
                }
                continue;
            }
        };
        let (records, problems) = dateline::extract_file(&path, &extractor, &options);
        for problem in problems
            .iter()
            .filter(|p| p.kind != ProblemKind::NotArticle)
        {
            eprintln!("{problem}");
        }
        for record in records {
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
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
