//! Reading text files: encodings, byte-order marks, line endings.
//!
//! [`load`] turns the bytes of a file into a [`Source`]: UTF-8 text with `\n` line endings.
//! It owns the decoding decisions and nothing else (paragraphs are [`super::segment`]'s job):
//!
//! - a UTF-8 BOM is dropped; a UTF-16 LE/BE BOM selects UTF-16 and is dropped;
//! - otherwise the text must be UTF-8, unless [`LoadOptions::encoding`] names a legacy encoding
//!   (Shift_JIS, EUC-JP, windows-1251, KOI8-R, … — any label of the WHATWG Encoding Standard);
//! - invalid UTF-8 is an error that names the byte offset, line and column; a NUL byte means a
//!   binary file and is refused; nothing is ever replaced silently with U+FFFD;
//! - CRLF and lone CR become LF, so that every offset downstream is into LF text;
//! - the path `-` reads standard input (once per process: a second `-` is an error).
//!
//! Offsets reported by later stages are offsets into [`Source::text`], i.e. into the decoded,
//! LF-normalised text — not into the raw bytes of a UTF-16 or Shift_JIS file.

use std::path::{Path, PathBuf};

use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How to read a file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Encoding to decode with when the file has no BOM (`None` = UTF-8). A BOM always wins.
    pub encoding: Option<&'static Encoding>,
}

impl LoadOptions {
    /// Options that decode with the encoding of the given label (`"Shift_JIS"`, `"cp1251"`, …).
    pub fn with_encoding(label: &str) -> Result<Self> {
        Ok(Self {
            encoding: Some(encoding_for_label(label)?),
        })
    }
}

/// Looks up an encoding by any of its WHATWG labels, case-insensitively.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label_no_replacement(label.trim().as_bytes()).ok_or_else(|| {
        Error::UnknownEncoding {
            name: label.to_string(),
        }
    })
}

/// A decoded text file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The path as the user gave it.
    pub path: PathBuf,
    /// The text, UTF-8, with `\n` line endings and without a BOM.
    pub text: String,
    /// Name of the encoding the bytes were decoded from (`"UTF-8"`, `"UTF-16LE"`, `"Shift_JIS"`…).
    pub encoding: String,
}

impl Source {
    /// A source made from text in memory (tests, stdin, generated revisions).
    pub fn from_text(path: impl Into<PathBuf>, text: &str) -> Self {
        Self {
            path: path.into(),
            text: normalize_newlines(text),
            encoding: UTF_8.name().to_string(),
        }
    }
}

/// Whether standard input has been read (by a path `-`).
static STDIN_TAKEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Reads and decodes a file, or standard input for the path `-`. See the module documentation
/// for the rules.
pub fn load(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Source> {
    let path = path.as_ref();
    if path.as_os_str() == "-" {
        if STDIN_TAKEN.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return Err(Error::Invalid(
                "-: standard input can be read only once; give the other texts as files".into(),
            ));
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| Error::io(path, e))?;
        return decode_owned(path, bytes, options);
    }
    if path.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode_owned(path, bytes, options)
}

/// Decodes bytes already read from `path` (the path is used in messages only).
pub fn decode(path: &Path, bytes: &[u8], options: &LoadOptions) -> Result<Source> {
    decode_owned(path, bytes.to_vec(), options)
}

