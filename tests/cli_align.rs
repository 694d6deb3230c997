//! End-to-end tests of `collate align` over the real texts in `texts/`: the three-column
//! tables of the 1991 communique and the Irkutsk statement, the JSON contract, TSV and ladder
//! outputs, order independence, mode and language choice, the user dictionary, and errors.

mod common;

use common::{collate, run, settings};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

const COMMUNIQUE: [&str; 3] = [
    "texts/joint-communique-1991.en.txt",
    "texts/joint-communique-1991.ru.txt",
    "texts/joint-communique-1991.ja.txt",
];

const IRKUTSK: [&str; 3] = [
    "texts/irkutsk-statement-2001.en.txt",
    "texts/irkutsk-statement-2001.ru.txt",
    "texts/irkutsk-statement-2001.ja.txt",
];

fn args<'a>(files: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["align"];
    all.extend_from_slice(files);
    all.extend_from_slice(extra);
    all
}

/// Runs `collate align … --format json` and parses the report.
fn json(files: &[&str], extra: &[&str]) -> Value {
    let mut a = args(files, &["--format", "json"]);
    a.extend_from_slice(extra);
    let (code, stdout, stderr) = run(collate(&a));
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("valid JSON")
}

/// The beads of a report as lists of IDs per witness.
fn beads(report: &Value) -> Vec<Vec<Vec<String>>> {
    report["beads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            b["ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|ids| {
                    ids.as_array()
                        .unwrap()
                        .iter()
                        .map(|id| id.as_str().unwrap().to_string())
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[test]
fn communique_three_languages_table() {
    settings().bind(|| assert_cmd_snapshot!(collate(&args(&COMMUNIQUE, &[]))));
}

#[test]
fn irkutsk_three_languages_table() {
    settings().bind(|| assert_cmd_snapshot!(collate(&args(&IRKUTSK, &["--width", "120"]))));
}

#[test]
fn communique_json() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&args(&COMMUNIQUE, &["--format", "json"])));
    });
}

#[test]
fn communique_tsv() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&args(&COMMUNIQUE, &["--format", "tsv"])));
    });
}

#[test]
fn communique_ladder() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&args(&COMMUNIQUE, &["--format", "ladder"])));
    });
}

