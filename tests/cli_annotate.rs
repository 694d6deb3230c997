//! End-to-end tests of `collate annotate add`, `list` and `validate` over the real texts in
//! `texts/`, the annotation files in `annotations/` and the fixtures in
//! `tests/fixtures/annotate/` (`every-error.json` holds one instance of every finding).

mod common;

use std::fs;
use std::path::Path;

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

/// Snapshot settings that also hide annotation IDs made during the test (UUIDv7s, which embed
/// the time) and the temporary directory.
fn fresh_settings(tmp: &Path) -> insta::Settings {
    let mut s = settings();
    s.add_filter(
        r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[NEW-ID]",
    );
    s.add_filter(r"…[0-9a-f]{8}", "…[ID]");
    s.add_filter(&regex_escape(&tmp.display().to_string()), "[TMP]");
    s
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if "\\.+*?()|[]{}^$#&-~".contains(c) {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A scratch directory with a copy of one text under `texts/`.
fn scratch(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("texts")).unwrap();
    fs::copy(
        Path::new(ROOT).join("texts").join(text),
        dir.path().join("texts").join(text),
    )
    .unwrap();
    dir
}

fn in_dir(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = collate(args);
    cmd.current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1714564800")
        .env("COLLATE_ANNOTATOR", "tester");
    cmd
}

#[test]
fn add_creates_the_file_and_keeps_it_sorted() {
    let dir = scratch("compendium-1992-period6.en.txt");
    let text = "texts/compendium-1992-period6.en.txt";
    let adds: [&[&str]; 4] = [
        &[
            "--para",
            "p10",
            "--quote",
            "Kunashiri",
            "--label",
            "LOC",
            "--tag",
            "islands",
        ],
        &[
            "--para",
            "p10",
            "--quote",
            "Habomai",
            "--label",
            "LOC",
            "--link",
            "https://en.wikipedia.org/wiki/Habomai_Islands",
        ],
        &[
            "--para",
            "p7",
            "--quote",
            "Gorbachev",
            "--nth",
            "2",
            "--label",
            "PER",
            "--by",
            "editor",
        ],
        &[
            "--para",
            "p13",
            "--note",
            "mentions the 1956 declaration as 'l956'",
        ],
    ];
    for extra in adds {
        let mut args = vec!["annotate", "add", text];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = run(in_dir(dir.path(), &args));
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout.trim().len(), 36, "prints the new ID: {stdout}");
    }
    let written = fs::read_to_string(
        dir.path()
            .join("annotations/compendium-1992-period6.en.json"),
    )
    .unwrap();
    fresh_settings(dir.path()).bind(|| insta::assert_snapshot!("add_four_annotations", written));
    // The file validates cleanly against its text.
    let (code, stdout, _) = run(in_dir(
        dir.path(),
        &[
            "annotate",
            "validate",
            "annotations/compendium-1992-period6.en.json",
        ],
    ));
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn add_refuses_what_it_cannot_anchor() {
    let dir = scratch("compendium-1992-period6.en.txt");
    fs::copy(
        Path::new(ROOT).join("tests/fixtures/annotate/islands.txt"),
        dir.path().join("texts/islands.txt"),
    )
    .unwrap();
    let text = "texts/compendium-1992-period6.en.txt";
    let cases: [&[&str]; 7] = [
        &[
            "annotate", "add", text, "--para", "p10", "--quote", "Sakhalin",
        ],
        &[
            "annotate",
            "add",
            text,
            "--para",
            "p7",
            "--quote",
            "Gorbachev",
        ],
        &[
            "annotate",
            "add",
            text,
            "--para",
            "p7",
            "--quote",
            "Gorbachev",
            "--nth",
            "3",
        ],
        &["annotate", "add", text, "--para", "p99", "--note", "x"],
        &[
            "annotate", "add", text, "--para", "p10", "--range", "20..10",
        ],
        &[
            "annotate",
            "add",
            text,
            "--para",
            "p10",
            "--quote",
            "Habomai",
            "--link",
            "Habomai islands",
        ],
        &[
            "annotate",
            "add",
            "texts/islands.txt",
            "--para",
            "p2",
            "--range",
            "7..13",
        ],
    ];
    let mut transcript = String::new();
    for args in cases {
        let (code, stdout, stderr) = run(in_dir(dir.path(), args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty());
        transcript.push_str(&format!("$ collate {}\n{stderr}\n", args.join(" ")));
    }
    assert!(
        !dir.path().join("annotations").exists(),
        "nothing written on refusal"
    );
    fresh_settings(dir.path()).bind(|| insta::assert_snapshot!("add_refusals", transcript));
}

#[test]
fn add_leaves_a_malformed_file_untouched() {
    let dir = scratch("joint-communique-1991.en.txt");
    fs::create_dir_all(dir.path().join("annotations")).unwrap();
    let target = dir.path().join("annotations/notes.json");
    let broken = "{\"format\": \"collate-annotations\", \"version\": 1,\n  \"annotations\": [\n";
    fs::write(&target, broken).unwrap();
    let (code, _, stderr) = run(in_dir(
        dir.path(),
        &[
            "annotate",
            "add",
            "texts/joint-communique-1991.en.txt",
            "--para",
            "p4",
            "--note",
            "x",
            "-o",
            "annotations/notes.json",
        ],
    ));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("annotations/notes.json:3:1: unexpected end of file"),
        "{stderr}"
    );
    assert!(stderr.contains("left untouched"), "{stderr}");
    // Broken JSON is not taken for a text given in the wrong place.
    assert!(!stderr.contains("not an annotation file"), "{stderr}");
    assert_eq!(fs::read_to_string(&target).unwrap(), broken);
}

/// The commonest slip: the text given where its annotation file belongs. The error says where
/// that text's annotations are (or would be), and nothing is written.
#[test]
fn a_text_given_for_its_annotation_file_is_pointed_to_them() {
    let dir = scratch("joint-communique-1991.en.txt");
    let text = "texts/joint-communique-1991.en.txt";
    let (code, _, stderr) = run(in_dir(dir.path(), &["annotate", "list", text]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "this is not an annotation file (those are JSON) — if it is the text, `collate \
             annotate add texts/joint-communique-1991.en.txt` writes its annotations to \
             annotations/joint-communique-1991.en.json"
        ),
        "{stderr}"
    );
    let add = ["annotate", "add", text, "--para", "p4", "--note", "x"];
    assert_eq!(run(in_dir(dir.path(), &add)).0, 0);
    let (code, _, stderr) = run(in_dir(dir.path(), &["annotate", "list", text]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("its annotations are in annotations/joint-communique-1991.en.json"),
        "{stderr}"
    );
    let (code, stdout, _) = run(in_dir(dir.path(), &["annotate", "validate", text]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("help: this is not an annotation file"),
        "{stdout}"
    );
    let original = fs::read_to_string(Path::new(ROOT).join(text)).unwrap();
    assert_eq!(fs::read_to_string(dir.path().join(text)).unwrap(), original);
}

#[test]
fn add_refuses_a_file_made_on_another_version() {
    let dir = scratch("irkutsk-statement-2001.ja.txt");
    let text = "texts/irkutsk-statement-2001.ja.txt";
    let args = [
        "annotate",
        "add",
        text,
        "--para",
        "p2",
        "--quote",
        "森喜朗",
        "-o",
        "a.json",
    ];
    assert_eq!(run(in_dir(dir.path(), &args)).0, 0);
    fs::copy(
        Path::new(ROOT).join("texts/irkutsk-statement-2001.ja.v2.txt"),
        dir.path().join(text),
    )
    .unwrap();
    let again = [
        "annotate", "add", text, "--para", "p2", "--note", "x", "-o", "a.json",
    ];
    let (code, _, stderr) = run(in_dir(dir.path(), &again));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("annotates another version") && stderr.contains("migrate"),
        "{stderr}"
    );
}

#[test]
fn list_table() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "annotate",
            "list",
            "annotations/compendium-1992-period6.en.json"
        ]));
    });
}

