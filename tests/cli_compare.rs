//! End-to-end tests of `collate compare` over the real texts in `texts/`: snapshots of every
//! format on the two Japanese editions of the Irkutsk statement and on the English and Japanese
//! 1991 communique, at widths 40, 80 and 160, with and without colour; every line within the
//! width (display width, CJK counted double); no text lost to wrapping; filters; exit codes.
//! (The communique in three languages and the annotations join these tests with the n-way
//! aligner and `collate::annotate`.)

mod common;

use common::{collate, run, settings};
use insta_cmd::assert_cmd_snapshot;
use unicode_width::UnicodeWidthStr;

/// A translation pair (the English and Japanese 1991 communique).
const TRANSLATION: [&str; 2] = [
    "texts/joint-communique-1991.en.txt",
    "texts/joint-communique-1991.ja.txt",
];
const PAIR: [&str; 2] = [
    "texts/irkutsk-statement-2001.ja.txt",
    "texts/irkutsk-statement-2001.ja.v2.txt",
];
const WIDTHS: [usize; 3] = [40, 80, 160];

/// `collate compare FILES… ARGS…`.
fn compare(files: &[&str], args: &[&str]) -> std::process::Command {
    let mut all = vec!["compare"];
    all.extend_from_slice(files);
    all.extend_from_slice(args);
    collate(&all)
}

/// Snapshot settings that show the escape character visibly.
fn snapshot_settings() -> insta::Settings {
    let mut s = settings();
    s.add_filter("\u{1b}", "␛");
    s
}

