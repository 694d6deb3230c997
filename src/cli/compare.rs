//! `collate compare A B [C …]`: the witnesses side by side, one row per bead, as a terminal
//! table, a Markdown table, CSV or JSON.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};

use super::align::ModeArg;
use super::{GlobalArgs, NormalizeArgs, Output, load_options};
use collate::align::{AlignConfig, Alignment, Mode, align_witnesses, detect_mode};
use collate::annotate::store::{self, LoadedText};
use collate::compare::{CompareConfig, Comparison, Filter, NoteIndex, TextDiffer};
use collate::diff::DiffConfig;
use collate::exit;
use collate::render::compare::{self as view, CompareOptions, Layout};
use collate::text::Document;
use collate::text::normalize::NormalizeOptions;

const EXAMPLES: &str = "\
Examples:
  collate compare texts/joint-communique-1991.en.txt texts/joint-communique-1991.ru.txt texts/joint-communique-1991.ja.txt
  collate compare texts/irkutsk-statement-2001.ja.txt texts/irkutsk-statement-2001.ja.v2.txt --changed
  collate compare old.txt new.txt --para p4 --para p7 --width 120
  collate compare a.en.txt a.ja.txt --max-confidence 0.6          # the doubtful rows first
  collate compare a.en.txt a.ru.txt --annotations annotations/a.en.json --show-notes
  collate compare old.txt new.txt --format markdown > changes.md

Without colour (a pipe, NO_COLOR, --color never) changes are written [-deleted-] and {+inserted+}.
Exit status: 0 the versions are the same (and always for translations), 1 they differ, 2 trouble.";

/// Compare versions or translations side by side, one row per aligned group of paragraphs.
///
/// Each row is a bead of the alignment (as `collate align` finds it) and each column a witness,
/// with the paragraph IDs and the full text, wrapped to the terminal width (never cut unless
/// --truncate asks). Versions show the changed words and a status (unchanged, edited, inserted,
/// deleted, split, merged, moved) with the similarity; translations show the aligner's
/// confidence, and rows a person should check are marked doubtful.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct CompareArgs {
    /// The witnesses: the first is the base (old version, or source text), then the others; `-`
    /// for one read from standard input.
    #[arg(required = true, num_args = 2.., value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub common: WitnessArgs,
    /// List the annotations of each row under it.
    #[arg(long)]
    pub show_notes: bool,
    /// Show only rows whose texts differ (for translations: gaps, splits and merges).
    #[arg(long)]
    pub changed: bool,
    /// Show only rows holding the paragraph with this ID (in any witness); repeatable.
    #[arg(long = "para", value_name = "ID")]
    pub paragraphs: Vec<String>,
    /// Show only rows whose confidence (translations) or similarity (versions) is at least this.
    #[arg(long, value_name = "X", value_parser = unit_interval)]
    pub min_confidence: Option<f64>,
    /// Show only rows whose confidence (translations) or similarity (versions) is at most this.
    #[arg(long, value_name = "X", value_parser = unit_interval)]
    pub max_confidence: Option<f64>,
    /// Show at most N lines of each cell, ending with "…" (default: everything).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub truncate: Option<u32>,
    /// Table layout: auto (side by side when it fits, else stacked), columns, stacked.
    #[arg(long, value_enum, default_value_t = LayoutArg::Auto)]
    pub layout: LayoutArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

/// `--format` of `collate compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A table for the terminal.
    Table,
    /// A GitHub pipe table.
    Markdown,
    /// Comma-separated values.
    Csv,
    /// JSON for programs (a versioned schema, docs/compare.md).
    Json,
}

/// `--layout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// Side by side when every column can be 14 wide, else stacked.
    Auto,
    /// One column per witness, however narrow.
    Columns,
    /// The witnesses under each other.
    Stacked,
}

/// A number between 0 and 1.
fn unit_interval(s: &str) -> Result<f64, String> {
    let x: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{x} is not between 0 and 1"))
    }
}

pub fn run(args: &CompareArgs, global: &GlobalArgs, out: &mut Output) -> Result<u8> {
    let loaded = Loaded::read(&args.files, &args.common, global)?;
    let mut comparison = loaded.compare()?;
    let code = if comparison.is_same() {
        exit::SAME
    } else if comparison.mode == collate::align::Mode::Translation {
        exit::SUCCESS
    } else {
        exit::DIFFERENT
    };
    let filter = Filter {
        changed: args.changed,
        paragraphs: args.paragraphs.clone(),
        min_score: args.min_confidence,
        max_score: args.max_confidence,
    };
    let unknown = filter.apply(&mut comparison);
    if !unknown.is_empty() {
        bail!(
            "no witness has a paragraph {} (see `collate show FILE` for the IDs)",
            unknown.join(", ")
        );
    }
    let options = CompareOptions {
        render: out.render,
        truncate: args.truncate.map(|n| n as usize),
        show_notes: args.show_notes,
        layout: match args.layout {
            LayoutArg::Auto => Layout::Auto,
            LayoutArg::Columns => Layout::Columns,
            LayoutArg::Stacked => Layout::Stacked,
        },
    };
    let format = match args.format {
        FormatArg::Table => view::Format::Table,
        FormatArg::Markdown => view::Format::Markdown,
        FormatArg::Csv => view::Format::Csv,
        FormatArg::Json => view::Format::Json,
    };
    out.print(&view::render(&comparison, format, &options))?;
    Ok(code)
}

