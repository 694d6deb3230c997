//! The steps of `migrate`'s cascade that look for an annotation's text in the new version of
//! its paragraph: through the char diff (**shifted**), by exact search singled out by context
//! (**relocated**), by approximate search (**fuzzy**). Each step either finds a place, stops the
//! cascade (ambiguous or orphaned, with why), or hands over to the next.
//!
//! Offsets are chars in the joined new text of the paragraph (see [`super::locate::Joined`]).

use std::ops::Range;

use super::anchor::ParaText;
use super::locate::{self, CharMap, Exact, Joined};
use super::migrate::MigrateConfig;
use super::model::{Quote, Status};
use crate::text::script::is_cjk;

/// What the steps look at.
pub struct Site<'s> {
    /// The old paragraph.
    pub old: &'s ParaText<'s>,
    /// The annotation's range in it.
    pub range: Range<usize>,
    /// Its quote (the text of the range and its context).
    pub quote: &'s Quote,
    /// The new paragraph(s) it became, joined.
    pub joined: &'s Joined,
    /// The char diff of the old paragraph against their joined text: one diff, so that a split
    /// paragraph's text is matched in one piece only (diffed against each piece alone, a short
    /// quote near the split may be matched into both).
    pub map: &'s CharMap,
    /// When the paragraph became several: the char diff of the old paragraph against each.
    pub pieces: &'s [CharMap],
    /// The old paragraph's ID, for messages.
    pub old_id: &'s str,
}

/// The outcome of a step.
pub enum Step {
    /// A place in the joined text.
    Found {
        status: Status,
        range: Range<usize>,
        score: Option<f64>,
        detail: Option<String>,
    },
    /// No place, and no later step may guess one.
    Stop(Status, String),
    /// No place; the next step may look.
    Next,
}

/// How much better (context similarity, 0–1) the best of several mapped places must fit.
const SHIFT_MARGIN: f64 = 0.1;
/// Minimum context fit (0–1, unchanged chars next to the range) of a range mapped through the
/// diff…
const SHIFT_CONTEXT: f64 = 0.25;
/// …or minimum similarity (0–1, by edit distance) of the context on one side.
const SHIFT_SIMILAR: f64 = 0.7;

/// Whether the text around a range mapped through the diff is still the annotation's context:
/// unchanged right next to it, or much the same on one side (a diff also pairs equal words of
/// different sentences, whose surroundings differ).
fn shift_context_holds(text: &ParaText, r: &std::ops::Range<usize>, quote: &Quote) -> bool {
    if locate::mean_fit(locate::context_fit(text, r, quote, false)) >= SHIFT_CONTEXT {
        return true;
    }
    let (p, s) = locate::context_fit(text, r, quote, true);
    p.into_iter().chain(s).any(|x| x >= SHIFT_SIMILAR)
}

/// Step 2: both ends of the range map through a diff to unchanged chars, the quote is the text
/// there, and the context agrees. The diff against the joined new text gives one place; when the
/// paragraph became several, the diff against each piece alone may give others (a diff breaks
/// ties between equally long matchings blindly: `Both parties` at the head of a paragraph that
/// was split and whose halves swapped may be paired with the other half's `Both parties`). The
/// place whose context fits best wins if it is clearly ahead; among places that fit equally
/// well, the joined diff's; else the quote is ambiguous. If the quote is found elsewhere with
/// context that fits clearly better than at every mapped place, and no worse on either side, the
/// diffs paired a copy: the exact search (step 3) decides.
///
/// Context rewritten on both sides: a quote found nowhere else in the old paragraph nor in its
/// new text, and paired by the joined diff, is itself (a diff pairs equal words of different
/// sentences too, but not a word that occurs once before and once after and was kept).
pub fn shifted(site: &Site) -> Step {
    let (joined, quote) = (site.joined, site.quote);
    if site.old.slice(site.range.clone()) != Some(quote.exact.as_str()) {
        return Step::Next;
    }
    let is_quote = |nr: &Range<usize>| joined.text.slice(nr.clone()) == Some(quote.exact.as_str());
    let main = site.map.range(&site.range).filter(is_quote);
    let mut hits: Vec<(f64, Range<usize>)> = Vec::new();
    let pieces = site.pieces.iter().enumerate().filter_map(|(k, m)| {
        let r = m.range(&site.range)?;
        Some(joined.starts[k] + r.start..joined.starts[k] + r.end)
    });
    for nr in main.iter().cloned().chain(pieces) {
        if is_quote(&nr)
            && shift_context_holds(&joined.text, &nr, quote)
            && !hits.iter().any(|h| h.1 == nr)
        {
            let fit = locate::mean_fit(locate::context_fit(&joined.text, &nr, quote, true));
            hits.push((fit, nr));
        }
    }
    let found = |range: Range<usize>, detail: Option<&str>| Step::Found {
        status: Status::Shifted,
        range,
        score: None,
        detail: detail.map(str::to_string),
    };
    let best = hits.iter().map(|h| h.0).fold(f64::MIN, f64::max);
    if hits.iter().all(|h| dominated(joined, &h.1, quote)) && !hits.is_empty() {
        return Step::Next;
    }
    let close: Vec<&Range<usize>> = hits
        .iter()
        .filter(|h| h.0 + SHIFT_MARGIN > best)
        .map(|h| &h.1)
        .collect();
    match (&close[..], &main) {
        ([only], _) => found((*only).clone(), None),
        ([], Some(nr))
            if site.old.find_all(&quote.exact) == [site.range.start]
                && joined.text.find_all(&quote.exact) == [nr.start] =>
        {
            found(
                nr.clone(),
                Some(
                    "context rewritten on both sides; the only place of the quote in its paragraph, before and after, and the diff pairs the two",
                ),
            )
        }
        ([], _) => Step::Next,
        (several, Some(nr)) if several.contains(&nr) => found(nr.clone(), None),
        (several, _) => Step::Stop(
            Status::Ambiguous,
            format!(
                "the quote maps to {} places of the new text of {} equally well",
                several.len(),
                site.old_id
            ),
        ),
    }
}

