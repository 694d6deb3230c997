//! End-to-end tests of the commands that carry annotations: `annotate merge` (union, three-way,
//! every conflict kind, as a git merge driver), `annotate migrate` (to a new edition of a real
//! text) and `annotate project` (onto real translations).

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{ROOT, collate, run};
use insta_cmd::assert_cmd_snapshot;

/// Snapshot settings: snapshots in `snapshots/`, the version filtered out. (Like
/// `common::settings`, with the dots of the version escaped, so that annotation IDs such as
/// `…8000-1000…` are not mistaken for the version `0.1.0`.)
fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(std::path::Path::new(ROOT).join("snapshots"));
    s.add_filter(&env!("CARGO_PKG_VERSION").replace('.', "\\."), "[VERSION]");
    s
}

const BASE: &str = "tests/fixtures/annotate/merge-base.json";
const OURS: &str = "tests/fixtures/annotate/merge-ours.json";
const THEIRS: &str = "tests/fixtures/annotate/merge-theirs.json";

fn new_ids(mut s: insta::Settings) -> insta::Settings {
    s.add_filter(
        r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[ID]",
    );
    s
}

#[test]
fn merge_three_way_with_every_conflict_kind() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "annotate", "merge", OURS, THEIRS, "--base", BASE, "--name", "ours", "--name", "theirs"
        ]));
    });
}

#[test]
fn merge_union() {
    settings().bind(|| assert_cmd_snapshot!(collate(&["annotate", "merge", OURS, THEIRS])));
}

#[test]
fn merge_union_does_not_depend_on_order_and_keeps_everything() {
    let (c1, ab, _) = run(collate(&["annotate", "merge", OURS, THEIRS, BASE]));
    let (c2, ba, _) = run(collate(&["annotate", "merge", BASE, THEIRS, OURS]));
    assert_eq!((c1, c2), (1, 1));
    assert_eq!(ab, ba);
    let ids = |path: &str| -> std::collections::BTreeSet<String> {
        let v: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(Path::new(ROOT).join(path)).unwrap()).unwrap();
        v["annotations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    let merged: serde_json::Value = serde_json::from_str(&ab).unwrap();
    let out: std::collections::BTreeSet<String> = merged["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    let all: std::collections::BTreeSet<String> = ids(BASE)
        .into_iter()
        .chain(ids(OURS))
        .chain(ids(THEIRS))
        .collect();
    assert_eq!(out, all, "no annotation dropped");
}

#[test]
fn merge_with_itself_changes_nothing() {
    for f in [
        "annotations/compendium-1992-period6.en.json",
        "annotations/irkutsk-statement-2001.ja.json",
    ] {
        let (code, stdout, _) = run(collate(&["annotate", "merge", f, f]));
        assert_eq!(code, 0);
        assert_eq!(
            stdout,
            fs::read_to_string(Path::new(ROOT).join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn merge_refuses_files_on_different_texts() {
    let (code, _, stderr) = run(collate(&[
        "annotate",
        "merge",
        "annotations/joint-declaration-1956.ja.json",
        "annotations/joint-declaration-1956.ru.json",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("annotate different texts"), "{stderr}");
}

/// The `.gitattributes` and `git config` lines of the documentation, used for real: two
/// branches change one annotation differently; git calls collate, which keeps both versions and
/// makes git report the conflict.
#[test]
fn merge_works_as_a_git_merge_driver() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@e")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@e")
            .output()
            .expect("git runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let bin = insta_cmd::get_cargo_bin("collate");
    fs::copy(
        Path::new(ROOT).join("tests/fixtures/annotate/islands.txt"),
        dir.path().join("islands.txt"),
    )
    .unwrap();
    fs::copy(Path::new(ROOT).join(BASE), dir.path().join("notes.json")).unwrap();
    fs::write(
        dir.path().join(".gitattributes"),
        "*.json merge=collate-annotations\n",
    )
    .unwrap();
    assert!(git(&["init", "-q", "-b", "main"]).0);
    let driver = format!(
        "{} annotate merge %A %B --base %O --name ours --name theirs -o %A",
        bin.display()
    );
    assert!(git(&["config", "merge.collate-annotations.driver", &driver]).0);
    assert!(git(&["add", "."]).0 && git(&["commit", "-qm", "base"]).0);
    assert!(git(&["checkout", "-qb", "other"]).0);
    fs::copy(Path::new(ROOT).join(THEIRS), dir.path().join("notes.json")).unwrap();
    assert!(git(&["commit", "-qam", "theirs"]).0);
    assert!(git(&["checkout", "-q", "main"]).0);
    fs::copy(Path::new(ROOT).join(OURS), dir.path().join("notes.json")).unwrap();
    assert!(git(&["commit", "-qam", "ours"]).0);
    let (ok, log) = git(&["merge", "other"]);
    assert!(!ok, "conflicts make the merge stop: {log}");
    let merged = fs::read_to_string(dir.path().join("notes.json")).unwrap();
    assert!(
        !merged.contains("<<<<<<<"),
        "no line-based conflict markers"
    );
    let v: serde_json::Value = serde_json::from_str(&merged).expect("the merged file is JSON");
    let conflicts = v["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a.get("conflict").is_some())
        .count();
    assert_eq!(
        conflicts, 5,
        "edit/edit ×2, delete/edit ×1, add/add ×2:\n{merged}"
    );
}

#[test]
fn migrate_irkutsk_to_the_second_japanese_edition() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "annotate",
            "migrate",
            "annotations/irkutsk-statement-2001.ja.json",
            "--to",
            "texts/irkutsk-statement-2001.ja.v2.txt",
            "--verbose",
        ]));
    });
}

#[test]
fn migrate_the_1956_declaration_to_the_abridged_russian_edition() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "annotate",
            "migrate",
            "annotations/joint-declaration-1956.ru.json",
            "--to",
            "texts/joint-declaration-1956.ru.v2.txt",
            "--verbose",
        ]));
    });
}

