//! Shared helpers of the end-to-end tests: the binary, run from the project root with a fixed
//! width and no colour from the environment, and insta settings that keep every snapshot in the
//! top-level `snapshots/` folder.

#![allow(dead_code)] // each test file uses a different subset of these helpers

use std::path::Path;
use std::process::Command;

/// The project root: every path in the tests is relative to it, as in the README.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `collate` with the given arguments, run from the project root, 100 columns, colour off.
pub fn collate(args: &[&str]) -> Command {
    let mut cmd = Command::new(insta_cmd::get_cargo_bin("collate"));
    cmd.current_dir(ROOT)
        .args(args)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    cmd
}

/// Insta settings: snapshots in `snapshots/`, the temp dir and the version filtered out.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(ROOT).join("snapshots"));
    settings.add_filter(
        &format!(r"\bcollate {}\b", regex_escape(env!("CARGO_PKG_VERSION"))),
        "collate [VERSION]",
    );
    settings
}

/// Runs a command and returns (exit code, stdout, stderr).
pub fn run(mut cmd: Command) -> (i32, String, String) {
    let out = cmd.output().expect("collate runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Escapes the regex metacharacters of a literal (the version's dots).
fn regex_escape(literal: &str) -> String {
    literal
        .chars()
        .flat_map(|c| {
            let escape = "\\.+*?()|[]{}^$".contains(c);
            escape.then_some('\\').into_iter().chain([c])
        })
        .collect()
}
