//! End-to-end tests of `collate diff` over the real versions in `texts/`: every format (inline,
//! side-by-side, json, stat) as snapshots, the Irkutsk Japanese editions by character and the
//! 1956 Russian editions by word, exit codes, colour on pipes and with NO_COLOR, narrow widths.

mod common;

use common::{ROOT, collate, run, settings};
use insta_cmd::assert_cmd_snapshot;

const JA_OLD: &str = "texts/irkutsk-statement-2001.ja.txt";
const JA_NEW: &str = "texts/irkutsk-statement-2001.ja.v2.txt";
const RU_OLD: &str = "texts/joint-declaration-1956.ru.txt";
const RU_NEW: &str = "texts/joint-declaration-1956.ru.v2.txt";
const FORMATS: [&str; 4] = ["inline", "side-by-side", "json", "stat"];

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let (code, stdout, stderr) = run(collate(&all));
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    serde_json::from_str(&stdout).expect("valid JSON")
}

#[test]
fn irkutsk_japanese_every_format() {
    settings().bind(|| {
        for format in FORMATS {
            assert_cmd_snapshot!(
                format!("irkutsk_ja_{format}"),
                collate(&["diff", JA_OLD, JA_NEW, "--format", format])
            );
        }
    });
}

#[test]
fn declaration_1956_russian_every_format() {
    settings().bind(|| {
        for format in FORMATS {
            assert_cmd_snapshot!(
                format!("declaration_1956_ru_{format}"),
                collate(&["diff", RU_OLD, RU_NEW, "--format", format])
            );
        }
    });
}

