//! `collate align A B`: which paragraphs correspond, as a table or as the JSON contract.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};

use super::{GlobalArgs, Output, load_options};
use collate::align::{AlignConfig, Mode, align_pair};
use collate::{exit, render, text};

const EXAMPLES: &str = "\
Examples:
  collate align texts/irkutsk-statement-2001.ja.txt texts/irkutsk-statement-2001.ja.v2.txt
  collate align texts/joint-communique-1991.en.txt texts/joint-communique-1991.ja.txt
  collate align old.txt new.txt --format json > alignment.json";

/// Align the paragraphs of two versions or translations of a document.
///
/// Versions (same language) are aligned by content similarity; translations (different languages)
/// by a length model fitted to the pair. The JSON output is a stable, versioned contract: one list
/// of paragraph IDs per witness in every bead, beads in document order.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct AlignArgs {
    /// The first witness (old version, or source text).
    pub a: PathBuf,
    /// The second witness (new version, or translation).
    pub b: PathBuf,
    /// Which aligner: auto (from the scripts and shared words), version, translation.
    #[arg(long, value_enum, default_value_t = ModeArg::Auto)]
    pub mode: ModeArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AlignFormat::Table)]
    pub format: AlignFormat,
}

/// `--mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Versions if the texts share script and vocabulary, else translations.
    Auto,
    /// Two versions in one language.
    Version,
    /// A text and its translation.
    Translation,
}

/// `--format` of `collate align`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlignFormat {
    /// One row per bead, one column per witness.
    Table,
    /// The JSON contract (version 1).
    Json,
}

pub fn run(args: &AlignArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let options = load_options(global)?;
    let a = text::read_document(&args.a, &options)?;
    let b = text::read_document(&args.b, &options)?;
    let config = AlignConfig {
        mode: match args.mode {
            ModeArg::Auto => Mode::Auto,
            ModeArg::Version => Mode::Version,
            ModeArg::Translation => Mode::Translation,
        },
        ..AlignConfig::default()
    };
    let (alignment, _mode) = align_pair(&a, &b, &config);
    for warning in &alignment.warnings {
        eprintln!("collate: warning: {warning}");
    }
    let docs = [&a, &b];
    let rendered = match args.format {
        AlignFormat::Json => {
            render::json::to_string(&render::json::AlignReport::new(&alignment, &docs))
        }
        AlignFormat::Table => render::table::alignment(&alignment, &docs, &out.render),
    };
    out.print(&rendered)?;
    Ok(exit::SUCCESS)
}
