//! `dateline related`.

use std::io::{self, Write};
use std::process::ExitCode;

use dateline::NewsIndex;
use dateline::RelatedRequest;

use crate::args::RelatedArgs;
use crate::render::{self, CliError};

pub fn run(args: RelatedArgs) -> Result<ExitCode, CliError> {
    let index = NewsIndex::open_in_dir(args.location.path())?;
    let mut request = RelatedRequest::new(args.id);
    request.before = args.before;
    request.limit = args.limit;
    request.passages = args.passages;
    request.entity_boost = args.entity_boost;
    let results = match index.related(&request) {
        Err(dateline::Error::ArticleNotFound(id)) => {
            eprintln!("error: no article with id `{id}`");
            return Ok(ExitCode::from(1));
        }
        other => other?,
    };
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &results)?;
        writeln!(out)?;
    } else {
        render::search_results(&mut out, &results, render::stdout_color())?;
    }
    out.flush()?;
    Ok(if results.hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