/// A line without its ANSI escape sequences.
fn strip_ansi(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn table_snapshots_of_the_irkutsk_versions() {
    for width in WIDTHS {
        for color in ["never", "always"] {
            let w = width.to_string();
            let name = format!("compare_pair_table_{width}_{color}");
            snapshot_settings().bind(|| {
                assert_cmd_snapshot!(name, compare(&PAIR, &["--width", &w, "--color", color]));
            });
        }
    }
}

/// Markdown, CSV and JSON do not depend on the width and never carry colour: one snapshot each,
/// and the same bytes at every width, with colour asked for or not.
#[test]
fn markdown_csv_json_snapshots_and_independence_of_width_and_colour() {
    for (set, files) in [("translation", &TRANSLATION[..]), ("pair", &PAIR[..])] {
        for format in ["markdown", "csv", "json"] {
            let name = format!("compare_{set}_{format}");
            snapshot_settings().bind(|| {
                assert_cmd_snapshot!(name, compare(files, &["--format", format]));
            });
            let (_, reference, _) = run(compare(files, &["--format", format]));
            for width in WIDTHS {
                for color in ["never", "always"] {
                    let w = width.to_string();
                    let args = ["--format", format, "--width", &w, "--color", color];
                    let (_, out, _) = run(compare(files, &args));
                    assert_eq!(out, reference, "{set} {format} {width} {color}");
                    assert!(
                        !out.contains('\u{1b}'),
                        "{set} {format}: colour in {format}"
                    );
                }
            }
        }
    }
}

#[test]
fn no_table_line_is_wider_than_asked_cjk_included() {
    for files in [&TRANSLATION[..], &PAIR[..]] {
        for width in WIDTHS.into_iter().chain([20, 57, 100]) {
            for color in ["never", "always"] {
                for layout in ["auto", "stacked"] {
                    let w = width.to_string();
                    let args = ["--width", &w, "--color", color, "--layout", layout];
                    let (code, out, err) = run(compare(files, &args));
                    assert!(code == 0 || code == 1, "{err}");
                    assert!(out.lines().count() > 5);
                    for line in out.lines() {
                        let shown = UnicodeWidthStr::width(strip_ansi(line).as_str());
                        assert!(shown <= width, "{files:?} {width} {color}: {shown}: {line}");
                    }
                    assert_eq!(out.contains('\u{1b}'), color == "always", "{files:?}");
                }
            }
        }
    }
}

/// The lines of each column of each row of a side-by-side table.
fn table_columns(out: &str) -> Vec<Vec<Vec<String>>> {
    let mut rows = Vec::new();
    let mut current: Vec<Vec<String>> = Vec::new();
    let mut in_body = false;
    for line in out.lines() {
        if line.starts_with('╞') {
            in_body = true;
            continue;
        }
        if line.starts_with('├') || line.starts_with('└') {
            if in_body && !current.is_empty() {
                rows.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !in_body || !line.starts_with('│') {
            continue;
        }
        let inner = line.trim_start_matches('│').trim_end_matches('│');
        let cells: Vec<&str> = inner.split('┆').collect();
        current.resize(cells.len(), Vec::new());
        for (k, cell) in cells.iter().enumerate() {
            if !cell.trim().is_empty() {
                current[k].push(cell.trim().to_string());
            }
        }
    }
    rows
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Wrapping never cuts: the text of every cell of the table, lines put back together, is the
/// paragraph IDs and the full texts of the JSON report, at every width.
#[test]
fn wrapping_never_cuts_text() {
    for files in [&TRANSLATION[..], &PAIR[..]] {
        let (_, json, _) = run(compare(files, &["--format", "json"]));
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        let expected: Vec<Vec<String>> = report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                row["cells"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|cell| {
                        let paragraphs = cell["paragraphs"].as_array().unwrap();
                        if paragraphs.is_empty() {
                            return "—".to_string();
                        }
                        paragraphs
                            .iter()
                            .map(|p| {
                                let text: String = p["runs"]
                                    .as_array()
                                    .unwrap()
                                    .iter()
                                    .map(|r| r["text"].as_str().unwrap())
                                    .collect();
                                no_space(&format!("{}{text}", p["id"].as_str().unwrap()))
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        for width in [80, 160] {
            let w = width.to_string();
            let args = ["--width", &w, "--layout", "columns", "--color", "never"];
            let (_, out, _) = run(compare(files, &args));
            let rows = table_columns(&out);
            assert_eq!(rows.len(), expected.len(), "{files:?} {width}");
            for (row, want) in rows.iter().zip(&expected) {
                let got: Vec<String> = row[1..]
                    .iter()
                    .map(|c| {
                        no_space(&c.concat())
                            .replace("[-", "")
                            .replace("-]", "")
                            .replace("{+", "")
                            .replace("+}", "")
                    })
                    .collect();
                assert_eq!(&got, want, "{files:?} at {width}");
            }
        }
    }
}

#[test]
fn json_has_a_version_one_row_per_bead_and_the_witnesses() {
    let (code, out, _) = run(compare(&PAIR, &["--format", "json"]));
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["mode"], "version");
    let (_, align, _) = run(collate(&["align", PAIR[0], PAIR[1], "--format", "json"]));
    let align: serde_json::Value = serde_json::from_str(&align).unwrap();
    let beads = align["beads"].as_array().unwrap();
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), beads.len());
    for (row, bead) in rows.iter().zip(beads) {
        let ids: Vec<Vec<&str>> = row["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                c["paragraphs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["id"].as_str().unwrap())
                    .collect()
            })
            .collect();
        let want: Vec<Vec<&str>> = bead["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                l.as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i.as_str().unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(ids, want);
        assert_eq!(row["kind"], bead["kind"]);
    }
    assert_eq!(report["summary"]["rows"], beads.len());
    assert_eq!(report["witnesses"][1]["path"], PAIR[1]);
}

#[test]
fn changed_keeps_only_rows_that_differ() {
    let (_, all, _) = run(compare(&PAIR, &["--format", "json"]));
    let (code, out, _) = run(compare(&PAIR, &["--format", "json", "--changed"]));
    assert_eq!(code, 1);
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    let changed: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = changed["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["status"] != "unchanged"));
    let unchanged = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "unchanged")
        .count();
    assert!(unchanged > 0);
    assert_eq!(
        rows.len() + unchanged,
        all["rows"].as_array().unwrap().len()
    );
    // The summary still describes every row.
    assert_eq!(changed["summary"], all["summary"]);
}

#[test]
fn para_keeps_the_rows_of_those_paragraphs_and_unknown_ids_are_errors() {
    let (_, out, _) = run(compare(&PAIR, &["--format", "json", "--para", "p3"]));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = report["rows"].as_array().unwrap();
    assert!(!rows.is_empty() && rows.len() <= 2);
    for row in rows {
        assert!(row.to_string().contains("\"id\":\"p3\""));
    }
    let (code, _, err) = run(compare(&PAIR, &["--para", "p999"]));
    assert_eq!(code, 2);
    assert!(err.contains("p999"), "{err}");
}

#[test]
fn confidence_bounds_filter_translation_rows() {
    let files = TRANSLATION;
    let (code, all, _) = run(compare(&files, &["--format", "json"]));
    assert_eq!(code, 0, "translations exit 0");
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    assert_eq!(all["mode"], "translation");
    let confidences: Vec<f64> = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["confidence"].as_f64())
        .collect();
    assert!(!confidences.is_empty());
    let mid = confidences.iter().sum::<f64>() / confidences.len() as f64;
    let m = format!("{mid}");
    for (flag, keep) in [("--min-confidence", true), ("--max-confidence", false)] {
        let (_, out, _) = run(compare(&files, &["--format", "json", flag, &m]));
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        for row in report["rows"].as_array().unwrap() {
            let c = row["confidence"].as_f64().unwrap();
            assert!(
                if keep {
                    c >= mid - 1e-4
                } else {
                    c <= mid + 1e-4
                },
                "{flag} {mid}: {c}"
            );
        }
    }
    let (code, _, err) = run(compare(&files, &["--min-confidence", "1.5"]));
    assert_eq!(code, 2);
    assert!(err.contains("between 0 and 1"), "{err}");
}

#[test]
fn truncate_cuts_cells_to_n_lines_with_an_ellipsis() {
    let (_, out, _) = run(compare(
        &PAIR,
        &["--width", "60", "--truncate", "2", "--color", "never"],
    ));
    assert!(out.contains('…'));
    let rows = table_columns(&out);
    assert!(!rows.is_empty());
    let mut cut = 0;
    for row in &rows {
        for cell in &row[1..] {
            assert!(cell.len() <= 2, "{cell:?}");
            cut += usize::from(cell.last().is_some_and(|l| l.ends_with('…')));
        }
    }
    assert!(cut > 0);
    let (_, full, _) = run(compare(&PAIR, &["--width", "60", "--color", "never"]));
    assert!(
        table_columns(&full)
            .iter()
            .any(|r| r[1..].iter().any(|c| c.len() > 2))
    );
}

#[test]
fn exit_codes_follow_diff() {
    let (same, _, _) = run(compare(&[PAIR[0], PAIR[0]], &[]));
    assert_eq!(same, 0, "a text compared with itself");
    let (differ, _, _) = run(compare(&PAIR, &[]));
    assert_eq!(differ, 1);
    let (missing, _, err) = run(compare(&[PAIR[0], "texts/nope.txt"], &[]));
    assert_eq!(missing, 2);
    assert!(err.contains("texts/nope.txt"), "{err}");
}

#[test]
fn no_color_wins_over_always() {
    let mut cmd = compare(&PAIR, &["--color", "always"]);
    cmd.env("NO_COLOR", "1");
    let (_, out, _) = run(cmd);
    assert!(!out.contains('\u{1b}'));
    assert!(out.contains("p1"));
}

#[test]
fn help_has_examples() {
    settings().bind(|| assert_cmd_snapshot!(collate(&["compare", "--help"])));
}

/// The 1991 communique in English, Russian and Japanese (three witnesses, n-way aligned).
const TRIPLE: [&str; 3] = [
    "texts/joint-communique-1991.en.txt",
    "texts/joint-communique-1991.ru.txt",
    "texts/joint-communique-1991.ja.txt",
];

#[test]
fn table_snapshots_of_the_communique_triple() {
    for width in WIDTHS {
        for color in ["never", "always"] {
            let w = width.to_string();
            let name = format!("compare_triple_table_{width}_{color}");
            snapshot_settings().bind(|| {
                assert_cmd_snapshot!(name, compare(&TRIPLE, &["--width", &w, "--color", color]));
            });
        }
    }
}

#[test]
fn triple_in_every_format_within_the_width_and_never_cut() {
    for format in ["markdown", "csv", "json"] {
        let name = format!("compare_triple_{format}");
        snapshot_settings().bind(|| {
            assert_cmd_snapshot!(name, compare(&TRIPLE, &["--format", format]));
        });
    }
    for width in WIDTHS.into_iter().chain([20, 57]) {
        for color in ["never", "always"] {
            let w = width.to_string();
            let (code, out, err) = run(compare(&TRIPLE, &["--width", &w, "--color", color]));
            assert_eq!(code, 0, "{err}");
            for line in out.lines() {
                let shown = UnicodeWidthStr::width(strip_ansi(line).as_str());
                assert!(shown <= width, "{width} {color}: {shown}: {line}");
            }
        }
    }
    let (_, json, _) = run(compare(&TRIPLE, &["--format", "json"]));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["witnesses"].as_array().unwrap().len(), 3);
    let (_, out, _) = run(compare(
        &TRIPLE,
        &["--width", "160", "--layout", "columns", "--color", "never"],
    ));
    let rows = table_columns(&out);
    assert_eq!(rows.len(), report["rows"].as_array().unwrap().len());
    for (row, want) in rows.iter().zip(report["rows"].as_array().unwrap()) {
        for (w, cell) in want["cells"].as_array().unwrap().iter().enumerate() {
            let text: String = cell["paragraphs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let runs: String = p["runs"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r["text"].as_str().unwrap())
                        .collect();
                    format!("{}{runs}", p["id"].as_str().unwrap())
                })
                .collect();
            let text = if text.is_empty() {
                "—".to_string()
            } else {
                no_space(&text)
            };
            assert_eq!(no_space(&row[w + 1].concat()), text);
        }
    }
}

const NOTES: &str = "annotations/joint-communique-1991.en.json";

#[test]
fn annotations_are_counted_and_listed_under_their_rows() {
    let files = [TRIPLE[0], TRIPLE[2]];
    let args = [
        "--annotations",
        NOTES,
        "--show-notes",
        "--width",
        "120",
        "--color",
        "never",
    ];
    let (code, out, err) = run(compare(&files, &args));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("p4 ✎4"), "{out}");
    assert!(out.contains("✎ p4 “Gorbachev” [PER]"), "{out}");
    let (_, json, _) = run(compare(
        &files,
        &["--annotations", NOTES, "--format", "json"],
    ));
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let file: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/{NOTES}", common::ROOT)).unwrap(),
    )
    .unwrap();
    let total = file["annotations"].as_array().unwrap().len();
    assert_eq!(report["summary"]["annotations"], total);
    // Every annotation sits on the paragraph it names, in the English column.
    for a in file["annotations"].as_array().unwrap() {
        let para = a["target"]["paragraph"].as_str().unwrap();
        let found = report["rows"].as_array().unwrap().iter().any(|row| {
            row["cells"][0]["paragraphs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| {
                    p["id"] == para
                        && p["notes"]
                            .as_array()
                            .is_some_and(|n| n.iter().any(|n| n["id"] == a["id"]))
                })
        });
        assert!(found, "annotation {} on {para}", a["id"]);
    }
    // Without --show-notes, the counts but not the notes.
    let (_, plain, _) = run(compare(&files, &["--annotations", NOTES, "--width", "120"]));
    assert!(plain.contains("✎4") && !plain.contains("“Gorbachev”"));
}

