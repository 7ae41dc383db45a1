//! Walking the roots the user gave to find candidate article files.

use std::collections::{HashSet, VecDeque};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::decode::io_message;
use super::{Problem, ProblemKind};

/// A supported input format, chosen by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `.txt`, `.text`: headline, optional dateline, paragraphs.
    Text,
    /// `.md`, `.markdown`: Markdown with optional YAML front matter.
    Markdown,
    /// `.json`: one article object or an array of them.
    Json,
    /// `.jsonl`, `.ndjson`: one article object per line.
    JsonLines,
    /// `.sgm`, `.sgml`: Reuters-21578 SGML.
    Sgml,
    /// `.html`, `.htm`: a scraped web page.
    Html,
}

impl Format {
    /// Returns the format of a file by its extension, matched
    /// case-insensitively, or `None` when the extension is not supported.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            "sgm" | "sgml" => Format::Sgml,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }
}

/// File names (case-insensitive, optionally plural, then the end of the name
/// or a non-alphanumeric character) that are documentation, not articles.
const DOC_NAMES: [&str; 6] = [
    "README",
    "LICENSE",
    "LICENCE",
    "NOTICE",
    "CHANGELOG",
    "COPYING",
];

/// Returns why a file is not a candidate article by its name, or `None` when
/// it is one.
///
/// Not candidates: names starting with `README`, `LICENSE`, `NOTICE`,
/// `CHANGELOG` or `COPYING` as a word (`README.md`, `LICENSE-MIT`,
/// `README.original.TXT`), names whose last word before the extension is
/// `README` (`ORIGINAL-README.txt`), and unsupported extensions (see
/// [`Format::from_path`]). Hidden names are the walk's business, not this
/// function's.
pub fn not_article_reason(path: &Path) -> Option<String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let upper = name.to_uppercase();
    let is_word_at_start = DOC_NAMES.iter().any(|word| {
        upper.strip_prefix(word).is_some_and(|rest| {
            let rest = rest.strip_prefix('S').unwrap_or(rest);
            !rest.starts_with(char::is_alphanumeric)
        })
    });
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_uppercase())
        .unwrap_or_default();
    let last_word = stem
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if is_word_at_start || (last_word == "README" && stem != last_word) {
        return Some(format!("`{name}` is documentation, not an article"));
    }
    if Format::from_path(path).is_some() {
        return None;
    }
    Some(match path.extension() {
        Some(extension) => format!("unsupported extension `.{}`", extension.to_string_lossy()),
        None => "no file extension".to_string(),
    })
}

/// Says whether a file is a candidate article by its name and extension.
pub fn is_candidate(path: &Path) -> bool {
    not_article_reason(path).is_none()
}

/// Walks the roots and yields every candidate article file, or a problem.
///
/// - Directories are walked recursively in a deterministic order (entries
///   sorted by file name), following symbolic links; a link back to an
///   ancestor is reported as a [`ProblemKind::Walk`] problem instead of
///   being followed, and a broken link as [`ProblemKind::Unreadable`].
/// - Hidden names (starting with `.`) below a root are skipped silently; a
///   root is walked even when its own name is hidden.
/// - Directories in `exclude` (compared canonicalized) and every directory
///   holding both `meta.json` and `.managed.json` (a tantivy index) are
///   never entered.
/// - A file that is not a candidate ([`not_article_reason`]) is yielded as a
///   [`ProblemKind::NotArticle`] problem so it can be counted.
/// - A root that is a file is yielded as it is, whatever its name: the user
///   asked for it, and [`super::read_file`] reads unknown extensions as
///   text. A root that does not exist is a [`ProblemKind::Walk`] problem.
/// - The same file reached twice (through a link, or overlapping roots) is
///   yielded once, where it is first met.
pub fn walk(
    roots: &[PathBuf],
    exclude: &[PathBuf],
) -> impl Iterator<Item = Result<PathBuf, Problem>> + use<> {
    walk_canonical(roots, exclude).map(|item| item.map(|found| found.path))
}

/// A file the walk yields: its path as walked and its canonical path, when
/// it could be resolved.
pub(crate) struct Found {
    pub path: PathBuf,
    pub canonical: Option<PathBuf>,
}

