//! `dateline index`.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use dateline::{IngestOptions, NewsIndex, Progress, Schema};

use crate::args::IndexArgs;
use crate::render::CliError;

pub fn run(args: IndexArgs) -> Result<ExitCode, CliError> {
    let schema = match &args.schema {
        Some(path) => Schema::from_file(path)?,
        None => Schema::default(),
    };
    // A missing root is an error before any index directory is created.
    for root in &args.paths {
        std::fs::metadata(root).map_err(|source| dateline::Error::Io {
            path: root.clone(),
            source,
        })?;
    }
    let dir = args.location.path();
    let index = if args.rebuild {
        NewsIndex::open_for_rebuild(&dir, schema)?
    } else {
        NewsIndex::open_or_create_in_dir(&dir, schema)?
    };
    let mut options = IngestOptions {
        writer_threads: args.writer_threads,
        commit_every: args.commit_every.max(1),
        rebuild: args.rebuild,
        keep_deleted: args.keep_deleted,
        ..IngestOptions::default()
    };
    if let Some(threads) = args.threads {
        options.read_threads = threads;
    }
    options.read.max_file_size = args.max_file_size;

    let mut display = ProgressDisplay::new(args.quiet);
    let report = index.ingest_paths(&args.paths, &options, &mut |p| display.update(p))?;
    display.finish();

    for problem in &report.problems {
        eprintln!("{problem}");
    }
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let skipped: Vec<String> = report
            .skipped
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        writeln!(
            out,
            "indexed {} articles into {} ({} read from {} files, {} duplicates; files: {} changed, {} unchanged, {} removed with {} articles; skipped: {}) in {:.1}s, {:.1} MB/s",
            report.articles_indexed,
            dir.display(),
            report.articles_read,
            report.files_read,
            report.duplicates,
            report.files_changed,
            report.files_unchanged,
            report.files_removed,
            report.articles_removed,
            if skipped.is_empty() {
                "none".to_string()
            } else {
                skipped.join(", ")
            },
            report.elapsed_secs,
            report.mb_per_sec,
        )?;
    }
    out.flush()?;
    let skipped_any = report
        .skipped
        .iter()
        .any(|(kind, n)| kind != "not_article" && *n > 0);
    Ok(if args.strict && skipped_any {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// A bar on a terminal; a line every few seconds otherwise.
struct ProgressDisplay {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    last_line: Instant,
}

impl ProgressDisplay {
    fn new(quiet: bool) -> ProgressDisplay {
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} files, {msg} [{elapsed}]",
                )
                .expect("the template is valid"),
            );
            bar
        });
        ProgressDisplay {
            bar,
            quiet,
            last_line: Instant::now(),
        }
    }

    fn update(&mut self, progress: &Progress) {
        let message = format!(
            "{} articles, {:.1} MB",
            progress.articles_indexed,
            progress.bytes_read as f64 / 1e6
        );
        if let Some(bar) = &self.bar {
            bar.set_length(progress.files_seen as u64);
            bar.set_position(progress.files_done as u64);
            bar.set_message(message);
        } else if !self.quiet && self.last_line.elapsed() >= Duration::from_secs(5) {
            eprintln!("{} files, {message}", progress.files_done);
            self.last_line = Instant::now();
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
