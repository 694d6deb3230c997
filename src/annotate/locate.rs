//! Finding a quote again in revised text: through a char diff, by exact search with context, by
//! approximate search. The steps of `migrate`'s cascade, as pure functions over texts.
//!
//! All offsets are char offsets. The revised text of an old paragraph is the text of the new
//! paragraphs aligned with it, joined by a blank line ([`Joined`]), so that a paragraph that was
//! split or merged is searched as one.
//!
//! The rules lean towards *not* re-anchoring: a wrong anchor is worse than an orphan (landing on
//! the wrong text is the top complaint of Hypothesis users). An exact relocation needs context
//! that singles the place out, in the old text as in the new; an approximate match needs a
//! minimum score, a clear margin over the runner-up, and must overlap what the diff says became
//! of the old range.

use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_deadline};

use super::anchor::ParaText;
use super::model::Quote;

/// New paragraphs joined into one text, with where each one starts.
#[derive(Debug)]
pub struct Joined {
    /// Indices (into the new document) of the paragraphs, in order.
    pub paragraphs: Vec<usize>,
    /// Their texts joined by `"\n\n"`.
    pub text: ParaText<'static>,
    /// Char offset of each paragraph in `text`, and the end.
    pub starts: Vec<usize>,
}

/// Joins texts with a blank line; `texts` pairs each paragraph index with its text.
pub fn join(texts: &[(usize, &str)]) -> Joined {
    let mut joined = String::new();
    let mut starts = Vec::new();
    let mut chars = 0;
    for (i, (_, t)) in texts.iter().enumerate() {
        if i > 0 {
            joined.push_str("\n\n");
            chars += 2;
        }
        starts.push(chars);
        joined.push_str(t);
        chars += t.chars().count();
    }
    starts.push(chars);
    Joined {
        paragraphs: texts.iter().map(|(i, _)| *i).collect(),
        text: ParaText::new(joined),
        starts,
    }
}

impl Joined {
    /// The paragraph (position in `paragraphs`) wholly containing a joined range, and the range
    /// inside it.
    pub fn locate(&self, r: &Range<usize>) -> Option<(usize, Range<usize>)> {
        (0..self.paragraphs.len()).find_map(|k| {
            let (s, e) = (self.starts[k], self.starts[k] + self.len_of(k));
            (s <= r.start && r.end <= e).then(|| (k, r.start - s..r.end - s))
        })
    }

    fn len_of(&self, k: usize) -> usize {
        let next = self.starts[k + 1];
        if k + 1 == self.paragraphs.len() {
            next - self.starts[k]
        } else {
            next - 2 - self.starts[k]
        }
    }
}

/// A char diff of an old paragraph against its joined new text.
#[derive(Debug)]
pub struct CharMap {
    ops: Vec<DiffOp>,
    /// Whether the deadline cut the diff short (the mapping is then coarser).
    pub timed_out: bool,
}

impl CharMap {
    /// Diffs `old` against `new` char by char (Myers, with a deadline; never the O(N·M) LCS).
    pub fn new(old: &str, new: &str, deadline: Duration) -> Self {
        let a: Vec<char> = old.chars().collect();
        let b: Vec<char> = new.chars().collect();
        let started = Instant::now();
        let ops = capture_diff_deadline(
            Algorithm::Myers,
            &a,
            0..a.len(),
            &b,
            0..b.len(),
            Some(started + deadline),
        );
        Self {
            ops,
            timed_out: started.elapsed() >= deadline,
        }
    }

    /// Where an old char went, if it is unchanged.
    pub fn char(&self, old: usize) -> Option<usize> {
        self.ops.iter().find_map(|op| match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } if (old_index..old_index + len).contains(&old) => Some(new_index + old - old_index),
            _ => None,
        })
    }

    /// An old range mapped through unchanged chars: both ends must be unchanged.
    pub fn range(&self, r: &Range<usize>) -> Option<Range<usize>> {
        if r.start >= r.end {
            return None;
        }
        let s = self.char(r.start)?;
        let e = self.char(r.end - 1)? + 1;
        (s < e).then_some(s..e)
    }

    /// What became of an old range: the new chars that are unchanged copies of its chars, or
    /// replacements of them. Empty when it was deleted outright.
    pub fn image(&self, r: &Range<usize>) -> Option<Range<usize>> {
        let mut lo = usize::MAX;
        let mut hi = 0;
        for op in &self.ops {
            let (o, n) = (op.old_range(), op.new_range());
            let overlap = o.start.max(r.start)..o.end.min(r.end);
            if overlap.is_empty() {
                continue;
            }
            match op {
                DiffOp::Equal { .. } => {
                    lo = lo.min(n.start + overlap.start - o.start);
                    hi = hi.max(n.start + overlap.end - o.start);
                }
                DiffOp::Replace { .. } if !n.is_empty() => {
                    lo = lo.min(n.start);
                    hi = hi.max(n.end);
                }
                _ => {}
            }
        }
        (lo < hi).then_some(lo..hi)
    }
}