/// [`walk`], with each file's canonical path, which the walk resolves
/// anyway to yield a file once: resolving it again costs a system call per
/// component of the path, for every file.
pub(crate) fn walk_canonical(
    roots: &[PathBuf],
    exclude: &[PathBuf],
) -> impl Iterator<Item = Result<Found, Problem>> + use<> {
    let exclude = exclude
        .iter()
        .map(|path| {
            fs::canonicalize(path)
                .or_else(|_| std::path::absolute(path))
                .unwrap_or_else(|_| path.clone())
        })
        .collect();
    Walk {
        roots: roots.iter().map(|root| tidy(root)).collect(),
        current: None,
        exclude,
        seen: HashSet::new(),
    }
}

/// Spells a root the same way however it was typed: `./news/` and `news`
/// give the same article ids. Lexical only; symlinks are not resolved.
fn tidy(path: &Path) -> PathBuf {
    let tidy: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if tidy.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        tidy
    }
}

struct Walk {
    roots: VecDeque<PathBuf>,
    current: Option<walkdir::IntoIter>,
    exclude: HashSet<PathBuf>,
    /// [`path_digest`] of each canonical path yielded.
    seen: HashSet<u128>,
}

/// A 128-bit digest standing for a canonical path in the set of files met:
/// the set holds every file of the walk, and whole paths made it most of the
/// walk's memory (12 MB for 190,000 files). Two SipHash digests under
/// different prefixes; a collision, which would skip a file, is about as
/// likely as guessing a 128-bit key.
fn path_digest(path: &Path) -> u128 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let digest = |prefix: u8| {
        let mut hasher = DefaultHasher::new();
        prefix.hash(&mut hasher);
        path.hash(&mut hasher);
        hasher.finish()
    };
    (u128::from(digest(0)) << 64) | u128::from(digest(1))
}

impl Walk {
    fn is_excluded(&self, dir: &Path) -> bool {
        is_excluded(&self.exclude, dir)
    }

    /// The file as found, if this is the first time it is met.
    fn first_time(&mut self, path: PathBuf) -> Option<Found> {
        let canonical = fs::canonicalize(&path).ok();
        let first = self
            .seen
            .insert(path_digest(canonical.as_deref().unwrap_or(&path)));
        first.then_some(Found { path, canonical })
    }

    /// Starts walking a root, or returns what to yield for it instead.
    fn start(&mut self, root: PathBuf) -> Option<Result<Found, Problem>> {
        match fs::metadata(&root) {
            Err(err) => Some(Err(root_error(&root, &err))),
            Ok(metadata) if metadata.is_file() => self.first_time(root).map(Ok),
            Ok(metadata) if metadata.is_dir() => {
                if self.is_excluded(&root) {
                    return Some(Err(Problem::new(
                        &root,
                        ProblemKind::Walk,
                        "is an index folder, not walked",
                    )));
                }
                self.current = Some(
                    WalkDir::new(&root)
                        .follow_links(true)
                        .sort_by_file_name()
                        .into_iter(),
                );
                None
            }
            Ok(_) => Some(Err(Problem::new(
                &root,
                ProblemKind::NotArticle,
                "not a regular file",
            ))),
        }
    }
}

/// Says whether a directory must not be entered: an index folder.
fn is_excluded(exclude: &HashSet<PathBuf>, dir: &Path) -> bool {
    if dir.join("meta.json").is_file() && dir.join(".managed.json").is_file() {
        return true;
    }
    !exclude.is_empty() && fs::canonicalize(dir).is_ok_and(|canonical| exclude.contains(&canonical))
}

fn root_error(root: &Path, err: &io::Error) -> Problem {
    if fs::symlink_metadata(root).is_ok() {
        return Problem::new(root, ProblemKind::Unreadable, "broken symbolic link");
    }
    if err.kind() == io::ErrorKind::NotFound {
        return Problem::new(root, ProblemKind::Walk, "root does not exist");
    }
    Problem::new(root, ProblemKind::Walk, io_message(err))
}

