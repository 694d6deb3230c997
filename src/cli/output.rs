//! Where output goes and how it looks: stdout (buffered), the width to fit, and whether to
//! colour.
//!
//! With colour on, output goes through anstream's [`AutoStream`](anstream::AutoStream). With
//! colour off (a pipe, `NO_COLOR`, `--color never`), no escape sequence or control character
//! reaches stdout, as anstream's stripper guarantees; but the stripper looks at every byte, and a
//! report of several megabytes has none to strip. So text without a byte the stripper would
//! remove is written straight to a buffered stdout, and only text with one goes through it.

use std::io::{self, BufWriter, StdoutLock, Write};

use anstream::ColorChoice;
use anstream::adapter::StripBytes;
use collate::render::RenderOptions;

use super::{ColorWhen, GlobalArgs};

/// Standard output with the render options decided once for the whole run.
pub struct Output {
    stream: Stream,
    /// How renderers should draw.
    pub render: RenderOptions,
}

/// Standard output, coloured or plain.
enum Stream {
    /// Colour on: anstream decides what the terminal gets.
    Color(anstream::AutoStream<io::Stdout>),
    /// Colour off: straight to a buffered stdout, through the stripper when there is something
    /// to strip (`strip` keeps its state between writes, as anstream's stream does).
    Plain {
        out: BufWriter<StdoutLock<'static>>,
        strip: StripBytes,
    },
}

impl Output {
    /// Decides colour and width from the options, the environment and the terminal.
    pub fn new(global: &GlobalArgs) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let choice = match global.color {
            _ if no_color => ColorChoice::Never,
            ColorWhen::Never => ColorChoice::Never,
            ColorWhen::Always => ColorChoice::AlwaysAnsi,
            ColorWhen::Auto => anstream::AutoStream::choice(&io::stdout()),
        };
        let color = !matches!(choice, ColorChoice::Never);
        let width = global
            .width
            .map(usize::from)
            .or_else(terminal_width)
            .unwrap_or(80);
        let stream = if color {
            Stream::Color(anstream::AutoStream::new(io::stdout(), choice))
        } else {
            Stream::Plain {
                out: BufWriter::with_capacity(1 << 16, io::stdout().lock()),
                strip: StripBytes::new(),
            }
        };
        Self {
            stream,
            render: RenderOptions { color, width },
        }
    }

    /// Writes a string.
    pub fn print(&mut self, text: &str) -> io::Result<()> {
        self.write_all(text.as_bytes())
    }

    /// Flushes standard output.
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.stream {
            Stream::Color(stream) => stream.flush(),
            Stream::Plain { out, .. } => out.flush(),
        }
    }
}

/// Standard output as a byte stream (UTF-8 text expected), for reports written in pieces.
impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.stream {
            Stream::Color(stream) => stream.write_all(bytes),
            Stream::Plain { out, strip } => {
                if *strip == StripBytes::new() && !needs_stripping(bytes) {
                    return out.write_all(bytes);
                }
                for printable in strip.strip_next(bytes) {
                    out.write_all(printable)?;
                }
                Ok(())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Output::flush(self)
    }
}

/// Whether UTF-8 text holds a byte that anstream's stripper removes: a control character other
/// than `\t`, `\n`, form feed and `\r` (the escape character among them), or DEL. Text without
/// one, written from the stripper's initial state, comes out of it unchanged.
fn needs_stripping(bytes: &[u8]) -> bool {
    // Comparisons only, without a branch, so that the compiler tests many bytes at once: a
    // report of megabytes passes here.
    bytes.chunks(64).any(|chunk| {
        chunk.iter().fold(false, |bad, &b| {
            let kept = (b == b'\t') | (b == b'\n') | (b == 0x0c) | (b == b'\r');
            bad | ((b < 0x20) & !kept) | (b == 0x7f)
        })
    })
}

/// The terminal's width when stdout is a terminal, else `$COLUMNS`.
fn terminal_width() -> Option<usize> {
    if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size_of(io::stdout()) {
        return Some(usize::from(w));
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&w: &usize| w >= 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What anstream's stripper makes of a text, written in the given pieces.
    fn stripped(pieces: &[&str]) -> Vec<u8> {
        let mut strip = StripBytes::new();
        let mut out = Vec::new();
        for piece in pieces {
            for printable in strip.strip_next(piece.as_bytes()) {
                out.extend_from_slice(printable);
            }
        }
        out
    }

    /// The plain stream's rule: straight through when there is nothing to strip.
    fn plain(pieces: &[&str]) -> Vec<u8> {
        let mut strip = StripBytes::new();
        let mut out = Vec::new();
        for piece in pieces {
            if strip == StripBytes::new() && !needs_stripping(piece.as_bytes()) {
                out.extend_from_slice(piece.as_bytes());
                continue;
            }
            for printable in strip.strip_next(piece.as_bytes()) {
                out.extend_from_slice(printable);
            }
        }
        out
    }

    #[test]
    fn the_fast_path_writes_what_the_stripper_would() {
        let cases: &[&[&str]] = &[
            &["{\n  \"text\": \"Статья 9 平和条約\\u001b\"\n}\n"],
            &[
                "plain\ttext\r\n",
                "\u{c}form feed",
                " «quotes» “more”\u{85}",
            ],
            &["red \u{1b}[31mword\u{1b}[0m done"],
            &["cut \u{1b}[3", "1mmid-sequence", " then clean text"],
            &["vertical\u{b}tab and del\u{7f} and nul\u{0}"],
            &["日本語\n", "\u{1b}]0;title\u{7}", "after"],
        ];
        for pieces in cases {
            assert_eq!(plain(pieces), stripped(pieces), "{pieces:?}");
        }
        assert!(!needs_stripping("Тест 平和 \t\n\r\u{c}\u{85}".as_bytes()));
        assert!(needs_stripping(b"\x1b[0m"));
        assert!(needs_stripping(b"\x7f"));
        assert!(needs_stripping(b"\x0b"));
        // Every ASCII byte, alone and amid text, as the stripper takes it.
        for b in 0..0x80u8 {
            let text = format!("a{}b", char::from(b));
            assert_eq!(plain(&[&text]), stripped(&[&text]), "{b:#x}");
        }
    }
}
