//! Safety of annotation files on disk: concurrent `annotate add` processes all land (the lock),
//! and a process killed in the middle of writing leaves the old file intact (the atomic rename).

mod common;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{ROOT, collate, run};
use serde_json::Value;

const TEXT: &str = "texts/compendium-1992-period6.en.txt";

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("texts")).unwrap();
    fs::copy(Path::new(ROOT).join(TEXT), dir.path().join(TEXT)).unwrap();
    dir
}

fn annotations(path: &Path) -> Vec<Value> {
    let v: Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).expect("the file is whole JSON");
    v["annotations"].as_array().unwrap().clone()
}

/// Two processes, each adding 200 annotations one `collate annotate add` at a time, to the same
/// file at the same time: all 400 land, with 400 distinct IDs.
#[test]
fn two_processes_adding_200_each_end_with_400() {
    let dir = scratch();
    let workers: Vec<_> = ["alice", "bob"]
        .into_iter()
        .map(|who| {
            let root = dir.path().to_path_buf();
            std::thread::spawn(move || {
                for i in 0..200 {
                    let note = format!("{who} {i}");
                    let mut cmd = collate(&[
                        "annotate",
                        "add",
                        TEXT,
                        "--para",
                        "p10",
                        "--quote",
                        "Habomai",
                        "--note",
                        &note,
                        "--by",
                        who,
                        "-o",
                        "notes.json",
                    ]);
                    cmd.current_dir(&root);
                    let (code, _, stderr) = run(cmd);
                    assert_eq!(code, 0, "{who} {i}: {stderr}");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let all = annotations(&dir.path().join("notes.json"));
    assert_eq!(all.len(), 400);
    let ids: std::collections::BTreeSet<&str> =
        all.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 400, "distinct IDs");
    let notes: std::collections::BTreeSet<&str> = all
        .iter()
        .map(|a| a["body"]["note"].as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), 400, "every add landed once");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "texts" && n != "notes.json")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no lock or temporary files left: {leftovers:?}"
    );
    let mut cmd = collate(&["annotate", "validate", "notes.json"]);
    cmd.current_dir(dir.path());
    assert_eq!(run(cmd).0, 0);
}

/// A large file, so that writing it takes long enough to be interrupted.
fn big_file(dir: &Path, n: usize) -> String {
    let one = {
        let mut cmd = collate(&[
            "annotate",
            "add",
            TEXT,
            "--para",
            "p10",
            "--quote",
            "Shikotan",
            "--note",
            "seed",
            "-o",
            "seed.json",
        ]);
        cmd.current_dir(dir);
        assert_eq!(run(cmd).0, 0);
        fs::read_to_string(dir.join("seed.json")).unwrap()
    };
    let v: Value = serde_json::from_str(&one).unwrap();
    let template = v["annotations"][0].to_string();
    let lines: Vec<String> = (0..n)
        .map(|i| {
            template
                .replace(
                    &v["annotations"][0]["id"].as_str().unwrap()[24..],
                    &format!("{i:012}"),
                )
                .replace("\"seed\"", &format!("\"note {i}\""))
        })
        .collect();
    let header = one.split("\"annotations\"").next().unwrap().to_string();
    format!(
        "{header}\"annotations\": [\n    {}\n  ]\n}}\n",
        lines.join(",\n    ")
    )
}

/// `annotate add` is killed (SIGKILL) once its temporary file exists, that is in the middle of
/// writing the new version: the old file is intact, byte for byte, and the next add works.
#[test]
fn a_write_killed_midway_leaves_the_old_file_intact() {
    let dir = scratch();
    let content = big_file(dir.path(), 20_000);
    let target = dir.path().join("big.json");
    fs::write(&target, &content).unwrap();
    let mut interrupted = 0;
    for attempt in 0..3 {
        let mut cmd = collate(&[
            "annotate",
            "add",
            TEXT,
            "--para",
            "p10",
            "--quote",
            "Kunashiri",
            "--note",
            "killed",
            "-o",
            "big.json",
        ]);
        cmd.current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        let started = Instant::now();
        let mut saw_temp = false;
        while started.elapsed() < Duration::from_secs(60) {
            let temp = fs::read_dir(dir.path())
                .unwrap()
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"));
            if temp {
                saw_temp = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
        }
        child.kill().ok();
        child.wait().unwrap();
        let now = fs::read_to_string(&target).unwrap();
        if saw_temp && now == content {
            interrupted += 1;
        } else {
            // The rename won the race: the file is the complete new version.
            assert_eq!(
                annotations(&target).len(),
                20_001,
                "attempt {attempt}: a whole new file or the old one"
            );
            fs::write(&target, &content).unwrap();
        }
        assert_eq!(
            now.len() == content.len(),
            now == content,
            "attempt {attempt}: never a torn file"
        );
        for e in fs::read_dir(dir.path()).unwrap().filter_map(Result::ok) {
            if e.file_name().to_string_lossy().ends_with(".tmp") {
                fs::remove_file(e.path()).unwrap();
            }
        }
    }
    assert!(interrupted >= 1, "no kill landed in the middle of a write");
    // The lock died with the process: the next add goes through.
    let mut cmd = collate(&[
        "annotate", "add", TEXT, "--para", "p10", "--quote", "Etorofu", "-o", "big.json",
    ]);
    cmd.current_dir(dir.path());
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(annotations(&target).len(), 20_001);
}