fn walk_error(err: &walkdir::Error, fallback: &Path) -> Problem {
    let path = err.path().unwrap_or(fallback);
    if let Some(ancestor) = err.loop_ancestor() {
        let message = format!(
            "symbolic link loop back to `{}`, not followed",
            ancestor.display()
        );
        return Problem::new(path, ProblemKind::Walk, message);
    }
    match err.io_error() {
        Some(io) if io.kind() == io::ErrorKind::NotFound && fs::symlink_metadata(path).is_ok() => {
            Problem::new(path, ProblemKind::Unreadable, "broken symbolic link")
        }
        Some(io) => Problem::new(path, ProblemKind::Walk, io_message(io)),
        None => Problem::new(path, ProblemKind::Walk, err.to_string()),
    }
}

impl Iterator for Walk {
    type Item = Result<Found, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Some(entries) = self.current.as_mut() else {
                let root = self.roots.pop_front()?;
                if let Some(item) = self.start(root) {
                    return Some(item);
                }
                continue;
            };
            let entry = match entries.next() {
                None => {
                    self.current = None;
                    continue;
                }
                Some(Err(err)) => return Some(Err(walk_error(&err, Path::new("")))),
                Some(Ok(entry)) => entry,
            };
            if entry.depth() == 0 {
                continue;
            }
            let is_dir = entry.file_type().is_dir();
            if entry.file_name().to_string_lossy().starts_with('.') {
                if is_dir {
                    entries.skip_current_dir();
                }
                continue;
            }
            if is_dir {
                if is_excluded(&self.exclude, entry.path()) {
                    entries.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() {
                // A FIFO or device is never opened (reading one can block
                // forever); named like an article, it is reported.
                let kind = if is_candidate(entry.path()) {
                    ProblemKind::Unreadable
                } else {
                    ProblemKind::NotArticle
                };
                return Some(Err(Problem::new(
                    entry.path(),
                    kind,
                    "not a regular file (a FIFO, socket or device), not read",
                )));
            }
            if let Some(reason) = not_article_reason(entry.path()) {
                return Some(Err(Problem::new(
                    entry.path(),
                    ProblemKind::NotArticle,
                    reason,
                )));
            }
            if let Some(found) = self.first_time(entry.into_path()) {
                return Some(Ok(found));
            }
        }
    }
}

#[cfg(test)]
mod tidy_tests {
    use super::*;