#[test]
fn migrate_writes_a_file_that_validates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("irkutsk.v2.json");
    let (code, _, stderr) = run(collate(&[
        "annotate",
        "migrate",
        "annotations/irkutsk-statement-2001.ja.json",
        "--to",
        "texts/irkutsk-statement-2001.ja.v2.txt",
        "-o",
        out.to_str().unwrap(),
    ]));
    assert_eq!(code, 1, "some annotations are orphaned: {stderr}");
    assert!(stderr.contains("5 orphaned"), "{stderr}");
    let (code, stdout, _) = run(collate(&["annotate", "validate", out.to_str().unwrap()]));
    assert_eq!(
        code, 0,
        "orphans are warnings, the rest is anchored right: {stdout}"
    );
    // Unchanged text: everything stays ok.
    let (code, _, stderr) = run(collate(&[
        "annotate",
        "migrate",
        "annotations/compendium-1992-period6.en.json",
        "--to",
        "texts/compendium-1992-period6.en.txt",
    ]));
    assert_eq!(code, 0);
    assert!(stderr.contains(": 15 ok"), "{stderr}");
}

#[test]
fn project_the_communique_onto_russian_and_japanese() {
    new_ids(settings()).bind(|| {
        for lang in ["ru", "ja"] {
            assert_cmd_snapshot!(collate(&[
                "annotate",
                "project",
                "annotations/joint-communique-1991.en.json",
                "--to",
                &format!("texts/joint-communique-1991.{lang}.txt"),
            ]));
        }
    });
}

#[test]
fn projected_annotations_keep_the_source_quote_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("communique.ja.json");
    let (code, _, _) = run(collate(&[
        "annotate",
        "project",
        "annotations/joint-communique-1991.en.json",
        "--to",
        "texts/joint-communique-1991.ja.txt",
        "-o",
        out.to_str().unwrap(),
    ]));
    assert!(code <= 1);
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    for a in v["annotations"].as_array().unwrap() {
        let p = &a["provenance"];
        assert_eq!(p["method"], "project");
        if p["start"].is_u64() && a["status"] != "orphaned" {
            assert_eq!(
                a["status"], "needs-review",
                "ranged annotations are reviewed: {a}"
            );
            assert!(p["quote"].is_string(), "source quote kept: {a}");
        }
    }
    let (code, stdout, _) = run(collate(&["annotate", "validate", out.to_str().unwrap()]));
    assert_eq!(code, 0, "{stdout}");
}
