//! The declarative schema: the shipped file loads, bad files fail with the
//! messages pinned here.

use std::path::Path;
use std::process::Command;

use dateline::Schema;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/schema")
        .join(name)
}

fn error_of(name: &str) -> String {
    let path = fixture(name);
    let message = Schema::from_file(&path).unwrap_err().to_string();
    // Pin the message without the machine-specific directory.
    message.replace(&path.display().to_string(), name)
}

#[test]
fn shipped_schema_file_loads_and_is_the_default() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("index-schema/news.toml");
    assert_eq!(Schema::from_file(&path).unwrap(), Schema::default());
}

#[test]
fn bad_schemas_fail_with_pinned_messages() {
    let cases = [
        (
            "unknown-key.toml",
            "schema `unknown-key.toml`: unknown field `highlight`, expected one of `analyzer`, `boost`, `stored` (line 26)",
        ),
        (
            "unknown-facet.toml",
            "schema `unknown-facet.toml`: unknown field `place`, expected one of `location`, `organization`, `source`, `date`, `mentioned` (line 40)",
        ),
        (
            "unknown-stemmer.toml",
            "schema `unknown-stemmer.toml`: analyzer `english`: unknown stemmer `porter` (expected one of: english, none)",
        ),
        (
            "future-version.toml",
            "schema `future-version.toml`: unsupported version 7 (this build reads version 4)",
        ),
        (
            "unknown-analyzer.toml",
            "schema `unknown-analyzer.toml`: text field `title` uses unknown analyzer `french` (defined: english)",
        ),
        (
            "missing-date.toml",
            "schema `missing-date.toml`: missing field `date`",
        ),
        (
            "duplicate-alias.toml",
            "schema `duplicate-alias.toml`: facet name `loc` is used by both `location` and `organization`",
        ),
        (
            "not-toml.toml",
            "schema `not-toml.toml`: unclosed table, expected `]` (line 2)",
        ),
    ];
    let mut failures = Vec::new();
    for (name, expected) in cases {
        let got = error_of(name);
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected: {expected}\n  got:      {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn index_command_with_a_bad_schema_exits_2_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(["index", "--quiet", "--schema"])
        .arg(fixture("unknown-key.toml"))
        .arg("--index")
        .arg(dir.path().join("idx"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown-key.toml") && stderr.contains("`highlight`"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}
