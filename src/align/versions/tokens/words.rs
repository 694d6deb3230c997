//! Reading the aligner's tokens off a paragraph ([`super::tokenize`]): words of letters and
//! digits, case folded, and Han, hiragana and katakana characters one by one, as they stand in
//! the comparison form.
//!
//! [`push_token_char`] reads them off the comparison form char by char (any options).
//! [`plain_tokens`] reads them straight off the text when the options need no NFKC (every char
//! then folds alone): ASCII bytes without a Unicode look-up, words of at most 7 bytes packed in a
//! number as they are read, and blocks of 64 ASCII bytes cut into words by masks of their letters
//! and digits, eight bytes at a time ([`masks`]). The tests check that both read the same tokens.

use super::Vocabulary;
use crate::text::normalize::{NormalizeOptions, is_mark, is_punctuation, is_quote};
use crate::text::script::{Script, is_alphanumeric, is_uppercase, script_of};

/// Bytes that [`Word::block`] reads at once.
const BLOCK: usize = 64;

/// Takes the next char of a folded paragraph: adds it to the word being read, or ends that word
/// (appending its token) and appends the char's own token if it is a CJK character.
#[inline]
pub(super) fn push_token_char(
    c: char,
    vocab: &mut Vocabulary,
    out: &mut Vec<u32>,
    word: &mut String,
) {
    let cjk = !c.is_ascii()
        && matches!(
            script_of(c),
            Some(Script::Han | Script::Hiragana | Script::Katakana)
        );
    if !cjk && (is_alphanumeric(c) || (is_mark(c) && !word.is_empty())) {
        word.push(c);
        return;
    }
    end_word(vocab, out, word);
    if cjk {
        out.push(vocab.char_id(c));
    }
}

/// The tokens of a paragraph when `evidence` has no NFKC (then every char folds alone), read
/// straight off the text as [`push_token_char`] reads them off the comparison form: case
/// folded, quotes folded if asked, whitespace ending the word being read, punctuation ending it
/// too unless punctuation is ignored (then it is dropped and the letters around it join; the
/// comparison form's spaces only ever end words). ASCII bytes are read one by one without a
/// Unicode look-up, and words of at most 7 bytes are packed as they are read, never put in a
/// string.
pub(super) fn plain_tokens(
    text: &str,
    evidence: &NormalizeOptions,
    vocab: &mut Vocabulary,
    out: &mut Vec<u32>,
    long: &mut String,
) {
    let mut word = Word {
        packed: 0,
        len: 0,
        long,
    };
    let bytes = text.as_bytes();
    let mut k = 0;
    while let Some(&b) = bytes.get(k) {
        if word.len == 0
            && !evidence.ignore_punctuation
            && let Some(block) = bytes.get(k..k + BLOCK)
        {
            let done = word.block(block, vocab, out);
            if done > 0 {
                k += done;
                continue;
            }
        }
        if b.is_ascii_alphanumeric() {
            let end = bytes[k..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(bytes.len(), |n| k + n);
            // A run of ASCII letters and digits is a whole word when nothing comes before it
            // and nothing can go on with it: a non-ASCII letter or mark, or letters beyond
            // punctuation that is ignored.
            let whole = word.len == 0
                && !evidence.ignore_punctuation
                && bytes.get(end).is_none_or(u8::is_ascii);
            if whole {
                word.whole(&bytes[k..end], vocab, out);
            } else {
                bytes[k..end]
                    .iter()
                    .for_each(|b| word.push_byte(b.to_ascii_lowercase()));
            }
            k = end;
            continue;
        }
        if b.is_ascii() {
            if !evidence.ignore_punctuation || matches!(b, b'\t'..=b'\r' | b' ') {
                word.end(vocab, out);
            }
            k += 1;
            continue;
        }
        let Some(c) = text[k..].chars().next() else {
            break;
        };
        k += c.len_utf8();
        word.fold(c, evidence, vocab, out);
    }
    word.end(vocab, out);
}

/// The word [`plain_tokens`] is reading: its UTF-8 bytes packed as [`super::pack`] packs them while
/// they are at most 7, in `long` beyond.
struct Word<'s> {
    packed: u64,
    len: usize,
    long: &'s mut String,
}

