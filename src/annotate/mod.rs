//! Standoff annotations keyed by paragraph ID.
//!
//! An annotation file (`annotations/*.json`, format in `docs/annotation.md`, JSON Schema in
//! `docs/annotation.schema.json`) names the text it annotates and pins it by hash; each
//! annotation points at a paragraph ID, optionally a char range inside it with the quoted text
//! and its context, and carries a note, tags, a label and a link.
//!
//! | module | owns |
//! |---|---|
//! | [`model`] | the types, their canonical order, byte-stable serialisation |
//! | [`json`], [`schema`] | reading a file with the place of every value; schema findings |
//! | [`diagnostic`] | findings as data (codes `A001`…) |
//! | [`anchor`] | char offsets, grapheme boundaries, quotes; making an annotation (`add`) |
//! | [`validate`] | every check, all findings in one run |
//! | [`migrate`], [`cascade`], [`locate`], [`correspond`] | carrying annotations to a new version: the cascade ok → shifted → relocated → fuzzy → orphaned |
//! | [`project`] | carrying annotations onto a translation through the paragraph alignment |
//! | [`w3c`], [`stam`] | W3C Web Annotation export and import; STAM JSON export |
//! | [`merge`] | union and three-way merge by annotation ID; conflicts kept and marked |
//! | [`store`] | reading strictly, atomic writes, the lock, paths relative to the file |
//! | [`ident`] | IDs (UUIDv7), hashes, RFC 3339 timestamps |
//!
//! Offsets inside a paragraph are Unicode scalar value (char) offsets, end exclusive.

pub mod anchor;
pub mod cascade;
pub mod correspond;
pub mod diagnostic;
pub mod ident;
pub mod json;
pub mod locate;
pub mod merge;
pub mod migrate;
pub mod model;
pub mod project;
pub mod schema;
pub mod stam;
pub mod store;
pub mod validate;
pub mod w3c;

#[cfg(test)]
mod testing;

pub use diagnostic::{Code, Diagnostic, Severity};
pub use model::{Annotation, AnnotationFile, Body, Quote, Status, Target, TextRef};
