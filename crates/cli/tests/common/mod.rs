//! Helpers shared by the CLI integration tests: run the real `kroniek`
//! binary against a store directory.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `kroniek` binary with `--db DB`, ignoring `$KRONIEK_DB`.
pub fn kroniek(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kroniek"));
    c.arg("--db").arg(db).env_remove("KRONIEK_DB");
    c
}

/// Runs the command, asserts success and returns its standard output.
pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run kroniek");
    assert!(
        out.status.success(),
        "kroniek failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs the command and parses its standard output as one JSON value.
pub fn json(cmd: &mut Command) -> serde_json::Value {
    serde_json::from_str(&run_ok(cmd)).expect("json output")
}

/// The example articles that ship with the project.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles")
}
