//! Helpers shared by the integration tests: running the binary and reading
//! its JSON.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/data`, or `None` (with a message) when this checkout has none.
pub fn shared_data(test: &str) -> Option<PathBuf> {
    let dir = root().join("../shared/data");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping {test}: ../shared/data is absent (it exists only on the team's machines and CI)"
        );
        None
    }
}

/// The release binary from `$DATELINE_BIN`, for tests over large corpora.
pub fn release_binary(test: &str) -> Option<PathBuf> {
    match std::env::var_os("DATELINE_BIN") {
        Some(path) if Path::new(&path).is_file() => Some(PathBuf::from(path)),
        _ => {
            eprintln!(
                "skipping {test}: set DATELINE_BIN to a release build of dateline (.ci/run does)"
            );
            None
        }
    }
}

/// A command for the binary under test, run from the repository root.
pub fn dateline() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dateline"));
    command
        .current_dir(root())
        .env_remove("DATELINE_INDEX")
        .env("NO_COLOR", "1");
    command
}

/// Runs a command and describes it fully if `expected` exit code differs.
pub fn run(command: &mut Command, expected: i32) -> Output {
    let output = command.output().expect("the binary runs");
    if output.status.code() != Some(expected) {
        panic!(
            "{command:?} exited with {:?}, expected {expected}\n--- stdout\n{}\n--- stderr\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    output
}

/// Parses stdout as one JSON value.
pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// Parses stdout as JSON lines.
pub fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

/// Takes `[start, end)` code points of `text`.
pub fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}
