//! Changes inside one aligned pair of texts, word by word or character by character.
//!
//! Both texts are put in their comparison form ([`fold`](crate::text::normalize::fold), the user's
//! normalisation options) and cut into tokens ([`super::tokens`]): words (letters, digits and
//! marks) and single punctuation characters in word mode; single characters in character mode. In
//! word mode, whitespace that is ignored (the default) is not a token: it rides along as the
//! *leading glue* of the token after it, so a deleted word takes the space before it with it
//! (`a[- b-] c`) and re-wrapped lines compare equal. In character mode the single space the
//! comparison form keeps is a token (a line break between two Japanese characters is no space at
//! all, and compares equal to nothing). Tokens are diffed with `similar` (Hunt for paragraph-sized
//! pairs, Myers under a deadline for long ones; never its `Lcs`, which allocates N·M, nor
//! Histogram, which degrades on repetitive text), the result is cleaned up ([`super::cleanup`]) and
//! mapped back to the original text.
//!
//! Offsets in the result are char (Unicode scalar) offsets into the original texts, and the
//! operations tile both texts: applying them to the old text gives the new one exactly
//! ([`apply`]).

use std::ops::Range;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffTag, capture_diff_deadline};

use super::cleanup;
use super::tokens::{self, Token, Tokenized};
use crate::text::normalize::NormalizeOptions;

/// Pairs of texts with at most this many tokens together are diffed by Hunt, without deadline.
const SMALL: usize = 2_000;

/// The unit of comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Words and punctuation marks (scripts written with spaces).
    Word,
    /// Single characters (Japanese, Chinese).
    Char,
}

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    /// The same on both sides (after normalisation).
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
    /// Old text replaced by new text.
    Replace,
}

/// One operation: a stretch of the old text and the stretch of the new text it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    /// What happened.
    pub tag: Tag,
    /// Char offsets into the old text (empty for insertions).
    pub old: Range<usize>,
    /// Char offsets into the new text (empty for deletions).
    pub new: Range<usize>,
}

/// The changes between two texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextDiff {
    /// The unit compared.
    pub unit: Unit,
    /// Operations in order, tiling both texts.
    pub ops: Vec<Op>,
    /// Tokens of the old text, of the new text, and tokens equal on both sides.
    pub tokens: (usize, usize, usize),
    /// Whether the deadline cut the diff short (the result is then coarser but still exact).
    pub degraded: bool,
}

impl TextDiff {
    /// `2·equal / (old + new)` in tokens; 1 for two empty texts.
    pub fn similarity(&self) -> f64 {
        let (a, b, e) = self.tokens;
        if a + b == 0 {
            1.0
        } else {
            2.0 * e as f64 / (a + b) as f64
        }
    }

    /// Whether nothing changed (after normalisation).
    pub fn is_equal(&self) -> bool {
        self.ops.iter().all(|op| op.tag == Tag::Equal)
    }
}