impl Word<'_> {
    fn push_byte(&mut self, b: u8) {
        match self.len {
            0..=6 => self.packed |= u64::from(b) << (8 * self.len),
            7 => {
                self.unpack();
                self.long.push(char::from(b));
            }
            _ => self.long.push(char::from(b)),
        }
        self.len += 1;
    }

    /// Appends the tokens of the words of a block of [`BLOCK`] bytes that are surely whole: those
    /// before its first non-ASCII byte, but for a word that reaches it or the end of the block
    /// (it may go on). Returns the bytes read, none if there is no such word. The letters and
    /// digits of the block are found as the bits of a mask, many bytes at a time, and each word
    /// is read at once: no branch per byte. (Only while no word is pending and punctuation
    /// ends words.)
    fn block(&mut self, block: &[u8], vocab: &mut Vocabulary, out: &mut Vec<u32>) -> usize {
        let (mut letters, mut high) = (0u64, 0u64);
        for (w, eight) in block.chunks_exact(8).enumerate() {
            let (l, h) = masks(eight);
            letters |= l << (8 * w);
            high |= h << (8 * w);
        }
        let below = |n: usize| if n >= 64 { u64::MAX } else { (1 << n) - 1 };
        let mut done = (high.trailing_zeros() as usize).min(BLOCK);
        letters &= below(done);
        if done > 0 && letters >> (done - 1) & 1 == 1 {
            // The last word reaches the cut: it is left for later.
            done -= (!(letters << (64 - done))).leading_zeros() as usize;
            letters &= below(done);
        }
        while letters != 0 {
            let start = letters.trailing_zeros() as usize;
            let len = (!(letters >> start)).trailing_zeros() as usize;
            match block.get(start..start + 8) {
                // A short word read in one number: eight bytes, the others masked off.
                Some(eight) if len <= 7 => {
                    let mut word = [0; 8];
                    word.copy_from_slice(eight);
                    let lower = u64::from_le_bytes(word) | 0x2020_2020_2020_2020;
                    let packed = (lower & ((1 << (8 * len)) - 1)) | ((len as u64) << 56);
                    out.push(vocab.short_id(packed));
                }
                _ => self.whole(&block[start..start + len], vocab, out),
            }
            letters &= !(below(len) << start);
        }
        done
    }

    /// Appends the token of a whole word of ASCII letters and digits, read at once (as
    /// [`Word::push_byte`] and [`Word::end`] would read it byte by byte).
    fn whole(&mut self, run: &[u8], vocab: &mut Vocabulary, out: &mut Vec<u32>) {
        // Lower case: a letter takes the bit 0x20, which every digit has.
        if run.len() <= 7 {
            let packed = run
                .iter()
                .enumerate()
                .fold(0, |p, (k, &b)| p | u64::from(b | 0x20) << (8 * k));
            out.push(vocab.short_id(packed | (run.len() as u64) << 56));
        } else {
            self.long.clear();
            self.long.extend(run.iter().map(|&b| char::from(b | 0x20)));
            out.push(vocab.word_id(self.long));
            self.long.clear();
        }
    }

    /// Moves the packed bytes (whole chars) to `long`.
    fn unpack(&mut self) {
        let bytes = self.packed.to_le_bytes();
        self.long.clear();
        // Whole chars: valid UTF-8, borrowed as it is.
        self.long
            .push_str(&String::from_utf8_lossy(&bytes[..self.len.min(7)]));
    }

    /// A non-ASCII char of the text, folded as the comparison form folds it (quotes, kanji, case;
    /// whitespace ends the word, ignored punctuation is dropped), then taken.
    fn fold(
        &mut self,
        c: char,
        evidence: &NormalizeOptions,
        vocab: &mut Vocabulary,
        out: &mut Vec<u32>,
    ) {
        let c = if evidence.fold_quotes && is_quote(c) {
            '"'
        } else if evidence.fold_kanji {
            crate::text::normalize::kanji::new_form(c)
        } else {
            c
        };
        let mut put = |c: char| {
            if c.is_whitespace() {
                self.end(vocab, out);
            } else if !(evidence.ignore_punctuation && is_punctuation(c)) {
                self.take(c, vocab, out);
            }
        };
        if evidence.ignore_case && is_uppercase(c) {
            c.to_lowercase().for_each(put);
        } else {
            put(c);
        }
    }

    /// A non-ASCII char of the comparison form, as [`push_token_char`] takes it.
    fn take(&mut self, c: char, vocab: &mut Vocabulary, out: &mut Vec<u32>) {
        let cjk = matches!(
            script_of(c),
            Some(Script::Han | Script::Hiragana | Script::Katakana)
        );
        if !cjk && (is_alphanumeric(c) || (is_mark(c) && self.len > 0)) {
            let n = c.len_utf8();
            if self.len + n <= 7 {
                let mut buf = [0; 4];
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    self.push_byte(b);
                }
                return;
            }
            if self.len <= 7 {
                self.unpack();
            }
            self.long.push(c);
            self.len += n;
            return;
        }
        self.end(vocab, out);
        if cjk {
            out.push(vocab.char_id(c));
        }
    }

    /// Appends the token of the word, if any, and starts the next.
    fn end(&mut self, vocab: &mut Vocabulary, out: &mut Vec<u32>) {
        match self.len {
            0 => return,
            1..=7 => out.push(vocab.short_id(self.packed | (self.len as u64) << 56)),
            _ => {
                out.push(vocab.word_id(self.long));
                self.long.clear();
            }
        }
        (self.packed, self.len) = (0, 0);
    }
}

