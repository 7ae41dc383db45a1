//! `dateline remove`.

use std::io::{self, Write};
use std::process::ExitCode;

use dateline::NewsIndex;

use crate::args::RemoveArgs;
use crate::render::CliError;

pub fn run(args: RemoveArgs) -> Result<ExitCode, CliError> {
    let dir = args.location.path();
    let index = NewsIndex::open_in_dir(&dir)?;
    let report = index.remove(&args.targets)?;
    for target in &report.not_found {
        eprintln!("`{target}`: no article with this id and no indexed file under this path");
    }
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "removed {} articles and {} files from {}",
            report.articles_removed,
            report.files_removed,
            dir.display()
        )?;
    }
    out.flush()?;
    Ok(if report.not_found.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
