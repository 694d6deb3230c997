//! `collate align A B [C …]`: which paragraphs correspond, as a table, the JSON contract, TSV or
//! hunalign's ladder.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{GlobalArgs, NormalizeArgs, Output, load_options};
use collate::align::anchors::Dictionary;
use collate::align::{AlignConfig, Mode, align_witnesses};
use collate::text::Document;
use collate::{exit, render, text};

const EXAMPLES: &str = "\
Examples:
  collate align texts/joint-communique-1991.{en,ru,ja}.txt
  collate align texts/irkutsk-statement-2001.ja.txt texts/irkutsk-statement-2001.ja.v2.txt
  collate align a.en.txt a.ja.txt --format json > alignment.json
  collate align a.de.txt a.fr.txt --lang de,fr --dict names.tsv --format tsv

Which aligner: texts in one language are versions (aligned by their shared text, with moves);
texts in different languages are translations (aligned by length, numbers, dates, article
numbers, names, cognates and words learned from the pair — no model). --mode overrides.

Output: table (default), json (the versioned contract: one ID list per witness in every bead,
beads in document order, every paragraph in exactly one bead, a confidence and its reasons),
tsv (per bead: IDs and text of every witness, then the score), ladder (hunalign's rungs:
0-based first paragraph of every witness and the score). Beads with confidence below 0.50 are
marked '?' in the table: review those first.";

/// Align the paragraphs of two or more versions or translations of a document.
///
/// Versions (same language) are aligned by content similarity; translations (different
/// languages) by a length model and anchors fitted to each pair. With three or more witnesses
/// every pair is aligned and the results are combined into one table that does not depend on
/// the order of the files; where pairs disagree the bead is flagged.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct AlignArgs {
    /// The witnesses: two or more files (versions or translations of one text); `-` for one read
    /// from standard input.
    #[arg(required = true, num_args = 2.., value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Which aligner: auto (from languages, scripts and shared words), version, translation.
    #[arg(long, value_enum, default_value_t = ModeArg::Auto)]
    pub mode: ModeArg,
    /// Languages of the witnesses (ISO 639-1: en, ru, ja, de, …): one for all, or one per
    /// witness separated by commas; `auto` detects that witness's language.
    #[arg(long, value_name = "CODE[,CODE…]", value_delimiter = ',')]
    pub lang: Vec<String>,
    /// A dictionary of phrases that translate each other: one entry per line, phrases
    /// separated by tabs (two columns or more); `#` starts a comment.
    #[arg(long, value_name = "FILE.tsv")]
    pub dict: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AlignFormat::Table)]
    pub format: AlignFormat,
    /// What counts as a change between versions.
    #[command(flatten)]
    pub normalize: NormalizeArgs,
}

/// `--mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Versions if the texts share their language, else translations.
    Auto,
    /// Versions in one language.
    Version,
    /// A text and its translations.
    Translation,
}

/// `--format` of `collate align`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlignFormat {
    /// One row per bead, one column per witness.
    Table,
    /// The JSON contract (version 1).
    Json,
    /// One bead per line: IDs and text of every witness, then the score.
    Tsv,
    /// hunalign's ladder: first paragraph of every witness and the score, per bead.
    Ladder,
}

/// The languages of `--lang`: one for all witnesses, or one per witness.
fn languages(codes: &[String], witnesses: usize) -> Result<Vec<Option<String>>> {
    if !codes.is_empty() && codes.len() != 1 && codes.len() != witnesses {
        bail!(
            "--lang gives {} languages for {witnesses} witnesses: give one for all, or one per witness",
            codes.len()
        );
    }
    codes
        .iter()
        .map(|code| {
            let code = code.trim().to_lowercase();
            if code == "auto" {
                return Ok(None);
            }
            let valid = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
            if !valid {
                bail!("--lang: {code:?} is not a language code (two or three letters, e.g. en, ru, ja, or auto)");
            }
            Ok(Some(code))
        })
        .collect()
}

pub fn run(args: &AlignArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let options = load_options(global)?;
    let docs: Vec<Document> = args
        .files
        .iter()
        .map(|path| text::read_document(path, &options))
        .collect::<collate::Result<_>>()?;
    let mut config = AlignConfig {
        mode: match args.mode {
            ModeArg::Auto => Mode::Auto,
            ModeArg::Version => Mode::Version,
            ModeArg::Translation => Mode::Translation,
        },
        languages: languages(&args.lang, docs.len())?,
        ..AlignConfig::default()
    };
    config.version.normalize = args.normalize.options();
    if let Some(path) = &args.dict {
        let dictionary = Dictionary::load(path).context("--dict")?;
        config.translation.dictionary = Some(Arc::new(dictionary));
    }
    let refs: Vec<&Document> = docs.iter().collect();
    let progress = progress_bar(&refs);
    let alignment = align_witnesses(&refs, &config, &|done, total| {
        progress.set_message(format!("aligned {done} of {total} pairs of witnesses"));
    });
    progress.finish_and_clear();
    for warning in &alignment.warnings {
        eprintln!("collate: warning: {warning}");
    }
    let rendered = match args.format {
        AlignFormat::Json => {
            render::json::to_string(&render::json::AlignReport::new(&alignment, &refs))
        }
        AlignFormat::Table => render::align::table(&alignment, &refs, &out.render),
        AlignFormat::Tsv => render::align::tsv(&alignment, &refs),
        AlignFormat::Ladder => render::align::ladder(&alignment),
    };
    out.print(&rendered)?;
    Ok(exit::SUCCESS)
}

/// A spinner on standard error for long work (many paragraphs, or several witnesses), shown
/// only when standard error is a terminal.
fn progress_bar(docs: &[&Document]) -> ProgressBar {
    let paragraphs: usize = docs.iter().map(|d| d.paragraphs.len()).sum();
    if paragraphs < 4000 && docs.len() < 4 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(format!(
        "aligning {} witnesses, {paragraphs} paragraphs",
        docs.len()
    ));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
