//! Keys of comparison forms: a 64-bit hash of the comparison form of a text, computed without
//! building the form, so that paragraphs equal after normalisation are found by a hash lookup.
//!
//! The key is defined on the bytes of the form alone, read eight at a time whatever pieces they
//! come in ([`Stream`]), then their number and whether the text is empty (so that `""` and a text
//! folded to nothing differ). Two paths feed it:
//!
//! - the **general** path folds the text ([`super::fold_each`]) and feeds every char it gets;
//! - the **plain** path serves the default options (whitespace ignored, nothing else), where the
//!   form is the text with every run of whitespace made one space (none at either end, and none
//!   for a line break between two CJK characters): it feeds the stretches of the text between
//!   such runs as they are (a single space between two words is its own form), decoding no char
//!   but the non-ASCII ones.
//!
//! The tests check that both paths agree on every text.

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
    let mut stream = Stream::default();
    if *options == plain {
        plain_form(text, &mut stream);
    } else {
        fold_each(text, options, |c| {
            stream.feed(c.encode_utf8(&mut [0; 4]).as_bytes());
        });
    }
    stream.finish(text.is_empty())
}

/// A hash of a stream of bytes that does not depend on how the stream is cut into pieces: the
/// bytes are taken eight at a time (little-endian), each word mixed in by a rotation, an xor and
/// a multiplication (as `FxHasher` does), the last word padded with zeros.
#[derive(Debug, Default)]
struct Stream {
    hash: u64,
    /// Bytes waiting for a whole word, and how many.
    tail: u64,
    held: u32,
    /// Bytes fed in all.
    len: u64,
}