/// Diffs `old` against `new` by `unit`, giving up fine work after `deadline`.
pub fn diff(
    old: &str,
    new: &str,
    unit: Unit,
    options: &NormalizeOptions,
    deadline: Option<Instant>,
) -> TextDiff {
    if old == new {
        return same(old, unit, options);
    }
    // Whitespace is a token when it counts: always when it is not ignored, and in character mode
    // (where no word boundary stands for it) as the single space the comparison form keeps.
    let keep_space = !options.ignore_whitespace || unit == Unit::Char;
    let (ta, tb) = (
        Tokenized::new(old, options, unit, keep_space),
        Tokenized::new(new, options, unit, keep_space),
    );
    let (ka, kb) = tokens::keys(&ta, &tb);
    // Short pairs (the usual paragraph) go to Hunt's algorithm: it is exact, quicker than Myers
    // when matching pairs are few, and bounded by them, so it needs no deadline (reading the
    // clock at every step would cost more than the diff). Long pairs go to Myers under the
    // deadline.
    let (algorithm, bounded) = if ka.len() + kb.len() <= SMALL {
        (Algorithm::Hunt, None)
    } else {
        (Algorithm::Myers, deadline)
    };
    let ops = capture_diff_deadline(algorithm, &ka, 0..ka.len(), &kb, 0..kb.len(), bounded);
    let degraded = bounded.is_some_and(|d| Instant::now() > d);
    let mut runs: Vec<(DiffTag, Range<usize>, Range<usize>)> = ops
        .iter()
        .map(|op| (op.tag(), op.old_range(), op.new_range()))
        .collect();
    // Lengths of runs of tokens, in chars of the comparison form: differences of prefix sums.
    let prefix = |t: &Tokenized| -> Vec<usize> {
        let mut sums = Vec::with_capacity(t.tokens.len() + 1);
        sums.push(0);
        for x in &t.tokens {
            sums.push(sums[sums.len() - 1] + x.folded.len());
        }
        sums
    };
    let (pa, pb) = (prefix(&ta), prefix(&tb));
    let text_len = |p: &[usize], r: &Range<usize>| p[r.end] - p[r.start];
    cleanup::semantic(&mut runs, |tag, a, b| match tag {
        DiffTag::Delete => text_len(&pa, a),
        DiffTag::Insert => text_len(&pb, b),
        _ => text_len(&pa, a).max(text_len(&pb, b)),
    });
    let equal: usize = runs
        .iter()
        .filter(|r| r.0 == DiffTag::Equal)
        .map(|r| r.1.len())
        .sum();
    let mut ops = to_ops(
        &runs,
        &ta.tokens,
        &tb.tokens,
        ta.original_chars,
        tb.original_chars,
    );
    split_common_space(&mut ops, old, new);
    TextDiff {
        unit,
        ops,
        tokens: (ta.tokens.len(), tb.tokens.len(), equal),
        degraded,
    }
}

/// The diff of a text with itself: one equal operation (most paragraphs of two versions).
fn same(text: &str, unit: Unit, options: &NormalizeOptions) -> TextDiff {
    // Counted, not cut: a paragraph and its copy need no tokens, only how many there are.
    let keep_space = !options.ignore_whitespace || unit == Unit::Char;
    let (n, len) = tokens::count(text, options, unit, keep_space);
    TextDiff {
        unit,
        ops: if len == 0 {
            Vec::new()
        } else {
            vec![Op {
                tag: Tag::Equal,
                old: 0..len,
                new: 0..len,
            }]
        },
        tokens: (n, n, n),
        degraded: false,
    }
}

/// Token runs to operations on original char ranges. Texts without tokens are one operation.
fn to_ops(
    runs: &[(DiffTag, Range<usize>, Range<usize>)],
    ta: &[Token],
    tb: &[Token],
    old_chars: usize,
    new_chars: usize,
) -> Vec<Op> {
    if ta.is_empty() || tb.is_empty() {
        let tag = match (old_chars, new_chars, ta.is_empty() && tb.is_empty()) {
            (0, 0, _) => return Vec::new(),
            (_, _, true) => Tag::Equal,
            (0, _, _) => Tag::Insert,
            (_, 0, _) => Tag::Delete,
            _ => Tag::Replace,
        };
        return vec![Op {
            tag,
            old: 0..old_chars,
            new: 0..new_chars,
        }];
    }
    let span = |t: &[Token], r: &Range<usize>, at: usize, total: usize| -> Range<usize> {
        if r.is_empty() {
            let p = t.get(r.start).map_or(total, |x| x.original.start);
            let p = if r.start == 0 { p.min(at) } else { p };
            p..p
        } else {
            t[r.start].original.start..t[r.end - 1].original.end
        }
    };
    let mut ops: Vec<Op> = Vec::new();
    for (tag, a, b) in runs {
        let old = span(ta, a, 0, old_chars);
        let new = span(tb, b, 0, new_chars);
        let tag = match tag {
            DiffTag::Equal => Tag::Equal,
            DiffTag::Delete => Tag::Delete,
            DiffTag::Insert => Tag::Insert,
            DiffTag::Replace => Tag::Replace,
        };
        ops.push(Op { tag, old, new });
    }
    // An insertion before the first token (or a deletion) must start at 0 on the empty side.
    if let Some(first) = ops.first_mut() {
        if first.old.is_empty() {
            first.old = 0..0;
        }
        if first.new.is_empty() {
            first.new = 0..0;
        }
    }
    ops
}

