//! A table from the characters of the Basic Multilingual Plane to numbers, in blocks of 256
//! characters made as they are first used.
//!
//! A flat table of all 65,536 characters takes 256 KB, written or faulted in page by page
//! whatever the text: for a text of a few kilobytes, more time than all its tokenizing. A text
//! uses few blocks (Latin, Cyrillic, kana and the kanji it holds), and a look-up costs one more
//! index.

/// Numbers by BMP character; an entry not yet set holds the table's `empty` value.
#[derive(Debug, Clone)]
pub struct CharTable {
    /// Per block of 256 characters: 1 + the block's place in `values`, 0 while unused.
    blocks: [u16; 256],
    /// The entries of the blocks in use, 256 per block.
    values: Vec<u32>,
    /// The value of an entry not yet set.
    empty: u32,
}

impl CharTable {
    /// A table whose entries all hold `empty`.
    pub const fn new(empty: u32) -> Self {
        Self {
            blocks: [0; 256],
            values: Vec::new(),
            empty,
        }
    }

    /// The entry of `c`, or `None` for a character beyond the BMP.
    #[inline]
    pub fn entry(&mut self, c: char) -> Option<&mut u32> {
        let code = c as usize;
        if code >= 0x1_0000 {
            return None;
        }
        let block = &mut self.blocks[code >> 8];
        if *block == 0 {
            self.values.resize(self.values.len() + 256, self.empty);
            // At most 256 blocks: the count fits.
            *block = (self.values.len() / 256) as u16;
        }
        let at = (usize::from(*block) - 1) * 256 + (code & 0xFF);
        Some(&mut self.values[at])
    }
}

impl Default for CharTable {
    /// A table of zeros.
    fn default() -> Self {
        Self::new(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every BMP character has an entry of its own, empty until set; others have none.
    #[test]
    fn entries_are_distinct_and_start_empty() {
        let mut table = CharTable::new(u32::MAX);
        let chars: Vec<char> = (0..0x1_0000u32).filter_map(char::from_u32).collect();
        for (k, &c) in chars.iter().enumerate().rev() {
            let entry = table.entry(c).expect("a BMP char has an entry");
            assert_eq!(*entry, u32::MAX);
            *entry = k as u32;
        }
        for (k, &c) in chars.iter().enumerate() {
            assert_eq!(table.entry(c).copied(), Some(k as u32));
        }
        assert_eq!(table.entry('\u{1F600}'), None);
        assert_eq!(table.entry('\u{10000}'), None);
    }

    /// Blocks are made only as characters of them are used.
    #[test]
    fn blocks_are_made_on_first_use() {
        let mut table = CharTable::default();
        for c in "Northern Territories 北方領土".chars() {
            *table.entry(c).unwrap() += 1;
        }
        // ASCII (block 0), and the blocks of 北 (U+5317), 方 (U+65B9), 領 (U+9818), 土 (U+571F).
        assert_eq!(table.values.len(), 5 * 256);
        assert_eq!(table.entry('r').copied(), Some(5));
        assert_eq!(table.entry('土').copied(), Some(1));
        assert_eq!(table.entry('z').copied(), Some(0));
    }
}