#[test]
fn annotations_of_another_text_are_an_error() {
    let (code, _, err) = run(compare(&PAIR, &["--annotations", NOTES]));
    assert_eq!(code, 2);
    assert!(
        err.contains(NOTES) && err.contains("none of the witnesses"),
        "{err}"
    );
    let (code, _, err) = run(compare(
        &PAIR,
        &["--annotations", "annotations/missing.json"],
    ));
    assert_eq!(code, 2);
    assert!(err.contains("annotations/missing.json"), "{err}");
}

/// The options of what counts as a change apply to compare as to diff: with `--fold-kanji` the
/// pre-war edition of the 1956 declaration lines up with the ministry's with its old kanji
/// (國, 會, 關) no longer marked as changes.
#[test]
fn fold_kanji_applies_to_the_table() {
    let files = [
        "texts/joint-declaration-1956.ja.txt",
        "texts/joint-declaration-1956.ja.kyujitai.txt",
    ];
    let row = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        let (code, stdout, stderr) = run(compare(&files, &args));
        assert_eq!(code, 1, "{stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["cells"][0]["paragraphs"][0]["id"] == "p20")
            .cloned()
            .expect("a row of p20")
    };
    let deleted = |r: &serde_json::Value| -> Vec<String> {
        r["cells"][0]["paragraphs"][0]["runs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|run| run["op"] == "delete")
            .map(|run| run["text"].as_str().unwrap().to_string())
            .collect()
    };
    let (plain, folded) = (row(&[]), row(&["--fold-kanji"]));
    assert!(deleted(&plain).contains(&"国".to_string()), "{plain}");
    assert_eq!(deleted(&folded), [",", ",", "だ"], "{folded}");
    assert!(folded["similarity"].as_f64().unwrap() > 0.99, "{folded}");
    assert!(plain["similarity"].as_f64().unwrap() < 0.95, "{plain}");
}
