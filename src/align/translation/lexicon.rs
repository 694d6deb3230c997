//! A bilingual word list learned from the pair itself (the second pass, after hunalign's
//! `-realign` and Moore 2002).
//!
//! The first pass aligns with lengths and anchors only. Its beads that join both sides and
//! whose lengths agree are taken as training data: every left word and every right word of a
//! bead co-occur once. Word pairs that co-occur much more than chance (Dice coefficient over
//! beads, at least two co-occurrences) are linked greedily, best first, each word to at most two
//! partners (competitive linking; two so that inflected forms and kanji compounds find their
//! match). Each link becomes an anchor (`word:treaty=договор`) of both paragraphs containing its
//! words, and the second pass aligns with it.
//!
//! Words are compared in a crude normal form that needs no dictionary: Latin and Cyrillic words
//! lower-cased, accents dropped and cut to five letters (so `договора` and `договор` meet);
//! Japanese and Chinese as kanji pairs (bigrams inside runs of kanji, single kanji standing
//! alone) and whole katakana words; hiragana (grammar) is left out.

use rustc_hash::FxHashMap as HashMap;

use crate::align::anchors::names::strip_accents;
use crate::align::anchors::{Anchor, AnchorKind, fold};
use crate::text::script::{Script, script_of};

/// Letters kept of a Latin or Cyrillic word.
const STEM: usize = 5;

/// The words of a paragraph in the normal form described above (with repeats).
pub fn words(text: &str) -> Vec<String> {
    words_folded(&fold(text))
}

/// [`words`] of a text already folded by [`fold`].
pub fn words_folded(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut run_script: Option<Script> = None;
    let flush = |run: &mut String, script: Option<Script>, out: &mut Vec<String>| {
        match script {
            Some(Script::Han) => {
                let chars: Vec<char> = run.chars().collect();
                if chars.len() == 1 {
                    out.push(run.clone());
                } else {
                    out.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
                }
            }
            Some(Script::Katakana) => {
                if run.chars().count() >= 2 {
                    out.push(run.clone());
                }
            }
            Some(Script::Hiragana) | None => {}
            Some(_) => {
                let plain = strip_accents(run);
                if plain.chars().count() >= 3 {
                    out.push(plain.chars().take(STEM).collect());
                }
            }
        }
        run.clear();
    };
    for c in folded.chars() {
        let script = script_of(c);
        let same = script.is_some() && script == run_script;
        if !same {
            flush(&mut run, run_script, &mut out);
            run_script = script;
        }
        if script.is_some() {
            run.push(c);
        }
    }
    flush(&mut run, run_script, &mut out);
    out
}

/// The words of every paragraph of one text as numbers (one vocabulary per text), each
/// paragraph's list sorted and without repeats.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// The words, by number.
    pub words: Vec<String>,
    /// Per paragraph, the numbers of its words.
    pub paragraphs: Vec<Vec<u32>>,
}

impl Vocabulary {
    /// Builds the vocabulary of a text given as paragraphs folded by [`fold`].
    pub fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ids: HashMap<String, u32> = HashMap::default();
        let mut vocab = Vocabulary::default();
        for text in texts {
            let mut row: Vec<u32> = words_folded(text)
                .into_iter()
                .map(|w| {
                    *ids.entry(w).or_insert_with_key(|w| {
                        vocab.words.push(w.clone());
                        (vocab.words.len() - 1) as u32
                    })
                })
                .collect();
            row.sort_unstable();
            row.dedup();
            vocab.paragraphs.push(row);
        }
        vocab
    }
}

