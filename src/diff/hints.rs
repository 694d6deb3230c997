//! Hints: changed paragraphs that a normalisation option not in use would make the same.
//!
//! Editions of one text often differ in ways a reader may not count as changes: a title set in
//! capitals, full-width digits, old kanji forms, other quotation marks. [`hints`] looks at every
//! change with text on both sides (an edited, split, merged or regrouped passage, a moved
//! paragraph that changed) and asks which of the options *not* in use would make its two texts
//! compare the same. A change that one option alone settles is counted under that option (under
//! each, if several would); one that needs several together is counted under the smallest set
//! found by dropping options one at a time, in a fixed order. Changes no option settles are left
//! alone. The CLI prints the hints after a report for people (`collate: hint: …` on stderr, as
//! git prints its hints), never in JSON, whose contract stays as documented.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::{IsNormalized, is_nfkc_quick};

use super::{DocumentDiff, Status};
use crate::text::Document;
use crate::text::normalize::{NormalizeOptions, fold, fold_hash, fold_text};

/// Chars of each text folded first, to turn most real edits away before folding them whole.
const PREFIX: usize = 32;

/// The options a hint can name, in the order they are tried and written.
const FLAGS: [&str; 6] = [
    "--ignore-case",
    "--ignore-punctuation",
    "--ignore-whitespace",
    "--nfkc",
    "--fold-quotes",
    "--fold-kanji",
];

/// Changes that the same options would settle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hint {
    /// The command-line options that together make these changes compare the same.
    pub flags: Vec<&'static str>,
    /// How many changes they settle.
    pub changes: usize,
    /// How many changes with text on both sides there are in all (a split, merged or
    /// regrouped passage is one change).
    pub of: usize,
}

impl std::fmt::Display for Hint {
    /// `3 of the 6 changed paragraphs are the same with --ignore-case` (a split, merged or
    /// regrouped passage counts as one changed paragraph).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let flags = self.flags.join(" ");
        match (self.changes, self.of) {
            (1, 1) => write!(f, "the changed paragraph is the same with {flags}"),
            (n, of) if n == of => write!(f, "all {n} changed paragraphs are the same with {flags}"),
            (1, of) => write!(
                f,
                "1 of the {of} changed paragraphs is the same with {flags}"
            ),
            (n, of) => write!(
                f,
                "{n} of the {of} changed paragraphs are the same with {flags}"
            ),
        }
    }
}

/// The option that flag `k` of [`FLAGS`] sets.
fn flag(options: &mut NormalizeOptions, k: usize) -> &mut bool {
    match k {
        0 => &mut options.ignore_case,
        1 => &mut options.ignore_punctuation,
        2 => &mut options.ignore_whitespace,
        3 => &mut options.nfkc,
        4 => &mut options.fold_quotes,
        _ => &mut options.fold_kanji,
    }
}

/// `options` with the flags of `set` (indices into [`FLAGS`]) turned on.
fn with(options: &NormalizeOptions, set: &[usize]) -> NormalizeOptions {
    let mut o = *options;
    for &k in set {
        *flag(&mut o, k) = true;
    }
    o
}

/// A start of the comparison form of `text` that the form of the whole text starts with too:
/// the form of its first [`PREFIX`] chars without the chars of their last grapheme cluster
/// (which the cut may have split, or a following char changed). Folding is local to a cluster
/// but for whitespace, which is written only when a non-space follows, so the rest is stable.
fn stable_start(text: &str, options: &NormalizeOptions) -> String {
    let Some((cut, _)) = text.char_indices().nth(PREFIX) else {
        return fold_text(text, options);
    };
    let start = &text[..cut];
    // A start already in NFKC (quick check) is its own NFKC form: folded without it, cheaper.
    let options = &NormalizeOptions {
        nfkc: options.nfkc && is_nfkc_quick(start.chars()) != IsNormalized::Yes,
        ..*options
    };
    let folded = fold(start, options);
    let last = folded.origin.last().copied();
    folded
        .text
        .chars()
        .zip(&folded.origin)
        .take_while(|(_, o)| Some(**o) != last)
        .map(|(c, _)| c)
        .collect()
}

