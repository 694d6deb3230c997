//! Keys of comparison forms: a 64-bit hash of the comparison form of a text, computed without
//! building the form, so that paragraphs equal after normalisation are found by a hash lookup.
//!
//! The key is defined on the form alone: the form is cut at its spaces (U+0020) into pieces, each
//! piece's bytes are compressed at once ([`Hasher::write`]) into an `FxHasher`, and whether the
//! text is empty comes last (so that `""` and a text folded to nothing differ). Any way of reading
//! the form that finds the same pieces gives the same key, so two paths may compute it:
//!
//! - the **general** path folds the text ([`super::fold_each`]) and cuts the chars it gets;
//! - the **plain** path serves the default options (whitespace ignored, nothing else), where the
//!   form is the text's words — runs of non-whitespace chars — joined by one space: it reads the
//!   words straight off the bytes, with no fold and no char decoded but the non-ASCII ones. Only a
//!   line break between two CJK characters, which the form drops (the words on both sides become
//!   one piece), sends a text back to the general path.
//!
//! The tests check that both paths agree on every text.

use std::hash::Hasher;

use rustc_hash::FxHasher;

use super::{NormalizeOptions, fold_each};
use crate::text::script::is_cjk;

/// A 64-bit hash of the comparison form of `text`, computed without building it: equal forms
/// have equal hashes (for keys of exact comparison; confirm a match with
/// [`super::fold_text`]).
pub fn fold_hash(text: &str, options: &NormalizeOptions) -> u64 {
    let plain = NormalizeOptions {
        ignore_whitespace: true,
        ..NormalizeOptions::default()
    };
    if *options == plain
        && let Some(hash) = plain_hash(text)
    {
        return hash;
    }
    general_hash(text, options)
}

/// [`fold_hash`] from the folded chars (any options).
fn general_hash(text: &str, options: &NormalizeOptions) -> u64 {
    let mut h = FxHasher::default();
    let mut piece = String::new();
    let chars = fold_each(text, options, |c| {
        if c == ' ' {
            h.write(piece.as_bytes());
            piece.clear();
        } else {
            piece.push(c);
        }
    });
    h.write(piece.as_bytes());
    h.write_usize(usize::from(chars == 0));
    h.finish()
}

/// [`fold_hash`] under the default options, read off the words of `text`; `None` when a line
/// break between two CJK characters joins two words (the general path then decides).
fn plain_hash(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let mut h = FxHasher::default();
    let mut words = 0usize;
    // Where the word being read starts; where the last word written ends, and whether a line
    // break has been seen since.
    let (mut start, mut end, mut newline) = (None, 0, false);
    let mut k = 0;
    while k < bytes.len() {
        let b = bytes[k];
        let (len, space) = if b < 0x80 {
            (1, matches!(b, b'\t'..=b'\r' | b' '))
        } else {
            let c = text[k..].chars().next()?;
            (c.len_utf8(), c.is_whitespace())
        };
        if space {
            if let Some(s) = start.take() {
                h.write(&bytes[s..k]);
                (words, end, newline) = (words + 1, k, false);
            }
            newline |= b == b'\n';
        } else if start.is_none() {
            if newline && words > 0 && joined(text, end, k) {
                return None;
            }
            start = Some(k);
        }
        k += len;
    }
    match start {
        Some(s) => h.write(&bytes[s..]),
        None if words == 0 => h.write(b""),
        None => {}
    }
    h.write_usize(usize::from(text.is_empty()));
    Some(h.finish())
}

/// Whether the char that ends at byte `end` and the one that starts at byte `start` are both
/// CJK (a line break between them is dropped from the form).
fn joined(text: &str, end: usize, start: usize) -> bool {
    let before = text[..end].chars().next_back();
    let after = text[start..].chars().next();
    before.is_some_and(is_cjk) && after.is_some_and(is_cjk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::fold_text;

    #[test]
    fn hashes_are_equal_when_forms_are() {
        let options = NormalizeOptions::default();
        let texts = [
            "",
            " ",
            "\n\n",
            "a b",
            "a  b",
            "a\nb",
            "ab",
            "A b",
            "平和\n条約",
            "平和条約",
            "平和 条約",
        ];
        for x in texts {
            for y in texts {
                // Equal forms, and not the empty text against one folded to nothing.
                let same = fold_text(x, &options) == fold_text(y, &options)
                    && x.is_empty() == y.is_empty();
                let equal = fold_hash(x, &options) == fold_hash(y, &options);
                assert_eq!(equal, same, "{x:?} {y:?}");
            }
        }
    }

    /// The plain path gives the key the general path gives, on random texts of words, spaces,
    /// line breaks, non-ASCII whitespace and CJK characters.
    #[test]
    fn the_plain_path_hashes_as_the_general_one() {
        let alphabet: Vec<char> = "ab Z9.\n\n\t\r\x0b\u{85}\u{a0}\u{3000}\u{2028}平和の“’é—ж𠀋"
            .chars()
            .collect();
        let options = NormalizeOptions::default();
        let mut rng = crate::testing::Lcg(3);
        let mut next = |n: usize| rng.below(n);
        let mut plain = 0;
        for _ in 0..20_000 {
            let text: String = (0..next(16))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            if let Some(hash) = plain_hash(&text) {
                plain += 1;
                assert_eq!(hash, general_hash(&text, &options), "{text:?}");
            }
        }
        // Most texts take the plain path (the test tests something).
        assert!(plain > 15_000, "{plain}");
        assert_eq!(plain_hash("平和\n条約"), None);
        assert!(plain_hash("平和\nUSSR").is_some());
    }
}