#[test]
fn list_text_marks_ranges() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "annotate",
            "list",
            "annotations/compendium-1992-period6.en.json",
            "--format",
            "text",
            "--para",
            "p10"
        ]));
        assert_cmd_snapshot!(collate(&[
            "annotate",
            "list",
            "annotations/irkutsk-statement-2001.ja.json",
            "--format",
            "text"
        ]));
    });
}

#[test]
fn list_filters_and_json() {
    let (code, stdout, _) = run(collate(&[
        "annotate",
        "list",
        "annotations/compendium-1992-period6.en.json",
        "--format",
        "json",
        "--para",
        "p10",
    ]));
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let anns = json["annotations"].as_array().unwrap();
    assert_eq!(anns.len(), 5);
    assert!(anns.iter().all(|a| a["target"]["paragraph"] == "p10"));
    let (_, stdout, _) = run(collate(&[
        "annotate",
        "list",
        "annotations/compendium-1992-period6.en.json",
        "--format",
        "json",
        "--status",
        "orphaned",
    ]));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["annotations"].as_array().unwrap().len(), 0);
    let (code, _, stderr) = run(collate(&[
        "annotate",
        "list",
        "annotations/compendium-1992-period6.en.json",
        "--status",
        "lost",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("needs-review"), "{stderr}");
}

#[test]
fn validate_every_error_kind() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "annotate",
            "validate",
            "tests/fixtures/annotate/every-error.json",
            "tests/fixtures/annotate/second.json",
        ]));
    });
}

