//! `collate diff OLD NEW`: what changed between two versions, paragraph by paragraph and word by
//! word.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};

use super::{GlobalArgs, NormalizeArgs, Output, load_options};
use collate::diff::{By, DiffConfig, diff_documents};
use collate::{exit, render, text};

const EXAMPLES: &str = "\
Examples:
  collate diff texts/irkutsk-statement-2001.ja.txt texts/irkutsk-statement-2001.ja.v2.txt
  collate diff texts/joint-declaration-1956.ru.txt texts/joint-declaration-1956.ru.v2.txt
  collate diff old.txt new.txt --format side-by-side --width 120
  collate diff old.txt new.txt --format stat
  collate diff old.txt new.txt --format json > changes.json
  collate diff old.txt new.txt --context 1 --ignore-case --fold-quotes
  collate diff a.txt b.txt --quiet --no-ignore-whitespace && echo identical
  collate diff postwar.txt prewar.txt --fold-kanji       # old kanji forms as new: 國 = 国
  git show HEAD~1:treaty.txt | collate diff - treaty.txt

Without colour, deletions are shown as [-old-] and insertions as {+new+}. After a report for
people, hints on stderr name the options not in use that would make changed paragraphs compare
the same (collate: hint: 3 of the 6 changed paragraphs are the same with --ignore-case).
Exit status: 0 the versions are the same after normalisation, 1 they differ, 2 trouble.";

/// Compare two versions of a document, paragraph by paragraph and word by word.
///
/// Paragraphs are aligned first (edits, insertions, deletions, splits, merges and moves), then
/// each aligned pair is diffed word by word, or character by character for Japanese and Chinese.
/// The normalisation options change what counts as a difference, never the text shown.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct DiffArgs {
    /// The old version (`-`: standard input).
    pub old: PathBuf,
    /// The new version (`-`: standard input).
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Inline)]
    pub format: DiffFormat,
    /// Unit of comparison: characters for Japanese and Chinese and words otherwise (auto), or
    /// always words, or always characters.
    #[arg(long, value_enum, default_value_t = ByArg::Auto, value_name = "UNIT")]
    pub by: ByArg,
    /// Unchanged paragraphs to show around each change (inline and side-by-side).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub context: usize,
    /// Print nothing: the exit status alone says whether the versions differ (as `git diff
    /// --quiet`).
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub normalize: NormalizeArgs,
}

/// `--format` of `collate diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Each changed paragraph with its changes marked in the text.
    Inline,
    /// Old and new side by side in a table, long paragraphs wrapped.
    SideBySide,
    /// The versioned JSON report (docs/diff-json.md).
    Json,
    /// Counts: paragraphs unchanged, edited, inserted, deleted, split, merged, moved; words.
    Stat,
}

/// `--by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// From the script of each paragraph.
    Auto,
    /// Words.
    Word,
    /// Characters.
    Char,
}

pub fn run(args: &DiffArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let options = load_options(global)?;
    // Both files at once (an error in the old one is still the one reported).
    let (old, new) = rayon::join(
        || text::read_document(&args.old, &options),
        || text::read_document(&args.new, &options),
    );
    let (old, new) = (old?, new?);
    let normalize = args.normalize.options();
    let (by, by_name) = match args.by {
        ByArg::Auto => (By::Auto, "auto"),
        ByArg::Word => (By::Word, "word"),
        ByArg::Char => (By::Char, "char"),
    };
    let config = DiffConfig {
        normalize,
        by,
        ..DiffConfig::default()
    };
    if let Some((a, b)) = collate::align::different_languages(&old, &new) {
        eprintln!(
            "collate: warning: {} ({a}) and {} ({b}) are in different languages: a word diff of a \
             translation shows little; see them side by side with `collate compare` or `collate align`",
            args.old.display(),
            args.new.display()
        );
    }
    let diff = diff_documents(&old, &new, &config);
    for warning in &diff.warnings {
        eprintln!("collate: warning: {warning}");
    }
    let docs = [&old, &new];
    let r = &out.render;
    let rendered = match args.format {
        _ if args.quiet => String::new(),
        DiffFormat::Inline => render::inline::render(&diff, &old, &new, r, args.context),
        DiffFormat::SideBySide => render::side_by_side::render(&diff, &old, &new, r, args.context),
        DiffFormat::Stat => render::stat::render(&diff, &old, &new, r),
        DiffFormat::Json => {
            // Long reports are written as they are made, never held whole.
            render::diff_json::write_pretty_to(&diff, &docs, by_name, normalize, &mut *out)?;
            String::new()
        }
    };
    out.print(&rendered)?;
    // Reports for people end with what an option not in use would settle (JSON never does).
    if !args.quiet && args.format != DiffFormat::Json && !diff.is_same() {
        for hint in collate::diff::hints::hints(&diff, &old, &new, &normalize) {
            eprintln!("collate: hint: {hint}");
        }
    }
    let code = if diff.is_same() {
        exit::SAME
    } else {
        exit::DIFFERENT
    };
    // The process ends here: the OS takes the memory back at once, where freeing the documents
    // and the comparison piece by piece (hundreds of thousands of strings and vectors for a
    // book) would take milliseconds.
    std::mem::forget(diff);
    std::mem::forget((old, new));
    Ok(code)
}