/// Bit `k` of each mask tells whether byte `k` of eight is an ASCII letter or digit, and
/// whether it is above ASCII: all eight at once, in one number (SWAR: each byte is tested in
/// its own lane, the lanes' answers gathered by a multiplication).
fn masks(eight: &[u8]) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The lanes whose byte `b` is below 128 and in `lo..=hi` (0 < lo <= hi < 127): exact, no
    // borrow or carry crosses a lane ("hasbetween" of Bit Twiddling Hacks).
    let within = |x: u64, lo: u64, hi: u64| {
        let low = x & (ONES * 127);
        (ONES * (128 + hi)).wrapping_sub(low) & !x & low.wrapping_add(ONES * (128 - lo)) & HIGH
    };
    // The top bit of lane `k` to bit `k` of the top byte.
    let gather = |lanes: u64| lanes.wrapping_mul(0x0002_0408_1020_4081) >> 56;
    let mut word = [0; 8];
    word.copy_from_slice(eight);
    let x = u64::from_le_bytes(word);
    let digits = within(x, u64::from(b'0'), u64::from(b'9'));
    let letters = within(x | (ONES * 0x20), u64::from(b'a'), u64::from(b'z'));
    (gather(digits | letters), gather(x & HIGH))
}

/// Appends the token of the word being read, if any.
pub(super) fn end_word(vocab: &mut Vocabulary, out: &mut Vec<u32>, word: &mut String) {
    if !word.is_empty() {
        out.push(vocab.word_id(word));
        word.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::fold_each;

    #[test]
    fn plain_tokens_are_those_of_the_comparison_form() {
        let alphabet: Vec<char> = "aBz09 \t\n\x0b,.'\"_-ЖжİΣé\u{301}平和の國\u{3000}“’—ßǅ𠀋"
            .chars()
            .collect();
        let mut rng = crate::testing::Lcg(5);
        let mut next = |n: usize| rng.below(n);
        let sets = [
            (false, false, false),
            (true, false, false),
            (false, true, false),
            (false, false, true),
        ];
        for (ignore_punctuation, fold_quotes, fold_kanji) in sets {
            let evidence = NormalizeOptions {
                ignore_case: true,
                ignore_punctuation,
                fold_quotes,
                fold_kanji,
                ..NormalizeOptions::default()
            };
            let (mut fast, mut slow) = (Vocabulary::new(), Vocabulary::new());
            let fixed = [
                "Seventeen seventh 1234567 12345678, It's a-b_c",
                "  ",
                "",
                "ЖЖЖЖ Жжж abcdeЖ abcdefé ÉCOLE İSTANBUL\u{301}x",
            ];
            // Long texts too, mostly ASCII, whose words are read by blocks of bytes.
            let ascii: Vec<char> = "aBz09 \t\n,.'".chars().collect();
            for k in 0..4_000 {
                let text: String = match (fixed.get(k), k % 4) {
                    (Some(text), _) => text.to_string(),
                    (None, 0) => (0..next(300))
                        .map(|_| match next(40) {
                            0 => alphabet[next(alphabet.len())],
                            _ => ascii[next(ascii.len())],
                        })
                        .collect(),
                    (None, _) => (0..next(30))
                        .map(|_| alphabet[next(alphabet.len())])
                        .collect(),
                };
                let (mut a, mut b, mut word) = (Vec::new(), Vec::new(), String::new());
                plain_tokens(&text, &evidence, &mut fast, &mut a, &mut word);
                assert!(word.is_empty());
                fold_each(&text, &evidence, |c| {
                    push_token_char(c, &mut slow, &mut b, &mut word)
                });
                end_word(&mut slow, &mut b, &mut word);
                assert_eq!(a, b, "{text:?}");
            }
            assert_eq!(fast.len(), slow.len());
        }
    }

    /// The masks of eight bytes, many at a time, are those of each byte alone.
    #[test]
    fn masks_are_those_of_each_byte() {
        let mut rng = crate::testing::Lcg(23);
        for round in 0..20_000 {
            let eight: Vec<u8> = (0..8)
                .map(|k| match round {
                    0 => (k * 37) as u8,
                    _ => rng.below(256) as u8,
                })
                .collect();
            let (letters, high) = masks(&eight);
            for (k, &b) in eight.iter().enumerate() {
                assert_eq!(
                    letters >> k & 1 == 1,
                    b.is_ascii_alphanumeric(),
                    "{eight:?}"
                );
                assert_eq!(high >> k & 1 == 1, !b.is_ascii(), "{eight:?}");
            }
        }
        // Every byte value in every lane.
        for b in 0..=255u8 {
            for k in 0..8 {
                let mut eight = [b' '; 8];
                eight[k] = b;
                let (letters, high) = masks(&eight);
                assert_eq!(letters, u64::from(b.is_ascii_alphanumeric()) << k, "{b}");
                assert_eq!(high, u64::from(!b.is_ascii()) << k, "{b}");
            }
        }
    }
}