/// How well the context of a place fits the stored prefix and suffix (each 0–1, `None` when
/// nothing is stored on that side): with `similarity`, by edit distance; without, as the share of
/// the stored prefix (suffix) that the text just before (after) the place ends (starts) with.
/// Where the paragraph leaves less room than was stored, the share is of what there is room for,
/// but never of fewer than 8 chars (a 2-char match at a paragraph's end is weak evidence).
pub fn context_fit(
    text: &ParaText,
    r: &Range<usize>,
    quote: &Quote,
    similarity: bool,
) -> (Option<f64>, Option<f64>) {
    let p_len = quote.prefix.chars().count();
    let s_len = quote.suffix.chars().count();
    let before = text
        .slice(r.start.saturating_sub(p_len)..r.start)
        .unwrap_or("");
    let after = text
        .slice(r.end..(r.end + s_len).min(text.len()))
        .unwrap_or("");
    let fit = |stored: &str, stored_len: usize, actual: &str, from_end: bool| -> Option<f64> {
        if stored.is_empty() {
            return None;
        }
        if similarity {
            return Some(string_similarity(stored, actual));
        }
        let common = if from_end {
            stored
                .chars()
                .rev()
                .zip(actual.chars().rev())
                .take_while(|(a, b)| a == b)
                .count()
        } else {
            stored
                .chars()
                .zip(actual.chars())
                .take_while(|(a, b)| a == b)
                .count()
        };
        let room = actual
            .chars()
            .count()
            .min(stored_len)
            .max(stored_len.min(8));
        Some(common as f64 / room as f64)
    };
    // A paragraph break where the old text had a sentence end is a split: the context on that
    // side was cut off, which says nothing either way.
    let cut_before = (r.start == 0 || before.ends_with("\n\n")) && ends_sentence(&quote.prefix);
    let cut_after = (r.end >= text.len() || after.starts_with("\n\n"))
        && !quote.suffix.is_empty()
        && ends_sentence(&quote.exact);
    (
        fit(&quote.prefix, p_len, before, true).filter(|_| !cut_before),
        fit(&quote.suffix, s_len, after, false).filter(|_| !cut_after),
    )
}

/// Whether a text ends a sentence (spaces, closing quotes and brackets aside).
fn ends_sentence(s: &str) -> bool {
    let closers: &[char] = &[')', '"', '\'', '”', '’', '」', '』', '）', '»'];
    let s = s.trim_end().trim_end_matches(closers);
    s.ends_with(['.', '!', '?', '。', '！', '？', '．'])
}

/// The mean of the sides that have a stored context; 0.5 (no evidence either way) when neither has.
pub fn mean_fit(fit: (Option<f64>, Option<f64>)) -> f64 {
    match fit {
        (Some(p), Some(s)) => (p + s) / 2.0,
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => 0.5,
    }
}

/// 1 − edit distance / length of the longer string.
pub fn string_similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    1.0 - row[b.len()] as f64 / longest as f64
}

/// Outcome of an exact search.
#[derive(Debug, Clone, PartialEq)]
pub enum Exact {
    /// One place, singled out by its context.
    Found(Range<usize>),
    /// Several places fit equally well.
    Ambiguous(Vec<Range<usize>>),
    /// The quote and its context were not distinctive even in the old text: not guessed.
    NotDistinctive(usize),
    /// No occurrence with enough context.
    None,
}

/// Minimum context fit (mean of prefix and suffix, 0–1) for an exact relocation.
const MIN_CONTEXT: f64 = 0.5;
/// Quotes this long (in chars) that occur once in the old paragraph and once in its new text
/// are relocated even when their context was rewritten.
const LONG_QUOTE: usize = 12;
/// How much better than any other place the chosen place must fit.
const CONTEXT_MARGIN: f64 = 0.25;

