//! Speed of `align` on the large pairs of the issue (criterion):
//!
//! - `nt_versions`: the Japanese New Testament, literary against colloquial, 7,951 × 7,953
//!   one-verse paragraphs (the version aligner, chosen by auto mode);
//! - `translation_8000`: the UDHR in English and Japanese tiled to 8,004 × 7,917 paragraphs;
//! - `paragraphs_vs_verses`: the Gospel of John in English paragraphs against Japanese verses,
//!   tiled to 2,625 × 6,153 — the shape of the whole New Testament;
//! - `udhr_en_ja`: one UDHR pair (92 × 91), for scale.
//!
//! The texts are read from the development sets in `../shared/eval/dev` (or `$COLLATE_EVAL`);
//! a benchmark whose texts are missing is skipped with a note. `scripts/bench-align` times the
//! binary end to end (wall time and peak memory) on the same pairs.

use std::path::{Path, PathBuf};

use collate::align::{AlignConfig, align_pair};
use collate::text::{Document, Source, segment};
use criterion::{Criterion, criterion_group, criterion_main};

fn eval_dir() -> PathBuf {
    std::env::var_os("COLLATE_EVAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev"))
}

/// A development text tiled `times` times (paragraphs repeated in order), as a document.
fn tiled(name: &str, times: usize) -> Option<Document> {
    let text = std::fs::read_to_string(eval_dir().join(name)).ok()?;
    let paragraphs: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let all = vec![paragraphs.join("\n\n"); times].join("\n\n");
    segment(&Source::from_text(name, &all)).ok()
}

fn bench_pair(c: &mut Criterion, id: &str, left: Option<Document>, right: Option<Document>) {
    let (Some(left), Some(right)) = (left, right) else {
        eprintln!(
            "{id}: development texts not found in {}; skipped",
            eval_dir().display()
        );
        return;
    };
    let config = AlignConfig::default();
    c.bench_function(id, |b| b.iter(|| align_pair(&left, &right, &config)));
}

fn large(c: &mut Criterion) {
    bench_pair(
        c,
        "nt_versions",
        tiled("versions/nt.ja-bungo.verses.txt", 1),
        tiled("versions/nt.ja-kougo.verses.txt", 1),
    );
    bench_pair(
        c,
        "translation_8000",
        tiled("udhr/udhr.en.txt", 87),
        tiled("udhr/udhr.ja.txt", 87),
    );
    bench_pair(
        c,
        "paragraphs_vs_verses",
        tiled("bible-john/john.en-web.paras.txt", 7),
        tiled("bible-john/john.ja-kougo.verses.txt", 7),
    );
}

fn small(c: &mut Criterion) {
    bench_pair(
        c,
        "udhr_en_ja",
        tiled("udhr/udhr.en.txt", 1),
        tiled("udhr/udhr.ja.txt", 1),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(8));
    targets = large, small
}
criterion_main!(benches);
