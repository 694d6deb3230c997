//! Which new paragraphs each old paragraph became: the paragraph alignment, checked against the
//! text itself.
//!
//! `migrate` must never move an annotation into a paragraph that is not the one it was on. The
//! version aligner says which paragraphs correspond (splits, merges and moves included, as well as
//! it can); this module keeps a pairing only when the texts bear it out, and adds the pairings the
//! text proves but the aligner missed:
//!
//! - a new paragraph whose text is identical to the old one (a move, or a mis-pairing) — and a
//!   new paragraph identical to *another* old paragraph belongs to that one only;
//! - a pairing of the aligner whose texts share at least [`CorrespondConfig::min_share_aligned`]
//!   of their char n-grams (5 chars; 3 for Japanese and Chinese; of the smaller side), and
//!   whose new paragraph holds the old one's signature (below) or comes from no other old
//!   paragraph more; when the aligner found the two similar ([`CorrespondConfig::similar_pair`]:
//!   most of their words match), half that share suffices, signature or not — a short heading
//!   with one word of three changed shares few n-grams, and a signature line's words all occur
//!   in a longer paragraph too;
//! - a new paragraph that holds at least [`CorrespondConfig::min_signature`] of the old
//!   paragraph's *signature* — its n-grams found in no other old paragraph — however it got
//!   there (an edit, a move, a split part, a merge, or a split part merged elsewhere). Text the
//!   old paragraph shares with others (a recurring phrase, a heading repeated in a footer) proves
//!   nothing and is not counted.
//!
//! Shared n-grams are counted through an inverted index of the new text that skips n-grams found
//! in many paragraphs (boilerplate), so the cost stays near linear in the size of the texts.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::align::Alignment;
use crate::text::Document;
use crate::text::script::is_cjk;

/// Settings of [`correspond`].
#[derive(Debug, Clone)]
pub struct CorrespondConfig {
    /// Share of the old paragraph's signature (0–1) a new paragraph must hold to correspond.
    pub min_signature: f64,
    /// Share of n-grams (of the smaller side) a pairing of the aligner must bear out…
    pub min_share_aligned: f64,
    /// …or half as much when the aligner found the texts this similar (0–1, by matched words):
    /// a short heading with one word of three changed shares few n-grams.
    pub similar_pair: f64,
    /// n-grams found in more paragraphs than this are not indexed (they prove nothing).
    pub max_postings: usize,
}

impl Default for CorrespondConfig {
    fn default() -> Self {
        Self {
            min_signature: 0.3,
            min_share_aligned: 0.5,
            similar_pair: 0.5,
            max_postings: 64,
        }
    }
}

