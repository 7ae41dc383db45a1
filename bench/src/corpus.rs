//! The files every engine reads, and scaled copies of them for growth curves.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Lists the `.txt` files under `roots`, sorted, hidden entries skipped:
/// the same list is handed to every engine.
pub fn text_files(roots: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for root in roots {
        let walk = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            let entry = entry.map_err(io::Error::other)?;
            let is_txt = entry
                .path()
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
            if entry.file_type().is_file() && is_txt {
                files.push(entry.into_path());
            }
        }
    }
    Ok(files)
}

/// Reads a file as text the way the peers index it: invalid UTF-8 replaced.
pub fn read_text(path: &Path) -> io::Result<String> {
    let bytes = fs::read(path)?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
    })
}

/// Writes `factor` copies of `files` under `out`, each copy's articles
/// ending with a token of their own (`zqcopy3`), so that no engine (and
/// Dateline's duplicate detection least of all) can fold one copy into another.
pub fn scaled(files: &[PathBuf], factor: usize, out: &Path) -> io::Result<()> {
    for copy in 0..factor {
        for (i, file) in files.iter().enumerate() {
            let dir = out
                .join(format!("copy{copy}"))
                .join(format!("{:03}", i / 1000));
            if i % 1000 == 0 {
                fs::create_dir_all(&dir)?;
            }
            let mut text = read_text(file)?;
            while text.ends_with('\n') {
                text.pop();
            }
            text.push_str(&format!("\n\nArchive copy zqcopy{copy}.\n"));
            fs::write(dir.join(format!("{i}.txt")), text)?;
        }
    }
    Ok(())
}

/// Total size of the files, in bytes.
pub fn total_bytes(files: &[PathBuf]) -> io::Result<u64> {
    files.iter().map(|f| Ok(fs::metadata(f)?.len())).sum()
}

/// Total size of the files under a directory (or of one file), in bytes.
pub fn size_on_disk(path: &Path) -> io::Result<u64> {
    if path.is_file() {
        return Ok(fs::metadata(path)?.len());
    }
    let mut total = 0;
    for entry in walkdir::WalkDir::new(path) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() {
            total += entry.metadata().map_err(io::Error::other)?.len();
        }
    }
    Ok(total)
}

/// What kind of query a line of the query file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Term,
    And,
    Or,
    Phrase,
}

/// One benchmark query in neutral form; each engine writes its own syntax.
#[derive(Clone, Debug)]
pub struct Query {
    pub id: String,
    pub kind: Kind,
    pub terms: Vec<String>,
}

impl Query {
    /// Dateline's and tantivy's query syntax (the two agree on these forms).
    pub fn tantivy_syntax(&self) -> String {
        match self.kind {
            Kind::Term | Kind::Or => self.terms.join(" "),
            Kind::And => self
                .terms
                .iter()
                .map(|t| format!("+{t}"))
                .collect::<Vec<_>>()
                .join(" "),
            Kind::Phrase => format!("\"{}\"", self.terms.join(" ")),
        }
    }

    /// SQLite FTS5's syntax; every word quoted so none reads as an operator.
    pub fn fts5_syntax(&self) -> String {
        let quoted: Vec<String> = self.terms.iter().map(|t| format!("\"{t}\"")).collect();
        match self.kind {
            Kind::Term => quoted.join(" "),
            Kind::And => quoted.join(" AND "),
            Kind::Or => quoted.join(" OR "),
            Kind::Phrase => format!("\"{}\"", self.terms.join(" ")),
        }
    }
}

/// Reads `id<TAB>kind<TAB>terms` lines; `#` starts a comment line.
pub fn read_queries(path: &Path) -> Result<Vec<Query>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut queries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [id, kind, terms] = fields[..] else {
            return Err(format!(
                "{}:{}: expected `id<TAB>kind<TAB>terms`",
                path.display(),
                n + 1
            ));
        };
        let kind = match kind {
            "term" => Kind::Term,
            "and" => Kind::And,
            "or" => Kind::Or,
            "phrase" => Kind::Phrase,
            other => {
                return Err(format!(
                    "{}:{}: unknown kind `{other}` (expected term, and, or, phrase)",
                    path.display(),
                    n + 1
                ));
            }
        };
        let terms: Vec<String> = terms.split_whitespace().map(str::to_string).collect();
        if terms.is_empty() {
            return Err(format!("{}:{}: no terms", path.display(), n + 1));
        }
        queries.push(Query {
            id: id.to_string(),
            kind,
            terms,
        });
    }
    Ok(queries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(kind: Kind, terms: &[&str]) -> Query {
        Query {
            id: "q".into(),
            kind,
            terms: terms.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn each_kind_is_written_in_each_engines_syntax() {
        let and = query(Kind::And, &["oil", "opec"]);
        assert_eq!(and.tantivy_syntax(), "+oil +opec");
        assert_eq!(and.fts5_syntax(), "\"oil\" AND \"opec\"");
        let or = query(Kind::Or, &["oil", "gas"]);
        assert_eq!(or.tantivy_syntax(), "oil gas");
        assert_eq!(or.fts5_syntax(), "\"oil\" OR \"gas\"");
        let phrase = query(Kind::Phrase, &["crude", "oil"]);
        assert_eq!(phrase.tantivy_syntax(), "\"crude oil\"");
        assert_eq!(phrase.fts5_syntax(), "\"crude oil\"");
    }

    #[test]
    fn the_committed_query_file_has_the_issues_mix() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries.tsv");
        let queries = read_queries(&path).unwrap();
        let share = |k: Kind| queries.iter().filter(|q| q.kind == k).count() * 100 / queries.len();
        assert_eq!(queries.len(), 200);
        assert_eq!(
            [
                share(Kind::Term),
                share(Kind::And),
                share(Kind::Or),
                share(Kind::Phrase)
            ],
            [30, 20, 20, 30]
        );
    }
}