/// [`decode`], taking the bytes: UTF-8 without a BOM or a CR (the usual file) becomes the text
/// as it is, without a copy.
fn decode_owned(path: &Path, mut bytes: Vec<u8>, options: &LoadOptions) -> Result<Source> {
    if Encoding::for_bom(&bytes).is_none() && options.encoding.unwrap_or(UTF_8) == UTF_8 {
        if let Some(pos) = memchr::memchr(0, &bytes) {
            return Err(Error::Binary {
                path: path.to_path_buf(),
                offset: pos,
            });
        }
        let text = String::from_utf8(std::mem::take(&mut bytes))
            .map_err(|e| utf8_error(path, e.as_bytes(), e.utf8_error().valid_up_to(), 0))?;
        return Ok(Source {
            path: path.to_path_buf(),
            text: if text.contains('\r') {
                normalize_newlines(&text)
            } else {
                text
            },
            encoding: UTF_8.name().to_string(),
        });
    }
    let bytes = &bytes[..];
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None => (options.encoding.unwrap_or(UTF_8), bytes),
    };
    let text = if encoding == UTF_8 {
        decode_utf8(path, body, bytes.len() - body.len())?
    } else {
        let text = decode_other(path, encoding, body, bytes.len() - body.len())?;
        if encoding != UTF_16LE && encoding != UTF_16BE {
            // A legacy single- or multi-byte file never holds NUL as text.
            if let Some(pos) = memchr::memchr(0, body) {
                return Err(Error::Binary {
                    path: path.to_path_buf(),
                    offset: pos + bytes.len() - body.len(),
                });
            }
        }
        text
    };
    if (encoding == UTF_16LE || encoding == UTF_16BE)
        && let Some(pos) = text.find('\0')
    {
        // Offset in the decoded text is the best we can say; convert to UTF-16 bytes.
        let units: usize = text[..pos].chars().map(char::len_utf16).sum();
        return Err(Error::Binary {
            path: path.to_path_buf(),
            offset: 2 + units * 2,
        });
    }
    Ok(Source {
        path: path.to_path_buf(),
        text: normalize_newlines(&text),
        encoding: encoding.name().to_string(),
    })
}

fn decode_utf8(path: &Path, body: &[u8], skipped: usize) -> Result<String> {
    check_utf8(path, body, skipped)?;
    Ok(std::str::from_utf8(body).unwrap_or_default().to_string())
}

/// Checks that `body` (found `skipped` bytes into the file) is UTF-8 text: no NUL byte, no
/// invalid sequence.
fn check_utf8(path: &Path, body: &[u8], skipped: usize) -> Result<()> {
    if let Some(pos) = memchr::memchr(0, body) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
            offset: pos + skipped,
        });
    }
    match std::str::from_utf8(body) {
        Ok(_) => Ok(()),
        Err(e) => Err(utf8_error(path, body, e.valid_up_to(), skipped)),
    }
}

/// The error for text that stops being UTF-8 at byte `good` of `body`: its byte offset in the
/// file, line and column.
fn utf8_error(path: &Path, body: &[u8], good: usize, skipped: usize) -> Error {
    // Valid prefix: count its lines and the characters since the last newline.
    let prefix = std::str::from_utf8(&body[..good]).unwrap_or_default();
    let line = 1 + prefix.matches('\n').count();
    let column = 1 + prefix.rsplit('\n').next().map_or(0, |l| l.chars().count());
    Error::InvalidUtf8 {
        path: path.to_path_buf(),
        offset: good + skipped,
        line,
        column,
        hint: encoding_hint(body),
    }
}

/// What the message about bytes that are not UTF-8 advises: the `--encoding` they read as
/// ([`super::encoding_guess`]), or how to name one.
pub fn encoding_hint(bytes: &[u8]) -> String {
    use super::encoding_guess::{Reading, reading};
    let encodings = match reading(bytes) {
        Reading::DamagedUtf8 => {
            return "the rest of the file is UTF-8: the file is damaged there".into();
        }
        Reading::Legacy(encodings) => encodings,
    };
    let guessed: Vec<&str> = encodings.iter().map(|e| e.name()).collect();
    match guessed.as_slice() {
        [] => "pass --encoding NAME for a legacy encoding such as Shift_JIS or windows-1251".into(),
        [one] => format!("it reads as {one}: pass --encoding {one}"),
        several => format!(
            "it reads as {}: pass --encoding with the right one",
            several.join(" or ")
        ),
    }
}

fn decode_other(
    path: &Path,
    encoding: &'static Encoding,
    body: &[u8],
    skipped: usize,
) -> Result<String> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(body.len() * 3 + 16);
    let mut out = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
    match result {
        DecoderResult::InputEmpty => Ok(out),
        DecoderResult::Malformed(bad, unread) => {
            // `read` counts up to and including the malformed bytes plus `unread` bytes after them.
            let offset = read - usize::from(bad) - usize::from(unread);
            Err(Error::Malformed {
                path: path.to_path_buf(),
                encoding: encoding.name(),
                offset: offset + skipped,
            })
        }
        DecoderResult::OutputFull => Err(Error::Malformed {
            path: path.to_path_buf(),
            encoding: encoding.name(),
            offset: read + skipped,
        }),
    }
}

