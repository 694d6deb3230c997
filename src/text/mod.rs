//! Reading, segmenting and normalising text.
//!
//! - [`load`]: bytes → [`Source`] (encodings, BOM, line endings);
//! - [`segment`]: [`Source`] → [`Document`] (paragraphs with stable IDs and offsets);
//! - [`normalize`]: the comparison form of a paragraph (joined lines, word counts);
//! - [`script`]: which writing system a text uses;
//! - [`language`]: which language a text is in (from its scripts and function words);
//! - [`char_table`]: numbers by character, for the tokenizers;
//! - [`encoding_guess`]: which legacy encoding a file that is not UTF-8 reads as (for errors).
//!
//! [`read_document`] does the first two in one call.

pub mod char_table;
pub mod encoding_guess;
pub mod language;
pub mod load;
pub mod normalize;
pub mod script;
pub mod segment;

use std::path::Path;

pub use load::{LoadOptions, Source, load};
pub use segment::{Document, Paragraph, segment};

use crate::error::Result;

/// Reads a file and splits it into paragraphs.
pub fn read_document(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Document> {
    segment(&load(path, options)?)
}