/// The n-grams of a text, hashed; whitespace and case do not count (editions differ in both).
fn grams(text: &str, n: usize) -> HashSet<u64> {
    let chars: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if chars.len() < n {
        let mut h = DefaultHasher::new();
        chars.hash(&mut h);
        return HashSet::from([h.finish()]);
    }
    chars
        .windows(n)
        .map(|w| {
            let mut h = DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

/// The n-gram length for a document pair: 3 for mostly CJK text, else 5.
fn gram_len(old: &Document, new: &Document) -> usize {
    let (mut cjk, mut all) = (0usize, 0usize);
    for t in old.texts().chain(new.texts()) {
        for c in t.chars().filter(|c| !c.is_whitespace()) {
            all += 1;
            cjk += usize::from(is_cjk(c));
        }
    }
    if cjk * 2 > all { 3 } else { 5 }
}

/// The n-grams of both texts and the indexes over them.
struct Grams {
    old: Vec<HashSet<u64>>,
    new: Vec<HashSet<u64>>,
    /// In how many old paragraphs each n-gram occurs.
    old_count: HashMap<u64, u32>,
    /// n-gram → new paragraphs (n-grams in too many paragraphs left out).
    new_index: HashMap<u64, Vec<usize>>,
    /// n-gram → old paragraphs (likewise).
    old_index: HashMap<u64, Vec<usize>>,
}

impl Grams {
    fn new(old: &Document, new: &Document, max_postings: usize) -> Self {
        let n = gram_len(old, new);
        let old_grams: Vec<HashSet<u64>> = old.texts().map(|t| grams(t, n)).collect();
        let new_grams: Vec<HashSet<u64>> = new.texts().map(|t| grams(t, n)).collect();
        let index = |sets: &[HashSet<u64>]| {
            let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
            for (j, g) in sets.iter().enumerate() {
                for &h in g {
                    index.entry(h).or_default().push(j);
                }
            }
            index
        };
        let old_index = index(&old_grams);
        let old_count = old_index
            .iter()
            .map(|(h, p)| (*h, p.len() as u32))
            .collect();
        let mut new_index = index(&new_grams);
        new_index.retain(|_, postings| postings.len() <= max_postings);
        let mut old_index = old_index;
        old_index.retain(|_, postings| postings.len() <= max_postings);
        Self {
            old: old_grams,
            new: new_grams,
            old_count,
            new_index,
            old_index,
        }
    }

    /// The n-grams of old paragraph `i` that no other old paragraph has.
    fn signature(&self, i: usize) -> impl Iterator<Item = &u64> {
        self.old[i]
            .iter()
            .filter(|h| self.old_count.get(h) == Some(&1))
    }
}

/// For each old paragraph (by index), the indices of the new paragraphs it corresponds to, in
/// document order; empty when it was deleted (or rewritten beyond recognition).
pub fn correspond(
    old: &Document,
    new: &Document,
    alignment: &Alignment,
    config: &CorrespondConfig,
) -> Vec<Vec<usize>> {
    let aligned = aligned_pairs(alignment, old.paragraphs.len());
    let g = Grams::new(old, new, config.max_postings);
    let mut old_by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in old.paragraphs.iter().enumerate() {
        old_by_text.entry(p.text.as_str()).or_default().push(i);
    }
    let sources = sources(&g);
    // A new paragraph identical to an old one belongs to it (or to the old copies of its text);
    // one made of old paragraphs put together verbatim belongs to them.
    let owners: Vec<Option<Vec<usize>>> = new
        .paragraphs
        .iter()
        .enumerate()
        .map(|(j, p)| {
            old_by_text
                .get(p.text.as_str())
                .cloned()
                .or_else(|| verbatim_owners(old, &p.text, &sources[j]))
        })
        .collect();
    let free = |i: usize, j: usize| owners[j].as_ref().is_none_or(|o| o.contains(&i));
    let mut out: Vec<Vec<usize>> = (0..old.paragraphs.len())
        .map(|i| by_content(i, old, new, &aligned[i], &g, &sources, config, &free))
        .collect();
    for (j, ranked) in sources.iter().enumerate() {
        // A new paragraph made mostly (half or more of its n-grams) of one old paragraph, clearly
        // more than of any other: a piece of a split merged elsewhere, in common words.
        if let Some(&(best, i)) = ranked.first() {
            let second = ranked.get(1).map_or(0, |r| r.0);
            if best >= 8
                && best * 2 >= g.new[j].len()
                && second * 5 < best * 4
                && owners[j].is_none()
            {
                out[i].push(j);
            }
        }
    }
    verbatim_merges(old, new, &free, &mut out);
    for o in &mut out {
        o.sort_unstable();
        o.dedup();
    }
    out
}

/// Identical text, the aligner's pairings that the text bears out, and new paragraphs holding
/// the old one's signature.
#[allow(clippy::too_many_arguments)] // one private call site; all distinct inputs
fn by_content(
    i: usize,
    old: &Document,
    new: &Document,
    aligned: &[(usize, f64)],
    g: &Grams,
    sources: &[Vec<(usize, usize)>],
    config: &CorrespondConfig,
    free: &dyn Fn(usize, usize) -> bool,
) -> Vec<usize> {
    let text = old.paragraphs[i].text.as_str();
    let same: Vec<usize> = (0..new.paragraphs.len())
        .filter(|&j| new.paragraphs[j].text == text)
        .collect();
    if same.len() > 1
        && let Some(&j) = same.iter().find(|&&j| aligned.iter().any(|a| a.0 == j))
    {
        // The text occurs several times; the aligner says which copy is this paragraph.
        return vec![j];
    }
    let mut out = same;
    let og = &g.old[i];
    let mut signature = 0;
    let mut held: HashMap<usize, usize> = HashMap::new();
    for h in g.signature(i) {
        signature += 1;
        for &j in g.new_index.get(h).map_or(&[][..], Vec::as_slice) {
            *held.entry(j).or_default() += 1;
        }
    }
    for &(j, similarity) in aligned.iter().filter(|a| free(i, a.0)) {
        let shared = og.intersection(&g.new[j]).count();
        let smaller = og.len().min(g.new[j].len()).max(1);
        // The aligner's pairing stands if the texts overlap and the new paragraph holds this
        // one's signature, or comes from no other old paragraph more than from this one.
        let signed = signature > 0
            && held.get(&j).copied().unwrap_or(0) as f64 / signature as f64 >= config.min_signature;
        let best = sources[j].first().map_or(0, |r| r.0);
        let own = sources[j].iter().find(|r| r.1 == i).map_or(0, |r| r.0);
        let tied = sources[j].iter().filter(|r| r.0 == best).count() > 1;
        // Tied with another source, it must also hold much of this paragraph.
        let main = own >= best && (!tied || shared * 2 >= og.len());
        let need = if similarity >= config.similar_pair {
            config.min_share_aligned / 2.0
        } else {
            config.min_share_aligned
        };
        if shared as f64 / smaller as f64 >= need
            && (signed || main || similarity >= config.similar_pair)
        {
            out.push(j);
        }
    }
    for (&j, &s) in &held {
        // Most of the old paragraph's signature, or a new paragraph made mostly of it.
        let holds = s as f64 / signature as f64 >= config.min_signature;
        let piece = s >= 8 && s * 2 >= g.new[j].len();
        if free(i, j) && (holds || piece) {
            out.push(j);
        }
    }
    out
}

/// The old paragraphs that, found verbatim in `text`, make up all of it but whitespace (a merge
/// of unedited paragraphs); `None` when they do not.
fn verbatim_owners(old: &Document, text: &str, sources: &[(usize, usize)]) -> Option<Vec<usize>> {
    let mut found: Vec<usize> = Vec::new();
    let mut covered = vec![false; text.len()];
    for &(_, i) in sources {
        let t = old.paragraphs[i].text.as_str();
        if t.trim().is_empty() {
            continue;
        }
        if let Some(at) = text.find(t) {
            found.push(i);
            covered[at..at + t.len()].iter_mut().for_each(|c| *c = true);
        }
    }
    let all = text
        .char_indices()
        .all(|(b, c)| c.is_whitespace() || covered[b]);
    (found.len() > 1 && all).then(|| {
        found.sort_unstable();
        found
    })
}

/// For each new paragraph, the old paragraphs it shares n-grams with: (count, old index), most
/// first.
fn sources(g: &Grams) -> Vec<Vec<(usize, usize)>> {
    g.new
        .iter()
        .map(|ng| {
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for h in ng {
                for &i in g.old_index.get(h).map_or(&[][..], Vec::as_slice) {
                    *counts.entry(i).or_default() += 1;
                }
            }
            let mut ranked: Vec<(usize, usize)> = counts.into_iter().map(|(i, c)| (c, i)).collect();
            ranked.sort_unstable_by(|a, b| b.cmp(a));
            ranked
        })
        .collect()
}

/// The paragraphs of a document joined by NUL (which no text holds), to find text verbatim in
/// all of them with one SIMD search.
struct Concat {
    text: String,
    starts: Vec<usize>,
}

impl Concat {
    fn new(doc: &Document) -> Self {
        let mut text = String::new();
        let mut starts = Vec::new();
        for p in &doc.paragraphs {
            starts.push(text.len());
            text.push_str(&p.text);
            text.push('\0');
        }
        Self { text, starts }
    }

    /// The paragraphs holding `needle`, one entry per occurrence.
    fn find(&self, needle: &str) -> Vec<usize> {
        memchr::memmem::find_iter(self.text.as_bytes(), needle.as_bytes())
            .map(|at| self.starts.partition_point(|&s| s <= at) - 1)
            .collect()
    }
}

/// Longest old paragraph (in bytes) looked for verbatim when nothing else found it.
const VERBATIM_MAX: usize = 600;
/// Shortest text that, found once in each version, is taken to be the same text.
const VERBATIM_UNIQUE: usize = 12;

/// Merges and split pieces that the n-grams cannot prove because their text is all common: an
/// old paragraph found verbatim in a new one together with its neighbour's text (or matched to
/// its neighbour), or found verbatim once in each version; a new paragraph found verbatim in an
/// old one, next to another piece of it.
fn verbatim_merges(
    old: &Document,
    new: &Document,
    free: &dyn Fn(usize, usize) -> bool,
    out: &mut [Vec<usize>],
) {
    let first: Vec<Vec<usize>> = out.to_vec();
    let n = old.paragraphs.len();
    let (old_all, new_all) = (Concat::new(old), Concat::new(new));
    let with = |k: usize, j: usize| {
        k < n
            && (first[k].contains(&j)
                || new.paragraphs[j]
                    .text
                    .contains(old.paragraphs[k].text.as_str()))
    };
    for i in 0..n {
        let text = old.paragraphs[i].text.as_str();
        if first[i].iter().any(|&j| new.paragraphs[j].text == text) {
            continue;
        }
        if text.trim().is_empty() || text.len() > VERBATIM_MAX {
            continue;
        }
        let found = new_all.find(text);
        let unique = text.chars().count() >= VERBATIM_UNIQUE
            && found.len() == 1
            && old_all.find(text).len() == 1;
        for &j in &found {
            let p = &new.paragraphs[j].text;
            // Merged with the next paragraph, the previous one, or both.
            let merged = if p.starts_with(text) {
                with(i + 1, j)
            } else if p.ends_with(text) {
                i > 0 && with(i - 1, j)
            } else {
                i > 0 && with(i - 1, j) && with(i + 1, j)
            };
            if free(i, j) && (merged || unique) {
                out[i].push(j);
            }
        }
    }
    let claimed: HashSet<usize> = first.iter().flatten().copied().collect();
    for (j, p) in new
        .paragraphs
        .iter()
        .enumerate()
        .filter(|(j, p)| !claimed.contains(j) && !p.text.trim().is_empty())
    {
        // A piece of a split: verbatim in an old paragraph that owns the piece next to it.
        for i in (0..n).filter(|&i| {
            [j.checked_sub(1), Some(j + 1)]
                .into_iter()
                .flatten()
                .any(|k| first[i].contains(&k))
        }) {
            if free(i, j) && old.paragraphs[i].text.contains(p.text.as_str()) {
                out[i].push(j);
            }
        }
    }
}

/// The aligner's pairing: for each old paragraph, the new paragraphs of its bead (or move), with
/// the similarity the aligner found.
fn aligned_pairs(alignment: &Alignment, old_len: usize) -> Vec<Vec<(usize, f64)>> {
    let mut out = vec![Vec::new(); old_len];
    let spans = alignment
        .beads
        .iter()
        .map(|b| (&b.spans, b.similarity.unwrap_or(0.0)))
        .chain(alignment.moves.iter().map(|m| (&m.spans, m.similarity)));
    for (spans, similarity) in spans {
        if let [o, n] = &spans[..] {
            for i in o.clone().filter(|&i| i < old_len) {
                out[i].extend(n.clone().map(|j| (j, similarity)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::versions::{VersionConfig, align};
    use crate::text::{Source, segment};

    fn doc(text: &str) -> Document {
        segment(&Source::from_text("t", text)).unwrap()
    }

    /// Short paragraphs the aligner pairs with confidence: a heading with one word of three
    /// changed (few shared n-grams), and a signature line whose words all occur, with the ones
    /// inserted, in a longer paragraph (which shares more n-grams with it than it does).
    #[test]
    fn keeps_confident_pairings_of_short_paragraphs() {
        let body = "On 25 March 2001 the Prime Minister of Japan and the President of Russia, both parties, held talks in Irkutsk.\n\n\
                    The two leaders exchanged views.";
        let old = doc(&format!(
            "Irkutsk Statement (2001)\n\n{body}\n\nPrime Minister of Japan President of Russia"
        ));
        let new = doc(&format!(
            "Irkutsk the (2001)\n\n{body}\n\nPrime Minister of Japan, both parties, President of Russia"
        ));
        let a = align(&old, &new, &VersionConfig::default());
        let c = correspond(&old, &new, &a, &CorrespondConfig::default());
        assert_eq!(c[0], [0], "heading");
        assert_eq!(c[2], [2], "unchanged");
        assert_eq!(c[3], [3], "signature line");
    }

    #[test]
    fn follows_moves_splits_and_merges_and_drops_wrong_pairings() {
        let old = doc(
            "Alpha paragraph about the islands of Habomai and Shikotan.\n\n\
             Beta paragraph on the peace treaty negotiations in Tokyo.\n\n\
             Gamma paragraph: first sentence here. Second sentence there.\n\n\
             Delta one.\n\nDelta two.",
        );
        let new = doc(
            "Beta paragraph on the peace treaty negotiations in Tokyo.\n\n\
             Gamma paragraph: first sentence here.\n\n\
             Second sentence there.\n\n\
             Delta one. Delta two.\n\n\
             Alpha paragraph about the islands of Habomai and Shikotan.",
        );
        let a = align(&old, &new, &VersionConfig::default());
        let c = correspond(&old, &new, &a, &CorrespondConfig::default());
        assert_eq!(c[0], [4], "moved");
        assert_eq!(c[1], [0], "unchanged");
        assert_eq!(c[2], [1, 2], "split");
        assert_eq!(c[3], [3], "merged");
        assert_eq!(c[4], [3], "merged");
    }

    #[test]
    fn unrelated_paragraphs_do_not_correspond() {
        let old = doc("The Soviet side proposed measures to expand exchanges between residents.");
        let new = doc("I sincerely hope for your understanding and support.");
        let a = align(&old, &new, &VersionConfig::default());
        assert_eq!(
            correspond(&old, &new, &a, &CorrespondConfig::default()),
            [Vec::<usize>::new()]
        );
    }
}
