//! Property tests of annotation merging and validation:
//!
//! - merging a file with itself changes nothing;
//! - a union does not depend on the order of the files;
//! - a three-way merge in which one side equals the base returns the other side;
//! - validation never panics, whatever the bytes (random, or a valid file with bytes changed);
//! - the span-keeping JSON reader agrees with serde_json on every document serde_json writes.

use collate::annotate::merge::{Side, merge};
use collate::annotate::model::{
    Annotation, AnnotationFile, Body, Quote, Status, Target, TextRef, sort_annotations,
};
use collate::annotate::store::LoadedText;
use collate::annotate::validate::{IdRegistry, validate_file};
use proptest::prelude::*;

const TEXT: &str = "The islands of Habomai, Shikotan, Kunashiri and Etorofu.\n\nОстров Шикота\u{301}н.\n\n歯舞群島と色丹島。\n";

fn text_ref() -> TextRef {
    TextRef {
        path: "islands.txt".into(),
        hash: "sha256:0123456789abcdef".into(),
    }
}

fn id(n: u8) -> String {
    format!("0190f000-0000-7000-8000-0000000000{n:02x}")
}

prop_compose! {
    fn annotation_with(n: u8)(
        paragraph in 1u8..4,
        start in proptest::option::of(0usize..20),
        len in 1usize..8,
        note in proptest::option::of("[a-z ]{0,12}"),
        tags in proptest::collection::vec("[a-z]{1,6}", 0..3),
        label in proptest::option::of(prop_oneof![Just("LOC".to_string()), Just("PER".to_string())]),
        day in 1u8..4,
        status in prop_oneof![Just(Status::Ok), Just(Status::Shifted), Just(Status::Orphaned)],
    ) -> Annotation {
        Annotation {
            id: id(n),
            target: Target {
                paragraph: format!("p{paragraph}"),
                start,
                end: start.map(|s| s + len),
                quote: start.map(|_| Quote { exact: "x".repeat(len), prefix: String::new(), suffix: String::new() }),
                paragraph_hash: Some("sha256:00112233".into()),
            },
            body: Body { note, tags, label, link: None },
            creator: "p".into(),
            created: "2024-01-01T00:00:00Z".into(),
            modified: format!("2024-01-0{day}T00:00:00Z"),
            status,
            provenance: None,
            conflict: None,
        }
    }
}

/// A file whose annotations have distinct IDs drawn from a small pool (so that files overlap).
fn file() -> impl Strategy<Value = AnnotationFile> {
    proptest::collection::btree_set(0u8..12, 0..8)
        .prop_flat_map(|ids| ids.into_iter().map(annotation_with).collect::<Vec<_>>())
        .prop_map(|annotations| {
            let mut f = AnnotationFile::new(text_ref());
            f.annotations = annotations;
            sort_annotations(&mut f.annotations, None);
            f
        })
}

fn union(files: &[(&str, &AnnotationFile)]) -> AnnotationFile {
    let sides: Vec<Side> = files
        .iter()
        .map(|(name, file)| Side { name, file })
        .collect();
    merge(&sides, None, None).unwrap().0
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn merging_a_file_with_itself_changes_nothing(a in file()) {
        prop_assert_eq!(union(&[("a", &a), ("a-again", &a)]), a.clone());
        let sides = [Side { name: "ours", file: &a }, Side { name: "theirs", file: &a }];
        let (three_way, report) = merge(&sides, Some(Side { name: "base", file: &a }), None).unwrap();
        prop_assert_eq!(three_way, a);
        prop_assert!(report.conflicts.is_empty());
    }

    #[test]
    fn union_does_not_depend_on_order(a in file(), b in file(), c in file()) {
        let abc = union(&[("a", &a), ("b", &b), ("c", &c)]);
        prop_assert_eq!(&abc, &union(&[("c", &c), ("a", &a), ("b", &b)]));
        prop_assert_eq!(&abc, &union(&[("b", &b), ("c", &c), ("a", &a)]));
        // Nothing is dropped: every ID of every input is in the union.
        for f in [&a, &b, &c] {
            for x in &f.annotations {
                prop_assert!(abc.annotations.iter().any(|y| y.id == x.id));
            }
        }
    }

    #[test]
    fn three_way_with_one_side_equal_to_the_base_returns_the_other(base in file(), other in file()) {
        for (first, second) in [(&base, &other), (&other, &base)] {
            let sides = [Side { name: "one", file: first }, Side { name: "two", file: second }];
            let (merged, report) = merge(&sides, Some(Side { name: "base", file: &base }), None).unwrap();
            prop_assert_eq!(&merged, &other);
            prop_assert!(report.conflicts.is_empty());
        }
    }

    #[test]
    fn validate_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let text = LoadedText::from_text("islands.txt", TEXT).unwrap();
        let mut load = |_: &TextRef| Ok(text.clone());
        let result = validate_file("x.json", &bytes, &mut load, &mut IdRegistry::default());
        prop_assert!(result.errors + result.warnings == result.diagnostics.len());
    }

    #[test]
    fn validate_never_panics_on_damaged_files(a in file(), edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)) {
        let text = LoadedText::from_text("islands.txt", TEXT).unwrap();
        let mut bytes = a.to_json().into_bytes();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let mut load = |_: &TextRef| Ok(text.clone());
        let result = validate_file("x.json", &bytes, &mut load, &mut IdRegistry::default());
        for d in &result.diagnostics {
            prop_assert!(d.line >= 1 && d.column >= 1 && d.span.start <= bytes.len());
        }
    }

    #[test]
    fn the_json_reader_agrees_with_serde_json(value in json_value()) {
        let src = serde_json::to_string_pretty(&value).unwrap();
        let node = collate::annotate::json::parse(src.as_bytes()).unwrap();
        prop_assert_eq!(to_serde(&node), value);
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn to_serde(node: &collate::annotate::json::Node) -> serde_json::Value {
    use collate::annotate::json::Value;
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::from_str(n).unwrap(),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => serde_json::Value::Object(
            members
                .iter()
                .map(|m| (m.key.to_string(), to_serde(&m.value)))
                .collect(),
        ),
    }
}