/// Moves whitespace that a changed operation starts with on both sides into an equal operation
/// before it, so that `[- b-]{+ x+}` reads `[-b-]{+x+}` after a shared space.
fn split_common_space(ops: &mut Vec<Op>, old: &str, new: &str) {
    if !ops.iter().any(|op| op.tag == Tag::Replace) {
        return;
    }
    let (mut ca, mut cb) = (CharCursor::new(old), CharCursor::new(new));
    let mut out = Vec::with_capacity(ops.len());
    for op in ops.drain(..) {
        if op.tag != Tag::Replace {
            out.push(op);
            continue;
        }
        let lead = |s: &str| s.chars().take_while(|x| x.is_whitespace()).count();
        let (la, lb) = (lead(ca.slice(&op.old)), lead(cb.slice(&op.new)));
        if la == 0 || lb == 0 || la == op.old.len() || lb == op.new.len() {
            out.push(op);
            continue;
        }
        out.push(Op {
            tag: Tag::Equal,
            old: op.old.start..op.old.start + la,
            new: op.new.start..op.new.start + lb,
        });
        out.push(Op {
            tag: Tag::Replace,
            old: op.old.start + la..op.old.end,
            new: op.new.start + lb..op.new.end,
        });
    }
    *ops = out;
}

/// Byte offsets of char offsets into one text, for offsets asked in increasing order (the
/// operations of a diff): each text is walked once, and an ASCII text not at all.
#[derive(Debug, Clone)]
pub struct CharCursor<'t> {
    text: &'t str,
    ascii: bool,
    /// The char offset reached, and its byte offset.
    at: (usize, usize),
}

impl<'t> CharCursor<'t> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'t str) -> Self {
        Self {
            text,
            ascii: text.is_ascii(),
            at: (0, 0),
        }
    }

    /// The byte offset of char offset `chars` (the end of the text if it is beyond). Cheapest
    /// when asked in increasing order; an earlier offset walks again from the start.
    pub fn byte(&mut self, chars: usize) -> usize {
        if self.ascii {
            return chars.min(self.text.len());
        }
        if chars < self.at.0 {
            self.at = (0, 0);
        }
        let (c, b) = self.at;
        let byte = b + nth_char(&self.text.as_bytes()[b..], chars - c);
        self.at = (chars, byte);
        byte
    }

    /// The text of a char range.
    pub fn slice(&mut self, range: &Range<usize>) -> &'t str {
        let start = self.byte(range.start);
        let end = self.byte(range.end);
        &self.text[start..end]
    }
}

/// The byte offset of char `n` of UTF-8 text (its length if it has no more chars): where its
/// `n + 1`-th byte that starts a char stands. Blocks of 32 bytes are skipped whole while they
/// start no more chars than remain to pass (their count is a sum, taken many bytes at a time).
fn nth_char(bytes: &[u8], mut n: usize) -> usize {
    let starts = |b: &u8| (*b as i8) >= -0x40;
    let mut k = 0;
    while let Some(block) = bytes.get(k..k + 32) {
        let chars = block.iter().map(|b| usize::from(starts(b))).sum::<usize>();
        if chars > n {
            break;
        }
        n -= chars;
        k += 32;
    }
    bytes[k..]
        .iter()
        .enumerate()
        .filter(|(_, b)| starts(b))
        .nth(n)
        .map_or(bytes.len(), |(at, _)| k + at)
}