impl Stream {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    /// Feeds the next bytes of the stream.
    #[inline]
    fn feed(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.held > 0 {
            // The bytes that complete the word held, at once.
            let take = (8 - self.held as usize).min(bytes.len());
            self.tail |= little_endian(&bytes[..take]) << (8 * self.held);
            self.held += take as u32;
            bytes = &bytes[take..];
            if self.held < 8 {
                return;
            }
            let word = std::mem::take(&mut self.tail);
            self.mix(word);
        }
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.mix(little_endian(word));
        }
        self.tail = little_endian(words.remainder());
        self.held = words.remainder().len() as u32;
    }

    /// The hash of the bytes fed, their number and `empty`, with the bits mixed down.
    fn finish(mut self, empty: bool) -> u64 {
        if self.held > 0 {
            let word = self.tail;
            self.mix(word);
        }
        let len = self.len;
        self.mix(len);
        self.mix(u64::from(empty));
        // The finaliser of MurmurHash3: every bit of the state reaches every bit of the key.
        let mut h = self.hash;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// At most eight bytes as a little-endian number (missing high bytes zero).
#[inline]
fn little_endian(bytes: &[u8]) -> u64 {
    let mut eight = [0; 8];
    eight[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(eight)
}

/// Feeds the comparison form of `text` under the default options: the stretches between runs of
/// whitespace as they are, and one space for each run between two of them (unless it holds a
/// line break between two CJK characters). A single space between two words is the form
/// already: only the other runs cut the text, and the bytes are searched for them many at a
/// time ([`next_irregular`]).
fn plain_form(text: &str, stream: &mut Stream) {
    let bytes = text.as_bytes();
    // Where the stretch being read starts: after the leading whitespace.
    let mut start = space_run(text, 0).0;
    let mut k = start;
    loop {
        k = next_irregular(bytes, k);
        if k >= bytes.len() {
            break;
        }
        if space_at(text, k) == 0 {
            k += text[k..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // The run starts at the space before it, if there is one.
        let mut run = k;
        while run > start && bytes[run - 1] == b' ' {
            run -= 1;
        }
        let (end, newline) = space_run(text, run);
        stream.feed(&bytes[start..run]);
        let joined = newline
            && text[..run].chars().next_back().is_some_and(is_cjk)
            && text[end..].chars().next().is_some_and(is_cjk);
        if end < bytes.len() && !joined {
            stream.feed(b" ");
        }
        (start, k) = (end, end);
    }
    // Without the space that may end the text.
    let stop = bytes[start..]
        .iter()
        .rposition(|&b| b != b' ')
        .map_or(start, |last| start + last + 1);
    stream.feed(&bytes[start..stop]);
}

/// The first byte at or after `from` that may begin a run of whitespace other than a single
/// space, or a non-ASCII char (`bytes.len()` if there is none): a control char, a byte above
/// ASCII, or two spaces. Bytes are looked at 32 at a time until a block holds one.
fn next_irregular(bytes: &[u8], from: usize) -> usize {
    let special = |b: u8| b.wrapping_sub(b' ') >= 0x60;
    let irregular = |b: u8, next: u8| special(b) | ((b == b' ') & (next == b' '));
    let mut k = from;
    while k + 33 <= bytes.len() {
        let block = &bytes[k..k + 33];
        let any = block[..32]
            .iter()
            .zip(&block[1..])
            .fold(false, |any, (&b, &next)| any | irregular(b, next));
        if any {
            break;
        }
        k += 32;
    }
    (k..bytes.len())
        .find(|&i| irregular(bytes[i], bytes.get(i + 1).copied().unwrap_or(0)))
        .unwrap_or(bytes.len())
}

/// The end of the run of whitespace that starts at byte `k` of `text` (`k` itself if there is
/// none), and whether the run holds a line break.
fn space_run(text: &str, k: usize) -> (usize, bool) {
    let (mut end, mut newline) = (k, false);
    loop {
        let len = space_at(text, end);
        if len == 0 {
            return (end, newline);
        }
        newline |= text.as_bytes()[end] == b'\n';
        end += len;
    }
}

/// The length in bytes of the whitespace char at byte `k` of `text`, 0 if there is none there.
#[inline]
fn space_at(text: &str, k: usize) -> usize {
    match text.as_bytes().get(k) {
        None => 0,
        Some(b'\t'..=b'\r' | b' ') => 1,
        Some(&b) if b < 0x80 => 0,
        Some(_) => text[k..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::fold_text;

    #[test]
    fn hashes_are_equal_when_forms_are() {
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
            "abcdefgh ijklmnop",
            "abcdefgh\u{3000}ijklmnop",
            "abcdefghijklmnop",
        ];
        for options in crate::testing::normalize_variants() {
            for x in texts {
                for y in texts {
                    // Equal forms, and not the empty text against one folded to nothing.
                    let same = fold_text(x, &options) == fold_text(y, &options)
                        && x.is_empty() == y.is_empty();
                    let equal = fold_hash(x, &options) == fold_hash(y, &options);
                    assert_eq!(equal, same, "{x:?} {y:?} {options:?}");
                }
            }
        }
    }

    /// The plain path gives the key the general path gives (the one of the folded text), on
    /// random texts of words, spaces, line breaks, non-ASCII whitespace and CJK characters.
    #[test]
    fn the_plain_path_hashes_as_the_general_one() {
        let alphabet: Vec<char> =
            "abcd Z9.!~\x7f\x01\n\n\t\r\x0b  \u{85}\u{a0}\u{3000}\u{2028}平和の“’é—ж𠀋"
                .chars()
                .collect();
        let options = NormalizeOptions::default();
        let mut rng = crate::testing::Lcg(3);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..30_000 {
            let text: String = (0..next(40))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let mut plain = Stream::default();
            plain_form(&text, &mut plain);
            let mut general = Stream::default();
            general.feed(fold_text(&text, &options).as_bytes());
            assert_eq!(
                plain.finish(text.is_empty()),
                general.finish(text.is_empty()),
                "{text:?}"
            );
        }
    }

    /// The hash of a stream is the same however it is cut into pieces.
    #[test]
    fn pieces_do_not_matter() {
        let bytes: Vec<u8> = (0..100u8).map(|b| b.wrapping_mul(37)).collect();
        let mut whole = Stream::default();
        whole.feed(&bytes);
        let whole = whole.finish(false);
        let mut rng = crate::testing::Lcg(5);
        for _ in 0..200 {
            let mut cut = Stream::default();
            let mut rest = &bytes[..];
            while !rest.is_empty() {
                let (piece, more) = rest.split_at(rng.below(rest.len() + 1).min(11));
                cut.feed(piece);
                rest = more;
            }
            assert_eq!(cut.finish(false), whole);
        }
        let mut shorter = Stream::default();
        shorter.feed(&bytes[..99]);
        assert_ne!(shorter.finish(false), whole);
    }
}