/// Learns word links from training beads `(left paragraphs, right paragraphs)`. Returns pairs
/// of word numbers (left vocabulary, right vocabulary).
pub fn learn(
    left: &Vocabulary,
    right: &Vocabulary,
    beads: &[(std::ops::Range<usize>, std::ops::Range<usize>)],
) -> Vec<(u32, u32)> {
    let union = |vocab: &Vocabulary, range: &std::ops::Range<usize>| -> Vec<u32> {
        let mut all: Vec<u32> = range
            .clone()
            .flat_map(|p| vocab.paragraphs[p].iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    let sides: Vec<(Vec<u32>, Vec<u32>)> = beads
        .iter()
        .map(|(l, r)| (union(left, l), union(right, r)))
        .collect();
    let mut count_l = vec![0u32; left.words.len()];
    let mut count_r = vec![0u32; right.words.len()];
    for (l, r) in &sides {
        l.iter().for_each(|&u| count_l[u as usize] += 1);
        r.iter().for_each(|&v| count_r[v as usize] += 1);
    }
    // Words in more than half the beads co-occur with everything; words seen once tell nothing.
    let limit = (sides.len() as u32 / 2).max(2);
    let useful = |c: u32| c >= 2 && c <= limit;
    let mut joint: HashMap<u64, u32> = HashMap::default();
    for (l, r) in &sides {
        let r: Vec<u32> = r
            .iter()
            .copied()
            .filter(|&v| useful(count_r[v as usize]))
            .collect();
        for &u in l.iter().filter(|&&u| useful(count_l[u as usize])) {
            for &v in &r {
                *joint
                    .entry((u64::from(u) << 32) | u64::from(v))
                    .or_default() += 1;
            }
        }
    }
    let mut candidates: Vec<(f64, u32, u32)> = joint
        .into_iter()
        .filter(|&(_, c)| c >= 2)
        .map(|(key, c)| {
            let (u, v) = ((key >> 32) as u32, key as u32);
            let dice = 2.0 * f64::from(c) / f64::from(count_l[u as usize] + count_r[v as usize]);
            (dice, u, v)
        })
        .filter(|&(dice, _, _)| dice >= 0.3)
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut links_l = vec![0u8; left.words.len()];
    let mut links_r = vec![0u8; right.words.len()];
    let mut out = Vec::new();
    for (_, u, v) in candidates {
        let (lu, lv) = (&mut links_l[u as usize], &mut links_r[v as usize]);
        if *lu < 2 && *lv < 2 {
            *lu += 1;
            *lv += 1;
            out.push((u, v));
        }
    }
    out.sort_unstable();
    out
}

/// Learned links as anchors: one anchor per link, and for every paragraph of each text the
/// links it carries (indices into `anchors`).
#[derive(Debug, Clone, Default)]
pub struct LinkAnchors {
    /// The anchor of each link (`word:treaty=договор`).
    pub anchors: Vec<Anchor>,
    /// Per left paragraph, its links.
    pub left: Vec<Vec<u32>>,
    /// Per right paragraph, its links.
    pub right: Vec<Vec<u32>>,
}

impl LinkAnchors {
    /// The anchors of paragraph `p` of the left (`side` 0) or right (1) text.
    pub fn of(&self, side: usize, p: usize) -> impl Iterator<Item = &Anchor> {
        let rows = if side == 0 { &self.left } else { &self.right };
        rows.get(p)
            .into_iter()
            .flatten()
            .map(|&k| &self.anchors[k as usize])
    }
}

/// The anchors that learned links give each paragraph of both texts.
pub fn anchors(left: &Vocabulary, right: &Vocabulary, links: &[(u32, u32)]) -> LinkAnchors {
    let mut by_left: HashMap<u32, Vec<u32>> = HashMap::default();
    let mut by_right: HashMap<u32, Vec<u32>> = HashMap::default();
    for (k, &(u, v)) in links.iter().enumerate() {
        by_left.entry(u).or_default().push(k as u32);
        by_right.entry(v).or_default().push(k as u32);
    }
    let anchors = links
        .iter()
        .enumerate()
        .map(|(k, &(u, v))| {
            let label = format!("{}={}", left.words[u as usize], right.words[v as usize]);
            Anchor::labelled(AnchorKind::Lexicon, k.to_string(), label)
        })
        .collect();
    let rows = |vocab: &Vocabulary, index: &HashMap<u32, Vec<u32>>| -> Vec<Vec<u32>> {
        vocab
            .paragraphs
            .iter()
            .map(|row| {
                row.iter()
                    .filter_map(|w| index.get(w))
                    .flatten()
                    .copied()
                    .collect()
            })
            .collect()
    };
    LinkAnchors {
        anchors,
        left: rows(left, &by_left),
        right: rows(right, &by_right),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms() {
        assert_eq!(words("The Peace Treaty"), ["the", "peace", "treat"]);
        assert_eq!(words("мирного договора"), ["мирно", "догов"]);
        assert_eq!(words("Expédition à l'Everest"), ["exped", "evere"]);
        assert_eq!(
            words("平和条約の締結とゴルバチョフ"),
            ["平和", "和条", "条約", "締結", "ゴルバチョフ"]
        );
        assert_eq!(words("酒をのむ"), ["酒"]);
    }

    #[test]
    fn links_words_that_travel_together() {
        let left = Vocabulary::of([
            "peace treaty now",
            "peace and war",
            "treaty signed",
            "war again",
            "nothing here",
        ]);
        let right = Vocabulary::of([
            "мир договор",
            "мир война",
            "договор подписан",
            "война снова",
            "ничего",
        ]);
        let beads: Vec<_> = (0..5).map(|k| (k..k + 1, k..k + 1)).collect();
        let links = learn(&left, &right, &beads);
        let named: Vec<(String, String)> = links
            .iter()
            .map(|&(u, v)| {
                (
                    left.words[u as usize].clone(),
                    right.words[v as usize].clone(),
                )
            })
            .collect();
        for pair in [("peace", "мир"), ("treat", "догов"), ("war", "война")] {
            assert!(
                named.contains(&(pair.0.to_string(), pair.1.to_string())),
                "{pair:?} not in {named:?}"
            );
        }
        let found = anchors(&left, &right, &links);
        assert!(found.of(0, 0).next().is_some() && found.of(1, 0).next().is_some());
        assert!(found.of(0, 4).next().is_none());
    }
}
