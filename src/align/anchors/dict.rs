//! The user dictionary (`--dict FILE.tsv`): phrases that translate each other, one entry per
//! line, the phrases separated by tabs (`Habomai<TAB>Хабомаи<TAB>歯舞`; two columns or more,
//! phrases of several words allowed; `#` starts a comment line).
//!
//! A paragraph containing any phrase of an entry carries that entry's anchor, so one
//! dictionary serves every pair of witnesses. Matching ignores case and full-width forms. A
//! phrase in Japanese or Chinese matches anywhere (those languages have no spaces to find words
//! by); any other phrase must start at a word boundary but may end inside a word, so that
//! `Курил` matches `Курильских`.

use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{Anchor, AnchorKind, fold};
use crate::error::{Error, Result};
use crate::text::script::is_cjk;

/// A parsed user dictionary.
#[derive(Debug, Clone)]
pub struct Dictionary {
    /// The label of each entry (its first phrase).
    labels: Vec<String>,
    /// For each pattern of the matcher: its entry and whether it is CJK (matched anywhere).
    patterns: Vec<(usize, bool)>,
    matcher: Option<AhoCorasick>,
}

impl Dictionary {
    /// Reads a dictionary file (UTF-8).
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let before = &e.as_bytes()[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = String::from_utf8_lossy(
                &before[before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1)..],
            )
            .chars()
            .count()
                + 1;
            Error::InvalidUtf8 {
                path: path.to_path_buf(),
                offset,
                line,
                column,
                hint: crate::text::load::encoding_hint(e.as_bytes()),
            }
        })?;
        Self::parse(&text, path)
    }

    /// Parses dictionary text; `path` is used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let mut labels = Vec::new();
        let mut patterns = Vec::new();
        let mut phrases = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = line
                .split('\t')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            if cells.len() < 2 {
                return Err(Error::Invalid(format!(
                    "{}:{}:1: a dictionary line needs two phrases or more separated by a tab, found {:?}",
                    path.display(),
                    n + 1,
                    line
                )));
            }
            let entry = labels.len();
            labels.push(cells[0].to_string());
            for cell in cells {
                let phrase = fold(cell).to_lowercase();
                let cjk = phrase.chars().next().is_some_and(is_cjk);
                patterns.push((entry, cjk));
                phrases.push(phrase);
            }
        }
        let matcher = if phrases.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&phrases)
                    .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?,
            )
        };
        Ok(Self {
            labels,
            patterns,
            matcher,
        })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the dictionary has no entries.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The anchors of the entries found in a folded text (key: entry number, label: its first
    /// phrase).
    pub fn anchors(&self, folded: &str) -> Vec<Anchor> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let lower = folded.to_lowercase();
        let mut found: Vec<usize> = Vec::new();
        for m in matcher.find_overlapping_iter(&lower) {
            let (entry, cjk) = self.patterns[m.pattern().as_usize()];
            let at_boundary = lower[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric() || is_cjk(c));
            if cjk || at_boundary {
                found.push(entry);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|e| Anchor::labelled(AnchorKind::Dict, e.to_string(), self.labels[e].clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(text: &str) -> Dictionary {
        Dictionary::parse(text, Path::new("d.tsv")).unwrap()
    }

    fn labels(d: &Dictionary, text: &str) -> Vec<String> {
        d.anchors(&fold(text))
            .into_iter()
            .map(|a| a.label)
            .collect()
    }

    #[test]
    fn phrases_in_every_column_match() {
        let d = dict("# islands\nHabomai\tХабомаи\t歯舞\npeace treaty\tмирный договор\t平和条約\n");
        assert_eq!(d.len(), 2);
        assert_eq!(labels(&d, "the islands of Habomai"), ["Habomai"]);
        assert_eq!(labels(&d, "острова ХАБОМАИ"), ["Habomai"]);
        assert_eq!(labels(&d, "歯舞群島及び色丹島"), ["Habomai"]);
        assert_eq!(labels(&d, "平和条約の締結"), ["peace treaty"]);
        assert_eq!(
            labels(&d, "a Peace Treaty with Habomai"),
            ["Habomai", "peace treaty"]
        );
    }

    #[test]
    fn words_match_from_their_start_and_cjk_anywhere() {
        let d = dict("Kuril\tКурил\t千島\n");
        assert_eq!(labels(&d, "Курильских островов"), ["Kuril"]);
        assert!(labels(&d, "Pokuril").is_empty());
        assert_eq!(labels(&d, "南千島"), ["Kuril"]);
        assert_eq!(labels(&d, "ＫＵＲＩＬ"), ["Kuril"]);
    }

    #[test]
    fn a_line_without_a_tab_is_an_error_naming_the_line() {
        let err = Dictionary::parse("a\tb\nlonely\n", Path::new("d.tsv")).unwrap_err();
        assert!(err.to_string().starts_with("d.tsv:2:1:"), "{err}");
        assert!(dict("").is_empty());
    }
}