/// Whether `a` and `b` compare the same under `options`: their starts first (most edits differ
/// there), then hashes, then the texts to confirm.
fn same(a: &str, b: &str, options: &NormalizeOptions) -> bool {
    let (sa, sb) = (stable_start(a, options), stable_start(b, options));
    if !(sa.starts_with(&sb) || sb.starts_with(&sa)) {
        return false;
    }
    fold_hash(a, options) == fold_hash(b, options) && fold_text(a, options) == fold_text(b, options)
}

/// The sets of options (indices into [`FLAGS`]) that make `a` and `b` the same: each single one
/// that does, or else the smallest set found by dropping from all of `unused` while they stay
/// the same; none when not even all together do.
fn settling(a: &str, b: &str, options: &NormalizeOptions, unused: &[usize]) -> Vec<Vec<usize>> {
    if unused.is_empty() || !same(a, b, &with(options, unused)) {
        return Vec::new();
    }
    let singles: Vec<Vec<usize>> = unused
        .iter()
        .filter(|&&k| same(a, b, &with(options, &[k])))
        .map(|&k| vec![k])
        .collect();
    if !singles.is_empty() {
        return singles;
    }
    let mut set = unused.to_vec();
    for k in unused {
        let without: Vec<usize> = set.iter().copied().filter(|x| x != k).collect();
        if same(a, b, &with(options, &without)) {
            set = without;
        }
    }
    vec![set]
}

