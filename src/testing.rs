//! Test support shared by the unit tests: insta settings that keep every snapshot in the
//! top-level `snapshots/` folder.

/// Insta settings for unit-test snapshots: `snapshots/` at the project root.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings
}

/// A small deterministic generator for tests (a 64-bit linear congruential generator, Knuth's
/// MMIX constants): every run tests the same random inputs.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next state.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0
    }

    /// A number below `n` (from the high bits of the next state).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() >> 33) as usize % n
    }
}

/// Normalisation options that take every fast path and the general one: the default,
/// whitespace kept, case and punctuation ignored, NFKC with quotes folded (whitespace kept), and
/// old kanji forms folded.
pub fn normalize_variants() -> [crate::text::normalize::NormalizeOptions; 5] {
    use crate::text::normalize::NormalizeOptions;
    let strict = NormalizeOptions {
        ignore_whitespace: false,
        ..NormalizeOptions::default()
    };
    let loose = NormalizeOptions {
        ignore_case: true,
        ignore_punctuation: true,
        ..NormalizeOptions::default()
    };
    let nfkc = NormalizeOptions {
        nfkc: true,
        fold_quotes: true,
        ..strict
    };
    let kanji = NormalizeOptions {
        fold_kanji: true,
        ..NormalizeOptions::default()
    };
    [NormalizeOptions::default(), strict, loose, nfkc, kanji]
}
