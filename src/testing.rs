//! Test support shared by the unit tests: insta settings that keep every snapshot in the
//! top-level `snapshots/` folder.

/// Insta settings for unit-test snapshots: `snapshots/` at the project root.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings
}
