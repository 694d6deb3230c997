//! W3C Web Annotation export and import: every export validates against a JSON Schema of the
//! Web Annotation model (`tests/w3c-annotation.schema.json`), and export → import gives back
//! the same file, byte for byte — provenance, conflict marks and UTF-16 offsets included. Also
//! STAM export, and import of annotations made by another tool (Hypothesis style).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{ROOT, collate, run};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

/// Snapshot settings: snapshots in `snapshots/`, the version filtered out. (Like
/// `common::settings`, with the dots of the version escaped, so that annotation IDs such as
/// `…8000-1000…` are not mistaken for the version `0.1.0`.)
fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(std::path::Path::new(ROOT).join("snapshots"));
    s.add_filter(&env!("CARGO_PKG_VERSION").replace('.', "\\."), "[VERSION]");
    s
}

fn schema() -> jsonschema::Validator {
    let text =
        fs::read_to_string(Path::new(ROOT).join("tests/w3c-annotation.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

fn assert_w3c(json: &str, what: &str) -> Value {
    let value: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
    let errors: Vec<String> = schema()
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not a W3C Web Annotation collection:\n{}",
        errors.join("\n")
    );
    value
}

/// The schema is not a rubber stamp: it rejects what the model forbids.
#[test]
fn the_schema_rejects_broken_annotations() {
    let bad = [
        r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation"}"#,
        r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Note", "target": "urn:t"}"#,
        r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation", "target": {"source": "urn:t", "selector": {"type": "TextPositionSelector", "start": -1, "end": 3}}}"#,
        r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation", "target": {"source": "urn:t", "selector": {"type": "TextQuoteSelector", "prefix": "a"}}}"#,
        r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation", "target": "urn:t", "created": "yesterday"}"#,
        r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation", "target": "urn:t", "motivation": "liking"}"#,
        r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation", "target": "urn:t", "body": {"type": "TextualBody"}}"#,
        r#"{"@context": "http://example.org/other", "id": "urn:x:1", "type": "Annotation", "target": "urn:t"}"#,
    ];
    let good = r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation", "target": {"source": "urn:t", "selector": {"type": "FragmentSelector", "value": "p1", "refinedBy": {"type": "TextQuoteSelector", "exact": "a"}}}}"#;
    let v = schema();
    assert!(v.is_valid(&serde_json::from_str(good).unwrap()));
    for b in bad {
        assert!(
            !v.is_valid(&serde_json::from_str(b).unwrap()),
            "accepted: {b}"
        );
    }
}

fn annotation_files() -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(Path::new(ROOT).join("annotations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .map(|n| format!("annotations/{n}"))
        .collect();
    files.sort();
    files
}

#[test]
fn exports_validate_against_the_w3c_schema() {
    for file in annotation_files() {
        for offsets in ["chars", "utf16"] {
            let (code, stdout, stderr) = run(collate(&[
                "annotate",
                "export",
                &file,
                "--format",
                "w3c",
                "--offsets",
                offsets,
            ]));
            assert_eq!(code, 0, "{file}: {stderr}");
            let v = assert_w3c(&stdout, &file);
            let items = v["first"]["items"].as_array().unwrap();
            assert_eq!(v["total"].as_u64().unwrap() as usize, items.len());
            assert!(!items.is_empty());
        }
    }
}

#[test]
fn export_w3c_snapshot() {
    settings().bind(|| {
        assert_cmd_snapshot!(collate(&[
            "annotate",
            "export",
            "annotations/joint-communique-1991.en.json",
            "--format",
            "w3c"
        ]));
    });
}

/// A scratch copy of the project layout (annotations/ beside texts/), so that imported files
/// name their text by the same relative path as the originals.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["texts", "annotations", "tests/fixtures/annotate"] {
            fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        for entry in fs::read_dir(Path::new(ROOT).join("texts")).unwrap() {
            let p = entry.unwrap().path();
            fs::copy(&p, dir.path().join("texts").join(p.file_name().unwrap())).unwrap();
        }
        for name in ["islands.txt", "astral.txt"] {
            fs::copy(
                Path::new(ROOT).join("tests/fixtures/annotate").join(name),
                dir.path().join("tests/fixtures/annotate").join(name),
            )
            .unwrap();
        }
        Self { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Exports `file` (an annotation file inside the scratch tree) as W3C with the given offset
    /// unit and imports it back next to it; returns (exported JSON, re-imported bytes).
    fn round_trip(&self, file: &str, offsets: &str) -> (String, String) {
        self.exchange(file, "w3c", &["--offsets", offsets])
    }

    /// Writes another tool's `input` beside `out` and imports it in `format` onto `text` (more
    /// arguments after), into `out` (paths inside the scratch tree); returns (exit code,
    /// stderr).
    fn import_foreign(
        &self,
        input: &Value,
        format: &str,
        text: &str,
        more: &[&str],
        out: &str,
    ) -> (i32, String) {
        let file = self.path(&format!("{out}.input.json"));
        fs::write(&file, serde_json::to_string_pretty(input).unwrap()).unwrap();
        let (text, out) = (self.path(text), self.path(out));
        let mut args = vec![
            "annotate",
            "import",
            file.to_str().unwrap(),
            "--format",
            format,
        ];
        args.extend(["--text", text.to_str().unwrap()]);
        args.extend(more);
        args.extend(["-o", out.to_str().unwrap()]);
        let (code, _, stderr) = run(collate(&args));
        (code, stderr)
    }

    /// Exports `file` in `format` (with more export arguments) and imports it back next to it,
    /// the text found through what the export names; returns (exported, re-imported bytes).
    fn exchange(&self, file: &str, format: &str, more: &[&str]) -> (String, String) {
        let exported = self.path(&format!("{file}.{format}.export.json"));
        let back = self.path(&format!("{file}.{format}.back.json"));
        let source = self.path(file);
        let mut export = vec!["annotate", "export", source.to_str().unwrap()];
        export.extend(["--format", format]);
        export.extend(more);
        export.extend(["-o", exported.to_str().unwrap()]);
        let (code, _, stderr) = run(collate(&export));
        assert_eq!(code, 0, "{stderr}");
        let (code, _, stderr) = run(collate(&[
            "annotate",
            "import",
            exported.to_str().unwrap(),
            "--format",
            format,
            "-o",
            back.to_str().unwrap(),
        ]));
        assert_eq!(code, 0, "{stderr}");
        (
            fs::read_to_string(exported).unwrap(),
            fs::read_to_string(back).unwrap(),
        )
    }
}

/// Every shipped annotation file, and files made by migrate, project and merge (provenance,
/// fuzzy scores, conflict marks), come back byte for byte from W3C (both offset units) and from
/// STAM.
#[test]
fn export_then_import_gives_back_the_same_file() {
    let s = Scratch::new();
    let mut files = annotation_files();
    // Files with provenance, fuzzy scores and conflict marks, made by migrate, project and merge.
    let made: [(&str, &[&str]); 3] = [
        (
            "annotations/migrated.json",
            &[
                "annotate",
                "migrate",
                "annotations/irkutsk-statement-2001.ja.json",
                "--to",
                "texts/irkutsk-statement-2001.ja.v2.txt",
            ],
        ),
        (
            "annotations/projected.json",
            &[
                "annotate",
                "project",
                "annotations/joint-communique-1991.en.json",
                "--to",
                "texts/joint-communique-1991.ja.txt",
            ],
        ),
        (
            "tests/fixtures/annotate/merged.json",
            &[
                "annotate",
                "merge",
                "tests/fixtures/annotate/merge-ours.json",
                "tests/fixtures/annotate/merge-theirs.json",
                "--base",
                "tests/fixtures/annotate/merge-base.json",
            ],
        ),
    ];
    for file in &files {
        fs::copy(Path::new(ROOT).join(file), s.path(file)).unwrap();
    }
    for (out, args) in made {
        let mut args = args.to_vec();
        let target = s.path(out);
        args.extend(["-o", target.to_str().unwrap()]);
        let (code, _, stderr) = run(collate(&args));
        assert!(code <= 1, "{stderr}");
        files.push(out.to_string());
    }
    for file in &files {
        let original = fs::read_to_string(s.path(file)).unwrap();
        for offsets in ["chars", "utf16"] {
            let (exported, back) = s.round_trip(file, offsets);
            assert_w3c(&exported, file);
            assert_eq!(
                back, original,
                "{file} with {offsets} offsets did not survive export and import"
            );
        }
        assert_eq!(
            s.exchange(file, "stam", &[]).1,
            original,
            "{file} did not survive STAM export and import"
        );
    }
    let merged = fs::read_to_string(s.path("tests/fixtures/annotate/merged.json")).unwrap();
    assert!(
        merged.contains("\"conflict\""),
        "the round trip covered conflict marks"
    );
    assert!(
        fs::read_to_string(s.path("annotations/migrated.json"))
            .unwrap()
            .contains("\"score\"")
    );
}

/// UTF-16 offsets differ from code points after an astral character: the export counts like
/// JavaScript does, and the import converts back.
#[test]
fn utf16_offsets_count_like_javascript() {
    let s = Scratch::new();
    let file = "tests/fixtures/annotate/astral.json";
    let text = "tests/fixtures/annotate/astral.txt";
    let add = |para: &str, quote: &str| {
        let mut cmd = collate(&[
            "annotate", "add", text, "--para", para, "--quote", quote, "-o", file,
        ]);
        cmd.current_dir(s.dir.path());
        assert_eq!(run(cmd).0, 0);
    };
    add("p1", "Habomai");
    add("p2", "Shikotan");
    let (exported, back) = s.round_trip(file, "utf16");
    assert_eq!(back, fs::read_to_string(s.path(file)).unwrap());
    let v = assert_w3c(&exported, file);
    let paragraph = "The name 𠮷野家 and 𝔘𝔫𝔦 precede Habomai here.";
    let js_start =
        paragraph.encode_utf16().count() - " here.".encode_utf16().count() - "Habomai".len();
    let chars_start = paragraph.chars().count() - " here.".len() - "Habomai".len();
    assert_ne!(js_start, chars_start);
    let item = v["first"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["target"]["selector"]["value"] == "p1")
        .unwrap();
    let position = &item["target"]["selector"]["refinedBy"][0];
    assert_eq!(position["type"], "TextPositionSelector");
    assert_eq!(position["start"].as_u64().unwrap() as usize, js_start);
    assert_eq!(v["collate:offsets"], "utf16");
}

/// An annotation made by another tool, addressing the whole text with UTF-16 offsets and a
/// quote, lands on its paragraph with char offsets.
#[test]
fn imports_whole_text_selectors_from_other_tools() {
    let s = Scratch::new();
    let astral = "tests/fixtures/annotate/astral.txt";
    let content = fs::read_to_string(s.path(astral)).unwrap();
    let start_units = content.encode_utf16().count() - "Shikotan.\n".encode_utf16().count();
    let foreign = serde_json::json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/AbC123",
        "type": "Annotation",
        "creator": "acct:someone@hypothes.is",
        "created": "2020-01-01T00:00:00Z",
        "body": {"type": "TextualBody", "value": "an island", "purpose": "commenting"},
        "target": {"source": "file:///astral.txt", "selector": [
            {"type": "TextPositionSelector", "start": start_units, "end": start_units + 8},
            {"type": "TextQuoteSelector", "exact": "Shikotan", "prefix": "paragraph names ", "suffix": "."}
        ]}
    });
    let out = "tests/fixtures/annotate/foreign.json";
    let (code, stderr) = s.import_foreign(&foreign, "w3c", astral, &["--offsets", "utf16"], out);
    let out = s.path(out);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    let a = &v["annotations"][0];
    assert_eq!(a["target"]["paragraph"], "p2");
    assert_eq!(a["target"]["quote"]["exact"], "Shikotan");
    assert_eq!(
        a["target"]["start"], 25,
        "char offset: the emoji is one char, two UTF-16 units"
    );
    assert_eq!(a["body"]["note"], "an island");
    assert_eq!(a["provenance"]["id"], "https://hypothes.is/a/AbC123");
    let (code, stdout, _) = run(collate(&["annotate", "validate", out.to_str().unwrap()]));
    assert_eq!(code, 0, "{stdout}");
}

/// STAM: the user annotation's offsets, relative to its paragraph's annotation, select the
/// quote in the text resource.
#[test]
fn stam_export_points_at_the_quotes() {
    let (code, stdout, stderr) = run(collate(&[
        "annotate",
        "export",
        "annotations/irkutsk-statement-2001.ja.json",
        "--format",
        "stam",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let store: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(store["@type"], "AnnotationStore");
    let text: Vec<char> = store["resources"][0]["text"]
        .as_str()
        .unwrap()
        .chars()
        .collect();
    let anns = store["annotations"].as_array().unwrap();
    let file: Value = serde_json::from_str(
        &fs::read_to_string(Path::new(ROOT).join("annotations/irkutsk-statement-2001.ja.json"))
            .unwrap(),
    )
    .unwrap();
    let mut checked = 0;
    for a in file["annotations"].as_array().unwrap() {
        let Some(exact) = a["target"]["quote"]["exact"].as_str() else {
            continue;
        };
        let user = anns.iter().find(|x| x["@id"] == a["id"]).unwrap();
        let para = anns
            .iter()
            .find(|x| x["@id"] == user["target"]["annotation"])
            .unwrap();
        let base = para["target"]["offset"]["begin"]["value"].as_u64().unwrap() as usize;
        let cursor = |k: &str| user["target"]["offset"][k]["value"].as_u64().unwrap() as usize;
        assert_eq!(
            text[base + cursor("begin")..base + cursor("end")]
                .iter()
                .collect::<String>(),
            exact
        );
        checked += 1;
    }
    assert_eq!(checked, 9);
}

/// A STAM store made by another tool over a text of `texts/`: its annotation on a name lands on
/// the paragraph with the quote, its note taken from a foreign data set; one that spans two
/// paragraphs is listed on stderr and left out (exit 1); the file made is valid.
#[test]
fn imports_a_stam_store_from_another_tool() {
    let s = Scratch::new();
    let text = "texts/joint-communique-1991.en.txt";
    let content = fs::read_to_string(s.path(text)).unwrap();
    let chars = |needle: &str| content[..content.find(needle).unwrap()].chars().count();
    let name = chars("Gorbachev of the Union of Soviet Socialist Republics paid");
    let across = chars("1. Japanese-Soviet Joint Communique");
    let selector = |begin: usize, end: usize| {
        serde_json::json!({"@type": "TextSelector", "resource": "communique", "offset": {
            "@type": "Offset",
            "begin": {"@type": "BeginAlignedCursor", "value": begin},
            "end": {"@type": "BeginAlignedCursor", "value": end}}})
    };
    let store = serde_json::json!({
        "@type": "AnnotationStore",
        "@id": "from-another-tool",
        "resources": [{"@type": "TextResource", "@id": "communique", "text": content}],
        "annotationsets": [{"@type": "AnnotationDataSet", "@id": "ner",
            "keys": [{"@type": "DataKey", "@id": "entity"}],
            "data": [{"@type": "AnnotationData", "@id": "per", "key": "entity",
                      "value": {"@type": "String", "value": "PER"}}]}],
        "annotations": [
            {"@type": "Annotation", "@id": "gorbachev", "target": selector(name, name + 9),
             "data": [{"@id": "per", "set": "ner"}]},
            {"@type": "Annotation", "@id": "across", "target": selector(across - 3, across + 5)}
        ]
    });
    let (code, stderr) = s.import_foreign(&store, "stam", text, &[], "annotations/from-stam.json");
    let output = s.path("annotations/from-stam.json");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("left out across: text") && stderr.contains("not inside one paragraph"),
        "{stderr}"
    );
    assert!(stderr.contains("imported 1 annotations"), "{stderr}");
    let file: Value = serde_json::from_str(&fs::read_to_string(&output).unwrap()).unwrap();
    let a = &file["annotations"][0];
    assert_eq!(a["target"]["paragraph"], "p4");
    assert_eq!(a["target"]["quote"]["exact"], "Gorbachev");
    assert_eq!(a["body"]["note"], "entity: PER");
    assert_eq!(a["provenance"]["id"], "gorbachev");
    let (code, _, stderr) = run(collate(&["annotate", "validate", output.to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
}

/// Another tool's annotation with a reversed range, or one that runs past its paragraph, is
/// refused with the reason (exit 2), and no annotation file is written.
#[test]
fn imported_ranges_must_fit_their_paragraph() {
    let s = Scratch::new();
    let text = "texts/joint-communique-1991.en.txt";
    for ((start, end), why) in [
        ((40u64, 5u64), "range 40..5 is reversed"),
        ((5, 9_999), "range 5..9999 does not fit paragraph p4"),
    ] {
        let foreign = serde_json::json!({
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "https://example.org/a/1",
            "type": "Annotation",
            "body": {"type": "TextualBody", "value": "a note"},
            "target": {"source": "communique", "selector": {
                "type": "FragmentSelector", "value": "p4",
                "refinedBy": {"type": "TextPositionSelector", "start": start, "end": end}}}
        });
        let out = "annotations/bad-range.json";
        let (code, stderr) = s.import_foreign(&foreign, "w3c", text, &[], out);
        let output = s.path(out);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains(why), "{stderr}");
        assert!(!output.exists());
    }
}
