//! Benchmark of `annotate validate`: 100,000 annotations over a 1 MB text (the real texts of
//! `texts/` repeated into ~1 MB of paragraphs), every check on, from the file's bytes to the
//! findings, loading and segmenting the text included. Target: ≤ 1 s.

use std::hint::black_box;

use collate::annotate::anchor::{self, NewAnnotation, Selection};
use collate::annotate::model::{AnnotationFile, Body};
use collate::annotate::store::LoadedText;
use collate::annotate::validate::{IdRegistry, validate_file};
use criterion::{Criterion, criterion_group, criterion_main};

/// About 1 MB of text: the corpus's paragraphs, over and over, each made unique by a number.
fn big_text() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut paragraphs: Vec<String> = Vec::new();
    for name in [
        "compendium-1992-period6.en.txt",
        "irkutsk-statement-2001.ja.txt",
        "joint-declaration-1956.ru.txt",
        "irkutsk-statement-2001.en.txt",
    ] {
        let text = std::fs::read_to_string(format!("{root}/texts/{name}")).expect("corpus text");
        paragraphs.extend(
            text.split("\n\n")
                .map(|p| p.trim().to_string())
                .filter(|p| p.chars().count() > 40),
        );
    }
    let mut out = String::new();
    let mut n = 0;
    while out.len() < 1_000_000 {
        out.push_str(&format!("{n}. {}\n\n", paragraphs[n % paragraphs.len()]));
        n += 1;
    }
    out
}

/// 100,000 annotations spread over the paragraphs: ranges of 4–20 chars with quote and context.
fn annotations(text: &LoadedText, count: usize) -> Vec<u8> {
    let mut file = AnnotationFile::new(text.reference_from(std::path::Path::new("bench.json")));
    let paragraphs = &text.doc.paragraphs;
    for i in 0..count {
        let p = &paragraphs[i % paragraphs.len()];
        let len = p.text.chars().count();
        let start = (i * 7919) % (len - 24);
        let selection = Selection::Range(start..start + 4 + i % 16);
        let id = format!("0190f000-0000-7000-8000-{i:012}");
        let spec = NewAnnotation {
            paragraph: p.id.clone(),
            selection,
            body: Body {
                note: Some(format!("note {i}")),
                ..Body::default()
            },
            creator: "bench".into(),
            now: "2024-01-01T00:00:00Z".into(),
            id,
        };
        match anchor::make(&text.doc, spec) {
            Ok(a) => file.annotations.push(a),
            // A range that would cut a grapheme cluster: take the whole paragraph instead.
            Err(_) => file.annotations.push(
                anchor::make(
                    &text.doc,
                    NewAnnotation {
                        paragraph: p.id.clone(),
                        selection: Selection::Paragraph,
                        body: Body::default(),
                        creator: "bench".into(),
                        now: "2024-01-01T00:00:00Z".into(),
                        id: format!("0190f000-0000-7000-9000-{i:012}"),
                    },
                )
                .expect("whole paragraph"),
            ),
        }
    }
    file.to_json().into_bytes()
}

fn bench(c: &mut Criterion) {
    let source = big_text();
    let text = LoadedText::from_text("big.txt", &source).expect("segments");
    let bytes = annotations(&text, 100_000);
    eprintln!(
        "text: {} bytes, {} paragraphs; annotation file: {} bytes",
        source.len(),
        text.doc.paragraphs.len(),
        bytes.len()
    );
    let check = validate_file(
        "bench.json",
        &bytes,
        &mut |_| LoadedText::from_text("big.txt", &source).map_err(|e| e.to_string()),
        &mut IdRegistry::default(),
    );
    assert_eq!(
        (check.annotations, check.errors, check.warnings),
        (100_000, 0, 0),
        "{:?}",
        check.diagnostics.first()
    );
    let mut group = c.benchmark_group("annotate");
    group.sample_size(10);
    group.bench_function("validate 100k annotations over 1 MB", |b| {
        b.iter(|| {
            let mut load = |_: &collate::annotate::TextRef| {
                LoadedText::from_text("big.txt", &source).map_err(|e| e.to_string())
            };
            black_box(validate_file(
                "bench.json",
                black_box(&bytes),
                &mut load,
                &mut IdRegistry::default(),
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