#[test]
fn validate_syntax_error_and_missing_text() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "annotate",
            "validate",
            "tests/fixtures/annotate/syntax-error.json"
        ]));
        assert_cmd_snapshot!(collate(&[
            "annotate",
            "validate",
            "tests/fixtures/annotate/missing-text.json"
        ]));
    });
}

/// Every finding code is exercised by the fixtures, and the JSON report carries them all with
/// their places.
#[test]
fn validate_json_covers_every_code() {
    let runs: [&[&str]; 3] = [
        &[
            "tests/fixtures/annotate/every-error.json",
            "tests/fixtures/annotate/second.json",
        ],
        &["tests/fixtures/annotate/syntax-error.json"],
        &["tests/fixtures/annotate/missing-text.json"],
    ];
    let mut codes = std::collections::BTreeSet::new();
    for files in runs {
        let mut args = vec!["annotate", "validate", "--format", "json"];
        args.extend_from_slice(files);
        let (code, stdout, _) = run(collate(&args));
        assert!(code == 1 || code == 2, "{files:?}: exit {code}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["valid"], false);
        for d in json["diagnostics"].as_array().unwrap() {
            assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
            assert!(files.contains(&d["file"].as_str().unwrap()));
            codes.insert(d["code"].as_str().unwrap().to_string());
        }
    }
    let expected: Vec<String> = (1..=19).map(|n| format!("A{n:03}")).collect();
    assert_eq!(codes.into_iter().collect::<Vec<_>>(), expected);
}

#[test]
fn validate_json_report() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "annotate",
            "validate",
            "tests/fixtures/annotate/second.json",
            "--format",
            "json"
        ]));
    });
}

#[test]
fn the_shipped_annotation_files_are_valid() {
    let mut files: Vec<String> = fs::read_dir(Path::new(ROOT).join("annotations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| format!("annotations/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    let mut args = vec!["annotate", "validate"];
    args.extend(files.iter().map(String::as_str));
    settings().bind(|| assert_cmd_snapshot!(collate(&args)));
    let (code, stdout, _) = run(collate(&args));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("no problems"), "{stdout}");
}

#[test]
fn annotate_help() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&["annotate", "--help"]));
        assert_cmd_snapshot!(collate(&["annotate", "add", "--help"]));
    });
}