/// Finds the exact quote in the new text, singled out by its context. `old` is the old paragraph
/// and `old_start` where the quote was in it (to check that the context was distinctive there).
pub fn exact(new: &ParaText, quote: &Quote, old: &ParaText, old_start: Option<usize>) -> Exact {
    let len = quote.exact.chars().count();
    let score =
        |text: &ParaText, at: usize| mean_fit(context_fit(text, &(at..at + len), quote, false));
    let mut hits: Vec<(f64, usize)> = new
        .find_all(&quote.exact)
        .into_iter()
        .map(|h| (score(new, h), h))
        .collect();
    hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let Some(&(best, at)) = hits.first() else {
        return Exact::None;
    };
    if best < MIN_CONTEXT {
        // Context rewritten on both sides: a long quote found once where it was once is still
        // itself.
        let once_before = old.find_all(&quote.exact).len() == 1;
        if len >= LONG_QUOTE && hits.len() == 1 && once_before {
            return Exact::Found(at..at + len);
        }
        return Exact::None;
    }
    let rivals_old = old
        .find_all(&quote.exact)
        .into_iter()
        .filter(|&h| Some(h) != old_start && score(old, h) >= best - CONTEXT_MARGIN)
        .count();
    if rivals_old > 0 {
        return Exact::NotDistinctive(rivals_old + 1);
    }
    let rivals: Vec<Range<usize>> = hits
        .iter()
        .filter(|(s, _)| *s >= best - CONTEXT_MARGIN)
        .map(|&(_, h)| h..h + len)
        .collect();
    if rivals.len() > 1 {
        return Exact::Ambiguous(rivals);
    }
    Exact::Found(at..at + len)
}

/// An approximate match and its score parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Approx {
    /// Where.
    pub range: Range<usize>,
    /// Similarity of the text there to the quote (0–1).
    pub quote: f64,
    /// Combined score (0–1): (50·quote + 20·prefix + 20·suffix + 2·position) / 92.
    pub score: f64,
}

