//! `dateline show`.

use std::io::{self, Write};
use std::process::ExitCode;

use dateline::{Error, NewsIndex};

use crate::args::ShowArgs;
use crate::render::CliError;

pub fn run(args: ShowArgs) -> Result<ExitCode, CliError> {
    let index = NewsIndex::open_in_dir(args.location.path())?;
    let article = match index.article(&args.id) {
        Ok(article) => article,
        Err(Error::ArticleNotFound(id)) => {
            eprintln!("no article with id `{id}`");
            return Ok(ExitCode::from(1));
        }
        Err(other) => return Err(other.into()),
    };
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &article)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", article.title.as_deref().unwrap_or("(untitled)"))?;
    writeln!(out, "id: {}", article.id)?;
    for (label, value) in [
        ("published", article.published.map(|d| d.to_string())),
        ("source", article.source.clone()),
        ("dateline", article.dateline.clone()),
        ("url", article.url.clone()),
    ] {
        if let Some(value) = value {
            writeln!(out, "{label}: {value}")?;
        }
    }
    if !article.also_at.is_empty() {
        writeln!(out, "also at: {}", article.also_at.join(", "))?;
    }
    for location in &article.locations {
        writeln!(
            out,
            "location: {} ({})",
            location.facet,
            location.mentions.join(", ")
        )?;
    }
    for organization in &article.organizations {
        writeln!(
            out,
            "organization: {} ({})",
            organization.facet,
            organization.mentions.join(", ")
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", article.body)?;
    Ok(ExitCode::SUCCESS)
}