/// `docs/annotation.schema.json` describes the files collate writes (shipped, merged with
/// conflicts, migrated with provenance) and rejects the broken fixture.
#[test]
fn the_documented_schema_matches_the_files() {
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(Path::new(ROOT).join("docs/annotation.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .build(&schema)
        .expect("the schema compiles");
    let mut outputs: Vec<(String, String)> = fs::read_dir(Path::new(ROOT).join("annotations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), fs::read_to_string(&p).unwrap()))
        .collect();
    let made: [&[&str]; 3] = [
        &[
            "annotate",
            "merge",
            "tests/fixtures/annotate/merge-ours.json",
            "tests/fixtures/annotate/merge-theirs.json",
            "--base",
            "tests/fixtures/annotate/merge-base.json",
        ],
        &[
            "annotate",
            "migrate",
            "annotations/irkutsk-statement-2001.ja.json",
            "--to",
            "texts/irkutsk-statement-2001.ja.v2.txt",
        ],
        &[
            "annotate",
            "project",
            "annotations/joint-communique-1991.en.json",
            "--to",
            "texts/joint-communique-1991.ru.txt",
        ],
    ];
    for args in made {
        let (_, stdout, _) = run(collate(args));
        outputs.push((args.join(" "), stdout));
    }
    for (what, json) in &outputs {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
    }
    let broken: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(Path::new(ROOT).join("tests/fixtures/annotate/every-error.json"))
            .unwrap(),
    )
    .unwrap();
    assert!(
        validator.iter_errors(&broken).count() >= 5,
        "the schema catches unknown fields, missing fields, bad values"
    );
}

/// Standard input cannot be annotated: an annotation file names its text to read it again.
/// `annotate add -` fails (exit 2) and writes nothing.
#[test]
fn add_refuses_standard_input() {
    let dir = scratch("compendium-1992-period6.en.txt");
    let mut cmd = in_dir(
        dir.path(),
        &["annotate", "add", "-", "--para", "p3", "--note", "x"],
    );
    cmd.stdin(fs::File::open(dir.path().join("texts/compendium-1992-period6.en.txt")).unwrap());
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("annotations are kept for a text file"),
        "{stderr}"
    );
    assert!(!dir.path().join("annotations").exists());
}

/// A file that cannot be read makes the check incomplete: exit 2, named in the summary and in
/// the JSON `unread` list, `valid` false — even when the files that were read are clean.
#[test]
fn validate_names_a_file_it_cannot_read() {
    let clean = "annotations/joint-communique-1991.en.json";
    let missing = "annotations/no-such-file.json";
    let (code, stdout, stderr) = run(collate(&["annotate", "validate", clean, missing]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no-such-file.json: no such file"),
        "{stderr}"
    );
    assert!(
        stdout.contains("incomplete: 1 file could not be read (annotations/no-such-file.json)"),
        "{stdout}"
    );
    let (code, stdout, _) = run(collate(&[
        "annotate", "validate", clean, missing, "--format", "json",
    ]));
    assert_eq!(code, 2);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["unread"][0]["path"], missing);
    assert_eq!(report["files"].as_array().unwrap().len(), 1);
}

/// `annotate remove` takes annotations out by whole or short ID, under the file's lock and
/// atomically; an unknown ID changes nothing (exit 2), and a missing file is an error that
/// creates nothing.
#[test]
fn remove_by_whole_or_short_id() {
    let dir = scratch("compendium-1992-period6.en.txt");
    let text = "texts/compendium-1992-period6.en.txt";
    let file = "annotations/compendium-1992-period6.en.json";
    let mut ids = Vec::new();
    for quote in ["Kunashiri", "Habomai", "Shikotan"] {
        let (code, stdout, stderr) = run(in_dir(
            dir.path(),
            &["annotate", "add", text, "--para", "p10", "--quote", quote],
        ));
        assert_eq!(code, 0, "{stderr}");
        ids.push(stdout.trim().to_string());
    }
    let short = format!("…{}", &ids[1][ids[1].len() - 8..]);
    let (code, stdout, stderr) = run(in_dir(
        dir.path(),
        &["annotate", "remove", file, &short, &ids[2]],
    ));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("{}\n{}\n", ids[1], ids[2]));
    assert!(stderr.contains("removed 2 annotations"), "{stderr}");
    let path = dir.path().join(file);
    let left = fs::read_to_string(&path).unwrap();
    assert!(left.contains(&ids[0]) && !left.contains(&ids[1]) && !left.contains(&ids[2]));
    let (code, _, stderr) = run(in_dir(
        dir.path(),
        &["annotate", "remove", file, "ffffffff"],
    ));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no annotation has the ID \"ffffffff\""),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), left);
    let (code, _, stderr) = run(in_dir(
        dir.path(),
        &["annotate", "remove", "nowhere/x.json", &ids[0]],
    ));
    assert_eq!(code, 2);
    assert!(stderr.contains("no such file"), "{stderr}");
    assert!(!dir.path().join("nowhere").exists());
    let (code, _, _) = run(in_dir(dir.path(), &["annotate", "validate", file]));
    assert_eq!(code, 0);
}