/// Approximate matches of `quote` in `text` (Sellers' edit-distance search), best first, at most
/// `max` of them, no two overlapping. `rel_pos` is where (0–1) the quote was in the old text.
pub fn approximate(text: &ParaText, quote: &Quote, rel_pos: f64, max: usize) -> Vec<Approx> {
    let q: Vec<char> = quote.exact.chars().collect();
    let t: Vec<char> = text.text.chars().collect();
    let m = q.len();
    if m == 0 || t.is_empty() {
        return Vec::new();
    }
    // cost[i] and start[i]: best alignment of q[..i] ending at the current text position.
    let mut cost: Vec<usize> = (0..=m).collect();
    let mut start: Vec<usize> = vec![0; m + 1];
    let mut ends: Vec<(usize, usize, usize)> = Vec::new();
    for (j, tc) in t.iter().enumerate() {
        let (mut diag_cost, mut diag_start) = (cost[0], start[0]);
        cost[0] = 0;
        start[0] = j + 1;
        for i in 1..=m {
            let sub = (diag_cost + usize::from(q[i - 1] != *tc), diag_start);
            let del = (cost[i] + 1, start[i]);
            let ins = (cost[i - 1] + 1, start[i - 1]);
            (diag_cost, diag_start) = (cost[i], start[i]);
            let best = [sub, del, ins]
                .into_iter()
                .min_by_key(|&(c, _)| c)
                .unwrap_or(sub);
            (cost[i], start[i]) = best;
        }
        ends.push((cost[m], start[m], j + 1));
    }
    ends.sort_by_key(|&(c, s, e)| (c, (e - s.min(e)).abs_diff(m), s));
    let mut out: Vec<Approx> = Vec::new();
    for (c, s, e) in ends {
        if out.len() >= max || c * 2 > m {
            break;
        }
        let r = s..e;
        if r.is_empty()
            || out
                .iter()
                .any(|a| a.range.start < r.end && r.start < a.range.end)
        {
            continue;
        }
        let qs = 1.0 - c as f64 / m.max(r.len()) as f64;
        let (p, sf) = context_fit(text, &r, quote, true);
        let (p, sf) = (p.unwrap_or(0.5), sf.unwrap_or(0.5));
        let pos = 1.0 - (r.start as f64 / text.len().max(1) as f64 - rel_pos).abs();
        let score = (50.0 * qs + 20.0 * p + 20.0 * sf + 2.0 * pos) / 92.0;
        out.push(Approx {
            range: r,
            quote: qs,
            score,
        });
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.range.start.cmp(&b.range.start))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(text: &ParaText, r: Range<usize>) -> Quote {
        text.quote(r).unwrap()
    }

    #[test]
    fn char_map_follows_unchanged_text() {
        let old = "President Gorbachev visited Japan in April.";
        let new = "In April 1991, President M.S. Gorbachev visited Japan.";
        let map = CharMap::new(old, new, Duration::from_secs(1));
        let r = map.range(&(20..27)).unwrap(); // "visited"
        assert_eq!(&new.chars().collect::<String>()[r.clone()], "visited");
        assert_eq!(
            map.image(&(10..19)).map(|r| new[r].to_string()).as_deref(),
            Some("Gorbachev")
        );
    }

    #[test]
    fn a_split_at_a_sentence_end_cuts_the_context_without_contradicting_it() {
        let old = ParaText::new("They met in Irkutsk. Both parties agreed.");
        let q = quote(&old, 21..25); // "Both", after a sentence end
        let split = ParaText::new("Both parties agreed.");
        assert_eq!(context_fit(&split, &(0..4), &q, true), (None, Some(1.0)));
        let joined = ParaText::new("They met.\n\nBoth parties agreed.");
        assert_eq!(context_fit(&joined, &(11..15), &q, false).0, None);
        // Not after a sentence end: a paragraph start is other context.
        let old = ParaText::new("They met in Irkutsk and Both parties agreed.");
        let q = quote(&old, 24..28);
        assert_eq!(context_fit(&split, &(0..4), &q, true).0, Some(0.0));
        // The quote ends a sentence and the paragraph ends after it: the suffix was cut.
        let old = ParaText::new("Both parties agreed. They met.");
        let q = quote(&old, 13..20); // "agreed."
        assert_eq!(context_fit(&split, &(13..20), &q, true), (Some(1.0), None));
    }

    #[test]
    fn exact_relocation_needs_distinctive_context() {
        let old = ParaText::new("Habomai and Shikotan. Later: Habomai and Kunashiri.");
        let q = quote(&old, 0..7);
        // The first "Habomai" is gone; the second has other context: not relocated.
        let new = ParaText::new("Later: Habomai and Kunashiri.");
        assert_eq!(exact(&new, &q, &old, Some(0)), Exact::None);
        // Text moved, context intact: relocated.
        let moved = ParaText::new("Later: Habomai and Kunashiri. Habomai and Shikotan.");
        assert_eq!(exact(&moved, &q, &old, Some(0)), Exact::Found(30..37));
        // Same context twice in the old text: not distinctive.
        let twice = ParaText::new("x Habomai y. x Habomai y.");
        let q2 = quote(&twice, 2..9);
        let after = ParaText::new("z. x Habomai y.");
        assert!(matches!(
            exact(&after, &q2, &twice, Some(2)),
            Exact::NotDistinctive(2)
        ));
    }

    #[test]
    fn approximate_search_scores_and_ranks() {
        let old =
            ParaText::new("the islands of Habomai, Shikotan, Kunashiri and Etorofu are named");
        let q = quote(&old, 15..22);
        let new =
            ParaText::new("the islands of Khabomai, Shikotan, Kunashiri and Etorofu are named");
        let hits = approximate(&new, &q, 15.0 / 64.0, 3);
        let found = new.slice(hits[0].range.clone()).unwrap();
        assert_eq!(found, "habomai");
        assert!(hits[0].score > 0.8, "{hits:?}");
        assert!((string_similarity("kitten", "sitting") - (1.0 - 3.0 / 7.0)).abs() < 1e-9);
    }

    #[test]
    fn joined_paragraphs_locate_ranges() {
        let j = join(&[(4, "abc"), (5, "de")]);
        assert_eq!(j.locate(&(5..7)), Some((1, 0..2)));
        assert_eq!(j.locate(&(2..6)), None, "crosses the paragraph break");
    }
}
