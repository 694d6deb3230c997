//! Where output goes and how it looks: stdout through anstream (which strips colour when it is
//! off), the width to fit, and whether to colour.

use std::io::{self, Write};

use anstream::ColorChoice;
use collate::render::RenderOptions;

use super::{ColorWhen, GlobalArgs};

/// Standard output with the render options decided once for the whole run.
pub struct Output {
    stream: anstream::AutoStream<io::Stdout>,
    /// How renderers should draw.
    pub render: RenderOptions,
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
        Self {
            stream: anstream::AutoStream::new(io::stdout(), choice),
            render: RenderOptions { color, width },
        }
    }

    /// Writes a string.
    pub fn print(&mut self, text: &str) -> io::Result<()> {
        self.stream.write_all(text.as_bytes())
    }

    /// Flushes standard output.
    pub fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
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
