//! Criterion benchmarks of the version aligner and the diff: the shipped versions in `texts/`,
//! a long English document made by tiling the English texts with edits, one paragraph pair, and
//! (when `../shared/eval/dev` is there) the Japanese New Testament pair: its alignment, its diff,
//! its JSON report and the choice of aligner. `scripts/bench` compares the command with git,
//! wdiff and dwdiff; these measure the library alone.

use std::hint::black_box;

use collate::align::versions::{VersionConfig, align};
use collate::diff::{DiffConfig, Unit, diff_documents, text};
use collate::text::normalize::NormalizeOptions;
use collate::text::{Document, LoadOptions, Source, read_document, segment};
use criterion::{Criterion, criterion_group, criterion_main};

fn texts(name: &str) -> Document {
    let path = format!("{}/texts/{name}", env!("CARGO_MANIFEST_DIR"));
    read_document(path, &LoadOptions::default()).expect("a shipped text")
}

/// The English texts tiled `copies` times, and a revision: every 7th paragraph edited, every 13th
/// deleted, every 17th followed by a new one.
fn tiled_english(copies: usize) -> (Document, Document) {
    let mut paragraphs = Vec::new();
    for name in [
        "compendium-1992-period1.en.txt",
        "compendium-1992-period2.en.txt",
        "compendium-1992-period6.en.txt",
        "irkutsk-statement-2001.en.txt",
        "joint-communique-1991.en.txt",
        "tokyo-declaration-1993.en.txt",
    ] {
        paragraphs.extend(texts(name).paragraphs.into_iter().map(|p| p.text));
    }
    let mut old = Vec::new();
    for c in 0..copies {
        old.push(format!("Part {c}."));
        old.extend(paragraphs.iter().cloned());
    }
    let mut new = Vec::new();
    for (k, p) in old.iter().enumerate() {
        if k % 13 == 5 {
            continue;
        }
        new.push(if k % 7 == 3 {
            p.replacen(" the ", " this ", 1)
        } else {
            p.clone()
        });
        if k % 17 == 9 {
            new.push(format!("A paragraph inserted after paragraph {k}."));
        }
    }
    let doc =
        |name: &str, ps: &[String]| segment(&Source::from_text(name, &ps.join("\n\n"))).unwrap();
    (doc("old.txt", &old), doc("new.txt", &new))
}

fn benches(c: &mut Criterion) {
    let (ja_old, ja_new) = (
        texts("irkutsk-statement-2001.ja.txt"),
        texts("irkutsk-statement-2001.ja.v2.txt"),
    );
    c.bench_function("align irkutsk ja", |b| {
        b.iter(|| {
            align(
                black_box(&ja_old),
                black_box(&ja_new),
                &VersionConfig::default(),
            )
        })
    });
    let (ru_old, ru_new) = (
        texts("joint-declaration-1956.ru.txt"),
        texts("joint-declaration-1956.ru.v2.txt"),
    );
    c.bench_function("diff declaration 1956 ru", |b| {
        b.iter(|| {
            diff_documents(
                black_box(&ru_old),
                black_box(&ru_new),
                &DiffConfig::default(),
            )
        })
    });
    let (old, new) = tiled_english(20);
    c.bench_function("diff english tiled ×20", |b| {
        b.iter(|| diff_documents(black_box(&old), black_box(&new), &DiffConfig::default()))
    });
    let (p_old, p_new) = (&ru_old.paragraphs[1].text, &ru_new.paragraphs[1].text);
    c.bench_function("text diff one paragraph", |b| {
        b.iter(|| {
            text::diff(
                black_box(p_old),
                black_box(p_new),
                Unit::Word,
                &NormalizeOptions::default(),
                None,
            )
        })
    });
    let dev = format!("{}/../shared/eval/dev/versions", env!("CARGO_MANIFEST_DIR"));
    if let (Ok(a), Ok(b)) = (
        read_document(
            format!("{dev}/nt.ja-bungo.verses.txt"),
            &LoadOptions::default(),
        ),
        read_document(
            format!("{dev}/nt.ja-kougo.verses.txt"),
            &LoadOptions::default(),
        ),
    ) {
        let mut group = c.benchmark_group("new testament ja");
        group.sample_size(10);
        group.bench_function("align", |bench| {
            bench.iter(|| align(black_box(&a), black_box(&b), &VersionConfig::default()))
        });
        group.bench_function("diff", |bench| {
            bench.iter(|| diff_documents(black_box(&a), black_box(&b), &DiffConfig::default()))
        });
        let d = diff_documents(&a, &b, &DiffConfig::default());
        group.bench_function("json report", |bench| {
            bench.iter(|| {
                let mut out = Vec::with_capacity(1 << 24);
                collate::render::diff_json::write_pretty_to(
                    black_box(&d),
                    &[&a, &b],
                    "auto",
                    NormalizeOptions::default(),
                    &mut out,
                )
                .map(|()| out.len())
            })
        });
        group.bench_function("mode detection", |bench| {
            bench.iter(|| collate::align::detect_mode(black_box(&a), black_box(&b)))
        });
        group.finish();
    }
}

criterion_group!(diff_benches, benches);
criterion_main!(diff_benches);
