//! The search driver: the cheapest path through the band (Viterbi), with runs of paragraphs
//! without counterpart as states of their own so that a run costs one opening plus a cheap
//! extension per paragraph. Back-pointers take three bytes per cell.

use super::band::Band;
use super::search::{Model, Scratch};

impl Model<'_> {
    /// The cheapest path through the band: the bead shapes `(a, b)` in document order, a run
    /// of `k` paragraphs without counterpart being one shape `(k, 0)` or `(0, k)`.
    ///
    /// Three states per cell: the path last ended a bead (`C`), or is inside a run of right
    /// (`R`) or left (`L`) paragraphs without counterpart — so a run costs one opening plus a
    /// cheap extension per paragraph, at O(1) per cell.
    /// Returns the shapes and the cost of the path (its negative log probability).
    pub fn viterbi_cost(&self, band: &Band) -> (Vec<(usize, usize)>, f64) {
        const FROM_R: u16 = 0xFFFF;
        const FROM_L: u16 = 0xFFFE;
        const FROM_START: u16 = 0xFFFD;
        let n = band.n();
        let cells = band.cells();
        let mut c = vec![f64::INFINITY; cells];
        let mut r = vec![f64::INFINITY; cells];
        let mut l = vec![f64::INFINITY; cells];
        let mut back = vec![0u16; cells];
        // Bit 0: the right run at this cell extends one; bit 1: the same for the left run.
        let mut extends = vec![0u8; cells];
        let mut scratch = Scratch::new(self.ev.tokens());
        c[0] = 0.0;
        for i in 0..=n {
            self.prepare_row(i, &mut scratch);
            for j in band.lo[i]..=band.hi[i] {
                let here = band.offset[i] + j - band.lo[i];
                if j >= 1
                    && let Some(p) = band.index(i, j - 1)
                {
                    let (open, ext) = (
                        c[p] + self.gap_open(1, j - 1),
                        r[p] + self.gap_extend(1, j - 1),
                    );
                    r[here] = open.min(ext);
                    extends[here] |= u8::from(ext < open);
                }
                if i >= 1
                    && let Some(p) = band.index(i - 1, j)
                {
                    let (open, ext) = (
                        c[p] + self.gap_open(0, i - 1),
                        l[p] + self.gap_extend(0, i - 1),
                    );
                    l[here] = open.min(ext);
                    extends[here] |= u8::from(ext < open) << 1;
                }
                if i == 0 && j == 0 {
                    continue;
                }
                let (mut best, mut arg) = if r[here] <= l[here] {
                    (r[here], FROM_R)
                } else {
                    (l[here], FROM_L)
                };
                let lead = self.lead(i, j);
                if lead < best {
                    (best, arg) = (lead, FROM_START);
                }
                self.beads_ending(i, j, band, &mut scratch, |a, b, cost| {
                    if let Some(p) = band.index(i - a, j - b) {
                        let v = c[p] + cost;
                        if v < best {
                            best = v;
                            arg = ((a as u16) << 8) | b as u16;
                        }
                    }
                });
                c[here] = best;
                back[here] = arg;
            }
        }
        // The path may end at any cell, the rest of both texts without counterpart.
        let (mut total, mut end) = (f64::INFINITY, (n, band.m));
        for i in 0..=n {
            for j in band.lo[i]..=band.hi[i] {
                let v = c[band.offset[i] + j - band.lo[i]] + self.trail(i, j);
                if v < total {
                    (total, end) = (v, (i, j));
                }
            }
        }
        // Back from the end cell in state C.
        let mut shapes: Vec<(usize, usize)> = Vec::new();
        let (mut i, mut j) = end;
        for tail in [(0, band.m - j), (n - i, 0)] {
            if tail != (0, 0) {
                shapes.push(tail);
            }
        }
        let mut state = 'C';
        let mut run = 0;
        while i > 0 || j > 0 {
            let Some(here) = band.index(i, j) else { break };
            match state {
                'C' => match back[here] {
                    FROM_R => state = 'R',
                    FROM_L => state = 'L',
                    FROM_START => {
                        for head in [(0, j), (i, 0)] {
                            if head != (0, 0) {
                                shapes.push(head);
                            }
                        }
                        (i, j) = (0, 0);
                    }
                    code => {
                        let (a, b) = (usize::from(code >> 8), usize::from(code & 0xff));
                        if (a == 0 && b == 0) || a > i || b > j {
                            break;
                        }
                        shapes.push((a, b));
                        i -= a;
                        j -= b;
                    }
                },
                'R' => {
                    run += 1;
                    let extended = extends[here] & 1 != 0;
                    j -= 1;
                    if !extended || j == 0 {
                        shapes.push((0, run));
                        run = 0;
                        state = 'C';
                    }
                }
                _ => {
                    run += 1;
                    let extended = extends[here] & 2 != 0;
                    i -= 1;
                    if !extended || i == 0 {
                        shapes.push((run, 0));
                        run = 0;
                        state = 'C';
                    }
                }
            }
        }
        if i > 0 || j > 0 {
            // Cannot happen with a connected band; never lose paragraphs if it does.
            shapes.push((i, j));
        }
        shapes.reverse();
        (shapes, total)
    }
}
