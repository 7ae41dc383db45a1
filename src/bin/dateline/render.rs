//! Output: colours, errors, and the human form of results.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use dateline::{FacetCount, SearchResults};

/// True when output to this stream may use ANSI styles.
pub fn color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn stdout_color() -> bool {
    color(io::stdout().is_terminal())
}

/// An error as the binary reports it: the library's message, its causes,
/// and advice on what to do.
pub struct CliError {
    head: String,
    causes: Vec<String>,
    hint: Option<String>,
    broken_pipe: bool,
}

impl CliError {
    pub fn new(head: impl Into<String>) -> CliError {
        CliError {
            head: head.into(),
            causes: Vec::new(),
            hint: None,
            broken_pipe: false,
        }
    }
}

impl From<dateline::Error> for CliError {
    fn from(error: dateline::Error) -> CliError {
        let mut causes = Vec::new();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            causes.push(cause.to_string());
            source = cause.source();
        }
        let hint = match &error {
            dateline::Error::IndexMissing { .. } => Some(
                "create it with `dateline index PATH`, or point --index / DATELINE_INDEX at one",
            ),
            dateline::Error::IndexLocked { .. } => Some(
                "wait for the other `dateline index` to finish (searches work meanwhile), or index into another --index directory",
            ),
            dateline::Error::SchemaVersion { .. } => {
                Some("rebuild it: run `dateline index --rebuild PATH...` with the folders it holds")
            }
            _ => None,
        };
        CliError {
            head: error.to_string(),
            causes,
            hint: hint.map(String::from),
            broken_pipe: false,
        }
    }
}

impl From<io::Error> for CliError {
    fn from(error: io::Error) -> CliError {
        let broken_pipe = error.kind() == io::ErrorKind::BrokenPipe;
        CliError {
            head: error.to_string(),
            causes: Vec::new(),
            hint: None,
            broken_pipe,
        }
    }
}

impl From<serde_json::Error> for CliError {
    fn from(error: serde_json::Error) -> CliError {
        if error.io_error_kind() == Some(io::ErrorKind::BrokenPipe) {
            return CliError {
                broken_pipe: true,
                ..CliError::new("broken pipe")
            };
        }
        CliError::new(error.to_string())
    }
}

/// Prints a fatal error with its causes and hint; exit code 2. A closed
/// pipe (`dateline search ... | head`) ends quietly instead.
pub fn fatal(error: &CliError) -> ExitCode {
    if error.broken_pipe {
        return ExitCode::SUCCESS;
    }
    let mut message = format!("error: {}", error.head);
    for cause in &error.causes {
        message.push_str(&format!(": {cause}"));
    }
    eprintln!("{message}");
    if let Some(hint) = &error.hint {
        eprintln!("hint: {hint}");
    }
    ExitCode::from(2)
}

/// Writes `text` with the `[start, end)` code point spans in bold (or plain).
pub fn highlighted(text: &str, spans: &[[usize; 2]], bold: bool) -> String {
    if !bold {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + spans.len() * 8);
    let mut spans = spans.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        if spans.peek().is_some_and(|s| s[0] == i) {
            out.push_str("\x1b[1m");
        }
        out.push(c);
        if spans.peek().is_some_and(|s| s[1] == i + 1) {
            out.push_str("\x1b[0m");
            spans.next();
        }
    }
    out
}

/// The human form of search results.
pub fn search_results(out: &mut impl Write, results: &SearchResults, bold: bool) -> io::Result<()> {
    let style = |code: &str, text: &str| {
        if bold {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    for hit in &results.hits {
        let title = hit.title.as_deref().unwrap_or("(untitled)");
        writeln!(out, "{}. {}", hit.rank, style("1", title))?;
        let mut meta = Vec::new();
        if let Some(date) = hit.published {
            meta.push(date.to_string());
        }
        if let Some(source) = &hit.source {
            meta.push(source.clone());
        }
        if let Some(dateline) = &hit.dateline {
            meta.push(dateline.clone());
        }
        meta.push(hit.id.clone());
        writeln!(out, "   {}", style("2", &meta.join(" · ")))?;
        let names = |list: &[dateline::EntityRef]| {
            list.iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !hit.locations.is_empty() {
            writeln!(out, "   places: {}", names(&hit.locations))?;
        }
        if !hit.organizations.is_empty() {
            writeln!(out, "   organizations: {}", names(&hit.organizations))?;
        }
        if !hit.also_at.is_empty() {
            writeln!(out, "   also at: {}", hit.also_at.join(", "))?;
        }
        if let Some(parts) = &hit.explain {
            writeln!(out, "   score {}", parts.formula)?;
        }
        for passage in &hit.passages {
            // One line per passage; swapping newlines for spaces keeps the
            // highlight offsets valid.
            let flat: String = passage
                .text
                .chars()
                .map(|c| if c == '\n' { ' ' } else { c })
                .collect();
            writeln!(
                out,
                "   > {}",
                highlighted(&flat, &passage.highlights, bold)
            )?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} article{} matched",
        results.total_articles,
        if results.total_articles == 1 { "" } else { "s" }
    )?;
    let facets: [(&str, &Vec<FacetCount>); 5] = [
        ("location", &results.facets.location),
        ("organization", &results.facets.organization),
        ("source", &results.facets.source),
        ("date", &results.facets.date),
        ("mentioned", &results.facets.mentioned),
    ];
    if !results.histogram.is_empty() {
        let widest = results.histogram.iter().map(|b| b.count).max().unwrap_or(1);
        writeln!(out, "{}:", style("2", "dates"))?;
        for bucket in &results.histogram {
            let bar = "#".repeat((bucket.count * 40).div_ceil(widest));
            writeln!(out, "  {:<10} {:>5} {bar}", bucket.value, bucket.count)?;
        }
    }
    if !results.feedback.is_empty() {
        let words: Vec<String> = results
            .feedback
            .iter()
            .map(|(w, x)| format!("{w} ({x:.2})"))
            .collect();
        writeln!(
            out,
            "{}: {}",
            style("2", "feedback words"),
            words.join(", ")
        )?;
    }
    for (name, counts) in facets {
        if counts.is_empty() {
            continue;
        }
        let list: Vec<String> = counts
            .iter()
            .map(|c| format!("{} ({})", c.value, c.count))
            .collect();
        writeln!(out, "{}: {}", style("2", name), list.join(", "))?;
    }
    Ok(())
}
