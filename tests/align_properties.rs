//! Property tests of alignment: for random documents — empty ones and one-paragraph ones
//! included, in several scripts — every aligner returns beads in document order that hold
//! every paragraph of every witness exactly once (`Alignment::check`), the same result twice,
//! and, with three witnesses, the same beads whatever their order.

use collate::align::{AlignConfig, Alignment, Mode, align_pair, align_witnesses};
use collate::text::{Document, Source, segment};
use proptest::prelude::*;

/// Words of several scripts, numbers and marks, so that anchors of every kind turn up.
const WORDS: [&str; 24] = [
    "treaty",
    "islands",
    "Article",
    "Gorbachev",
    "peace",
    "the",
    "of",
    "договор",
    "острова",
    "Статья",
    "Горбачев",
    "мир",
    "и",
    "平和条約",
    "の",
    "島",
    "ゴルバチョフ",
    "第9条",
    "1956",
    "1991",
    "IX",
    "?",
    "(a)",
    "昭和31年",
];

/// A paragraph: 1 to 12 words.
fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&WORDS[..]), 1..12).prop_map(|w| w.join(" "))
}

/// A document of 0 to 9 paragraphs (a third of them empty or one paragraph long).
fn document() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        Just(Vec::new()),
        prop::collection::vec(paragraph(), 1..2),
        prop::collection::vec(paragraph(), 0..10),
    ]
}

fn doc(name: &str, paragraphs: &[String]) -> Document {
    segment(&Source::from_text(name, &paragraphs.join("\n\n"))).expect("segments")
}

fn shape(alignment: &Alignment) -> Vec<Vec<std::ops::Range<usize>>> {
    alignment.beads.iter().map(|b| b.spans.clone()).collect()
}

fn config(mode: Mode) -> AlignConfig {
    AlignConfig {
        mode,
        ..AlignConfig::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn pairs_cover_every_paragraph_once_in_order(a in document(), b in document()) {
        let (da, db) = (doc("a.txt", &a), doc("b.txt", &b));
        for mode in [Mode::Translation, Mode::Version, Mode::Auto] {
            let (alignment, _) = align_pair(&da, &db, &config(mode));
            prop_assert_eq!(alignment.check(), Ok(()), "{:?}", mode);
            prop_assert_eq!(alignment.witnesses[0].paragraphs, a.len());
            prop_assert_eq!(alignment.witnesses[1].paragraphs, b.len());
            let again = align_pair(&da, &db, &config(mode)).0;
            prop_assert_eq!(shape(&alignment), shape(&again));
        }
    }

    #[test]
    fn translation_confidences_are_probabilities(a in document(), b in document()) {
        let (da, db) = (doc("a.txt", &a), doc("b.txt", &b));
        let (alignment, _) = align_pair(&da, &db, &config(Mode::Translation));
        for bead in &alignment.beads {
            let c = bead.confidence.unwrap_or(-1.0);
            prop_assert!((0.0..=1.0).contains(&c), "{:?}", bead);
        }
    }

    #[test]
    fn three_witnesses_cover_every_paragraph_in_any_order(
        a in document(),
        b in document(),
        c in document(),
    ) {
        let (da, db, dc) = (doc("a.txt", &a), doc("b.txt", &b), doc("c.txt", &c));
        let cfg = config(Mode::Translation);
        let abc = align_witnesses(&[&da, &db, &dc], &cfg, &|_, _| {});
        prop_assert_eq!(abc.check(), Ok(()));
        let cab = align_witnesses(&[&dc, &da, &db], &cfg, &|_, _| {});
        prop_assert_eq!(cab.check(), Ok(()));
        let permuted: Vec<Vec<std::ops::Range<usize>>> = shape(&cab)
            .into_iter()
            .map(|s| vec![s[1].clone(), s[2].clone(), s[0].clone()])
            .collect();
        prop_assert_eq!(shape(&abc), permuted);
    }
}