/// Whether another place of the quote has context that fits clearly better than at `r`, and at
/// least as well on each side: the diff paired a copy (the exact search, step 3, judges).
fn dominated(joined: &Joined, r: &Range<usize>, quote: &Quote) -> bool {
    let fit = |r: &Range<usize>| locate::context_fit(&joined.text, r, quote, true);
    let (p, s) = fit(r);
    let len = quote.exact.chars().count();
    joined.text.find_all(&quote.exact).into_iter().any(|h| {
        let other = h..h + len;
        let (op, os) = fit(&other);
        let side = |o: Option<f64>, x: Option<f64>| match (o, x) {
            (Some(o), Some(x)) => o >= x,
            _ => true,
        };
        other != *r
            && side(op, p)
            && side(os, s)
            && locate::mean_fit((op, os)) >= locate::mean_fit((p, s)) + SHIFT_MARGIN
    })
}

/// Step 3: the exact quote, singled out by its context (and distinctive in the old text too).
pub fn relocated(site: &Site) -> Step {
    match locate::exact(
        &site.joined.text,
        site.quote,
        site.old,
        Some(site.range.start),
    ) {
        Exact::Found(range) => Step::Found {
            status: Status::Relocated,
            range,
            score: None,
            detail: None,
        },
        Exact::Ambiguous(places) => {
            let at: Vec<String> = places
                .iter()
                .map(|r| format!("{}..{}", r.start, r.end))
                .collect();
            Step::Stop(
                Status::Ambiguous,
                format!(
                    "the quote fits {} places of the new text of {} equally well (joined offsets {})",
                    places.len(),
                    site.old_id,
                    at.join(", ")
                ),
            )
        }
        Exact::NotDistinctive(n) => Step::Stop(
            Status::Orphaned,
            format!(
                "its place is gone and the quote with its context fits {n} places of the old paragraph; not guessed"
            ),
        ),
        Exact::None => Step::Next,
    }
}

/// Step 4: an approximate match above the minimum score, clearly ahead of the runner-up, that
/// overlaps what the diff says became of the old range.
pub fn fuzzy(site: &Site, config: &MigrateConfig) -> Step {
    let (joined, quote) = (site.joined, site.quote);
    if !config.fuzzy || quote.exact.chars().count() > 1000 {
        return Step::Next;
    }
    let images: Vec<Range<usize>> = site.map.image(&site.range).into_iter().collect();
    let rel = site.range.start as f64 / site.old.len().max(1) as f64;
    let hits = locate::approximate(&joined.text, quote, rel, 8);
    let overlaps = |r: &Range<usize>| images.iter().any(|i| i.start < r.end && r.start < i.end);
    let Some(best) = hits.iter().find(|h| overlaps(&h.range)) else {
        return Step::Next;
    };
    let runner = hits
        .iter()
        .filter(|h| h.range.end <= best.range.start || best.range.end <= h.range.start)
        .map(|h| h.score)
        .fold(0.0, f64::max);
    if best.quote < config.min_quote_similarity
        || best.score < config.min_score
        || best.score - runner < config.min_margin
    {
        return Step::Next;
    }
    Step::Found {
        status: Status::Fuzzy,
        range: snap(&joined.text, best.range.clone(), site.old, &site.range),
        score: Some(round2(best.score)),
        detail: Some(format!(
            "approximate match, score {:.2}, runner-up {runner:.2}",
            best.score
        )),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Widens an approximate match to grapheme cluster boundaries and, when the old quote began and
/// ended at word boundaries, to the word boundaries of scripts written with spaces (`1956 г.` →
/// `1956 года`, not `1956 го`); never by more than 16 chars on a side.
fn snap(
    text: &ParaText,
    r: std::ops::Range<usize>,
    old: &ParaText,
    old_range: &std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !is_cjk(c));
    let at = |t: &ParaText, i: usize| t.slice(i..i + 1).and_then(|s| s.chars().next());
    let before = |t: &ParaText, i: usize| i.checked_sub(1).and_then(|j| at(t, j));
    let mut start = r.start;
    if !(word(before(old, old_range.start)) && word(at(old, old_range.start))) {
        while start > 0
            && r.start - start < 16
            && word(before(text, start))
            && word(at(text, start))
        {
            start -= 1;
        }
    }
    let mut end = r.end;
    if !(word(before(old, old_range.end)) && word(at(old, old_range.end))) {
        while end < text.len() && end - r.end < 16 && word(before(text, end)) && word(at(text, end))
        {
            end += 1;
        }
    }
    let start = (0..=start)
        .rev()
        .find(|&i| text.is_boundary(i))
        .unwrap_or(0);
    let end = (end..=text.len())
        .find(|&i| text.is_boundary(i))
        .unwrap_or(text.len());
    start..end
}