    #[test]
    fn roots_are_spelled_one_way() {
        assert_eq!(tidy(Path::new("./news/")), PathBuf::from("news"));
        assert_eq!(tidy(Path::new("news//wire/./")), PathBuf::from("news/wire"));
        assert_eq!(tidy(Path::new("./")), PathBuf::from("."));
        assert_eq!(tidy(Path::new("/abs/news")), PathBuf::from("/abs/news"));
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn touch(path: &Path) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, "x").unwrap();
    }

    /// Walks and returns found files relative to `base`, and problems as
    /// `kind relative-path`.
    fn walk_names(
        base: &Path,
        roots: &[PathBuf],
        exclude: &[PathBuf],
    ) -> (Vec<String>, Vec<String>) {
        let relative = |p: &Path| {
            p.strip_prefix(base)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        };
        let (mut files, mut problems) = (Vec::new(), Vec::new());
        for item in walk(roots, exclude) {
            match item {
                Ok(path) => files.push(relative(&path)),
                Err(problem) => problems.push(format!(
                    "{} {}",
                    problem.kind.as_str(),
                    relative(&problem.path)
                )),
            }
        }
        (files, problems)
    }

    #[test]
    fn candidates_are_found_recursively_in_file_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b/2.txt", "b/1.md", "a.json", "c/d/e.SGM", "z.HTML"] {
            touch(&dir.path().join(name));
        }
        let (files, problems) = walk_names(dir.path(), &[dir.path().to_path_buf()], &[]);
        assert_eq!(
            files,
            ["a.json", "b/1.md", "b/2.txt", "c/d/e.SGM", "z.HTML"]
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn extensions_match_case_insensitively() {
        for name in [
            "a.TXT",
            "a.Md",
            "a.JSONL",
            "a.NdJson",
            "a.Htm",
            "a.sgml",
            "a.text",
            "a.markdown",
        ] {
            assert!(is_candidate(Path::new(name)), "{name}");
        }
        assert!(!is_candidate(Path::new("a.pdf")));
        assert!(!is_candidate(Path::new("Makefile")));
    }

    #[test]
    fn documentation_names_are_not_articles() {
        for name in [
            "README",
            "readme.md",
            "README.original.TXT",
            "LICENSE-MIT",
            "Notice.txt",
            "CHANGELOG.md",
            "ORIGINAL-README.txt",
            "licenses.txt",
        ] {
            let reason = not_article_reason(Path::new(name));
            assert!(
                reason
                    .as_deref()
                    .is_some_and(|r| r.contains("documentation")),
                "{name}: {reason:?}"
            );
        }
        assert!(is_candidate(Path::new("noticeboard.txt")));
        assert!(is_candidate(Path::new("licensed-pubs.md")));
    }

    #[test]
    fn not_article_files_are_reported_for_counting() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["README.md", "data.csv", "story.txt"] {
            touch(&dir.path().join(name));
        }
        let (files, problems) = walk_names(dir.path(), &[dir.path().to_path_buf()], &[]);
        assert_eq!(files, ["story.txt"]);
        assert_eq!(problems, ["not_article README.md", "not_article data.csv"]);
    }

    #[test]
    fn hidden_names_are_skipped_below_the_root_but_not_as_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let hidden_root = dir.path().join(".archive");
        for name in ["a.txt", ".git/b.txt", ".c.txt", "sub/.d/e.txt"] {
            touch(&hidden_root.join(name));
        }
        let (files, problems) = walk_names(&hidden_root, std::slice::from_ref(&hidden_root), &[]);
        assert_eq!(files, ["a.txt"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn a_tantivy_index_folder_is_never_entered() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "news/a.txt",
            "news/idx/meta.json",
            "news/idx/.managed.json",
            "news/idx/x.json",
        ] {
            touch(&dir.path().join(name));
        }
        let (files, problems) = walk_names(dir.path(), &[dir.path().to_path_buf()], &[]);
        assert_eq!(files, ["news/a.txt"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn excluded_folders_are_compared_canonicalized() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["news/a.txt", "out/b.txt"] {
            touch(&dir.path().join(name));
        }
        let exclude = [dir.path().join("news/../out")];
        let (files, _) = walk_names(dir.path(), &[dir.path().to_path_buf()], &exclude);
        assert_eq!(files, ["news/a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_reported_and_does_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        touch(&dir.path().join("a/story.txt"));
        std::os::unix::fs::symlink("..", dir.path().join("a/up")).unwrap();
        let (files, problems) = walk_names(dir.path(), &[dir.path().to_path_buf()], &[]);
        assert_eq!(files, ["a/story.txt"]);
        assert_eq!(problems, ["walk a/up"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_broken_symlink_is_reported_as_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("nowhere.txt", dir.path().join("gone.txt")).unwrap();
        let (files, problems) = walk_names(dir.path(), &[dir.path().to_path_buf()], &[]);
        assert!(files.is_empty());
        assert_eq!(problems, ["unreadable gone.txt"]);
        let (_, problems) = walk_names(dir.path(), &[dir.path().join("gone.txt")], &[]);
        assert_eq!(problems, ["unreadable gone.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_twice_is_yielded_once() {
        let dir = tempfile::tempdir().unwrap();
        touch(&dir.path().join("a/story.txt"));
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        let roots = [dir.path().to_path_buf(), dir.path().join("a")];
        let (files, _) = walk_names(dir.path(), &roots, &[]);
        assert_eq!(files, ["a/story.txt"]);
    }

    #[test]
    fn a_missing_root_is_a_problem_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let problems: Vec<Problem> = walk(std::slice::from_ref(&missing), &[])
            .filter_map(Result::err)
            .collect();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, missing);
        assert_eq!(problems[0].message, "root does not exist");
    }

    #[test]
    fn a_file_root_is_yielded_whatever_its_extension() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.log");
        touch(&file);
        let found: Vec<PathBuf> = walk(std::slice::from_ref(&file), &[])
            .filter_map(Result::ok)
            .collect();
        assert_eq!(found, [file]);
    }

    #[test]
    fn paths_keep_the_root_as_the_user_gave_it() {
        let dir = tempfile::tempdir().unwrap();
        touch(&dir.path().join("x/a.txt"));
        let root = dir.path().join("x/../x");
        let found: Vec<PathBuf> = walk(std::slice::from_ref(&root), &[])
            .filter_map(Result::ok)
            .collect();
        assert_eq!(found, [root.join("a.txt")]);
    }
}