#[test]
fn communique_is_aligned_item_by_item() {
    // The Russian text is an excerpt (items 1 and 2), the Japanese one has items 1 to 3, the
    // English page two headings before the communique's title.
    let report = json(&COMMUNIQUE, &[]);
    let expected: Vec<Vec<Vec<&str>>> = vec![
        vec![vec!["p1"], vec![], vec![]],
        vec![vec!["p2"], vec![], vec![]],
        vec![vec!["p3"], vec!["p1"], vec!["p1"]],
        vec![vec!["p4"], vec!["p2"], vec!["p2"]],
        vec![vec!["p5"], vec!["p3"], vec!["p3"]],
        vec![vec!["p6"], vec![], vec!["p4"]],
    ];
    assert_eq!(beads(&report), expected);
    let languages: Vec<&str> = report["witnesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages, ["en", "ru", "ja"]);
}

#[test]
fn json_contract_covers_every_paragraph_once_in_order() {
    for files in [&COMMUNIQUE, &IRKUTSK] {
        let report = json(files, &[]);
        assert_eq!(report["version"], 1);
        let witnesses = report["witnesses"].as_array().unwrap();
        let all = beads(&report);
        for (w, witness) in witnesses.iter().enumerate() {
            let seen: Vec<String> = all.iter().flat_map(|b| b[w].clone()).collect();
            let n = witness["paragraphs"].as_u64().unwrap() as usize;
            let expected: Vec<String> = (1..=n).map(|k| format!("p{k}")).collect();
            assert_eq!(seen, expected, "{}", witness["path"]);
        }
        for bead in report["beads"].as_array().unwrap() {
            let confidence = bead["confidence"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&confidence));
            let kind: Vec<usize> = bead["ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|ids| ids.as_array().unwrap().len())
                .collect();
            let kind: Vec<String> = kind.iter().map(ToString::to_string).collect();
            assert_eq!(bead["kind"], kind.join("-"));
        }
        assert!(report["moves"].as_array().unwrap().is_empty());
    }
}

#[test]
fn order_of_witnesses_does_not_change_the_beads() {
    for files in [COMMUNIQUE, IRKUTSK] {
        let abc = beads(&json(&files, &[]));
        let cab = beads(&json(&[files[2], files[0], files[1]], &[]));
        let bca = beads(&json(&[files[1], files[2], files[0]], &[]));
        // Put the columns back in A, B, C order.
        let from_cab: Vec<Vec<Vec<String>>> = cab
            .into_iter()
            .map(|b| vec![b[1].clone(), b[2].clone(), b[0].clone()])
            .collect();
        let from_bca: Vec<Vec<Vec<String>>> = bca
            .into_iter()
            .map(|b| vec![b[2].clone(), b[0].clone(), b[1].clone()])
            .collect();
        assert_eq!(abc, from_cab, "{files:?}");
        assert_eq!(abc, from_bca, "{files:?}");
    }
}

#[test]
fn two_translations_and_reversed_pairs_mirror_each_other() {
    let en_ja = beads(&json(&[COMMUNIQUE[0], COMMUNIQUE[2]], &[]));
    let ja_en = beads(&json(&[COMMUNIQUE[2], COMMUNIQUE[0]], &[]));
    let mirrored: Vec<Vec<Vec<String>>> = ja_en
        .into_iter()
        .map(|b| vec![b[1].clone(), b[0].clone()])
        .collect();
    assert_eq!(en_ja, mirrored);
}

#[test]
fn versions_go_to_the_version_aligner_and_translations_to_the_translation_aligner() {
    // Two editions of the Japanese Irkutsk statement: versions, scored by similarity.
    let versions = json(
        &[
            "texts/irkutsk-statement-2001.ja.txt",
            "texts/irkutsk-statement-2001.ja.v2.txt",
        ],
        &[],
    );
    let first = &versions["beads"][0];
    assert!(first.get("confidence").is_none(), "{first}");
    // English and Japanese: translations, with a confidence per bead.
    let translation = json(&[IRKUTSK[0], IRKUTSK[2]], &[]);
    assert!(translation["beads"][0].get("confidence").is_some());
    // --mode forces the aligner.
    let forced = json(
        &[
            "texts/irkutsk-statement-2001.ja.txt",
            "texts/irkutsk-statement-2001.ja.v2.txt",
        ],
        &["--mode", "translation"],
    );
    assert!(forced["beads"][0].get("confidence").is_some());
}

#[test]
fn lang_overrides_detection() {
    let report = json(&[COMMUNIQUE[0], COMMUNIQUE[1]], &["--lang", "en,uk"]);
    assert_eq!(report["witnesses"][1]["language"], "uk");
    let report = json(&[COMMUNIQUE[0], COMMUNIQUE[1]], &["--lang", "auto,ru"]);
    assert_eq!(report["witnesses"][0]["language"], "en");
}

#[test]
fn bad_lang_is_an_error() {
    let (code, _, stderr) = run(collate(&args(&COMMUNIQUE, &["--lang", "en,ru"])));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--lang gives 2 languages for 3 witnesses"),
        "{stderr}"
    );
    let (code, _, stderr) = run(collate(&args(&COMMUNIQUE[..2], &["--lang", "english"])));
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a language code"), "{stderr}");
}

#[test]
fn dictionary_entries_become_reasons() {
    let report = json(
        &[COMMUNIQUE[0], COMMUNIQUE[2]],
        &["--dict", "tests/fixtures/communique-names.tsv"],
    );
    let reasons: Vec<String> = report["beads"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["reasons"].as_array().cloned().unwrap_or_default())
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    assert!(
        reasons.iter().any(|r| r.starts_with("dict:")),
        "{reasons:?}"
    );
}

#[test]
fn bad_dictionary_names_file_and_line() {
    let (code, _, stderr) = run(collate(&args(
        &COMMUNIQUE[..2],
        &["--dict", "tests/fixtures/bad-dictionary.tsv"],
    )));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("tests/fixtures/bad-dictionary.tsv:2:1:"),
        "{stderr}"
    );
}

#[test]
fn one_witness_is_a_usage_error() {
    let (code, _, stderr) = run(collate(&["align", COMMUNIQUE[0]]));
    assert_eq!(code, 2);
    assert!(stderr.contains("FILE"), "{stderr}");
}

#[test]
fn missing_witness_names_the_file() {
    let (code, _, stderr) = run(collate(&["align", COMMUNIQUE[0], "texts/none.txt"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("texts/none.txt: no such file"), "{stderr}");
}

#[test]
fn align_help() {
    settings().bind(|| assert_cmd_snapshot!(collate(&["align", "--help"])));
}