/// Turns CRLF and lone CR into LF.
pub fn normalize_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8], enc: Option<&str>) -> Result<Source> {
        let options = match enc {
            Some(label) => LoadOptions::with_encoding(label).unwrap(),
            None => LoadOptions::default(),
        };
        decode(Path::new("t.txt"), bytes, &options)
    }

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        assert_eq!(dec(b"a\r\nb\rc\n", None).unwrap().text, "a\nb\nc\n");
        assert_eq!(dec(b"\r\r\n", None).unwrap().text, "\n\n");
    }

    #[test]
    fn utf8_bom_is_dropped() {
        let s = dec("\u{feff}Мир".as_bytes(), None).unwrap();
        assert_eq!(s.text, "Мир");
        assert_eq!(s.encoding, "UTF-8");
    }

    #[test]
    fn utf16_le_and_be_with_bom() {
        let text = "日本\r\nРоссия";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        let a = dec(&le, None).unwrap();
        let b = dec(&be, None).unwrap();
        assert_eq!(a.text, "日本\nРоссия");
        assert_eq!(b.text, "日本\nРоссия");
        assert_eq!(a.encoding, "UTF-16LE");
        assert_eq!(b.encoding, "UTF-16BE");
    }

    #[test]
    fn shift_jis_and_windows_1251_via_encoding() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("北方領土\r\n");
        assert_eq!(dec(&sjis, Some("Shift_JIS")).unwrap().text, "北方領土\n");
        let (cp, _, _) = encoding_rs::WINDOWS_1251.encode("Статья 9");
        assert_eq!(dec(&cp, Some("windows-1251")).unwrap().text, "Статья 9");
        let (koi, _, _) = encoding_rs::KOI8_R.encode("Курилы");
        assert_eq!(dec(&koi, Some("koi8-r")).unwrap().text, "Курилы");
        // Without --encoding, Shift_JIS is not UTF-8: an error, not mojibake.
        assert!(matches!(dec(&sjis, None), Err(Error::InvalidUtf8 { .. })));
    }

    #[test]
    fn malformed_legacy_bytes_name_the_offset() {
        // 0x82 0xA0 is valid Shift_JIS (あ); 0x85 0x40 is unassigned.
        let err = dec(b"ab\x82\xa0\x85\x40", Some("Shift_JIS")).unwrap_err();
        match err {
            Error::Malformed {
                offset, encoding, ..
            } => {
                assert_eq!(encoding, "Shift_JIS");
                assert_eq!(offset, 4);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_encoding_is_an_error() {
        assert!(matches!(
            LoadOptions::with_encoding("klingon"),
            Err(Error::UnknownEncoding { .. })
        ));
    }

    #[test]
    fn invalid_utf8_names_byte_offset_line_and_column() {
        let err = dec(b"ok\nab\xffcd", None).unwrap_err();
        match &err {
            Error::InvalidUtf8 {
                offset,
                line,
                column,
                ..
            } => {
                assert_eq!((*offset, *line, *column), (5, 2, 3));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.to_string().contains("byte offset 5"), "{err}");
        // After a BOM, the offset still counts from the start of the file.
        let err = dec(b"\xef\xbb\xbfa\xff", None).unwrap_err();
        assert!(matches!(err, Error::InvalidUtf8 { offset: 4, .. }), "{err}");
    }

    #[test]
    fn nul_byte_is_refused_as_binary() {
        let err = dec(b"text\0more", None).unwrap_err();
        assert!(matches!(err, Error::Binary { offset: 4, .. }), "{err}");
        let err = dec(b"\x89PNG\r\n\x1a\n\0\0", None).unwrap_err();
        assert!(matches!(err, Error::Binary { .. }), "{err}");
        // UTF-16 text holds NUL bytes but no NUL characters: fine.
        let mut le = vec![0xFF, 0xFE];
        le.extend("ab".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(dec(&le, None).unwrap().text, "ab");
        le.extend([0, 0]);
        assert!(matches!(dec(&le, None), Err(Error::Binary { .. })));
    }

    #[test]
    fn missing_file_and_directory_are_clear_errors() {
        let err = load("definitely/not/here.txt", &LoadOptions::default()).unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }));
        assert_eq!(err.to_string(), "definitely/not/here.txt: no such file");
        let dir = std::env::temp_dir();
        let err = load(&dir, &LoadOptions::default()).unwrap_err();
        assert!(matches!(err, Error::IsDirectory { .. }), "{err}");
    }

    #[test]
    fn empty_input_is_empty_text() {
        assert_eq!(dec(b"", None).unwrap().text, "");
    }
}