/// `annotate edit` changes what an annotation says and its `modified` time, never its ID or
/// anchor; a bad link or an unknown ID changes nothing (exit 2); the file stays valid.
#[test]
fn edit_changes_the_body_and_keeps_the_anchor() {
    let dir = scratch("compendium-1992-period6.en.txt");
    let text = "texts/compendium-1992-period6.en.txt";
    let file = "annotations/compendium-1992-period6.en.json";
    let add = [
        "annotate", "add", text, "--para", "p10", "--quote", "Etorofu", "--note", "draft", "--tag",
        "draft", "--label", "LOC",
    ];
    let (code, stdout, stderr) = run(in_dir(dir.path(), &add));
    assert_eq!(code, 0, "{stderr}");
    let id = stdout.trim().to_string();
    let short = format!("…{}", &id[id.len() - 8..]);
    let path = dir.path().join(file);
    let before: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let mut cmd = in_dir(
        dir.path(),
        &[
            "annotate",
            "edit",
            file,
            &short,
            "--note",
            "Iturup in Russian",
            "--tag",
            "islands",
            "--untag",
            "draft",
            "--no-label",
        ],
    );
    cmd.env("SOURCE_DATE_EPOCH", "1800000000");
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    let edited: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let after: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(after["annotations"][0], edited);
    let (old, new) = (&before["annotations"][0], &edited);
    assert_eq!(new["id"], id);
    assert_eq!(new["target"], old["target"]);
    assert_eq!(new["created"], old["created"]);
    assert_ne!(new["modified"], old["modified"]);
    assert_eq!(
        new["body"],
        serde_json::json!({"note": "Iturup in Russian", "tags": ["islands"]})
    );
    let unchanged = fs::read_to_string(&path).unwrap();
    for bad in [
        vec!["annotate", "edit", file, &short, "--link", "not a link"],
        vec!["annotate", "edit", file, "ffffffff", "--note", "x"],
    ] {
        let (code, _, stderr) = run(in_dir(dir.path(), &bad));
        assert_eq!(code, 2, "{bad:?}: {stderr}");
        assert_eq!(fs::read_to_string(&path).unwrap(), unchanged);
    }
    let (code, _, stderr) = run(in_dir(dir.path(), &["annotate", "validate", file]));
    assert_eq!(code, 0, "{stderr}");
}

/// The fields of CSV records (RFC 4180: quoted fields may hold commas, quotes and line breaks).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

/// `annotate list --format csv` gives every annotation of every shipped file, each field in
/// full: parsed back, the records say what the JSON listing says.
#[test]
fn list_csv_holds_every_field_in_full() {
    for entry in fs::read_dir(Path::new(ROOT).join("annotations")).unwrap() {
        let path = entry.unwrap().path();
        let file = path.to_str().unwrap();
        let (code, csv, stderr) = run(collate(&["annotate", "list", file, "--format", "csv"]));
        assert_eq!(code, 0, "{stderr}");
        assert!(csv.ends_with("\r\n"));
        let (_, json, _) = run(collate(&["annotate", "list", file, "--format", "json"]));
        let listed: serde_json::Value = serde_json::from_str(&json).unwrap();
        let listed = listed["annotations"].as_array().unwrap();
        let records = csv_records(&csv);
        assert_eq!(records[0][..3], ["id", "paragraph", "start"]);
        assert_eq!(records.len(), listed.len() + 1, "{file}");
        for (record, a) in records[1..].iter().zip(listed) {
            assert_eq!(record.len(), 13);
            let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
            let number =
                |v: &serde_json::Value| v.as_u64().map_or(String::new(), |n| n.to_string());
            assert_eq!(record[0], text(&a["id"]));
            assert_eq!(record[1], text(&a["target"]["paragraph"]));
            assert_eq!(record[2], number(&a["target"]["start"]));
            assert_eq!(record[3], number(&a["target"]["end"]));
            assert_eq!(record[4], text(&a["target"]["quote"]["exact"]));
            assert_eq!(record[7], text(&a["body"]["note"]));
            let tags: Vec<String> = a["body"]["tags"]
                .as_array()
                .map_or(Vec::new(), |t| t.iter().map(text).collect());
            assert_eq!(record[6], tags.join("; "));
        }
    }
}
