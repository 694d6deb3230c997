//! # collate — compare versions and translations of documents
//!
//! collate splits texts into paragraphs with stable IDs, aligns paragraphs across versions and
//! translations, diffs aligned paragraphs word by word (character by character for Japanese and
//! Chinese), keeps standoff annotations keyed by paragraph ID, and prints comparison tables.
//!
//! ## The pipeline
//!
//! Data flows one way, each stage a module with plain serde types in and out:
//!
//! ```text
//! read ──► segment ──► align ──► diff ──► render
//! text::load  text::segment  (align)  (diff)  render::{table, json, …}
//! ```
//!
//! ## Module map
//!
//! | module | owns |
//! |---|---|
//! | [`align`] | paragraph alignment across versions and translations; the [`align::Alignment`] result type |
//! | [`annotate`] | standoff annotations: the file format, validation, merge, migration, projection, W3C/STAM |
//! | [`diff`] | word and character changes inside aligned paragraphs; what happened to each paragraph |
//! | [`text`] | reading files (encodings, BOM, line endings), paragraphs and their IDs, comparison forms, scripts |
//! | [`render`] | tables, JSON reports; the only module that knows comfy-table and ANSI styles |
//! | [`error`] | the library's [`Error`] type: every message names the file and place |
//! | [`exit`] | exit codes shared by every command (0 same, 1 different, 2 trouble) |
//!
//! ## Offsets
//!
//! Offsets *inside a paragraph* are counted in Unicode scalar values (Rust `char`s). Offsets of a
//! paragraph in its file are given both in bytes and in chars of the decoded, LF-normalised text.
//!
//! ## Determinism
//!
//! The same input gives the same bytes: no hash-map order reaches any output.

pub mod align;
pub mod annotate;
pub mod diff;
pub mod error;
pub mod exit;
pub mod render;
pub mod text;

pub use error::{Error, Result};

#[cfg(test)]
mod testing;