#[test]
fn irkutsk_shows_the_missing_paragraph_and_the_character_change() {
    let v = json(&[JA_OLD, JA_NEW]);
    let changes = v["changes"].as_array().unwrap();
    // The Kantei text's first paragraph after the title (森…会談した。) is missing in v2.
    let deleted: Vec<&serde_json::Value> = changes
        .iter()
        .filter(|c| c["status"] == "deleted")
        .collect();
    assert_eq!(deleted[0]["ids"], serde_json::json!([["p2"], []]));
    assert!(
        deleted[0]["ops"][0]["old_text"]
            .as_str()
            .unwrap()
            .starts_with("森喜朗")
    );
    // 確認 became 確信: one character replaced, found by character.
    let edited: Vec<&serde_json::Value> =
        changes.iter().filter(|c| c["status"] == "edited").collect();
    assert_eq!(edited.len(), 1);
    assert_eq!(edited[0]["by"], "char");
    let replaced: Vec<(&str, &str)> = edited[0]["ops"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|op| op["op"] == "replace")
        .map(|op| {
            (
                op["old_text"].as_str().unwrap(),
                op["new_text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(replaced, [("認", "信")]);
    let (_, inline, _) = run(collate(&["diff", JA_OLD, JA_NEW]));
    assert!(inline.contains("確[-認-]{+信+}に基づき"), "{inline}");
}

#[test]
fn declaration_1956_is_diffed_by_word() {
    let v = json(&[RU_OLD, RU_NEW]);
    let p2 = &v["changes"][1];
    assert_eq!(p2["by"], "word");
    let ops: Vec<(&str, &str)> = p2["ops"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|op| op["op"] != "equal")
        .map(|op| {
            (
                op["old_text"].as_str().unwrap_or(""),
                op["new_text"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(ops, [("г.", "года")]);
    // Case differences vanish with --ignore-case: the title and "Со Стороны" become unchanged.
    let v = json(&[RU_OLD, RU_NEW, "--ignore-case"]);
    assert_eq!(v["changes"][0]["status"], "unchanged");
    assert_eq!(v["changes"][2]["status"], "unchanged");
}

#[test]
fn by_overrides_the_unit() {
    let v = json(&[RU_OLD, RU_NEW, "--by", "char"]);
    assert!(
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["by"] == "char")
    );
    let v = json(&[JA_OLD, JA_NEW, "--by", "word"]);
    assert_eq!(v["options"]["by"], "word");
    assert!(
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["by"] == "word")
    );
}

#[test]
fn exit_codes_same_different_trouble() {
    // The same words with different line breaks and paragraphing: the same after normalisation.
    let hardwrap = "texts/irkutsk-statement-2001.ru.hardwrap.txt";
    let (code, out, _) = run(collate(&[
        "diff",
        "texts/irkutsk-statement-2001.ru.txt",
        hardwrap,
        "--format",
        "stat",
    ]));
    assert_eq!(code, 0, "{out}");
    // … but not when whitespace counts.
    let (code, _, _) = run(collate(&[
        "diff",
        "texts/irkutsk-statement-2001.ru.txt",
        hardwrap,
        "--no-ignore-whitespace",
        "--format",
        "stat",
    ]));
    assert_eq!(code, 1);
    let (code, _, _) = run(collate(&["diff", JA_OLD, JA_OLD]));
    assert_eq!(code, 0);
    let (code, _, _) = run(collate(&["diff", JA_OLD, JA_NEW]));
    assert_eq!(code, 1);
    let (code, _, stderr) = run(collate(&["diff", JA_OLD, "texts/no-such-file.txt"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("texts/no-such-file.txt"), "{stderr}");
}

#[test]
fn every_format_on_a_pipe_with_no_color_and_at_width_40() {
    for format in FORMATS {
        for (old, new) in [(JA_OLD, JA_NEW), (RU_OLD, RU_NEW)] {
            let args = ["diff", old, new, "--format", format];
            let (_, piped, _) = run(collate(&args));
            assert!(!piped.contains('\u{1b}'), "{format}: a pipe gets no colour");
            let mut forced = args.to_vec();
            forced.extend(["--color", "always"]);
            let (_, coloured, _) = run(collate(&forced));
            if format != "json" {
                assert!(coloured.contains('\u{1b}'), "{format}: --color always");
            }
            let mut cmd = collate(&forced);
            cmd.env("NO_COLOR", "1");
            let (_, no_color, _) = run(cmd);
            assert_eq!(no_color, piped, "{format}: NO_COLOR wins");
            let mut narrow = args.to_vec();
            narrow.extend(["--width", "40"]);
            let (code, out, _) = run(collate(&narrow));
            assert_eq!(code, 1);
            if format != "json" {
                for line in out.lines() {
                    let w = unicode_width::UnicodeWidthStr::width(line);
                    assert!(w <= 40, "{format} at 40 columns: {line:?} is {w}");
                }
            }
        }
    }
}

#[test]
fn narrow_snapshots() {
    settings().bind(|| {
        assert_cmd_snapshot!(
            "irkutsk_ja_side_by_side_40",
            collate(&[
                "diff",
                JA_OLD,
                JA_NEW,
                "--format",
                "side-by-side",
                "--width",
                "40"
            ])
        );
        assert_cmd_snapshot!(
            "declaration_1956_ru_inline_40",
            collate(&["diff", RU_OLD, RU_NEW, "--width", "40"])
        );
    });
}

#[test]
fn reports_for_people_hint_at_options_that_settle_changes() {
    // The v2 edition sets the title in capitals and writes "Со стороны" for "Со Стороны" twice:
    // --ignore-case settles those three.
    let hint = "collate: hint: 3 of the 6 changed paragraphs are the same with --ignore-case\n";
    for format in ["inline", "side-by-side", "stat"] {
        let (code, _, stderr) = run(collate(&["diff", RU_OLD, RU_NEW, "--format", format]));
        assert_eq!((code, stderr.as_str()), (1, hint), "{format}");
    }
    // With the option in use, those paragraphs are unchanged and nothing is hinted.
    let (code, stdout, stderr) = run(collate(&[
        "diff",
        RU_OLD,
        RU_NEW,
        "--format",
        "stat",
        "--ignore-case",
    ]));
    assert_eq!(code, 1);
    assert!(stdout.contains("unchanged     3"), "{stdout}");
    assert_eq!(stderr, "");
    // JSON and --quiet say nothing on stderr.
    for extra in [["--format", "json"], ["--quiet", "--format=inline"]] {
        let mut args = vec!["diff", RU_OLD, RU_NEW];
        args.extend(extra);
        let (code, _, stderr) = run(collate(&args));
        assert_eq!((code, stderr.as_str()), (1, ""), "{extra:?}");
    }
}

#[test]
fn context_shows_unchanged_neighbours() {
    let (_, folded, _) = run(collate(&["diff", JA_OLD, JA_NEW]));
    let (_, context, _) = run(collate(&["diff", JA_OLD, JA_NEW, "--context", "1"]));
    assert!(folded.contains("unchanged paragraph"));
    // With one paragraph of context, the paragraph before the 確認 change is shown in full.
    assert!(!folded.contains("北方四島の帰属"));
    assert!(context.contains("p4 → p3 unchanged"), "{context}");
    assert!(context.lines().count() > folded.lines().count());
}

#[test]
fn moved_paragraphs_are_reported_as_moves() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.txt");
    let new = dir.path().join("new.txt");
    std::fs::write(
        &old,
        "Article 1. The state of war between the two countries ends on the day this \
         declaration takes effect.\n\nArticle 2. Diplomatic and consular relations are \
         restored.\n\nArticle 3. The parties will settle disputes by peaceful means.\n\n\
         Article 4. Prisoners of war are released and repatriated.",
    )
    .unwrap();
    std::fs::write(
        &new,
        "Article 2. Diplomatic and consular relations are restored.\n\nArticle 3. The parties \
         will settle disputes by peaceful means.\n\nArticle 4. Prisoners of war are released \
         and repatriated.\n\nArticle 1. The state of war between the two countries shall end \
         on the day this declaration takes effect.",
    )
    .unwrap();
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let v = json(&[old, new]);
    assert_eq!(v["moves"][0]["ids"], serde_json::json!([["p1"], ["p4"]]));
    assert_eq!(
        v["alignment"]["moves"][0]["ids"],
        serde_json::json!([["p1"], ["p4"]])
    );
    let (_, inline, _) = run(collate(&["diff", old, new]));
    assert!(inline.contains("p1 moved to p4"), "{inline}");
    assert!(inline.contains("p4 moved from p1"), "{inline}");
    assert!(inline.contains("[-ends-]{+shall end+}"), "{inline}");
}

#[test]
fn help_has_examples() {
    settings().bind(|| {
        assert_cmd_snapshot!("diff_help", collate(&["diff", "--help"]));
    });
}

#[test]
fn a_translation_given_to_diff_is_diffed_with_a_hint_to_align_it() {
    let (code, stdout, stderr) = run(collate(&[
        "diff",
        "texts/joint-communique-1991.en.txt",
        "texts/joint-communique-1991.ja.txt",
        "--format",
        "stat",
    ]));
    assert_eq!(code, 1, "{stderr}");
    assert!(!stdout.is_empty());
    assert!(
        stderr.contains(
            "(en) and texts/joint-communique-1991.ja.txt (ja) are in different languages"
        ) && stderr.contains("collate compare"),
        "{stderr}"
    );
    // Versions in one language: no hint.
    let (_, _, stderr) = run(collate(&["diff", JA_OLD, JA_NEW, "--format", "stat"]));
    assert!(!stderr.contains("different languages"), "{stderr}");
}

/// `-` reads a version from standard input: the diff is the one of the file, under the name
/// `-`; standard input is read once, and a second `-` is an error (exit 2).
#[test]
fn a_version_read_from_standard_input() {
    use std::io::Write;
    use std::process::Stdio;
    let (old, new) = (
        "texts/irkutsk-statement-2001.ja.txt",
        "texts/irkutsk-statement-2001.ja.v2.txt",
    );
    let piped = |args: &[&str]| {
        let mut child = collate(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("collate runs");
        let text = std::fs::read(std::path::Path::new(ROOT).join(old)).unwrap();
        child.stdin.take().unwrap().write_all(&text).unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, stdout, _) = piped(&["diff", "--format", "json", "-", new]);
    assert_eq!(code, Some(1));
    let mut from_stdin: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let from_file = json(&[old, new]);
    // The path is in the witnesses of the report and of its alignment.
    for witnesses in ["/witnesses/0/path", "/alignment/witnesses/0/path"] {
        let path = from_stdin.pointer_mut(witnesses).unwrap();
        assert_eq!(*path, "-");
        *path = serde_json::Value::from(old);
    }
    assert_eq!(from_stdin, from_file);

    let (code, stdout, stderr) = piped(&["diff", "-", "-"]);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("standard input can be read only once"),
        "{stderr}"
    );
}

/// `--fold-kanji` compares the old forms of kanji as their new ones: the pre-war edition of the
/// 1956 declaration (國, 會, 關, 權, 團) then differs from the ministry's only in punctuation and
/// one okurigana, where without it every old form is a change; the text shown stays as written.
#[test]
fn fold_kanji_compares_old_forms_as_new() {
    let (old, new) = (
        "texts/joint-declaration-1956.ja.txt",
        "texts/joint-declaration-1956.ja.kyujitai.txt",
    );
    let pair = |report: &serde_json::Value, ids: [&str; 2]| -> serde_json::Value {
        let wanted = serde_json::json!([[ids[0]], [ids[1]]]);
        report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["ids"] == wanted)
            .cloned()
            .unwrap_or_else(|| panic!("no change {ids:?}"))
    };
    let changed = |change: &serde_json::Value| -> Vec<String> {
        change["ops"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["op"] != "equal")
            .map(|o| o["old_text"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let plain = json(&[old, new]);
    let folded = json(&[old, new, "--fold-kanji"]);
    assert_eq!(folded["options"]["fold_kanji"], true);
    assert_eq!(plain["options"]["fold_kanji"], false);
    let (before, after) = (pair(&plain, ["p20", "p3"]), pair(&folded, ["p20", "p3"]));
    assert!(changed(&before).contains(&"国".to_string()), "{before}");
    assert_eq!(changed(&after), [",", ",", "だ"], "{after}");
    assert!(after["similarity"].as_f64().unwrap() > before["similarity"].as_f64().unwrap() + 0.05);
    assert_eq!(changed(&pair(&folded, ["p21", "p4"])), [","]);
}

/// `--fold-kanji` also reads the variant forms of names as the standard ones (髙橋 = 高橋,
/// 山﨑 = 山崎, 𠮷田 = 吉田); without it the hint names the option.
#[test]
fn fold_kanji_reads_variant_forms_of_names_as_standard() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.txt"), dir.path().join("new.txt"));
    std::fs::write(&old, "出席者：髙橋一郎、山﨑次郎、𠮷田三郎。\n\n以上。\n").unwrap();
    std::fs::write(&new, "出席者：高橋一郎、山崎次郎、吉田三郎。\n\n以上。\n").unwrap();
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let (code, _, stderr) = run(collate(&["diff", old, new, "--format", "stat"]));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "collate: hint: the changed paragraph is the same with --fold-kanji\n"
    );
    let (code, stdout, stderr) = run(collate(&["diff", old, new, "--fold-kanji"]));
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
}

/// A text repeated over and over (nothing in it is rare enough to anchor on): the diff of 300
/// copies of the Irkutsk editions is 300 times the diff of one — every count of the stat.
#[test]
fn a_text_repeated_many_times_diffs_as_its_copies() {
    let dir = tempfile::tempdir().unwrap();
    let copies = |name: &str| {
        let text = std::fs::read_to_string(std::path::Path::new(ROOT).join(name)).unwrap();
        let path = dir.path().join(name.replace('/', "_"));
        std::fs::write(&path, vec![text.trim_end(); 300].join("\n\n")).unwrap();
        path.to_str().unwrap().to_string()
    };
    let (old, new) = (copies(JA_OLD), copies(JA_NEW));
    let (one, many) = (json(&[JA_OLD, JA_NEW]), json(&[&old, &new]));
    for key in [
        "unchanged",
        "edited",
        "inserted",
        "deleted",
        "moved",
        "words_deleted",
    ] {
        let (x, y) = (one["stat"][key].as_u64(), many["stat"][key].as_u64());
        assert_eq!(y, x.map(|x| 300 * x), "{key}: {}", many["stat"]);
    }
    assert!(one["stat"]["deleted"].as_u64() > Some(0));
}

/// `--quiet` prints nothing; the exit status alone tells same (0), different (1), trouble (2).
#[test]
fn quiet_says_it_by_the_exit_status_alone() {
    let cases = [
        (
            [
                "texts/irkutsk-statement-2001.ru.txt",
                "texts/irkutsk-statement-2001.ru.hardwrap.txt",
            ],
            0,
        ),
        ([RU_OLD, RU_NEW], 1),
        ([RU_OLD, "texts/no-such-file.txt"], 2),
    ];
    for (files, expected) in cases {
        for quiet in ["-q", "--quiet"] {
            let (code, stdout, _) = run(collate(&["diff", quiet, files[0], files[1]]));
            assert_eq!(code, expected, "{files:?}");
            assert!(stdout.is_empty(), "{stdout}");
        }
    }
}