/// What `compare` and `report` share: how to align the witnesses and which annotations to show.
#[derive(Debug, Args)]
pub struct WitnessArgs {
    /// Annotation files to show (repeatable); each goes on the witness it was made on (by path,
    /// or by the hash of the text).
    #[arg(long = "annotations", value_name = "FILE", num_args = 1..)]
    pub annotations: Vec<PathBuf>,
    /// Which aligner: auto (from the languages, scripts and shared words), version, translation.
    #[arg(long, value_enum, default_value_t = ModeArg::Auto)]
    pub mode: ModeArg,
    /// What counts as a change between versions.
    #[command(flatten)]
    pub normalize: NormalizeArgs,
}

/// The witnesses read, aligned and ready to compare.
pub struct Loaded {
    /// The documents, in column order.
    pub docs: Vec<Document>,
    /// Their alignment.
    pub alignment: Alignment,
    /// Versions or translations.
    pub mode: Mode,
    /// The annotations to show.
    pub notes: NoteIndex,
    /// What counts as a change between versions.
    pub normalize: NormalizeOptions,
}

impl Loaded {
    /// Reads the files, aligns them and reads the annotations.
    pub fn read(files: &[PathBuf], args: &WitnessArgs, global: &GlobalArgs) -> Result<Self> {
        let options = load_options(global)?;
        let texts = files
            .iter()
            .map(|f| LoadedText::load(f, &options))
            .collect::<collate::Result<Vec<_>>>()?;
        let docs: Vec<&Document> = texts.iter().map(|t| &t.doc).collect();
        let mode = match args.mode {
            ModeArg::Auto => detect_all(&docs),
            ModeArg::Version => Mode::Version,
            ModeArg::Translation => Mode::Translation,
        };
        let normalize = args.normalize.options();
        let mut config = AlignConfig {
            mode: match args.mode {
                ModeArg::Auto => Mode::Auto,
                _ => mode,
            },
            ..AlignConfig::default()
        };
        config.version.normalize = normalize;
        let on_terminal = std::io::stderr().is_terminal();
        let progress = |done: usize, all: usize| {
            if all > 1 && on_terminal {
                eprint!("\rcollate: aligned {done} of {all} pairs");
                if done == all {
                    eprintln!();
                }
            }
        };
        let alignment = align_witnesses(&docs, &config, &progress);
        for warning in &alignment.warnings {
            eprintln!("collate: warning: {warning}");
        }
        let notes = read_annotations(&args.annotations, &texts)?;
        let docs = texts.into_iter().map(|t| t.doc).collect();
        Ok(Self {
            docs,
            alignment,
            mode,
            notes,
            normalize,
        })
    }

    /// The comparison of the witnesses.
    pub fn compare(&self) -> Result<Comparison> {
        let docs: Vec<&Document> = self.docs.iter().collect();
        let config = CompareConfig {
            mode: self.mode,
            ..CompareConfig::default()
        };
        let differ = TextDiffer::new(DiffConfig {
            normalize: self.normalize,
            ..DiffConfig::default()
        });
        let mut comparison =
            collate::compare::compare(&self.alignment, &docs, &config, Some(&differ), &self.notes);
        if differ.degraded() > 0 {
            comparison.warnings.push(format!(
                "{} pair(s) of paragraphs took longer than {:.1} s to diff and show coarser changes",
                differ.degraded(),
                differ.config.pair_budget.as_secs_f64()
            ));
        }
        for warning in comparison
            .warnings
            .iter()
            .skip(self.alignment.warnings.len())
        {
            eprintln!("collate: warning: {warning}");
        }
        Ok(comparison)
    }
}

/// Translations when any witness is a translation of the first, versions otherwise.
fn detect_all(docs: &[&Document]) -> Mode {
    let base = docs[0];
    if docs[1..]
        .iter()
        .any(|d| detect_mode(base, d) == Mode::Translation)
    {
        Mode::Translation
    } else {
        Mode::Version
    }
}

/// Reads annotation files and puts each on the witness it was made on: the one at the path its
/// header names (relative to the file), or else the one whose text has the hash it names.
fn read_annotations(files: &[PathBuf], texts: &[LoadedText]) -> Result<NoteIndex> {
    let mut index = NoteIndex::new();
    for file in files {
        let parsed = store::read(file)?;
        let named = store::resolve_text_path(file, &parsed.text.path);
        let same_path = |t: &LoadedText| match (named.canonicalize(), t.doc.path.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => store::tidy(&named) == store::tidy(&t.doc.path),
        };
        let Some(w) = texts
            .iter()
            .position(same_path)
            .or_else(|| texts.iter().position(|t| t.hash == parsed.text.hash))
        else {
            bail!(
                "{}: annotates {}, which is none of the witnesses given",
                file.display(),
                named.display()
            );
        };
        if texts[w].hash != parsed.text.hash {
            eprintln!(
                "collate: warning: {} was made on another version of {} (its hash differs); \
                 `collate annotate migrate` carries it over",
                file.display(),
                texts[w].doc.path.display()
            );
        }
        let unplaced = index.add_file(w, &texts[w].doc, &parsed);
        if !unplaced.missing.is_empty() {
            eprintln!(
                "collate: warning: {}: {} annotation(s) name a paragraph {} does not have: {}",
                file.display(),
                unplaced.missing.len(),
                texts[w].doc.path.display(),
                unplaced.missing.join(", ")
            );
        }
        if !unplaced.stale.is_empty() {
            eprintln!(
                "collate: warning: {}: the quotes of {} annotation(s) are no longer at their \
                 offsets; shown on their whole paragraph: {}",
                file.display(),
                unplaced.stale.len(),
                unplaced.stale.join(", ")
            );
        }
    }
    Ok(index)
}
