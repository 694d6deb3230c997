//! End-to-end tests of `collate show` and of the CLI shell (help, version, errors, exit codes,
//! colour, broken pipes) over the real texts in `texts/`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::{collate, run, settings};
use insta_cmd::assert_cmd_snapshot;

#[test]
fn show_compendium_table() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&["show", "texts/compendium-1992-period6.en.txt"]));
    });
}

#[test]
fn show_compendium_ids_are_p1_to_p24() {
    let (code, stdout, _) = run(collate(&[
        "show",
        "texts/compendium-1992-period6.en.txt",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let paragraphs = json["paragraphs"].as_array().unwrap();
    let ids: Vec<&str> = paragraphs
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (1..=24).map(|n| format!("p{n}")).collect();
    assert_eq!(ids, expected);
    // Every paragraph's offsets point at its text in the file.
    let file = std::fs::read_to_string(format!(
        "{}/texts/compendium-1992-period6.en.txt",
        common::ROOT
    ))
    .unwrap();
    let chars: Vec<char> = file.chars().collect();
    for p in paragraphs {
        let text = p["text"].as_str().unwrap();
        let (bs, be) = (
            p["byte_start"].as_u64().unwrap() as usize,
            p["byte_end"].as_u64().unwrap() as usize,
        );
        let (cs, ce) = (
            p["char_start"].as_u64().unwrap() as usize,
            p["char_end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&file[bs..be], text);
        assert_eq!(chars[cs..ce].iter().collect::<String>(), text);
        assert!(p["line"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn show_japanese_json() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "show",
            "texts/joint-communique-1991.ja.txt",
            "--format",
            "json"
        ]));
    });
}

#[test]
fn show_japanese_table_narrow() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "show",
            "texts/joint-declaration-1956.ja.txt",
            "--width",
            "40"
        ]));
    });
}

#[test]
fn show_explicit_ids() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&["show", "tests/fixtures/explicit-ids.txt"]));
    });
}

#[test]
fn show_legacy_encodings() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "show",
            "tests/fixtures/communique.sjis.txt",
            "--encoding",
            "Shift_JIS",
            "--format",
            "json"
        ]));
    });
    // windows-1251 and UTF-16LE decode to exactly the text of the UTF-8 original.
    let (_, original, _) = run(collate(&[
        "show",
        "texts/joint-communique-1991.ru.txt",
        "--format",
        "json",
    ]));
    let texts = |s: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["text"].as_str().unwrap().to_string())
            .collect()
    };
    let (code, cp1251, _) = run(collate(&[
        "show",
        "tests/fixtures/communique.cp1251.txt",
        "--encoding",
        "windows-1251",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    assert_eq!(texts(&cp1251), texts(&original));
    let (code, utf16, _) = run(collate(&[
        "show",
        "tests/fixtures/communique.utf16le.txt",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    assert_eq!(texts(&utf16), texts(&original));
}

#[test]
fn errors_are_one_line_and_exit_2() {
    settings().bind(|| {
        assert_cmd_snapshot!("missing_file", collate(&["show", "texts/no-such-file.txt"]));
        assert_cmd_snapshot!("directory", collate(&["show", "texts"]));
        assert_cmd_snapshot!(
            "invalid_utf8",
            collate(&["show", "tests/fixtures/invalid-utf8.txt"])
        );
        assert_cmd_snapshot!("binary", collate(&["show", "tests/fixtures/binary.bin"]));
        assert_cmd_snapshot!(
            "duplicate_ids",
            collate(&["show", "tests/fixtures/duplicate-ids.txt"])
        );
        assert_cmd_snapshot!(
            "unknown_encoding",
            collate(&[
                "show",
                "texts/joint-communique-1991.ru.txt",
                "--encoding",
                "klingon"
            ])
        );
        assert_cmd_snapshot!("bad_usage", collate(&["show"]));
    });
}

#[test]
fn help_and_version() {
    settings().bind(|| {
        assert_cmd_snapshot!("help", collate(&["--help"]));
        assert_cmd_snapshot!("show_help", collate(&["show", "--help"]));
        assert_cmd_snapshot!("version", collate(&["--version"]));
    });
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let file = "texts/joint-communique-1991.en.txt";
    let (_, piped, _) = run(collate(&["show", file]));
    assert!(!piped.contains('\u{1b}'), "a pipe gets no colour");
    let (_, forced, _) = run(collate(&["show", file, "--color", "always"]));
    assert!(forced.contains('\u{1b}'), "--color always colours");
    let mut cmd = collate(&["show", file, "--color", "always"]);
    cmd.env("NO_COLOR", "1");
    let (_, no_color, _) = run(cmd);
    assert!(!no_color.contains('\u{1b}'), "NO_COLOR wins");
    assert_eq!(no_color, piped);
}

#[test]
fn broken_pipe_exits_quietly_with_0() {
    // A file large enough that the output overflows the pipe buffer after the reader has gone.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    let body: String = (0..20_000)
        .map(|i| format!("Paragraph number {i} of a long document.\n\n"))
        .collect();
    std::fs::write(&path, body).unwrap();
    let mut child = collate(&["show", path.to_str().unwrap(), "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe closes while collate is still writing.
    let out = child.wait_with_output().unwrap();
    assert_eq!(first.trim(), "{");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn every_text_in_texts_loads_and_has_paragraphs() {
    for entry in std::fs::read_dir(format!("{}/texts", common::ROOT)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let (code, stdout, stderr) = run(collate(&[
                "show",
                path.to_str().unwrap(),
                "--format",
                "json",
            ]));
            assert_eq!(code, 0, "{}: {stderr}", path.display());
            let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert!(
                !v["paragraphs"].as_array().unwrap().is_empty(),
                "{}",
                path.display()
            );
        }
    }
}

/// A legacy file read without `--encoding` is an error (exit 2) that names the encoding it
/// reads as, and nothing on standard output.
#[test]
fn a_legacy_file_without_encoding_names_the_encoding_it_reads_as() {
    for (file, encoding) in [
        ("tests/fixtures/communique.sjis.txt", "Shift_JIS"),
        ("tests/fixtures/communique.cp1251.txt", "windows-1251"),
    ] {
        let (code, stdout, stderr) = run(collate(&["show", file]));
        assert_eq!(code, 2, "{file}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(
            stderr.contains(&format!(
                "it reads as {encoding}: pass --encoding {encoding}"
            )),
            "{stderr}"
        );
    }
}
