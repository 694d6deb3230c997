//! The library's error type.
//!
//! Every variant names the file (and, where it applies, the line, column or byte offset) and the
//! offending value, so that the CLI can print the error on one line and a user knows where to look.
//! Findings of validation (annotations) are *not* errors: they are data (`Diagnostic`s) that a
//! check returns while it keeps going.

use std::path::PathBuf;

/// A result whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, with where.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file does not exist.
    #[error("{}: no such file", .path.display())]
    NotFound { path: PathBuf },

    /// The path names a directory, not a file.
    #[error("{}: is a directory, not a text file", .path.display())]
    IsDirectory { path: PathBuf },

    /// Any other I/O failure while reading or writing a file.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The bytes are not valid UTF-8 (and no other encoding was given).
    #[error(
        "{}:{line}:{column}: invalid UTF-8 at byte offset {offset} ({hint})",
        .path.display()
    )]
    InvalidUtf8 {
        path: PathBuf,
        /// 0-based byte offset of the first invalid byte in the file.
        offset: usize,
        /// 1-based line of that byte.
        line: usize,
        /// 1-based column (in characters) of that byte.
        column: usize,
        /// What to do: the `--encoding` the file reads as, if it reads plausibly in one
        /// ([`crate::text::encoding_guess`]).
        hint: String,
    },

    /// The bytes could not be decoded in the encoding named by the user (or its BOM).
    #[error("{}: not valid {encoding} at byte offset {offset}", .path.display())]
    Malformed {
        path: PathBuf,
        encoding: &'static str,
        /// 0-based byte offset of the first malformed byte sequence in the file.
        offset: usize,
    },

    /// The file holds a NUL byte: it is binary, not text.
    #[error("{}: binary file (NUL byte at byte offset {offset}); collate reads text", .path.display())]
    Binary { path: PathBuf, offset: usize },

    /// `--encoding` named an encoding that does not exist.
    #[error(
        "unknown encoding {name:?} (try UTF-8, UTF-16LE, UTF-16BE, Shift_JIS, EUC-JP, ISO-2022-JP, windows-1251, KOI8-R, GB18030, Big5, EUC-KR)"
    )]
    UnknownEncoding { name: String },

    /// Two paragraphs of one file have the same ID.
    #[error(
        "{}:{line}: duplicate paragraph ID '{id}' (already the ID of the paragraph at line {first_line})",
        .path.display()
    )]
    DuplicateId {
        path: PathBuf,
        id: String,
        /// Line of the paragraph that had the ID first.
        first_line: usize,
        /// Line of the paragraph that repeats it.
        line: usize,
    },

    /// An `{#id}` marker whose ID holds characters other than letters, digits, `-`, `_`, `.`.
    #[error(
        "{}:{line}:{column}: invalid paragraph ID '{id}' in '{{#…}}' marker (use letters, digits, '-', '_' and '.')",
        .path.display()
    )]
    InvalidId {
        path: PathBuf,
        id: String,
        line: usize,
        column: usize,
    },

    /// A paragraph ID asked for does not exist in the document.
    #[error("{}: no paragraph with ID '{id}'", .path.display())]
    UnknownParagraph { path: PathBuf, id: String },

    /// A value given by the user (an option, a dictionary line, …) is not acceptable.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns, turning "not found" and "is a directory"
    /// into their own variants so that the message reads well.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        match source.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound { path },
            std::io::ErrorKind::IsADirectory => Error::IsDirectory { path },
            _ => Error::Io { path, source },
        }
    }
}
