//! Semantic clean-up of a token diff, so that it reads like an editor's markup rather than
//! confetti of coincidental one-letter matches.
//!
//! The rule is diff-match-patch's `cleanupSemantic`: an equality that stands between two changes
//! and is no longer than the larger side of the change before it and of the change after it is
//! a coincidence (`の`, `,`, `a`), and the three become one replacement. Repeated until nothing
//! changes. Lengths are measured in characters of the comparison form, so a long shared word
//! survives between two short changes and a shared particle does not.

use std::ops::Range;

use similar::DiffTag;

/// A run of tokens: what happened, the old token range and the new token range.
pub type Run = (DiffTag, Range<usize>, Range<usize>);

/// Removes coincidental equalities between changes, in place. `len(tag, old, new)` measures a
/// run in characters.
pub fn semantic(runs: &mut Vec<Run>, len: impl Fn(DiffTag, &Range<usize>, &Range<usize>) -> usize) {
    merge_changes(runs);
    // After a merge at k, the equalities before k − 2 still stand between the same runs as when
    // they were kept: the scan starts again at k − 2, not at the beginning.
    let mut from = 1;
    loop {
        let mut merged = false;
        for k in from..runs.len().saturating_sub(1) {
            let (before, equal, after) = (&runs[k - 1], &runs[k], &runs[k + 1]);
            if equal.0 != DiffTag::Equal || before.0 == DiffTag::Equal || after.0 == DiffTag::Equal
            {
                continue;
            }
            let side = |r: &Run| {
                let old = len(DiffTag::Delete, &r.1, &r.2);
                let new = len(DiffTag::Insert, &r.1, &r.2);
                old.max(new)
            };
            let e = len(DiffTag::Equal, &equal.1, &equal.2);
            if e <= side(before) && e <= side(after) {
                let old = before.1.start..after.1.end;
                let new = before.2.start..after.2.end;
                runs.splice(k - 1..=k + 1, [(change_tag(&old, &new), old, new)]);
                merged = true;
                from = k.saturating_sub(2).max(1);
                break;
            }
        }
        if !merged {
            break;
        }
    }
}

/// Joins adjacent changes (a deletion next to an insertion is one replacement).
fn merge_changes(runs: &mut Vec<Run>) {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    for run in runs.drain(..) {
        if run.1.is_empty() && run.2.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.0 != DiffTag::Equal && run.0 != DiffTag::Equal => {
                let old = last.1.start..run.1.end.max(last.1.end);
                let new = last.2.start..run.2.end.max(last.2.end);
                *last = (change_tag(&old, &new), old, new);
            }
            Some(last) if last.0 == DiffTag::Equal && run.0 == DiffTag::Equal => {
                last.1.end = run.1.end;
                last.2.end = run.2.end;
            }
            _ => out.push(run),
        }
    }
    *runs = out;
}

/// The tag of a change with these ranges.
fn change_tag(old: &Range<usize>, new: &Range<usize>) -> DiffTag {
    match (old.is_empty(), new.is_empty()) {
        (false, true) => DiffTag::Delete,
        (true, false) => DiffTag::Insert,
        _ => DiffTag::Replace,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len(_: DiffTag, a: &Range<usize>, b: &Range<usize>) -> usize {
        a.len().max(b.len())
    }

    #[test]
    fn a_short_equality_between_changes_is_absorbed() {
        let mut runs = vec![
            (DiffTag::Equal, 0..5, 0..5),
            (DiffTag::Replace, 5..7, 5..7),
            (DiffTag::Equal, 7..8, 7..8),
            (DiffTag::Replace, 8..10, 8..10),
            (DiffTag::Equal, 10..20, 10..20),
        ];
        semantic(&mut runs, len);
        assert_eq!(
            runs,
            [
                (DiffTag::Equal, 0..5, 0..5),
                (DiffTag::Replace, 5..10, 5..10),
                (DiffTag::Equal, 10..20, 10..20),
            ]
        );
    }

    /// The rule applied the plain way: after every merge, scan again from the start.
    fn semantic_from_the_start(runs: &mut Vec<Run>) {
        merge_changes(runs);
        'scan: loop {
            for k in 1..runs.len().saturating_sub(1) {
                let (before, equal, after) = (&runs[k - 1], &runs[k], &runs[k + 1]);
                if equal.0 != DiffTag::Equal
                    || before.0 == DiffTag::Equal
                    || after.0 == DiffTag::Equal
                {
                    continue;
                }
                let side = |r: &Run| len(DiffTag::Delete, &r.1, &r.2);
                if len(DiffTag::Equal, &equal.1, &equal.2) <= side(before)
                    && len(DiffTag::Equal, &equal.1, &equal.2) <= side(after)
                {
                    let old = before.1.start..after.1.end;
                    let new = before.2.start..after.2.end;
                    runs.splice(k - 1..=k + 1, [(change_tag(&old, &new), old, new)]);
                    continue 'scan;
                }
            }
            return;
        }
    }

    #[test]
    fn resuming_the_scan_gives_what_restarting_gives() {
        let mut rng = crate::testing::Lcg(3);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..3_000 {
            let (mut i, mut j) = (0, 0);
            let mut runs = Vec::new();
            for _ in 0..next(30) {
                let (a, b) = (next(4), next(4));
                let tag = match next(3) {
                    0 => DiffTag::Equal,
                    1 => DiffTag::Delete,
                    _ => DiffTag::Insert,
                };
                let (a, b) = match tag {
                    DiffTag::Equal => (a + 1, a + 1),
                    DiffTag::Delete => (a + 1, 0),
                    _ => (0, b + 1),
                };
                runs.push((tag, i..i + a, j..j + b));
                (i, j) = (i + a, j + b);
            }
            let mut plain = runs.clone();
            semantic_from_the_start(&mut plain);
            semantic(&mut runs, len);
            assert_eq!(runs, plain);
        }
    }

    #[test]
    fn a_long_equality_survives_and_changes_merge() {
        let mut runs = vec![
            (DiffTag::Delete, 0..1, 0..0),
            (DiffTag::Insert, 1..1, 0..1),
            (DiffTag::Equal, 1..9, 1..9),
            (DiffTag::Delete, 9..10, 9..9),
        ];
        semantic(&mut runs, len);
        assert_eq!(
            runs,
            [
                (DiffTag::Replace, 0..1, 0..1),
                (DiffTag::Equal, 1..9, 1..9),
                (DiffTag::Delete, 9..10, 9..9),
            ]
        );
    }
}