/// Applies operations to the old text: the text they produce, taking the new side's text for
/// every operation that is not an exact equality. With `new` given, this is `new` exactly; the
/// property tests check that the operations tile both texts and that equal stretches are equal.
pub fn apply(ops: &[Op], old: &str, new: &str) -> String {
    let (ca, cb): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let mut out = String::with_capacity(new.len());
    for op in ops {
        let (o, n) = (&ca[op.old.clone()], &cb[op.new.clone()]);
        match op.tag {
            Tag::Equal if o == n => out.extend(o.iter()),
            Tag::Delete => {}
            _ => out.extend(n.iter()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    /// The byte offsets found by blocks are those of walking the chars, on texts longer than a
    /// block with chars of every length across the blocks' edges.
    #[test]
    fn nth_char_is_the_offset_of_the_char() {
        let alphabet: Vec<char> = "ab ж平𠀋\n".chars().collect();
        let mut rng = crate::testing::Lcg(31);
        for _ in 0..2_000 {
            let text: String = (0..rng.below(120))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let chars = text.chars().count();
            for n in 0..=chars + 1 {
                let expected = text.char_indices().nth(n).map_or(text.len(), |(k, _)| k);
                assert_eq!(
                    super::nth_char(text.as_bytes(), n),
                    expected,
                    "{text:?} {n}"
                );
            }
        }
    }

    use super::*;

    fn run(old: &str, new: &str, unit: Unit) -> TextDiff {
        diff(old, new, unit, &NormalizeOptions::default(), None)
    }

    /// `[-old-]{+new+}` markup of a diff, for readable assertions.
    fn markup(d: &TextDiff, old: &str, new: &str) -> String {
        let (ca, cb): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
        let s = |c: &[char], r: &Range<usize>| c[r.clone()].iter().collect::<String>();
        d.ops
            .iter()
            .map(|op| match op.tag {
                Tag::Equal => s(&ca, &op.old),
                Tag::Delete => format!("[-{}-]", s(&ca, &op.old)),
                Tag::Insert => format!("{{+{}+}}", s(&cb, &op.new)),
                Tag::Replace => format!("[-{}-]{{+{}+}}", s(&ca, &op.old), s(&cb, &op.new)),
            })
            .collect()
    }

    fn tiles(d: &TextDiff, old: &str, new: &str) {
        let (mut i, mut j) = (0, 0);
        for op in &d.ops {
            assert_eq!(op.old.start, i, "{d:?}");
            assert_eq!(op.new.start, j, "{d:?}");
            (i, j) = (op.old.end, op.new.end);
        }
        assert_eq!(i, old.chars().count());
        assert_eq!(j, new.chars().count());
        assert_eq!(apply(&d.ops, old, new), new);
    }

    #[test]
    fn word_changes_read_like_markup() {
        let (old, new) = (
            "The state of war ends today.",
            "The state of war ended today.",
        );
        let d = run(old, new, Unit::Word);
        tiles(&d, old, new);
        assert_eq!(
            markup(&d, old, new),
            "The state of war [-ends-]{+ended+} today."
        );
        let (old, new) = ("a b c", "a c");
        let d = run(old, new, Unit::Word);
        tiles(&d, old, new);
        assert_eq!(markup(&d, old, new), "a[- b-] c");
        assert!(d.similarity() > 0.7 && d.similarity() < 1.0);
    }

    #[test]
    fn japanese_by_character() {
        let (old, new) = ("との確認に基づき、", "との確信に基づき、");
        let d = run(old, new, Unit::Char);
        tiles(&d, old, new);
        assert_eq!(markup(&d, old, new), "との確[-認-]{+信+}に基づき、");
    }

    #[test]
    fn rewrapped_lines_are_equal_and_still_reproduced() {
        let (old, new) = ("Gamma\ndelta  epsilon.", "Gamma delta epsilon.");
        let d = run(old, new, Unit::Word);
        assert!(d.is_equal());
        tiles(&d, old, new);
        let strict = NormalizeOptions {
            ignore_whitespace: false,
            ..NormalizeOptions::default()
        };
        let d = diff(old, new, Unit::Word, &strict, None);
        assert!(!d.is_equal());
        tiles(&d, old, new);
    }

    #[test]
    fn a_deadline_gives_a_coarser_but_exact_diff_and_says_so() {
        // Two long texts (beyond the size diffed without a deadline) with a deadline passed.
        let old: String = (0..3_000).map(|k| format!("w{} ", k % 97)).collect();
        let new: String = (0..3_000).map(|k| format!("w{} ", (k * 7) % 89)).collect();
        let past = Instant::now();
        let d = diff(
            &old,
            &new,
            Unit::Word,
            &NormalizeOptions::default(),
            Some(past),
        );
        assert!(d.degraded);
        tiles(&d, &old, &new);
        let d = diff(&old, &new, Unit::Word, &NormalizeOptions::default(), None);
        assert!(!d.degraded);
    }

    #[test]
    fn empty_and_punctuation_only_texts() {
        for (old, new) in [("", ""), ("", "New."), ("Old.", ""), ("—", "…"), (" ", "a")] {
            let d = run(old, new, Unit::Word);
            tiles(&d, old, new);
        }
        assert!(run("", "", Unit::Word).is_equal());
    }
}