/// The hints for a comparison made under `options`: single options first, then sets, each by
/// the number of changes it settles (most first), then in the order of [`FLAGS`].
pub fn hints(
    diff: &DocumentDiff,
    old: &Document,
    new: &Document,
    options: &NormalizeOptions,
) -> Vec<Hint> {
    let mut current = *options;
    let unused: Vec<usize> = (0..FLAGS.len())
        .filter(|&k| !*flag(&mut current, k))
        .collect();
    let two_sided = diff.changes.iter().filter(|c| {
        matches!(
            c.status,
            Status::Edited | Status::Split | Status::Merged | Status::Regrouped
        ) && !c.diff.is_equal()
    });
    let mut pairs: Vec<(&str, &str)> = two_sided
        .map(|c| (c.old_text.as_ref(), c.new_text.as_ref()))
        .collect();
    pairs.extend(diff.moves.iter().filter(|m| !m.diff.is_equal()).map(|m| {
        (
            old.paragraphs[m.old].text.as_str(),
            new.paragraphs[m.new].text.as_str(),
        )
    }));
    let sets: Vec<Vec<Vec<usize>>> = pairs
        .par_iter()
        .map(|(a, b)| settling(a, b, options, &unused))
        .collect();
    let mut counts: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
    for set in sets.into_iter().flatten() {
        *counts.entry(set).or_default() += 1;
    }
    let mut out: Vec<(Vec<usize>, usize)> = counts.into_iter().collect();
    out.sort_by(|x, y| {
        (x.0.len(), std::cmp::Reverse(x.1), &x.0).cmp(&(y.0.len(), std::cmp::Reverse(y.1), &y.0))
    });
    out.into_iter()
        .map(|(set, changes)| Hint {
            flags: set.iter().map(|&k| FLAGS[k]).collect(),
            changes,
            of: pairs.len(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{DiffConfig, diff_documents};
    use crate::text::{Source, segment};

    fn doc(text: &str) -> Document {
        segment(&Source::from_text("t.txt", text)).unwrap()
    }

    fn hints_of(a: &str, b: &str, options: NormalizeOptions) -> Vec<Hint> {
        let (old, new) = (doc(a), doc(b));
        let config = DiffConfig {
            normalize: options,
            ..DiffConfig::default()
        };
        let diff = diff_documents(&old, &new, &config);
        hints(&diff, &old, &new, &options)
    }

    #[test]
    fn a_title_in_capitals_is_settled_by_ignore_case() {
        let hints = hints_of(
            "Joint Declaration\n\nThe parties agree.\n\nArticle one.",
            "JOINT DECLARATION\n\nThe parties agree.\n\nArticle two.",
            NormalizeOptions::default(),
        );
        assert_eq!(
            hints,
            vec![Hint {
                flags: vec!["--ignore-case"],
                changes: 1,
                of: 2,
            }]
        );
        assert_eq!(
            hints[0].to_string(),
            "1 of the 2 changed paragraphs is the same with --ignore-case"
        );
        let all = Hint {
            flags: vec!["--nfkc", "--fold-quotes"],
            changes: 3,
            of: 3,
        };
        assert_eq!(
            all.to_string(),
            "all 3 changed paragraphs are the same with --nfkc --fold-quotes"
        );
    }

    #[test]
    fn an_option_in_use_is_never_hinted() {
        let options = NormalizeOptions {
            ignore_case: true,
            ..NormalizeOptions::default()
        };
        let hints = hints_of("Title\n\nText.", "TITLE!\n\nText.", options);
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].flags, vec!["--ignore-punctuation"]);
    }

    #[test]
    fn changes_needing_two_options_name_the_smallest_set() {
        // Capitals and a full stop: neither option alone, both together; nothing else needed.
        let hints = hints_of(
            "Title\n\nText.",
            "TITLE.\n\nText.",
            NormalizeOptions::default(),
        );
        assert_eq!(
            hints,
            vec![Hint {
                flags: vec!["--ignore-case", "--ignore-punctuation"],
                changes: 1,
                of: 1,
            }]
        );
    }

    #[test]
    fn full_width_digits_and_old_kanji_are_each_named() {
        let hints = hints_of(
            "第１条　両国の間の戦争状態は終了する。\n\n日本國と大韓民國との間の協定を確認した。\n\n本文は削除された。",
            "第1条　両国の間の戦争状態は終了する。\n\n日本国と大韓民国との間の協定を確認した。\n\n本文は書き換えられた。",
            NormalizeOptions::default(),
        );
        let named: Vec<(Vec<&str>, usize)> =
            hints.iter().map(|h| (h.flags.clone(), h.changes)).collect();
        assert_eq!(
            named,
            vec![(vec!["--nfkc"], 1), (vec!["--fold-kanji"], 1)],
            "{hints:?}"
        );
        assert!(hints.iter().all(|h| h.of == 3));
    }

    #[test]
    fn the_stable_start_begins_the_whole_form() {
        let all = with(&NormalizeOptions::default(), &[0, 1, 3, 4, 5]);
        let texts = [
            "ＡＢＣ　full-width “quoted” text of some length, with ㍻ and 國 in it, and more words after",
            "日本国と\nロシア連邦は、平和条約の締結に関する交渉を継続することで合意した。さらに文章が続く。",
            "Combining marks: e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}",
            "short",
        ];
        for text in texts {
            for options in [NormalizeOptions::default(), all] {
                let start = stable_start(text, &options);
                assert!(
                    fold_text(text, &options).starts_with(&start),
                    "{text:?} {options:?}: {start:?}"
                );
            }
            assert!(stable_start(text, &all).chars().count() >= PREFIX.min(5));
        }
    }

    #[test]
    fn a_difference_past_the_start_is_still_weighed() {
        let long = "The two leaders agreed to continue the negotiations on the conclusion of a";
        let hints = hints_of(
            &format!("{long} Peace Treaty."),
            &format!("{long} peace treaty"),
            NormalizeOptions::default(),
        );
        assert_eq!(hints.len(), 1, "{hints:?}");
        assert_eq!(
            hints[0].flags,
            vec!["--ignore-case", "--ignore-punctuation"]
        );
    }

    #[test]
    fn real_rewording_gets_no_hint() {
        let hints = hints_of(
            "The parties confirmed it.",
            "The parties were convinced of it.",
            NormalizeOptions::default(),
        );
        assert!(hints.is_empty(), "{hints:?}");
    }

    #[test]
    fn re_wrapped_lines_are_hinted_when_whitespace_counts() {
        let options = NormalizeOptions {
            ignore_whitespace: false,
            ..NormalizeOptions::default()
        };
        let hints = hints_of("one two\nthree", "one\ntwo three", options);
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].flags, vec!["--ignore-whitespace"]);
    }
}
